"""Hostile inputs for every reader: hand-built attacks and seeded mutations of correct reports (issue 19).

Used by ``tests/bot/reading/test_fuzz.py`` (small sizes, in ``make test``) and ``bench/hostile.py`` (large
sizes, in ``make bench``). Every case is built from a seed, so a failure names the seed that reproduces it.
Each case is ``(name, filename, data)``; the reader must answer every one with a report or an ING code,
within the worker's bounds, and never let an exception escape or be logged.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Iterator

from tests.support.factories import make_report
from tests.support.render import render_docx, render_html, render_txt

Case = tuple[str, str, bytes]

#: What a clerk (or an attacker) types into a count cell instead of a number.
BAD_CELLS = ("见附件", "三十二", "1e308", "1e400", "inf", "NaN", "-Infinity", "9" * 5000, "１２", "—", "若干",
             "0x1F", "1_000", "١٢", "3.", ".5", "+-3", "1e-400", "十万八千", "〇")


# -- building blocks -------------------------------------------------------------------------------------


def report_txt(seed: int = 1, layout: str = "rows") -> str:
    return render_txt(make_report(seed), layout)


def with_t3_cell(text: str, cell: str, row: str = "本年新收", col: int = 1) -> str:
    """The ``rows``-layout text with one 表3 cell of ``row`` replaced by ``cell``."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        parts = line.split("\t")
        if any(row in p for p in parts) and len(parts) >= 9:
            parts[-7 + col] = cell
            lines[i] = "\t".join(parts)
            return "\n".join(lines)
    raise ValueError(f"no 表3 row {row!r}")


