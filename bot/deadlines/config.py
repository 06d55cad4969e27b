"""Reminder settings: process-wide defaults from the environment, per-chat overrides in chat settings.

``bot.config.Settings`` (owned elsewhere) carries only the time zone and the scheduler switch; the knobs
below are read from their own environment variables so they can be tuned without code changes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import time, timedelta
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
    def from_env(cls, tz: ZoneInfo | str | None = None) -> ReminderConfig:
        """Defaults overridden by NIANBAO_REMINDER_* / NIANBAO_APPLY_* environment variables."""
        env = os.environ
        cfg = cls()
        if tz is not None:
            cfg = replace(cfg, tz=ZoneInfo(tz) if isinstance(tz, str) else tz)
        if v := env.get("NIANBAO_REMINDER_TIME"):
            cfg = replace(cfg, at=parse_hhmm(v))
        if v := env.get("NIANBAO_REMINDER_LADDER"):
            cfg = replace(cfg, ladder=parse_ladder(v))
        if v := env.get("NIANBAO_REMINDER_MAX_LATE_HOURS"):
            cfg = replace(cfg, max_late=timedelta(hours=float(v)))
        if v := env.get("NIANBAO_TOWNSHIP_DEADLINE"):
            cfg = replace(cfg, township_deadline=v.strip())
        if v := env.get("NIANBAO_APPLY_DAYS"):
            cfg = replace(cfg, apply_days=int(v), apply_extension_days=int(v))
        if v := env.get("NIANBAO_APPLY_COUNT_START_DAY"):
            cfg = replace(cfg, apply_count_start=v.strip().lower() in ("1", "true", "yes", "on"))
        return cfg
