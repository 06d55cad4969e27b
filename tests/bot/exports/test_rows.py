"""Summary-row arithmetic: blank stays blank, sums and the 公开率 are right on real and built reports."""

from __future__ import annotations

import pytest

from bot.exports.rows import ExportItem, add, open_rate, summary_row, total_row
from bot.schema import T3_GROUPS
from tests.bot.exports.real import real_reports
from tests.support.factories import make_report, make_reports


def test_add_keeps_blank_blank() -> None:
    assert add([None, None]) is None
    assert add([None, 0]) == 0
    assert add([1, None, 2]) == 3
    assert add([0.5, 0.25]) == 0.75


def test_summary_row_matches_report_cells() -> None:
    report = make_report(7)
    row = summary_row(ExportItem.from_report(report))
    assert row["new_received"] == report.t3("new_received") > 0
    assert row["deny"] == sum(report.t3(k) for k in T3_GROUPS["deny"])
    assert row["litigation"] == report.t4("litigation_direct") + report.t4("litigation_after_review")
    expected = (report.t3("granted") + report.t3("partial")) / report.t3("total_processed")
    assert row["open_rate"] == pytest.approx(expected)


def test_real_pingtan_2021_numbers() -> None:
    item = next(
        ExportItem.from_report(r) for r in real_reports() if r.office.short_name == "平潭" and r.year == 2021
    )
    row = summary_row(item)
    assert (row["new_received"], row["total_processed"], row["review"]) == (70, 69, 3)
    assert row["granted"] == 30


def test_blank_total_stays_blank_on_real_shanghai_report() -> None:
    report = next(r for r in real_reports() if r.office.short_name == "上海市政府办公厅")
    row = summary_row(ExportItem.from_report(report))
    # the published table leaves 表4 复议 "结果纠正" blank but gives the 总计
    assert row["review"] == 7
    # every report column the office left blank in the whole deny group would be None, not 0
    blanks = [k for k in T3_GROUPS["deny"] if report.t3(k) is None]
    if len(blanks) == len(T3_GROUPS["deny"]):
        assert row["deny"] is None


def test_open_rate_unknown_without_processed() -> None:
    assert open_rate(3, 1, 0) is None
    assert open_rate(None, None, 10) is None
    assert open_rate(3, None, 4) == 0.75


def test_total_row_sums_offices() -> None:
    items = [ExportItem.from_report(r) for r in make_reports(5)]
    rows = [summary_row(i) for i in items]
    total = total_row(rows)
    assert total["office"] == "合计"
    assert total["new_received"] == sum(i.report.t3("new_received") for i in items)
    assert total["review"] == sum(i.report.t4("review") for i in items)
