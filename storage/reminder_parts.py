"""The parts of one outbox reminder that is sent as several messages (issue 20: reminders that tag).

A reminder naming forty offices and their contacts does not fit one Telegram message (4096 UTF-16
units, a few mentions that still notify), so it is split. The outbox row stays the unit of the claim;
this table records each part the first time the row is composed, and each part's own send state:

* parts are stored once (INSERT … ON CONFLICT DO NOTHING): a retry after a crash sends the *same*
  parts, not a new composition with different boundaries;
* ``result='sending'`` is written right before a part's HTTP request and ``sent_at`` right after, so a
  crash between parts resumes after the last sent part — part 1 is never sent again — and only a part
  whose outcome is unknown is sent again, with 【补发】, like a single reminder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import SQLModel

from storage.models import UTCDateTime

metadata: MetaData = SQLModel.metadata

PART = Table(
    "reminder_part", metadata,
    Column("outbox_id", Integer, primary_key=True, autoincrement=False),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
    Column("entities", Text, nullable=False, default="[]"),
    Column("buttons", Text, nullable=False, default="[]"),
    Column("result", String(32)),
    Column("sent_at", UTCDateTime()),
    Column("message_id", BigInteger),
)

SENDING = "sending"


@dataclass(frozen=True)
class StoredPart:
    """One stored part: its text, entities (Bot API dicts) and button rows ([[label, data], …])."""

    outbox_id: int
    idx: int
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[list[list[str]]] = field(default_factory=list)
    result: str | None = None
    sent_at: datetime | None = None


async def store_parts(db: Any, *, outbox_id: int,
                      parts: Sequence[tuple[str, list[dict[str, Any]], list[list[list[str]]]]]) -> None:
    """Record the composed parts of an outbox row; parts stored before are kept (first composition wins)."""
    values = [{"outbox_id": outbox_id, "idx": i, "text": text, "entities": json.dumps(entities, ensure_ascii=False),
               "buttons": json.dumps(buttons, ensure_ascii=False)} for i, (text, entities, buttons) in enumerate(parts)]
    if not values:
        return
    stmt = (pg_insert if db.dialect == "postgresql" else sqlite_insert)(PART).on_conflict_do_nothing()
    async with db.connect(write=True) as conn:
        await conn.execute(stmt, values)


async def parts_of(db: Any, *, outbox_id: int) -> list[StoredPart]:
    """The stored parts of a row in order (empty: not composed yet)."""
    async with db.connect() as conn:
        rows = (await conn.execute(select(PART).where(PART.c.outbox_id == outbox_id).order_by(PART.c.idx))).all()
    return [StoredPart(r.outbox_id, r.idx, r.text, json.loads(r.entities or "[]"), json.loads(r.buttons or "[]"),
                       r.result, r.sent_at) for r in rows]


async def mark_part_sending(db: Any, *, outbox_id: int, idx: int) -> None:
    """Right before the part's HTTP request: an attempt whose outcome we may never learn."""
    async with db.connect(write=True) as conn:
        await conn.execute(update(PART).where(PART.c.outbox_id == outbox_id, PART.c.idx == idx,
                                              PART.c.sent_at.is_(None)).values(result=SENDING))


async def mark_part_unsent(db: Any, *, outbox_id: int, idx: int) -> None:
    """The part's request failed before reaching Telegram: a retry sends it plainly (no 【补发】)."""
    async with db.connect(write=True) as conn:
        await conn.execute(update(PART).where(PART.c.outbox_id == outbox_id, PART.c.idx == idx,
                                              PART.c.sent_at.is_(None)).values(result=None))


async def mark_part_sent(db: Any, *, outbox_id: int, idx: int, message_id: int | None,
                         now: datetime | None = None) -> None:
    """Right after Telegram answered for the part."""
    async with db.connect(write=True) as conn:
        await conn.execute(update(PART).where(PART.c.outbox_id == outbox_id, PART.c.idx == idx).values(
            result="sent", sent_at=now or datetime.now(UTC), message_id=message_id))


__all__ = ["PART", "StoredPart", "mark_part_sending", "mark_part_sent", "mark_part_unsent", "parts_of", "store_parts"]
