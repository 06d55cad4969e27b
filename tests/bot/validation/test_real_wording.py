"""Wording real offices use, read end to end (text → bot.reading → validate), that used to give false
error-level findings or hid real ones (issue 18).

Each class is tried with several sentences written the way 街道/乡镇/部门 reports phrase them, not one.
The tables come from tests.support.factories (consistent by construction) so the only thing under test is
the wording around them.
"""

from __future__ import annotations

import pytest

from bot.reading import read_bytes
from bot.report import Report, Value
from bot.schema import T3_COLUMNS
from bot.validation import validate
from tests.support.factories import make_report
from tests.support.render import render_txt

COL = {c: i for i, c in enumerate(T3_COLUMNS)}
#: A section 一 that agrees with simple_report()'s tables.
ONE = "2021年，鹿山街道认真贯彻落实《中华人民共和国政府信息公开条例》。全年收到政府信息公开申请2件，均已办结。"


def simple_report(natural: int = 2, legal: int = 0, outcome: str = "granted", year: int = 2021, **kw) -> Report:
    """A report whose 表3 holds ``natural`` applications from 自然人 and ``legal`` from 商业企业, all
    answered with ``outcome`` (a 表3 row key); every other cell 0."""
    rep = make_report(3, year=year, **kw)
    for values in rep.applications.values():
        for v in values:
            v.value, v.raw = 0, "0"
    for row in ("new_received", outcome, "total_processed"):
        cells = rep.applications[row]
        cells[COL["natural_person"]] = Value(natural, str(natural))
        cells[COL["commercial"]] = Value(legal, str(legal))
        cells[COL["total"]] = Value(natural + legal, str(natural + legal))
    return rep


def read_back(rep: Report, section_one: str, **replace: str) -> Report:
    """Render ``rep`` as a text file whose section 一 is ``section_one`` (and other replacements), and
    read it back as the bot would."""
    text = render_txt(rep, "rows")
    first = rep.section_text["总体情况"]
    text = text.replace(first, section_one)
    for old, new in replace.items():
        text = text.replace(old, new)
    [result] = read_bytes("报告.txt", text.encode("utf-8"))
    assert result.error is None, result.error
    return result.report


def codes(report: Report, severity: str | None = None) -> set[str]:
    return {f.code for f in validate(report) if severity is None or f.severity == severity}


# -- negation and subject: 「收到公民申请2件；未收到法人或其他组织申请」 is not "no applications" -----------

@pytest.mark.parametrize("sentence", [
    "2021年，收到公民申请2件；未收到法人或其他组织申请。",
    "本年度共收到自然人提出的政府信息公开申请2件，未收到法人或者其他组织提出的申请。",
    "全年受理群众申请2件，本年度未收到企业申请。",
    "2021年未收到法人和其他组织的政府信息公开申请，收到公民个人申请2件，均已按期答复。",
    "依申请公开方面，未接到法人或其他组织申请；收到自然人申请2件，已全部办结。",
])
def test_negating_one_applicant_kind_is_not_no_applications(sentence: str) -> None:
    report = read_back(simple_report(natural=2, legal=0), sentence)
    found = codes(report)
    assert not found & {"TXT-06", "TXT-01", "T3-07"}, [f.message for f in validate(report)]


@pytest.mark.parametrize("sentence", [
    "2021年，收到公民申请2件；未收到法人或其他组织申请。",
    "本年度未收到法人或其他组织提出的政府信息公开申请，收到自然人申请2件。",
])
def test_negating_a_kind_the_table_has_is_still_an_error(sentence: str) -> None:
    """The subject-aware reading still catches the contradiction on the columns it names."""
    report = read_back(simple_report(natural=1, legal=1), sentence)
    findings = [f for f in validate(report) if f.code == "TXT-06"]
    assert findings and findings[0].severity == "error"
    assert "法人或其他组织" in findings[0].message and "1件" in findings[0].message


@pytest.mark.parametrize("sentence", [
    "本年度共收到自然人申请3件。",
    "全年受理公民提出的政府信息公开申请3件，均已办结。",
])
def test_a_subject_number_is_compared_with_its_own_column(sentence: str) -> None:
    """自然人 2 + 企业 1 = 3 in total: 「自然人申请3件」 is wrong for the 自然人 column (TXT-01)."""
    report = read_back(simple_report(natural=2, legal=1), sentence)
    [f] = [f for f in validate(report) if f.code == "TXT-01"]
    assert "自然人" in f.message and f.left == 3 and f.right == 2


