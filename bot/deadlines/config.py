"""Reminder settings: process-wide defaults from the environment, per-chat overrides in chat settings.

The process-wide knobs (NIANBAO_REMINDER_*, NIANBAO_APPLY_*, NIANBAO_TOWNSHIP_DEADLINE) are fields of
``bot.config.Settings``, parsed and checked once at start; :meth:`ReminderConfig.from_settings` turns them
into this dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_LADDER: tuple[int, ...] = (14, 7, 3, 1, 0)

# Per-chat setting keys (stored with storage.repo.set_chat_setting).
SETTING_LADDER = "reminder_ladder"  # "14,7,3,1,0"
SETTING_TIME = "reminder_time"  # "09:00"
SETTING_TOWNSHIP = "township_deadline"  # "01-31" (default) or "03-31"


def parse_ladder(text: str) -> tuple[int, ...]:
    """``"14,7,3,1,0"`` → (14, 7, 3, 1, 0); raises ValueError on anything else."""
    parts = [p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p]
    days = sorted({int(p) for p in parts}, reverse=True)
    if not days or any(d < 0 or d > 366 for d in days):
        raise ValueError(text)
    return tuple(days)


def parse_hhmm(text: str) -> time:
    """``"9:00"`` / ``"09:30"`` → time; raises ValueError."""
    hh, _, mm = text.strip().replace("：", ":").partition(":")
    return time(int(hh), int(mm or 0))


@dataclass(frozen=True)
class ReminderConfig:
    """How reminders are planned and sent (one per process; per-chat values override some fields)."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    at: time = time(9, 0)
    ladder: tuple[int, ...] = DEFAULT_LADDER
    #: Calendar days after a deadline during which an overdue notice goes out each working day.
    overdue_days: int = 7
    #: A reminder missed while the bot was down is still sent when less than this late.
    max_late: timedelta = timedelta(hours=3)
    #: How long a claim protects a row from other processes while it is being sent. Kept alive by a
    #: heartbeat during the send, so it can be short: a dead sender's row is re-sent (「补发」) soon.
    lease: timedelta = timedelta(seconds=90)
    #: Wait before retrying a row whose send failed for a transient reason.
    retry_after: timedelta = timedelta(minutes=1)
    #: 条例 第三十三条: reply within 20 working days; +20 on extension; start day not counted.
    apply_days: int = 20
    apply_extension_days: int = 20
    apply_count_start: bool = False
    apply_warn_days: tuple[int, ...] = (5, 1)
    #: Default deadline for 街道/乡镇 reports ("01-31" with departments, or "03-31").
    township_deadline: str = "01-31"
    #: Telegram limits (FAQ): 20 messages per minute per group, ~30/s overall; stay a little below.
    per_group_per_minute: int = 20
    per_second: float = 25.0
    #: Sends in flight at once in one tick (each still passes the limiter).
    concurrency: int = 16

    @classmethod
    def from_settings(cls, settings: Any, tz: ZoneInfo | str | None = None) -> ReminderConfig:
        """The process's values from :class:`bot.config.Settings`, which checked them once at start."""
        cfg = cls(
            at=parse_hhmm(settings.reminder_time),
            ladder=parse_ladder(settings.reminder_ladder),
            max_late=timedelta(hours=settings.reminder_max_late_hours),
            township_deadline=settings.township_deadline,
            apply_days=settings.apply_days,
            apply_extension_days=settings.apply_days,
            apply_count_start=settings.apply_count_start_day,
        )
        tz = tz if tz is not None else getattr(settings, "tz", None)
        if tz is not None:
            cfg = replace(cfg, tz=ZoneInfo(tz) if isinstance(tz, str) else tz)
        return cfg

    @classmethod
    def from_env(cls, tz: ZoneInfo | str | None = None) -> ReminderConfig:
        """Defaults overridden by NIANBAO_REMINDER_* / NIANBAO_APPLY_* (validated by ``load_settings``)."""
        from bot.config import load_settings

        return cls.from_settings(load_settings(), tz)
