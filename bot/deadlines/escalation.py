"""Escalation: a child chat names its supervisor chat; N working days after a deadline the supervisor chat
gets ONE summary of who in the child chat is still missing or failing, and nothing more for that year
unless someone asks (``/escalate 汇总``).

Linking (Telegram-free here; the handler checks who is an admin where):

1. ``/escalate 上级`` in the child chat (admin) → a one-time code, valid :data:`CODE_TTL` (24 h);
2. ``/escalate 确认 CODE`` in the supervisor chat by one of *its* admins → linked. The code is stored as a
   hash and used by compare-and-set, so an expired, reused, forged or same-chat code changes nothing.

Sending: each summary is a row of the reminder outbox (source ``escalation``, key
``e:<link>:<deadline>``), planned by :func:`plan_escalations` on every tick and sent by the same
claim-before-send machinery as the reminders — so exactly once, across restarts and processes.
One row per statutory deadline of the child chat: a chat with 部门 (1月31日) and its own 区县政府 report
(3月31日) gets one summary after each date, each about the offices due then.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.deadlines import extension_ladder
from bot.deadlines.config import ReminderConfig
from bot.deadlines.filing import due_plan
from bot.deadlines.ladder import KIND_DEPT, KIND_GOV, filing_year, office_kinds
from bot.deadlines.obligations import md, owed, waiting_names
from bot.deadlines.texts import names_list
from bot.deadlines.workdays import add_workdays
from storage import obligations as store
from storage import reminders as outbox
from storage.reminders import PlannedSend

logger = logging.getLogger(__name__)

SOURCE = "escalation"
CODE_TTL = timedelta(hours=24)
#: Unambiguous on a phone keyboard: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
SETTING_AFTER = "escalate_after_workdays"
DEFAULT_AFTER = 3
MAX_AFTER = 60
#: Escalations further back than this are not planned any more (a link made in June does not report January).
PLAN_BACK = timedelta(days=3)

HELP = ("用法（管理员）：/escalate 上级（本群生成关联码）· 在上级群发 /escalate 确认 关联码\n"
        "/escalate（查看关联）· /escalate 汇总（立即汇总）· /escalate 期限 3（截止后几个工作日上报）"
        " · /escalate 解除")


def new_code() -> str:
    """An 8-character one-time code from :data:`CODE_ALPHABET` (≈ 39 bits, valid 24 h, used once)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def looks_like_code(text: str) -> bool:
    """Whether the words could be a code at all (forged junk is refused before a query)."""
    text = text.strip().upper()
    return len(text) == CODE_LENGTH and all(c in CODE_ALPHABET for c in text)


async def after_workdays(db: Any, chat_id: int) -> int:
    """The child chat's N (working days after a deadline before escalating)."""
    from storage import repo

    try:
        value = await repo.get_chat_setting(db, chat_id=chat_id, key=SETTING_AFTER, default=None)
    except Exception:  # a chat without a workspace row yet  # noqa: BLE001
        value = None
    try:
        return int(value) if value is not None else DEFAULT_AFTER
    except (TypeError, ValueError):
        return DEFAULT_AFTER


async def _title(db: Any, chat_id: int) -> str:
    return await store.chat_title(db, chat_id=chat_id) or f"群{chat_id}"


# ---------------------------------------------------------------- commands (replies in Chinese)


async def issue_code(db: Any, *, chat_id: int, user_id: int | None, now: datetime | None = None) -> str:
    """``/escalate 上级`` in the child chat: a fresh code (earlier unused ones stop working)."""
    now = now or datetime.now(UTC)
    current = await store.supervisor_of(db, child_chat_id=chat_id)
    if current is not None:
        return (f"本群已关联上级群「{await _title(db, current.supervisor_chat_id or 0)}」。"
                "如需更换，先发 /escalate 解除。")
    code = new_code()
    await store.create_link_code(db, child_chat_id=chat_id, code=code, expires_at=now + CODE_TTL, user_id=user_id)
    return (f"关联码：{code}（24小时内有效，只能用一次）。\n请上级群的管理员在上级群发送：/escalate 确认 {code}\n"
            "（机器人须已在上级群中）")


