"""The grid from positioned boxes when a ruled table's row lost digits (bot/reading/boxes.py).

表4's data row: 15 narrow cells between 16 vertical rules. The OCR detector drops the 「3」 next to the
table's border and three digits in the middle (they were joined with the rules into one box); the
image's rules give the cells back, and each empty cell is re-read. No OCR engine here: the boxes are what
the detector gave on our 300-dpi scans (bench/ocr.py), and ``recover`` reads the digit printed in a cell."""

from __future__ import annotations

from bot.reading.boxes import Box, page_rows

STEP = 71.0
RULES = [191.5 + STEP * i for i in range(16)]
ROW = ["3", "2", "1", "0", "6", "0", "1", "3", "1", "5", "0", "3", "1", "2", "6"]  # the printed row
Y0, Y1 = 549.0, 574.0


def _cell_box(i: int) -> Box:
    x0 = RULES[i] + 12  # digits sit left in their cell
    return Box(ROW[i], x0, Y0, x0 + 16, Y1, 0.99)


def _recover(x0: float, y0: float, x1: float, y1: float):
    """The digit printed in the one cell the area lies in (None when it spans a rule or is outside)."""
    cells = [i for i in range(15) if RULES[i] - 3 <= x0 and x1 <= RULES[i + 1] + 3]
    return (ROW[cells[0]], 0.97) if cells else None


def _rules(y0: float, y1: float) -> list[float]:
    return RULES


def _boxes(lost: set[int]) -> list[Box]:
    header = [Box("行政复议", 200, 400, 500, 430, 0.99), Box("行政诉讼", 560, 400, 1200, 430, 0.99)]
    return header + [_cell_box(i) for i in range(15) if i not in lost]


def test_a_ruled_row_missing_its_first_and_middle_digits_is_whole_again():
    lost = {0, 1, 2, 3}  # the border's 「3」 and the 「2」「1」「0」 joined with their rules
    rows = page_rows(_boxes(lost), _recover, _rules).rows
    assert rows[-1] == ROW


def test_without_the_rules_the_same_row_comes_out_short():
    """The control: the clustered columns alone cannot place the lost cells (so the test above can fail)."""
    rows = page_rows(_boxes({0, 1, 2, 3}), _recover).rows
    assert rows[-1] != ROW


def test_an_empty_cell_beyond_the_numbers_does_not_become_a_column():
    """A blank label cell left of the numbers, as wide as a number cell, reads nothing: it stays out."""
    def recover(x0, y0, x1, y1):
        return None if x1 <= RULES[1] + 3 else _recover(x0, y0, x1, y1)

    rows = page_rows(_boxes({0}), recover, _rules).rows
    assert rows[-1] == ROW[1:]


def test_a_heading_right_under_a_row_of_numbers_stays_its_own_line_on_a_page_of_tall_headers():
    """表4's last page (a phone photo, as OCR boxed it): the vertical header words are 3–5 lines tall, so
    the page's median box height is two text lines. 「五、存在的主要问题…」 sits one line under the row of
    numbers; it must stay a line of its own, not join the row (where it was dropped and gave a false
    STR-01 「缺少第五部分」)."""
    headers = [Box(word, 200 + 72 * i, 180, 235 + 72 * i, 180 + 150 + 10 * (i % 3), 1.0)
               for i, word in enumerate(("议结果维持", "讼结果纠正", "其他结果", "尚未审结", "总计", "复议后起诉"))]
    tall = [Box("果", 900 + 70 * i, 440, 935 + 70 * i, 518, 1.0) for i in range(6)]
    numbers = [Box(str(n), 200 + 72 * i, 563, 214 + 72 * i, 589, 1.0) for i, n in enumerate((3, 2, 1, 0, 6, 0))]
    heading = Box("五、存在的主要问题及改进情况", 199, 590, 548, 620, 0.98)
    prose = Box("主要问题是公开内容不够丰富。", 201, 647, 700, 674, 1.0)
    rows = page_rows([*headers, *tall, *numbers, heading, prose]).rows
    assert ["3", "2", "1", "0", "6", "0"] in rows
    assert ["五、存在的主要问题及改进情况"] in rows
