"""Planning reminders into the database and sending the due ones exactly once.

``tick(db, send, now, worker_id)`` is what the JobQueue calls every 30 s in every process with
``NIANBAO_SCHEDULER=true``:

1. ``schedule`` makes sure every active chat has this cycle's statutory deadlines and their ladder rows in
   the outbox (idempotent: unique keys, INSERT … ON CONFLICT DO NOTHING).
2. Due rows are split by the pure planner :func:`bot.deadlines.ladder.due` into "send now" and "missed"
   (more than ``max_late`` late, e.g. the bot was down): missed rows are marked once and reported in the
   chat in one message.
3. Each row to send is claimed with a compare-and-set; only the winner composes the text (who has not
   submitted *now*), waits for a flood-control slot and calls ``send(chat_id, text)``.

``send`` is injected, so this module never imports Telegram: the handler translates Telegram's
Forbidden / ChatMigrated / RetryAfter into :class:`ChatGone` / :class:`ChatMoved` / :class:`RetryLater`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time as _time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.deadlines import escalation, extension_ladder, obligations, stages, texts
from bot.deadlines.config import (
    SETTING_LADDER,
    SETTING_TIME,
    ReminderConfig,
    parse_hhmm,
    parse_ladder,
)
from bot.deadlines.filing import due_plan, statutory_title
from bot.deadlines.ladder import (
    KIND_CUSTOM,
    current_statutory,
    due,
    ladder_steps,
    next_weekly,
    office_kinds,
)
from bot.deadlines.limiter import Limiter
from bot.deadlines.mentions import Part
from bot.deadlines.workdays import subtract_workdays, workdays_after
from storage import reminders as store
from storage.db import is_unavailable
from storage.reminders import OutboxItem, PlannedSend

logger = logging.getLogger(__name__)

#: ``send(chat_id, text)`` — or ``send(chat_id, text, entities=[…], buttons=[[…]])`` for a message that
#: mentions people or carries buttons (Bot API entity dicts; button rows of ``[label, callback_data]``).
Sender = Callable[..., Awaitable[Any]]


class ChatGone(Exception):
    """The bot can no longer write to the chat (removed, blocked): stop reminding it."""


class ChatMoved(Exception):
    """The group became a supergroup with a new id."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(new_chat_id)
        self.new_chat_id = new_chat_id


class RetryLater(Exception):
    """Flood limit hit: try again after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def default_worker_id() -> str:
    """host:pid:random — unique per process, readable in the outbox for diagnostics."""
    return f"{socket.gethostname()[:24]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def dead_on_this_host(owners: list[str]) -> list[str]:
    """Owners ``host:pid:tag`` (:func:`default_worker_id`) of this host whose process is gone (killed):
    what they held need not wait for its lease. Other hosts' owners are judged by their leases only."""
    host = socket.gethostname()[:24]
    dead = []
    for owner in owners:
        parts = owner.split(":")
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit() or int(parts[1]) == os.getpid():
            continue
        try:
            os.kill(int(parts[1]), 0)
        except ProcessLookupError:
            dead.append(owner)
        except (PermissionError, OverflowError, OSError):
            continue
    return dead


@dataclass
class TickReport:
    """What one tick did (counts), for logs, tests and the benchmark."""

    sent: int = 0
    missed: int = 0
    skipped: int = 0
    failed: int = 0
    lost: int = 0  # claimed by another process first
    resent: int = 0  # sent again after an attempt with an unknown outcome (「补发」)
    planned: int = 0
    errors: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- per-chat settings


async def _setting(db: Any, chat_id: int, key: str) -> Any:
    try:
        from storage import repo
    except ImportError:  # pragma: no cover - storage.repo is written in parallel
        return None
    try:
        return await repo.get_chat_setting(db, chat_id=chat_id, key=key, default=None)
    except Exception:  # a chat without a workspace row yet
        logger.debug("no setting %s for chat %s", key, chat_id, exc_info=True)
        return None


async def chat_ladder(db: Any, chat_id: int, config: ReminderConfig) -> tuple[tuple[int, ...], time]:
    """The chat's ladder days and send time (chat settings over process defaults)."""
    ladder, at = config.ladder, config.at
    raw = await _setting(db, chat_id, SETTING_LADDER)
    if raw:
        try:
            ladder = parse_ladder(str(raw))
        except ValueError:
            logger.warning("chat %s: bad reminder ladder %r ignored", chat_id, raw)
    raw = await _setting(db, chat_id, SETTING_TIME)
    if raw:
        try:
            at = parse_hhmm(str(raw))
        except ValueError:
            logger.warning("chat %s: bad reminder time %r ignored", chat_id, raw)
    return ladder, at


async def chat_township(db: Any, chat_id: int, config: ReminderConfig) -> str:
    """The chat's 街道/乡镇 deadline, else the process default (bot.deadlines.filing decides with it)."""
    from bot.deadlines.filing import chat_township as township

    return await township(db, chat_id, config.township_deadline)


