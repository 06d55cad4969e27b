"""The audit log: who deleted, restored or changed what in which chat.

Table ``audit``. :func:`_audit` writes a row inside the caller's transaction (so the action and its log
line commit together); :func:`audit` is the stand-alone write.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from storage._access import AU, W, _ensure_ws, _read, _write
from storage.db import Database
from storage.models import utcnow
from storage.types import AuditEntry


def _audit(conn: Connection, ws: int | None, user_id: int | None, action: str, detail: str) -> None:
    conn.execute(
        insert(AU).values(workspace_id=ws, user_id=user_id, action=action, detail=detail or "", at=utcnow())
    )


async def audit(
    db: Database, *, chat_id: int | None, user_id: int | None, action: str, detail: str = ""
) -> None:
    """Record an action in the chat's audit log (``chat_id=None``: a global admin action)."""

    def run(conn: Connection) -> None:
        ws = None if chat_id is None else _ensure_ws(conn, chat_id)
        _audit(conn, ws, user_id, action, detail)

    await _write(db, run)


async def audit_log(db: Database, *, chat_id: int | None, limit: int = 50) -> list[AuditEntry]:
    """The newest audit entries of the chat (``None``: every chat), newest first."""

    def run(conn: Connection) -> list[AuditEntry]:
        q = select(AU, W.c.chat_id).outerjoin(W, W.c.id == AU.c.workspace_id)
        if chat_id is not None:
            q = q.where(W.c.chat_id == chat_id)
        rows = conn.execute(q.order_by(AU.c.at.desc(), AU.c.id.desc()).limit(limit))
        return [
            AuditEntry(
                r.id, None if r.chat_id is None else int(r.chat_id), r.user_id, r.action, r.detail, r.at
            )
            for r in rows
        ]

    return await _read(db, run)
