"""Cross-year (XY) and deadline (DL) rules."""

from __future__ import annotations

from datetime import date

from bot.validation import validate
from bot.validation.deadline import legal_deadline
from tests.bot.validation.cases import FIRES
from tests.support.factories import make_report


def only(report, code, **kw):
    return [f for f in validate(report, **kw) if f.code == code]


def test_carried_over_total_mismatch_is_an_error() -> None:
    report, kw = FIRES["XY-01"]()
    [f] = only(report, "XY-01", **kw)
    assert f.severity == "error" and f.delta == 1 and "2020年度报告" in f.message


def test_carried_over_mismatch_after_a_merger_is_a_warning() -> None:
    report, kw = FIRES["XY-01"]()
    kw["previous"].office.name = "富阳区鹿山街道（原东洲街道）"
    [f] = only(report, "XY-01", **kw)
    assert f.severity == "warning"


def test_per_column_mismatch_is_a_warning() -> None:
    prev = make_report(1, year=2020)
    total = prev.t3("carried_forward")
    if not total:
        prev.applications["carried_forward"][0].value = 1
        prev.applications["carried_forward"][6].value = 1
        total = 1
    report = make_report(2, carried_over=total)  # all in the 自然人 column
    findings = only(report, "XY-01", previous=prev)
    expected = prev.t3("carried_forward", "natural_person") != total
    assert bool(findings) is expected
    assert all(f.severity == "warning" for f in findings)


def test_no_previous_means_no_cross_year_findings() -> None:
    report, _ = FIRES["XY-01"]()
    assert [f for f in validate(report) if f.code.startswith("XY")] == []


def test_identical_numbers() -> None:
    report, kw = FIRES["XY-02"]()
    assert only(report, "XY-02", **kw)
    assert only(make_report(5), "XY-02", previous=make_report(6, year=2020)) == []


def test_similar_narrative_ignores_changed_numbers() -> None:
    report, kw = FIRES["XY-03"]()
    [f] = only(report, "XY-03", **kw)
    assert f.left >= 90


def test_format_regression_quiet_when_same() -> None:
    assert only(make_report(2), "XY-04", previous=make_report(1, year=2020)) == []


def test_last_years_problem_followed_up() -> None:
    report, kw = FIRES["XY-05"]()
    [f] = only(report, "XY-05", **kw)
    assert "更新不及时" in f.message or "有待提高" in f.message
    report.section_text["存在的主要问题及改进情况"] += "针对上年网站栏目更新不及时的问题，已建立周更新机制。"
    report.text = "\n".join(report.section_text.values())
    findings = only(report, "XY-05", **kw)
    assert all("更新不及时" not in f.message for f in findings)


def test_deadlines() -> None:
    assert legal_deadline(2021, "街道") == date(2022, 1, 31)
    assert legal_deadline(2021, "区县政府") == date(2022, 3, 31)
    assert legal_deadline(2017, "部门") == date(2018, 3, 31)
    report = make_report(3)
    assert only(report, "DL-01", received=date(2022, 1, 31)) == []
    [f] = only(report, "DL-01", received=date(2022, 2, 8))
    assert f.left == 8 and "2022-02-08" in f.message
    assert only(report, "DL-01", received=date(2026, 2, 8)) == []  # an archive upload: DL-03's business


def test_year_check_uses_today_then_received() -> None:
    report = make_report(3, year=2021)
    assert only(report, "DL-03", today=date(2022, 2, 1)) == []
    assert only(report, "DL-03", today=date(2023, 2, 1)) == []
    [late] = only(report, "DL-03", received=date(2025, 2, 1))
    assert "现在应报送的是2024年度报告" in late.message and "2024 report" in late.message_en  # the expected year
    assert only(report, "DL-03") == []  # no date, no judgement
    assert only(report, "DL-03", today=date(2021, 12, 20)) == []  # filed early, in December
    assert only(report, "DL-03", today=date(2021, 11, 20))  # a report on a year not yet over


def test_a_previous_report_of_another_year_is_ignored() -> None:
    report, kw = FIRES["XY-01"]()
    kw["previous"].year = 2018
    assert only(report, "XY-01", **kw) == []


def test_a_city_governments_own_report_has_until_march_and_an_unknown_kind_is_not_judged() -> None:
    """「淮安市人民政府」 has kind 其他 (设区的市 or 县级市 cannot be told from the name) but is a
    government's own report: 3月31日. A 其他 that is not a government: lateness is not judged."""
    city = make_report(3, office="淮安市人民政府", short_name="淮安", kind="其他", year=2021)
    assert "DL-01" not in {f.code for f in validate(city, received=date(2022, 3, 1))}
    assert "DL-01" in {f.code for f in validate(city, received=date(2022, 4, 2))}
    other = make_report(3, office="某某中心站", short_name="某某", kind="其他", year=2021)
    assert "DL-01" not in {f.code for f in validate(other, received=date(2022, 3, 1))}
    dept = make_report(3, office="淮安市统计局", short_name="统计局", kind="部门", year=2021)
    assert "DL-01" in {f.code for f in validate(dept, received=date(2022, 3, 1))}