# ---------------------------------------------------------------- planning

#: Statutory ladders are written to the outbox only this many days before their first point, so they are
#: planned with the holiday calendar of that year (chinese_calendar learns a year each November).
PLAN_HORIZON_DAYS = 7


def _utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC)


def deadline_sends(deadline: store.Deadline, *, ladder: tuple[int, ...], at: time, now: datetime,
                   config: ReminderConfig) -> list[PlannedSend]:
    """The ladder and overdue rows of one deadline (rows already past ``max_late`` are left out)."""
    return [
        PlannedSend(f"d:{deadline.id}:{s.step}:{s.day.isoformat()}", deadline.chat_id, "deadline", deadline.id,
                    s.step, _utc(s.fire_at))
        for s in ladder_steps(deadline.due, ladder=ladder, at=at, tz=config.tz, overdue_days=config.overdue_days)
        if now - s.fire_at <= config.max_late
    ]


async def plan_deadline(db: Any, deadline: store.Deadline, *, now: datetime, config: ReminderConfig) -> int:
    """Insert the ladder and overdue rows of one deadline; returns how many were new."""
    ladder, at = await chat_ladder(db, deadline.chat_id, config)
    return await store.plan(db, sends=deadline_sends(deadline, ladder=ladder, at=at, now=now, config=config))


async def replan_chat(db: Any, *, chat_id: int, now: datetime, config: ReminderConfig) -> int:
    """After a chat changed its ladder or time: drop unsent deadline rows and plan them again
    (deadlines not planned yet are left to :func:`schedule`)."""
    count = 0
    deadlines = await store.list_deadlines(db, chat_id=chat_id, due_from=now.astimezone(config.tz).date()
                                           - timedelta(days=config.overdue_days))
    planned = await store.planned_sources(db, source="deadline", source_ids=[d.id for d in deadlines])
    for d in deadlines:
        if d.completed_at is not None or d.id not in planned:
            continue
        await store.cancel_pending(db, source="deadline", source_id=d.id, now=now, reason="replanned")
        ladder, at = await chat_ladder(db, chat_id, config)
        sends = [
            PlannedSend(f"d:{d.id}:{s.step}:{s.day.isoformat()}:r{now.astimezone(UTC):%Y%m%d%H%M%S%f}",
                        chat_id, "deadline", d.id, s.step, _utc(s.fire_at))
            for s in ladder_steps(d.due, ladder=ladder, at=at, tz=config.tz, overdue_days=config.overdue_days)
            if s.fire_at > now
        ]
        count += await store.plan(db, sends=sends)
    return count


async def plan_custom(db: Any, reminder: store.CustomReminder, *, when: datetime) -> int:
    """One outbox row for a custom reminder at ``when`` (aware)."""
    return await store.plan(db, sends=[PlannedSend(
        f"c:{reminder.id}:{_utc(when).strftime('%Y%m%dT%H%M')}", reminder.chat_id, "custom", reminder.id,
        "weekly" if reminder.weekday is not None else "once", _utc(when))])


async def plan_application(db: Any, app: store.Application, *, now: datetime, config: ReminderConfig) -> int:
    """Rows for "N working days before the reply due date" (5 and 1 by default)."""
    sends = []
    for n in config.apply_warn_days:
        day = subtract_workdays(app.due, n)
        fire = datetime.combine(day, config.at, tzinfo=config.tz)
        if fire > now:
            sends.append(PlannedSend(f"a:{app.id}:{app.extensions}:-{n}", app.chat_id, "application", app.id,
                                     f"-{n}", _utc(fire)))
    return await store.plan(db, sends=sends)


