"""OCR accuracy, uncertainty flagging, speed and memory on our own scans and phone photos.

    PYTHONPATH=. python -m bench.ocr [--reports 4] [--engines rapidocr,tesseract] [--json out.json]
    PYTHONPATH=. python -m bench --only ocr [--quick]     (the same figures as an area of the runner)

Corpus: ``tests.support.factories.make_report`` reports (every identity holds, many non-zero cells)
written as ruled .docx, made a PDF by LibreOffice, rasterised by pdftoppm at 150 and 300 dpi ("scan"),
and the 300-dpi pages turned, blurred and JPEG'd ("phone", tests/support/scans.py). Each variant is read
page by page through the same grid builder (bot/reading/boxes.py) and report reader, then validated.

Per cell (表2, 表3, 表4: 200 cells a report):
* right — the value read equals the truth;
* wrong, flagged — wrong but listed as uncertain (bot/validation/uncertain.py) or blank (never shown
  as a number);
* wrong, silent — wrong and presented as certain: the figure that must stay under 0.5 %.

Speed: a 6-page image-only PDF through ``read_in_worker`` (2 workers, the models loading included
once), and one photo. Memory and CPU: one worker task (``_probe``) does what the bot's worker tasks do
for the same PDF (twice) and photo and returns its own process's CPU seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import pickle
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.reading.boxes import Box, BoxDoc, doc_from_pages
from bot.reading.scanned import report_from_boxes
from bot.report import Report, Source


def _truth_cells(report: Report) -> dict[tuple[str, str, str], Any]:
    return {(t, r, c): v.value for t, r, c, v in report.cells()}


def _tesseract_boxes(png: bytes) -> list[Box]:
    """Tesseract 5 (chi_sim), words with their boxes and confidence, joined into runs per line."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "p.png"
        src.write_bytes(png)
        out = subprocess.run(["tesseract", str(src), "stdout", "-l", "chi_sim", "--psm", "11", "tsv"],
                             capture_output=True, check=True, timeout=300).stdout.decode("utf-8", "replace")
    boxes: list[Box] = []
    for line in out.splitlines()[1:]:
        f = line.split("\t")
        if len(f) < 12 or not f[11].strip() or float(f[10]) < 0:
            continue
        x, y, w, h = (float(v) for v in f[6:10])
        boxes.append(Box(f[11].strip(), x, y, x + w, y + h, float(f[10]) / 100))
    # tesseract gives one box per word (a CJK character each): merge neighbours on a line
    boxes.sort(key=lambda b: (round(b.cy / max(b.h, 1)), b.x0))
    merged: list[Box] = []
    for b in boxes:
        last = merged[-1] if merged else None
        if last and abs(last.cy - b.cy) < 0.5 * b.h and 0 <= b.x0 - last.x1 < 0.3 * b.h and not (
            last.text.isdigit() != b.text.isdigit()
        ):
            merged[-1] = Box(last.text + b.text, last.x0, min(last.y0, b.y0), b.x1, max(last.y1, b.y1),
                             min(last.conf, b.conf))
        else:
            merged.append(b)
    return merged


def _read(pages: list[bytes], engine: str, kind: str) -> tuple[BoxDoc, float, float]:
    from PIL import Image

    from bot.reading import ocr

    start = time.perf_counter()
    cpu = time.process_time()
    if engine == "rapidocr":
        readers = [ocr.PageReader(ocr._prepare(Image.open(io.BytesIO(p)))) for p in pages]
        doc = doc_from_pages(readers, kind)
    else:
        doc = doc_from_pages([_tesseract_boxes(p) for p in pages], kind)
    if engine != "rapidocr":  # a subprocess: its CPU time is not this process's
        return doc, time.perf_counter() - start, time.perf_counter() - start
    return doc, time.perf_counter() - start, time.process_time() - cpu


