"""PDFs and .docx files that mix text with pictures of tables (bot/reading/mixed.py): the pictures are read by
OCR only for the tables the text lacks; the text stays exact; a seal or logo changes nothing.

The PDFs are made as offices make them: a report written in Word (python-docx) with its tables pasted
as screenshots, or with 表3 left out of the text and a scanned page appended, turned into a PDF by
LibreOffice (tests/support/mixed.py). OCR is slow on a shared machine: each file is read once a session."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest

from bot.reading import ocr, read_bytes
from bot.reading.api import read_in_worker, read_text_only, shutdown_pool
from bot.reading.errors import MSG_PICTURES
from bot.reading.mixed import missing_tables, pdf_pictures, pictures_to_read
from bot.validation import validate
from bot.validation.uncertain import uncertain_cells
from tests.support import lo_reports, mixed
from tests.support.factories import make_report

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="rapidocr-onnxruntime is not installed")


@pytest.fixture(scope="session")
def truth():
    return make_report(3)


@pytest.fixture(scope="session")
def pdfs(truth) -> dict[str, bytes]:
    """The LibreOffice PDFs: tables as pictures, 表3 left out of the text, the whole report with a seal."""
    if lo_reports.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    docs = {"pictured": mixed.pictured_docx(truth), "text": mixed.text_docx(truth), "sealed": mixed.sealed_docx(truth)}
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in docs.items():
            (Path(tmp) / f"{name}.docx").write_bytes(data)
            paths.append(Path(tmp) / f"{name}.docx")
        out = {p.stem: p.read_bytes() for p in lo_reports.convert(paths, Path(tmp))}
    out["appended"] = mixed.append_scans(out["text"], mixed.scan_pages(truth))
    return out


def cells(report, table: str | None = None) -> dict:
    return {(t, r, c): v for t, r, c, v in report.cells() if table is None or t == table}


def values(report, table: str | None = None) -> dict:
    return {k: v.value for k, v in cells(report, table).items()}


def assert_no_silent_misreads(report, truth) -> None:
    """Every cell right, or (at most 3 %) wrong but listed for checking — never wrong and presented as sure."""
    flagged = {id(c.value) for c in uncertain_cells(report, report.format)[0]}
    got, want = cells(report), values(truth)
    wrong = [k for k in want if got[k].value != want[k]]
    assert len(wrong) <= 0.03 * len(want), wrong
    assert [k for k in wrong if got[k].value is not None and id(got[k]) not in flagged] == []


# -- cheap: which pictures are looked at, and when (no OCR) ------------------------------------------


def test_only_big_pictures_without_text_over_them_are_candidates(pdfs):
    pictured = pdf_pictures(pdfs["pictured"])
    assert len(pictured) == 3  # 表2, 表3, 表4 screenshots (表3 on a page of its own)
    assert all(p.right - p.left > 300 and p.bottom - p.top > 100 for p in pictured)
    [scan] = pdf_pictures(pdfs["appended"])
    assert (scan.page, round(scan.top), round(scan.bottom)) == (2, 0, 842)  # the appended A4 scan
    assert pdf_pictures(pdfs["sealed"]) == []  # a 4-cm seal is no table
    assert pdf_pictures(pdfs["text"]) == []


def test_a_text_pdf_with_a_seal_reads_exactly_as_before(pdfs, truth):
    [result] = read_bytes("盖章版.pdf", pdfs["sealed"])
    report = result.report
    assert values(report) == values(truth)
    assert all(v.confidence is None for v in cells(report).values())
    assert "ocr" not in report.provenance.values()
    assert not any(f.code in ("OCR-03", "ING-08") for f in report.ingest_findings)


def test_a_missing_table_without_a_picture_is_not_sent_to_ocr(pdfs):
    """表3 left out and nothing appended: no picture to read; the text reading stands (STR-04 is right)."""
    [result] = read_bytes("缺表.pdf", pdfs["text"], ocr=False)
    assert result.error is None
    assert missing_tables(result.report) == ["applications"]
    assert pictures_to_read(result.report, pdfs["text"]) == []


def test_the_text_pass_sends_a_pdf_with_pictured_tables_to_the_ocr_task(pdfs):
    [result] = read_bytes("图片表格.pdf", pdfs["pictured"], ocr=False)
    assert result.report is None and result.error.code == "ING-02" and result.error.message == MSG_PICTURES


def test_without_its_pictures_the_text_is_read_and_the_gap_is_said(pdfs, truth):
    """The fallback when OCR failed: the text's tables exact, the pictured one said unread (ING-08)."""
    [result] = read_text_only("附扫描页.pdf", pdfs["appended"])
    report = result.report
    assert report.applications is None and values(report, "t4") == values(truth, "t4")
    [note] = [f for f in report.ingest_findings if f.code == "ING-08"]
    assert "图片" in note.message and "表3" in note.where
    validate(report)
    assert not any(f.code == "STR-04" for f in report.findings)  # not 「缺少统计表3」 against the office
    assert any(f.code == "ING-08" and f.severity == "warning" for f in report.findings)


