"""Documents that mix exact text with pictures of tables: OCR only the pictures, only for what is missing.

Offices often publish a PDF whose prose is text while a table is a picture — a screenshot pasted into
Word and exported, or scanned table pages appended to the text — and OFD files whose pages are scans.
The text readers then find no 表3, and the validator would blame the office (STR-04 「缺少统计表3」).

What is read how:

* the text is read exactly as before, by every text reader and the arbiter (``api._read_pdf``);
* only when that reading lacks a table (none read, or not one cell of it) are the pictures looked at:
  an image object covering a large share of its page (:data:`MIN_AREA_SHARE`, and wide and tall
  enough) with (almost) no text-layer characters over it. A seal, a logo, a signature or a letterhead
  band is too small, and a scan with an invisible OCR text layer has characters over it — none of
  those triggers OCR or changes anything;
* each picture is rendered from its page at the scale of a scanned page (~150 dpi) and cut out, read by
  OCR (``ocr.PageReader``, the whole set as one :class:`BoxDoc`), and its tables are read with the text
  reading's format;
* a table is taken from the pictures only where the text reading has none; every cell taken keeps its
  OCR confidence (``Value.confidence``), so ``bot/validation/uncertain.py`` lists the cells the
  identities cannot confirm (OCR-01) and raises no arithmetic error on them. The text part — prose,
  sections, the tables the text has — stays exact (confidence ``None``). ``report.provenance`` says
  ``"ocr"`` for a table read from a picture.

In the bot, OCR runs only in the parse worker's OCR task (``api.read_in_worker``): the text pass
answers ``MSG_PICTURES`` (ING-02, "read me again with OCR") for such a file and the OCR task, with OCR's time and memory
limits and the on_ocr progress message, reads it again with the pictures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.reading.arbiter import TABLES, score
from bot.reading.boxes import BoxDoc, attach_confidence
from bot.reading.build import table_fields
from bot.reading.doubts import doubt_findings
from bot.reading.errors import ReadError
from bot.reading.tables import read_tables
from bot.report import Finding, Report

log = logging.getLogger(__name__)


#: A picture worth reading covers at least this share of its page's area …
MIN_AREA_SHARE = 0.10
#: … is at least this share of the page wide and tall (a letterhead band or a signature line is not) …
MIN_WIDTH_SHARE = 0.35
MIN_HEIGHT_SHARE = 0.08
#: … and has at most this many text-layer characters over it (a caption or a page number may overlap;
#: a scan with an invisible OCR layer, or a page background behind the text, has hundreds).
MAX_CHARS_OVER = 20
#: Pictures read at most (each costs about a scanned page of OCR time).
MAX_PICTURES = 12
#: Page objects past which a page (or the file) is not searched for pictures: each object is looked at
#: from Python, and a real page holds a few thousand (WPS writes one per glyph) — as api.py's bounds.
MAX_PAGE_OBJECTS = 20_000
MAX_OBJECTS = 200_000
#: Pixels around a cut-out picture, so a rule on its border stays whole.
PAD_PX = 6


@dataclass(frozen=True)
class Picture:
    """One picture to read: its page (0-based) and its box in PDF points from the page's top-left."""

    page: int
    left: float
    top: float
    right: float
    bottom: float
    #: the share of its page's area it covers
    share: float = 0.0


def missing_tables(report: Report) -> list[str]:
    """The tables (``proactive``/``applications``/``appeals``) the reading lacks: none, or not one cell."""
    out = []
    for table in TABLES:
        s = score(report, table)
        if not s.present or s.filled == 0:
            out.append(table)
    return out


