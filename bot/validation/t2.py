"""表2 rules: blank and bad cells, the fee unit, 规章 for bodies without rule-making power, and the
现行有效 arithmetic within the year and across years (RULES.md §6.3)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.report import Number, Value
from bot.schema import T2_DOC_COLUMNS, T2_DOC_ROWS, T2_LABELS, T2_SINGLE
from bot.validation import access as A
from bot.validation import labels as L
from bot.validation.engine import Context, Hit, rule


def _cells(ctx: Context) -> list[tuple[str, str, Value]]:
    t2 = ctx.report.proactive
    if not t2:
        return []
    out: list[tuple[str, str, Value]] = []
    for row in T2_DOC_ROWS:
        block = t2.get(row)
        if isinstance(block, dict):
            out.extend((row, col, block[col]) for col in T2_DOC_COLUMNS if col in block)
    for row in T2_SINGLE:
        if row == "fees_10k_yuan" and ctx.report.format == "2019":
            continue  # the 2019 trial format counts fee items (上一年项目数量/本年增减), it has no amount
        v = t2.get(row)
        if isinstance(v, Value):
            out.append((row, "value", v))
    return out


def _num(ctx: Context, row: str, col: str = "value") -> Number | None:
    return A.t2(ctx.report, row, col)


@rule("T2-01", "warning", "表2空白单元格")
def blank_cells(ctx: Context) -> Iterator[Hit]:
    """Blank, 「/」 or 「-」 instead of a number — one summarising finding."""
    blanks = [(r, c) for r, c, v in _cells(ctx) if L.is_blank(v) and r not in ctx.unreadable]
    if not blanks:
        return
    r, c = blanks[0]
    label = L.t2_cell(r, c).removeprefix("表2 ")
    yield Hit(
        f"表2{label}为空，无数据应填0。" if len(blanks) == 1 else f"表2有{len(blanks)}个空白单元格（如{label}），无数据应填0。",
        f"表2 has {L.count_en(len(blanks), 'blank cell')} (e.g. {L.t2_cell_en(r, c)}); enter 0 where there is nothing.",
        L.t2_cell(r, c),
        len(blanks),
    )


_UNIT_RE = re.compile(r"[元￥¥]|万")


@rule("T2-02", "error", "表2件数须为非负整数")
def bad_counts(ctx: Context) -> Iterator[Hit]:
    """Counts (everything but the fee) are non-negative integers; the fee is a non-negative number."""
    for row, col, v in _cells(ctx):
        if L.is_blank(v) or v.doubt or row in ctx.unreadable:
            continue  # a cell the reader could not read is not judged (ING-08/09 say so)
        if row == "fees_10k_yuan":
            if v.value is None and _UNIT_RE.search(v.raw):
                continue  # a unit typed into the cell is T2-03
            bad = v.value is None or v.value < 0
        else:
            bad = L.bad_count(v)
        if bad:
            shown = v.raw.strip() or L.num(v.value)
            yield Hit(
                f"{L.t2_cell(row, col)}为“{shown}”，应为非负{'数' if row == 'fees_10k_yuan' else '整数'}。",
                f"{L.t2_cell_en(row, col)} reads “{shown}”; it must be a number ≥ 0.",
                L.t2_cell(row, col),
                v.value,
            )


_HEADER_UNIT_RE = re.compile(r"收费金额\s*[（(]\s*(?:单位\s*[:：]\s*)?元\s*[）)]")
_YUAN_RE = re.compile(r"([\d.,，]+)\s*(万?)元")


@rule("T2-03", "error", "收费金额须以万元填报")
def fee_unit(ctx: Context) -> Iterator[Hit]:
    """The fee cell carries 元 (not 万元) or another unit."""
    t2 = ctx.report.proactive
    if not t2 or not isinstance(t2.get("fees_10k_yuan"), Value):
        return
    header = _HEADER_UNIT_RE.search(ctx.section("主动公开政府信息情况") or "")
    if header:
        yield Hit(
            f"行政事业性收费金额应以“万元”填报，表头为“{header.group(0)}”。",
            f"The fee column must be in 10,000 yuan; its header reads “{header.group(0)}”.",
            L.t2_cell("fees_10k_yuan"),
        )
        return
    raw = t2["fees_10k_yuan"].raw.strip()
    m = _YUAN_RE.search(raw.replace(",", "").replace("，", ""))
    if not m or m.group(2):
        return
    try:
        yuan = float(m.group(1))
    except ValueError:
        return
    wan = round(yuan / 10000, 4)
    yield Hit(
        f"行政事业性收费金额应以“万元”填报，表中为“{raw}”（应为{L.num(wan)}万元）。",
        f"The administrative fee must be in 10,000 yuan; the cell reads “{raw}” (= {L.num(wan)}).",
        L.t2_cell("fees_10k_yuan"),
        yuan,
        wan,
    )


@rule("T2-04", "warning", "收费金额数量级或精度异常")
def fee_magnitude(ctx: Context) -> Iterator[Hit]:
    """Fee > 1,000,000 万元, more than 4 decimals, or a whole number ≥ 10,000 for a 街道/乡镇."""
    t2 = ctx.report.proactive
    if not t2 or not isinstance(t2.get("fees_10k_yuan"), Value):
        return
    v = t2["fees_10k_yuan"]
    if v.value is None or v.value < 0:
        return
    raw = v.raw.strip()
    decimals = len(raw.split(".", 1)[1]) if "." in raw and raw.replace(".", "", 1).isdigit() else 0
    small_body = ctx.report.office.kind in ("街道", "乡镇")
    reasons = []
    if v.value > 1_000_000:
        reasons.append("数额过大")
    if decimals > 4:
        reasons.append(f"保留了{decimals}位小数")
    if small_body and v.value >= 10_000 and float(v.value).is_integer():
        reasons.append(f"{ctx.report.office.kind}收费上万万元")
    if reasons:
        yield Hit(
            f"收费金额{raw or L.num(v.value)}万元{'、'.join(reasons)}，请核对单位是否为“万元”。",
            f"The fee {raw or L.num(v.value)} (10k yuan) looks implausible; check the unit.",
            L.t2_cell("fees_10k_yuan"),
            v.value,
        )


_FEE_SIX_RE = re.compile(r"(?:信息处理费|处理费)[^。；\n]{0,20}?(\d+(?:\.\d+)?)\s*(万?)元")


@rule("T2-05", "warning", "信息处理费误填为行政事业性收费")
def processing_fee_as_admin_fee(ctx: Context) -> Iterator[Hit]:
    """表2 fee equals the 信息处理费 stated in section 六 (which is not an 行政事业性收费)."""
    fee = _num(ctx, "fees_10k_yuan")
    six = ctx.section("其他需要报告的事项") or ""
    if not fee or not six:
        return
    for m in _FEE_SIX_RE.finditer(six):
        amount = float(m.group(1))
        wan = amount if m.group(2) else amount / 10000
        if amount and (abs(wan - fee) < 1e-6 or abs(amount - fee) < 1e-6):
            yield Hit(
                f"表2行政事业性收费（{L.num(fee)}万元）与第六部分信息处理费金额相同，信息处理费不属于行政事业性收费，请核对。",
                "The 表2 administrative fee equals the information-processing fee of section 6, "
                "which is not an administrative fee.",
                L.t2_cell("fees_10k_yuan"),
                fee,
                amount,
            )
            return


_NATIONAL_RE = re.compile(r"^(?:国务院|国家|中华人民共和国|中国)|(?:省|自治区|市|州)(?:人民)?政府(?:办公厅|办公室)?$")


@rule("T2-06", "warning", "无规章制定权的单位规章应为0")
def regulations_without_power(ctx: Context) -> Iterator[Hit]:
    """规章 ≠ 0 for a 街道/乡镇/区县政府/local department (立法法: no 规章制定权)."""
    office = ctx.report.office
    if office.kind not in ("街道", "乡镇", "区县政府", "部门"):
        return
    if office.kind == "部门" and _NATIONAL_RE.search(office.name or ""):
        return
    nonzero = [(c, _num(ctx, "regulations", c)) for c in T2_DOC_COLUMNS]
    nonzero = [(c, n) for c, n in nonzero if n]
    if not nonzero:
        return
    desc = "、".join(f"{T2_LABELS[c]}{L.num(n)}" for c, n in nonzero)
    yield Hit(
        f"{office.kind}无规章制定权，“规章”各项应为0（表中{desc}）。",
        f"A {office.kind} cannot issue regulations (规章); that row should be 0.",
        "表2 “规章”行",
        nonzero[0][1],
        0,
    )


@rule("T2-07", "warning", "现行有效件数低于本年净增")
def in_force_below_net(ctx: Context) -> Iterator[Hit]:
    """现行有效件数 < 本年制发件数 − 本年废止件数 (2021 columns; the 2019 columns mean something else)."""
    if ctx.fmt != "2021":
        return
    for row in T2_DOC_ROWS:
        issued, repealed, valid = (_num(ctx, row, c) for c in T2_DOC_COLUMNS)
        if None in (issued, repealed, valid):
            continue
        net = issued - repealed  # type: ignore[operator]
        if valid < net:  # type: ignore[operator]
            yield Hit(
                f"{T2_LABELS[row]}本年制发{L.num(issued)}件、废止{L.num(repealed)}件，现行有效仅{L.num(valid)}件，"
                f"低于本年净增{L.num(net)}件，请核对是否填错列。",
                f"{row}: issued {L.num(issued)}, repealed {L.num(repealed)}, but only {L.num(valid)} in force.",
                f"表2 “{T2_LABELS[row]}”行",
                valid,
                net,
                valid - net,  # type: ignore[operator]
            )


@rule("T2-08", "warning", "现行有效件数跨年不衔接")
def in_force_cross_year(ctx: Context) -> Iterator[Hit]:
    """现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y), when last year's report is known."""
    prev = ctx.previous
    if prev is None or not prev.proactive or prev.format != "2021" or ctx.fmt != "2021":
        return
    for row in T2_DOC_ROWS:
        issued, repealed, valid = (_num(ctx, row, c) for c in T2_DOC_COLUMNS)
        before = A.t2(prev, row, "in_force")
        if None in (issued, repealed, valid, before):
            continue
        expected = before + issued - repealed  # type: ignore[operator]
        if expected != valid:
            yield Hit(
                f"{T2_LABELS[row]}：上年现行有效{L.num(before)}+本年制发{L.num(issued)}−本年废止{L.num(repealed)}"
                f"={L.num(expected)}，与表中现行有效{L.num(valid)}不符。",
                f"{row}: last year in force {L.num(before)} + issued {L.num(issued)} − repealed "
                f"{L.num(repealed)} = {L.num(expected)}, but the table says {L.num(valid)}.",
                L.t2_cell(row, "in_force"),
                expected,
                valid,
                expected - valid,  # type: ignore[operator]
            )
