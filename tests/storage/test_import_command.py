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


# -- a report that names no office: --office, or the list of how to name it --------------------------------


def _unnamed_file(tmp_path: Path, name: str = "037.txt", variant: str = "") -> Path:
    from tests.bot.reading.test_office_names import unnamed_report

    path = tmp_path / name
    path.write_bytes(unnamed_report() + variant.encode())
    return path


def test_an_unnamed_report_is_listed_then_named_by_importing_it_again_with_office(
    db_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    unnamed = _unnamed_file(tmp_path)
    assert main(["import", str(unnamed), str(LUSHAN), "--chat", "-100300"]) == 0
    out = capsys.readouterr().out
    assert "❓ 有1份报告没有写明单位，请逐个命名：" in out
    assert f"  037.txt（2021年度）：nianbao import {unnamed} --office 单位全称 --chat -100300" in out
    names = sorted(s.office.name for s in _reports(db_env, -100300))
    assert names[0] == "富阳区鹿山街道" and names[1].startswith("未注明单位（037.txt")

    assert main(["import", str(unnamed), "--chat", "-100300", "--office", "临安区青山湖街道"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("✅ 已记为“临安区青山湖街道”的2021年度报告。\n⚠️ 临安区青山湖街道 2021年度")
    assert "没有写明单位" not in out
    stored = _reports(db_env, -100300)  # named, not stored a second time
    assert sorted(s.office.name for s in stored) == ["临安区青山湖街道", "富阳区鹿山街道"]


def test_office_runs_the_cross_year_rules_against_that_offices_last_report(
    db_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    from tests.handlers.test_unnamed import _last_year_carrying_forward

    assert main(["db", "upgrade"]) == 0

    async def store_2020() -> None:
        db = Database(db_env)
        try:
            await repo.store_report(db, chat_id=-100301, report=_last_year_carrying_forward(4))
        finally:
            await db.close()

    asyncio.run(store_2020())
    capsys.readouterr()
    code = main(["import", str(_unnamed_file(tmp_path)), "--chat", "-100301", "--office", "富阳区鹿山街道"])
    out = capsys.readouterr().out
    assert code == 1  # XY-01 is an error
    assert out.startswith("✅ 已记为“富阳区鹿山街道”的2021年度报告（并入本群已有的该单位）。\n❌ 富阳区鹿山街道 2021年度")
    assert "XY-01" in out
    assert [(s.office.name, s.year) for s in _reports(db_env, -100301)] == [("富阳区鹿山街道", 2020),
                                                                          ("富阳区鹿山街道", 2021)]


def test_office_is_refused_for_several_files_and_ignored_for_a_named_report(
    db_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    unnamed = _unnamed_file(tmp_path)
    assert main(["import", str(unnamed), str(LUSHAN), "--office", "临安区青山湖街道"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("--office 只能用于一个文件") and captured.out == ""
    assert main(["import", str(unnamed), "--office", "鹿"]) == 2
    assert "2到40个字" in capsys.readouterr().err
    assert not (tmp_path / "data" / "nianbao.db").exists() or _reports(db_env, 0) == []  # nothing stored

    assert main(["import", str(LUSHAN), "--office", "临安区青山湖街道"]) == 0
    out = capsys.readouterr().out
    assert "ℹ️ 未使用 --office：报告已有单位名称。" in out
    assert [s.office.name for s in _reports(db_env, 0)] == ["富阳区鹿山街道"]


def test_naming_also_checks_next_years_report_against_this_one(
    db_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """富阳区鹿山街道's 2022 report (上年结转 5) is stored first: it had no 2021 to compare with. Naming the
    unnamed 2021 report (结转下年度 0) checks 2022 against it: XY-01 there, and the answer says so."""
    from bot.reading import read_bytes
    from bot.report import Value
    from bot.validation import validate

    [result] = read_bytes("鹿山2022.txt", LUSHAN.read_bytes())
    next_year = result.report
    next_year.year, next_year.source.sha256 = 2022, "2022" * 16
    next_year.applications["carried_over"] = [Value(0)] * 6 + [Value(5)]
    validate(next_year)  # as on upload: no 2021 to compare with
    assert next_year.verdict == "有错误" and not any(f.code == "XY-01" for f in next_year.findings)
    errors_before = sum(f.severity == "error" for f in next_year.findings)
    assert main(["db", "upgrade"]) == 0

    async def store_2022() -> int:
        db = Database(db_env)
        try:
            return (await repo.store_report(db, chat_id=-100302, report=next_year)).report.id
        finally:
            await db.close()

    report_id = asyncio.run(store_2022())
    capsys.readouterr()
    assert main(["import", str(_unnamed_file(tmp_path)), "--chat", "-100302", "--office", "富阳区鹿山街道"]) == 0
    out = capsys.readouterr().out
    assert f"\n2022年度报告已与本报告核对：❌ 有错误，错误{errors_before + 1}项、警告" in out
    assert "（/report 鹿山 2022）。" in out

    async def findings() -> list:
        db = Database(db_env)
        try:
            return await repo.report_findings(db, report_id=report_id)
        finally:
            await db.close()

    [xy] = [f for f in asyncio.run(findings()) if f.code == "XY-01"]
    assert (xy.left, xy.right) == (5, 0)
