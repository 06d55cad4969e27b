"""Find a font that can draw Chinese, so chart labels are text and not empty boxes (tofu).

matplotlib's default DejaVu Sans has no CJK glyphs. We look for a known CJK family among the fonts
matplotlib already knows, then at the usual file locations (Debian's fonts-wqy-microhei, Noto CJK,
Windows/macOS fonts) and finally ask fontconfig (``fc-list :lang=zh``). Every candidate is *checked*:
the font file must map the sample characters to real glyphs. If nothing is found we log one clear
warning and the charts fall back to English titles and pinyin labels (:func:`romanize`).
Set ``NIANBAO_CJK_FONT=/path/to/font.ttf`` to force a font.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

logger = logging.getLogger(__name__)

#: Characters a usable font must cover (office names, chart titles).
SAMPLE = "鹿山街道年报申请新收办结公开率"

#: Preferred families, best first.
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)

#: Where those fonts usually live when matplotlib has not indexed them.
KNOWN_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)


@dataclass(frozen=True)
class CJKFont:
    """A font file that covers Chinese, registered with matplotlib under ``family``."""

    family: str
    path: str


def covers(path: str | Path, text: str = SAMPLE) -> bool:
    """True when the font file has a glyph for every character of ``text`` (glyph index 0 = missing)."""
    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in text if not ch.isspace())


def _register(path: str) -> CJKFont | None:
    """Check a font file and make matplotlib know it; the family name comes from the file itself."""
    if not Path(path).is_file() or not covers(path):
        return None
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    if path not in known:
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError) as exc:
            logger.debug("cannot register font %s: %s", path, exc)
            return None
    return CJKFont(family=FT2Font(path).family_name, path=path)


def _fontconfig_paths() -> list[str]:
    """Font files fontconfig says support Chinese (empty when fc-list is not installed)."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.split(":")[0].strip() for line in out.splitlines() if line.strip()]


def _candidates() -> list[str]:
    paths: list[str] = []
    forced = os.environ.get("NIANBAO_CJK_FONT", "").strip()
    if forced:
        paths.append(forced)
    by_family = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    paths += [by_family[name] for name in CJK_FAMILIES if name in by_family]
    paths += list(KNOWN_PATHS)
    paths += _fontconfig_paths()
    return list(dict.fromkeys(paths))


@functools.cache
def cjk_font() -> CJKFont | None:
    """The first checked CJK-capable font, registered with matplotlib; ``None`` (and a warning) if none."""
    for path in _candidates():
        found = _register(path)
        if found is not None:
            logger.debug("CJK font for charts: %s (%s)", found.family, found.path)
            return found
    logger.warning(
        "No Chinese (CJK) font found for charts; labels fall back to English/pinyin. "
        "Install one, e.g. `apt-get install fonts-wqy-microhei` or fonts-noto-cjk, "
        "or set NIANBAO_CJK_FONT=/path/to/font.ttf."
    )
    return None


def romanize(text: str) -> str:
    """Pinyin for Chinese text (``鹿山`` → ``Lushan``), for charts drawn without a CJK font."""
    from bot.pinyin import spell

    out: list[str] = []
    run = ""  # a run of Chinese characters, romanised as one capitalised word (鹿山 → Lushan)
    for ch in [*text, ""]:
        if ch and "\u4e00" <= ch <= "\u9fff":
            run += ch
            continue
        if run:
            out.append(spell(run).capitalize())
            run = ""
        out.append(ch)
    return "".join(out)
