"""The workbook opens, holds the stored numbers (blank stays blank), has frozen Chinese headers and findings."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bot.exports.rows import SUMMARY_COLUMNS, ExportItem
from bot.exports.xlsx import (
    FINDING_HEADERS,
    SHEET_FINDINGS,
    SHEET_SUMMARY,
    SHEET_T2,
    SHEET_T3,
    SHEET_T4,
    T2_FIELDS,
    T3_HEADERS,
    build_workbook,
    display_width,
)
from bot.report import Finding
from bot.schema import T3_COLUMNS, T3_GROUPS, T4_BLOCKS, T4_COLUMNS, t3_row_keys
from tests.bot.exports.real import real_reports
from tests.support.factories import make_reports

HEAD = [label for _, label in SUMMARY_COLUMNS]


@pytest.fixture(scope="module")
def items() -> list[ExportItem]:
    built = make_reports(4)
    built[1].findings = [
        Finding(
            "T3-01", "error", "“总计”列：本年新收3+上年结转0=3，但办理结果总计2+结转下年度0=2。", "表3 总计列"
        ),
        Finding("STR-03", "info", "第四部分标题“行政法复议”疑为“行政复议”。", "四、"),
    ]
    return [ExportItem.from_report(r) for r in [*built, *real_reports()]]


@pytest.fixture(scope="module")
def wb(items):
    return load_workbook(io.BytesIO(build_workbook(items)))


def _rows_by_office(ws, key_cols: int = 1) -> dict:
    out: dict = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        out.setdefault(tuple(row[:key_cols]), []).append(row)
    return out


def test_sheets_and_frozen_headers(wb) -> None:
    assert wb.sheetnames == [SHEET_SUMMARY, SHEET_T2, SHEET_T3, SHEET_T4, SHEET_FINDINGS]
    assert [c.value for c in wb[SHEET_SUMMARY][1]] == HEAD
    assert [c.value for c in wb[SHEET_T3][1]] == list(T3_HEADERS)
    assert [c.value for c in wb[SHEET_FINDINGS][1]] == list(FINDING_HEADERS)
    for name in wb.sheetnames:
        assert wb[name].freeze_panes is not None and wb[name].freeze_panes.endswith("2"), name
        assert wb[name][1][0].font.bold


def test_summary_numbers_equal_report_cells(wb, items) -> None:
    ws = wb[SHEET_SUMMARY]
    col = {key: i for i, (key, _) in enumerate(SUMMARY_COLUMNS)}
    rows = {(r[col["office"]], r[col["year"]]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == len(items) + 1  # + 合计
    for item in items:
        row = rows[(item.office, item.year)]
        rep = item.report
        assert row[col["new_received"]] == rep.t3("new_received")
        assert row[col["carried_over"]] == rep.t3("carried_over")
        assert row[col["total_processed"]] == rep.t3("total_processed")
        assert row[col["carried_forward"]] == rep.t3("carried_forward")
        assert row[col["review"]] == rep.t4("review")
        assert row[col["verdict"]] == item.verdict
        deny = [rep.t3(k) for k in T3_GROUPS["deny"] if rep.t3(k) is not None]
        assert row[col["deny"]] == (sum(deny) if deny else None)
        processed = rep.t3("total_processed")
        opened = [v for v in (rep.t3("granted"), rep.t3("partial")) if v is not None]
        if processed and opened:
            assert row[col["open_rate"]] == pytest.approx(sum(opened) / processed)
        else:
            assert row[col["open_rate"]] is None
    total = rows[("合计", None)]
    assert total[col["new_received"]] == sum(i.report.t3("new_received") or 0 for i in items)


def test_numbers_are_numbers_and_rate_is_percent(wb) -> None:
    ws = wb[SHEET_SUMMARY]
    rate_col = [k for k, _ in SUMMARY_COLUMNS].index("open_rate") + 1
    new_col = [k for k, _ in SUMMARY_COLUMNS].index("new_received") + 1
    assert isinstance(ws.cell(row=2, column=new_col).value, int)
    assert ws.cell(row=2, column=rate_col).number_format == "0.0%"
    assert isinstance(ws.cell(row=2, column=rate_col).value, float)


def test_t3_detail_has_every_cell_and_blank_stays_blank(wb, items) -> None:
    ws = wb[SHEET_T3]
    expected_rows = sum(len(t3_row_keys(i.report.format)) for i in items)
    assert ws.max_row == 1 + expected_rows
    detail = _rows_by_office(ws)
    for item in items:
        rows = detail[(item.office,)]
        rows = [r for r in rows if r[1] == item.year]
        keys = t3_row_keys(item.report.format)
        assert len(rows) == len(keys)
        for key, row in zip(keys, rows, strict=True):
            assert list(row[4:]) == [item.report.t3(key, c) for c in T3_COLUMNS]
    shanghai = next(i for i in items if i.short_name == "上海市政府办公厅")
    blank = [(k, c) for k in t3_row_keys("2019") for c in T3_COLUMNS if shanghai.report.t3(k, c) is None]
    assert blank, "the real 上海 report has blank 表3 cells"
    rows = list(detail[(shanghai.office,)])
    key, c = blank[0]
    row = rows[t3_row_keys("2019").index(key)]
    assert row[4 + T3_COLUMNS.index(c)] is None  # empty, not 0


def test_t3_detail_labels_are_the_printed_ones(wb) -> None:
    labels = [r[3] for r in wb[SHEET_T3].iter_rows(min_row=2, max_row=26, values_only=True)]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert "（七）总计" in labels


def test_t2_detail(wb, items) -> None:
    ws = wb[SHEET_T2]
    rows = {(r[0], r[1]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == len(items)
    for item in items:
        row = rows[(item.office, item.year)]
        assert list(row[2:]) == [item.report.t2(r, c) for r, c in T2_FIELDS]
    shanghai = next(i for i in items if i.short_name == "上海市政府办公厅")
    assert shanghai.report.t2("fees_10k_yuan") is None  # the 2019 format has no fee amount: stays blank
    assert rows[(shanghai.office, shanghai.year)][-1] is None
    assert ws.cell(row=2, column=len(T2_FIELDS) + 2).number_format == "0.0000"


def test_t4_detail(wb, items) -> None:
    ws = wb[SHEET_T4]
    assert ws.max_row == 1 + 3 * len(items)
    item = items[0]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == item.office]
    for block, row in zip(T4_BLOCKS, rows, strict=True):
        assert list(row[3:]) == [item.report.appeals[block][c].value for c in T4_COLUMNS]


def test_findings_sheet_lists_every_finding(wb, items) -> None:
    ws = wb[SHEET_FINDINGS]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(i.findings) for i in items)
    by_code = {r[2]: r for r in rows}
    assert by_code["T3-01"][3] == "错误"
    assert by_code["STR-03"][3] == "提示"
    assert by_code["T3-05"][3] == "警告"
    assert by_code["T3-01"][0] == items[1].office
    assert by_code["T3-01"][5] == "表3 总计列"


def test_column_widths_fit_chinese_names(wb, items) -> None:
    ws = wb[SHEET_SUMMARY]
    longest = max(display_width(i.office) for i in items)
    assert ws.column_dimensions["A"].width >= min(longest, 58)
    assert display_width("鹿山") == 4


def test_empty_workbook_still_opens() -> None:
    wb = load_workbook(io.BytesIO(build_workbook([])))
    assert wb[SHEET_SUMMARY].max_row == 2  # header + 合计


def test_text_that_looks_like_a_formula_stays_text() -> None:
    report = make_reports(1)[0]
    report.office.name = '=HYPERLINK("http://x","点我")'
    report.findings = [Finding("META-06", "info", "=1+1", "标题")]
    wb = load_workbook(io.BytesIO(build_workbook([ExportItem.from_report(report)])))
    assert wb[SHEET_SUMMARY]["A2"].value == report.office.name
    assert wb[SHEET_SUMMARY]["A2"].data_type == "s"
    assert wb[SHEET_FINDINGS]["E2"].data_type == "s"


def test_submission_sheet_lists_dismissed_findings_with_reasons(items) -> None:
    from datetime import datetime

    from bot.exports.rows import StatusLine
    from bot.exports.xlsx import SHEET_STATUS

    lines = [
        StatusLine("示范区鹿山街道", "街道", "王小明", datetime(2022, 1, 20, 9, 30), 2, "有错误", "需整改",
                   "T3-05 表3有空白 —— 该栏不适用（李科长）"),
        StatusLine("示范区白云街道", "街道", "", None, None, "", "未提交"),
    ]
    wb = load_workbook(io.BytesIO(build_workbook(items, lines)))
    ws = wb[SHEET_STATUS]
    first, second = list(ws.iter_rows(min_row=2, values_only=True))
    assert first == ("示范区鹿山街道", "街道", "王小明", datetime(2022, 1, 20, 9, 30), 2, "有错误", "需整改",
                     "T3-05 表3有空白 —— 该栏不适用（李科长）")
    assert second[3:7] == (None, None, "未报送", "未提交")
    assert ws["D2"].number_format == "yyyy-mm-dd hh:mm"
    # without status lines (bare reports, no roster) the sheet is left out
    assert SHEET_STATUS not in load_workbook(io.BytesIO(build_workbook(items))).sheetnames
