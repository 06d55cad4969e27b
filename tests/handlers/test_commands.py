"""Chat commands over stored reports: /reports /report /errors /roster /delete /restore and admin rights."""

from __future__ import annotations

from storage import repo
from tests.handlers.test_app import store
from tests.support.factories import make_report

GROUP = -100777
ADMIN, MEMBER = 1, 5


async def test_reports_lists_what_the_chat_holds(harness):
    tg, db = harness.tg, harness.db
    tg.group(GROUP, admins=[ADMIN])
    await store(db, GROUP)
    await store(db, GROUP, seed=2, office="富阳区五星街道", short_name="五星", year=2022)
    await tg.send_command(GROUP, "reports", user_id=MEMBER)
    [reply] = await tg.wait_messages(GROUP, 1)
    assert "共 2 份" in reply["text"]
    assert "⚠️ 鹿山 2021年" in reply["text"] and "五星 2022年" in reply["text"]


async def test_report_shows_summary_and_the_findings_button(harness):
    tg, db = harness.tg, harness.db
    tg.group(GROUP, admins=[ADMIN])
    await store(db, GROUP)
    await tg.send_command(GROUP, "report", "鹿山", "2021", user_id=MEMBER)
    [summary] = await tg.wait_messages(GROUP, 1)
    button = summary["reply_markup"]["inline_keyboard"][0][0]
    assert "查看全部问题" in button["text"]
    await tg.press(GROUP, summary["message_id"], button["callback_data"], user_id=MEMBER)
    messages = await tg.wait_messages(GROUP, 2)
    assert "T3-05" in messages[-1]["text"] and "表3有2个空白单元格" in messages[-1]["text"]
    assert tg.calls_to("answerCallbackQuery")


async def test_findings_button_of_another_chat_shows_nothing(harness):
    tg, db = harness.tg, harness.db
    tg.group(GROUP, admins=[ADMIN])
    result = await store(db, -100888)
    await tg.send_command(GROUP, "help", user_id=MEMBER)
    [msg] = await tg.wait_messages(GROUP, 1)
    await tg.press(GROUP, msg["message_id"], f"findings:{result.report.id}", user_id=MEMBER)
    await tg.wait_calls("answerCallbackQuery")
    assert "找不到" in tg.calls_to("answerCallbackQuery")[-1].params["text"]
    assert len(tg.texts(GROUP)) == 1


async def test_report_unknown_office_and_usage(harness):
    tg = harness.tg
    tg.group(GROUP, admins=[ADMIN])
    await tg.send_command(GROUP, "report", user_id=MEMBER)
    await tg.send_command(GROUP, "report", "不存在的单位", user_id=MEMBER)
    messages = await tg.wait_messages(GROUP, 2)
    texts = sorted(m["text"] for m in messages)
    assert any(t.startswith("用法") for t in texts)
    assert any("没有找到单位「不存在的单位」" in t for t in texts)


async def test_ambiguous_office_asks_with_buttons(harness):
    tg, db = harness.tg, harness.db
    tg.group(GROUP, admins=[ADMIN])
    await store(db, GROUP, office="富阳区鹿山街道", short_name="鹿山")
    await store(db, GROUP, seed=3, office="临安区鹿山镇", short_name="鹿山镇", kind="乡镇")
    await tg.send_command(GROUP, "report", "鹿山", "2021", user_id=MEMBER)
    [question] = await tg.wait_messages(GROUP, 1)
    buttons = [b for row in question["reply_markup"]["inline_keyboard"] for b in row]
    assert {b["text"] for b in buttons} >= {"临安区鹿山镇"}
    assert "多个单位" in question["text"]
    pick = next(b for b in buttons if b["text"] == "临安区鹿山镇")
    await tg.press(GROUP, question["message_id"], pick["callback_data"], user_id=MEMBER)
    messages = await tg.wait_messages(GROUP, 2)
    assert "临安区鹿山镇 2021年" in messages[-1]["text"]


