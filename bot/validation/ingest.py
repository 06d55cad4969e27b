"""Shape checks the reader normally reports itself (ING-04, ING-07); repeated here for reports built
elsewhere (JSON, storage) so a malformed table is never checked as if it were complete."""

from __future__ import annotations

from collections.abc import Iterator

from bot.schema import T3_COLUMNS, T4_BLOCKS, T4_COLUMNS
from bot.validation import labels as L
from bot.validation.engine import Context, Hit, rule


@rule("ING-04", "warning", "表3某行数值个数不是7个")
def t3_row_width(ctx: Context) -> Iterator[Hit]:
    """A 表3 row without exactly 7 cells."""
    if any(f.code == "ING-04" for f in ctx.report.ingest_findings):
        return
    for row, values in (ctx.report.applications or {}).items():
        if len(values) != len(T3_COLUMNS):
            yield Hit(
                f"表3“{L.row_short(row, ctx.fmt)}”行识别到{len(values)}个数值（应为7个），请核对该行是否缺格或合并单元格。",
                f"表3 row “{L.row_en(row)}” has {len(values)} cells instead of 7.",
                L.t3_row(row, ctx.fmt),
                len(values),
                7,
            )


@rule("ING-07", "warning", "表4不是15个数值")
def t4_width(ctx: Context) -> Iterator[Hit]:
    """表4 without its 3 × 5 cells."""
    if ctx.report.appeals is None or any(f.code == "ING-07" for f in ctx.report.ingest_findings):
        return
    n = sum(1 for b in T4_BLOCKS for c in T4_COLUMNS if c in ctx.report.appeals.get(b, {}))
    if n != 15:
        yield Hit(
            f"表4应为15个数值，实际识别到{n}个，请核对行政诉讼部分。",
            f"表4 should have 15 numbers; found {n}.",
            "表4",
            n,
            15,
        )
