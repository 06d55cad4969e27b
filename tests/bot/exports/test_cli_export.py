"""``nianbao export`` writes the workbook/CSV from DATABASE_URL; empty and not-migrated databases exit cleanly."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.exports.xlsx import SHEET_SUMMARY
from storage import repo
from storage.db import Database, upgrade
from tests.support.factories import make_reports


async def _store(url: str) -> None:
    async with Database(url) as db:
        for r in make_reports(3):
            await repo.store_report(db, chat_id=-5, report=r)


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{(tmp_path / 'nb.db').as_posix()}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    return url


def test_export_xlsx_and_csv(db_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    upgrade(db_file)
    asyncio.run(_store(db_file))
    out = tmp_path / "out" / "汇总.xlsx"
    assert main(["export", "--year", "2021", "--out", str(out)]) == 0
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    names = [r[0] for r in wb[SHEET_SUMMARY].iter_rows(min_row=2, values_only=True)]
    assert len(names) == 4 and names[-1] == "合计"
    assert "已导出" in capsys.readouterr().err
    assert main(["export", "--format", "csv", "--chat", "-5"]) == 0  # default name, latest year
    data = (tmp_path / "年报汇总_2021.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "示范区" in data.decode("utf-8-sig")


def test_export_empty_and_unmigrated(db_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--year", "2021"]) == 2
    assert "nianbao db upgrade" in capsys.readouterr().err
    upgrade(db_file)
    assert main(["export", "--year", "2021"]) == 1
    assert "还没有2021年度年报" in capsys.readouterr().err
    assert main(["export", "--out", "x.pdf"]) == 2


def test_export_without_chat_never_adds_up_two_chats(db_file: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The same offices' reports in two chats: a workbook is one chat's, never the sum of both."""
    upgrade(db_file)
    asyncio.run(_store(db_file))

    async def second_chat() -> None:
        async with Database(db_file) as db:
            for r in make_reports(3):
                await repo.store_report(db, chat_id=-7, report=r)

    asyncio.run(second_chat())
    out = tmp_path / "all.xlsx"
    assert main(["export", "--year", "2021", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--chat -7（3 份）" in err and "--chat -5（3 份）" in err
    assert not out.exists()

    assert main(["export", "--year", "2021", "--out", str(out), "--chat", "-7"]) == 0
    assert "群 -7" in capsys.readouterr().err
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    names = [r[0] for r in wb[SHEET_SUMMARY].iter_rows(min_row=2, values_only=True)]
    assert len(names) == 4 and len(set(names)) == 4  # each office once, then 合计


def test_export_without_chat_names_the_only_chat(db_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    upgrade(db_file)
    asyncio.run(_store(db_file))
    assert main(["export", "--year", "2021"]) == 0
    assert "群 -5" in capsys.readouterr().err
