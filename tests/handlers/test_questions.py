"""Questions: every text in private; in a group only when mentioned, replied to, or with /ask."""

from __future__ import annotations

from storage import repo
from tests.handlers.test_app import store
from tests.support.fake_telegram import BOT_USERNAME

GROUP = -100321
QUESTION = "鹿山2021年收到多少申请？"


async def new_received(db, chat_id: int) -> str:
    """The 本年新收·总计 of the stored 鹿山 report, as the bot would print it."""
    [stored] = await repo.list_reports(db, chat_id=chat_id)
    report = await repo.load_report(db, report_id=stored.id)
    return str(int(report.t3("new_received")))


async def test_private_text_is_a_question(harness):
    tg, db = harness.tg, harness.db
    chat = tg.private(31)
    await store(db, chat)
    await tg.send_text(chat, QUESTION)
    [answer] = await tg.wait_messages(chat, 1)
    assert f"{await new_received(db, chat)}件" in answer["text"]


async def test_group_answers_only_when_addressed(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[1])
        await store(db, GROUP)
        number = await new_received(db, GROUP)
        await tg.send_text(GROUP, QUESTION, user_id=2)  # ordinary group talk: ignored
        await tg.send_text(GROUP, f"@{BOT_USERNAME} {QUESTION}", user_id=2)
        [first] = await tg.wait_messages(GROUP, 1)
        assert f"{number}件" in first["text"]
        await tg.send_text(GROUP, "那2021年办结多少？", user_id=3, reply_to=first["message_id"])
        await tg.send_command(GROUP, "ask", QUESTION, user_id=4)
        messages = await tg.wait_messages(GROUP, 3)
        assert len(messages) == 3
        assert f"{number}件" in messages[2]["text"]
        await tg.send_command(GROUP, "ask", user_id=4)
        messages = await tg.wait_messages(GROUP, 4)
        assert messages[3]["text"].startswith("用法")
        # 「收到，谢谢」 under the bot's answer thanks it: no reply (read as 收到 it was the chat's total)
        await tg.send_text(GROUP, "收到，谢谢", user_id=3, reply_to=first["message_id"])
        await tg.send_text(GROUP, f"@{BOT_USERNAME} 好的", user_id=3)
        await tg.send_text(GROUP, f"@{BOT_USERNAME} 鹿山的报告合格吗", user_id=2)  # handled in order: after them
        messages = await tg.wait_messages(GROUP, 5)
        assert len(messages) == 5 and "通过" in messages[4]["text"], [m["text"] for m in messages]


async def test_ambiguous_office_question_offers_buttons(harness):
    tg, db = harness.tg, harness.db
    chat = tg.private(32)
    await store(db, chat, office="富阳区鹿山街道", short_name="鹿山")
    await store(db, chat, seed=3, office="临安区鹿山镇", short_name="鹿山镇", kind="乡镇")
    await tg.send_text(chat, "鹿山收到多少申请")
    [question] = await tg.wait_messages(chat, 1)
    keyboard = (question.get("reply_markup") or {}).get("inline_keyboard")
    assert keyboard, question["text"]
    buttons = [b for row in keyboard for b in row]
    pick = next(b for b in buttons if b["text"] == "临安区鹿山镇")
    await tg.press(chat, question["message_id"], pick["callback_data"])
    messages = await tg.wait_messages(chat, 2)
    [stored] = [r for r in await repo.list_reports(db, chat_id=chat) if r.office.name == "临安区鹿山镇"]
    report = await repo.load_report(db, report_id=stored.id)
    assert f"{int(report.t3('new_received'))}件" in messages[-1]["text"]


async def test_expired_choice_button_is_explained(harness):
    tg = harness.tg
    chat = tg.private(33)
    await tg.send_command(chat, "help")
    [msg] = await tg.wait_messages(chat, 1)
    await tg.press(chat, msg["message_id"], "pick:999:0")
    await tg.wait_calls("answerCallbackQuery")
    assert "过期" in tg.calls_to("answerCallbackQuery")[-1].params["text"]


# -- issue 24: ask back with buttons, say a guess, name an unnamed report ------------------------------


async def test_part_of_a_name_in_two_offices_asks_back_and_a_button_answers(harness):
    tg, db = harness.tg, harness.db
    chat = tg.private(34)
    await store(db, chat, office="临安区青山湖街道", short_name="青山湖")
    await store(db, chat, seed=3, office="临安区锦城街道", short_name="锦城")
    await tg.send_text(chat, "临安收到多少申请")
    [question] = await tg.wait_messages(chat, 1)
    assert "哪一个" in question["text"]
    buttons = [b for row in question["reply_markup"]["inline_keyboard"] for b in row]
    assert sorted(b["text"] for b in buttons) == ["临安区锦城街道", "临安区青山湖街道"]
    pick = next(b for b in buttons if b["text"] == "临安区锦城街道")
    await tg.press(chat, question["message_id"], pick["callback_data"])
    messages = await tg.wait_messages(chat, 2)
    [stored] = [r for r in await repo.list_reports(db, chat_id=chat) if r.office.name == "临安区锦城街道"]
    report = await repo.load_report(db, report_id=stored.id)
    assert messages[-1]["text"].startswith(f"{int(report.t3('new_received'))}件")
    assert "临安区锦城街道" in messages[-1]["text"]


async def test_a_near_miss_name_is_answered_for_the_office_it_guessed_and_says_so(harness):
    tg, db = harness.tg, harness.db
    chat = tg.private(35)
    await store(db, chat)
    number = await new_received(db, chat)
    await tg.send_text(chat, "六山收到多少申请")
    [answer] = await tg.wait_messages(chat, 1)
    first, second = answer["text"].splitlines()[:2]
    assert first == "按“富阳区鹿山街道”回答："
    assert second == f"{number}件"


async def test_a_question_nothing_answers_is_not_answered_with_a_summary(harness):
    tg, db = harness.tg, harness.db
    chat = tg.private(36)
    await store(db, chat)
    await tg.send_text(chat, "鹿山2021年主动公开多少")
    [answer] = await tg.wait_messages(chat, 1)
    assert answer["text"].startswith("没看懂")
    assert "最接近的问法：鹿山2021年收到多少申请？" in answer["text"]
    assert "新收申请" not in answer["text"]  # not the report's summary
