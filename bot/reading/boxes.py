"""Positioned text boxes → document rows: the table grid rebuilt from coordinates.

OCR (``ocr.py``) and OFD (``ofd.py``) give text with a position, not table cells. This module turns
``(text, x0, y0, x1, y1, confidence)`` boxes of one page into the :class:`Row` shape every reader
produces, so the same label matching and identities (FORMAT.md §1.6) apply:

* lines by y (a box joins a line when its centre is within half a text height of the line's);
* a *numeric line* holds numbers (or one number after a label); text-only lines between numeric lines
  and left of the numbers are the rest of a wrapped row label (top-aligned or centred cells);
* columns by x: the centres of the numbers of a block of numeric lines, clustered, with a column
  missing from every line (a blank column, a number OCR lost) re-inserted from the regular spacing;
* each numeric line becomes ``[label cells…, one cell per column]`` with ``""`` for a blank, and the
  confidence of every value cell is kept beside it (``Page.confidence``) for the validator.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.reading.cells import is_value_cell, squash
from bot.reading.doc import Doc, Row


@dataclass(frozen=True)
class Box:
    """One run of text on a page, in page coordinates (y grows downwards); ``conf`` 0–1, 1.0 when exact."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 1.0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


#: Characters OCR confuses with digits in a number cell (only applied when the rest are digits).
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "〇": "0", "l": "1", "I": "1", "|": "1", "丨": "1"})
_CELL_ZERO = str.maketrans({"。": "0", "°": "0", "○": "0"})
#: A text line that starts a new part (「第二十条第（五）项」「四、行政复议…」), never a wrapped label.
_SEPARATOR_RE = re.compile(r"^(?:第|[一二三四五六七八九十]+、)")
_RULE_RE = re.compile(r"^[|丨_\-—=·.。,，:：]+$")


def normalise_number(box: Box) -> Box:
    """A box that is a number misread with a look-alike letter (「1O」) → the number, confidence lowered."""
    s = squash(box.text)
    if not s or is_value_cell(s) or len(s) > 5:
        return box
    fixed = s.translate(_DIGIT_LOOKALIKES)
    if fixed != s and fixed.isdigit():
        return Box(fixed, box.x0, box.y0, box.x1, box.y1, box.conf * 0.8)
    return box


def _is_number(box: Box) -> bool:
    return is_value_cell(box.text)


def _split_numbers(box: Box) -> list[Box]:
    """「0 5」 read as one box (two narrow cells close together) → one box per number, x by character share."""
    parts = box.text.split()
    if len(parts) < 2 or not all(is_value_cell(p) for p in parts):
        return [box]
    total = len(box.text)
    out: list[Box] = []
    pos = 0
    width = box.x1 - box.x0
    for p in parts:
        start = box.text.index(p, pos)
        pos = start + len(p)
        out.append(Box(p, box.x0 + width * start / total, box.y0, box.x0 + width * pos / total, box.y1, box.conf))
    return out


@dataclass
class _Line:
    boxes: list[Box] = field(default_factory=list)

    @property
    def cy(self) -> float:
        return statistics.fmean(b.cy for b in self.boxes)

    @property
    def numbers(self) -> list[Box]:
        return [b for b in self.boxes if _is_number(b)]

    @property
    def texts(self) -> list[Box]:
        return [b for b in self.boxes if not _is_number(b)]


def _lines(boxes: list[Box], h: float) -> list[_Line]:
    lines: list[_Line] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        if lines and abs(b.cy - lines[-1].cy) <= 0.5 * h:
            lines[-1].boxes.append(b)
        else:
            lines.append(_Line([b]))
    for line in lines:
        line.boxes.sort(key=lambda b: b.x0)
    return lines


def _is_numeric(line: _Line) -> bool:
    nums = line.numbers
    if len(nums) >= 2:
        return True
    return len(nums) == 1 and any(t.x1 <= nums[0].x0 for t in line.texts)


