"""Rows → :class:`Report`: title, office, year, format, sections, tables and prose in one pass each."""

from __future__ import annotations

from bot.reading.cells import nfkc, squash
from bot.reading.doc import Doc
from bot.reading.doubts import doubt_findings
from bot.reading.errors import MSG_NO_CONTENT, MSG_NOT_REPORT, ReadError
from bot.reading.meta import (
    body_rows,
    detect_format,
    find_headings,
    find_title,
    find_year,
    office_from_title,
    prose_numbers,
)
from bot.reading.tables import Tables, read_tables
from bot.report import Finding, Report, Source

_REPORT_WORDS = ("政府信息公开", "信息公开", "政务公开")


def table_fields(tables: Tables) -> dict:
    """The :class:`Report` fields that come from the table reader, as keyword arguments.

    One place for them, because three readers make a Report from tables: a whole document
    (:func:`build_report`), a photo of one table (scanned.py) and the OCR'd pictures of a mixed PDF
    (mixed.py); a table field added to Report is then carried by all three."""
    return {
        "proactive": tables.proactive,
        "applications": tables.applications,
        "appeals": tables.appeals,
        "proactive_2019": tables.proactive_2019,
        "extra_rows": tables.extra_rows,
        "missing_rows": tables.missing_rows,
    }


def build_report(doc: Doc, source: Source) -> Report:
    """Read a whole document. Raises ReadError (ING-01) when it is not an annual report."""
    rows = doc.rows
    text = doc.text
    norm = nfkc(text)
    squashed = squash(norm)
    if not any(w in squashed for w in _REPORT_WORDS):
        raise ReadError("ING-01", MSG_NOT_REPORT)
    title, body_start = find_title(rows)
    fmt, evidence = detect_format(squashed)
    tables = read_tables(rows, fmt)
    if fmt == "2019" and tables.single_other_row:
        evidence = [*evidence, "（六）其他处理单行"]
    headings = find_headings(rows)
    if tables.proactive is None and tables.applications is None and tables.appeals is None:
        if not any(w in squashed for w in ("年度报告", "年报", "工作报告")) and sum(1 for _, h in headings if h.canonical) < 2:
            raise ReadError("ING-01", MSG_NOT_REPORT)
        if not any(h.canonical for _, h in headings):
            # a title and nothing else (or a Word file whose body is empty): no table and no section is
            # not a report to pass — ✅ on it would tell the office its report is fine
            raise ReadError("ING-04", MSG_NO_CONTENT)
    first, last = body_rows(rows, title, body_start, headings)
    section_text: dict[str, str] = {}
    for n, (idx, heading) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else last
        if heading.canonical and heading.canonical not in section_text:
            section_text[heading.canonical] = "\n".join(r.text.strip("\t") for r in rows[idx + 1 : end]).strip()
    sections = [h.canonical for _, h in headings if h.canonical]
    sections = list(dict.fromkeys(sections))
    report = Report(
        source=source,
        office=office_from_title(title, norm),
        year=find_year(title, norm),
        format=fmt,
        format_evidence=evidence,
        title=title,
        sections=sections,
        headings=[h for _, h in headings],
        section_text=section_text,
        text=text,
        **table_fields(tables),
    )
    offsets = [0]
    for r in rows:
        offsets.append(offsets[-1] + len(r.text.strip("\t")) + 1)
    report.body_start = offsets[first] if first < len(rows) else 0
    report.body_end = offsets[last] - 1 if last < len(rows) else None
    report.prose = prose_numbers(section_text, report.headings, report.year)
    findings = list(tables.findings)
    report.ingest_findings = findings
    findings += doubt_findings(report, tables.anchors)
    if doc.artefacts:
        what = "、".join(f"{n}处{name}" for name, n in doc.artefacts.items())
        names_en = {"Word书签标记": "Word bookmark marker", "图片占位标记": "image placeholder",
                    "HTML注释残留": "HTML comment"}
        what_en = ", ".join(f"{n} {names_en.get(name, name)}(s)" for name, n in doc.artefacts.items())
        findings.append(Finding("ING-06", "info", f"已自动清除{what}。", "", message_en=f"Removed automatically: {what_en}."))
    report.ingest_findings = findings
    return report
