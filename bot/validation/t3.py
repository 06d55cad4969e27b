"""表3 rules: the identities A1–A3 on every column and row, bad and blank cells (RULES.md §6.4).

A sum that touches a blank cell cannot be checked (EMPTY is not 0): that relation is skipped and the
blank itself is reported once by T3-05.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.report import Number, Value
from bot.schema import T3_COLUMNS
from bot.validation import labels as L
from bot.validation.engine import Context, Hit, rule

SIX = T3_COLUMNS[:6]


COL_INDEX = {c: i for i, c in enumerate(T3_COLUMNS)}


def cell(ctx: Context, row: str, col: str) -> Value | None:
    """The 表3 cell, ``None`` when the table or row is missing or the row is short."""
    values = ctx.t3_rows.get(row)
    return None if values is None else values[COL_INDEX[col]]


def number(ctx: Context, row: str, col: str) -> Number | None:
    """A usable number, ``None`` when blank, missing, text or in doubt (so the relation is not checked)."""
    v = cell(ctx, row, col)
    return None if v is None else v.checked


def total_of(ctx: Context, row: str) -> Number | None:
    return number(ctx, row, "total")


@rule("T3-01", "error", "A1：本年新收 + 上年结转 = 办理结果总计 + 结转下年度（每列）")
def a1_per_column(ctx: Context) -> Iterator[Hit]:
    """A1 per column: new + carried over = processed + carried forward."""
    if not ctx.report.applications:
        return
    for col in T3_COLUMNS:
        new, old = number(ctx, "new_received", col), number(ctx, "carried_over", col)
        done, fwd = number(ctx, "total_processed", col), number(ctx, "carried_forward", col)
        if None in (new, old, done, fwd):
            continue
        left, right = new + old, done + fwd  # type: ignore[operator]
        if left != right:
            yield Hit(
                f"表3“{L.col_label(col)}”列：本年新收{L.num(new)}+上年结转{L.num(old)}={L.num(left)}，"
                f"但办理结果总计{L.num(done)}+结转下年度{L.num(fwd)}={L.num(right)}，不符合表内勾稽关系。",
                f"Column “{L.col_en(col)}”: new {L.num(new)} + carried over {L.num(old)} = {L.num(left)}, "
                f"but processed {L.num(done)} + carried forward {L.num(fwd)} = {L.num(right)}.",
                L.t3_col(col),
                left,
                right,
                left - right,
            )


@rule("T3-02", "error", "A2：（七）总计 = 各办理结果之和（每列）")
def a2_per_column(ctx: Context) -> Iterator[Hit]:
    """A2 per column: （七）总计 equals the sum of the result rows."""
    if not ctx.report.applications:
        return
    rows = [ctx.t3_rows.get(row) for row in ctx.result_rows]
    stated_row = ctx.t3_rows.get("total_processed")
    if stated_row is None or any(r is None for r in rows):
        return
    for i, col in enumerate(T3_COLUMNS):
        values = [r[i].checked for r in rows]  # type: ignore[index]
        stated = stated_row[i].checked
        if stated is None or None in values:
            continue
        parts = sum(values)  # type: ignore[arg-type]
        if parts == stated:
            continue
        yield Hit(
            f"表3“{L.col_label(col)}”列：各办理结果合计{L.num(parts)}件，但“（七）总计”填写为{L.num(stated)}件。",
            f"Column “{L.col_en(col)}”: the results add up to {L.num(parts)}, "
            f"but “total processed” says {L.num(stated)}.",
            L.t3_col(col),
            parts,
            stated,
            parts - stated,
        )


@rule("T3-03", "error", "A3：总计 = 六类申请人之和（每行）")
def a3_per_row(ctx: Context) -> Iterator[Hit]:
    """A3 per row: the 总计 column equals the six applicant columns."""
    if not ctx.report.applications:
        return
    for row in ctx.row_keys:
        values = ctx.t3_rows.get(row)
        if values is None:
            continue
        six = [v.checked for v in values[:6]]
        stated = values[6].checked
        if stated is None or None in six:
            continue
        parts = sum(six)  # type: ignore[arg-type]
        if parts == stated:
            continue
        yield Hit(
            f"表3“{L.row_short(row, ctx.fmt)}”行：各类申请人合计{L.num(parts)}件，但“总计”填写为{L.num(stated)}件。",
            f"Row “{L.row_en(row)}”: the applicant columns add up to {L.num(parts)}, "
            f"but the total says {L.num(stated)}.",
            L.t3_row(row, ctx.fmt),
            parts,
            stated,
            parts - stated,
        )


@rule("T3-04", "error", "表3数字须为非负整数")
def bad_cells(ctx: Context) -> Iterator[Hit]:
    """A5: every count is a non-negative integer (no 「1.5」「-1」「若干」)."""
    if not ctx.report.applications:
        return
    for row in ctx.row_keys:
        values = ctx.t3_rows.get(row)
        if values is None or row in ctx.unreadable:
            continue
        for col, v in zip(T3_COLUMNS, values, strict=True):
            if not L.bad_count(v):
                continue
            shown = v.raw.strip() or L.num(v.value)
            if v.value is not None and L.is_chinese_numeral(v.raw):  # 「三十二」: counted, but to be typed as digits
                zh_need, en_need = f"请改用阿拉伯数字（已按{L.num(v.value)}计算）", f"type it as digits (read as {L.num(v.value)})"
            else:
                zh_need, en_need = "应为非负整数", "it must be a whole number ≥ 0"
            yield Hit(
                f"表3“{L.row_short(row, ctx.fmt)}·{L.col_label(col)}”填写为“{shown}”，{zh_need}。",
                f"表3 “{L.row_en(row)} / {L.col_en(col)}” reads “{shown}”; {en_need}.",
                L.t3_cell(row, col, ctx.fmt),
                v.value,
            )


@rule("T3-05", "warning", "表3空白单元格（空白不等于0）")
def blank_cells(ctx: Context) -> Iterator[Hit]:
    """Blank cells, summarised in one finding; an error when the 总计 column or row is blank."""
    if not ctx.report.applications:
        return
    blanks: list[tuple[str, str]] = []
    for row in ctx.row_keys:
        values = ctx.t3_rows.get(row)
        if values is None or row in ctx.unreadable or row in ctx.cut_rows:
            continue
        blanks.extend((row, col) for col, v in zip(T3_COLUMNS, values, strict=True) if v.value is None and L.is_blank(v))
    if not blanks:
        return
    in_total = [(r, c) for r, c in blanks if c == "total" or r == "total_processed"]
    example = (in_total or blanks)[0]
    rows = sorted({r for r, _ in blanks}, key=ctx.row_keys.index)
    label = f"{L.row_short(example[0], ctx.fmt)}·{L.col_label(example[1])}"
    zh = (
        f"表3“{label}”为空白，无数据请填0。"
        if len(blanks) == 1
        else f"表3有{len(blanks)}个空白单元格（如“{label}”，涉及{len(rows)}行），无数据请填0。"
    )
    yield Hit(
        zh,
        f"表3 has {L.count_en(len(blanks), 'blank cell')} (e.g. “{L.row_en(example[0])} / {L.col_en(example[1])}”, "
        f"{L.count_en(len(rows), 'row')}); enter 0 where there is nothing to report.",
        L.t3_row(rows[0], ctx.fmt) if len(rows) == 1 < len(blanks) else L.t3_cell(*example, ctx.fmt),
        len(blanks),
        severity="error" if in_total else "warning",
    )


_ALL_DONE = ("all_processed",)


@rule("T3-06", "warning", "正文称全部办结但有结转")
def all_done_but_forwarded(ctx: Context) -> Iterator[Hit]:
    """Prose says every application was answered while 结转下年度 > 0."""
    fwd = total_of(ctx, "carried_forward")
    if not fwd:
        return
    for p in ctx.report.prose:
        if p.kind in _ALL_DONE:
            yield Hit(
                f"正文称申请均已办结（“{p.text}”），但表3结转下年度为{L.num(fwd)}件。",
                f"The text says all applications were answered (“{p.text}”), "
                f"but {L.num(fwd)} are carried forward in 表3.",
                L.t3_row("carried_forward"),
                0,
                fwd,
            )
            return


_PEOPLE_RE = re.compile(r"(?:群众|自然人|个人|公民|居民|村民)[^。；，,]{0,6}(?:申请|提出)")
_ORGS_RE = re.compile(r"(?:企业|公司|法人|律师事务所|律师|社会组织|科研机构)[^。；，,]{0,6}(?:申请|提出)")


_NEGATED_RE = re.compile(r"(?:未|没有|无|均无)[^。；，,]{0,8}$")


def _affirmed(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match that is not negated in its clause (「未收到法人或其他组织申请」 says none applied)."""
    for m in pattern.finditer(text):
        if not _NEGATED_RE.search(text[max(0, m.start() - 12) : m.start()]):
            return m
    return None


