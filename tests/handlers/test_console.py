"""``nianbao console`` as a newcomer uses it: two sessions on one database, Ctrl-C, a behind database."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from bot.console import CONSOLE_CHAT_ID, console_session
from storage import repo
from storage.db import Database
from tests.handlers.conftest import EXAMPLES, settings_for
from tests.support.fake_telegram import FakeTelegram

LUSHAN = sorted(EXAMPLES.glob("*.txt"))[1]
QUESTION = "鹿山2021年收到多少申请？"


async def _session(settings, lines: list[str]) -> str:
    said: list[str] = []

    async def typed():
        for line in lines:
            yield line

    assert await console_session(settings, lines=typed(), echo=said.append) == 0
    return "\n".join(said)


async def test_a_second_console_session_on_the_same_database_answers(tmp_path):
    """The second session's updates are not taken for the first one's (processed update ids are stored)."""
    settings = settings_for(FakeTelegram(), tmp_path)
    first = await _session(settings, [f"/send {LUSHAN}", QUESTION])
    assert "富阳区鹿山街道 2021年度" in first and "3件" in first

    second = await _session(settings, [QUESTION, "/reports"])
    assert "3件" in second, second
    assert "共 1 份报告" in second, second

    third = await _session(settings, ["/help"])  # and a third, for good measure
    assert "/reports" in third

    db = Database(settings.db_url)
    try:  # all in the console's own workspace, the one its help names for the CLI
        assert [r.office.name for r in await repo.list_reports(db, chat_id=CONSOLE_CHAT_ID)] == ["富阳区鹿山街道"]
    finally:
        await db.close()
    assert f"--chat {CONSOLE_CHAT_ID}" in first


async def test_the_console_refuses_a_database_that_is_behind_like_run(tmp_path):
    from storage.db import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001_initial")
    settings = settings_for(FakeTelegram(), tmp_path, DATABASE_URL=url)
    said: list[str] = []

    async def typed():
        yield "/help"

    assert await console_session(settings, lines=typed(), echo=said.append) == 2
    assert "nianbao db upgrade" in "\n".join(said)
    db = Database(url)
    try:
        assert await db.schema_status() == "behind"  # not silently upgraded
    finally:
        await db.close()


async def test_ctrl_c_at_the_prompt_leaves_and_logs_stay_out_of_the_chat(tmp_path):
    env = {**os.environ, "NIANBAO_DATA_DIR": str(tmp_path / "data"), "NIANBAO_LOG_LEVEL": "INFO"}
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "NIANBAO_WEBHOOK_URL"):
        env.pop(name, None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "console", cwd=tmp_path, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        seen = b""
        while b"\xe4\xbd\xa0> " not in seen:  # the prompt 「你> 」: the console waits for a line
            chunk = await asyncio.wait_for(proc.stdout.read(256), 60)
            assert chunk, seen.decode()
            seen += chunk
        proc.send_signal(signal.SIGINT)
        rest, _ = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    out = (seen + rest).decode()
    assert proc.returncode == 0, out
    assert "Traceback" not in out, out
    assert " INFO " not in out, out  # log records go to the log file, not between the messages
    assert (tmp_path / "data" / "console.log").exists()


def test_run_with_a_token_but_no_network_is_one_clear_line(tmp_path, monkeypatch, capsys):
    import socket

    from bot.cli import main

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:NO-NETWORK")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{port}/bot")
    assert main(["run"]) == 2
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "连不上 Telegram" in out and "Traceback" not in out
    assert len(out.strip().splitlines()) <= 3, out


async def test_the_cli_points_to_the_console_workspace_and_reads_it(tmp_path, capsys):
    from bot.commands.ask import ask

    settings = settings_for(FakeTelegram(), tmp_path)
    await _session(settings, [f"/send {LUSHAN}"])
    capsys.readouterr()
    await ask(settings.db_url, QUESTION)  # the CLI's default workspace 0 holds nothing
    captured = capsys.readouterr()
    assert f"--chat {CONSOLE_CHAT_ID}" in captured.err
    assert await ask(settings.db_url, QUESTION, chat_id=CONSOLE_CHAT_ID) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("3件") and not captured.err