def pdf_pictures(data: bytes, pages: int | None = None) -> list[Picture]:
    """The pictures of a PDF that may hold a table (see the module docstring), page by page, top down.

    Cheap: PDFium's page objects and text layer, nothing rendered (a few ms a page)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from bot.reading.sources import MAX_PDF_PAGES

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - unopenable: the text readers' own answer stands
        return []
    found: list[Picture] = []
    seen = 0
    try:
        for i in range(min(len(pdf), pages or MAX_PDF_PAGES)):
            page = pdf[i]
            try:
                n = pdfium_c.FPDFPage_CountObjects(page.raw)
                seen += max(n, 0)
                if seen > MAX_OBJECTS:
                    break  # a flate bomb of page objects (they often come without tables): not worth it
                if n <= MAX_PAGE_OBJECTS:
                    found.extend(_page_pictures(page, i, pdfium_c.FPDF_PAGEOBJ_IMAGE))
            finally:
                page.close()
            if len(found) >= MAX_PICTURES:
                break
    except Exception:  # noqa: BLE001 - a damaged page tree: read what the text gave
        log.info("looking for pictures in a PDF failed", exc_info=True)
    finally:
        pdf.close()
    return found[:MAX_PICTURES]


def _page_pictures(page: Any, index: int, image_type: int) -> list[Picture]:
    shown_w, shown_h = page.get_size()
    turned = page.get_rotation() % 360
    # objects are placed in the unturned page; a page turned with /Rotate 90/270 shows it sideways
    width, height = (shown_h, shown_w) if turned in (90, 270) else (shown_w, shown_h)
    if width <= 0 or height <= 0:
        return []
    boxes: list[tuple[float, float, float, float]] = []
    for obj in page.get_objects(filter=[image_type], max_depth=4):
        left, bottom, right, top = obj.get_bounds()
        left, right = max(0.0, left), min(width, right)
        bottom, top = max(0.0, bottom), min(height, top)
        w, h = right - left, top - bottom
        if w < MIN_WIDTH_SHARE * width or h < MIN_HEIGHT_SHARE * height or w * h < MIN_AREA_SHARE * width * height:
            continue
        boxes.append((left, bottom, right, top))
    if not boxes:
        return []
    text = page.get_textpage()
    try:
        kept = [b for b in _merged(boxes) if _chars(text.get_text_bounded(*b)) <= MAX_CHARS_OVER]
    finally:
        text.close()
    kept.sort(key=lambda b: -b[3])  # top down
    if turned and kept:  # the whole turned page (the rendering is turned; cutting it out would miss)
        share = max((r - left) * (t - b) for left, b, r, t in kept) / (width * height)
        return [Picture(index, 0.0, 0.0, shown_w, shown_h, share)]
    return [Picture(index, left, height - top, right, height - bottom, (right - left) * (top - bottom) / (width * height))
            for left, bottom, right, top in kept]


def _chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _merged(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Overlapping pictures as one (a scan cut into strips by the exporter is one picture)."""
    out: list[list[float]] = []
    for b in sorted(boxes, key=lambda b: -b[3]):
        for m in out:
            if b[0] < m[2] and m[0] < b[2] and b[1] < m[3] and m[1] < b[3]:
                m[0], m[1], m[2], m[3] = min(m[0], b[0]), min(m[1], b[1]), max(m[2], b[2]), max(m[3], b[3])
                break
        else:
            out.append(list(b))
    return [(m[0], m[1], m[2], m[3]) for m in out]


@dataclass(frozen=True)
class DocxPicture:
    """A picture in a .docx body: its image file and its size on the page (EMU, 914,400 an inch)."""

    data: bytes
    cx: int
    cy: int


#: EMU in a centimetre (Word's drawing unit).
EMU_PER_CM = 360_000
#: A .docx picture worth reading is at least this wide and tall on the page (a seal is 4 cm, a signature
#: 2 cm tall; a pasted 表4 is ~15 × 5 cm).
MIN_DOCX_WIDTH_CM = 8.0
MIN_DOCX_HEIGHT_CM = 2.5
#: Longest side a .docx picture is drawn at, EMU (42 cm, A3): Word cannot show a bigger one on a page.
MAX_DOCX_EMU = 42 * EMU_PER_CM
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def docx_pictures(data: bytes) -> list[DocxPicture]:
    """The pictures in a .docx body (inline or floating) big enough to be a table, in document order.

    The zip was checked by the .docx reader (sizes, ratio, encryption) before this runs."""
    import io
    import posixpath
    import zipfile

    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            body = ElementTree.fromstring(zf.read("word/document.xml"))
            rels = ElementTree.fromstring(zf.read("word/_rels/document.xml.rels"))
            targets = {r.get("Id"): r.get("Target") or "" for r in rels.iter(f"{_PKG}Relationship")}
            found: list[DocxPicture] = []
            for frame in body.iter():
                if frame.tag not in (f"{_WP}inline", f"{_WP}anchor"):
                    continue
                extent = frame.find(f"{_WP}extent")
                blip = next(frame.iter(f"{_A}blip"), None)
                if extent is None or blip is None:
                    continue
                cx, cy = int(extent.get("cx") or 0), int(extent.get("cy") or 0)
                if cx < MIN_DOCX_WIDTH_CM * EMU_PER_CM or cy < MIN_DOCX_HEIGHT_CM * EMU_PER_CM:
                    continue
                target = targets.get(blip.get(f"{_R}embed"), "")
                if not target or "://" in target:
                    continue  # a linked (external) picture is not in the file
                # a target is relative to word/, or absolute within the package
                member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"word/{target}")
                try:
                    found.append(DocxPicture(zf.read(member), cx, cy))
                except KeyError:
                    continue
                if len(found) >= MAX_PICTURES:
                    break
            return found
    except Exception:  # noqa: BLE001 - a damaged part: the text reading stands
        log.info("looking for pictures in a .docx failed", exc_info=True)
        return []


