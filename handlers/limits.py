"""Command arguments and button data checked at the edge, before any number or text reaches the core.

``"①".isdigit()`` is True but ``int("①")`` raises; a 20-digit id overflows an Integer column (SQLite
raises OverflowError, PostgreSQL a DataError); a 3,000-character title overflows ``varchar(255)`` on
PostgreSQL. Each of these gets a short Chinese reply here instead of a traceback further in.
"""

from __future__ import annotations

import re

#: Ids and sequence numbers are Integer columns (PostgreSQL int4).
MAX_ID = 2**31 - 1
#: /deadline and /remind arguments: a date, a time and a short title (deadline titles are varchar(255)).
MAX_SHORT_ARGS = 200
#: /apply: a date and a summary of the application (a Text column, still bounded).
MAX_LONG_ARGS = 1000
#: Longest run of digits that can be a date, a time, a ladder day or an id in a command.
MAX_DIGIT_RUN = 10

_ASCII_ID_RE = re.compile(r"[0-9]{1,10}")
_DIGIT_RUN_RE = re.compile(rf"\d{{{MAX_DIGIT_RUN + 1},}}")

DIGITS_REPLY = "请用阿拉伯数字（0–9）书写编号和日期，例如：/extend 3。\n(Please write numbers with the digits 0–9.)"


def too_long_reply(n: int, limit: int) -> str:
    return f"内容太长（{n}字），请控制在{limit}字以内。\n(Too long: {n} characters; the limit is {limit}.)"


def number_too_long_reply() -> str:
    return f"数字太长（超过{MAX_DIGIT_RUN}位），请检查编号或日期。\n(A number is too long; check the id or the date.)"


def check_args(text: str, *, limit: int = MAX_SHORT_ARGS, digit_runs: bool = True) -> str | None:
    """A reply when command arguments cannot be used as they are, else None.

    Refused: text over ``limit`` characters; a digit that is not 0–9 (①, ², ３ is fine: it is a
    decimal digit); with ``digit_runs``, a run of more than :data:`MAX_DIGIT_RUN` digits."""
    if len(text) > limit:
        return too_long_reply(len(text), limit)
    if any(ch.isdigit() and not ch.isdecimal() for ch in text):
        return DIGITS_REPLY
    if digit_runs and _DIGIT_RUN_RE.search(text):
        return number_too_long_reply()
    return None


def id_number(text: str) -> int | None:
    """An id typed in a command or carried by a button: 1–10 ASCII digits within :data:`MAX_ID`, else None."""
    text = text.strip()
    if not _ASCII_ID_RE.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


ID_REPLY = "编号应为阿拉伯数字，例如：3（编号见列表）。\n(An id is a number such as 3.)"


def check_id(text: str) -> str | None:
    """A reply when ``text`` (「3」「#3」「第3号」) holds digits but is no usable id, else None (no digits at
    all is left to the command, which explains its usage)."""
    seq = text.strip().lstrip("#第").rstrip("号")
    if any(ch.isdigit() for ch in seq) and id_number(seq) is None:
        return ID_REPLY
    return None


def check_id_after(args: str, words: tuple[str, ...]) -> str | None:
    """:func:`check_id` on what follows a sub-command word (「取消 ①」「办结 99999999999」)."""
    word, _, rest = args.strip().partition(" ")
    return check_id(rest) if word in words else None


#: An office name (varchar(255) with its aliases) and how many one /roster add may hold.
MAX_NAME = 100
MAX_NAMES = 200


def check_names(names: list[str]) -> str | None:
    """A reply when /roster add brings names the database cannot hold, else None."""
    if len(names) > MAX_NAMES:
        return f"一次最多添加{MAX_NAMES}个单位（这次{len(names)}个），请分批添加。\n(At most {MAX_NAMES} names at a time.)"
    longest = max(names, key=len, default="")
    if len(longest) > MAX_NAME:
        return (f"单位名称太长（{len(longest)}字），请控制在{MAX_NAME}字以内。\n"
                f"(An office name is too long: {len(longest)} characters; the limit is {MAX_NAME}.)")
    return None


def year_number(text: str) -> int | None:
    """A report year carried by a button (1949–2999, or 0: a report whose year is unknown), else None."""
    value = id_number(text)
    return value if value is not None and (value == 0 or 1949 <= value <= 2999) else None


__all__ = ["MAX_ID", "check_args", "check_id", "check_id_after", "check_names", "id_number", "year_number"]
