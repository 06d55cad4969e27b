"""A chat that received real reports with real errors: 鹿山 (two arithmetic errors), 青石山 (blank cells),
红旗 (passes), and a roster office that has not filed."""

from __future__ import annotations

from typing import Any

import pytest

from bot import services
from storage import repo
from tests.support.with_errors import HONGQI, QINGSHISHAN, lushan_with_errors

CHAT = -100777
SENDER = 21
MISSING = "示范区白云街道"


async def file_reports(db: Any, chat_id: int = CHAT) -> None:
    """Ingest the three reports as the bot does (read in the worker pool, validate, store)."""
    for name, data in (("鹿山.txt", lushan_with_errors()), (QINGSHISHAN.name, QINGSHISHAN.read_bytes()),
                       (HONGQI.name, HONGQI.read_bytes())):
        [outcome] = await services.ingest(db, chat_id=chat_id, filename=name, data=data, sender_id=SENDER,
                                          sender_name="王小明")
        assert outcome.stored is not None, outcome.error
    await repo.roster_add(db, chat_id=chat_id, name=MISSING, kind="街道")


@pytest.fixture
async def filed(sqlite_db: Any) -> Any:
    """The SQLite database with the chat's reports filed."""
    await file_reports(sqlite_db)
    return sqlite_db
