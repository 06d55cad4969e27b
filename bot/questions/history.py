"""One office across its years: every year held (「平潭历年申请」), or two years side by side
(「平潭2023年和2021年比较」). A year whose report lacks the table says so (an old-format report has no
表3 of today's rows); it is never drawn as 0."""

from __future__ import annotations

from datetime import date

from bot.questions import replies as R
from bot.questions.metrics import disclosure_rate, t3_metric, t4_metric
from bot.questions.numbers import compute, metric_column, no_report, value_head
from bot.questions.query import Query
from storage import repo

#: The numbers two years of one office are compared on (those of the overview).
KEY_METRICS = [
    (t3_metric("new_received"), "新收申请", "new applications"),
    (t3_metric("total_processed"), "办结", "processed"),
    (disclosure_rate(), "公开率", "disclosure rate"),
    (t4_metric("review"), "行政复议", "reviews"),
    (t4_metric("*litigation"), "行政诉讼", "lawsuits"),
]


async def _office_years(db: object, chat_id: int, office: object) -> list[tuple[object, dict]]:
    """(stored report, cells) of every year the chat holds for ``office``, oldest first."""
    out = []
    for year in await repo.years(db, chat_id=chat_id):
        stored, cells = await repo.report_with_cells(db, chat_id=chat_id, office_id=office.id, year=year)
        if stored is not None and stored.year == year:
            out.append((stored, cells))
    return out


async def answer_history(db: object, chat_id: int, query: Query, today: date) -> str:
    """A line per year: the metric for one office (or the chat's total), then the change first → last;
    several offices: a line per office with its years."""
    metric, lang = query.metric, query.lang
    if len(query.offices) > 1:
        return await _offices_history(db, chat_id, query)
    rows: list[tuple[int, str, float | None]] = []
    flagged: list[int] = []
    if query.offices:
        office = query.offices[0]
        who = R.office_label(office, lang)
        for stored, cells in await _office_years(db, chat_id, office):
            result = compute(metric, cells)
            rows.append((stored.year, value_head(result, metric, lang), result.value))
            if stored.errors:
                flagged.append(stored.year)
        if not rows:
            return no_report(office, None, lang)
    else:
        who = "全部单位合计" if lang == "zh" else "all offices, total"
        for year in await repo.years(db, chat_id=chat_id):
            values = [r.value for _, r in await metric_column(db, chat_id, year, metric) if r.value is not None]
            if metric.is_rate:
                value = sum(values) / len(values) if values else None
            else:
                value = sum(values) if values else None
            text = R.amount(value, metric, lang) if value is not None else "—"
            if values:  # the offices differ from year to year: say how many are in each total
                text += f"（{len(values)}个单位）" if lang == "zh" else f" ({len(values)} offices)"
            rows.append((year, text, value))
        if not rows:
            return "还没有收到任何报告。" if lang == "zh" else "No reports have been received yet."
    head = f"{who} · 历年{metric.zh}" if lang == "zh" else f"{who} · {metric.en} by year"
    lines = [head]
    valued = [(y, v) for y, _, v in rows if v is not None]
    if query.aggregate in ("max", "min") and valued:  # 「平潭哪年申请最多」: the year first
        pick = max if query.aggregate == "max" else min
        best = pick(v for _, v in valued)
        years = [str(y) for y, v in valued if v == best]
        word = ("最多" if query.aggregate == "max" else "最少") if not metric.is_rate else (
            "最高" if query.aggregate == "max" else "最低")
        lines.insert(0, f"{'、'.join(years)}年度{word}：{R.amount(best, metric, lang)}" if lang == "zh" else
                     f"{'Most' if query.aggregate == 'max' else 'Fewest'} in {', '.join(years)}: "
                     f"{R.amount(best, metric, lang)}")
    lines += [f"{year}年度 {text}" if lang == "zh" else f"{year}: {text}" for year, text, _ in rows]
    if len(valued) >= 2 and not metric.is_rate:
        (y0, v0), (y1, v1) = valued[0], valued[-1]
        diff = v1 - v0
        if lang == "zh":
            lines.append(f"{y0}→{y1}年度：{'持平' if diff == 0 else ('增加' if diff > 0 else '减少') + R.amount(abs(diff), metric, lang)}")
        else:
            lines.append(f"{y0}→{y1}: {'unchanged' if diff == 0 else ('up ' if diff > 0 else 'down ') + R.amount(abs(diff), metric, lang)}")
    lines.append(R.where(metric, lang))
    if flagged:
        years = "、".join(str(y) for y in flagged) if lang == "zh" else ", ".join(str(y) for y in flagged)
        lines.append(f"⚠️ {years}年度的报告校验有错误，数字仅供参考。" if lang == "zh"
                     else f"⚠️ The report(s) of {years} have validation errors; use with care.")
    return "\n".join(lines)


