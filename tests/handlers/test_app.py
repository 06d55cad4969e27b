"""The application as a whole: start-up, the gate, Telegram's errors, restarts, the error handler."""

from __future__ import annotations

import re

import pytest
from telegram import Update

from bot.app import build_application, check_schema
from bot.report import Finding
from storage import repo
from tests.handlers.conftest import GLOBAL_ADMIN, settings_for
from tests.support.factories import make_report
from tests.support.fake_telegram import FakeTelegram, polling

CJK = re.compile(r"[\u4e00-\u9fff]")


async def store(db, chat_id: int, **kw):
    """Put a correct report (with one warning) into a chat, as ingest would."""
    report = make_report(**kw)
    report.findings = [Finding("T3-05", "warning", "表3有2个空白单元格", "表3 （一）予以公开")]
    return await repo.store_report(db, chat_id=chat_id, report=report, sender_id=1)


async def test_post_init_sets_chinese_command_menu(harness):
    calls = await harness.tg.wait_calls("setMyCommands")
    commands = calls[0].params["commands"]
    names = [c["command"] for c in commands]
    for name in ("start", "help", "ask", "reports", "report", "errors", "roster", "delete", "restore"):
        assert name in names
    assert len(names) == len(set(names))
    assert all(CJK.search(c["description"]) for c in commands)


async def test_help_in_private(harness):
    tg = harness.tg
    await tg.send_command(tg.private(7), "help")
    [reply] = await tg.wait_messages(7, 1)
    assert "/reports" in reply["text"] and "年报" in reply["text"]
    assert "BotFather" not in reply["text"]


async def test_start_in_group_explains_privacy_mode_when_blind(start_bot, sqlite_db):
    async with FakeTelegram(can_read_all_group_messages=False) as tg, start_bot(tg):
        blind = tg.group(-1001, admins=[1])
        seeing = tg.group(-1002, admins=[1], bot_admin=True)
        await tg.send_command(blind, "start", user_id=5)
        await tg.send_command(seeing, "start", user_id=5)
        [blind_reply] = await tg.wait_messages(blind, 1)
        [seeing_reply] = await tg.wait_messages(seeing, 1)
    assert "@BotFather" in blind_reply["text"] and "/setprivacy" in blind_reply["text"]
    assert "管理员" in blind_reply["text"]
    assert "BotFather" not in seeing_reply["text"]