def _columns(numbers: list[Box], h: float) -> list[float]:
    """Column centres of a block: number centres clustered, regular gaps filled with missing columns."""
    xs = sorted(b.cx for b in numbers)
    # the numbers' own height (a page of tall wrapped boxes must not widen the columns into each other)
    h = min(h, statistics.median(sorted(b.y1 - b.y0 for b in numbers))) if numbers else h
    clusters: list[list[float]] = []
    for x in xs:
        if clusters and x - clusters[-1][-1] <= 1.2 * h:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    centres = [statistics.fmean(c) for c in clusters]
    if len(centres) >= 3:
        gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
        step = statistics.median(gaps)
        filled = [centres[0]]
        for gap, nxt in zip(gaps, centres[1:], strict=True):
            k = round(gap / step) if step > 0 else 1
            if k >= 2 and abs(gap - k * step) < 0.25 * step:
                filled.extend(filled[-1] + step * i for i in range(1, k))
            filled.append(nxt)
        centres = filled
    return centres


def _label_cells(boxes: list[Box], fix: bool = True) -> list[str]:
    """Label-area boxes of one row → cells: boxes overlapping in x are one (wrapped) cell."""
    cells: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: b.x0):
        for cell in cells:
            if b.x0 < max(c.x1 for c in cell) and b.x1 > min(c.x0 for c in cell):
                cell.append(b)
                break
        else:
            cells.append([b])
    texts = ["".join(c.text for c in sorted(cell, key=lambda b: (b.cy, b.x0))) for cell in cells]
    return [_fix_label(t) for t in texts] if fix else texts


_LOST_COMMA_RE = re.compile(r"^([一二三四五六七八九十])(?=[\u4e00-\u9fff]{4})(?![一二三四五六七八九十])")


def _fix_label(text: str) -> str:
    """A row label as OCR read it → the template's label when it is clearly that one.

    OCR drops the small 「、」 after a numeral (「四结转下年度…」), the thin 「一」 of 「一、」, or misreads a
    character (「政府信恩」); exact label matching would then lose the row. A label at least 80 %
    similar to exactly one template label becomes that label."""
    text = _LOST_COMMA_RE.sub(r"\1、", text)
    if text.startswith(("、", ".", "，")):
        text = text[1:]
    return _closest_label(text)


def _template_labels() -> list[str]:
    from bot.reading.tables import _GROUPS, _T2_NAMES
    from bot.schema import T3_ROW_LABELS

    return sorted({*T3_ROW_LABELS.values(), *_GROUPS, *(n for _, n in _T2_NAMES)})


_TEMPLATE: list[tuple[str, str]] = []


def _closest_label(text: str) -> str:
    import difflib

    from bot.reading.tables import match_group, match_t3

    s = squash(text)
    if len(s) < 4 or match_t3(s) or match_group(s):
        return text
    if not _TEMPLATE:
        _TEMPLATE.extend((squash(lb), lb) for lb in _template_labels())
    scored = []
    for key, label in _TEMPLATE:
        if abs(len(key) - len(s)) > max(3, len(key) // 4):
            continue
        ratio = difflib.SequenceMatcher(None, s, key, autojunk=False).ratio()
        scored.append((ratio, label))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= 0.8 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.05):
        return scored[0][1]
    return text


@dataclass
class PageRows:
    """Rows of one page and the confidence of each value cell, keyed by the row's position on the page."""

    rows: list[list[str]] = field(default_factory=list)
    #: row index → [(cell text, confidence)] of the value cells (after the label), in column order
    confidence: dict[int, list[tuple[str, float]]] = field(default_factory=dict)


Recover = Callable[[float, float, float, float], "tuple[str, float] | None"]
Rules = Callable[[float, float], list[float]]


