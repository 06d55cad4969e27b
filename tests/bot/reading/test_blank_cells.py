"""A blank cell is blank wherever it is: every 表3 cell left empty, in every layout, reads back as ``None``
in its own position, with the rest of the row unchanged (EMPTY is not 0, and never a shifted row)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.sax.saxutils import escape

import pytest

from bot.reading import read_bytes
from bot.report import Report, Value
from bot.schema import T3_COLUMNS, T3_ROW_KEYS_2021
from tests.support.factories import make_report
from tests.support.render import _cell, render_docx, render_html, render_txt


def _cases() -> Iterator[tuple[str, int]]:
    """Every 表3 cell of the 2021 format: 25 rows × 7 columns."""
    for row in T3_ROW_KEYS_2021:
        for col in range(len(T3_COLUMNS)):
            yield row, col


def _blanked(row: str, col: int) -> Report:
    report = make_report(3)
    report.applications[row][col].value = None
    report.applications[row][col].raw = ""
    return report


class DocxBlanks:
    """The 175 「one cell blank」 .docx files, written from ONE python-docx rendering.

    python-docx takes ~0.2 s to write this report (a second or more on a loaded machine): 175 of them
    were most of this test's minutes. Here the report is rendered once with every 表3 cell holding a
    unique number; each variant is that ``word/document.xml`` with the numbers put back and one cell
    emptied — what python-docx writes for that report (``same_as_rendered`` proves it on a sample)."""

    BASE = 987_000  # no other number of the report looks like these

    def __init__(self) -> None:
        report, marked = make_report(3), make_report(3)
        self.cells: dict[tuple[str, int], tuple[str, str]] = {}
        for i, (row, col) in enumerate(_cases()):
            token = self._run(str(self.BASE + i))
            self.cells[row, col] = (token, self._run(_cell(report.applications[row][col])))
            marked.applications[row][col] = Value(self.BASE + i)
        template = zipfile.ZipFile(io.BytesIO(render_docx(marked)))
        self.parts = {name: template.read(name) for name in template.namelist()}
        self.xml = self.parts["word/document.xml"].decode("utf-8")
        assert all(self.xml.count(token) == 1 for token, _ in self.cells.values())

    @staticmethod
    def _run(text: str) -> str:
        """A cell's run as python-docx writes it: no ``w:t`` at all for an empty text."""
        return f"<w:r><w:t>{escape(text)}</w:t></w:r>" if text else "<w:r/>"

    def document_xml(self, row: str, col: int) -> str:
        xml = self.xml
        for key, (token, text) in self.cells.items():
            xml = xml.replace(token, self._run("") if key == (row, col) else text)
        return xml

    def render(self, row: str, col: int) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in self.parts.items():
                out.writestr(name, self.document_xml(row, col).encode() if name == "word/document.xml" else data)
        return buf.getvalue()


@pytest.fixture(scope="module")
def docx_blanks() -> DocxBlanks:
    return DocxBlanks()


RENDERERS = {
    "html": ("r.html", render_html),
    "txt-rows": ("r.txt", lambda r: render_txt(r, layout="rows").encode()),
    "txt-cells": ("r.txt", lambda r: render_txt(r, layout="cells").encode()),
    "txt-pipes": ("r.txt", lambda r: render_txt(r, layout="pipes").encode()),
}


def _wrong(filename: str, render) -> list[tuple[str, str, list]]:
    """The cells that did not read back blank in place (with the row as read)."""
    wrong = []
    for row, col in _cases():
        report = _blanked(row, col)
        (result,) = read_bytes(filename, render(row, col, report))
        got = [v.value for v in result.report.applications[row]]
        want = [v.value for v in report.applications[row]]
        if got != want:
            wrong.append((row, T3_COLUMNS[col], got))
    return wrong


@pytest.mark.parametrize("kind", sorted([*RENDERERS, "docx"]))
def test_each_blank_cell_keeps_its_position(kind, request):
    if kind == "docx":
        docx_blanks = request.getfixturevalue("docx_blanks")
        assert _wrong("r.docx", lambda row, col, report: docx_blanks.render(row, col)) == []
        return
    filename, render = RENDERERS[kind]
    assert _wrong(filename, lambda row, col, report: render(report)) == []


@pytest.mark.parametrize("cell", [(T3_ROW_KEYS_2021[0], 0), (T3_ROW_KEYS_2021[12], 3), (T3_ROW_KEYS_2021[-1], 6)])
def test_the_docx_variants_are_what_python_docx_writes(docx_blanks, cell):
    """The shortcut writes the same document python-docx does for that report, blank cell included."""
    rendered = zipfile.ZipFile(io.BytesIO(render_docx(_blanked(*cell)))).read("word/document.xml").decode()
    assert docx_blanks.document_xml(*cell) == rendered
