"""Cell text → number, and the normalisation used to compare labels.

Real cells hold 「 0」「0 」「０」「零」「/」「-」「空」「251000元」「1.5」; a blank stays blank (``None``),
never 0 (CONTRACT.md).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.report import Value

_SPACE_RE = re.compile(r"[\s\u00a0\u3000\u200b]+")
_QUOTES_RE = re.compile(r"[\"'“”‘’「」『』]")
_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_UNIT_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(?:件|条|个|项|元|万元|次|人)$")
_SLASHES = {"/", "-", "—", "－", "－－", "--", "——", "空", "无", "\\", "／", "_"}
_CN_ZERO = {"零", "〇"}


def nfkc(text: str) -> str:
    """Full-width → half-width (digits, brackets, punctuation) for matching."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=8192)
def _squash_cached(text: str) -> str:
    return _QUOTES_RE.sub("", _SPACE_RE.sub("", nfkc(text)))


def squash(text: str) -> str:
    """Label key: NFKC, no whitespace, no quotes — 「结果 纠正」 and 「结果纠正」 compare equal.

    Cell-sized strings are cached (the same labels and numbers recur in every report)."""
    if len(text) < 120:
        return _squash_cached(text)
    return _QUOTES_RE.sub("", _SPACE_RE.sub("", nfkc(text)))


def clean_cell(text: str) -> str:
    """Strip every kind of space around a cell (NBSP and ideographic space included)."""
    return _SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=8192)
def is_value_cell(text: str) -> bool:
    """True when the cell holds a number, a slash/dash/「空」 blank marker or a number with a unit."""
    s = squash(text)
    if not s:
        return False
    return bool(_NUMBER_RE.match(s) or _UNIT_RE.match(s) or s in _SLASHES or s in _CN_ZERO)


def is_digits(text: str) -> bool:
    """A bare run of digits (candidate for glued cells)."""
    s = squash(text)
    return s.isdigit()


def parse_value(text: str, where: str = "") -> Value:
    """One cell as a :class:`Value`; ``raw`` keeps the cell text as found (stripped)."""
    raw = clean_cell(text)
    s = squash(raw)
    if not s:
        return Value(None, "", where)
    if s in _SLASHES:
        return Value(None, raw, where)
    if s in _CN_ZERO:
        return Value(0, raw, where)
    m = _NUMBER_RE.match(s) or _UNIT_RE.match(s)
    if not m:
        return Value(None, raw, where)
    num = m.group(1) if m.re is _UNIT_RE else m.group(0)
    number: int | float = float(num) if "." in num else int(num)
    return Value(number, raw, where)
