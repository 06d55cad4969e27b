"""Hostile layout variants the Word-layout corpus (lo_reports.py) does not make, and their scoring.

Offices type numbers and labels in ways the template does not foresee, and send text that a converter
or a copy-paste made of their PDF. Each variant starts from a ``lo_reports`` report (every identity
holds, or one real error injected) and changes what the office would change:

* ``fullwidth`` — counts typed as full-width digits 「１２」;
* ``units`` — counts with a unit or trailing spaces 「12件」「3个」「5 」;
* ``thousands`` — 表3 scaled so counts run into thousands, typed 「1,234」;
* ``tinycols`` — 表3 scaled to 3-digit counts in number columns so narrow they wrap 「12」/「3」;
* ``typos`` — label variants: 「其它」 for 「其他」, 「维 持」 with a space, 「政府信息公开行政复议」;
* ``t2unit`` — 表2 with an extra 「单位」 column (「个」/「万元」 in each row);
* ``lostyle`` — the table style a LibreOffice user picks (no grid style: default borders only) and the
  .docx saved again by LibreOffice.

Text made of those PDFs: ``pdftotext`` (raw order), ``pdftotext -layout``, and a copy-paste of the page
(lines broken at a fixed width, mid-label), saved as UTF-8 and as GBK.

    python -m tests.support.layout_variants OUTDIR --count 16   # writes the files and prints the scores
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support import lo_reports

_FW = str.maketrans("0123456789", "０１２３４５６７８９")


def _is_count(text: str) -> bool:
    return text.strip().isdigit()


def _set_text(cell: Any, text: str) -> None:
    """Replace a cell's text keeping its first run's formatting (size), as retyping in Word does."""
    paras = cell.paragraphs
    runs = paras[0].runs
    if runs:
        runs[0].text = text
        for r in runs[1:]:
            r.text = ""
    else:
        paras[0].add_run(text)


def _cells(doc: Any) -> list[Any]:
    """Every distinct cell of every table (merged cells once)."""
    seen: set[int] = set()
    out = []
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    out.append(cell)
    return out


def _fullwidth(doc: Any, rng: random.Random) -> None:
    for cell in _cells(doc):
        if _is_count(cell.text):
            _set_text(cell, cell.text.strip().translate(_FW))


def _units(doc: Any, rng: random.Random) -> None:
    for cell in _cells(doc):
        if _is_count(cell.text):
            _set_text(cell, cell.text.strip() + rng.choice(("件", "个", " ", "  ", "")))


def _thousands(doc: Any, rng: random.Random) -> None:
    for cell in _cells(doc):
        if _is_count(cell.text) and len(cell.text.strip()) > 3:
            _set_text(cell, f"{int(cell.text.strip()):,}")


def _typos(doc: Any, rng: random.Random) -> None:
    for cell in _cells(doc):
        t = cell.text
        if t in ("结果维持", "其他结果") or "其他" in t and not _is_count(t):
            new = t.replace("结果维持", "结果维 持").replace("其他", "其它")
            _set_text(cell, new)
        elif t == "行政复议":
            _set_text(cell, "政府信息公开行政复议")


def _t2unit(doc: Any, rng: random.Random) -> None:
    from docx.shared import Cm

    table = doc.tables[0]
    table.add_column(Cm(1.6))
    for row in table.rows:
        cells = row.cells
        first = cells[0].text
        last = cells[-1]
        if first.startswith("第二十条"):
            continue
        text = "单位" if first == "信息内容" else ("万元" if "收费" in first else "个")
        _set_text(last, text)


def _lostyle(doc: Any, rng: random.Random) -> None:
    for table in doc.tables:
        table.style = doc.styles["Table Grid"]  # re-saved by LibreOffice below: its own table XML
        tblpr = table._tbl.tblPr
        for el in tblpr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblStyle"):
            tblpr.remove(el)
        borders = tblpr.makeelement(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders", {})
        ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            b = borders.makeelement(ns + side, {ns + "val": "single", ns + "sz": "4", ns + "space": "0",
                                                ns + "color": "000000"})
            borders.append(b)
        tblpr.append(borders)


def _tinycols(doc: Any, rng: random.Random) -> None:
    from docx.shared import Cm

    table = doc.tables[1]
    for row in table.rows:
        cells = row.cells
        for c, cell in enumerate(cells):
            if c >= 3:
                cell.width = Cm(0.62)
    grid = table._tbl.tblGrid
    cols = grid.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol")
    for col in cols[3:]:
        col.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w", str(int(0.62 * 567)))


#: variant → (scale of 表3 counts, docx transform)
DOCX_VARIANTS: dict[str, tuple[int, Callable[[Any, random.Random], None]]] = {
    "fullwidth": (1, _fullwidth),
    "units": (1, _units),
    "thousands": (457, _thousands),
    "tinycols": (37, _tinycols),
    "typos": (1, _typos),
    "t2unit": (1, _t2unit),
    "lostyle": (1, _lostyle),
}


def _scale(gen: lo_reports.LoReport, k: int) -> None:
    """Multiply every 表3 count by ``k``: the identities (sums) still hold, the numbers get long."""
    if k == 1 or gen.report.applications is None:
        return
    for row in gen.report.applications.values():
        for v in row:
            if v.value is not None:
                v.value = v.value * k
                v.raw = str(int(v.value))


def build(gen: lo_reports.LoReport, variant: str) -> bytes:
    """The variant's .docx for ``gen`` (whose truth is updated when counts are scaled)."""
    import docx

    k, transform = DOCX_VARIANTS[variant]
    _scale(gen, k)
    doc = docx.Document(io.BytesIO(lo_reports.build_docx(gen)))
    transform(doc, random.Random(gen.seed))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def copy_paste(text: str, rng: random.Random) -> str:
    """A page copied out of a PDF viewer: every line broken at a fixed width (mid-label), blank lines kept."""
    width = rng.choice((14, 18, 24))
    out = []
    for line in text.splitlines():
        line = line.strip()
        out.extend([line[i:i + width] for i in range(0, len(line), width)] or [""])
    return "\n".join(out) + "\n"


