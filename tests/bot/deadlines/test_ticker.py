"""tick() against a real database: the statutory ladder, roster completion, restarts, downtime, recurrence,
application clocks, removed and migrated chats. Time is controlled by passing ``now``."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import time_machine

from bot.deadlines import service
from bot.deadlines.ticker import ChatGone, ChatMoved, tick
from bot.report import Finding
from storage import reminders as store
from storage import repo
from storage.db import Database
from tests.support.factories import make_report

from .helpers import CONFIG, Recorder, fast_limiter, local, run_days

CHAT = -1001234567

JAN_LADDER_2026 = [date(2026, 1, 16), date(2026, 1, 23), date(2026, 1, 28), date(2026, 1, 30),
                   date(2026, 2, 2), date(2026, 2, 3), date(2026, 2, 4), date(2026, 2, 5), date(2026, 2, 6)]


async def _roster(db, chat=CHAT):
    await repo.ensure_workspace(db, chat_id=chat, title="富阳区政府办")
    await repo.roster_add(db, chat_id=chat, name="杭州市富阳区财政局", kind="部门")
    await repo.roster_add(db, chat_id=chat, name="富阳区鹿山街道", kind="街道")
    await repo.roster_add(db, chat_id=chat, name="富阳区东洲街道", kind="街道")


async def _submit(db, office, short, kind, *, errors=False, seed=1, chat=CHAT):
    report = make_report(seed, office=office, short_name=short, kind=kind, year=2025)
    if errors:
        report.findings = [Finding("T3-01", "error", "表3总计不等于各项之和")]
    await repo.store_report(db, chat_id=chat, report=report)


async def test_statutory_ladder_january_2026_names_missing_and_stops_when_complete(db):
    await _roster(db)
    send = Recorder()

    async def uploads(day):
        if day == date(2026, 1, 20):
            await _submit(db, "富阳区鹿山街道", "鹿山", "街道")
        if day == date(2026, 1, 24):
            await _submit(db, "富阳区东洲街道", "东洲", "街道", errors=True, seed=2)
        if day == date(2026, 1, 29):
            await _submit(db, "杭州市富阳区财政局", "财政局", "部门", seed=3)
            await _submit(db, "富阳区东洲街道", "东洲", "街道", seed=4)  # fixed version

    await run_days(db, send, date(2026, 1, 1), date(2026, 2, 12), hook=uploads)
    assert send.days(CHAT) == JAN_LADDER_2026[:4]  # nothing after the roster completed
    texts = [t for _, _, t in send.sent]
    assert all(when.hour == 9 for when, _, _ in send.sent)
    assert "还有15天" in texts[0] and "未提交（3/3）" in texts[0]
    assert "鹿山" not in texts[1] and "未提交（2/3）" in texts[1]
    assert "未提交（1/3）" in texts[2] and "财政局" in texts[2]
    assert "有错误待修改（1）：东洲" in texts[2]
    assert texts[3].startswith("✅ 全部提交") and "3个单位的2025年度报告" in texts[3]
    assert sum("全部提交" in t for t in texts) == 1


async def test_overdue_notices_each_working_day_for_a_week(sqlite_db):
    db = sqlite_db
    await _roster(db)
    await repo.ensure_workspace(db, chat_id=4242, kind="private")  # a user who sent a file privately
    send = Recorder()
    await run_days(db, send, date(2026, 1, 1), date(2026, 2, 20))
    assert send.days(CHAT) == JAN_LADDER_2026
    assert send.days(4242) == []  # statutory reminders are for groups only
    overdue = [t for when, _, t in send.sent if when.date() > date(2026, 1, 31)]
    assert overdue[0].startswith("⚠️ 逾期提醒") and "已逾期2天" in overdue[0]
    # the 3月31日 government deadline is not about this roster (no 区县政府 office): nothing sent for it
    assert all("本级政府" not in t for _, _, t in send.sent)


async def test_custom_deadline_over_spring_festival_without_roster(sqlite_db):
    db = sqlite_db
    reply = await service.deadline_command(db, chat_id=CHAT, args="2026-02-24 报区政府办", now=local(2026, 2, 1),
                                           config=CONFIG)
    assert "已添加截止日" in reply and "2月10日、2月14日、2月24日" in reply
    send = Recorder()
    await run_days(db, send, date(2026, 2, 1), date(2026, 3, 5))
    custom = [w.date() for w, _, t in send.sent if "报区政府办" in t]
    assert custom == [date(2026, 2, 10), date(2026, 2, 14), date(2026, 2, 24), date(2026, 2, 25),
                      date(2026, 2, 26), date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 2), date(2026, 3, 3)]
    assert "用 /roster 设置名单" in send.sent[0][2]


async def test_restart_mid_ladder_loses_and_doubles_nothing(db_url):
    send = Recorder()
    first = Database(db_url)
    await _roster(first)
    await run_days(first, send, date(2026, 1, 1), date(2026, 1, 20), worker_id="proc-1")
    await first.close()
    second = Database(db_url)  # a new process: new engine, new worker id, nothing in memory
    await run_days(second, send, date(2026, 1, 21), date(2026, 2, 12), worker_id="proc-2")
    await second.close()
    assert send.days(CHAT) == JAN_LADDER_2026


async def test_downtime_short_delay_sends_late_long_delay_reports_missed_once(sqlite_db):
    db = sqlite_db
    await _roster(db)
    await _roster(db, chat=-200)
    send = Recorder()
    await run_days(db, send, date(2026, 1, 1), date(2026, 1, 22))
    before = len(send.sent)
    # Down from the 22nd; back on the 23rd at 10:30 — 1.5 h late, under the 3 h limit → sent now.
    send.now = local(2026, 1, 23, 10, 30)
    await tick(db, send, send.now, "w", config=CONFIG, limiter=fast_limiter())
    assert len(send.sent) == before + 2 and "还有8天" in send.sent[-1][2]
    # Down again over the 28th; back at 13:00 — 4 h late → not sent, one notice per chat instead.
    await run_days(db, send, date(2026, 1, 24), date(2026, 1, 27))
    before = len(send.sent)
    send.now = local(2026, 1, 28, 13, 0)
    result = await tick(db, send, send.now, "w", config=CONFIG, limiter=fast_limiter())
    assert result.missed == 2
    notices = send.sent[before:]
    assert sorted(c for _, c, _ in notices) == sorted([CHAT, -200])
    assert all("错过了1条提醒" in t and "01月28日 09:00" in t for _, _, t in notices)
    await run_days(db, send, date(2026, 1, 28), date(2026, 1, 29), times=(local(1, 1, 1, 15).timetz(),))
    assert len(send.sent) == before + 2  # reported once, nothing else that day
    rows = [r for r in await store.outbox(db, chat_id=CHAT) if r["missed_at"] is not None]
    assert len(rows) == 1 and rows[0]["missed_reported_at"] is not None


async def test_weekly_reminder_recurs_and_cancel_stops_it(db):
    now = local(2026, 11, 21, 12)  # Saturday
    reply = await service.remind_command(db, chat_id=CHAT, args="每周一 9:00 请更新报送进度", now=now, config=CONFIG)
    assert "每周一 09:00" in reply
    send = Recorder()
    await run_days(db, send, date(2026, 11, 21), date(2026, 12, 1))
    assert send.days() == [date(2026, 11, 23), date(2026, 11, 30)]
    assert send.sent[0][2] == "⏰ 提醒：请更新报送进度"
    listing = await service.list_reminders(db, chat_id=CHAT, config=CONFIG)
    assert "每周一 09:00 请更新报送进度" in listing.text and len(listing.buttons) == 1
    rid = listing.buttons[0][1]
    assert "已取消" in await service.cancel_reminder(db, chat_id=CHAT, reminder_id=rid)
    assert "不存在或已取消" in await service.cancel_reminder(db, chat_id=CHAT, reminder_id=rid)
    await run_days(db, send, date(2026, 12, 2), date(2026, 12, 15))
    assert send.days() == [date(2026, 11, 23), date(2026, 11, 30)]
    assert (await service.list_reminders(db, chat_id=CHAT)).buttons == []


async def test_one_off_reminder_with_time_machine_clock(sqlite_db):
    db = sqlite_db
    with time_machine.travel(local(2026, 11, 22, 10), tick=False):
        reply = await service.remind_command(db, chat_id=CHAT, args="明天 9点半 请提交年报", config=CONFIG)
        assert "2026年11月23日 09:30" in reply
    send = Recorder()
    with time_machine.travel(local(2026, 11, 23, 9, 29, 50), tick=False):
        assert (await tick(db, send, config=CONFIG, limiter=fast_limiter(), plan=False)).sent == 0
    with time_machine.travel(local(2026, 11, 23, 9, 30, 10), tick=False):
        assert (await tick(db, send, config=CONFIG, limiter=fast_limiter(), plan=False)).sent == 1
        assert (await tick(db, send, config=CONFIG, limiter=fast_limiter(), plan=False)).sent == 0
    assert [(c, t) for _, c, t in send.sent] == [(CHAT, "⏰ 提醒：请提交年报")]


async def test_application_clock_reminders_and_extension(sqlite_db):
    db = sqlite_db
    reply = await service.apply_command(db, chat_id=CHAT, args="2026-02-10 张三申请公开某某文件",
                                        now=local(2026, 2, 10, 16), config=CONFIG)
    assert "第1号申请" in reply and "答复期限 2026年3月16日" in reply
    send = Recorder()
    await run_days(db, send, date(2026, 2, 10), date(2026, 3, 10))
    assert send.days() == [date(2026, 3, 9)]
    assert "第1号申请" in send.sent[0][2] and "还剩5个工作日" in send.sent[0][2]
    reply = await service.extend_command(db, chat_id=CHAT, args="1", now=local(2026, 3, 10, 16), config=CONFIG)
    assert "2026年4月14日" in reply
    assert "已经延期过一次" in await service.extend_command(db, chat_id=CHAT, args="1", config=CONFIG)
    await run_days(db, send, date(2026, 3, 11), date(2026, 4, 20))
    assert send.days() == [date(2026, 3, 9), date(2026, 4, 7), date(2026, 4, 13)]
    assert "还剩1个工作日" in send.sent[-1][2]


async def test_removed_bot_stops_reminders_and_migrated_chat_moves(sqlite_db):
    db = sqlite_db
    await repo.ensure_workspace(db, chat_id=-1)
    await repo.ensure_workspace(db, chat_id=-2)
    now = local(2026, 11, 22, 10)
    for chat in (-1, -2):
        await service.remind_command(db, chat_id=chat, args="每周一 9:00 周报", now=now, config=CONFIG)
    delivered: list[tuple[int, str]] = []

    async def send(chat_id: int, text: str) -> int:
        if chat_id == -1:
            raise ChatGone()
        if chat_id == -2:
            raise ChatMoved(-1002)
        delivered.append((chat_id, text))
        return 7

    at = local(2026, 11, 23, 9, 1)
    result = await tick(db, send, at, "w", config=CONFIG, limiter=fast_limiter(), plan=False)
    assert delivered == [(-1002, "⏰ 提醒：周报")]
    assert result.sent == 1 and result.failed == 1
    assert -1 not in await repo.list_workspaces(db)
    assert all(r["cancelled_at"] is not None for r in await store.outbox(db, chat_id=-1) if r["sent_at"] is None)
    assert await store.outbox(db, chat_id=-2) == []
    moved = await store.outbox(db, chat_id=-1002)
    assert [r["message_id"] for r in moved if r["sent_at"]] == [7]
    assert any(r["sent_at"] is None for r in moved)  # next Monday planned for the new id
    assert (await service.list_reminders(db, chat_id=-1002)).buttons


async def test_transient_send_error_is_retried_later(sqlite_db):
    db = sqlite_db
    now = local(2026, 11, 22, 10)
    await service.remind_command(db, chat_id=CHAT, args="明天 9点 提交", now=now, config=CONFIG)
    calls = []

    async def flaky(chat_id: int, text: str) -> int:
        calls.append(chat_id)
        if len(calls) == 1:
            raise OSError("connection reset")
        return 1

    t0 = local(2026, 11, 23, 9, 0, 5)
    assert (await tick(db, flaky, t0, "w", config=CONFIG, limiter=fast_limiter(), plan=False)).failed == 1
    assert (await tick(db, flaky, t0 + timedelta(seconds=30), "w", config=CONFIG, limiter=fast_limiter(),
                       plan=False)).sent == 0  # waiting out retry_after
    assert (await tick(db, flaky, t0 + timedelta(minutes=2), "w", config=CONFIG, limiter=fast_limiter(),
                       plan=False)).sent == 1
    assert len(calls) == 2


async def test_tick_defaults_now_to_utc_clock(sqlite_db):
    with time_machine.travel(local(2026, 1, 16, 9, 0, 20).astimezone(UTC), tick=False):
        await _roster(sqlite_db)
        send = Recorder()
        send.now = local(2026, 1, 16, 9, 0, 20)
        # first tick ever on a ladder day: plans, then sends the -14 reminder at once
        assert (await tick(sqlite_db, send, config=CONFIG, limiter=fast_limiter())).sent == 1


async def test_upload_completing_the_roster_announces_it_within_a_tick(sqlite_db):
    from bot.deadlines.ticker import report_stored

    db = sqlite_db
    await _roster(db)
    send = Recorder()
    await run_days(db, send, date(2026, 1, 1), date(2026, 1, 16))
    assert send.days(CHAT) == [date(2026, 1, 16)]
    await _submit(db, "富阳区鹿山街道", "鹿山", "街道")
    at = local(2026, 1, 18, 11, 0)
    assert await report_stored(db, chat_id=CHAT, year=2025, now=at) == 2  # dept and gov deadlines
    send.now = at
    await tick(db, send, at, "w", config=CONFIG, limiter=fast_limiter())
    assert len(send.sent) == 1  # not complete yet: the check is silent
    await _submit(db, "富阳区东洲街道", "东洲", "街道", seed=2)
    await _submit(db, "杭州市富阳区财政局", "财政局", "部门", seed=3)
    at = local(2026, 1, 18, 11, 5)
    await report_stored(db, chat_id=CHAT, year=2025, now=at)
    send.now = at
    await tick(db, send, at, "w", config=CONFIG, limiter=fast_limiter())
    assert send.sent[-1][2].startswith("✅ 全部提交") and send.sent[-1][0] == at
    await run_days(db, send, date(2026, 1, 19), date(2026, 2, 12))
    assert len(send.sent) == 2  # no ladder, no overdue notices afterwards


async def test_township_setting_moves_streets_to_the_march_deadline(sqlite_db):
    db = sqlite_db
    await _roster(db)
    await repo.roster_add(db, chat_id=CHAT, name="杭州市富阳区人民政府", kind="区县政府")
    await service.deadline_command(db, chat_id=CHAT, args="街道 3月31日", now=local(2026, 1, 1), config=CONFIG)
    send = Recorder()
    await run_days(db, send, date(2026, 1, 16), date(2026, 1, 16))
    await run_days(db, send, date(2026, 3, 17), date(2026, 3, 17))
    jan = send.sent[0][2]
    # the bot "was down" from Jan 16 to Mar 17: the skipped January points are reported once, not sent
    (missed,) = [t for _, _, t in send.sent if "错过了" in t]
    (mar,) = [t for _, _, t in send.sent if "本级政府" in t and "错过了" not in t]
    assert len(send.sent) == 3 and "错过了8条提醒" in missed
    assert "未提交（1/1）" in jan and "财政局" in jan and "鹿山" not in jan
    assert "本级政府" in mar and "未提交（3/3）" in mar and "鹿山" in mar and "东洲" in mar
    # the titles say for whom, as the chat set it (bot.deadlines.filing), not the stored default
    assert "（部门）" in jan and "街道" not in jan.split("，")[0]
    assert "（本级政府、街道/乡镇）" in mar


async def test_overdue_reminder_names_offices_that_still_must_fix(db):
    """Issue 21: after the deadline, an office whose confirmed finding is not fixed is named as 需整改;
    one whose only error was dismissed as 不是问题 is not named at all."""
    from bot.review import fingerprint
    from storage import review

    await _roster(db)
    wrong = Finding("T3-01", "error", "表3总计不等于各项之和", "表3 “总计”列", 180, 178, 2)
    for office, short, seed, decision in (("富阳区东洲街道", "东洲", 2, "confirmed"),
                                          ("富阳区鹿山街道", "鹿山", 3, "dismissed")):
        report = make_report(seed, office=office, short_name=short, kind="街道", year=2025)
        report.findings = [wrong]
        stored = (await repo.store_report(db, chat_id=CHAT, report=report)).report
        await review.rule_finding(db, chat_id=CHAT, report_id=stored.id, fingerprint=fingerprint(wrong),
                                  decision=decision, reason="核实" if decision == "dismissed" else "", user_id=1)
    send = Recorder()
    await run_days(db, send, date(2026, 1, 26), date(2026, 2, 3))
    before = [t for when, _, t in send.sent if when.date() <= date(2026, 1, 31)]
    after = [t for when, _, t in send.sent if when.date() > date(2026, 1, 31)]
    assert before and all("需整改" not in t for t in before)  # named as 需整改 only after the deadline
    assert "有错误待修改（1）：东洲" in before[-1] and "鹿山" not in before[-1]
    assert after and "需整改（1）：东洲" in after[0] and "有错误待修改" not in after[0]
    assert "未提交（1/3）：杭州市富阳区财政局" in after[0] and "鹿山" not in after[0]
