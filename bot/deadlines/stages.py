"""Multi-stage internal deadlines: ``/deadline 阶段 部门 1月20日`` — in this chat, 部门 owe their report by
1月20日 (to the district office, which files its own by the statutory 1月31日).

A chat setting (``deadline_stages``: office kind → ``MM-DD``), read by :func:`bot.deadlines.filing.due_plan`,
so /roster, 「谁还没交」, status answers, extensions and escalation all use the stage date for that kind.
The reminders get a deadline row per stage and report year (kind ``s:<office kind>``, about the roster
offices of that kind only), created when the stage is set and again for each new filing cycle by
``ticker.schedule``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from bot.deadlines.filing import OFFICE_KINDS, SETTING_STAGES, township_late
from bot.deadlines.ladder import filing_year

STAGE_PREFIX = "s:"
USAGE = ("用法：/deadline 阶段 部门 1月20日（本群部门的内部截止日）· /deadline 阶段 部门 取消 · "
         "/deadline 阶段（查看）")
_DATE = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日?$|^(\d{1,2})-(\d{1,2})$")
KIND_WORDS = {"部门": "部门", "街道": "街道", "乡镇": "乡镇", "街道/乡镇": "街道", "其他": "其他"}


def stage_kind(office_kind: str) -> str:
    """The deadline-row kind of a stage (``s:部门``)."""
    return f"{STAGE_PREFIX}{office_kind}"


def office_kind_of(deadline_kind: str) -> str | None:
    """``s:部门`` → ``部门``; None for any other deadline kind."""
    return deadline_kind[len(STAGE_PREFIX):] if deadline_kind.startswith(STAGE_PREFIX) else None


def stage_title(office_kind: str, report_year: int) -> str:
    return f"{report_year}年度年报报送（{office_kind}，本群内部截止）"


def _statutory_md(office_kind: str, township: str) -> tuple[int, int]:
    late = office_kind == "区县政府" or (office_kind in ("街道", "乡镇") and township_late(township))
    return (3, 31) if late else (1, 31)


async def chat_stages(db: Any, chat_id: int) -> dict[str, str]:
    from storage import repo

    try:
        value = await repo.get_chat_setting(db, chat_id=chat_id, key=SETTING_STAGES, default=None)
    except Exception:  # a chat without a workspace row yet  # noqa: BLE001
        value = None
    return {str(k): str(v) for k, v in (value or {}).items() if k in OFFICE_KINDS}


async def ensure_stage_deadlines(db: Any, *, chat_id: int, report_year: int, now: datetime, config: Any) -> int:
    """Deadline rows (and their ladders) for the chat's stages in ``report_year``; a stage whose date
    changed or was removed has its old row cancelled. Returns how many outbox rows were planned."""
    from bot.deadlines import ticker
    from storage import reminders as store

    stages = await chat_stages(db, chat_id)
    planned = 0
    wanted: set[tuple[str, date]] = set()
    for office_kind, md in stages.items():
        month, day = (int(x) for x in md.split("-"))
        wanted.add((stage_kind(office_kind), date(report_year + 1, month, day)))
    for d in await store.list_deadlines(db, chat_id=chat_id, due_from=date(report_year + 1, 1, 1)):
        if office_kind_of(d.kind) and d.report_year == report_year and (d.kind, d.due) not in wanted:
            await store.cancel_deadline(db, chat_id=chat_id, deadline_id=d.id, now=now)
    for kind, due in sorted(wanted):
        deadline, _ = await store.add_deadline(db, chat_id=chat_id, kind=kind, due=due, report_year=report_year,
                                               title=stage_title(kind[len(STAGE_PREFIX):], report_year))
        if deadline.completed_at is None:
            planned += await ticker.plan_deadline(db, deadline, now=now, config=config)
    return planned


async def stage_command(db: Any, *, chat_id: int, text: str, user_id: int | None, now: datetime,
                        config: Any) -> str:
    """``阶段 部门 1月20日`` / ``阶段 部门 取消`` / ``阶段``."""
    from storage import repo

    words = text.split()
    stages = await chat_stages(db, chat_id)
    if not words:
        if not stages:
            return "本群没有设置阶段截止日。\n" + USAGE
        return "本群阶段截止日：" + "；".join(f"{k} {int(v[:2])}月{int(v[3:])}日" for k, v in stages.items())
    kind = KIND_WORDS.get(words[0])
    if kind is None or len(words) != 2:
        return USAGE
    township = await _township(db, chat_id)
    today = now.astimezone(config.tz).date()
    if words[1] in ("取消", "删除"):
        if kind not in stages:
            return f"本群没有给{kind}设阶段截止日，未做更改。"
        stages.pop(kind)
        reply = f"已取消{kind}的阶段截止日，按法定日期提醒。"
    else:
        m = _DATE.match(words[1])
        if m is None:
            return "看不懂这个日期，例如：/deadline 阶段 部门 1月20日。未做更改。"
        month, day = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
        try:
            date(2028, month, day)  # a leap year: 2月29日 is a real day
        except ValueError:
            return f"没有{month}月{day}日这一天。未做更改。"
        if (month, day) >= _statutory_md(kind, township) or month > 3:
            smonth, sday = _statutory_md(kind, township)
            return f"阶段截止日要早于{kind}的法定截止日{smonth}月{sday}日。未做更改。"
        stages[kind] = f"{month:02d}-{day:02d}"
        reply = f"好的，本群{kind}的年报须在{month}月{day}日前提交（内部截止），按此提醒并统计逾期。"
    await repo.set_chat_setting(db, chat_id=chat_id, key=SETTING_STAGES, value=stages)
    await repo.audit(db, chat_id=chat_id, user_id=user_id, action="deadline_stage", detail=f"{kind}={stages.get(kind)}")
    await ensure_stage_deadlines(db, chat_id=chat_id, report_year=filing_year(today), now=now, config=config)
    return reply


async def _township(db: Any, chat_id: int) -> str:
    from bot.deadlines.filing import chat_township

    return await chat_township(db, chat_id)
