"""Question latency (p50, p95; target < 20 ms) with 10,000 reports stored.

The database is the one the import benchmark filled (reused through the run's shared directory) or,
when this area runs alone, a fresh import of the same data set. Questions are a realistic mix — one
office's number, a year, a ranking, a sum over all offices, who has not submitted, English — asked
about offices of the first workspace through ``bot.questions.answer``, exactly what a chat message runs.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import time
from datetime import date
from typing import Any

from bench import Context, Figure, Target, median, missing, percentile
from bench.corpus import office_name
from bench.dataset import build, chat_id, import_sqlite, shape, shared_dir

TARGET = Target("<", 20)


def questions(offices: int, n: int, seed: int = 5) -> list[str]:
    """``n`` questions about the first workspace's ``offices`` offices, cycling through the templates."""
    rng = random.Random(seed)
    templates = [
        "{short}收到多少申请",
        "{short}{year}年办结了多少件",
        "{name}{year}年行政复议几件",
        "{short}{year}年予以公开多少件",
        "{year}年全部单位一共收到多少申请",
        "{year}年哪个单位收到的申请最多",
        "{year}年哪些单位还没交年报",
        "{short}{year}年结转下年度多少件",
        "How many applications did {short} receive in {year}?",
        "{short}{year}年的报告有什么问题",
    ]
    out = []
    for i in range(n):
        office = office_name(rng.randrange(offices))
        year = rng.choice((2022, 2023, 2024, 2025))
        out.append(templates[i % len(templates)].format(short=office.short_name, name=office.name, year=year))
    return out


def run(ctx: Context) -> list[Figure]:
    """Fill (or reuse) the database, then time ``answer`` on a mix of questions."""
    s = shape(ctx.quick)
    try:
        from bot.questions import answer
        from storage.db import Database
    except ImportError as exc:
        return [missing(f"question latency at {s.total:,} reports p50", "ms", TARGET,
                        f"questions or storage not available ({exc})")]
    path = ctx.workdir / "questions.db"
    shared = shared_dir()
    cached = sorted(shared.glob("sqlite-*.db")) if shared else []
    if cached:
        shutil.copy(cached[0], path)
        stored = int(cached[0].stem.split("-")[1])
        source = "the import benchmark's SQLite file"
    else:
        ctx.log(f"importing {s.total} reports for the question benchmark")
        stored = import_sqlite(path, build(s), budget=300)[0].stored
        source = "a fresh SQLite import"
    name = f"question latency at {stored:,} reports"
    texts = questions(s.offices, ctx.n(600, 60))
    today = date(2026, 2, 1)

    async def go() -> tuple[list[float], int, list[str]]:
        async with Database(f"sqlite:///{path}") as db:
            await answer(db, chat_id=chat_id(0), text=texts[0], today=today)  # warm-up
            ms: list[float] = []
            understood = 0
            samples: list[str] = []
            for text in texts:
                t0 = time.perf_counter()
                ans: Any = await answer(db, chat_id=chat_id(0), text=text, today=today)
                ms.append((time.perf_counter() - t0) * 1000)
                understood += bool(getattr(ans, "understood", False))
                if len(samples) < 3:
                    samples.append(f"{text} → {str(getattr(ans, 'text', ans))[:40]}")
            return ms, understood, samples

    ms, understood, samples = asyncio.run(go())
    note = (f"{len(texts)} questions, {understood} understood; SQLite ({source}); "
            f"{s.offices} offices × {len(s.years)} years in the asking chat")
    return [
        Figure(f"{name} p50", median(ms), "ms", TARGET, note=note),
        Figure(f"{name} p95", percentile(ms, 95), "ms", TARGET, note="e.g. " + " | ".join(samples[:2])),
    ]
