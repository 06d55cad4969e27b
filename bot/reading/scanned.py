"""Reports from positioned text (OCR'd images and scans, OFD): boxes → rows → the usual report.

The rows go through the same :func:`build_report` (label matching, glued-digit repair, identities) as
every other kind; each OCR'd cell then gets its confidence (``Value.confidence``). A photo of a single
table has no title or sections: when the document reading refuses it as "not a report", its tables
are still read on their own, and the validator checks only what one table can show (uncertain.py).
"""

from __future__ import annotations

from bot.reading.boxes import BoxDoc, attach_confidence
from bot.reading.build import build_report, table_fields
from bot.reading.cells import squash
from bot.reading.errors import MSG_NO_TABLE_IN_PHOTO, ReadError
from bot.reading.meta import detect_format
from bot.reading.tables import read_tables
from bot.report import Report, Source


def report_from_boxes(doc: BoxDoc, source: Source, *, confidence: bool = True) -> Report:
    """A report from a box document; a table-only image becomes a report holding just that table."""
    try:
        report = build_report(doc, source)
    except ReadError as err:
        if source.kind != "image" or err.code != "ING-01":
            raise
        report = _table_only(doc, source)
    if confidence:
        attach_confidence(report, doc)
    return report


def _table_only(doc: BoxDoc, source: Source) -> Report:
    fmt, evidence = detect_format(squash(doc.text))
    tables = read_tables(doc.rows, fmt)
    if tables.proactive is None and tables.applications is None and tables.appeals is None:
        raise ReadError("ING-01", MSG_NO_TABLE_IN_PHOTO)
    return Report(
        source=source,
        format=fmt,
        format_evidence=evidence,
        text=doc.text,
        ingest_findings=list(tables.findings),
        **table_fields(tables),
    )


def read_image(data: bytes, source: Source) -> Report:
    """A photo or scan of a page (or of one table)."""
    from bot.reading.ocr import doc_from_image

    return report_from_boxes(doc_from_image(data), source)


def read_scanned_pdf(data: bytes, source: Source) -> Report:
    """An image-only PDF, every page through OCR."""
    from bot.reading.ocr import doc_from_scanned_pdf

    return report_from_boxes(doc_from_scanned_pdf(data), source)
