"""Deadlines and reminders: working days, statutory deadlines and the ladder, /remind parsing, the
application clock, and the database-backed ``tick`` that sends due reminders exactly once.

Entry points others use::

    from bot.deadlines import tick, ReminderConfig, Limiter     # the JobQueue job, the benchmark
    from bot.deadlines import report_stored                     # after storing a report (全部提交 at once)
    from bot.deadlines import is_workday, add_workdays, reply_due
"""

from bot.deadlines.applications import extended_due, reply_due
from bot.deadlines.config import ReminderConfig
from bot.deadlines.ladder import due, ladder_steps, statutory_deadlines
from bot.deadlines.limiter import Limiter
from bot.deadlines.parsing import DateError, parse_day, parse_remind
from bot.deadlines.ticker import ChatGone, ChatMoved, RetryLater, TickReport, report_stored, schedule, tick
from bot.deadlines.workdays import add_workdays, is_workday, previous_workday

__all__ = [
    "ChatGone", "ChatMoved", "DateError", "Limiter", "ReminderConfig", "RetryLater", "TickReport", "add_workdays",
    "due", "extended_due", "is_workday", "ladder_steps", "parse_day", "parse_remind", "previous_workday",
    "reply_due", "report_stored", "schedule", "statutory_deadlines", "tick",
]