def test_a_table_really_left_out_is_still_str04(pdfs):
    [result] = read_bytes("缺表.pdf", pdfs["text"])
    validate(result.report)
    assert [f.where for f in result.report.findings if f.code == "STR-04"] == ["表3"]


# -- OCR ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pictured_report(pdfs):
    [result] = read_bytes("图片表格.pdf", pdfs["pictured"])
    assert result.error is None, result.error.message
    return result.report


@needs_ocr
def test_tables_pasted_as_pictures_are_read_by_ocr_and_the_text_stays_exact(pictured_report, truth):
    report = pictured_report
    assert report.provenance == {"proactive": "ocr", "applications": "ocr", "appeals": "ocr"}
    assert_no_silent_misreads(report, truth)
    assert all(v.confidence is not None and 0 <= v.confidence <= 1 for v in cells(report).values())
    # the prose is the text layer's, exactly: office, year, sections
    assert report.office.name == truth.office.name and report.year == truth.year
    assert report.sections == truth.sections
    [note] = [f for f in report.ingest_findings if f.code == "OCR-03"]
    assert note.where == "表2、表3、表4" and note.severity == "info"
    validate(report)
    assert [f.code for f in report.findings if f.severity == "error"] == []
    assert not any(f.code == "STR-04" for f in report.findings)  # no wrong 「缺少统计表」


@needs_ocr
def test_a_misread_number_on_a_picture_is_listed_not_an_error(pictured_report):
    """A cell of a pictured table that breaks an identity is OCR-01 「请核对」, never an arithmetic ❌."""
    report = pictured_report
    cell = report.applications["total_processed"][2]
    saved, saved_doubt = cell.value, cell.doubt
    try:
        cell.value = saved + 10
        validate(report)
        assert [f.code for f in report.findings if f.severity == "error"] == []
        [listed] = [f for f in report.findings if f.code == "OCR-01"]
        assert "表3" in listed.message
        assert any(c.value is cell for c in uncertain_cells(report, report.format)[0])
    finally:
        cell.value, cell.doubt = saved, saved_doubt


@needs_ocr
def test_an_appended_scanned_table_is_read_in_the_worker_with_a_notice(pdfs, truth, monkeypatch):
    from bot.reading import api

    monkeypatch.setattr(api, "OCR_SECONDS_PER_PAGE", 240)  # a loaded test machine, not the product's limit
    notices: list[tuple[str, int]] = []

    async def run():
        try:
            return await read_in_worker("附扫描页.pdf", pdfs["appended"], on_ocr=lambda n, p, _pictures: notices.append((n, p)))
        finally:
            shutdown_pool()

    [result] = asyncio.run(run())
    assert notices == [("附扫描页.pdf", 1)]  # one picture to read, not the PDF's 3 pages
    assert result.error is None, result.error.message
    report = result.report
    assert report.provenance["applications"] == "ocr"
    assert report.provenance["proactive"] != "ocr" and report.provenance["appeals"] != "ocr"
    assert_no_silent_misreads(report, truth)
    # only 表3 came from pixels: the text's tables carry no confidence
    assert all(v.confidence is not None for v in cells(report, "t3").values())
    assert all(v.confidence is None for t in ("t2", "t4") for v in cells(report, t).values())
    assert values(report, "t2") == values(truth, "t2") and values(report, "t4") == values(truth, "t4")


