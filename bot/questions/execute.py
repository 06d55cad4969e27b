"""``answer``: run a parsed question against storage and word the reply.

Only the repository functions of ARCHITECTURE.md are used. Aggregates read one column of cells per
metric cell with ``cell_values`` (never every report's JSON), single values read one report's cells with
``report_cells``. Blank is not 0: a blank cell is said to be blank, a missing report is said to be
missing, and a report with validation errors carries a warning under its number.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.questions import replies as R
from bot.questions.metrics import APPLICANT_COLUMNS, Cell, Metric, disclosure_rate, t3_metric, t4_metric
from bot.questions.parse import parse_question
from bot.questions.query import Answer, Query
from bot.schema import T3_COLUMN_LABELS, T3_COLUMN_LABELS_EN
from storage import repo

log = logging.getLogger(__name__)

_TZ = ZoneInfo("Asia/Shanghai")
_LIST_LIMIT = 10


@dataclass
class Computed:
    """A metric computed from some cells: the value, or why there is none."""

    value: float | None
    blank: list[Cell] = field(default_factory=list)  # cells that were blank
    absent: bool = False  # the table (or every cell) is not in the report
    zero_denominator: bool = False


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
    return Computed(value / base, blanks)


def _today(today: date | None) -> date:
    return today or datetime.now(_TZ).date()


#: Seconds a chat's office list is reused between questions (saves a query per question). A question
#: that finds no office with a cached list is parsed again with a fresh one, so an office whose first
#: report just arrived is still found; ``forget_offices`` drops the cache at once.
OFFICE_TTL = 10.0
_OFFICES: dict[tuple[str, int], tuple[float, list]] = {}


def _cache_key(db: object, chat_id: int) -> tuple[str, int]:
    url = getattr(db, "url", None)
    return (repr(url) if url is not None else f"id:{id(db)}", chat_id)


async def _offices(db: object, chat_id: int, *, fresh: bool = False) -> tuple[list, bool]:
    """The chat's offices and whether they came from the cache."""
    key = _cache_key(db, chat_id)
    now = time.monotonic()
    hit = _OFFICES.get(key)
    if hit is not None and not fresh and now - hit[0] < OFFICE_TTL:
        return hit[1], True
    offices = await repo.find_offices(db, chat_id=chat_id)
    if len(_OFFICES) > 2000:
        _OFFICES.clear()
    _OFFICES[key] = (now, offices)
    return offices, False


def forget_offices(chat_id: int | None = None) -> None:
    """Drop cached office lists (of one chat, or all): call after a rename, merge or new alias."""
    for key in [k for k in _OFFICES if chat_id is None or k[1] == chat_id]:
        _OFFICES.pop(key, None)


def _might_name_a_new_office(query: Query) -> bool:
    return query.kind in ("unknown", "no_office") or (
        query.kind == "aggregate" and query.implicit and not query.offices)


async def answer(db: object, *, chat_id: int, text: str, today: date | None = None) -> Answer:
    """Answer one chat question from the stored reports of ``chat_id``. Never raises."""
    today = _today(today)
    try:
        offices, cached = await _offices(db, chat_id)
        query = parse_question(text, offices=offices, today=today)
        if cached and _might_name_a_new_office(query):
            offices, _ = await _offices(db, chat_id, fresh=True)
            query = parse_question(text, offices=offices, today=today)
        return await run_query(db, chat_id=chat_id, query=query, offices=offices, today=today)
    except Exception:  # noqa: BLE001 - the user gets a short sentence, the log gets the trace
        log.exception("question failed: %r", text)
        lang = "en" if text.isascii() else "zh"
        msg = "抱歉，查询时出了问题，请稍后再试。" if lang == "zh" else "Sorry, something went wrong. Please try again."
        return Answer(msg, lang, True, [])


