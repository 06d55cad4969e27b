"""Text converted from PDFs (issue 17): cell accuracy, parse time and verdicts per layout.

Each layout of tests/support/messy.py (plus markdown) is rendered from correct factory reports and read
back: the share of 表2/表3/表4 cells read exactly (target ≥ 99.5%), the parse time, the correct reports
that got an error-level finding (target 0: a wrong ❌ is the worst outcome), and — with one 表3 number
changed, as an office's real mistake — how many of those errors the validator still reports.
"""

from __future__ import annotations

import random
import time

from bench import Context, Figure, Target, median, percentile
from bot.reading import read_bytes
from bot.schema import T3_ROW_KEYS_2021
from bot.validation import validate
from tests.support.factories import make_report
from tests.support.messy import VARIANTS, cell_accuracy, render_markdown, render_messy

ARITHMETIC = {"T3-01", "T3-02", "T3-03"}


def _render(variant: str, seed: int, report) -> bytes:
    text = render_markdown(report, seed) if variant == "markdown" else render_messy(report, variant, seed)
    return text.encode("utf-8")


def run(ctx: Context) -> list[Figure]:
    n = ctx.n(20, 4)
    figures: list[Figure] = []
    right_all = total_all = false_all = found_all = docs_all = 0
    times_all: list[float] = []
    for variant in [*VARIANTS, "markdown"]:
        right = total = false_errors = found = 0
        times: list[float] = []
        for seed in range(1000, 1000 + n):
            truth = make_report(seed)
            data = _render(variant, seed, truth)
            t0 = time.perf_counter()
            (result,) = read_bytes("converted.txt", data)
            times.append((time.perf_counter() - t0) * 1000)
            r, t, _ = cell_accuracy(truth, result.report)
            right, total = right + r, total + t
            if result.report is not None and any(f.severity == "error" and f.code[:2] in ("T2", "T3", "T4", "IN")
                                                 for f in validate(result.report)):
                false_errors += 1
            wrong = make_report(seed)
            rng = random.Random(seed)
            wrong.applications[rng.choice(T3_ROW_KEYS_2021)][rng.randrange(7)].value += rng.randint(1, 3)
            (bad,) = read_bytes("converted.txt", _render(variant, seed, wrong))
            judged = validate(bad.report) if bad.report is not None else []
            if any(f.severity == "error" and f.code in ARITHMETIC or f.code == "ING-05" and "无论怎样拆分" in f.message
                   for f in judged):
                found += 1  # glued digits no split makes add up: the row as printed does not add up
        figures.append(Figure(f"converted text {variant}: cells read exactly", 100 * right / total, "%",
                              Target(">=", 99.5), note=f"{n} reports; {false_errors} correct ones with an error; "
                              f"{found}/{n} real errors found; parse median {median(times):.1f} ms"))
        right_all, total_all = right_all + right, total_all + total
        false_all, found_all, docs_all = false_all + false_errors, found_all + found, docs_all + n
        times_all += times
    figures.append(Figure("converted text, all layouts: cells read exactly", 100 * right_all / total_all, "%",
                          Target(">=", 99.5), note=f"{docs_all} reports"))
    figures.append(Figure("converted text: correct reports with an error-level finding", false_all, "reports",
                          Target("<=", 0)))
    figures.append(Figure("converted text: real 表3 errors reported", 100 * found_all / docs_all, "%",
                          Target(">=", 100)))
    figures.append(Figure("converted text: parse p95", percentile(times_all, 95), "ms",
                          note=f"median {median(times_all):.1f} ms"))
    return figures
