"""PNG charts for the group chat: applications per office, outcome shares, appeals, one office by year.

Drawn with matplotlib's object API (``Figure`` + Agg canvas, no pyplot global state), so charts can be
rendered from any thread or worker. Chinese labels need a CJK font (:mod:`bot.exports.fonts`); without
one, titles switch to English and office names to pinyin instead of drawing empty boxes.
Sizes are chosen for a phone screen: wide enough to read when zoomed (about 1300 px), one bar per office.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib import rc_context  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from bot.exports.fonts import cjk_font, romanize  # noqa: E402
from bot.exports.rows import ExportItem, add  # noqa: E402
from bot.schema import T3_COLUMN_LABELS, T3_COLUMN_LABELS_EN, T3_COLUMNS, T3_GROUPS  # noqa: E402

WIDTH_IN = 11.0
DPI = 120
TOP_N = 20
COLORS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47")

#: /chart metrics: key → words a person may type.
METRICS: dict[str, tuple[str, ...]] = {
    "applications": ("applications", "申请", "新收", "申请量", "收到"),
    "outcomes": ("outcomes", "结果", "办理结果", "公开", "公开率", "答复"),
    "appeals": ("appeals", "复议", "诉讼", "复议诉讼", "行政复议", "行政诉讼"),
}

#: 办理结果 categories for the outcome chart: (zh, en, rows).
OUTCOMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("予以公开", "granted", ("granted",)),
    ("部分公开", "partly granted", ("partial",)),
    ("不予公开", "refused", T3_GROUPS["deny"]),
    ("无法提供", "unable to provide", T3_GROUPS["unable"]),
    ("不予处理", "not processed", T3_GROUPS["noproc"]),
    ("其他处理", "other handling", T3_GROUPS["other"]),
)


def parse_metric(word: str) -> str | None:
    """The metric key for a typed word (``复议`` → ``appeals``), ``None`` when it is not a metric."""
    text = word.strip().lower()
    for key, words in METRICS.items():
        if text in words:
            return key
    return None


class _Lang:
    """Chooses Chinese or English/pinyin text depending on whether a CJK font is available."""

    def __init__(self) -> None:
        self.font = cjk_font()

    def t(self, zh: str, en: str) -> str:
        return zh if self.font else en

    def name(self, text: str) -> str:
        return text if self.font else romanize(text)


@contextlib.contextmanager
def _style(lang: _Lang) -> Iterator[None]:
    family = [lang.font.family, "DejaVu Sans"] if lang.font else ["DejaVu Sans"]
    with rc_context({"font.family": family, "axes.unicode_minus": False, "font.size": 11}):
        yield


def to_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes."""
    lang = _Lang()
    buf = io.BytesIO()
    with _style(lang):
        FigureCanvasAgg(fig)
        fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue()


def _figure(n_bars: int) -> Figure:
    height = min(max(2.0 + 0.38 * n_bars, 4.5), 14.0)
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _num(value: float | int | None) -> float:
    return float(value or 0)


NO_DATA_COLOR = "#888888"


def _no_data_label(lang: _Lang) -> str:
    return lang.t("无数据", "no data")