async def run_query(db: object, *, chat_id: int, query: Query, offices: list, today: date) -> Answer:
    """Dispatch a parsed query to the function for its kind."""
    lang = query.lang
    if query.kind == "choose":
        names = [o.name for o in query.choices]
        text = "有几个单位都符合，您问的是哪一个？" if lang == "zh" else "Several offices match. Which one do you mean?"
        return Answer(text, lang, True, names)
    if query.kind == "unknown":
        return Answer(await _examples(db, chat_id, lang, offices), lang, False, [])
    if query.kind == "aggregate" and query.implicit and len(offices) == 1:
        query.kind, query.offices = "value", [offices[0]]
    handler = {
        "value": _value,
        "overview": _overview,
        "aggregate": _aggregate,
        "compare": _compare,
        "change": _change,
        "count": _count,
        "errors": _errors,
        "findings": _findings,
        "missing": _missing,
        "submitted": _submitted,
        "submitted_one": _submitted_one,
        "breakdown": _breakdown,
        "no_office": _no_office,
    }[query.kind]
    text = await handler(db, chat_id, query, today)
    return Answer(text, lang, True, [])


async def _examples(db: object, chat_id: int, lang: str, offices: list) -> str:
    """The not-understood reply, with an office and a year of this chat so the first example works."""
    held = await repo.years(db, chat_id=chat_id) if offices else []
    short = next((o.short_name for o in offices if o.short_name), "")
    return R.not_understood(lang, short, held[-1] if held else 2021)


async def _no_office(db: object, chat_id: int, query: Query, today: date) -> str:
    offices, _ = await _offices(db, chat_id)
    names = [o.short_name or o.name for o in offices]
    if query.lang == "en":
        text = f"No office called “{query.unknown_name}” in this chat."
        return text + (f"\nOffices here: {R.join_names(names, 'en', 8)}" if names else "")
    text = f"本群没有“{query.unknown_name}”的报告。"
    return text + (f"\n已有单位：{R.join_names(names, 'zh', 8)}" if names else "")


# -- helpers ---------------------------------------------------------------------------------------


def _no_report(office: object, year: int | None, lang: str, latest: int | None = None) -> str:
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


def _notes(stored: object, result: Computed, metric: Metric, lang: str) -> list[str]:
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


def _value_head(result: Computed, metric: Metric, lang: str) -> str:
    if result.value is not None:
        return R.amount(result.value, metric, lang)
    if result.absent:
        return "无此项" if lang == "zh" else "not in the report"
    if result.zero_denominator:
        return "无法计算" if lang == "zh" else "no rate"
    return "空白（未填写）" if lang == "zh" else "blank (not filled in)"


async def _office_value(db: object, chat_id: int, office: object, year: int | None, metric: Metric):
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=year)
    if stored is None:
        return None, None
    cells = await repo.report_cells(db, report_id=stored.id)
    return stored, compute(metric, cells)


async def _latest_year(db: object, chat_id: int) -> int | None:
    held = await repo.years(db, chat_id=chat_id)
    return held[-1] if held else None


# -- kinds -----------------------------------------------------------------------------------------


async def _value(db: object, chat_id: int, query: Query, today: date) -> str:
    office, metric, lang = query.offices[0], query.metric, query.lang
    stored, result = await _office_value(db, chat_id, office, query.year, metric)
    if stored is None:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        return _no_report(office, query.year, lang, latest.year if latest else None)
    if query.more_metrics:  # 「收到多少件，办结多少件」: one line with each number, then the context
        cells = await repo.report_cells(db, report_id=stored.id)
        parts = []
        for extra in query.more_metrics:
            value = _value_head(compute(extra, cells), extra, lang)
            label = extra.zh.replace("办理结果·（七）总计", "办结")
            parts.append(f"{label} {value}" if lang == "zh" else f"{extra.en} {value}")
        where = "表3" if lang == "zh" else "Table 3"
        year = R.year_label(stored.year, lang) if lang == "zh" else f"{stored.year} report"
        lines = [" · ".join(parts), f"{R.office_label(office, lang)} · {year} · {where}"]
        return "\n".join(lines + [n for n in _notes(stored, result, metric, lang) if n.startswith("⚠️")])
    head = _value_head(result, metric, lang)
    context = f"{R.office_label(office, lang)} · {R.year_label(stored.year, lang)} · {R.where(metric, lang)}"
    if lang == "en":
        context = f"{R.office_label(office, lang)} · {stored.year} report · {R.where(metric, lang)}"
    return "\n".join([head, context, *_notes(stored, result, metric, lang)])


