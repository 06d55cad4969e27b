"""Hostile layouts real offices produce (tests/support/layout_variants.py): read right, or said unread.

Fixtures in tests/fixtures/lo_variants were made by ``python -m tests.support.layout_variants`` (python-docx →
LibreOffice PDF → pdftotext): a 表3 whose 3-digit numbers wrap in narrow columns across a page break, a
表2 with a 「单位」 column whose rows are split by a page break, counts typed 「1,828」, and text made of such
PDFs by ``pdftotext`` (GBK, ``-layout``: a total wrapped onto the next line) and raw ``pdftotext`` (labels and
numbers in separate blocks). The .docx variants are built on the fly (no LibreOffice needed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.reading import read_bytes
from bot.reading.cells import is_value_cell, parse_value
from bot.reading.tables import match_t3
from bot.validation import validate
from tests.support import layout_variants, lo_reports

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lo_variants"
TRUTH = {json.loads(x)["file"]: json.loads(x) for x in (FIXTURES / "truth.jsonl").read_text("utf-8").splitlines()}


def _read(name: str, data: bytes):
    (result,) = read_bytes(name, data)
    assert result.report is not None, result.error
    return result.report


def _wrong(report, truth: dict) -> dict:
    have = {f"{t}/{r}/{c}": v for t, r, c, v in report.cells()}
    return {k: (have[k].value if k in have else "—", want) for k, want in truth["cells"].items()
            if k not in have or have[k].value != want or have[k].doubt}


def _errors(report) -> set[str]:
    return {f.code for f in validate(report) if f.severity == "error"}


@pytest.mark.parametrize("raw,value", [("1,234", 1234), ("１，２３４", 1234), ("2,285件", 2285), ("12,345.5", 12345.5)])
def test_thousands_separators_are_numbers(raw, value):
    assert parse_value(raw).value == value and is_value_cell(raw)


@pytest.mark.parametrize("raw", ["12,34", "1,2", "1,2345"])
def test_commas_that_are_not_thousands_stay_text(raw):
    # two cells run together by a converter must not become one plausible number
    assert parse_value(raw).value is None and not is_value_cell(raw)


def test_qita_variant_names_the_row():
    assert match_t3("2.其它法律行政法规禁止公开") == "deny_law"
    assert match_t3("3.其它") == "other_other"


@pytest.mark.parametrize("variant", ["fullwidth", "units", "thousands", "typos", "t2unit"])
def test_docx_variants_read_cell_exact(variant):
    gen = lo_reports.generate(4, seed=41, layouts=("plain", "vertical"))[1]  # no injected error
    data = layout_variants.build(gen, variant)
    report = _read("variant.docx", data)
    truth = gen.truth()
    assert not _wrong(report, truth)
    assert not _errors(report)


@pytest.mark.parametrize("name", [n for n in TRUTH if n.endswith(".pdf")])
def test_pdf_variants_read_cell_exact(name):
    # tinycols: 「25」 | page break | 「9」 is 259; t2unit: 「规章 0 0 0 个」 and 「行政规范性文件 …」 on the next page
    # stay two rows; thousands: 「1,8」 | page break | 「28」 is 1,828 (with the label on the next page or not)
    truth = TRUTH[name]
    report = _read(name, (FIXTURES / name).read_bytes())
    assert not _wrong(report, truth)
    expected = {e["code"] for e in truth["expected"] if e["severity"] == "error"}
    assert _errors(report) == expected


def test_pdftotext_layout_with_a_wrapped_total_reads_exact():
    # 「… １３ ２８ １７」 and 「２」 alone under it: the total is 172 (the only placement that adds up)
    name = "lo_31_000_plain_fullwidth.pdftotext-layout.txt"
    report = _read(name, (FIXTURES / name).read_bytes())
    assert not _wrong(report, TRUTH[name])
    assert not _errors(report)


def test_raw_pdftotext_never_blames_the_office():
    # labels in one block, numbers in another: what cannot be placed is unread/uncertain, never an error
    name = "lo_31_004_wide_typos.pdftotext.txt"
    report = _read(name, (FIXTURES / name).read_bytes())
    assert not _errors(report)
    doubts = [v for t, _r, _c, v in report.cells() if t == "t3" and v.doubt]
    assert doubts  # the reading says what it could not be sure of
    assert any(f.code in ("ING-08", "ING-09") for f in validate(report))


def test_lone_digits_under_a_row_that_adds_up_are_not_appended():
    # a page number 「3」 under a whole row is no part of it: the row adds up as read
    text = ("某县2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量 1 2 0 0 0 0 3\n3\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n")
    report = _read("t.txt", text.encode())
    assert [v.value for v in report.applications["new_received"]] == [1, 2, 0, 0, 0, 0, 3]


def test_label_without_numbers_in_plain_text_is_unread_not_blank():
    text = ("某县2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\n\n\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n")
    report = _read("t.txt", text.encode())
    row = report.applications["new_received"]
    assert all(v.value is None and v.doubt == "unread" for v in row)
    assert "T3-05" not in {f.code for f in validate(report)}


@pytest.mark.parametrize("name", [n for n in TRUTH if n.endswith(".txt")])
def test_text_of_hostile_pdfs_has_no_false_error(name):
    # -layout text of numbers wrapped digit by digit (tinycols) or with units under them (表4 「0」 over 「件」):
    # what the reader cannot order is uncertain, never a T3/T4 arithmetic error against the office
    truth = TRUTH[name]
    report = _read(name, (FIXTURES / name).read_bytes())
    expected = {e["code"] for e in truth["expected"] if e["severity"] == "error"}
    assert _errors(report) <= expected


def test_t2_rows_of_raw_pdftotext_are_unread_not_blank():
    # 「行政处罚」「行政强制」 alone, their numbers elsewhere; 「规章」 nowhere: never 「空白单元格…应填0」
    name = "lo_31_004_wide_typos.pdftotext.txt"
    report = _read(name, (FIXTURES / name).read_bytes())
    assert report.proactive["penalty"].doubt == "unread"
    assert report.proactive["regulations"]["issued"].doubt == "unread"
    assert "T2-01" not in {f.code for f in validate(report)}
