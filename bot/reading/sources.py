"""File bytes → :class:`Doc` for each supported kind, refusing unsafe or unreadable input with ReadError.

Text encodings are sniffed (BOM, strict UTF-8, GB18030, UTF-16, then charset-normalizer) and refused
rather than guessed wrongly. Word files are zips of XML: the zip is pre-scanned before python-docx opens
it. PDFs are read from their text layer with page and character caps.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

from bot.reading.cells import is_value_cell
from bot.reading.doc import Doc, Row, clean_artefacts, doc_from_text
from bot.reading.errors import (
    MSG_CORRUPT,
    MSG_EMPTY,
    MSG_ENCODING,
    MSG_HTML_COMPLEX,
    MSG_NO_ANTIWORD,
    MSG_SCANNED,
    ReadError,
)

log = logging.getLogger(__name__)

MAX_PDF_PAGES = 60
MAX_CHARS = 400_000
MAX_ZIP_MEMBERS = 400
MAX_ZIP_TOTAL = 200 * 1024 * 1024
MAX_ZIP_MEMBER = 60 * 1024 * 1024
MAX_ZIP_RATIO = 120
ANTIWORD_TIMEOUT = 15

_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_BAD_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


# -- text ---------------------------------------------------------------------------------------


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    sample = text[:20000]
    return len(_BAD_CHARS_RE.findall(sample)) <= max(3, len(sample) // 200)


def decode_text(data: bytes) -> str:
    """Decode a text file or refuse (ING-01) — never a silent mojibake."""
    if not data.strip():
        raise ReadError("ING-01", MSG_EMPTY)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    candidates = ["utf-8", "gb18030"]
    sample = data[:4000]
    if sample.count(b"\x00") > len(sample) // 4:
        even_zero = sample[1::2].count(0) > sample[0::2].count(0)
        candidates = ["utf-16-le" if even_zero else "utf-16-be"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
        raise ReadError("ING-01", MSG_CORRUPT)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _looks_like_text(text) and _CJK_RE.search(text):
            return text
    raise ReadError("ING-01", MSG_ENCODING)


# -- zip safety ---------------------------------------------------------------------------------


def check_zip(zf: zipfile.ZipFile, what: str = "文件") -> None:
    """Refuse zip bombs and tricks before anything decompresses (counts, sizes, ratio, encryption)."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReadError("ING-01", f"{what}内文件过多（{len(infos)}个），已拒绝处理。")
    total = 0
    names: set[str] = set()
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError("ING-01", f"{what}已加密，请去除密码后重新发送。")
        if info.filename in names:
            raise ReadError("ING-01", f"{what}内有重复条目，疑似损坏，已拒绝处理。")
        names.add(info.filename)
        total += info.file_size
        if info.file_size > MAX_ZIP_MEMBER or total > MAX_ZIP_TOTAL:
            raise ReadError("ING-01", f"{what}解压后过大，已拒绝处理。")
        if info.file_size > 1_000_000 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise ReadError("ING-01", f"{what}压缩比异常（疑似压缩炸弹），已拒绝处理。")


# -- docx ---------------------------------------------------------------------------------------


