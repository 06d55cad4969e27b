"""Reminder fan-out to 1,000 groups through the real ``tick`` and the real flood-control ``Limiter``.

1,000 groups each have two 街道 on their roster, none of which has submitted. Planning runs first
(on 2025-12-20); then ``tick`` runs at the first ladder step of the 2026-01-31 deadline, when every
group is due one reminder. The sender is a fake that sleeps 30 ms (a Bot API round trip) and records
when each send happened.

Full run: real clock — the figure is the wall time the tick took. Quick run: the same limiter on a
virtual clock (its sleeps advance a counter instead of waiting), so the figure is simulated. Either way
the table also gives the floor, 1,000 / 30 s (Telegram's ~30 messages/s overall), and the busiest
one-second window the sender saw (must stay ≤ 30).
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from datetime import date, datetime, timedelta
from typing import Any

from bench import Context, Figure, Target, missing

TARGET = Target("<", 120)
WINDOW_TARGET = Target("<=", 30)
TELEGRAM_PER_SECOND = 30
CHAT_BASE = -1_008_000_000_000


class VirtualClock:
    """A clock the limiter's sleeps advance instantly (each sleep ends exactly at its reserved slot).

    ``now()`` (and ``clock()``) is the virtual time of the calling task: the slot it last slept until, or
    the furthest time reached for a task that has not slept yet — so a send is stamped with its own slot
    even when other tasks have already moved the clock further on.
    """

    def __init__(self) -> None:
        self.t = 0.0
        self._woke: contextvars.ContextVar[float | None] = contextvars.ContextVar("woke", default=None)

    def clock(self) -> float:
        # each task's "now" is its own virtual time, as in real life: the limiter reads the clock again
        # after waking (to pace releases), and must not see the time other tasks have already reached
        return self.now()

    async def sleep(self, seconds: float) -> None:
        slot = self.now() + max(seconds, 0.0)  # the delay was computed from now() just now: the slot
        self.t = max(self.t, slot)
        self._woke.set(slot)
        await asyncio.sleep(0)

    def now(self) -> float:
        woke = self._woke.get()
        return self.t if woke is None else woke


def busiest_second(times: list[float]) -> int:
    """The most sends inside any one-second window."""
    times = sorted(times)
    best = lo = 0
    for hi, t in enumerate(times):
        while t - times[lo] >= 1.0:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def run(ctx: Context) -> list[Figure]:
    """Set up 1,000 groups, plan, then time the tick that sends every group its reminder."""
    groups = ctx.n(1000, 100)
    name = f"reminder fan-out, {groups:,} groups"
    try:
        from bot.deadlines.config import ReminderConfig
        from bot.deadlines.ladder import ladder_steps
        from bot.deadlines.limiter import Limiter
        from bot.deadlines.ticker import tick
        from storage import repo
        from storage.db import Database, upgrade
    except ImportError as exc:
        return [missing(name, "s", None, f"reminders not available ({exc})")]
    virtual = ctx.quick
    target = TARGET if groups == 1000 else Target("<", TARGET.limit * groups / 1000)
    config = ReminderConfig()
    due = date(2026, 1, 31)
    first = ladder_steps(due, ladder=config.ladder, at=config.at, tz=config.tz)[0]
    plan_at = datetime(2025, 12, 20, 10, 0, tzinfo=config.tz)
    fire_at = first.fire_at + timedelta(minutes=1)
    url = f"sqlite:///{ctx.workdir / 'reminders.db'}"
    upgrade(url)
    vc = VirtualClock()
    sends: list[tuple[int, float]] = []

    async def send(chat_id: int, text: str) -> int:
        sends.append((chat_id, vc.now() if virtual else time.monotonic()))
        await asyncio.sleep(0.03)
        return len(sends)

    async def go() -> tuple[float, Any, float]:
        async with Database(url) as db:
            ctx.log(f"creating {groups} groups with rosters")
            for g in range(groups):
                cid = CHAT_BASE - g
                await repo.ensure_workspace(db, chat_id=cid, title=f"政务公开工作群{g}")
                for k in range(2):
                    await repo.roster_add(db, chat_id=cid, name=f"示范区第{g}组{'东西南'[k]}街道", kind="街道")
            await tick(db, send, plan_at, config=config,
                       limiter=Limiter(per_group_per_minute=config.per_group_per_minute,
                                       per_second=config.per_second))
            sends.clear()
            limiter = Limiter(per_group_per_minute=config.per_group_per_minute, per_second=config.per_second,
                              **({"clock": vc.clock, "sleep": vc.sleep} if virtual else {}))
            t0 = time.perf_counter()
            v0 = vc.t
            report = await tick(db, send, fire_at, config=config, limiter=limiter)
            return time.perf_counter() - t0, report, vc.t - v0

    wall, report, virtual_span = asyncio.run(go())
    sent = len(sends)
    floor = sent / TELEGRAM_PER_SECOND if sent else None
    seconds = max(wall, virtual_span) if virtual else wall
    how = (f"simulated: limiter on a virtual clock ({virtual_span:.1f} s of pacing; {wall:.1f} s of real work)"
           if virtual else "wall time with the real clock")
    figures = [
        Figure(name, seconds if sent else None, "s", target, floor=floor,
               note=f"{sent} sent, {report.failed} failed, {report.skipped} skipped; {how}; "
               f"limiter {config.per_second:g}/s; floor = {sent} / {TELEGRAM_PER_SECOND} msg/s"
               + ("" if groups == 1000 else f"; quick: {groups} groups, target scaled from 1,000")),
        Figure("reminder sends in busiest second", busiest_second([t for _, t in sends]) if sends else None,
               "msgs", WINDOW_TARGET, note="Telegram bulk limit ~30/s"),
    ]
    if sent < groups:
        figures[0].note += f"; only {sent}/{groups} groups got a reminder: {report.errors[:2]}"
    return figures
