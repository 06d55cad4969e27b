"""A blank cell is blank wherever it is: every 表3 cell left empty, in every layout, reads back as ``None``
in its own position, with the rest of the row unchanged (EMPTY is not 0, and never a shifted row)."""

import pytest

from bot.reading import read_bytes
from bot.schema import T3_COLUMNS, T3_ROW_KEYS_2021
from tests.support.factories import make_report
from tests.support.render import render_docx, render_html, render_txt

RENDERERS = {
    "docx": ("r.docx", render_docx),
    "html": ("r.html", render_html),
    "txt-rows": ("r.txt", lambda r: render_txt(r, layout="rows").encode()),
    "txt-cells": ("r.txt", lambda r: render_txt(r, layout="cells").encode()),
    "txt-pipes": ("r.txt", lambda r: render_txt(r, layout="pipes").encode()),
}


@pytest.mark.parametrize("kind", sorted(RENDERERS))
def test_each_blank_cell_keeps_its_position(kind):
    filename, render = RENDERERS[kind]
    wrong = []
    for row in T3_ROW_KEYS_2021:
        for col in range(len(T3_COLUMNS)):
            report = make_report(3)
            report.applications[row][col].value = None
            report.applications[row][col].raw = ""
            (result,) = read_bytes(filename, render(report))
            got = [v.value for v in result.report.applications[row]]
            want = [v.value for v in report.applications[row]]
            if got != want:
                wrong.append((row, T3_COLUMNS[col], got))
    assert wrong == []