def doc_from_docx(data: bytes) -> Doc:
    """Word paragraphs and tables in body order; merged cells deduplicated, blanks kept."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError("ING-01", MSG_CORRUPT) from exc
    with zf:
        check_zip(zf, "Word文件")
        if "word/document.xml" not in zf.namelist():
            raise ReadError("ING-01", MSG_CORRUPT)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # lxml XMLSyntaxError (entity bombs), KeyError, ValueError …
        raise ReadError("ING-01", MSG_CORRUPT) from exc
    out = Doc(kind="docx")
    line = 0
    chars = 0
    # Walk the body XML directly (python-docx has parsed and validated it): much faster than the
    # Table/_Cell proxies, and gridSpan/vMerge are handled explicitly.
    for block in document.element.body.iterchildren():
        if block.tag == _W_P:
            line += 1
            text = _para_text(block)
            chars += len(text)
            out.rows.append(Row(line, [clean_artefacts(text, out.artefacts)]))
        elif block.tag == _W_TBL:
            for tr in block.iter(_W_TR):
                line += 1
                cells: list[str] = []
                for tc in tr.iterchildren(_W_TC):
                    merge = tc.find(_W_VMERGE)
                    if merge is not None and merge.get(_W_VAL) in (None, "continue"):
                        cells.append("")  # vertical merge: the text belongs to the row above
                    else:
                        # direct paragraphs only: a nested table's rows are emitted as rows of their own
                        cells.append("".join(_para_text(p) for p in tc.iterchildren(_W_P)))
                chars += sum(map(len, cells))
                out.rows.append(Row(line, [clean_artefacts(c, out.artefacts) for c in cells]))
        if chars > MAX_CHARS:
            break
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_TBL, _W_TR, _W_TC, _W_T = (f"{_W}{n}" for n in ("p", "tbl", "tr", "tc", "t"))
_W_VMERGE = f"{_W}tcPr/{_W}vMerge"
_W_VAL = f"{_W}val"


def _para_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(_W_T))


# -- html ---------------------------------------------------------------------------------------


def decode_html(data: bytes) -> str:
    """HTML bytes → str using BOM, the meta charset, then UTF-8/GB18030."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    m = _META_CHARSET_RE.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii", "ignore").lower()
        if enc in ("gb2312", "gbk", "gb18030"):
            enc = "gb18030"
        try:
            if codecs.lookup(enc).name.startswith(_PAGE_ENCODINGS):
                return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


#: Codecs a web page may declare. Python's codec registry also holds punycode/idna (quadratic on a
#: large page), rot13 and the like, which no page is written in: those are ignored and the bytes sniffed.
_PAGE_ENCODINGS = ("utf-8", "utf-16", "utf-32", "gb", "big5", "cp9", "cp125", "euc", "shift_jis", "iso8859",
                   "iso2022", "ascii", "hz", "koi8", "mac-")
#: Elements an HTML page may hold (a saved 年报 page has a few thousand) and tables (a few, dozens with
#: layout tables): past these a page is refused, so a flood of <br> or 20,000 nested tables costs
#: milliseconds, not a minute of the parser.
MAX_HTML_TAGS = 60_000
MAX_HTML_TABLES = 300
_TAG_RE = re.compile(rb"<[A-Za-z]")
_BR_RE = re.compile(r"<br\b[^>]{0,200}>", re.I)
_BR_MARK = "\x1f"  # a <br>: joined inside a cell, a line break in text


def doc_from_html(data: bytes) -> Doc:
    """Text blocks and <table> rows of an HTML page (&nbsp; = blank, <br> inside a cell joined)."""
    from bs4 import BeautifulSoup

    if len(_TAG_RE.findall(data)) > MAX_HTML_TAGS:
        raise ReadError("ING-01", MSG_HTML_COMPLEX)
    # <br> become a mark in the text before parsing: replacing each <br> element afterwards is
    # quadratic in bs4 (every replace looks the element up in its parent)
    html = _BR_RE.sub(_BR_MARK, decode_html(data))
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    tables: list[list[list[str]]] = []
    found = soup.find_all("table")
    if len(found) > MAX_HTML_TABLES:
        raise ReadError("ING-01", MSG_HTML_COMPLEX)
    for table in found:
        if table.find("table"):
            continue  # layout table: its inner tables are read instead
        rows = []
        for tr in table.find_all("tr"):
            rows.append([td.get_text("", strip=True).replace("\xa0", "").replace(_BR_MARK, "")
                         for td in tr.find_all(["td", "th"])])
        tables.append(rows)
        table.replace_with(soup.new_string(f"\n@@T{len(tables) - 1}@@\n"))
    text = soup.get_text("\n").replace(_BR_MARK, "\n")
    out = Doc(kind="html")
    line = 0
    for raw in text.split("\n"):
        raw = raw.replace("\xa0", " ").strip()
        if raw.startswith("@@T") and raw.endswith("@@") and raw[3:-2].isdigit():
            for cells in tables[int(raw[3:-2])]:
                line += 1
                out.rows.append(Row(line, [clean_artefacts(c, out.artefacts) for c in cells]))
        elif raw:
            line += 1
            out.rows.append(Row(line, [clean_artefacts(raw, out.artefacts)]))
    return out


