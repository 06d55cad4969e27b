"""A rate whose denominator is 0 reads as a sentence in English (was 「disclosure rate no rate」)."""

from __future__ import annotations

from datetime import date

from bot.questions import answer
from bot.report import Value
from bot.validation import validate
from storage import repo
from tests.support.factories import make_report

CHAT = -4343


async def test_a_quiet_office_overview_in_english(db) -> None:
    quiet = make_report(5, office="富阳区鹿山街道", short_name="鹿山", year=2021)
    for row in quiet.applications.values():
        for i in range(len(row)):
            row[i] = Value(0, "0")
    validate(quiet)
    await repo.store_report(db, chat_id=CHAT, report=quiet)
    en = await answer(db, chat_id=CHAT, text="Lushan 2021", today=date(2022, 2, 15))
    assert "no rate" not in en.text, en.text
    assert "disclosure rate n/a (denominator is 0)" in en.text, en.text
    zh = await answer(db, chat_id=CHAT, text="鹿山2021", today=date(2022, 2, 15))
    assert "公开率 无法计算（分母为0）" in zh.text, zh.text
