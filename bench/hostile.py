"""Hostile inputs through the bot's own reading path (issue 19): every file answered, within bounds.

The generator is ``tests/support/hostile.py``: the hand-built campaign at full size (a 100 MB PDF flate
bomb, 2 M ``<br>``, 200,000 nested tables, a punycode page, lying zip sizes …) and seeded mutations of
correct reports of every kind. Each file goes through ``read_bytes`` in the parse worker with the bot's
time limit and memory cap, then through the validator in this process, as the bot does. Figures:
inputs tried, answered cleanly (a report or an ING code, no crash, no exception from the validator,
strict JSON), time-outs, the slowest file and the largest worker RSS after a file.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench import Context, Figure, Target


def _one(api: Any, validate: Any, name: str, filename: str, data: bytes, timeout: float) -> tuple[str, float, int]:
    """(outcome, seconds, worker RSS MB): outcome is "clean", "timeout" or what went wrong."""
    from bot.reading.errors import MSG_CRASH, MSG_TIMEOUT

    t0 = time.perf_counter()
    pool, future = api._schedule(api.read_bytes, filename, data, timeout)
    try:
        outcome = future.result()
    except Exception as exc:  # noqa: BLE001 - mapped as the bot maps it
        outcome = exc
    rss = outcome[1] if isinstance(outcome, tuple) else 0
    results = api._settle(pool, outcome, filename)
    seconds = time.perf_counter() - t0
    for result in results:
        if result.report is None:
            if result.error.message == MSG_TIMEOUT:
                return "timeout", seconds, rss
            if result.error.message == MSG_CRASH:
                return "worker crashed", seconds, rss
            continue
        try:
            validate(result.report)
            json.dumps(result.report.to_json(), allow_nan=False)
        except Exception as exc:  # noqa: BLE001
            return f"validator: {type(exc).__name__}", seconds, rss
    return "clean", seconds, rss


def run(ctx: Context) -> list[Figure]:
    from bot.reading import api
    from bot.validation import validate
    from tests.support import hostile

    timeout = 20.0
    api.configure_pool(workers=1, memory_mb=1024)
    hand = list(hostile.hand_built(scale=ctx.n(100, 5)))
    cases = [*hand, *hostile.mutated(19, ctx.n(2000, 120))]
    counts: dict[str, int] = {}
    slowest: tuple[float, str] = (0.0, "")
    largest: tuple[int, str] = (0, "")
    bad: list[str] = []
    try:
        for name, filename, data in cases:
            outcome, seconds, rss = _one(api, validate, name, filename, data, timeout)
            counts[outcome] = counts.get(outcome, 0) + 1
            slowest = max(slowest, (seconds, name))
            largest = max(largest, (rss, name))
            if outcome not in ("clean", "timeout"):
                bad.append(f"{name}: {outcome}")
    finally:
        api.shutdown_pool()
    tried = len(cases)
    clean = counts.get("clean", 0)
    return [
        Figure("hostile inputs tried", tried, "files",
               note=f"{len(hand)} hand-built attacks at full size + {tried - len(hand)} seeded mutations "
                    "(txt/docx/html/zip/doc/pdf)"),
        Figure("hostile inputs answered cleanly", clean, "files", Target(">=", tried),
               note="; ".join(bad[:3]) or f"{counts.get('timeout', 0)} stopped at the {timeout:.0f} s limit"),
        Figure("hostile input slowest", round(slowest[0], 2), "s", Target("<", timeout + 2), note=slowest[1]),
        Figure("hostile input largest worker RSS", largest[0], "MB", Target("<", 1024), note=largest[1]),
    ]
