"""An extended office's own reminder ladder: ``/deadline 鹿山 延期至 2月5日`` gives 鹿山 the chat's ladder days
before 2月5日 and the overdue week after it, like any deadline.

Why a deadline row: the outbox machinery (unique keys, claim-before-send, leases, reconcile, 【补发】) is
what makes a reminder go out exactly once across restarts and workers, and it is keyed by deadline rows.
So each running extension has one ``deadline`` row of kind ``x:<office id>`` (title
「2025年度年报报送（鹿山，已延期）」), kept in step with the extensions by :func:`sync` — on every tick and
right after a command changes an extension:

* a new extension (or one re-set to another date) → its row, and its ladder planned with keys versioned by
  when the extension was set (two workers plan the same keys; a re-set plans a fresh ladder);
* 取消延期, an exemption, or a changed date → the old row is cancelled with its unsent reminders (the
  office is back on the chat's own ladder);
* the report arriving → the row is completed silently when its next reminder is composed (or at once,
  via ``ticker.report_stored``).

One message a day per group: a ladder day of the extension on which the chat gets its own deadline
reminder naming that office anyway (「已延期：鹿山（至2月5日）」 before the date, 「未提交」 after) sends
no second message; the private nudges to the office's opted-in contacts go out either way.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.deadlines.config import ReminderConfig
from bot.deadlines.ladder import KIND_CUSTOM, ladder_steps, office_kinds
from storage import extension_ladders as ext_store
from storage import reminders as store
from storage.reminders import OutboxItem, PlannedSend

logger = logging.getLogger(__name__)

PREFIX = ext_store.EXTENSION_KIND_PREFIX


def kind_for(office_id: int) -> str:
    """The deadline kind of an office's extension ladder: ``x:42``."""
    return f"{PREFIX}{office_id}"


def office_of(kind: str) -> int | None:
    """``x:42`` → 42; None for any other deadline kind."""
    if not kind.startswith(PREFIX) or not kind[len(PREFIX):].isdigit():
        return None
    return int(kind[len(PREFIX):])


def is_extension_kind(kind: str) -> bool:
    return office_of(kind) is not None


def title_for(office_name: str, report_year: int) -> str:
    return f"{report_year}年度年报报送（{office_name}，已延期）"


def _version(set_at: datetime) -> str:
    return set_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")


def extension_sends(d: store.Deadline, term: ext_store.ExtensionTerm, *, ladder: tuple[int, ...], at: time,
                    now: datetime, config: ReminderConfig, fresh: bool) -> list[PlannedSend]:
    """The ladder and overdue rows of one extension. For a ``fresh`` ladder (its row was made just now)
    only future steps: an extension set at 10:00 on a ladder day does not fire that day's 09:00 step late.
    Otherwise (a ladder planned again) steps less than ``max_late`` late are kept, like every deadline.
    Keys carry the version of the extension (when it was set), so all workers plan the same keys."""
    version = _version(term.set_at)
    return [
        PlannedSend(f"d:{d.id}:{s.step}:{s.day.isoformat()}:x{version}", d.chat_id, "deadline", d.id, s.step,
                    s.fire_at.astimezone(UTC))
        for s in ladder_steps(d.due, ladder=ladder, at=at, tz=config.tz, overdue_days=config.overdue_days)
        if (s.fire_at > now if fresh else now - s.fire_at <= config.max_late)
    ]


