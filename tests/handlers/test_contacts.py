"""Contacts end to end: /roster 联系人, the verdict button, tagged reminders, private nudges (issue 20).

The real application runs against the fake Bot API; reminders are sent by the real ticker through the
bot's real sender (``handlers.reminders.make_sender``), on a simulated ladder (explicit ``now``; the
button presses run under ``time_machine`` at the same simulated time).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

from bot.deadlines import ticker
from bot.deadlines.config import ReminderConfig
from handlers.reminders import make_sender
from storage import contacts, repo
from storage import reminders as store
from tests.bot.deadlines.helpers import fast_limiter
from tests.handlers.conftest import EXAMPLES

GROUP = -100777
ADMIN, MEMBER = 1, 5
ZHANG, LI, WANG, ROBOT = 20, 21, 22, 30
TZ = ZoneInfo("Asia/Shanghai")
CONFIG = ReminderConfig(tz=TZ, ladder=(3, 0))
DUE = date(2027, 3, 12)  # a Friday: ladder days Tue 9 March (−3) and Fri 12 March (0)


def people(tg) -> None:
    tg.group(GROUP, admins=[ADMIN])
    tg.usernames[ZHANG] = "zhangsan"
    tg.names[ZHANG] = "张三"
    tg.names[LI] = "李四🙂"  # no username: a text mention; the emoji is 2 UTF-16 units
    tg.usernames[WANG] = "wangwu"
    tg.usernames[ROBOT] = "otherbot"
    tg.bots.add(ROBOT)


def u16(text: str, entity: dict) -> str:
    """The text an entity covers, counted in UTF-16 code units as Telegram does."""
    raw = text.encode("utf-16-le")
    return raw[entity["offset"] * 2:(entity["offset"] + entity["length"]) * 2].decode("utf-16-le")


async def _last(tg, count):
    return (await tg.wait_messages(GROUP, count))[-1]["text"]


async def test_bind_unbind_and_every_refusal(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        people(tg)
        await tg.send_command(GROUP, "roster", "add", "富阳区鹿山街道", "五星街道", user_id=ADMIN)
        await _last(tg, 1)
        # @zhangsan has never written here: the bot cannot know who that is
        await tg.send_command(GROUP, "roster", "联系人", "鹿山", "@zhangsan", user_id=ADMIN)
        assert "我还不认识 @zhangsan" in await _last(tg, 2)
        for uid in (ZHANG, WANG, ROBOT):
            await tg.send_text(GROUP, "收到", user_id=uid)
        li_msg = await tg.send_text(GROUP, "我是五星的", user_id=LI)
        # a member may not bind
        await tg.send_command(GROUP, "roster", "联系人", "鹿山", "@zhangsan", user_id=MEMBER)
        assert "只有本群管理员" in await _last(tg, 3)
        # an office not on the roster, a bot, someone who left
        await tg.send_command(GROUP, "roster", "联系人", "水泥路", "@zhangsan", user_id=ADMIN)
        assert "不在本群应报名单上" in await _last(tg, 4)
        await tg.send_command(GROUP, "roster", "联系人", "鹿山", "@otherbot", user_id=ADMIN)
        assert "是机器人" in await _last(tg, 5)
        tg.left[GROUP] = {WANG}
        await tg.send_command(GROUP, "roster", "联系人", "鹿山", "@wangwu", user_id=ADMIN)
        assert "不在本群" in await _last(tg, 6)
        assert await contacts.contacts_for(db, chat_id=GROUP) == {}
        # bound by @username, then by replying to the person's message
        await tg.send_command(GROUP, "roster", "联系人", "鹿山", "@ZhangSan", user_id=ADMIN)
        reply = await _last(tg, 7)
        assert "已设 @zhangsan 为鹿山" in reply and "https://t.me/nianbao_test_bot?start=nudge" in reply
        await tg.send_text(GROUP, "/roster 联系人 五星", user_id=ADMIN, reply_to=li_msg["message"]["message_id"])
        assert "已设 李四🙂 为五星" in await _last(tg, 8)
        bound = await contacts.contacts_for(db, chat_id=GROUP)
        assert sorted(c.user_id for cs in bound.values() for c in cs) == [ZHANG, LI]
        await tg.send_command(GROUP, "roster", user_id=MEMBER)
        listing = await _last(tg, 9)
        assert "鹿山街道（" in listing and "联系人 @zhangsan" in listing and "联系人 李四🙂" in listing
        # binding again says so; the opt-in hint was told once only
        await tg.send_command(GROUP, "roster", "联系人", "鹿山", "@zhangsan", user_id=ADMIN)
        assert "已经是鹿山的联系人" in await _last(tg, 10)
        await tg.send_command(GROUP, "roster", "联系人", "鹿山", "删除", "@zhangsan", user_id=ADMIN)
        assert "已移除" in await _last(tg, 11)
        await tg.send_command(GROUP, "roster", "联系人", "鹿山", "删除", "@zhangsan", user_id=ADMIN)
        assert "不是" in await _last(tg, 12) and "未做更改" in await _last(tg, 12)
        actions = [e.action for e in await repo.audit_log(db, chat_id=GROUP)]
        assert actions.count("contact_bind") == 2 and actions.count("contact_unbind") == 1


async def test_text_mention_in_the_command_binds_a_user_without_username(start_bot):
    async with start_bot(sequential=True) as h:
        tg = h.tg
        people(tg)
        await tg.send_command(GROUP, "roster", "add", "五星街道", user_id=ADMIN)
        await _last(tg, 1)
        text = "/roster 联系人 五星 李四🙂"
        offset = len(text[:text.index("李")].encode("utf-16-le")) // 2
        await tg.send_text(GROUP, text, user_id=ADMIN, entities=[
            {"type": "text_mention", "offset": offset, "length": 4, "user": tg.user(LI)}])
        assert "已设 李四🙂 为五星" in await _last(tg, 2)


async def test_sender_of_a_report_is_offered_as_contact(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        people(tg)
        report = next(p for p in sorted(EXAMPLES.glob("*.txt")) if "鹿山" in p.read_text(encoding="utf-8")[:400])
        await tg.send_command(GROUP, "roster", "add", "富阳区鹿山街道", user_id=ADMIN)
        await _last(tg, 1)
        await tg.send_document(GROUP, report.name, report.read_bytes(), user_id=ZHANG)
        verdict = (await tg.wait_messages(GROUP, 2))[-1]
        buttons = [b for row in verdict["reply_markup"]["inline_keyboard"] for b in row]
        offer = next(b for b in buttons if b["text"] == "设为鹿山联系人")
        await tg.press(GROUP, verdict["message_id"], offer["callback_data"], user_id=MEMBER)  # not an admin
        await tg.wait_calls("answerCallbackQuery")
        assert await contacts.contacts_for(db, chat_id=GROUP) == {}
        await tg.press(GROUP, verdict["message_id"], offer["callback_data"], user_id=ADMIN)
        assert "已设 @zhangsan 为鹿山" in await _last(tg, 3)
        [[contact]] = (await contacts.contacts_for(db, chat_id=GROUP)).values()
        assert contact.user_id == ZHANG and contact.bound_by == ADMIN


async def _deadline(db, offices: list[str]) -> store.Deadline:
    await repo.ensure_workspace(db, chat_id=GROUP, title="工作群")
    for name in offices:
        await repo.roster_add(db, chat_id=GROUP, name=name)
    d, _ = await store.add_deadline(db, chat_id=GROUP, kind="custom", due=DUE, title="提交区政府办",
                                    report_year=2026)
    await ticker.plan_deadline(db, d, now=datetime(2027, 3, 1, tzinfo=TZ), config=CONFIG)
    return d


async def _bind(db, office_name: str, user_id: int, username: str | None, name: str) -> None:
    office = next(o for o in await repo.roster(db, chat_id=GROUP) if office_name in o.name)
    await contacts.bind_contact(db, chat_id=GROUP, office_id=office.id, user_id=user_id, username=username,
                                display_name=name, bound_by=ADMIN)


async def _tick(h, day: date, at: time = time(9, 0, 5), limiter=None):
    return await ticker.tick(h.db, make_sender(h.app.bot), datetime.combine(day, at, tzinfo=TZ), "w1",
                             config=CONFIG, limiter=limiter or fast_limiter(), plan=False)


async def test_reminder_mentions_contacts_with_utf16_offsets(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        people(tg)
        await _deadline(db, ["富阳区鹿山街道", "五星街道", "银湖街道"])
        await _bind(db, "鹿山", ZHANG, "zhangsan", "张三")
        await _bind(db, "五星", LI, None, "李四🙂")
        report = await _tick(h, date(2027, 3, 9))
        assert report.sent == 1
        [call] = [c for c in tg.calls_to("sendMessage") if c.params["chat_id"] == GROUP]
        text, entities = call.params["text"], call.params["entities"]
        assert "未提交（3/3）" in text and "· 银湖（未设联系人）" in text and "· 鹿山：@zhangsan" in text
        assert sorted((e["type"], u16(text, e)) for e in entities) == [("mention", "@zhangsan"),
                                                                       ("text_mention", "李四🙂")]
        assert next(e for e in entities if e["type"] == "text_mention")["user"]["id"] == LI
        # the message as the group sees it carries the same entities
        assert (await tg.wait_messages(GROUP, 1))[0]["entities"] == entities


async def test_many_contacts_are_split_within_limits_and_tagging_can_be_turned_off(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        people(tg)
        names = [f"第{i}街道" for i in range(1, 13)]
        await _deadline(db, names)
        for i, name in enumerate(names):
            await _bind(db, name, 100 + i, None, f"联系人{i}😀")
        await _tick(h, date(2027, 3, 9))
        parts = await tg.wait_messages(GROUP, 3)
        assert len(parts) == 3 and parts[1]["text"].startswith("（续 2/3）")
        mentioned = []
        for part in parts:
            assert len(part["entities"]) <= 5 and len(part["text"].encode("utf-16-le")) // 2 <= 4096
            mentioned += [e["user"]["id"] for e in part["entities"]]
            assert all(u16(part["text"], e).startswith("联系人") for e in part["entities"])
        assert sorted(mentioned) == [100 + i for i in range(12)]  # everyone, once
        # an admin turns tagging off: the next reminder names offices only
        await tg.send_command(GROUP, "roster", "点名", "关", user_id=ADMIN)
        assert "已关闭点名" in (await tg.wait_messages(GROUP, 4))[-1]["text"]
        await _tick(h, DUE)
        last = (await tg.wait_messages(GROUP, 5))[-1]
        assert "未提交（12/12）：第10、第11" in last["text"] and "entities" not in last


async def test_private_nudges_only_to_opted_in_snooze_and_block(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        people(tg)
        await _deadline(db, ["富阳区鹿山街道", "五星街道"])
        await _bind(db, "鹿山", ZHANG, "zhangsan", "张三")
        await _bind(db, "五星", LI, None, "李四🙂")
        await tg.send_command(tg.private(ZHANG), "start", "nudge", user_id=ZHANG)  # the deep link
        await tg.wait_for(lambda: any("已开启私信提醒" in t for t in tg.texts(ZHANG)))
        assert await contacts.opted_in(db, user_ids=[ZHANG, LI]) == {ZHANG}
        tue = date(2027, 3, 9)
        await _tick(h, tue)  # the group reminder; it plans the nudges and sends them in the same tick
        await _tick(h, tue, time(9, 0, 40))  # nothing more
        nudge = next(m for m in tg.bot_messages(ZHANG) if m["text"].startswith("📌"))
        assert "· 鹿山：未提交" in nudge["text"] and "五星" not in nudge["text"]
        assert nudge["text"].startswith("📌 【工作群】提交区政府办，截止3月12日（还有3天）")
        assert not [c for c in tg.calls_to("sendMessage") if c.params["chat_id"] == LI]  # never opted in
        labels = [b["text"] for row in nudge["reply_markup"]["inline_keyboard"] for b in row]
        assert labels == ["已提交", "今天提交", "推迟一天提醒"]
        snooze = nudge["reply_markup"]["inline_keyboard"][0][2]["callback_data"]
        with time_machine.travel(datetime.combine(tue, time(10, 0), tzinfo=TZ), tick=True):
            await tg.press(ZHANG, nudge["message_id"], snooze, user_id=ZHANG)
            await tg.wait_for(lambda: "明天" in (tg.bot_messages(ZHANG)[-1].get("text") or ""))
        # Wednesday is no ladder day, but the snoozed nudge comes; Thursday nothing
        before = len(tg.bot_messages(ZHANG))
        await _tick(h, date(2027, 3, 10))
        assert len(tg.bot_messages(ZHANG)) == before + 1
        await _tick(h, date(2027, 3, 11))
        assert len(tg.bot_messages(ZHANG)) == before + 1
        # Friday: the user has blocked the bot; the nudge is refused, they are opted out, nothing more
        tg.fail("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=ZHANG)
        await _tick(h, DUE)
        await _tick(h, DUE, time(9, 0, 40))
        assert await contacts.opted_in(db, user_ids=[ZHANG]) == set()
        assert len(tg.bot_messages(ZHANG)) == before + 1


async def test_acknowledged_nudge_stops(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        people(tg)
        await _deadline(db, ["富阳区鹿山街道"])
        await _bind(db, "鹿山", ZHANG, "zhangsan", "张三")
        await contacts.opt_in(db, user_id=ZHANG)
        tue = date(2027, 3, 9)
        await _tick(h, tue)
        await _tick(h, tue, time(9, 0, 40))
        nudge = next(m for m in tg.bot_messages(ZHANG) if m["text"].startswith("📌"))
        ack = nudge["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        await tg.press(ZHANG, nudge["message_id"], ack, user_id=LI)  # not a contact: nothing recorded
        await tg.wait_calls("answerCallbackQuery")
        await tg.press(ZHANG, nudge["message_id"], ack, user_id=ZHANG)
        await tg.wait_calls("answerCallbackQuery", 2)
        state = await contacts.nudge_state(db, deadline_id=nudge_deadline(ack), user_id=ZHANG)
        assert state is not None and state.acked_at is not None
        await _tick(h, DUE)
        await _tick(h, DUE, time(9, 0, 40))
        assert len([m for m in tg.bot_messages(ZHANG) if m["text"].startswith("📌")]) == 1
        assert len(tg.bot_messages(GROUP)) == 2  # the group is still reminded


def nudge_deadline(data: str) -> int:
    return int(data.rsplit(":", 1)[1])






async def test_database_gone_after_the_answer_costs_only_the_bookkeeping(start_bot, sqlite_url):
    """The observer runs after the answer: if the database goes away in between, the user still gets
    exactly one answer — not the answer and then 「数据库暂时不可用」 (the fault test's doubles)."""
    from handlers.gate import DB_DOWN
    from tests.support.faults import SwitchableDatabase

    db = SwitchableDatabase(sqlite_url)
    try:
        async with start_bot(db=db, sequential=True) as h:
            tg = h.tg
            people(tg)
            send = tg._m_sendMessage

            async def answer_then_outage(params):
                result = await send(params)
                db.down = True  # the database goes away right after the feature answered
                return result

            tg._m_sendMessage = answer_then_outage
            await tg.send_command(GROUP, "help", user_id=ZHANG)
            await tg.wait_messages(GROUP, 1)
            await tg.wait_for(lambda: db.refused > 0)  # the observer could not record 张三
            tg._m_sendMessage = send
            db.down = False
            await tg.send_command(GROUP, "help", user_id=ZHANG)  # sequential: the first one has finished
            texts = [m["text"] for m in await tg.wait_messages(GROUP, 2)]
            await tg.send_command(GROUP, "help", user_id=WANG)
            await tg.wait_messages(GROUP, 3)
            assert DB_DOWN not in tg.texts(GROUP) and len(tg.texts(GROUP)) == 3, tg.texts(GROUP)
            assert texts[0] == texts[1] and "/report" in texts[0]
            # the failed write was not remembered as done: 张三's next message recorded him
            assert await contacts.find_seen(db, chat_id=GROUP, username="zhangsan") is not None
    finally:
        await db.close()


async def test_start_while_the_database_is_down_says_so_and_confirms_once_recorded(start_bot, sqlite_url):
    """The private opt-in never answers a false ✅: a /start the gate could not record (database away)
    is told it was not saved and to send /start again; the next private message that records the user
    brings the ✅ once."""
    from handlers.contacts import OPT_IN_NOT_SAVED, OPTED_IN
    from handlers.gate import DB_DOWN
    from tests.support.faults import SwitchableDatabase

    db = SwitchableDatabase(sqlite_url)
    try:
        async with start_bot(db=db, sequential=True) as h:
            tg = h.tg
            chat = tg.private(ZHANG)
            db.down = True
            await tg.send_command(chat, "start", "nudge", user_id=ZHANG)
            assert [m["text"] for m in await tg.wait_messages(chat, 1)] == [OPT_IN_NOT_SAVED]
            db.down = False
            assert await contacts.opted_in(db, user_ids=[ZHANG]) == set()
            await tg.send_command(chat, "help", user_id=ZHANG)  # any private message records them now
            await tg.wait_for(lambda: OPTED_IN in tg.texts(chat))
            assert await contacts.opted_in(db, user_ids=[ZHANG]) == {ZHANG}
            await tg.send_command(chat, "help", user_id=ZHANG)
            await tg.wait_for(lambda: len(tg.texts(chat)) >= 4)
            texts = tg.texts(chat)
            assert texts.count(OPTED_IN) == 1 and DB_DOWN not in texts and len(texts) == 4, texts
    finally:
        await db.close()


async def test_start_whose_record_fails_after_the_help_gets_no_false_confirmation(start_bot, sqlite_url):
    """The database goes away after the /start help was sent, before the opt-in is written: the user is
    told it was not saved (never ✅); once the database is back, /start confirms as usual."""
    from handlers.contacts import OPT_IN_NOT_SAVED, OPTED_IN
    from tests.support.faults import SwitchableDatabase

    db = SwitchableDatabase(sqlite_url)
    try:
        async with start_bot(db=db, sequential=True) as h:
            tg = h.tg
            chat = tg.private(ZHANG)
            send = tg._m_sendMessage

            async def answer_then_outage(params):
                result = await send(params)
                db.down = True  # right after the help answer
                return result

            tg._m_sendMessage = answer_then_outage
            await tg.send_command(chat, "start", user_id=ZHANG)
            await tg.wait_for(lambda: OPT_IN_NOT_SAVED in tg.texts(chat))
            tg._m_sendMessage = send
            db.down = False
            texts = tg.texts(chat)
            assert len(texts) == 2 and "/report" in texts[0] and OPTED_IN not in texts, texts
            await tg.send_command(chat, "start", user_id=ZHANG)
            await tg.wait_for(lambda: OPTED_IN in tg.texts(chat))
            assert tg.texts(chat).count(OPTED_IN) == 1
            assert await contacts.opted_in(db, user_ids=[ZHANG]) == {ZHANG}
    finally:
        await db.close()
