"""Contacts of roster offices, the users seen in a chat, private opt-in and nudge answers (issue 20).

Why each table exists:

* ``chat_user_seen`` — the Bot API cannot resolve ``@username`` to a user id, so the bot remembers who it
  has seen write in each chat; ``/roster 联系人 鹿山 @张三`` resolves against it.
* ``office_contact`` — per (chat, office) the users who answer for it; reminders mention them.
* ``private_optin`` — a bot may write to a user only after the user started it in private; a blocked
  send (403) turns it off again.
* ``nudge_state`` — what a contact answered to a private nudge of one deadline: 已提交 (ack, no more
  nudges), 今天提交 (promised today), 推迟一天 (snoozed until a day).

Everything is keyed by Telegram chat id (like ``storage/reminders.py``), async, ``db`` first, keyword
arguments after, and returns the plain dataclasses of ``storage/types.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import SQLModel

from storage.models import UTCDateTime, Workspace
from storage.types import Contact, NudgeState, SeenUser

metadata: MetaData = SQLModel.metadata

SEEN = Table(
    "chat_user_seen", metadata,
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("username", String(64)),
    Column("username_lc", String(64)),
    Column("full_name", String(255), nullable=False, default=""),
    Column("is_bot", Boolean, nullable=False, default=False),
    Column("seen_at", UTCDateTime(), nullable=False),
)

CONTACT = Table(
    "office_contact", metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, nullable=False, index=True),
    Column("office_id", Integer, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("username", String(64)),
    Column("display_name", String(255), nullable=False, default=""),
    Column("bound_by", BigInteger),
    Column("bound_at", UTCDateTime(), nullable=False),
    Column("hinted_at", UTCDateTime()),
    UniqueConstraint("chat_id", "office_id", "user_id", name="uq_office_contact"),
)

OPTIN = Table(
    "private_optin", metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("started_at", UTCDateTime()),
    Column("stopped_at", UTCDateTime()),
)

NUDGE = Table(
    "nudge_state", metadata,
    Column("deadline_id", Integer, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("chat_id", BigInteger, nullable=False),
    Column("acked_at", UTCDateTime()),
    Column("promised_on", Date),
    Column("snoozed_until", Date),
    Column("updated_at", UTCDateTime()),
)


def _now() -> datetime:
    return datetime.now(UTC)


def _insert(db: Any, table: Table) -> Any:
    return (pg_insert if db.dialect == "postgresql" else sqlite_insert)(table)


def _contact(row: Any) -> Contact:
    return Contact(row.chat_id, row.office_id, row.user_id, row.username, row.display_name, row.bound_by,
                   row.bound_at)


# ---------------------------------------------------------------- users seen in a chat


async def seen_user(db: Any, *, chat_id: int, user_id: int, username: str | None, full_name: str,
                    is_bot: bool = False, now: datetime | None = None) -> None:
    """Remember (or refresh) that ``user_id`` wrote in ``chat_id`` under this username and name."""
    values = {"chat_id": chat_id, "user_id": user_id, "username": username,
              "username_lc": username.lower() if username else None, "full_name": (full_name or "")[:255],
              "is_bot": is_bot, "seen_at": now or _now()}
    stmt = _insert(db, SEEN).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[SEEN.c.chat_id, SEEN.c.user_id],
        set_={k: stmt.excluded[k] for k in ("username", "username_lc", "full_name", "is_bot", "seen_at")})
    async with db.connect(write=True) as conn:
        if username:  # a username belongs to one account at a time: the old holder loses it here
            await conn.execute(update(SEEN).where(
                SEEN.c.chat_id == chat_id, SEEN.c.username_lc == username.lower(), SEEN.c.user_id != user_id,
            ).values(username=None, username_lc=None))
        await conn.execute(stmt)


async def find_seen(db: Any, *, chat_id: int, username: str) -> SeenUser | None:
    """The user seen in ``chat_id`` under ``@username`` (case-insensitive), if any."""
    async with db.connect() as conn:
        row = (await conn.execute(select(SEEN).where(
            SEEN.c.chat_id == chat_id, SEEN.c.username_lc == username.lstrip("@").lower()))).first()
    return SeenUser(row.chat_id, row.user_id, row.username, row.full_name, row.is_bot) if row else None


# ---------------------------------------------------------------- contacts


async def bind_contact(db: Any, *, chat_id: int, office_id: int, user_id: int, username: str | None,
                       display_name: str, bound_by: int | None, now: datetime | None = None) -> bool:
    """Make ``user_id`` a contact of the office in this chat; False when it already was (name refreshed)."""
    async with db.connect(write=True) as conn:
        added = (await conn.execute(_insert(db, CONTACT).values(
            chat_id=chat_id, office_id=office_id, user_id=user_id, username=username,
            display_name=(display_name or "")[:255], bound_by=bound_by, bound_at=now or _now(),
        ).on_conflict_do_nothing().returning(CONTACT.c.id))).first()
        if added is not None:
            return True
        await conn.execute(update(CONTACT).where(
            CONTACT.c.chat_id == chat_id, CONTACT.c.office_id == office_id, CONTACT.c.user_id == user_id,
        ).values(username=username, display_name=(display_name or "")[:255]))
    return False


async def bind_many(db: Any, *, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk form of :func:`bind_contact` (keys chat_id, office_id, user_id, username, display_name,
    bound_by) for imports and the benchmark; existing contacts are kept. Returns how many were new."""
    values = [{"bound_at": _now(), "bound_by": None, "username": None, **r} for r in rows]
    added = 0
    async with db.connect(write=True) as conn:
        for start in range(0, len(values), 500):
            res = await conn.execute(_insert(db, CONTACT).on_conflict_do_nothing().returning(CONTACT.c.id),
                                     values[start:start + 500])
            added += len(res.all())
    return added


