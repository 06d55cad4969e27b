"""Answers about named offices: one number, an overview, a comparison, a change, a breakdown."""

from __future__ import annotations

from datetime import date

from bot.deadlines.obligations import office_note
from bot.questions import replies as R
from bot.questions.metrics import APPLICANT_COLUMNS, disclosure_rate, t3_metric, t4_metric
from bot.questions.numbers import (
    compute,
    latest_year,
    metric_column,
    no_report,
    notes,
    office_value,
    value_head,
)
from bot.questions.query import Query
from bot.schema import T3_COLUMN_LABELS, T3_COLUMN_LABELS_EN
from storage import repo


async def answer_value(db: object, chat_id: int, query: Query, today: date) -> str:
    office, metric, lang = query.offices[0], query.metric, query.lang
    stored, result = await office_value(db, chat_id, office, query.year, metric)
    if stored is None:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        return no_report(office, query.year, lang, latest.year if latest else None)
    if query.more_metrics:  # 「收到多少件，办结多少件」: one line with each number, then the context
        cells = await repo.report_cells(db, report_id=stored.id)
        parts = []
        for extra in query.more_metrics:
            value = value_head(compute(extra, cells), extra, lang)
            label = extra.zh.replace("办理结果·（七）总计", "办结")
            parts.append(f"{label} {value}" if lang == "zh" else f"{extra.en} {value}")
        table = query.more_metrics[0].cells[0][0][1]  # "t3" → "3"
        where = f"表{table}" if lang == "zh" else f"Table {table}"
        year = R.year_label(stored.year, lang) if lang == "zh" else f"{stored.year} report"
        lines = [" · ".join(parts), f"{R.office_label(office, lang)} · {year} · {where}"]
        return "\n".join(lines + [n for n in notes(stored, result, metric, lang) if n.startswith("⚠️")])
    head = yes_no_word(query, result.value, lang) + value_head(result, metric, lang)
    context = f"{R.office_label(office, lang)} · {R.year_label(stored.year, lang)} · {R.where(metric, lang)}"
    if lang == "en":
        context = f"{R.office_label(office, lang)} · {stored.year} report · {R.where(metric, lang)}"
    return "\n".join([head, context, *notes(stored, result, metric, lang)])


def yes_no_word(query: Query, value: float | None, lang: str) -> str:
    """「有：」「没有：」「是：」「否：」 ("Yes: "/"No: ") before the number a yes/no question asked about, or ''."""
    if query.yes_no != "value" or value is None:
        return ""
    if query.threshold is None:
        yes = value > 0
        return ("Yes: " if yes else "No: ") if lang == "en" else ("有：" if yes else "没有：")
    op, number = query.threshold
    yes = {">": value > number, ">=": value >= number, "<": value < number,
           "=": query.metric is not None and R.same_as_shown(value, number, query.metric)}[op]
    return ("Yes: " if yes else "No: ") if lang == "en" else ("是：" if yes else "否：")


async def answer_overview(db: object, chat_id: int, query: Query, today: date) -> str:
    office, lang = query.offices[0], query.lang
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=query.year)
    if stored is None:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        text = no_report(office, query.year, lang, latest.year if latest else None)
        note = await office_note(db, chat_id=chat_id, office_id=office.id, today=today, year=query.year)
        return f"{text}\n{note}。" if note and lang == "zh" else text  # 「已延期至2月5日（…）」「2026年度免报（…）」
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
        value = value_head(result, metric, lang) if result.value is None else R.amount(result.value, metric, lang)
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


async def answer_compare(db: object, chat_id: int, query: Query, today: date) -> str:
    metric, lang = query.metric, query.lang
    parts: list[str] = []
    values: list[float] = []
    years_seen: set[int] = set()
    missing: list[str] = []
    notes: list[str] = []
    rows = []
    for office in query.offices[:6]:
        stored, result = await office_value(db, chat_id, office, query.year, metric)
        if stored is None:
            missing.append(no_report(office, query.year, lang))
            continue
        years_seen.add(stored.year)
        rows.append((office, stored, result))
    for office, stored, result in rows:
        head = value_head(result, metric, lang)
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
    if query.yes_no in ("more", "less") and len(rows) == 2 and all(r.value is not None for _, _, r in rows):
        a, b = rows[0][2].value, rows[1][2].value
        yes = a > b if query.yes_no == "more" else a < b
        word = ("Yes: " if yes else "No: ") if lang == "en" else ("是：" if yes else "否：")
        lines[0] = word + lines[0]
    valued = [(o, r.value) for o, _, r in rows if r.value is not None]
    if query.aggregate in ("max", "min") and valued and not query.yes_no:
        pick = max if query.aggregate == "max" else min
        best = pick(v for _, v in valued)
        names = R.join_names([R.office_label(o, lang) for o, v in valued if v == best], lang, 5)
        if lang == "zh":
            word = ("最高" if query.aggregate == "max" else "最低") if metric.is_rate else (
                "最多" if query.aggregate == "max" else "最少")
            lines.insert(0, f"{names}{word}：{R.amount(best, metric, lang)}")
        else:
            word = ("Highest" if query.aggregate == "max" else "Lowest") if metric.is_rate else (
                "Most" if query.aggregate == "max" else "Fewest")
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