async def _overview(db: object, chat_id: int, query: Query, today: date) -> str:
    office, lang = query.offices[0], query.lang
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=query.year)
    if stored is None:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        return _no_report(office, query.year, lang, latest.year if latest else None)
    cells = await repo.report_cells(db, report_id=stored.id)
    parts = [
        (t3_metric("new_received"), "新收申请", "new applications"),
        (t3_metric("total_processed"), "办结", "processed"),
        (disclosure_rate(), "公开率", "disclosure rate"),
        (t4_metric("review"), "行政复议", "reviews"),
        (t4_metric("*litigation"), "行政诉讼", "lawsuits"),
    ]
    shown = []
    for metric, zh, en in parts:
        result = compute(metric, cells)
        if result.absent:
            continue
        value = _value_head(result, metric, lang) if result.value is None else R.amount(result.value, metric, lang)
        shown.append(f"{zh} {value}" if lang == "zh" else f"{en} {value}")
    verdict = {"通过": "✅ 通过", "有警告": "⚠️ 有警告", "有错误": "❌ 有错误"}.get(stored.verdict, stored.verdict)
    if lang == "en":
        verdict = {"通过": "✅ passed", "有警告": "⚠️ warnings", "有错误": "❌ errors"}.get(stored.verdict, stored.verdict)
        head = f"{R.office_label(office, lang)} · {stored.year} report · {verdict}"
    else:
        head = f"{office.name} · {stored.year}年度报告 · {verdict}"
    lines = [head, " · ".join(shown[:3])]
    if shown[3:]:
        lines.append(" · ".join(shown[3:]))
    return "\n".join(line for line in lines if line)


async def _column(db: object, chat_id: int, year: int, metric: Metric) -> list[tuple[object, Computed]]:
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


