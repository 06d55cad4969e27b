"""表2 and 表4 rules."""

from __future__ import annotations

from bot.report import ProseNumber, Value
from bot.validation import validate
from tests.bot.validation.cases import FIRES
from tests.support.factories import make_report


def only(report, code, **kw):
    return [f for f in validate(report, **kw) if f.code == code]


def test_fee_in_yuan_is_converted_in_the_message() -> None:
    report, _ = FIRES["T2-03"]()
    [f] = only(report, "T2-03")
    assert "25.1万元" in f.message and f.severity == "error"
    assert not only(report, "T2-02")  # the unit is one problem, not two


def test_fee_with_4_decimals_is_fine() -> None:
    report = make_report(3)
    report.proactive["fees_10k_yuan"] = Value(1.2345, "1.2345")
    assert validate(report) == []


def test_large_whole_fee_for_a_street_office() -> None:
    report = make_report(3)
    report.proactive["fees_10k_yuan"] = Value(25100, "25100")
    [f] = only(report, "T2-04")
    assert "街道" in f.message
    report.office.kind = "区县政府"
    assert only(report, "T2-04") == []


def test_regulations_allowed_for_a_municipal_government() -> None:
    report, _ = FIRES["T2-06"]()
    report.office.kind, report.office.name = "其他", "杭州市人民政府"
    assert only(report, "T2-06") == []


def test_processing_fee_different_from_table_fee_is_quiet() -> None:
    report, _ = FIRES["T2-05"]()
    report.section_text["其他需要报告的事项"] = "本年度共收取信息处理费120元。"
    assert only(report, "T2-05") == []


def test_in_force_cross_year_message() -> None:
    report, kw = FIRES["T2-08"]()
    [f] = only(report, "T2-08", **kw)
    assert "665+本年制发88−本年废止55=698" in f.message and f.right == 700


def test_blank_t2_cells_one_finding() -> None:
    report = make_report(3)
    report.proactive["licensing"] = Value(None, "")
    report.proactive["penalty"] = Value(None, "-")
    [f] = only(report, "T2-01")
    assert f.left == 2 and f.severity == "warning"


def test_t4_block_identity_message() -> None:
    report = make_report(3)
    block = report.appeals["litigation_direct"]
    block["total"].value += 1
    [f] = only(report, "T4-01")
    parts = "+".join(str(block[c].value) for c in ("upheld", "corrected", "other", "pending"))
    assert f.where == "表4 未经复议直接起诉" and parts in f.message and f.delta == -1


def test_t4_blank_is_a_warning_and_not_an_identity_error() -> None:
    report, _ = FIRES["T4-02"]()
    got = [(f.code, f.severity) for f in validate(report)]
    assert got == [("T4-02", "warning")]


def test_t4_negative_is_an_error() -> None:
    report = make_report(3)
    review = report.appeals["review"]
    review["total"].value -= review["other"].value + 1  # keep A4: the total follows the −1
    review["other"] = Value(-1, "-1")
    assert [(f.code, f.severity) for f in validate(report)] == [("T4-02", "error")]


def test_no_loss_claim_quiet_without_corrections() -> None:
    report = make_report(3)
    for block in report.appeals.values():
        block["total"].value -= block["corrected"].value
        block["corrected"].value = 0
    report.prose.append(ProseNumber("all_upheld", 0, "零败诉"))
    assert only(report, "T4-03") == []


def test_appeals_without_applications_quiet_when_last_year_had_some() -> None:
    report, _ = FIRES["T4-04"]()
    assert only(report, "T4-04")
    assert only(report, "T4-04", previous=make_report(9, year=2020)) == []


def test_fee_header_in_yuan() -> None:
    report = make_report(3)
    report.section_text["主动公开政府信息情况"] = "第二十条第（八）项\n信息内容\n本年收费金额（单位：元）\n行政事业性收费\n0"
    [f] = only(report, "T2-03")
    assert "单位：元" in f.message
    report.section_text["主动公开政府信息情况"] = "本年收费金额（单位：万元）"
    assert only(report, "T2-03") == []
