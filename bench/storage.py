"""Import of 10,000 reports into SQLite (< 60 s) and PostgreSQL (< 90 s).

The reports are generated correct (so validating them would add no findings; validation has its own
figure); the timed part is storing them through ``storage.repo`` into a freshly migrated database, as
``nianbao import`` does after parsing and validating. PostgreSQL gets a fresh, uniquely named database
on the configured server, dropped afterwards; when the server is unreachable the row says so.

An import far slower than its target is stopped at a time budget (3× the target for SQLite, whose file
the question benchmark reuses; 2× for PostgreSQL) and the figure is the projection at the measured
rate, labelled PROJECTED in the note — the ✗ is certain either way and the run stays under 15 minutes.
"""

from __future__ import annotations

import shutil

from bench import Context, Figure, Target, median, missing, percentile
from bench.dataset import Shape, build, fresh_postgres, import_postgres, import_sqlite, shape, shared_dir

SQLITE_TARGET = Target("<", 60)
PG_TARGET = Target("<", 90)


def _single(backend: str, ms: list[float], stored: int) -> Figure:
    """One upload's store_report time (no target of its own; it is part of the verdict latency)."""
    return Figure(f"store_report per upload p95 ({backend})", percentile(ms, 95) if ms else None, "ms",
                  note=f"median {median(ms):.1f} ms over {len(ms)} uploads into the database holding "
                  f"{stored:,} reports")


def run(ctx: Context) -> list[Figure]:
    """Build the data set once, import it into SQLite, then into PostgreSQL."""
    s = shape(ctx.quick)
    label = f"{s.total:,} reports"
    try:
        from storage import repo  # noqa: F401
        from storage.db import Database  # noqa: F401
    except ImportError as exc:
        why = f"storage not available ({exc})"
        return [missing(f"import {label} into SQLite", "s", SQLITE_TARGET, why),
                missing(f"import {label} into PostgreSQL", "s", PG_TARGET, why)]
    ctx.log(f"building {s.total} reports")
    items = build(s)
    # uploads one at a time into the full database: 2 more years (2026, 2027) of some offices of chat 0
    singles = [(cid, rep) for cid, rep in build(Shape(1, ctx.n(250, 25), (2026, 2027)))]
    # a quick run stores fewer reports: hold it to the same per-report budget (60 s × n/10,000)
    sqlite_target, pg_target = SQLITE_TARGET, PG_TARGET
    scale = ""
    if s.total != 10_000:
        sqlite_target = Target("<", SQLITE_TARGET.limit * s.total / 10_000)
        pg_target = Target("<", PG_TARGET.limit * s.total / 10_000)
        scale = "; quick: target scaled from 10,000"
    note = f"{s.chats} chats × {s.offices} offices × {len(s.years)} years{scale}"
    figures = []
    path = ctx.workdir / "bench.db"
    ctx.log("importing into SQLite")
    try:
        result, ms = import_sqlite(path, items, budget=3 * sqlite_target.limit, singles=singles)
        figures.append(Figure(f"import {label} into SQLite", result.projected, "s", sqlite_target,
                              note=f"{result.note()}; {note}"))
        figures.append(_single("SQLite", ms, result.stored))
        shared = shared_dir()
        if shared is not None:  # the questions area reuses this file instead of importing again
            shutil.copy(path, shared / f"sqlite-{result.stored + len(ms)}.db")
    except Exception as exc:
        figures.append(missing(f"import {label} into SQLite", "s", sqlite_target, f"{type(exc).__name__}: {exc}"))
    ctx.log("importing into PostgreSQL")
    try:
        with fresh_postgres(ctx.pg_admin_url) as url:
            result, ms = import_postgres(url, items, budget=2 * pg_target.limit, singles=singles)
        figures.append(Figure(f"import {label} into PostgreSQL", result.projected, "s", pg_target,
                              note=f"{result.note()}; fresh database, dropped after; {note}"))
        figures.append(_single("PostgreSQL", ms, result.stored))
    except ConnectionError as exc:
        figures.append(missing(f"import {label} into PostgreSQL", "s", pg_target, f"skipped: {exc}"))
    except Exception as exc:
        figures.append(missing(f"import {label} into PostgreSQL", "s", pg_target,
                               f"{type(exc).__name__}: {str(exc)[:160]}"))
    return figures
