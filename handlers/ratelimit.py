"""Telegram's flood limits for every request the bot sends, with the queueing made visible.

Telegram allows about 20 messages a minute in one group and about 30 a second per bot. One process
keeps them with PTB's ``AIORateLimiter`` (:class:`MeteredRateLimiter` adds the metrics). Several webhook
workers share one budget through Redis (``NIANBAO_REDIS_URL``, :class:`SharedRateLimiter`): a send is
admitted by one Lua script that keeps a log of the last minute's sends per group and the last second's
per bot (the server's clock, so workers' clocks do not matter), or told how long to wait. A 429
``RetryAfter`` pauses every worker of the bot.

Both record how long sends waited: a send held back more than :data:`SLOW_WAIT` seconds is logged as
``pacing`` with the chat and how many sends are waiting, so an operator can tell pacing (sends waiting
for their slot, the count going down) from a stall (updates waiting, nothing being sent) —
``/healthz?token=…`` shows the same numbers (docs/SCALING.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

logger = logging.getLogger(__name__)

#: A send that waited longer than this is logged (at most once per chat per :data:`LOG_EVERY` s).
SLOW_WAIT = 5.0
LOG_EVERY = 30.0
GROUP_PER_MINUTE = 20
#: Sends per bot in any second, admitted in Redis. Below Telegram's ~30: a worker whose event loop lags
#: can put admitted sends on the wire together (the fault bench saw up to 1.5× at 25/s on a loaded host).
BOT_PER_SECOND = 20

#: Seconds an admission stays valid before the send must go out (see :meth:`SharedRateLimiter.acquire`).
STALE_ADMISSION = 0.25

_Callback = Callable[..., Coroutine[Any, Any, Any]]

# Admit one send now, or say how long to wait: at most ARGV[1] sends to the group in any ARGV[2] s
# (ARGV[6] == '1' for groups) and ARGV[3] sends by the bot in any ARGV[4] s, and none before a 429 pause
# ends. Admissions are logged with the server's clock, so the limits hold however many workers send.
_ADMIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
if pause > now then return string.format('%.6f', pause - now) end
local wait = 0
local function check(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
    wait = math.max(wait, oldest + window - now)
  end
end
local group = ARGV[6] == '1'
if group then check(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) end
check(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
if wait > 0 then return string.format('%.6f', wait) end
if group then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000) + 1000)
end
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('PEXPIRE', KEYS[2], math.ceil(tonumber(ARGV[4]) * 1000) + 1000)
return '0'
"""

_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local untill = now + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.6f', untill), 'PX', math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
return 1
"""

_SENDING = ("send", "forward", "copy", "edit")


def _chat_of(endpoint: str, data: dict[str, Any]) -> int | str | None:
    """The chat a sending request goes to (None: not a message, not limited)."""
    if not endpoint.startswith(_SENDING):
        return None
    chat_id = data.get("chat_id")
    with contextlib.suppress(TypeError, ValueError):
        return int(chat_id)  # type: ignore[arg-type]
    return chat_id  # type: ignore[return-value]


class QueueMeter:
    """How long sends waited for their slot: waiting now, the longest wait in the last minute, sends."""

    def __init__(self) -> None:
        self.waiting = 0
        self.sent = 0
        self._waits: deque[tuple[float, float]] = deque()
        self._logged: dict[Any, float] = {}

    def begin(self) -> float:
        self.waiting += 1
        return time.monotonic()

    def end(self, chat: Any, started: float) -> None:
        self.waiting -= 1
        self.sent += 1
        now = time.monotonic()
        waited = now - started
        self._waits.append((now, waited))
        while self._waits and self._waits[0][0] < now - 60:
            self._waits.popleft()
        if waited >= SLOW_WAIT and now - self._logged.get(chat, -LOG_EVERY) >= LOG_EVERY:
            self._logged[chat] = now
            if len(self._logged) > 10_000:
                self._logged.clear()
            logger.info("pacing: a send to chat %s waited %.1f s for its slot (%d sends waiting)",
                        chat, waited, self.waiting)

    def snapshot(self) -> dict[str, Any]:
        waits = [w for _, w in self._waits]
        return {"waiting": self.waiting, "sent": self.sent, "max_wait_s_last_min": round(max(waits, default=0.0), 2)}


class MeteredRateLimiter(AIORateLimiter):
    """PTB's per-process limiter (the single-process default), measuring each send's wait."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.meter = QueueMeter()

    async def process_request(self, callback: _Callback, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: int | None) -> Any:
        chat = _chat_of(endpoint, data)
        if chat is None:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        started = self.meter.begin()
        ended = False

        async def timed(*a: Any, **kw: Any) -> Any:
            nonlocal ended
            if not ended:
                ended = True
                self.meter.end(chat, started)
            return await callback(*a, **kw)

        try:
            return await super().process_request(timed, args, kwargs, endpoint, data, rate_limit_args)
        finally:
            if not ended:
                self.meter.waiting -= 1

    def snapshot(self) -> dict[str, Any]:
        return {"shared": False, **self.meter.snapshot()}


