"""Metadata rules: years, periods, document numbers, brackets, unit names, placeholders."""

from __future__ import annotations

import pytest

from bot.validation import validate
from tests.bot.validation.cases import with_text
from tests.support.factories import make_report


def found(extra: str, code: str, *, title: str | None = None, year: int = 2021) -> list:
    report = with_text(make_report(3, year=year), extra)
    if title is not None:
        report.title = title
    return [f for f in validate(report) if f.code == code]


def test_full_year_period_matching_the_title_is_quiet() -> None:
    text = "本报告所列数据统计期限自2021年1月1日起至2021年12月31日止。"
    assert found(text, "META-01") == [] and found(text, "META-02") == []


def test_period_with_spaces_and_full_width_digits_is_read() -> None:
    text = "统计期限为２０２０ 年 1 月 1 日至 2020 年 12 月 31 日。"
    [f] = found(text, "META-01")
    assert f.severity == "error" and f.left == 2021 and f.right == 2020


def test_half_year_period_is_a_warning() -> None:
    [f] = found("本年度统计数据期限为2021年1月1日至2021年6月30日。", "META-02")
    assert f.severity == "warning" and "2021年12月31日" in f.message


def test_body_speaking_only_of_another_year() -> None:
    report = make_report(3, year=2022)
    report.title = "富阳区鹿山街道2022年政府信息公开工作年度报告"
    # the factory's body says 2022 once; a copied body speaks of 2021 throughout
    for key, text in report.section_text.items():
        report.section_text[key] = text.replace("2022年", "2021年")
    report.text = "\n".join(report.section_text.values()) + "\n2021年全年工作。2021年共发布信息。"
    f = next(f for f in validate(report) if f.code == "META-01")
    assert "2021年" in f.message and f.left == 2022


def test_next_years_date_rules() -> None:
    assert found("截至2022年12月31日，共发布信息300条。", "META-03")
    assert found("本报告于2022年1月20日发布。", "META-03") == []  # publication date
    assert found("下一步，计划于2022年6月完成平台改版。", "META-03") == []  # plan
    assert found("截至2021年12月31日，共发布信息300条。", "META-03") == []


@pytest.mark.parametrize(
    "text,fires",
    [
        ("《政府信息公开信息处理费管理办法》（国办函〔2021〕109号）", True),
        ("《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）", False),
        ("按国办公开办函〔2019〕30号要求", True),
        ("《关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）", False),
        ("《关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2021〕30号）", True),
        ("按国办公开办函〔2019〕60号要求编制", True),  # 2021 report citing the 2019 format
        ("《中华人民共和国政府信息公开条例》（国务院令第492号）", True),
        ("《中华人民共和国政府信息公开条例》（国务院令第711号）", False),
        ("《杭州市政府信息公开规定》（市政府令第202号）", False),
        ("区政府令〔2021〕30号", False),
    ],
)
def test_document_numbers(text: str, fires: bool) -> None:
    assert bool(found(text, "META-04")) is fires


def test_60_is_right_for_a_2020_report() -> None:
    report = with_text(make_report(3, fmt="2019", year=2020), "按国办公开办函〔2019〕60号要求编制")
    assert not [f for f in validate(report) if f.code == "META-04"]


def test_bracket_style() -> None:
    [f] = found("依据国办公开办函[2021]30号、国办公开办函[2021]30号", "META-05")
    assert "国办公开办函〔2021〕30号" in f.message and f.severity == "info"
    assert found("依据国办公开办函〔2021〕30号", "META-05") == []
    assert found("见附件(2021)第3号文件", "META-05") == []


def test_unit_name_consistent_is_quiet() -> None:
    assert found("鹿山街道认真做好政务公开。", "META-06") == []


@pytest.mark.parametrize("text", ["XX街道认真贯彻", "20XX年度", "【单位名称】", "××办事处"])
def test_placeholders(text: str) -> None:
    [f] = found(text, "META-07")
    assert f.severity == "error"


@pytest.mark.parametrize("text", ["网址www.xx.gov.cn", "Windows XP系统", "共发布100余篇"])
def test_no_placeholder_false_alarms(text: str) -> None:
    assert found(text, "META-07") == []


def test_unit_name_differs_between_title_and_body() -> None:
    [f] = found("", "META-06", title="富阳区鹿山镇2021年政府信息公开工作年度报告")
    assert "鹿山镇" in f.message and "鹿山街道" in f.message
