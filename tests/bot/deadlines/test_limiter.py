"""Flood control: per-group 20/min and 1/s, overall rate — checked on a fake clock."""

from __future__ import annotations

from bot.deadlines.limiter import Limiter


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


async def test_one_group_gets_at_most_20_per_minute_and_one_per_second():
    clock = FakeClock()
    lim = Limiter(per_group_per_minute=20, per_second=30, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(45):
        await lim.acquire(-1001)
        times.append(clock.t)
    for i in range(1, len(times)):
        assert times[i] - times[i - 1] >= 1.0 - 1e-9
    for i in range(20, len(times)):
        assert times[i] - times[i - 20] >= 60.0 - 1e-9
    assert times[20] - times[0] < 61  # no slower than needed


async def test_many_groups_share_the_overall_rate():
    clock = FakeClock()
    lim = Limiter(per_second=25, clock=clock, sleep=clock.sleep)
    slots = [lim.reserve(-1000 - i) for i in range(1000)]
    assert slots == sorted(slots)
    for i in range(25, len(slots)):
        assert slots[i] - slots[i - 25] >= 1.0 - 1e-9  # never more than 25 in any second
    assert slots[-1] - slots[0] < 40  # 1,000 groups fit well inside two minutes


async def test_waiters_woken_late_by_a_stalled_loop_are_still_paced():
    """Slots were booked before a 10-second stall: every one is in the past when its waiter wakes.
    The sends must still spread out at the overall rate instead of leaving in one burst."""
    clock = FakeClock()
    lim = Limiter(per_second=25, clock=clock, sleep=clock.sleep)
    booked = [lim.reserve(-3000 - i) for i in range(100)]
    clock.t = booked[-1] + 10.0  # the loop was blocked past every booked slot
    lim.reserve = lambda chat_id: booked[0]  # the waiters' slots (already booked) are all overdue
    released = []
    for i in range(100):
        await lim.acquire(-3000 - i)
        released.append(clock.t)
    for i in range(25, len(released)):
        assert released[i] - released[i - 25] >= 1.0 - 1e-9  # never more than 25 in any second


async def test_a_group_waiting_for_its_own_gap_does_not_hold_back_the_others():
    """A reminder in parts books one group's slots a second apart; other groups fill the overall grid in
    between instead of queueing behind the furthest booking (issue 20: 20 parts per group)."""
    clock = FakeClock()
    lim = Limiter(per_second=25, clock=clock, sleep=clock.sleep)
    start = clock.t
    parts = [lim.reserve(-1) for _ in range(10)]
    others = [lim.reserve(-1000 - i) for i in range(50)]
    assert [b - a for a, b in zip(parts, parts[1:], strict=False)] == [1.0] * 9
    assert max(others) - start < 2.2  # 50 other groups at 25/s, not after the 10th part at +9 s
    every = sorted(parts + others)
    for i in range(25, len(every)):
        assert every[i] - every[i - 25] >= 1.0 - 1e-9  # still never more than 25 in any second
