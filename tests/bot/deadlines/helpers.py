"""Shared test helpers: a recording sender, a limiter on a fake clock, and a day-by-day tick driver."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.deadlines.config import ReminderConfig
from bot.deadlines.limiter import Limiter
from bot.deadlines.ticker import tick

TZ = ZoneInfo("Asia/Shanghai")
CONFIG = ReminderConfig(tz=TZ)


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


def fast_limiter() -> Limiter:
    """A real limiter whose waiting happens on a fake clock (tests never sleep)."""
    clock = FakeClock()
    return Limiter(clock=clock, sleep=clock.sleep)


class Recorder:
    """The injected ``send``: records (local time, chat id, text) and returns a message id."""

    def __init__(self) -> None:
        self.sent: list[tuple[datetime, int, str]] = []
        self.now: datetime | None = None

    async def __call__(self, chat_id: int, text: str) -> int:
        self.sent.append((self.now, chat_id, text))
        return len(self.sent)

    def days(self, chat_id: int | None = None) -> list[date]:
        return [t.date() for t, c, _ in self.sent if chat_id is None or c == chat_id]


def local(y: int, m: int, d: int, hh: int = 9, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


async def run_days(db, send: Recorder, start: date, end: date, *, times=(time(8, 59), time(9, 0, 30), time(15, 0)),
                   config: ReminderConfig = CONFIG, worker_id: str = "w1", limiter: Limiter | None = None,
                   hook=None) -> None:
    """Tick at ``times`` on every day from ``start`` to ``end`` inclusive; ``hook(day)`` runs before a day."""
    limiter = limiter or fast_limiter()
    day = start
    while day <= end:
        if hook is not None:
            await hook(day)
        for t in times:
            now = datetime.combine(day, t, tzinfo=TZ)
            send.now = now
            await tick(db, send, now, worker_id, config=config, limiter=limiter)
        day += timedelta(days=1)
