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


#: Blocks whose characters commonly change under NFKC in Chinese text (full-width forms, ideographic
#: space, enclosed numbers, Kangxi radicals, CJK compatibility ideographs …).
_NFKC_BLOCKS = (
    (0x00A0, 0x0100), (0x2000, 0x2070), (0x2100, 0x2190), (0x2460, 0x2500), (0x2F00, 0x2FE0),
    (0x3000, 0x3040), (0x3200, 0x3400), (0xF900, 0xFB00), (0xFE10, 0xFE70), (0xFF00, 0xFFF0),
)
_NFKC_TABLE: dict[str, str] = {
    c: n
    for a, b in _NFKC_BLOCKS
    for c in map(chr, range(a, b))
    if (n := unicodedata.normalize("NFKC", c)) != c
}
#: The most frequent ones, replaced with str.replace (C speed) before anything else.
_NFKC_COMMON = tuple((c, _NFKC_TABLE[c]) for c in "，：；（）！？％\u3000\xa0…")
_NFKC_RARE_RE = re.compile("[" + "".join(re.escape(c) for c in _NFKC_TABLE) + "]")


def _nfkc_char(m: re.Match[str]) -> str:
    return _NFKC_TABLE[m.group()]


def nfkc(text: str) -> str:
    """Full-width → half-width (digits, brackets, punctuation) for matching.

    Exactly ``unicodedata.normalize("NFKC", text)``, but fast on Chinese text, where full-width
    punctuation makes ``normalize`` recompose every character. Replacing a character by its own NFKC
    form never changes the NFKC of the whole string, so the common ones are replaced first; what is
    left is then usually already normalised and ``normalize`` returns after its quick check."""
    if text.isascii():
        return text
    for c, n in _NFKC_COMMON:
        if c in text:
            text = text.replace(c, n)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", _NFKC_RARE_RE.sub(_nfkc_char, text))


def _squash(text: str) -> str:
    s = nfkc(text)
    # every character _SPACE_RE removes is either " " or not printable: most lines skip that scan
    if " " in s or not s.isprintable():
        s = _SPACE_RE.sub("", s)
    return _QUOTES_RE.sub("", s)


_squash_cached = lru_cache(maxsize=8192)(_squash)


def squash(text: str) -> str:
    """Label key: NFKC, no whitespace, no quotes — 「结果 纠正」 and 「结果纠正」 compare equal.

    Cell-sized strings are cached (the same labels and numbers recur in every report)."""
    if len(text) < 120:
        return _squash_cached(text)
    return _squash(text)


def clean_cell(text: str) -> str:
    """Strip every kind of space around a cell (NBSP and ideographic space included)."""
    if "  " not in text and text.isprintable():
        return text.strip()  # no run for _SPACE_RE to collapse (see _squash)
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
