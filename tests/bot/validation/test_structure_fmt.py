"""Format version and structure rules."""

from __future__ import annotations

from bot.report import Heading
from bot.schema import SECTIONS
from bot.validation import validate
from tests.bot.validation.cases import FIRES, headings, with_text
from tests.support.factories import make_report


def codes(report, **kw) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in validate(report, **kw)]


def test_2021_report_in_2019_format_is_an_error() -> None:
    report = make_report(3, fmt="2019", year=2022)
    got = codes(report)
    assert ("FMT-01", "error") in got and ("FMT-04", "error") in got


def test_2019_fingerprint_in_a_2021_text() -> None:
    report = with_text(make_report(3), "第二十条第（九）项 政府集中采购 采购项目数量 采购总金额", SECTIONS[1])
    f = next(f for f in validate(report) if f.code == "FMT-01")
    assert "采购总金额" in f.message or "第二十条" in f.message


def test_government_procurement_in_prose_is_not_a_fingerprint() -> None:
    report = with_text(make_report(3), "依法公开政府集中采购项目信息12条。")
    assert "FMT-01" not in {c for c, _ in codes(report)}


def test_2020_report_in_2019_format_is_quiet() -> None:
    assert codes(make_report(3, fmt="2019", year=2020)) == []


def test_pre2019_report_for_an_old_year_is_quiet() -> None:
    report = make_report(3, year=2017)
    report.format, report.proactive, report.applications, report.appeals = "pre2019", None, None, None
    report.headings = [Heading("一", "概述", None, 3)]
    assert codes(report) == []


def test_local_variant_reported_once_when_the_reader_already_did() -> None:
    report, _ = FIRES["FMT-05"]()
    from bot.report import Finding

    report.ingest_findings = [Finding("FMT-05", "info", "收费金额表头为地方模板", "表2")]
    assert [c for c, _ in codes(report)].count("FMT-05") == 1


def test_canonical_headings_are_quiet() -> None:
    assert codes(headings(make_report(3))) == []


def test_2019_title_of_section_five_is_accepted() -> None:
    titles = [*SECTIONS[:4], "政府信息公开工作存在的主要问题及改进情况", SECTIONS[5]]
    assert codes(headings(make_report(3), titles=titles)) == []


def test_heading_typo_is_named() -> None:
    titles = [*SECTIONS[:3], "政府信息公开行政法复议、行政诉讼情况", *SECTIONS[4:]]
    f = next(f for f in validate(headings(make_report(3), titles=titles)) if f.code == "STR-03")
    assert "行政法复议" in f.message and "行政复议" in f.message


def test_shifted_numbering_is_str_02() -> None:
    report = headings(make_report(3), "一二三四六七")
    f = next(f for f in validate(report) if f.code == "STR-02")
    assert "应为“五、”" in f.message


def test_missing_section_names_it() -> None:
    report, _ = FIRES["STR-01"]()
    [f] = [f for f in validate(report) if f.code == "STR-01"]
    assert f.severity == "error" and "存在的主要问题及改进情况" in f.message and f.where == "第五部分"


def test_markdown_headings_count_as_sections() -> None:
    report = make_report(3)
    report.sections = [SECTIONS[5]]
    report.section_text = {SECTIONS[5]: report.section_text[SECTIONS[5]]}
    report.text = "\n".join(f"## {n}、{t}\n正文。" for n, t in zip("一二三四五六", SECTIONS, strict=True))
    assert "STR-01" not in {c for c, _ in codes(report)}


def test_table_section_without_table_quotes_the_prose() -> None:
    report, _ = FIRES["STR-04"]()
    f = next(f for f in validate(report) if f.code == "STR-04")
    assert "未收到政府信息公开申请" in f.message and f.where == "表3"


def test_2019_report_does_not_miss_the_2021_rows() -> None:
    report = make_report(3, fmt="2019", year=2020)
    report.missing_rows = []
    assert "STR-05" not in {c for c, _ in codes(report)}


def test_promoted_subtopic() -> None:
    report, _ = FIRES["STR-07"]()
    f = next(f for f in validate(report) if f.code == "STR-07")
    assert "政府信息管理" in f.message


def test_unreadable_table_with_its_header_is_not_str_04() -> None:
    report, _ = FIRES["STR-04"]()
    report.section_text[SECTIONS[2]] = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况"
    assert "STR-04" not in {c for c, _ in codes(report)}


def test_several_missing_sections_are_one_finding() -> None:
    report = make_report(3)
    report.appeals = None
    keep = [SECTIONS[0], SECTIONS[1], SECTIONS[2], SECTIONS[5]]
    report.sections = keep
    report.section_text = {k: v for k, v in report.section_text.items() if k in keep}
    [f] = [f for f in validate(report) if f.code == "STR-01"]
    assert f.severity == "error"
    assert f.left == 2 and "第四部分" in f.message and "第五部分" in f.message and "第六部分" not in f.message


def test_a_file_that_stops_part_way_is_asked_about_not_failed() -> None:
    """An excerpt or a page saved half-loaded ends in section 三: 四–六 are not "missing" (error) but
    "not in the file" (warning), and the row the cut went through is not blank cells or a short row."""
    report = make_report(3)
    report.appeals = None
    keep = SECTIONS[:3]
    report.sections = list(keep)
    report.section_text = {k: v for k, v in report.section_text.items() if k in keep}
    cut = list(report.applications)[:5]  # rows after the fifth were cut off …
    report.applications = {k: report.applications[k] for k in cut}
    for v in report.applications[cut[-1]]:  # … and the fifth came out blank
        v.value, v.raw = None, ""
    findings = validate(report)
    assert not [f for f in findings if f.severity == "error"], findings
    [f] = [f for f in findings if f.code == "STR-01"]
    assert f.severity == "warning" and "第四至六部分" in f.message and "完整报告" in f.message
    assert "STR-05" not in {f.code for f in findings} and "T3-05" not in {f.code for f in findings}


def test_a_section_missing_between_present_ones_is_still_an_error_in_a_cut_file() -> None:
    report = make_report(3)
    report.appeals = None
    keep = [SECTIONS[0], SECTIONS[2]]
    report.proactive = None
    report.sections = keep
    report.section_text = {k: v for k, v in report.section_text.items() if k in keep}
    by_sev = {(f.code, f.severity) for f in validate(report)}
    assert ("STR-01", "error") in by_sev and ("STR-01", "warning") in by_sev
