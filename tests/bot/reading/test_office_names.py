"""The office's name from the body's wording when the title lacks it (issue 24 item 6), never the file name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.reading import read_bytes, read_path
from bot.reading.office_names import office_from_body
from tests.bot.reading.conftest import CORPUS

EXCERPTS = CORPUS / "excerpts"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("本报告依据《条例》要求，由保康县农业农村局编制。全文包括总体情况……", "保康县农业农村局"),
        ("本报告由两城镇人民政府党政办公室编制，内容包括……", "两城镇人民政府"),
        ("本报告由南平市人民政府信息公开工作领导小组办公室根据《条例》汇总编制而成。", "南平市人民政府"),
        ("全文包括永安镇人民政府2024年政府信息公开总体情况，主动公开政府信息情况……", "永安镇人民政府"),
        ("现公布区统计局2023年政府信息公开工作年度报告。", "区统计局"),
        ("如对本年度报告有疑问，请与阿巴嘎旗自然资源局办公室联系（电话：0479-2022416）。", "阿巴嘎旗自然资源局"),
        ("索引号: | 113308 | 发布机构: | 市资规局 | 根据《条例》编制本报告。", "市资规局"),
        ("本报告由富阳区鹿山街道办事处根据《条例》编制。", "富阳区鹿山街道办事处"),
        ("青石山街道办事处2021年度政府信息公开工作年度报告如下。", "青石山街道办事处"),
    ],
)
def test_a_stock_sentence_names_the_office(text: str, name: str) -> None:
    assert office_from_body(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "2021年，我县认真贯彻落实新修订的《条例》，在州政府办指导和帮助下……",
        "现将我乡2014年政府信息公开工作报告公开如下。",
        "本报告根据《中华人民共和国政府信息公开条例》要求编制，由总体情况、主动公开政府信息情况组成。",
        "2020年，我街按照全区政府信息公开工作的总体要求，依法推进各领域政府信息公开。",
        "根据国务院办公厅2021年政府信息公开工作要点，我局全面推进。",
    ],
)
def test_a_body_that_names_nobody_gives_no_name(text: str) -> None:
    assert office_from_body(text) == ""


def unnamed_report() -> bytes:
    """The 鹿山 seed without its title and with 「我街道」 for its name: a report that names nobody."""
    lines = (EXAMPLES / "001_4a81d0f783bbd2ce.txt").read_text(encoding="utf-8").split("\n")[4:]
    return "\n".join(lines).replace("鹿山街道", "我街道").replace("新城鹿山", "新城").encode()


def test_a_report_without_a_name_is_not_named_after_its_file() -> None:
    [result] = read_bytes("037.txt", unnamed_report())
    assert result.report is not None
    assert result.report.office.name == ""


@pytest.mark.skipif(not EXCERPTS.exists(), reason="shared corpus not mounted")
def test_corpus_excerpts_are_named_from_their_body_or_left_unnamed() -> None:
    """No excerpt is named after its file; those whose body names the office get that name."""
    rows = list(csv.DictReader((EXCERPTS / "index.csv").open(encoding="utf-8")))
    by_body = {"003.txt": "区统计局", "005.txt": "两城镇人民政府", "023.txt": "阿巴嘎旗自然资源局",
               "031.txt": "保康县农业农村局", "033.txt": "南平市人民政府", "037.txt": "永安镇人民政府",
               "047.txt": "市资规局"}
    unnamed = []
    for row in rows:
        [result] = read_path(EXCERPTS / row["file"])
        name = result.report.office.name
        assert row["file"].split(".")[0] not in name
        if row["file"] in by_body:
            assert name == by_body[row["file"]]
        if not name:
            unnamed.append(row["file"])
    # the rest say only 「我局」「我县」「我乡」「我街」 (or nothing): the sender is asked
    assert sorted(unnamed) == ["001.txt", "013.txt", "029.txt", "043.txt", "051.txt"]