async def test_same_update_twice_is_processed_once(start_bot):
    async with start_bot(sequential=True) as harness:
        tg, app = harness.tg, harness.app
        chat = tg.private(8)
        await tg.wait_calls("setMyCommands")
        payload = {"update_id": 5000, "message": {
            "message_id": 900, "date": 1700000000, "chat": tg.chats[chat], "from": tg.user(8),
            "text": "/help", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
        await app.update_queue.put(Update.de_json(payload, app.bot))
        await app.update_queue.put(Update.de_json(payload, app.bot))
        await tg.send_command(chat, "reports")  # a later update, to know both were handled
        await tg.wait_for(lambda: any("还没有" in t for t in tg.texts(chat)))
        assert sum("/reports" in t and "年报" in t for t in tg.texts(chat)) == 1


async def test_chat_not_allowed_gets_nothing_processed(start_bot):
    async with start_bot(sequential=True, NIANBAO_ALLOWED_CHATS="-1001") as h:
        tg = h.tg
        tg.group(-1001, admins=[1])
        stranger = tg.group(-1009, admins=[1])
        await tg.send_document(stranger, "鹿山.docx", b"PK\x03\x04 not really", user_id=1)
        await tg.send_command(stranger, "reports", user_id=1)
        await tg.send_command(-1001, "help", user_id=1)
        await tg.wait_messages(-1001, 1)
        assert tg.texts(stranger) == []
        assert tg.calls_to("getFile") == [] and tg.calls_to("download") == []
        # a private chat of someone not allowed is told politely, once
        await tg.send_text(tg.private(55), "鹿山2021年收到多少申请")
        [refusal] = await tg.wait_messages(55, 1)
        assert "指定" in refusal["text"]
        # a global admin may use the bot in private
        await tg.send_command(tg.private(GLOBAL_ADMIN), "help")
        [help_text] = await tg.wait_messages(GLOBAL_ADMIN, 1)
        assert "/reports" in help_text["text"]


async def test_oversized_file_is_refused_before_download(harness):
    tg = harness.tg
    chat = tg.private(9)
    await tg.send_document(chat, "大文件.pdf", b"%PDF-1.4 tiny", file_size=25 * 1024 * 1024)
    [reply] = await tg.wait_messages(chat, 1)
    assert "20 MB" in reply["text"] and "25.0" in reply["text"]
    assert tg.calls_to("getFile") == [] and tg.calls_to("download") == []


async def test_flood_limit_429_is_retried(harness):
    tg = harness.tg
    chat = tg.private(10)
    tg.fail("sendMessage", 429, retry_after=1, chat_id=chat)
    await tg.send_command(chat, "help")
    [reply] = await tg.wait_messages(chat, 1)
    assert "/reports" in reply["text"]
    sends = [c for c in tg.calls_to("sendMessage") if c.params["chat_id"] == chat]
    assert len(sends) == 2  # the refused one and the retry


async def test_forbidden_marks_chat_inactive(start_bot):
    async with start_bot(sequential=True) as harness:
        tg, db = harness.tg, harness.db
        group = tg.group(-1003, admins=[1])
        await tg.send_command(group, "help", user_id=1)
        await tg.wait_messages(group, 1)
        assert group in await repo.list_workspaces(db, active_only=True)
        tg.fail("sendMessage", 403, chat_id=group, times=5)  # the bot was removed from the group
        await tg.send_command(group, "help", user_id=1)
        await tg.send_command(tg.private(12), "help")  # processed after the failing one
        await tg.wait_messages(12, 1)
        assert group not in await repo.list_workspaces(db, active_only=True)
        assert tg.texts(group) and len(tg.texts(group)) == 1  # no apology into a chat that refuses us


async def test_group_upgraded_to_supergroup_keeps_its_reports(start_bot):
    async with start_bot(sequential=True) as harness:
        tg, db = harness.tg, harness.db
        old, new = -5001, -1005001
        tg.group(old, admins=[1])
        await store(db, old)
        await tg.migrate(old, new)
        await tg.wait_confirmed()
        await tg.send_command(new, "reports", user_id=1)
        [reply] = await tg.wait_messages(new, 1)
        assert "鹿山" in reply["text"] and "2021" in reply["text"]
        assert await repo.list_reports(db, chat_id=old) == []


@pytest.mark.bot_error
async def test_unexpected_error_gets_short_apology_with_id(harness, monkeypatch):
    tg = harness.tg

    async def broken(*args, **kwargs):
        raise RuntimeError("database exploded")

    monkeypatch.setattr(repo, "list_reports", broken)
    await tg.send_command(tg.private(11), "reports")
    [reply] = await tg.wait_messages(11, 1)
    assert re.search(r"编号 [0-9a-f]{6}", reply["text"])
    assert "Traceback" not in reply["text"] and "exploded" not in reply["text"]


async def test_restart_in_the_middle_keeps_data_and_offsets(start_bot, sqlite_db, tmp_path):
    async with FakeTelegram() as tg:
        chat = tg.group(-1006, admins=[1])
        async with start_bot(tg):
            await store(sqlite_db, chat)
            await tg.send_command(chat, "help", user_id=1)
            await tg.wait_messages(chat, 1)
        # the bot is down; a message arrives meanwhile
        await tg.send_command(chat, "reports", user_id=1)
        async with start_bot(tg):
            messages = await tg.wait_messages(chat, 2)
            await tg.send_command(chat, "errors", user_id=1)
            await tg.wait_messages(chat, 3)
    texts = [m["text"] for m in messages]
    assert sum("/reports" in t and "年报" in t for t in tg.texts(chat)) == 1  # /help not redelivered
    assert "鹿山" in texts[1]


async def test_build_requires_token(tmp_path, sqlite_db):
    tg = FakeTelegram()
    settings = settings_for(tg, tmp_path).model_copy(update={"telegram_bot_token": None})
    try:
        build_application(settings, db=sqlite_db)
    except ValueError as exc:
        assert "TELEGRAM_BOT_TOKEN" in str(exc)
    else:
        raise AssertionError("build_application accepted a missing token")


async def test_schema_check_refuses_an_empty_database(tmp_path):
    from storage.db import Database

    db = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        await check_schema(db)
    except RuntimeError as exc:
        assert "nianbao db upgrade" in str(exc)
    else:
        raise AssertionError("an empty database passed the schema check")
    finally:
        await db.close()


async def test_polling_helper_runs_a_bare_app():
    from telegram.ext import CommandHandler

    from tests.support.fake_telegram import bare_application

    async with FakeTelegram() as tg:
        app = bare_application(tg)

        async def pong(update, context):
            await update.effective_message.reply_text("pong")

        app.add_handler(CommandHandler("ping", pong))
        async with polling(app):
            await tg.send_command(tg.private(3), "ping")
            [reply] = await tg.wait_messages(3, 1)
    assert reply["text"] == "pong"


async def test_chat_migrated_error_when_sending_moves_the_data(start_bot):
    async with start_bot(sequential=True) as harness:
        tg, db = harness.tg, harness.db
        old, new = -6001, -1006001
        tg.group(old, admins=[1])
        await store(db, old)
        tg.fail("sendMessage", 400, chat_id=old, migrate_to_chat_id=new)
        await tg.send_command(old, "reports", user_id=1)
        await tg.send_command(tg.private(14), "help")
        await tg.wait_messages(14, 1)
        assert await repo.list_reports(db, chat_id=old) == []
        assert len(await repo.list_reports(db, chat_id=new)) == 1


async def test_bot_removed_from_group_deactivates_it(start_bot):
    async with start_bot(sequential=True) as harness:
        tg, db = harness.tg, harness.db
        group = tg.group(-1007, admins=[1])
        await tg.send_command(group, "help", user_id=1)
        await tg.wait_messages(group, 1)
        assert group in await repo.list_workspaces(db, active_only=True)
        member = {"status": "member", "user": tg.bot_user}
        await tg.push_update({"my_chat_member": {
            "chat": tg.chats[group], "from": tg.user(1), "date": 1700000000,
            "old_chat_member": member, "new_chat_member": {"status": "left", "user": tg.bot_user}}})
        await tg.send_command(tg.private(15), "help")
        await tg.wait_messages(15, 1)
        assert group not in await repo.list_workspaces(db, active_only=True)
