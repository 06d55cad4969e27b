"""An extended office's own reminder ladder (bot/deadlines/extension_ladder.py), ticked day by day against a
real database: its ladder days before its date (mentioning its contacts, nudging the opted-in ones), the
overdue week after it, 逾期 in later reminders, exactly once across a restart and with two schedulers, and
what stops it (the report, 取消延期, an exemption)."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta

from bot.deadlines import extension_ladder, office_terms, service
from bot.deadlines.obligations import office_note, owed_now
from bot.deadlines.ticker import tick
from storage import contacts, repo
from storage import reminders as store
from storage.db import Database
from tests.support.factories import make_report

from .helpers import CONFIG, fast_limiter, local, run_days

CHAT = -1001234567
ZHANGSAN = 20  # 鹿山's contact, opted in to private nudges
JAN_10 = local(2026, 1, 10, 10)
#: 鹿山 extended to Tuesday 2026-03-10 (chat ladder 14,7,3,1,0 at 09:00). Worked out by hand with the 2026
#: holiday notice: -14 = 2/24 (the first working day after the Spring Festival break 2/15–2/23), -7 = 3/3,
#: -3 = Sat 3/7 → Fri 3/6, -1 = 3/9, 0 = 3/10; overdue: the working days 3/11–3/17.
LUSHAN_DAYS = [date(2026, 2, 24), date(2026, 3, 3), date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10),
               date(2026, 3, 11), date(2026, 3, 12), date(2026, 3, 13), date(2026, 3, 16), date(2026, 3, 17)]
TICKS = (time(8, 59), time(9, 0, 30), time(15, 0))


class Recorder:
    """The injected sender, keeping entities (mentions) too."""

    def __init__(self) -> None:
        self.sent: list[tuple] = []
        self.now = None

    async def __call__(self, chat_id, text, *, entities=None, buttons=None):
        self.sent.append((self.now, chat_id, text, entities or [], buttons or []))
        return len(self.sent)

    def group(self) -> list[tuple]:
        return [s for s in self.sent if s[1] == CHAT]

    def about_lushan(self) -> list[tuple]:
        """Group messages of 鹿山's own ladder (the title names it)."""
        return [s for s in self.group() if "（鹿山，已延期）" in s[2]]


async def _setup(db, *, contact: bool = True):
    await repo.ensure_workspace(db, chat_id=CHAT, title="富阳区政务公开群")
    await repo.roster_add(db, chat_id=CHAT, name="杭州市富阳区财政局", kind="部门")
    await repo.roster_add(db, chat_id=CHAT, name="富阳区鹿山街道", kind="街道")
    await repo.roster_add(db, chat_id=CHAT, name="富阳区人民政府", kind="区县政府")
    if contact:
        office = await repo.resolve_office(db, name="富阳区鹿山街道")
        await contacts.bind_contact(db, chat_id=CHAT, office_id=office.id, user_id=ZHANGSAN, username="zhangsan",
                                    display_name="张三", bound_by=1)
        await contacts.opt_in(db, user_id=ZHANGSAN)


async def _extend(db, text="鹿山 延期至 3月10日 合并审批", now=JAN_10) -> str:
    return await service.deadline_command(db, chat_id=CHAT, args=text, user_id=1, now=now, config=CONFIG)


async def _submit(db, office, short, kind, seed):
    await repo.store_report(db, chat_id=CHAT, report=make_report(seed, office=office, short_name=short, kind=kind,
                                                                 year=2025))


