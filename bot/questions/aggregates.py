"""Answers over all offices of a chat: total, average, most/least, top N, ranking, zeros."""

from __future__ import annotations

from datetime import date

from bot.questions import replies as R
from bot.questions.numbers import LIST_LIMIT, latest_year, metric_column
from bot.questions.query import Query
from storage import repo

_KIND_EN = {"街道": "subdistrict", "乡镇": "town", "部门": "department"}


async def _latest_of(db: object, chat_id: int, offices: list) -> int | None:
    """The latest year any of the named offices reported: 「临安的街道一共多少」 sums their own latest
    reports, not the chat's latest year (平潭's 2023, which none of them filed)."""
    years = []
    for office in offices:
        latest = await repo.get_report(db, chat_id=chat_id, office_id=office.id)
        if latest is not None and latest.year:
            years.append(latest.year)
    return max(years) if years else None


async def answer_aggregate(db: object, chat_id: int, query: Query, today: date) -> str:
    """The aggregate's answer, with a warning naming the counted reports that failed validation: a total
    over a report with errors is no firmer than that report's own number."""
    errored: list = []
    text = await _aggregate(db, chat_id, query, errored)
    if not errored:
        return text
    names = R.join_names([R.office_label(o, query.lang) for o in errored], query.lang, 3)
    if query.lang == "en":
        return text + f"\n⚠️ Counted report(s) with validation errors: {names}; use with care."
    return text + f"\n⚠️ 其中{names}的报告校验有错误，数字仅供参考。"


async def _aggregate(db: object, chat_id: int, query: Query, errored: list) -> str:
    """The aggregate itself; ``errored`` receives the offices whose counted report has errors."""
    metric, lang = query.metric, query.lang
    year = query.year
    if year is None and query.offices and query.aggregate in ("sum", "avg"):
        year = await _latest_of(db, chat_id, query.offices)
    year = year or await latest_year(db, chat_id)
    if year is None:
        return "还没有收到任何报告。" if lang == "zh" else "No reports have been received yet."
    column = await metric_column(db, chat_id, year, metric)
    if query.offices and query.aggregate in ("sum", "avg"):  # 「东湖和南苑一共」: only the named offices
        wanted = {o.id for o in query.offices}
        column = [(s, r) for s, r in column if s.office.id in wanted]
    if query.year is None and query.office_kind and not any(s.office.kind == query.office_kind for s, _ in column):
        # 「哪个街道申请最多」 with no year, where the latest year held is one county's 2023 report only:
        # the streets' own latest year, not "no street reported" for a year they were never due
        for earlier in reversed(await repo.years(db, chat_id=chat_id)):
            if earlier >= year:
                continue
            found = await metric_column(db, chat_id, earlier, metric)
            if any(s.office.kind == query.office_kind for s, _ in found):
                year, column = earlier, found
                break
    unit = "单位"
    kind_note = ""
    if query.office_kind and any(s.office.kind == query.office_kind for s, _ in column):
        column = [(s, r) for s, r in column if s.office.kind == query.office_kind]
        unit = query.office_kind
    elif query.office_kind and column:  # 「哪个街道…」 in a chat of departments: say whom it counts
        kind_note = (f"（{year}年度没有{query.office_kind}的报告，按全部单位计）" if lang == "zh"
                     else f" (no {_KIND_EN.get(query.office_kind, query.office_kind)} report for {year}: "
                          "counting all offices)")
    if not column:
        return f"未收到任何{year}年度报告。" if lang == "zh" else f"No reports for {year} have been received."
    valued = [(s, r.value) for s, r in column if r.value is not None]
    skipped = len(column) - len(valued)
    where = R.where(metric, lang)
    ylab = R.year_label(year, lang)
    skip_note = kind_note
    if skipped:
        skip_note += (f"（{skipped}个{unit}该项空白、缺失或无法计算，未计入）" if lang == "zh"
                     else f" ({skipped} office(s) without a value, not counted)")
    if not valued:
        return (f"{ylab}的{len(column)}份报告中该项都为空白或缺失。" if lang == "zh"
                else f"That item is blank or missing in all {len(column)} reports for {year}.")
    errored.extend(s.office for s, _ in valued if getattr(s, "errors", 0))
    agg = query.aggregate
    if agg == "zero":
        zeros = [R.office_label(s.office, lang) for s, v in valued if v == 0]
        if lang == "en":
            head = f"{len(zeros)} of {len(column)} office(s) reported 0" if zeros else "No office reported 0"
            return f"{head} · {year} · {where}" + (f":\n{R.join_names(zeros, lang)}" if zeros else "") + skip_note
        head = f"{len(column)}个{unit}中{len(zeros)}个为0" if zeros else f"没有{unit}为0"
        return f"{head}（{ylab} · {where}）" + (f"：\n{R.join_names(zeros, lang)}" if zeros else "") + skip_note
    if agg == "threshold" and query.threshold:
        op, number = query.threshold
        test = {">": lambda v: v > number, ">=": lambda v: v >= number, "<": lambda v: v < number,
                "=": lambda v: R.same_as_shown(v, number, metric)}[op]
        hits = [R.office_label(s.office, lang) for s, v in sorted(valued, key=lambda sv: -sv[1]) if test(v)]
        shown = R.amount(number, metric, lang)
        word = {">": ("超过", "over"), ">=": ("不少于", "at least"), "<": ("少于", "under"), "=": ("等于", "equal to")}[op]
        if lang == "en":
            head = f"{len(hits)} of {len(valued)} office(s) {word[1]} {shown}"
            return f"{head} · {year} · {where}" + (f":\n{R.join_names(hits, lang)}" if hits else "") + skip_note
        head = f"{len(valued)}个{unit}中{len(hits)}个{word[0]}{shown}"
        return f"{head}（{ylab} · {where}）" + (f"：\n{R.join_names(hits, lang)}" if hits else "") + skip_note
    if agg in ("sum", "avg"):
        if metric.is_rate and agg == "sum":  # 「全区公开率」: pooled, Σ numerators ÷ Σ denominators
            parts = [r for _, r in column if r.value is not None]
            value = sum(r.num for r in parts) / sum(r.den for r in parts)
            label_zh, label_en = "合计口径", "Overall"
        elif metric.is_rate:
            value = sum(v for _, v in valued) / len(valued)
            label_zh, label_en = "各单位平均", "Average of offices"
        elif agg == "sum":
            value = sum(v for _, v in valued)
            label_zh, label_en = "合计", "Total"
        else:
            value = sum(v for _, v in valued) / len(valued)
            label_zh, label_en = "平均", "Average"
        digits = 1 if agg == "avg" and metric.unit_zh == "件" else 4  # an average of counts: one decimal
        amount = R.amount(round(value, digits), metric, lang)
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
    limit = query.top_n if agg in ("top", "bottom") else LIST_LIMIT if not query.offices else 5
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
    return text + ("\n" + skip_note.strip(" （）()") if skip_note else "")