# -- .docx whose tables are pictures (no LibreOffice needed) ---------------------------------------------


def test_a_docx_seal_is_no_table_and_a_pasted_table_is_sent_to_ocr(truth):
    from bot.reading.mixed import docx_pictures

    sealed = mixed.sealed_docx(truth)
    assert docx_pictures(sealed) == []
    [result] = read_bytes("盖章.docx", sealed, ocr=False)
    assert values(result.report) == values(truth)
    [picture] = docx_pictures(mixed.pictured_docx(truth, ("t4",)))
    assert (round(picture.cx / 360_000), round(picture.cy / 360_000)) == (16, 5)  # cm on the page
    [result] = read_bytes("表4是图片.docx", mixed.pictured_docx(truth, ("t4",)), ocr=False)
    assert result.error.code == "ING-02" and result.error.message == MSG_PICTURES


@needs_ocr
def test_a_docx_with_table4_pasted_as_a_picture_reads_it_by_ocr(truth):
    [result] = read_bytes("表4是图片.docx", mixed.pictured_docx(truth, ("t4",)))
    report = result.report
    assert report.provenance == {"appeals": "ocr"}
    assert_no_silent_misreads(report, truth)
    assert all(v.confidence is not None for v in cells(report, "t4").values())
    assert all(v.confidence is None for t in ("t2", "t3") for v in cells(report, t).values())
    validate(report)
    assert not any(f.code == "STR-04" or f.severity == "error" for f in report.findings)


# -- a scan with stray text (page numbers added over the scanned pages) ------------------------------


@needs_ocr
def test_a_scan_with_page_numbers_in_its_text_layer_is_still_read_as_a_scan(truth):
    """Before: 「该PDF为扫描图片，无法识别文字」 because two characters of text made it "not a scan"."""
    from bot.reading.mixed import mostly_scans
    from tests.support import scans

    pdf = mixed.with_page_numbers(scans.scanned_pdf(mixed.scan_pages(truth)))
    assert mostly_scans(pdf)
    [result] = read_bytes("扫描加页码.pdf", pdf)
    assert result.error is None, result.error.message
    got = values(result.report, "t3")
    want = values(truth, "t3")
    assert sum(got[k] == want[k] for k in want) >= 0.97 * len(want)
    assert all(v.confidence is not None for v in cells(result.report, "t3").values())


def test_a_text_pdf_is_not_mostly_scans(pdfs):
    from bot.reading.mixed import mostly_scans

    assert not mostly_scans(pdfs["sealed"]) and not mostly_scans(pdfs["pictured"])
    assert not mostly_scans(pdfs["appended"])  # 1 scanned page of 3: the mixed path, not a scan


@needs_ocr
def test_when_the_pictures_time_out_the_text_is_still_read(pdfs, truth, monkeypatch):
    """Three pictures (~30 CPU s of OCR) with an 8-s limit: the OCR task is killed, and the reply is the
    text reading with ING-08 for the pictured tables — not 「文件处理超时」 for the whole file."""
    from bot.reading import api

    monkeypatch.setattr(api, "OCR_START_SECONDS", 0)
    monkeypatch.setattr(api, "OCR_SECONDS_PER_PAGE", 1)

    async def run():
        try:
            return await read_in_worker("图片表格.pdf", pdfs["pictured"], timeout=8)
        finally:
            shutdown_pool()

    [result] = asyncio.run(run())
    assert result.error is None, result.error.message
    report = result.report
    assert report.proactive is None and report.applications is None and report.appeals is None
    assert report.office.name == truth.office.name
    [note] = [f for f in report.ingest_findings if f.code == "ING-08"]
    assert note.where == "表2、表3、表4"
