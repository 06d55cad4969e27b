"""The pure planner: statutory deadlines, the ladder with holiday moves, overdue days, due()."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.deadlines.ladder import (
    classify,
    current_statutory,
    due,
    filing_year,
    ladder_steps,
    next_weekly,
    office_kinds,
    statutory_deadlines,
)

TZ = ZoneInfo("Asia/Shanghai")
LADDER = (14, 7, 3, 1, 0)


def _days(steps):
    return [(s.step, s.day) for s in steps]


def test_statutory_deadlines_are_jan_31_and_mar_31_of_the_next_year():
    dept, gov = statutory_deadlines(2025)
    assert (dept.kind, dept.due, dept.report_year) == ("dept", date(2026, 1, 31), 2025)
    assert (gov.kind, gov.due, gov.report_year) == ("gov", date(2026, 3, 31), 2025)


def test_current_statutory_rolls_over_after_the_overdue_week():
    assert [d.due for d in current_statutory(date(2026, 1, 10))] == [date(2026, 1, 31), date(2026, 3, 31)]
    assert [d.due for d in current_statutory(date(2026, 2, 7))] == [date(2026, 1, 31), date(2026, 3, 31)]
    assert [d.due for d in current_statutory(date(2026, 2, 8))] == [date(2027, 1, 31), date(2026, 3, 31)]
    assert [d.due for d in current_statutory(date(2026, 11, 22))] == [date(2027, 1, 31), date(2027, 3, 31)]


def test_filing_year_turns_over_in_december_with_the_deadline_shown():
    assert filing_year(date(2026, 1, 10)) == 2025
    assert filing_year(date(2026, 11, 30)) == 2025  # late filers of the 2025 report are still chased
    assert filing_year(date(2026, 12, 1)) == 2026
    dec = current_statutory(date(2026, 12, 4))
    assert {d.report_year for d in dec} == {filing_year(date(2026, 12, 4))}


def test_january_2026_ladder_moves_weekend_points_and_merges_same_day():
    steps = ladder_steps(date(2026, 1, 31), ladder=LADDER, at=time(9), tz=TZ)
    assert _days(steps) == [
        ("-14", date(2026, 1, 16)),  # Sat 17th → Fri 16th
        ("-7", date(2026, 1, 23)),  # Sat 24th → Fri 23rd
        ("-3", date(2026, 1, 28)),
        ("-0", date(2026, 1, 30)),  # 1 day before (Fri) and the deadline (Sat) → one message on Friday
        ("+2", date(2026, 2, 2)), ("+3", date(2026, 2, 3)), ("+4", date(2026, 2, 4)),
        ("+5", date(2026, 2, 5)), ("+6", date(2026, 2, 6)),  # overdue: working days of the week after
    ]
    assert steps[0].fire_at == datetime(2026, 1, 16, 9, 0, tzinfo=TZ)
    assert steps[0].fire_at.astimezone(UTC) == datetime(2026, 1, 16, 1, 0, tzinfo=UTC)


def test_ladder_over_spring_festival_moves_to_the_make_up_saturday():
    steps = ladder_steps(date(2026, 2, 24), ladder=LADDER, at=time(9), tz=TZ)
    assert _days(steps) == [
        ("-14", date(2026, 2, 10)),
        ("-1", date(2026, 2, 14)),  # 7, 3 and 1 days before all fall in 春节 → Sat 2026-02-14 (调休 working day)
        ("-0", date(2026, 2, 24)),
        ("+1", date(2026, 2, 25)), ("+2", date(2026, 2, 26)), ("+3", date(2026, 2, 27)),
        ("+4", date(2026, 2, 28)),  # make-up Saturday is a working day: overdue notice goes out
        ("+6", date(2026, 3, 2)), ("+7", date(2026, 3, 3)),
    ]


def test_2027_deadline_uses_weekend_fallback():
    steps = ladder_steps(date(2027, 1, 31), ladder=LADDER, at=time(9), tz=TZ, overdue_days=0)
    # Jan 31 2027 is a Sunday → Friday 29th; 14 days before is Sunday 17th → Friday 15th.
    assert _days(steps) == [("-14", date(2027, 1, 15)), ("-7", date(2027, 1, 22)), ("-3", date(2027, 1, 28)),
                            ("-0", date(2027, 1, 29))]


def test_office_kinds_follow_the_township_setting():
    assert office_kinds("dept") == {"部门", "其他", "街道", "乡镇"}
    assert office_kinds("gov") == {"区县政府"}
    assert office_kinds("dept", "03-31") == {"部门", "其他"}
    assert office_kinds("gov", "03-31") == {"区县政府", "街道", "乡镇"}
    assert office_kinds("custom") is None


@dataclass
class Row:
    name: str
    due_at: datetime


def test_due_splits_send_missed_and_future():
    now = datetime(2026, 1, 16, 4, 0, tzinfo=UTC)
    rows = [Row("on time", now - timedelta(minutes=1)), Row("late", now - timedelta(hours=2, minutes=59)),
            Row("too late", now - timedelta(hours=3, minutes=1)), Row("future", now + timedelta(seconds=1))]
    send, missed = due(rows, now, max_late=timedelta(hours=3))
    assert [r.name for r in send] == ["on time", "late"]
    assert [r.name for r in missed] == ["too late"]
    assert classify(now, now, max_late=timedelta(0)) == "send"


def test_next_weekly_is_strictly_after():
    monday_9 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    assert next_weekly(monday_9 - timedelta(minutes=1), weekday=0, at=time(9), tz=TZ) == monday_9
    assert next_weekly(monday_9, weekday=0, at=time(9), tz=TZ) == monday_9 + timedelta(days=7)
    assert next_weekly(monday_9, weekday=2, at=time(8, 30), tz=TZ) == datetime(2026, 11, 25, 8, 30, tzinfo=TZ)
