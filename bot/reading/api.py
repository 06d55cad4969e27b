"""The reading entry points: bytes of any supported kind → one ReadResult per document, never raising."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import re
import threading
import zipfile
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path, PurePosixPath

from bot.reading.arbiter import TABLES, Reading, arbitrate, is_clean, score
from bot.reading.build import build_report
from bot.reading.doc import Doc, doc_from_text
from bot.reading.errors import (
    MAX_FILE_BYTES,
    MSG_CORRUPT,
    MSG_CRASH,
    MSG_EMPTY,
    MSG_MEMBER_FAILED,
    MSG_NEEDS_OCR,
    MSG_NESTED_ZIP,
    MSG_NO_CONTENT,
    MSG_NOT_REPORT,
    MSG_PICTURES,
    MSG_SCANNED,
    MSG_TIMEOUT,
    MSG_TOO_BIG,
    MSG_TOO_COMPLEX,
    MSG_UNSUPPORTED,
    ReadError,
    ReadResult,
)
from bot.reading.pdf_grid import doc_from_pdf_grid
from bot.reading.sources import (
    MAX_PDF_PAGES,
    check_zip,
    decode_text,
    doc_from_docx,
    doc_from_html,
    doc_from_pdf,
    doc_from_pdf_text,
    doc_from_word97,
)
from bot.report import Report, Source

log = logging.getLogger(__name__)

KINDS = ("txt", "docx", "doc", "wps", "pdf", "html", "htm", "zip", "ofd")
_MAGIC_IMAGE = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")


def kind_of(filename: str, data: bytes) -> str:
    """The file kind from its extension, corrected by magic bytes (a .docx that is really a PDF …)."""
    ext = PurePosixPath(filename.lower()).suffix.lstrip(".")
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return ext if ext in ("doc", "wps") else "doc"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        if ext == "ofd" or _is_ofd(data):
            return "ofd"
        office = _office_kind(data)  # by content: an .xlsx renamed .zip, a .docx saved without extension…
        if office is not None:
            return office
        return ext if ext in ("docx", "wps") else "zip"
    if data.startswith(_MAGIC_IMAGE):
        return "image"
    if ext == "htm":
        return "html"
    if ext in KINDS:
        return ext
    head = data[:512].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<table" in head:
        return "html"
    return ext or "txt"


#: Office documents are zip containers; the member that tells each apart (OOXML parts, ODF ``mimetype``).
_OOXML_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))
_ODF_TYPES = {"text": "odt", "spreadsheet": "ods", "presentation": "odp"}


def _office_kind(data: bytes) -> str | None:
    """``docx``/``xlsx``/``pptx``/``odt``/``ods``/``odp``/``office`` for an office document, None for a plain
    archive (or one too damaged to list). Only the .docx is read; the others get one "not supported" reply
    instead of being opened as an archive of XML members."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            for part, kind in _OOXML_PARTS:
                if part in names:
                    return kind
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:100].decode("ascii", "replace")
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    return _ODF_TYPES.get(mimetype.rsplit(".", 1)[-1], "office")
            if "[Content_Types].xml" in names:
                return "office"
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, ValueError, zlib.error):
        return None
    return None