@pytest.mark.parametrize("sentence", [
    "2020年，我街道收到政府信息公开申请5件；2021年收到申请2件，均已答复。",
    "本年度受理公民、法人和其他组织向区政府及区政府办公室提出的政府信息公开申请9件，我街道协助办理。收到申请2件。",
    "上年度共收到申请7件。本年度收到政府信息公开申请2件。",
])
def test_another_years_or_another_offices_number_is_not_compared(sentence: str) -> None:
    report = read_back(simple_report(natural=2, legal=0), sentence)
    assert not codes(report) & {"TXT-01", "TXT-06"}, [f.message for f in validate(report)]


@pytest.mark.parametrize("sentence", [
    "本年度未收到政府信息公开申请。",
    "2021年，我街道没有收到政府信息公开申请。",
    "全年无依申请公开情况。",
])
def test_no_applications_at_all_against_a_table_with_two_is_an_error(sentence: str) -> None:
    report = read_back(simple_report(natural=2, legal=0), sentence)
    [f] = [f for f in validate(report) if f.code == "TXT-06"]
    assert f.severity == "error" and "2件" in f.message


# -- sections by position and content ---------------------------------------------------------------

@pytest.mark.parametrize(("old", "new"), [
    ("一、总体情况", "一、政府信息主动公开工作"),
    ("一、总体情况", "一、工作基本情况"),
    ("一、总体情况", "一、政府信息公开工作概况"),
    ("六、其他需要报告的事项", "六、其他应说明事项"),
    ("六、其他需要报告的事项", "六、其他情况说明"),
    ("五、存在的主要问题及改进情况", "五、工作中的不足和下一步打算"),
    ("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开被申请复议、起诉的情况"),
])
def test_a_non_standard_title_is_str_03_not_a_missing_section(old: str, new: str) -> None:
    rep = simple_report()
    report = read_back(rep, ONE, **{old: new})
    found = {(f.code, f.severity) for f in validate(report)}
    assert not [c for c, s in found if s == "error"] and "STR-02" not in {c for c, _ in found}, found
    assert found == {("STR-03", "info")}


def test_two_non_standard_titles_at_once() -> None:
    rep = simple_report()
    report = read_back(rep, ONE, **{
        "一、总体情况": "一、政府信息主动公开工作", "六、其他需要报告的事项": "六、其他应说明事项"})
    assert not codes(report, "error") and "STR-02" not in codes(report)


def test_a_section_really_missing_is_still_str_01() -> None:
    rep = simple_report()
    report = read_back(rep, rep.section_text["总体情况"], **{
        "五、存在的主要问题及改进情况\n": "", rep.section_text["存在的主要问题及改进情况"] + "\n": ""})
    [f] = [f for f in validate(report) if f.code == "STR-01"]
    assert f.severity == "error" and "第五部分" in f.message


# -- page furniture of a saved web page --------------------------------------------------------------

TOP = "首页 > 政务公开 > 年报\n索引号：001/2022-0003　发布日期：2022-01-20\n"
BOTTOM_LINES = [
    "附件：\n1.鹿山街道2021年政府信息公开工作年度报告（富政办发[2022]3号）.docx",
    "附件下载：关于印发年度报告的通知（鹿街(2022)12号）.pdf",
    "相关附件：富政办函【2022】5号.wps（35KB）\n【打印本页】【关闭窗口】",
    "【打印本页】【关闭窗口】\n主办单位：杭州市富阳区人民政府办公室\n浙ICP备05056370号",
]


@pytest.mark.parametrize("bottom", BOTTOM_LINES)
def test_a_wen_hao_in_an_attachment_name_is_not_the_reports(bottom: str) -> None:
    rep = simple_report()
    text = TOP + render_txt(rep, "rows") + bottom + "\n"
    [result] = read_bytes("鹿山.txt", text.encode())
    report = result.report
    assert "META-05" not in codes(report)
    assert "附件" not in report.body and "ICP" not in report.body
    assert "附件" not in report.section_text["其他需要报告的事项"]


def test_a_wen_hao_with_wrong_brackets_in_the_body_is_still_found() -> None:
    rep = simple_report()
    six = rep.section_text["其他需要报告的事项"]
    report = read_back(rep, rep.section_text["总体情况"], **{six: six + "依据富政办发[2021]8号文件执行。"})
    assert "META-05" in codes(report)


