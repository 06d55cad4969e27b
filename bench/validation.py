"""Validation time per report (target < 2 ms), plus how well the validator finds injected errors.

Timing uses generated reports with last year's report as ``previous`` (so the cross-year rules run
too). The accuracy figures are not speed targets, but a fast validator that misses injected errors or
flags correct reports is not worth its speed, so they sit in the same table.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from bench import Context, Figure, Target, median, missing, percentile, time_each
from bench.corpus import INJECTIONS, generate, generate_report, render

TARGET = Target("<", 2)


def run(ctx: Context) -> list[Figure]:
    """Time ``validate`` on n reports; score it on injected errors (objects and parsed files)."""
    try:
        from bot.validation import validate
    except ImportError as exc:
        return [missing("validate per report", "ms", TARGET, f"validation not available ({exc})")]
    n = ctx.n(2000, 150)
    today = date(2026, 2, 1)
    pairs = []
    for i in range(n):
        prev = generate_report(50_000 + i, office_index=i, year=2024)
        cur = generate_report(60_000 + i, office_index=i, year=2025, carried_over=int(prev.t3("carried_forward") or 0))
        pairs.append((cur, prev))
    validate(pairs[0][0], pairs[0][1], today=today)  # warm-up
    ms = time_each(lambda p: validate(p[0], p[1], today=today), pairs)
    figures = [
        Figure("validate per report median", median(ms), "ms", TARGET, note=f"{n} reports, with previous year"),
        Figure("validate per report p95", percentile(ms, 95), "ms", TARGET),
    ]
    figures.extend(_accuracy(ctx, validate, today))
    return figures


def _score(gens: list, findings_of) -> tuple[int, int, Counter, int, int, Counter]:
    """(caught, injected, misses by kind, clean without errors, clean, codes on clean reports).

    The codes on clean reports include warnings (marked), which do not count against the percentage but
    are worth reading: a correct report should get no warning either."""
    caught = injected = clean_ok = clean = 0
    misses: Counter = Counter()
    false_codes: Counter = Counter()
    for gen in gens:
        findings = findings_of(gen)
        if findings is None:
            continue
        codes = Counter(f.code for f in findings)
        if gen.injected:
            injected += 1
            want = Counter(e["code"] for e in gen.expected)
            if all(codes[c] >= 1 for c in want):
                caught += 1
            else:
                misses[gen.injected[0]] += 1
        else:
            clean += 1
            errors = [f.code for f in findings if f.severity == "error"]
            if not errors:
                clean_ok += 1
            false_codes.update(errors)
            false_codes.update(f"{f.code}(warning)" for f in findings if f.severity == "warning")
    return caught, injected, misses, clean_ok, clean, false_codes


def _accuracy(ctx: Context, validate, today: date) -> list[Figure]:
    gens = generate(ctx.n(7 * 12, 7 * 2) * 2, seed=21, error_rate=0.5)

    def on_objects(gen):
        return validate(gen.report, today=today)

    caught, injected, misses, clean_ok, clean, false_codes = _score(gens, on_objects)
    figures = [
        Figure("injected errors found (report objects)", 100 * caught / max(injected, 1), "%",
               note=f"{caught}/{injected}; missed: {dict(misses) or 'none'}; kinds: {len(INJECTIONS)}"),
        Figure("correct reports without errors (report objects)", 100 * clean_ok / max(clean, 1), "%",
               note=f"{clean_ok}/{clean}; findings on correct reports: {dict(false_codes) or 'none'}"),
    ]
    try:
        from bot.reading import read_bytes
    except ImportError as exc:
        return figures + [missing("injected errors found (parsed .txt)", "%", None, f"reading ({exc})")]

    def on_files(gen):
        try:
            results = read_bytes(f"{gen.report.office.short_name}.txt", render(gen.report, "txt-cells"))
        except ImportError:
            return None
        if not results or results[0].report is None:
            return []
        return validate(results[0].report, today=today)

    try:
        render(gens[0].report, "txt-cells")
    except Exception as exc:
        return figures + [missing("injected errors found (parsed .txt)", "%", None, f"renderer ({exc})")]
    caught, injected, misses, clean_ok, clean, false_codes = _score(gens, on_files)
    figures += [
        Figure("injected errors found (parsed .txt)", 100 * caught / max(injected, 1), "%",
               note=f"{caught}/{injected}; missed: {dict(misses) or 'none'}"),
        Figure("correct reports without errors (parsed .txt)", 100 * clean_ok / max(clean, 1), "%",
               note=f"{clean_ok}/{clean}; findings on correct reports: {dict(false_codes) or 'none'}"),
    ]
    return figures
