"""The fast paths of the reader give exactly what the plain computations they replace give."""

from __future__ import annotations

import random
import sys
import unicodedata

from bot.reading import cells, meta
from bot.reading.doc import clean_artefacts

_TRICKY = (
    list(" \t\n\r\xa0\u3000\u200b\u2028\u2029\"'“”‘’「」『』，。；：（）！？％…～ａＺ１９")
    + [chr(c) for c in range(0x2000, 0x2070)]
    + [chr(c) for c in range(0xFF00, 0xFF70)]
    + [
        "e",
        "\u0301",
        "\u0308",
        "\u1100",
        "\u1161",
        "\u11a8",
        "\uac00",
        "\u2f00",
        "\uf900",
        "\u2460",
        "\u3200",
    ]
    + ["\U0001d15e", "\U00011099", "\U000110ba", "\U0002f800"]
    + list("中文年度报告申请办结件")
)


def _strings(n: int, alphabet: list[str], longest: int = 14) -> list[str]:
    rng = random.Random(20260101)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def test_nfkc_is_unicodedata_nfkc() -> None:
    for s in _strings(20000, _TRICKY):
        assert cells.nfkc(s) == unicodedata.normalize("NFKC", s), repr(s)


def test_squash_and_clean_cell_fast_paths() -> None:
    for s in _strings(20000, _TRICKY):
        plain = cells._SPACE_RE.sub("", unicodedata.normalize("NFKC", s))
        assert cells.squash(s) == cells._QUOTES_RE.sub("", plain), repr(s)
        assert cells.clean_cell(s) == cells._SPACE_RE.sub(" ", s).strip(), repr(s)


def test_space_class_is_space_or_unprintable() -> None:
    """The fast paths skip _SPACE_RE when a string is printable and has no (double) ASCII space."""
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if cells._SPACE_RE.match(c):
            assert c == " " or not c.isprintable(), hex(cp)


def test_clean_artefacts_fast_path() -> None:
    counts: dict[str, int] = {}
    assert clean_artefacts("a[bookmark:x]b[image:y]c<!-- z -->d", counts) == "abcd"
    assert counts == {"Word书签标记": 1, "图片占位标记": 1, "HTML注释残留": 1}


def test_prose_patterns_by_clause_match_whole_text() -> None:
    words = [
        "收到",
        "申请",
        "共",
        "全年",
        "新收",
        "受理",
        " 12 ",
        "件",
        "结转",
        "下年度",
        "。",
        "，",
        ",",
        "；",
        "%",
        "％",
        " 3.5",
        "未",
        "没有",
        "依申请公开",
        "情况",
        "复议",
        "行政复议",
        "的",
        "\n",
        "占",
        "7",
        "0",
        "上",
    ]
    for text in _strings(5000, words, longest=40):
        flat = cells.nfkc(text)
        clauses: list[tuple[int, str]] = []
        for pattern in meta._BY_CLAUSE:
            whole = [m.groups() + (m.group(0), m.start()) for m in pattern.finditer(flat)]
            fast = [m.groups() + (m.group(0), base + m.start()) for m, base in meta._finditer(pattern, flat, clauses)]
            assert fast == whole, (pattern.pattern, text)