async def _offices_history(db: object, chat_id: int, query: Query) -> str:
    """「鹿山和东湖历年申请」: each office's years on one line."""
    metric, lang = query.metric, query.lang
    lines = [f"历年{metric.zh}" if lang == "zh" else f"{metric.en} by year"]
    for office in query.offices[:6]:
        held = await _office_years(db, chat_id, office)
        parts = [(f"{s.year}年度 " if lang == "zh" else f"{s.year}: ") + value_head(compute(metric, cells), metric, lang)
                 for s, cells in held]
        sep = "，" if lang == "zh" else ", "
        lines.append(f"{R.office_label(office, lang)}：{sep.join(parts)}" if lang == "zh" and parts else
                     f"{R.office_label(office, lang)}: {sep.join(parts)}" if parts else no_report(office, None, lang))
    lines.append(R.where(metric, lang))
    return "\n".join(lines)


async def _chat_totals(db: object, chat_id: int, year: int) -> tuple[dict, int]:
    """The chat's total cells for ``year`` (every current report's cells added), and how many reports."""
    from bot.questions.metrics import Metric  # noqa: F401 - the cells are those of KEY_METRICS

    cells: dict = {}
    count: set = set()
    for metric, _, _ in KEY_METRICS:
        for cell in metric.all_cells:
            if cell in cells:
                continue
            for stored, value in await repo.cell_values(db, chat_id=chat_id, year=year, table=cell[0], row=cell[1],
                                                         col=cell[2]):
                count.add(stored.id)
                if value is not None:
                    cells[cell] = (cells.get(cell) or 0) + value
                else:
                    cells.setdefault(cell, None)
    return cells, len(count)


async def answer_years(db: object, chat_id: int, query: Query, today: date) -> str:
    """One office's key numbers in two years, each with the change (no office: the chat's totals)."""
    lang = query.lang
    new_year, old_year = query.year, query.base_year
    if not query.offices:
        (new_cells, n_new), (old_cells, n_old) = (await _chat_totals(db, chat_id, new_year),
                                                  await _chat_totals(db, chat_id, old_year))
        if not n_new or not n_old:
            missing = [y for y, n in ((old_year, n_old), (new_year, n_new)) if not n]
            years = "、".join(str(y) for y in missing)
            return (f"未收到{years}年度的报告，无法比较。" if lang == "zh"
                    else f"No reports for {', '.join(str(y) for y in missing)}, nothing to compare.")
        head = (f"全部单位合计 · {new_year}年度（{n_new}份） 与 {old_year}年度（{n_old}份）" if lang == "zh"
                else f"All offices, total · {new_year} ({n_new} reports) vs {old_year} ({n_old} reports)")
        return "\n".join([head, *_key_lines(new_cells, old_cells, lang)])
    office = query.offices[0]
    new, new_cells = await repo.report_with_cells(db, chat_id=chat_id, office_id=office.id, year=new_year)
    old, old_cells = await repo.report_with_cells(db, chat_id=chat_id, office_id=office.id, year=old_year)
    missing = [y for y, s in ((old_year, old), (new_year, new)) if s is None]
    if missing:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        text = " ".join(no_report(office, y, lang) for y in missing)
        if latest is not None:
            held = await _office_years(db, chat_id, office)
            years = [str(s.year) for s, _ in held]
            text += (f"（已有：{'、'.join(years)}年度）" if lang == "zh" else f" (Held: {', '.join(years)}.)")
        return text
    who = R.office_label(office, lang)
    lines = [f"{who} · {new_year}年度 与 {old_year}年度" if lang == "zh" else f"{who} · {new_year} vs {old_year}"]
    lines += _key_lines(new_cells, old_cells, lang)
    errs = [str(s.year) for s in (new, old) if s.errors]
    if errs:
        lines.append(f"⚠️ {'、'.join(errs)}年度的报告校验有错误，数字仅供参考。" if lang == "zh"
                     else f"⚠️ The {', '.join(errs)} report has validation errors; use with care.")
    return "\n".join(lines)


def _key_lines(new_cells: dict, old_cells: dict, lang: str) -> list[str]:
    """「新收申请 81件 / 70件（+11件）」 for each key number either year has."""
    lines = []
    for metric, zh, en in KEY_METRICS:
        a, b = compute(metric, new_cells), compute(metric, old_cells)
        if a.absent and b.absent:
            continue
        label = zh if lang == "zh" else en
        line = f"{label} {value_head(a, metric, lang)} / {value_head(b, metric, lang)}"
        if a.value is not None and b.value is not None:
            diff = a.value - b.value
            if metric.is_rate:
                change = f"{diff * 100:+.1f}个百分点" if lang == "zh" else f"{diff * 100:+.1f} points"
            else:
                change = ("+" if diff > 0 else "-" if diff < 0 else "±") + R.amount(abs(diff), metric, lang)
            line += f"（{change}）" if lang == "zh" else f" ({change})"
        lines.append(line)
    return lines