def applications_figure(items: Sequence[ExportItem], *, year: int | None, top: int = TOP_N) -> Figure:
    """Horizontal bars of new applications per office (top ``top``), stacked by applicant type.

    An office whose 表3 is missing (or whose 新收 row is blank) has no bar of 0: it is listed at the
    bottom marked 「无数据」, as the answers leave it out rather than count it as 0.
    """
    lang = _Lang()
    six = T3_COLUMNS[:6]

    def total(item: ExportItem) -> float | None:
        r = item.report
        known = r.t3("new_received", "total")
        value = known if known is not None else add(r.t3("new_received", c) for c in six)
        return None if value is None else float(value)

    with_data = [it for it in items if total(it) is not None]
    without = sorted((it for it in items if total(it) is None), key=lambda it: it.office)
    ranked = sorted(with_data, key=lambda it: (-(total(it) or 0), it.office))[:top]
    ranked = without[: max(0, top - len(ranked))][::-1] + ranked[::-1]  # biggest on top, no data at the bottom
    with _style(lang):
        fig = _figure(len(ranked))
        ax = fig.add_subplot()
        labels = [lang.name(it.label) for it in ranked]
        left = [0.0] * len(ranked)
        for color, col in zip(COLORS, six, strict=True):
            values = [_num(it.report.t3("new_received", col)) for it in ranked]
            label = lang.t(T3_COLUMN_LABELS[col], T3_COLUMN_LABELS_EN[col])
            ax.barh(labels, values, left=left, color=color, label=label)
            left = [a + b for a, b in zip(left, values, strict=True)]
        for i, it in enumerate(ranked):
            value = total(it)
            if value is None:
                ax.text(0, i, f" {_no_data_label(lang)}", va="center", fontsize=9, color=NO_DATA_COLOR)
            else:
                ax.text(left[i], i, f" {value:g}", va="center", fontsize=9)
        shown = f"（前{top}名）" if len(with_data) > top else ""
        missing = (lang.t(f"（{len(without)}个单位无表3数据）", f" ({len(without)} without Table 3)")
                   if without else "")
        ax.set_title(
            lang.t(
                f"{_year_zh(year)}各单位本年新收政府信息公开申请{shown}{missing}",
                f"New information-disclosure applications per office {_year_en(year)}{missing}",
            )
        )
        ax.set_xlabel(lang.t("件数", "applications"))
        ax.legend(loc="lower right", fontsize=9)
        _count_axis(ax, max(left, default=0))
        if not with_data:
            _no_data(ax, lang.t("各单位均无表3数据", "No office has Table 3 data"))
        elif not any(left):
            _no_data(ax, lang.t("本年度各单位均未收到申请", "No applications this year"))
    return fig


def outcome_totals(items: Sequence[ExportItem]) -> list[tuple[str, str, float]]:
    """(zh, en, count) per 办理结果 category, summed over the offices that have a 表3 (a blank cell in a
    table that exists counts as 0 here; a missing table is left out, as the answers leave it out)."""
    with_table = [it for it in items if it.report.applications is not None]
    out = []
    for zh, en, rows in OUTCOMES:
        count = sum(_num(it.report.t3(row)) for it in with_table for row in rows)
        out.append((zh, en, count))
    return out


def outcomes_figure(items: Sequence[ExportItem], *, year: int | None) -> Figure:
    """Share of each 办理结果 category over all offices, as labelled horizontal bars."""
    lang = _Lang()
    totals = outcome_totals(items)
    grand = sum(count for _, _, count in totals)
    counted = sum(1 for it in items if it.report.applications is not None)
    without = len(items) - counted
    with _style(lang):
        fig = _figure(len(totals))
        ax = fig.add_subplot()
        labels = [lang.t(zh, en) for zh, en, _ in reversed(totals)]
        counts = [count for _, _, count in reversed(totals)]
        ax.barh(labels, counts, color=list(reversed(COLORS)))
        for i, count in enumerate(counts):
            share = f"{count / grand:.1%}" if grand else "–"
            ax.text(count, i, f" {count:g}{lang.t('件', '')} ({share})", va="center", fontsize=10)
        missing = lang.t(f"，另有{without}个单位无表3数据未计入", f"; {without} without Table 3 not counted") \
            if without else ""
        ax.set_title(
            lang.t(
                f"{_year_zh(year)}申请办理结果构成（{counted}个单位{missing}）",
                f"Outcomes of applications {_year_en(year)} ({counted} offices{missing})",
            )
        )
        ax.set_xlabel(lang.t("件数", "applications"))
        _count_axis(ax, max(counts, default=0), room=1.3)
        if not counted:
            _no_data(ax, lang.t("各单位均无表3数据", "No office has Table 3 data"))
        elif not grand:
            _no_data(ax, lang.t("本年度没有办结的申请", "No applications processed this year"))
    return fig


