"""The reading entry points: bytes of any supported kind → one ReadResult per document, never raising."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path, PurePosixPath

from bot.reading.build import build_report
from bot.reading.doc import doc_from_text
from bot.reading.errors import (
    MAX_FILE_BYTES,
    MSG_CORRUPT,
    MSG_CRASH,
    MSG_EMPTY,
    MSG_NESTED_ZIP,
    MSG_NOT_REPORT,
    MSG_TIMEOUT,
    MSG_TOO_BIG,
    MSG_TOO_COMPLEX,
    MSG_UNSUPPORTED,
    ReadError,
    ReadResult,
)
from bot.reading.sources import (
    check_zip,
    decode_text,
    doc_from_docx,
    doc_from_html,
    doc_from_pdf,
    doc_from_pdf_text,
    doc_from_word97,
)
from bot.report import Source

log = logging.getLogger(__name__)

KINDS = ("txt", "docx", "doc", "wps", "pdf", "html", "htm", "zip")
_MAGIC_IMAGE = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")


def kind_of(filename: str, data: bytes) -> str:
    """The file kind from its extension, corrected by magic bytes (a .docx that is really a PDF …)."""
    ext = PurePosixPath(filename.lower()).suffix.lstrip(".")
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return ext if ext in ("doc", "wps") else "doc"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
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
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
        return None
    return None


def _read_one(filename: str, data: bytes, kind: str) -> ReadResult:
    source = Source(filename, Source.digest(data), kind)
    try:
        if not data:
            raise ReadError("ING-01", MSG_EMPTY)
        if kind == "image":
            raise ReadError("ING-01", "这是一张图片，无法读取表格数据，请发送Word、PDF或网页版年报。")
        if kind == "txt":
            doc = doc_from_text(decode_text(data))
        elif kind == "docx":
            doc = doc_from_docx(data)
        elif kind in ("doc", "wps"):
            doc = doc_from_word97(data, kind)
        elif kind == "pdf":
            return ReadResult(filename, _read_pdf(data, source), None)
        elif kind == "html":
            doc = doc_from_html(data)
        else:
            raise ReadError("ING-01", MSG_UNSUPPORTED)
        return ReadResult(filename, build_report(doc, source), None)
    except ReadError as err:
        return ReadResult(filename, None, err)
    except RecursionError:
        return ReadResult(filename, None, ReadError("ING-01", MSG_CORRUPT))
    except MemoryError:  # past the worker's memory cap (NIANBAO_PARSE_MEMORY_MB): a hostile or absurd file
        return ReadResult(filename, None, ReadError("ING-01", MSG_TOO_COMPLEX))
    except Exception:  # a parser bug must become a chat message, not a stack trace
        log.exception("reading %s failed", filename)
        return ReadResult(filename, None, ReadError("ING-01", MSG_CORRUPT))


_SHORT_ROW_CODES = ("ING-04", "ING-07")


def _read_pdf(data: bytes, source: Source):
    """PDFium text first (fast); pdfplumber's ruled tables when that text lost cells (blank cells)."""
    fast = build_report(doc_from_pdf_text(data), source)
    if (fast.applications is not None and not any(f.code in _SHORT_ROW_CODES for f in fast.ingest_findings)
            and not _unread(fast)):
        return fast
    try:
        slow = build_report(doc_from_pdf(data), source)
    except ReadError:
        return fast
    errors = lambda r: sum(1 for f in r.ingest_findings if f.severity == "error")  # noqa: E731
    if slow.applications is not None and (
        fast.applications is None or (errors(slow), _unread(slow)) < (errors(fast), _unread(fast))
    ):
        return slow
    return fast