async def sync(db: Any, *, now: datetime, config: ReminderConfig, chats: list[int] | None = None) -> int:
    """Make the extension-ladder deadline rows match the running extensions (of ``chats``, else of every
    active chat) and plan the ladders not planned yet. Idempotent and safe in several workers at once.
    Returns how many outbox rows were added."""
    from bot.deadlines.ticker import chat_ladder

    today = now.astimezone(config.tz).date()
    since = today - timedelta(days=config.overdue_days)
    terms = [t for t in await ext_store.running_extensions(db, due_from=since, chat_ids=chats)
             if t.chat_id < 0]  # like the statutory ladders: groups only
    wanted = {(t.chat_id, kind_for(t.office_id), t.report_year, t.due): t for t in terms}
    rows: dict[tuple[int, str, int, date], store.Deadline] = {}
    for d in await ext_store.extension_deadlines(db, due_from=since, chat_ids=chats):
        key = (d.chat_id, d.kind, d.report_year, d.due)
        if key not in wanted or key in rows:  # lifted, exempted, moved to another date (or a duplicate)
            await store.cancel_deadline(db, chat_id=d.chat_id, deadline_id=d.id, now=now)
            logger.info("chat %s: extension ladder %s (%s) cancelled", d.chat_id, d.id, d.kind)
            continue
        rows[key] = d
    todo: list[tuple[store.Deadline, ext_store.ExtensionTerm, bool]] = []
    for key, term in wanted.items():
        d, fresh = rows.get(key), False
        if d is None:
            d, fresh = await store.add_deadline(db, chat_id=term.chat_id, kind=key[1], due=term.due,
                                                title=title_for(term.office_name, term.report_year),
                                                report_year=term.report_year)
        if d.completed_at is None and d.cancelled_at is None:
            todo.append((d, term, fresh))
    live = await ext_store.live_ladders(db, deadline_ids=[d.id for d, _, _ in todo])
    sends: list[PlannedSend] = []
    for d, term, fresh in todo:
        if d.id in live:
            continue
        ladder, at = await chat_ladder(db, d.chat_id, config)
        sends.extend(extension_sends(d, term, ladder=ladder, at=at, now=now, config=config, fresh=fresh))
    return await store.plan(db, sends=sends)


async def _named_by_chat_reminder(db: Any, d: store.Deadline, office_kind: str, *, now: datetime,
                                  config: ReminderConfig) -> bool:
    """Whether the chat gets another deadline reminder today that names this office anyway (its own
    deadline of the same report year covering this kind of office)."""
    from bot.deadlines import stages
    from bot.deadlines.ticker import chat_township

    today = now.astimezone(config.tz).date()
    start = datetime.combine(today, time(0), tzinfo=config.tz)
    others = await ext_store.deadlines_reminding_between(db, chat_id=d.chat_id, start=start,
                                                         end=start + timedelta(days=1), exclude_deadline_id=d.id)
    township = None
    for other in others:
        if other.report_year != d.report_year or is_extension_kind(other.kind):
            continue
        if other.kind == KIND_CUSTOM:
            return True
        if stage := stages.office_kind_of(other.kind):
            if stage == office_kind:
                return True
            continue
        township = township or await chat_township(db, d.chat_id, config)
        kinds = office_kinds(other.kind, township)
        if kinds is None or office_kind in kinds:
            return True
    return False


async def compose(db: Any, d: store.Deadline, item: OutboxItem, *, now: datetime, config: ReminderConfig) -> Any:
    """The group reminder of an extension ladder row, or why none is sent (lifted, filed, named already)."""
    from bot.deadlines import nudges
    from bot.deadlines.ticker import Composed, RosterEntry, _deadline_parts, _owed

    office_id = office_of(d.kind)
    rows = await _owed(db, chat_id=d.chat_id, year=d.report_year, kinds=None) or []
    row = next((r for r in rows if r.office.id == office_id), None)
    if row is None or row.exempt or not row.extended or row.due != d.due:
        return Composed(None, "extension lifted")  # the next sync cancels the row
    if not row.missing and not row.failing:
        await store.complete_deadline(db, deadline_id=d.id, now=now, except_item=item.id)
        return Composed(None, "report arrived")
    if item.step == "check":
        return Composed(None, "not complete yet")
    await nudges.plan_nudges(db, d, office_ids=[row.office.id], now=now, config=config)
    if await _named_by_chat_reminder(db, d, row.office.kind or "其他", now=now, config=config):
        return Composed(None, "named in the chat's own reminder today")
    today = now.astimezone(config.tz).date()
    entry = RosterEntry(row.office.id, row.name, row.report.id if row.report is not None else None)
    missing, errors = ([entry], []) if row.missing else ([], [entry])
    return await _deadline_parts(db, d, title=d.title, today=today, total=1, missing=missing, errors=errors)
