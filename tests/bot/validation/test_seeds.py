"""The five real seed reports and the full real reports of the corpus, read by bot.reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.report import Report
from bot.validation import validate
from tests.bot.validation.test_mutations import t3_mutation_misses, t4_mutation_misses
from tests.support.paths import CORPUS as _CORPUS

reading = pytest.importorskip("bot.reading")

ROOT = Path(__file__).resolve().parents[3]
SEEDS = {p.name[:3]: p for p in sorted((ROOT / "examples").glob("0*.txt"))}
CORPUS = _CORPUS / "full"


def read(path: Path) -> Report:
    results = reading.read_path(path)
    assert len(results) == 1 and results[0].error is None, results
    return results[0].report


def seed(key: str) -> Report:
    if key not in SEEDS:
        pytest.skip(f"seed {key} not in examples/")
    return read(SEEDS[key])


def codes(report: Report, severity: str | None = None) -> set[str]:
    return {f.code for f in validate(report) if severity is None or f.severity == severity}


def test_seed_000_is_flagged_for_its_blank_rows() -> None:
    report = seed("000")
    findings = validate(report)
    blanks = [f for f in findings if f.code == "T3-05"]
    assert len(blanks) == 1 and blanks[0].severity == "error"
    assert blanks[0].left == 42
    assert report.verdict == "有错误"


@pytest.mark.parametrize("key", ["001", "002", "003", "004"])
def test_good_seeds_have_no_errors(key: str) -> None:
    report = seed(key)
    errors = [(f.code, f.message) for f in validate(report) if f.severity == "error"]
    assert errors == []


def test_seed_002_wrong_document_number() -> None:
    findings = [f for f in validate(seed("002")) if f.code == "META-04"]
    assert any("国办函〔2021〕109号" in f.message and "国办函〔2020〕109号" in f.message for f in findings)
    assert "META-05" in codes(seed("002"))  # 国办公开办函[2021]30号 with ASCII brackets


@pytest.mark.parametrize("key,numerals", [("001", "“5、”“6、”"), ("003", "“1、”")])
def test_arabic_section_numbers(key: str, numerals: str) -> None:
    f = next(f for f in validate(seed(key)) if f.code == "STR-02")
    assert f.severity == "warning" and numerals in f.message


def test_seed_004_unit_name() -> None:
    f = next(f for f in validate(seed("004")) if f.code == "META-06")
    assert "红旗街" in f.message and "红旗街道" in f.message


@pytest.mark.parametrize("key", ["001", "002", "003", "004"])
def test_every_cell_change_in_a_seed_is_an_error_at_the_right_place(key: str) -> None:
    report = seed(key)
    assert t3_mutation_misses(report) == []
    assert t4_mutation_misses(report) == []


def corpus(name: str) -> Report:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} missing")
    return read(path)


def test_shanghai_2019_prose_contradicts_table() -> None:
    """Shanghai 2019: 「予以公开及部分公开258件」 vs 275 in the table; 「无法提供265件」 vs 337."""
    report = corpus("008.html")
    txt = [f for f in validate(report) if f.code == "TXT-04"]
    assert {f.right for f in txt} >= {275, 337}
    assert any(f.code == "T3-05" and f.severity == "error" for f in report.findings)


@pytest.mark.parametrize("name", ["013.txt", "015.txt"])
def test_pre2019_reports_are_checked_only_for_what_they_have(name: str) -> None:
    report = corpus(name)
    assert report.format == "pre2019"
    assert not {c for c in codes(report) if c.startswith(("STR", "FMT", "T3", "T4"))}


EXCERPTS = _CORPUS / "excerpts"


@pytest.mark.parametrize(
    "name,code,needle",
    [
        ("051.txt", "META-04", "国务院令第771号"),  # the 条例 cited as decree 771 (is 711)
        ("025.txt", "FMT-01", "本年新制作数量"),  # a 2022 report in the 2019 表2 format
        ("027.txt", "META-04", "60号"),  # a 2022 report citing the 2019 format notice
    ],
)
def test_real_errors_in_corpus_excerpts(name: str, code: str, needle: str) -> None:
    path = EXCERPTS / name
    if not path.exists():
        pytest.skip(f"{path} missing")
    findings = [f for f in validate(read(path)) if f.code == code]
    assert any(needle in f.message for f in findings), [f.message for f in findings]


def test_a_cut_off_table_is_not_a_one_row_other_handling() -> None:
    path = EXCERPTS / "003.txt"
    if not path.exists():
        pytest.skip(f"{path} missing")
    assert "FMT-04" not in codes(read(path))


CHECKED_KINDS = ("received", "processed", "carried_forward", "review", "litigation", "normative_issued")


@pytest.mark.parametrize("name", ["003.txt", "005.txt", "007.txt", "009.txt"])
def test_changing_a_stated_prose_number_of_a_real_report_gives_a_txt_warning(name: str) -> None:
    report = corpus(name)
    before = {f.code for f in validate(report) if f.code.startswith("TXT")}
    table = {
        "received": report.t3("new_received"),
        "processed": report.t3("total_processed"),
        "carried_forward": report.t3("carried_forward"),
        "review": report.t4("review"),
        "litigation": report.t4("litigation_direct"),
        "normative_issued": report.t2("normative_documents", "issued") if report.proactive else None,
    }
    stated = [p for p in report.prose if p.kind in CHECKED_KINDS and table[p.kind] is not None]
    if not stated:
        pytest.skip("the reader found no checkable prose numbers")
    for p in stated:
        original = p.value
        p.value = original + 1
        after = [f for f in validate(report) if f.code.startswith("TXT") and f.severity in ("warning", "error")]
        assert any(f.left == p.value for f in after), (p, [f.message for f in after])
        p.value = original
    assert {f.code for f in validate(report) if f.code.startswith("TXT")} == before