# -- pdf ----------------------------------------------------------------------------------------

_WS_RE = re.compile(r"[ \u3000\xa0]+")


def _pdf_line_cells(line: str) -> list[str]:
    """A text line of a PDF table row (「2.重复申请 4 6 0 3 0 4 17」) → cells; prose stays one cell."""
    tokens = [t for t in _WS_RE.split(line.strip()) if t]
    if len(tokens) >= 2 and is_value_cell(tokens[-1]):
        return tokens
    return [line.strip()]


def open_pdf(data: bytes):
    """The PDF opened by PDFium, or the ReadError a user should see (password → encrypted, else damaged)."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError("ING-01", "该PDF已加密，请去除密码后重新发送。") from exc
        raise ReadError("ING-01", MSG_CORRUPT) from exc


def doc_from_pdf_text(data: bytes) -> Doc:
    """Fast path: PDFium's text layer (C code, ~100× faster than pdfminer), table rows split on spaces.

    Blank cells are invisible in this text, so a caller falls back to :func:`doc_from_pdf` (ruled
    tables with pdfplumber) when rows come out short."""
    pdf = open_pdf(data)
    out = Doc(kind="pdf")
    line = 0
    chars = 0
    try:
        for i in range(min(len(pdf), MAX_PDF_PAGES)):
            page = pdf[i]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                raw = clean_artefacts(raw, out.artefacts)
                if not raw.strip():
                    continue
                line += 1
                chars += len(raw)
                out.rows.append(Row(line, _pdf_line_cells(raw)))
            if chars > MAX_CHARS:
                break
    finally:
        pdf.close()
    if not out.rows:
        raise ReadError("ING-02", MSG_SCANNED)
    return out



def doc_from_pdf(data: bytes) -> Doc:
    """Text lines and ruled tables of each page, in reading order (capped pages and characters)."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages[:MAX_PDF_PAGES]
    except Exception as exc:
        raise ReadError("ING-01", MSG_CORRUPT) from exc
    out = Doc(kind="pdf")
    line = 0
    chars = 0
    with pdf:
        for page in pages:
            if not page.chars:
                continue
            found = page.find_tables()
            boxes = [t.bbox for t in found]
            items: list[tuple[float, list[list[str]]]] = []
            for t in found:
                rows = [[(c or "").replace("\n", "") for c in r] for r in t.extract()]
                items.append((t.bbox[1], rows))

            def outside(obj: dict, boxes: list = boxes) -> bool:
                return not any(
                    b[0] <= obj.get("x0", 0) <= b[2] and b[1] <= obj.get("top", 0) <= b[3] for b in boxes
                )

            for tl in page.filter(outside).extract_text_lines():
                items.append((tl["top"], [[tl["text"]]]))
            items.sort(key=lambda it: it[0])
            for _, rows in items:
                for cells in rows:
                    line += 1
                    chars += sum(map(len, cells))
                    out.rows.append(Row(line, [clean_artefacts(c, out.artefacts) for c in cells]))
            if chars > MAX_CHARS:
                break
    if not any(c.strip() for r in out.rows for c in r.cells):
        raise ReadError("ING-02", MSG_SCANNED)
    return out


# -- doc / wps ----------------------------------------------------------------------------------