async def test_an_extended_office_gets_its_own_ladder_then_stays_overdue(sqlite_db):
    db = sqlite_db
    await _setup(db)
    assert "已延期" in await _extend(db)
    send = Recorder()

    async def uploads(day):
        if day == date(2026, 1, 20):
            await _submit(db, "杭州市富阳区财政局", "财政局", "部门", 1)

    await run_days(db, send, date(2026, 1, 11), date(2026, 3, 31), hook=uploads, times=TICKS)
    own = send.about_lushan()
    assert [s[0].date() for s in own] == LUSHAN_DAYS
    assert all(s[0].time() >= time(9) for s in own)
    first, due_day, overdue = own[0][2], own[4][2], own[5][2]
    assert first.startswith("⏰ 截止提醒：2025年度年报报送（鹿山，已延期），截止3月10日（还有14天）")
    assert "未提交（1/1）" in first and "@zhangsan" in first
    assert [e["type"] for e in own[0][3]] == ["mention"]  # 张三 is mentioned, so notified
    assert "今天截止" in due_day
    assert overdue.startswith("⚠️ 逾期提醒：") and "已逾期1天" in overdue
    # the opted-in contact is nudged in private on the same days, with the extension's title
    nudges = [s for s in send.sent if s[1] == ZHANGSAN]
    assert [s[0].date() for s in nudges if "（鹿山，已延期）" in s[2]] == LUSHAN_DAYS
    assert "· 鹿山：未提交" in nudges[-1][2]
    # before 3/10 the chat's own January reminders name it apart, mentioning 张三 too
    jan16 = next(s for s in send.group() if s[0].date() == date(2026, 1, 16))
    assert "已延期（1）：" in jan16[2] and "· 鹿山（至3月10日）：@zhangsan" in jan16[2]
    assert "未提交（1/2）：" in jan16[2] and "鹿山" not in jan16[2].split("已延期")[0]
    # after its own overdue week it is still 逾期 in the government deadline's reminders (3月31日)
    gov = [s for s in send.group() if "本级政府" in s[2]]
    assert [s[0].date() for s in gov] == [date(2026, 3, 17), date(2026, 3, 24), date(2026, 3, 27),
                                          date(2026, 3, 30), date(2026, 3, 31)]
    assert "延期已过仍未交" not in gov[0][2]  # 3/17: its own overdue reminder names it that day
    assert "延期已过仍未交（1）：鹿山（至3月10日，已逾期14天）" in gov[1][2]
    # status answers say 逾期 too
    _, rows = await owed_now(db, chat_id=CHAT, today=date(2026, 4, 1))
    lushan = next(r for r in rows if r.name == "鹿山")
    assert lushan.note(date(2026, 4, 1)) == "延期至3月10日，已逾期22天（合并审批）"
    assert lushan.note() == "已延期至3月10日（合并审批）"
    assert await office_note(db, chat_id=CHAT, office_id=lushan.office.id, today=date(2026, 4, 1)) == \
        "延期至3月10日，已逾期22天（合并审批）"  # what 「鹿山的报告」 appends
    assert await office_note(db, chat_id=CHAT, office_id=lushan.office.id, today=date(2026, 3, 10)) == \
        "已延期至3月10日（合并审批）"  # its own date: not late yet
    listing = await service.deadline_command(db, chat_id=CHAT, args="", now=local(2026, 3, 12), config=CONFIG)
    assert "富阳区鹿山街道：延期至3月10日，已逾期2天（合并审批）" in listing


async def test_its_ladder_day_merges_into_the_chats_own_reminder(sqlite_db):
    """Extended to 2/5 (inside the January ladder): on days the chat's 1月31日 reminder goes out anyway,
    one message names 鹿山 (「已延期」 before its date, 「未提交」 after); on its other days it has its own."""
    db = sqlite_db
    await _setup(db)
    await _extend(db, "鹿山 延期至 2月5日")
    send = Recorder()
    await run_days(db, send, date(2026, 1, 11), date(2026, 2, 14), times=TICKS)
    per_day: dict[date, int] = {}
    for s in send.group():
        per_day[s[0].date()] = per_day.get(s[0].date(), 0) + 1
    assert set(per_day.values()) == {1}  # never two reminders on one day
    own = [s[0].date() for s in send.about_lushan()]
    # -14 = 1/22 and -7 = 1/29 are its own; 2/2–2/6 the chat's overdue week names it; then its own again
    assert own == [date(2026, 1, 22), date(2026, 1, 29), date(2026, 2, 9), date(2026, 2, 10), date(2026, 2, 11),
                   date(2026, 2, 12)]
    feb4 = next(s[2] for s in send.group() if s[0].date() == date(2026, 2, 4))
    assert "鹿山（至2月5日）：@zhangsan" in feb4
    feb6 = next(s[2] for s in send.group() if s[0].date() == date(2026, 2, 6))
    assert "未提交（2/2）" in feb6 and "鹿山：@zhangsan" in feb6
    # the private nudge still comes on each of its own ladder days, once a day
    nudge_days = [s[0].date() for s in send.sent if s[1] == ZHANGSAN]
    assert len(nudge_days) == len(set(nudge_days))
    assert {date(2026, 1, 22), date(2026, 2, 2), date(2026, 2, 5), date(2026, 2, 9)} <= set(nudge_days)


