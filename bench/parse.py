"""Parse latency per file kind (median, p95, files/s on one core) against the floor of each kind.

Floors, measured on the same files in the same run:
* .txt — open the file and decode it (nothing can read a report faster than reading its bytes);
* .docx — python-docx opens it and walks every table cell's text;
* .pdf — pdfplumber extracts every page's text;
* .html — BeautifulSoup (lxml) parses it and takes the text.

Our figure is ``bot.reading.read_bytes`` called directly in this process (one core, no worker pool);
the pool's extra cost per file is measured separately with ``read_in_worker``.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from bench import Context, Figure, Target, median, missing, percentile, time_each
from bench.corpus import FILE_KINDS, generate, render

#: Per-file targets by kind family (ms); html has no stated target.
TARGETS: dict[str, Target | None] = {
    "txt": Target("<", 5),
    "docx": Target("<", 40),
    "pdf": Target("<", 300),
    "html": None,
}


def _floor_txt(path: Path) -> Any:
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8")


def _floor_docx(path: Path) -> Any:
    import docx

    doc = docx.Document(str(path))
    n = 0
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                n += len(cell.text)
    return n


def _floor_pdf(path: Path) -> Any:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def _floor_html(path: Path) -> Any:
    from bs4 import BeautifulSoup

    return len(BeautifulSoup(path.read_bytes(), "lxml").get_text())


FLOORS = {"txt": _floor_txt, "docx": _floor_docx, "pdf": _floor_pdf, "html": _floor_html}


def pdf_pages(path: Path) -> int:
    """Page count of a PDF (for the row label: the target is for a six-page PDF)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return len(pdf.pages)


def read_back_exactly(expected: Any, results: list[Any]) -> bool:
    """Whether the reader returned one report whose 表2–表4 numbers equal the generated ones."""
    if len(results) != 1 or results[0].report is None:
        return False
    got = results[0].report
    want = {(t, r, c): v.value for t, r, c, v in expected.cells()}
    have = {(t, r, c): v.value for t, r, c, v in got.cells()}
    return want == have and got.year == expected.year


def run(ctx: Context) -> list[Figure]:
    """Render the corpus once per kind, then time our reader and the floor file by file."""
    n_all = ctx.n(40, 4)
    gens_all = generate(n_all, seed=11)
    figures: list[Figure] = []
    try:
        from bot.reading import read_bytes
    except ImportError as exc:
        read_bytes = None
        why = f"reading not available ({exc})"
    files: dict[str, list[tuple[Path, Any]]] = {}
    for kind in FILE_KINDS:
        family = kind.split("-")[0]
        # PDFs cost ~0.5 s a read (ours and the floor): fewer files and repeats keep the run < 15 min
        n = n_all if family != "pdf" else ctx.n(16, 3)
        repeat = 1 if ctx.quick else (2 if family == "pdf" else 3)
        gens = gens_all[:n]
        paths = []
        try:
            for i, gen in enumerate(gens):
                path = ctx.workdir / f"{i:04d}{FILE_KINDS[kind][0]}"
                path.write_bytes(render(gen.report, kind))
                paths.append((path, gen.report))
        except Exception as exc:  # renderer missing or failing for this kind
            figures.append(missing(f"parse .{kind}", "ms", TARGETS[family], f"cannot render {kind}: {exc}"))
            continue
        files[kind] = paths
        floor_fn = FLOORS[family]
        floor_ms = time_each(lambda p, f=floor_fn: f(p[0]), paths, repeat=repeat)
        label = f"parse .{kind}"
        if family == "pdf":
            pages = sorted({pdf_pages(p) for p, _ in paths})
            label += f" ({pages[0]}–{pages[-1]} pages)" if len(pages) > 1 else f" ({pages[0]} pages)"
        if read_bytes is None:
            figures.append(missing(label, "ms", TARGETS[family], why))
            figures.append(Figure(f"floor .{kind} ({_floor_name(family)})", median(floor_ms), "ms",
                                  note=f"median of {n} files"))
            continue
        datas = [(p.name, p.read_bytes(), rep) for p, rep in paths]
        read_bytes(datas[0][0], datas[0][1])  # warm-up: imports, caches
        ours, correct = _time_reader(read_bytes, datas, repeat)
        floor_med = median(floor_ms)
        note = f"{n} files, best of {repeat}; read back exactly: {correct}/{n}"
        figures.append(Figure(f"{label} median", median(ours), "ms", TARGETS[family], floor=floor_med,
                              note=note))
        figures.append(Figure(f"{label} p95", percentile(ours, 95), "ms", TARGETS[family],
                              floor=percentile(floor_ms, 95)))
        total_s = sum(ours) / 1000
        figures.append(Figure(f"{label} throughput (1 core)", n / total_s if total_s else None, "files/s",
                              floor=n / (sum(floor_ms) / 1000) if sum(floor_ms) else None))
    if read_bytes is not None and "docx" in files:
        figures.extend(_pool_overhead(ctx, files["docx"], read_bytes))
    return figures


def _time_reader(read_bytes: Any, datas: list[tuple[str, bytes, Any]], repeat: int) -> tuple[list[float], int]:
    """Best-of-``repeat`` milliseconds per file, and how many files read back exactly (first call)."""
    ms: list[float] = []
    correct = 0
    for name, data, expected in datas:
        best = float("inf")
        for attempt in range(repeat):
            t0 = time.perf_counter()
            results = read_bytes(name, data)
            best = min(best, time.perf_counter() - t0)
            if attempt == 0:
                correct += read_back_exactly(expected, results)
        ms.append(best * 1000)
    return ms, correct


def _floor_name(family: str) -> str:
    return {"txt": "open+decode", "docx": "python-docx tables", "pdf": "pdfplumber text",
            "html": "BeautifulSoup text"}[family]


def _pool_overhead(ctx: Context, paths: list[tuple[Path, Any]], read_bytes: Any) -> list[Figure]:
    """Extra time per .docx when read through the worker pool (pickling, IPC), and its cold start."""
    try:
        from bot.reading import read_in_worker
    except ImportError as exc:
        return [missing("worker pool overhead per .docx", "ms", None, f"read_in_worker not available ({exc})")]
    datas = [(p.name, p.read_bytes()) for p, _ in paths]
    direct = time_each(lambda d: read_bytes(d[0], d[1]), datas)

    async def measure() -> tuple[float, list[float]]:
        t0 = time.perf_counter()
        await read_in_worker(*datas[0])
        cold = (time.perf_counter() - t0) * 1000
        pooled = []
        for name, data in datas:
            t1 = time.perf_counter()
            await read_in_worker(name, data)
            pooled.append((time.perf_counter() - t1) * 1000)
        return cold, pooled

    cold, pooled = asyncio.run(measure())
    overhead = median(pooled) - median(direct)
    return [
        Figure("worker pool overhead per .docx (median)", overhead, "ms", floor=None,
               note=f"read_in_worker {median(pooled):.1f} ms vs read_bytes {median(direct):.1f} ms"),
        Figure("worker pool first call (cold start)", cold, "ms"),
    ]

