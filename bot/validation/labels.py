"""How findings name cells and print numbers, so every message points at the same wording.

``where`` strings follow one pattern a clerk can find in the printed table: 「表3 “总计”列」,
「表3 “本年新收”行」, 「表3 “予以公开·总计”」, 「表4 未经复议直接起诉」.
"""

from __future__ import annotations

from bot.reading.cells import is_chinese_numeral
from bot.report import Number, Value
from bot.schema import (
    T2_EN,
    T2_LABELS,
    T3_COLUMN_LABELS,
    T3_COLUMN_LABELS_EN,
    T3_ROW_EN,
    T3_ROW_SHORT,
    T4_BLOCK_EN,
    T4_COLUMN_EN,
    T4_COLUMN_LABELS,
)

#: Raw texts that mean "nothing was filled in" (treated as blank, never as 0).
BLANK_MARKS = frozenset({"", "/", "-", "—", "–", "－", "——", "空", "无", "\\", "／"})

#: Short 表4 block names as printed in the header.
T4_BLOCK_SHORT: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}


def num(x: Number | None) -> str:
    """A number as a clerk writes it: 3, 1.5 (never 3.0); a blank as 「空」."""
    if x is None:
        return "空"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def count_en(n: int, noun: str) -> str:
    """「1 blank cell」, 「3 blank cells」."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def is_blank(v: Value) -> bool:
    """True for an empty cell or one holding only a dash/slash — as the document has it: a cell the
    reader could not read (``Value.doubt``) is not a blank."""
    return v.value is None and not v.doubt and v.raw.strip() in BLANK_MARKS


def is_text(v: Value) -> bool:
    """True for a cell with text that is not a number (「五」「若干」); unread cells are not text."""
    return v.value is None and not v.doubt and v.raw.strip() not in BLANK_MARKS


def bad_count(v: Value) -> bool:
    """True when a count cell holds a negative or fractional number, plain text, or a number written in
    Chinese numerals (「三十二」: read as 32 for the arithmetic, but to be typed as digits). A cell whose
    reading is in doubt is not judged: 「1.5」 may be a misread 「15」."""
    if v.doubt:
        return False
    x = v.value
    if x is None:
        return is_text(v)
    if is_chinese_numeral(v.raw):
        return True
    return x < 0 or (x.__class__ is not int and x != int(x))


def row_short(row: str, fmt: str = "2021") -> str:
    if fmt == "2019" and row == "other_other":
        return "其他处理"
    return T3_ROW_SHORT.get(row, row)


def row_en(row: str) -> str:
    return T3_ROW_EN.get(row, row)


def col_label(col: str) -> str:
    return T3_COLUMN_LABELS.get(col, col)


def col_en(col: str) -> str:
    return T3_COLUMN_LABELS_EN.get(col, col)


def t3_col(col: str) -> str:
    return f"表3 “{col_label(col)}”列"


def t3_row(row: str, fmt: str = "2021") -> str:
    return f"表3 “{row_short(row, fmt)}”行"


def t3_cell(row: str, col: str, fmt: str = "2021") -> str:
    return f"表3 “{row_short(row, fmt)}·{col_label(col)}”"


def t4_block(block: str) -> str:
    return f"表4 {T4_BLOCK_SHORT.get(block, block)}"


def t4_cell(block: str, col: str) -> str:
    return f"表4 {T4_BLOCK_SHORT.get(block, block)}·{T4_COLUMN_LABELS.get(col, col)}"


def t4_cell_en(block: str, col: str) -> str:
    return f"{T4_BLOCK_EN.get(block, block)} / {T4_COLUMN_EN.get(col, col)}"


def t2_cell(row: str, col: str = "value") -> str:
    if col == "value":
        return f"表2 “{T2_LABELS.get(row, row)}”"
    return f"表2 “{T2_LABELS.get(row, row)} {T2_LABELS.get(col, col)}”"


def t2_cell_en(row: str, col: str = "value") -> str:
    if col == "value":
        return T2_EN.get(row, row)
    return f"{T2_EN.get(row, row)} {T2_EN.get(col, col)}"
