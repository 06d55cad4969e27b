"""The engine (ordering, merging the reader's findings, robustness) and the chat summary."""

from __future__ import annotations

import logging

import pytest

from bot.report import Finding, Report, Source, Value
from bot.validation import RULES, summarize, validate, verdict_emoji
from bot.validation.engine import Hit, Rule, get_rule
from tests.bot.validation.cases import FIRES, bump
from tests.support.factories import make_report


def broken_report() -> Report:
    report = make_report(3)
    bump(report, "partial", "total")  # T3-03 + T3-02 errors
    report.section_text["其他需要报告的事项"] = "无其他事项。"  # TXT-09 info
    report.proactive["licensing"] = Value(None, "")  # T2-01 warning
    return report


def test_findings_sorted_error_warning_info_and_stored_on_the_report() -> None:
    report = broken_report()
    report.ingest_findings = [Finding("ING-06", "info", "已自动清除3处Word书签标记。")]
    findings = validate(report)
    order = [f.severity for f in findings]
    assert order == sorted(order, key=["error", "warning", "info"].index)
    assert report.findings is findings
    assert {"T3-03", "T3-02", "T2-01", "TXT-09", "ING-06"} <= {f.code for f in findings}
    assert report.verdict == "有错误"


def test_validate_twice_gives_the_same_findings() -> None:
    report = broken_report()
    first = [f.to_json() for f in validate(report)]
    assert [f.to_json() for f in validate(report)] == first


def test_reader_findings_are_not_duplicated() -> None:
    report, _ = FIRES["STR-06"]()
    report.ingest_findings = [Finding("STR-06", "warning", "表3出现非标准行“不予公开小计”", "“不予公开小计”行")]
    assert [f.code for f in validate(report)].count("STR-06") == 1


def test_rows_the_reader_could_not_read_are_not_reported_again() -> None:
    report = make_report(3)
    report.applications["granted"] = [Value(None, "270020130") for _ in range(7)]
    report.ingest_findings = [
        Finding("ING-05", "error", "表3“予以公开”行数字粘连（270020130），无法按勾稽关系唯一拆分，请核对。", "表3")
    ]
    # a glued run no split makes consistent is a reading gap, not the office's error: a warning
    assert [(f.code, f.severity) for f in validate(report)] == [("ING-05", "warning")]
    assert report.verdict != "有错误"


def test_a_crashing_rule_is_logged_and_skipped(caplog: pytest.LogCaptureFixture) -> None:
    def explode(ctx):
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    RULES.append(Rule("ZZ-99", "error", "test rule", explode))
    try:
        with caplog.at_level(logging.ERROR):
            findings = validate(broken_report())
    finally:
        RULES.pop()
    assert "T3-03" in {f.code for f in findings}
    assert "ZZ-99" in caplog.text


def test_a_report_without_anything_does_not_crash() -> None:
    empty = Report(source=Source("empty.txt"))
    assert validate(empty) == []
    assert summarize(empty).startswith("✅")


def test_get_rule_and_hit_severity_override() -> None:
    rule = get_rule("T3-05")
    assert rule.severity == "warning"
    ctx_report = make_report(3)
    ctx_report.applications["granted"][6] = Value(None, "")
    from bot.validation.engine import Context

    [f] = rule.run(Context(ctx_report))
    assert f.severity == "error" and f.code == "T3-05"
    assert Hit("x").severity is None


def test_verdict_emoji() -> None:
    assert verdict_emoji("通过") == "✅"
    assert verdict_emoji("有警告") == "⚠️"
    assert verdict_emoji("有错误") == "❌"
    assert verdict_emoji("error") == "❌"
    assert verdict_emoji("???") == "❔"


def test_summary_shows_the_three_most_important_findings_with_numbers() -> None:
    report = broken_report()
    validate(report)
    text = summarize(report)
    lines = text.splitlines()
    assert lines[0].startswith("❌ 有错误：错误")
    assert len(lines) == 5  # head, three findings, "另有N项"
    assert "T3-03" in lines[1] or "T3-02" in lines[1]
    assert any(ch.isdigit() for ch in lines[1])
    assert lines[-1].startswith("……另有")
    assert len(text) < 600


def test_summary_english_and_limit() -> None:
    report = broken_report()
    validate(report)
    text = summarize(report, lang="en", limit=1)
    lines = text.splitlines()
    assert lines[0].startswith("❌ errors:") and len(lines) == 3
    assert "more" in lines[-1]


def test_summary_for_a_clean_report() -> None:
    report = make_report(3)
    validate(report)
    assert summarize(report) == "✅ 通过：未发现问题。"
    assert summarize(report, lang="en") == "✅ passed: no problems found."


def test_every_registered_rule_has_a_docstring_title() -> None:
    assert all(r.title and r.code for r in RULES)
    assert len(RULES) >= 60


def test_english_summary_says_where_the_cell_is() -> None:
    report = make_report(3)
    report.applications["granted"][0].value += 1
    validate(report)
    text = summarize(report, lang="en")
    assert "“natural persons”" in text and "(T3-02)" in text, text  # named once, not twice
    assert text.count("natural persons") == 1
    report.findings[0].message_en = "The results do not add up."  # a text that names no cell …
    assert "Table 3 “natural persons” column: The results" in summarize(report, lang="en")  # … gets its place
