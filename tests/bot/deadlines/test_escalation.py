"""Escalation to a supervisor chat: one summary N working days after the deadline, exactly once across a
restart, nothing after unlinking; the link commands' answers."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import time_machine

from bot.deadlines import escalation
from bot.deadlines.ticker import tick
from storage import obligations as store
from storage import repo
from storage.db import Database
from tests.support.factories import make_report

from .helpers import CONFIG, Recorder, fast_limiter, local, run_days

CHILD, SUPERVISOR = -1001234567, -1009876543
#: 2026-01-31 is a Saturday; the 3rd working day after it is Wednesday 2026-02-04.
ESCALATION_DAY = date(2026, 2, 4)


async def _setup(db):
    await repo.ensure_workspace(db, chat_id=CHILD, title="富阳区政务公开群")
    await repo.ensure_workspace(db, chat_id=SUPERVISOR, title="杭州市政务公开群")
    for name, kind in (("杭州市富阳区财政局", "部门"), ("富阳区鹿山街道", "街道"), ("富阳区东洲街道", "街道")):
        await repo.roster_add(db, chat_id=CHILD, name=name, kind=kind)
    report = make_report(1, office="富阳区东洲街道", short_name="东洲", kind="街道", year=2025)
    await repo.store_report(db, chat_id=CHILD, report=report)
    now = local(2026, 1, 5, 10)
    code = escalation.new_code()
    await store.create_link_code(db, child_chat_id=CHILD, code=code, expires_at=now + escalation.CODE_TTL)
    reply = await escalation.confirm_code(db, code=code, chat_id=SUPERVISOR, user_id=2, now=now)
    assert reply.startswith("✅ 已关联") and "富阳区政务公开群" in reply


def _summaries(send):
    """The escalation summaries (the supervisor group also gets its own, roster-less statutory reminders)."""
    return [(when, text) for when, chat, text in send.sent if chat == SUPERVISOR and text.startswith("📣")]


async def test_one_summary_on_the_nth_working_day_even_across_a_restart(db_url):
    first = Database(db_url)
    await _setup(first)
    send = Recorder()
    await run_days(first, send, date(2026, 1, 5), ESCALATION_DAY, worker_id="proc-1")
    await first.close()
    second = Database(db_url)  # a new process: new engine, new worker id, nothing in memory
    await run_days(second, send, ESCALATION_DAY, date(2026, 4, 20), worker_id="proc-2")
    await second.close()
    [(when, text)] = _summaries(send)
    assert when.date() == ESCALATION_DAY and when.hour == 9
    assert "富阳区政务公开群" in text and "未提交（2/3）" in text and "鹿山" in text and "财政局" in text
    assert "东洲" not in text  # it filed
    assert "本年度只发这一次" in text
    # the child chat still gets its own ladder; the supervisor only the one summary
    assert any(chat == CHILD for _, chat, _ in send.sent)


async def _extend_lushan(db) -> None:
    """鹿山 extended to Friday 2026-02-20 (a Spring Festival holiday) in the child chat."""
    office = await repo.resolve_office(db, name="富阳区鹿山街道")
    await store.set_obligation(db, chat_id=CHILD, office_id=office.id, report_year=2025, kind="extension",
                               due=date(2026, 2, 20), reason="合并中")


async def test_extended_office_is_not_escalated_before_its_date_and_unlink_stops_it(sqlite_db):
    db = sqlite_db
    await _setup(db)
    await _extend_lushan(db)
    send = Recorder()
    await run_days(db, send, date(2026, 1, 25), date(2026, 2, 10))
    [(_, text)] = _summaries(send)
    assert "未提交（1/3）" in text and "鹿山" not in text.split("\n")[1] and "已延期：鹿山（至2月20日）" in text
    # on demand: still answered after the automatic one
    asked = await escalation.on_demand(db, chat_id=SUPERVISOR, today=date(2026, 2, 10), year=2025)
    assert "富阳区政务公开群" in asked and "未提交" in asked
    assert "已解除 1 个关联" in await escalation.unlink_command(db, chat_id=CHILD, user_id=1)
    assert "没有关联下级群" in await escalation.on_demand(db, chat_id=SUPERVISOR, today=date(2026, 2, 10))


async def test_unlinked_before_the_day_sends_nothing_with_time_machine_clock(sqlite_db):
    db = sqlite_db
    await _setup(db)
    send = Recorder()
    with time_machine.travel(local(2026, 2, 3, 9, 0, 10).astimezone(UTC), tick=False):
        await tick(db, send, config=CONFIG, limiter=fast_limiter())  # plans the 2月4日 summary
    await store.unlink(db, chat_id=SUPERVISOR, user_id=2)
    with time_machine.travel(local(2026, 2, 4, 9, 0, 10).astimezone(UTC), tick=False):
        await tick(db, send, config=CONFIG, limiter=fast_limiter())
    assert _summaries(send) == []


async def test_nothing_to_say_sends_nothing(sqlite_db):
    db = sqlite_db
    await _setup(db)
    for seed, (name, short, kind) in enumerate((("杭州市富阳区财政局", "财政局", "部门"),
                                                ("富阳区鹿山街道", "鹿山", "街道")), start=2):
        await repo.store_report(db, chat_id=CHILD, report=make_report(seed, office=name, short_name=short,
                                                                      kind=kind, year=2025))
    send = Recorder()
    await run_days(db, send, date(2026, 2, 1), date(2026, 2, 6))
    assert _summaries(send) == []


async def test_link_command_answers(sqlite_db):
    db = sqlite_db
    reply = await escalation.issue_code(db, chat_id=CHILD, user_id=1)
    code = reply.split("：", 1)[1][:8]
    assert escalation.looks_like_code(code)
    assert "无效" in await escalation.confirm_code(db, code="'; drop", chat_id=SUPERVISOR, user_id=2)
    assert "不能在生成它的本群确认" in await escalation.confirm_code(db, code=code, chat_id=CHILD, user_id=1)
    later = local(2026, 12, 31) + timedelta(days=400)
    assert "已过期" in await escalation.confirm_code(db, code=code, chat_id=SUPERVISOR, user_id=2, now=later)
    assert "已关联" in await escalation.confirm_code(db, code=code, chat_id=SUPERVISOR, user_id=2)
    assert "用过了" in await escalation.confirm_code(db, code=code, chat_id=-1005, user_id=3)
    assert "已关联上级群" in await escalation.issue_code(db, chat_id=CHILD, user_id=1)
    assert "1到60" in await escalation.set_after(db, chat_id=CHILD, text="0", user_id=1)
    assert "第5个工作日" in await escalation.set_after(db, chat_id=CHILD, text="5", user_id=1)
    assert await escalation.after_workdays(db, CHILD) == 5
    assert "上级群" in await escalation.status_text(db, chat_id=CHILD)
    assert "下级群" in await escalation.status_text(db, chat_id=SUPERVISOR)


async def test_an_extension_that_runs_out_gets_its_own_summary_and_stays_overdue(sqlite_db):
    """鹿山 extended to Friday 2026-02-20 (a Spring Festival holiday): the 1月31日 summary lists it as
    「已延期」; 3 working days after its own date (2/24, 2/25, 2/26) the supervisor gets one summary about
    it, and every later summary calls it 逾期."""
    db = sqlite_db
    await _setup(db)
    await _extend_lushan(db)
    send = Recorder()
    await run_days(db, send, date(2026, 1, 25), date(2026, 3, 10))
    [(first_day, first), (when, text)] = _summaries(send)
    assert first_day.date() == ESCALATION_DAY and "已延期：鹿山（至2月20日）" in first
    assert when.date() == date(2026, 2, 26)
    assert "未提交（1/1）：鹿山（延期至2月20日，已逾期6天）" in text and "财政局" not in text
    assert "2025年度报告（截止2月20日）" in text
    assert "延期截止后第3个工作日自动汇总" in text
    asked = await escalation.on_demand(db, chat_id=SUPERVISOR, today=date(2026, 4, 1), year=2025)
    assert "鹿山（延期至2月20日，已逾期40天）" in asked and "财政局" in asked
