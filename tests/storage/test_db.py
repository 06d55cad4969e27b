"""The database handle: URLs, SQLite settings, migrations and schema status, restarts, rollback."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import repo, reports
from storage.db import Database, async_url, head_revisions, sync_url, upgrade
from tests.support.factories import make_report


def test_urls_convert_between_sync_and_async():
    assert str(async_url("sqlite:///data/nianbao.db")) == "sqlite+aiosqlite:///data/nianbao.db"
    assert str(sync_url("sqlite+aiosqlite:///data/nianbao.db")) == "sqlite:///data/nianbao.db"
    assert str(async_url("postgresql+psycopg://u@h/db")) == "postgresql+psycopg://u@h/db"
    assert str(sync_url("postgresql://u@h/db")) == "postgresql+psycopg://u@h/db"
    with pytest.raises(ValueError):
        sync_url("mysql://u@h/db")


async def test_sqlite_creates_data_dir_and_sets_pragmas(tmp_path: Path):
    path = tmp_path / "deep" / "dir" / "nianbao.db"
    db = Database(f"sqlite:///{path.as_posix()}")
    try:
        assert path.parent.is_dir()
        async with db.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() >= 5000
    finally:
        await db.close()


async def test_schema_status_empty_then_current(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'n.db').as_posix()}"
    db = Database(url)
    try:
        assert await db.schema_status() == "empty"
        await db.upgrade()
        assert await db.schema_status() == "current"
        upgrade(url)  # running it again is harmless
        assert await db.schema_status() == "current"
    finally:
        await db.close()


async def _upgrade_from_first_revision(url: str) -> None:
    upgrade(url, "0001_initial")
    db = Database(url)
    try:
        if head_revisions() != {"0001_initial"}:
            assert await db.schema_status() == "behind"
        stored = await repo.store_report(db, chat_id=1, report=make_report(1))
        upgrade(url)
        assert await db.schema_status() == "current"
        again = await repo.list_reports(db, chat_id=1)
        assert [s.id for s in again] == [stored.report.id]  # data survives the upgrade
    finally:
        await db.close()


async def test_upgrade_from_previous_revision_sqlite(tmp_path: Path):
    await _upgrade_from_first_revision(f"sqlite:///{(tmp_path / 'n.db').as_posix()}")


@pytest.mark.postgres
async def test_upgrade_from_previous_revision_postgres(pg_empty_url: str):
    db = Database(pg_empty_url)
    try:
        assert await db.schema_status() == "empty"
    finally:
        await db.close()
    await _upgrade_from_first_revision(pg_empty_url)


async def test_behind_is_reported(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'n.db').as_posix()}"
    upgrade(url)
    db = Database(url)
    try:
        async with db.connect(write=True) as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '0001_initial'"))
        if head_revisions() != {"0001_initial"}:
            assert await db.schema_status() == "behind"
        async with db.connect(write=True) as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        assert await db.schema_status() == "ahead"
    finally:
        await db.close()


async def test_data_survives_close_and_a_new_process(db_url: str):
    db = Database(db_url)
    try:
        stored = (await repo.store_report(db, chat_id=77, report=make_report(5))).report
        await repo.roster_add(db, chat_id=77, name="富阳区银湖街道")
    finally:
        await db.close()

    db = Database(db_url)
    try:
        again = await repo.get_report(db, chat_id=77, office_id=stored.office.id, year=2021)
        assert again is not None and again.id == stored.id
        assert (await repo.load_report(db, report_id=stored.id)).t3("new_received") == make_report(5).t3(
            "new_received"
        )
    finally:
        await db.close()

    script = textwrap.dedent(
        f"""
        import asyncio
        from storage import repo
        from storage.db import Database
        async def main():
            db = Database({db_url!r})
            reports = await repo.list_reports(db, chat_id=77)
            roster = await repo.roster(db, chat_id=77)
            print(len(reports), reports[0].office.name, roster[0].name)
            await db.close()
        asyncio.run(main())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert out.stdout.split() == ["1", "富阳区鹿山街道", "富阳区银湖街道"]


async def test_failure_mid_store_rolls_everything_back(db, monkeypatch):
    await repo.store_report(db, chat_id=5, report=make_report(1))
    real_insert = reports.insert

    def failing_insert(table):
        if table is reports.F:  # the findings insert comes after report, office and cells
            raise RuntimeError("disk full")
        return real_insert(table)

    monkeypatch.setattr(reports, "insert", failing_insert)  # the module that stores reports
    broken = make_report(2, office="富阳区银湖街道")
    from bot.report import Finding

    broken.findings = [Finding("T3-05", "warning", "空白")]
    with pytest.raises(RuntimeError):
        await repo.store_report(db, chat_id=5, report=broken)
    monkeypatch.undo()

    assert [s.office.name for s in await repo.list_reports(db, chat_id=5, include_history=True)] == [
        "富阳区鹿山街道"
    ]
    assert await repo.resolve_office(db, name="富阳区银湖街道") is None  # the new office is gone too
    async with db.connect() as conn:
        cells = (await conn.execute(text("SELECT count(*) FROM report_cell"))).scalar()
    assert cells == len(make_report(1).cells())


async def test_concurrent_uploads_keep_exactly_one_current_version(db):
    reports = [make_report(seed) for seed in range(1, 7)]  # same office and year, different files
    results = await asyncio.gather(*(repo.store_report(db, chat_id=9, report=r) for r in reports))
    assert sorted(r.status for r in results).count("new") == 1
    history = await repo.report_history(db, chat_id=9, office_id=results[0].report.office.id, year=2021)
    assert len(history) == 6
    assert sum(h.is_current for h in history) == 1
    assert sorted(h.version for h in history) == [1, 2, 3, 4, 5, 6]
    assert len(await repo.list_reports(db, chat_id=9)) == 1


async def test_concurrent_duplicates_store_once(db):
    results = await asyncio.gather(
        *(repo.store_report(db, chat_id=9, report=make_report(3)) for _ in range(4))
    )
    assert sorted(r.status for r in results) == ["duplicate", "duplicate", "duplicate", "new"]
    assert len(await repo.list_reports(db, chat_id=9, include_history=True)) == 1


def test_concurrent_processes_keep_one_current(db_url: str, tmp_path: Path):
    """Two processes storing versions of the same office at once (the multi-worker deployment)."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from storage import repo
        from storage.db import Database
        from tests.support.factories import make_report
        async def main(offset):
            db = Database({db_url!r})
            for seed in range(offset, offset + 5):
                await repo.store_report(db, chat_id=3, report=make_report(seed))
            await db.close()
        asyncio.run(main(int(sys.argv[1])))
        """
    )
    root = Path(__file__).parents[2]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(off)], cwd=root, stderr=subprocess.PIPE, text=True
        )
        for off in (100, 200)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]

    async def check() -> None:
        db = Database(db_url)
        try:
            office = await repo.resolve_office(db, name="鹿山")
            history = await repo.report_history(db, chat_id=3, office_id=office.id, year=2021)
            assert len(history) == 10
            assert sum(h.is_current for h in history) == 1
        finally:
            await db.close()

    asyncio.run(check())


async def test_unreachable_database_gives_a_clear_message():
    from storage.db import DatabaseUnavailable

    db = Database("postgresql+psycopg://postgres@127.0.0.1:1/none")
    try:
        with pytest.raises(DatabaseUnavailable, match="无法连接数据库"):
            await db.schema_status()
    finally:
        await db.close()
    with pytest.raises(DatabaseUnavailable, match="DATABASE_URL"):
        upgrade("postgresql+psycopg://postgres@127.0.0.1:1/none")
