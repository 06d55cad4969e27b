"""Numbers from storage: a metric computed on a report's cells, and the notes every answer shares.

``compute`` keeps blank and absent apart (blank ≠ 0), ``metric_column`` reads one metric for every
report of a year with one ``cell_values`` call per cell (never the reports' JSON), and ``notes`` says
when a cell was blank or the report failed validation.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.questions import replies as R
from bot.questions.metrics import Cell, Metric
from storage import repo

#: At most this many lines in a list answer (phone screens).
LIST_LIMIT = 10


@dataclass
class Computed:
    """A metric computed from some cells: the value, or why there is none."""

    value: float | None
    blank: list[Cell] = field(default_factory=list)  # cells that were blank
    absent: bool = False  # the table (or every cell) is not in the report
    zero_denominator: bool = False
    num: float | None = None  # a rate's numerator and denominator, for a pooled rate over offices
    den: float | None = None


def compute(metric: Metric, cells: dict[Cell, float | None]) -> Computed:
    """Evaluate ``metric`` on one report's cells (missing key = table/row absent, ``None`` = blank)."""

    def total(keys: tuple[Cell, ...]) -> tuple[float | None, list[Cell], bool]:
        present = [k for k in keys if k in cells]
        if keys and not present:
            return None, [], True
        blank = [k for k in present if cells[k] is None]
        if present and len(blank) == len(present):
            return None, blank, False
        return sum(float(cells[k]) for k in present if cells[k] is not None), blank, False

    value, blank, absent = total(metric.cells)
    if not metric.is_rate:
        return Computed(value, blank, absent)
    den, den_blank, den_absent = total(metric.denom)
    minus, minus_blank, _ = total(metric.denom_minus) if metric.denom_minus else (0.0, [], False)
    blanks = blank + den_blank + minus_blank
    if absent or den_absent:
        return Computed(None, blanks, True)
    if value is None or den is None or blanks:
        return Computed(None, blanks)
    base = den - (minus or 0.0)
    if base <= 0:
        return Computed(None, blanks, zero_denominator=True)
    return Computed(value / base, blanks, num=value, den=base)


def no_report(office: object, year: int | None, lang: str, latest: int | None = None) -> str:
    name = R.office_label(office, lang)
    if lang == "en":
        text = f"No report from {name} for {year}." if year else f"No report from {name} yet."
        if latest and latest != year:
            text += f" (Latest held: {latest}.)"
        return text
    text = f"未收到{name}的{year}年度报告。" if year else f"还没有收到{name}的报告。"
    if latest and latest != year:
        text += f"（最近一份是{latest}年度。）"
    return text


def notes(stored: object, result: Computed, metric: Metric, lang: str) -> list[str]:
    notes: list[str] = []
    if result.absent:
        notes.append("该报告没有这一项（表格或行缺失）。" if lang == "zh" else "The report has no such table or row.")
    elif result.value is None and result.blank:
        notes.append(
            "该项在报告中为空白（未填写，不等于0）。" if lang == "zh"
            else "That cell is blank in the report (not filled in, which is not 0)."
        )
    elif result.blank:
        n = len(result.blank)
        notes.append(f"其中{n}个单元格空白，未计入。" if lang == "zh" else f"{n} blank cell(s) not counted.")
    if result.zero_denominator:
        notes.append("分母为0，无法计算比率。" if lang == "zh" else "The denominator is 0, so there is no rate.")
    errors = getattr(stored, "errors", 0) or 0
    if errors:
        notes.append(
            f"⚠️ 该报告校验有{errors}处错误，数字仅供参考。" if lang == "zh"
            else f"⚠️ This report has {errors} validation error(s); use the number with care."
        )
    return notes


def value_head(result: Computed, metric: Metric, lang: str) -> str:
    if result.value is not None:
        return R.amount(result.value, metric, lang)
    if result.absent:
        return "无此项" if lang == "zh" else "not in the report"
    if result.zero_denominator:
        return "无法计算（分母为0）" if lang == "zh" else "n/a (denominator is 0)"
    return "空白（未填写）" if lang == "zh" else "blank (not filled in)"


async def office_value(db: object, chat_id: int, office: object, year: int | None, metric: Metric):
    stored, cells = await repo.report_with_cells(db, chat_id=chat_id, office_id=office.id, year=year)
    if stored is None:
        return None, None
    return stored, compute(metric, cells)


async def latest_year(db: object, chat_id: int) -> int | None:
    held = await repo.years(db, chat_id=chat_id)
    return held[-1] if held else None


async def metric_column(db: object, chat_id: int, year: int, metric: Metric) -> list[tuple[object, Computed]]:
    """The metric for every current report of ``year`` in the chat, from one ``cell_values`` per cell."""
    per_report: dict[int, tuple[object, dict[Cell, float | None]]] = {}
    cells = metric.all_cells
    columns = await asyncio.gather(
        *(repo.cell_values(db, chat_id=chat_id, year=year, table=t, row=r, col=c) for t, r, c in cells)
    )
    for cell, rows in zip(cells, columns, strict=True):
        for stored, value in rows:
            entry = per_report.setdefault(stored.id, (stored, {}))
            entry[1][cell] = value
    return [(stored, compute(metric, cells)) for stored, cells in per_report.values()]