def appeals_figure(items: Sequence[ExportItem], *, year: int | None, top: int = TOP_N) -> Figure:
    """Administrative reviews and lawsuits per office (offices with any), stacked by kind."""
    lang = _Lang()
    blocks = (
        ("review", "行政复议", "reviews"),
        ("litigation_direct", "直接起诉", "lawsuits"),
        ("litigation_after_review", "复议后起诉", "lawsuits after review"),
    )

    def total(item: ExportItem) -> float:
        return sum(_num(item.report.t4(block)) for block, _, _ in blocks)

    ranked = sorted((it for it in items if total(it) > 0), key=lambda it: (-total(it), it.office))[:top]
    ranked.reverse()
    without = sum(1 for it in items if it.report.appeals is None)  # no 表4: no data, not "no appeals"
    with _style(lang):
        fig = _figure(max(len(ranked), 3))
        ax = fig.add_subplot()
        labels = [lang.name(it.label) for it in ranked]
        left = [0.0] * len(ranked)
        for color, (block, zh, en) in zip(COLORS, blocks, strict=False):
            values = [_num(it.report.t4(block)) for it in ranked]
            ax.barh(labels, values, left=left, color=color, label=lang.t(zh, en))
            left = [a + b for a, b in zip(left, values, strict=True)]
        missing = (lang.t(f"（{without}个单位无表4数据）", f" ({without} without Table 4)") if without else "")
        ax.set_title(
            lang.t(
                f"{_year_zh(year)}各单位行政复议、行政诉讼{missing}",
                f"Reviews and lawsuits per office {_year_en(year)}{missing}",
            )
        )
        ax.set_xlabel(lang.t("件数", "cases"))
        if ranked:
            ax.legend(loc="lower right", fontsize=9)
            _count_axis(ax, max(left))
        elif without == len(items):
            _no_data(ax, lang.t("各单位均无表4数据", "No office has Table 4 data"))
        else:
            _no_data(ax, lang.t("本年度无行政复议、行政诉讼", "No reviews or lawsuits this year"))
    return fig


def office_years_figure(items: Sequence[ExportItem]) -> Figure:
    """One office over the years: new, processed and carried-forward applications side by side."""
    lang = _Lang()
    ordered = sorted(items, key=lambda it: it.year or 0)
    series = (
        ("new_received", "本年新收", "new"),
        ("total_processed", "办结", "processed"),
        ("carried_forward", "结转下年", "carried forward"),
    )
    name = ordered[0].office if ordered else ""
    with _style(lang):
        fig = _figure(6)
        ax = fig.add_subplot()
        xs = list(range(len(ordered)))
        width = 0.8 / len(series)
        for k, (row, zh, en) in enumerate(series):
            pos = [x + (k - 1) * width for x in xs]
            raw = [it.report.t3(row) for it in ordered]
            bars = ax.bar(pos, [_num(v) for v in raw], width=width, color=COLORS[k], label=lang.t(zh, en))
            ax.bar_label(bars, labels=["" if v is None else f"{v:g}" for v in raw], fontsize=9)
        for x, it in zip(xs, ordered, strict=True):  # a year without 表3: said, not drawn as 0
            if it.report.applications is None:
                ax.text(x, 0, _no_data_label(lang), ha="center", va="bottom", fontsize=10, color=NO_DATA_COLOR)
        ax.set_xticks(xs, [str(it.year) for it in ordered])
        ax.set_title(lang.t(f"{name} 历年政府信息公开申请", f"{lang.name(name)}: applications by year"))
        ax.set_ylabel(lang.t("件数", "applications"))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=9)
        ax.grid(axis="y", alpha=0.3)
    return fig


def chart_for(metric: str, items: Sequence[ExportItem], *, year: int | None) -> Figure:
    """The figure for a metric key of :data:`METRICS`."""
    if metric == "outcomes":
        return outcomes_figure(items, year=year)
    if metric == "appeals":
        return appeals_figure(items, year=year)
    return applications_figure(items, year=year)


def _count_axis(ax: Axes, top: float, *, room: float = 1.12) -> None:
    """Whole-number count ticks from 0, with room at the right for the value labels."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(top * room, 1))
    ax.grid(axis="x", alpha=0.3)


def _no_data(ax: Axes, text: str) -> None:
    """Say there is nothing to draw, instead of showing empty axes with meaningless ticks."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_xlabel("")
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=14)


def _year_zh(year: int | None) -> str:
    return f"{year}年度" if year else ""


def _year_en(year: int | None) -> str:
    return f"({year})" if year else ""
