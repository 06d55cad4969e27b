"""Safe cell access for rules: ``None`` for a missing table, row, short row or missing column, and
for a cell whose reading is in doubt (``Value.doubt``): no rule compares a number the reader is unsure of.

``Report.t2/t3/t4`` raise on a short 表3 row or a missing 表4 column (a damaged or hand-built report);
a rule must never crash, so rules read cells through these instead.
"""

from __future__ import annotations

from bot.report import Number, Report
from bot.schema import T3_COLUMNS

_COL = {c: i for i, c in enumerate(T3_COLUMNS)}


def t3(report: Report, row: str, col: str = "total") -> Number | None:
    values = (report.applications or {}).get(row)
    if not values or len(values) != len(T3_COLUMNS):
        return None
    return values[_COL[col]].checked


def t4(report: Report, block: str, col: str = "total") -> Number | None:
    cell = ((report.appeals or {}).get(block) or {}).get(col)
    return None if cell is None else cell.checked


def t2(report: Report, row: str, col: str = "value") -> Number | None:
    cell = (report.proactive or {}).get(row)
    if isinstance(cell, dict):
        cell = cell.get(col)
    return getattr(cell, "checked", None)
