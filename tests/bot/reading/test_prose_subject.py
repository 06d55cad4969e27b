"""Prose numbers are read with their subject (ProseNumber.who): whose applications, which year."""

from __future__ import annotations

import pytest

from bot.reading.meta import prose_numbers
from bot.schema import SECTIONS


def read(text: str, year: int = 2023) -> list[tuple[str, int, str]]:
    return [(p.kind, p.value, p.who) for p in prose_numbers({SECTIONS[0]: text}, [], year)
            if p.kind in ("received", "none_received", "processed", "granted")]


@pytest.mark.parametrize(("text", "expected"), [
    ("收到公民申请2件；未收到法人或其他组织申请。", [("received", 2, "natural"), ("none_received", 0, "legal")]),
    ("本年度未收到企业提出的政府信息公开申请，收到群众申请1件。",
     [("received", 1, "natural"), ("none_received", 0, "legal")]),
    ("全年共收到政府信息公开申请10件，其中自然人申请8件。", [("received", 10, "")]),
    ("共收到公民、法人和其他组织提出的政府信息公开申请6件。", [("received", 6, "")]),
    ("2022年收到申请3件，2023年收到申请5件。", [("received", 3, "year:2022"), ("received", 5, "")]),
    ("2023年，我局共收到政府信息公开申请4件。", [("received", 4, "")]),
    ("受理公民、法人和其他组织向市政府及市政府办公室提出的政府信息公开申请5件。", [("received", 5, "other")]),
    ("上年度予以公开5件。", [("granted", 5, "prev")]),
    ("本年度我单位未收到政府信息公开申请。", [("none_received", 0, "")]),
    ("今年未收到以法人名义提出的申请，收到个人申请3件，办结3件。",
     [("received", 3, "natural"), ("processed", 3, ""), ("none_received", 0, "legal")]),
])
def test_subjects(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert sorted(read(text)) == sorted(expected)