def test_footer_words_are_not_prose_numbers() -> None:
    rep = simple_report()
    text = render_txt(rep, "rows") + "附件：\n收到申请99件统计表.xlsx\n"
    [result] = read_bytes("鹿山.txt", text.encode())
    assert all(p.value != 99 for p in result.report.prose)


# -- every rule holds for the formats it declares ---------------------------------------------------

def test_every_rule_declares_its_formats() -> None:
    from bot.validation import RULES
    from bot.validation.versions import ALL

    for r in RULES:
        assert r.formats and r.formats <= ALL, r.code


@pytest.mark.parametrize("year", [2019, 2020])
def test_txt_09_is_not_asked_of_a_2019_format_report(year: int) -> None:
    rep = make_report(3, year=year, fmt="2019")
    rep.section_text["其他需要报告的事项"] = "无其他需要报告的事项。"
    assert "TXT-09" not in codes(rep)
    rep21 = make_report(3, year=2021)
    rep21.section_text["其他需要报告的事项"] = "无其他需要报告的事项。"
    assert "TXT-09" in codes(rep21)


def test_a_2022_report_in_the_2019_format_is_judged_by_what_2022_required() -> None:
    rep = make_report(3, year=2022, fmt="2019")
    rep.section_text["其他需要报告的事项"] = "无其他需要报告的事项。"
    assert {"FMT-01", "TXT-09"} <= codes(rep)


def test_an_unknown_office_kind_does_not_get_t2_06() -> None:
    """「淮安市人民政府」: a 设区的市 has 规章制定权; the name alone does not say 设区的市 or 县级市."""
    rep = simple_report(office="淮安市人民政府", short_name="淮安", kind="其他")
    text = render_txt(rep, "rows").replace("规章\t0\t0\t0", "规章\t2\t0\t15")
    [result] = read_bytes("淮安.txt", text.encode())
    report = result.report
    assert report.office.kind == "其他" and report.t2("regulations", "issued") == 2
    assert "T2-06" not in codes(report)
    street = simple_report()
    text = render_txt(street, "rows").replace("规章\t0\t0\t0", "规章\t2\t0\t15")
    [result] = read_bytes("鹿山.txt", text.encode())
    assert "T2-06" in codes(result.report)


# -- outcome wording (TXT-04, in words) ------------------------------------------------------------

def outcome_findings(report: Report) -> list:
    """TXT-04 findings about an outcome stated in words (not a category count)."""
    return [f for f in validate(report) if f.code == "TXT-04" and ("办理结果应归入" in f.message or "件中“" in f.message)]


@pytest.mark.parametrize("sentence", [
    "本年度收到政府信息公开申请2件，经审查均已同意公开，并按时答复申请人。",
    "全年共受理依申请公开2件，均已按规定及时予以公开。",
    "收到公民申请2件，已依法予以公开。",
    "对收到的2件申请，我街道均作出同意公开的答复。",
])
def test_prose_granted_but_table_counts_not_held(sentence: str) -> None:
    """「均已同意公开」 while 表3 counts the two under 本机关不掌握 (a real report seen in issue 18)."""
    report = read_back(simple_report(natural=2, outcome="unable_not_held"), sentence)
    [f] = outcome_findings(report)
    assert f.severity == "warning" and "予以公开" in f.message and "本机关不掌握" in f.message


@pytest.mark.parametrize("sentence", [
    "本年度收到政府信息公开申请2件，经审查均已同意公开，并按时答复申请人。",
    "全年共受理依申请公开2件，均已按规定及时予以公开。",
])
def test_prose_granted_and_table_granted_is_quiet(sentence: str) -> None:
    report = read_back(simple_report(natural=2, outcome="granted"), sentence)
    assert not outcome_findings(report)


@pytest.mark.parametrize("sentence", [
    "对依申请公开事项，能公开的予以公开，不能公开的说明理由。",
    "严格规范依申请公开办理流程，对于可以公开的信息一律予以公开。",
    "本年度收到申请2件，均已按期答复。",
    "对涉及群众切身利益的申请事项，主动予以公开。本年度收到申请2件。",
])
def test_policy_wording_is_not_an_outcome(sentence: str) -> None:
    report = read_back(simple_report(natural=2, outcome="unable_not_held"), sentence)
    assert not outcome_findings(report)