def write(outdir: Path, count: int, seed: int = 31) -> list[dict[str, Any]]:
    """Write every docx variant (converted to PDF in one LibreOffice run) and the text variants."""
    outdir.mkdir(parents=True, exist_ok=True)
    gens = lo_reports.generate(count * len(DOCX_VARIANTS), seed=seed,
                               layouts=("plain", "vertical", "narrow", "paged", "wide"))
    truths: list[dict[str, Any]] = []
    docx_paths, resave = [], []
    for i, gen in enumerate(gens):
        variant = list(DOCX_VARIANTS)[i % len(DOCX_VARIANTS)]
        gen.name = f"{gen.name}_{variant}"
        path = outdir / f"{gen.name}.docx"
        path.write_bytes(build(gen, variant))
        docx_paths.append(path)
        t = gen.truth()
        t["variant"] = variant
        truths.append(t)
        if variant == "lostyle":
            resave.append(path)
    lo_reports.convert(docx_paths, outdir)
    if resave:  # the .docx saved again by LibreOffice (its own table XML), read as a .docx
        redir = outdir / "resaved"
        lo_reports.convert(resave, redir, "docx:MS Word 2007 XML")
        for p in resave:
            t = dict(next(t for t in truths if t["file"] == f"{p.stem}.pdf"))
            t["file"], t["variant"] = f"resaved/{p.name}", "lostyle-docx"
            truths.append(t)
    if shutil.which("pdftotext"):
        for t in [t for t in truths if t["file"].endswith(".pdf")][: 2 * count]:
            pdf = outdir / t["file"]
            rng = random.Random(t["seed"])
            raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
            lay = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                 check=True).stdout.decode()
            for name, text, enc in (("pdftotext", raw, "utf-8"), ("pdftotext-layout", lay, "gbk"),
                                    ("copypaste", copy_paste(raw, rng), rng.choice(("utf-8", "gbk")))):
                f = f"{pdf.stem}.{name}.txt"
                (outdir / f).write_bytes(text.replace("\f", "\n").encode(enc, errors="replace"))
                truths.append({**t, "file": f, "variant": name})
    with open(outdir / "truth.jsonl", "w", encoding="utf-8") as fh:
        for t in truths:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    return truths


def score(outdir: Path, truths: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per variant: cells right, cells marked in doubt, wrong (missing, blank or another number — ``misread``
    counts the other numbers), reports with a false error-level finding, injected errors found."""
    from bot.reading import read_bytes
    from bot.validation import validate

    per: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for t in truths:
        row = per[t["variant"]]
        row["files"] += 1
        (result,) = read_bytes(Path(t["file"]).name, (outdir / t["file"]).read_bytes())
        rep = result.report
        row["cells"] += len(t["cells"])
        if rep is None:
            row["unreadable"] += 1
            continue
        have = {f"{tb}/{r}/{c}": v for tb, r, c, v in rep.cells()}
        for k, want in t["cells"].items():
            v = have.get(k)
            if v is not None and v.value == want and not v.doubt:
                row["right"] += 1
            elif v is not None and v.doubt:
                row["doubt"] += 1
            else:
                row["wrong"] += 1
                if v is not None and v.value is not None:
                    row["misread"] += 1  # a number shown to the user that is not the document's
                row.setdefault("examples", [])
                if len(row["examples"]) < 4:
                    row["examples"].append(f"{t['file']}:{k}={v.value if v else None}≠{want}")
        findings = validate(rep)
        if None not in t["cells"].values() and any(f.code in ("T2-01", "T3-05", "T4-02") for f in findings):
            row["false_blank"] += 1  # a cell the document fills was made to look blank
        errors = {f.code for f in findings if f.severity == "error"}
        expected = {e["code"] for e in t["expected"] if e["severity"] == "error"}
        if None in t["cells"].values():
            errors.discard("T3-05")
        if errors - expected:
            row["false_error"] += 1
            row.setdefault("false", [])
            if len(row["false"]) < 3:
                row["false"].append(f"{t['file']}:{sorted(errors - expected)}")
        if expected:
            row["injected"] += 1
            row["found"] += expected <= errors
    return per


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=4, help="reports per docx variant")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--score-only", action="store_true")
    args = parser.parse_args(argv)
    if args.score_only:
        truths = [json.loads(x) for x in (args.outdir / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    else:
        truths = write(args.outdir, args.count, args.seed)
    for variant, r in sorted(score(args.outdir, truths).items()):
        print(f"{variant:18} files {r['files']:3} right {r['right']}/{r['cells']} doubt {r['doubt']} "
              f"wrong {r['wrong']} (misread {r['misread']}) false-errors {r['false_error']} false-blank {r['false_blank']} found {r['found']}/{r['injected']}")
        for e in r.get("examples", []) + r.get("false", []):
            print("    ", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
