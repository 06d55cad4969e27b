"""The 整改通知 for one office: what to fix in its annual report, where, and by when — as a .docx.

The district office sends this to an office whose report has errors. It lists only what the office must
change: every error and each warning an admin confirmed; findings an admin dismissed (不是问题) are left
out, and the intro says how many were. Each item says where (the 表3 cell, or the quoted sentence of the
report), what is wrong with the numbers, and what to change (the rule's advice, bot/validation/advice.py).
The resubmission deadline comes from the chat's own deadlines, else the statutory one, else ten working
days from the notice (:func:`resubmit_by`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.documents import style
from bot.documents.collect import OfficeRow
from bot.report import Report
from bot.validation.advice import ADVICE, says_what_to_do
from storage.types import ReviewedFinding

#: Working days an office gets when every statutory or chat deadline for the year is already past.
FIX_WORKDAYS = 10

_LINE = re.compile(r"^第(\d+)行$")
_QUOTE_MAX = 80


@dataclass(frozen=True)
class Due:
    """When the corrected report must arrive, and how the notice words it."""

    day: date
    source: str  # "extension" | "chat" | "statutory" | "workdays"
    title: str = ""


@dataclass(frozen=True)
class NoticeItem:
    """One numbered item of the notice, in plain Chinese."""

    severity: str
    code: str
    problem: str
    location: str
    numbers: str
    change: str


async def resubmit_by(db: Any, *, chat_id: int, office_kind: str, year: int, today: date,
                      office_id: int | None = None) -> Due:
    """The office's own extension (/deadline 鹿山 延期至…) still ahead, else the chat's earliest open deadline
    for ``year`` still ahead, else the statutory date, else +10 workdays."""
    from bot.deadlines.filing import chat_township, office_due
    from bot.deadlines.ladder import KIND_CUSTOM
    from bot.deadlines.workdays import add_workdays
    from storage import obligations, reminders

    if office_id is not None:
        own_terms = (await obligations.obligations(db, chat_id=chat_id, report_year=year)).get(office_id)
        if own_terms is not None and own_terms.kind == "extension" and own_terms.due and own_terms.due >= today:
            return Due(own_terms.due, "extension", own_terms.reason)
    own = [d for d in await reminders.list_deadlines(db, chat_id=chat_id, due_from=today, kinds=[KIND_CUSTOM])
           if d.report_year == year and d.completed_at is None]
    if own:
        return Due(own[0].due, "chat", own[0].title)
    statutory = office_due(office_kind, year, await chat_township(db, chat_id))
    if statutory >= today:
        return Due(statutory, "statutory")
    return Due(add_workdays(today, FIX_WORKDAYS), "workdays")


def split_advice(code: str, message: str) -> tuple[str, str]:
    """(what is wrong, what to change): the advice the engine appended is taken off the message again."""
    advice = ADVICE.get(code)
    if advice and message.endswith("；" + advice[0] + "。"):
        return message[: -len(advice[0]) - 2].rstrip("；") + "。", advice[0] + "。"
    if says_what_to_do(message):
        return message, ""  # the message says what to do itself
    return message, "请核对并修改上述内容。"


def quoted_location(where: str, report: Report | None) -> str:
    """The table cell as written (表3 “予以公开·总计”), or the heading on the file line a finding points at.

    Line numbers are the sent file's lines, which an office cannot see in its Word file: the heading
    standing on that line is quoted instead («第391行：“5、存在问题及整改情况”»).
    """
    match = _LINE.match(where.strip())
    if not match or report is None:
        return where
    n = int(match.group(1))
    for h in report.headings:
        if h.line == n:
            sentence = f"{h.numeral}、{h.title}"
            if len(sentence) > _QUOTE_MAX:
                sentence = sentence[:_QUOTE_MAX] + "……"
            return f"原文{where}：“{sentence}”"
    return f"原文{where}"


def cn_date(day: date) -> str:
    """2022年2月24日 — dates as an official document writes them (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def notice_item(row: ReviewedFinding, report: Report | None = None) -> NoticeItem:
    """A finding as the notice states it."""
    f = row.finding
    problem, change = split_advice(f.code, f.message)
    numbers = ""
    if f.delta not in (None, 0) and f.left is not None and f.right is not None:
        numbers = f"两边分别为{_number(f.left)}和{_number(f.right)}，相差{_number(abs(f.delta))}。"  # type: ignore[arg-type]
    return NoticeItem(f.severity, f.code, problem, quoted_location(f.where, report), numbers, change)


def notice_filename(row: OfficeRow) -> str:
    return f"整改通知_{row.short}_{row.year}.docx"


def build_notice(row: OfficeRow, *, due: Due, issuer: str, today: date) -> bytes:
    """The 整改通知 .docx for one office's current report (which must have something to fix)."""
    assert row.stored is not None
    items = [notice_item(f, row.report) for f in row.to_fix]
    errors = sum(1 for i in items if i.severity == "error")
    confirmed = len(items) - errors
    dismissed = len(row.dismissed)

    doc = style.new_document()
    style.title(doc, f"关于{row.name}{row.year}年度政府信息公开工作年度报告问题整改的通知")
    style.para(doc, f"{row.name}：", indent=False)
    received = cn_date(row.stored.received_at)
    counts = f"错误{errors}个" + (f"、经确认的警告{confirmed}个" if confirmed else "")
    intro = (f"你单位{received}报送的《{row.year}年度政府信息公开工作年度报告》（第{row.stored.version}版"
             f"{'，文件“' + row.stored.filename + '”' if row.stored.filename else ''}）经审核，"
             f"发现以下{len(items)}个问题需要整改（{counts}）")
    intro += f"；另有{dismissed}个疑似问题经核实不是问题，不需修改。" if dismissed else "。"
    style.para(doc, intro + "现将有关问题通知如下，请逐项核对修改。")

    style.heading(doc, "一、需要整改的问题")
    for n, item in enumerate(items, 1):
        kind = "错误" if item.severity == "error" else "警告（经确认）"
        style.para(doc, item.problem, bold_lead=f"{n}．【{kind}】")
        if item.location:
            style.para(doc, item.location, bold_lead="位置：")
        if item.numbers:
            style.para(doc, item.numbers, bold_lead="数字：")
        if item.change:
            style.para(doc, item.change, bold_lead="整改要求：")

    style.heading(doc, "二、报送要求")
    when = cn_date(due.day)
    basis = {"extension": f"（已同意延期：{due.title}）" if due.title else "（已同意延期）",
             "chat": f"（{due.title}）" if due.title else "", "statutory": "（条例第四十九条规定的报送期限）",
             "workdays": f"（自本通知之日起{FIX_WORKDAYS}个工作日内）"}[due.source]
    style.para(doc, f"请于{when}前{basis}完成整改，并将修改后的年度报告重新发送至本工作群；"
                    "机器人将自动复核新版本。报告已公开的，请同步更新网站上的公开版本。")
    style.para(doc, "如对上述问题有异议，请在工作群中说明理由。")

    doc.add_paragraph()
    for line in (issuer, cn_date(today)):
        style.para(doc, line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if row.contacts:
        names = "、".join(c.name for c in row.contacts)
        p = style.para(doc, f"（报送人：{names}）", indent=False)
        for run in p.runs:
            run.font.size = style.Pt(12)
    return style.to_bytes(doc)