async def unbind_contact(db: Any, *, chat_id: int, office_id: int, user_id: int) -> bool:
    """Remove one contact; False when it was not one."""
    async with db.connect(write=True) as conn:
        res = await conn.execute(delete(CONTACT).where(
            CONTACT.c.chat_id == chat_id, CONTACT.c.office_id == office_id, CONTACT.c.user_id == user_id))
    return res.rowcount == 1


async def contacts_for(db: Any, *, chat_id: int, office_ids: Iterable[int] | None = None
                       ) -> dict[int, list[Contact]]:
    """Contacts of the chat's offices: office id → contacts in the order they were bound."""
    q = select(CONTACT).where(CONTACT.c.chat_id == chat_id)
    if office_ids is not None:
        q = q.where(CONTACT.c.office_id.in_(list(office_ids)))
    async with db.connect() as conn:
        rows = (await conn.execute(q.order_by(CONTACT.c.office_id, CONTACT.c.bound_at, CONTACT.c.id))).all()
    out: dict[int, list[Contact]] = {}
    for r in rows:
        out.setdefault(r.office_id, []).append(_contact(r))
    return out


async def offices_of_user(db: Any, *, chat_id: int, user_id: int) -> list[int]:
    """Office ids this user is a contact of in the chat."""
    async with db.connect() as conn:
        rows = (await conn.execute(select(CONTACT.c.office_id).where(
            CONTACT.c.chat_id == chat_id, CONTACT.c.user_id == user_id).order_by(CONTACT.c.office_id))).all()
    return [r[0] for r in rows]


async def contacts_named(db: Any, *, chat_id: int, name: str) -> list[Contact]:
    """Contacts of the chat whose display name or @username is ``name`` (for 「张三负责哪个单位」)."""
    key = name.strip().lstrip("@").lower()
    if not key:
        return []
    async with db.connect() as conn:
        rows = (await conn.execute(select(CONTACT).where(
            CONTACT.c.chat_id == chat_id,
            or_(func.lower(CONTACT.c.display_name) == key, func.lower(CONTACT.c.username) == key),
        ).order_by(CONTACT.c.office_id))).all()
    return [_contact(r) for r in rows]


async def mark_hinted(db: Any, *, chat_id: int, user_id: int, now: datetime | None = None) -> bool:
    """Compare-and-set: True only the first time the group is told how this contact opts in to DMs."""
    async with db.connect(write=True) as conn:
        told = (await conn.execute(select(func.count()).select_from(CONTACT).where(
            CONTACT.c.chat_id == chat_id, CONTACT.c.user_id == user_id, CONTACT.c.hinted_at.is_not(None),
        ))).scalar_one()
        if told:
            return False
        res = await conn.execute(update(CONTACT).where(
            CONTACT.c.chat_id == chat_id, CONTACT.c.user_id == user_id, CONTACT.c.hinted_at.is_(None),
        ).values(hinted_at=now or _now()))
    return bool(res.rowcount)