def doc_from_word97(data: bytes, kind: str) -> Doc:
    """Old Word (.doc) and WPS files: LibreOffice converts them to .docx with their tables whole
    (merged cells, wrapped labels) when it is installed; antiword (plain text, which loses a table
    with merged cells) otherwise or when the conversion fails. A .wps that is really a zip is a .docx."""
    if data.startswith(b"PK"):
        return doc_from_docx(data)
    advice = "无法读取该Word文件，请另存为 .docx 后重新发送。"
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError("ING-01", advice)
    if _ENCRYPTION_INFO in data:
        # a password-protected .docx is stored as an OLE2 file holding an EncryptionInfo stream
        raise ReadError("ING-01", "该Word文件已加密，请去除密码后重新发送。")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"in.{kind}"
        path.write_bytes(data)
        # an OLE2 file without a Word stream (a damaged file) is left to antiword's quick refusal
        word = kind == "wps" or _WORD_STREAM in data
        converted = libreoffice_to_docx(path, Path(tmp) / "out") if word else None
        if converted is not None:
            try:
                doc = doc_from_docx(converted)
            except ReadError:
                doc = None
            if doc is not None and any(len(r.cells) > 1 for r in doc.rows):
                doc.kind = kind
                return doc
        try:
            proc = subprocess.run(
                ["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)],
                capture_output=True,
                timeout=ANTIWORD_TIMEOUT,
                check=False,
            )
        except FileNotFoundError as exc:  # not the file's fault: the machine lacks antiword
            log.warning("antiword is not installed: .doc/.wps files cannot be read (apt-get install antiword)")
            raise ReadError("ING-01", MSG_NO_ANTIWORD) from exc
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ReadError("ING-01", advice) from exc
    if proc.returncode != 0 or not proc.stdout.strip():
        if b"encrypt" in proc.stderr.lower():
            raise ReadError("ING-01", "该Word文件已加密，请去除密码后重新发送。")
        raise ReadError("ING-01", advice)
    return doc_from_text(proc.stdout.decode("utf-8", errors="replace"), kind=kind)


#: Seconds LibreOffice may take to convert one .doc/.wps (a warm start takes ~1 s, a first start with
#: a new profile 3–5 s); past it the file is read with antiword instead.
LIBREOFFICE_TIMEOUT = 12
#: Address-space cap of the LibreOffice process (it maps ~1 GB at start; a parse worker's own cap,
#: NIANBAO_PARSE_MEMORY_MB, is replaced by this one in the child).
LIBREOFFICE_MEMORY = 2 * 1024**3


def _libreoffice_limits() -> None:  # runs in the child between fork and exec
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = LIBREOFFICE_MEMORY if hard == resource.RLIM_INFINITY else min(LIBREOFFICE_MEMORY, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


_PROFILES: set[Path] = set()


def libreoffice_to_docx(path: Path, outdir: Path) -> bytes | None:
    """``path`` converted to .docx by headless LibreOffice, or None (not installed, failed, too slow)."""
    return libreoffice_convert(path, outdir, "docx")


def libreoffice_convert(path: Path, outdir: Path, fmt: str, *, timeout: float = LIBREOFFICE_TIMEOUT,
                        env: dict[str, str] | None = None) -> bytes | None:
    """``path`` converted to ``fmt`` (docx, pdf) by headless LibreOffice, or None (not installed, failed, too slow).

    ``env`` replaces the child's environment (e.g. a FONTCONFIG_FILE for the PDF's fonts).

    Each process keeps its own LibreOffice profile (a profile cannot be shared by two running
    instances; parse workers run in parallel); a conversion past the timeout is killed with its
    whole process group (soffice forks soffice.bin)."""
    import atexit
    import os
    import shutil
    import signal

    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        return None
    profile = Path(tempfile.gettempdir()) / f"nianbao-lo-{os.getuid()}-{os.getpid()}"
    if profile not in _PROFILES:
        _PROFILES.add(profile)
        atexit.register(shutil.rmtree, profile, True)
    cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
           "--convert-to", fmt, "--outdir", str(outdir), str(path)]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                start_new_session=True, preexec_fn=_libreoffice_limits, env=env)  # noqa: PLW1509
    except OSError:
        return None
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()
        return None
    out = outdir / f"{path.stem}.{fmt}"
    return out.read_bytes() if proc.returncode == 0 and out.is_file() else None