async def schedule(db: Any, *, now: datetime, config: ReminderConfig, chats: list[int] | None = None) -> int:
    """Give every active chat (or just ``chats``) this cycle's statutory deadlines and plan the ones not
    planned yet; returns how many outbox rows were added."""
    if chats is None:
        from storage import repo

        chats = await repo.list_workspaces(db, active_only=True)
    if not chats:
        return 0
    today = now.astimezone(config.tz).date()
    specs = current_statutory(today, overdue_days=config.overdue_days)
    existing = await store.list_deadlines(db, due_from=min(s.due for s in specs), kinds=[s.kind for s in specs],
                                          include_cancelled=True, chat_id=chats[0] if len(chats) == 1 else None)
    have = {(d.chat_id, d.kind, d.due) for d in existing}
    missing = [{"chat_id": c, "kind": s.kind, "due": s.due, "title": s.title, "report_year": s.report_year}
               for c in chats for s in specs if (c, s.kind, s.due) not in have]
    if missing:
        await store.ensure_deadlines(db, rows=missing)
        for chat in sorted({m["chat_id"] for m in missing if m["chat_id"] < 0}):  # a new cycle: its stages too
            if await stages.chat_stages(db, chat):
                await stages.ensure_stage_deadlines(db, chat_id=chat, report_year=max(s.report_year for s in specs),
                                                    now=now, config=config)
        existing = await store.list_deadlines(db, due_from=min(s.due for s in specs), kinds=[s.kind for s in specs],
                                              chat_id=chats[0] if len(chats) == 1 else None)
    active = set(chats)
    candidates = [d for d in existing if d.chat_id in active and d.cancelled_at is None and d.completed_at is None
                  and any(d.due == s.due and d.kind == s.kind for s in specs)]
    planned = await store.planned_sources(db, source="deadline", source_ids=[d.id for d in candidates])
    sends: list[PlannedSend] = []
    ladders: dict[int, tuple[tuple[int, ...], time]] = {}
    for d in candidates:
        if d.chat_id > 0:  # private chats see the statutory dates in /deadline but get no group reminders
            continue
        if d.id in planned or (d.due - today).days > PLAN_HORIZON_DAYS + max(config.ladder):
            continue
        if d.chat_id not in ladders:
            ladders[d.chat_id] = await chat_ladder(db, d.chat_id, config)
        ladder, at = ladders[d.chat_id]
        if (d.due - today).days > PLAN_HORIZON_DAYS + max(ladder):
            continue  # planned later, when the holiday calendar surely knows that year
        sends.extend(deadline_sends(d, ladder=ladder, at=at, now=now, config=config))
    return await store.plan(db, sends=sends)  # one transaction for all chats


async def report_stored(db: Any, *, chat_id: int, year: int | None, now: datetime | None = None,
                        config: ReminderConfig | None = None) -> int:
    """Call after a report was stored: if it completes the roster of an open deadline, the chat gets the
    one "全部提交" message within a tick instead of at the next ladder day. Returns rows planned.

    Cheap and safe to call for every upload (a check that finds the roster incomplete sends nothing).
    """
    if year is None:
        return 0
    now = now or datetime.now(UTC)
    config = config or ReminderConfig()
    since = now.astimezone(config.tz).date() - timedelta(days=config.overdue_days)
    open_deadlines = [d for d in await store.list_deadlines(db, chat_id=chat_id, due_from=since)
                      if d.report_year == year and d.completed_at is None]
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
    return await store.plan(db, sends=[PlannedSend(f"d:{d.id}:check:{stamp}", chat_id, "deadline", d.id, "check", now)
                                       for d in open_deadlines])


# ---------------------------------------------------------------- composing


@dataclass(frozen=True)
class RosterEntry:
    """A roster office in a reminder: id (to find its contacts), the name shown, its current report id."""

    office_id: int
    name: str
    report_id: int | None = None


async def roster_progress(db: Any, *, chat_id: int, year: int, kinds: frozenset[str] | None,
                          today: date | None = None) -> tuple[int, list[RosterEntry], list[RosterEntry]] | None:
    """(offices that owe a report, offices without one, offices whose report has errors) for ``year``.

    What each office owes comes from :mod:`bot.deadlines.obligations`: an exempt office is not counted;
    an office on an extension that has not run out by ``today`` is not missing (the reminder names it
    apart). None when the chat has no roster at all (nothing to check against); (0, [], []) when it has
    a roster but no owing office of the kinds this deadline is about.
    """
    rows = await _owed(db, chat_id=chat_id, year=year, kinds=kinds)
    if rows is None:
        return None
    rows = [r for r in rows if not r.exempt]
    if not rows:
        return 0, [], []
    today = today or date.max
    missing = [RosterEntry(r.office.id, r.name) for r in rows if r.missing and not r.waiting(today)]
    errors = [RosterEntry(r.office.id, r.name, r.report.id) for r in rows if r.failing]
    return len(rows), missing, errors


async def _owed(db: Any, *, chat_id: int, year: int, kinds: frozenset[str] | None) -> list[obligations.Owed] | None:
    """What each roster office (of ``kinds``) owes for ``year``, with the chat's dates for that year."""
    plan = await due_plan(db, chat_id=chat_id, today=date(year + 1, 1, 1), year=year)
    return await obligations.owed(db, chat_id=chat_id, plan=plan, kinds=kinds)


async def must_fix_names(db: Any, *, chat_id: int, year: int, kinds: frozenset[str] | None) -> list[str]:
    """Roster offices (of ``kinds``) whose current report for ``year`` is 需整改 (storage.review)."""
    from bot.review import ReviewState
    from storage import repo, review

    roster = {o.id for o in await repo.roster(db, chat_id=chat_id) if kinds is None or o.kind in kinds}
    return [s.office.short_name or s.office.name for s in await review.review_status(db, chat_id=chat_id, year=year)
            if s.office.id in roster and s.state == ReviewState.MUST_FIX]


#: Per-chat setting (``/roster 点名 关``): False = reminders name offices only, nobody is mentioned.
SETTING_TAGGING = "tag_contacts"


