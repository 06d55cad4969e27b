"""Private nudges: a contact who started the bot gets their own offices' status on the ladder days.

Each nudge is a ``reminder_outbox`` row (source ``nudge``, chat id = the contact's user id = their private
chat, source id = the deadline), so it has the reminders' guarantees: planned with a unique key, claimed
before it is sent, restart-safe, at most one 【补发】. Rows are planned when the group's ladder reminder of
that deadline is composed (so nudges follow the chat's ladder, time and roster of the day) and sent in the
same tick, only for contacts who have opted in (started the bot in private and not blocked it since).

The buttons under a nudge (callback ``nd:<action>:<deadline id>``):

* 已提交 (``ack``)   — no more nudges for that deadline;
* 今天提交 (``today``) — none more today; the next ladder day nudges again if the report is still missing;
* 推迟一天提醒 (``snooze``) — none until tomorrow, and one tomorrow at the chat's reminder time even if
  tomorrow is not a ladder day (the next nudge moves to tomorrow). Its key is the one tomorrow's ladder
  nudge would have, so a ladder day tomorrow still gives one nudge, not two.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.deadlines import extension_ladder, texts
from bot.deadlines.config import ReminderConfig
from storage import contacts as people_store
from storage import reminders as store
from storage.reminders import OutboxItem, PlannedSend

logger = logging.getLogger(__name__)

PREFIX = "nd:"
ACTIONS = ("ack", "today", "snooze")


async def plan_nudges(db: Any, d: store.Deadline, *, office_ids: list[int], now: datetime,
                      config: ReminderConfig) -> int:
    """One nudge today for every opted-in contact of these offices (idempotent: one key per day)."""
    if not office_ids:
        return 0
    bound = await people_store.contacts_for(db, chat_id=d.chat_id, office_ids=office_ids)
    users = {c.user_id for cs in bound.values() for c in cs}
    ready = await people_store.opted_in(db, user_ids=users)
    day = now.astimezone(config.tz).date().isoformat()
    return await store.plan(db, sends=[
        PlannedSend(f"n:{d.id}:{uid}:{day}", uid, "nudge", d.id, "ladder", now) for uid in sorted(ready)])


async def _office_lines(db: Any, d: store.Deadline, user_id: int, config: ReminderConfig, today: Any
                        ) -> list[tuple[str, str]]:
    """(office, what is left to do) for the contact's offices that still have something to do (what the
    group reminder counts: exemptions and running extensions excluded, a chat stage about its kind only)."""
    from bot.deadlines import stages
    from bot.deadlines.filing import chat_township
    from bot.deadlines.ladder import KIND_CUSTOM, office_kinds
    from bot.deadlines.ticker import roster_progress
    from storage import repo

    mine = set(await people_store.offices_of_user(db, chat_id=d.chat_id, user_id=user_id))
    if not mine:
        return []
    township = await chat_township(db, d.chat_id, config.township_deadline)
    kinds = office_kinds(d.kind, township) if d.kind != KIND_CUSTOM else None
    if stage := stages.office_kind_of(d.kind):
        kinds = frozenset({stage})
    extended_office = extension_ladder.office_of(d.kind)
    if extended_office is not None:  # an extension's own ladder: that office, on its extension or not
        mine &= {extended_office}
        today = None
    progress = await roster_progress(db, chat_id=d.chat_id, year=d.report_year, kinds=kinds, today=today)
    if not progress:
        return []
    _, missing, errors = progress
    lines = [(e.name, "未提交") for e in missing if e.office_id in mine]
    for e in errors:
        if e.office_id not in mine:
            continue
        findings = await repo.report_findings(db, report_id=e.report_id) if e.report_id else []
        bad = [f for f in findings if f.severity == "error"]
        first = f"：{texts.short_fix(bad[0].message)}（{bad[0].code}）" if bad else ""
        lines.append((e.name, f"有错误待修改（{len(bad)}项）{first}"))
    return lines


async def compose_nudge(db: Any, item: OutboxItem, *, now: datetime, config: ReminderConfig) -> Any:
    """The nudge for a claimed row, or why none is sent (acknowledged, snoozed, nothing left to do…)."""
    from bot.deadlines.ticker import Composed

    d = await store.get_deadline(db, deadline_id=item.source_id or 0)
    if d is None or d.cancelled_at is not None or d.completed_at is not None:
        return Composed(None, "deadline closed")
    user_id = item.chat_id
    if user_id not in await people_store.opted_in(db, user_ids=[user_id]):
        return Composed(None, "not opted in")
    today = now.astimezone(config.tz).date()
    state = await people_store.nudge_state(db, deadline_id=d.id, user_id=user_id)
    if state is not None:
        if state.acked_at is not None:
            return Composed(None, "acknowledged")
        if state.promised_on == today:
            return Composed(None, "promised today")
        if state.snoozed_until is not None and state.snoozed_until > today:
            return Composed(None, "snoozed")
    offices = await _office_lines(db, d, user_id, config, today)
    if not offices:
        return Composed(None, "nothing to do")
    from bot.deadlines.filing import statutory_title
    from bot.deadlines.ladder import KIND_CUSTOM
    from bot.deadlines.ticker import chat_township

    custom_title = d.kind == KIND_CUSTOM or extension_ladder.is_extension_kind(d.kind)
    title = d.title if custom_title else statutory_title(d.kind, d.report_year,
                                                                    await chat_township(db, d.chat_id, config))
    part = texts.nudge_part(title=title, due=d.due, today=today, offices=offices, deadline_id=d.id, prefix=PREFIX,
                            group=await people_store.chat_title(db, chat_id=d.chat_id))
    return Composed(part.text, parts=[part])


async def press(db: Any, *, user_id: int, action: str, deadline_id: int, now: datetime | None = None,
                config: ReminderConfig | None = None) -> str:
    """A button under a nudge: record the answer (and plan tomorrow's nudge for 推迟一天); the reply."""
    from bot.deadlines.ticker import chat_ladder

    config = config or ReminderConfig()
    now = now or datetime.now(UTC)
    d = await store.get_deadline(db, deadline_id=deadline_id)
    if d is None or action not in ACTIONS or user_id not in await _contacts_of(db, d):
        return "按钮已失效。"
    today = now.astimezone(config.tz).date()
    if action == "ack":
        await people_store.answer_nudge(db, deadline_id=d.id, user_id=user_id, chat_id=d.chat_id, acked=True,
                                        now=now)
        return "✅ 已记录：已提交。此截止日不再私信提醒你。若群里名单仍显示未交，请在群里重新发送文件。"
    if action == "today":
        await people_store.answer_nudge(db, deadline_id=d.id, user_id=user_id, chat_id=d.chat_id,
                                        promised_on=today, now=now)
        return "👌 好的，今天不再提醒。请在工作群里发送年报文件。"
    tomorrow = today + timedelta(days=1)
    _, at = await chat_ladder(db, d.chat_id, config)
    fire = datetime.combine(tomorrow, at, tzinfo=config.tz).astimezone(UTC)
    await people_store.answer_nudge(db, deadline_id=d.id, user_id=user_id, chat_id=d.chat_id,
                                    snoozed_until=tomorrow, now=now)
    await store.plan(db, sends=[PlannedSend(f"n:{d.id}:{user_id}:{tomorrow.isoformat()}", user_id, "nudge", d.id,
                                            "snooze", fire)])
    return f"⏰ 好的，明天（{tomorrow.month}月{tomorrow.day}日）{at:%H:%M}再提醒你。"


async def _contacts_of(db: Any, d: store.Deadline) -> set[int]:
    bound = await people_store.contacts_for(db, chat_id=d.chat_id)
    return {c.user_id for cs in bound.values() for c in cs}


__all__ = ["ACTIONS", "PREFIX", "compose_nudge", "plan_nudges", "press"]
