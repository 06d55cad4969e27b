"""The ruled Word file bench/ocr.py scans: the same report as the plain one, only bordered and sized."""

from __future__ import annotations

import io

import docx

from bot.reading import read_bytes
from tests.support.factories import make_report
from tests.support.render import render_docx
from tests.support.scans import ruled_docx


def test_the_ruled_docx_reads_back_to_the_report_with_bordered_sized_tables() -> None:
    report = make_report(3)
    data = ruled_docx(report)
    [result] = read_bytes("鹿山.docx", data)
    assert result.error is None
    assert result.report.to_json()["applications"] == report.to_json()["applications"]
    assert result.report.to_json()["appeals"] == report.to_json()["appeals"]
    ruled, plain = docx.Document(io.BytesIO(data)), docx.Document(io.BytesIO(render_docx(report)))
    assert [[[c.text for c in r.cells] for r in t.rows] for t in ruled.tables] == [
        [[c.text for c in r.cells] for r in t.rows] for t in plain.tables]
    assert {t.style.name for t in ruled.tables} == {"Table Grid"}
    t3 = next(t for t in ruled.tables if any("申请人情况" in c.text for c in t.rows[0].cells))
    assert [round(c.width.cm, 1) for c in t3.rows[-1].cells][:3] == [2.2, 4.2, 1.4]  # stored in twips
