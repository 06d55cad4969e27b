"""storage/contacts.py on SQLite and PostgreSQL: binding, users seen, opt-in, nudge answers, migration."""

from __future__ import annotations

from datetime import date

from storage import contacts

CHAT, NEW_CHAT = -100301, -100302


async def test_bind_is_idempotent_and_unbind_says_whether_it_did(db):
    assert await contacts.bind_contact(db, chat_id=CHAT, office_id=7, user_id=20, username="zs", display_name="张三",
                                       bound_by=1)
    assert not await contacts.bind_contact(db, chat_id=CHAT, office_id=7, user_id=20, username="zs2",
                                           display_name="张三丰", bound_by=1)
    await contacts.bind_contact(db, chat_id=CHAT, office_id=7, user_id=21, username=None, display_name="李四",
                                bound_by=1)
    await contacts.bind_contact(db, chat_id=CHAT, office_id=8, user_id=20, username="zs2", display_name="张三丰",
                                bound_by=1)
    bound = await contacts.contacts_for(db, chat_id=CHAT)
    assert [(c.user_id, c.username, c.display_name) for c in bound[7]] == [(20, "zs2", "张三丰"), (21, None, "李四")]
    assert await contacts.offices_of_user(db, chat_id=CHAT, user_id=20) == [7, 8]
    assert [c.office_id for c in await contacts.contacts_named(db, chat_id=CHAT, name="@ZS2")] == [7, 8]
    assert await contacts.unbind_contact(db, chat_id=CHAT, office_id=7, user_id=20)
    assert not await contacts.unbind_contact(db, chat_id=CHAT, office_id=7, user_id=20)
    assert await contacts.contacts_for(db, chat_id=-1) == {}


async def test_username_resolves_to_its_latest_holder(db):
    await contacts.seen_user(db, chat_id=CHAT, user_id=20, username="Boss", full_name="张三")
    assert (await contacts.find_seen(db, chat_id=CHAT, username="@boss")).user_id == 20
    await contacts.seen_user(db, chat_id=CHAT, user_id=21, username="boss", full_name="李四")
    assert (await contacts.find_seen(db, chat_id=CHAT, username="boss")).user_id == 21
    assert await contacts.find_seen(db, chat_id=CHAT + 1, username="boss") is None


async def test_opt_in_out_and_hint_once(db):
    assert await contacts.opt_in(db, user_id=20)
    assert not await contacts.opt_in(db, user_id=20)
    await contacts.opt_out(db, user_id=20)
    assert await contacts.opted_in(db, user_ids=[20, 21]) == set()
    assert await contacts.opt_in(db, user_id=20)
    await contacts.bind_contact(db, chat_id=CHAT, office_id=7, user_id=21, username=None, display_name="李四",
                                bound_by=1)
    assert await contacts.mark_hinted(db, chat_id=CHAT, user_id=21)
    assert not await contacts.mark_hinted(db, chat_id=CHAT, user_id=21)


async def test_nudge_answers_and_migration(db):
    await contacts.answer_nudge(db, deadline_id=3, user_id=20, chat_id=CHAT, snoozed_until=date(2027, 3, 10))
    await contacts.answer_nudge(db, deadline_id=3, user_id=20, chat_id=CHAT, acked=True)
    state = await contacts.nudge_state(db, deadline_id=3, user_id=20)
    assert state.snoozed_until == date(2027, 3, 10) and state.acked_at is not None
    await contacts.bind_contact(db, chat_id=CHAT, office_id=7, user_id=20, username=None, display_name="张三",
                                bound_by=1)
    await contacts.seen_user(db, chat_id=CHAT, user_id=20, username="zs", full_name="张三")
    await contacts.seen_user(db, chat_id=NEW_CHAT, user_id=20, username="zs", full_name="张三")
    await contacts.migrate_chat(db, old_chat_id=CHAT, new_chat_id=NEW_CHAT)
    assert list(await contacts.contacts_for(db, chat_id=NEW_CHAT)) == [7]
    assert (await contacts.find_seen(db, chat_id=NEW_CHAT, username="zs")).user_id == 20
    assert (await contacts.nudge_state(db, deadline_id=3, user_id=20)).chat_id == NEW_CHAT