@pytest.mark.parametrize("sentence", [
    "属于本机关不掌握的，已告知申请人向有关机关申请。收到申请2件，均已答复。",
    "对申请公开的信息不属于本机关掌握范围的，依法告知申请人。收到申请2件。",
])
def test_a_rule_of_practice_is_not_an_outcome(sentence: str) -> None:
    report = read_back(simple_report(natural=2, outcome="granted"), sentence)
    assert not outcome_findings(report)


def test_prose_says_not_held_while_table_says_granted() -> None:
    report = read_back(simple_report(natural=1, outcome="granted"),
                       "收到申请1件，经核查该信息本机关不掌握，已告知申请人。")
    [f] = outcome_findings(report)
    assert "无法提供" in f.message and "予以公开" in f.message


# -- years in sections 五/六 (META-01, as a warning) -------------------------------------------------------------

@pytest.mark.parametrize("five", [
    "2024年，我局政府信息公开工作虽取得一定成效，但仍存在公开内容不够全面、政策解读形式单一等问题。下一步将加强培训。",
    "一是2024年度主动公开信息数量偏少；二是2023年部分栏目更新不及时。针对上述问题，将完善机制，加强审核。",
])
def test_section_five_reviewing_only_last_year_is_flagged(five: str) -> None:
    rep = simple_report(year=2025)
    report = read_back(rep, rep.section_text["总体情况"].replace("2021", "2025"),
                       **{rep.section_text["存在的主要问题及改进情况"]: five})
    [f] = [f for f in validate(report) if f.code == "META-01"]
    assert f.severity == "warning" and "2024年" in f.message and "2025年" in f.message and f.where == "第五部分"


@pytest.mark.parametrize("five", [
    "2025年，我局政府信息公开工作仍存在公开内容不够全面等问题。2026年将加强培训，丰富解读形式。",
    "对照2024年度报告提出的问题，本年度已逐项整改。仍存在栏目更新不及时的问题，下一步将加强审核。",
    "存在的问题：政策解读形式单一。改进措施：严格落实《2024年政务公开工作要点》，加强培训。",
    "2026年，我局将继续深化政务公开，提升公开质量。",
])
def test_section_five_about_this_year_or_the_next_is_quiet(five: str) -> None:
    rep = simple_report(year=2025)
    report = read_back(rep, rep.section_text["总体情况"].replace("2021", "2025"),
                       **{rep.section_text["存在的主要问题及改进情况"]: five})
    assert "META-01" not in codes(report)


def test_findings_use_only_codes_of_the_catalogue() -> None:
    """CONTRACT.md: a finding's code is one of RULES.md §6 — new checks live under the code they refine."""
    from bot.validation import RULES
    from bot.validation.versions import RULE_FORMATS

    assert {r.code for r in RULES} == set(RULE_FORMATS)
    assert not {r.code for r in RULES} & {"TXT-12", "META-08"}


@pytest.mark.parametrize("sentence", [
    "2020年，我街道行政复议3件。2021年未发生行政复议和行政诉讼。收到申请2件。",
    "上年度予以公开5件。本年度收到政府信息公开申请2件，均已办结。",
    "2020年制发规范性文件12件。本年度收到政府信息公开申请2件。",
])
def test_kin_rules_skip_another_years_numbers(sentence: str) -> None:
    rep = simple_report(natural=2)
    for block in rep.appeals.values():
        for v in block.values():
            v.value, v.raw = 0, "0"
    report = read_back(rep, sentence)
    assert not codes(report) & {"TXT-04", "TXT-05", "TXT-07"}, [f.message for f in validate(report)]


def test_a_saved_html_page_is_judged_on_its_body_only() -> None:
    """The report inside a site's page (nav, metadata, attachment list, footer) as an .html file."""
    from tests.bot.validation.precision import saved_page_html
    from tests.support.render import render_html

    rep = simple_report()
    inner = render_html(rep).decode()
    inner = inner[inner.index("<body>") + 6 : inner.index("</body>")]
    page = saved_page_html(inner, rep.office.name)
    [result] = read_bytes("鹿山街道2021年报.html", page.encode())
    report = result.report
    assert report.applications is not None and report.t3("new_received") == 2
    assert "META-05" not in codes(report) and "ICP" not in report.body and "政办发" not in report.body
    assert codes(report, "error") == set()


