"""Flood control for reminder sends: ≤ 20 messages/minute and ≤ 1/second per group, ~25/s overall.

Telegram's FAQ limits ("no more than 20 messages per minute to the same group", "30 messages per second or
so" in bulk). The bot's AIORateLimiter applies too, but it re-raises RetryAfter by default; pacing here
keeps a burst of 1,000 due reminders inside the limits instead of provoking 429s. Slots are reserved
under a lock without awaiting, then each caller sleeps until its slot, so concurrent senders interleave
fairly. The clock and sleep are injectable for tests and the benchmark.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable


class Limiter:
    """Reserve a send slot per chat; ``await acquire(chat_id)`` returns when it is safe to send."""

    def __init__(self, *, per_group_per_minute: int = 20, per_second: float = 25.0,
                 per_chat_gap: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep, keep_history: bool = False) -> None:
        self.per_group_per_minute = per_group_per_minute
        self.interval = 1.0 / per_second
        self.per_chat_gap = per_chat_gap
        self.clock = clock
        self.sleep = sleep
        self._booked: set[int] = set()  # overall grid slots (multiples of ``interval``) already booked
        self._chats: dict[int, deque[float]] = {}
        #: times of the sends actually released in the last second (see ``acquire``)
        self._released: deque[float] = deque()
        self._burst = max(1, int(per_second))
        self.reserved: list[tuple[int, float]] = []  # (chat_id, slot) history, for tests and the bench
        self.keep_history = keep_history

    def reserve(self, chat_id: int) -> float:
        """Book the earliest allowed slot for ``chat_id`` (clock time); no waiting."""
        now = self.clock()
        window = self._chats.setdefault(chat_id, deque(maxlen=self.per_group_per_minute))
        ready = now
        if window:
            ready = max(ready, window[-1] + self.per_chat_gap)
            if chat_id < 0 and len(window) == self.per_group_per_minute:
                ready = max(ready, window[0] + 60.0)
        # the earliest free slot of the overall grid at or after ``ready``: a group that must wait for its own
        # 1 s gap books ahead without pushing every other group behind it (a reminder sent in parts, or
        # several for one group, would otherwise serialise everyone — bench "tagging")
        k = max(math.ceil(ready / self.interval - 1e-9), 0)
        while k in self._booked:
            k += 1
        self._booked.add(k)
        if len(self._booked) > 4096:  # forget slots more than a second old
            horizon = (now - 1.0) / self.interval
            self._booked = {b for b in self._booked if b >= horizon}
        slot = max(k * self.interval, ready)
        window.append(slot)
        if self.keep_history:
            self.reserved.append((chat_id, slot))
        return slot

    async def acquire(self, chat_id: int) -> None:
        """Wait until this chat may receive the next message."""
        slot = self.reserve(chat_id)
        delay = slot - self.clock()
        if delay > 0:
            await self.sleep(delay)
        # Slots are booked ahead; when the event loop stalls, every waiter whose slot passed wakes at
        # once. Release at most ``per_second`` sends in any one-second window, whatever the wake-ups.
        while True:
            now = self.clock()
            # the tolerance keeps float rounding at the window's edge from sleeping ~0 s for ever
            while self._released and self._released[0] <= now - 1.0 + 1e-6:
                self._released.popleft()
            if len(self._released) < self._burst:
                break
            await self.sleep(max(self._released[0] + 1.0 - now, 1e-3))
        self._released.append(self.clock())
