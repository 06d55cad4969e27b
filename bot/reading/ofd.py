"""OFD (GB/T 33190, China's fixed-layout e-document format): a zip of XML pages with positioned text.

Read with the standard library's zipfile and defusedxml (no OFD package on PyPI is maintained well
enough to rely on). ``OFD.xml`` names the document (``DocBody/DocRoot``), the document lists its pages
(``Pages/Page@BaseLoc``), and each page's ``Content/Layer`` holds ``TextObject``s: a ``Boundary`` box in
millimetres and ``TextCode`` runs at ``X``/``Y`` (the baseline) inside it. Those become boxes and then
table rows exactly as OCR boxes do (boxes.py) — but the text is exact, so cells carry no confidence.
"""

from __future__ import annotations

import io
import logging
import posixpath
import zipfile
from dataclasses import dataclass, field

from bot.reading.boxes import Box, BoxDoc, doc_from_pages
from bot.reading.errors import MSG_CORRUPT, MSG_NEEDS_OCR, MSG_PICTURES, MSG_SCANNED, ReadError
from bot.reading.sources import MAX_PDF_PAGES, check_zip
from bot.report import Report, Source

log = logging.getLogger(__name__)

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


@dataclass
class OfdPages:
    """What the pages of an OFD hold: text boxes per page, and per page the pictures (ImageObjects whose
    MultiMedia resource is in the zip) as bytes with their Boundary (mm)."""

    boxes: list[list[Box]] = field(default_factory=list)
    images: list[list[tuple[bytes, tuple[float, ...]]]] = field(default_factory=list)

    def picture_pages(self) -> list[int]:
        """Pages with a picture and no text object: a scanned page (OCR reads it)."""
        return [i for i, (b, im) in enumerate(zip(self.boxes, self.images, strict=True)) if im and not b]


#: A picture in an OFD is read only if this big (bytes): an icon or a seal is smaller than a page scan.
MIN_PICTURE_BYTES = 2_000


def _media(zf: zipfile.ZipFile, document, base: str) -> dict[str, str]:
    """MultiMedia resource ID → zip member, from the document's PublicRes/DocumentRes files."""
    out: dict[str, str] = {}
    common = document.find(f"{_NS}CommonData")
    if common is None:
        return out
    for ref in [*common.findall(f"{_NS}PublicRes"), *common.findall(f"{_NS}DocumentRes")]:
        if not (ref.text or "").strip():
            continue
        path = _resolve(base, ref.text)
        try:
            res = _parse(zf, path)
        except ReadError:
            continue  # a missing resource file: its pictures are simply not read
        res_dir = _resolve(posixpath.dirname(path), res.get("BaseLoc") or ".")
        for mm in res.iter(f"{_NS}MultiMedia"):
            media = mm.find(f"{_NS}MediaFile")
            if mm.get("ID") and media is not None and (media.text or "").strip():
                out[mm.get("ID")] = _resolve(res_dir, media.text)
    return out


def _page_images(zf: zipfile.ZipFile, page, media: dict[str, str]) -> list[tuple[bytes, tuple[float, ...]]]:
    out = []
    for obj in page.iter(f"{_NS}ImageObject"):
        member = media.get(obj.get("ResourceID") or "")
        if member is None:
            continue
        try:
            data = zf.read(member)  # sizes and ratio were checked with the whole zip (check_zip)
        except KeyError:
            continue
        if len(data) >= MIN_PICTURE_BYTES:
            out.append((data, tuple(_floats(obj.get("Boundary")))))
    return out


def ofd_pages(data: bytes) -> OfdPages:
    """Every page's text objects and pictures (checked like a .docx zip first: sizes, ratio, encryption)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError("ING-01", MSG_CORRUPT) from exc
    out = OfdPages()
    with zf:
        check_zip(zf, "OFD文件")
        root = _parse(zf, "OFD.xml")
        doc_root = root.find(f".//{_NS}DocBody/{_NS}DocRoot")
        if doc_root is None or not (doc_root.text or "").strip():
            raise ReadError("ING-01", MSG_CORRUPT)
        doc_path = _resolve("", doc_root.text)
        document = _parse(zf, doc_path)
        base = posixpath.dirname(doc_path)
        media = _media(zf, document, base)
        for page in list(document.iter(f"{_NS}Page"))[:MAX_PDF_PAGES]:
            loc = page.get("BaseLoc")
            if not loc:
                continue
            content = _parse(zf, _resolve(base, loc))
            out.boxes.append(_page_boxes(content))
            out.images.append(_page_images(zf, content, media) if media else [])
    return out


def doc_from_ofd(data: bytes) -> BoxDoc:
    """Every page's text objects → rows; ING-02 when no page has text."""
    doc = doc_from_pages(ofd_pages(data).boxes, "ofd")
    if not doc.rows:
        raise ReadError("ING-02", MSG_SCANNED)
    return doc


def picture_count(data: bytes) -> int:
    """Scanned pages of an OFD (for the OCR progress message and time limit); 0 when unreadable."""
    try:
        return len(ofd_pages(data).picture_pages())
    except Exception:  # noqa: BLE001 - the reading itself answers for a damaged file
        return 0


def _ocr_pictures(pages: OfdPages) -> BoxDoc:
    """OCR the scanned pages' pictures (each brought to a scanned page's size) → one box document."""
    from bot.reading import ocr
    from bot.reading.mixed import ocr_arrays

    wanted = pages.picture_pages()[: ocr.MAX_OCR_PAGES]
    arrays = [ocr._prepare(ocr.open_image(data))  # noqa: SLF001 - ocr.py's own page preparation
              for i in wanted for data, _ in pages.images[i]]
    return ocr_arrays(arrays, "ofd")


def read_ofd(data: bytes, source: Source, *, ocr: bool = True, pictures: bool = True) -> Report:
    """An OFD file as a report. Its text is exact, so those cells carry no confidence; pages that are
    pictures (a scanned OFD, or scanned table pages after the text) are read by OCR — all of it when
    no page has text, else only the tables the text lacks (bot/reading/mixed.py). ``ocr=False``: such
    a file answers ING-02 for the OCR task instead; ``pictures=False``: its text only."""
    from bot.reading.mixed import fill_missing, missing_tables, unread_note
    from bot.reading.scanned import report_from_boxes

    pages = ofd_pages(data)
    scanned = pages.picture_pages() if pictures else []
    doc = doc_from_pages(pages.boxes, "ofd")
    if not doc.rows:
        if not scanned:
            raise ReadError("ING-02", MSG_SCANNED)
        if not ocr:
            raise ReadError("ING-02", MSG_NEEDS_OCR)
        return report_from_boxes(_ocr_pictures(pages), source)
    report = report_from_boxes(doc, source, confidence=False)
    if not scanned or not missing_tables(report):
        return report
    if not ocr:
        raise ReadError("ING-02", MSG_PICTURES)
    try:
        fill_missing(report, _ocr_pictures(pages))
    except Exception:  # noqa: BLE001 - OCR unavailable or failed (memory too): the text reading stands
        log.warning("pictures of %s not read", source.filename, exc_info=True)
        unread_note(report)
    return report