async def _aggregate(db: object, chat_id: int, query: Query, today: date) -> str:
    metric, lang = query.metric, query.lang
    year = query.year or await _latest_year(db, chat_id)
    if year is None:
        return "还没有收到任何报告。" if lang == "zh" else "No reports have been received yet."
    column = await _column(db, chat_id, year, metric)
    if query.offices and query.aggregate in ("sum", "avg"):  # 「东湖和南苑一共」: only the named offices
        wanted = {o.id for o in query.offices}
        column = [(s, r) for s, r in column if s.office.id in wanted]
    unit = "单位"
    if query.office_kind and any(s.office.kind == query.office_kind for s, _ in column):
        column = [(s, r) for s, r in column if s.office.kind == query.office_kind]
        unit = query.office_kind
    if not column:
        return f"未收到任何{year}年度报告。" if lang == "zh" else f"No reports for {year} have been received."
    valued = [(s, r.value) for s, r in column if r.value is not None]
    skipped = len(column) - len(valued)
    where = R.where(metric, lang)
    ylab = R.year_label(year, lang)
    skip_note = ""
    if skipped:
        skip_note = (f"（{skipped}个{unit}该项空白或缺失，未计入）" if lang == "zh"
                     else f" ({skipped} office(s) blank or missing, not counted)")
    if not valued:
        return (f"{ylab}的{len(column)}份报告中该项都为空白或缺失。" if lang == "zh"
                else f"That item is blank or missing in all {len(column)} reports for {year}.")
    agg = query.aggregate
    if agg == "zero":
        zeros = [R.office_label(s.office, lang) for s, v in valued if v == 0]
        if lang == "en":
            head = f"{len(zeros)} of {len(column)} office(s) reported 0" if zeros else "No office reported 0"
            return f"{head} · {year} · {where}" + (f":\n{R.join_names(zeros, lang)}" if zeros else "") + skip_note
        head = f"{len(column)}个{unit}中{len(zeros)}个为0" if zeros else f"没有{unit}为0"
        return f"{head}（{ylab} · {where}）" + (f"：\n{R.join_names(zeros, lang)}" if zeros else "") + skip_note
    if agg in ("sum", "avg"):
        if metric.is_rate:
            value = sum(v for _, v in valued) / len(valued)
            label_zh, label_en = "平均", "Average"
        elif agg == "sum":
            value = sum(v for _, v in valued)
            label_zh, label_en = "合计", "Total"
        else:
            value = sum(v for _, v in valued) / len(valued)
            label_zh, label_en = "平均", "Average"
        amount = R.amount(round(value, 4), metric, lang)
        if lang == "en":
            return f"{label_en}: {amount}\n{year} · {len(valued)} office(s) · {where}{skip_note}"
        return f"{label_zh} {amount}\n{ylab} · {len(valued)}个{unit} · {where}{skip_note}"
    ranked = sorted(valued, key=lambda sv: (-sv[1], sv[0].office.name))
    if agg in ("max", "min"):
        best = ranked[0][1] if agg == "max" else ranked[-1][1]
        tied = [s for s, v in ranked if v == best]
        names = R.join_names([R.office_label(s.office, lang) for s in tied], lang, 5)
        amount = R.amount(best, metric, lang)
        if lang == "en":
            word = "Most" if agg == "max" else "Fewest"
            if metric.is_rate:
                word = "Highest" if agg == "max" else "Lowest"
            return f"{word}: {names} — {amount}\n{year} · {where} · {len(valued)} office(s){skip_note}"
        word = "最多" if agg == "max" else "最少"
        if metric.is_rate:
            word = "最高" if agg == "max" else "最低"
        return f"{names}{word}：{amount}\n{ylab} · {where} · 共{len(valued)}个{unit}{skip_note}"
    if agg == "bottom":
        ranked = sorted(valued, key=lambda sv: (sv[1], sv[0].office.name))
    limit = query.top_n if agg in ("top", "bottom") else _LIST_LIMIT if not query.offices else 5
    lines = []
    rank = 0
    previous = None
    for i, (stored, value) in enumerate(ranked):
        if value != previous:
            rank, previous = i + 1, value
        if i < limit:
            lines.append(f"{rank}. {R.office_label(stored.office, lang)} {R.amount(value, metric, lang)}")
    highlight = ""
    if query.offices:
        wanted = {o.id for o in query.offices}
        rank = 0
        previous = None
        for i, (stored, value) in enumerate(ranked):
            if value != previous:
                rank, previous = i + 1, value
            if stored.office.id in wanted:
                highlight = (f"{stored.office.name}排第{rank}（共{len(ranked)}个），{R.amount(value, metric, lang)}"
                             if lang == "zh" else
                             f"{R.office_label(stored.office, lang)} ranks {rank} of {len(ranked)}: "
                             f"{R.amount(value, metric, lang)}")
                break
    more = len(ranked) - min(limit, len(ranked))
    if lang == "en":
        head = {"top": f"Top {min(limit, len(ranked))}", "bottom": f"Bottom {min(limit, len(ranked))}"}.get(
            agg, "Ranking")
        text = f"{head} · {year} · {where}:\n" + "\n".join(lines)
        if more:
            text += f"\n… and {more} more"
    else:
        head = {"top": f"前{min(limit, len(ranked))}名", "bottom": f"倒数{min(limit, len(ranked))}名"}.get(agg, "排名")
        text = f"{head}（{ylab} · {where}）：\n" + "\n".join(lines)
        if more:
            text += f"\n…另有{more}个"
    if highlight:
        text = highlight + "\n" + text
    return text + skip_note


