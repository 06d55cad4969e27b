"""Working days from the real 2026 holiday calendar (chinese_calendar), and the fallback for unknown years."""

from __future__ import annotations

import logging
from datetime import date, time

from bot.deadlines import workdays
from bot.deadlines.applications import extended_due, reply_due, warning_days
from bot.deadlines.workdays import add_workdays, calendar_knows, is_workday, previous_workday


def test_spring_festival_2026_and_make_up_days():
    assert is_workday(date(2026, 2, 13))  # Friday before the holiday
    assert is_workday(date(2026, 2, 14))  # Saturday 调休 make-up working day
    for day in range(15, 24):  # 春节 2026-02-15 … 02-23
        assert not is_workday(date(2026, 2, day)), day
    assert is_workday(date(2026, 2, 24))
    assert is_workday(date(2026, 2, 28))  # Saturday make-up day
    assert not is_workday(date(2026, 3, 1))  # plain Sunday


def test_previous_workday_jumps_over_holidays_to_a_make_up_saturday():
    assert previous_workday(date(2026, 2, 23)) == date(2026, 2, 14)
    assert previous_workday(date(2026, 1, 31)) == date(2026, 1, 30)  # Saturday → Friday
    assert previous_workday(date(2026, 1, 28)) == date(2026, 1, 28)


def test_add_workdays_does_not_count_the_start_day_by_default():
    assert add_workdays(date(2026, 1, 5), 1) == date(2026, 1, 6)
    assert add_workdays(date(2026, 1, 5), 1, count_start=True) == date(2026, 1, 5)
    assert add_workdays(date(2026, 1, 9), 1) == date(2026, 1, 12)  # Friday + 1 → Monday


def test_application_clock_across_spring_festival():
    # Received Tue 2026-02-10. Working days after it: 11,12,13,14(Sat 调休) = 4; 15–23 holiday;
    # 24,25,26,27,28(Sat 调休) = 9; Mar 2–6 = 14; Mar 9–13 = 19; Mar 16 = 20.
    due = reply_due(date(2026, 2, 10))
    assert due == date(2026, 3, 16)
    # Counting the receipt day itself shortens the period by one working day.
    assert reply_due(date(2026, 2, 10), count_start=True) == date(2026, 3, 13)
    # +20: Mar 17–20 (4), 23–27 (9), Mar 30–Apr 3 (14), Apr 6 清明 holiday, Apr 7–10 (18), 13 (19), 14 (20).
    assert extended_due(due) == date(2026, 4, 14)
    assert warning_days(due) == [(5, date(2026, 3, 9)), (1, date(2026, 3, 13))]


def test_unknown_year_falls_back_to_weekends_and_warns_once(caplog):
    assert not calendar_knows(2031)
    workdays._warned_years.discard(2031)
    with caplog.at_level(logging.WARNING, logger="bot.deadlines.workdays"):
        assert not is_workday(date(2031, 1, 1))  # a Wednesday, but 元旦 is a holiday every year
        assert is_workday(date(2031, 1, 2))
        assert not is_workday(date(2031, 1, 4))  # Saturday
        assert is_workday(date(2031, 1, 6))
    warnings = [r for r in caplog.records if "2031" in r.getMessage()]
    assert len(warnings) == 1


def test_no_reminder_on_new_years_day_of_a_year_the_calendar_does_not_know():
    """A custom deadline on 2027-01-15 with the 14-day point on 元旦 (chinese_calendar knows up to 2026)."""
    from zoneinfo import ZoneInfo

    from bot.deadlines.ladder import ladder_steps

    assert previous_workday(date(2027, 1, 1)) == date(2026, 12, 31)
    steps = ladder_steps(date(2027, 1, 15), ladder=(14, 7, 0), at=time(9), tz=ZoneInfo("Asia/Shanghai"))
    days = [s.day for s in steps]
    assert date(2027, 1, 1) not in days and date(2026, 12, 31) in days
    assert not any((d.month, d.day) in {(5, 1), (10, 1)} for d in days)
    assert all(is_workday(d) for d in days)
