"""/export, /chart and /summary through the real bot and the fake Bot API: files arrive with the right names."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from PIL import Image

from bot.exports.xlsx import SHEET_FINDINGS, SHEET_SUMMARY
from bot.report import Finding
from storage import repo
from tests.support.factories import make_report, make_reports

GROUP = -100555
MEMBER = 7


async def _fill(db, chat_id: int = GROUP) -> None:
    reports = make_reports(3)
    reports[0].findings = [Finding("T3-01", "error", "“总计”列不平。", "表3 总计列")]
    for r in reports:
        await repo.store_report(db, chat_id=chat_id, report=r)
    await repo.store_report(db, chat_id=chat_id, report=make_report(5, office="示范区鹿山街道", year=2020))


async def test_export_sends_the_workbook(harness) -> None:
    tg, db = harness.tg, harness.db
    tg.group(GROUP)
    await _fill(db)
    await tg.send_command(GROUP, "export", "2021", user_id=MEMBER)
    [call] = await tg.wait_calls("sendDocument")
    [msg] = [m for m in tg.bot_messages(GROUP) if "document" in m]
    assert msg["document"]["file_name"] == "年报汇总_2021.xlsx"
    assert "3个单位" in msg["caption"]
    wb = load_workbook(io.BytesIO(tg.file_bytes(msg)))
    names = [r[0] for r in wb[SHEET_SUMMARY].iter_rows(min_row=2, values_only=True)]
    assert names[-1] == "合计"
    assert sorted(names[:-1]) == sorted(r.office.name for r in make_reports(3))
    stored = {s.office.name: s for s in await repo.list_reports(db, chat_id=GROUP, year=2021)}
    for row in wb[SHEET_SUMMARY].iter_rows(min_row=2, values_only=True):
        if row[0] in stored:
            cells = await repo.report_cells(db, report_id=stored[row[0]].id)
            assert row[4] == cells[("t3", "new_received", "total")]
    assert [r[2] for r in wb[SHEET_FINDINGS].iter_rows(min_row=2, values_only=True)] == ["T3-01"]
    assert call.params["chat_id"] in (GROUP, str(GROUP))


async def test_export_csv_and_latest_year_default(harness) -> None:
    tg, db = harness.tg, harness.db
    tg.group(GROUP)
    await _fill(db)
    await tg.send_command(GROUP, "export", "csv", user_id=MEMBER)
    await tg.wait_calls("sendDocument")
    [msg] = [m for m in tg.bot_messages(GROUP) if "document" in m]
    assert msg["document"]["file_name"] == "年报汇总_2021.csv"
    rows = list(csv.reader(io.StringIO(tg.file_bytes(msg).decode("utf-8-sig"))))
    assert rows[0][0] == "单位" and rows[-1][0] == "合计" and len(rows) == 5


async def test_chart_sends_a_png(harness) -> None:
    tg, db = harness.tg, harness.db
    tg.group(GROUP)
    await _fill(db)
    await tg.send_command(GROUP, "chart", user_id=MEMBER)
    await tg.send_command(GROUP, "chart", "鹿山", user_id=MEMBER)
    await tg.wait_calls("sendPhoto", 2)
    photos = [m for m in tg.bot_messages(GROUP) if "photo" in m]
    assert len(photos) == 2
    for msg in photos:
        data = tg.file_bytes(msg)
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert 800 <= Image.open(io.BytesIO(data)).width <= 3000
    captions = sorted(m["caption"] for m in photos)
    assert any("2021年度各单位新收申请" in c for c in captions)
    assert any("2020、2021" in c for c in captions)


async def test_summary_digest(harness) -> None:
    tg, db = harness.tg, harness.db
    tg.group(GROUP)
    await _fill(db)
    await repo.roster_add(db, chat_id=GROUP, name="示范区未交街道")
    await tg.send_command(GROUP, "summary", "2021", user_id=MEMBER)
    [msg] = await tg.wait_messages(GROUP, 1)
    total = sum(r.t3("new_received") for r in make_reports(3))
    assert "已提交 3/4 个单位；未提交：未交" in msg["text"]
    assert f"新收 {total} 件" in msg["text"]
    assert "T3-01（1份）" in msg["text"]


async def test_empty_chat_gets_messages_not_files(harness) -> None:
    tg = harness.tg
    tg.group(GROUP)
    await tg.send_command(GROUP, "export", user_id=MEMBER)
    await tg.send_command(GROUP, "chart", user_id=MEMBER)
    await tg.send_command(GROUP, "summary", user_id=MEMBER)
    messages = await tg.wait_messages(GROUP, 3)
    assert all("还没有" in m["text"] for m in messages)
    assert not tg.calls_to("sendDocument") and not tg.calls_to("sendPhoto")


async def test_chart_unknown_office_and_export_usage(harness) -> None:
    tg, db = harness.tg, harness.db
    tg.group(GROUP)
    await _fill(db)
    await tg.send_command(GROUP, "chart", "不存在", user_id=MEMBER)
    await tg.send_command(GROUP, "export", "pdf", user_id=MEMBER)
    messages = await tg.wait_messages(GROUP, 2)
    texts = " | ".join(m["text"] for m in messages)
    assert "没有找到单位“不存在”" in texts
    assert "用法：/export" in texts
    assert not tg.calls_to("sendDocument") and not tg.calls_to("sendPhoto")