async def _tagged(db: Any, chat_id: int, entries: list[RosterEntry], *, with_fix: bool
                  ) -> list[texts.Tagged]:
    """Each office with its contacts (storage/contacts.py) and, for errors, its first error finding."""
    from storage import contacts as people_store
    from storage import repo

    bound = await people_store.contacts_for(db, chat_id=chat_id, office_ids=[e.office_id for e in entries])
    out = []
    for e in entries:
        fix = ""
        if with_fix and e.report_id is not None:
            findings = await repo.report_findings(db, report_id=e.report_id)
            first = next((f for f in findings if f.severity == "error"), None)
            fix = f"{first.message}（{first.code}）" if first else ""
        people = tuple(bound.get(e.office_id, []))
        out.append(texts.Tagged(e.name, people, fix))
    return out


async def _deadline_parts(db: Any, d: store.Deadline, *, title: str, today: date, total: int,
                          missing: list[RosterEntry], errors: list[RosterEntry], must_fix: list[str] | None = None,
                          extended: list[RosterEntry] | None = None, late_extended: list[str] | None = None
                          ) -> Composed:
    """The group reminder: tagged (contacts mentioned, split into parts) when the chat has contacts for
    these offices and did not turn tagging off; otherwise the compact one-message list of names.
    ``extended`` are offices on a running extension, named 「鹿山（至2月5日）」 (their contacts are
    mentioned too: the office's own ladder day may be merged into this reminder)."""
    extended = extended or []
    plain = Composed(texts.deadline_text(title=title, due=d.due, today=today, report_year=d.report_year,
                                         total=total, missing=[e.name for e in missing],
                                         errors=[e.name for e in errors], must_fix=must_fix,
                                         extended=[e.name for e in extended], late_extended=late_extended))
    if await _setting(db, d.chat_id, SETTING_TAGGING) is False:
        return plain
    tagged_missing = await _tagged(db, d.chat_id, missing, with_fix=False)
    tagged_errors = await _tagged(db, d.chat_id, errors, with_fix=True)
    tagged_extended = await _tagged(db, d.chat_id, extended, with_fix=False)
    if not any(t.people for t in (*tagged_missing, *tagged_errors, *tagged_extended)):
        return plain
    parts = texts.tagged_deadline_parts(title=title, due=d.due, today=today, total=total,
                                        missing=tagged_missing, errors=tagged_errors, must_fix=must_fix,
                                        extended=tagged_extended, late_extended=late_extended)
    return Composed(parts[0].text, parts=parts)


@dataclass
class Composed:
    """The text to send for an outbox row, or why nothing is sent."""

    text: str | None
    skip_reason: str = ""
    #: messages with entities/buttons (bot/deadlines/mentions.py); several = one reminder in parts
    parts: list[Any] = field(default_factory=list)


