"""Reports that mix text with pictures, as offices publish them: the fixtures of tests/bot/reading/test_mixed.py.

* :func:`pictured_docx`: a report written in Word where 表2/表3/表4 are screenshots pasted in (PNG
  pictures of the ruled tables, drawn like tests/support/scans.py draws pages) — LibreOffice then makes
  the PDF an office would publish: prose as text, tables as pictures;
* :func:`text_docx`: the report with some tables left out of the text (「详见附件」), and
  :func:`append_scans` to put scanned pages (image-only) after a text PDF's pages;
* :func:`sealed_docx`: the whole report as text plus a red seal picture (must read as before);
* :func:`with_picture_pages`: an OFD (tests/support/ofd.py) with pages that are pictures — an
  ``ImageObject`` referring to a ``MultiMedia`` resource in the zip, as scanning software writes it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable

from bot.report import Report
from tests.support.render import _blocks
from tests.support.scans import _font, draw, layout, png


def table_kind(rows: list[list[str]]) -> str:
    """Which table a block of rows is, by its width (as tests/support/scans.py lays them out)."""
    width = max(len(r) for r in rows)
    return "t4" if width >= 15 else "t3" if width >= 9 else "t2"


def table_png(rows: list[list[str]], *, font_px: int = 22, width_px: int = 1060) -> bytes:
    """A ruled table drawn as a screenshot of it would look (black text, 1-px rules, white)."""
    from PIL import Image, ImageDraw

    font = _font(font_px)
    width = max(len(r) for r in rows)
    if width >= 15:
        widths = [width_px / width] * width
    elif width >= 9:
        widths = [width_px * 0.14, width_px * 0.30] + [width_px * 0.56 / (width - 2)] * (width - 2)
    elif width > 1:
        widths = [width_px * 0.4] + [width_px * 0.6 / (width - 1)] * (width - 1)
    else:
        widths = [float(width_px)]
    line_h = font_px * 1.5
    laid: list[tuple[float, list[list[str]]]] = []
    for row in rows:
        cells = row + [""] * (width - len(row))
        chars = [max(1, int((w - 12) // font_px)) for w in widths]
        wrapped = [[c[i:i + n] for i in range(0, len(c), n)] or [""] for c, n in zip(cells, chars, strict=True)]
        laid.append((max(len(w) for w in wrapped) * line_h + 8, wrapped))
    image = Image.new("L", (int(width_px) + 2, int(sum(h for h, _ in laid)) + 2), 255)
    pen = ImageDraw.Draw(image)
    y = 0.0
    for height, wrapped in laid:
        x = 0.0
        for w, lines in zip(widths, wrapped, strict=True):
            for i, text in enumerate(lines):
                if text:
                    pen.text((x + 6, y + 6 + i * line_h), text, fill=0, font=font)
            pen.rectangle((x, y, x + w, y + height), outline=0, width=1)
            x += w
        y += height
    return png(image)


def _document(report: Report, table: Callable[..., None]) -> bytes:
    import docx

    document = docx.Document()
    for kind, content in _blocks(report):
        if kind == "p":
            document.add_paragraph(str(content))
        else:
            table(document, content)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _ruled(document, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    t = document.add_table(rows=len(rows), cols=width)
    t.style = "Table Grid"
    # row by row: ``t.cell(r, c)`` walks every cell of the table on each call (seconds for a 表3)
    for table_row, row in zip(t.rows, rows, strict=True):
        for cell, text in zip(table_row.cells[: len(row)], row, strict=True):
            cell.text = text


def pictured_docx(report: Report, pictured: Iterable[str] = ("t2", "t3", "t4")) -> bytes:
    """The report as .docx, the tables in ``pictured`` pasted as PNG pictures (16 cm wide, or 23 cm tall)."""
    from docx.shared import Cm

    pictured = set(pictured)

    def table(document, rows: list[list[str]]) -> None:
        if table_kind(rows) in pictured:
            from PIL import Image

            picture = table_png(rows)
            w, h = Image.open(io.BytesIO(picture)).size
            # 16 cm wide, or shrunk to 23 cm tall to fit the page (Word scales a tall screenshot so)
            size = {"width": Cm(16)} if h / w * 16 <= 23 else {"height": Cm(23)}
            document.add_picture(io.BytesIO(picture), **size)
        else:
            _ruled(document, rows)

    return _document(report, table)


def text_docx(report: Report, left_out: Iterable[str] = ("t3",)) -> bytes:
    """The report as .docx with the tables in ``left_out`` not in the text (「详见附件扫描件」)."""
    left_out = set(left_out)

    def table(document, rows: list[list[str]]) -> None:
        if table_kind(rows) in left_out:
            document.add_paragraph("（统计表详见附件扫描件）")
        else:
            _ruled(document, rows)

    return _document(report, table)


def seal_png(size: int = 300) -> bytes:
    """A red round seal (ring, star, the office's name in a bow): a picture that holds no table."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), (255, 255, 255))
    pen = ImageDraw.Draw(image)
    pen.ellipse((6, 6, size - 6, size - 6), outline=(220, 30, 30), width=10)
    c = size / 2
    pen.regular_polygon((c, c, size / 7), 5, fill=(220, 30, 30))
    pen.text((c - size / 4, c + size / 6), "鹿山县人民政府", fill=(220, 30, 30), font=_font(size // 14))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def sealed_docx(report: Report) -> bytes:
    """The whole report as text with ruled tables, and a 4-cm seal after the last paragraph."""
    import docx
    from docx.shared import Cm

    document = docx.Document(io.BytesIO(_document(report, _ruled)))
    document.add_picture(io.BytesIO(seal_png()), width=Cm(4))
    document.add_paragraph("鹿山县人民政府办公室　2025年1月20日")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def scan_pages(report: Report, only: str | None = "t3", font_px: int = 18) -> list[bytes]:
    """Pages of the report (or only its 表3) drawn as a 150-dpi scanner gives them (PNG)."""
    return [png(draw(page, font_px=font_px)) for page in layout(report, font_px=font_px, only=only)]


def append_scans(pdf: bytes, scans_png: list[bytes]) -> bytes:
    """A text PDF with image-only pages appended (a scanned table or signature page, A4 at 150 dpi)."""
    import pypdfium2 as pdfium

    from tests.support.scans import scanned_pdf

    out = pdfium.PdfDocument(pdf)
    scans = pdfium.PdfDocument(scanned_pdf(scans_png))
    out.import_pages(scans)
    buf = io.BytesIO()
    out.save(buf)
    scans.close()
    out.close()
    return buf.getvalue()


NS = "http://www.ofdspec.org/2016"


def with_picture_pages(ofd: bytes, pictures: list[bytes], *, mm: tuple[float, float] = (210.0, 297.0)) -> bytes:
    """``ofd`` (written by tests/support/ofd.py) with one page per picture appended: a page whose only
    content is an ``ImageObject`` filling it, its ``MultiMedia`` resource (``DocumentRes.xml``) a PNG in
    the zip's ``Doc_0/Res``."""
    src = zipfile.ZipFile(io.BytesIO(ofd))
    document = src.read("Doc_0/Document.xml").decode()
    n = len(re.findall(r"<ofd:Page ", document))
    media = "".join(
        f'<ofd:MultiMedia ID="{1000 + i}" Type="Image" Format="PNG"><ofd:MediaFile>image_{i}.png</ofd:MediaFile>'
        "</ofd:MultiMedia>" for i in range(len(pictures)))
    res = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
           f"<ofd:MultiMedias>{media}</ofd:MultiMedias></ofd:Res>")
    pages = "".join(f'<ofd:Page ID="{n + i + 1}" BaseLoc="Pages/Page_{n + i}/Content.xml"/>' for i in range(len(pictures)))
    document = document.replace("</ofd:Pages>", pages + "</ofd:Pages>")
    document = document.replace("</ofd:CommonData>", "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>")
    w, h = mm
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, document if info.filename == "Doc_0/Document.xml" else src.read(info.filename))
        out.writestr("Doc_0/DocumentRes.xml", res)
        for i, picture in enumerate(pictures):
            out.writestr(f"Doc_0/Res/image_{i}.png", picture)
            out.writestr(f"Doc_0/Pages/Page_{n + i}/Content.xml", (
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="0">'
                f'<ofd:ImageObject ID="{2000 + i}" ResourceID="{1000 + i}" Boundary="0 0 {w} {h}" '
                f'CTM="{w} 0 0 {h} 0 0"/></ofd:Layer></ofd:Content></ofd:Page>'))
    return buf.getvalue()


def with_page_numbers(pdf: bytes) -> bytes:
    """``pdf`` with a text-layer page number 「- n -」 at the foot of every page (what many scanning or
    merging tools add over a scanned report): the file is then no longer text-free."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(pdf)
    for i in range(len(doc)):
        page = doc[i]
        w, _ = page.get_size()
        obj = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", 10.0)
        text = f"- {i + 1} -".encode("utf-16-le") + b"\x00\x00"
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(text), ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, w / 2 - 10, 20)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
        page.close()
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    return buf.getvalue()