def _ruled_columns(line: _Line, centres: list[float], h: float, rules: Rules, recover: Recover) -> list[float]:
    """A ruled row's value columns from the image's vertical rules, when the numbers' own positions
    cannot give them: digits the detector lost in 表4's narrow cells (「3」 next to the table's border,
    three cells in a row) leave gaps that clustering misplaces. The cells are the rule intervals from the
    first number's cell to the last one's, all about one width; beyond them a cell of that width holding
    no text of the row is a column only when a number is read there (an empty label cell stays out).
    Without usable rules (a borderless table, a blurred rule) the clustered ``centres`` stand."""
    nums = line.numbers
    if len(nums) < 2:
        return centres
    # the band of the row's own digits (a page's median box can be a tall header word)
    h = min(h, statistics.median(b.h for b in nums))
    cy = statistics.median(b.cy for b in nums)
    rs = rules(cy - 1.0 * h, cy + 0.2 * h)  # from the row above: a 「1」 is not dark there, a rule is
    cells = [(a, b) for a, b in zip(rs, rs[1:], strict=False) if b - a > 0.5 * h]
    where = [next((i for i, (a, b) in enumerate(cells) if a < n.cx < b), None) for n in nums]
    if not cells or None in where:
        return centres
    first, last = min(where), max(where)  # type: ignore[type-var]
    run = cells[first : last + 1]
    width = statistics.median(b - a for a, b in (cells[i] for i in set(where)))  # type: ignore[index]
    if any(not 0.6 * width <= b - a <= 1.5 * width for a, b in run) or any(
        run[i][1] + 0.5 * h < run[i + 1][0] for i in range(len(run) - 1)
    ):
        return centres
    out = [(a + b) / 2 for a, b in run]
    for direction, start in ((-1, first - 1), (1, last + 1)):
        i = start
        while 0 <= i < len(cells):
            a, b = cells[i]
            if not 0.6 * width <= b - a <= 1.5 * width or any(t.x1 > a and t.x0 < b for t in line.boxes):
                break
            got = recover(a + 2, cy - 0.7 * h, b - 2, cy + 0.7 * h)
            if got is None or not is_value_cell(normalise_number(Box(got[0], 0, 0, 0, 0, got[1])).text):
                break
            out = [(a + b) / 2, *out] if direction < 0 else [*out, (a + b) / 2]
            i += direction
    return out if len(out) >= len(centres) else centres


def page_rows(raw: list[Box], recover: Recover | None = None, rules: Rules | None = None) -> PageRows:
    """One page's boxes → rows (text lines and table rows), top to bottom.

    ``recover`` re-reads the area of a cell left empty (OCR): a number found there fills the cell.
    ``rules(y0, y1)`` gives the x of the image's vertical table rules across a band: a lost number in a
    row's first or last cell is looked for there."""
    boxes: list[Box] = []
    for b in raw:
        text = b.text.replace("丶", "、").strip()
        if not text or _RULE_RE.match(text):
            continue  # table rules read as 「|」「—」
        boxes.extend(_split_numbers(normalise_number(Box(text, b.x0, b.y0, b.x1, b.y1, b.conf))))
    out = PageRows()
    if not boxes:
        return out
    h = statistics.median(b.h for b in boxes) or 1.0
    lines = _lines(boxes, h)
    numeric = [_is_numeric(ln) for ln in lines]
    # blocks of numeric lines, with the text lines between them that are label continuations
    owner: dict[int, int] = {}  # text line index → numeric line index it continues
    blocks: list[list[int]] = []
    i = 0
    while i < len(lines):
        if not numeric[i]:
            i += 1
            continue
        block = [i]
        left = min(b.x0 for b in lines[i].numbers)
        j = i + 1
        pending: list[int] = []
        while j < len(lines):
            if numeric[j]:
                left = min(left, *(b.x0 for b in lines[j].numbers))
                block.extend(pending)
                block.append(j)
                pending = []
            elif all(b.x1 <= left + 0.5 * h for b in lines[j].boxes) and not _SEPARATOR_RE.match(
                squash(lines[j].boxes[0].text)
            ):
                pending.append(j)
            else:
                break
            j += 1
        # trailing label lines after the last number line still belong to it (top-aligned cells)
        trailing = [p for p in pending if lines[p].cy - lines[block[-1]].cy < 6 * h]
        block.extend(trailing)
        blocks.append(sorted(block))
        i = max(block) + 1
    for block in blocks:
        nums = [k for k in block if numeric[k]]
        conts = [k for k in block if not numeric[k]]
        same_line_label = sum(1 for k in nums if lines[k].texts) >= 0.6 * len(nums)
        for k in conts:
            above = [n for n in nums if n < k]
            if same_line_label and above:
                owner[k] = above[-1]
            else:
                owner[k] = min(nums, key=lambda n: abs(lines[n].cy - lines[k].cy))
    block_cols: dict[int, list[float]] = {}
    all_centres = [_columns([b for k in block if numeric[k] for b in lines[k].numbers], h) for block in blocks]
    widest = max(all_centres, key=len, default=[])
    for block, centres in zip(blocks, all_centres, strict=True):
        nums = [k for k in block if numeric[k]]
        if 0 < len(widest) - len(centres) <= 2 and all(
            min(abs(c - w) for w in widest) < 1.5 * h for c in centres
        ):
            centres = widest  # a short block of the same table lacks a column (blank or lost digits)
        for k in nums:
            block_cols[k] = centres
            _split_glued_label(lines[k], centres, h)
    headers = _header_runs(lines, numeric, owner, h)
    for k, line in enumerate(lines):
        if k in owner:
            continue
        if k in headers:
            if headers[k]:
                out.rows.append(headers[k])
            continue
        if not numeric[k]:
            out.rows.append(_text_cells(line, h))
            continue
        first_number = min(b.x0 for b in line.numbers)
        label_boxes = [b for b in line.texts if b.x1 <= first_number + 0.5 * h]
        label_boxes += [b for c, n in owner.items() if n == k for b in lines[c].boxes]
        labels = _label_cells(label_boxes)
        centres = block_cols[k]
        if rules is not None and recover is not None:
            centres = _ruled_columns(line, centres, h, rules, recover)
        slots: list[list[Box]] = [[] for _ in centres]
        for b in line.numbers:
            col = min(range(len(centres)), key=lambda c: abs(centres[c] - b.cx))
            slots[col].append(b)
        values = ["".join(b.text for b in s) for s in slots]
        confs = [min((b.conf for b in s), default=0.0) for s in slots]
        if recover is not None and len(centres) > 1:
            step = min(b - a for a, b in zip(centres, centres[1:], strict=False))
            cy = line.cy
            for c, text in enumerate(values):
                if text:
                    continue
                got = recover(centres[c] - 0.45 * step, cy - 0.7 * h, centres[c] + 0.45 * step, cy + 0.7 * h)
                if got is not None:
                    # alone in a number cell, a small round mark is a 0 (the recogniser says 「。」)
                    text = got[0].translate(_CELL_ZERO)
                    fixed = normalise_number(Box(text, 0, 0, 0, 0, got[1] * (0.9 if text != got[0] else 1.0)))
                    if is_value_cell(fixed.text):
                        values[c], confs[c] = squash(fixed.text), fixed.conf
        out.confidence[len(out.rows)] = list(zip(values, confs, strict=True))
        out.rows.append([*labels, *values])
    return out