def _score(truth: Report, doc: BoxDoc, kind: str) -> dict[str, Any]:
    from bot.validation import validate
    from bot.validation.uncertain import uncertain_cells

    report = report_from_boxes(doc, Source("bench", "", kind))
    validate(report)
    flagged = {id(c.value) for c in uncertain_cells(report)[0]}
    got = {(t, r, c): v for t, r, c, v in report.cells()}
    right = wrong_flagged = wrong_silent = 0
    label_rows_lost = 0
    for key, want in _truth_cells(truth).items():
        v = got.get(key)
        if v is not None and v.value == want:
            right += 1
        elif v is None or v.value is None or id(v) in flagged:
            wrong_flagged += 1
            label_rows_lost += v is None
        else:
            wrong_silent += 1
    errors = [f.code for f in report.findings if f.severity == "error"]
    return {"cells": right + wrong_flagged + wrong_silent, "right": right, "wrong_flagged": wrong_flagged,
            "wrong_silent": wrong_silent, "missing": label_rows_lost, "errors": errors}


def corpus(n: int) -> list[tuple[Report, bytes, dict[str, list[bytes]]]]:
    from tests.support import scans
    from tests.support.factories import make_report

    out = []
    for seed in range(1, n + 1):
        truth = make_report(seed)
        pdf = scans.to_pdf(scans.ruled_docx(truth))
        p150 = scans.rasterise(pdf, 150)
        p300 = scans.rasterise(pdf, 300)
        phone = [scans.phone_photo(p, seed * 10 + i) for i, p in enumerate(p300)]
        out.append((truth, pdf, {"scan 150 dpi": p150, "scan 300 dpi": p300, "phone photo": phone}))
    return out


async def _speed(pdf_pages: list[bytes], photo: bytes) -> dict[str, Any]:
    from bot.reading import api
    from tests.support.scans import scanned_pdf

    six = (pdf_pages * 3)[:6]
    pdf = scanned_pdf(six, 150)
    notices: list[tuple[str, int]] = []
    api.shutdown_pool()
    start = time.perf_counter()
    first = await api.read_in_worker("scan.pdf", pdf, on_ocr=lambda name, pages, _pictures: notices.append((name, pages)))
    cold = time.perf_counter() - start
    start = time.perf_counter()
    await api.read_in_worker("scan.pdf", pdf)
    warm = time.perf_counter() - start
    start = time.perf_counter()
    await api.read_in_worker("photo.jpg", photo)
    photo_s = time.perf_counter() - start
    api.shutdown_pool()
    # the memory and CPU figures from ONE worker that did the reading itself (asking a worker afterwards
    # may reach the other worker, or a fresh one after the pool was recycled: "42 MB")
    [probe] = await api.run_in_worker(_probe, "probe", pickle.dumps((pdf, photo)), timeout=600)
    api.shutdown_pool()
    return {"pdf6_cold_s": cold, "pdf6_warm_s": warm, "photo_s": photo_s, "worker_peak_mb": probe["peak_mb"],
            "probe": probe, "notice": bool(notices), "pdf6_ok": first[0].report is not None}


