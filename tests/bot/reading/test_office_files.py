"""Office documents are zips: they are recognised by content before any archive handling (issue 24 #3)."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.exports.rows import ExportItem
from bot.reading import read_bytes
from bot.reading.api import kind_of
from bot.reading.errors import MSG_UNSUPPORTED
from tests.handlers.conftest import EXAMPLES


def own_export() -> bytes:
    """The .xlsx the bot sends for /export (12+ XML members): what a user forwards back to it."""
    from bot.exports.xlsx import build_workbook
    from bot.reading import read_path
    from bot.validation import validate

    reports = [read_path(p)[0].report for p in sorted(EXAMPLES.glob("*.txt"))]
    for report in reports:
        validate(report)
    return build_workbook([ExportItem.from_report(r) for r in reports])


def odf(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        zf.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/presentation.xml", "<p:presentation/>")
        for i in range(12):
            zf.writestr(f"ppt/slides/slide{i}.xml", "<p:sld/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["年报汇总_2021.xlsx", "年报汇总_2021.zip", "年报汇总", "汇总.XLSX"])
def test_the_bots_own_workbook_sent_back_is_one_short_reply(name):
    data = own_export()
    assert kind_of(name, data) == "xlsx"
    [result] = read_bytes(name, data)
    assert result.report is None and result.error.message == MSG_UNSUPPORTED


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("a.pptx", pptx(), "pptx"), ("a.zip", pptx(), "pptx"),
    ("a.odt", odf("text"), "odt"), ("a.ods", odf("spreadsheet"), "ods"), ("a", odf("presentation"), "odp"),
])
def test_other_office_files_are_recognised_by_content(name, data, kind):
    assert kind_of(name, data) == kind
    assert len(read_bytes(name, data)) == 1


def test_a_docx_without_its_extension_is_read_and_a_real_zip_is_still_an_archive():
    from bot.reading import read_path
    from tests.support.render import render_docx

    report = read_path(sorted(EXAMPLES.glob("*.txt"))[1])[0].report
    docx = render_docx(report)
    assert kind_of("年报", docx) == kind_of("年报.zip", docx) == "docx"
    [result] = read_bytes("年报", docx)
    assert result.report is not None and result.report.year == 2021
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("a.docx", docx)
        zf.writestr("b.xlsx", own_export())
    assert kind_of("全区.zip", buffer.getvalue()) == "zip"
    good, bad = read_bytes("全区.zip", buffer.getvalue())
    assert good.report is not None and bad.error.message == MSG_UNSUPPORTED  # one line for the workbook
