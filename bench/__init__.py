"""Benchmarks for 年报助手: every speed target of the project, measured side by side with its floor.

Run ``python -m bench`` (full, < 15 min) or ``python -m bench --quick`` (< 1 min, smaller counts). Each
area module (``bench/parse.py``, ``bench/validation.py`` …) exposes ``run(ctx) -> list[Figure]``; a part
that is not available yet yields a figure whose ``note`` says so instead of a made-up number.

A floor is the cost of the cheapest thing any reader must do with the same file (decode a .txt, let
python-docx walk a .docx's tables, let pdfplumber extract a PDF's text); ``ratio = ours / floor`` is the
number to watch, because it stays meaningful on a slower or busier machine.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Target:
    """A speed target such as ``< 5 ms`` or ``>= 100 /s``."""

    op: str  # "<" | "<=" | ">" | ">="
    limit: float

    def met(self, value: float) -> bool:
        """Whether ``value`` satisfies the target."""
        return {
            "<": value < self.limit,
            "<=": value <= self.limit,
            ">": value > self.limit,
            ">=": value >= self.limit,
        }[self.op]

    def text(self, unit: str) -> str:
        """The target as printed in the table (``< 5 ms``)."""
        limit = f"{self.limit:g}" if self.limit < 1000 else f"{self.limit:,.0f}"
        return f"{self.op} {limit} {unit}".strip()


@dataclass
class Figure:
    """One measured number (or an honest explanation of why it is missing)."""

    name: str
    value: float | None
    unit: str
    target: Target | None = None
    floor: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool | None:
        """✓/✗ against the target; ``None`` when there is no target or no value."""
        if self.target is None or self.value is None:
            return None
        return self.target.met(self.value)

    @property
    def ratio(self) -> float | None:
        """Our value divided by the floor measured in the same run."""
        if self.floor is None or self.value is None or self.floor <= 0:
            return None
        return self.value / self.floor

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object: name, value, unit, target, ok (+ floor, ratio, note when present)."""
        data: dict[str, Any] = {
            "name": self.name,
            "value": _round(self.value),
            "unit": self.unit,
            "target": self.target.text(self.unit) if self.target else None,
            "ok": self.ok,
        }
        if self.floor is not None:
            data["floor"] = _round(self.floor)
            data["ratio"] = _round(self.ratio)
        if self.note:
            data["note"] = self.note
        data.update(self.extra)
        return data


def missing(name: str, unit: str, target: Target | None, why: str) -> Figure:
    """A figure that could not be measured, with the reason printed in the table."""
    return Figure(name, None, unit, target, note=f"not measured: {why}")


@dataclass
class Context:
    """What every area needs: run size, a scratch directory and the PostgreSQL server to try."""

    quick: bool
    workdir: Path
    pg_admin_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    log: Callable[[str], None] = print

    def n(self, full: int, quick: int) -> int:
        """A count that depends on ``--quick``."""
        return quick if self.quick else full


def _round(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return float(f"{value:.4g}")


def fmt_number(value: float | None) -> str:
    """A figure for the table: three significant digits or so, thousands separated, ``—`` when absent."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def percentile(values: Iterable[float], pct: float) -> float:
    """The ``pct`` percentile (nearest-rank on sorted values, linear in between)."""
    data = sorted(values)
    if not data:
        return math.nan
    if len(data) == 1:
        return data[0]
    pos = (len(data) - 1) * pct / 100
    lo = math.floor(pos)
    hi = math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def median(values: Iterable[float]) -> float:
    """Median; NaN for no values."""
    data = list(values)
    return statistics.median(data) if data else math.nan


def time_each(fn: Callable[[Any], Any], items: Iterable[Any], *, repeat: int = 1) -> list[float]:
    """Milliseconds per call of ``fn(item)``; with ``repeat`` > 1 the best of the repeats per item.

    The best of a few repeats filters out scheduler noise from the other processes on this machine
    while still measuring one cold call's worth of work per item.
    """
    out: list[float] = []
    for item in items:
        best = math.inf
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn(item)
            best = min(best, time.perf_counter() - t0)
        out.append(best * 1000)
    return out
