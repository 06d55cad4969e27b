"""Working-day calendar for China: weekends, statutory holidays and 调休 make-up days.

``chinese_calendar`` knows each year only once the State Council publishes the holiday notice (usually in
November). For a year it does not know yet we fall back to "Monday–Friday are working days, except the
fixed-date holidays (元旦, 劳动节, 国庆)" and log a warning once per year, so reminders still go out (perhaps
on a lunar holiday) instead of failing — but never on 元旦.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import chinese_calendar

logger = logging.getLogger(__name__)

_warned_years: set[int] = set()

#: Holidays on a fixed solar date (《全国年节及纪念日放假办法》: 元旦, 劳动节 5月1–2日, 国庆 10月1–3日):
#: never working days, even in a year the calendar does not know yet. The lunar ones (春节, 端午, 中秋) and
#: 清明 still need the package's data for that year.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


def calendar_knows(year: int) -> bool:
    """True when the holiday calendar has official data for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    """True when ``day`` is a working day (holiday-aware; weekends only for unknown years)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "节假日日历不含 %s 年（chinese_calendar 未更新），该年只按周末计算工作日；请升级 chinese-calendar",
                day.year,
            )
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def previous_workday(day: date) -> date:
    """``day`` itself when it is a working day, otherwise the closest working day before it."""
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def add_workdays(start: date, days: int, *, count_start: bool = False) -> date:
    """The date that ends a period of ``days`` working days beginning at ``start``.

    By default the start day is not counted (民法典 第二百零一条): a request received on a Monday with a
    1-working-day period is due on Tuesday. With ``count_start=True`` the start day counts when it is a
    working day. Negative ``days`` walk backwards (used for "5 working days before the due date").
    """
    if days < 0:
        return subtract_workdays(start, -days)
    day = start
    remaining = days
    if count_start and is_workday(start) and remaining > 0:
        remaining -= 1
    while remaining > 0:
        day += timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def subtract_workdays(end: date, days: int) -> date:
    """The working day that lies ``days`` working days before ``end``."""
    day = end
    remaining = days
    while remaining > 0:
        day -= timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_after(start: date, end: date) -> list[date]:
    """Working days in the half-open range (start, end]."""
    out: list[date] = []
    day = start + timedelta(days=1)
    while day <= end:
        if is_workday(day):
            out.append(day)
        day += timedelta(days=1)
    return out
