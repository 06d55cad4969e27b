"""Changing any single 表3/表4 number of a correct report must produce an error that points at the
changed row, column or block — for every cell, +1 and −1 (where the result stays non-negative)."""

from __future__ import annotations

import pytest

from bot.report import Report
from bot.schema import T3_COLUMNS, T4_BLOCKS, T4_COLUMNS, t3_row_keys
from bot.validation import labels as L
from bot.validation import validate
from tests.support.factories import make_report


def t3_mutation_misses(report: Report) -> list[str]:
    """Cells whose ±1 change is not reported as an error naming its row or column."""
    misses = []
    fmt = "2019" if report.format == "2019" else "2021"
    for row in t3_row_keys(fmt):
        for i, col in enumerate(T3_COLUMNS):
            cell = report.applications[row][i]
            original = cell.value
            for delta in (1, -1):
                if original + delta < 0:
                    continue
                cell.value = original + delta
                names = (f"“{L.row_short(row, fmt)}”", f"“{L.col_label(col)}”", f"“{L.row_short(row, fmt)}·")
                errors = [f for f in validate(report) if f.severity == "error"]
                if not any(any(n in f.where for n in names) for f in errors):
                    misses.append(f"{row}/{col}{delta:+d}")
            cell.value = original
    return misses


def t4_mutation_misses(report: Report) -> list[str]:
    misses = []
    for block in T4_BLOCKS:
        for col in T4_COLUMNS:
            cell = report.appeals[block][col]
            original = cell.value
            for delta in (1, -1):
                if original + delta < 0:
                    continue
                cell.value = original + delta
                errors = [f for f in validate(report) if f.severity == "error"]
                if not any(L.T4_BLOCK_SHORT[block] in f.where for f in errors):
                    misses.append(f"{block}/{col}{delta:+d}")
            cell.value = original
    return misses


@pytest.mark.parametrize("seed", [0, 1, 2, 7, 11, 23])
@pytest.mark.parametrize("fmt,year", [("2021", 2021), ("2019", 2020)])
def test_every_t3_cell_change_is_an_error_at_the_right_place(seed: int, fmt: str, year: int) -> None:
    report = make_report(seed, fmt=fmt, year=year)
    assert validate(report) == []
    assert t3_mutation_misses(report) == []


@pytest.mark.parametrize("seed", [0, 1, 2, 7, 11, 23])
def test_every_t4_cell_change_is_an_error_at_the_right_place(seed: int) -> None:
    report = make_report(seed)
    assert t4_mutation_misses(report) == []


@pytest.mark.parametrize("seed", [0, 4, 9])
def test_changing_a_prose_number_gives_a_txt_warning(seed: int) -> None:
    report = make_report(seed)
    assert report.prose
    for p in report.prose:
        original = p.value
        p.value = original + 1
        findings = validate(report)
        assert any(f.code.startswith("TXT") and f.severity == "warning" for f in findings), p.kind
        p.value = original
    assert validate(report) == []


def test_mutated_where_names_the_column_for_a1() -> None:
    report = make_report(3)
    report.applications["carried_forward"][T3_COLUMNS.index("research")].value += 1
    report.applications["carried_forward"][T3_COLUMNS.index("total")].value += 1
    wheres = {f.where for f in validate(report) if f.code == "T3-01"}
    assert wheres == {"表3 “科研机构”列", "表3 “总计”列"}
