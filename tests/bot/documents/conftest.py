"""A chat that received real reports with real errors: 鹿山 (two arithmetic errors), 青石山 (blank cells),
红旗 (passes), and a roster office that has not filed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot import services
from storage import repo
from storage.types import Ruling
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


def ruling(decision: str, reason: str = "", by: str = "", fingerprint: str = "") -> Ruling:
    """A ruling made in the test, not stored (``id`` 0): to see how the documents print it."""
    return Ruling(id=0, report_id=0, fingerprint=fingerprint, decision=decision, reason=reason, user_id=None,
                  user_name=by, at=datetime(2022, 2, 24, tzinfo=UTC))


async def rule(db: Any, short: str, code: str, decision: str, reason: str = "", chat_id: int = CHAT) -> None:
    """An admin's ruling on the first finding ``code`` of the office's current report (storage.review)."""
    from storage import review

    [stored] = [s for s in await repo.list_reports(db, chat_id=chat_id) if s.office.short_name == short]
    found = await review.reviewed_findings(db, chat_id=chat_id, report_id=stored.id)
    fp = next(f.fingerprint for f in found if f.finding.code == code)
    await review.rule_finding(db, chat_id=chat_id, report_id=stored.id, fingerprint=fp, decision=decision,
                              reason=reason, user_id=1, user_name="李科长")