def zip_of(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _member_data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + name_len + extra_len


def corrupt_member(data: bytes, member: str) -> bytes:
    """Spoil the deflate stream of one member: reading it raises ``zlib.error`` (invalid block type)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    at = _member_data_offset(data, info)
    return data[:at] + b"\xff\xff\xff\xff" + data[at + 4 :]


def set_method(data: bytes, method: int) -> bytes:
    """Claim an unsupported compression method for every member (``NotImplementedError`` on read)."""
    out = bytearray(data)
    i = 0
    while (i := out.find(b"PK\x03\x04", i)) >= 0:
        out[i + 8 : i + 10] = struct.pack("<H", method)
        i += 4
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) >= 0:
        out[i + 10 : i + 12] = struct.pack("<H", method)
        i += 4
    return bytes(out)


def lie_sizes(data: bytes, size: int) -> bytes:
    """Every member claims ``size`` bytes unpacked (local header and central directory)."""
    out = bytearray(data)
    i = 0
    while (i := out.find(b"PK\x03\x04", i)) >= 0:
        out[i + 22 : i + 26] = struct.pack("<I", size)
        i += 4
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) >= 0:
        out[i + 24 : i + 28] = struct.pack("<I", size)
        i += 4
    return bytes(out)


@functools.cache
def good_docx(seed: int = 1) -> bytes:
    """A rendered report .docx (python-docx is slow to build one: built once per seed)."""
    return render_docx(make_report(seed))


def docx_with_body(body_xml: bytes, doctype: bytes = b"") -> bytes:
    """A real .docx whose document.xml is replaced (keeping every other part)."""
    good = good_docx()
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                zf.writestr(info, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + doctype
                            + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                            + body_xml + b"</w:document>")
            else:
                zf.writestr(info, src.read(info))
    return buf.getvalue()


def pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def circular_pdf() -> bytes:
    """A page tree whose /Pages node lists itself as its own kid."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])


def flate_bomb_pdf(megabytes: int) -> bytes:
    """One page whose content stream inflates to ``megabytes`` MB of text operators."""
    chunk = b"BT /F1 12 Tf 72 712 Td (0) Tj ET\n" * 30_000  # ~1 MB
    comp = zlib.compressobj(9)
    packed = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>",
                stream,
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ASCII text lines (Helvetica): a PDF any reader can open, no font needed."""
    ops = b"BT /F1 10 Tf 72 760 Td 14 TL " + b"".join(
        b"(" + ln.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]") + b") ' " for ln in lines
    ) + b"ET"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>",
                b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def _pdf_base() -> bytes:
    """A rendered report PDF (reportlab and a TrueType CJK font), else a plain text PDF."""
    try:
        from tests.support.render import render_pdf

        return render_pdf(make_report(7))
    except BaseException as exc:  # noqa: BLE001 - no usable CJK font (pytest.skip is a BaseException too)
        if isinstance(exc, KeyboardInterrupt):
            raise
        return text_pdf(["2021 annual report", *(" ".join(str(i + j) for j in range(7)) for i in range(40))])


def html_page(body: str, charset: str = "utf-8") -> bytes:
    return (f'<html><head><meta charset="{charset}"><title>政府信息公开工作年度报告</title></head>'
            f"<body>{body}</body></html>").encode()


# -- the hand-built campaign -----------------------------------------------------------------------------


def hand_built(scale: int = 1) -> Iterator[Case]:
    """Named attacks; ``scale`` 1 keeps each under a second in-process, 100 reproduces the campaign."""
    title = "青石山街道办事处2021年政府信息公开工作年度报告"
    yield "title only", "title.txt", (title + "\n").encode()
    yield "xxe docx, empty body", "xxe.docx", docx_with_body(
        b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body>",
        b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    yield "docx, title paragraph only", "title.docx", docx_with_body(
        f"<w:body><w:p><w:r><w:t>{title}</w:t></w:r></w:p></w:body>".encode())
    base = report_txt(2)
    for cell in BAD_CELLS:
        yield f"表3 cell {cell[:12]!r}", "cell.txt", with_t3_cell(base, cell).encode()
    yield "prose number of 5,000 digits", "prose.txt", base.replace(
        "二、", "本年共收到申请" + "9" * 5000 + "件。\n二、", 1).encode()
    yield "glued digits, 5,000 of them", "glued.txt", with_t3_cell(base, "1" * 5000, col=0).encode()
    good = report_txt(3).encode()
    members = [("a.txt", good), ("b.txt", report_txt(4).encode()), ("c.txt", report_txt(5).encode())]
    yield "zip, one corrupt member", "batch.zip", corrupt_member(zip_of(members), "b.txt")
    yield "zip, unsupported method", "method.zip", set_method(zip_of(members[:1]), 97)
    yield "docx, unsupported method", "method.docx", set_method(good_docx(), 97)
    yield "zip, lying sizes", "lie.zip", lie_sizes(zip_of([("a.txt", b"0" * (200_000 * scale))]), 1000)
    yield "docx, lying sizes", "lie.docx", lie_sizes(good_docx(), 100)
    yield "pdf, circular page tree", "loop.pdf", circular_pdf()
    yield "pdf, flate bomb", "bomb.pdf", flate_bomb_pdf(scale)
    yield "pdf, truncated", "cut.pdf", circular_pdf()[:120]
    yield "html, meta charset punycode", "puny.html", html_page("abc-" * (2_000 * scale) + "ü", "punycode")
    yield "html, meta charset idna", "idna.html", html_page("a." * (2_000 * scale), "idna")
    yield "html, meta charset rot13", "rot.html", html_page(title, "rot13")
    yield "html, <br> flood", "br.html", html_page(title + "<br>" * (20_000 * scale))
    yield "html, nested tables", "nest.html", html_page(title + "<table><tr><td>" * (2_000 * scale))
    yield "html, wide table", "wide.html", html_page(title + "<table><tr>" + "<td>1</td>" * (20_000 * scale)
                                                    + "</tr></table>")
    yield "txt, one long line", "line.txt", (title + "本年新收" + "1 " * (100_000 * scale)).encode()
    yield "txt, many tabs", "tabs.txt", (title + "\n" + "\t" * (200_000 * scale)).encode()
    yield "doc, OLE header and junk", "x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)
    yield "nested zip", "nest.zip", zip_of([("in.zip", zip_of(members[:1]))])
    yield "zip of 51 files", "many.zip", zip_of([(f"{i}.txt", good) for i in range(51)])


# -- seeded mutations -----------------------------------------------------------------------------------


def _bases(rng: random.Random) -> list[tuple[str, bytes]]:
    seed = rng.randrange(1000)
    report = make_report(seed)
    text = render_txt(report, rng.choice(["cells", "rows", "pipes"]))
    return [
        ("r.txt", text.encode()),
        ("r.docx", good_docx(seed % 4)),
        ("r.html", render_html(report)),
        ("r.zip", zip_of([("a.txt", text.encode()), ("b.html", render_html(report))])),
        ("r.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + text.encode("utf-16-le")),
    ]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(6)
    if not data:
        return data
    at = rng.randrange(len(data))
    if kind == 0:  # flip bytes
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == 1:  # truncate
        return data[:at]
    if kind == 2:  # insert junk
        return data[:at] + rng.randbytes(rng.randint(1, 200)) + data[at:]
    if kind == 3:  # duplicate a slice
        end = min(len(data), at + rng.randint(1, 2000))
        return data[:end] + data[at:end] * rng.randint(1, 5) + data[end:]
    if kind == 4:  # a hostile cell token among the numbers
        token = rng.choice(BAD_CELLS).encode()
        i = data.find(b"\t", at)
        return data if i < 0 else data[: i + 1] + token + data[i + 1 :]
    return data[:at] + data[at + rng.randint(1, 50) :]  # delete a run


#: Text a hostile or careless report carries: odd digits and numerals, huge runs, markup, control chars.
_TEXT_JUNK = (*BAD_CELLS, "\u200b", "\ufeff", "\x00", "\u202e", "①②③", "¹²³", "〇〇", "99999999999999999999",
              "本年新收政府信息公开申请数量", "（七）总计", "结转下年度继续办理", "行政复议", "<table>", "</td>",
              "\t" * 30, "|" * 30, "年" * 200, "第二十条第（一）项", "1e99999", "%" * 50)


def _mutate_text(text: str, rng: random.Random) -> str:
    """A change a text-level reader must survive: junk typed in, lines lost, repeated or shuffled."""
    lines = text.split("\n")
    kind = rng.randrange(5)
    i = rng.randrange(len(lines))
    if kind == 0:  # junk into a line (a cell, a label, prose)
        at = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:at] + rng.choice(_TEXT_JUNK) + lines[i][at:]
    elif kind == 1:  # a run of lines lost
        del lines[i : i + rng.randint(1, 8)]
    elif kind == 2:  # a run of lines repeated (a page break repeating a header, or more)
        lines[i:i] = lines[i : i + rng.randint(1, 8)] * rng.randint(1, 20)
    elif kind == 3:  # two lines swapped
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:  # a cell split or glued
        lines[i] = lines[i].replace("\t", "", 1) if rng.random() < 0.5 else lines[i].replace(" ", "\t", 1)
    return "\n".join(lines)


def mutated(seed: int, count: int, *, pdfs: bool = True) -> Iterator[Case]:
    """``count`` mutated files over every reader (txt/docx/html/zip/doc, and pdf when asked)."""
    rng = random.Random(seed)
    pdf_base: bytes | None = None
    for n in range(count):
        bases = _bases(rng)
        if pdfs and n % 6 == 5:
            if pdf_base is None:
                pdf_base = _pdf_base()
            bases = [("r.pdf", pdf_base)]
        name, data = rng.choice(bases)
        if name.endswith((".txt", ".html")) and rng.random() < 0.7:
            text = data.decode("utf-8")
            for _ in range(rng.randint(1, 6)):
                text = _mutate_text(text, rng)
            data = text.encode("utf-8")
        else:
            for _ in range(rng.randint(1, 3)):
                data = _mutate(data, rng)
        yield f"mutation {seed}:{n} of {name}", name, data


__all__ = ["BAD_CELLS", "Case", "hand_built", "mutated", "with_t3_cell", "zip_of"]