# ---------------------------------------------------------------- private opt-in


async def opt_in(db: Any, *, user_id: int, now: datetime | None = None) -> bool:
    """The user started the bot in private; True when that is news (was not opted in)."""
    now = now or _now()
    was = await opted_in(db, user_ids=[user_id])
    stmt = _insert(db, OPTIN).values(user_id=user_id, started_at=now, stopped_at=None)
    async with db.connect(write=True) as conn:
        await conn.execute(stmt.on_conflict_do_update(index_elements=[OPTIN.c.user_id],
                                                      set_={"started_at": now, "stopped_at": None}))
    return user_id not in was


async def opt_out(db: Any, *, user_id: int, now: datetime | None = None) -> None:
    """A private send was refused (the user blocked the bot): no more DMs until they start it again."""
    async with db.connect(write=True) as conn:
        await conn.execute(update(OPTIN).where(OPTIN.c.user_id == user_id).values(stopped_at=now or _now()))


async def opted_in(db: Any, *, user_ids: Iterable[int]) -> set[int]:
    """Which of ``user_ids`` may get private messages now."""
    ids = list(user_ids)
    if not ids:
        return set()
    async with db.connect() as conn:
        rows = (await conn.execute(select(OPTIN.c.user_id).where(
            OPTIN.c.user_id.in_(ids), OPTIN.c.started_at.is_not(None), OPTIN.c.stopped_at.is_(None)))).all()
    return {r[0] for r in rows}


# ---------------------------------------------------------------- nudge answers


async def nudge_state(db: Any, *, deadline_id: int, user_id: int) -> NudgeState | None:
    async with db.connect() as conn:
        r = (await conn.execute(select(NUDGE).where(
            and_(NUDGE.c.deadline_id == deadline_id, NUDGE.c.user_id == user_id)))).first()
    return NudgeState(r.deadline_id, r.user_id, r.chat_id, r.acked_at, r.promised_on, r.snoozed_until) if r else None


async def answer_nudge(db: Any, *, deadline_id: int, user_id: int, chat_id: int, acked: bool = False,
                       promised_on: date | None = None, snoozed_until: date | None = None,
                       now: datetime | None = None) -> None:
    """Record a contact's button press on a nudge (the latest answer wins for each field given)."""
    now = now or _now()
    values: dict[str, Any] = {"updated_at": now}
    if acked:
        values["acked_at"] = now
    if promised_on is not None:
        values["promised_on"] = promised_on
    if snoozed_until is not None:
        values["snoozed_until"] = snoozed_until
    stmt = _insert(db, NUDGE).values(deadline_id=deadline_id, user_id=user_id, chat_id=chat_id, **values)
    async with db.connect(write=True) as conn:
        await conn.execute(stmt.on_conflict_do_update(index_elements=[NUDGE.c.deadline_id, NUDGE.c.user_id],
                                                      set_=values))


async def chat_title(db: Any, *, chat_id: int) -> str:
    """The group's title as last seen (a private nudge says which group it is about); "" if unknown."""
    table = Workspace.__table__
    async with db.connect() as conn:
        title = (await conn.execute(select(table.c.title).where(table.c.chat_id == chat_id))).scalar_one_or_none()
    return title or ""


# ---------------------------------------------------------------- chat migration


async def migrate_chat(db: Any, *, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its contacts, seen users and nudge answers move with it."""
    if old_chat_id == new_chat_id:
        return
    async with db.connect(write=True) as conn:
        for table in (CONTACT, NUDGE):
            await conn.execute(update(table).where(table.c.chat_id == old_chat_id).values(chat_id=new_chat_id))
        await conn.execute(delete(SEEN).where(SEEN.c.chat_id == new_chat_id, SEEN.c.user_id.in_(
            select(SEEN.c.user_id).where(SEEN.c.chat_id == old_chat_id).scalar_subquery())))
        await conn.execute(update(SEEN).where(SEEN.c.chat_id == old_chat_id).values(chat_id=new_chat_id))


__all__ = [
    "CONTACT", "NUDGE", "OPTIN", "SEEN", "answer_nudge", "bind_contact", "bind_many", "chat_title", "contacts_for", "contacts_named",
    "find_seen", "mark_hinted", "migrate_chat", "nudge_state", "offices_of_user", "opt_in", "opt_out",
    "opted_in", "seen_user", "unbind_contact",
]