async def test_errors_lists_reports_with_problems(harness):
    tg, db = harness.tg, harness.db
    tg.group(GROUP, admins=[ADMIN])
    await store(db, GROUP)
    clean = make_report(seed=4, office="富阳区东湖街道", short_name="东湖")
    await repo.store_report(db, chat_id=GROUP, report=clean)
    await tg.send_command(GROUP, "errors", user_id=MEMBER)
    [reply] = await tg.wait_messages(GROUP, 1)
    assert "鹿山" in reply["text"] and "东湖" not in reply["text"]
    await tg.send_command(GROUP, "errors", "鹿山", "2021", user_id=MEMBER)
    messages = await tg.wait_messages(GROUP, 2)
    assert "T3-05" in messages[-1]["text"]


async def test_non_admin_cannot_delete_admin_can_and_restore(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[ADMIN])
        await store(db, GROUP)
        await tg.send_command(GROUP, "delete", "鹿山", "2021", user_id=MEMBER)
        [refusal] = await tg.wait_messages(GROUP, 1)
        assert "只有本群管理员" in refusal["text"]
        assert len(await repo.list_reports(db, chat_id=GROUP)) == 1
        await tg.send_command(GROUP, "delete", "鹿山", "2021", user_id=ADMIN)
        messages = await tg.wait_messages(GROUP, 2)
        assert "已删除" in messages[-1]["text"]
        assert await repo.list_reports(db, chat_id=GROUP) == []
        await tg.send_command(GROUP, "restore", "鹿山", "2021", user_id=ADMIN)
        messages = await tg.wait_messages(GROUP, 3)
        assert "已恢复" in messages[-1]["text"]
        assert len(await repo.list_reports(db, chat_id=GROUP)) == 1
        assert len(tg.calls_to("getChatAdministrators")) == 1  # cached between the three commands


async def test_global_admin_may_delete_in_any_group(harness):
    tg, db = harness.tg, harness.db
    tg.group(GROUP, admins=[ADMIN])
    await store(db, GROUP)
    await tg.send_command(GROUP, "delete", "鹿山", "2021", user_id=999)
    [reply] = await tg.wait_messages(GROUP, 1)
    assert "已删除" in reply["text"]


async def test_roster_add_show_remove(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_command(GROUP, "roster", "add", "富阳区鹿山街道、富阳区五星街道", user_id=MEMBER)
        [refusal] = await tg.wait_messages(GROUP, 1)
        assert "只有本群管理员" in refusal["text"]
        assert await repo.roster(db, chat_id=GROUP) == []
        await tg.send_command(GROUP, "roster", "add", "富阳区鹿山街道、富阳区五星街道", user_id=ADMIN)
        await tg.wait_messages(GROUP, 2)
        assert {o.name for o in await repo.roster(db, chat_id=GROUP)} == {"富阳区鹿山街道", "富阳区五星街道"}
        await store(db, GROUP)
        await tg.send_command(GROUP, "roster", "2021", user_id=MEMBER)  # the stored report's year
        messages = await tg.wait_messages(GROUP, 3)
        shown = messages[-1]["text"]
        assert "已交 富阳区鹿山街道" in shown and "未交 富阳区五星街道" in shown
        await tg.send_command(GROUP, "roster", "remove", "富阳区五星街道", user_id=ADMIN)
        messages = await tg.wait_messages(GROUP, 4)
        assert "已从名单移除" in messages[-1]["text"]
        assert [o.name for o in await repo.roster(db, chat_id=GROUP)] == ["富阳区鹿山街道"]


async def test_unknown_command_points_to_help(harness):
    tg = harness.tg
    await tg.send_command(tg.private(13), "frobnicate")
    [reply] = await tg.wait_messages(13, 1)
    assert "/help" in reply["text"]


async def test_anonymous_group_admin_counts_as_admin(harness):
    tg, db = harness.tg, harness.db
    chat = tg.group(GROUP, admins=[ADMIN])
    await store(db, GROUP)
    update = await tg.send_command(chat, "delete", "鹿山", "2021", user_id=1087968824)
    assert update["message"]["from"]["id"] == 1087968824
    # what Telegram sends for an anonymous admin: sender_chat is the group itself
    anonymous = await tg.push_update({"message": {**update["message"], "message_id": 4242,
                                                  "sender_chat": tg.chats[chat]}})
    assert anonymous["update_id"] != update["update_id"]
    messages = await tg.wait_messages(GROUP, 2)
    texts = sorted(m["text"] for m in messages)
    assert any("已删除" in t for t in texts) and any("只有本群管理员" in t for t in texts)