_TAIL_NUMBER_RE = re.compile(r"^(.*?[^\d\s.])\s*(\d{1,6})$")


def _char_width(ch: str) -> float:
    return 0.55 if ch.isascii() else 1.0


def _split_glued_label(line: _Line, centres: list[float], h: float) -> None:
    """A label box that swallowed the first number of its row (「一、本28」: a narrow gap the detector
    bridged) is cut where a column of numbers starts, when that column is empty on this line."""
    taken = {min(range(len(centres)), key=lambda c: abs(centres[c] - b.cx)) for b in line.numbers}
    for b in list(line.texts):
        m = _TAIL_NUMBER_RE.match(b.text)
        if not m:
            continue
        head, digits = m.groups()
        units = sum(map(_char_width, b.text)) or 1.0
        x_split = b.x0 + (b.x1 - b.x0) * sum(map(_char_width, head)) / units
        cx = (x_split + b.x1) / 2
        col = min(range(len(centres)), key=lambda c: abs(centres[c] - cx))
        if col in taken or abs(centres[col] - cx) > 1.5 * h or x_split - b.x0 < h:
            continue
        i = line.boxes.index(b)
        line.boxes[i : i + 1] = [
            Box(head, b.x0, b.y0, x_split, b.y1, b.conf),
            Box(digits, x_split, b.y0, b.x1, b.y1, b.conf * 0.9),
        ]
        taken.add(col)


