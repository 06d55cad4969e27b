"""表4 rules: A4 per block, bad/blank cells, prose claims of 「均获维持」 (RULES.md §6.5)."""

from __future__ import annotations

from collections.abc import Iterator

from bot.report import Number, Value
from bot.schema import T4_BLOCK_EN, T4_BLOCKS, T4_COLUMNS
from bot.validation import access as A
from bot.validation import labels as L
from bot.validation.engine import Context, Hit, rule

PARTS = ("upheld", "corrected", "other", "pending")


def cell(ctx: Context, block: str, col: str) -> Value | None:
    appeals = ctx.report.appeals
    if not appeals or block not in appeals:
        return None
    return appeals[block].get(col)


def number(ctx: Context, block: str, col: str) -> Number | None:
    v = cell(ctx, block, col)
    return None if v is None else v.checked


@rule("T4-01", "error", "A4：维持+纠正+其他+尚未审结 = 总计（每块）")
def a4_per_block(ctx: Context) -> Iterator[Hit]:
    """A4 per block of 表4."""
    for block in T4_BLOCKS:
        parts = [number(ctx, block, c) for c in PARTS]
        stated = number(ctx, block, "total")
        if stated is None or any(p is None for p in parts):
            continue
        total = sum(parts)  # type: ignore[arg-type]
        if total == stated:
            continue
        expr = "+".join(L.num(p) for p in parts)
        yield Hit(
            f"{L.T4_BLOCK_SHORT[block]}：{expr}={L.num(total)}，但总计填写为{L.num(stated)}。",
            f"{T4_BLOCK_EN[block].capitalize()}: {expr} = {L.num(total)}, but the total says {L.num(stated)}.",
            L.t4_block(block),
            total,
            stated,
            total - stated,
        )


@rule("T4-02", "error", "表4数字须为非负整数；空白请填0")
def bad_or_blank(ctx: Context) -> Iterator[Hit]:
    """Negative/fractional/text cells are errors; blanks are one summarising warning."""
    if not ctx.report.appeals:
        return
    blanks: list[tuple[str, str]] = []
    for block in T4_BLOCKS:
        for col in T4_COLUMNS:
            v = cell(ctx, block, col)
            if v is None:
                continue
            if L.is_blank(v):
                blanks.append((block, col))
            elif L.bad_count(v):
                shown = v.raw.strip() or L.num(v.value)
                yield Hit(
                    f"表4“{L.T4_BLOCK_SHORT[block]}·{L.T4_COLUMN_LABELS[col]}”填写为“{shown}”，应为非负整数。",
                    f"表4 “{L.t4_cell_en(block, col)}” reads “{shown}”; it must be a whole number ≥ 0.",
                    L.t4_cell(block, col),
                    v.value,
                )
    if blanks:
        b, c = blanks[0]
        label = f"{L.T4_BLOCK_SHORT[b]}·{L.T4_COLUMN_LABELS[c]}"
        yield Hit(
            f"表4“{label}”为空，请填0。" if len(blanks) == 1 else f"表4有{len(blanks)}个空白单元格（如“{label}”），请填0。",
            f"表4 has {L.count_en(len(blanks), 'blank cell')} (e.g. “{L.t4_cell_en(b, c)}”); enter 0.",
            L.t4_cell(b, c),
            len(blanks),
            severity="warning",
        )


@rule("T4-03", "warning", "正文称均获维持但表4有纠正")
def upheld_claim(ctx: Context) -> Iterator[Hit]:
    """Prose claims 「均获维持」/「零败诉」 while 结果纠正 > 0 (and, for 「维持」, other or pending results)."""
    claims = [p for p in ctx.report.prose if p.kind == "all_upheld"]
    if not claims:
        return
    strict = any("维持" in p.text for p in claims)
    shown = claims[0].text
    for block in T4_BLOCKS:
        cols = ("corrected", "other", "pending") if strict else ("corrected",)
        found = [(c, n) for c in cols if (n := number(ctx, block, c))]
        if found:
            desc = "、".join(f"{L.T4_COLUMN_LABELS[c]}{L.num(n)}件" for c, n in found)
            yield Hit(
                f"正文称“{shown}”，但表4{L.T4_BLOCK_SHORT[block]}{desc}。",
                f"The text says “{shown}”, but 表4 ({T4_BLOCK_EN[block]}) shows "
                + ", ".join(f"{L.num(n)} {c}" for c, n in found) + ".",
                L.t4_cell(block, found[0][0]),
                0,
                found[0][1],
            )


@rule("T4-04", "info", "无申请却有复议诉讼")
def appeals_without_applications(ctx: Context) -> Iterator[Hit]:
    """Reviews or lawsuits while no application was handled this year (nor last year)."""
    from bot.validation.t3 import total_of

    cases = [number(ctx, b, "total") for b in T4_BLOCKS]
    if any(c is None for c in cases) or not sum(cases):  # type: ignore[arg-type]
        return
    new, old = total_of(ctx, "new_received"), total_of(ctx, "carried_over")
    if new is None or old is None or new + old != 0:
        return
    prev = ctx.previous
    if prev is not None and ((A.t3(prev, "new_received") or 0) + (A.t3(prev, "carried_over") or 0)) > 0:
        return
    n = sum(cases)  # type: ignore[arg-type]
    yield Hit(
        f"本年无申请但有{L.num(n)}件行政复议/诉讼，请确认是否涉及往年申请或主动公开事项。",
        f"No applications this year but {L.num(n)} reviews/lawsuits; check whether they concern earlier years.",
        "表4",
        n,
        0,
    )
