"""Cell semantics (blank ≠ 0, units, full-width digits) and the reader's own findings."""

from __future__ import annotations

import pytest

from bot.reading import glued
from bot.reading.cells import parse_value
from tests.bot.reading.conftest import read_one
from tests.support.factories import make_report
from tests.support.render import render_txt


@pytest.mark.parametrize(
    ("raw", "value", "kept"),
    [
        ("", None, ""),
        ("\u00a00 ", 0, "0"),
        ("０", 0, "０"),
        ("１２", 12, "１２"),
        ("零", 0, "零"),
        ("/", None, "/"),
        ("-", None, "-"),
        ("空", None, "空"),
        ("251000元", 251000, "251000元"),
        ("18.8710", 18.871, "18.8710"),
        ("3件", 3, "3件"),
        ("不详", None, "不详"),
    ],
)
def test_parse_value(raw, value, kept):
    v = parse_value(raw, "表3 x")
    assert v.value == value
    assert v.raw == kept
    assert v.where == "表3 x"


def _text(seed: int = 5) -> tuple[str, object]:
    report = make_report(seed)
    return render_txt(report, "rows"), report


def _line_of(text: str, label: str) -> str:
    return next(line for line in text.split("\n") if label in line)


def test_slash_and_fullwidth_cells_in_a_report():
    text, report = _text()
    line = _line_of(text, "（二）部分公开")
    cells = line.split("\t")
    cells[-7] = "/"
    cells[-6] = "零"
    text = text.replace(line, "\t".join(cells))
    got = read_one("x.txt", text.encode())
    assert got.applications["partial"][0].value is None and got.applications["partial"][0].raw == "/"
    assert got.applications["partial"][1].value == 0


def test_row_with_six_numbers_is_ing04():
    text, _ = _text()
    line = _line_of(text, "2.重复申请")
    text = text.replace(line, "\t".join(line.split("\t")[:-1]))
    got = read_one("x.txt", text.encode())
    found = [f for f in got.ingest_findings if f.code == "ING-04"]
    assert found and "重复申请" in found[0].message and "6个" in found[0].message
    assert all(v.value is None for v in got.applications["noproc_repeat"])


def test_t4_with_fourteen_numbers_is_ing07():
    text, _ = _text()
    numbers = text.rstrip("\n").split("\n")
    idx = max(i for i, ln in enumerate(numbers) if ln.count("\t") == 14 and ln.replace("\t", "").isdigit())
    numbers[idx] = "\t".join(numbers[idx].split("\t")[:14])
    got = read_one("x.txt", "\n".join(numbers).encode())
    assert any(f.code == "ING-07" and "14个" in f.message for f in got.ingest_findings)


def test_subtotal_row_is_str06_and_ignored():
    text, report = _text()
    line = _line_of(text, "（四）无法提供")
    text = text.replace(line, "\t不予公开小计\t1\t1\t1\t1\t1\t1\t6\n" + line)
    got = read_one("x.txt", text.encode())
    assert any(f.code == "STR-06" and "不予公开小计" in f.message for f in got.ingest_findings)
    assert "不予公开小计" in got.extra_rows
    assert got.to_json()["applications"] == report.to_json()["applications"]


def test_glued_row_split_by_identities_or_refused():
    text, report = _text(8)
    line = _line_of(text, "（一）予以公开")
    cells = line.split("\t")
    glued_digits = "".join(cells[-7:])
    text = text.replace(line, "\t".join([*cells[:-7], glued_digits]))
    got = read_one("x.txt", text.encode())
    assert [v.value for v in got.applications["granted"]] == [v.value for v in report.applications["granted"]]
    assert any(f.code == "ING-05" for f in got.ingest_findings)


def test_ambiguous_glued_row_stays_blank_with_error():
    candidates = glued.t3_row_candidates(["270020130"])
    assert len(candidates) == 2  # the row identity alone cannot decide …
    chosen = glued.resolve({"granted": candidates}, lambda values: True)
    assert chosen["granted"] is None  # … so without column identities it is not guessed


def test_pathological_digit_run_is_bounded():
    # the search is capped by a node budget (glued.MAX_NODES); these finish instead of exploring 10^11 splits
    assert glued.t4_candidates(["9" * 45]) == []
    assert glued.t3_row_candidates(["1" * 40]) == []
    assert glued.t3_row_candidates(["1" * 60]) == []  # longer than 7 parts × 7 digits: rejected outright
