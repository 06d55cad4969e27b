"""OFD (GB/T 33190, China's fixed-layout e-document format): a zip of XML pages with positioned text.

Read with the standard library's zipfile and defusedxml (no OFD package on PyPI is maintained well
enough to rely on). ``OFD.xml`` names the document (``DocBody/DocRoot``), the document lists its pages
(``Pages/Page@BaseLoc``), and each page's ``Content/Layer`` holds ``TextObject``s: a ``Boundary`` box in
millimetres and ``TextCode`` runs at ``X``/``Y`` (the baseline) inside it. Those become boxes and then
table rows exactly as OCR boxes do (boxes.py) — but the text is exact, so cells carry no confidence.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from bot.reading.boxes import Box, BoxDoc, doc_from_pages
from bot.reading.errors import MSG_CORRUPT, ReadError
from bot.reading.sources import MAX_PDF_PAGES, check_zip
from bot.report import Report, Source

_NS = "{http://www.ofdspec.org/2016}"


def _parse(zf: zipfile.ZipFile, name: str):
    from defusedxml import ElementTree

    try:
        return ElementTree.fromstring(zf.read(name))
    except KeyError as exc:
        raise ReadError("ING-01", MSG_CORRUPT) from exc
    except Exception as exc:  # ParseError, entity bombs (defusedxml refuses them)
        raise ReadError("ING-01", MSG_CORRUPT) from exc


def _resolve(base_dir: str, loc: str) -> str:
    loc = loc.strip().replace("\\", "/")
    path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc)
    return posixpath.normpath(path)


def _floats(text: str | None) -> list[float]:
    try:
        return [float(t) for t in (text or "").split()]
    except ValueError:
        return []


def _page_boxes(page) -> list[Box]:
    boxes: list[Box] = []
    for obj in page.iter(f"{_NS}TextObject"):
        bound = _floats(obj.get("Boundary"))
        if len(bound) != 4:
            continue
        bx, by, bw, bh = bound
        size = _floats(obj.get("Size"))
        height = size[0] if size else bh
        for code in obj.iter(f"{_NS}TextCode"):
            text = (code.text or "").strip()
            if not text:
                continue
            x = _floats(code.get("X"))
            y = _floats(code.get("Y"))
            x0 = bx + (x[0] if x else 0.0)
            base = by + (y[0] if y else height)
            deltas = _floats(code.get("DeltaX").replace("g", "") if code.get("DeltaX") else None)
            width = sum(deltas[: len(text) - 1]) + height if deltas else len(text) * height * 0.8
            boxes.append(Box(text, x0, base - height, x0 + width, base, 1.0))
    return boxes


def doc_from_ofd(data: bytes) -> BoxDoc:
    """Every page's text objects → rows (checked like a .docx zip first: sizes, ratio, encryption)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError("ING-01", MSG_CORRUPT) from exc
    with zf:
        check_zip(zf, "OFD文件")
        root = _parse(zf, "OFD.xml")
        doc_root = root.find(f".//{_NS}DocBody/{_NS}DocRoot")
        if doc_root is None or not (doc_root.text or "").strip():
            raise ReadError("ING-01", MSG_CORRUPT)
        doc_path = _resolve("", doc_root.text)
        document = _parse(zf, doc_path)
        base = posixpath.dirname(doc_path)
        pages = []
        for page in list(document.iter(f"{_NS}Page"))[:MAX_PDF_PAGES]:
            loc = page.get("BaseLoc")
            if not loc:
                continue
            pages.append(_page_boxes(_parse(zf, _resolve(base, loc))))
    doc = doc_from_pages(pages, "ofd")
    if not doc.rows:
        from bot.reading.errors import MSG_SCANNED

        raise ReadError("ING-02", MSG_SCANNED)
    return doc


def read_ofd(data: bytes, source: Source) -> Report:
    """An OFD file as a report; the text is exact, so no cell carries a confidence."""
    from bot.reading.scanned import report_from_boxes

    return report_from_boxes(doc_from_ofd(data), source, confidence=False)
