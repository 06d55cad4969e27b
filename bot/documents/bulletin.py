"""The 通报 a district office circulates to its leaders: who filed, what is wrong where, the ranking, charts.

One .docx per chat and year, built from :mod:`bot.documents.collect` (so it shows the 整改 state and
leaves out dismissed findings), the summary arithmetic of :mod:`bot.exports.rows` (so its numbers equal
the workbook's) and the charts of :mod:`bot.exports.chart` as PNG images. :func:`build_bulletin` is
blocking (charts, python-docx): the chat runs it in a worker thread, and the PDF (LibreOffice) after it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH
from matplotlib.figure import Figure

from bot.documents import style
from bot.documents.collect import STATE_FIX, STATE_FIXED, STATE_MISSING, STATE_PASSED, STATE_PENDING, ChatYear
from bot.documents.notice import cn_date
from bot.exports.chart import appeals_figure, applications_figure, outcomes_figure
from bot.exports.digest import top_issues
from bot.exports.rows import ExportItem, sort_items, summary_row, total_row
from bot.exports.service import draw_png

VERDICT_TEXT = {"通过": "通过", "有警告": "有警告", "有错误": "有错误"}
SEVERITY_TEXT = {"error": "错误", "warning": "警告"}
#: Findings listed per office before "……等N个问题" (a 通报 is read, not searched).
MAX_PER_OFFICE = 8


def bulletin_filename(year: int, ext: str = "docx") -> str:
    return f"年报情况通报_{year}.{ext}"


def _date(value: object) -> str:
    return f"{value.month}月{value.day}日" if hasattr(value, "month") else ""  # type: ignore[union-attr]


def _pct(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, float) else ""


def _num(value: object) -> object:
    return value if value is not None else "无数据"


def charts(items: list[ExportItem], year: int) -> list[tuple[str, bytes]]:
    """The three charts of the year as PNGs, with their captions (blocking)."""
    builds: list[tuple[str, Callable[[], Figure]]] = [
        ("图1 各单位本年新收政府信息公开申请情况", lambda: applications_figure(items, year=year)),
        ("图2 办理结果构成", lambda: outcomes_figure(items, year=year)),
        ("图3 行政复议、行政诉讼情况", lambda: appeals_figure(items, year=year)),
    ]
    return [(caption, draw_png(build)) for caption, build in builds]


def ranking(items: list[ExportItem]) -> list[tuple[object, ...]]:
    """Offices by new applications (most first); an office without 表3 is listed last, unranked."""
    rows = [summary_row(it) for it in sort_items(items)]
    known = sorted((r for r in rows if r["new_received"] is not None),
                   key=lambda r: (-r["new_received"], str(r["office"])))  # type: ignore[operator]
    unknown = [r for r in rows if r["new_received"] is None]
    out: list[tuple[object, ...]] = []
    for n, r in enumerate(known, 1):
        out.append((n, r["office"], r["new_received"], r["total_processed"], _pct(r["open_rate"]),
                    r["review"], r["litigation"]))
    for r in unknown:
        out.append(("—", r["office"], "无数据", _num(r["total_processed"]), _pct(r["open_rate"]),
                    r["review"], r["litigation"]))
    return out


def build_bulletin(data: ChatYear, *, issuer: str, today: date, with_charts: bool = True) -> bytes:
    """The 通报 .docx for one chat and year (blocking)."""
    year = data.year
    items = data.export_items()
    doc = style.new_document()
    style.title(doc, f"关于{year}年度政府信息公开工作年度报告报送和审核情况的通报")

    total, received, missing = len(data.rows), len(data.received), data.missing
    counts = {s: data.count(s) for s in (STATE_PASSED, STATE_FIX, STATE_FIXED, STATE_PENDING)}
    intro = (f"截至{cn_date(today)}，应报送{year}年度政府信息公开工作年度报告的单位共{total}个，"
             f"已报送{received}个，未报送{len(missing)}个。经审核，通过{counts[STATE_PASSED]}个，"
             f"需整改{counts[STATE_FIX]}个，已整改{counts[STATE_FIXED]}个")
    intro += f"，待审{counts[STATE_PENDING]}个。" if counts[STATE_PENDING] else "。"
    style.para(doc, intro + "现将有关情况通报如下。")

    style.heading(doc, "一、报送情况")
    if missing:
        style.para(doc, "、".join(r.name for r in missing) + "。", bold_lead=f"未报送单位（{len(missing)}个）：")
    status_rows = [
        (n, r.name, _date(r.stored.received_at) if r.stored else "未报送",
         f"第{r.stored.version}版" if r.stored else "", VERDICT_TEXT.get(r.stored.verdict, r.stored.verdict)
         if r.stored else "", r.state)
        for n, r in enumerate(sorted(data.rows, key=lambda r: (r.state == STATE_MISSING, r.name)), 1)
    ]
    style.table(doc, ("序号", "单位", "报送时间", "版本", "校验结论", "整改状态"), status_rows,
                widths=(1.2, 5.6, 2.4, 1.6, 2.2, 2.4))

    style.heading(doc, "二、存在的问题")
    issues = top_issues(items, limit=5)
    if issues:
        style.para(doc, "；".join(f"{i.sample}（{i.reports}个单位）" for i in issues) + "。",
                   bold_lead="主要问题：")
    listed = [r for r in sorted(data.rows, key=lambda r: r.name) if r.stored is not None
              and any(f.finding.severity in SEVERITY_TEXT and not f.dismissed for f in r.findings)]
    if not listed:
        style.para(doc, "已报送的年度报告均未发现错误或警告。")
    for n, row in enumerate(listed, 1):
        shown = [f for f in row.findings if f.finding.severity in SEVERITY_TEXT and not f.dismissed]
        errors = sum(1 for f in shown if f.finding.severity == "error")
        style.heading(doc, f"（{_cn(n)}）{row.name}（{row.state}，错误{errors}个、警告{len(shown) - errors}个）", 2)
        for i, f in enumerate(shown[:MAX_PER_OFFICE], 1):
            where = f"（{f.finding.where}）" if f.finding.where else ""
            mark = "，经确认" if f.ruling is not None and not f.dismissed else ""
            style.para(doc, f"{i}．【{SEVERITY_TEXT[f.finding.severity]}{mark}】{f.finding.message}{where}")
        if len(shown) > MAX_PER_OFFICE:
            style.para(doc, f"……另有{len(shown) - MAX_PER_OFFICE}个问题，详见汇总表“问题清单”。")
        if row.dismissed:
            style.para(doc, f"另有{len(row.dismissed)}个疑似问题经核实不是问题，未列入。")

    style.heading(doc, "三、主要数据和排名")
    if items:
        totals = total_row([summary_row(it) for it in items])
        style.para(doc, f"已报送单位本年新收政府信息公开申请{_num(totals['new_received'])}件，"
                        f"办结{_num(totals['total_processed'])}件，公开率{_pct(totals['open_rate']) or '无数据'}；"
                        f"行政复议{_num(totals['review'])}件，行政诉讼{_num(totals['litigation'])}件。")
        style.table(doc, ("排名", "单位", "本年新收", "办结", "公开率", "行政复议", "行政诉讼"), ranking(items),
                    widths=(1.2, 5.4, 1.9, 1.6, 1.9, 1.9, 1.9))
        if with_charts:
            style.heading(doc, "四、统计图")
            for caption, png in charts(items, year):
                style.picture(doc, png, caption=caption)
    else:
        style.para(doc, "尚无单位报送，暂无数据。")

    doc.add_paragraph()
    for line in (issuer, cn_date(today)):
        style.para(doc, line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return style.to_bytes(doc)


_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (headings （一）（二）…)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
