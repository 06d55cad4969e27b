"""The 依申请公开 reply clock (条例 第三十三条): 20 working days from receipt, +20 on extension."""

from __future__ import annotations

from datetime import date

from bot.deadlines.workdays import add_workdays, subtract_workdays


def reply_due(received: date, *, days: int = 20, count_start: bool = False) -> date:
    """Last day to reply to an application received on ``received`` (holiday-aware)."""
    return add_workdays(received, days, count_start=count_start)


def extended_due(due: date, *, days: int = 20) -> date:
    """The due date after one extension of ``days`` more working days."""
    return add_workdays(due, days)


def warning_days(due: date, *, before: tuple[int, ...] = (5, 1)) -> list[tuple[int, date]]:
    """(n, day) pairs: remind ``n`` working days before ``due``."""
    return [(n, subtract_workdays(due, n)) for n in before]
