"""Dates and times in /deadline, /remind and /apply arguments, Chinese first.

``dateparser`` does not understand the forms our users type (``明天 9点``, ``1月20日 上午10点``,
``每周一 9:00`` all return None), so a small explicit grammar handles the Chinese absolute, relative and
weekly forms and ISO dates; ``dateparser`` remains the fallback for anything else (e.g. English
``tomorrow 9am``). Every failure raises :class:`DateError` whose message is a short Chinese reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

EXAMPLES = "例如：/remind 2027-01-20 09:30 请各单位提交年报、/remind 明天 9点 …、/remind 每周一 9:00 …"


class DateError(ValueError):
    """A date or time the bot cannot use; ``message`` is the Chinese reply."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "1": 0, "2": 1, "3": 2,
             "4": 3, "5": 4, "6": 5, "7": 6}
WEEKDAY_NAMES = "一二三四五六日"

_SEP = r"\s*"
_DATE_ISO = (r"(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?:\s*[日号])?")
_DATE_MD = r"(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]?"
_REL = r"(?P<rel>今天|今日|明天|明日|大后天|后天|昨天|昨日|大前天|前天)"
_WEEK = r"(?P<every>每)?(?P<next>下)?个?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])"
_DATE = re.compile(rf"^\s*(?:{_DATE_ISO}|{_DATE_MD}|{_REL}|{_WEEK})")
_TIME = re.compile(
    r"^[\sT]*(?P<ap>上午|早上|早晨|中午|下午|晚上|傍晚)?\s*"
    r"(?:(?P<h>\d{1,2})\s*[:：]\s*(?P<mi>\d{1,2})(?::\d{2})?"
    r"|(?P<h2>\d{1,2}|[零一二两三四五六七八九十]{1,3})\s*[点时](?:\s*(?P<half>半)|\s*(?P<mi2>\d{1,2})\s*分?)?)"
)


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS.get(text[1:], 0) if len(text) > 1 else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def _make_date(y: int, m: int, d: int, *, say_year: bool = True) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        year = f"{y}年" if say_year else ""
        raise DateError(f"没有{year}{m}月{d}日这一天，请检查日期。") from None


@dataclass(frozen=True)
class _DatePart:
    day: date | None  # None for a weekly rule
    weekday: int | None  # weekly rule or plain 周X
    every: bool
    explicit_year: bool
    rest: str


def _parse_date_part(text: str, today: date, prefer: Literal["future", "past"]) -> _DatePart | None:
    m = _DATE.match(text)
    if not m:
        return None
    rest = text[m.end():]
    if m["y"]:
        return _DatePart(_make_date(int(m["y"]), int(m["m"]), int(m["d"])), None, False, True, rest)
    if m["m2"]:
        mo, d = int(m["m2"]), int(m["d2"])
        day = _make_date(today.year, mo, d, say_year=False) if not (mo == 2 and d == 29) else None
        if day is None:  # 2月29日: this year if a leap year, else the next leap year in the preferred direction
            y = today.year
            step = 1 if prefer == "future" else -1
            while True:
                try:
                    day = date(y, 2, 29)
                    if (prefer == "future" and day >= today) or (prefer == "past" and day <= today):
                        break
                except ValueError:
                    pass
                y += step
        if prefer == "future" and day < today:
            day = _make_date(day.year + 1, mo, d)
        elif prefer == "past" and day > today:
            day = _make_date(day.year - 1, mo, d)
        return _DatePart(day, None, False, False, rest)
    if m["rel"]:
        # 昨天/前天 are read too, so 「/remind 昨天 9点」 is told the time has passed, not "not understood"
        offset = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3,
                  "昨天": -1, "昨日": -1, "前天": -2, "大前天": -3}[m["rel"]]
        return _DatePart(today + timedelta(days=offset), None, False, False, rest)
    wd = _WEEKDAYS[m["wd"]]
    if m["every"]:
        return _DatePart(None, wd, True, False, rest)
    if m["next"]:
        monday_next = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return _DatePart(monday_next + timedelta(days=wd), wd, False, False, rest)
    return _DatePart(today + timedelta(days=(wd - today.weekday()) % 7), wd, False, False, rest)