#: A page is a scan when a picture without text over it covers this share of it.
SCAN_SHARE = 0.5


def mostly_scans(data: bytes) -> bool:
    """Whether at least half the pages (and one) of a PDF are scans — a scanned report with some stray
    text (page numbers, a watermark, a typed title page) that the text readers refuse as "not a report":
    OCR reads it as a scan rather than the user getting 「不是年报」."""
    from bot.reading.ocr import MAX_OCR_PAGES, pdf_page_count

    pages = min(pdf_page_count(data), MAX_OCR_PAGES)
    scanned = {p.page for p in pdf_pictures(data, pages) if p.share >= SCAN_SHARE}
    return bool(scanned) and 2 * len(scanned) >= pages


def pictures_to_read(report: Report, data: bytes) -> list[Any]:
    """The pictures to OCR for a text PDF's or .docx's reading: none unless a table is missing (the
    usual file is decided without opening it again), else :func:`pdf_pictures` / :func:`docx_pictures`."""
    if not missing_tables(report):
        return []
    return pdf_pictures(data) if data.startswith(b"%PDF") else docx_pictures(data)


def pictures_count(data: bytes) -> int:
    """Pictures OCR will read in a PDF, OFD or .docx (the progress message's page count and the OCR
    time limit); 0 for another kind or an unreadable file."""
    if data.startswith(b"%PDF"):
        return len(pdf_pictures(data))
    from bot.reading.ofd import picture_count

    return picture_count(data) or len(docx_pictures(data))


def render_pictures(data: bytes, pictures: list[Picture]) -> list[Any]:
    """Each picture cut out of its page rendered at a scanned page's scale (RGB numpy arrays)."""
    import numpy as np
    import pypdfium2 as pdfium

    from bot.reading.ocr import TARGET_LONG_SIDE

    pdf = pdfium.PdfDocument(data)
    out: list[Any] = []
    try:
        for index in sorted({p.page for p in pictures}):
            page = pdf[index]
            try:
                w, h = page.get_size()
                scale = TARGET_LONG_SIDE / max(w, h, 1)
                image = page.render(scale=scale).to_pil().convert("RGB")
            finally:
                page.close()
            for p in (p for p in pictures if p.page == index):
                box = (max(0, round(p.left * scale) - PAD_PX), max(0, round(p.top * scale) - PAD_PX),
                       min(image.width, round(p.right * scale) + PAD_PX),
                       min(image.height, round(p.bottom * scale) + PAD_PX))
                out.append(np.asarray(image.crop(box)))
    finally:
        pdf.close()
    return out


def docx_arrays(pictures: list[DocxPicture]) -> list[Any]:
    """Each .docx picture at the size it has on the page at a scanned page's resolution (~154 dpi), so
    its text is as big for the recogniser as a rendered PDF's (RGB numpy arrays)."""
    import numpy as np

    from bot.reading.ocr import TARGET_LONG_SIDE, open_image

    dpi = TARGET_LONG_SIDE / (297 / 25.4)  # an A4 page's long side at TARGET_LONG_SIDE pixels
    out = []
    for p in pictures:
        image = open_image(p.data).convert("RGB")
        # at most an A3 page's size whatever the file claims (a hostile extent must not allocate GBs)
        width = max(1, round(min(p.cx, MAX_DOCX_EMU) / 914_400 * dpi))
        height = max(1, round(min(p.cy, MAX_DOCX_EMU) / 914_400 * dpi))
        out.append(np.asarray(image.resize((width, height))))
    return out


