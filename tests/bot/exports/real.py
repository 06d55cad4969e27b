"""Real reports for export tests, from the hand-read corpus truth (vendored from ../shared/corpus/full).

``tests/fixtures/corpus/full/truth.jsonl`` holds every cell of 8 published reports read by hand: 平潭 2019/2021/
2023/2025 (one office over the years), 上海市人民政府办公厅 2019 (126 blank 表3 cells — a blank must stay
blank in every export) and 沭阳县 2025. The pre-2019 reports have no 表3 and are skipped.
"""

from __future__ import annotations

import json

from bot.report import Finding, Office, Report, Source
from bot.schema import T2_DOC_COLUMNS, T2_DOC_ROWS, T2_SINGLE, T4_COLUMNS
from tests.support.paths import CORPUS

TRUTH = CORPUS / "full" / "truth.jsonl"


def truth_records() -> list[dict]:
    """The hand-read records that have a 表3."""
    records = [json.loads(line) for line in TRUTH.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in records if r.get("applications")]


def real_report(record: dict) -> Report:
    """A :class:`Report` holding exactly the hand-read numbers (``None`` where the report is blank)."""
    proactive = record.get("proactive") or {}
    data = {
        "source": {"filename": record["file"], "sha256": "", "kind": "txt"},
        "office": {"name": record["office"], "short_name": record["short_name"], "kind": "区县政府"},
        "year": record["year"],
        "format": record["format"],
        "proactive": {
            **{
                row: dict(zip(T2_DOC_COLUMNS, proactive.get(row) or [None] * 3, strict=True))
                for row in T2_DOC_ROWS
            },
            **{key: proactive.get(key) for key in T2_SINGLE},
        },
        "applications": {"rows": record["applications"]},
        "appeals": {
            block: dict(zip(T4_COLUMNS, values, strict=True)) for block, values in record["appeals"].items()
        },
    }
    report = Report.from_json(data)
    report.source = Source(record["file"], f"{hash(record['file']) & 0xFFFF:064x}", "txt")
    report.office = Office(record["office"], record["short_name"], "区县政府")
    return report


def real_reports() -> list[Report]:
    """All real reports with a 表3, with a few findings like the validator's so 问题清单 has rows."""
    reports = [real_report(r) for r in truth_records()]
    for report in reports:
        blanks = sum(1 for values in (report.applications or {}).values() for v in values if v.value is None)
        if blanks:
            report.findings.append(
                Finding("T3-05", "warning", f"表3有{blanks}个空白单元格，无数据请填0。", "表3")
            )
    return reports
