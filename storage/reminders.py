"""Reminder tables and queries: deadlines, custom reminders, application clocks and the send outbox.

Every reminder that will ever be sent is first a row in ``reminder_outbox`` with its ``due_at`` (UTC) and a
unique ``key``, so a restart loses nothing and planning twice inserts nothing twice. Sending is guarded by a
compare-and-set claim (``claim``): only the process whose UPDATE changed exactly one row may send, and
``sent_at`` is written afterwards. That is safe with several processes on one PostgreSQL (and on SQLite).

All functions are ``async``, take ``db`` first and keyword arguments after, and return plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Integer,
    String,
    Text,
    UniqueConstraint,
    case,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, SQLModel

from storage.models import UTCDateTime


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(nullable: bool = True, **kw: Any) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, **kw))


class DeadlineRow(SQLModel, table=True):
    """A deadline a chat is reminded of: statutory (``dept``/``gov``) or the chat's own (``custom``)."""

    __tablename__ = "deadline"
    __table_args__ = (UniqueConstraint("chat_id", "kind", "due", "title", name="uq_deadline_chat_kind_due"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    due: date = Field(sa_column=Column(Date, nullable=False))
    title: str = Field(sa_column=Column(String(255), nullable=False))
    report_year: int = Field(sa_column=Column(Integer, nullable=False))
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime | None = _ts()
    completed_at: datetime | None = _ts()
    cancelled_at: datetime | None = _ts()


class CustomReminderRow(SQLModel, table=True):
    """A reminder set with /remind: once, or weekly on ``weekday`` (0 = Monday) at ``at_time``."""

    __tablename__ = "custom_reminder"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    text: str = Field(sa_column=Column(Text, nullable=False))
    weekday: int | None = Field(default=None, sa_column=Column(Integer))
    at_time: str = Field(sa_column=Column(String(5), nullable=False))
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime | None = _ts()
    cancelled_at: datetime | None = _ts()


class ApplicationRow(SQLModel, table=True):
    """An incoming 依申请公开 request and its statutory reply clock (条例 第三十三条)."""

    __tablename__ = "info_application"
    __table_args__ = (UniqueConstraint("chat_id", "seq", name="uq_info_application_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    seq: int = Field(sa_column=Column(Integer, nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    received: date = Field(sa_column=Column(Date, nullable=False))
    due: date = Field(sa_column=Column(Date, nullable=False))
    extensions: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime | None = _ts()
    closed_at: datetime | None = _ts()


class OutboxRow(SQLModel, table=True):
    """One message to send at ``due_at``; claimed, then sent, missed or cancelled exactly once."""

    __tablename__ = "reminder_outbox"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(128), nullable=False, unique=True))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    source: str = Field(sa_column=Column(String(16), nullable=False))
    source_id: int | None = Field(default=None, sa_column=Column(Integer, index=True))
    step: str = Field(default="", sa_column=Column(String(32), nullable=False))
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    claimed_by: str | None = Field(default=None, sa_column=Column(String(64)))
    claimed_until: datetime | None = _ts()
    sent_at: datetime | None = _ts()
    missed_at: datetime | None = _ts()
    missed_reported_at: datetime | None = _ts()
    cancelled_at: datetime | None = _ts()
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    result: str | None = Field(default=None, sa_column=Column(String(255)))


DEADLINE = DeadlineRow.__table__
CUSTOM = CustomReminderRow.__table__
APPLICATION = ApplicationRow.__table__
OUTBOX = OutboxRow.__table__


# ---------------------------------------------------------------- dataclasses returned to callers


@dataclass(frozen=True)
class Deadline:
    id: int
    chat_id: int
    kind: str
    due: date
    title: str
    report_year: int
    completed_at: datetime | None
    cancelled_at: datetime | None


@dataclass(frozen=True)
class CustomReminder:
    id: int
    chat_id: int
    text: str
    weekday: int | None
    at_time: str
    cancelled_at: datetime | None
    next_due_at: datetime | None = None


@dataclass(frozen=True)
class Application:
    id: int
    chat_id: int
    seq: int
    summary: str
    received: date
    due: date
    extensions: int
    closed_at: datetime | None


@dataclass(frozen=True)
class OutboxItem:
    id: int
    key: str
    chat_id: int
    source: str
    source_id: int | None
    step: str
    due_at: datetime


@dataclass(frozen=True)
class PlannedSend:
    """A row to insert into the outbox (planning output)."""

    key: str
    chat_id: int
    source: str
    source_id: int | None
    step: str
    due_at: datetime


def _deadline(row: Any) -> Deadline:
    return Deadline(row.id, row.chat_id, row.kind, row.due, row.title, row.report_year, row.completed_at,
                    row.cancelled_at)


def _custom(row: Any, next_due: datetime | None = None) -> CustomReminder:
    return CustomReminder(row.id, row.chat_id, row.text, row.weekday, row.at_time, row.cancelled_at, next_due)


def _application(row: Any) -> Application:
    return Application(row.id, row.chat_id, row.seq, row.summary, row.received, row.due, row.extensions,
                       row.closed_at)


def _item(row: Any) -> OutboxItem:
    due_at = row.due_at if row.due_at.tzinfo else row.due_at.replace(tzinfo=UTC)
    return OutboxItem(row.id, row.key, row.chat_id, row.source, row.source_id, row.step, due_at)


def _insert_ignore(dialect: str, table: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING for both supported databases."""
    if dialect == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return sqlite_insert(table).on_conflict_do_nothing()


# ---------------------------------------------------------------- deadlines


async def ensure_deadlines(db: Any, *, rows: Iterable[dict[str, Any]]) -> None:
    """Insert deadlines that do not exist yet (chat_id, kind, due, title, report_year); idempotent."""
    values = [{**r, "created_at": _utcnow()} for r in rows]
    if not values:
        return
    async with db.connect(write=True) as conn:
        await conn.execute(_insert_ignore(db.dialect, DEADLINE), values)


async def add_deadline(db: Any, *, chat_id: int, kind: str, due: date, title: str, report_year: int,
                       created_by: int | None = None) -> tuple[Deadline, bool]:
    """Add a deadline; returns it and whether it is new (False: the same one existed already)."""
    async with db.connect(write=True) as conn:
        inserted = (await conn.execute(
            _insert_ignore(db.dialect, DEADLINE).returning(DEADLINE.c.id),
            {"chat_id": chat_id, "kind": kind, "due": due, "title": title, "report_year": report_year,
             "created_by": created_by, "created_at": _utcnow()},
        )).first()
        row = (await conn.execute(select(DEADLINE).where(
            DEADLINE.c.chat_id == chat_id, DEADLINE.c.kind == kind, DEADLINE.c.due == due,
            DEADLINE.c.title == title))).one()
        if row.cancelled_at is not None:  # re-adding a cancelled deadline revives it
            await conn.execute(update(DEADLINE).where(DEADLINE.c.id == row.id).values(cancelled_at=None))
            row = (await conn.execute(select(DEADLINE).where(DEADLINE.c.id == row.id))).one()
            return _deadline(row), True
    return _deadline(row), inserted is not None


async def get_deadline(db: Any, *, deadline_id: int) -> Deadline | None:
    async with db.connect() as conn:
        row = (await conn.execute(select(DEADLINE).where(DEADLINE.c.id == deadline_id))).first()
    return _deadline(row) if row else None


async def list_deadlines(db: Any, *, chat_id: int | None = None, due_from: date | None = None,
                         kinds: Iterable[str] | None = None, include_cancelled: bool = False) -> list[Deadline]:
    """Deadlines ordered by due date (``chat_id=None``: every chat)."""
    q = select(DEADLINE)
    if chat_id is not None:
        q = q.where(DEADLINE.c.chat_id == chat_id)
    if due_from is not None:
        q = q.where(DEADLINE.c.due >= due_from)
    if kinds is not None:
        q = q.where(DEADLINE.c.kind.in_(list(kinds)))
    if not include_cancelled:
        q = q.where(DEADLINE.c.cancelled_at.is_(None))
    async with db.connect() as conn:
        rows = (await conn.execute(q.order_by(DEADLINE.c.due, DEADLINE.c.id))).all()
    return [_deadline(r) for r in rows]


async def complete_deadline(db: Any, *, deadline_id: int, now: datetime, except_item: int | None = None) -> bool:
    """Mark a deadline complete (roster done) once; True only for the caller that did it.

    Pending sends of the deadline are cancelled in the same transaction, so no reminder follows the
    "全部提交" message.
    """
    async with db.connect(write=True) as conn:
        res = await conn.execute(update(DEADLINE).where(
            DEADLINE.c.id == deadline_id, DEADLINE.c.completed_at.is_(None)).values(completed_at=now))
        if res.rowcount != 1:
            return False
        await conn.execute(update(OUTBOX).where(
            OUTBOX.c.source == "deadline", OUTBOX.c.source_id == deadline_id, OUTBOX.c.sent_at.is_(None),
            OUTBOX.c.missed_at.is_(None), OUTBOX.c.cancelled_at.is_(None), OUTBOX.c.id != (except_item or -1),
        ).values(cancelled_at=now, result="roster complete"))
    return True


async def cancel_deadline(db: Any, *, chat_id: int, deadline_id: int, now: datetime) -> bool:
    """Cancel a chat's deadline and its pending sends; False when no such open deadline."""
    return await _cancel_with_sends(db, DEADLINE, "deadline", chat_id=chat_id, row_id=deadline_id, now=now)


async def _cancel_with_sends(db: Any, table: Any, source: str, *, chat_id: int, row_id: int, now: datetime) -> bool:
    """Cancel one open row of ``table`` in ``chat_id`` and its pending outbox sends, in one transaction."""
    async with db.connect(write=True) as conn:
        res = await conn.execute(update(table).where(
            table.c.id == row_id, table.c.chat_id == chat_id, table.c.cancelled_at.is_(None),
        ).values(cancelled_at=now))
        if res.rowcount != 1:
            return False
        await _cancel_pending(conn, source, row_id, now)
    return True


async def _cancel_pending(conn: Any, source: str, source_id: int, now: datetime, reason: str = "cancelled") -> None:
    await conn.execute(update(OUTBOX).where(
        OUTBOX.c.source == source, OUTBOX.c.source_id == source_id, OUTBOX.c.sent_at.is_(None),
        OUTBOX.c.missed_at.is_(None), OUTBOX.c.cancelled_at.is_(None),
    ).values(cancelled_at=now, result=reason))


async def cancel_pending(db: Any, *, source: str, source_id: int, now: datetime, reason: str = "cancelled") -> None:
    """Cancel every unsent outbox row of one deadline/reminder/application (e.g. before re-planning)."""
    async with db.connect(write=True) as conn:
        await _cancel_pending(conn, source, source_id, now, reason)


async def planned_sources(db: Any, *, source: str, source_ids: Iterable[int]) -> set[int]:
    """Which of ``source_ids`` already have at least one outbox row (planned before)."""
    ids = list(source_ids)
    if not ids:
        return set()
    async with db.connect() as conn:
        rows = (await conn.execute(select(OUTBOX.c.source_id).where(
            OUTBOX.c.source == source, OUTBOX.c.source_id.in_(ids), OUTBOX.c.step != "check").distinct())).all()
    return {r[0] for r in rows}


# ---------------------------------------------------------------- custom reminders


async def add_custom(db: Any, *, chat_id: int, text: str, weekday: int | None, at_time: str,
                     created_by: int | None = None) -> CustomReminder:
    async with db.connect(write=True) as conn:
        res = await conn.execute(insert(CUSTOM).values(
            chat_id=chat_id, text=text, weekday=weekday, at_time=at_time, created_by=created_by,
            created_at=_utcnow()))
        row = (await conn.execute(select(CUSTOM).where(CUSTOM.c.id == res.inserted_primary_key[0]))).one()
    return _custom(row)


async def get_custom(db: Any, *, reminder_id: int) -> CustomReminder | None:
    async with db.connect() as conn:
        row = (await conn.execute(select(CUSTOM).where(CUSTOM.c.id == reminder_id))).first()
    return _custom(row) if row else None


async def list_custom(db: Any, *, chat_id: int) -> list[CustomReminder]:
    """The chat's active custom reminders that still have something to send, with their next time."""
    nxt = (select(OUTBOX.c.source_id, func.min(OUTBOX.c.due_at).label("next_due"))
           .where(OUTBOX.c.source == "custom", OUTBOX.c.sent_at.is_(None), OUTBOX.c.missed_at.is_(None),
                  OUTBOX.c.cancelled_at.is_(None))
           .group_by(OUTBOX.c.source_id).subquery())
    q = (select(CUSTOM, nxt.c.next_due).join(nxt, nxt.c.source_id == CUSTOM.c.id)
         .where(CUSTOM.c.chat_id == chat_id, CUSTOM.c.cancelled_at.is_(None))
         .order_by(nxt.c.next_due, CUSTOM.c.id))
    async with db.connect() as conn:
        rows = (await conn.execute(q)).all()
    out = []
    for r in rows:
        nd = r.next_due
        if isinstance(nd, str):  # SQLite aggregate loses the column type
            nd = datetime.fromisoformat(nd)
        if nd is not None and nd.tzinfo is None:
            nd = nd.replace(tzinfo=UTC)
        out.append(_custom(r, nd))
    return out


async def cancel_custom(db: Any, *, chat_id: int, reminder_id: int, now: datetime) -> bool:
    """Cancel a custom reminder (and its pending sends); False when not found in this chat."""
    return await _cancel_with_sends(db, CUSTOM, "custom", chat_id=chat_id, row_id=reminder_id, now=now)


# ---------------------------------------------------------------- applications


async def add_application(db: Any, *, chat_id: int, summary: str, received: date, due: date,
                          created_by: int | None = None) -> Application:
    """Log an application; ``seq`` is the chat's running number shown to users (1, 2, 3…)."""
    for _attempt in range(5):
        try:
            async with db.connect(write=True) as conn:
                seq = (await conn.execute(select(func.coalesce(func.max(APPLICATION.c.seq), 0))
                                          .where(APPLICATION.c.chat_id == chat_id))).scalar_one() + 1
                res = await conn.execute(insert(APPLICATION).values(
                    chat_id=chat_id, seq=seq, summary=summary, received=received, due=due, extensions=0,
                    created_by=created_by, created_at=_utcnow()))
                row = (await conn.execute(select(APPLICATION).where(
                    APPLICATION.c.id == res.inserted_primary_key[0]))).one()
            return _application(row)
        except Exception as exc:  # unique (chat_id, seq) race with another process: take the next number
            if "uq_info_application_seq" not in str(exc) and "UNIQUE" not in str(exc).upper():
                raise
    raise RuntimeError("could not allocate an application number")


async def get_application(db: Any, *, chat_id: int, seq: int) -> Application | None:
    async with db.connect() as conn:
        row = (await conn.execute(select(APPLICATION).where(
            APPLICATION.c.chat_id == chat_id, APPLICATION.c.seq == seq))).first()
    return _application(row) if row else None


async def get_application_by_id(db: Any, *, application_id: int) -> Application | None:
    async with db.connect() as conn:
        row = (await conn.execute(select(APPLICATION).where(APPLICATION.c.id == application_id))).first()
    return _application(row) if row else None


async def list_applications(db: Any, *, chat_id: int, open_only: bool = True) -> list[Application]:
    q = select(APPLICATION).where(APPLICATION.c.chat_id == chat_id)
    if open_only:
        q = q.where(APPLICATION.c.closed_at.is_(None))
    async with db.connect() as conn:
        rows = (await conn.execute(q.order_by(APPLICATION.c.due, APPLICATION.c.seq))).all()
    return [_application(r) for r in rows]


async def extend_application(db: Any, *, application_id: int, new_due: date, now: datetime) -> Application:
    """Move the due date (one extension) and cancel the pending reminders of the old due date."""
    async with db.connect(write=True) as conn:
        await conn.execute(update(APPLICATION).where(APPLICATION.c.id == application_id).values(
            due=new_due, extensions=APPLICATION.c.extensions + 1))
        await _cancel_pending(conn, "application", application_id, now, "extended")
        row = (await conn.execute(select(APPLICATION).where(APPLICATION.c.id == application_id))).one()
    return _application(row)


async def close_application(db: Any, *, chat_id: int, seq: int, now: datetime) -> bool:
    """Mark an application answered: no more reminders for it."""
    async with db.connect(write=True) as conn:
        row = (await conn.execute(select(APPLICATION.c.id).where(
            APPLICATION.c.chat_id == chat_id, APPLICATION.c.seq == seq, APPLICATION.c.closed_at.is_(None)))).first()
        if row is None:
            return False
        await conn.execute(update(APPLICATION).where(APPLICATION.c.id == row.id).values(closed_at=now))
        await _cancel_pending(conn, "application", row.id, now, "closed")
    return True


# ---------------------------------------------------------------- outbox


async def plan(db: Any, *, sends: Iterable[PlannedSend]) -> int:
    """Insert planned sends, ignoring keys that exist already; returns how many rows were new."""
    values = [{"key": s.key, "chat_id": s.chat_id, "source": s.source, "source_id": s.source_id,
               "step": s.step, "due_at": s.due_at} for s in sends]
    if not values:
        return 0
    added = 0
    async with db.connect(write=True) as conn:
        for start in range(0, len(values), 500):
            result = await conn.execute(_insert_ignore(db.dialect, OUTBOX).returning(OUTBOX.c.id),
                                        values[start:start + 500])
            added += len(result.all())
    return added


async def pending_due(db: Any, *, now: datetime, limit: int = 5000) -> list[OutboxItem]:
    """Unsent, unmissed, uncancelled rows with ``due_at <= now`` that nobody holds a live claim on."""
    q = (select(OUTBOX).where(
        OUTBOX.c.due_at <= now, OUTBOX.c.sent_at.is_(None), OUTBOX.c.missed_at.is_(None),
        OUTBOX.c.cancelled_at.is_(None),
        or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now),
    ).order_by(OUTBOX.c.due_at, OUTBOX.c.id).limit(limit))
    async with db.connect() as conn:
        rows = (await conn.execute(q)).all()
    return [_item(r) for r in rows]


async def claim(db: Any, *, item_id: int, worker_id: str, now: datetime, lease_until: datetime) -> bool:
    """Compare-and-set claim; True only when this worker now holds the row and may send it."""
    async with db.connect(write=True) as conn:
        res = await conn.execute(update(OUTBOX).where(
            OUTBOX.c.id == item_id, OUTBOX.c.sent_at.is_(None), OUTBOX.c.missed_at.is_(None),
            OUTBOX.c.cancelled_at.is_(None),
            or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now),
        ).values(claimed_by=worker_id, claimed_until=lease_until))
    return res.rowcount == 1


#: ``result`` while the HTTP request of a send is in flight; a claim that finds it still there knows the
#: previous attempt's outcome is unknown (its process died, or could not record the send) — a re-send
#: (「补发」). ``claimed`` / ``claimed?``: claimed, nothing sent yet (``?``: an earlier attempt is unknown).
SENDING = "sending"
CLAIMED = "claimed"
CLAIMED_AFTER_UNKNOWN = "claimed?"


async def claim_send(db: Any, *, item_id: int, worker_id: str, now: datetime, lease_until: datetime) -> str | None:
    """Claim a row to send it: ``None`` (someone else has it, or it is done), ``"first"``, or ``"resend"``
    when an earlier attempt may have reached Telegram without being recorded (the text says 「补发」).
    Call :func:`mark_sending` right before the HTTP request."""
    unknown = or_(OUTBOX.c.result.like(SENDING + "%"), OUTBOX.c.result == CLAIMED_AFTER_UNKNOWN)
    async with db.connect(write=True) as conn:
        row = (await conn.execute(update(OUTBOX).where(
            OUTBOX.c.id == item_id, OUTBOX.c.sent_at.is_(None), OUTBOX.c.missed_at.is_(None),
            OUTBOX.c.cancelled_at.is_(None),
            or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now),
        ).values(claimed_by=worker_id, claimed_until=lease_until,
                 result=case((unknown, CLAIMED_AFTER_UNKNOWN), else_=CLAIMED),
                 ).returning(OUTBOX.c.result))).first()
    if row is None:
        return None
    return "resend" if row.result == CLAIMED_AFTER_UNKNOWN else "first"


