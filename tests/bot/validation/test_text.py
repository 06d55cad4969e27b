"""Prose ↔ table rules."""

from __future__ import annotations

from bot.report import ProseNumber
from bot.schema import SECTIONS
from bot.validation import validate
from tests.bot.validation.cases import FIRES, with_text, zero_apps
from tests.support.factories import make_report


def only(report, code, **kw):
    return [f for f in validate(report, **kw) if f.code == code]


def test_received_may_include_carried_over() -> None:
    report = make_report(3)
    report.prose = []
    report.applications["carried_over"][0].value += 2
    report.applications["carried_over"][6].value += 2
    report.applications["granted"][0].value += 2
    report.applications["granted"][6].value += 2
    report.applications["total_processed"][0].value += 2
    report.applications["total_processed"][6].value += 2
    assert validate(report) == []  # a consistent table; prose still says new only
    new, old = report.t3("new_received"), report.t3("carried_over")
    report.prose = [ProseNumber("received", new + old, f"共收到申请{new + old}件")]
    assert validate(report) == []


def test_received_mismatch_numbers() -> None:
    report, _ = FIRES["TXT-01"]()
    [f] = only(report, "TXT-01")
    assert f.delta == 2 and f.severity == "warning" and f.where == "正文 一、总体情况"


def test_none_received_is_quiet_with_an_empty_table() -> None:
    report = zero_apps(make_report(3))
    report.prose = [ProseNumber("none_received", 0, "全年未收到政府信息公开申请")]
    assert validate(report) == []


def test_prose_counts_with_an_empty_table_is_txt06() -> None:
    report = zero_apps(make_report(3))
    report.prose = [ProseNumber("received", 3, "收到申请3件")]
    got = [(f.code, f.severity) for f in validate(report)]
    assert got == [("TXT-06", "error")]


def test_granted_and_partial_together() -> None:
    report = make_report(3)
    both = report.t3("granted") + report.t3("partial")
    report.prose.append(ProseNumber("granted", both, f"予以公开及部分公开{both}件"))
    assert only(report, "TXT-04") == []


def test_categories_read_from_prose_when_the_reader_gave_none() -> None:
    report = make_report(3)
    g = report.t3("granted")
    report = with_text(report, f"其中予以公开{g}件，不予处理9999件。")
    findings = only(report, "TXT-04")
    assert any("不予处理" in f.message and f.left == 9999 for f in findings)
    assert any("超过办结总数" in f.message for f in findings)


def test_percentages_reproduced_are_quiet() -> None:
    report = make_report(3)
    share = round(100 * report.t3("granted") / report.t3("total_processed"), 1)
    report.prose.append(ProseNumber("percent", share, f"予以公开占{share}%", what="予以公开占"))
    report.prose.append(ProseNumber("percent", 12.3, "申请数量较去年回落12.3%", what="申请数量较去年回落"))
    assert only(report, "TXT-08") == []


def test_litigation_sums_both_blocks() -> None:
    report = make_report(3)
    n = report.t4("litigation_direct") + report.t4("litigation_after_review")
    report.prose.append(ProseNumber("litigation", n, f"行政诉讼{n}件"))
    assert only(report, "TXT-05") == []
    report.prose[-1].value = report.t4("litigation_direct")
    if report.t4("litigation_after_review"):
        assert "直接起诉+复议后起诉" in only(report, "TXT-05")[0].message


def test_section_six_without_fee_words() -> None:
    report, _ = FIRES["TXT-09"]()
    [f] = only(report, "TXT-09")
    assert f.severity == "info" and f.where == "第六部分"


def test_section_six_nothing_without_fees_is_not_txt10() -> None:
    report = make_report(3)
    report.section_text[SECTIONS[5]] = "无"
    assert only(report, "TXT-10") == []


def test_section_five_long_enough() -> None:
    report = make_report(3)
    assert len(report.section_text[SECTIONS[4]]) >= 30
    assert only(report, "TXT-11") == []
    report.section_text[SECTIONS[4]] = "无"
    [f] = only(report, "TXT-11")
    assert f.left == 1


def test_no_appeals_is_not_no_applications() -> None:
    report = make_report(3)
    report.prose.append(ProseNumber("none_received", 0, "未收到因政府信息公开引起的行政复议申请"))
    assert only(report, "TXT-06") == []
