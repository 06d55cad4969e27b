"""The five real reports in examples/, read and validated by the real reader and validator, then exported.

This is the path a district office takes: files in the chat → stored reports → /export and /summary.
Whatever the reader found (including blank cells) must come out of the workbook unchanged.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.exports import digest, workbook
from bot.exports.xlsx import SHEET_FINDINGS, SHEET_SUMMARY, SHEET_T3
from bot.schema import T3_COLUMNS, t3_row_keys
from storage import repo

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CHAT = -100321


async def _ingest(db) -> list:
    from bot.reading import read_path
    from bot.validation import validate

    stored = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        for result in read_path(path):
            if result.report is None:
                continue
            validate(result.report)
            stored.append((await repo.store_report(db, chat_id=CHAT, report=result.report)).report)
    return stored


async def test_seed_reports_export_as_stored(sqlite_db) -> None:
    if not EXAMPLES.is_dir():
        pytest.skip("examples/ not present")
    stored = await _ingest(sqlite_db)
    assert len(stored) == 5
    year = max(s.year for s in stored)
    wb = load_workbook(io.BytesIO(await workbook(sqlite_db, chat_id=CHAT, year=year)))
    current = await repo.list_reports(sqlite_db, chat_id=CHAT, year=year)
    summary = {r[0]: r for r in wb[SHEET_SUMMARY].iter_rows(min_row=2, values_only=True)}
    detail = list(wb[SHEET_T3].iter_rows(min_row=2, values_only=True))
    blanks_seen = 0
    for s in current:
        cells = await repo.report_cells(sqlite_db, report_id=s.id)
        assert summary[s.office.name][4] == cells.get(("t3", "new_received", "total"))
        assert summary[s.office.name][3] == s.verdict
        rows = [r for r in detail if r[0] == s.office.name]
        if ("t3", "new_received", "total") not in cells:
            continue  # no 表3 read
        for key, row in zip(t3_row_keys(s.format), rows, strict=True):
            expected = [cells.get(("t3", key, c)) for c in T3_COLUMNS]
            assert list(row[4:]) == expected
            blanks_seen += sum(v is None for v in expected)
    findings = list(wb[SHEET_FINDINGS].iter_rows(min_row=2, values_only=True))
    expected_findings = []
    for s in current:
        expected_findings += [
            (s.office.name, f.code) for f in await repo.report_findings(sqlite_db, report_id=s.id)
        ]
    assert sorted((r[0], r[2]) for r in findings) == sorted(expected_findings)
    text = await digest(sqlite_db, chat_id=CHAT, year=year)
    verdicts = Counter(s.verdict for s in current)
    assert (
        f"✅ 通过 {verdicts['通过']} · ⚠️ 有警告 {verdicts['有警告']} · ❌ 有错误 {verdicts['有错误']}" in text
    )
    assert f"已收到 {len(current)} 个单位的年报" in text
    if any(code == "T3-05" for _, code in expected_findings):  # the reader saw blank 表3 cells
        assert blanks_seen > 0  # … and they are still blank (empty, not 0) in the workbook
