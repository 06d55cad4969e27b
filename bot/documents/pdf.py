"""The .docx turned into a PDF by headless LibreOffice (``soffice --convert-to pdf``), where it is installed.

The conversion is the reading side's (:func:`bot.reading.sources.libreoffice_convert`): its own profile
per process, a hard timeout that kills the whole LibreOffice process group, a memory cap. One conversion
at a time per process, because two LibreOffice instances cannot share that profile.

Fonts: the documents name 宋体/仿宋/楷体/黑体, which a Linux server rarely has. Left alone, fontconfig would
draw every Chinese character with whatever CJK font it finds first (often a sans). The conversion gets its
own fontconfig file that keeps the system's and maps the serif 公文 fonts to an installed CJK serif (Noto
Serif CJK, Source Han Serif, AR PL UMing) and 黑体 to a CJK sans, so the PDF reads like the Word file.
LibreOffice embeds a subset of every font it draws with, so the PDF shows the same on any reader.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from bot.reading.sources import libreoffice_convert

#: Seconds a conversion may take (LibreOffice starts in 2–5 s; a 通报 with charts converts in a few more).
PDF_TIMEOUT = 90

SYSTEM_FONTS_CONF = Path("/etc/fonts/fonts.conf")
_SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN",
          "Noto Sans CJK SC", "WenQuanYi Micro Hei")
_SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
         "WenQuanYi Zen Hei", "Droid Sans Fallback")
#: The family each font named in the documents (bot/documents/style.py) should be drawn with.
ALIASES: dict[str, tuple[str, ...]] = {"宋体": _SERIF, "仿宋": _SERIF, "楷体": _SERIF, "黑体": _SANS}

_LOCK = threading.Lock()


def pdf_available() -> bool:
    """True when LibreOffice (soffice) is on the PATH."""
    return (shutil.which("soffice") or shutil.which("libreoffice")) is not None


def fonts_conf() -> str:
    """A fontconfig file: the system's configuration plus the 公文 font aliases above."""
    aliases = "".join(
        f'  <alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{family}</family>" for family in families)
        + "</prefer></alias>\n"
        for name, families in ALIASES.items()
    )
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{SYSTEM_FONTS_CONF}</include>\n{aliases}</fontconfig>\n')


def docx_to_pdf(docx: bytes, *, name: str = "document", timeout: float = PDF_TIMEOUT) -> bytes | None:
    """The PDF of a .docx, or None (LibreOffice missing, failed or too slow). Blocking: call in a thread."""
    if not pdf_available():
        return None
    with _LOCK, tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(docx)
        env = None
        if SYSTEM_FONTS_CONF.is_file() and "FONTCONFIG_FILE" not in os.environ:
            conf = Path(tmp) / "fonts.conf"
            conf.write_text(fonts_conf(), encoding="utf-8")
            env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
        return libreoffice_convert(source, Path(tmp) / "out", "pdf", timeout=timeout, env=env)
