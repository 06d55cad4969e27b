"""Cells read from pixels (OCR): which the identities confirm, which are in doubt — decided before the rules.

A cell read by OCR carries ``Value.confidence`` (0–1; blank = 0: nothing was read there) as evidence. At the
start of ``validate()`` (:func:`mark`) the hard identities A1–A4 (FORMAT.md §1.6) are evaluated on the
report as read:

* a cell in an identity that **holds** is *confirmed* (a misread cell almost never keeps a sum right);
* a cell that is not confirmed is *uncertain* when its confidence is low, it is blank, or it sits in an
  identity that **fails** — OCR cannot tell a misread digit from the office's own mistake there.

An uncertain cell gets ``Value.doubt`` — ``"unread"`` where nothing was read, ``"uncertain"`` otherwise —
the one mark every rule already honours (``Value.checked``, ``labels.is_blank/is_text/bad_count``,
``access.*``): no identity, blank-cell or bad-number rule judges it, so no error is raised against the
office on a cell OCR may have misread. One ``OCR-01`` warning lists the cells to check
(「以下3个数字识别不确定，请核对：表3 予以公开·自然人（识别为6）…」). A failing identity whose cells are
all certain stays an error.

For a photo of a single table (``is_fragment``) only the table's own checks are kept (:func:`settle`),
and ``OCR-02`` says which table it was and what could not be checked without the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.report import Finding, Report, Value
from bot.schema import T3_COLUMNS, T4_BLOCKS, t3_result_rows, t3_row_keys
from bot.validation import labels as L

#: Below this OCR confidence a cell that no identity confirms is listed for checking. Wrong cells
#: measured in bench/ocr.py: see docs/READING.md.
LOW_CONFIDENCE = 0.95
#: What a table-only photo keeps: the table's own rules (not prose, office, year or other tables).
_TABLE_ONLY_PREFIXES = ("T2-0", "T3-0", "T4-0", "ING-", "OCR-")
_NEEDS_PROSE = frozenset({"T3-06", "T3-07", "T4-03", "T4-04", "T2-06", "T2-08", "ING-06"})


@dataclass
class Cell:
    where: str  # the chat's name of the cell: 「表3 予以公开·自然人」
    value: Value


@dataclass
class Identity:
    code: str
    where: str  # as the rule writes it (L.t3_col …), to find the rule's finding
    cells: list[Cell]

    @property
    def holds(self) -> bool | None:
        """True/False when every cell has a number; None when a blank leaves it unchecked."""
        nums = [c.value.value for c in self.cells]
        if any(n is None for n in nums):
            return None
        return sum(nums[:-1]) == nums[-1]  # type: ignore[arg-type]


def is_ocr(report: Report) -> bool:
    """True when some table cell was read by OCR."""
    return any(v.confidence is not None for _, _, _, v in report.cells())


def is_fragment(report: Report) -> bool:
    """A photo of one table rather than of a report: an image with (almost) no report sections."""
    return report.source.kind == "image" and len(report.sections) < 2


def _t3_identities(report: Report, fmt: str) -> list[Identity]:
    apps = report.applications or {}
    out: list[Identity] = []

    def cell(row: str, i: int) -> Cell | None:
        values = apps.get(row)
        if values is None or len(values) != 7:
            return None
        return Cell(L.t3_cell(row, T3_COLUMNS[i], fmt).replace("“", "").replace("”", ""), values[i])

    for i, col in enumerate(T3_COLUMNS):
        a1 = [cell(r, i) for r in ("new_received", "carried_over", "carried_forward", "total_processed")]
        # new + carried over = processed + forward  ⇔  new + carried over − forward = processed
        if all(a1):
            out.append(_A1("T3-01", L.t3_col(col), a1))  # type: ignore[arg-type]
        parts = [cell(r, i) for r in t3_result_rows(fmt)]
        total = cell("total_processed", i)
        if all(parts) and total:
            out.append(Identity("T3-02", L.t3_col(col), [*parts, total]))  # type: ignore[list-item]
    for row in t3_row_keys(fmt):
        cells = [cell(row, i) for i in range(7)]
        if all(cells):
            out.append(Identity("T3-03", L.t3_row(row, fmt), cells))  # type: ignore[arg-type]
    return out


class _A1(Identity):
    """new + carried over = processed + carried forward (cells in that order: new, old, forward, done)."""

    @property
    def holds(self) -> bool | None:
        nums = [c.value.value for c in self.cells]
        if any(n is None for n in nums):
            return None
        new, old, fwd, done = nums
        return new + old == done + fwd  # type: ignore[operator]


def _t4_identities(report: Report) -> list[Identity]:
    out: list[Identity] = []
    for block in T4_BLOCKS:
        values = (report.appeals or {}).get(block)
        if not values:
            continue
        cols = ("upheld", "corrected", "other", "pending", "total")
        cells = [Cell(L.t4_cell(block, c), values[c]) for c in cols if c in values]
        if len(cells) == 5:
            out.append(Identity("T4-01", L.t4_block(block), cells))
    return out


def _t2_cells(report: Report) -> list[Cell]:
    out: list[Cell] = []
    for row, v in (report.proactive or {}).items():
        if isinstance(v, dict):
            out.extend(Cell(L.t2_cell(row, col).replace("“", "").replace("”", ""), c) for col, c in v.items())
        else:
            out.append(Cell(L.t2_cell(row).replace("“", "").replace("”", ""), v))
    return out


def uncertain_cells(report: Report, fmt: str = "2021") -> tuple[list[Cell], list[Identity]]:
    """The OCR'd cells to check, and the failing identities that involve one of them."""
    identities = _t3_identities(report, fmt) + _t4_identities(report)
    confirmed: set[int] = set()
    failing_cells: set[int] = set()
    for ident in identities:
        holds = ident.holds
        for c in ident.cells:
            if holds:
                confirmed.add(id(c.value))
            elif holds is False:
                failing_cells.add(id(c.value))
    cells: dict[int, Cell] = {}
    for ident in identities:
        for c in ident.cells:
            cells.setdefault(id(c.value), c)
    for c in _t2_cells(report):
        cells.setdefault(id(c.value), c)
    out: list[Cell] = []
    for key, c in cells.items():
        conf = c.value.confidence
        if conf is None or key in confirmed:
            continue
        if c.value.value is None or conf < LOW_CONFIDENCE or key in failing_cells:
            out.append(c)
    shaky = {id(c.value) for c in out}
    tainted = [i for i in identities if i.holds is False and any(id(c.value) in shaky for c in i.cells)]
    return out, tainted


