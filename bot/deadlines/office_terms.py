"""/deadline 鹿山 延期至 2月5日 原因 · /deadline 鹿山 取消延期 · /roster 免报 五星 2026 已撤并 · /roster 取消免报 …

Telegram-free: each function takes the database, the chat and the words after the command, checks them
(the office must be on the roster, the date must be real and in the future), changes what needs
changing through storage/obligations.py (which writes the audit line) and returns the one-line Chinese
reply. Bad input changes nothing.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime
from typing import Any

from bot.deadlines.config import ReminderConfig
from bot.deadlines.obligations import EXEMPTION, EXTENSION, Owed, md, on_roster, owed_now
from bot.deadlines.parsing import DateError, parse_day
from storage import obligations as store

logger = logging.getLogger(__name__)

#: ``鹿山 延期至 2月5日 原因`` / ``鹿山延期到2027-02-05``.
EXTEND = re.compile(r"^(?P<office>.+?)\s*延期(?:至|到)\s*(?P<rest>.*)$")
#: ``鹿山 取消延期``.
UNEXTEND = re.compile(r"^(?P<office>.+?)\s*(?:取消延期|撤销延期)$")
YEAR = re.compile(r"^(?:19|20)\d{2}年?度?$")
MAX_REASON = 200

EXTEND_HELP = "用法：/deadline 鹿山 延期至 2月5日 原因 · /deadline 鹿山 取消延期"
EXEMPT_HELP = "用法：/roster 免报 五星 2026 已撤并 · /roster 取消免报 五星 2026"


def is_extension(text: str) -> bool:
    """Whether /deadline's words are about one office's extension — not the chat's own deadline whose
    title happens to say 延期 (``/deadline 1月15日 报送延期至说明`` starts with its date)."""
    m = EXTEND.match(text) or UNEXTEND.match(text)
    return m is not None and not m["office"].strip()[:1].isdigit()


async def _one_office(db: Any, chat_id: int, name: str, today: date, year: int | None
                      ) -> tuple[Owed | None, str, int]:
    """The single roster office ``name`` means, or (None, the reply saying why not, year)."""
    plan, rows = await owed_now(db, chat_id=chat_id, today=today, year=year)
    if rows is None:
        return None, "本群还没有应报单位名单，请先用 /roster add 添加。未做更改。", plan.report_year
    hits = on_roster(rows, name.strip())
    if not hits:
        return None, f"「{name.strip()}」不在本群应报名单上（/roster 查看）。未做更改。", plan.report_year
    if len(hits) > 1:
        names = "、".join(r.office.name for r in hits[:6])
        return None, f"「{name.strip()}」可能是：{names}。请写全称。未做更改。", plan.report_year
    return hits[0], "", plan.report_year


async def _resync_ladders(db: Any, chat_id: int, now: datetime | None, config: ReminderConfig | None) -> None:
    """Give the chat's extensions their own ladder now (or cancel a lifted one's) instead of at the next
    tick; the tick would do the same, so a failure here only delays it."""
    from bot.deadlines import extension_ladder

    try:
        await extension_ladder.sync(db, now=now or datetime.now(UTC), config=config or ReminderConfig(),
                                    chats=[chat_id])
    except Exception:  # noqa: BLE001 — the command itself succeeded; the next tick plans the ladder
        logger.warning("chat %s: extension ladder not synced now (next tick will)", chat_id, exc_info=True)


async def extension_command(db: Any, *, chat_id: int, text: str, today: date, user_id: int | None,
                            now: datetime | None = None, config: ReminderConfig | None = None) -> str:
    """``鹿山 延期至 2月5日 原因`` or ``鹿山 取消延期`` for the report year being filed now. An extension
    gets its own reminder ladder (bot/deadlines/extension_ladder.py); 取消延期 stops it."""
    if m := UNEXTEND.match(text):
        row, problem, year = await _one_office(db, chat_id, m["office"], today, None)
        if row is None:
            return problem
        ok = await store.clear_obligation(db, chat_id=chat_id, office_id=row.office.id, report_year=year,
                                          kind=EXTENSION, user_id=user_id)
        if ok:
            await _resync_ladders(db, chat_id, now, config)
        return (f"已取消 {row.office.name} 的延期，{year}年度报告按{md(row.chat_due)}截止。" if ok
                else f"{row.office.name} 没有{year}年度的延期，未做更改。")
    m = EXTEND.match(text)
    if m is None or not m["rest"].strip():
        return EXTEND_HELP
    try:
        due, reason = parse_day(m["rest"], today=today, prefer="future")
    except DateError as exc:
        return f"{exc.message}\n{EXTEND_HELP}"
    if due <= today:
        return f"{due.year}年{md(due)} 不是将来的日期，延期请写今天以后的日期。未做更改。"
    if len(reason) > MAX_REASON:
        return f"原因太长（最多{MAX_REASON}字）。未做更改。"
    row, problem, year = await _one_office(db, chat_id, m["office"], today, None)
    if row is None:
        return problem
    if row.exempt:
        return f"{row.office.name} {year}年度已免报，无需延期（先 /roster 取消免报 {row.name} {year}）。未做更改。"
    if due <= row.chat_due:
        return f"{md(due)} 不晚于本群给它的截止日{md(row.chat_due)}，无需延期。未做更改。"
    await store.set_obligation(db, chat_id=chat_id, office_id=row.office.id, report_year=year, kind=EXTENSION,
                               due=due, reason=reason, user_id=user_id)
    await _resync_ladders(db, chat_id, now, config)
    why = f"（{reason}）" if reason else ""
    return (f"已延期：{row.office.name} {year}年度报告截止改为{due.year}年{md(due)}{why}。"
            f"截止前按本群提醒天数单独提醒它，过期后算逾期。取消：/deadline {row.name} 取消延期")


def _year_and_reason(words: list[str]) -> tuple[int | None, list[str], str]:
    """``["五星", "2026", "已撤并"]`` → (2026, ["五星"], "已撤并"): the words before the year name the office."""
    for i, word in enumerate(words):
        if YEAR.match(word):
            return int(word[:4]), words[:i], " ".join(words[i + 1:])
    return None, words[:1], " ".join(words[1:])


async def exemption_command(db: Any, *, chat_id: int, words: list[str], lift: bool, today: date,
                            user_id: int | None) -> str:
    """``/roster 免报 五星 2026 已撤并`` (``lift``: ``/roster 取消免报 五星 2026``)."""
    year, name_words, reason = _year_and_reason(words)
    if not name_words:
        return EXEMPT_HELP
    if year is not None and not (2000 <= year <= today.year + 1):
        return f"{year}年度不对，请写2000年到{today.year + 1}年之间的年度。未做更改。"
    if len(reason) > MAX_REASON:
        return f"原因太长（最多{MAX_REASON}字）。未做更改。"
    row, problem, year = await _one_office(db, chat_id, " ".join(name_words), today, year)
    if row is None:
        return problem
    if lift:
        ok = await store.clear_obligation(db, chat_id=chat_id, office_id=row.office.id, report_year=year,
                                          kind=EXEMPTION, user_id=user_id)
        return (f"已取消免报：{row.office.name} 须提交{year}年度报告（{md(row.chat_due)}截止）。" if ok
                else f"{row.office.name} {year}年度没有免报，未做更改。")
    if row.report is not None:
        return f"{row.office.name} 已提交{year}年度报告，不能再设为免报。未做更改。"
    await store.set_obligation(db, chat_id=chat_id, office_id=row.office.id, report_year=year, kind=EXEMPTION,
                               reason=reason, user_id=user_id)
    if row.extended:  # the exemption replaced its extension: its own ladder stops
        await _resync_ladders(db, chat_id, None, None)
    why = f"（{reason}）" if reason else ""
    return (f"已设为免报：{row.office.name} {year}年度{why}，提醒和「谁还没交」不再列出它。"
            f"取消：/roster 取消免报 {row.name} {year}")


def terms_lines(rows: list[Owed] | None, today: date | None = None) -> list[str]:
    """/deadline's lines about offices with their own terms this year: 「鹿山：已延期至2月5日（…）」, or
    「鹿山：延期至2月5日，已逾期3天」 once ``today`` is past it."""
    return [f"· {r.office.name}：{r.note(today)}" for r in rows or [] if r.exempt or r.extended]
