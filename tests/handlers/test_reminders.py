"""The reminder commands and the tick job through the real bot against the fake Bot API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.deadlines import ticker
from bot.deadlines.config import ReminderConfig
from bot.deadlines.limiter import Limiter
from handlers.reminders import make_sender
from storage import reminders as store
from storage import repo

GROUP = -100555
ADMIN, MEMBER = 1, 5
QUIET = {"NIANBAO_SCHEDULER": "false"}


async def _last(tg, chat, count):
    return (await tg.wait_messages(chat, count))[-1]


async def test_remind_list_and_cancel_with_button(start_bot):
    async with start_bot(sequential=True, **QUIET) as h:
        tg = h.tg
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_command(GROUP, "remind", "每周一", "9:00", "请各单位更新报送进度", user_id=ADMIN)
        assert "每周一 09:00" in (await _last(tg, GROUP, 1))["text"]
        await tg.send_command(GROUP, "remind", "明天", "9点半", "提交年报", user_id=ADMIN)
        assert "09:30 提醒：提交年报" in (await _last(tg, GROUP, 2))["text"]
        await tg.send_command(GROUP, "reminders", user_id=MEMBER)
        listing = await _last(tg, GROUP, 3)
        assert "请各单位更新报送进度" in listing["text"] and "提交年报" in listing["text"]
        buttons = [b for row in listing["reply_markup"]["inline_keyboard"] for b in row]
        assert len(buttons) == 2 and all(b["text"].startswith("取消") for b in buttons)
        # a member may look but not cancel
        await tg.press(GROUP, listing["message_id"], buttons[0]["callback_data"], user_id=MEMBER)
        await tg.wait_calls("answerCallbackQuery")
        assert len(await service_list(h)) == 2
        await tg.press(GROUP, listing["message_id"], buttons[0]["callback_data"], user_id=ADMIN)
        await tg.wait_calls("editMessageText")
        edited = tg.calls_to("editMessageText")[-1].params
        assert "已取消提醒" in edited["text"]
        assert len(await service_list(h)) == 1


async def service_list(h):
    return await store.list_custom(h.db, chat_id=GROUP)


async def test_remind_refuses_members_and_explains_bad_dates(start_bot):
    async with start_bot(sequential=True, **QUIET) as h:
        tg = h.tg
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_command(GROUP, "remind", "明天", "9点", "x", user_id=MEMBER)
        assert "只有本群管理员" in (await _last(tg, GROUP, 1))["text"]
        await tg.send_command(GROUP, "remind", "2月30日", "提交", user_id=ADMIN)
        assert "没有2月30日这一天" in (await _last(tg, GROUP, 2))["text"]
        await tg.send_command(GROUP, "remind", "2020-01-01", "9:00", "提交", user_id=ADMIN)
        assert "已经过去了" in (await _last(tg, GROUP, 3))["text"]
        await tg.send_command(GROUP, "remind", user_id=ADMIN)
        assert "/remind 2027-01-20 09:30" in (await _last(tg, GROUP, 4))["text"]
        assert await store.list_custom(h.db, chat_id=GROUP) == []


async def test_deadline_list_add_and_settings(start_bot):
    async with start_bot(sequential=True, **QUIET) as h:
        tg = h.tg
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_command(GROUP, "deadline", user_id=MEMBER)
        listing = (await _last(tg, GROUP, 1))["text"]
        assert "[法定]" in listing and "1月31日" in listing and "3月31日" in listing
        await tg.send_command(GROUP, "deadline", "1月15日", "提交区政府办", user_id=MEMBER)
        assert "只有本群管理员" in (await _last(tg, GROUP, 2))["text"]
        await tg.send_command(GROUP, "deadline", "1月15日", "提交区政府办", user_id=ADMIN)
        assert "已添加截止日" in (await _last(tg, GROUP, 3))["text"]
        await tg.send_command(GROUP, "deadline", "提前", "10,3,0", user_id=ADMIN)
        assert "10、3、0" in (await _last(tg, GROUP, 4))["text"]
        await tg.send_command(GROUP, "deadline", "街道", "3月31日", user_id=ADMIN)
        assert "3月31日" in (await _last(tg, GROUP, 5))["text"]
        await tg.send_command(GROUP, "deadline", user_id=MEMBER)
        listing = (await _last(tg, GROUP, 6))["text"]
        assert "[本群] 提交区政府办" in listing and "截止前 10、3、0 天" in listing
        assert "街道/乡镇年报截止：3月31日" in listing
        assert await repo.get_chat_setting(h.db, chat_id=GROUP, key="reminder_ladder") == "10,3,0"


async def test_apply_and_extend(start_bot):
    async with start_bot(sequential=True, **QUIET) as h:
        tg = h.tg
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_command(GROUP, "apply", "2026-02-10", "张三申请公开某某文件", user_id=ADMIN)
        reply = (await _last(tg, GROUP, 1))["text"]
        assert "第1号申请" in reply and "答复期限 2026年3月16日" in reply
        await tg.send_command(GROUP, "extend", "1", user_id=ADMIN)
        assert "2026年4月14日" in (await _last(tg, GROUP, 2))["text"]
        await tg.send_command(GROUP, "apply", user_id=MEMBER)
        assert "第1号" in (await _last(tg, GROUP, 3))["text"] and "已延期" in (await _last(tg, GROUP, 3))["text"]


async def test_scheduler_job_sends_due_reminder(start_bot):
    async with start_bot(NIANBAO_SCHEDULER="true") as h:
        tg = h.tg
        tg.group(GROUP, admins=[ADMIN])
        r = await store.add_custom(h.db, chat_id=GROUP, text="请各单位提交年报", weekday=None, at_time="09:00")
        await ticker.plan_custom(h.db, r, when=datetime.now(UTC) - timedelta(seconds=1))
        [msg] = await tg.wait_messages(GROUP, 1, timeout=20)
        assert msg["text"] == "⏰ 提醒：请各单位提交年报"
        assert h.app.job_queue.get_jobs_by_name("reminder-tick")


async def test_no_tick_job_when_scheduler_off(start_bot):
    async with start_bot(**QUIET) as h:
        assert h.app.job_queue.get_jobs_by_name("reminder-tick") == ()


async def test_sender_translates_telegram_errors(start_bot):
    async with start_bot(**QUIET) as h:
        tg, db = h.tg, h.db
        tg.group(-11, admins=[ADMIN])
        tg.group(-12, admins=[ADMIN])
        now = datetime.now(UTC)
        for chat in (-11, -12):
            await repo.ensure_workspace(db, chat_id=chat)
            r = await store.add_custom(db, chat_id=chat, text=f"提醒{chat}", weekday=None, at_time="09:00")
            await ticker.plan_custom(db, r, when=now - timedelta(seconds=1))
        tg.fail("sendMessage", 403, chat_id=-11)
        tg.fail("sendMessage", 400, chat_id=-12, migrate_to_chat_id=-10012)
        result = await ticker.tick(db, make_sender(h.app.bot), now, "t", config=ReminderConfig(),
                                   limiter=Limiter(per_chat_gap=0.0), plan=False)
        assert result.sent == 1 and result.failed == 1
        assert tg.texts(-10012) == ["⏰ 提醒：提醒-12"]
        assert -11 not in await repo.list_workspaces(db)
        assert [r.chat_id for r in await store.list_custom(db, chat_id=-10012)] == []  # one-off, now sent
        assert (await store.outbox(db, chat_id=-10012))[0]["sent_at"] is not None


async def test_group_migration_moves_reminders(start_bot):
    async with start_bot(sequential=True, **QUIET) as h:
        tg = h.tg
        tg.group(-77, admins=[ADMIN])
        await tg.send_command(-77, "remind", "每周一", "9:00", "周报", user_id=ADMIN)
        await tg.wait_messages(-77, 1)
        await tg.migrate(-77, -10077)
        await tg.send_command(-10077, "reminders", user_id=MEMBER)
        listing = await _last(tg, -10077, 1)
        assert "每周一 09:00 周报" in listing["text"]
