"""Cross-year rules (RULES.md §6.8 XY-01..05), run only when last year's report of the same office is
given as ``previous``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.report import Report
from bot.schema import SECTIONS, T3_COLUMNS
from bot.validation import access as A
from bot.validation import labels as L
from bot.validation.engine import Context, Hit, rule
from bot.validation.t3 import number, total_of

_FORMAT_RANK = {"pre2019": 0, "2019": 1, "2021": 2}


def _office_changed(ctx: Context) -> bool:
    prev = ctx.previous
    a, b = ctx.report.office.name.strip(), prev.office.name.strip() if prev else ""
    return bool(a and b and a != b)


@rule("XY-01", "error", "上年结转与上年报告结转下年度不符")
def carried_over_matches(ctx: Context) -> Iterator[Hit]:
    """上年结转(Y) = 结转下年度(Y−1): the 总计 is an error (a warning if the unit changed), each column a
    warning."""
    prev = ctx.previous
    if prev is None or not prev.applications or not ctx.report.applications:
        return
    now, before = total_of(ctx, "carried_over"), A.t3(prev, "carried_forward")
    py = prev.year or (ctx.year - 1 if ctx.year else None)
    if now is not None and before is not None and now != before:
        yield Hit(
            f"本年“上年结转”为{L.num(now)}件，但{py}年度报告“结转下年度继续办理”为{L.num(before)}件。",
            f"Carried over this year: {L.num(now)}; last year's report carried forward {L.num(before)}.",
            L.t3_cell("carried_over", "total"),
            now,
            before,
            now - before,
            severity="warning" if _office_changed(ctx) else None,
        )
        return
    for col in T3_COLUMNS[:6]:
        a, b = number(ctx, "carried_over", col), A.t3(prev, "carried_forward", col)
        if a is not None and b is not None and a != b:
            yield Hit(
                f"“{L.col_label(col)}”列：本年上年结转{L.num(a)}件，{py}年度结转下年度{L.num(b)}件。",
                f"Column “{L.col_en(col)}”: carried over {L.num(a)}, last year carried forward {L.num(b)}.",
                L.t3_cell("carried_over", col),
                a,
                b,
                a - b,
                severity="warning",
            )


def _numbers(report: Report) -> dict[tuple[str, str, str], float | int | None]:
    """Every table number by (table, row, column) — not ``Report.cells()``, which raises on a short row."""
    out: dict[tuple[str, str, str], float | int | None] = {}
    for row, value in (report.proactive or {}).items():
        for col, v in (value.items() if isinstance(value, dict) else [("value", value)]):
            out["t2", row, col] = getattr(v, "value", None)
    for block, cols in (report.appeals or {}).items():
        for col, v in cols.items():
            out["t4", block, col] = v.value
    for row, values in (report.applications or {}).items():
        for i, v in enumerate(values):
            out["t3", row, str(i)] = v.value
    return out


@rule("XY-02", "warning", "统计数据与上年完全相同")
def same_numbers(ctx: Context) -> Iterator[Hit]:
    """Every 表2–表4 number equals last year's (and some are non-zero)."""
    prev = ctx.previous
    if prev is None:
        return
    key = ("new_received", "total_processed", "carried_forward")
    if [A.t3(ctx.report, r) for r in key] != [A.t3(prev, r) for r in key]:
        return  # the usual case, decided without building both grids
    a, b = _numbers(ctx.report), _numbers(prev)
    if len(a) > 10 and a == b and any(a.values()):
        yield Hit(
            f"本年统计数据与{prev.year or '上年'}年度报告完全相同，疑似沿用上年数据。",
            "All table numbers are identical to last year's report.",
            "表2–表4",
        )


_DIGITS_RE = re.compile(r"\d+")
_NARRATIVE = (SECTIONS[0], SECTIONS[4], SECTIONS[5])


def sentences(report: Report) -> list[str]:
    """The narrative (sections 一/五/六) as sentences without blanks and with every number as 0, so a
    copy with the year and counts changed still matches (str methods and one regex pass: this runs on
    every upload)."""
    parts = [report.section_text.get(s, "") for s in _NARRATIVE]
    text = "\n".join(parts) if any(parts) else report.text
    for blank in (" ", "\t", "\r", "\u3000", "\xa0"):
        text = text.replace(blank, "")
    for end in ("\n", "；", ";", "！", "？"):
        text = text.replace(end, "。")
    return [s for s in _DIGITS_RE.sub("0", text).split("。") if len(s) >= 6]