@rule("T3-07", "info", "正文申请人类型与表3列不符")
def applicant_kind(ctx: Context) -> Iterator[Hit]:
    """Prose speaks of 群众 applying while 表3 has no natural persons (or only persons vs 企业)."""
    total = total_of(ctx, "new_received")
    person = number(ctx, "new_received", "natural_person")
    if not total or person is None:
        return
    text = ctx.section("总体情况") or ctx.section("收到和处理政府信息公开申请情况") or ""
    if person == 0 and (m := _affirmed(_PEOPLE_RE, text)):
        yield Hit(
            f"正文称“{m.group(0)}”，但表3本年新收{L.num(total)}件均未计入“自然人”列，请核对申请人类型。",
            f"The text mentions individuals applying (“{m.group(0)}”), but 表3 has no natural persons "
            f"among the {L.num(total)} new applications.",
            L.t3_cell("new_received", "natural_person"),
            0,
            total,
        )
    elif person == total and (m := _affirmed(_ORGS_RE, text)):
        yield Hit(
            f"正文称“{m.group(0)}”，但表3本年新收{L.num(total)}件均计入“自然人”列，请核对申请人类型。",
            f"The text mentions organisations applying (“{m.group(0)}”), but all {L.num(total)} new "
            f"applications in 表3 are natural persons.",
            L.t3_cell("new_received", "natural_person"),
            person,
            total,
        )