def _unread(report) -> int:
    """Cells the text layer left unread (blank cells vanish from PDF text): the ruled tables may have them."""
    return sum(1 for *_, v in report.doubtful_cells() if v.doubt == "unread")


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip member names without the UTF-8 flag are usually GBK on Chinese desktops."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def _read_zip(filename: str, data: bytes) -> list[ReadResult]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [ReadResult(filename, None, ReadError("ING-01", MSG_CORRUPT))]
    results: list[ReadResult] = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > 50:
            return [ReadResult(filename, None, ReadError("ING-01", f"压缩包内文件过多（{len(infos)}个），请每次不超过50个。"))]
        total = 0
        for info in infos:
            name = _member_name(info)
            shown = f"{filename}/{name}"
            path = PurePosixPath(name.replace("\\", "/"))
            base = path.name
            if base.startswith(("~$", ".")) or "__MACOSX" in path.parts:
                continue
            if name.startswith(("/", "\\")) or ".." in path.parts or (len(name) > 1 and name[1] == ":"):
                results.append(ReadResult(shown, None, ReadError("ING-01", "压缩包内文件路径异常，已跳过。")))
                continue
            if info.flag_bits & 0x1:
                results.append(ReadResult(shown, None, ReadError("ING-01", "压缩包内文件已加密，请去除密码后重新发送。")))
                continue
            total += info.file_size
            if info.file_size > MAX_FILE_BYTES or total > 4 * MAX_FILE_BYTES:
                results.append(ReadResult(shown, None, ReadError("ING-03", "压缩包内文件解压后超过20MB，已跳过。")))
                continue
            if info.file_size > 1_000_000 and info.file_size > 100 * max(info.compress_size, 1):
                results.append(ReadResult(shown, None, ReadError("ING-01", "压缩包内文件压缩比异常（疑似压缩炸弹），已跳过。")))
                continue
            ext = path.suffix.lower().lstrip(".")
            if ext in ("zip", "rar", "7z", "gz", "tar"):
                results.append(ReadResult(shown, None, ReadError("ING-01", MSG_NESTED_ZIP)))
                continue
            try:
                member = zf.read(info)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
                results.append(ReadResult(shown, None, ReadError("ING-01", MSG_CORRUPT)))
                continue
            kind = kind_of(base, member)
            if kind == "zip":  # a nameless archive, or an .xlsx/.pptx (zips too, but no archives)
                results.append(ReadResult(shown, None, ReadError("ING-01", MSG_UNSUPPORTED if ext else MSG_NESTED_ZIP)))
                continue
            results.append(_read_one(shown, member, kind))
    if not results:
        return [ReadResult(filename, None, ReadError("ING-01", "压缩包里没有可读取的年报文件。"))]
    return results


def read_bytes(filename: str, data: bytes) -> list[ReadResult]:
    """Read one sent file. A .zip gives one result per member; errors are results, never exceptions."""
    try:
        if len(data) > MAX_FILE_BYTES:
            return [ReadResult(filename, None, ReadError("ING-03", MSG_TOO_BIG))]
        kind = kind_of(filename, data)
        if kind == "zip":
            return _read_zip(filename, data)
        return [_read_one(filename, data, kind)]
    except MemoryError:
        return [ReadResult(filename, None, ReadError("ING-01", MSG_TOO_COMPLEX))]
    except Exception:
        log.exception("reading %s failed", filename)
        return [ReadResult(filename, None, ReadError("ING-01", MSG_CORRUPT))]


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


def _limit_memory(megabytes: int) -> None:
    """Worker initializer: cap the address space (Linux/BSD; elsewhere, or with 0, nothing)."""
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


def configure_pool(*, workers: int | None = None, memory_mb: int | None = None) -> None:
    """Set the worker count and memory cap from Settings (so a value in ``.env`` counts too);
    takes effect when the pool is next started."""
    global WORKERS, MEMORY_MB
    if workers is not None:
        WORKERS = max(1, workers)
    if memory_mb is not None:
        MEMORY_MB = max(0, memory_mb)


def _get_pool():
    global _pool
    from pebble import ProcessPool

    with _pool_lock:
        if _pool is None or not _pool.active:
            _pool = ProcessPool(max_workers=WORKERS, max_tasks=50, context=_context(),
                                initializer=_limit_memory, initargs=(MEMORY_MB,))
        return _pool


def shutdown_pool() -> None:
    """Stop the worker processes (tests and shutdown)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.stop()
            _pool.join(timeout=5)
            _pool = None


async def run_in_worker(
    func: Callable[[str, bytes], list[ReadResult]], filename: str, data: bytes, *, timeout: float = 20
) -> list[ReadResult]:
    """Run ``func(filename, data)`` in a worker process; a hang or crash becomes an error result."""
    from pebble import ProcessExpired

    try:
        future = _get_pool().schedule(func, args=(filename, data), timeout=timeout)
    except RuntimeError:  # pool broken or stopped: recreate once
        shutdown_pool()
        future = _get_pool().schedule(func, args=(filename, data), timeout=timeout)
    try:
        return await asyncio.wrap_future(future)
    except (FutureTimeout, TimeoutError):
        return [ReadResult(filename, None, ReadError("ING-01", MSG_TIMEOUT))]
    except ProcessExpired:
        return [ReadResult(filename, None, ReadError("ING-01", MSG_CRASH))]
    except Exception:
        log.exception("worker failed on %s", filename)
        return [ReadResult(filename, None, ReadError("ING-01", MSG_CRASH))]


async def read_in_worker(filename: str, data: bytes, *, timeout: float = 20) -> list[ReadResult]:
    """:func:`read_bytes` in the process pool with a hard time limit (pebble kills a hung worker)."""
    if len(data) > MAX_FILE_BYTES:
        return [ReadResult(filename, None, ReadError("ING-03", MSG_TOO_BIG))]
    return await run_in_worker(read_bytes, filename, data, timeout=timeout)


__all__ = ["MSG_NOT_REPORT", "check_zip", "configure_pool", "kind_of", "read_bytes", "read_in_worker", "read_path", "run_in_worker"]
