"""The 汇总 sheet as CSV, for offices whose systems take CSV rather than .xlsx.

UTF-8 with a BOM (``utf-8-sig``), because Excel on Windows opens a BOM-less UTF-8 CSV as GBK and shows
mojibake. Blank numbers stay empty fields; the 公开率 is written as ``85.7%``, which Excel reads back as
a percentage number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.exports.rows import SUMMARY_COLUMNS, ExportItem, sort_items, summary_row, total_row


def format_rate(rate: float | None) -> str:
    """A 公开率 fraction as ``"85.7%"``; empty when unknown."""
    return "" if rate is None else f"{rate * 100:.1f}%"


def summary_csv(items: Sequence[ExportItem]) -> bytes:
    """The 汇总 rows (plus the 合计 row) as UTF-8-with-BOM CSV bytes, CRLF line ends as Excel expects."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([label for _, label in SUMMARY_COLUMNS])
    rows = [summary_row(item) for item in sort_items(items)]
    for row in [*rows, total_row(rows)]:
        writer.writerow([_field(key, row[key]) for key, _ in SUMMARY_COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


#: A text field starting with one of these is read by Excel as a formula (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _field(key: str, value: object) -> str:
    if key == "open_rate":
        return format_rate(value)  # type: ignore[arg-type]
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # office names come from documents: show them, never evaluate them
    return str(value)