async def compose(db: Any, item: OutboxItem, *, now: datetime, config: ReminderConfig) -> Composed:
    """Build the message for a claimed row from the state of the database *now*."""
    today = now.astimezone(config.tz).date()
    if item.source == "deadline":
        d = await store.get_deadline(db, deadline_id=item.source_id or 0)
        if d is None or d.cancelled_at is not None:
            return Composed(None, "deadline cancelled")
        if d.completed_at is not None:
            return Composed(None, "roster complete")
        if extension_ladder.is_extension_kind(d.kind):  # one office's own ladder (/deadline 鹿山 延期至 …)
            return await extension_ladder.compose(db, d, item, now=now, config=config)
        township = await chat_township(db, d.chat_id, config)
        kinds = office_kinds(d.kind, township) if d.kind != KIND_CUSTOM else None
        title = statutory_title(d.kind, d.report_year, township) if kinds is not None else d.title
        if stage := stages.office_kind_of(d.kind):  # a chat's internal stage: about that kind only
            kinds = frozenset({stage})
        progress = await roster_progress(db, chat_id=d.chat_id, year=d.report_year, kinds=kinds, today=today)
        if progress is None:
            return Composed(texts.deadline_text(title=title, due=d.due, today=today, report_year=d.report_year,
                                                total=None, missing=[], errors=[]))
        total, missing, errors = progress
        if total == 0:
            return Composed(None, "no roster office of this kind")
        everyone = await _owed(db, chat_id=d.chat_id, year=d.report_year, kinds=None) or []
        mine = [r for r in everyone if kinds is None or r.office.kind in kinds]
        waiting = [r for r in mine if r.waiting(today)]
        extended = [RosterEntry(r.office.id, f"{r.name}（至{obligations.md(r.due)}）") for r in waiting]
        # offices of other kinds whose extension ran out without a report stay 逾期 in every reminder
        # (after their own overdue week, whose reminders name them already)
        late_extended = obligations.late_extended_names([r for r in everyone if r not in mine], today,
                                                        after_days=config.overdue_days)
        # after the deadline, offices whose confirmed findings are not fixed yet are named (issue 21)
        must_fix = await must_fix_names(db, chat_id=d.chat_id, year=d.report_year, kinds=kinds) \
            if d.due < today else []
        if not missing and not errors and not must_fix and not extended:
            if await store.complete_deadline(db, deadline_id=d.id, now=now, except_item=item.id):
                return Composed(texts.complete_text(title=title, report_year=d.report_year, total=total))
            return Composed(None, "roster complete")
        if item.step == "check":  # a completion check after an upload: silent unless complete
            return Composed(None, "not complete yet")
        from bot.deadlines import nudges

        # the contacts who started the bot in private get their own nudge (idempotent per day); an office
        # on an extension is nudged by its own ladder (bot/deadlines/extension_ladder.py), not twice
        own_ladder = {r.office.id for r in mine if r.extended}
        await nudges.plan_nudges(db, d, office_ids=[e.office_id for e in (*missing, *errors)
                                                    if e.office_id not in own_ladder], now=now, config=config)
        return await _deadline_parts(db, d, title=title, today=today, total=total, missing=missing,
                                     errors=errors, must_fix=must_fix, extended=extended,
                                     late_extended=late_extended)
    if item.source == "nudge":
        from bot.deadlines import nudges

        return await nudges.compose_nudge(db, item, now=now, config=config)
    if item.source == "custom":
        r = await store.get_custom(db, reminder_id=item.source_id or 0)
        if r is None or r.cancelled_at is not None:
            return Composed(None, "reminder cancelled")
        return Composed(texts.custom_text(r.text))
    if item.source == "application":
        a = await store.get_application_by_id(db, application_id=item.source_id or 0)
        if a is None or a.closed_at is not None:
            return Composed(None, "application closed")
        left = len(workdays_after(today, a.due))
        return Composed(texts.application_text(seq=a.seq, summary=a.summary, received=a.received, due=a.due,
                                               workdays_left=left))
    if item.source == escalation.SOURCE:
        text = await escalation.compose(db, item, today=today)
        return Composed(text, "" if text else "nothing to escalate")
    if item.source == "missed":
        taken = await store.take_missed(db, chat_id=item.chat_id, now=now)
        if not taken:
            return Composed(None, "nothing missed")
        return Composed(texts.missed_text([await describe(db, t, config=config) for t in taken]))
    return Composed(None, f"unknown source {item.source}")


async def describe(db: Any, item: OutboxItem, *, config: ReminderConfig) -> str:
    """A one-line description of a (missed) outbox row."""
    at = item.due_at.astimezone(config.tz).strftime("%m月%d日 %H:%M")
    if item.source == "deadline":
        d = await store.get_deadline(db, deadline_id=item.source_id or 0)
        return f"{at} 截止提醒：{d.title if d else ''}"
    if item.source == "custom":
        r = await store.get_custom(db, reminder_id=item.source_id or 0)
        return f"{at} 提醒：{r.text if r else ''}"
    if item.source == "application":
        a = await store.get_application_by_id(db, application_id=item.source_id or 0)
        return f"{at} 第{a.seq if a else '?'}号申请答复提醒"
    if item.source == escalation.SOURCE:
        return f"{at} 下级群逾期汇总"
    return at


# ---------------------------------------------------------------- sending


async def _after_custom(db: Any, item: OutboxItem, *, now: datetime, config: ReminderConfig) -> None:
    """A weekly reminder plans its next occurrence once this one is sent or missed."""
    if item.source != "custom" or item.step != "weekly":
        return
    r = await store.get_custom(db, reminder_id=item.source_id or 0)
    if r is None or r.weekday is None or r.cancelled_at is not None:
        return
    nxt = next_weekly(max(now, item.due_at), weekday=r.weekday, at=parse_hhmm(r.at_time), tz=config.tz)
    await plan_custom(db, r, when=nxt)


async def _on_chat_gone(db: Any, chat_id: int, now: datetime) -> None:
    await store.cancel_chat(db, chat_id=chat_id, now=now, reason="chat gone (bot removed)")
    try:
        from storage import repo

        await repo.set_chat_active(db, chat_id=chat_id, active=False)
    except Exception:
        logger.exception("could not mark chat %s inactive", chat_id)


async def _on_chat_moved(db: Any, old: int, new: int) -> None:
    from storage import obligations as links

    await store.migrate_chat(db, old_chat_id=old, new_chat_id=new)
    await links.migrate_chat(db, old_chat_id=old, new_chat_id=new)
    try:
        from storage import repo

        await repo.migrate_chat(db, old_chat_id=old, new_chat_id=new)
    except Exception:
        logger.exception("could not migrate chat %s → %s", old, new)


#: Mark-sent retries after a send reached Telegram: pauses in seconds (~30 s in all, inside the lease).
MARK_RETRIES = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
RESEND_PREFIX = "【补发】"

#: Sends that reached Telegram but could not be recorded yet (database away): recorded first next tick.
_unrecorded: list[dict[str, Any]] = []