async def mark_sending(db: Any, *, item_id: int, worker_id: str) -> bool:
    """Record that the HTTP request is about to go out (False: this worker no longer holds the row)."""
    async with db.connect(write=True) as conn:
        res = await conn.execute(update(OUTBOX).where(
            OUTBOX.c.id == item_id, OUTBOX.c.claimed_by == worker_id, OUTBOX.c.sent_at.is_(None),
        ).values(result=SENDING))
    return res.rowcount == 1


async def extend_claim(db: Any, *, item_id: int, worker_id: str, lease_until: datetime) -> bool:
    """Heartbeat: keep this worker's claim while its send is still in flight (e.g. paced)."""
    async with db.connect(write=True) as conn:
        res = await conn.execute(update(OUTBOX).where(
            OUTBOX.c.id == item_id, OUTBOX.c.claimed_by == worker_id, OUTBOX.c.sent_at.is_(None),
        ).values(claimed_until=lease_until))
    return res.rowcount == 1


async def live_sending_claims(db: Any, *, now: datetime) -> list[tuple[int, str]]:
    """``(id, claimed_by)`` of rows being sent under a live lease (to reconcile a restart)."""
    async with db.connect() as conn:
        rows = (await conn.execute(select(OUTBOX.c.id, OUTBOX.c.claimed_by).where(
            OUTBOX.c.sent_at.is_(None), OUTBOX.c.claimed_until >= now,
            or_(OUTBOX.c.result.like(SENDING + "%"), OUTBOX.c.result.like(CLAIMED + "%"))))).all()
    return [(int(r.id), str(r.claimed_by)) for r in rows]


