"""Command services without Telegram: replies for good and bad input, and settings that re-plan."""

from __future__ import annotations

from datetime import date, time

from bot.deadlines import service
from bot.deadlines.ticker import tick
from storage import reminders as store
from storage import repo

from .helpers import CONFIG, Recorder, fast_limiter, local, run_days

CHAT = -1009


async def test_deadline_replies_for_bad_input_and_cancel(sqlite_db):
    db = sqlite_db
    now = local(2026, 11, 22, 10)
    assert "已经过去了" in await service.deadline_command(db, chat_id=CHAT, args="2026-11-01 x", now=now, config=CONFIG)
    assert "看不懂这个日期" in await service.deadline_command(db, chat_id=CHAT, args="下个月底", now=now, config=CONFIG)
    assert "只能是 1月31日" in await service.deadline_command(db, chat_id=CHAT, args="街道 2月1日", now=now,
                                                            config=CONFIG)
    assert "提前的天数" in await service.deadline_command(db, chat_id=CHAT, args="提前 很多", now=now, config=CONFIG)
    added = await service.deadline_command(db, chat_id=CHAT, args="1月15日 提交区政府办", now=now, config=CONFIG)
    assert "2027年1月15日 提交区政府办" in added
    assert "已经有了" in await service.deadline_command(db, chat_id=CHAT, args="2027-01-15 提交区政府办", now=now,
                                                    config=CONFIG)
    (d,) = await store.list_deadlines(db, chat_id=CHAT, kinds=["custom"])
    assert "已取消截止日" in await service.deadline_command(db, chat_id=CHAT, args=f"取消 {d.id}", now=now,
                                                        config=CONFIG)
    assert all(r["cancelled_at"] is not None for r in await store.outbox(db, chat_id=CHAT))
    assert "没有找到" in await service.deadline_command(db, chat_id=CHAT, args=f"取消 {d.id}", now=now, config=CONFIG)
    listing = await service.deadline_command(db, chat_id=CHAT, args="", now=now, config=CONFIG)
    assert "2027年1月31日 [法定]" in listing and "2027年3月31日 [法定]" in listing and "[本群]" not in listing


async def test_changing_the_time_replans_pending_reminders(sqlite_db):
    db = sqlite_db
    await repo.ensure_workspace(db, chat_id=CHAT)
    send = Recorder()
    await run_days(db, send, date(2026, 1, 10), date(2026, 1, 10))  # statutory ladder planned
    reply = await service.deadline_command(db, chat_id=CHAT, args="时间 15:30", now=local(2026, 1, 10, 12),
                                           config=CONFIG)
    assert "15:30" in reply
    await run_days(db, send, date(2026, 1, 11), date(2026, 1, 16), times=(time(9, 0, 30), time(15, 30, 30)))
    assert [(w.date(), w.time()) for w, _, _ in send.sent] == [(date(2026, 1, 16), time(15, 30, 30))]


async def test_apply_replies(sqlite_db):
    db = sqlite_db
    now = local(2026, 3, 2, 10)
    assert "不能晚于今天" in await service.apply_command(db, chat_id=CHAT, args="2026-03-05 x", now=now, config=CONFIG)
    assert "申请摘要" in await service.apply_command(db, chat_id=CHAT, args="3月1日", now=now, config=CONFIG)
    assert "没有未办结的申请" in await service.apply_command(db, chat_id=CHAT, args="", now=now, config=CONFIG)
    assert "第1号" in await service.apply_command(db, chat_id=CHAT, args="3月1日 王五申请", now=now, config=CONFIG)
    assert "没有未办结的第2号申请" in await service.extend_command(db, chat_id=CHAT, args="2", config=CONFIG)
    assert "已办结" in await service.apply_command(db, chat_id=CHAT, args="办结 1", now=now, config=CONFIG)
    assert await store.list_applications(db, chat_id=CHAT) == []
    send = Recorder()
    send.now = local(2026, 3, 30, 9, 1)
    assert (await tick(db, send, send.now, "w", config=CONFIG, limiter=fast_limiter(), plan=False)).sent == 0
