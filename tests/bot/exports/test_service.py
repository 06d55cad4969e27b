"""The exports read from a real database (SQLite and PostgreSQL): the file holds the stored numbers."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from bot.exports import (
    ChartRequest,
    NothingToExport,
    chart_file,
    chart_png,
    csv_bytes,
    digest,
    export_file,
    parse_chart_args,
    parse_year,
    workbook,
)
from bot.exports.rows import SUMMARY_COLUMNS
from bot.exports.xlsx import SHEET_FINDINGS, SHEET_SUMMARY, SHEET_T3
from bot.report import Finding
from bot.schema import T3_COLUMNS, t3_row_keys
from storage import repo
from tests.bot.exports.real import real_reports
from tests.support.factories import make_report, make_reports

CHAT = -1001
OTHER = -1002
KEYS = [k for k, _ in SUMMARY_COLUMNS]


async def _fill(db) -> None:
    reports = make_reports(3)
    reports[0].findings = [Finding("T3-01", "error", "“总计”列不平。", "表3 总计列")]
    for r in reports:
        await repo.store_report(db, chat_id=CHAT, report=r)
    shanghai = next(r for r in real_reports() if r.office.short_name == "上海市政府办公厅")
    shanghai.year = 2021  # same year as the others, keeping its real blank cells
    await repo.store_report(db, chat_id=CHAT, report=shanghai)
    for year in (2019, 2020):
        await repo.store_report(
            db, chat_id=CHAT, report=make_report(year, office="示范区鹿山街道", year=year)
        )
    await repo.store_report(
        db, chat_id=OTHER, report=make_report(99, office="别的群的街道", short_name="别的")
    )


async def test_workbook_holds_the_stored_cells(db) -> None:
    await _fill(db)
    wb = load_workbook(io.BytesIO(await workbook(db, chat_id=CHAT, year=2021)))
    stored = await repo.list_reports(db, chat_id=CHAT, year=2021)
    assert len(stored) == 4
    summary = {r[0]: r for r in wb[SHEET_SUMMARY].iter_rows(min_row=2, values_only=True)}
    assert "别的群的街道" not in summary  # another chat's data never leaks
    detail = list(wb[SHEET_T3].iter_rows(min_row=2, values_only=True))
    for s in stored:
        cells = await repo.report_cells(db, report_id=s.id)
        row = summary[s.office.name]
        assert row[KEYS.index("new_received")] == cells[("t3", "new_received", "total")]
        assert row[KEYS.index("verdict")] == s.verdict
        mine = [r for r in detail if r[0] == s.office.name]
        assert len(mine) == len(t3_row_keys(s.format))
        for key, r in zip(t3_row_keys(s.format), mine, strict=True):
            assert list(r[4:]) == [cells[("t3", key, c)] for c in T3_COLUMNS]
    assert any(v is None for r in detail if r[0] == "上海市人民政府办公厅" for v in r[4:])
    findings = list(wb[SHEET_FINDINGS].iter_rows(min_row=2, values_only=True))
    assert ("示范区鹿山街道", 2021, "T3-01", "错误", "“总计”列不平。", "表3 总计列") in findings


async def test_latest_year_is_the_default_and_filename_has_it(db) -> None:
    await _fill(db)
    file = await export_file(db, chat_id=CHAT)
    assert file.filename == "年报汇总_2021.xlsx"
    assert "4个单位" in file.caption
    old = await export_file(db, chat_id=CHAT, year=2019, fmt="csv")
    assert old.filename == "年报汇总_2019.csv"
    rows = list(csv.reader(io.StringIO(old.data.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["示范区鹿山街道", "合计"]


async def test_csv_from_db(db) -> None:
    await _fill(db)
    rows = list(csv.reader(io.StringIO((await csv_bytes(db, chat_id=CHAT, year=2021)).decode("utf-8-sig"))))
    assert len(rows) == 1 + 4 + 1


async def test_empty_chat_gets_a_message_not_a_file(db) -> None:
    with pytest.raises(NothingToExport) as err:
        await workbook(db, chat_id=CHAT)
    assert "还没有" in err.value.message
    assert err.value.text("en").startswith("No annual reports")
    with pytest.raises(NothingToExport):
        await chart_png(db, chat_id=CHAT)
    assert (await digest(db, chat_id=CHAT, lang="en")).startswith("No annual reports")
    assert "还没有" in await digest(db, chat_id=CHAT)
    await _fill(db)
    with pytest.raises(NothingToExport) as err:
        await export_file(db, chat_id=CHAT, year=2015)
    assert "2015年度" in err.value.message


async def test_digest_against_roster(db) -> None:
    await _fill(db)
    await repo.roster_add(db, chat_id=CHAT, name="示范区鹿山街道")
    await repo.roster_add(db, chat_id=CHAT, name="示范区未交街道")
    text = await digest(db, chat_id=CHAT, year=2021)
    assert "已提交 4/5 个单位；未提交：未交" in text  # short name, as people say it
    stored = await repo.list_reports(db, chat_id=CHAT, year=2021)
    total_new = 0
    for s in stored:
        total_new += (await repo.report_cells(db, report_id=s.id))[("t3", "new_received", "total")] or 0
    assert f"新收 {int(total_new)} 件" in text
    assert "T3-01（1份）" in text


async def test_charts_from_db(db) -> None:
    await _fill(db)
    png = await chart_png(db, chat_id=CHAT, year=2021, what="复议")
    assert png.startswith(b"\x89PNG")
    file = await chart_file(db, chat_id=CHAT, request=ChartRequest(office="鹿山"))
    assert file.data.startswith(b"\x89PNG")
    assert "2019、2020、2021" in file.caption
    with pytest.raises(NothingToExport) as err:
        await chart_file(db, chat_id=CHAT, request=ChartRequest(office="不存在"))
    assert "没有找到单位" in err.value.message
    with pytest.raises(NothingToExport):  # an office of another chat is not found here
        await chart_file(db, chat_id=CHAT, request=ChartRequest(office="别的"))
    with pytest.raises(NothingToExport) as err:  # 示范区 is in several names: ask to be specific
        await chart_file(db, chat_id=CHAT, request=ChartRequest(office="示范区"))
    assert "对应多个单位" in err.value.message and "鹿山" in err.value.message


def test_parse_chart_args() -> None:
    assert parse_chart_args([]) == ChartRequest()
    assert parse_chart_args(["2021", "复议"]) == ChartRequest(2021, "appeals", None)
    assert parse_chart_args(["鹿山"]) == ChartRequest(None, "applications", "鹿山")
    assert parse_chart_args(["结果", "2020年"]) == ChartRequest(2020, "outcomes", None)
    assert parse_year("2021年度") == 2021
    assert parse_year("21") is None


async def test_workbook_has_the_submission_sheet_from_the_roster(db) -> None:
    from datetime import datetime

    from bot.exports.xlsx import SHEET_STATUS, STATUS_HEADERS
    from tests.bot.documents.conftest import CHAT as FILED
    from tests.bot.documents.conftest import MISSING, file_reports, rule

    await file_reports(db)
    await rule(db, "青石山", "T3-05", "dismissed", "该栏不适用")
    file = await export_file(db, chat_id=FILED, year=2021)
    assert "报送情况" in file.caption
    wb = load_workbook(io.BytesIO(file.data))
    assert wb.sheetnames[:2] == [SHEET_SUMMARY, SHEET_STATUS]
    ws = wb[SHEET_STATUS]
    assert tuple(c.value for c in ws[1]) == STATUS_HEADERS
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"富阳区鹿山街道", "青石山街道办事处", "铁岭市银州区红旗街", MISSING}
    office, kind, contact, received, version, verdict, state, dismissed = rows["富阳区鹿山街道"]
    assert (contact, version, verdict, state, dismissed) == ("王小明", 1, "有错误", "待审", None)
    assert isinstance(received, datetime)
    assert rows["铁岭市银州区红旗街"][5:7] == ("有警告", "待审")
    assert "T3-05" in rows["青石山街道办事处"][7] and "该栏不适用（李科长）" in rows["青石山街道办事处"][7]
    findings = [r[0] for r in wb[SHEET_FINDINGS].iter_rows(min_row=2, values_only=True) if r[2] == "T3-05"]
    assert "青石山街道办事处" not in findings  # a dismissed finding leaves 问题清单
    assert rows[MISSING][2:7] == (None, None, None, "未报送", "未提交")
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