async def _compare(db: object, chat_id: int, query: Query, today: date) -> str:
    metric, lang = query.metric, query.lang
    parts: list[str] = []
    values: list[float] = []
    years_seen: set[int] = set()
    missing: list[str] = []
    notes: list[str] = []
    rows = []
    for office in query.offices[:6]:
        stored, result = await _office_value(db, chat_id, office, query.year, metric)
        if stored is None:
            missing.append(_no_report(office, query.year, lang))
            continue
        years_seen.add(stored.year)
        rows.append((office, stored, result))
    for office, stored, result in rows:
        head = _value_head(result, metric, lang)
        label = R.office_label(office, lang)
        if len(years_seen) > 1:
            label += f"（{stored.year}）" if lang == "zh" else f" [{stored.year}]"
        parts.append(f"{label} {head}")
        if result.value is not None:
            values.append(result.value)
        if stored.errors:
            notes.append(f"⚠️ {office.name}的报告校验有{stored.errors}处错误。" if lang == "zh"
                         else f"⚠️ {office.name}'s report has {stored.errors} validation error(s).")
    if not parts:
        return "\n".join(missing)
    sep = "；" if lang == "zh" else "; "
    lines = [sep.join(parts)]
    valued = [(o, r.value) for o, _, r in rows if r.value is not None]
    if query.aggregate in ("max", "min") and valued:
        pick = max if query.aggregate == "max" else min
        best = pick(v for _, v in valued)
        names = R.join_names([R.office_label(o, lang) for o, v in valued if v == best], lang, 5)
        if lang == "zh":
            word = ("最高" if query.aggregate == "max" else "最低") if metric.is_rate else (
                "最多" if query.aggregate == "max" else "最少")
            lines.insert(0, f"{names}{word}：{R.amount(best, metric, lang)}")
        else:
            word = "Highest" if query.aggregate == "max" else "Lowest"
            lines.insert(0, f"{word}: {names} — {R.amount(best, metric, lang)}")
    ctx = []
    if len(years_seen) == 1:
        ctx.append(R.year_label(next(iter(years_seen)), lang))
    ctx.append(R.where(metric, lang))
    if len(values) == 2 and len(parts) == 2:
        diff = abs(values[0] - values[1])
        d = R.pct(diff).replace("%", "个百分点") if metric.is_rate and lang == "zh" else (
            f"{diff * 100:.1f} points" if metric.is_rate else R.amount(diff, metric, lang))
        ctx.append(f"相差{d}" if lang == "zh" else f"difference {d}")
    lines.append(" · ".join(ctx))
    return "\n".join(lines + missing + notes)