@pytest.mark.parametrize("sentence", [
    "本年度未收到政府信息公开申请。收到行政复议申请1件，已审结。",
    "全年未收到政府信息公开申请，收到信访举报投诉申请3件，已转相关部门办理。",
])
def test_an_appeal_or_complaint_is_not_an_information_request(sentence: str) -> None:
    report = read_back(simple_report(natural=0, legal=0), sentence)
    assert not codes(report) & {"TXT-06", "TXT-01"}, [f.message for f in validate(report)]


@pytest.mark.parametrize("sentence", [
    "2021年，收到申请2件。申请人王××申请公开征收补偿信息，已予以答复。",
    "收到申请2件。其中李XX申请公开某项目审批材料，已按期答复。",
])
def test_a_masked_name_is_not_a_template_placeholder(sentence: str) -> None:
    report = read_back(simple_report(natural=2), sentence)
    assert "META-07" not in codes(report)


@pytest.mark.parametrize("sentence", [
    "20XX年，XX街道认真贯彻落实条例。收到申请2件。",
    "××街道办事处高度重视政府信息公开工作。收到申请2件。",
])
def test_a_template_placeholder_is_still_an_error(sentence: str) -> None:
    report = read_back(simple_report(natural=2), sentence)
    assert "META-07" in codes(report, "error")


def test_sections_numbered_di_x_bu_fen() -> None:
    """「第一部分 总体情况」 … 「第六部分：其他需要报告的事项」 are the six sections."""
    rep = simple_report()
    names = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
             "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
    replace = {f"{n}、{t}\n": f"第{n}部分{sep}{t}\n" for n, t, sep in zip("一二三四五六", names, [" ", "：", " ", "、", " ", "："], strict=True)}
    report = read_back(rep, ONE, **replace)
    assert set(report.sections) == set(names)
    assert not codes(report, "error") and "STR-01" not in codes(report)


def test_section_titles_without_numerals() -> None:
    """A report whose headings are the bare titles (「总体情况」 on its own line) has all six sections."""
    rep = simple_report()
    replace = {f"{n}、{t}\n": f"{t}\n" for n, t in zip("一二三四五六", [
        "总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"], strict=True)}
    report = read_back(rep, ONE, **replace)
    assert len(report.sections) == 6 and not codes(report, "error")


def test_agree_to_disclose_in_prose_is_not_the_old_format() -> None:
    """「同意公开」 in a 2022 report's prose, tables not read: not FMT-03 (pre-2019 layout)."""
    rep = simple_report(year=2022)
    rep.proactive = None
    rep.format = "unknown"
    rep.section_text["总体情况"] = "2022年收到申请2件，经审查均已同意公开。"
    rep.text = "\n".join(rep.section_text.values())
    assert "FMT-03" not in codes(rep)


@pytest.mark.parametrize("sentence", [
    "本年度收到政府信息公开申请2件，未收到需要延期答复的申请。",
    "收到申请2件，均在法定期限内答复，未收到要求减免信息处理费的申请。",
    "全年收到申请2件，未收到以书面形式提交的政府信息公开申请。",
])
def test_a_narrowed_negation_is_not_no_applications(sentence: str) -> None:
    report = read_back(simple_report(natural=2), sentence)
    assert "TXT-06" not in codes(report), [f.message for f in validate(report)]


@pytest.mark.parametrize("sentence", [
    "本年度共收到各类政府信息公开申请2件，其中通过网上申请平台收到申请1件。",
    "全年受理政府信息公开申请2件，收到需要延期答复的申请1件。",
])
def test_a_narrowed_count_is_not_compared_with_the_total(sentence: str) -> None:
    report = read_back(simple_report(natural=2), sentence)
    assert "TXT-01" not in codes(report), [f.message for f in validate(report)]


@pytest.mark.parametrize("office", ["淮安市人民政府办公室", "江苏省人民政府办公厅", "淮安市政府办公室"])
def test_a_city_or_province_government_office_is_not_asked_for_zero_regulations(office: str) -> None:
    """The 办公室/办公厅 publishes the government's report, 规章 included (设区的市 and 省 have 规章制定权)."""
    rep = simple_report(office=office, short_name="政府办", kind="部门")
    rep.proactive["regulations"]["issued"] = Value(2, "2")
    assert "T2-06" not in codes(rep)
