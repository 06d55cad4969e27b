"""Write a :class:`Report` out as the files offices send: text (three layouts), .docx, .pdf and .html.

Used by the reading tests (parse the rendered file, expect the same values) and by the benchmarks.
Blank cells (``Value(None)``) are written blank; the layouts follow the seeds and corpus.
"""

from __future__ import annotations

import html as html_lib
import io
import os
import sys

from bot.report import Report, Value
from bot.schema import SECTIONS, T3_ROW_LABELS, T4_BLOCKS, T4_COLUMNS, t3_row_keys

NUMERALS = "一二三四五六"
T3_HEADER = [
    ["", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
]
T4_HEADER = [
    ["行政复议", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ["", "", "", "", "", *(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)],
]


def _cell(v: Value | None) -> str:
    if v is None or v.value is None:
        return v.raw if v is not None and v.raw in ("/", "-", "空") else ""
    n = v.value
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)


def _t2_rows(report: Report) -> list[list[str]]:
    t2 = report.proactive
    if t2 is None:
        return []
    docs = [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]
    for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        docs.append([label, *(_cell(t2[key][c]) for c in ("issued", "repealed", "in_force"))])
    docs += [["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", _cell(t2["licensing"])]]
    docs += [["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", _cell(t2["penalty"])],
             ["行政强制", _cell(t2["enforcement"])]]
    docs += [["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"],
             ["行政事业性收费", _cell(t2["fees_10k_yuan"])]]
    return docs


def _t3_rows(report: Report) -> list[list[str]]:
    apps = report.applications
    if apps is None:
        return []
    rows = [list(r) for r in T3_HEADER]
    groups_done: set[str] = set()
    for key in t3_row_keys(report.format):
        if key not in apps:
            continue
        label = T3_ROW_LABELS[key]
        prefix: list[str] = [""]  # two label columns: group label (or blank), row label
        if key == "granted":
            prefix = ["三、本年度办理结果"]
        for group, first in (("（三）不予公开", "deny_"), ("（四）无法提供", "unable_"), ("（五）不予处理", "noproc_"),
                             ("（六）其他处理", "other_")):
            if key.startswith(first) and group not in groups_done:
                groups_done.add(group)
                prefix = [group]
        rows.append([*prefix, label, *(_cell(v) for v in apps[key])])
    return rows


def _t4_rows(report: Report) -> list[list[str]]:
    if report.appeals is None:
        return []
    numbers = [_cell(report.appeals[b][c]) for b in T4_BLOCKS for c in T4_COLUMNS]
    return [*(list(r) for r in T4_HEADER), numbers]


def _blocks(report: Report) -> list[tuple[str, object]]:
    """The document as ('p', text) and ('table', rows) blocks in order."""
    blocks: list[tuple[str, object]] = [("p", report.title or f"{report.office.name}{report.year}年政府信息公开工作年度报告")]
    tables = {SECTIONS[1]: _t2_rows(report), SECTIONS[2]: _t3_rows(report), SECTIONS[3]: _t4_rows(report)}
    for i, section in enumerate(SECTIONS):
        if section not in report.sections:
            continue
        blocks.append(("p", f"{NUMERALS[i]}、{section}"))
        body = report.section_text.get(section, "")
        if section in tables and tables[section]:
            blocks.append(("table", tables[section]))
        elif body:
            for para in body.split("\n"):
                if para.strip():
                    blocks.append(("p", para))
    return blocks


def render_txt(report: Report, layout: str = "cells") -> str:
    """Plain text: ``cells`` (TAB-prefixed cell per line, seeds 001–003), ``rows`` (TAB-joined, seeds 000/004)
    or ``pipes`` (``|``-separated page text of corpus/excerpts)."""
    out: list[str] = []
    for kind, content in _blocks(report):
        if kind == "p":
            out.append(str(content))
            continue
        rows: list[list[str]] = content  # type: ignore[assignment]
        for row in rows:
            if layout == "cells":
                out.extend("\t" + c for c in row)
                out.append("")
            elif layout == "rows":
                out.append("\t".join(row))
            elif layout == "pipes":
                out.append(" | ".join(row) + " |")
            else:
                raise ValueError(layout)
    return "\n".join(out) + "\n"


def _ruled_widths(width: int) -> list[int]:
    """Column widths (EMU) of a ruled table as offices print it: label columns wider than number columns."""
    from docx.shared import Cm

    if width >= 15:  # 表4
        return [Cm(1.1)] * width
    if width >= 9:  # 表3: group label, row label, 7 numbers
        return [Cm(2.2), Cm(4.2)] + [Cm(1.4)] * (width - 2)
    if width > 1:
        return [Cm(5.0)] + [Cm(10.0 / (width - 1))] * (width - 1)
    return [Cm(15.0)]


def render_docx(report: Report, *, ruled: bool = False) -> bytes:
    """A Word file with real tables (python-docx).

    ``ruled``: bordered tables (「Table Grid」) with fixed column widths, as offices print them — what
    LibreOffice turns into the scans of the OCR tests (tests/support/scans.py). Without it the tables
    are python-docx's plain ones, which the reading tests parse.
    """
    import docx

    document = docx.Document()
    for kind, content in _blocks(report):
        if kind == "p":
            document.add_paragraph(str(content))
            continue
        rows: list[list[str]] = content  # type: ignore[assignment]
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        widths = _ruled_widths(width) if ruled else []
        if ruled:
            table.style = "Table Grid"
            table.autofit = False
            for column, column_width in zip(table.columns, widths, strict=True):
                column.width = column_width
        # row by row: ``table.cell(r, c)`` walks every cell of the table on each call (python-docx), so
        # filling a 表3 that way took seconds per file; ``row.cells`` walks one row
        for table_row, row in zip(table.rows, rows, strict=True):
            for c, cell in enumerate(table_row.cells):
                if ruled:
                    cell.width = widths[c]
                if c < len(row):  # a short row: its first cells
                    cell.text = row[c]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def render_html(report: Report, encoding: str = "utf-8") -> bytes:
    """An HTML page with <table>s; blanks as &nbsp;, declared charset (GBK pages too)."""
    parts = [f'<html><head><meta charset="{encoding}"><title>{html_lib.escape(report.title)}</title></head><body>']
    for kind, content in _blocks(report):
        if kind == "p":
            parts.append(f"<p>{html_lib.escape(str(content))}</p>")
            continue
        rows: list[list[str]] = content  # type: ignore[assignment]
        parts.append('<table border="1">')
        for row in rows:
            cells = "".join(f"<td>{html_lib.escape(c) if c else '&nbsp;'}</td>" for c in row)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts).encode(encoding)


