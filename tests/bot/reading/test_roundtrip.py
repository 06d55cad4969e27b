"""The same report written as .txt (three layouts), .docx, .pdf and .html reads back to the same values."""

from __future__ import annotations

import pytest

from bot.report import Report
from tests.bot.reading.conftest import read_one, seed_path
from tests.support.factories import make_report
from tests.support.render import render_docx, render_html, render_pdf, render_txt

KEYS = ("office", "year", "format", "sections", "proactive", "applications", "appeals")

RENDERERS = {
    "cells.txt": lambda r: render_txt(r, "cells").encode("utf-8"),
    "rows.txt": lambda r: render_txt(r, "rows").encode("utf-8"),
    "pipes.txt": lambda r: render_txt(r, "pipes").encode("utf-8"),
    "gbk.txt": lambda r: render_txt(r, "rows").encode("gb18030"),
    "utf16.txt": lambda r: render_txt(r, "cells").encode("utf-16"),
    "bom.txt": lambda r: b"\xef\xbb\xbf" + render_txt(r, "pipes").encode("utf-8"),
    "r.docx": render_docx,
    "r.html": render_html,
    "gbk.html": lambda r: render_html(r, "gbk"),
    "r.pdf": render_pdf,
}


def _same(expected: Report, got: Report) -> None:
    exp, out = expected.to_json(), got.to_json()
    for key in KEYS:
        assert out[key] == exp[key], key


@pytest.mark.parametrize("kind", sorted(RENDERERS))
@pytest.mark.parametrize("seed", [1, 2, 9])
def test_factory_report_round_trips(kind, seed):
    report = make_report(seed)
    got = read_one(f"报告.{kind.split('.')[-1]}", RENDERERS[kind](report))
    _same(report, got)
    assert not [f for f in got.ingest_findings if f.severity == "error"]


@pytest.mark.parametrize("kind", sorted(RENDERERS))
@pytest.mark.parametrize("prefix", ["000", "001", "004"])
def test_seed_round_trips(kind, prefix):
    path = seed_path(prefix)
    original = read_one(path.name, path.read_bytes())
    got = read_one(f"seed.{kind.split('.')[-1]}", RENDERERS[kind](original))
    _same(original, got)


def test_docx_values_keep_where_and_blank_raw():
    report = make_report(4)
    report.applications["partial"][1].value = None
    report.applications["partial"][1].raw = ""
    got = read_one("x.docx", render_docx(report))
    assert got.applications["partial"][1].value is None
    assert got.applications["partial"][0].where.startswith("表3 部分公开·自然人")
    assert got.source.kind == "docx" and len(got.source.sha256) == 64


def test_2019_format_report_reads_23_rows():
    report = make_report(3, fmt="2019", year=2020)
    text = render_txt(report, "rows").replace("本年制发件数", "本年新制作数量").replace("本年废止件数", "本年新公开数量")
    text = text.replace("现行有效件数", "对外公开总数量")
    got = read_one("old.txt", text.encode())
    assert got.format == "2019"
    assert len(got.to_json()["applications"]["rows"]) == 23
    assert got.to_json()["applications"] == report.to_json()["applications"]


def test_docx_merged_cells_and_split_header_words():
    import io

    import docx

    report = make_report(11)
    document = docx.Document(io.BytesIO(render_docx(report)))
    t3 = next(t for t in document.tables if "申请人情况" in t.cell(0, 2).text)
    rows = [r for r in range(len(t3.rows)) if t3.cell(r, 1).text.startswith(("1.属于", "2.其他法律", "3.危及", "4.保护",
                                                                              "5.属于", "6.属于", "7.属于", "8.属于"))]
    top = t3.cell(rows[0], 0)
    top.merge(t3.cell(rows[-1], 0))  # vertical merge: 「（三）不予公开」 spans its 8 rows
    t3.cell(0, 2).merge(t3.cell(0, 8))  # horizontal merge: 「申请人情况」 spans the data columns
    t3.cell(0, 2).text = "申请人情况"
    t3.cell(2, 3).text = "商业\n企业"  # header word split across lines inside a cell
    buf = io.BytesIO()
    document.save(buf)
    got = read_one("merged.docx", buf.getvalue())
    assert got.to_json()["applications"] == report.to_json()["applications"]


def test_pdf_blank_cell_falls_back_to_ruled_table():
    """PDFium's text drops a blank cell; the reader then reads the ruled table and keeps the blank in place."""
    report = make_report(12)
    report.applications["deny_process"][2].value = None
    report.applications["deny_process"][2].raw = ""
    got = read_one("blank.pdf", render_pdf(report))
    assert got.applications["deny_process"][2].value is None
    assert got.to_json()["applications"] == report.to_json()["applications"]
    assert not any(f.code == "ING-04" for f in got.ingest_findings)
