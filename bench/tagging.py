"""Reminders that tag: 1,000 groups × 40 offices × 2 contacts reminded through the fake Bot API.

Each group has 40 街道 on its roster, none submitted, each with two contacts (one with a @username, one
without: a text mention). One chat deadline per group is due; ``tick`` sends every group its reminder
through the bot's real sender (``handlers.reminders.make_sender``: PTB ``Bot`` → HTTP → the fake Bot API on
loopback) and the real flood-control ``Limiter``. 80 mentions at ≤ 5 per message (bot/deadlines/mentions.py)
make 16 messages per group.

Pacing 20,000 messages at Telegram's limits takes a quarter of an hour of waiting, which tells nothing about
the code, so the limiter runs on a virtual clock in the real run (its waits advance a counter). The table gives:

* wall time — the real work (database, composing, HTTP to the fake API) without the pacing waits;
* paced time — the ticker's send pattern (16 groups in flight, each group's parts in order) on the real
  ``Limiter`` in a discrete-event simulation: what a real deployment waits for;
* busiest second overall, and busiest second / minute *per group* (Telegram: ~30/s, 1/s and 20/min);

each beside today's untagged figure: the same groups with tagging off (one message each, names only).
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, datetime, timedelta
from typing import Any

from bench import Context, Figure, Target, missing
from bench.reminders import VirtualClock, busiest_second

CHAT_BASE = -1_009_000_000_000
OFFICES = 40
CONTACTS = 2


def busiest_per_group(sends: list[tuple[int, float]], window: float) -> int:
    """The most sends to one group inside any window of ``window`` seconds."""
    by_chat: dict[int, list[float]] = {}
    for chat, t in sends:
        by_chat.setdefault(chat, []).append(t)
    best = 0
    for times in by_chat.values():
        times.sort()
        lo = 0
        for hi, t in enumerate(times):
            while t - times[lo] >= window - 1e-6:  # slots exactly `window` apart (float sums)
                lo += 1
            best = max(best, hi - lo + 1)
    return best


class EventClock:
    """A discrete-event clock for pure pacing code: ``sleep`` parks the task until the simulation reaches
    its wake time; time jumps to the earliest wake once every task is parked. Unlike the "furthest time
    reached" virtual clock, a task that starts later starts at the simulated *now*, as in real time."""

    def __init__(self) -> None:
        import heapq
        import itertools

        self.t = 0.0
        self._heap: list[tuple[float, int, asyncio.Future[None]]] = []
        self._push = heapq.heappush
        self._pop = heapq.heappop
        self._seq = itertools.count()

    def clock(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        self._push(self._heap, (self.t + max(seconds, 0.0), next(self._seq), future))
        await future

    async def run(self, tasks: list[asyncio.Task[Any]]) -> None:
        while not all(t.done() for t in tasks):
            for _ in range(3):  # let every runnable task reach its next park
                await asyncio.sleep(0)
            if self._heap:
                self.t, _, future = self._pop(self._heap)
                future.set_result(None)


def simulate_pacing(groups: int, parts: int, *, concurrency: int, per_second: float, per_minute: int
                    ) -> tuple[float, list[tuple[int, float]]]:
    """The ticker's send pattern on the real Limiter in simulated time: ``concurrency`` groups in flight,
    each sending its ``parts`` in order (one acquire each). Returns (seconds, (chat, slot) per send)."""
    from bot.deadlines.limiter import Limiter

    async def go() -> tuple[float, list[tuple[int, float]]]:
        clock = EventClock()
        limiter = Limiter(per_group_per_minute=per_minute, per_second=per_second, clock=clock.clock,
                          sleep=clock.sleep)
        sends: list[tuple[int, float]] = []
        semaphore = asyncio.Semaphore(concurrency)

        async def one(chat: int) -> None:
            async with semaphore:
                for _ in range(parts):
                    await limiter.acquire(chat)
                    sends.append((chat, clock.t))

        tasks = [asyncio.ensure_future(one(CHAT_BASE - g)) for g in range(groups)]
        await clock.run(tasks)
        return clock.t, sends

    return asyncio.run(go())


def run(ctx: Context) -> list[Figure]:
    groups = ctx.n(1000, 20)
    name = f"tagged reminders, {groups:,} groups × {OFFICES} offices × {CONTACTS} contacts"
    try:
        from telegram import Bot
        from telegram.request import HTTPXRequest

        from bot.console import FakeTelegram
        from bot.deadlines import ticker
        from bot.deadlines.config import ReminderConfig
        from bot.deadlines.limiter import Limiter
        from handlers.reminders import make_sender
        from storage import contacts, repo
        from storage import reminders as store
        from storage.db import Database, upgrade
    except ImportError as exc:
        return [missing(name, "s", None, f"not available ({exc})")]
    config = ReminderConfig(ladder=(0,), overdue_days=0)  # one reminder per group and deadline
    url = f"sqlite:///{ctx.workdir / 'tagging.db'}"
    upgrade(url)

    async def scenario(db: Any, tg: Any, bot: Any, deadlines: list[Any], fire: datetime, tagged: bool
                       ) -> tuple[float, float, list[tuple[int, float]], Any]:
        for d in deadlines:
            await repo.set_chat_setting(db, chat_id=d.chat_id, key=ticker.SETTING_TAGGING,
                                        value=None if tagged else False)
        vc = VirtualClock()
        sends: list[tuple[int, float]] = []
        real = make_sender(bot)

        async def send(chat_id: int, text: str, **extra: Any) -> int:
            sends.append((chat_id, vc.now()))
            return await real(chat_id, text, **extra)

        limiter = Limiter(per_group_per_minute=config.per_group_per_minute, per_second=config.per_second,
                          clock=vc.clock, sleep=vc.sleep, keep_history=True)
        t0, v0 = time.perf_counter(), vc.t
        report = await ticker.tick(db, send, fire, "bench", config=config, limiter=limiter, plan=False)
        # the pacing figures use the limiter's booked slots: on the virtual clock a send that did not have
        # to wait is stamped with the furthest time any task reached, not its own slot
        assert len(limiter.reserved) == len(sends), (len(limiter.reserved), len(sends))
        return time.perf_counter() - t0, vc.t - v0, list(limiter.reserved), report

    async def go() -> dict[str, Any]:
        async with FakeTelegram() as tg, Database(url) as db:
            bot = Bot(tg.token, base_url=tg.base_url, base_file_url=tg.file_url,
                      request=HTTPXRequest(connection_pool_size=32))
            await bot.initialize()
            ctx.log(f"creating {groups} groups × {OFFICES} offices × {CONTACTS} contacts")
            plain_deadlines, tagged_deadlines, rows = [], [], []
            for g in range(groups):
                cid = CHAT_BASE - g
                tg.group(cid)
                await repo.ensure_workspace(db, chat_id=cid, title=f"政务公开工作群{g}")
                for k in range(OFFICES):
                    office = await repo.roster_add(db, chat_id=cid, name=f"示范区第{k}号街道", kind="街道")
                    for c in range(CONTACTS):
                        uid = 10_000_000 + (g * OFFICES + k) * CONTACTS + c
                        rows.append({"chat_id": cid, "office_id": office.id, "user_id": uid,
                                     "username": f"u{uid}" if c == 0 else None, "display_name": f"联系人{c}号🙂"})
                for due, into in ((date(2027, 3, 10), plain_deadlines), (date(2027, 3, 12), tagged_deadlines)):
                    d, _ = await store.add_deadline(db, chat_id=cid, kind="custom", due=due, title="报送年报",
                                                    report_year=2026)
                    into.append(d)
            await contacts.bind_many(db, rows=rows)
            for d in (*plain_deadlines, *tagged_deadlines):
                await ticker.plan_deadline(db, d, now=datetime(2027, 3, 1, tzinfo=config.tz), config=config)
            at = timedelta(hours=9, minutes=1)
            out = {"plain": await scenario(db, tg, bot, plain_deadlines,
                                           datetime(2027, 3, 10, tzinfo=config.tz) + at, tagged=False),
                   "tagged": await scenario(db, tg, bot, tagged_deadlines,
                                            datetime(2027, 3, 12, tzinfo=config.tz) + at, tagged=True)}
            calls = tg.calls_to("sendMessage")
            out["mentions"] = max((len(c.params.get("entities") or []) for c in calls), default=0)
            out["longest"] = max((len(c.params["text"].encode("utf-16-le")) // 2 for c in calls), default=0)
            await bot.shutdown()
            return out

    out = asyncio.run(go())
    figures = []
    for key, label in (("tagged", "tagged"), ("plain", "untagged (today)")):
        wall, _, sends, report = out[key]
        per_group = round(len(sends) / max(groups, 1))
        paced, slots = simulate_pacing(groups, per_group, concurrency=config.concurrency,
                                       per_second=config.per_second, per_minute=config.per_group_per_minute)
        figures += [
            Figure(f"{name}: {label} wall time", wall, "s", None,
                   note=f"{len(sends)} messages ({per_group}/group), {report.failed} failed; real work (database, "
                   "composing, HTTP to the fake Bot API), the limiter's waits on a virtual clock"),
            Figure(f"{label}: paced time at Telegram's limits", paced, "s", None,
                   floor=len(sends) / config.per_second,
                   note=f"the ticker's pattern ({config.concurrency} groups in flight, parts in order) on the real "
                   f"Limiter in simulated time; floor = messages / {config.per_second:g} per s"),
            Figure(f"{label}: busiest second (all groups)", busiest_second([t for _, t in slots]), "msgs",
                   Target("<=", 30)),
            Figure(f"{label}: busiest second per group", busiest_per_group(sends, 1.0), "msgs", Target("<=", 1),
                   note="from the limiter's slots in the run above"),
            Figure(f"{label}: busiest minute per group", busiest_per_group(sends, 60.0), "msgs", Target("<=", 20)),
        ]
    figures.append(Figure("tagged: most mentions in one message", out["mentions"], "mentions", Target("<=", 5),
                          note=f"longest message {out['longest']} UTF-16 units (≤ 4096)"))
    return figures
