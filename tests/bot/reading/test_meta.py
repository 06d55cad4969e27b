"""Office names: the short name people type, and the kind, from the names real reports carry."""

from __future__ import annotations

import pytest

from bot.reading.meta import office_kind, short_name


@pytest.mark.parametrize(("name", "short"), [
    ("富阳区鹿山街道", "鹿山"),
    ("道外区水泥路街道办事处", "水泥路"),
    ("铁岭市银州区红旗街", "红旗"),
    ("富阳区新登镇", "新登"),
    ("丰收乡人民政府", "丰收"),
    ("平潭综合实验区", "平潭"),
    ("上海市人民政府办公厅", "上海市政府办公厅"),  # not 人民政府办公厅: every city has one
    ("富阳区人民政府办公室", "富阳区政府办公室"),
    ("阿巴嘎旗自然资源局", "自然资源局"),  # a department, within its own district's chat
])
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short


@pytest.mark.parametrize(("name", "kind"), [
    ("富阳区鹿山街道", "街道"), ("丰收乡人民政府", "乡镇"), ("平潭综合实验区", "区县政府"),
    ("上海市人民政府办公厅", "部门"), ("武汉市公安局", "部门"),
    # a 设区的市 or 省 government is not a 区县政府; a 市 name alone cannot say 设区的市 or 县级市: unknown
    ("淮安市人民政府", "其他"), ("义乌市人民政府", "其他"), ("江苏省人民政府", "其他"), ("广西壮族自治区人民政府", "其他"),
    ("淮安市", "其他"), ("沭阳县人民政府", "区县政府"), ("淮安市清江浦区人民政府", "区县政府"),
    ("凉山彝族自治州人民政府", "其他"), ("郁南县", "区县政府"),
])
def test_office_kind(name: str, kind: str) -> None:
    assert office_kind(name) == kind


def test_title_broken_inside_baogao_by_a_pdf_line_is_joined():
    from bot.reading.doc import Row
    from bot.reading.meta import find_title

    rows = [Row(1, ["杭州市富阳区东塘街道办事处 2025 年政府信息公开工作年度报"]), Row(2, ["告"]), Row(3, ["一、总体情况"])]
    title, body = find_title(rows)
    assert title == "杭州市富阳区东塘街道办事处 2025 年政府信息公开工作年度报告" and body == 2