class SharedRateLimiter(BaseRateLimiter):
    """One flood-limit budget for every worker of a bot, kept in Redis (per group and per bot).

    When Redis cannot be reached the process falls back to its own limiter (logged once), so an
    outage of Redis slows nothing down but is no longer shared.
    """

    def __init__(self, redis_url: str, token: str, *, max_retries: int = 3,
                 group_per_minute: int = GROUP_PER_MINUTE, bot_per_second: int = BOT_PER_SECOND) -> None:
        import hashlib

        self.redis_url = redis_url
        self.prefix = "nianbao:rl:" + hashlib.sha256(token.encode()).hexdigest()[:16]
        self.max_retries = max_retries
        self.group_per_minute = group_per_minute
        self.bot_per_second = bot_per_second
        self.meter = QueueMeter()
        self._redis: Any = None
        self._scripts: dict[str, Any] = {}
        self._fallback = AIORateLimiter(max_retries=0, overall_max_rate=int(bot_per_second),
                                        group_max_rate=group_per_minute)
        self._redis_down_logged = False

    async def initialize(self) -> None:
        import redis.asyncio as aioredis

        self._redis = aioredis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)
        for name, script in (("admit", _ADMIT), ("pause", _PAUSE)):
            self._scripts[name] = self._redis.register_script(script)

    async def shutdown(self) -> None:
        # PTB shuts the limiter down while the last replies of a stopping worker may still be sending:
        # keep the client usable (the process is ending), so those replies stay inside the shared budget.
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.connection_pool.disconnect(inuse_connections=False)

    async def acquire(self, chat: int | str) -> None:
        """Wait until this send is admitted: the group's minute budget (groups only) and the bot's second.

        An admission older than :data:`STALE_ADMISSION` seconds when the send is about to go out (this
        worker's event loop lagged) is asked for again, so sends admitted over a long stretch cannot go
        out together and exceed the per-second budget at Telegram's end."""
        while True:
            await self._admit(chat)
            admitted = time.monotonic()
            await asyncio.sleep(0)
            if time.monotonic() - admitted <= STALE_ADMISSION:
                return

    async def _admit(self, chat: int | str) -> None:
        import random
        import uuid

        group = (isinstance(chat, int) and chat < 0) or isinstance(chat, str)
        member = uuid.uuid4().hex
        while True:
            wait = float(await self._scripts["admit"](
                keys=[f"{self.prefix}:g:{chat}", f"{self.prefix}:bot", f"{self.prefix}:pause"],
                args=[self.group_per_minute, 60, self.bot_per_second, 1, member, "1" if group else "0"]))
            if wait <= 0:
                return
            await asyncio.sleep(wait + random.uniform(0.001, 0.02))  # spread the waiters a little

    async def process_request(self, callback: _Callback, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: int | None) -> Any:
        chat = _chat_of(endpoint, data)
        if chat is None:
            return await callback(*args, **kwargs)
        retries = rate_limit_args or self.max_retries
        for attempt in range(retries + 1):
            started = self.meter.begin()
            try:
                await self.acquire(chat)
            except asyncio.CancelledError:
                self.meter.waiting -= 1
                raise
            except Exception as exc:  # noqa: BLE001 - Redis away: keep sending, limited per process
                self.meter.waiting -= 1
                if not self._redis_down_logged:
                    self._redis_down_logged = True
                    logger.warning("rate limits: Redis unavailable (%s); limiting per process", exc)
                return await self._fallback.process_request(callback, args, kwargs, endpoint, data, 0)
            self._redis_down_logged = False
            self.meter.end(chat, started)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                seconds = exc.retry_after if isinstance(exc.retry_after, int | float) else \
                    exc.retry_after.total_seconds()
                logger.info("rate limit hit in chat %s: every worker pauses %.1f s", chat, seconds)
                with contextlib.suppress(Exception):
                    await self._scripts["pause"](keys=[f"{self.prefix}:pause"], args=[float(seconds) + 0.1])
                await asyncio.sleep(float(seconds) + 0.1)
        raise AssertionError("unreachable")

    def snapshot(self) -> dict[str, Any]:
        return {"shared": True, **self.meter.snapshot()}
