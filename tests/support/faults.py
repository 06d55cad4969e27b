"""A real database that can be switched off: every transaction raises ``OperationalError`` while ``down``.

For tests of the database-outage paths on SQLite, where a real refusal cannot be provoked quickly
(the PostgreSQL outage in bench/faults.py refuses connections for real).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.exc import OperationalError

from storage.db import Database


class SwitchableDatabase(Database):
    """``Database`` whose ``connect`` fails like a refused connection while ``self.down`` is true."""

    down: bool = False
    refused: int = 0

    @asynccontextmanager
    async def connect(self, *, write: bool = False) -> AsyncIterator[Any]:
        if self.down:
            self.refused += 1
            raise OperationalError("connect", {}, ConnectionRefusedError(111, "Connection refused"))
        async with super().connect(write=write) as conn:
            yield conn

    async def run_in_thread(self, fn: Any, *args: Any, write: bool = False) -> Any:
        if self.down:
            self.refused += 1
            raise OperationalError("connect", {}, ConnectionRefusedError(111, "Connection refused"))
        return await super().run_in_thread(fn, *args, write=write)
