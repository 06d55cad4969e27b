"""/help, the command menu and the registered handlers agree: every command is declared once, by its module."""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.app import feature_modules
from handlers.menu import TASKS, declared


def answered_commands(app) -> set[str]:
    return {name for h in app.handlers.get(0, []) if isinstance(h, CommandHandler) for name in h.commands}


async def test_menu_help_and_handlers_list_the_same_commands(harness):
    tg, app = harness.tg, harness.app
    names = [c.name for c in declared(feature_modules())]
    assert len(names) == len(set(names)) >= 17
    assert set(names) == answered_commands(app)  # nothing answered but undeclared, nothing declared but dead

    [menu_call] = await tg.wait_calls("setMyCommands")
    assert [c["command"] for c in menu_call.params["commands"]] == names

    await tg.send_command(tg.private(7), "help")
    [reply] = await tg.wait_messages(7, 1)
    text = reply["text"]
    for name in names:
        assert f"/{name} " in text, name
    positions = [text.index(f"【{task}】") for task in TASKS]
    assert positions == sorted(positions)  # 收报告, 问数, 提醒, 导出, 管理
    # each command sits in its task's block
    assert text.index("/remind ") > text.index("【提醒】") > text.index("/ask ") > text.index("【问数】")


async def test_help_in_english_lists_the_same_commands(harness):
    tg = harness.tg
    tg.languages[8] = "en"
    await tg.send_command(tg.private(8), "help")
    [reply] = await tg.wait_messages(8, 1)
    assert "Commands by task" in reply["text"] and "【Reminders】" in reply["text"]
    for command in declared(feature_modules()):
        assert f"/{command.name} " in reply["text"]


async def test_console_send_without_a_file_asks_for_one(tmp_path, monkeypatch):
    from bot.console import console_session
    from tests.handlers.conftest import EXAMPLES, settings_for
    from tests.support.fake_telegram import FakeTelegram

    monkeypatch.chdir(EXAMPLES)  # a folder full of reports: a bare /send must not send them all
    said: list[str] = []

    async def typed():
        yield "/send"
        yield "/reports"

    assert await console_session(settings_for(FakeTelegram(), tmp_path), lines=typed(), echo=said.append) == 0
    text = "\n".join(said)
    assert "用法：/send 文件或文件夹" in text
    assert "还没有收到报告" in text
