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
    """The PDF's words as an OFD document (one TextObject per word; ``per_char`` splits them into one
    TextCode per character with DeltaX, as some OFD exporters do)."""
    import pdfplumber

    pages: list[str] = []
    sizes: list[tuple[float, float]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            sizes.append((page.width * PT_TO_MM, page.height * PT_TO_MM))
            objects = []
            for i, w in enumerate(page.extract_words(keep_blank_chars=False, use_text_flow=False)):
                x0, top, x1, bottom = (w[k] * PT_TO_MM for k in ("x0", "top", "x1", "bottom"))
                height = bottom - top
                text = escape(w["text"])
                if per_char and len(w["text"]) > 1:
                    step = (x1 - x0) / len(w["text"])
                    delta = " ".join(f"{step:.3f}" for _ in range(len(w["text"]) - 1))
                    code = f'<ofd:TextCode X="0" Y="{height:.3f}" DeltaX="{delta}">{text}</ofd:TextCode>'
                else:
                    code = f'<ofd:TextCode X="0" Y="{height:.3f}">{text}</ofd:TextCode>'
                objects.append(
                    f'<ofd:TextObject ID="{i + 1}" Boundary="{x0:.3f} {top:.3f} {x1 - x0:.3f} {height:.3f}" '
                    f'Font="1" Size="{height:.3f}">{code}</ofd:TextObject>'
                )
            pages.append(
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
            f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        w, h = sizes[0] if sizes else (210, 297)
        zf.writestr("Doc_0/Document.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            f'<ofd:MaxUnitID>1</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {w:.1f} {h:.1f}</ofd:PhysicalBox>'
            f'</ofd:PageArea></ofd:CommonData><ofd:Pages>{page_list}</ofd:Pages></ofd:Document>'))
        for i, xml in enumerate(pages):
            zf.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", xml)
    return buf.getvalue()
