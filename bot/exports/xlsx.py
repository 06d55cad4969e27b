"""The .xlsx workbook a district office hands to its leaders: 汇总, 报送情况, 表3明细, 表4明细, 问题清单.

Written for a clerk opening it in WPS/Excel: Chinese headers, the header row and the office column frozen,
columns wide enough for Chinese text, numbers stored as numbers and a blank cell left empty (never 0), so
a formula or a filter over the sheet gives the same answer as the reports.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.rows import (
    SEVERITY_LABELS,
    SUMMARY_COLUMNS,
    ExportItem,
    StatusLine,
    sort_items,
    summary_row,
    total_row,
)
from bot.schema import (
    T2_DOC_COLUMNS,
    T2_DOC_ROWS,
    T2_LABELS,
    T2_SINGLE,
    T3_COLUMN_LABELS,
    T3_COLUMNS,
    T3_ROW_GROUPS,
    T3_ROW_LABELS,
    T4_BLOCK_LABELS,
    T4_BLOCKS,
    T4_COLUMN_LABELS,
    T4_COLUMNS,
    t3_row_keys,
)

SHEET_SUMMARY = "汇总"
SHEET_T2 = "表2明细"
SHEET_T3 = "表3明细"
SHEET_T4 = "表4明细"
SHEET_FINDINGS = "问题清单"
SHEET_STATUS = "报送情况"

#: 表2 as one row per office: (row, column) keys in printed order, with their headers.
T2_FIELDS: tuple[tuple[str, str], ...] = (
    *((row, col) for row in T2_DOC_ROWS for col in T2_DOC_COLUMNS),
    *((key, "value") for key in T2_SINGLE),
)
T2_HEADERS: tuple[str, ...] = (
    "单位",
    "年度",
    *(f"{T2_LABELS[row]}·{T2_LABELS[col]}" if col != "value" else T2_LABELS[row] for row, col in T2_FIELDS),
)
FEE_FORMAT = "0.0000"
T3_HEADERS: tuple[str, ...] = ("单位", "年度", "分组", "项目", *(T3_COLUMN_LABELS[c] for c in T3_COLUMNS))
T4_HEADERS: tuple[str, ...] = ("单位", "年度", "类别", *(T4_COLUMN_LABELS[c] for c in T4_COLUMNS))
FINDING_HEADERS: tuple[str, ...] = ("单位", "年度", "代码", "级别", "问题说明", "位置")
STATUS_HEADERS: tuple[str, ...] = ("单位", "类型", "联系人", "报送时间", "版本", "校验结论", "整改状态",
                                   "已排除的问题（原因）")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

PERCENT_FORMAT = "0.0%"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FONT = Font(bold=True)
_MAX_WIDTH = 60
_HEADER_WRAP = 14


def t3_row_label(row: str, fmt: str) -> str:
    """The printed 表3 row label; the 2019 format's single 其他处理 row is printed as 「（六）其他处理」."""
    if fmt == "2019" and row == "other_other":
        return "（六）其他处理"
    return T3_ROW_LABELS[row]


def t3_row_group(row: str, fmt: str) -> str:
    """The group heading a 表3 row sits under (「（三）不予公开」 …), empty for top-level rows."""
    if fmt == "2019" and row == "other_other":
        return "三、本年度办理结果"
    return T3_ROW_GROUPS[row]


def build_workbook(items: Sequence[ExportItem], status: Sequence[StatusLine] | None = None) -> bytes:
    """The whole workbook as .xlsx bytes, offices in a stable order (kind, then name).

    ``status`` (one line per roster office, from :func:`bot.documents.collect.status_lines`) adds the
    报送情况 sheet after 汇总; without it the sheet is left out (a workbook of bare reports has no roster).
    """
    ordered = sort_items(items)
    wb = Workbook()
    wb.properties.creator = "年报助手"
    summary = wb.active
    summary.title = SHEET_SUMMARY
    _fill_summary(summary, ordered)
    if status is not None:
        _fill_status(wb.create_sheet(SHEET_STATUS), status)
    _fill_t2(wb.create_sheet(SHEET_T2), ordered)
    _fill_t3(wb.create_sheet(SHEET_T3), ordered)
    _fill_t4(wb.create_sheet(SHEET_T4), ordered)
    _fill_findings(wb.create_sheet(SHEET_FINDINGS), ordered)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fill_summary(ws: Worksheet, items: Sequence[ExportItem]) -> None:
    _header(ws, [label for _, label in SUMMARY_COLUMNS])
    rows = [summary_row(item) for item in items]
    for row in rows:
        ws.append([row[key] for key, _ in SUMMARY_COLUMNS])
    total = total_row(rows)
    ws.append([total[key] for key, _ in SUMMARY_COLUMNS])
    for cell in ws[ws.max_row]:
        cell.font = _TOTAL_FONT
    rate_col = [key for key, _ in SUMMARY_COLUMNS].index("open_rate") + 1
    for (cell,) in ws.iter_rows(min_row=2, min_col=rate_col, max_col=rate_col):
        cell.number_format = PERCENT_FORMAT
    _finish(ws, freeze="B2")


