"""Cell text → number, and the normalisation used to compare labels.

Real cells hold 「 0」「0 」「０」「零」「/」「-」「空」「251000元」「1.5」; a blank stays blank (``None``),
never 0 (CONTRACT.md). A number is always finite and of a sane size: 「1e400」, 「inf」 or a 5,000-digit
run is kept as text (``value`` None, ``raw`` shortened), which the rules report as a bad cell (T3-04),
so no rule ever meets an infinity, a NaN or an integer too large for a float.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from bot.report import Value

_SPACE_RE = re.compile(r"[\s\u00a0\u3000\u200b]+")
_QUOTES_RE = re.compile(r"[\"'“”‘’「」『』]")
_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_UNIT_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(?:件|条|个|项|元|万元|次|人)$")
#: 「1e308」「2.5E3」: a number in scientific notation — a value cell (the row is kept), never a count.
#: 「1,234」「12,345.5」: thousands separators (Excel's number format, typed by some offices); groups of
#: exactly three digits, so 「1,2」 or 「12,34」 (two cells run together) stay text.
_THOUSANDS_RE = re.compile(r"^([+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?=\D|$)")
_SCIENTIFIC_RE = re.compile(r"^[+-]?\d{1,20}(?:\.\d{1,20})?[eE][+-]?\d{1,6}$")
#: Chinese numerals a clerk may type into a count cell: 「三十二」「一百零五」「两千」.
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10_000}
_CN_NUMERAL_RE = re.compile("^[" + "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "]{1,12}$")
#: Digits a count or an amount may have (an amount in 元 of a big government: 13). More is not a number.
MAX_DIGITS = 15
#: Longest raw text kept for a cell that is not a number: enough for a message, never a flood.
MAX_RAW = 40
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


def _no_thousands(s: str) -> str:
    """「1,234」→「1234」 (also before a unit: 「1,234件」); any other text unchanged."""
    if "," not in s:
        return s
    m = _THOUSANDS_RE.match(s)
    return m.group(1).replace(",", "") + s[m.end():] if m else s


def _squash(text: str) -> str:
    s = nfkc(text)
    # every character _SPACE_RE removes is either " " or not printable: most lines skip that scan
    if " " in s or not s.isprintable():
        s = _SPACE_RE.sub("", s)
    if "其它" in s:
        s = s.replace("其它", "其他")  # the common variant offices type (「其它法律行政法规」「其它结果」)
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
    s = _no_thousands(squash(text))
    if not s:
        return False
    return bool(
        _NUMBER_RE.match(s) or _UNIT_RE.match(s) or s in _SLASHES or s in _CN_ZERO or _SCIENTIFIC_RE.match(s)
        # 「三十二」 in a cell is a number; a lone 「一」「三」 is far more often a header set one character
        # per line (「第一项…」) or a row numeral than a count typed in words.
        or (len(s) > 1 and chinese_number(s) is not None)
    )


def is_digits(text: str) -> bool:
    """A bare run of digits (candidate for glued cells)."""
    s = squash(text)
    return s.isdigit()


def chinese_number(text: str) -> int | None:
    """「三十二」→ 32, 「一百零五」→ 105, 「两千」→ 2000; None when the text is not a Chinese numeral.

    Read as a number so the table's arithmetic still checks, and flagged by the rules (a count cell
    holds Arabic digits: :func:`is_chinese_numeral`)."""
    if not _CN_NUMERAL_RE.match(text):
        return None
    total = section = digit = 0
    seen_digit = False
    for ch in text:
        if ch in _CN_DIGITS:
            digit, seen_digit = _CN_DIGITS[ch], True
        elif ch == "万":
            section = (section + digit) * 10_000
            total, section, digit, seen_digit = total + section, 0, 0, False
        else:
            unit = _CN_UNITS[ch]
            section += (digit if seen_digit else 1) * unit
            digit, seen_digit = 0, False
    return total + section + digit


def is_chinese_numeral(raw: str) -> bool:
    """True for a cell written in Chinese numerals other than 「零」 (「三十二」): a number, but to be typed
    in Arabic digits (T3-04 names it)."""
    s = squash(raw)
    return s not in _CN_ZERO and chinese_number(s) is not None


def _shorten(raw: str) -> str:
    return raw if len(raw) <= MAX_RAW else raw[: MAX_RAW - 1] + "…"


def parse_value(text: str, where: str = "") -> Value:
    """One cell as a :class:`Value`; ``raw`` keeps the cell text as found (stripped, shortened when absurd).

    ``value`` is a finite number of at most :data:`MAX_DIGITS` digits, or None (blank or text)."""
    raw = clean_cell(text)
    s = squash(raw)
    if not s:
        return Value(None, "", where)
    if s in _SLASHES:
        return Value(None, raw, where)
    if s in _CN_ZERO:
        return Value(0, raw, where)
    s = _no_thousands(s)
    m = _NUMBER_RE.match(s) or _UNIT_RE.match(s)
    if not m:
        cn = chinese_number(s)
        return Value(cn, _shorten(raw), where)
    num = m.group(1) if m.re is _UNIT_RE else m.group(0)
    if len(num) > MAX_DIGITS + 2:  # 「999…9」: past any count (and past int()'s 4,300-digit limit)
        return Value(None, _shorten(raw), where)
    number: int | float = float(num) if "." in num else int(num)
    if isinstance(number, float) and not math.isfinite(number):
        return Value(None, _shorten(raw), where)
    return Value(number, raw, where)