async def answer_change(db: object, chat_id: int, query: Query, today: date) -> str:
    metric, lang = query.metric, query.lang
    if query.offices:
        office = query.offices[0]
        stored, result = await office_value(db, chat_id, office, query.year, metric)
        if stored is None:
            latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
            return no_report(office, query.year, lang, latest.year if latest else None)
        target = stored.year
        base_year = query.base_year or target - 1
        base_stored, base_result = await office_value(db, chat_id, office, base_year, metric)
        who = R.office_label(office, lang)
        now_v = result.value
        if base_stored is None:
            now_text = R.amount(now_v, metric, lang) if now_v is not None else value_head(result, metric, lang)
            return (f"{no_report(office, base_year, lang)}无法比较。（{target}年度：{now_text}）" if lang == "zh"
                    else f"{no_report(office, base_year, lang)} Nothing to compare with ({target}: {now_text}).")
        before = base_result.value
        errs = (stored.errors or 0) + (base_stored.errors or 0)
    else:
        target = query.year or await latest_year(db, chat_id)
        if target is None:
            return "还没有收到任何报告。" if lang == "zh" else "No reports have been received yet."
        base_year = query.base_year or target - 1
        now_col = [r.value for _, r in await metric_column(db, chat_id, target, metric) if r.value is not None]
        base_col = [r.value for _, r in await metric_column(db, chat_id, base_year, metric) if r.value is not None]
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


async def answer_breakdown(db: object, chat_id: int, query: Query, today: date) -> str:
    office, metric, lang = query.offices[0], query.metric, query.lang
    row = metric.key.split(".")[1]
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=query.year)
    if stored is None:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        return no_report(office, query.year, lang, latest.year if latest else None)
    cells = await repo.report_cells(db, report_id=stored.id)
    total = compute(t3_metric(row), cells)
    parts = []
    by_col: list[tuple[float, str]] = []
    for col in APPLICANT_COLUMNS:
        value = compute(t3_metric(row, col), cells).value
        if value:
            label = T3_COLUMN_LABELS[col] if lang == "zh" else T3_COLUMN_LABELS_EN[col]
            parts.append(f"{label} {R.num(value)}")
            by_col.append((value, label))
    head = value_head(total, metric, lang)
    if not parts and total.value == 0:  # nothing to break down: say it, not a bare 0
        parts = ["各类申请人均为0"] if lang == "zh" else ["none from any type of applicant"]
    sep = "，" if lang == "zh" else ", "
    lines = [f"{head}：{sep.join(parts)}" if parts and lang == "zh" else f"{head}: {sep.join(parts)}" if parts else head]
    if query.aggregate in ("max", "min") and by_col:  # 「申请人哪类最多」: that type first
        best = (max if query.aggregate == "max" else min)(v for v, _ in by_col)
        names = "、".join(label for v, label in by_col if v == best) if lang == "zh" else \
            ", ".join(label for v, label in by_col if v == best)
        word = "最多" if query.aggregate == "max" else "最少"
        lines.insert(0, f"{names}{word}：{R.num(best)}件" if lang == "zh" else
                     f"{'Most' if query.aggregate == 'max' else 'Fewest'}: {names} ({R.num(best)})")
    if lang == "en":
        lines.append(f"{R.office_label(office, lang)} · {stored.year} report · {R.where(metric, lang)} by applicant")
    else:
        lines.append(f"{office.name} · {stored.year}年度 · {metric.where.rsplit('·', 1)[0]}·按申请人")
    return "\n".join(lines + notes(stored, total, metric, lang))