async def _record_sent(db: Any, **mark: Any) -> bool:
    """Mark a send right after Telegram answered, retrying while the database is away.

    Telegram has no idempotency key: a send that is not recorded is sent again (「补发」) when its lease
    runs out. The retries cover a short outage inside the lease; after them the mark waits in memory
    and the next tick writes it before it sends anything.
    """
    for pause in (*MARK_RETRIES, None):
        try:
            return await store.mark_sent(db, **mark)
        except Exception as exc:
            if pause is None:
                logger.warning("reminder %s sent but not recorded yet (%s); kept for the next tick",
                               mark.get("item_id"), exc.__class__.__name__)
                _unrecorded.append(mark)
                return False
            await asyncio.sleep(pause)
    return False


async def _flush_unrecorded(db: Any) -> None:
    """Write the sent-marks a database outage held back (before this tick claims anything)."""
    while _unrecorded:
        mark = _unrecorded[0]
        await store.mark_sent(db, **mark)  # raises while the database is still away: the tick waits
        _unrecorded.pop(0)
        logger.info("reminder %s: sent-mark recorded after the outage", mark.get("item_id"))


async def _heartbeat(db: Any, item_id: int, worker_id: str, config: ReminderConfig, started: float,
                     now: datetime) -> None:
    """Keep the claim alive while the send is in flight (flood-control waits can be long)."""
    beat = max(config.lease.total_seconds() / 3, 1.0)
    while True:
        await asyncio.sleep(beat)
        with contextlib.suppress(Exception):
            await store.extend_claim(db, item_id=item_id, worker_id=worker_id,
                                     lease_until=_at(now, started) + config.lease)


def _at(now: datetime, started: float) -> datetime:
    """``now`` of the tick plus the time elapsed since (a tick may pace its sends for minutes)."""
    return now + timedelta(seconds=_time.monotonic() - started)


async def deliver(db: Any, item: OutboxItem, send: Sender, *, now: datetime, worker_id: str,
                  config: ReminderConfig, limiter: Limiter, report: TickReport, started: float | None = None) -> None:
    """Pace, claim one row, compose and send it; record the outcome. Never raises.

    The flood-control wait comes *before* the claim, and the claim's lease is kept alive by a heartbeat
    while the send is in flight, so a live sender never loses its row. The send is recorded right after
    Telegram answers (retried); a row whose earlier attempt has an unknown outcome is sent again with
    「补发」 in front (docs/REMINDERS.md states the guarantee).
    """
    started = _time.monotonic() if started is None else started
    heartbeat: asyncio.Task[None] | None = None
    try:
        await limiter.acquire(item.chat_id)
        claimed_at = _at(now, started)
        claim = await store.claim_send(db, item_id=item.id, worker_id=worker_id, now=claimed_at,
                                       lease_until=claimed_at + config.lease)
        if claim is None:
            report.lost += 1
            return
        composed = await compose(db, item, now=now, config=config)
        if composed.text is None:
            await store.mark_sent(db, item_id=item.id, worker_id=worker_id, now=now,
                                  result=f"skipped: {composed.skip_reason}")
            report.skipped += 1
            await _after_custom(db, item, now=now, config=config)
            return
        parts = composed.parts or [Part(composed.text)]
        heartbeat = asyncio.ensure_future(_heartbeat(db, item.id, worker_id, config, started, now))
        if len(parts) > 1 or (item.source == "deadline" and await _has_stored_parts(db, item.id)):
            if await _deliver_parts(db, item, send, parts, worker_id=worker_id, limiter=limiter, report=report,
                                    claim=claim):
                heartbeat.cancel()
                await _record_sent(db, item_id=item.id, worker_id=worker_id, now=now, message_id=None)
                report.sent += 1
            return
        part = parts[0]
        if claim == "resend":
            part = part.shifted(RESEND_PREFIX)
            report.resent += 1
            logger.info("reminder %s: earlier attempt unrecorded; re-sent as 「补发」", item.id)
        if not await store.mark_sending(db, item_id=item.id, worker_id=worker_id):
            report.lost += 1  # the lease ran out before we could send: another process has it now
            return
        result, _ = await _send_following(db, send, item.chat_id, part, limiter)
        message_id = getattr(result, "message_id", result if isinstance(result, int) else None)
        heartbeat.cancel()
        await _record_sent(db, item_id=item.id, worker_id=worker_id, now=now, message_id=message_id)
        report.sent += 1
        await _after_custom(db, item, now=now, config=config)
    except ChatGone:
        report.failed += 1
        if item.source == "nudge":  # the contact blocked the bot: no more private nudges until /start
            from storage import contacts as people_store

            logger.info("user %s blocked the bot; private nudges stop", item.chat_id)
            await people_store.opt_out(db, user_id=item.chat_id, now=now)
            await store.cancel_chat(db, chat_id=item.chat_id, now=now, reason="user blocked the bot")
            return
        logger.info("chat %s is gone; its reminders are cancelled", item.chat_id)
        await _on_chat_gone(db, item.chat_id, now)
    except RetryLater as exc:
        await store.release(db, item_id=item.id, worker_id=worker_id,
                            retry_at=now + timedelta(seconds=exc.seconds + 1), result=f"retry after {exc.seconds}s")
        report.failed += 1
    except Exception as exc:  # network trouble etc.: retry after a pause, until it becomes "missed"
        logger.warning("reminder %s to chat %s failed: %r", item.id, item.chat_id, exc)
        report.errors.append(f"{item.id}: {exc!r}")
        report.failed += 1
        # a timeout may have reached Telegram: keep "sending" in the result so a retry says 「补发」
        outcome = f"{store.SENDING}? {exc!r}" if _maybe_delivered(exc) else f"error: {exc!r}"
        try:
            await store.release(db, item_id=item.id, worker_id=worker_id,
                                retry_at=_at(now, started) + config.retry_after, result=outcome)
        except Exception as release_error:  # database away: the lease runs out instead
            logger.warning("could not release reminder %s (%r)", item.id, release_error)
    finally:
        if heartbeat is not None:
            heartbeat.cancel()


