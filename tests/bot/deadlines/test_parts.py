"""A reminder sent in parts: each part exactly once, a crash between parts never resends part 1.

Runs the real ticker on SQLite and PostgreSQL (``db`` fixture) with a recording sender.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from bot.deadlines import ticker
from bot.deadlines.config import ReminderConfig
from storage import contacts, reminder_parts, repo
from storage import reminders as store
from tests.bot.deadlines.helpers import TZ, fast_limiter

CHAT = -100900
CONFIG = ReminderConfig(tz=TZ, ladder=(3, 0))
DUE = date(2027, 3, 12)
TUESDAY = datetime.combine(date(2027, 3, 9), time(9, 0, 5), tzinfo=TZ)


class Died(BaseException):
    """The process is killed in the middle of a request (not an Exception: nothing catches it)."""


class Recorder:
    """Records (text, entities); ``fail_on`` = (call number, exception) makes that call raise after
    recording it (the request went out, the answer never came back)."""

    def __init__(self, fail_on: tuple[int, BaseException] | None = None) -> None:
        self.sent: list[tuple[str, list]] = []
        self.fail_on = fail_on

    async def __call__(self, chat_id, text, *, entities=None, buttons=None):
        self.sent.append((text, entities or []))
        if self.fail_on and len(self.sent) == self.fail_on[0]:
            raise self.fail_on[1]
        return len(self.sent)


async def _setup(db) -> store.Deadline:
    await repo.ensure_workspace(db, chat_id=CHAT, title="群")
    for i in range(12):
        office = await repo.roster_add(db, chat_id=CHAT, name=f"第{i:02d}街道")
        await contacts.bind_contact(db, chat_id=CHAT, office_id=office.id, user_id=500 + i, username=None,
                                    display_name=f"联系人{i}", bound_by=1)
    d, _ = await store.add_deadline(db, chat_id=CHAT, kind="custom", due=DUE, title="提交", report_year=2026)
    await ticker.plan_deadline(db, d, now=datetime(2027, 3, 1, tzinfo=TZ), config=CONFIG)
    return d


async def _tick(db, send, now, worker="w1"):
    return await ticker.tick(db, send, now, worker, config=CONFIG, limiter=fast_limiter(), plan=False)


async def test_crash_between_parts_resumes_without_resending_part_one(db):
    await _setup(db)
    dying = Recorder(fail_on=(2, Died()))
    with pytest.raises(Died):
        await _tick(db, dying, TUESDAY)
    assert len(dying.sent) == 2  # part 1 delivered, part 2 in flight when the process died
    again = Recorder()
    report = await _tick(db, again, TUESDAY + timedelta(minutes=2), worker="w2")  # after the 90 s lease
    texts = [t for t, _ in again.sent]
    assert len(texts) == 2 and texts[0].startswith("【补发】（续 2/3）") and texts[1].startswith("（续 3/3）")
    assert texts[0].removeprefix("【补发】") == dying.sent[1][0]
    # the 【补发】 label moved every entity of the part by its UTF-16 length
    shifted = [e["offset"] - len("【补发】") for e in again.sent[0][1]]
    assert shifted == [e["offset"] for e in dying.sent[1][1]]
    assert report.sent == 1 and report.resent == 1
    [row] = [r for r in await store.outbox(db, chat_id=CHAT) if r["sent_at"] is not None]
    assert all(p.sent_at is not None for p in await reminder_parts.parts_of(db, outbox_id=row["id"]))
    later = Recorder()
    await _tick(db, later, TUESDAY + timedelta(minutes=5))
    assert later.sent == []  # nothing more: each part went out once (part 2 once more, labelled)


async def test_network_error_before_a_part_retries_it_plainly(db):
    await _setup(db)
    flaky = Recorder(fail_on=(3, OSError("connection refused")))
    report = await _tick(db, flaky, TUESDAY)
    assert report.failed == 1 and len(flaky.sent) == 3
    retry = Recorder()
    await _tick(db, retry, TUESDAY + timedelta(minutes=1, seconds=30))
    assert [t[:8] for t, _ in retry.sent] == [flaky.sent[2][0][:8]]  # only part 3, without 【补发】
    assert not retry.sent[0][0].startswith("【补发】")