async def confirm_code(db: Any, *, code: str, chat_id: int, user_id: int | None, now: datetime | None = None) -> str:
    """``/escalate 确认 CODE`` in the supervisor chat (the handler checked that the user is its admin)."""
    if not looks_like_code(code):
        return "关联码无效（应为8位字母数字）。未做更改。"
    result, link = await store.confirm_link(db, code=code, supervisor_chat_id=chat_id, user_id=user_id, now=now)
    if result == "ok" and link is not None:
        child = await _title(db, link.child_chat_id)
        n = await after_workdays(db, link.child_chat_id)
        return (f"✅ 已关联：本群为「{child}」的上级群。截止日后第{n}个工作日仍未交或有错误的单位，"
                "我会在本群汇总一次。随时可发 /escalate 汇总。")
    return {
        "unknown": "关联码不存在（请核对，或在下级群重新发 /escalate 上级）。未做更改。",
        "expired": "关联码已过期，请在下级群重新发 /escalate 上级。未做更改。",
        "used": "这个关联码已经用过了。未做更改。",
        "same_chat": "关联码要在上级群确认，不能在生成它的本群确认。未做更改。",
        "already_linked": "该下级群已关联了上级群，须先在那边 /escalate 解除。未做更改。",
    }.get(result, "关联失败，未做更改。")


async def unlink_command(db: Any, *, chat_id: int, user_id: int | None) -> str:
    ended = await store.unlink(db, chat_id=chat_id, user_id=user_id)
    if not ended:
        return "本群没有关联上级群或下级群，未做更改。"
    return f"已解除 {len(ended)} 个关联，不再向上级群汇总。"


async def set_after(db: Any, *, chat_id: int, text: str, user_id: int | None) -> str:
    from storage import repo

    if not text.strip().isdigit() or not (1 <= int(text) <= MAX_AFTER):
        return f"请写1到{MAX_AFTER}之间的工作日数，例如：/escalate 期限 3。未做更改。"
    await repo.set_chat_setting(db, chat_id=chat_id, key=SETTING_AFTER, value=int(text))
    await repo.audit(db, chat_id=chat_id, user_id=user_id, action="escalate_after", detail=text.strip())
    return f"好的，截止日后第{int(text)}个工作日仍未交的单位向上级群汇总（每个截止日一次）。"


async def status_text(db: Any, *, chat_id: int) -> str:
    up = await store.supervisor_of(db, child_chat_id=chat_id)
    down = await store.children_of(db, supervisor_chat_id=chat_id)
    lines = []
    if up is not None:
        n = await after_workdays(db, chat_id)
        lines.append(f"上级群：「{await _title(db, up.supervisor_chat_id or 0)}」（截止后第{n}个工作日汇总一次）")
    for link in down:
        lines.append(f"下级群：「{await _title(db, link.child_chat_id)}」")
    if not lines:
        return "本群没有关联上级群。\n" + HELP
    return "\n".join([*lines, HELP])


async def on_demand(db: Any, *, chat_id: int, today: date, year: int | None = None) -> str:
    """``/escalate 汇总``: in a supervisor chat, one summary per child; in a child chat, its own."""
    children = [link.child_chat_id for link in await store.children_of(db, supervisor_chat_id=chat_id)]
    if not children and await store.supervisor_of(db, child_chat_id=chat_id) is not None:
        children = [chat_id]
    if not children:
        return "本群没有关联下级群（下级群发 /escalate 上级 生成关联码）。"
    year = year or filing_year(today)
    parts = []
    for child in children:
        text = await summary(db, child_chat_id=child, today=today, year=year)
        parts.append(text or f"「{await _title(db, child)}」：{year}年度没有未交或有错误的单位 ✅")
    return "\n\n".join(parts)


# ---------------------------------------------------------------- the summary