async def test_a_report_before_the_date_stops_the_ladder(sqlite_db):
    db = sqlite_db
    await _setup(db, contact=False)
    await _extend(db)
    send = Recorder()

    async def uploads(day):
        if day == date(2026, 3, 2):
            await _submit(db, "富阳区鹿山街道", "鹿山", "街道", 3)

    await run_days(db, send, date(2026, 2, 20), date(2026, 3, 20), hook=uploads, times=TICKS)
    assert [s[0].date() for s in send.about_lushan()] == [date(2026, 2, 24)]
    assert all("鹿山" not in s[2] for s in send.group() if s[0].date() > date(2026, 3, 2))
    [d] = [d for d in await store.list_deadlines(db, chat_id=CHAT) if extension_ladder.is_extension_kind(d.kind)]
    assert d.completed_at is not None


async def test_report_before_the_first_ladder_day_means_no_reminder_at_all(sqlite_db):
    db = sqlite_db
    await _setup(db, contact=False)
    await _extend(db)
    await _submit(db, "富阳区鹿山街道", "鹿山", "街道", 3)
    send = Recorder()
    await run_days(db, send, date(2026, 2, 20), date(2026, 3, 20), times=TICKS)
    assert send.about_lushan() == []


async def test_cancelling_the_extension_puts_it_back_on_the_chat_ladder(sqlite_db):
    db = sqlite_db
    await _setup(db, contact=False)
    await _extend(db)
    send = Recorder()

    async def hook(day):
        if day == date(2026, 1, 20):
            reply = await _extend(db, "鹿山 取消延期", now=local(2026, 1, 20, 8))
            assert reply.startswith("已取消 富阳区鹿山街道 的延期")

    await run_days(db, send, date(2026, 1, 11), date(2026, 3, 20), hook=hook, times=TICKS)
    assert send.about_lushan() == []
    jan16 = next(s[2] for s in send.group() if s[0].date() == date(2026, 1, 16))
    jan23 = next(s[2] for s in send.group() if s[0].date() == date(2026, 1, 23))
    assert "已延期：鹿山（至3月10日）" in jan16 and "未提交（1/2）：杭州市富阳区财政局" in jan16
    assert "已延期" not in jan23 and "未提交（2/2）" in jan23 and "鹿山" in jan23
    # the ladder row and its unsent reminders are cancelled, not just skipped
    [d] = await _extension_rows(db, include_cancelled=True)
    assert d.cancelled_at is not None
    assert all(r["cancelled_at"] is not None for r in await store.outbox(db) if r["source_id"] == d.id)


async def test_moving_the_date_or_exempting_replaces_the_ladder(sqlite_db):
    db = sqlite_db
    await _setup(db, contact=False)
    await _extend(db)
    await _extend(db, "鹿山 延期至 3月20日", now=local(2026, 1, 12, 10))
    [old, new] = await _extension_rows(db, include_cancelled=True)
    assert old.due == date(2026, 3, 10) and old.cancelled_at is not None
    assert new.due == date(2026, 3, 20) and new.cancelled_at is None
    send = Recorder()
    await run_days(db, send, date(2026, 3, 1), date(2026, 3, 12), times=TICKS)
    assert [s[0].date() for s in send.about_lushan()] == [date(2026, 3, 6)]  # -14 = 3/6; 3/10 is gone
    reply = await office_terms.exemption_command(db, chat_id=CHAT, words=["鹿山", "2025", "已撤并"], lift=False,
                                                 today=date(2026, 3, 12), user_id=1)
    assert "已设为免报" in reply
    await run_days(db, send, date(2026, 3, 13), date(2026, 3, 31), times=TICKS)
    assert [s[0].date() for s in send.about_lushan()] == [date(2026, 3, 6)]
    assert all("鹿山" not in s[2] for s in send.group() if s[0].date() > date(2026, 3, 12))


