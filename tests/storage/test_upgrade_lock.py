"""Several workers starting at once on an empty PostgreSQL database: the upgrade is serialised by an
advisory lock, so every one starts (before: 2 of 3 crashed with UniqueViolation on pg_type)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import Database

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
async def test_three_workers_upgrade_an_empty_database_together(pg_empty_url):
    code = "import sys; from storage.db import upgrade; upgrade(sys.argv[1])"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", code, pg_empty_url], env=env, stderr=subprocess.PIPE)
             for _ in range(3)]
    results = await asyncio.gather(*(asyncio.to_thread(p.communicate, timeout=120) for p in procs))
    assert [p.returncode for p in procs] == [0, 0, 0], [err.decode()[-500:] for _, err in results]
    db = Database(pg_empty_url)
    try:
        assert await db.schema_status() == "current"
    finally:
        await db.close()
