"""PDF accuracy per layout: Word-layout reports converted by LibreOffice, read back cell by cell.

The reports come from ``tests/support/lo_reports.py`` (merged header cells, vertical and one-character-
per-line headers, wrapped labels, narrow and wide columns, several fonts, tables across page breaks,
page footers, 表4 as three sub-tables, 表3 on a landscape page; every fourth report carries a real
arithmetic error, some leave a few cells really blank). For each layout: the share of the
200 table cells read right, the reports with a blank-cell finding although every cell is filled
(must be 0), the injected errors found, and the parse time (the 300 ms target is for a six-page PDF).
Needs LibreOffice (``soffice``); without it the figures say "not measured".
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from bench import Context, Figure, Target, missing, percentile

BLANK_CODES = {"T2-01", "T3-05", "T4-02"}


def run(ctx: Context) -> list[Figure]:
    from tests.support import lo_reports

    if lo_reports.soffice() is None:
        return [missing("PDF accuracy per layout", "%", Target(">=", 99.5), "LibreOffice (soffice) not installed")]
    from bot.reading import read_bytes
    from bot.validation import validate

    n = ctx.n(48, 12)
    t0 = time.perf_counter()
    gens = lo_reports.generate(n, seed=5, blank_every=6)
    truths = lo_reports.write_corpus(ctx.workdir, gens, keep_docx=False)
    ctx.log(f"{n} reports converted by LibreOffice in {time.perf_counter() - t0:.0f} s")
    read_bytes(truths[0]["file"], (ctx.workdir / truths[0]["file"]).read_bytes())  # warm-up
    per: dict[str, dict[str, Any]] = defaultdict(lambda: {"right": 0, "cells": 0, "files": 0, "false_blank": 0,
                                                         "errors": 0, "found": 0, "blank": 0, "blank_seen": 0, "office": 0,
                                                         "ms": []})
    for truth in truths:
        data = (ctx.workdir / truth["file"]).read_bytes()
        start = time.perf_counter()
        (result,) = read_bytes(truth["file"], data)
        ms = (time.perf_counter() - start) * 1000
        row = per[truth["layout"]]
        row["files"] += 1
        row["ms"].append(ms)
        row["cells"] += len(truth["cells"])
        report = result.report
        if report is None:
            continue
        have = {f"{t}/{r}/{c}": v.value for t, r, c, v in report.cells()}
        row["right"] += sum(1 for k, v in truth["cells"].items() if have.get(k) == v)
        row["office"] += report.office.name == truth["office"] and report.year == truth["year"]
        findings = validate(report)
        blank_found = any(f.code in BLANK_CODES for f in findings)
        if None in truth["cells"].values():
            row["blank"] += 1
            row["blank_seen"] += blank_found
        else:
            row["false_blank"] += blank_found
        expected = {e["code"] for e in truth["expected"] if e["severity"] == "error"}
        if expected:
            row["errors"] += 1
            row["found"] += expected <= {f.code for f in findings if f.severity == "error"}
    figures: list[Figure] = []
    all_right = sum(r["right"] for r in per.values())
    all_cells = sum(r["cells"] for r in per.values())
    all_ms = [ms for r in per.values() for ms in r["ms"]]
    for layout, r in sorted(per.items()):
        figures.append(Figure(
            f"PDF cells right, layout {layout}", 100 * r["right"] / r["cells"], "%", Target(">=", 99.5),
            note=f"{r['right']}/{r['cells']} cells in {r['files']} files; false blank-cell findings: "
                 f"{r['false_blank']}; injected errors found: {r['found']}/{r['errors']}; "
                 f"real blanks reported: {r['blank_seen']}/{r['blank']}; office and year right: {r['office']}/{r['files']}; "
                 f"p95 {percentile(r['ms'], 95):.0f} ms"))
    figures.append(Figure("PDF cells right, all layouts", 100 * all_right / all_cells, "%", Target(">=", 99.5),
                          note=f"{all_right}/{all_cells} cells, {len(truths)} LibreOffice PDFs (4–10 pages)"))
    figures.append(Figure("reports with a false blank-cell finding", sum(r["false_blank"] for r in per.values()),
                          "files", Target("<=", 0), note="T2-01/T3-05/T4-02 on reports whose cells are all filled"))
    blanks = sum(r["blank"] for r in per.values())
    figures.append(Figure("reports with real blank cells reported", 100 * sum(r["blank_seen"] for r in per.values())
                          / max(blanks, 1), "%", Target(">=", 100), note=f"{blanks} reports leave 1–3 表3 cells blank"))
    errors = sum(r["errors"] for r in per.values())
    figures.append(Figure("injected arithmetic errors found", 100 * sum(r["found"] for r in per.values()) / max(errors, 1),
                          "%", Target(">=", 100), note=f"{errors} reports with a real T3/T4 error"))
    figures.append(Figure("parse LibreOffice .pdf p95", percentile(all_ms, 95), "ms", Target("<", 300),
                          note=f"median {sorted(all_ms)[len(all_ms) // 2]:.0f} ms; grid reading first, "
                               "the text layer only when an identity breaks"))
    return figures
