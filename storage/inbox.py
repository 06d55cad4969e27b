"""The durable update inbox: which Telegram updates this bot owns, who is handling them, which are done.

The design (docs/SCALING.md): a webhook worker *stores* an update (``receive``) before it answers
Telegram 200, so an acknowledged update survives ``kill -9``. The row is ``working``, owned by the
receiving process until ``lease_until``; that process keeps the lease alive (``heartbeat``) while the
update waits or runs, and marks it ``done`` afterwards (``done``). When a process dies its leases
expire and any other worker takes the update over (``reclaim``) from the stored JSON. A redelivery of a
``done`` update, or of one another live process owns, is dropped.

Rows are keyed by ``scope`` and ``update_id``: the scope is one bot (a hash of its token) or one
``nianbao console`` session, so a second bot on the same database, or a fresh console session whose
ids start again at 1, never collides with another's ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from storage.db import Database
from storage.models import UpdateInbox

INBOX = UpdateInbox.__table__

#: Telegram update ids are positive and fit a signed 64-bit column; anything else is forged.
MAX_UPDATE_ID = 2**63 - 1

WORKING = "working"
DONE = "done"


def valid_update_id(update_id: object) -> bool:
    """True for an id the inbox can store (a forged 2^70 or a negative id is not one)."""
    return isinstance(update_id, int) and not isinstance(update_id, bool) and 0 <= update_id <= MAX_UPDATE_ID


def _now() -> datetime:
    return datetime.now(UTC)


def _insert(db: Database) -> Any:
    if db.is_sqlite:
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    return insert(INBOX)


async def receive(db: Database, *, scope: str, update_id: int, payload: str | None, owner: str,
                  lease: timedelta) -> bool:
    """Store a delivered update owned by ``owner``; False when it was stored before (a redelivery)."""
    now = _now()
    stmt = (_insert(db).values(scope=scope, update_id=update_id, state=WORKING, owner=owner,
                               lease_until=now + lease, attempts=0, payload=payload, received_at=now)
            .on_conflict_do_nothing().returning(INBOX.c.update_id))

    def run(conn: Connection) -> bool:
        return conn.execute(stmt).first() is not None

    return await db.run(run, write=True)


async def claim(db: Database, *, scope: str, update_id: int, owner: str, lease: timedelta,
                payload: str | None = None) -> bool:
    """Take the update for handling: True when ``owner`` may handle it now.

    A new id is inserted as owned; an existing row is taken when it is not done and either already
    ``owner``'s (it received it) or its lease ran out (its process died). One statement, so two
    workers racing for the same id cannot both win.
    """
    return update_id in await claim_many(db, scope=scope, update_ids=[update_id], owner=owner, lease=lease,
                                         payload=payload)


async def claim_many(db: Database, *, scope: str, update_ids: list[int], owner: str, lease: timedelta,
                     payload: str | None = None) -> set[int]:
    """:func:`claim` for several distinct ids in one statement (group commit); returns the ids taken."""
    ids = sorted(set(update_ids))
    if not ids:
        return set()
    now = _now()
    ins = _insert(db).values([{"scope": scope, "update_id": u, "state": WORKING, "owner": owner,
                               "lease_until": now + lease, "attempts": 1, "payload": payload, "received_at": now}
                              for u in ids])
    stmt = ins.on_conflict_do_update(
        index_elements=[INBOX.c.scope, INBOX.c.update_id],
        set_={"owner": owner, "lease_until": now + lease, "attempts": INBOX.c.attempts + 1},
        where=and_(INBOX.c.state == WORKING,
                   or_(INBOX.c.owner == owner, INBOX.c.lease_until.is_(None), INBOX.c.lease_until < now)),
    ).returning(INBOX.c.update_id)

    def run(conn: Connection) -> set[int]:
        return {int(u) for u in conn.execute(stmt).scalars()}

    return await db.run(run, write=True)


async def done(db: Database, *, scope: str, update_ids: Iterable[int]) -> None:
    """Mark handled updates done (whoever owns them now) and drop their stored JSON."""
    ids = sorted(set(update_ids))
    if not ids:
        return
    now = _now()

    def run(conn: Connection) -> None:
        for start in range(0, len(ids), 400):
            conn.execute(update(INBOX).where(INBOX.c.scope == scope, INBOX.c.update_id.in_(ids[start:start + 400]))
                         .values(state=DONE, done_at=now, payload=None, lease_until=None))

    await db.run(run, write=True)


async def heartbeat(db: Database, *, scope: str, owner: str, update_ids: Iterable[int], lease: timedelta) -> int:
    """Extend ``owner``'s leases on updates still waiting or running; returns how many it still holds."""
    return await _set_lease(db, scope=scope, owner=owner, update_ids=update_ids, until=_now() + lease)


