"""The 汇总 CSV: UTF-8 with BOM, same rows as the sheet, blank fields for blank numbers."""

from __future__ import annotations

import csv
import io

from bot.exports.rows import SUMMARY_COLUMNS, ExportItem, sort_items, summary_row
from bot.exports.tables_csv import format_rate, summary_csv
from bot.report import Value
from tests.bot.exports.real import real_reports
from tests.support.factories import make_reports


def test_csv_has_bom_and_matches_summary() -> None:
    reports = [*make_reports(3), *real_reports()]
    reports[0].applications["carried_over"][6] = Value(None)  # a blank 总计 cell
    items = [ExportItem.from_report(r) for r in reports]
    data = summary_csv(items)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [label for _, label in SUMMARY_COLUMNS]
    assert len(rows) == 1 + len(items) + 1
    keys = [k for k, _ in SUMMARY_COLUMNS]
    for item, row in zip(sort_items(items), rows[1:], strict=False):
        expected = summary_row(item)
        assert row[keys.index("office")] == item.office
        assert row[keys.index("new_received")] == str(expected["new_received"])
        assert row[keys.index("open_rate")] == format_rate(expected["open_rate"])
    blank_row = next(r for r in rows if r[0] == reports[0].office.name)
    assert blank_row[keys.index("carried_over")] == ""
    assert rows[-1][0] == "合计"


def test_format_rate() -> None:
    assert format_rate(0.857142) == "85.7%"
    assert format_rate(None) == ""


def test_formula_like_office_name_is_neutralised() -> None:
    report = make_reports(1)[0]
    report.office.name = "=cmd|' /C calc'!A0"
    rows = list(csv.reader(io.StringIO(summary_csv([ExportItem.from_report(report)]).decode("utf-8-sig"))))
    assert rows[1][0] == "'" + report.office.name
