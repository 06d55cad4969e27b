"""Per-office extensions and exemptions, and escalation to a supervisor chat, through the real bot and the
fake Bot API: the commands, their bad input, the answers that show them, and the reminders they change."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.deadlines import ticker
from bot.deadlines.config import ReminderConfig
from bot.deadlines.ladder import filing_year
from bot.deadlines.limiter import Limiter
from bot.deadlines.workdays import add_workdays, previous_workday
from handlers.reminders import make_sender
from storage import obligations as store
from storage import repo

GROUP, SUPERVISOR = -100771, -100772
ADMIN, MEMBER, SUP_ADMIN = 1, 5, 21
TZ = ZoneInfo("Asia/Shanghai")


def today() -> date:
    return datetime.now(TZ).date()


async def _say(tg, chat, user, command, *args):
    """Send a command and return the bot's answer (sequential bot: one answer per command)."""
    before = len(tg.bot_messages(chat))
    await tg.send_command(chat, command, *args, user_id=user)
    return (await tg.wait_messages(chat, before + 1))[-1]["text"]


async def test_extension_exemption_and_escalation_end_to_end(start_bot):
    year = filing_year(today())
    ext_due = max(date(year + 1, 2, 5), today() + timedelta(days=7))
    ext_md = f"{ext_due.month}月{ext_due.day}日"
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, "富阳区政务公开群", admins=[ADMIN])
        tg.group(SUPERVISOR, "杭州市政务公开群", admins=[SUP_ADMIN])
        await _say(tg, GROUP, ADMIN, "roster", "add", "富阳区财政局、富阳区鹿山街道、富阳区五星街道")

        # bad input: a clear line, nothing changed
        assert "只有本群管理员" in await _say(tg, GROUP, MEMBER, "deadline", "鹿山", "延期至", ext_due.isoformat())
        assert "不在本群应报名单上" in await _say(tg, GROUP, ADMIN, "deadline", "银湖", "延期至", ext_due.isoformat())
        assert "不是将来的日期" in await _say(tg, GROUP, ADMIN, "deadline", "鹿山", "延期至", "2020-02-05")
        assert "没有2月30日这一天" in await _say(tg, GROUP, ADMIN, "deadline", "鹿山", "延期至", "2月30日")
        assert "只有本群管理员" in await _say(tg, GROUP, MEMBER, "roster", "免报", "五星", str(year))
        assert await store.obligations(db, chat_id=GROUP, report_year=year) == {}

        reply = await _say(tg, GROUP, ADMIN, "deadline", "鹿山", "延期至", ext_due.isoformat(), "报告审批中")
        assert reply.startswith("已延期：富阳区鹿山街道") and "报告审批中" in reply
        assert "已设为免报" in await _say(tg, GROUP, ADMIN, "roster", "免报", "五星", str(year), "已撤并")

        roster = await _say(tg, GROUP, MEMBER, "roster")
        assert f"🚫 免报 富阳区五星街道（{year}年度免报（已撤并））" in roster
        assert f"⏳ 未交 富阳区鹿山街道（已延期至{ext_md}（报告审批中））" in roster
        missing = await _say(tg, GROUP, MEMBER, "ask", "谁还没交")
        assert "五星" not in missing.split("\n")[1] and "另有1个免报" in missing and "名册共2个" in missing
        assert f"富阳区鹿山街道（已延期至{ext_md}" in missing
        listing = await _say(tg, GROUP, MEMBER, "deadline")
        assert f"富阳区鹿山街道：已延期至{ext_md}（报告审批中）" in listing and "富阳区五星街道：" in listing
        status = await _say(tg, GROUP, MEMBER, "ask", "鹿山交了吗")
        assert f"已延期至{ext_md}" in status and "❌" not in status
        assert f"{year}年度免报" in await _say(tg, GROUP, MEMBER, "ask", "五星交了吗")
        assert f"已延期至{ext_md}（报告审批中）" in await _say(tg, GROUP, MEMBER, "ask", "鹿山的报告")
        assert f"{year}年度免报（已撤并）" in await _say(tg, GROUP, MEMBER, "ask", "五星的报告")

        # link: code in the child chat, confirmed by an admin of the supervisor chat only
        reply = await _say(tg, GROUP, ADMIN, "escalate", "上级")
        code = reply.split("：", 1)[1][:8]
        assert "只有本群管理员" in await _say(tg, SUPERVISOR, ADMIN, "escalate", "确认", code)  # admin elsewhere
        assert "只有本群管理员" in await _say(tg, SUPERVISOR, MEMBER, "escalate", "确认", code)
        assert "不能在生成它的本群确认" in await _say(tg, GROUP, ADMIN, "escalate", "确认", code)
        assert "不存在" in await _say(tg, SUPERVISOR, SUP_ADMIN, "escalate", "确认", "ABCDEFGH")
        assert "无效" in await _say(tg, SUPERVISOR, SUP_ADMIN, "escalate", "确认", "x' OR 1=1")
        assert await store.supervisor_of(db, child_chat_id=GROUP) is None
        assert "已关联" in await _say(tg, SUPERVISOR, SUP_ADMIN, "escalate", "确认", code)
        assert "用过了" in await _say(tg, SUPERVISOR, SUP_ADMIN, "escalate", "确认", code)
        assert tg.calls_to("getChatMember")  # asked Telegram who administers the supervisor chat

        # the ladder through the real sender: the exempt office never named, the extended one apart
        send, config = make_sender(h.app.bot), ReminderConfig(tz=TZ)

        async def tick_at(day: date, worker: str = "t") -> None:
            now = datetime.combine(day, time(9, 0, 30), tzinfo=TZ)
            await ticker.tick(db, send, now, worker, config=config, limiter=Limiter(per_chat_gap=0.0))

        await tick_at(previous_workday(date(year + 1, 1, 17)))  # 14 days before 1月31日
        [ladder] = [t for t in tg.texts(GROUP) if t.startswith("⏰ 截止提醒")]
        assert "未提交（1/2）：富阳区财政局" in ladder and f"已延期：鹿山（至{ext_md}）" in ladder
        assert "五星" not in ladder
        day = add_workdays(date(year + 1, 1, 31), 3)
        await tick_at(day)
        await tick_at(day, worker="after-restart")  # another process, same minute: still one summary
        await tick_at(day + timedelta(days=1))
        summaries = [t for t in tg.texts(SUPERVISOR) if t.startswith("📣")]
        assert len(summaries) == 1, summaries
        assert "「富阳区政务公开群」" in summaries[0] and "富阳区财政局" in summaries[0] and "五星" not in summaries[0]
        asked = await _say(tg, SUPERVISOR, MEMBER, "escalate", "汇总")
        assert "富阳区财政局" in asked

        assert "只有本群管理员" in await _say(tg, GROUP, MEMBER, "escalate", "解除")
        assert "已解除" in await _say(tg, GROUP, ADMIN, "escalate", "解除")
        actions = {e.action for e in await repo.audit_log(db, chat_id=GROUP)}
        assert {"obligation_extension", "obligation_exemption", "link_code", "link_confirmed",
                "link_removed"} <= actions


async def test_lifting_an_extension_and_an_exemption(start_bot):
    year = filing_year(today())
    ext_due = max(date(year + 1, 2, 5), today() + timedelta(days=7))
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[ADMIN])
        await _say(tg, GROUP, ADMIN, "roster", "add", "富阳区鹿山街道、富阳区五星街道")
        await _say(tg, GROUP, ADMIN, "deadline", "鹿山", "延期至", ext_due.isoformat())
        await _say(tg, GROUP, ADMIN, "roster", "免报", "五星", str(year))
        assert "已取消 富阳区鹿山街道 的延期" in await _say(tg, GROUP, ADMIN, "deadline", "鹿山", "取消延期")
        assert "已取消免报" in await _say(tg, GROUP, ADMIN, "roster", "取消免报", "五星", str(year))
        assert await store.obligations(db, chat_id=GROUP, report_year=year) == {}
        assert "/roster 免报" in await _say(tg, GROUP, ADMIN, "roster", "免报")
        assert "用法" in await _say(tg, GROUP, ADMIN, "escalate", "随便")
        assert "只能在群里" in await _say(tg, ADMIN, ADMIN, "escalate", "上级")
