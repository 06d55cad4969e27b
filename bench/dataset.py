"""The stored-reports data set shared by the import and question benchmarks.

10,000 reports = 10 workspaces (chats) × 200 offices × 5 years (2021–2025), each year chained to the
previous one (上年结转 = last year's 结转下年度) and validated before it is stored, the way
``nianbao import`` would store them. ``--quick`` uses 250 (5 chats × 10 offices × 5 years).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bench.corpus import generate_report
from bot.report import Report

YEARS = (2021, 2022, 2023, 2024, 2025)
#: Chat ids of the benchmark workspaces (negative: supergroups).
CHAT_BASE = -1_009_000_000_000


@dataclass
class Shape:
    """How many chats, offices per chat and years make up the data set."""

    chats: int
    offices: int
    years: tuple[int, ...] = YEARS

    @property
    def total(self) -> int:
        return self.chats * self.offices * len(self.years)


def shape(quick: bool) -> Shape:
    """10,000 reports (full) or 250 (quick)."""
    return Shape(5, 10) if quick else Shape(10, 200)


def chat_id(c: int) -> int:
    """The chat id of workspace ``c`` (0-based)."""
    return CHAT_BASE - c


def build(s: Shape, *, validate: Callable[..., Any] | None = None) -> list[tuple[int, Report]]:
    """Every (chat id, report) of the data set, in year order per office; validated when possible."""
    out: list[tuple[int, Report]] = []
    today = date(2026, 2, 1)
    for c in range(s.chats):
        for o in range(s.offices):
            office_index = c * s.offices + o
            prev: Report | None = None
            for y in s.years:
                carried = int(prev.t3("carried_forward") or 0) if prev else None
                rep = generate_report(office_index * 10 + y, office_index=office_index, year=y,
                                      carried_over=carried)
                rep.source.filename = f"{rep.office.short_name}_{y}.docx"
                rep.source.kind = "docx"
                rep.source.sha256 = uuid.uuid5(uuid.NAMESPACE_URL, f"{office_index}/{y}").hex * 2
                if validate is not None:
                    validate(rep, prev, today=today)
                out.append((chat_id(c), rep))
                prev = rep
    return out


def validator() -> Callable[..., Any] | None:
    """``bot.validation.validate`` when that part is available."""
    try:
        from bot.validation import validate
    except ImportError:
        return None
    return validate


def shared_dir() -> Path | None:
    """A directory shared by all areas of one ``python -m bench`` run (to reuse the SQLite file)."""
    path = os.environ.get("NIANBAO_BENCH_SHARED")
    return Path(path) if path else None


@dataclass
class Imported:
    """How long storing took, and how many of the reports were stored before the time budget ran out."""

    seconds: float
    stored: int
    total: int
    method: str = "store_report"

    @property
    def complete(self) -> bool:
        return self.stored == self.total

    @property
    def projected(self) -> float:
        """Seconds for all reports: measured when complete, else extrapolated at the measured rate."""
        return self.seconds if self.complete else self.seconds * self.total / max(self.stored, 1)

    def note(self) -> str:
        rate = self.stored / self.seconds if self.seconds else 0
        how = "repo.store_reports (bulk)" if self.method == "store_reports" else "repo.store_report one by one"
        if self.complete:
            return f"{rate:,.0f} reports/s via {how}"
        return (f"PROJECTED at the measured {rate:,.0f} reports/s via {how}: stopped after "
                f"{self.seconds:.0f} s (time budget) with {self.stored:,} of {self.total:,} stored")


async def store_all(db: Any, items: list[tuple[int, Report]], *, budget: float | None = None) -> Imported:
    """Store every report with ``storage.repo.store_report`` (or its bulk helper).

    ``budget`` (seconds) stops a slow import early so the whole run stays within its time limit; the
    result then says how many were stored and :attr:`Imported.projected` extrapolates (labelled so).
    """
    from storage import repo

    for cid in sorted({cid for cid, _ in items}):
        await repo.ensure_workspace(db, chat_id=cid, title=f"基准测试群{-cid % 1000}")
    bulk = getattr(repo, "store_reports", None)
    stored = 0
    t0 = time.perf_counter()
    if bulk is not None:
        by_chat: dict[int, list[Report]] = {}
        for cid, rep in items:
            by_chat.setdefault(cid, []).append(rep)
        for cid, reports in by_chat.items():
            await bulk(db, chat_id=cid, reports=reports)
            stored += len(reports)
            if budget is not None and time.perf_counter() - t0 > budget:
                break
    else:
        for cid, rep in items:
            await repo.store_report(db, chat_id=cid, report=rep, sender_id=1, sender_name="基准")
            stored += 1
            if budget is not None and stored % 50 == 0 and time.perf_counter() - t0 > budget:
                break
    return Imported(time.perf_counter() - t0, stored, len(items), "store_reports" if bulk else "store_report")


async def time_single_stores(db: Any, items: list[tuple[int, Report]]) -> list[float]:
    """Milliseconds per ``repo.store_report`` call — the path of one upload in a chat."""
    from storage import repo

    ms = []
    for cid, rep in items:
        t0 = time.perf_counter()
        await repo.store_report(db, chat_id=cid, report=rep, sender_id=1, sender_name="基准")
        ms.append((time.perf_counter() - t0) * 1000)
    return ms


def import_sqlite(path: Path, items: list[tuple[int, Report]], *, budget: float | None = None,
                  singles: list[tuple[int, Report]] | None = None) -> tuple[Imported, list[float]]:
    """Fresh SQLite file at ``path``, migrated to head, then every report stored; then ``singles``
    stored one at a time (timed per call) into the now-full database."""
    from storage.db import Database, upgrade

    url = f"sqlite:///{path}"
    upgrade(url)

    async def go() -> tuple[Imported, list[float]]:
        async with Database(url) as db:
            result = await store_all(db, items, budget=budget)
            return result, await time_single_stores(db, singles or [])

    return asyncio.run(go())


@contextmanager
def fresh_postgres(admin_url: str) -> Iterator[str]:
    """A new, uniquely named PostgreSQL database (dropped afterwards); yields its URL.

    Raises ``ConnectionError`` with the reason when the server is unreachable.
    """
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    conninfo = f"host={admin.host or '127.0.0.1'} port={admin.port or 5432} user={admin.username or 'postgres'}"
    if admin.password:
        conninfo += f" password={admin.password}"
    name = f"nianbao_bench_{uuid.uuid4().hex[:12]}"
    try:
        conn = psycopg.connect(f"{conninfo} dbname={admin.database or 'postgres'}", autocommit=True,
                               connect_timeout=3)
    except Exception as exc:
        raise ConnectionError(f"PostgreSQL at {admin.host}:{admin.port or 5432} unreachable: {exc}") from exc
    try:
        conn.execute(f'CREATE DATABASE "{name}"')
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            conn.close()


def import_postgres(url: str, items: list[tuple[int, Report]], *, budget: float | None = None,
                    singles: list[tuple[int, Report]] | None = None) -> tuple[Imported, list[float]]:
    """Migrate the fresh database and store every report; then ``singles`` one at a time (timed)."""
    from storage.db import Database, upgrade

    upgrade(url)

    async def go() -> tuple[Imported, list[float]]:
        async with Database(url) as db:
            result = await store_all(db, items, budget=budget)
            return result, await time_single_stores(db, singles or [])

    return asyncio.run(go())
