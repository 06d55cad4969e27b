"""The durable update inbox on SQLite and PostgreSQL: receive → claim → done, leases, takeover, scopes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage import inbox

LEASE = timedelta(seconds=60)
A, B = "bot:a", "bot:b"


async def test_receive_then_claim_then_done(db):
    assert await inbox.receive(db, scope=A, update_id=7, payload='{"update_id": 7}', owner="w1", lease=LEASE)
    # the same delivery again (a Telegram retry, maybe to another worker): not stored twice
    assert not await inbox.receive(db, scope=A, update_id=7, payload='{"update_id": 7}', owner="w2", lease=LEASE)
    assert not await inbox.claim(db, scope=A, update_id=7, owner="w2", lease=LEASE)  # w1 is alive
    assert await inbox.claim(db, scope=A, update_id=7, owner="w1", lease=LEASE)
    await inbox.done(db, scope=A, update_ids=[7])
    row = await inbox.state_of(db, scope=A, update_id=7)
    assert row["state"] == "done" and row["payload"] is None
    assert not await inbox.claim(db, scope=A, update_id=7, owner="w1", lease=LEASE)  # never run twice


async def test_claim_without_receive_is_the_polling_path(db):
    assert await inbox.claim(db, scope=A, update_id=1, owner="w1", lease=LEASE)
    assert not await inbox.claim(db, scope=A, update_id=1, owner="w2", lease=LEASE)


async def test_scopes_keep_ids_apart(db):
    """Another bot token, or a fresh console session, counts its update ids from 1 again."""
    for scope in (A, B, "console:1", "console:2"):
        assert await inbox.claim(db, scope=scope, update_id=1, owner="w1", lease=LEASE)
        await inbox.done(db, scope=scope, update_ids=[1])


async def test_a_dead_workers_update_is_taken_over_once(db):
    await inbox.receive(db, scope=A, update_id=5, payload='{"update_id": 5}', owner="dead",
                        lease=timedelta(seconds=-1))  # its lease has already run out
    await inbox.receive(db, scope=A, update_id=6, payload='{"update_id": 6}', owner="alive", lease=LEASE)
    taken = await inbox.reclaim(db, scope=A, owner="w2", lease=LEASE)
    assert taken == [(5, '{"update_id": 5}')]
    assert await inbox.reclaim(db, scope=A, owner="w3", lease=LEASE) == []  # w2 holds it now
    assert await inbox.claim(db, scope=A, update_id=5, owner="w2", lease=LEASE)
    assert not await inbox.claim(db, scope=A, update_id=5, owner="dead", lease=LEASE)


async def test_heartbeat_keeps_a_lease_and_poison_stops(db):
    await inbox.receive(db, scope=A, update_id=9, payload="{}", owner="w1", lease=timedelta(seconds=-1))
    assert await inbox.heartbeat(db, scope=A, owner="w1", update_ids=[9], lease=LEASE) == 1
    assert await inbox.reclaim(db, scope=A, owner="w2", lease=LEASE) == []
    # an update that keeps killing its worker is given up after max_attempts takeovers
    for attempt in range(3):
        await inbox.heartbeat(db, scope=A, owner=f"w{attempt + 1}" if attempt else "w1", update_ids=[9],
                              lease=timedelta(seconds=-1))
        await inbox.reclaim(db, scope=A, owner=f"w{attempt + 2}", lease=LEASE, max_attempts=2)
    assert (await inbox.state_of(db, scope=A, update_id=9))["state"] == "done"


async def test_concurrent_claims_have_one_winner(db):
    if db.is_sqlite and db.url.database in (None, "", ":memory:"):
        return
    results = await asyncio.gather(*(inbox.claim(db, scope=A, update_id=42, owner=f"w{i}", lease=LEASE)
                                     for i in range(8)))
    assert sum(results) == 1


async def test_ids_out_of_range_are_not_valid():
    assert inbox.valid_update_id(1) and inbox.valid_update_id(2**63 - 1)
    assert not inbox.valid_update_id(2**70) and not inbox.valid_update_id(-1)
    assert not inbox.valid_update_id("5") and not inbox.valid_update_id(True)


async def test_stats_and_prune(db):
    await inbox.receive(db, scope=A, update_id=1, payload="{}", owner="w1", lease=timedelta(seconds=-1))
    await inbox.claim(db, scope=A, update_id=2, owner="w1", lease=LEASE)
    await inbox.done(db, scope=A, update_ids=[2])
    stats = await inbox.stats(db, scope=A)
    assert stats["working"] == 1 and stats["expired"] == 1
    assert await inbox.prune(db, older_than=timedelta(seconds=-1)) == 1
