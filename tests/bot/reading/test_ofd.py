"""OFD files (GB/T 33190): positioned text → the same tables as the .docx, exactly."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.reading import ocr, read_bytes
from bot.reading.api import kind_of
from bot.validation import validate
from tests.support import scans
from tests.support.factories import make_report
from tests.support.ofd import layout_to_ofd


def values(report) -> dict:
    return {(t, r, c): v.value for t, r, c, v in report.cells()}


@pytest.mark.parametrize("per_char", [False, True], ids=["runs", "per-character"])
@pytest.mark.parametrize("seed", [3, 8])
def test_ofd_reads_every_cell_exactly(seed, per_char):
    truth = make_report(seed)
    data = layout_to_ofd(scans.layout(truth), per_char=per_char)
    [result] = read_bytes("年报.ofd", data)
    assert result.error is None, result.error
    report = result.report
    assert report.source.kind == "ofd"
    assert values(report) == values(truth)
    assert report.office.name == truth.office.name and report.year == truth.year
    assert all(v.confidence is None for *_, v in report.cells())  # exact text: nothing to be unsure of
    validate(report)
    assert [f.code for f in report.findings if f.severity == "error"] == []


def test_an_ofd_is_recognised_without_its_extension_and_inside_a_zip():
    truth = make_report(4)
    data = layout_to_ofd(scans.layout(truth))
    assert kind_of("download", data) == "ofd"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("鹿山.ofd", data)
    [result] = read_bytes("batch.zip", buf.getvalue())
    assert result.filename == "batch.zip/鹿山.ofd"
    assert values(result.report) == values(truth)


def test_a_broken_ofd_is_a_clear_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody/></ofd:OFD>")
    [result] = read_bytes("坏.ofd", buf.getvalue())
    assert result.report is None and result.error.code == "ING-01"


# -- pages that are pictures (a scanning program's OFD, or scanned table pages after the text) -------

needs_ocr = pytest.mark.skipif(not ocr.available(),
                               reason="rapidocr-onnxruntime is not installed")


@pytest.fixture(scope="session")
def pictured_ofds():
    """(truth, OFD with 表3 as a scanned page after the text, OFD whose only page is a scan of page 1)."""
    import copy

    from tests.support import mixed
    from tests.support.ofd import boxes_to_ofd

    truth = make_report(3)
    without_t3 = copy.deepcopy(truth)
    without_t3.applications = None
    without_t3.section_text[without_t3.sections[2]] = "（统计表详见附件扫描件）"
    text_pages = layout_to_ofd(scans.layout(without_t3))
    mixed_ofd = mixed.with_picture_pages(text_pages, mixed.scan_pages(truth, only="t3"))
    first_page = mixed.scan_pages(truth, only=None)[0]
    return truth, mixed_ofd, mixed.with_picture_pages(boxes_to_ofd([]), [first_page])


def test_an_ofd_with_picture_pages_goes_to_the_ocr_task(pictured_ofds):
    from bot.reading.errors import MSG_NEEDS_OCR, MSG_PICTURES
    from bot.reading.mixed import pictures_count

    _, mixed_ofd, scanned_ofd = pictured_ofds
    [mixed_result] = read_bytes("附扫描页.ofd", mixed_ofd, ocr=False)
    assert mixed_result.error.code == "ING-02" and mixed_result.error.message == MSG_PICTURES
    [scanned_result] = read_bytes("扫描.ofd", scanned_ofd, ocr=False)
    assert scanned_result.error.code == "ING-02" and scanned_result.error.message == MSG_NEEDS_OCR
    assert pictures_count(mixed_ofd) == 1 and pictures_count(scanned_ofd) == 1  # the OCR notice's pages


def test_a_whole_ofd_with_a_scanned_signature_page_is_read_as_text(pictured_ofds):
    """Every table in the text: an appended picture page (signatures, a seal) is not read at all."""
    from tests.support import mixed

    truth = pictured_ofds[0]
    data = mixed.with_picture_pages(layout_to_ofd(scans.layout(truth)), [mixed.seal_png(600)])
    [result] = read_bytes("签章页.ofd", data, ocr=False)
    assert result.error is None
    assert values(result.report) == values(truth)
    assert all(v.confidence is None for *_, v in result.report.cells())


@needs_ocr
def test_a_scanned_table_page_of_an_ofd_fills_the_missing_table(pictured_ofds):
    truth, mixed_ofd, _ = pictured_ofds
    [result] = read_bytes("附扫描页.ofd", mixed_ofd)
    assert result.error is None, result.error.message
    report = result.report
    assert report.provenance == {"applications": "ocr"}
    got = {(r, c): v for t, r, c, v in report.cells() if t == "t3"}
    want = {(r, c): v.value for t, r, c, v in truth.cells() if t == "t3"}
    wrong = [k for k in want if got[k].value != want[k]]
    assert len(wrong) <= 0.03 * len(want), wrong
    assert all(v.confidence is not None for v in got.values())
    # the text pages stay exact
    exact = {(t, r, c): v for t, r, c, v in report.cells() if t != "t3"}
    assert {k: v.value for k, v in exact.items()} == {k: v for k, v in values(truth).items() if k[0] != "t3"}
    assert all(v.confidence is None for v in exact.values())
    validate(report)
    assert not any(f.code == "STR-04" or f.severity == "error" for f in report.findings)


@needs_ocr
def test_an_ofd_of_scanned_pages_only_is_read_by_ocr_not_refused(pictured_ofds):
    truth, _, scanned_ofd = pictured_ofds
    [result] = read_bytes("扫描.ofd", scanned_ofd)
    assert result.error is None, result.error.message
    report = result.report
    assert report.source.kind == "ofd" and report.office.name == truth.office.name
    got = {(r, c): v for t, r, c, v in report.cells() if t == "t2"}
    assert {k: v.value for k, v in got.items()} == {(r, c): v.value for t, r, c, v in truth.cells() if t == "t2"}
    assert all(v.confidence is not None for v in got.values())