def _probe(_name: str, data: bytes) -> list[dict[str, float]]:
    """In one parse worker (a picklable task): what the bot's two worker tasks do for a scan — the text
    readers first, then OCR — for the 6-page PDF, then a photo; the process's own CPU seconds and wall
    time of each OCR read, and its peak resident memory (``ru_maxrss``) with the models loaded."""
    import resource

    from bot.reading.api import read_bytes, read_bytes_without_ocr

    def cpu() -> float:
        use = resource.getrusage(resource.RUSAGE_SELF)
        return use.ru_utime + use.ru_stime

    pdf, photo = pickle.loads(data)
    out: dict[str, float] = {"start_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    for key, name, blob in (("pdf6", "scan.pdf", pdf), ("pdf6_again", "scan.pdf", pdf), ("photo", "photo.jpg", photo)):
        read_bytes_without_ocr(name, blob)
        c, w = cpu(), time.perf_counter()
        [result] = read_bytes(name, blob)
        out[f"{key}_cpu_s"], out[f"{key}_wall_s"] = cpu() - c, time.perf_counter() - w
        out[f"{key}_ok"] = float(result.report is not None)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [out]


def measure(n_reports: int, engines: str = "rapidocr", speed: bool = True,
            log: Any = print) -> dict[str, Any]:
    """Read every variant of ``n_reports`` reports with each engine; score per cell; time the worker path."""
    data = corpus(n_reports)
    log(f"{n_reports} reports rendered (LibreOffice, pdftoppm, phone photos)")
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for engine in engines.split(","):
        for truth, _pdf, variants in data:
            for variant, pages in variants.items():
                doc, seconds, cpu = _read(pages, engine, "pdf" if variant.startswith("scan") else "image")
                # photos are pages of a report here: scored as one report, per cell
                s = _score(truth, doc, "pdf")
                acc = rows.setdefault((engine, variant), {"cells": 0, "right": 0, "wrong_flagged": 0,
                                                          "wrong_silent": 0, "missing": 0, "seconds": [],
                                                          "cpu": [], "errors": 0})
                for k in ("cells", "right", "wrong_flagged", "wrong_silent", "missing"):
                    acc[k] += s[k]
                acc["errors"] += len(s["errors"])
                acc["seconds"].append(seconds / len(pages))
                acc["cpu"].append(cpu / len(pages))
                log(f"{engine} {variant}: {s['right']}/{s['cells']} right, {s['wrong_silent']} silent")
    out: dict[str, Any] = {}
    for (engine, variant), a in rows.items():
        wrong = a["cells"] - a["right"]
        out[f"{engine}/{variant}"] = {
            "cells": a["cells"], "right": a["right"], "right_pct": 100 * a["right"] / a["cells"], "wrong": wrong,
            "wrong_flagged": a["wrong_flagged"], "wrong_silent": a["wrong_silent"],
            "flagged_pct": 100 * a["wrong_flagged"] / wrong if wrong else 100.0,
            "silent_pct": 100 * a["wrong_silent"] / a["cells"], "error_findings": a["errors"],
            "s_per_page": statistics.median(a["seconds"]), "cpu_s_per_page": statistics.median(a["cpu"]),
        }
    if speed:
        truth, _pdf, variants = data[0]
        out["speed"] = asyncio.run(_speed(variants["scan 150 dpi"], variants["phone photo"][1]))
    return out


#: Per-cell bars of issue 22, by variant.
BARS = {"scan 300 dpi": 99.0, "phone photo": 97.0, "scan 150 dpi": 99.0}


def run(ctx: Any) -> list[Any]:
    """The ``python -m bench`` area: accuracy, flagged and silent-wrong cells, CPU per page, speed, memory."""
    import os

    from bench import Figure, Target, missing

    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        return [missing("OCR cells right", "%", None, "needs LibreOffice (soffice) and pdftoppm")]
    from bot.reading import ocr

    if not ocr.available():
        return [missing("OCR cells right", "%", None, "rapidocr-onnxruntime not installed")]
    n = ctx.n(4, 1)
    res = measure(n, speed=True, log=ctx.log)
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    figures = []
    variants = {k.split("/", 1)[1]: v for k, v in res.items() if k.startswith("rapidocr/")}
    for variant, v in variants.items():
        figures.append(Figure(f"OCR cells right, {variant}", v["right_pct"], "%", Target(">=", BARS[variant]),
                              note=f"{v['right']}/{v['cells']} cells of {n} reports; wrong {v['wrong']}: "
                                   f"{v['wrong_flagged']} listed uncertain or blank, {v['wrong_silent']} shown as "
                                   f"certain; arithmetic errors raised: {v['error_findings']}"))
    wrong = sum(v["wrong"] for v in variants.values())
    flagged = sum(v["wrong_flagged"] for v in variants.values())
    silent = sum(v["wrong_silent"] for v in variants.values())
    cells = sum(v["cells"] for v in variants.values())
    figures.append(Figure("OCR wrong cells flagged uncertain", 100 * flagged / wrong if wrong else 100.0, "%",
                          Target(">=", 95), note=f"{flagged}/{wrong} wrong cells, all variants"))
    figures.append(Figure("OCR wrong cells shown as certain", 100 * silent / cells, "%", Target("<=", 0.5),
                          note=f"{silent} of {cells} cells"))
    cpu = [v["cpu_s_per_page"] for v in variants.values()]
    figures.append(Figure("OCR CPU per page (median of variants)", statistics.median(cpu), "s",
                          note=f"range {min(cpu):.1f}–{max(cpu):.1f} s; CPU time of the reading process; {load}"))
    sp = res["speed"]
    figures.append(Figure("6-page scanned PDF through the worker (warm)", sp["pdf6_warm_s"], "s", Target("<", 20),
                          note=f"wall; cold (models loading) {sp['pdf6_cold_s']:.1f} s; progress notice sent: "
                               f"{sp['notice']}; read: {sp['pdf6_ok']}; {load}"))
    figures.append(Figure("one phone photo through the worker", sp["photo_s"], "s", Target("<", 5),
                          note=f"wall; {load}"))
    pr = sp["probe"]
    figures.append(Figure("OCR worker CPU, 6-page scanned PDF", pr["pdf6_again_cpu_s"], "s",
                          note=f"the worker process's own CPU seconds (models loaded; first read "
                               f"{pr['pdf6_cpu_s']:.1f} s incl. loading); wall {pr['pdf6_again_wall_s']:.1f} s; "
                               f"photo {pr['photo_cpu_s']:.1f} CPU s, {pr['photo_wall_s']:.1f} s wall; {load}"))
    figures.append(Figure("OCR worker peak RSS", pr["peak_mb"], "MB", Target("<", 600),
                          note="ru_maxrss of the one worker that read the 6-page PDF twice and a photo "
                               "(text readers first, then OCR), models loaded"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3)
    parser.add_argument("--engines", default="rapidocr")
    parser.add_argument("--json")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        raise SystemExit("needs LibreOffice (soffice) and pdftoppm (poppler-utils)")
    out = measure(args.reports, args.engines, not args.no_speed, log=lambda _msg: None)
    print(f"{'engine':<10} {'variant':<14} {'cells':>6} {'right %':>8} {'wrong':>6} {'flagged %':>10} "
          f"{'silent %':>9} {'errors':>6} {'s/page':>7} {'cpu s/page':>10}")
    for key, line in out.items():
        if key == "speed":
            continue
        engine, variant = key.split("/", 1)
        print(f"{engine:<10} {variant:<14} {line['cells']:>6} {line['right_pct']:>8.2f} {line['wrong']:>6} "
              f"{line['flagged_pct']:>10.1f} {line['silent_pct']:>9.2f} {line['error_findings']:>6} "
              f"{line['s_per_page']:>7.2f} {line['cpu_s_per_page']:>10.2f}")
    if "speed" in out:
        speed = out["speed"]
        pr = speed["probe"]
        print(f"6-page scanned PDF: {speed['pdf6_cold_s']:.1f} s (workers cold, models loading), "
              f"{speed['pdf6_warm_s']:.1f} s warm; photo {speed['photo_s']:.1f} s; progress notice: {speed['notice']}")
        print(f"one worker reading it all: PDF {pr['pdf6_again_cpu_s']:.1f} CPU s / {pr['pdf6_again_wall_s']:.1f} s "
              f"wall (models loaded), photo {pr['photo_cpu_s']:.1f} CPU s / {pr['photo_wall_s']:.1f} s; "
              f"peak RSS {pr['peak_mb']:.0f} MB")
    import os

    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