async def test_extending_again_after_cancelling_plans_a_fresh_ladder(sqlite_db):
    """The same date again revives the cancelled row: its old reminders stay cancelled, new ones (new
    keys, versioned by when the extension was set) are planned."""
    db = sqlite_db
    await _setup(db, contact=False)
    await _extend(db)
    await _extend(db, "鹿山 取消延期", now=local(2026, 1, 12, 10))
    await _extend(db, now=local(2026, 1, 13, 10))
    [row] = await _extension_rows(db, include_cancelled=True)
    assert row.cancelled_at is None
    send = Recorder()
    await run_days(db, send, date(2026, 2, 20), date(2026, 3, 20), times=TICKS)
    assert [s[0].date() for s in send.about_lushan()] == LUSHAN_DAYS


async def _extension_rows(db, *, include_cancelled=False):
    return [d for d in await store.list_deadlines(db, chat_id=CHAT, include_cancelled=include_cancelled)
            if extension_ladder.is_extension_kind(d.kind)]


async def test_exactly_once_across_a_restart(db_url):
    first = Database(db_url)
    await _setup(first)
    await _extend(first)
    send = Recorder()
    await run_days(first, send, date(2026, 2, 20), date(2026, 3, 6), worker_id="proc-1", times=TICKS)
    await first.close()
    second = Database(db_url)  # a new process: new engine, new worker id, nothing in memory
    await run_days(second, send, date(2026, 3, 6), date(2026, 3, 20), worker_id="proc-2", times=TICKS)
    await second.close()
    assert [s[0].date() for s in send.about_lushan()] == LUSHAN_DAYS
    assert [s[0].date() for s in send.sent if s[1] == ZHANGSAN] == LUSHAN_DAYS


async def test_two_schedulers_send_each_reminder_once(db_url):
    """Two processes (two engines, two worker ids) tick at the same instants; both plan the ladder."""
    one, two = Database(db_url), Database(db_url)
    try:
        await _setup(one)
        # the extension is stored without the command: the ticks alone must plan its ladder
        office = await repo.resolve_office(one, name="富阳区鹿山街道")
        from storage import obligations

        await obligations.set_obligation(one, chat_id=CHAT, office_id=office.id, report_year=2025,
                                         kind="extension", due=date(2026, 3, 10))
        send = Recorder()
        day = date(2026, 2, 20)
        while day <= date(2026, 3, 20):
            for t in TICKS:
                now = local(day.year, day.month, day.day, t.hour, t.minute, t.second)
                send.now = now
                await asyncio.gather(tick(one, send, now, "one", config=CONFIG, limiter=fast_limiter()),
                                     tick(two, send, now + timedelta(milliseconds=3), "two", config=CONFIG,
                                          limiter=fast_limiter()))
            day += timedelta(days=1)
        assert [s[0].date() for s in send.about_lushan()] == LUSHAN_DAYS
        assert [s[0].date() for s in send.sent if s[1] == ZHANGSAN] == LUSHAN_DAYS
        assert len(await _extension_rows(one, include_cancelled=True)) == 1
    finally:
        await one.close()
        await two.close()


async def test_deadline_listing_hides_the_ladder_row_and_refuses_to_cancel_it(sqlite_db):
    db = sqlite_db
    await _setup(db, contact=False)
    await _extend(db)
    [row] = await _extension_rows(db)
    listing = await service.deadline_command(db, chat_id=CHAT, args="", now=JAN_10, config=CONFIG)
    assert f"#{row.id} " not in listing and "富阳区鹿山街道：已延期至3月10日（合并审批）" in listing
    reply = await service.deadline_command(db, chat_id=CHAT, args=f"取消 {row.id}", user_id=1, now=JAN_10,
                                           config=CONFIG)
    assert "取消延期" in reply and "未做更改" in reply
    assert (await store.get_deadline(db, deadline_id=row.id)).cancelled_at is None
