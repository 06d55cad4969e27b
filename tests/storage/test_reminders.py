"""storage.reminders: idempotent planning, the compare-and-set claim, and concurrent ticks from two
processes on one database (SQLite and PostgreSQL) sending every reminder exactly once."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.deadlines.config import ReminderConfig
from bot.deadlines.limiter import Limiter
from bot.deadlines.ticker import tick
from storage import reminders as store
from storage.db import Database
from storage.reminders import PlannedSend

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def _sends(n: int, *, due_at: datetime = NOW, prefix: str = "t") -> list[PlannedSend]:
    return [PlannedSend(f"{prefix}:{i}", -1000 - i, "custom", i + 1, "once", due_at) for i in range(n)]


async def _customs(db, n: int, due_at: datetime = NOW) -> None:
    for i in range(n):
        r = await store.add_custom(db, chat_id=-1000 - i, text=f"提醒{i}", weekday=None, at_time="09:00")
        await store.plan(db, sends=[PlannedSend(f"c:{r.id}", r.chat_id, "custom", r.id, "once", due_at)])


async def test_plan_is_idempotent(db):
    assert await store.plan(db, sends=_sends(3)) == 3
    assert await store.plan(db, sends=_sends(4)) == 1
    assert len(await store.outbox(db)) == 4


async def test_claim_is_compare_and_set(db):
    await store.plan(db, sends=_sends(1))
    (item,) = await store.pending_due(db, now=NOW)
    lease = NOW + timedelta(minutes=5)
    assert await store.claim(db, item_id=item.id, worker_id="a", now=NOW, lease_until=lease)
    assert not await store.claim(db, item_id=item.id, worker_id="b", now=NOW, lease_until=lease)
    assert await store.pending_due(db, now=NOW) == []  # held by a live claim
    # a crashed holder: once the lease expires another worker may take over
    later = lease + timedelta(seconds=1)
    assert await store.claim(db, item_id=item.id, worker_id="b", now=later, lease_until=later + timedelta(minutes=5))
    assert not await store.mark_sent(db, item_id=item.id, worker_id="a", now=later)  # no longer a's
    assert await store.mark_sent(db, item_id=item.id, worker_id="b", now=later, message_id=42)
    assert not await store.claim(db, item_id=item.id, worker_id="c", now=later + timedelta(hours=1),
                                 lease_until=later + timedelta(hours=2))
    (row,) = await store.outbox(db)
    assert row["message_id"] == 42 and row["claimed_by"] == "b" and row["sent_at"] is not None


async def test_mark_missed_only_once_and_never_after_send(db):
    await store.plan(db, sends=_sends(2))
    a, b = await store.pending_due(db, now=NOW)
    assert await store.mark_missed(db, item_id=a.id, now=NOW)
    assert not await store.mark_missed(db, item_id=a.id, now=NOW)
    await store.claim(db, item_id=b.id, worker_id="w", now=NOW, lease_until=NOW + timedelta(minutes=5))
    assert not await store.mark_missed(db, item_id=b.id, now=NOW)  # held
    assert [t.id for t in await store.take_missed(db, chat_id=a.chat_id, now=NOW)] == [a.id]
    assert await store.take_missed(db, chat_id=a.chat_id, now=NOW) == []


async def test_deadline_complete_once_and_cancels_pending(db):
    d, new = await store.add_deadline(db, chat_id=-5, kind="custom", due=date(2027, 1, 15), title="报区政府办",
                                      report_year=2026)
    assert new
    assert (await store.add_deadline(db, chat_id=-5, kind="custom", due=date(2027, 1, 15), title="报区政府办",
                                     report_year=2026))[1] is False
    await store.plan(db, sends=[PlannedSend(f"d:{d.id}:{i}", -5, "deadline", d.id, str(i), NOW + timedelta(days=i))
                                for i in range(3)])
    assert await store.complete_deadline(db, deadline_id=d.id, now=NOW)
    assert not await store.complete_deadline(db, deadline_id=d.id, now=NOW)
    assert all(r["cancelled_at"] is not None for r in await store.outbox(db, chat_id=-5))


async def test_application_numbers_per_chat(db):
    a = await store.add_application(db, chat_id=-7, summary="甲", received=date(2026, 3, 2), due=date(2026, 3, 30))
    b = await store.add_application(db, chat_id=-7, summary="乙", received=date(2026, 3, 2), due=date(2026, 3, 30))
    c = await store.add_application(db, chat_id=-8, summary="丙", received=date(2026, 3, 2), due=date(2026, 3, 30))
    assert (a.seq, b.seq, c.seq) == (1, 2, 1)
    assert (await store.get_application(db, chat_id=-7, seq=2)).summary == "乙"


async def test_two_workers_on_two_engines_send_each_reminder_once(db_url):
    """Two Database objects (separate connection pools) tick at the same instant."""
    one, two = Database(db_url), Database(db_url)
    try:
        await _customs(one, 60)
        sent: list[int] = []

        async def send(chat_id: int, text: str) -> int:
            await asyncio.sleep(0.002)  # let the two ticks interleave
            sent.append(chat_id)
            return 1

        cfg = ReminderConfig(concurrency=4)
        fast = {"per_second": 10_000.0, "per_chat_gap": 0.0}
        r1, r2 = await asyncio.gather(
            tick(one, send, NOW + timedelta(seconds=5), "one", config=cfg, limiter=Limiter(**fast), plan=False),
            tick(two, send, NOW + timedelta(seconds=5), "two", config=cfg, limiter=Limiter(**fast), plan=False),
        )
        assert sorted(sent) == sorted(-1000 - i for i in range(60))
        assert r1.sent + r2.sent == 60
        rows = await store.outbox(one)
        assert all(r["sent_at"] is not None for r in rows)
    finally:
        await one.close()
        await two.close()


WORKER = textwrap.dedent("""
    import asyncio, json, sys
    from datetime import datetime
    from bot.deadlines.config import ReminderConfig
    from bot.deadlines.limiter import Limiter
    from bot.deadlines.ticker import tick
    from storage.db import Database

    async def main(url, now, out):
        db = Database(url)
        sent = []
        async def send(chat_id, text):
            await asyncio.sleep(0.002)
            sent.append(chat_id)
            return 1
        await tick(db, send, datetime.fromisoformat(now), sys.argv[4], config=ReminderConfig(concurrency=4),
                   limiter=Limiter(per_second=10000.0, per_chat_gap=0.0), plan=False)
        await db.close()
        with open(out, "w") as fh:
            json.dump(sent, fh)

    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
""")


async def test_two_os_processes_send_each_reminder_once(db_url, tmp_path):
    db = Database(db_url)
    try:
        await _customs(db, 80)
    finally:
        await db.close()
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    when = (NOW + timedelta(seconds=5)).isoformat()
    procs = [subprocess.Popen([sys.executable, str(script), db_url, when, str(tmp_path / f"{n}.json"), n],
                              cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
             for n in ("p1", "p2")]
    for p in procs:
        assert p.wait(timeout=120) == 0
    sent = [c for n in ("p1", "p2") for c in json.loads((tmp_path / f"{n}.json").read_text())]
    assert sorted(sent) == sorted(-1000 - i for i in range(80))