async def _change(db: object, chat_id: int, query: Query, today: date) -> str:
    metric, lang = query.metric, query.lang
    if query.offices:
        office = query.offices[0]
        stored, result = await _office_value(db, chat_id, office, query.year, metric)
        if stored is None:
            latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
            return _no_report(office, query.year, lang, latest.year if latest else None)
        target = stored.year
        base_year = query.base_year or target - 1
        base_stored, base_result = await _office_value(db, chat_id, office, base_year, metric)
        who = R.office_label(office, lang)
        now_v = result.value
        if base_stored is None:
            now_text = R.amount(now_v, metric, lang) if now_v is not None else _value_head(result, metric, lang)
            return (f"{_no_report(office, base_year, lang)}无法比较。（{target}年度：{now_text}）" if lang == "zh"
                    else f"{_no_report(office, base_year, lang)} Nothing to compare with ({target}: {now_text}).")
        before = base_result.value
        errs = (stored.errors or 0) + (base_stored.errors or 0)
    else:
        target = query.year or await _latest_year(db, chat_id)
        if target is None:
            return "还没有收到任何报告。" if lang == "zh" else "No reports have been received yet."
        base_year = query.base_year or target - 1
        now_col = [r.value for _, r in await _column(db, chat_id, target, metric) if r.value is not None]
        base_col = [r.value for _, r in await _column(db, chat_id, base_year, metric) if r.value is not None]
        if not base_col:
            return (f"未收到{base_year}年度的报告，无法比较。" if lang == "zh"
                    else f"No reports for {base_year}, nothing to compare with.")
        agg = (lambda xs: sum(xs) / len(xs)) if metric.is_rate else sum
        now_v = agg(now_col) if now_col else None
        before = agg(base_col)
        who = "全部单位" if lang == "zh" else "all offices"
        errs = 0
    if now_v is None or before is None:
        return ("有一年该项为空白（未填写），无法比较。" if lang == "zh"
                else "The item is blank in one of the years, so there is no comparison.")
    diff = now_v - before
    if metric.is_rate:
        d = f"{abs(diff) * 100:.1f}"
        if lang == "zh":
            head = "与上年持平" if diff == 0 else f"比{base_year}年度{'提高' if diff > 0 else '下降'}{d}个百分点"
        else:
            head = "Unchanged" if diff == 0 else f"{'Up' if diff > 0 else 'Down'} {d} points on {base_year}"
    else:
        d = R.amount(abs(diff), metric, lang)
        rel = f"，{diff / before * 100:+.1f}%" if before else ""
        rel_en = f", {diff / before * 100:+.1f}%" if before else ""
        if lang == "zh":
            head = f"与{base_year}年度持平" if diff == 0 else f"比{base_year}年度{'多' if diff > 0 else '少'}{d}{rel}"
        else:
            head = f"Same as {base_year}" if diff == 0 else f"{'Up' if diff > 0 else 'Down'} {d} on {base_year}{rel_en}"
    nowa, bef = R.amount(now_v, metric, lang), R.amount(before, metric, lang)
    if lang == "zh":
        lines = [head, f"{who} · {target}年度 {nowa}，{base_year}年度 {bef} · {R.where(metric, lang)}"]
    else:
        lines = [head, f"{who} · {target}: {nowa}, {base_year}: {bef} · {R.where(metric, lang)}"]
    if errs:
        lines.append("⚠️ 有报告校验有错误，数字仅供参考。" if lang == "zh"
                     else "⚠️ A report involved has validation errors; use with care.")
    return "\n".join(lines)


def _due_year(query: Query, today: date) -> int:
    """The report year for submission questions: the one asked, else the report due this calendar year."""
    return query.year or today.year - 1


async def _count(db: object, chat_id: int, query: Query, today: date) -> str:
    lang = query.lang
    year = query.year or await _latest_year(db, chat_id)
    if year is None:
        return "还没有收到任何报告。" if lang == "zh" else "No reports have been received yet."
    status = await repo.submission_status(db, chat_id=chat_id, year=year)
    done = [o for o, s in status if s is not None]
    missing = [o for o, s in status if s is None]
    if lang == "en":
        text = f"{len(done)} office(s) have reported for {year}."
        if missing:
            text += f"\n{len(missing)} on the roster have not: {R.join_names([o.name for o in missing], lang, 8)}"
        return text
    text = f"{len(done)}个单位已提交{year}年度报告。"
    if missing:
        text += f"\n名册上还有{len(missing)}个未交：{R.join_names([o.name for o in missing], lang, 8)}"
    return text