def _cjk_font_path() -> str:
    """A TrueType CJK font for reportlab; without one, a test is skipped (not failed) with the fix.

    reportlab cannot embed CFF (PostScript-outline) fonts such as Noto Sans CJK, which the charts
    prefer when fonts-noto-cjk is installed: the first candidate reportlab can load is taken."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    from bot.exports.fonts import KNOWN_PATHS, cjk_font

    font = cjk_font()
    candidates = ([font.path] if font is not None else []) + list(KNOWN_PATHS)
    for path in dict.fromkeys(candidates):
        if not path.lower().endswith((".ttc", ".ttf")) or not os.path.isfile(path):
            continue
        try:
            TTFont("probe", path, subfontIndex=0)
        except (TTFError, OSError, ValueError):
            continue
        return path
    hint = "no TrueType CJK font to render PDFs with (apt-get install fonts-wqy-microhei)"
    if "pytest" in sys.modules:
        import pytest

        pytest.skip(hint)
    raise RuntimeError(hint)


def render_pdf(report: Report) -> bytes:
    """A PDF with a CJK text layer and ruled tables (reportlab + WenQuanYi Micro Hei)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", _cjk_font_path(), subfontIndex=0))
    para = ParagraphStyle("p", fontName="WQY", fontSize=9, leading=12, wordWrap="CJK")
    story = []
    for kind, content in _blocks(report):
        if kind == "p":
            story.append(Paragraph(html_lib.escape(str(content)), para))
            continue
        rows: list[list[str]] = content  # type: ignore[assignment]
        width = max(len(r) for r in rows)
        # plain strings, not Paragraphs: one text operation per cell keeps the PDF small and fast to read
        data = [r + [""] * (width - len(r)) for r in rows]
        usable = A4[0] - 60
        if width >= 8:
            col_widths = [60, 200] + [(usable - 260) / (width - 2)] * (width - 2)
        elif width > 1:
            col_widths = [200] + [(usable - 200) / (width - 1)] * (width - 1)
        else:
            col_widths = [usable]
        table = Table(data, colWidths=col_widths)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("FONTNAME", (0, 0), (-1, -1), "WQY"),
            ("FONTSIZE", (0, 0), (-1, -1), 4.8),
            ("LEADING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LEFTPADDING", (0, 0), (-1, -1), 1),
            ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ]))
        story.append(table)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=30, rightMargin=30, topMargin=30, bottomMargin=30).build(story)
    return buf.getvalue()
