"""The .docx turned into a PDF by headless LibreOffice (``soffice --convert-to pdf``), where it is installed.

The conversion is the reading side's (:func:`bot.reading.sources.libreoffice_convert`): its own profile
per process, a hard timeout that kills the whole LibreOffice process group, a memory cap. One conversion
at a time per process, because two LibreOffice instances cannot share that profile. LibreOffice embeds a
subset of every font it draws with, so the PDF shows the same Chinese text on any reader.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from bot.reading.sources import libreoffice_convert

#: Seconds a conversion may take (LibreOffice starts in 2–5 s; a 通报 with charts converts in a few more).
PDF_TIMEOUT = 90

_LOCK = threading.Lock()


def pdf_available() -> bool:
    """True when LibreOffice (soffice) is on the PATH."""
    return (shutil.which("soffice") or shutil.which("libreoffice")) is not None


def docx_to_pdf(docx: bytes, *, name: str = "document", timeout: float = PDF_TIMEOUT) -> bytes | None:
    """The PDF of a .docx, or None (LibreOffice missing, failed or too slow). Blocking: call in a thread."""
    if not pdf_available():
        return None
    with _LOCK, tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(docx)
        return libreoffice_convert(source, Path(tmp) / "out", "pdf", timeout=timeout)
