"""The benchmark runner: JSON figure objects, the ok column, and the one table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import Figure, Target, missing, percentile
from bench.__main__ import table
from bench.reminders import busiest_second

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"name", "value", "unit", "target", "ok"}


def test_figure_json_has_ratio_to_its_floor_and_judges_the_target() -> None:
    fig = Figure("parse .txt median", 6.0, "ms", Target("<", 5), floor=0.5).to_json()
    assert KEYS <= fig.keys()
    assert fig["ok"] is False and fig["ratio"] == 12.0 and fig["floor"] == 0.5 and fig["target"] == "< 5 ms"
    fast = Figure("q/s", 120.0, "q/s", Target(">=", 100)).to_json()
    assert fast["ok"] is True and "ratio" not in fast
    gone = missing("import", "s", Target("<", 60), "storage not available").to_json()
    assert gone["value"] is None and gone["ok"] is None and gone["note"].startswith("not measured: ")


def test_table_marks_missed_targets_and_unmeasured_rows() -> None:
    rows = [
        Figure("a", 3.0, "ms", Target("<", 5), floor=1.5).to_json(),
        Figure("b", 9.0, "ms", Target("<", 5)).to_json(),
        missing("c", "s", None, "reading not available").to_json(),
    ]
    text = table(rows).splitlines()
    assert len(text) == 5
    assert "| ✓ |" in text[2] and "2.00×" in text[2]
    assert "| ✗ |" in text[3]
    assert "not measured: reading not available" in text[4]


def test_percentile_and_busiest_second() -> None:
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile(range(101), 95) == 95
    assert busiest_second([0.0, 0.1, 0.5, 0.99, 1.0, 1.5, 3.0]) == 4


def test_quick_json_prints_one_well_formed_object_per_figure() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", "--only", "validation"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines
    for line in lines:
        fig = json.loads(line)
        assert KEYS <= fig.keys(), fig
        assert isinstance(fig["name"], str) and fig["name"]
        assert fig["value"] is None or isinstance(fig["value"], int | float)
        assert fig["ok"] in (True, False, None)
        if fig["value"] is None:
            assert fig["note"].startswith("not measured")
        if "ratio" in fig:
            assert "floor" in fig


def test_virtual_clock_stamps_each_send_with_its_own_limiter_slot() -> None:
    import asyncio

    from bench.reminders import VirtualClock
    from bot.deadlines.limiter import Limiter

    vc = VirtualClock()
    limiter = Limiter(per_second=25, clock=vc.clock, sleep=vc.sleep)
    stamps: list[float] = []
    gate = asyncio.Semaphore(16)  # like tick's concurrency

    async def one(chat: int) -> None:
        async with gate:
            await limiter.acquire(chat)
            stamps.append(vc.now())
            await asyncio.sleep(0)

    async def go() -> None:
        await asyncio.gather(*(one(-1000 - i) for i in range(100)))

    asyncio.run(go())
    assert len(stamps) == 100
    assert 3.9 <= max(stamps) - min(stamps) <= 4.1  # 100 sends at 25/s
    assert busiest_second(stamps) <= 26
