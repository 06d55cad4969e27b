"""The pure planner: statutory deadlines, the reminder ladder, overdue days, and what is due now.

Nothing here touches the database or Telegram, so every date rule is tested with plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.deadlines.workdays import previous_workday, workdays_after

#: Deadline kinds: 条例 第四十九条 (departments by 1月31日, the government's own report by 3月31日), custom.
KIND_DEPT = "dept"
KIND_GOV = "gov"
KIND_CUSTOM = "custom"

STATUTORY_TITLES = {
    KIND_DEPT: "{year}年度政府信息公开工作年度报告报送（部门、街道/乡镇）",
    KIND_GOV: "{year}年度本级政府信息公开工作年度报告公开",
}


@dataclass(frozen=True)
class DeadlineSpec:
    """A deadline before it is stored: what, when and for which report year."""

    kind: str
    due: date
    title: str
    report_year: int


def statutory_deadlines(report_year: int) -> list[DeadlineSpec]:
    """The two 条例 第四十九条 deadlines for reports about ``report_year`` (due the following year)."""
    y = report_year + 1
    return [
        DeadlineSpec(KIND_DEPT, date(y, 1, 31), STATUTORY_TITLES[KIND_DEPT].format(year=report_year), report_year),
        DeadlineSpec(KIND_GOV, date(y, 3, 31), STATUTORY_TITLES[KIND_GOV].format(year=report_year), report_year),
    ]


def current_statutory(today: date, *, overdue_days: int = 7) -> list[DeadlineSpec]:
    """The statutory deadlines a chat should be reminded of now: this year's until their overdue
    week is over, then next year's."""
    out = []
    for spec in statutory_deadlines(today.year - 1):
        if today <= spec.due + timedelta(days=overdue_days):
            out.append(spec)
        else:
            out.extend(s for s in statutory_deadlines(today.year) if s.kind == spec.kind)
    return out


def office_kinds(kind: str, township_deadline: str = "01-31") -> frozenset[str] | None:
    """Roster office kinds a deadline is about (None = every office on the roster); decided by
    :func:`bot.deadlines.filing.deadline_kind`, the one rule for who reports by when."""
    from bot.deadlines.filing import OFFICE_KINDS, deadline_kind

    if kind not in (KIND_DEPT, KIND_GOV):
        return None
    return frozenset(k for k in OFFICE_KINDS if deadline_kind(k, township_deadline) == kind)


def filing_year(today: date) -> int:
    """The report year being filed around ``today``: last year's, until December, when this year's
    report (due next January) becomes the one offices are chased for — as ``/deadline`` shows it."""
    return today.year if today.month == 12 else today.year - 1


def report_year_for(due: date) -> int:
    """The report year a deadline on ``due`` is about (reports are due in the following year)."""
    return due.year - 1


@dataclass(frozen=True)
class Step:
    """One planned send for a deadline: ``step`` is ``"-14"`` … ``"-0"`` (ladder) or ``"+3"`` (overdue)."""

    step: str
    day: date
    fire_at: datetime  # aware, local time zone


def ladder_steps(due: date, *, ladder: tuple[int, ...], at: time, tz: ZoneInfo,
                 overdue_days: int = 7) -> list[Step]:
    """Ladder reminders before ``due`` and overdue notices after it.

    A ladder day on a weekend or holiday moves to the previous working day; two ladder points landing on
    the same day give one message. After the deadline one overdue notice goes out each working day for
    ``overdue_days`` calendar days.
    """
    by_day: dict[date, Step] = {}
    for offset in sorted(set(ladder)):  # smallest offset first: it names the step when days merge
        day = previous_workday(due - timedelta(days=offset))
        if day not in by_day:
            by_day[day] = Step(f"-{offset}", day, datetime.combine(day, at, tzinfo=tz))
    for day in workdays_after(due, due + timedelta(days=overdue_days)):
        by_day[day] = Step(f"+{(day - due).days}", day, datetime.combine(day, at, tzinfo=tz))
    return sorted(by_day.values(), key=lambda s: s.day)


Decision = Literal["send", "missed", "wait"]


def classify(due_at: datetime, now: datetime, *, max_late: timedelta) -> Decision:
    """Whether a row due at ``due_at`` should be sent now, is too late (missed), or is not due yet."""
    if due_at > now:
        return "wait"
    if now - due_at > max_late:
        return "missed"
    return "send"


def due(rows: list, now: datetime, *, max_late: timedelta) -> tuple[list, list]:
    """Split rows (anything with ``due_at``) into (to send now, to mark missed); future rows are dropped."""
    send, missed = [], []
    for row in rows:
        decision = classify(row.due_at, now, max_late=max_late)
        if decision == "send":
            send.append(row)
        elif decision == "missed":
            missed.append(row)
    return send, missed


def next_weekly(after: datetime, *, weekday: int, at: time, tz: ZoneInfo) -> datetime:
    """The first ``weekday`` (0 = Monday) at ``at`` local time strictly after ``after``."""
    local = after.astimezone(tz)
    day = local.date()
    for i in range(8):
        candidate = datetime.combine(day + timedelta(days=i), at, tzinfo=tz)
        if candidate.weekday() == weekday and candidate > local:
            return candidate
    raise AssertionError("unreachable")
