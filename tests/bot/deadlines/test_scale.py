"""1,000 groups due at the same minute: every one sent once, paced inside Telegram's limits.

The pacing is checked on the limiter's fake clock (deterministic); wall-clock speed is for bench/.
"""

from __future__ import annotations

from datetime import timedelta

from bot.deadlines import service
from bot.deadlines.config import ReminderConfig
from bot.deadlines.limiter import Limiter
from bot.deadlines.ticker import tick

from .helpers import TZ, FakeClock, local

GROUPS = 1000


async def test_thousand_groups_same_minute(sqlite_db):
    db = sqlite_db
    when = local(2026, 12, 1, 9, 0)
    for i in range(GROUPS):
        await service.add_reminder_at(db, chat_id=-100_000 - i, text=f"请提交年报{i}", when=when)
    clock = FakeClock()
    limiter = Limiter(per_group_per_minute=20, per_second=25, clock=clock, sleep=clock.sleep, keep_history=True)
    sent: list[int] = []

    async def send(chat_id: int, text: str) -> int:
        sent.append(chat_id)
        return len(sent)

    report = await tick(db, send, when + timedelta(seconds=20), "bench", config=ReminderConfig(tz=TZ),
                        limiter=limiter, plan=False)
    assert report.sent == GROUPS and sorted(sent) == sorted(-100_000 - i for i in range(GROUPS))
    slots = sorted(slot for _, slot in limiter.reserved)
    assert len(slots) == GROUPS
    # never 26 sends inside one second (sliding window), and the whole burst well inside two minutes
    assert all(slots[i + 25] - slots[i] >= 1 - 1e-9 for i in range(len(slots) - 25))
    assert slots[-1] - slots[0] <= 120  # all within two minutes of pacing
    again = await tick(db, send, when + timedelta(seconds=50), "bench", config=ReminderConfig(tz=TZ),
                       limiter=limiter, plan=False)
    assert again.sent == 0 and len(sent) == GROUPS
