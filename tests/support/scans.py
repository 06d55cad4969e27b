"""Scans and phone photos of our own reports, for the OCR tests and bench/ocr.py.

A report is written as a Word file with ruled tables (as offices print them), turned into a PDF by
LibreOffice, rasterised by ``pdftoppm`` (150 or 300 dpi, a scanner) and, for a "phone photo", turned a
little, blurred and saved as JPEG with Pillow. ``scanned_pdf`` puts page images back into an
image-only PDF (what an office's 「图片版」 is).
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.report import Report
from tests.support.render import _blocks, render_docx


def ruled_docx(report: Report) -> bytes:
    """The report as .docx with bordered tables, label columns wider than number columns."""
    return render_docx(report, ruled=True)


def soffice_available() -> bool:
    return shutil.which("soffice") is not None and shutil.which("pdftoppm") is not None


def to_pdf(docx_bytes: bytes) -> bytes:
    """LibreOffice's PDF of a .docx (a private profile, so parallel runs do not collide)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx_bytes)
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180,
        )
        return (Path(tmp) / "report.pdf").read_bytes()


def rasterise(pdf: bytes, dpi: int) -> list[bytes]:
    """PNG bytes of each page at ``dpi`` (pdftoppm, grey like a scanner)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(src), f"{tmp}/p"], check=True,
                       capture_output=True, timeout=180)
        return [p.read_bytes() for p in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))]


def phone_photo(png: bytes, seed: int = 0) -> bytes:
    """A page as a phone would take it: turned 0.5–2°, slightly blurred, uneven light, JPEG."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    angle = rng.choice([-1, 1]) * rng.uniform(0.5, 2.0)
    image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(200, 200, 195))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.3)))
    w, h = image.size
    shade = Image.linear_gradient("L").resize((w, h)).point(lambda v: 255 - v // 6)
    image = Image.composite(image, Image.new("RGB", (w, h), (150, 150, 140)), shade)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def scanned_pdf(pages: list[bytes], dpi: int = 150) -> bytes:
    """An image-only PDF of the page images (no text layer)."""
    from PIL import Image

    images = [Image.open(io.BytesIO(p)).convert("L") for p in pages]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue()


# -- drawn pages (no LibreOffice needed): the tests' images and OFD files --------------------------

#: A4 at 150 dpi.
PAGE_W, PAGE_H, MARGIN = 1240, 1754, 90


def _font(size: int):
    from PIL import ImageFont

    from bot.exports.fonts import cjk_font

    font = cjk_font()
    if font is None:
        hint = "no CJK font to draw pages with (apt-get install fonts-wqy-microhei)"
        if "pytest" in sys.modules:
            import pytest

            pytest.skip(hint)
        raise RuntimeError(hint)
    return ImageFont.truetype(font.path, size)


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def layout(report: Report, *, font_px: int = 22, only: str | None = None) -> list[list[tuple[str, float, float, float, float]]]:
    """The report laid out on A4 pages at 150 dpi: per page, (text, x0, y0, x1, y1) of every text run,
    plus table rules as ``("|rule|", …)`` entries. ``only="t3"`` lays out just 表3 (a photo of one table)."""
    font = _font(font_px)
    pages: list[list[tuple[str, float, float, float, float]]] = [[]]
    y = MARGIN
    line_h = font_px * 1.5

    def put(text: str, x: float, top: float) -> None:
        if text:
            w = font.getlength(text)
            pages[-1].append((text, x, top, x + w, top + font_px))

    def need(height: float) -> None:
        nonlocal y
        if y + height > PAGE_H - MARGIN:
            pages.append([])
            y = MARGIN

    blocks = _blocks(report)
    if only == "t3":
        blocks = [b for b in blocks if b[0] == "table" and any("申请人情况" in c for r in b[1] for c in r)]  # type: ignore[union-attr]
    usable = PAGE_W - 2 * MARGIN
    for kind, content in blocks:
        if kind == "p":
            for part in _wrap(str(content), int(usable // font_px)):
                need(line_h)
                put(part, MARGIN, y)
                y += line_h
            y += font_px * 0.5
            continue
        rows: list[list[str]] = content  # type: ignore[assignment]
        width = max(len(r) for r in rows)
        if width >= 15:
            widths = [usable / width] * width
        elif width >= 9:
            widths = [usable * 0.14, usable * 0.30] + [usable * 0.56 / (width - 2)] * (width - 2)
        elif width > 1:
            widths = [usable * 0.4] + [usable * 0.6 / (width - 1)] * (width - 1)
        else:
            widths = [usable]
        for row in rows:
            cells = row + [""] * (width - len(row))
            chars = [max(1, int((w - 12) // font_px)) for w in widths]
            wrapped = [_wrap(c, n) for c, n in zip(cells, chars, strict=True)]
            height = max(len(w) for w in wrapped) * line_h + 8
            need(height)
            x = MARGIN
            for w, lines_ in zip(widths, wrapped, strict=True):
                for i, text in enumerate(lines_):
                    put(text, x + 6, y + 6 + i * line_h)
                pages[-1].append(("|rule|", x, y, x + w, y + height))
                x += w
            y += height
        y += font_px
    return pages


def draw(page: list[tuple[str, float, float, float, float]], *, font_px: int = 22):
    """One laid-out page as a greyscale PIL image (black text, ruled cells)."""
    from PIL import Image, ImageDraw

    font = _font(font_px)
    image = Image.new("L", (PAGE_W, PAGE_H), 255)
    pen = ImageDraw.Draw(image)
    for text, x0, y0, x1, y1 in page:
        if text == "|rule|":
            pen.rectangle((x0, y0, x1, y1), outline=0, width=1)
        else:
            pen.text((x0, y0), text, fill=0, font=font)
    return image


def png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()
