"""``nianbao import`` and ``nianbao db upgrade/status`` (bot/commands/store.py) on real seed reports."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from storage import repo
from storage.db import Database

SEEDS = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))
LUSHAN = next(p for p in SEEDS if p.name.startswith("001_"))


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{(tmp_path / 'data' / 'nianbao.db').as_posix()}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return url


def _reports(url: str, chat_id: int | None) -> list:
    async def go() -> list:
        db = Database(url)
        try:
            return await repo.list_reports(db, chat_id=chat_id)
        finally:
            await db.close()

    return asyncio.run(go())


def test_db_status_and_upgrade(db_env: str, capsys: pytest.CaptureFixture[str]):
    assert main(["db", "status"]) == 1
    assert "nianbao db upgrade" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "已升级" in capsys.readouterr().out
    assert main(["db", "status"]) == 0
    assert capsys.readouterr().out.startswith("current")


def test_import_seeds_into_local_workspace(db_env: str, capsys: pytest.CaptureFixture[str]):
    code = main(["import", *map(str, SEEDS)])
    out = capsys.readouterr().out
    assert code == 1  # 青石山 has a blank-table error (T3-05), the rest only warnings
    assert "富阳区鹿山街道 2021年度" in out and "新收3件" in out
    stored = _reports(db_env, 0)
    assert len(stored) == 5
    assert {s.workspace_chat_id for s in stored} == {0}

    assert main(["import", str(LUSHAN)]) == 0  # warnings only → 0, and a duplicate now
    assert "该文件已收到过" in capsys.readouterr().out
    assert len(_reports(db_env, 0)) == 5


def test_import_into_a_chat_and_bad_files(db_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["import", str(LUSHAN), "--chat", "-100200"]) == 0
    assert [s.office.name for s in _reports(db_env, -100200)] == ["富阳区鹿山街道"]
    assert _reports(db_env, 0) == []
    capsys.readouterr()

    assert main(["import", str(tmp_path / "missing.docx")]) == 2
    assert "无法打开文件" in capsys.readouterr().out
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert main(["import", str(junk)]) == 2
    out = capsys.readouterr().out
    assert out.startswith("❌ junk.pdf") and "ING-" in out and "Traceback" not in out
