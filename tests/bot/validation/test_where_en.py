"""``validate --lang en`` prints locations in English (they were Chinese: 表3 “予以公开·总计”, 第四部分…)."""

from __future__ import annotations

import re

import pytest

from bot.cli import main
from bot.validation.where_en import where_en
from tests.handlers.conftest import seed_files

CJK = re.compile(r"[\u4e00-\u9fff]")
FINDING = re.compile(r"^  \[(?:error|warning|info)\] (?P<code>[A-Z0-9]+-\d+)(?P<where> [^:]*)?: ")


def test_validate_in_english_prints_english_locations(capsys):
    main(["validate", "--lang", "en", *map(str, seed_files())])
    out = capsys.readouterr().out
    locations = [m["where"].strip() for line in out.splitlines() if (m := FINDING.match(line)) and m["where"]]
    assert len(locations) >= 8
    assert not [w for w in locations if CJK.search(w)], locations
    assert "Table 3 “granted in full · total”" in locations and "section 6" in locations


@pytest.mark.parametrize(("zh", "en"), [
    ("表3 “予以公开·总计”", "Table 3 “granted in full · total”"),
    ("表3 本年新收·自然人 (第12行)", "Table 3 new applications received · natural persons (line 12)"),
    ("“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”行", "“granted in part” row"),
    ("表4 未经复议直接起诉·尚未审结", "Table 4 lawsuits filed directly · pending"),
    ("第四部分", "section 4"),
    ("第391行", "line 391"),
    ("表2 第二十条第（八）项", "Table 2 Art. 20(8)"),
    ("标题", "title"),
    ("", ""),
])
def test_locations_translate_from_the_table_labels(zh, en):
    assert where_en(zh) == en


def test_the_findings_list_in_the_chat_is_english_too():
    from bot.report import Finding
    from handlers.files import findings_text

    text = findings_text([Finding("T3-05", "error", "表3有空白", "表3 “予以公开·总计”", message_en="Blank cells")], "en")
    assert text.endswith("Blank cells (Table 3 “granted in full · total”)")
    assert "（表3 “予以公开·总计”）" in findings_text([Finding("T3-05", "error", "表3有空白", "表3 “予以公开·总计”")])