def _header_runs(lines: list[_Line], numeric: list[bool], owner: dict[int, int], h: float) -> dict[int, list[str]]:
    """Table headers written in narrow cells wrap a word over several lines (「结果/维持」, even one
    character a line). A run of text lines with several boxes each, close together, is merged into one
    row whose cells are the boxes stacked in x (「结果维持」), so the anchors and header words are found.
    Returns line index → the merged row for the run's first line, ``[]`` for its other lines."""
    out: dict[int, list[str]] = {}
    k = 0
    def cellish(line: _Line) -> bool:  # header words in cells, not a line of prose split in two
        return all(b.x1 - b.x0 < 8 * h for b in line.boxes)

    while k < len(lines):
        if numeric[k] or k in owner or len(lines[k].boxes) < 2 or not cellish(lines[k]):
            k += 1
            continue
        run = [k]
        j = k + 1
        while (j < len(lines) and not numeric[j] and j not in owner and lines[j].cy - lines[run[-1]].cy < 2 * h
               and cellish(lines[j])):
            if len(lines[j].boxes) < 2 and not any(
                b.x0 < c.x1 and b.x1 > c.x0 for b in lines[j].boxes for c in lines[run[-1]].boxes
            ):
                break
            run.append(j)
            j += 1
        if len(run) >= 2:
            cells = _label_cells([b for i in run for b in lines[i].boxes], fix=False)
            out[run[0]] = cells
            for i in run[1:]:
                out[i] = []
        k = j
    return out


def _text_cells(line: _Line, h: float) -> list[str]:
    """A text line: boxes far apart are separate cells (a header row), close ones one run of text."""
    cells: list[str] = []
    last: Box | None = None
    for b in line.boxes:
        if last is not None and b.x0 - last.x1 < 2 * h:
            cells[-1] += b.text
        else:
            cells.append(b.text)
        last = b
    return cells


@dataclass
class BoxDoc(Doc):
    """A :class:`Doc` built from positioned boxes: ``confidence`` maps a row's line number to the
    (text, confidence) of its value cells, so the cells' :class:`Value` can carry it (see ``attach``)."""

    confidence: dict[int, list[tuple[str, float]]] = field(default_factory=dict)


def doc_from_pages(pages: Iterable, kind: str) -> BoxDoc:
    """Every page's rows in order, numbered as lines; confidences kept by line.

    A page is a list of boxes, or an object with ``boxes`` and ``recover(x0, y0, x1, y1)`` (an OCR'd
    page that can re-read an empty cell). ``pages`` may be an iterator: a page's rows are built before
    the next page is taken, so an OCR'd page's image can go before the next one is read."""
    doc = BoxDoc(kind=kind)
    line = 0
    for page_in in pages:
        if isinstance(page_in, list):
            page = page_rows(page_in)
        else:
            page = page_rows(page_in.boxes, page_in.recover, getattr(page_in, "rules", None))
        for i, cells in enumerate(page.rows):
            line += 1
            doc.rows.append(Row(line, cells))
            if i in page.confidence:
                doc.confidence[line] = page.confidence[i]
        del page_in  # not held while the next page is read
    return doc


_LINE_RE = re.compile(r"\(第(\d+)行\)")


def attach_confidence(report, doc: BoxDoc) -> None:
    """Give each table :class:`Value` read from ``doc`` the confidence of its cell.

    A value's where-string ends with its source line (「(第12行)」); within a line the value cells are
    matched in order by their text. A blank cell keeps confidence 0 (nothing was read there — it may be
    a blank or a number the OCR lost)."""
    from bot.report import Value

    values: list[Value] = []
    if report.proactive:
        for v in report.proactive.values():
            values.extend(v.values() if isinstance(v, dict) else [v])
    for row in (report.applications or {}).values():
        values.extend(row)
    for block in (report.appeals or {}).values():
        values.extend(block.values())
    for v in values:
        # a cell the grid could not place (a table the reader gave up on: ING-05/07) is doubtful too
        v.confidence = 0.0 if v.value is None else 0.5
    by_line: dict[int, list[Value]] = {}
    for v in values:
        m = _LINE_RE.search(v.where or "")
        if m:
            by_line.setdefault(int(m.group(1)), []).append(v)
    for line, vals in by_line.items():
        cells = doc.confidence.get(line)
        if cells is None:
            continue
        pos = 0
        for v in vals:
            want = squash(v.raw)
            for j in range(pos, len(cells)):
                if squash(cells[j][0]) == want:
                    v.confidence = cells[j][1] if want else 0.0
                    pos = j + 1
                    break
            else:
                v.confidence = 0.0 if not want else min((c for _, c in cells), default=0.0)