async def expire_claims(db: Any, *, item_ids: Iterable[int], now: datetime) -> int:
    """End the leases of rows whose sender is known dead, so they are re-sent (「补发」) now."""
    ids = list(item_ids)
    if not ids:
        return 0
    async with db.connect(write=True) as conn:
        res = await conn.execute(update(OUTBOX).where(OUTBOX.c.id.in_(ids), OUTBOX.c.sent_at.is_(None))
                                 .values(claimed_until=now))
    return res.rowcount


async def mark_sent(db: Any, *, item_id: int, worker_id: str, now: datetime, message_id: int | None = None,
                    result: str = "sent") -> bool:
    """Record the send (only by the claim holder); ``result`` says e.g. ``sent`` or ``skipped: …``."""
    async with db.connect(write=True) as conn:
        res = await conn.execute(update(OUTBOX).where(
            OUTBOX.c.id == item_id, OUTBOX.c.claimed_by == worker_id, OUTBOX.c.sent_at.is_(None),
        ).values(sent_at=now, message_id=message_id, result=result[:255]))
    return res.rowcount == 1


async def release(db: Any, *, item_id: int, worker_id: str, retry_at: datetime, result: str) -> None:
    """Give a claimed row back after a failed send; it may be retried after ``retry_at``."""
    async with db.connect(write=True) as conn:
        await conn.execute(update(OUTBOX).where(
            OUTBOX.c.id == item_id, OUTBOX.c.claimed_by == worker_id, OUTBOX.c.sent_at.is_(None),
        ).values(claimed_until=retry_at, result=result[:255]))