async def _set_lease(db: Database, *, scope: str, owner: str, update_ids: Iterable[int], until: datetime) -> int:
    """Set the lease of ``owner``'s updates still working among ``update_ids``; returns how many it holds."""
    ids = sorted(set(update_ids))
    if not ids:
        return 0

    def run(conn: Connection) -> int:
        held = 0
        for start in range(0, len(ids), 400):
            held += conn.execute(update(INBOX).where(
                INBOX.c.scope == scope, INBOX.c.owner == owner, INBOX.c.state == WORKING,
                INBOX.c.update_id.in_(ids[start:start + 400])).values(lease_until=until)).rowcount
        return held

    return await db.run(run, write=True)


async def owners(db: Database, *, scope: str) -> list[str]:
    """The processes that own updates not done yet (to spot dead ones on this host)."""

    def run(conn: Connection) -> list[str]:
        return [str(o) for o in conn.execute(select(INBOX.c.owner).where(
            INBOX.c.scope == scope, INBOX.c.state == WORKING, INBOX.c.owner.is_not(None)).distinct()).scalars()]

    return await db.run(run)


async def release(db: Database, *, scope: str, owner: str, update_ids: Iterable[int]) -> int:
    """A stopping worker gives back updates it holds but has not started: their leases end now, so any
    other worker takes them over at its next beat. Returns how many."""
    return await _set_lease(db, scope=scope, owner=owner, update_ids=update_ids, until=_now() - timedelta(seconds=1))


async def reclaim(db: Database, *, scope: str, owner: str, lease: timedelta, limit: int = 200,
                  max_attempts: int = 5, dead: Iterable[str] = ()) -> list[tuple[int, str]]:
    """Take over updates whose owner's lease ran out, or whose owner is known ``dead`` (a process of
    this host that no longer runs); returns ``(update_id, json)`` in id order.

    An update that was taken over ``max_attempts`` times (it kills its worker, or never finishes) is
    marked done instead, so one poisonous update cannot go round the workers for ever.
    """
    now = _now()
    dead = [d for d in dead if d != owner]
    free = or_(INBOX.c.lease_until < now, INBOX.c.owner.in_(dead)) if dead else INBOX.c.lease_until < now

    def run(conn: Connection) -> list[tuple[int, str]]:
        stale = conn.execute(select(INBOX.c.update_id, INBOX.c.payload, INBOX.c.attempts).where(
            INBOX.c.scope == scope, INBOX.c.state == WORKING, free,
            INBOX.c.payload.is_not(None)).order_by(INBOX.c.update_id).limit(limit)).all()
        taken: list[tuple[int, str]] = []
        for update_id, payload, attempts in stale:
            guard = and_(INBOX.c.scope == scope, INBOX.c.update_id == update_id, INBOX.c.state == WORKING, free)
            if attempts >= max_attempts:
                conn.execute(update(INBOX).where(guard).values(state=DONE, done_at=now, lease_until=None))
                continue
            got = conn.execute(update(INBOX).where(guard).values(
                owner=owner, lease_until=now + lease, attempts=INBOX.c.attempts + 1)).rowcount
            if got == 1:
                taken.append((int(update_id), payload))
        return taken

    return await db.run(run, write=True)


async def stats(db: Database, *, scope: str) -> dict[str, Any]:
    """Counts for /healthz and the logs: updates waiting or running, expired leases, the oldest age."""
    now = _now()

    def run(conn: Connection) -> dict[str, Any]:
        working, oldest = conn.execute(select(func.count(), func.min(INBOX.c.received_at)).where(
            INBOX.c.scope == scope, INBOX.c.state == WORKING)).one()
        expired = conn.execute(select(func.count()).where(
            INBOX.c.scope == scope, INBOX.c.state == WORKING, INBOX.c.lease_until < now)).scalar_one()
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        return {"working": int(working), "expired": int(expired),
                "oldest_s": round((now - oldest).total_seconds(), 1) if oldest else 0.0}

    return await db.run(run)


async def state_of(db: Database, *, scope: str, update_id: int) -> dict[str, Any] | None:
    """One row as a dict (tests, diagnostics)."""

    def run(conn: Connection) -> dict[str, Any] | None:
        row = conn.execute(select(INBOX).where(INBOX.c.scope == scope, INBOX.c.update_id == update_id)).first()
        return dict(row._mapping) if row else None

    return await db.run(run)


async def prune(db: Database, *, older_than: timedelta = timedelta(days=7)) -> int:
    """Forget done updates older than ``older_than`` (Telegram stops redelivering after a day)."""
    before = _now() - older_than

    def run(conn: Connection) -> int:
        return conn.execute(delete(INBOX).where(INBOX.c.state == DONE, INBOX.c.done_at < before)).rowcount

    return await db.run(run, write=True)


__all__ = ["MAX_UPDATE_ID", "claim", "claim_many", "done", "heartbeat", "owners", "prune", "receive", "reclaim", "release", "state_of", "stats",
           "valid_update_id"]
