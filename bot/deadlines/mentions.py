"""Messages that mention people, split to stay within Telegram's limits (Telegram-free).

A reminder that names forty offices with two contacts each needs several messages:

* **4096 UTF-16 code units** per message text (Telegram counts — and entity offsets are — UTF-16 code
  units: an emoji outside the BMP is 2, a Chinese character 1). :func:`utf16_len` does that count.
* **Mentions that still notify.** Telegram notifies only the first few people mentioned in one message
  (observed ≈ 5: everyone-bot issue #3 "Telegram seems to stop caring for mentions after the first five",
  TelegramBots issue #706 "doesn't notify the people mentioned after the first 4-5"), so a part carries at
  most :data:`MAX_MENTIONS` mentions.
* 20 messages per minute per group is the limiter's job (bot/deadlines/limiter.py).

The people are :class:`storage.types.Contact` — the contacts bound to an office, the same type the
documents and the review use. A person with a ``@username`` is written as ``@username`` with a
``mention`` entity; one without is written as their name with a ``text_mention`` entity carrying the user
id (Bot API MessageEntity); one with neither (a report sender without an id) as their name alone.
Entities are plain Bot API dicts so this module stays free of ``telegram``; the sender turns them into
``telegram.MessageEntity``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from storage.types import Contact

MAX_UNITS = 4096
MAX_MENTIONS = 5
#: Units kept free in every part for the 「（续 2/3）」 prefix and a 【补发】 label added later.
RESERVED_UNITS = 32


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's message length and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Part:
    """One message: text, Bot API entity dicts and inline button rows ``[[label, callback_data], …]``."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[list[list[str]]] = field(default_factory=list)

    @property
    def mentions(self) -> int:
        return sum(1 for e in self.entities if e["type"] in ("mention", "text_mention"))

    def shifted(self, prefix: str) -> Part:
        """The same part with ``prefix`` in front (entity offsets moved by its UTF-16 length)."""
        n = utf16_len(prefix)
        return Part(prefix + self.text, [{**e, "offset": e["offset"] + n} for e in self.entities], self.buttons)


class Line:
    """A line being built from plain text and mentions; knows its UTF-16 length and entities."""

    def __init__(self, text: str = "") -> None:
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self.add(text)

    def add(self, text: str) -> Line:
        self.text += text
        return self

    def mention(self, person: Contact) -> Line:
        offset = utf16_len(self.text)
        if person.username:
            label = "@" + person.username
            self.entities.append({"type": "mention", "offset": offset, "length": utf16_len(label)})
        else:
            label = person.name
            if person.user_id is not None:
                self.entities.append({"type": "text_mention", "offset": offset, "length": utf16_len(label),
                                      "user": {"id": person.user_id, "is_bot": False, "first_name": label}})
        self.text += label
        return self

    @property
    def units(self) -> int:
        return utf16_len(self.text)

    @property
    def mentions(self) -> int:
        return len(self.entities)


def person_line(head: str, people: Sequence[Contact], tail: str = "", *, max_mentions: int = MAX_MENTIONS,
                continued: str = "（续）") -> list[Line]:
    """``head`` then each person mentioned, then ``tail``; more people than fit one part give more lines."""
    chunks = [list(people[i:i + max_mentions]) for i in range(0, len(people), max_mentions)] or [[]]
    lines = []
    for n, chunk in enumerate(chunks):
        line = Line(head if n == 0 else head.rstrip("：:") + continued + "：")
        for i, person in enumerate(chunk):
            if i:
                line.add(" ")
            line.mention(person)
        if n == len(chunks) - 1:
            line.add(tail)
        lines.append(line)
    return lines


def pack(lines: Sequence[Line], *, max_units: int = MAX_UNITS, max_mentions: int = MAX_MENTIONS,
         continuation: str = "（续 {n}/{total}）\n") -> list[Part]:
    """Pack lines (joined by new lines) into parts within ``max_units`` and ``max_mentions`` each.

    A line longer than a part on its own is cut (its entities kept only where whole). Every part after the
    first starts with ``continuation`` so the group sees the pieces belong together.
    """
    budget = max_units - RESERVED_UNITS
    groups: list[list[Line]] = [[]]
    units = mentions = 0
    for line in lines:
        line = _fit(line, budget)
        extra = line.units + (1 if groups[-1] else 0)
        if groups[-1] and (units + extra > budget or mentions + line.mentions > max_mentions):
            groups.append([])
            units = mentions = 0
            extra = line.units
        groups[-1].append(line)
        units += extra
        mentions += line.mentions
    parts = []
    for group in groups:
        text, entities = "", []
        for line in group:
            if text:
                text += "\n"
            base = utf16_len(text)
            entities += [{**e, "offset": e["offset"] + base} for e in line.entities]
            text += line.text
        parts.append(Part(text, entities))
    total = len(parts)
    return [p if n == 1 else p.shifted(continuation.format(n=n, total=total)) for n, p in enumerate(parts, 1)]


def _fit(line: Line, budget: int) -> Line:
    if line.units <= budget:
        return line
    cut = line.text.encode("utf-16-le")[: (budget - 1) * 2].decode("utf-16-le", errors="ignore") + "…"
    fitted = Line(cut)
    fitted.entities = [e for e in line.entities if e["offset"] + e["length"] <= utf16_len(cut) - 1]
    return fitted


__all__ = ["MAX_MENTIONS", "MAX_UNITS", "Line", "Part", "pack", "person_line", "utf16_len"]