async def mark_missed(db: Any, *, item_id: int, now: datetime) -> bool:
    """Compare-and-set: mark a row missed (too late to send); True only for the process that did it."""
    async with db.connect(write=True) as conn:
        res = await conn.execute(update(OUTBOX).where(
            OUTBOX.c.id == item_id, OUTBOX.c.sent_at.is_(None), OUTBOX.c.missed_at.is_(None),
            OUTBOX.c.cancelled_at.is_(None),
            or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now),
        ).values(missed_at=now, result="missed"))
    return res.rowcount == 1


async def take_missed(db: Any, *, chat_id: int, now: datetime) -> list[OutboxItem]:
    """Missed rows of a chat not yet reported; marks them reported (CAS, so each is reported once)."""
    async with db.connect(write=True) as conn:
        rows = (await conn.execute(select(OUTBOX).where(
            OUTBOX.c.chat_id == chat_id, OUTBOX.c.missed_at.is_not(None),
            OUTBOX.c.missed_reported_at.is_(None), OUTBOX.c.source != "missed",
        ).order_by(OUTBOX.c.due_at))).all()
        taken = []
        for r in rows:
            res = await conn.execute(update(OUTBOX).where(
                OUTBOX.c.id == r.id, OUTBOX.c.missed_reported_at.is_(None)).values(missed_reported_at=now))
            if res.rowcount == 1:
                taken.append(_item(r))
    return taken


