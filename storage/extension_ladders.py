"""Queries behind an extended office's own reminder ladder (bot/deadlines/extension_ladder.py).

An extension (``office_obligation`` row of kind ``extension``, storage/obligations.py) gets a ``deadline``
row of kind ``x:<office id>`` whose ladder and overdue rows live in ``reminder_outbox`` like any other
deadline — so the claim-before-send, leases, reconcile and 【补发】 guarantees are the same. No new table:
these are read-only queries across the two existing ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from storage._access import O, W
from storage.obligations import EXTENSION, OB
from storage.reminders import DEADLINE, OUTBOX, Deadline, _deadline

#: Deadline kind prefix of an office's extension ladder (the kind column is 16 characters: ``x:`` + id).
EXTENSION_KIND_PREFIX = "x:"


@dataclass(frozen=True)
class ExtensionTerm:
    """A running extension as the ladder needs it: whose, until when, and which version of the term."""

    chat_id: int
    office_id: int
    office_name: str  # short name if any
    office_kind: str
    report_year: int
    due: date
    #: when the extension was (last) set: versions the outbox keys, so re-setting plans a fresh ladder
    set_at: datetime


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime(1970, 1, 1, tzinfo=UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


async def running_extensions(db: Any, *, due_from: date, chat_ids: Iterable[int] | None = None
                             ) -> list[ExtensionTerm]:
    """Extensions whose date is ``due_from`` or later, in active chats (or only ``chat_ids``)."""
    chats = list(chat_ids) if chat_ids is not None else None

    def run(conn: Connection) -> list[ExtensionTerm]:
        q = (select(W.c.chat_id, OB.c.office_id, O.c.name, O.c.short_name, O.c.kind, OB.c.report_year, OB.c.due,
                    OB.c.created_at)
             .join(W, W.c.id == OB.c.workspace_id).join(O, O.c.id == OB.c.office_id)
             .where(OB.c.kind == EXTENSION, OB.c.due.is_not(None), OB.c.due >= due_from, W.c.active.is_(True)))
        if chats is not None:
            q = q.where(W.c.chat_id.in_(chats))
        return [ExtensionTerm(r.chat_id, r.office_id, r.short_name or r.name, r.kind or "其他", r.report_year, r.due,
                              _aware(r.created_at))
                for r in conn.execute(q.order_by(W.c.chat_id, OB.c.office_id))]

    if chats is not None and not chats:
        return []
    return await db.run(run)


async def extension_deadlines(db: Any, *, due_from: date, chat_ids: Iterable[int] | None = None) -> list[Deadline]:
    """Open (not cancelled) extension-ladder deadline rows due ``due_from`` or later."""
    chats = list(chat_ids) if chat_ids is not None else None
    if chats is not None and not chats:
        return []
    q = select(DEADLINE).where(DEADLINE.c.kind.like(f"{EXTENSION_KIND_PREFIX}%"), DEADLINE.c.due >= due_from,
                               DEADLINE.c.cancelled_at.is_(None))
    if chats is not None:
        q = q.where(DEADLINE.c.chat_id.in_(chats))
    async with db.connect() as conn:
        rows = (await conn.execute(q.order_by(DEADLINE.c.id))).all()
    return [_deadline(r) for r in rows]


async def live_ladders(db: Any, *, deadline_ids: Iterable[int]) -> set[int]:
    """Which of these deadlines have a ladder row that is still to be sent or was sent (not cancelled):
    a deadline without one (new, or revived after 取消延期 and a new extension) needs planning."""
    ids = list(deadline_ids)
    if not ids:
        return set()
    async with db.connect() as conn:
        rows = (await conn.execute(select(OUTBOX.c.source_id).where(
            OUTBOX.c.source == "deadline", OUTBOX.c.source_id.in_(ids), OUTBOX.c.step != "check",
            OUTBOX.c.cancelled_at.is_(None)).distinct())).all()
    return {r[0] for r in rows}


async def deadlines_reminding_between(db: Any, *, chat_id: int, start: datetime, end: datetime,
                                      exclude_deadline_id: int) -> list[Deadline]:
    """The chat's other open deadlines with a ladder/overdue row due in ``[start, end)`` that is not
    cancelled or missed — the reminders the chat gets that day anyway."""
    q = (select(DEADLINE).where(DEADLINE.c.id.in_(
        select(OUTBOX.c.source_id).where(
            OUTBOX.c.chat_id == chat_id, OUTBOX.c.source == "deadline", OUTBOX.c.step != "check",
            OUTBOX.c.due_at >= start, OUTBOX.c.due_at < end, OUTBOX.c.cancelled_at.is_(None),
            OUTBOX.c.missed_at.is_(None), OUTBOX.c.source_id != exclude_deadline_id)),
        DEADLINE.c.cancelled_at.is_(None), DEADLINE.c.completed_at.is_(None)))
    async with db.connect() as conn:
        rows = (await conn.execute(q)).all()
    return [_deadline(r) for r in rows]
