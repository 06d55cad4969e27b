"""The database handle: an SQLAlchemy asyncio engine for SQLite (aiosqlite) or PostgreSQL (psycopg).

``Database(url)`` takes the sync-style URLs of CONTRACT.md (``sqlite:///data/nianbao.db``,
``postgresql+psycopg://user@host/db``) and converts them for asyncio. SQLite gets WAL, foreign keys
and a busy timeout, and write transactions start with ``BEGIN IMMEDIATE`` so two writers queue on
the lock instead of failing on a stale snapshot. ``upgrade(url)`` runs Alembic to head;
``schema_status()`` lets the bot refuse to start on a database that is behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import StaticPool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
UPGRADE_HINT = "nianbao db upgrade"
SchemaStatus = Literal["current", "behind", "empty", "ahead"]

_WRITE = "nianbao_write"
T = TypeVar("T")


def sync_url(url: str | URL) -> URL:
    """The URL with a sync driver (for Alembic): ``sqlite+aiosqlite`` → ``sqlite``, ``postgresql`` → psycopg."""
    u = make_url(str(url)) if not isinstance(url, URL) else url
    backend = u.get_backend_name()
    if backend == "sqlite":
        return u.set(drivername="sqlite")
    if backend == "postgresql":
        return u.set(drivername="postgresql+psycopg")
    raise ValueError(f"只支持 SQLite 和 PostgreSQL，收到 {backend!r}")


def async_url(url: str | URL) -> URL:
    """The URL with an asyncio driver: ``sqlite+aiosqlite`` or ``postgresql+psycopg`` (async variant)."""
    u = sync_url(url)
    if u.get_backend_name() == "sqlite":
        return u.set(drivername="sqlite+aiosqlite")
    return u


def _sqlite_file(u: URL) -> Path | None:
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    if u.database.startswith("file:"):
        return None
    return Path(u.database)


def ensure_data_dir(url: str | URL) -> None:
    """Create the directory of a SQLite file so a fresh install just works."""
    path = _sqlite_file(sync_url(url))
    if path is not None:
        path.expanduser().parent.mkdir(parents=True, exist_ok=True)


def _install_sqlite_pragmas(sync_engine: Any) -> None:
    """WAL, foreign keys, busy timeout; explicit BEGIN so writes can take the lock up front."""

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (SQLAlchemy aiosqlite docs recipe).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(_WRITE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def alembic_config(url: str | URL) -> Any:
    """An Alembic ``Config`` built in code, so migrations work from an installed package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option(
        "sqlalchemy.url", sync_url(url).render_as_string(hide_password=False).replace("%", "%%")
    )
    return cfg


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` (sync; safe to call on an up-to-date database)."""
    from alembic import command

    ensure_data_dir(url)
    u = sync_url(url)
    try:
        if u.get_backend_name() == "postgresql":
            with _upgrade_lock(u):
                command.upgrade(alembic_config(url), revision)
        else:  # SQLite: Alembic's own transaction takes the file's write lock
            command.upgrade(alembic_config(url), revision)
    except OperationalError as exc:
        raise _unavailable(u, exc) from exc


#: ``pg_advisory_lock`` key of the schema upgrade (any constant; "nianbao" in ASCII).
UPGRADE_LOCK_KEY = 0x6E69616E62616F


@contextmanager
def _upgrade_lock(url: URL) -> Iterator[None]:
    """Hold a PostgreSQL advisory lock while upgrading, so workers starting together on an empty
    database upgrade one after the other (the later ones find it at head) instead of racing on
    ``CREATE TABLE`` (``UniqueViolation … pg_type_typname_nsp_index``)."""
    from sqlalchemy import text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": UPGRADE_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": UPGRADE_LOCK_KEY})
                conn.commit()
    finally:
        engine.dispose()


def is_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) means "the database cannot be reached or is refusing work"
    — the gate and the error handler answer 「数据库暂时不可用」 for these instead of logging a traceback."""
    from sqlalchemy.exc import DBAPIError, InterfaceError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (DatabaseUnavailable, OperationalError, InterfaceError, PoolTimeout,
                                ConnectionError)):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if type(current).__module__.startswith("psycopg") and type(current).__name__ in (
                "OperationalError", "InterfaceError"):
            return True
        current = current.__cause__ or current.__context__
    return False


def head_revisions() -> set[str]:
    """The head revision id(s) of the migration scripts shipped with the code."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def known_revisions() -> set[str]:
    """Every revision id the code knows (to tell "behind" from a database made by newer code)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or opened; ``str()`` is a one-line Chinese explanation."""


def _unavailable(url: URL, exc: BaseException) -> DatabaseUnavailable:
    cause = (
        str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        if str(exc).strip()
        else type(exc).__name__
    )
    where = url.render_as_string(hide_password=True)
    return DatabaseUnavailable(f"无法连接数据库 {where}：{cause}（请检查 DATABASE_URL 和数据库服务）")


#: SQLite connections kept open. The bot handles up to 64 updates at once; SQLAlchemy's default of
#: 5 (+10 overflow, closed after each use) made busy chats open and close connections constantly.
SQLITE_POOL_SIZE = 16


class Database:
    """The async engine plus transaction helpers. One per process; close it with ``await db.close()``."""

    def __init__(self, url: str | URL, *, echo: bool = False) -> None:
        self.url: URL = sync_url(url)
        self.async_url: URL = async_url(url)
        self.dialect: str = self.url.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo}
        if self.dialect == "sqlite":
            ensure_data_dir(self.url)
            if _sqlite_file(self.url) is None:  # in-memory: one shared connection
                kwargs["poolclass"] = StaticPool
                kwargs["connect_args"] = {"check_same_thread": False}
            else:  # keep connections: each aiosqlite one is a thread plus four PRAGMAs to open
                kwargs["pool_size"] = SQLITE_POOL_SIZE
                kwargs["max_overflow"] = SQLITE_POOL_SIZE
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(self.async_url, **kwargs)
        self._sync_engine: Engine | None = None
        if self.dialect == "sqlite":
            _install_sqlite_pragmas(self.engine.sync_engine)

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @asynccontextmanager
    async def connect(self, *, write: bool = False) -> AsyncIterator[AsyncConnection]:
        """A connection inside one transaction: committed on success, rolled back on any error."""
        async with self.engine.connect() as conn:
            if write:
                conn = await conn.execution_options(**{_WRITE: True})
            async with conn.begin():
                yield conn

    @asynccontextmanager
    async def session(self, *, write: bool = False) -> AsyncIterator[AsyncSession]:
        """An ORM session inside one transaction (same commit/rollback rule as :meth:`connect`)."""
        async with self.connect(write=write) as conn:
            session = AsyncSession(bind=conn, expire_on_commit=False)
            try:
                yield session
                await session.flush()
            finally:
                await session.close()

    async def run(self, fn: Callable[..., T], *args: Any, write: bool = False) -> T:
        """Run the sync function ``fn(connection, *args)`` in one transaction on the async engine.

        Repository code is written against a plain sync ``Connection`` (via ``run_sync``), so the same
        function also runs in a worker thread for bulk work (:meth:`run_in_thread`).
        """
        async with self.connect(write=write) as conn:
            return await conn.run_sync(fn, *args)

    @property
    def sync_engine(self) -> Engine:
        """A sync engine on the same database (created on first use) for bulk work in a thread."""
        if self._sync_engine is None:
            engine = create_engine(self.url, pool_pre_ping=not self.is_sqlite)
            if self.is_sqlite:
                _install_sqlite_pragmas(engine)
            self._sync_engine = engine
        return self._sync_engine

    async def run_in_thread(self, fn: Callable[..., T], *args: Any, write: bool = False) -> T:
        """Run ``fn(connection, *args)`` in one transaction on the sync engine in a worker thread.

        For bulk imports: thousands of statements without a thread hop each (aiosqlite) or an event
        loop round trip. An in-memory SQLite database has no second connection, so it runs on the
        async engine instead.
        """
        if self.is_sqlite and _sqlite_file(self.url) is None:
            return await self.run(fn, *args, write=write)

        def work() -> T:
            with self.sync_engine.connect() as conn:
                if write:
                    conn = conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    return fn(conn, *args)

        return await asyncio.to_thread(work)

    async def schema_status(self) -> SchemaStatus:
        """``current`` (at head), ``behind`` (run ``nianbao db upgrade``), ``empty`` (no schema yet),
        or ``ahead`` (made by a newer version of nianbao). Raises :class:`DatabaseUnavailable` (a clear
        Chinese message, no traceback needed) when the database cannot be reached."""
        from alembic.runtime.migration import MigrationContext

        def _heads(sync_conn: Any) -> set[str]:
            return set(MigrationContext.configure(sync_conn).get_current_heads())

        try:
            async with self.engine.connect() as conn:
                current = await conn.run_sync(_heads)
        except (OperationalError, OSError) as exc:
            raise _unavailable(self.url, exc) from exc
        if not current:
            return "empty"
        heads = head_revisions()
        if current == heads:
            return "current"
        if current - known_revisions():
            return "ahead"
        return "behind"

    async def upgrade(self) -> None:
        """Run the migrations to head in a worker thread (Alembic is sync)."""
        await asyncio.to_thread(upgrade, self.url)

    async def close(self) -> None:
        """Dispose of the engine and its pooled connections."""
        await self.engine.dispose()
        if self._sync_engine is not None:
            self._sync_engine.dispose()
            self._sync_engine = None

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
