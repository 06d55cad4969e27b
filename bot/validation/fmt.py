"""Format-version rules (RULES.md §6.2 FMT-01..05): the right national format for the report year.

The reader records the version and its evidence; these rules also look at the text for the strongest
fingerprints (FORMAT.md §1.7), because a 2021 table can be pasted under a 2019 表2.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.validation.engine import Context, Hit, rule

#: Table headings only (「政府集中采购」 also occurs in ordinary prose, so it counts only as reader evidence).
FP_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "第二十条第（九）项", "第二十条第(九)项", "采购总金额")
FP_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "逾期未按收费通知要求缴纳费用")
FP_PRE2019 = ("指标名称", "计量单位", "同意公开", "同意部分公开", "非本部门掌握", "收费及减免")


def _found(ctx: Context, words: tuple[str, ...]) -> list[str]:
    text = ctx.text
    evidence = [w for w in ctx.report.format_evidence if w in words or (w == "政府集中采购" and "采购总金额" in words)]
    return evidence + [w for w in words if w in text and w not in evidence]


@rule("FMT-01", "error", "2021年及以后的报告仍用2019年试行格式")
def old_format_new_year(ctx: Context) -> Iterator[Hit]:
    """Report year ≥ 2021 with 2019-format fingerprints."""
    if ctx.year is None or ctx.year < 2021:
        return
    found = _found(ctx, FP_2019)
    if ctx.report.format == "2019" or found:
        shown = "、".join(f"“{w}”" for w in found[:2]) or "2019年试行格式"
        yield Hit(
            f"本报告为{ctx.year}年度，但仍使用2019年试行格式（含{shown}），应按国办公开办函〔2021〕30号格式编制。",
            f"This {ctx.year} report still uses the 2019 trial format ({', '.join(found[:2]) or 'tables'}); "
            "use the 2021 format (国办公开办函〔2021〕30号).",
            "表2" if found else "格式",
        )


@rule("FMT-02", "warning", "2019–2020年度报告出现2021年格式")
def new_format_old_year(ctx: Context) -> Iterator[Hit]:
    """Report year 2019–2020 with 2021-format fingerprints."""
    if ctx.year not in (2019, 2020):
        return
    if ctx.report.format == "2021" or _found(ctx, FP_2021):
        yield Hit(
            f"{ctx.year}年度报告出现2021年新格式表头，请核对报告年份。",
            f"A {ctx.year} report uses the 2021 table headings; check the report year.",
            "格式",
        )


@rule("FMT-03", "error", "缺少第二十条主动公开统计表（沿用旧体例）")
def no_article_20_tables(ctx: Context) -> Iterator[Hit]:
    """Report year ≥ 2019 with only the pre-2019 statistics table."""
    if ctx.year is None or ctx.year < 2019 or ctx.report.proactive is not None:
        return
    # two fingerprints, as the reader's detection asks: 「同意公开」 alone is common prose in new reports
    old = ctx.report.format == "pre2019" or (
        ctx.report.format == "unknown" and "第二十条" not in ctx.text and len(_found(ctx, FP_PRE2019)) >= 2
    )
    cut = ctx.cut_off
    if old and not (cut is not None and cut.last < 1):  # a file that stops in 一 may have the table after the cut
        yield Hit(
            "未找到按新条例要求的“第二十条”主动公开统计表，疑似沿用2019年以前的年报体例。",
            "No “Article 20” proactive-disclosure table: the report seems to follow the pre-2019 layout.",
            "表2",
        )


@rule("FMT-04", "error", "2021年格式“（六）其他处理”应分3项")
def single_other_row(ctx: Context) -> Iterator[Hit]:
    """2021 format (or a 2021+ report) but （六）其他处理 has one row instead of three."""
    apps = ctx.report.applications
    if not apps:
        return
    # only when the rows around （六） were read (a table cut off earlier is not a one-row （六）)
    one_row = (
        "other_other" in apps
        and "total_processed" in apps
        and "other_no_correction" not in apps
        and "other_fee_unpaid" not in apps
    )
    wants_three = ctx.report.format == "2021" or (ctx.year is not None and ctx.year >= 2021)
    if one_row and wants_three:
        yield Hit(
            "“（六）其他处理”应细分为3项（逾期不补正、逾期未缴费、其他）。",
            "“Other handling” must have three rows in the 2021 format.",
            "表3 （六）其他处理",
        )


@rule("FMT-05", "info", "地方模板变体")
def local_variant(ctx: Context) -> Iterator[Hit]:
    """Local template variant (e.g. 「保留4位小数」 fee header); the reader usually reports it first."""
    if any(f.code == "FMT-05" for f in ctx.report.ingest_findings):
        return
    if "保留4位小数" in ctx.text or "保留４位小数" in ctx.text:
        yield Hit(
            "收费金额表头为地方模板（保留4位小数），按“万元”处理。",
            "The fee heading is a local variant (4 decimals); read as 10,000 yuan.",
            "表2 行政事业性收费",
        )
