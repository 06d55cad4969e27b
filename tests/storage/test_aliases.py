"""Office names people type: region prefixes, suffix variants, pinyin."""

from __future__ import annotations

import pytest

from storage.aliases import aliases_for, core_name, guess_kind, normalise, pinyin_of, split_region


@pytest.mark.parametrize(
    ("name", "region", "rest"),
    [
        ("富阳区鹿山街道", "富阳区", "鹿山街道"),
        ("杭州市富阳区新登镇", "杭州市富阳区", "新登镇"),
        ("富阳区鹿山新区街道", "富阳区", "鹿山新区街道"),  # not "富阳区鹿山新区" + "街道"
        ("富阳区市场监督管理局", "富阳区", "市场监督管理局"),
        ("富阳区人民政府", "", "富阳区人民政府"),  # the rest would be only 人民政府
        ("青石山街道办事处", "", "青石山街道办事处"),
    ],
)
def test_split_region(name, region, rest):
    assert split_region(name) == (region, rest)


def test_street_aliases_include_suffix_variants_and_pinyin():
    aliases = aliases_for("富阳区鹿山街道", "鹿山", "街道")
    assert aliases[0] == "富阳区鹿山街道"
    for alias in ("鹿山街道", "鹿山街道办事处", "鹿山办事处", "鹿山街", "鹿山", "lushan", "lu shan"):
        assert alias in aliases
    assert len(aliases) == len(set(aliases))


def test_town_and_government_aliases():
    town = aliases_for("杭州市富阳区新登镇", "", "乡镇")
    assert {"新登镇", "新登", "新登镇人民政府", "xindeng"} <= set(town)
    gov = aliases_for("富阳区人民政府", "", "区县政府")
    assert {"富阳区", "富阳区政府", "富阳", "fuyang"} <= set(gov)
    dept = aliases_for("富阳区市场监督管理局", "", "部门")
    assert "市场监督管理局" in dept and "人民政府" not in dept


def test_core_name_and_kind_guess():
    assert core_name("鹿山街道办事处") == "鹿山"
    assert core_name("富阳区新登镇") == "新登"
    assert core_name("东街道") == ""  # one character is too short to stand alone
    assert guess_kind("五星办事处") == "街道"
    assert guess_kind("大源乡") == "乡镇"
    assert guess_kind("富阳区人民政府") == "区县政府"
    assert guess_kind("富阳区教育局") == "部门"
    assert guess_kind("某某协会") == "其他"


def test_normalise_and_pinyin():
    assert normalise("  ＬＵ   Shan ") == "lu shan"
    assert pinyin_of("鹿山") == ["lushan", "lu shan"]
    assert pinyin_of("lushan") == []