def _is_ofd(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "OFD.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False




def _scan_like(err: ReadError, data: bytes) -> bool:
    """Whether a PDF the text readers refused is a scan for OCR: no text layer at all, or pages that are
    mostly scans under stray text (page numbers, a watermark, a typed title page: 「不是年报」/「只有标题」)."""
    from bot.reading.mixed import mostly_scans
    from bot.reading.ocr import pdf_is_scan

    if err.code == "ING-02":
        return pdf_is_scan(data) or mostly_scans(data)
    return err.message in (MSG_NOT_REPORT, MSG_NO_CONTENT) and mostly_scans(data)


def _with_pictures(report: Report, data: bytes, ocr: bool, pictures: bool) -> Report:
    """A text PDF or .docx whose missing tables are pictures (bot/reading/mixed.py): with ``ocr`` the pictures are
    read and fill those tables; without, ING-02 (:data:`MSG_PICTURES`) sends the file to the OCR task.
    ``pictures=False`` reads the text only (the fallback when that OCR task failed)."""
    if not pictures:
        return report
    from bot.reading.mixed import pictures_to_read, read_pictures

    found = pictures_to_read(report, data)
    if not found:
        return report
    if not ocr:
        raise ReadError("ING-02", MSG_PICTURES)
    return read_pictures(report, data, found)


def _read_one(filename: str, data: bytes, kind: str, ocr: bool = True, pictures: bool = True) -> ReadResult:
    source = Source(filename, Source.digest(data), kind)
    try:
        if not data:
            raise ReadError("ING-01", MSG_EMPTY)
        if kind == "image":
            if not ocr:
                raise ReadError("ING-02", MSG_NEEDS_OCR)
            from bot.reading.scanned import read_image

            return ReadResult(filename, read_image(data, source), None)
        if kind == "ofd":
            from bot.reading.ofd import read_ofd

            return ReadResult(filename, read_ofd(data, source, ocr=ocr, pictures=pictures), None)
        if kind == "txt":
            doc = doc_from_text(decode_text(data)[:MAX_TEXT_CHARS])
        elif kind == "docx":
            doc = doc_from_docx(data)
        elif kind in ("doc", "wps"):
            doc = doc_from_word97(data, kind)
        elif kind == "pdf":
            check_pdf_streams(data)
            try:
                return ReadResult(filename, _with_pictures(_read_pdf(data, source), data, ocr, pictures), None)
            except ReadError as err:
                if err.message == MSG_PICTURES or not _scan_like(err, data):
                    raise  # text the readers refused, or no page at all: not a scan, OCR is not the answer
                if not ocr:
                    raise err if err.code == "ING-02" else ReadError("ING-02", MSG_SCANNED) from err
            from bot.reading.scanned import read_scanned_pdf  # a scan

            return ReadResult(filename, read_scanned_pdf(data, source), None)
        elif kind == "html":
            doc = doc_from_html(data)
        else:
            raise ReadError("ING-01", MSG_UNSUPPORTED)
        report = build_report(_capped(doc), source)
        if kind == "docx":  # tables pasted as pictures (bot/reading/mixed.py)
            report = _with_pictures(report, data, ocr, pictures)
        return ReadResult(filename, report, None)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a chat message, not a stack trace
        return ReadResult(filename, None, as_read_error(exc, filename))


#: Characters of a document that are read: a real report has 30,000–150,000; a 20 MB text of one
#: endless line is read up to here (linear work, seconds rather than the whole time limit).
MAX_TEXT_CHARS = 1_000_000
#: Bytes the Flate-compressed page content of a PDF may inflate to. A real report's pages hold a few
#: MB of drawing operators; PDFium builds an object per text run (~15 MB of memory per MB of content),
#: so a flate bomb of text operators passes the worker's memory cap and crashes it instead of getting
#: an answer. Images and embedded fonts (also Flate, often large) are not counted.
MAX_PDF_CONTENT = 24 * 1024 * 1024
_PDF_STREAM_RE = re.compile(rb">>\s{0,4}stream\r?\n")
_NOT_CONTENT = (b"/Image", b"/Length1", b"/Length2", b"/Subtype", b"/FontFile")


def _capped(doc: Doc) -> Doc:
    """The document's rows up to :data:`MAX_TEXT_CHARS` characters (every reader, whatever its own caps)."""
    total = 0
    for i, row in enumerate(doc.rows):
        total += sum(map(len, row.cells))
        if total > MAX_TEXT_CHARS:
            del doc.rows[i:]
            break
    return doc


def check_pdf_streams(data: bytes) -> None:
    """Refuse a PDF whose page content inflates past :data:`MAX_PDF_CONTENT` (a flate bomb) before any
    reader decompresses it; inflating in 1 MB steps costs ~0.2 s per 100 MB and no memory."""
    budget = MAX_PDF_CONTENT
    view = memoryview(data)
    for m in _PDF_STREAM_RE.finditer(data):
        head = data[max(0, m.start() - 1500) : m.start()]
        head = head[max(0, head.rfind(b" obj")) :]  # the stream's own dictionary
        if b"/FlateDecode" not in head or any(word in head for word in _NOT_CONTENT):
            continue
        inflater = zlib.decompressobj()
        try:
            # 2 MB of input is enough to tell (a bomb compresses ~1000:1); a longer real stream is
            # simply not inflated to its end here
            out = inflater.decompress(view[m.end() : m.end() + (2 << 20)], 1 << 20)
            while out:  # empty: the input is used up and nothing is pending
                budget -= len(out)
                if budget < 0:
                    raise ReadError("ING-01", MSG_TOO_COMPLEX)
                if inflater.eof:
                    break
                out = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
        except zlib.error:
            continue  # a damaged stream: the readers decide what it means


#: What a reading library raises on a damaged or hostile file, as opposed to a bug of ours: these are
#: the file's fault and become ING-01 quietly (a bug is still logged with its traceback).
_FILE_FAULTS: tuple[type[BaseException], ...] = (
    RecursionError,  # a circular PDF page tree, 20,000 nested tables
    NotImplementedError,  # a zip member with an unsupported compression method
    zipfile.BadZipFile, zlib.error, EOFError, OSError,
    UnicodeError,
)


def as_read_error(exc: BaseException, filename: str = "") -> ReadError:
    """Any exception out of a reading → the ReadError the user sees (never raises).

    ReadError as it is; memory exhaustion (the worker's cap) → 「文件过于复杂」; a known failure of a
    damaged file → ING-01 corrupt; anything else is a bug: logged with its traceback, still ING-01."""
    if isinstance(exc, ReadError):
        return exc
    if isinstance(exc, MemoryError):  # past the worker's memory cap (NIANBAO_PARSE_MEMORY_MB)
        return ReadError("ING-01", MSG_TOO_COMPLEX)
    if isinstance(exc, _FILE_FAULTS) or type(exc).__module__.split(".")[0] in _LIBRARY_ERRORS:
        log.info("reading %s: %s: %s", filename, type(exc).__name__, str(exc)[:200])
        return ReadError("ING-01", MSG_CORRUPT)
    log.error("reading %s failed", filename, exc_info=exc)
    return ReadError("ING-01", MSG_CORRUPT)


#: Libraries whose own exception types mean "this file is damaged" (pdfminer's PSEOF, PDFSyntaxError,
#: pypdfium2's PdfiumError, lxml's XMLSyntaxError …).
_LIBRARY_ERRORS = frozenset({"pdfminer", "pdfplumber", "pypdfium2", "pypdfium2_raw", "lxml", "docx", "bs4"})


def attempt(reading: Callable[[], Report], filename: str = "") -> Report | ReadError:
    """Run one reading of a file; its failure is a value, so a later reading cannot lose an earlier one's
    result (the PDF's second reading raising on a damaged page tree keeps the first)."""
    try:
        return reading()
    except Exception as exc:  # noqa: BLE001 - mapped, logged when it is a bug
        return as_read_error(exc, filename)


#: The readings of a PDF, most trusted first: the grid rebuilt from geometry (exact on ruled tables,
#: ~20 ms), PDFium's text layer (~10 ms; right where a table has no rules), pdfplumber's ruled tables
#: (~400 ms, only when neither gave every table whole). Each reader is looked up when called (a test
#: can replace the module's function).
PDF_READINGS: tuple[tuple[str, Callable[[bytes], Doc]], ...] = (
    ("pdf-grid", lambda data: doc_from_pdf_grid(data)),
    ("pdf-text", lambda data: doc_from_pdf_text(data)),
    ("pdf-ruled", lambda data: doc_from_pdf(data)),
)


def _read_pdf(data: bytes, source: Source) -> Report:
    """Read a PDF several ways and keep the best reading of each table (bot/reading/arbiter.py).

    The text layer is read only when the grid leaves a table missing, short of cells or breaking an
    identity; pdfplumber (slow, and only when affordable for the file) only when neither has every table
    whole. Each reading runs through :func:`attempt`: a reading that fails never discards one that worked;
    only when all fail does the first one's error reach the user."""
    readings: list[Reading] = []
    first_error: ReadError | None = None
    for name, reader in PDF_READINGS:
        if name == "pdf-ruled" and (any(_whole(r.report) for r in readings) or not _affordable_second_reading(data)):
            break  # a fast reading has every table whole: what breaks an identity there is the office's
        result = attempt(lambda reader=reader: build_report(reader(data), source), source.filename)
        if isinstance(result, ReadError):
            first_error = first_error or result
            continue
        readings.append(Reading(name, result))
        if is_clean(result):
            break
    if not readings:
        raise first_error or ReadError("ING-01", MSG_CORRUPT)
    return arbitrate(readings)


def _whole(report: Report) -> bool:
    """Every table present, read without a reader error (short rows, unsplittable digits) and without a
    cell the reading left unread (blank cells vanish from PDF text: the ruled tables may have them)."""
    return all(score(report, t).present and not score(report, t).reader_errors for t in TABLES) and not _unread(report)


def _unread(report) -> int:
    """Cells the text layer left unread (blank cells vanish from PDF text): the ruled tables may have them."""
    return sum(1 for *_, v in report.doubtful_cells() if v.doubt == "unread")


#: Page objects (text runs, paths, images) on one page, and in the whole file, past which the second
#: (per-character, pure Python) PDF reading is not tried. A ruled table page of a real report holds a
#: few thousand (WPS writes one text object per glyph); 20,000 on a page is a flate bomb or thousands
#: of overlaid runs, which would cost pdfminer minutes for nothing.
MAX_SECOND_READING_PAGE_OBJECTS = 20_000
MAX_SECOND_READING_OBJECTS = 200_000


def _affordable_second_reading(data: bytes) -> bool:
    """Whether the PDF's pages are small enough for the slow reading (objects counted by PDFium, in C)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - unopenable by PDFium: let the other reading have its try
        return True
    total = 0
    try:
        for i in range(min(len(pdf), MAX_PDF_PAGES)):
            page = pdf[i]
            n = pdfium_c.FPDFPage_CountObjects(page.raw)
            page.close()
            total += max(n, 0)
            if n > MAX_SECOND_READING_PAGE_OBJECTS or total > MAX_SECOND_READING_OBJECTS:
                log.info("PDF too dense for the second reading (page %d: %d objects)", i + 1, n)
                return False
    except Exception:  # noqa: BLE001 - PDFium could not count: let the other reading have its try
        return True
    finally:
        pdf.close()
    return True


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip member names without the UTF-8 flag are usually GBK on Chinese desktops."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


#: One zip member that passed the checks and was unpacked: (shown name, bytes, kind).
Member = tuple[str, bytes, str]


def zip_members(filename: str, data: bytes) -> Iterator[ReadResult | Member]:
    """The members of a .zip one at a time: a refused or unreadable member as its ReadResult, a good one
    unpacked as a :data:`Member` to read. Lazy, so a batch can be read, validated and stored member by
    member (``read_batch``) rather than all at once. Never raises."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        yield ReadResult(filename, None, ReadError("ING-01", MSG_CORRUPT))
        return
    found = False
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > 50:
            yield ReadResult(filename, None, ReadError("ING-01", f"压缩包内文件过多（{len(infos)}个），请每次不超过50个。"))
            return
        total = 0
        for info in infos:
            name = _member_name(info)
            shown = f"{filename}/{name}"
            path = PurePosixPath(name.replace("\\", "/"))
            base = path.name
            if base.startswith(("~$", ".")) or "__MACOSX" in path.parts:
                continue
            if name.startswith(("/", "\\")) or ".." in path.parts or (len(name) > 1 and name[1] == ":"):
                found = True
                yield ReadResult(shown, None, ReadError("ING-01", "压缩包内文件路径异常，已跳过。"))
                continue
            if info.flag_bits & 0x1:
                found = True
                yield ReadResult(shown, None, ReadError("ING-01", "压缩包内文件已加密，请去除密码后重新发送。"))
                continue
            total += info.file_size
            if info.file_size > MAX_FILE_BYTES or total > 4 * MAX_FILE_BYTES:
                found = True
                yield ReadResult(shown, None, ReadError("ING-03", "压缩包内文件解压后超过20MB，已跳过。"))
                continue
            if info.file_size > 1_000_000 and info.file_size > 100 * max(info.compress_size, 1):
                found = True
                yield ReadResult(shown, None, ReadError("ING-01", "压缩包内文件压缩比异常（疑似压缩炸弹），已跳过。"))
                continue
            ext = path.suffix.lower().lstrip(".")
            if ext in ("zip", "rar", "7z", "gz", "tar"):
                found = True
                yield ReadResult(shown, None, ReadError("ING-01", MSG_NESTED_ZIP))
                continue
            try:
                member = zf.read(info)
            except MemoryError:
                found = True
                yield ReadResult(shown, None, ReadError("ING-01", MSG_TOO_COMPLEX))
                continue
            except Exception as exc:  # noqa: BLE001 - zlib.error, BadZipFile (CRC), NotImplementedError …
                log.info("zip member %s: %s: %s", shown, type(exc).__name__, str(exc)[:200])
                found = True
                yield ReadResult(shown, None, ReadError("ING-01", MSG_MEMBER_FAILED))
                continue
            try:
                kind = kind_of(base, member)
            except Exception as exc:  # noqa: BLE001 - one member's failure is that member's answer
                found = True
                yield ReadResult(shown, None, as_read_error(exc, shown))
                continue
            if kind == "zip":  # a nameless archive, or an .xlsx/.pptx (zips too, but no archives)
                found = True
                yield ReadResult(shown, None, ReadError("ING-01", MSG_UNSUPPORTED if ext else MSG_NESTED_ZIP))
                continue
            found = True
            yield shown, member, kind
            del member
    if not found:
        yield ReadResult(filename, None, ReadError("ING-01", "压缩包里没有可读取的年报文件。"))


def _read_zip(filename: str, data: bytes, ocr: bool = True) -> list[ReadResult]:
    return [item if isinstance(item, ReadResult) else _read_one(*item, ocr) for item in zip_members(filename, data)]


def read_bytes(filename: str, data: bytes, ocr: bool = True, pictures: bool = True) -> list[ReadResult]:
    """Read one sent file. A .zip gives one result per member; errors are results, never exceptions.

    With ``ocr=False`` a picture or scan is not read but answered ING-02 (``MSG_NEEDS_OCR`` for an
    image, ``MSG_PICTURES`` for a text PDF or OFD whose missing tables are pictures):
    :func:`read_in_worker` reads those in a task of their own, with OCR's time limit. With
    ``pictures=False`` such a file's text is read and its pictures are left alone."""
    try:
        if len(data) > MAX_FILE_BYTES:
            return [ReadResult(filename, None, ReadError("ING-03", MSG_TOO_BIG))]
        kind = kind_of(filename, data)
        if kind == "zip":
            return _read_zip(filename, data, ocr)
        return [_read_one(filename, data, kind, ocr, pictures)]
    except Exception as exc:  # noqa: BLE001
        return [ReadResult(filename, None, as_read_error(exc, filename))]


def read_path(path: str | Path) -> list[ReadResult]:
    """Read a file from disk (the CLI); a missing file is an ING-01 result."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            return [ReadResult(p.name, None, ReadError("ING-03", MSG_TOO_BIG))]
        data = p.read_bytes()
    except OSError:
        return [ReadResult(p.name, None, ReadError("ING-01", f"找不到或无法打开文件：{p.name}"))]
    return read_bytes(p.name, data)


# -- worker pool --------------------------------------------------------------------------------

_pool = None
_pool_lock = threading.Lock()


def _env_int(name: str, default: int) -> int:
    """An integer setting read at import; a malformed one is left to ``bot.config.load_settings`` to report
    (one line at start) instead of a traceback at import."""
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default

#: Parsing worker processes (NIANBAO_PARSE_WORKERS; read here so the core needs no Settings object).
WORKERS = max(1, _env_int("NIANBAO_PARSE_WORKERS", 2))


#: Address-space cap of each parsing worker in MB (NIANBAO_PARSE_MEMORY_MB; 0 = none). A worker needs
#: about 80 MB; the cap turns a file built to exhaust memory into an ING-01 reply, not a host out of memory.
MEMORY_MB = max(0, _env_int("NIANBAO_PARSE_MEMORY_MB", 1024))
#: Address-space cap of a worker while it runs OCR, MB (NIANBAO_OCR_MEMORY_MB via :func:`configure_pool`;
#: handed to each worker by its initializer, see bot/reading/ocr.py).
OCR_MEMORY_MB = 2048


def _limit_memory(megabytes: int, ocr_megabytes: int | None = None) -> None:
    """Worker initializer: cap the address space (Linux/BSD; elsewhere, or with 0, nothing), and give
    OCR its own, higher cap (``ocr_megabytes``: the worker, not the bot process, runs OCR).

    Also quiets pdfminer, which logs a warning for every damaged xref entry or font of a broken PDF
    (hundreds for one hostile file); what matters reaches the user as the file's ING code."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if ocr_megabytes is not None:
        from bot.reading import ocr  # light at import: the engine loads on the first picture

        ocr.OCR_MEMORY_MB = max(0, ocr_megabytes)
    try:
        import resource
    except ImportError:  # Windows
        return
    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # a platform that refuses: parse without the cap
        log.warning("could not cap parse workers at %d MB", megabytes)


#: What the fork server imports once, so each worker starts in milliseconds with only the readers.
_PRELOAD = ["bot.reading.api", "docx", "pypdfium2", "pdfplumber", "lxml.html"]


def _context():
    """Workers fork from a small fork server, not from the bot.

    A worker forked from the bot would carry the bot's whole heap (jieba's dictionary, the database
    pools, PTB), about 150 MB each; forked from a fork server that imported only the readers, it
    is about 50 MB. Platforms without fork servers (Windows, macOS spawn) use their default.
    """
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def configure_pool(*, workers: int | None = None, memory_mb: int | None = None,
                   recycle_mb: int | None = None, ocr_memory_mb: int | None = None,
                   ocr_seconds_per_page: int | None = None) -> None:
    """Set the worker count, memory caps, recycling threshold and OCR time limit from Settings (so a
    value in ``.env`` counts too); the worker count and the caps take effect when the pool is next started."""
    global WORKERS, MEMORY_MB, RECYCLE_MB, OCR_MEMORY_MB, OCR_SECONDS_PER_PAGE
    if ocr_memory_mb is not None:
        OCR_MEMORY_MB = max(0, ocr_memory_mb)
    if ocr_seconds_per_page is not None:
        OCR_SECONDS_PER_PAGE = max(1, ocr_seconds_per_page)
    if workers is not None:
        WORKERS = max(1, workers)
    if memory_mb is not None:
        MEMORY_MB = max(0, memory_mb)
    if recycle_mb is not None:
        RECYCLE_MB = max(0, recycle_mb)


#: A worker whose resident memory is above this after a file is retired (the pool is replaced and the
#: old workers exit once idle): a hostile file must not leave 300–980 MB behind in a long-lived worker.
RECYCLE_MB = max(0, int(os.environ.get("NIANBAO_PARSE_RECYCLE_MB", "250") or 0))


def _get_pool():
    global _pool
    from pebble import ProcessPool

    with _pool_lock:
        if _pool is None or not _pool.active:
            _pool = ProcessPool(max_workers=WORKERS, max_tasks=50, context=_context(),
                                initializer=_limit_memory, initargs=(MEMORY_MB, OCR_MEMORY_MB))
        return _pool


def _retire(pool) -> None:
    """Replace ``pool`` by a fresh one for the next file; its workers finish what they hold, then exit."""
    global _pool
    with _pool_lock:
        if _pool is not pool:
            return
        _pool = None
    pool.close()
    threading.Thread(target=pool.join, name="parse-pool-retire", daemon=True).start()


def shutdown_pool() -> None:
    """Stop the worker processes (tests and shutdown)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.stop()
            _pool.join(timeout=5)
            _pool = None


def resident_mb() -> int:
    """This process's resident memory in MB (Linux /proc; 0 where unknown)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _measured(func: Callable[[str, bytes], list[ReadResult]], filename: str, data: bytes) -> tuple[list[ReadResult], int]:
    """In the worker: run ``func`` and report the worker's resident memory afterwards."""
    results = func(filename, data)
    return results, resident_mb()


def _schedule(func: Callable[[str, bytes], list[ReadResult]], filename: str, data: bytes, timeout: float):
    try:
        pool = _get_pool()
        return pool, pool.schedule(_measured, args=(func, filename, data), timeout=timeout)
    except RuntimeError:  # pool broken or stopped: recreate once
        shutdown_pool()
        pool = _get_pool()
        return pool, pool.schedule(_measured, args=(func, filename, data), timeout=timeout)


def _settle(pool, outcome: tuple[list[ReadResult], int] | Exception, filename: str) -> list[ReadResult]:
    """The worker's answer, or the error result for a hang, a crash or a broken pool; retires a pool
    whose worker came back swollen."""
    from pebble import ProcessExpired

    if isinstance(outcome, (FutureTimeout, TimeoutError)):
        return [ReadResult(filename, None, ReadError("ING-01", MSG_TIMEOUT))]
    if isinstance(outcome, ProcessExpired):  # killed (memory, signal): pebble already replaced it
        return [ReadResult(filename, None, ReadError("ING-01", MSG_CRASH))]
    if isinstance(outcome, Exception):
        log.error("worker failed on %s", filename, exc_info=outcome)
        return [ReadResult(filename, None, ReadError("ING-01", MSG_CRASH))]
    results, rss = outcome
    if RECYCLE_MB and rss > RECYCLE_MB:
        log.info("parse worker at %d MB after %s: recycling the pool", rss, filename)
        _retire(pool)
    return results


async def run_in_worker(
    func: Callable[[str, bytes], list[ReadResult]], filename: str, data: bytes, *, timeout: float = 20
) -> list[ReadResult]:
    """Run ``func(filename, data)`` in a worker process; a hang or crash becomes an error result."""
    pool, future = _schedule(func, filename, data, timeout)
    try:
        outcome = await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        future.cancel()
        raise
    except Exception as exc:  # noqa: BLE001 - mapped by _settle
        outcome = exc
    return _settle(pool, outcome, filename)


def read_bytes_without_ocr(filename: str, data: bytes) -> list[ReadResult]:
    """:func:`read_bytes` leaving pictures and scans for OCR (a picklable worker task)."""
    return read_bytes(filename, data, ocr=False)


def read_text_only(filename: str, data: bytes) -> list[ReadResult]:
    """:func:`read_bytes` of a mixed file's text alone, its pictures left unread and said so (the
    worker task when reading its pictures failed or ran out of time: the text is never lost to OCR)."""
    results = read_bytes(filename, data, ocr=False, pictures=False)
    for result in results:
        if result.report is not None:
            from bot.reading.mixed import unread_note

            unread_note(result.report)
    return results


#: ``on_ocr(name, pages, pictures)``: told before a file is read by OCR — a scan or photo of ``pages``
#: pages, or (``pictures`` True) a text file with ``pages`` tables pasted as pictures.
OcrNotice = Callable[[str, int, bool], Awaitable[None] | None]

#: OCR time limit: seconds per page plus a start-up allowance (the models load once per worker);
#: from Settings (NIANBAO_OCR_SECONDS_PER_PAGE) through :func:`configure_pool`.
OCR_SECONDS_PER_PAGE = 15
OCR_START_SECONDS = 20


async def read_in_worker(
    filename: str,
    data: bytes,
    *,
    timeout: float = 20,
    on_ocr: OcrNotice | None = None,
) -> list[ReadResult]:
    """:func:`read_bytes` in the process pool with a hard time limit (pebble kills a hung worker).

    Pictures and scanned PDFs (a .zip's members too) are then read by OCR, each in a task of its own
    with OCR's limits; ``on_ocr(name, pages, pictures)`` is called first so the chat can say it takes a
    while. A text file whose missing tables are pictures (bot/reading/mixed.py) goes the same way, ``pages``
    being its pictures and ``pictures`` True; if that task fails, its text is read without them."""
    if len(data) > MAX_FILE_BYTES:
        return [ReadResult(filename, None, ReadError("ING-03", MSG_TOO_BIG))]
    results = await run_in_worker(read_bytes_without_ocr, filename, data, timeout=timeout)
    if not any(r.error is not None and r.error.code == "ING-02" for r in results):
        return results
    from bot.reading.ocr import MAX_OCR_PAGES, pdf_page_count

    out: list[ReadResult] = []
    for result in results:
        if result.error is None or result.error.code != "ING-02":
            out.append(result)
            continue
        if result.filename != filename:
            out.append(result)  # a .zip member: read_batch reads members one at a time, with OCR
            continue
        member = data
        mixed = result.error.message == MSG_PICTURES
        if mixed or kind_of(result.filename, member) == "ofd":
            from bot.reading.mixed import pictures_count

            pages = min(max(pictures_count(member), 1), MAX_OCR_PAGES)
        else:
            pages = 1 if not member.startswith(b"%PDF") else min(max(pdf_page_count(member), 1), MAX_OCR_PAGES)
        if on_ocr is not None:
            try:
                waiting = on_ocr(result.filename, pages, mixed)
                if waiting is not None:
                    await waiting
            except Exception:  # a failed "reading the scan…" message must not lose the file
                log.warning("OCR notice failed", exc_info=True)
        limit = max(timeout, OCR_START_SECONDS + OCR_SECONDS_PER_PAGE * pages)
        read = await run_in_worker(read_bytes, result.filename, member, timeout=limit)
        if mixed and any(r.report is None for r in read):
            # the pictures' OCR timed out or crashed the worker: the text is still worth its reply
            read = await run_in_worker(read_text_only, result.filename, member, timeout=timeout)
        out.extend(read)
    return out


def batch_size(filename: str, data: bytes) -> int:
    """How many documents a sent file holds, for progress ("3/10"): a .zip's file entries, else 1."""
    try:
        if len(data) <= MAX_FILE_BYTES and kind_of(filename, data) == "zip":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return max(1, sum(1 for i in zf.infolist() if not i.is_dir()))
    except Exception:  # noqa: BLE001 - a damaged archive: read_batch answers for it
        pass
    return 1


#: A .zip batch read member by member may take this many times the per-file time limit in all.
BATCH_TIME_FACTOR = 3


async def read_batch(
    filename: str,
    data: bytes,
    *,
    timeout: float = 20,
    on_ocr: OcrNotice | None = None,
) -> AsyncIterator[ReadResult]:
    """:func:`read_in_worker`, one document at a time: a .zip's members are unpacked here (after the
    size, ratio and path checks) and each read in the worker on its own, so the caller validates and
    stores each before the next is read — a batch of 50 never sits in memory at once. Each member has
    the per-file time limit; the whole batch ``BATCH_TIME_FACTOR`` times it."""
    if len(data) > MAX_FILE_BYTES or kind_of(filename, data) != "zip":
        for result in await read_in_worker(filename, data, timeout=timeout, on_ocr=on_ocr):
            yield result
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout * BATCH_TIME_FACTOR
    members = zip_members(filename, data)
    while True:
        try:
            item = await asyncio.to_thread(next, members, None)  # unpacking a member takes a moment
        except Exception as exc:  # noqa: BLE001 - zip_members never raises; a bug must not lose the batch
            yield ReadResult(filename, None, as_read_error(exc, filename))
            return
        if item is None:
            return
        if isinstance(item, ReadResult):
            yield item
            continue
        shown, member, _kind = item
        left = deadline - loop.time()
        if left <= 0:
            yield ReadResult(shown, None, ReadError("ING-01", MSG_TIMEOUT))
            continue
        # a picture or scan in the batch is read by OCR with OCR's own limit (read_in_worker)
        for result in await read_in_worker(shown, member, timeout=min(timeout, left), on_ocr=on_ocr):
            yield result


def read_path_in_worker(path: str | Path, *, timeout: float = 20) -> list[ReadResult]:
    """:func:`read_path` with the bot's bounds (the CLI): the same worker, time limit and memory cap."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            return [ReadResult(p.name, None, ReadError("ING-03", MSG_TOO_BIG))]
        data = p.read_bytes()
    except OSError:
        return [ReadResult(p.name, None, ReadError("ING-01", f"找不到或无法打开文件：{p.name}"))]
    pool, future = _schedule(read_bytes, p.name, data, timeout)
    try:
        outcome = future.result()
    except Exception as exc:  # noqa: BLE001 - mapped by _settle
        outcome = exc
    return _settle(pool, outcome, p.name)


__all__ = [
    "MSG_NOT_REPORT", "as_read_error", "attempt", "check_zip", "configure_pool", "kind_of", "read_bytes",
    "read_batch", "read_in_worker", "read_path", "read_path_in_worker", "run_in_worker", "zip_members",
]