async def _missing(db: object, chat_id: int, query: Query, today: date) -> str:
    lang = query.lang
    year = _due_year(query, today)
    status = await repo.submission_status(db, chat_id=chat_id, year=year)
    if not status:
        return (f"还没有名册，也没有收到{year}年度报告。可用 /roster 添加应交单位。" if lang == "zh"
                else f"No roster and no {year} reports yet. Add offices with /roster.")
    missing = [o.name for o, s in status if s is None]
    done = len(status) - len(missing)
    if not missing:
        return (f"{year}年度：名册上的{len(status)}个单位都已提交 ✅" if lang == "zh"
                else f"{year}: all {len(status)} offices have submitted ✅")
    if lang == "en":
        return (f"{len(missing)} office(s) have not submitted the {year} report:\n"
                f"{R.join_names(missing, lang)}\n({done} of {len(status)} submitted)")
    return f"{year}年度还有{len(missing)}个单位未交：\n{R.join_names(missing, lang)}\n（共{len(status)}个，已交{done}个）"


async def _submitted(db: object, chat_id: int, query: Query, today: date) -> str:
    lang = query.lang
    year = _due_year(query, today)
    status = await repo.submission_status(db, chat_id=chat_id, year=year)
    done = [o.name for o, s in status if s is not None]
    if not done:
        return f"还没有收到{year}年度报告。" if lang == "zh" else f"No {year} reports received yet."
    if lang == "en":
        return f"{len(done)} office(s) submitted the {year} report:\n{R.join_names(done, lang)}"
    return f"{year}年度已交{len(done)}个：\n{R.join_names(done, lang)}"


def _finding_text(finding: object, lang: str) -> str:
    message = (finding.message_en or finding.message) if lang == "en" else finding.message
    if len(message) > 60:
        message = message[:58] + "…"
    return f"{message}（{finding.code}）" if lang == "zh" else f"{message} ({finding.code})"


async def _errors(db: object, chat_id: int, query: Query, today: date) -> str:
    lang = query.lang
    year = query.year or await _latest_year(db, chat_id)
    if year is None:
        return "还没有收到任何报告。" if lang == "zh" else "No reports have been received yet."
    reports = await repo.list_reports(db, chat_id=chat_id, year=year)
    bad = [s for s in reports if (s.errors or 0) > 0]
    warned = [s for s in reports if not s.errors and s.warnings]
    if not reports:
        return f"未收到任何{year}年度报告。" if lang == "zh" else f"No reports for {year} have been received."
    if query.aggregate == "passed":
        ok = [R.office_label(s.office, lang) for s in reports if not s.errors]
        if lang == "en":
            return f"{len(ok)} of {len(reports)} reports for {year} have no errors ✅:\n{R.join_names(ok, lang)}"
        return f"{year}年度{len(reports)}份报告中{len(ok)}份没有错误 ✅：\n{R.join_names(ok, lang)}"
    if query.aggregate == "warnings":
        if not warned:
            return (f"{year}年度没有只带警告的报告。" if lang == "zh"
                    else f"No report for {year} has warnings only.")
        names = R.join_names([R.office_label(s.office, lang) for s in warned], lang)
        return (f"{year}年度有{len(warned)}份报告有警告（无错误）：\n{names}" if lang == "zh"
                else f"{len(warned)} report(s) for {year} have warnings (no errors):\n{names}")
    if not bad:
        if lang == "en":
            text = f"None of the {len(reports)} reports for {year} has errors ✅"
            return text + (f" ({len(warned)} with warnings)" if warned else "")
        text = f"{year}年度的{len(reports)}份报告都没有错误 ✅"
        return text + (f"（{len(warned)}份有警告）" if warned else "")
    lines = [f"{year}年度有{len(bad)}份报告有错误：" if lang == "zh" else f"{len(bad)} report(s) for {year} have errors:"]
    for stored in bad[:_LIST_LIMIT]:
        findings = await repo.report_findings(db, report_id=stored.id)
        first = next((f for f in findings if f.severity == "error"), None)
        why = _finding_text(first, lang) if first else ""
        count = f"{stored.errors}处错误" if lang == "zh" else f"{stored.errors} error(s)"
        lines.append(f"• {R.office_label(stored.office, lang)}（{count}）：{why}" if lang == "zh"
                     else f"• {R.office_label(stored.office, lang)} ({count}): {why}")
    if len(bad) > _LIST_LIMIT:
        lines.append(f"…另有{len(bad) - _LIST_LIMIT}份" if lang == "zh" else f"… and {len(bad) - _LIST_LIMIT} more")
    return "\n".join(lines)


