"""Rosters: the offices a chat expects a report from, and who of them has reported (未交 lists).

Table ``roster``.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from storage._access import RO, R, W, _ensure_ws, _read, _write, _ws_id
from storage.audit import _audit
from storage.db import Database
from storage.offices import (
    _create_office,
    _office_info,
    _office_infos,
    _put_on_roster,
    _resolve_alias_here,
    _resolve_id,
)
from storage.reports import _current, _report_query, _stored
from storage.types import OfficeInfo, StoredReport


async def roster(db: Database, *, chat_id: int) -> list[OfficeInfo]:
    """The offices expected to report in this chat, by name."""

    def run(conn: Connection) -> list[OfficeInfo]:
        q = select(RO.c.office_id).join(W, W.c.id == RO.c.workspace_id).where(W.c.chat_id == chat_id)
        infos = _office_infos(conn, set((conn.execute(q)).scalars()))
        return sorted(infos.values(), key=lambda o: o.name)

    return await _read(db, run)


async def roster_add(
    db: Database, *, chat_id: int, name: str, kind: str | None = None, user_id: int | None = None
) -> OfficeInfo:
    """Put an office on the chat's roster (found by name or alias, created when new); idempotent."""

    def run(conn: Connection) -> OfficeInfo:
        ws = _ensure_ws(conn, chat_id)
        office_id = _resolve_id(conn, name) or _resolve_alias_here(conn, ws, name)
        if office_id is None:
            office_id = (_create_office(conn, name, "", kind)).id
        if _put_on_roster(conn, ws, office_id, user_id):
            _audit(conn, ws, user_id, "roster_add", name)
        return _office_info(conn, office_id)

    return await _write(db, run)


async def roster_remove(db: Database, *, chat_id: int, office_id: int, user_id: int | None = None) -> bool:
    """Take an office off the chat's roster; ``False`` when it was not on it."""

    def run(conn: Connection) -> bool:
        ws = _ws_id(conn, chat_id)
        if ws is None:
            return False
        result = conn.execute(delete(RO).where(RO.c.workspace_id == ws, RO.c.office_id == office_id))
        if result.rowcount:
            _audit(conn, ws, user_id, "roster_remove", f"office={office_id}")
        return bool(result.rowcount)

    return await _write(db, run)


async def submission_status(
    db: Database, *, chat_id: int, year: int
) -> list[tuple[OfficeInfo, StoredReport | None]]:
    """Roster ∪ offices that reported for ``year``: each with its current report or ``None`` (未交).

    Sorted: missing first, then by office name.
    """

    def run(conn: Connection) -> list[tuple[OfficeInfo, StoredReport | None]]:
        ws = _ws_id(conn, chat_id)
        if ws is None:
            return []
        rows = list(conn.execute(_report_query().where(R.c.workspace_id == ws, R.c.year == year, _current())))
        reports = {s.office.id: s for s in _stored(conn, rows)}
        on_roster = set((conn.execute(select(RO.c.office_id).where(RO.c.workspace_id == ws))).scalars())
        infos = _office_infos(conn, on_roster | set(reports))
        out = [(info, reports.get(oid)) for oid, info in infos.items()]
        return sorted(out, key=lambda pair: (pair[1] is not None, pair[0].name))

    return await _read(db, run)
