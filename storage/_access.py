"""Shared plumbing of the storage modules: the write/read transaction helpers, the chat → workspace id
lookup and the table shortcuts.

Private to ``storage``: the per-aggregate modules (workspaces, offices, reports, roster, audit) all write
through :func:`_write`, so a write that loses a race on a unique index is retried the same way everywhere.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import (
    AuditRow,
    OfficeAlias,
    OfficeRow,
    ReportCell,
    ReportFinding,
    ReportRow,
    RosterRow,
    Workspace,
    utcnow,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

W = Workspace.__table__
O = OfficeRow.__table__  # noqa: E741
A = OfficeAlias.__table__
RO = RosterRow.__table__
R = ReportRow.__table__
C = ReportCell.__table__
F = ReportFinding.__table__
AU = AuditRow.__table__

#: How often a write that lost a race (unique index) is tried again.
WRITE_ATTEMPTS = 6


async def _write(db: Database, fn: Callable[[Connection], T], *, bulk: bool = False) -> T:
    """Run ``fn`` in one write transaction, retrying when a concurrent writer won a unique index.

    ``bulk`` runs it on the sync engine in a worker thread (many statements, no per-statement hop).
    """
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            if bulk:
                return await db.run_in_thread(fn, write=True)
            return await db.run(fn, write=True)
        except IntegrityError:
            if attempt == WRITE_ATTEMPTS:
                raise
            log.info("write lost a race, retrying (attempt %d)", attempt)
            await asyncio.sleep(0.01 * attempt)
    raise AssertionError("unreachable")


async def _read(db: Database, fn: Callable[[Connection], T]) -> T:
    return await db.run(fn)



def _ws_id(conn: Connection, chat_id: int) -> int | None:
    return (conn.execute(select(W.c.id).where(W.c.chat_id == chat_id))).scalar_one_or_none()


def _ensure_ws(conn: Connection, chat_id: int, title: str | None = None, kind: str = "group") -> int:
    ws = _ws_id(conn, chat_id)
    if ws is not None:
        if title:
            conn.execute(update(W).where(W.c.id == ws).values(title=title))
        return ws
    result = conn.execute(
        insert(W).values(
            chat_id=chat_id, title=title, kind=kind, active=True, settings={}, created_at=utcnow()
        )
    )
    return int(result.inserted_primary_key[0])


def _year_is(year: int | None) -> Any:
    """The report row's year is ``year`` (``None``: the year could not be read)."""
    return R.c.year.is_(None) if year is None else R.c.year == year