async def _has_stored_parts(db: Any, item_id: int) -> bool:
    """Whether an earlier attempt of this row began sending it in parts (then the same parts continue)."""
    from storage import reminder_parts as parts_store

    return bool(await parts_store.parts_of(db, outbox_id=item_id))


async def _send_part(send: Sender, chat_id: int, part: Part) -> Any:
    """Call the injected sender; entities and buttons only when the part has them (plain senders keep
    their two-argument form)."""
    if part.entities or part.buttons:
        return await send(chat_id, part.text, entities=part.entities, buttons=part.buttons)
    return await send(chat_id, part.text)


async def _send_following(db: Any, send: Sender, chat_id: int, part: Part, limiter: Limiter) -> tuple[Any, int]:
    """Send one message, following the group once if it became a supergroup; returns (result, chat id)."""
    for attempt in range(2):
        if attempt:
            await limiter.acquire(chat_id)
        try:
            return await _send_part(send, chat_id, part), chat_id
        except ChatMoved as moved:
            await _on_chat_moved(db, chat_id, moved.new_chat_id)
            chat_id = moved.new_chat_id
    raise RuntimeError("chat moved twice")


async def _deliver_parts(db: Any, item: OutboxItem, send: Sender, parts: list[Part], *, worker_id: str,
                         limiter: Limiter, report: TickReport, claim: str) -> bool:
    """Send a reminder split into parts, each exactly once (storage/reminder_parts.py).

    The parts are stored the first time (a retry sends the same ones); each part is marked ``sending``
    before and ``sent`` after its request, so a crash between parts resumes with the next part, and only
    a part whose outcome is unknown is sent again, with 【补发】. False when this worker lost the row.
    """
    from storage import reminder_parts as parts_store

    stored = await parts_store.parts_of(db, outbox_id=item.id)
    if not stored:
        await parts_store.store_parts(db, outbox_id=item.id, parts=[(p.text, p.entities, p.buttons) for p in parts])
        stored = await parts_store.parts_of(db, outbox_id=item.id)
    if not await store.mark_sending(db, item_id=item.id, worker_id=worker_id):
        report.lost += 1
        return False
    chat_id, first = item.chat_id, True
    for stored_part in stored:
        if stored_part.sent_at is not None:
            continue
        part = Part(stored_part.text, stored_part.entities, stored_part.buttons)
        if stored_part.result == parts_store.SENDING and claim == "resend":
            part = part.shifted(RESEND_PREFIX)
            report.resent += 1
        if not first:
            await limiter.acquire(chat_id)
        first = False
        await parts_store.mark_part_sending(db, outbox_id=item.id, idx=stored_part.idx)
        try:
            result, chat_id = await _send_following(db, send, chat_id, part, limiter)
        except Exception as exc:
            if not _maybe_delivered(exc):  # surely not delivered: the retry need not say 【补发】
                await parts_store.mark_part_unsent(db, outbox_id=item.id, idx=stored_part.idx)
            raise
        message_id = getattr(result, "message_id", result if isinstance(result, int) else None)
        await parts_store.mark_part_sent(db, outbox_id=item.id, idx=stored_part.idx, message_id=message_id)
    return True


def _maybe_delivered(exc: BaseException) -> bool:
    """Whether a failed send may still have reached Telegram (a timeout, a dropped connection)."""
    name = type(exc).__name__
    return name in ("TimedOut", "NetworkError", "TimeoutError", "ReadTimeout", "RemoteProtocolError")


