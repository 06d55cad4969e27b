"""Import of 10,000 reports into SQLite (< 60 s) and PostgreSQL (< 90 s).

The reports are built and validated first (parse and validation have their own figures); the timed
part is storing them through ``storage.repo`` into a freshly migrated database, as ``nianbao import``
does. PostgreSQL gets a fresh, uniquely named database on the configured server, dropped afterwards;
when the server is unreachable the row says so.
"""

from __future__ import annotations

import shutil

from bench import Context, Figure, Target, missing
from bench.dataset import build, fresh_postgres, import_postgres, import_sqlite, shape, shared_dir, validator

SQLITE_TARGET = Target("<", 60)
PG_TARGET = Target("<", 90)


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
    validate = validator()
    ctx.log(f"building {s.total} reports")
    items = build(s, validate=validate)
    scale = "" if s.total == 10_000 else " (quick: target scaled from 10,000)"
    note = ("validated beforehand; " if validate else "NOT validated (validation missing); ") + \
        f"{s.chats} chats × {s.offices} offices × {len(s.years)} years{scale}"
    # a quick run stores 500 reports: hold it to the same per-report budget (60 s × 500/10,000)
    sqlite_target, pg_target = SQLITE_TARGET, PG_TARGET
    if s.total != 10_000:
        sqlite_target = Target("<", SQLITE_TARGET.limit * s.total / 10_000)
        pg_target = Target("<", PG_TARGET.limit * s.total / 10_000)
    figures = []
    path = ctx.workdir / "bench.db"
    ctx.log("importing into SQLite")
    try:
        seconds = import_sqlite(path, items)
        figures.append(Figure(f"import {label} into SQLite", seconds, "s", sqlite_target,
                              note=f"{s.total / seconds:,.0f} reports/s; {note}"))
        shared = shared_dir()
        if shared is not None:  # the questions area reuses this file instead of importing again
            shutil.copy(path, shared / f"sqlite-{s.total}.db")
    except Exception as exc:
        figures.append(missing(f"import {label} into SQLite", "s", SQLITE_TARGET, f"{type(exc).__name__}: {exc}"))
    ctx.log("importing into PostgreSQL")
    try:
        with fresh_postgres(ctx.pg_admin_url) as url:
            seconds = import_postgres(url, items)
        figures.append(Figure(f"import {label} into PostgreSQL", seconds, "s", pg_target,
                              note=f"{s.total / seconds:,.0f} reports/s; fresh database, dropped after; {note}"))
    except ConnectionError as exc:
        figures.append(missing(f"import {label} into PostgreSQL", "s", PG_TARGET, f"skipped: {exc}"))
    except Exception as exc:
        figures.append(missing(f"import {label} into PostgreSQL", "s", PG_TARGET,
                               f"{type(exc).__name__}: {str(exc)[:160]}"))
    return figures
