"""Across the whole January ladder: tagged group reminders and private nudges on the same days (issue 20)."""

from __future__ import annotations

from datetime import date, datetime

from bot.deadlines import nudges
from storage import contacts, repo
from tests.bot.deadlines.helpers import CONFIG, local, run_days
from tests.bot.deadlines.test_ticker import CHAT, JAN_LADDER_2026, _roster, _submit

OPTED, SILENT = 20, 21


class Recorder:
    """Records (local time, chat, text, entities, buttons) of every send."""

    def __init__(self) -> None:
        self.sent: list[tuple[datetime, int, str, list, list]] = []
        self.now: datetime | None = None

    async def __call__(self, chat_id, text, *, entities=None, buttons=None):
        self.sent.append((self.now, chat_id, text, entities or [], buttons or []))
        return len(self.sent)

    def days(self, chat_id: int) -> list[date]:
        return [t.date() for t, c, *_ in self.sent if c == chat_id]


async def _contacts(db):
    offices = {o.short_name or o.name: o for o in await repo.roster(db, chat_id=CHAT)}
    lushan = next(o for n, o in offices.items() if "鹿山" in n)
    dongzhou = next(o for n, o in offices.items() if "东洲" in n)
    await contacts.bind_contact(db, chat_id=CHAT, office_id=lushan.id, user_id=OPTED, username="zhangsan",
                                display_name="张三", bound_by=1)
    await contacts.bind_contact(db, chat_id=CHAT, office_id=dongzhou.id, user_id=SILENT, username=None,
                                display_name="李四", bound_by=1)
    await contacts.opt_in(db, user_id=OPTED)


async def test_nudges_follow_the_ladder_and_stop_once_acknowledged(sqlite_db):
    db = sqlite_db
    await _roster(db)
    await _contacts(db)
    send = Recorder()

    async def hook(day):
        if day == date(2026, 1, 20):  # 东洲 sends a report with errors
            await _submit(db, "富阳区东洲街道", "东洲", "街道", errors=True)

    await run_days(db, send, date(2026, 1, 1), date(2026, 1, 29), hook=hook)
    assert send.days(CHAT) == JAN_LADDER_2026[:3]
    assert send.days(OPTED) == JAN_LADDER_2026[:3]  # the tick after the group's, the same day
    assert send.days(SILENT) == []  # never opened the bot: no private message
    group = [s for s in send.sent if s[1] == CHAT]
    assert all(any(e.get("type") == "mention" for e in s[3]) for s in group)
    assert "· 东洲：李四 — " in group[1][2] and "（" in group[1][2].split("· 东洲：李四 — ")[1]
    assert [e["user"]["id"] for e in group[1][3] if e["type"] == "text_mention"] == [SILENT]
    nudge = [s for s in send.sent if s[1] == OPTED][-1]
    assert "· 鹿山：未提交" in nudge[2] and [b[0] for b in nudge[4][0]] == ["已提交", "今天提交", "推迟一天提醒"]
    deadline_id = int(nudge[4][0][0][1].rsplit(":", 1)[1])
    reply = await nudges.press(db, user_id=OPTED, action="ack", deadline_id=deadline_id,
                               now=local(2026, 1, 28, 10), config=CONFIG)
    assert reply.startswith("✅")
    assert await nudges.press(db, user_id=SILENT + 100, action="ack", deadline_id=deadline_id,
                              config=CONFIG) == "按钮已失效。"
    await run_days(db, send, date(2026, 1, 30), date(2026, 2, 12))
    assert send.days(CHAT) == JAN_LADDER_2026
    assert send.days(OPTED) == JAN_LADDER_2026[:3]  # acknowledged: nothing more in private