async def _findings(db: object, chat_id: int, query: Query, today: date) -> str:
    office, lang = query.offices[0], query.lang
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=query.year)
    if stored is None:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        return _no_report(office, query.year, lang, latest.year if latest else None)
    findings = [f for f in await repo.report_findings(db, report_id=stored.id) if f.severity != "info"]
    name = R.office_label(office, lang)
    if not findings:
        return (f"{name} {stored.year}年度报告：✅ 校验通过，没有发现问题。" if lang == "zh"
                else f"{name} {stored.year} report: ✅ passed, no problems found.")
    if lang == "en":
        head = f"{name} {stored.year} report: {stored.errors} error(s), {stored.warnings} warning(s)"
    else:
        mark = "❌" if stored.errors else "⚠️"
        head = f"{name} {stored.year}年度报告：{mark} 错误{stored.errors}处，警告{stored.warnings}处"
    lines = [head]
    for finding in findings[:3]:
        where = f" @{finding.where}" if finding.where and lang == "zh" and len(finding.where) < 20 else ""
        lines.append(f"• {_finding_text(finding, lang)}{where}")
    if len(findings) > 3:
        lines.append(f"…另有{len(findings) - 3}条" if lang == "zh" else f"… and {len(findings) - 3} more")
    return "\n".join(lines)


async def _submitted_one(db: object, chat_id: int, query: Query, today: date) -> str:
    office, lang = query.offices[0], query.lang
    year = _due_year(query, today)
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=year)
    if stored is None:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        return "❌ " + _no_report(office, year, lang, latest.year if latest else None)
    received = stored.received_at
    if received is not None and received.tzinfo is None:  # stored as naive UTC
        received = received.replace(tzinfo=UTC)
    when = received.astimezone(_TZ).strftime("%Y-%m-%d") if received else ""
    verdict = {"通过": "✅ 通过", "有警告": "⚠️ 有警告", "有错误": "❌ 有错误"}.get(stored.verdict, stored.verdict)
    if lang == "en":
        verdict = {"通过": "✅ passed", "有警告": "⚠️ warnings", "有错误": "❌ errors"}.get(stored.verdict, "")
        return f"Yes: {R.office_label(office, lang)} submitted the {year} report ({when}; {verdict})."
    return f"已交：{office.name}的{year}年度报告已收到（{when}，{verdict}）。"


async def _breakdown(db: object, chat_id: int, query: Query, today: date) -> str:
    office, metric, lang = query.offices[0], query.metric, query.lang
    row = metric.key.split(".")[1]
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=query.year)
    if stored is None:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        return _no_report(office, query.year, lang, latest.year if latest else None)
    cells = await repo.report_cells(db, report_id=stored.id)
    total = compute(t3_metric(row), cells)
    parts = []
    for col in APPLICANT_COLUMNS:
        value = compute(t3_metric(row, col), cells).value
        if value:
            label = T3_COLUMN_LABELS[col] if lang == "zh" else T3_COLUMN_LABELS_EN[col]
            parts.append(f"{label} {R.num(value)}")
    head = _value_head(total, metric, lang)
    sep = "，" if lang == "zh" else ", "
    lines = [f"{head}：{sep.join(parts)}" if parts and lang == "zh" else f"{head}: {sep.join(parts)}" if parts else head]
    if lang == "en":
        lines.append(f"{R.office_label(office, lang)} · {stored.year} report · {R.where(metric, lang)} by applicant")
    else:
        lines.append(f"{office.name} · {stored.year}年度 · {metric.where.rsplit('·', 1)[0]}·按申请人")
    return "\n".join(lines + _notes(stored, total, metric, lang))
