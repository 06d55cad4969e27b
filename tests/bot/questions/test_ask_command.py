"""``nianbao ask`` through ``bot.cli.main``: the bot's text on stdout, exit 0 answered / 3 not understood."""

from __future__ import annotations

import asyncio

import pytest

from bot.cli import main
from bot.validation import validate
from storage import repo
from storage.db import Database
from tests.support.factories import make_report


def _fill(url: str, chat: int) -> None:
    async def run() -> None:
        db = Database(url)
        try:
            for seed, name, short in ((1, "富阳区鹿山街道", "鹿山"), (2, "铁岭市银州区红旗街", "红旗"),
                                      (3, "示范区红旗街道", "红旗")):
                report = make_report(seed, office=name, short_name=short, year=2021)
                validate(report)
                await repo.store_report(db, chat_id=chat, report=report)
        finally:
            await db.close()

    asyncio.run(run())


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    _fill(sqlite_url, 0)  # the default local workspace, as `nianbao import` uses
    _fill(sqlite_url, -100777)
    return sqlite_url


def test_ask_prints_the_answer_and_exits_0(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    n = int(make_report(1, office="富阳区鹿山街道", short_name="鹿山", year=2021).t3("new_received"))
    assert main(["ask", "鹿山2021年收到多少申请？", "--today", "2022-02-15"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{n}件"
    assert "富阳区鹿山街道" in out[1] and "2021" in out[1]
    assert main(["ask", "How", "many", "applications", "did", "Lushan", "receive?", "--chat", "-100777"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == str(n)


def test_ask_not_understood_exits_3(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "今天天气怎么样"]) == 3
    out = capsys.readouterr().out
    assert "没看懂" in out and out.count("•") == 3


def test_ask_back_prints_numbered_choices(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "红旗申请多少"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line[:3] for line in out[1:]] == ["1. ", "2. "]
    assert {line[3:] for line in out[1:]} == {"示范区红旗街道", "铁岭市银州区红旗街"}


def test_ask_on_an_unmigrated_database_explains(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{(tmp_path / 'empty.db').as_posix()}")
    assert main(["ask", "鹿山申请多少"]) == 1
    assert "nianbao db upgrade" in capsys.readouterr().err
