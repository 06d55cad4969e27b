"""Alembic environment: runs migrations with a sync engine on the URL from ``storage.db.alembic_config``.

Imports ``storage.models`` (and ``storage.reminders`` when it exists) so ``target_metadata`` knows every
table for autogenerate. SQLite uses batch mode so later ALTERs work there too.
"""

from __future__ import annotations

import importlib
import importlib.util

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables)

for _module in ("storage.reminders", "storage.contacts", "storage.reminder_parts"):
    if importlib.util.find_spec(_module) is not None:
        importlib.import_module(_module)
importlib.import_module("storage.obligations")

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``alembic upgrade --sql``)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a live database; a connection passed in ``config.attributes`` is reused."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # type: ignore[attr-defined]
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
