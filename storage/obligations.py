"""Per-office obligations and chat links: extensions, exemptions, supervisor chats and their link codes.

* ``office_obligation`` — one row per (workspace, office, report year) when that office does not simply
  owe the chat's date: ``extension`` (its own ``due`` date) or ``exemption`` (owes nothing that year),
  with the reason, who decided and when. Lifting it deletes the row (the audit log keeps the history).
* ``chat_link`` — a child chat names a supervisor chat. ``/escalate 上级`` stores a one-time code (only its
  SHA-256, with an expiry); an admin of the supervisor chat confirms it there, which is a compare-and-set,
  so a code is used at most once. Unlinking stamps ``unlinked_at``.

The escalation summaries themselves are rows of the reminder outbox (``storage.reminders``, source
``escalation``), so they share its claim-before-send, leases and reconcile.

Every change writes an audit line in the same transaction. Functions take ``db`` first, keywords after,
and return the plain dataclasses of :mod:`storage.types`.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel

from storage._access import W, _ensure_ws, _ws_id
from storage.audit import _audit
from storage.models import UTCDateTime
from storage.types import ChatLink, LinkResult, OfficeObligation

EXTENSION = "extension"
EXEMPTION = "exemption"


class OfficeObligationRow(SQLModel, table=True):
    """An office's own terms for one report year in one chat: an extension or an exemption."""

    __tablename__ = "office_obligation"
    __table_args__ = (UniqueConstraint("workspace_id", "office_id", "report_year", name="uq_obligation_office_year"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"),
                                               nullable=False, index=True))
    office_id: int = Field(sa_column=Column(Integer, ForeignKey("office.id", ondelete="CASCADE"), nullable=False))
    report_year: int = Field(sa_column=Column(Integer, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    due: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=False))


