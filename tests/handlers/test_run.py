"""``nianbao run`` without a token, on a database that is behind, and ``nianbao console`` scripted."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import signal
import subprocess
import sys
import zipfile

import pytest

from bot.cli import main
from bot.console import console_session
from storage import repo
from storage.db import Database
from tests.handlers.conftest import EXAMPLES, settings_for
from tests.support.fake_telegram import FakeTelegram


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No token, no .env, a private data directory."""
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "NIANBAO_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))


def test_run_without_token_explains_and_validates_the_examples(clean_env, capsys):
    assert main(["run"]) == 0
    out = capsys.readouterr().out
    first, second = out.splitlines()[:2]
    assert "TELEGRAM_BOT_TOKEN" in first and "@BotFather" in first
    assert ".env" in second
    for path in sorted(EXAMPLES.glob("*.txt")):
        assert path.name in out
    assert "青石山" in out and "鹿山" in out and "红旗" in out
    assert "nianbao console" in out
    assert "Traceback" not in out


def test_run_refuses_a_database_that_is_behind(clean_env, monkeypatch, tmp_path, capsys):
    from storage.db import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001_initial")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:NOT-USED")
    assert main(["run"]) == 2
    assert "nianbao db upgrade" in capsys.readouterr().out


async def test_console_chats_with_the_real_handlers(tmp_path):
    said: list[str] = []
    seed = sorted(EXAMPLES.glob("*.txt"))[1]

    async def lines():
        for line in ["/help", f"/send {seed}", "/press 1", "鹿山2021年收到多少申请？", "/send nowhere.docx", "/quit",
                     "/help"]:
            yield line

    settings = settings_for(FakeTelegram(), tmp_path)
    assert await console_session(settings, lines=lines(), echo=said.append) == 0
    text = "\n".join(said)
    assert "/reports" in text  # /help
    assert "富阳区鹿山街道 2021年度" in text  # the verdict
    assert "[1] 查看全部问题" in text and "共 " in text  # the button, then the pressed list
    assert "3件" in text  # the answer
    assert "找不到文件" in text
    assert text.count("常用命令") == 1  # nothing after /quit


async def _start_nianbao_run(tg: FakeTelegram, tmp_path) -> asyncio.subprocess.Process:
    """``nianbao run`` as its own process, pointed at the fake Bot API, on a fresh SQLite file."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "TELEGRAM_API_FILE_URL": tg.file_url,
        "NIANBAO_DATA_DIR": str(tmp_path / "data"),
        "NIANBAO_SCHEDULER": "false",
    }
    env.pop("DATABASE_URL", None)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )


async def test_nianbao_run_polls_answers_and_stops_on_sigterm(tmp_path):
    async with FakeTelegram() as tg:
        proc = await _start_nianbao_run(tg, tmp_path)
        try:
            await tg.send_command(tg.private(61), "help")
            [reply] = await tg.wait_messages(61, 1, timeout=60)
            assert "/reports" in reply["text"]
        finally:
            proc.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, output.decode()
    assert "Traceback" not in output.decode()
    assert (tmp_path / "data" / "nianbao.db").exists()  # schema created on first start


def test_nianbao_console_as_a_user_runs_it_parses_in_its_worker_pool(tmp_path):
    """The real ``nianbao console`` process, stdin piped: a file goes through the parse workers (a
    forkserver started by this process, not by pytest) and comes back as a verdict, then a question."""
    seed = sorted(EXAMPLES.glob("*.txt"))[1]
    env = {**os.environ, "NIANBAO_DATA_DIR": str(tmp_path / "data")}
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "NIANBAO_WEBHOOK_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console"], cwd=tmp_path, env=env, timeout=120,
        input=f"/send {seed}\n鹿山收到多少申请\n/quit\n", capture_output=True, text=True,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "⚠️ 富阳区鹿山街道 2021年度" in out and "新收3件" in out, out
    assert "3件\n" in out and "表3 本年新收·总计" in out, out
    assert "Traceback" not in out and "leaked" not in out, out


async def test_sigterm_during_a_zip_batch_finishes_it_before_exiting(tmp_path):
    """Shutdown waits for an in-flight upload: the batch is stored and its summary sent, then exit 0."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(EXAMPLES.glob("*.txt")):
            archive.writestr(path.name, path.read_bytes())
    async with FakeTelegram() as tg:
        proc = await _start_nianbao_run(tg, tmp_path)
        chat = tg.private(62)
        try:
            await tg.send_command(chat, "help")
            await tg.wait_messages(chat, 1, timeout=60)  # up and polling
            await tg.send_document(chat, "全区年报.zip", buffer.getvalue())
            await tg.wait_calls("getFile", timeout=30)  # the batch is in flight …
            proc.send_signal(signal.SIGTERM)  # … when the service manager stops the bot
            before = list(tg.texts(chat))
            output, _ = await asyncio.wait_for(proc.communicate(), 60)
        finally:
            if proc.returncode is None:
                proc.kill()
        texts = tg.texts(chat)
    assert not any("共" in t and "份" in t for t in before)  # the signal came mid-batch
    assert proc.returncode == 0, output.decode()
    assert any("共" in t and "份" in t for t in texts), texts  # the summary table was still sent
    db = Database(f"sqlite:///{tmp_path / 'data' / 'nianbao.db'}")
    try:
        assert len(await repo.list_reports(db, chat_id=chat)) == len(list(EXAMPLES.glob("*.txt")))
    finally:
        await db.close()


async def test_console_sends_every_file_of_a_folder(tmp_path):
    folder = tmp_path / "年报"
    folder.mkdir()
    seeds = sorted(EXAMPLES.glob("*.txt"))[:2]
    for path in seeds:
        shutil.copy(path, folder / path.name)
    (folder / ".DS_Store").write_bytes(b"\0")
    said: list[str] = []

    async def lines():
        for line in [f"/send {folder}", f"/send {tmp_path / 'empty'}", "/reports", "/chart"]:
            if "empty" in line:
                (tmp_path / "empty").mkdir()
            yield line

    settings = settings_for(FakeTelegram(), tmp_path)
    assert await console_session(settings, lines=lines(), echo=said.append) == 0
    text = "\n".join(said)
    assert "青石山街道办事处 2021年度" in text and "富阳区鹿山街道 2021年度" in text
    assert "文件夹里没有文件" in text
    assert "这里共 2 份报告" in text  # the hidden file was not sent
    chart = tmp_path / "data" / "console" / "图表_2021_applications.png"  # saved under the name it was sent as
    assert f"file saved: {chart}" in text and chart.read_bytes().startswith(b"\x89PNG")