def repeated_share(current: list[str], previous: list[str]) -> float:
    """Share (0–100) of this year's narrative characters in sentences copied from last year."""
    total = sum(len(s) for s in current)
    if not total:
        return 0.0
    before = set(previous)
    return 100 * sum(len(s) for s in current if s in before) / total


@rule("XY-03", "warning", "正文与上年高度雷同")
def similar_narrative(ctx: Context) -> Iterator[Hit]:
    """≥ 90% of the narrative repeats last year's sentences (numbers ignored)."""
    prev = ctx.previous
    if prev is None:
        return
    now, before = sentences(ctx.report), sentences(prev)
    if sum(map(len, now)) < 200 or sum(map(len, before)) < 200:
        return
    share = repeated_share(now, before)
    if share >= 90:
        yield Hit(
            f"正文与上年报告重复率约{round(share)}%，请更新本年度工作内容。",
            f"About {round(share)}% of the narrative repeats last year's report.",
            "正文",
            round(share),
            90,
        )


@rule("XY-04", "warning", "格式倒退")
def format_regression(ctx: Context) -> Iterator[Hit]:
    """This year's format is older than last year's."""
    prev = ctx.previous
    if prev is None:
        return
    a, b = _FORMAT_RANK.get(ctx.report.format), _FORMAT_RANK.get(prev.format)
    if a is not None and b is not None and a < b:
        name = {"2021": "2021年格式", "2019": "2019年试行格式", "pre2019": "2019年以前的体例"}
        yield Hit(
            f"上年已使用{name[prev.format]}，本年却使用{name[ctx.report.format]}。",
            f"Last year used the {prev.format} format, this year the older {ctx.report.format} one.",
            "格式",
        )


_PROBLEM_RE = re.compile(r"[^。；;！!\n]*?(?:不够|不足|有待|仍需|亟需|单一|滞后|不高|欠缺|不强|不及时|不规范|不完善)[^。；;，,！!\n]*")
_CJK_RE = re.compile(r"[\u4e00-\u9fa5]+")


_LIST_MARK_RE = re.compile(r"^(?:[一二三四五六七八九十]是|[0-9]+[.、．]|[（(][一二三四五六七八九十0-9]+[）)]|但是?|主要是|主要表现在)")
_VAGUE = ("存在一些", "存在以下", "存在的问题", "问题和不足", "一些不足")
#: Characters of boiler-plate words (进一步加强、有待提高、政务公开…): a 4-gram made only of them says
#: nothing about which problem a sentence is about.
_GENERIC = frozenset("进一步加强有待仍需亟需不够不足提高完善公开政府信息工作政务的和与及还在上中")


def _problems(text: str) -> list[str]:
    """Problem clauses of a section 五 (「公开形式还不够丰富」), list markers and vague ones dropped."""
    out = []
    for m in _PROBLEM_RE.finditer(text):
        clause = re.split(r"[，,：:]", m.group(0))
        hit = next((c for c in clause if _PROBLEM_RE.fullmatch(c.strip() or "-")), m.group(0))
        hit = _LIST_MARK_RE.sub("", hit.strip()).strip()
        if 4 <= len(hit) <= 40 and not any(v in hit for v in _VAGUE):
            out.append(hit)
    return out


def _mentioned(problem: str, text: str) -> bool:
    """True when a distinctive 4-character piece of the problem occurs in ``text``."""
    chunks = "".join(_CJK_RE.findall(problem))
    grams = {chunks[i : i + 4] for i in range(len(chunks) - 3)}
    telling = [g for g in grams if not set(g) <= _GENERIC]
    return any(g in text for g in telling) if telling else True


@rule("XY-05", "info", "上年提出的问题本年未提及")
def last_years_problems(ctx: Context) -> Iterator[Hit]:
    """A problem listed in last year's section 五 is not mentioned anywhere this year."""
    prev = ctx.previous
    if prev is None:
        return
    before = prev.section_text.get(SECTIONS[4], "")
    if not before:
        return
    now = ctx.report.text or "".join(ctx.report.section_text.values())
    missing = [p for p in _problems(before) if not _mentioned(p, now)]
    if missing:
        yield Hit(
            f"上年报告提出“{missing[0]}”{'等' if len(missing) > 1 else ''}问题，本年未说明改进情况。",
            f"Last year's report named the problem “{missing[0]}”; this year does not follow it up.",
            "第五部分",
            len(missing),
        )