class ChatLinkRow(SQLModel, table=True):
    """A child chat's link to its supervisor chat; pending (code only) until confirmed there."""

    __tablename__ = "chat_link"
    __table_args__ = (
        Index("uq_chat_link_active_child", "child_chat_id", unique=True,
              postgresql_where=text("confirmed_at IS NOT NULL AND unlinked_at IS NULL"),
              sqlite_where=text("confirmed_at IS NOT NULL AND unlinked_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    child_chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    supervisor_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True, index=True))
    code_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    code_expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    confirmed_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    unlinked_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    unlinked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


OB = OfficeObligationRow.__table__
LINK = ChatLinkRow.__table__


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def code_hash(code: str) -> str:
    """What is stored of a link code: its SHA-256 (a leaked table cannot be replayed)."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _ws(conn: Connection, chat_id: int, *, create: bool) -> int | None:
    """The chat's workspace id (created when ``create``): the shared helpers of storage/_access.py."""
    return _ensure_ws(conn, chat_id) if create else _ws_id(conn, chat_id)


def _obligation(row: Any) -> OfficeObligation:
    return OfficeObligation(office_id=row.office_id, report_year=row.report_year, kind=row.kind, due=row.due,
                            reason=row.reason or "", created_by=row.created_by, created_at=_aware(row.created_at))


def _link(row: Any) -> ChatLink:
    return ChatLink(id=row.id, child_chat_id=row.child_chat_id, supervisor_chat_id=row.supervisor_chat_id,
                    code_expires_at=_aware(row.code_expires_at), confirmed_at=_aware(row.confirmed_at),
                    unlinked_at=_aware(row.unlinked_at))


# ---------------------------------------------------------------- extensions and exemptions


async def set_obligation(db: Any, *, chat_id: int, office_id: int, report_year: int,
                         kind: Literal["extension", "exemption"], due: date | None = None, reason: str = "",
                         user_id: int | None = None) -> OfficeObligation:
    """Give an office its own terms for a year (replacing earlier ones), audited as
    ``obligation_extension`` / ``obligation_exemption``."""
    if kind not in (EXTENSION, EXEMPTION) or (kind == EXTENSION) != (due is not None):
        raise ValueError("an extension needs a due date, an exemption none")

    def run(conn: Connection) -> OfficeObligation:
        ws = _ws(conn, chat_id, create=True)
        conn.execute(delete(OB).where(OB.c.workspace_id == ws, OB.c.office_id == office_id,
                                      OB.c.report_year == report_year))
        conn.execute(insert(OB).values(workspace_id=ws, office_id=office_id, report_year=report_year, kind=kind,
                                       due=due, reason=reason, created_by=user_id, created_at=_now()))
        when = f" due={due.isoformat()}" if due else ""
        _audit(conn, ws, user_id, f"obligation_{kind}",
               f"office={office_id} year={report_year}{when} reason={reason}".strip())
        row = conn.execute(select(OB).where(OB.c.workspace_id == ws, OB.c.office_id == office_id,
                                            OB.c.report_year == report_year)).one()
        return _obligation(row)

    return await db.run(run, write=True)


async def clear_obligation(db: Any, *, chat_id: int, office_id: int, report_year: int,
                           kind: Literal["extension", "exemption"], user_id: int | None = None) -> bool:
    """Lift an office's extension or exemption for a year; False (nothing changed) when it had none."""

    def run(conn: Connection) -> bool:
        ws = _ws(conn, chat_id, create=False)
        if ws is None:
            return False
        res = conn.execute(delete(OB).where(OB.c.workspace_id == ws, OB.c.office_id == office_id,
                                            OB.c.report_year == report_year, OB.c.kind == kind))
        if res.rowcount:
            _audit(conn, ws, user_id, f"obligation_{kind}_lifted", f"office={office_id} year={report_year}")
        return bool(res.rowcount)

    return await db.run(run, write=True)


async def obligations(db: Any, *, chat_id: int, report_year: int) -> dict[int, OfficeObligation]:
    """The chat's extensions and exemptions for one report year, by office id."""

    def run(conn: Connection) -> dict[int, OfficeObligation]:
        q = select(OB).join(W, W.c.id == OB.c.workspace_id).where(W.c.chat_id == chat_id,
                                                                  OB.c.report_year == report_year)
        return {r.office_id: _obligation(r) for r in conn.execute(q)}

    return await db.run(run)


# ---------------------------------------------------------------- chat links


async def create_link_code(db: Any, *, child_chat_id: int, code: str, expires_at: datetime,
                           user_id: int | None = None) -> ChatLink:
    """Store a new one-time code for ``child_chat_id``; earlier unused codes of that chat stop working."""
    now = _now()

    def run(conn: Connection) -> ChatLink:
        conn.execute(update(LINK).where(LINK.c.child_chat_id == child_chat_id, LINK.c.confirmed_at.is_(None),
                                        LINK.c.code_expires_at > now).values(code_expires_at=now))
        link_id = conn.execute(insert(LINK).values(
            child_chat_id=child_chat_id, code_hash=code_hash(code), code_expires_at=expires_at,
            created_by=user_id, created_at=now)).inserted_primary_key[0]
        _audit(conn, _ws(conn, child_chat_id, create=True), user_id, "link_code",
               f"link={link_id} expires={expires_at.isoformat()}")
        return _link(conn.execute(select(LINK).where(LINK.c.id == link_id)).one())

    return await db.run(run, write=True)


async def confirm_link(db: Any, *, code: str, supervisor_chat_id: int, user_id: int | None,
                       now: datetime | None = None) -> tuple[LinkResult, ChatLink | None]:
    """Use a code from the supervisor chat. ``ok`` only for the one caller whose compare-and-set won;
    otherwise why not (``unknown``, ``expired``, ``used``, ``same_chat``, ``already_linked``), nothing changed."""
    now = now or _now()
    digest = code_hash(code)

    def run(conn: Connection) -> tuple[LinkResult, ChatLink | None]:
        row = conn.execute(select(LINK).where(LINK.c.code_hash == digest)).first()
        if row is None:
            return "unknown", None
        if row.confirmed_at is not None:
            return "used", _link(row)
        if _aware(row.code_expires_at) <= now:
            return "expired", _link(row)
        if row.child_chat_id == supervisor_chat_id:
            return "same_chat", _link(row)
        if active_link_of(conn, row.child_chat_id) is not None:
            return "already_linked", _link(row)
        res = conn.execute(update(LINK).where(LINK.c.id == row.id, LINK.c.confirmed_at.is_(None)).values(
            supervisor_chat_id=supervisor_chat_id, confirmed_by=user_id, confirmed_at=now))
        if res.rowcount != 1:
            return "used", _link(row)
        detail = f"link={row.id} child={row.child_chat_id} supervisor={supervisor_chat_id}"
        _audit(conn, _ws(conn, row.child_chat_id, create=True), user_id, "link_confirmed", detail)
        _audit(conn, _ws(conn, supervisor_chat_id, create=True), user_id, "link_confirmed", detail)
        return "ok", _link(conn.execute(select(LINK).where(LINK.c.id == row.id)).one())

    try:
        return await db.run(run, write=True)
    except IntegrityError:  # another code of the same child was confirmed at the same moment
        return "already_linked", None


def active_link_of(conn: Connection, child_chat_id: int) -> Any:
    return conn.execute(select(LINK).where(LINK.c.child_chat_id == child_chat_id, LINK.c.confirmed_at.is_not(None),
                                           LINK.c.unlinked_at.is_(None))).first()


async def supervisor_of(db: Any, *, child_chat_id: int) -> ChatLink | None:
    """The child chat's confirmed, not unlinked link, if any."""

    def run(conn: Connection) -> ChatLink | None:
        row = active_link_of(conn, child_chat_id)
        return _link(row) if row else None

    return await db.run(run)


async def children_of(db: Any, *, supervisor_chat_id: int) -> list[ChatLink]:
    """Active links whose supervisor is this chat."""

    def run(conn: Connection) -> list[ChatLink]:
        q = select(LINK).where(LINK.c.supervisor_chat_id == supervisor_chat_id, LINK.c.confirmed_at.is_not(None),
                               LINK.c.unlinked_at.is_(None)).order_by(LINK.c.id)
        return [_link(r) for r in conn.execute(q)]

    return await db.run(run)


async def active_links(db: Any) -> list[ChatLink]:
    """Every active link (for planning escalations)."""

    def run(conn: Connection) -> list[ChatLink]:
        q = select(LINK).where(LINK.c.confirmed_at.is_not(None), LINK.c.unlinked_at.is_(None)).order_by(LINK.c.id)
        return [_link(r) for r in conn.execute(q)]

    return await db.run(run)


async def get_link(db: Any, *, link_id: int) -> ChatLink | None:
    def run(conn: Connection) -> ChatLink | None:
        row = conn.execute(select(LINK).where(LINK.c.id == link_id)).first()
        return _link(row) if row else None

    return await db.run(run)


async def unlink(db: Any, *, chat_id: int, user_id: int | None = None, now: datetime | None = None) -> list[ChatLink]:
    """End every active link in which ``chat_id`` is the child or the supervisor; returns those ended."""
    now = now or _now()

    def run(conn: Connection) -> list[ChatLink]:
        rows = list(conn.execute(select(LINK).where(
            (LINK.c.child_chat_id == chat_id) | (LINK.c.supervisor_chat_id == chat_id),
            LINK.c.confirmed_at.is_not(None), LINK.c.unlinked_at.is_(None))))
        for row in rows:
            res = conn.execute(update(LINK).where(LINK.c.id == row.id, LINK.c.unlinked_at.is_(None)).values(
                unlinked_at=now, unlinked_by=user_id))
            if res.rowcount:
                detail = f"link={row.id} child={row.child_chat_id} supervisor={row.supervisor_chat_id}"
                for side in (row.child_chat_id, row.supervisor_chat_id):
                    _audit(conn, _ws(conn, side, create=True), user_id, "link_removed", detail)
        return [_link(conn.execute(select(LINK).where(LINK.c.id == r.id)).one()) for r in rows]

    return await db.run(run, write=True)


async def migrate_chat(db: Any, *, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its links follow it (extensions and exemptions hang on the workspace,
    which ``storage.repo.migrate_chat`` moves)."""

    def run(conn: Connection) -> None:
        conn.execute(update(LINK).where(LINK.c.child_chat_id == old_chat_id).values(child_chat_id=new_chat_id))
        conn.execute(update(LINK).where(LINK.c.supervisor_chat_id == old_chat_id)
                     .values(supervisor_chat_id=new_chat_id))

    await db.run(run, write=True)


async def chat_title(db: Any, *, chat_id: int) -> str | None:
    """The chat's stored title (a summary names the child group)."""

    def run(conn: Connection) -> str | None:
        return conn.execute(select(W.c.title).where(W.c.chat_id == chat_id)).scalar_one_or_none()

    return await db.run(run)


__all__ = [
    "EXEMPTION", "EXTENSION", "active_links", "chat_title", "children_of", "clear_obligation", "code_hash",
    "confirm_link", "create_link_code", "get_link", "migrate_chat", "obligations", "set_obligation", "supervisor_of", "unlink",
]
