"""Shared fixtures: ``db`` (an upgraded, empty database on SQLite and on PostgreSQL) and ``sqlite_db``.

Each PostgreSQL test gets its own freshly created database (``nianbao_t_<random>``, cloned from a
migrated template made once per session), so engineers running tests at the same time never see each
other's rows. PostgreSQL tests skip with the reason when the server of ``TEST_DATABASE_URL`` is down.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from storage.db import Database, upgrade

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

_pg_state: dict[str, object] = {}


def _pg_admin_dsn(database: str | None = None) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    if database:
        url = url.set(database=database)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def pg_reason() -> str | None:
    """Why PostgreSQL tests cannot run (``None`` when the server answers)."""
    if "reason" not in _pg_state:
        try:
            import psycopg

            with psycopg.connect(_pg_admin_dsn(), connect_timeout=3, autocommit=True):
                pass
            _pg_state["reason"] = None
        except Exception as exc:  # noqa: BLE001 - any failure means "skip"
            _pg_state["reason"] = f"PostgreSQL unreachable at {PG_URL}: {type(exc).__name__}: {exc}"[:300]
    return _pg_state["reason"]  # type: ignore[return-value]


def _pg_exec(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_admin_dsn(), connect_timeout=5, autocommit=True) as conn:
        conn.execute(sql)


def _pg_url_for(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per session, cloned by each test (fast)."""
    reason = pg_reason()
    if reason:
        pytest.skip(reason)
    name = f"nianbao_tpl_{uuid.uuid4().hex[:10]}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    try:
        upgrade(_pg_url_for(name))
        yield name
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_empty_url() -> Iterator[str]:
    """The URL of a fresh, empty (not migrated) PostgreSQL database, dropped afterwards."""
    reason = pg_reason()
    if reason:
        pytest.skip(reason)
    name = f"nianbao_t_{uuid.uuid4().hex[:12]}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url_for(name)
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database already migrated to head, dropped afterwards."""
    template = request.getfixturevalue("pg_template")
    name = f"nianbao_t_{uuid.uuid4().hex[:12]}"
    _pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _pg_url_for(name)
    finally:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a SQLite file migrated to head (in a not-yet-existing data directory)."""
    url = f"sqlite:///{(tmp_path / 'data' / 'nianbao.db').as_posix()}"
    upgrade(url)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """An upgraded, empty database URL on each backend."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """An upgraded, empty ``Database`` — runs the test on SQLite and on PostgreSQL."""
    database = Database(db_url)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def sqlite_db(sqlite_url: str) -> AsyncIterator[Database]:
    """An upgraded, empty SQLite ``Database`` (fast; for tests that need no PostgreSQL run)."""
    database = Database(sqlite_url)
    try:
        yield database
    finally:
        await database.close()