def _parse_time_part(text: str) -> tuple[time | None, str]:
    m = _TIME.match(text)
    if not m:
        return None, text
    if m["h"] is not None:
        hour, minute = int(m["h"]), int(m["mi"])
    else:
        hour = _cn_number(m["h2"])
        minute = 30 if m["half"] else int(m["mi2"] or 0)
    ap = m["ap"]
    if ap in ("下午", "晚上", "傍晚") and hour < 12:
        hour += 12
    elif ap == "中午" and hour < 11:
        hour += 12
    if hour > 23 or minute > 59:
        raise DateError(f"时间不对：{m.group(0).strip()}。请写 0:00–23:59 之间的时间，如 9:30 或 上午10点。")
    return time(hour, minute), text[m.end():]


@dataclass(frozen=True)
class RemindRequest:
    """A parsed /remind: one moment (``when``) or weekly (``weekday`` + ``at``), and the text."""

    text: str
    at: time
    when: datetime | None = None  # aware, local; None for weekly
    weekday: int | None = None  # 0 = Monday; set for weekly reminders

    @property
    def weekly(self) -> bool:
        return self.when is None


def _dateparser_prefix(text: str, now: datetime) -> tuple[datetime, str] | None:
    """Try ``dateparser`` on the first 1–4 words (longest first)."""
    import dateparser

    words = text.split()
    for n in range(min(4, len(words)), 0, -1):
        candidate = " ".join(words[:n])
        if not re.search(r"\d|tomorrow|today|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday",
                         candidate, re.I):
            continue
        parsed = dateparser.parse(candidate, languages=["en", "zh"], settings={
            "RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future",
            "RETURN_AS_TIMEZONE_AWARE": False})
        if parsed is not None:
            return parsed.replace(tzinfo=now.tzinfo), " ".join(words[n:])
    return None


def parse_remind(args: str, *, now: datetime, tz: ZoneInfo, default_at: time = time(9, 0)) -> RemindRequest:
    """Parse ``/remind`` arguments: ``<date> [time] <text>`` or ``每周X <time> <text>``.

    ``now`` is aware; the result is in ``tz``. A past moment, an impossible date, a missing text or
    anything unreadable raises :class:`DateError` with the Chinese explanation.
    """
    text = (args or "").strip()
    if not text:
        raise DateError("请写上时间和提醒内容。" + EXAMPLES)
    local_now = now.astimezone(tz)
    part = _parse_date_part(text, local_now.date(), "future")
    if part is None:
        at, rest = _parse_time_part(text)  # "/remind 15:00 开会" = today (or tomorrow) at that time
        if at is not None:
            when = datetime.combine(local_now.date(), at, tzinfo=tz)
            if when <= local_now:
                when += timedelta(days=1)
            return _finish(RemindRequest(rest.strip(), at, when=when), local_now)
        fallback = _dateparser_prefix(text, local_now)
        if fallback is None:
            raise DateError("看不懂这个时间。" + EXAMPLES)
        when, rest = fallback
        return _finish(RemindRequest(rest.strip(), when.timetz().replace(tzinfo=None), when=when.replace(tzinfo=tz)),
                       local_now)
    at, rest = _parse_time_part(part.rest)
    at = at or default_at
    if part.every:
        return _finish(RemindRequest(rest.strip(), at, weekday=part.weekday), local_now)
    assert part.day is not None
    when = datetime.combine(part.day, at, tzinfo=tz)
    if part.weekday is not None and not part.every and when <= local_now and part.day == local_now.date():
        when += timedelta(days=7)  # "周一 9点" said on Monday at 10:00 means next Monday
    return _finish(RemindRequest(rest.strip(), at, when=when), local_now)


def _finish(req: RemindRequest, local_now: datetime) -> RemindRequest:
    if not req.text:
        raise DateError("请在时间后面写上提醒内容，例如：/remind 明天 9点 请各单位提交年报")
    if req.when is not None and req.when <= local_now:
        raise DateError(f"{req.when:%Y-%m-%d %H:%M} 已经过去了，请写一个将来的时间。")
    return req


def parse_day(args: str, *, today: date, prefer: Literal["future", "past"] = "future") -> tuple[date, str]:
    """A leading date (``1月15日``, ``2027-01-15``, ``明天`` …) and the text after it.

    ``prefer`` decides the year of a date written without one: the next such day (deadlines) or the
    last one (receipt dates of applications).
    """
    text = (args or "").strip()
    part = _parse_date_part(text, today, prefer)
    if part is None or part.day is None:
        raise DateError("看不懂这个日期，请写成 1月15日 或 2027-01-15。")
    return part.day, part.rest.strip()
