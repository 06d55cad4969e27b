"""A small OFD (GB/T 33190) writer for tests: positioned text of a PDF → an .ofd zip.

Takes the words pdfplumber finds on each page of a PDF (tests.support.render.render_pdf or
LibreOffice's) and writes them as ``TextObject``/``TextCode`` in millimetres, with the OFD.xml →
Document.xml → Pages/Page_N/Content.xml structure that OFD readers (and bot/reading/ofd.py) follow.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

PT_TO_MM = 25.4 / 72
NS = "http://www.ofdspec.org/2016"


def pdf_to_ofd(pdf: bytes, *, per_char: bool = False) -> bytes:
    """The PDF's words (pdfplumber) as an OFD document."""
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            pages.append([(w["text"], *(w[k] * PT_TO_MM for k in ("x0", "top", "x1", "bottom")))
                          for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)])
    return boxes_to_ofd(pages, per_char=per_char)


def layout_to_ofd(pages: list[list[tuple[str, float, float, float, float]]], *, dpi: int = 150,
                  per_char: bool = False) -> bytes:
    """Pages laid out by tests.support.scans.layout (pixels at ``dpi``) as an OFD document."""
    mm = 25.4 / dpi
    return boxes_to_ofd([[(t, x0 * mm, y0 * mm, x1 * mm, y1 * mm) for t, x0, y0, x1, y1 in page if t != "|rule|"]
                         for page in pages], per_char=per_char)


def boxes_to_ofd(pages: list[list[tuple[str, float, float, float, float]]], *, per_char: bool = False) -> bytes:
    """Text runs ``(text, x0, top, x1, bottom)`` in mm per page → OFD bytes: one TextObject per run
    (``per_char``: one TextCode per character with DeltaX, as some exporters write)."""
    xml_pages: list[str] = []
    for page in pages:
        objects = []
        for i, (raw, x0, top, x1, bottom) in enumerate(page):
            height = bottom - top
            text = escape(raw)
            if per_char and len(raw) > 1:
                step = (x1 - x0) / len(raw)
                delta = " ".join(f"{step:.3f}" for _ in range(len(raw) - 1))
                code = f'<ofd:TextCode X="0" Y="{height:.3f}" DeltaX="{delta}">{text}</ofd:TextCode>'
            else:
                code = f'<ofd:TextCode X="0" Y="{height:.3f}">{text}</ofd:TextCode>'
            objects.append(
                f'<ofd:TextObject ID="{i + 1}" Boundary="{x0:.3f} {top:.3f} {x1 - x0:.3f} {height:.3f}" '
                f'Font="1" Size="{height:.3f}">{code}</ofd:TextObject>'
            )
        xml_pages.append(
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
            f'<ofd:Layer ID="0">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            '<ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo>'
            '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'))
        page_list = "".join(
            f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(xml_pages)))
        zf.writestr("Doc_0/Document.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            '<ofd:MaxUnitID>1</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>'
            f'</ofd:PageArea></ofd:CommonData><ofd:Pages>{page_list}</ofd:Pages></ofd:Document>'))
        for i, xml in enumerate(xml_pages):
            zf.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", xml)
    return buf.getvalue()