@rule("T3-08", "info", "结转下年度占比较大")
def large_carry_forward(ctx: Context) -> Iterator[Hit]:
    """More than 30% of the applications handled this year are carried forward."""
    new, old, fwd = (total_of(ctx, r) for r in ("new_received", "carried_over", "carried_forward"))
    if None in (new, old, fwd) or not fwd:
        return
    accepted = new + old  # type: ignore[operator]
    if accepted <= 0 or fwd / accepted <= 0.3:
        return
    share = round(100 * fwd / accepted)
    yield Hit(
        f"结转下年度{L.num(fwd)}件，占受理总量{L.num(accepted)}件的{share}%，请关注是否超期未答复（条例第三十三条）。",
        f"{L.num(fwd)} of {L.num(accepted)} applications ({share}%) are carried forward; check for overdue "
        f"replies (Article 33).",
        L.t3_row("carried_forward"),
        fwd,
        accepted,
    )


_GROUP_RE = re.compile(r"[(（]三[)）]\s*不予公开(.*?)[(（]四[)）]\s*无法提供", re.S)
_MISPLACED = ("信访举报投诉", "要求提供公开出版物", "重复申请", "无正当理由大量反复申请")


@rule("T3-09", "warning", "不予处理事项误列在不予公开下")
def misplaced_labels(ctx: Context) -> Iterator[Hit]:
    """Labels of （五）不予处理 printed inside the （三）不予公开 group of the table."""
    text = ctx.section("收到和处理政府信息公开申请情况") or ""
    if not text:
        return
    m = _GROUP_RE.search(text)
    if not m:
        return
    for label in _MISPLACED:
        if label in m.group(1):
            yield Hit(
                f"“{label}”应归入“（五）不予处理”，不应在“（三）不予公开”下。",
                f"“{label}” belongs under “not processed”, not under “refused”.",
                "表3 （三）不予公开",
            )
