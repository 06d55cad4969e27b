"""The /summary digest: submissions against the roster, verdict counts, totals equal the sums, top issues."""

from __future__ import annotations

from bot.exports.digest import digest_text, empty_message, top_issues
from bot.exports.rows import ExportItem
from bot.report import Finding
from tests.bot.exports.real import real_reports
from tests.support.factories import make_reports


def _items() -> list[ExportItem]:
    reports = make_reports(4)
    reports[0].findings = [
        Finding("T3-01", "error", "“总计”列不符合表内勾稽关系。"),
        Finding("T3-05", "warning", "空白"),
    ]
    reports[1].findings = [
        Finding("T3-01", "error", "“自然人”列不平。"),
        Finding("T3-01", "error", "又一列不平。"),
    ]
    reports[2].findings = [
        Finding("STR-01", "error", "缺少第五部分。"),
        Finding("ING-06", "info", "已清除书签。"),
    ]
    return [ExportItem.from_report(r) for r in reports]


def test_digest_totals_equal_sums() -> None:
    items = _items()
    text = digest_text(items, year=2021, missing=["五星"], roster_size=5)
    new = sum(i.report.t3("new_received") for i in items)
    done = sum(i.report.t3("total_processed") for i in items)
    fwd = sum(i.report.t3("carried_forward") for i in items)
    review = sum(i.report.t4("review") for i in items)
    lit = sum(i.report.t4("litigation_direct") + i.report.t4("litigation_after_review") for i in items)
    assert f"新收 {new} 件" in text
    assert f"办结 {done} 件" in text
    assert f"结转 {fwd} 件" in text
    assert f"复议 {review} 件" in text
    assert f"诉讼 {lit} 件" in text
    assert "已提交 4/5 个单位；未提交：五星" in text
    assert "✅ 通过 1 · ⚠️ 有警告 0 · ❌ 有错误 3" in text
    assert text.startswith("📋 2021年度年报汇总")
    assert len(text) < 800


def test_top_issues_count_reports_not_findings() -> None:
    issues = top_issues(_items())
    assert [(i.code, i.reports) for i in issues] == [("T3-01", 2), ("STR-01", 1), ("T3-05", 1)]
    assert issues[2].severity == "warning"


def test_digest_on_real_reports_without_roster() -> None:
    items = [ExportItem.from_report(r) for r in real_reports() if r.year == 2025]
    text = digest_text(items, year=2025)
    assert "已收到 2 个单位的年报" in text
    assert f"新收 {154 + 713} 件" in text


def test_empty_chat_message() -> None:
    text = digest_text([], year=2021)
    assert text == empty_message(2021)
    assert "还没有2021年度年报" in text


def test_digest_in_english() -> None:
    items = _items()
    text = digest_text(items, year=2021, missing=["五星"], roster_size=5, lang="en")
    new = sum(i.report.t3("new_received") for i in items)
    assert text.startswith("📋 Annual reports 2021")
    assert "Submitted: 4 of 5 offices; missing: 五星" in text
    assert f"Totals: {new} new" in text
    assert "❌ T3-01 (2 reports)" in text
    assert "年报汇总" not in text
    assert empty_message(2021, "en").startswith("No annual reports for 2021")
