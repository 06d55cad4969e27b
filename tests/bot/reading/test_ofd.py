"""OFD files (GB/T 33190): positioned text → the same tables as the .docx, exactly."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.reading import read_bytes
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
