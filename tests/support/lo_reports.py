"""Annual reports as real Word layouts, converted to PDF by LibreOffice: a corpus like what offices send.

reportlab PDFs (render.py) are too clean: one text run per cell, every row one line. Offices export
their .docx from Word/WPS, whose tables have merged header cells, vertical or one-character-per-line
headers, row labels wrapped over two or three lines, narrow and wide columns, several fonts, page
footers 「- 4 -」 and tables that run across a page break (a row split between pages). This module
builds such .docx files with python-docx (real table XML: gridSpan, vMerge, textDirection) and
converts them with ``soffice --headless --convert-to pdf``.

Each report comes from ``bench.corpus.generate_report`` (every identity holds), optionally with one
injected arithmetic error (``bench.corpus.inject``), so a reader can be scored cell by cell and the
validator checked for the real errors::

    python -m tests.support.lo_reports OUTDIR --count 60          # .docx + .pdf + truth.jsonl
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.report import Report, Value
from bot.schema import T3_ROW_GROUPS, T3_ROW_LABELS, T4_BLOCKS, T4_COLUMNS, t3_row_keys

#: Layout variations; every generated report uses one (cycled by index so each occurs).
LAYOUTS: tuple[str, ...] = ("plain", "vertical", "narrow", "onechar", "paged", "wide", "t4split", "landscape")

#: East-Asian font names set in the .docx (LibreOffice substitutes the installed CJK fonts for the
#: Windows ones, exactly what happens to a file from an office PC).
FONTS: tuple[str, ...] = (
    "宋体", "仿宋_GB2312", "Microsoft YaHei", "Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
)

#: Arithmetic errors an office really makes (see bench.corpus.INJECTIONS).
ERROR_KINDS: tuple[str, ...] = ("t3_total_cell", "t3_applicant_cell", "t3_result_pair", "t4_total")

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass
class LoReport:
    """One generated report: its values (the truth), layout, font and the injected errors."""

    name: str
    report: Report
    layout: str
    font: str
    seed: int
    injected: list[str] = field(default_factory=list)
    expected: list[dict[str, Any]] = field(default_factory=list)

    def truth(self) -> dict[str, Any]:
        """JSON truth: every printed cell, the layout and the findings the validator must give."""
        cells = {f"{t}/{r}/{c}": v.value for t, r, c, v in self.report.cells()}
        return {"file": f"{self.name}.pdf", "layout": self.layout, "font": self.font, "seed": self.seed,
                "year": self.report.year, "office": self.report.office.name, "injected": self.injected,
                "expected": [{"code": e["code"], "severity": e["severity"]} for e in self.expected],
                "cells": cells}


def generate(n: int, *, seed: int = 0, error_every: int = 4, blank_every: int = 0,
             layouts: Iterable[str] = LAYOUTS) -> list[LoReport]:
    """``n`` reports cycling through ``layouts``; every ``error_every``-th has one injected error and
    every ``blank_every``-th (of the others) leaves a few 表3 cells really blank (T3-05 expected)."""
    from bench.corpus import generate_report, inject

    layouts = list(layouts)
    out: list[LoReport] = []
    for i in range(n):
        s = seed * 1000 + i
        rng = random.Random(s)
        # rotate by one layout each cycle, so errors and blanks (every k-th report) reach every layout
        layout = layouts[(i + i // len(layouts)) % len(layouts)]
        # office names stay realistic (no numeric suffix: bench.corpus adds one past its distinct names)
        report = generate_report(s, office_index=(seed * 97 + i) % 400, year=2021 + rng.randrange(5),
                                 paragraphs=rng.choice((2, 3, 4, 6)))
        gen = LoReport(f"lo_{seed:02d}_{i:03d}_{layout}", report, layout, FONTS[(i // len(layouts) + i) % len(FONTS)], s)
        if error_every and i % error_every == error_every - 1:
            kind = ERROR_KINDS[(i // error_every) % len(ERROR_KINDS)]
            gen.injected.append(kind)
            gen.expected = [e for e in inject(report, kind, rng) if e["severity"] == "error"]
        elif blank_every and i % blank_every == blank_every - 2:
            apps = report.applications
            assert apps is not None
            for _ in range(rng.randint(1, 3)):
                cell = apps[rng.choice(list(apps))][rng.randrange(7)]
                cell.value, cell.raw = None, ""
            gen.injected.append("blank_cells")
            gen.expected = [{"code": "T3-05", "severity": "warning"}]
        out.append(gen)
    return out


# -- .docx ----------------------------------------------------------------------------------------


def _num(v: Value | None) -> str:
    if v is None or v.value is None:
        return ""
    n = v.value
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)


class _Builder:
    """python-docx helpers for the table features Word files really have."""

    def __init__(self, font: str, rng: random.Random, layout: str) -> None:
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        self.qn, self.Cm, self.Pt, self.CENTER = qn, Cm, Pt, WD_ALIGN_PARAGRAPH.CENTER
        self.rng, self.layout = rng, layout
        self.doc = docx.Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        margin = Cm(rng.choice((2.0, 2.54, 3.17)))
        section.left_margin = section.right_margin = margin
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(rng.choice((2.5, 3.5)))
        self.usable = 21 - 2 * margin.cm
        style = self.doc.styles["Normal"]
        style.font.name = font
        style.font.size = Pt(rng.choice((12, 14, 16)) if layout != "paged" else 16)
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
            rfonts.set(qn(attr), font)
        self._footer(section)

    def _footer(self, section: Any) -> None:
        """「- N -」 centred in the footer, N a PAGE field (what Word's page-number gallery inserts)."""
        p = section.footer.paragraphs[0]
        p.alignment = self.CENTER
        p.add_run("- ")
        fld = p._p.makeelement(self.qn("w:fldSimple"), {self.qn("w:instr"): "PAGE"})
        run = fld.makeelement(self.qn("w:r"), {})
        t = run.makeelement(self.qn("w:t"), {})
        t.text = "1"
        run.append(t)
        fld.append(run)
        p._p.append(fld)
        p.add_run(" -")

    def para(self, text: str, *, bold: bool = False, center: bool = False) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if center:
            p.alignment = self.CENTER

    def table(self, n_rows: int, widths: list[float], *, size: float) -> Any:
        """A ruled table with fixed column widths (cm) and a cell font size (pt)."""
        table = self.doc.add_table(rows=n_rows, cols=len(widths))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        tblpr = table._tbl.tblPr
        layout = tblpr.makeelement(self.qn("w:tblLayout"), {self.qn("w:type"): "fixed"})
        tblpr.append(layout)
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = self.Cm(w)
        table._size = size
        return table

    def put(self, table: Any, r: int, c: int, text: str, *, vertical: bool = False, onechar: bool = False,
            center: bool = True) -> None:
        """Write a cell: optionally vertical text (w:textDirection) or one character per line."""
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

        cell = table.cell(r, c)
        cell.text = ""
        p = cell.paragraphs[0]
        if onechar and len(text) > 1:
            run = p.add_run(text[0])
            run.font.size = self.Pt(table._size)
            for ch in text[1:]:
                run.add_break()
                run = p.add_run(ch)
                run.font.size = self.Pt(table._size)
        else:
            p.add_run(text).font.size = self.Pt(table._size)
        if center:
            p.alignment = self.CENTER
        if self.layout in ("vertical", "onechar", "wide"):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if vertical:
            tcpr = cell._tc.get_or_add_tcPr()
            tcpr.append(tcpr.makeelement(self.qn("w:textDirection"), {self.qn("w:val"): "tbRlV"}))

    def row_height(self, table: Any, r: int, chars: int) -> None:
        """A header row tall enough for ``chars`` characters of vertical text (Word grows it; LibreOffice
        lets vertical text overflow a short row, which no real template does)."""
        from docx.enum.table import WD_ROW_HEIGHT_RULE

        row = table.rows[r]
        row.height = self.Pt(chars * table._size * 1.25 + 6)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST

    def no_split_header(self, table: Any, n: int) -> None:
        """Repeat the first ``n`` rows as a header on every page, as templates do (w:tblHeader)."""
        for row in table.rows[:n]:
            trpr = row._tr.get_or_add_trPr()
            trpr.append(trpr.makeelement(self.qn("w:tblHeader"), {}))

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _t2(b: _Builder, report: Report) -> None:
    t2 = report.proactive
    assert t2 is not None
    w = b.usable
    label_w = w * b.rng.choice((0.25, 0.32, 0.4))
    widths = [label_w] + [(w - label_w) / 3] * 3
    rows: list[tuple[str, list[str]]] = []
    blocks = [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", [_num(t2["regulations"][c]) for c in ("issued", "repealed", "in_force")]),
          ("行政规范性文件", [_num(t2["normative_documents"][c]) for c in ("issued", "repealed", "in_force")])]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", [_num(t2["licensing"])])]),
        ("第二十条第（六）项", ["本年处理决定数量"],
         [("行政处罚", [_num(t2["penalty"])]), ("行政强制", [_num(t2["enforcement"])])]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", [_num(t2["fees_10k_yuan"])])]),
    ]
    for head, cols, body in blocks:
        rows.append(("head", [head]))
        rows.append(("cols", ["信息内容", *cols]))
        rows.extend(("data", [label, *vals]) for label, vals in body)
    table = b.table(len(rows), widths, size=b.rng.choice((10.5, 12)))
    for r, (kind, cells) in enumerate(rows):
        if kind == "head":
            table.cell(r, 0).merge(table.cell(r, 3))
            b.put(table, r, 0, cells[0])
        elif len(cells) == 2:
            table.cell(r, 1).merge(table.cell(r, 3))
            b.put(table, r, 0, cells[0])
            b.put(table, r, 1, cells[1])
        else:
            for c, text in enumerate(cells):
                b.put(table, r, c, text)


def _t3(b: _Builder, report: Report) -> None:
    apps = report.applications
    assert apps is not None
    keys = [k for k in t3_row_keys(report.format) if k in apps]
    w = b.usable
    narrow = b.layout in ("narrow", "onechar", "vertical")
    # three label columns (办理结果 / group / row label) then the 7 numbers
    g0 = b.rng.uniform(0.9, 1.3)
    g1 = b.rng.uniform(1.2, 1.8) if not narrow else b.rng.uniform(0.9, 1.2)
    label = (b.rng.uniform(2.6, 3.4) if narrow else b.rng.uniform(4.2, 6.0)) if b.layout != "wide" else 6.5
    data = (w - g0 - g1 - label) / 7
    widths = [g0, g1, label] + [data] * 7
    header = 3
    table = b.table(header + len(keys), widths, size=b.rng.choice((9, 10.5)) if not narrow else 9)
    b.no_split_header(table, header) if b.layout == "paged" else None
    # header: the note cell over 3×3, 申请人情况 over the 7 data columns, 法人或其他组织 over 5
    table.cell(0, 0).merge(table.cell(2, 2))
    b.put(table, 0, 0, T3_NOTE)
    table.cell(0, 3).merge(table.cell(0, 9))
    b.put(table, 0, 3, "申请人情况")
    table.cell(1, 3).merge(table.cell(2, 3))
    table.cell(1, 9).merge(table.cell(2, 9))
    table.cell(1, 4).merge(table.cell(1, 8))
    vertical, onechar = b.layout == "vertical", b.layout == "onechar"
    if vertical:
        b.row_height(table, 2, 6)
    b.put(table, 1, 3, "自然人", vertical=vertical, onechar=onechar)
    b.put(table, 1, 4, "法人或其他组织")
    b.put(table, 1, 9, "总计", vertical=vertical, onechar=onechar)
    for i, org in enumerate(T3_ORGS):
        b.put(table, 2, 4 + i, org, vertical=vertical, onechar=onechar)
    # body: group cells merged vertically, label cells merged horizontally where the template does
    spans: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        r = header + i
        group = T3_ROW_GROUPS[key]
        if group in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"):
            spans.setdefault(group, []).append(r)
            b.put(table, r, 2, T3_ROW_LABELS[key], center=False)
        elif group == "三、本年度办理结果":
            table.cell(r, 1).merge(table.cell(r, 2))
            b.put(table, r, 1, T3_ROW_LABELS[key], center=False)
        else:
            table.cell(r, 0).merge(table.cell(r, 2))
            b.put(table, r, 0, T3_ROW_LABELS[key], center=False)
        if group:
            spans.setdefault("三、本年度办理结果", []).append(r)
        for c, v in enumerate(apps[key]):
            b.put(table, r, 3 + c, _num(v))
    for group, rs in spans.items():
        col = 0 if group == "三、本年度办理结果" else 1
        table.cell(rs[0], col).merge(table.cell(rs[-1], col))
        b.put(table, rs[0], col, group, vertical=group == "三、本年度办理结果" and b.layout != "plain")


def _t4(b: _Builder, report: Report) -> None:
    appeals = report.appeals
    assert appeals is not None
    numbers = [_num(appeals[blk][c]) for blk in T4_BLOCKS for c in T4_COLUMNS]
    table = b.table(4, [b.usable / 15] * 15, size=b.rng.choice((9, 10.5)) if b.layout != "wide" else 8)
    vertical = b.layout in ("vertical", "narrow")
    onechar = b.layout == "onechar"
    if vertical:
        b.row_height(table, 2, 4)
    table.cell(0, 0).merge(table.cell(0, 4))
    b.put(table, 0, 0, "行政复议")
    table.cell(0, 5).merge(table.cell(0, 14))
    b.put(table, 0, 5, "行政诉讼")
    for c in range(5):
        table.cell(1, c).merge(table.cell(2, c))
        b.put(table, 1, c, T4_RESULTS[c], vertical=vertical, onechar=onechar)
    table.cell(1, 5).merge(table.cell(1, 9))
    b.put(table, 1, 5, "未经复议直接起诉")
    table.cell(1, 10).merge(table.cell(1, 14))
    b.put(table, 1, 10, "复议后起诉")
    for c in range(10):
        b.put(table, 2, 5 + c, T4_RESULTS[c % 5], vertical=vertical, onechar=onechar)
    for c, text in enumerate(numbers):
        b.put(table, 3, c, text)


def _t4_split(b: _Builder, report: Report) -> None:
    """表4 as three small tables (行政复议 / 未经复议直接起诉 / 复议后起诉), a variant offices use."""
    appeals = report.appeals
    assert appeals is not None
    for block, title in zip(T4_BLOCKS, ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"), strict=True):
        table = b.table(3, [b.usable / 5] * 5, size=10.5)
        table.cell(0, 0).merge(table.cell(0, 4))
        b.put(table, 0, 0, title)
        for c, head in enumerate(T4_RESULTS):
            b.put(table, 1, c, head)
            b.put(table, 2, c, _num(appeals[block][T4_COLUMNS[c]]))
        b.para("")


def _landscape(b: _Builder, landscape: bool) -> None:
    """Start a new section (new page), landscape or back to portrait, as reports do for a wide table."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = b.doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    w, h = (b.Cm(29.7), b.Cm(21)) if landscape else (b.Cm(21), b.Cm(29.7))
    section.page_width, section.page_height = w, h
    b.usable = w.cm - section.left_margin.cm - section.right_margin.cm


def build_docx(gen: LoReport) -> bytes:
    """The report as a .docx with the layout's table features."""
    report = gen.report
    rng = random.Random(gen.seed * 7 + 1)
    b = _Builder(gen.font, rng, gen.layout)
    b.para(report.title, bold=True, center=True)
    sections = list(report.section_text.items())
    numerals = "一二三四五六"
    tables = {1: _t2, 2: _t3, 3: _t4_split if gen.layout == "t4split" else _t4}
    for i, (section, body) in enumerate(sections):
        b.para(f"{numerals[i]}、{section}", bold=True)
        paras = [p for p in body.split("\n") if p.strip()]
        if i == 0 and gen.layout == "paged":
            # push 表3 so that it starts low on a page and runs over the break (a row split in two)
            paras += paras[: rng.randrange(1, max(2, len(paras)))]
        for p in paras:
            b.para(p)
        if i in tables:
            if i == 2 and gen.layout == "landscape":
                _landscape(b, True)
                tables[i](b, report)
                _landscape(b, False)
            else:
                tables[i](b, report)
    return b.save()


# -- conversion -----------------------------------------------------------------------------------


def soffice() -> str | None:
    """The LibreOffice binary, or None when not installed (tests then skip with the reason)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(paths: list[Path], outdir: Path, to: str = "pdf", *, timeout: float = 600) -> list[Path]:
    """Convert files with one headless LibreOffice run (a private profile, so parallel runs never clash)."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", to, "--outdir", str(outdir), *map(str, paths)],
            capture_output=True, timeout=timeout, check=False,
        )
    ext = to.split(":")[0]
    out = [outdir / f"{p.stem}.{ext}" for p in paths]
    missing = [p.name for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {', '.join(missing[:3])}")
    return out


def write_corpus(outdir: Path, gens: list[LoReport], *, keep_docx: bool = True) -> list[dict[str, Any]]:
    """Write each report's .docx, convert all to PDF in one LibreOffice run, write truth.jsonl."""
    outdir.mkdir(parents=True, exist_ok=True)
    docx_paths = []
    for gen in gens:
        path = outdir / f"{gen.name}.docx"
        path.write_bytes(build_docx(gen))
        docx_paths.append(path)
    convert(docx_paths, outdir)
    if not keep_docx:
        for p in docx_paths:
            p.unlink()
    truths = [gen.truth() for gen in gens]
    with open(outdir / "truth.jsonl", "w", encoding="utf-8") as fh:
        for t in truths:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    return truths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-docx", action="store_true", help="delete the .docx after converting")
    args = parser.parse_args(argv)
    truths = write_corpus(args.outdir, generate(args.count, seed=args.seed), keep_docx=not args.no_docx)
    print(f"{len(truths)} reports written to {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