async def summary(db: Any, *, child_chat_id: int, today: date, year: int, kind: str | None = None,
                  late_only: bool = False) -> str | None:
    """Who in the child chat is still missing (past their own date) or failing for ``year``; None if nobody.

    ``kind`` limits it to the offices of one statutory deadline (``dept``/``gov``); ``late_only`` leaves
    out offices whose date (or extension) has not passed yet — they are listed apart as 「已延期」.
    """
    plan = await due_plan(db, chat_id=child_chat_id, today=today, year=year)
    everyone = await owed(db, chat_id=child_chat_id, plan=plan)
    if not everyone:
        return None
    if kind and (office_id := extension_ladder.office_of(kind)) is not None:  # one office's extension
        rows = [r for r in everyone if r.office.id == office_id]
    else:
        kinds = office_kinds(kind, plan.township_deadline) if kind else None
        rows = [r for r in everyone if kinds is None or r.office.kind in kinds]
    # an office of another kind whose extension ran out without a report is still 逾期 (named in every
    # later summary of the year, after the statutory overdue week too)
    rows += [r for r in everyone if r not in rows and not r.exempt and r.extended and r.late(today)]
    owing = [r for r in rows if not r.exempt]
    if not owing:
        return None
    missing = [_late_name(r, today) for r in owing if r.missing and (r.late(today) or not late_only)]
    failing = [r.name for r in owing if r.failing]
    waiting = waiting_names(owing, today)
    if not missing and not failing:
        return None
    due_dates = sorted({r.due if r.extended and r.late(today) else r.chat_due
                        for r in owing if r.missing or r.failing})
    lines = [f"📣 上报汇总：「{await _title(db, child_chat_id)}」{year}年度报告"
             f"（截止{'、'.join(md(d) for d in due_dates)}）"]
    if missing:
        lines.append(f"未提交（{len(missing)}/{len(owing)}）：{names_list(missing)}")
    if failing:
        lines.append(f"有错误待修改（{len(failing)}）：{names_list(failing)}")
    if waiting:
        lines.append(f"已延期：{names_list(waiting)}")
    return "\n".join(lines)


def _late_name(row: Any, today: date) -> str:
    """「鹿山（延期至2月5日，已逾期3天）」 for an office whose extension ran out, else its name."""
    if row.extended and row.late(today):
        return f"{row.name}（{row.note(today).split('（')[0]}）"
    return row.name


async def compose(db: Any, item: Any, *, today: date) -> str | None:
    """The text of a claimed escalation outbox row (None: nothing to send — link gone or all done)."""
    link = await store.get_link(db, link_id=item.source_id or 0)
    if link is None or not link.active or link.supervisor_chat_id != item.chat_id:
        return None
    deadline = await outbox.get_deadline(db, deadline_id=int(item.step or 0))
    if deadline is None or deadline.cancelled_at is not None:
        return None
    text = await summary(db, child_chat_id=link.child_chat_id, today=today, year=deadline.report_year,
                         kind=deadline.kind, late_only=True)
    if text is None:
        return None
    n = await after_workdays(db, link.child_chat_id)
    if extension_ladder.is_extension_kind(deadline.kind):
        return f"{text}\n（延期截止后第{n}个工作日自动汇总，只发这一次；需要时发 /escalate 汇总）"
    return f"{text}\n（截止后第{n}个工作日自动汇总，本年度只发这一次；需要时发 /escalate 汇总）"


async def plan_escalations(db: Any, *, now: datetime, config: ReminderConfig) -> int:
    """One outbox row per (active link, statutory deadline of the child chat), at the child's send time
    on the N-th working day after the deadline; idempotent (unique key). Returns rows added."""
    from bot.deadlines.ticker import chat_ladder

    links = await store.active_links(db)
    if not links:
        return 0
    today = now.astimezone(config.tz).date()
    sends: list[PlannedSend] = []
    for link in links:
        if link.supervisor_chat_id is None:
            continue
        n = await after_workdays(db, link.child_chat_id)
        _, at = await chat_ladder(db, link.child_chat_id, config)
        deadlines = await outbox.list_deadlines(db, chat_id=link.child_chat_id,
                                                due_from=today - timedelta(days=MAX_AFTER * 2))
        # the statutory deadlines, and each office's extension (its own summary after its own date)
        deadlines = [d for d in deadlines
                     if d.kind in (KIND_DEPT, KIND_GOV) or extension_ladder.is_extension_kind(d.kind)]
        for d in deadlines:
            fire = datetime.combine(add_workdays(d.due, n), at, tzinfo=config.tz)
            confirmed = link.confirmed_at or now
            if fire < confirmed - PLAN_BACK or now - fire > config.max_late:
                continue  # linked long after, or too late to matter: not sent (and never reported as missed)
            sends.append(PlannedSend(f"e:{link.id}:{d.id}", link.supervisor_chat_id, SOURCE, link.id, str(d.id),
                                     fire.astimezone(UTC)))
    return await outbox.plan(db, sends=sends)
