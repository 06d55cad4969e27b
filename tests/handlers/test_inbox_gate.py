"""The gate and the durable inbox with the real bot: outages answer once, forged ids fail closed,
a dead worker's updates are taken over, handled updates are marked done."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update

from handlers.gate import DB_DOWN
from handlers.inbox import bot_scope
from storage import inbox
from tests.support.faults import SwitchableDatabase

EXAMPLE = "examples"


def help_update(tg, update_id: int, chat_id: int) -> dict:
    tg.private(chat_id)
    return {"update_id": update_id, "message": {
        "message_id": 70 + update_id, "date": 1700000000, "chat": tg.chats[chat_id], "from": tg.user(chat_id),
        "text": "/help", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}


async def test_database_outage_one_short_reply_per_update_then_recovery(start_bot, sqlite_url, caplog):
    db = SwitchableDatabase(sqlite_url)
    try:
        async with start_bot(db=db, sequential=True) as h:
            tg = h.tg
            group = tg.group(-1001, admins=[5])
            private = tg.private(77)
            db.down = True
            caplog.clear()
            with caplog.at_level(logging.WARNING):
                await tg.send_command(private, "help", user_id=77)
                await tg.send_text(group, "鹿山街道交了吗", user_id=5)
                await tg.send_document(group, "report.txt", b"\xe5\xb9\xb4\xe6\x8a\xa5", user_id=5)
                await tg.wait_messages(group, 2)
                await tg.wait_messages(private, 1)
                await asyncio.sleep(0.3)
            assert tg.texts(private) == [DB_DOWN]
            assert tg.texts(group) == [DB_DOWN, DB_DOWN]  # one per update, no feature handler ran
            assert not [r for r in caplog.records if r.exc_info], "no traceback per update"
            assert db.refused >= 3
            db.down = False  # the database is back: answered normally, no restart
            await tg.send_command(private, "help", user_id=77)
            replies = await tg.wait_messages(private, 2)
            assert "/reports" in replies[-1]["text"]
    finally:
        await db.close()


async def test_forged_huge_update_id_fails_closed(harness):
    tg, app = harness.tg, harness.app
    forged = Update.de_json(help_update(tg, 2**70, 31), app.bot)
    await app.process_update(forged)
    assert tg.texts(31) == []  # not handled: the gate could not record it
    await app.process_update(Update.de_json(help_update(tg, 12, 31), app.bot))
    assert len(tg.texts(31)) == 1


async def test_a_dead_workers_update_is_answered_by_another_and_marked_done(harness):
    import json

    tg, app, db = harness.tg, harness.app, harness.db
    scope = bot_scope(tg.token)
    assert app.bot_data["update_scope"] == scope
    payload = json.dumps(help_update(tg, 5000, 32))
    # worker "dead" stored (acknowledged) the update, then was killed -9: its lease ran out
    from datetime import timedelta

    await inbox.receive(db, scope=scope, update_id=5000, payload=payload, owner="dead", lease=timedelta(seconds=-1))
    box = app.bot_data["inbox"]
    assert await box.beat_once(app) == 1
    [reply] = await tg.wait_messages(32, 1)
    assert "/reports" in reply["text"]
    for _ in range(50):
        row = await inbox.state_of(db, scope=scope, update_id=5000)
        if row["state"] == "done":
            break
        await asyncio.sleep(0.05)
    assert row["state"] == "done" and row["attempts"] == 2
    assert await box.beat_once(app) == 0  # never taken again


async def test_handled_updates_are_done_and_a_redelivery_is_dropped(harness):
    tg, app, db = harness.tg, harness.app, harness.db
    await app.process_update(Update.de_json(help_update(tg, 77, 33), app.bot))
    await app.bot_data["inbox"].flush()
    row = await inbox.state_of(db, scope=app.bot_data["update_scope"], update_id=77)
    assert row["state"] == "done"
    await app.process_update(Update.de_json(help_update(tg, 77, 33), app.bot))
    assert len(tg.texts(33)) == 1


async def test_the_done_mark_does_not_wait_for_the_bookkeeping_observers(harness, monkeypatch):
    """Answered → done at once: a worker killed while the observers (handlers/contacts.py) still run
    must not leave an answered update for another worker to answer again (the fault test's doubles)."""
    from storage import contacts

    tg, app, db = harness.tg, harness.app, harness.db
    observing, release = asyncio.Event(), asyncio.Event()

    async def slow_seen_user(*args, **kwargs):
        observing.set()
        await release.wait()

    monkeypatch.setattr(contacts, "seen_user", slow_seen_user)
    tg.group(-1009, admins=[5])
    update = help_update(tg, 88, 35)
    update["message"]["chat"], update["message"]["from"] = tg.chats[-1009], tg.user(5)
    task = asyncio.create_task(app.process_update(Update.de_json(update, app.bot)))
    try:
        await asyncio.wait_for(observing.wait(), 10)  # answered; the observer is still writing
        assert "/reports" in tg.texts(-1009)[0]
        await app.bot_data["inbox"].flush()
        row = await inbox.state_of(db, scope=app.bot_data["update_scope"], update_id=88)
        assert row["state"] == "done"
    finally:
        release.set()
        await task


async def test_a_stopping_worker_hands_unstarted_updates_back(harness):
    """SIGTERM with a backlog: updates not started yet are given back (their lease ends now) instead of
    being worked through before the process may exit; another worker takes them over."""
    from datetime import timedelta

    tg, app, db = harness.tg, harness.app, harness.db
    box = app.bot_data["inbox"]
    scope = app.bot_data["update_scope"]
    await box.receive(6001, '{"update_id": 6001}')
    box.draining = True
    await app.process_update(Update.de_json(help_update(tg, 6001, 34), app.bot))
    assert tg.texts(34) == []  # not answered here
    row = await inbox.state_of(db, scope=scope, update_id=6001)
    assert row["state"] == "working" and 6001 not in box.in_flight
    taken = await inbox.reclaim(db, scope=scope, owner="other", lease=timedelta(seconds=60))
    assert [u for u, _ in taken] == [6001]


async def test_claims_in_a_burst_share_transactions_and_a_duplicate_wins_once(sqlite_db):
    from handlers.inbox import UpdateInbox

    box = UpdateInbox(sqlite_db, "bot:burst")
    ids = [*range(100, 130), 105, 117]  # two ids delivered twice in the same burst
    results = await asyncio.gather(*(box.claim(u) for u in ids))
    assert sum(results) == 30
    assert [r for u, r in zip(ids, results, strict=True) if u == 105].count(True) == 1
    assert not await UpdateInbox(sqlite_db, "bot:burst", owner="other").claim(101)  # owned by a live worker


async def test_a_done_mark_does_not_wait_for_a_slow_earlier_batch(sqlite_db, monkeypatch):
    """The double window is reply → mark committed: a mark is written at once, not after a batch still
    being written (a loaded host took 100–240 ms per batch in the fault test)."""
    from handlers.inbox import UpdateInbox

    box = UpdateInbox(sqlite_db, "bot:slow")
    real_done, slow, written = inbox.done, asyncio.Event(), []

    async def done(db, *, scope, update_ids):
        ids = sorted(update_ids)
        if ids == [1]:
            await slow.wait()
        await real_done(db, scope=scope, update_ids=ids)
        written.append(ids)

    monkeypatch.setattr(inbox, "done", done)
    for update_id in (1, 2):
        await inbox.receive(sqlite_db, scope="bot:slow", update_id=update_id, payload="{}", owner=box.owner,
                            lease=box.lease)
    box.finished(1)
    await asyncio.sleep(0.05)
    box.finished(2)
    for _ in range(100):
        if written:
            break
        await asyncio.sleep(0.02)
    assert written == [[2]]  # while batch [1] is still being written
    slow.set()
    await box.flush()
    assert written == [[2], [1]]
    assert (await inbox.state_of(sqlite_db, scope="bot:slow", update_id=1))["state"] == "done"
