"""The double-send window: a send whose outcome is unknown is re-sent with 「补发」, a send recorded
late (database briefly away) is not re-sent, and a restart releases a dead sender's rows at once."""

from __future__ import annotations

import asyncio
import socket
import subprocess
from datetime import timedelta

from bot.deadlines import service, ticker
from bot.deadlines.ticker import RESEND_PREFIX, tick
from storage import reminders as store
from tests.support.faults import SwitchableDatabase

from .helpers import CONFIG, fast_limiter, local

CHAT = -1009


async def _one_due(db) -> tuple:
    now = local(2026, 11, 22, 10)
    await service.remind_command(db, chat_id=CHAT, args="明天 9点 提交报表", now=now, config=CONFIG)
    return local(2026, 11, 23, 9, 0, 5)


async def test_killed_after_sending_is_resent_once_with_buxfa(db):
    due = await _one_due(db)
    [row] = [r for r in await store.outbox(db, chat_id=CHAT) if r["sent_at"] is None]
    # a worker claimed it and was killed -9 before it could record the send
    assert await store.claim_send(db, item_id=row["id"], worker_id="dead:1:x", now=due,
                                  lease_until=due + CONFIG.lease) == "first"
    assert await store.mark_sending(db, item_id=row["id"], worker_id="dead:1:x")
    sent: list[str] = []

    async def send(chat_id: int, text: str) -> int:
        sent.append(text)
        return 1

    assert (await tick(db, send, due + timedelta(seconds=30), "w2", config=CONFIG, limiter=fast_limiter(),
                       plan=False)).sent == 0  # the lease still protects the row
    later = due + CONFIG.lease + timedelta(seconds=1)
    report = await tick(db, send, later, "w2", config=CONFIG, limiter=fast_limiter(), plan=False)
    assert report.sent == 1 and report.resent == 1
    assert sent == [RESEND_PREFIX + "⏰ 提醒：提交报表"]
    assert (await tick(db, send, later + timedelta(minutes=5), "w2", config=CONFIG, limiter=fast_limiter(),
                       plan=False)).sent == 0


async def test_mark_sent_during_a_short_outage_is_retried_not_resent(sqlite_url, monkeypatch):
    monkeypatch.setattr(ticker, "MARK_RETRIES", (0.05, 0.05, 0.3))
    db = SwitchableDatabase(sqlite_url)
    try:
        due = await _one_due(db)
        sent: list[str] = []

        async def send(chat_id: int, text: str) -> int:
            sent.append(text)
            db.down = True  # Telegram answered; the database refuses right after
            asyncio.get_running_loop().call_later(0.2, setattr, db, "down", False)
            return 5

        report = await tick(db, send, due, "w1", config=CONFIG, limiter=fast_limiter(), plan=False)
        assert report.sent == 1 and db.refused >= 1
        [row] = [r for r in await store.outbox(db, chat_id=CHAT) if r["message_id"] == 5]
        assert row["sent_at"] is not None and row["result"] == "sent"
        later = due + CONFIG.lease + timedelta(minutes=1)
        assert (await tick(db, send, later, "w2", config=CONFIG, limiter=fast_limiter(), plan=False)).sent == 0
        assert len(sent) == 1
    finally:
        await db.close()


async def test_mark_kept_in_memory_when_the_outage_outlasts_the_retries(sqlite_url, monkeypatch):
    monkeypatch.setattr(ticker, "MARK_RETRIES", (0.01,))
    db = SwitchableDatabase(sqlite_url)
    try:
        due = await _one_due(db)
        sent: list[str] = []

        async def send(chat_id: int, text: str) -> int:
            sent.append(text)
            db.down = True
            return 6

        await tick(db, send, due, "w1", config=CONFIG, limiter=fast_limiter(), plan=False)
        assert len(ticker._unrecorded) == 1
        db.down = False
        # the next tick writes the held mark first: nothing is sent twice
        assert (await tick(db, send, due + timedelta(seconds=30), "w1", config=CONFIG, limiter=fast_limiter(),
                           plan=False)).sent == 0
        assert ticker._unrecorded == [] and len(sent) == 1
    finally:
        ticker._unrecorded.clear()
        await db.close()


async def test_reconcile_releases_rows_of_a_dead_process_on_this_host(db):
    await _one_due(db)
    [row] = [r for r in await store.outbox(db, chat_id=CHAT) if r["sent_at"] is None]
    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that no longer runs
    owner = f"{socket.gethostname()[:24]}:{gone.pid}:abc"
    now = local(2026, 11, 23, 9, 0, 5)
    await store.claim_send(db, item_id=row["id"], worker_id=owner, now=now, lease_until=now + CONFIG.lease)
    await store.mark_sending(db, item_id=row["id"], worker_id=owner)
    assert await ticker.reconcile(db, now=now + timedelta(seconds=1)) == 1
    claimed = await store.claim_send(db, item_id=row["id"], worker_id="w2", now=now + timedelta(seconds=2),
                                     lease_until=now + CONFIG.lease)
    assert claimed == "resend"


async def test_a_claim_that_died_before_sending_is_not_labelled_buxfa(db):
    """Killed (or the database went away) after the claim but before the HTTP request: the user never
    saw it, so the next send is a plain one — 【补发】 only when an earlier send may have reached them."""
    due = await _one_due(db)
    [row] = [r for r in await store.outbox(db, chat_id=CHAT) if r["sent_at"] is None]
    await store.claim_send(db, item_id=row["id"], worker_id="dead:1:x", now=due, lease_until=due + CONFIG.lease)
    sent: list[str] = []

    async def send(chat_id: int, text: str) -> int:
        sent.append(text)
        return 1

    later = due + CONFIG.lease + timedelta(seconds=1)
    report = await tick(db, send, later, "w2", config=CONFIG, limiter=fast_limiter(), plan=False)
    assert report.sent == 1 and report.resent == 0 and sent == ["⏰ 提醒：提交报表"]


async def test_unknown_outcome_survives_a_second_failed_claim(db):
    """sending → (died) → claimed? → (died before sending) → the third attempt still says 【补发】."""
    due = await _one_due(db)
    [row] = [r for r in await store.outbox(db, chat_id=CHAT) if r["sent_at"] is None]
    lease = CONFIG.lease
    await store.claim_send(db, item_id=row["id"], worker_id="a:1:x", now=due, lease_until=due + lease)
    await store.mark_sending(db, item_id=row["id"], worker_id="a:1:x")
    t2 = due + lease + timedelta(seconds=1)
    assert await store.claim_send(db, item_id=row["id"], worker_id="b:1:x", now=t2, lease_until=t2 + lease) == "resend"
    t3 = t2 + lease + timedelta(seconds=1)
    assert await store.claim_send(db, item_id=row["id"], worker_id="c:1:x", now=t3, lease_until=t3 + lease) == "resend"
    assert not await store.mark_sending(db, item_id=row["id"], worker_id="b:1:x")  # b lost the row