async def reconcile(db: Any, *, now: datetime | None = None) -> int:
    """On start: rows being sent by a process of this host that is no longer running are released now
    (re-sent with 「补发」 on the next tick) instead of waiting for their lease. Returns how many."""
    now = now or datetime.now(UTC)
    claims = await store.live_sending_claims(db, now=now)
    gone = set(dead_on_this_host([owner for _, owner in claims]))
    dead = [item_id for item_id, owner in claims if owner in gone]
    count = await store.expire_claims(db, item_ids=dead, now=now)
    if count:
        logger.warning("reminders: %d send(s) of a stopped process on this host will be re-sent (「补发」)", count)
    return count


_default_limiter: Limiter | None = None
_reconciled = False


def shared_limiter(config: ReminderConfig) -> Limiter:
    """One limiter per process, so consecutive ticks share their pacing state."""
    global _default_limiter
    if _default_limiter is None:
        _default_limiter = Limiter(per_group_per_minute=config.per_group_per_minute, per_second=config.per_second)
    return _default_limiter


def _concurrency(db: Any, config: ReminderConfig) -> int:
    url = getattr(db, "url", None)
    if getattr(db, "is_sqlite", False) and getattr(url, "database", None) in (None, "", ":memory:"):
        return 1  # one shared in-memory connection: transactions cannot overlap
    return max(1, config.concurrency)


async def tick(db: Any, send: Sender, now: datetime | None = None, worker_id: str | None = None, *,
               config: ReminderConfig | None = None, limiter: Limiter | None = None,
               plan: bool = True) -> TickReport:
    """Plan, then send every due reminder exactly once (across processes); returns counts.

    ``now`` defaults to the current time (aware); ``send(chat_id, text)`` may return a message id or an
    object with ``message_id``. Safe to call concurrently from several processes on one database.
    """
    config = config or ReminderConfig()
    now = now or datetime.now(UTC)
    worker_id = worker_id or default_worker_id()
    limiter = limiter or shared_limiter(config)
    report = TickReport()
    started = _time.monotonic()
    await _flush_unrecorded(db)
    global _reconciled
    if not _reconciled:
        _reconciled = True
        try:
            await reconcile(db, now=now)
        except Exception as exc:  # never let the check stop the sends
            logger.warning("reminders: reconcile on start failed (%r)", exc)
    if plan:
        try:
            report.planned = await schedule(db, now=now, config=config)
        except Exception as exc:
            if is_unavailable(exc):  # an outage is one line per tick, not a traceback
                logger.warning("planning statutory deadlines failed: database unavailable")
            else:
                logger.exception("planning statutory deadlines failed")
            report.errors.append(f"schedule: {exc!r}")
        try:  # each running extension's own ladder (bot/deadlines/extension_ladder.py)
            report.planned += await extension_ladder.sync(db, now=now, config=config)
        except Exception as exc:
            if is_unavailable(exc):
                logger.warning("planning extension ladders failed: database unavailable")
            else:
                logger.exception("planning extension ladders failed")
            report.errors.append(f"extension ladders: {exc!r}")
        try:
            report.planned += await escalation.plan_escalations(db, now=now, config=config)
        except Exception as exc:
            logger.warning("planning escalations failed (%r)", exc)
            report.errors.append(f"escalations: {exc!r}")

    to_send, to_miss = due(await store.pending_due(db, now=now), now, max_late=config.max_late)
    missed_chats: set[int] = set()
    for item in to_miss:
        if await store.mark_missed(db, item_id=item.id, now=now):
            report.missed += 1
            if item.source not in ("missed", "nudge"):  # a missed private nudge is not announced
                missed_chats.add(item.chat_id)
            await _after_custom(db, item, now=now, config=config)
    if missed_chats:
        stamp = now.strftime("%Y%m%dT%H%M")
        await store.plan(db, sends=[PlannedSend(f"m:{c}:{stamp}", c, "missed", None, "missed", now)
                                    for c in sorted(missed_chats)])
        to_send = [i for i in await store.pending_due(db, now=now)
                   if now - i.due_at <= config.max_late]

    semaphore = asyncio.Semaphore(_concurrency(db, config))

    async def _one(item: OutboxItem) -> None:
        async with semaphore:
            await deliver(db, item, send, now=now, worker_id=worker_id, config=config, limiter=limiter,
                          report=report, started=started)

    await asyncio.gather(*(_one(i) for i in to_send))
    # private nudges planned by the group reminders just sent go out in the same tick (bot/deadlines/nudges.py)
    if any(i.source == "deadline" for i in to_send):
        done = {i.id for i in to_send}
        followups = [i for i in await store.pending_due(db, now=now) if i.source == "nudge" and i.id not in done]
        await asyncio.gather(*(_one(i) for i in followups))
    if report.sent or report.missed or report.failed:
        logger.info("reminder tick: %s", report)
    return report


def today_in(config: ReminderConfig, now: datetime | None = None) -> date:
    """The local date in the reminder time zone."""
    return (now or datetime.now(UTC)).astimezone(config.tz).date()