def _shown(c: Cell) -> str:
    v = c.value
    if v.value is None:
        return f"{c.where}（未识别出数字）"
    n = v.value
    text = str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)
    return f"{c.where}（识别为{text}）"


def mark(report: Report, fmt: str = "2021") -> list[Finding]:
    """Mark the uncertain OCR cells of ``report`` as in doubt, before any rule runs; the ``OCR-01`` warning
    listing them (none for a report whose text is exact, or whose every OCR'd cell is confirmed)."""
    if not is_ocr(report):
        return []
    cells, _ = uncertain_cells(report, fmt)
    if not cells:
        return []
    for c in cells:
        v = c.value
        if not v.doubt:
            v.doubt = "unread" if v.value is None and not v.raw.strip() else "uncertain"
    shown = "、".join(_shown(c) for c in cells[:8]) + ("等" if len(cells) > 8 else "")
    return [Finding(
        "OCR-01", "warning",
        f"以下{len(cells)}个数字识别不确定，请核对：{shown}。",
        cells[0].where,
        message_en=f"{len(cells)} number(s) read from the image are uncertain; please check them against "
                   f"the original: {', '.join(c.where for c in cells[:8])}.",
    )]


def settle(report: Report, findings: list[Finding]) -> list[Finding]:
    """The findings of a photo of one table: only the table's own checks, and ``OCR-02`` saying so."""
    if not is_fragment(report) or not is_ocr(report):
        return findings
    out = [f for f in findings if f.code.startswith(_TABLE_ONLY_PREFIXES) and f.code not in _NEEDS_PROSE]
    out.append(_fragment_note(report))
    return out


def _fragment_note(report: Report) -> Finding:
    tables = [name for name, t in (("表2", report.proactive), ("表3", report.applications), ("表4", report.appeals)) if t]
    which = "、".join(tables) or "表格"
    missing = [n for n in ("表2", "表3", "表4") if n not in tables]
    cannot = "单位和年度、正文与表格是否一致" + (f"、与{'/'.join(missing)}的衔接" if missing else "")
    return Finding(
        "OCR-02", "info",
        f"这是一张{which}的照片，已按表内勾稽关系核对；没有全文，无法核对{cannot}。",
        which,
        message_en=f"This is a photo of {which.replace('表', 'table ')}: checked on its own sums; without the whole "
                   "report the office, year, prose and the other tables cannot be checked.",
    )
