"""PDFs exported from Word layouts by LibreOffice (tests/support/lo_reports.py) read cell-exact by the grid.

The checked-in fixtures (tests/fixtures/lo_pdf, with truth.jsonl) cover vertical and one-character-per-line
headers, wrapped labels, a table crossing page breaks with a repeated header and a row split in two, page
footers 「- N -」, and reports with a real arithmetic error. A few fresh reports are also converted once per
session when LibreOffice is installed (CI installs it), so the generator itself stays tested.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.reading import read_bytes
from bot.reading.pdf_grid import doc_from_pdf_grid
from bot.reading.tables import match_t3
from bot.schema import T3_ROW_LABELS
from bot.validation import validate
from tests.support import lo_reports

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lo_pdf"
TRUTH = [json.loads(line) for line in (FIXTURES / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
BLANK_CODES = {"T2-01", "T3-05", "T4-02"}


def _check(name: str, data: bytes, truth: dict) -> None:
    (result,) = read_bytes(name, data)
    report = result.report
    assert report is not None, result.error
    have = {f"{t}/{r}/{c}": v.value for t, r, c, v in report.cells()}
    wrong = {k: (have.get(k), v) for k, v in truth["cells"].items() if have.get(k) != v}
    assert not wrong, wrong
    assert report.year == truth["year"]
    assert report.office.name == truth["office"]
    findings = validate(report)
    blanks = {f.code for f in findings if f.code in BLANK_CODES}
    errors = {f.code for f in findings if f.severity == "error"}
    if None in truth["cells"].values():
        assert "T3-05" in blanks  # a cell the document really leaves blank is seen and reported
        errors.discard("T3-05")  # (an error when the blank is a 总计 cell)
    else:
        assert not blanks, "a filled report must not get blank-cell findings"
    expected = {e["code"] for e in truth["expected"] if e["severity"] == "error"}
    assert errors == expected, [f.message for f in findings if f.severity == "error"]


@pytest.mark.parametrize("truth", TRUTH, ids=lambda t: t["layout"] + ("+error" if t["injected"] else ""))
def test_libreoffice_pdf_fixtures_read_cell_exact(truth):
    _check(truth["file"], (FIXTURES / truth["file"]).read_bytes(), truth)


def test_errors_injected_into_fixtures_are_real_errors_found():
    # the fixture set must keep at least one report with a real arithmetic error (otherwise the test
    # above only proves that correct reports pass)
    kinds = {e["severity"] for t in TRUTH for e in t["expected"]}
    assert kinds == {"error", "warning"} and any(not t["expected"] for t in TRUTH)


def test_table_across_pages_is_joined_and_page_numbers_dropped():
    (truth,) = [t for t in TRUTH if t["layout"] == "paged"]
    doc = doc_from_pdf_grid((FIXTURES / truth["file"]).read_bytes())
    pages = doc.artefacts.get("页码", 0)
    assert pages >= 6  # one 「- N -」 footer per page, none left in the rows
    assert not any(c.strip() in ("-", "- 4 -") for r in doc.rows for c in r.cells)
    # every 表3 row label is found whole in exactly one row that holds its seven numbers
    found: dict[str, int] = {}
    for row in doc.rows:
        keys = [k for c in row.cells if (k := match_t3(c))]
        if keys and sum(1 for c in row.cells if c.strip().isdigit()) == 7:
            found[keys[-1]] = found.get(keys[-1], 0) + 1
    assert found == dict.fromkeys(T3_ROW_LABELS, 1)


def test_provenance_names_the_reading_of_each_table():
    truth = TRUTH[0]
    (result,) = read_bytes(truth["file"], (FIXTURES / truth["file"]).read_bytes())
    detail = result.report.to_json(detail=True)["detail"]
    assert detail["provenance"] == {"proactive": "pdf-grid", "applications": "pdf-grid", "appeals": "pdf-grid"}


def test_wrapped_label_and_merged_group_cell_come_out_as_one_row():
    (truth,) = [t for t in TRUTH if t["layout"] == "onechar"]
    doc = doc_from_pdf_grid((FIXTURES / truth["file"]).read_bytes())
    texts = [r.cells for r in doc.rows if len(r.cells) > 7]
    label = T3_ROW_LABELS["other_fee_unpaid"]  # the longest label: wrapped over several lines
    (row,) = [cells for cells in texts if label in cells]
    assert row[row.index(label) + 1 :] == [str(v) for v in truth_row(truth, "other_fee_unpaid")]


def truth_row(truth: dict, key: str) -> list[int]:
    cols = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other", "total")
    return [truth["cells"][f"t3/{key}/{c}"] for c in cols]


@pytest.fixture(scope="session")
def fresh_lo_pdfs(tmp_path_factory) -> list[tuple[Path, dict]]:
    """Four new reports converted by LibreOffice once per session (soffice starts in ~3 s)."""
    if lo_reports.soffice() is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui")
    out = tmp_path_factory.mktemp("lo_pdf")
    gens = lo_reports.generate(4, seed=91, error_every=4, blank_every=3, layouts=("narrow", "wide", "plain", "paged"))
    truths = lo_reports.write_corpus(out, gens, keep_docx=False)
    return [(out / t["file"], t) for t in truths]


def test_fresh_libreoffice_pdfs_read_cell_exact(fresh_lo_pdfs):
    for path, truth in fresh_lo_pdfs:
        _check(path.name, path.read_bytes(), truth)


def test_a_page_of_countless_drawings_is_read_as_text_in_bounded_time():
    """A page with more path objects than any form has (a drawing, or a file built to stall the reader)
    gets no rules at all: its text is read as lines, as the text reading would."""
    import io
    import time

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    from reportlab.pdfgen import canvas

    from bot.reading.pdf_grid import MAX_PAGE_OBJECTS, _bands, _page_rules

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(MAX_PAGE_OBJECTS + 500):
        y = 100 + (i % 500)
        c.line(50, y, 60 + i % 7, y)  # each line is a path object of its own
    c.drawString(100, 800, "2021")
    c.save()
    pdf = pdfium.PdfDocument(buf.getvalue())
    page = pdf[0]
    start = time.perf_counter()
    rules = _page_rules(page, page.get_height())
    elapsed = time.perf_counter() - start
    count = raw.FPDFPage_CountObjects(page.raw)
    page.close()
    pdf.close()
    if count <= MAX_PAGE_OBJECTS:
        pytest.skip(f"reportlab merged the lines into {count} path objects")
    assert not any(_bands(rules)[1]) and not rules.hrules
    assert elapsed < 1.0
