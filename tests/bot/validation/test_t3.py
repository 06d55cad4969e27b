"""表3 rules in detail: blanks are not zeros, one summarising blank finding, the numbers in messages."""

from __future__ import annotations

from bot.report import Value
from bot.schema import T3_COLUMNS
from bot.validation import validate
from tests.bot.validation.cases import bump, forward_more
from tests.support.factories import make_report

COL = {c: i for i, c in enumerate(T3_COLUMNS)}


def codes(findings):
    return [(f.code, f.severity) for f in findings]


def test_blank_cell_is_a_warning_and_not_an_arithmetic_error() -> None:
    report = make_report(2)
    report.applications["deny_law"][COL["commercial"]] = Value(None, "")
    findings = validate(report)
    assert codes(findings) == [("T3-05", "warning")]
    assert "为空白，无数据请填0" in findings[0].message and findings[0].left == 1
    assert findings[0].where == "表3 “不予公开·其他法律行政法规禁止公开·商业企业”"


def test_blank_total_column_is_an_error() -> None:
    report = make_report(2)
    report.applications["granted"][COL["total"]] = Value(None, "")
    assert codes(validate(report)) == [("T3-05", "error")]


def test_many_blanks_give_one_finding_with_the_count() -> None:
    report = make_report(5)
    for row in ("granted", "partial", "deny_state_secret", "deny_law", "deny_3s1w", "deny_third_party"):
        report.applications[row] = [Value(None, "") for _ in T3_COLUMNS]
    findings = validate(report)
    assert codes(findings) == [("T3-05", "error")]
    assert findings[0].left == 42
    assert "42个空白单元格" in findings[0].message and "涉及6行" in findings[0].message


def test_a_slash_counts_as_blank_and_text_as_bad() -> None:
    report = make_report(2)
    report.applications["deny_law"][COL["commercial"]] = Value(None, "/")
    report.applications["deny_law"][COL["research"]] = Value(None, "若干")
    got = codes(validate(report))
    assert ("T3-05", "warning") in got and ("T3-04", "error") in got


def test_a1_message_carries_the_numbers() -> None:
    report = make_report(4)
    bump(report, "carried_forward", "other")
    bump(report, "carried_forward", "total")
    f = next(f for f in validate(report) if f.code == "T3-01" and "总计" in f.where)
    new, old = report.t3("new_received"), report.t3("carried_over")
    done, fwd = report.t3("total_processed"), report.t3("carried_forward")
    assert f.left == new + old and f.right == done + fwd and f.delta == -1
    assert f"本年新收{new}+上年结转{old}" in f.message


def test_a2_uses_23_rows_for_the_2019_format() -> None:
    report = make_report(6, fmt="2019", year=2020)
    assert "other_no_correction" not in report.applications
    assert validate(report) == []
    bump(report, "other_other", "natural_person")
    bump(report, "other_other", "total")
    wheres = {f.where for f in validate(report) if f.code == "T3-02"}
    assert wheres == {"表3 “自然人”列", "表3 “总计”列"}


def test_negative_count_is_t3_04() -> None:
    report = make_report(1)
    report.applications["noproc_mass"][COL["other"]] = Value(-1, "-1")
    f = next(f for f in validate(report) if f.code == "T3-04")
    assert f.where == "表3 “不予处理·无正当理由大量反复申请·其他”" and "-1" in f.message


def test_carry_forward_share_quiet_below_30_percent() -> None:
    report = make_report(3)
    forward_more(report, 0)
    accepted = report.t3("new_received") + report.t3("carried_over")
    assert report.t3("carried_forward") / accepted <= 0.3
    assert not [f for f in validate(report) if f.code == "T3-08"]


def test_all_processed_claim_quiet_when_nothing_carried() -> None:
    from bot.report import ProseNumber

    report = make_report(3)
    report.applications["carried_forward"] = [Value(0, "0") for _ in T3_COLUMNS]
    # keep A1: move forward counts into processed via the granted row
    fresh = make_report(3)
    for i in range(7):
        n = fresh.applications["carried_forward"][i].value
        for row in ("granted", "total_processed"):
            report.applications[row][i].value += n
    report.prose = [ProseNumber("all_processed", 0, "全部办结")]
    assert validate(report) == []


def test_misplaced_label_quiet_in_the_standard_order() -> None:
    report = make_report(3)
    report.section_text["收到和处理政府信息公开申请情况"] = (
        "（三）不予公开\n1.属于国家秘密\n（四）无法提供\n（五）不予处理\n1.信访举报投诉类申请"
    )
    assert validate(report) == []


def test_applicant_kind_quiet_when_persons_are_counted() -> None:
    report = make_report(3)
    assert report.t3("new_received", "natural_person") > 0
    report.section_text["总体情况"] += "群众申请公开信息若干件。"
    assert not [f for f in validate(report) if f.code == "T3-07"]
