"""Deadline rules decided from one report (RULES.md §6.9 DL-01, DL-03). DL-02 and DL-04 are reminders
(bot/deadlines), not findings about a report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bot.validation.engine import Context, Hit, rule


def legal_deadline(year: int, kind: str, name: str = "") -> date:
    """The publication deadline for a year-``year`` report: 3月31日 for a government's own report (and
    for every report under the old 条例, ≤2018), 1月31日 for departments, 街道 and 乡镇 (条例第四十九条).

    A 市/省 government's kind is 其他 (the name does not say 设区的市 or 县级市), but its name ending
    「人民政府」 still says it is a government's own report."""
    own = kind == "区县政府" or (kind == "其他" and name.endswith(("人民政府", "市政府", "省政府")))
    if own or year <= 2018:
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


@rule("DL-01", "warning", "晚于法定期限提交")
def received_late(ctx: Context) -> Iterator[Hit]:
    """The report arrived after the deadline of year + 1 (judged only in year + 1: an older report sent
    later is an archive upload or the wrong file, which DL-03 asks about)."""
    if ctx.received is None or ctx.year is None or ctx.received.year != ctx.year + 1:
        return
    office = ctx.report.office
    if office.kind == "其他" and not office.name.endswith(("人民政府", "市政府", "省政府")):
        return  # kind unknown: which deadline applies is not known, so lateness is not judged
    due = legal_deadline(ctx.year, office.kind, office.name)
    if ctx.received > due:
        days = (ctx.received - due).days
        yield Hit(
            f"该报告于{ctx.received.isoformat()}收到，晚于{due.month}月{due.day}日的法定期限{days}天。",
            f"Received on {ctx.received.isoformat()}, {days} days after the {due.isoformat()} deadline.",
            "提交时间",
            days,
        )


@rule("DL-03", "warning", "报告年度过早或过晚")
def unexpected_year(ctx: Context) -> Iterator[Hit]:
    """The report year is neither last year nor the year before (judged on ``today`` or ``received``);
    in December this year's report is expected too — offices file it early."""
    today = ctx.today or ctx.received
    if today is None or ctx.year is None:
        return
    expected = {today.year - 1, today.year - 2} | ({today.year} if today.month == 12 else set())
    if ctx.year not in expected:
        from bot.deadlines.ladder import filing_year  # the year /deadline and the reminders chase

        due = filing_year(today)
        yield Hit(
            f"收到的是{ctx.year}年度报告，现在应报送的是{due}年度报告，是否发错文件？",
            f"This is a {ctx.year} report, but the {due} report is the one due now — is it the right file?",
            "年度",
            ctx.year,
            due,
        )
