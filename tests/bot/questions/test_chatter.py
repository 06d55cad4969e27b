"""Group chatter (「收到」「好的谢谢」 "ok thanks") is no question: flagged, so a group reply to the bot stays
unanswered, and never read as the 收到 row (which would give the chat's total)."""

from __future__ import annotations

import pytest

from bot.questions import answer
from storage.db import Database
from tests.bot.questions.conftest import CHAT, TODAY, Dataset

CHATTER = ("收到", "收到！", "收到，谢谢", "好的", "好的好的", "谢谢大家", "大家辛苦了", "明白了", "👍", "ok thanks", "thx",
           "got it", "Noted.")
QUESTIONS = ("收到多少", "好的，鹿山申请多少", "鹿山收到多少申请", "ok lushan apps", "申请？")


async def _ask(data: Dataset, text: str):
    db = Database(data.url)
    try:
        return await answer(db, chat_id=CHAT, text=text, today=TODAY)
    finally:
        await db.close()


@pytest.mark.parametrize("text", CHATTER)
async def test_an_acknowledgement_is_chatter_with_no_number(qa_data: Dataset, text: str) -> None:
    reply = await _ask(qa_data, text)
    assert reply.chatter and not reply.understood, reply
    assert not any(ch.isdigit() for ch in reply.text), reply.text


@pytest.mark.parametrize("text", QUESTIONS)
async def test_a_question_with_the_same_words_is_answered(qa_data: Dataset, text: str) -> None:
    reply = await _ask(qa_data, text)
    assert reply.understood and not reply.chatter, reply
    assert any(ch.isdigit() for ch in reply.text.splitlines()[0]), reply.text