def _fill_status(ws: Worksheet, lines: Sequence[StatusLine]) -> None:
    _header(ws, STATUS_HEADERS)
    for line in lines:
        ws.append([line.office, line.kind, line.contact, line.received, line.version, line.verdict or "未报送",
                   line.state, line.dismissed])
    for row in ws.iter_rows(min_row=2):
        row[3].number_format = DATETIME_FORMAT
        row[7].alignment = Alignment(wrap_text=True, vertical="top")
    _finish(ws, freeze="B2", widths={4: 18, 8: _MAX_WIDTH})


def _fill_t2(ws: Worksheet, items: Sequence[ExportItem]) -> None:
    _header(ws, T2_HEADERS)
    for item in items:
        report = item.report
        if report.proactive is None:
            ws.append([item.office, item.year, "（未识别到表2）"])
            continue
        ws.append([item.office, item.year, *(report.t2(row, col) for row, col in T2_FIELDS)])
    fee_col = len(T2_HEADERS)
    for (cell,) in ws.iter_rows(min_row=2, min_col=fee_col, max_col=fee_col):
        cell.number_format = FEE_FORMAT
    _finish(ws, freeze="C2")


def _fill_t3(ws: Worksheet, items: Sequence[ExportItem]) -> None:
    _header(ws, T3_HEADERS)
    for item in items:
        apps = item.report.applications
        fmt = item.report.format
        if apps is None:
            ws.append([item.office, item.year, "", "（未识别到表3）"])
            continue
        for row in t3_row_keys(fmt):
            values = apps.get(row)
            numbers = [v.value for v in values] if values is not None else [None] * len(T3_COLUMNS)
            ws.append([item.office, item.year, t3_row_group(row, fmt), t3_row_label(row, fmt), *numbers])
    _finish(ws, freeze="E2", widths={4: 40})


def _fill_t4(ws: Worksheet, items: Sequence[ExportItem]) -> None:
    _header(ws, T4_HEADERS)
    for item in items:
        appeals = item.report.appeals
        if appeals is None:
            ws.append([item.office, item.year, "（未识别到表4）"])
            continue
        for block in T4_BLOCKS:
            ws.append(
                [
                    item.office,
                    item.year,
                    T4_BLOCK_LABELS[block],
                    *(appeals[block][c].value for c in T4_COLUMNS),
                ]
            )
    _finish(ws, freeze="D2")


def _fill_findings(ws: Worksheet, items: Sequence[ExportItem]) -> None:
    _header(ws, FINDING_HEADERS)
    for item in items:
        for f in item.findings:
            ws.append(
                [
                    item.office,
                    item.year,
                    f.code,
                    SEVERITY_LABELS.get(f.severity, f.severity),
                    f.message,
                    f.where,
                ]
            )
    for (cell,) in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _finish(ws, freeze="B2", widths={5: _MAX_WIDTH})


def _header(ws: Worksheet, labels: Iterable[str]) -> None:
    ws.append(list(labels))
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _finish(ws: Worksheet, *, freeze: str, widths: dict[int, int] | None = None) -> None:
    """Freeze the header (and the office column), add a filter, and size columns to their text."""
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if (
                cell.data_type == "f"
            ):  # text from a document that starts with "=": keep it text, never a formula
                cell.data_type = "s"
    ws.freeze_panes = freeze
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    fixed = widths or {}
    wrapped = False
    for idx, column in enumerate(ws.iter_cols(min_row=1, max_row=ws.max_row), start=1):
        header, *data = column
        if idx in fixed:
            width = fixed[idx]
        else:  # a long header wraps onto two lines rather than widening a column of small numbers
            width = max(
                [min(display_width(header.value), _HEADER_WRAP), *(display_width(c.value) for c in data)]
            )
        width = min(max(width + 2, 8), _MAX_WIDTH)
        wrapped = wrapped or display_width(header.value) + 2 > width
        ws.column_dimensions[get_column_letter(idx)].width = width
    if wrapped:
        ws.row_dimensions[1].height = 32


def display_width(value: object) -> int:
    """Approximate Excel column width of a value: CJK characters count double."""
    if value is None:
        return 0
    if isinstance(value, float):
        text = f"{value:.1%}" if value <= 1 else f"{value:g}"
    else:
        text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