async def cancel_chat(db: Any, *, chat_id: int, now: datetime, reason: str) -> int:
    """Cancel every pending send of a chat (bot removed from the group); returns how many."""
    async with db.connect(write=True) as conn:
        res = await conn.execute(update(OUTBOX).where(
            OUTBOX.c.chat_id == chat_id, OUTBOX.c.sent_at.is_(None), OUTBOX.c.missed_at.is_(None),
            OUTBOX.c.cancelled_at.is_(None)).values(cancelled_at=now, result=reason[:255]))
    return int(res.rowcount or 0)


async def migrate_chat(db: Any, *, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: move its deadlines, reminders, applications and pending sends."""
    if old_chat_id == new_chat_id:
        return
    async with db.connect(write=True) as conn:
        # Deadlines planned for the new id already (a message arrived there first) give way to the old ones.
        old_keys = {(r.kind, r.due, r.title) for r in (await conn.execute(
            select(DEADLINE).where(DEADLINE.c.chat_id == old_chat_id))).all()}
        for r in (await conn.execute(select(DEADLINE).where(DEADLINE.c.chat_id == new_chat_id))).all():
            if (r.kind, r.due, r.title) in old_keys:
                await conn.execute(OUTBOX.delete().where(OUTBOX.c.source == "deadline", OUTBOX.c.source_id == r.id,
                                                         OUTBOX.c.sent_at.is_(None)))
                await conn.execute(DEADLINE.delete().where(DEADLINE.c.id == r.id))
        # Application numbers stay unique per chat: the new id's own ones (if any) go after the old ones.
        top = (await conn.execute(select(func.coalesce(func.max(APPLICATION.c.seq), 0))
                                  .where(APPLICATION.c.chat_id == old_chat_id))).scalar_one()
        if top:
            await conn.execute(update(APPLICATION).where(APPLICATION.c.chat_id == new_chat_id)
                               .values(seq=APPLICATION.c.seq + top))
        for table in (DEADLINE, CUSTOM, APPLICATION, OUTBOX):
            await conn.execute(update(table).where(table.c.chat_id == old_chat_id).values(chat_id=new_chat_id))


async def outbox(db: Any, *, chat_id: int | None = None) -> list[dict[str, Any]]:
    """Every outbox row as a dict (for tests, diagnostics and the benchmark)."""
    q = select(OUTBOX).order_by(OUTBOX.c.due_at, OUTBOX.c.id)
    if chat_id is not None:
        q = q.where(OUTBOX.c.chat_id == chat_id)
    async with db.connect() as conn:
        rows = (await conn.execute(q)).all()
    return [dict(r._mapping) for r in rows]


__all__ = [
    "Application", "ApplicationRow", "CustomReminder", "CustomReminderRow", "Deadline", "DeadlineRow",
    "OutboxItem", "OutboxRow", "PlannedSend", "add_application", "add_custom", "add_deadline",
    "cancel_chat", "cancel_custom", "cancel_deadline", "cancel_pending", "claim", "close_application",
    "complete_deadline", "ensure_deadlines", "extend_application", "get_application", "get_application_by_id",
    "get_custom", "get_deadline", "list_applications", "list_custom", "list_deadlines", "mark_missed",
    "mark_sent", "claim_send", "mark_sending", "extend_claim", "live_sending_claims", "expire_claims", "migrate_chat", "outbox", "pending_due", "plan", "planned_sources", "release", "take_missed",
]
