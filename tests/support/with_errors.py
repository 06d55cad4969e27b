"""Real reports with real errors, for the documents (notice, 通报) and their end-to-end tests.

The 鹿山 seed (examples/001) is a real published report that passes; one digit changed in its 表3 (the
法律服务机构 cell of 「本年新收」, 3 → 5) gives the two arithmetic errors a clerk really makes: the column
no longer balances (T3-01) and the row no longer adds up to its 总计 (T3-03). The 青石山 seed has a real
error as published (42 blank 表3 cells, T3-05).
"""

from __future__ import annotations

from tests.support.paths import EXAMPLES

LUSHAN = EXAMPLES / "001_4a81d0f783bbd2ce.txt"
QINGSHISHAN = EXAMPLES / "000_8a98d14e0f134c31.txt"
HONGQI = EXAMPLES / "004_0cabfea7d7ace98a.txt"
#: The 0-based line of the 法律服务机构 cell of 「本年新收」 in the 鹿山 seed.
_CELL_LINE = 83


def lushan_with_errors() -> bytes:
    """The 鹿山 2021 report with 本年新收·法律服务机构 typed as 5 instead of 3."""
    lines = LUSHAN.read_text(encoding="utf-8").split("\n")
    assert lines[_CELL_LINE].strip() == "3", "the 鹿山 seed changed: find the cell again"
    lines[_CELL_LINE] = lines[_CELL_LINE].replace("3", "5")
    return "\n".join(lines).encode("utf-8")


def lushan_fixed() -> bytes:
    """The corrected 鹿山 report (a new version: the original text plus a revision note)."""
    return LUSHAN.read_bytes() + "\n（2022年2月修订）\n".encode()
