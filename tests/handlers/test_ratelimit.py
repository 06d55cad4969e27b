"""Flood limits shared by several workers through a real Redis (skipped when none answers), and the
per-process limiter's queue metrics."""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import pytest

from handlers.ratelimit import MeteredRateLimiter, SharedRateLimiter

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def _redis_or_skip() -> None:
    try:
        import redis.asyncio as aioredis

        client = aioredis.from_url(REDIS_URL, socket_connect_timeout=1)
        await client.ping()
        await client.aclose()
    except Exception as exc:  # noqa: BLE001 - any failure means "skip"
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")


async def test_three_workers_share_one_group_and_bot_budget():
    await _redis_or_skip()
    token = f"{uuid.uuid4().int % 10**9}:test"  # a fresh budget for this run
    workers = [SharedRateLimiter(REDIS_URL, token, group_per_minute=5, bot_per_second=10) for _ in range(3)]
    for w in workers:
        await w.initialize()
    sent: list[tuple[float, int]] = []

    async def send_as(worker: SharedRateLimiter, chat: int) -> None:
        async def callback() -> bool:
            sent.append((time.monotonic(), chat))
            return True

        await worker.process_request(callback, (), {}, "sendMessage", {"chat_id": chat, "text": "x"}, None)

    try:
        t0 = time.monotonic()
        # 3 workers × 3 sends into one group, plus 12 private sends: the group gets 5 at once, the
        # rest wait for the minute; the bot never exceeds 10 in any second
        group = [asyncio.create_task(send_as(w, -100)) for w in workers for _ in range(3)]
        private = [asyncio.create_task(send_as(workers[i % 3], 1000 + i)) for i in range(12)]
        await asyncio.gather(*private)
        await asyncio.sleep(0.5)
        assert sum(1 for _, c in sent if c == -100) == 5  # the shared group budget, not 5 per worker
        times = sorted(t for t, _ in sent)
        assert all(times[i + 10] - times[i] >= 0.95 for i in range(len(times) - 10))
        assert time.monotonic() - t0 < 5
        assert max(w.snapshot()["waiting"] for w in workers) >= 1
        for task in group:
            task.cancel()
    finally:
        for w in workers:
            await w.shutdown()


async def test_redis_down_falls_back_to_per_process_limits(caplog):
    limiter = SharedRateLimiter("redis://127.0.0.1:1/0", "1:down")
    await limiter.initialize()

    async def callback() -> str:
        return "sent"

    try:
        assert await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": -5}, None) == "sent"
        assert await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": -5}, None) == "sent"
    finally:
        await limiter.shutdown()
    assert len([r for r in caplog.records if "Redis unavailable" in r.getMessage()]) == 1


async def test_metered_limiter_counts_sends_and_ignores_non_messages():
    limiter = MeteredRateLimiter()
    await limiter.initialize()

    async def callback() -> bool:
        return True

    for _ in range(3):
        await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": -7}, None)
    await limiter.process_request(callback, (), {}, "getMe", {}, None)
    assert limiter.snapshot() == {"shared": False, "waiting": 0, "sent": 3, "max_wait_s_last_min": 0.0}
