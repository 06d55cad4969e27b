"""Questions about contacts: 「鹿山的联系人是谁」「张三负责哪个单位」「谁还没交」 with contacts (issue 20)."""

from __future__ import annotations

from datetime import date

from bot.questions import answer
from storage import contacts, repo

CHAT = -100410
TODAY = date(2027, 1, 20)


async def _setup(db):
    await repo.ensure_workspace(db, chat_id=CHAT, title="群")
    lushan = await repo.roster_add(db, chat_id=CHAT, name="富阳区鹿山街道")
    wuxing = await repo.roster_add(db, chat_id=CHAT, name="五星街道")
    await repo.roster_add(db, chat_id=CHAT, name="银湖街道")
    await contacts.bind_contact(db, chat_id=CHAT, office_id=lushan.id, user_id=20, username="zhangsan",
                                display_name="张三", bound_by=1)
    await contacts.bind_contact(db, chat_id=CHAT, office_id=wuxing.id, user_id=20, username="zhangsan",
                                display_name="张三", bound_by=1)
    await contacts.bind_contact(db, chat_id=CHAT, office_id=wuxing.id, user_id=21, username=None,
                                display_name="李四", bound_by=1)


async def ask(db, text):
    return (await answer(db, chat_id=CHAT, text=text, today=TODAY)).text


async def test_who_is_the_contact_of_an_office(db):
    await _setup(db)
    assert await ask(db, "鹿山的联系人是谁？") == "富阳区鹿山街道的联系人：@zhangsan"
    assert await ask(db, "谁负责五星") == "五星街道的联系人：@zhangsan、李四"
    assert "还没有联系人" in await ask(db, "银湖联系人")
    assert await ask(db, "who is the contact for Wuxing?") == "Contacts of 五星街道: @zhangsan、李四"
    assert await ask(db, "Lushan's contact") == "Contacts of 富阳区鹿山街道: @zhangsan"
    assert await ask(db, "鹿山由谁负责？") == "富阳区鹿山街道的联系人：@zhangsan"


async def test_which_offices_a_person_answers_for(db):
    await _setup(db)
    assert await ask(db, "张三负责哪个单位？") == "张三负责：富阳区鹿山街道、五星街道"
    assert await ask(db, "@zhangsan负责哪些单位") == "@zhangsan负责：富阳区鹿山街道、五星街道"
    assert await ask(db, "李四是哪个单位的") == "李四负责：五星街道"
    assert "没有哪个单位" in await ask(db, "王五负责哪个单位")
    assert await ask(db, "which office is zhangsan responsible for?") == \
        "zhangsan is the contact of: 富阳区鹿山街道、五星街道"


async def test_who_has_not_submitted_lists_contacts(db):
    await _setup(db)
    text = await ask(db, "谁还没交")
    assert "富阳区鹿山街道（@zhangsan）" in text and "五星街道（@zhangsan、李四）" in text
    assert "银湖街道" in text and "银湖街道（" not in text
    # a number question is not taken for a people question
    assert "联系人" not in await ask(db, "鹿山收到多少申请")
