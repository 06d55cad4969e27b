"""A second reading of 表3 for converted text: the table as a stream of label text and numbers.

PDF converters and OCR lose the grid: a label wraps over two or three lines with its seven numbers on the
line after (or before) it, header words come one per line, page footers and repeated headers sit inside
the table, labels are misprinted, rows of numbers come without a label. This reader knows the template
instead (FORMAT.md §1.4: 25 rows × 7 columns in a fixed order, 23 in 2019):

1. the rows become a stream of text and number tokens; text between numbers is joined, so a wrapped or
   space-broken label is whole again;
2. labels are found in that text in the fixed row order — exactly, or by similarity (rapidfuzz) for a
   misprint — skipping header words, group labels and page chrome;
3. the numbers are cut into rows of seven and each is given to the label next to it (numbers after the
   label, or before it: both are tried); a row without a label gets the next free row in order;
4. each placement is scored by the identities it satisfies (FORMAT.md §1.6 A1–A3) and by how many rows
   it fills (:func:`score_t3`); the caller keeps the best of this and the line reader's reading.

Cells this reading cannot place are ``unread`` (never blank); rows placed only by order (no label next
to them) are reported as ``weak`` so the arbiter can move them, or call a broken identity uncertain.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.reading.cells import clean_cell, is_value_cell, nfkc, parse_value, squash
from bot.reading.doc import Row
from bot.report import Value
from bot.schema import T3_COLUMN_LABELS, T3_COLUMNS, T3_ROW_LABELS, T3_ROW_SHORT, t3_result_rows, t3_row_keys

_NUMERAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[、.])")
_PAGE_RE = re.compile(r"^(?:[-—–]\d{1,3}[-—–]|第\d{1,3}页(?:/?共\d+页)?|\d{1,3}/\d{1,3})$")
_TOKEN_SPLIT_RE = re.compile(r"[ \t\u3000\xa0]+")
#: Short cores that only count with their numeral (「3.其他」「（七）总计」): 「其他」「总计」 are header words too.
_SHORT = 4


def _core(label: str) -> str:
    return _NUMERAL_RE.sub("", squash(label).replace("、", "."), count=1)


def t3_label_core(label: str) -> str:
    """A 表3 label without its numeral, squashed (「1.属于国家秘密」→「属于国家秘密」)."""
    return _core(label)


def _numeral(label: str) -> str:
    m = _NUMERAL_RE.match(squash(label).replace("、", "."))
    return m.group(0) if m else ""


_CORES: dict[str, tuple[str, str]] = {k: (_core(lb), _numeral(lb)) for k, lb in T3_ROW_LABELS.items()}
_OTHER_SINGLE = "(六)其他处理"
#: Pseudo key of the 「（六）其他处理」 group label (a row of its own in the older single-row table).
SIX = "(six)"


@dataclass
class _Item:
    kind: str  # "label" | "numbers"
    line: int
    key: str = ""
    exact: bool = True
    numbers: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each number
    fixed: bool = False  # seven cells of a delimited row, blanks in place: one row, never merged


@dataclass
class Reading:
    """One placement of 表3: rows of 7 Values, the rows placed weakly, and how it was made."""

    rows: dict[str, list[Value]]
    weak: set[str] = field(default_factory=set)
    how: str = ""


def _split_line(row: Row) -> list[tuple[str, str]]:
    """A row as ('t', text) / ('n', number) tokens; trailing space-separated numbers leave the text."""
    out: list[tuple[str, str]] = []
    for cell in row.cells:
        c = clean_cell(cell)
        if not c:
            continue
        parts = [p for p in _TOKEN_SPLIT_RE.split(c) if p]
        if all(is_value_cell(p) for p in parts):
            out.extend(("n", p) for p in parts)
            continue
        tail: list[str] = []
        while parts and is_value_cell(parts[-1]) and len(parts) > 1:
            tail.append(parts.pop())
        out.append(("t", " ".join(parts)))
        out.extend(("n", p) for p in reversed(tail))
    return out


def _find_labels(text: str, keys: tuple[str, ...], start: int, fmt: str) -> list[tuple[int, str, bool]]:
    """Row labels in ``text`` (squashed) in template order from row index ``start``: (row index, key, exact)."""
    found: list[tuple[int, str, bool]] = []
    cursor = 0
    i = start
    while i < len(keys) and cursor < len(text):
        best: tuple[int, int, int, str, bool] | None = None  # (pos, row index, end, key, exact)
        for j in range(i, min(len(keys), i + 6)):
            key = keys[j]
            core, numeral = _CORES[key]
            if fmt == "2019" and key == "other_other":
                core, numeral = _OTHER_SINGLE, ""
            elif key == "other_no_correction" and (six := _locate(text, cursor, _OTHER_SINGLE, "")) is not None:
                # the group label; in an older single-row table it is the row itself (resolved in _place)
                if best is None or six[0] < best[0]:
                    best = (six[0], j - 1, six[1], SIX, True)
            hit = _locate(text, cursor, core, numeral)
            if hit is None:
                continue
            pos, end, exact = hit
            if best is None or pos < best[0]:
                best = (pos, j, end, key, exact)
            if exact and pos == cursor:
                break
        if best is None:
            break
        pos, j, end, key, exact = best
        found.append((j, key, exact))
        cursor, i = end, j + 1
    return found


def names_label(text: str, fmt: str) -> bool:
    """True when ``text`` is a (possibly misprinted) 表3 row label — not an extra row such as a subtotal."""
    s = squash(text).replace("、", ".")
    return any(exact or len(s) <= len(T3_ROW_LABELS[key]) + 2 for _, key, exact in _find_labels(s, t3_row_keys(fmt), 0, fmt))


def _locate(text: str, cursor: int, core: str, numeral: str) -> tuple[int, int, bool] | None:
    """Where ``core`` (with its numeral when short) first occurs in ``text[cursor:]``; fuzzy for long cores."""
    if len(core) < _SHORT:
        probe = (numeral + core) if numeral else core
        k = text.find(probe, cursor)
        return None if k < 0 else (k, k + len(probe), True)
    k = text.find(core, cursor)
    if k >= 0:
        return k, k + len(core), True
    rest = text[cursor:]
    if len(rest) < len(core) - 2:
        return None
    threshold = 88 if len(core) >= 8 else 85
    m = fuzz.partial_ratio_alignment(core, rest, score_cutoff=threshold)
    if m is None:
        return None
    return cursor + m.dest_start, cursor + m.dest_end, False


def _stream(rows: list[Row], fmt: str) -> list[_Item]:
    keys = t3_row_keys(fmt)
    items: list[_Item] = []
    text_parts: list[str] = []
    text_line = 0
    next_row = 0

    def flush() -> None:
        nonlocal next_row, text_parts
        if not text_parts:
            return
        text = squash("".join(text_parts)).replace("、", ".")
        text_parts = []
        for j, key, exact in _find_labels(text, keys, next_row, fmt):
            items.append(_Item("label", text_line, key, exact))
            next_row = j + 1

    for row in rows:
        line_numbers: list[str] = []
        cells = _positional(row)
        if cells is not None:
            head, seven = cells
            if head:
                if not text_parts:
                    text_line = row.line
                text_parts.append(nfkc(head))
            flush()
            items.append(_Item("numbers", row.line, numbers=seven, lines=[row.line] * 7, fixed=True))
            continue
        tokens = _split_line(row)
        if len(tokens) == 1 and tokens[0][0] == "t" and _PAGE_RE.match(squash(tokens[0][1])):
            continue  # 「- 4 -」「第4页」
        for kind, tok in tokens:
            if kind == "t":
                if line_numbers:
                    _add_numbers(items, line_numbers, row.line)
                    line_numbers = []
                if not text_parts:
                    text_line = row.line
                text_parts.append(nfkc(tok))
            else:
                flush()
                line_numbers.append(tok)
        if line_numbers:
            _add_numbers(items, line_numbers, row.line)
    flush()
    return items


def _positional(row: Row) -> tuple[str, list[str]] | None:
    """A delimited row (TAB, ``|``, a table) whose last seven cells are numbers or blanks, at least one
    blank: (its label text, the seven cells) — a blank there is one the document shows."""
    if len(row.cells) < 7:
        return None
    cells = [clean_cell(c) for c in row.cells]
    texts = [i for i, c in enumerate(cells) if c and not is_value_cell(c)]
    last = texts[-1] if texts else -1
    values = cells[last + 1 :]
    if len(values) < 7 or all(values) or not any(values) or any(" " in c for c in values):
        return None
    return " ".join(cells[i] for i in texts), values[-7:]


def _add_numbers(items: list[_Item], numbers: list[str], line: int) -> None:
    if items and items[-1].kind == "numbers" and not items[-1].fixed:
        items[-1].numbers.extend(numbers)
        items[-1].lines.extend([line] * len(numbers))
    else:
        items.append(_Item("numbers", line, numbers=list(numbers), lines=[line] * len(numbers)))


def _drop_page_numbers(run: _Item) -> None:
    """A run one to three numbers longer than whole rows holds page numbers, each alone on its line
    (「- 4 -」 loses its dashes in some converters): drop them when exactly that many lone numbers are
    there — with more candidates than extra numbers, nothing is guessed (the row stays unread)."""
    if not run.fixed:
        for i in reversed(range(7, len(run.numbers))):
            if run.lines.count(run.lines[i]) == 1 and _rejoin_wrapped(run, i):
                del run.numbers[i], run.lines[i]
    extra = len(run.numbers) % 7
    if len(run.numbers) == 1 and not run.fixed:
        run.numbers.clear()  # one number alone between labels is no row: a page number (「6」)
        run.lines.clear()
        return
    if run.fixed or not 1 <= extra <= 3 or len(run.numbers) < 7:
        return
    alone = [i for i, ln in enumerate(run.lines) if run.lines.count(ln) == 1]
    if len(alone) != extra:
        return
    for i in reversed(alone):
        del run.numbers[i], run.lines[i]


def _rejoin_wrapped(run: _Item, i: int) -> bool:
    """A lone number right under a line of seven may be the end of one of them, wrapped in a narrow cell
    (「… 13 28 17」 then 「2」: the total is 172): when that line does not add up and exactly one of its
    numbers, extended by these digits, makes it add up, the digits go there (True: the caller drops the
    lone number)."""
    if i < 7 or len(set(run.lines[i - 7 : i])) != 1 or not 0 < run.lines[i] - run.lines[i - 1] <= 2:
        return False
    if run.lines.count(run.lines[i - 1]) != 7:
        return False
    row = [parse_value(t).value for t in run.numbers[i - 7 : i]]
    digits = squash(run.numbers[i])
    if not digits.isdigit() or len(digits) > 2:
        return False
    fits = wrapped_fits(row, [digits])
    if len(fits) != 1:
        return False
    (col,) = fits[0]
    run.numbers[i - 7 + col] = f"{squash(run.numbers[i - 7 + col])}{digits}"
    return True


def wrapped_fits(values: list, overflow: list[str]) -> list[tuple[int, ...]]:
    """The columns (one per piece of ``overflow``, left to right) whose numbers, extended by those digits,
    make a 表3 row add up (six counts = 总计) — when the row as read does not. Empty when it already adds
    up or a cell is not a whole number."""
    if len(values) != 7 or any(not isinstance(x, int) for x in values) or sum(values[:6]) == values[6]:
        return []
    fits = []
    for cols in itertools.combinations(range(7), len(overflow)):
        trial = list(values)
        for c, digits in zip(cols, overflow, strict=True):
            trial[c] = int(f"{trial[c]}{digits}")
        if sum(trial[:6]) == trial[6]:
            fits.append(cols)
    return fits


def _where(key: str, col: int, line: int) -> str:
    label = T3_ROW_LABELS[key] if len(T3_ROW_LABELS[key]) <= 12 else T3_ROW_SHORT[key]
    return f"表3 {label}·{T3_COLUMN_LABELS[T3_COLUMNS[col]]} (第{line}行)"


def _place(items: list[_Item], keys: tuple[str, ...], reverse: bool) -> Reading:
    """Give each run of 7 numbers to the label before it (``reverse``: after it); unlabeled runs take the
    next free row in order. Runs that are not whole rows leave their row unread."""
    index = {k: i for i, k in enumerate(keys)}
    labelled = {it.key for it in items if it.kind == "label"}
    single = SIX in labelled and not labelled & {"other_no_correction", "other_fee_unpaid", "other_other"}
    items = [
        _Item("label", it.line, "other_other", it.exact) if it.key == SIX and single else it
        for it in items
        if it.key != SIX or single
    ]
    seq = list(reversed(items)) if reverse else items
    step = -1 if reverse else 1
    rows: dict[str, list[Value]] = {}
    weak: set[str] = set()
    label: _Item | None = None
    last = len(keys) if reverse else -1
    for it in seq:
        if it.kind == "label":
            label = it
            continue
        chunks = [it.numbers[i : i + 7] for i in range(0, len(it.numbers), 7)]
        lines = [it.lines[i : i + 7] for i in range(0, len(it.lines), 7)]
        if reverse:
            chunks.reverse()
            lines.reverse()
        for chunk, chunk_lines in zip(chunks, lines, strict=True):
            if not chunk:
                continue
            if label is not None and label.key not in rows and (index[label.key] - last) * step > 0:
                key, line, by_label = label.key, label.line, True
            else:
                # no label next to it: the next row in order (its label lost, or on the other side)
                j = last + step
                if not 0 <= j < len(keys) or keys[j] in rows:
                    continue
                key, line, by_label = keys[j], chunk_lines[0], False
            label = None
            last = index[key]
            if len(chunk) != 7:
                rows[key] = [Value(None, "", _where(key, c, line), "unread") for c in range(7)]
                continue
            rows[key] = [parse_value(t, _where(key, c, line)) for c, t in enumerate(chunk)]
            if not by_label:
                weak.add(key)
    for it in items:  # labels seen without numbers: the row is there but nothing could be read
        if it.kind == "label" and it.key not in rows:
            rows[it.key] = [Value(None, "", _where(it.key, c, it.line), "unread") for c in range(7)]
    return Reading(rows, weak, "numbers before labels" if reverse else "numbers after labels")


def read_sequence(rows: list[Row], fmt: str) -> list[Reading]:
    """Candidate readings of the 表3 region ``rows`` (empty when it holds no row label at all)."""
    items = _stream(rows, fmt)
    if not any(it.kind == "label" for it in items):
        return []
    for it in items:
        if it.kind == "numbers":
            _drop_page_numbers(it)
    keys = t3_row_keys(fmt)
    forward = _place(items, keys, reverse=False)
    whole = len(forward.rows) == len(keys) and not any(v.doubt for r in forward.rows.values() for v in r)
    if whole and not forward.weak and all_hold(forward.rows, fmt):
        return [forward]  # every row next to its label, nothing lost, every identity kept
    return [forward, _place(items, keys, reverse=True)]


def _matrix(rows: dict[str, list[Value]]) -> dict[str, list]:
    return {k: [v.value for v in r] for k, r in rows.items() if len(r) == 7}


def identities(rows: dict[str, list[Value]], fmt: str) -> tuple[set[tuple], set[tuple], set[str]]:
    """(identities kept, identities broken, rows in a broken identity) for A1/A2 per column and A3 per
    row; an identity is ``("A1", col)``, ``("A2", col)`` or ``("A3", row)``. Blank cells are not checked."""
    kept: set[tuple] = set()
    bad: set[tuple] = set()
    broken: set[str] = set()
    results = t3_result_rows(fmt)
    m = _matrix(rows)
    a1 = [m.get(k) for k in _A1]
    if None not in a1:
        for col in range(7):
            new, old, done, fwd = (r[col] for r in a1)  # type: ignore[index]
            if new is None or old is None or done is None or fwd is None:
                continue
            if new + old == done + fwd:
                kept.add(("A1", col))
            else:
                bad.add(("A1", col))
                broken.update(_A1)
    parts_rows = [m.get(k) for k in results]
    total_row = m.get("total_processed")
    if total_row is not None and None not in parts_rows:
        for col in range(7):
            parts = [r[col] for r in parts_rows]  # type: ignore[index]
            total = total_row[col]
            if total is None or None in parts:
                continue
            if sum(parts) == total:
                kept.add(("A2", col))
            else:
                bad.add(("A2", col))
                broken.update((*results, "total_processed"))
    for key in t3_row_keys(fmt):
        v = m.get(key)
        if v is None or None in v:
            continue
        if sum(v[:6]) == v[6]:
            kept.add(("A3", key))
        else:
            bad.add(("A3", key))
            broken.add(key)
    return kept, bad, broken


_A1 = ("new_received", "carried_over", "total_processed", "carried_forward")


def all_hold(rows: dict[str, list[Value]], fmt: str) -> bool:
    """True when every identity that can be checked holds (the quick test before any second reading)."""
    m = _matrix(rows)
    for v in m.values():
        if None not in v and sum(v[:6]) != v[6]:
            return False
    a1 = [m.get(k) for k in _A1]
    results = [m.get(k) for k in t3_result_rows(fmt)]
    total = m.get("total_processed")
    for col in range(7):
        if None not in a1:
            x = [r[col] for r in a1]  # type: ignore[index]
            if None not in x and x[0] + x[1] != x[2] + x[3]:
                return False
        if total is not None and None not in results:
            parts = [r[col] for r in results]  # type: ignore[index]
            if total[col] is not None and None not in parts and sum(parts) != total[col]:
                return False
    return True


def filled(rows: dict[str, list[Value]]) -> int:
    """How many cells hold a number."""
    return sum(1 for vals in rows.values() if len(vals) == 7 for v in vals if v.value is not None)


def score_t3(rows: dict[str, list[Value]] | None, fmt: str, weak: set[str] | None = None) -> float:
    """How believable a reading of 表3 is: identities kept, minus identities broken, plus coverage and
    the rows whose numbers stand next to their own label (``weak``: rows placed only by order)."""
    if not rows:
        return -1e9
    kept, bad, _ = identities(rows, fmt)
    labelled = sum(1 for k, vals in rows.items() if k not in (weak or ()) and any(v.value is not None for v in vals))
    return len(kept) - 3 * len(bad) + filled(rows) / 7 + labelled
