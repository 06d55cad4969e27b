"""Hostile chat input (issue 19): odd digits, huge ids, forged buttons, long texts, lying file sizes.

Every one gets a short Chinese reply (or a button answer) and no error in the log — the autouse
``no_unexpected_bot_errors`` fixture fails a test whose bot hit an exception. The command cases run
on SQLite and on PostgreSQL (``db``), where a 3,000-character title overflowed ``varchar(255)``.
"""

from __future__ import annotations

import pytest

from bot.questions.parse import MAX_QUESTION_CHARS
from handlers.questions import MAX_PENDING
from tests.handlers.conftest import seed_files

GROUP = -100777
ADMIN = 1
BIG = "9" * 20


async def _reply(tg, chat, n):
    return (await tg.wait_messages(chat, n))[-1]["text"]


@pytest.mark.parametrize(("command", "args", "want"), [
    ("deadline", ["取消", "①"], "阿拉伯数字"),
    ("apply", ["办结", "①"], "阿拉伯数字"),
    ("extend", ["①"], "阿拉伯数字"),
    ("deadline", ["取消", BIG], "数字太长"),
    ("deadline", ["取消", "9999999999"], "编号"),  # ten digits: past an int4 column
    ("apply", ["办结", BIG], "编号"),
    ("extend", [BIG], "数字太长"),
    ("deadline", ["提前", "14,7,①"], "阿拉伯数字"),
    ("deadline", ["1月15日", "提交" * 1500], "内容太长"),
    ("remind", ["明天", "9点", "交" * 3000], "内容太长"),
    ("roster", ["add", "街" * 300], "名称太长"),
])
async def test_bad_numbers_and_long_texts_get_a_clear_reply(start_bot, db, command, args, want):
    async with start_bot(db=db, sequential=True) as h:
        tg = h.tg
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_command(GROUP, command, *args, user_id=ADMIN)
        text = await _reply(tg, GROUP, 1)
        assert want in text and "Traceback" not in text and len(text) < 300


async def test_an_ordinary_deadline_and_id_still_work(start_bot, db):
    async with start_bot(db=db, sequential=True) as h:
        tg = h.tg
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_command(GROUP, "deadline", "取消", "3", user_id=ADMIN)
        assert "没有找到截止日 #3" in await _reply(tg, GROUP, 1)
        await tg.send_command(GROUP, "apply", "2026-12-01", "张三申请公开某文件，身份证号110101199001011234",
                              user_id=ADMIN)
        assert "已登记第1号申请" in await _reply(tg, GROUP, 2)  # an 18-digit number in a summary is fine
        await tg.send_command(GROUP, "extend", "第1号", user_id=ADMIN)
        assert "第1号" in await _reply(tg, GROUP, 3)


@pytest.mark.parametrize("data", [f"cmd:report:1:{BIG}", f"cmd:report:{BIG}:2021", "cmd:report:①:",
                                  "cmd:errors:1:2021:x", f"rem:cancel:{BIG}", "rem:cancel:٣"])
async def test_forged_button_data_is_answered_not_raised(start_bot, db, data):
    async with start_bot(db=db, sequential=True) as h:
        tg = h.tg
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_command(GROUP, "help", user_id=ADMIN)
        [message] = await tg.wait_messages(GROUP, 1)
        await tg.press(GROUP, message["message_id"], data, user_id=ADMIN)
        await tg.send_command(GROUP, "help", user_id=ADMIN)  # sequential: the press is done once this answers
        await tg.wait_messages(GROUP, 2)
        answers = [c.params.get("text", "") for c in tg.calls_to("answerCallbackQuery")]
        assert answers and all("失效" in a or "找不到" in a for a in answers), answers


async def test_a_long_question_is_refused_at_once(harness):
    tg = harness.tg
    chat = tg.private(31)
    await tg.send_text(chat, "1" * 4096)
    await tg.send_text(chat, "鹿山收到多少申请" * 100)
    first, second = [m["text"] for m in await tg.wait_messages(chat, 2)]
    assert "Your question is too long (4096 characters)" in first and str(MAX_QUESTION_CHARS) in first
    assert "问题太长" in second


async def test_pending_choices_are_bounded_like_pending_questions(start_bot, monkeypatch):
    import bot.questions
    from bot.questions.query import Answer

    async def ask_back(db, *, chat_id, text, today=None):  # an office name two offices share
        return Answer("您问的是哪一个单位？", "zh", True, ["富阳区鹿山街道", "临安区鹿山街道"])

    monkeypatch.setattr(bot.questions, "answer", ask_back)
    async with start_bot(sequential=True) as h:
        tg = h.tg
        chat = tg.private(32)
        for i in range(MAX_PENDING + 5):
            await tg.send_text(chat, f"鹿山{i}")
        await tg.wait_messages(chat, MAX_PENDING + 5)
        data = h.app.chat_data[chat]
        assert len(data["pending_choices"]) == len(data["pending_questions"]) == MAX_PENDING
        assert set(data["pending_choices"]) == set(data["pending_questions"])


async def test_a_download_that_lies_about_its_size_stops_at_20_mb(harness):
    tg = harness.tg
    chat = tg.private(33)
    big = b"0" * (20 * 1024 * 1024 + 10)
    await tg.send_document(chat, "小.txt", big, file_size=1000)  # the client claims 1 KB
    text = await _reply(tg, chat, 1)
    assert text.startswith("❌") and "20 MB" in text


async def test_a_truthful_small_file_still_downloads(harness):
    tg = harness.tg
    chat = tg.private(34)
    path = seed_files()[0]
    await tg.send_document(chat, "年报.txt", path.read_bytes(), file_size=None)
    assert (await _reply(tg, chat, 1))[0] in "✅⚠❌" and "20 MB" not in tg.texts(chat)[0]
