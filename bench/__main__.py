"""``python -m bench [--quick] [--json] [--only AREA,...]`` — run every benchmark, print ONE table.

Each area runs in its own child process (``python -m bench.area NAME``) so that one area's memory
(10,000 reports in RAM) does not inflate another's peak-RSS figure, and a crash in a part that is still
being written costs that area's rows, not the whole run. A full run (no ``--only``) also writes
``bench/results.md`` with the machine's CPU model, core count and memory.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import fmt_number, machine

#: Areas in run order, each a module ``bench/<name>.py`` with ``run(ctx) -> list[Figure]``.
AREAS: tuple[str, ...] = (
    "parse", "converted", "pdf_layouts", "validation", "storage", "questions", "e2e", "reminders", "tagging", "faults",
    "hostile", "ocr",
)

#: Seconds an area may take before it is stopped (full run; quick runs get a quarter).
AREA_TIME_LIMIT = 420
#: Areas that need longer: storage imports twice (each import has its own time budget, see storage.py).
AREA_TIME_LIMITS = {"storage": 600, "faults": 600, "ocr": 1200}

RESULTS = Path(__file__).with_name("results.md")


def run_area(name: str, *, quick: bool, timeout: float) -> list[dict[str, Any]]:
    """Run one area in a child process and collect its figure objects (JSON lines on stdout)."""
    cmd = [sys.executable, "-m", "bench.area", name] + (["--quick"] if quick else [])
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=Path(__file__).resolve().parent.parent)
    except subprocess.TimeoutExpired:
        sys.stderr.write(f"  {name}: stopped after {timeout:.0f} s\n")
        return [_failed(name, f"stopped after {timeout:.0f} s time limit")]
    figures = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                figures.append(json.loads(line))
            except ValueError:
                continue
    if proc.returncode != 0 and not figures:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        figures.append(_failed(name, f"{name} benchmark failed: {tail[:160]}"))
    for fig in figures:
        fig.setdefault("area", name)
    if proc.stderr and os.environ.get("BENCH_VERBOSE"):
        sys.stderr.write(proc.stderr)
    sys.stderr.write(f"  {name}: {len(figures)} figures in {time.perf_counter() - t0:.1f} s\n")
    return figures


def _failed(area: str, why: str) -> dict[str, Any]:
    return {"name": f"{area}", "value": None, "unit": "", "target": None, "ok": None,
            "note": f"not measured: {why}", "area": area}


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float | int):
        return fmt_number(float(value))
    return str(value).replace("|", "/").replace("\n", " ⏎ ")


def table(figures: list[dict[str, Any]]) -> str:
    """The one Markdown table: figure, value, unit, target, ok, floor, ratio, note."""
    head = "| area | figure | value | unit | target | ok | floor | ratio | note |"
    lines = [head, "|---|---|---:|---|---|:-:|---:|---:|---|"]
    for f in figures:
        ratio = f.get("ratio")
        lines.append(
            f"| {f.get('area', '')} | {_cell(f['name'])} | {_cell(f.get('value'))} | {f.get('unit', '')} "
            f"| {f.get('target') or '—'} | {_cell(f.get('ok')) if f.get('ok') is not None else '—'} "
            f"| {_cell(f.get('floor'))} | {(_cell(ratio) + '×') if ratio is not None else '—'} "
            f"| {_cell(f.get('note', ''))} |"
        )
    return "\n".join(lines)


def write_results(figures: list[dict[str, Any]], *, quick: bool, seconds: float, facts: dict[str, str]) -> None:
    """bench/results.md: the machine, the run, the table and a one-line verdict."""
    missed = [f["name"] for f in figures if f.get("ok") is False]
    unmeasured = [f["name"] for f in figures if f.get("value") is None]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m bench{' --quick' if quick else ''}` on "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} in {seconds:.0f} s.",
        "",
        *[f"- **{k}**: {v}" for k, v in facts.items()],
        "- **note**: absolute times depend on the machine and its load (see the load averages); the ratio "
        "to the floor (measured in the same run) is the figure to compare across machines.",
        "",
        table(figures),
        "",
        f"Targets missed: {', '.join(missed) if missed else 'none'}.",
        f"Not measured: {', '.join(unmeasured) if unmeasured else 'none'}.",
        "",
        "How each figure is measured: docs/BENCHMARKS.md.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the areas, print the table (or JSON lines), write results.md on a full run of all areas."""
    parser = argparse.ArgumentParser(prog="python -m bench", description="年报助手 benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller counts; finishes in under a minute")
    parser.add_argument("--json", action="store_true", help="print one JSON object per figure")
    parser.add_argument("--only", default="", help=f"comma-separated subset of: {','.join(AREAS)}")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    args = parser.parse_args(argv)
    areas = [a for a in args.only.split(",") if a] or list(AREAS)
    unknown = [a for a in areas if a not in AREAS]
    if unknown:
        parser.error(f"unknown areas {unknown}; choose from {', '.join(AREAS)}")
    facts = machine.describe()
    t0 = time.perf_counter()
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as shared:
        os.environ["NIANBAO_BENCH_SHARED"] = shared  # lets questions reuse the imported SQLite file
        for name in areas:
            area_limit = AREA_TIME_LIMITS.get(name, AREA_TIME_LIMIT) / (4 if args.quick else 1)
            figures.extend(run_area(name, quick=args.quick, timeout=area_limit))
    seconds = time.perf_counter() - t0
    if hasattr(os, "getloadavg"):
        facts["load average at end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    if args.json:
        for fig in figures:
            print(json.dumps(fig, ensure_ascii=False))
    else:
        print(f"CPU {facts['cpu']} · {facts['cores']} cores · {facts['memory']} · "
              f"{'quick' if args.quick else 'full'} run {seconds:.0f} s")
        print(table(figures))
    if not args.only and not args.no_write and not args.quick:
        write_results(figures, quick=args.quick, seconds=seconds, facts=facts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