def ocr_arrays(arrays: list[Any], kind: str) -> BoxDoc:
    """OCR the pictures (numpy RGB arrays) under OCR's memory cap → one box document, in order."""
    from bot.reading import ocr
    from bot.reading.boxes import doc_from_pages

    def run() -> BoxDoc:
        return doc_from_pages([ocr.PageReader(a) for a in arrays], kind)

    return ocr._with_memory_cap(run)  # noqa: SLF001 - the OCR cap lives in ocr.py (not ours to change)


def fill_missing(report: Report, doc: BoxDoc, via: str = "ocr") -> list[str]:
    """Put into ``report`` the tables the OCR'd ``doc`` has and ``report`` lacks, each cell with its
    confidence; return the tables taken. Nothing the text reading has is replaced."""
    wanted = missing_tables(report)
    if not wanted or not doc.rows:
        return []
    tables = read_tables(doc.rows, report.format)
    pictured = Report(source=report.source, format=report.format, text=doc.text, **table_fields(tables))
    pictured.ingest_findings = list(tables.findings)
    attach_confidence(pictured, doc)
    pictured.ingest_findings += doubt_findings(pictured, {})
    taken = [t for t in wanted if score(pictured, t).filled > 0]
    for table in taken:
        setattr(report, table, getattr(pictured, table))
        if table == "proactive" and report.proactive_2019 is None:
            report.proactive_2019 = pictured.proactive_2019
        report.provenance[table] = via
    if not taken:
        return []
    names = tuple(TABLES[t] for t in taken)
    # the text reading's "table seen but not read" (ING-08) is answered now; the OCR reading's own
    # findings on the tables taken (short rows, glued digits …) are kept
    report.ingest_findings = [f for f in report.ingest_findings if not (f.code == "ING-08" and f.where.startswith(names))]
    report.ingest_findings += [f for f in pictured.ingest_findings if f.where.startswith(names)]
    report.extra_rows += [r for r in pictured.extra_rows if r not in report.extra_rows]
    report.missing_rows += [r for r in pictured.missing_rows if r not in report.missing_rows]
    report.ingest_findings.append(_note(names))
    return taken


def _note(names: tuple[str, ...]) -> Finding:
    shown = "、".join(names)
    return Finding(
        "OCR-03", "info", f"{shown}在文件中是图片，已用文字识别读出；其余内容按文字读取。", shown,
        message_en=f"{', '.join(n.replace('表', 'Table ') for n in names)} is a picture in the file and was read by "
        "text recognition; the rest was read as text.",
    )


def unread_note(report: Report) -> None:
    """When the pictures could not be read (OCR not installed, failed): say so, so a missing table is
    not silently the office's fault in the reply."""
    names = tuple(TABLES[t] for t in missing_tables(report))
    if not names:
        return
    shown = "、".join(names)
    report.ingest_findings.append(Finding(
        "ING-08", "warning", f"文件中有表格是图片，未能识别其中的数字（{shown}未读出）；请发送该报告的.docx原件以便准确核对。",
        shown, message_en="Some tables in the file are pictures and could not be read; please send the report's "
        ".docx so it can be checked exactly.",
    ))


def read_pictures(report: Report, data: bytes, pictures: list[Any]) -> Report:
    """OCR ``pictures`` of a text PDF or .docx (:func:`pictures_to_read`) and fill the tables its text
    reading lacks (never raises for the OCR: a failure keeps the text reading, with a note). Pictures
    that hold no table (a photo of the office, a chart) change nothing."""
    try:
        if pictures and isinstance(pictures[0], DocxPicture):
            arrays, kind = docx_arrays(pictures), "docx"
        else:
            arrays, kind = render_pictures(data, pictures), "pdf"
        fill_missing(report, ocr_arrays(arrays, kind))
    except MemoryError:  # past OCR's cap: the text reading still stands
        log.warning("pictures of %s not read: out of memory", report.source.filename)
        unread_note(report)
    except ReadError as err:  # OCR not installed
        log.info("pictures of %s not read: %s", report.source.filename, err.message)
        unread_note(report)
    except Exception:  # noqa: BLE001 - the text reading stands; a bug of ours stays visible
        log.error("reading the pictures of %s failed", report.source.filename, exc_info=True)
        unread_note(report)
    return report
