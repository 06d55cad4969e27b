"""Turn the words after a command (``鹿山 2021``) into an office and a year, or ask which office."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

YEAR = re.compile(r"^(20\d{2}|19\d{2})年?(度)?$")
#: ``/report 鹿山 年份不明``: the year of a report whose year could not be read (never a real year).
UNKNOWN_YEAR = 0
UNKNOWN_YEAR_WORDS = frozenset({"年份不明", "年度不明", "年份未知", "年度未知", "年度未识别", "无年份", "unknown"})


def year_label(year: int | None) -> str:
    """``2021年``, or 「年份不明」 for a report without a year (never 「None年」)."""
    return f"{year}年" if year else "年份不明"


@dataclass
class Target:
    """What a command's arguments named: the office words and an optional year."""

    name: str
    year: int | None


def parse_args(args: list[str]) -> Target:
    """``["鹿山", "2021"]`` → Target("鹿山", 2021); the year may come first or be written 2021年."""
    year: int | None = None
    words: list[str] = []
    for arg in args:
        match = YEAR.match(arg.strip())
        if match and year is None:
            year = int(match.group(1))
        elif arg.strip().lower() in UNKNOWN_YEAR_WORDS and year is None:
            year = UNKNOWN_YEAR
        else:
            words.append(arg)
    return Target(" ".join(words).strip(), year)


def _names(office: Any) -> list[str]:
    return [n for n in [office.name, office.short_name, *(office.aliases or [])] if n]


async def match_offices(db: Any, chat_id: int, name: str) -> list[Any]:
    """Offices the name can mean in this chat: an exact name/alias first, else a substring match."""
    from storage import repo

    exact = await repo.resolve_office(db, name=name)
    candidates = await repo.find_offices(db, chat_id=chat_id)
    if exact is not None and any(o.id == exact.id for o in candidates):
        return [exact]
    key = name.replace(" ", "")
    hits = [o for o in candidates if any(key == n for n in _names(o))]
    if not hits:
        hits = [o for o in candidates if any(key in n or (n in key and len(n) >= 2) for n in _names(o))]
    if not hits and exact is not None:
        return [exact]
    return hits


def choice_buttons(command: str, offices: list[Any], year: int | None) -> InlineKeyboardMarkup:
    """Buttons that re-run ``command`` for one office: callback ``cmd:<command>:<office_id>:<year>``."""
    rows = [
        [InlineKeyboardButton(o.name, callback_data=f"cmd:{command}:{o.id}:{'' if year is None else year}")]
        for o in offices[:8]
    ]
    return InlineKeyboardMarkup(rows)
