"""Workspaces: one per chat, with its per-chat settings; a chat that became a supergroup keeps its data.

Table ``workspace`` (and, in :func:`migrate_chat`, the rows of a workspace folded into another).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from storage._access import AU, RO, R, W, _ensure_ws, _read, _write, _ws_id
from storage.db import Database
from storage.models import RulingRow


async def ensure_workspace(
    db: Database, *, chat_id: int, title: str | None = None, kind: str = "group"
) -> None:
    """Create the chat's workspace if needed (and update its title when one is given)."""

    def up_to_date(conn: Connection) -> bool:
        row = conn.execute(select(W.c.title).where(W.c.chat_id == chat_id)).first()
        return row is not None and (not title or row.title == title)

    def run(conn: Connection) -> None:
        _ensure_ws(conn, chat_id, title, kind)

    if await _read(db, up_to_date):  # the usual case: no write transaction (no write lock) at all
        return
    await _write(db, run)


async def migrate_chat(db: Database, *, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup (ChatMigrated): move the workspace to the new chat id, data intact.

    If the new id already has a workspace (a message arrived there first), its reports, roster and
    audit lines are moved into the old workspace before it is dropped.
    """

    def run(conn: Connection) -> None:
        old = _ws_id(conn, old_chat_id)
        new = _ws_id(conn, new_chat_id)
        if old is None:
            if new is None:
                _ensure_ws(conn, new_chat_id)
            return
        if new is not None and new != old:
            conn.execute(update(R).where(R.c.workspace_id == new).values(workspace_id=old))
            conn.execute(update(AU).where(AU.c.workspace_id == new).values(workspace_id=old))
            conn.execute(update(RulingRow.__table__).where(RulingRow.__table__.c.workspace_id == new)
                         .values(workspace_id=old))  # rulings (storage.review) follow their reports
            have = set((conn.execute(select(RO.c.office_id).where(RO.c.workspace_id == old))).scalars())
            conn.execute(
                update(RO)
                .where(RO.c.workspace_id == new, RO.c.office_id.notin_(have or {-1}))
                .values(workspace_id=old)
            )
            conn.execute(delete(RO).where(RO.c.workspace_id == new))
            conn.execute(delete(W).where(W.c.id == new))
        conn.execute(update(W).where(W.c.id == old).values(chat_id=new_chat_id))

    await _write(db, run)


async def set_chat_active(db: Database, *, chat_id: int, active: bool) -> None:
    """Mark a chat active/inactive (the bot was removed → no reminders there)."""

    def run(conn: Connection) -> None:
        ws = _ensure_ws(conn, chat_id)
        conn.execute(update(W).where(W.c.id == ws).values(active=active))

    await _write(db, run)


async def get_chat_setting(db: Database, *, chat_id: int, key: str, default: Any = None) -> Any:
    """One per-chat setting (JSON value), ``default`` when unset or the chat is unknown."""

    def run(conn: Connection) -> Any:
        settings = (conn.execute(select(W.c.settings).where(W.c.chat_id == chat_id))).scalar_one_or_none()
        return (settings or {}).get(key, default)

    return await _read(db, run)


async def set_chat_setting(db: Database, *, chat_id: int, key: str, value: Any) -> None:
    """Set one per-chat setting; ``value`` must be JSON-serialisable (``None`` removes it)."""

    def run(conn: Connection) -> None:
        ws = _ensure_ws(conn, chat_id)
        settings = dict((conn.execute(select(W.c.settings).where(W.c.id == ws))).scalar_one() or {})
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
        conn.execute(update(W).where(W.c.id == ws).values(settings=settings))

    await _write(db, run)


async def list_workspaces(db: Database, *, active_only: bool = True) -> list[int]:
    """Chat ids of every workspace (only active ones by default), ascending."""

    def run(conn: Connection) -> list[int]:
        q = select(W.c.chat_id).order_by(W.c.chat_id)
        if active_only:
            q = q.where(W.c.active.is_(True))
        return [int(x) for x in (conn.execute(q)).scalars()]

    return await _read(db, run)
