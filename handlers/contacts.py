"""Contacts of roster offices: ``/roster 联系人 …``, the 「设为…联系人」 button, nudge buttons, and the observer.

Thin like every handler: storage/contacts.py keeps the data, bot/deadlines/nudges.py decides what a nudge
button does. What lives here is what needs Telegram:

* resolving the person — a text mention in the command, ``@username`` among the users this bot has seen
  write in the chat (the Bot API cannot look a username up), or the author of the message replied to —
  and checking with ``getChatMember`` that they are in the chat (and not a bot);
* the observer (group 4, after every feature and after the update is marked done) that remembers who writes in a group, and records that a
  user started the bot in private (then they may get private nudges);
* the deep link ``t.me/<bot>?start=nudge`` the group is told once per contact who has not opted in.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, TypeHandler

from handlers.access import require_admin
from handlers.common import db_of
from handlers.menu import Command

logger = logging.getLogger(__name__)

#: Declared under /roster (handlers/commands.py); this module adds no command of its own.
COMMANDS: list[Command] = []

CONTACT_WORDS = ("联系人", "contact", "contacts")
TAG_WORDS = ("点名", "tag", "tagging")
REMOVE_WORDS = ("删除", "移除", "remove", "rm", "del")
ON_WORDS = ("开", "开启", "on")
OFF_WORDS = ("关", "关闭", "off")
BIND_PREFIX = "ct:"
OPTIN_PAYLOAD = "nudge"
#: Seconds a "seen"/"opted in" write is not repeated for the same user (a busy group writes once).
SEEN_CACHE_SECONDS = 600.0
#: The private opt-in's answers: recorded (once), or not recorded (database away) — never a false ✅.
OPTED_IN = "✅ 已开启私信提醒：截止日前我会私信你负责单位的报送情况。"
OPT_IN_NOT_SAVED = "⚠️ 数据库暂时不可用，私信提醒未能开启，请稍后再发 /start。"

USAGE = ("用法：/roster 联系人 鹿山 @张三（或回复张三的消息发送 /roster 联系人 鹿山）；"
         "/roster 联系人 鹿山 删除 @张三；/roster 点名 关 / 开（提醒里是否@联系人）")
LEFT = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


def contact_names(contacts: list[Any]) -> str:
    """「@zhangsan、李四」 for /roster and answers (no notification: plain text, no entities)."""
    return "、".join(f"@{c.username}" if c.username else c.display_name for c in contacts)


def optin_link(bot_username: str | None) -> str:
    return f"https://t.me/{bot_username or 'bot'}?start={OPTIN_PAYLOAD}"


# ---------------------------------------------------------------- /roster 联系人 and /roster 点名


async def on_roster_people(update: Update, context: ContextTypes.DEFAULT_TYPE, args: list[str]) -> None:
    """``/roster 联系人 …`` and ``/roster 点名 开|关`` (dispatched from handlers/commands.on_roster)."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    if not await require_admin(update, context):
        return
    if chat.type == ChatType.PRIVATE:
        await message.reply_text("联系人和点名只在工作群里设置。未做更改。")
        return
    if args[0].lower() in TAG_WORDS:
        await _tagging(update, context, args[1:])
        return
    await _contact(update, context, args[1:])


async def _tagging(update: Update, context: ContextTypes.DEFAULT_TYPE, words: list[str]) -> None:
    from bot.deadlines.ticker import SETTING_TAGGING
    from storage import repo

    word = words[0].lower() if len(words) == 1 else ""
    if word not in (*ON_WORDS, *OFF_WORDS):
        await update.effective_message.reply_text("用法：/roster 点名 关（提醒只列单位名称）或 /roster 点名 开（@各单位联系人）")
        return
    on = word in ON_WORDS
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    await repo.set_chat_setting(db_of(context), chat_id=chat_id, key=SETTING_TAGGING, value=None if on else False)
    await repo.audit(db_of(context), chat_id=chat_id, user_id=user_id, action="tagging",
                     detail="on" if on else "off")
    await update.effective_message.reply_text(
        "已开启点名：截止提醒会@各单位联系人。" if on else "已关闭点名：截止提醒只列单位名称，不@任何人。")


def _split(words: list[str], message: Message) -> tuple[str, bool, str | None, User | None]:
    """(office words, remove?, @username, text-mentioned user) from the words after 联系人."""
    mentioned = next((e.user for e in message.entities or () if e.type == MessageEntity.TEXT_MENTION and e.user),
                     None)
    mention_text = message.parse_entity(next(e for e in message.entities if e.type == MessageEntity.TEXT_MENTION)
                                        ) if mentioned else ""
    office, remove, username = [], False, None
    for word in words:
        if word.lower() in REMOVE_WORDS:
            remove = True
        elif word.startswith("@") and len(word) > 1:
            username = word[1:]
        elif mentioned and word in mention_text:
            continue
        elif not remove and username is None:
            office.append(word)
    return " ".join(office), remove, username, mentioned


async def _roster_office(context: ContextTypes.DEFAULT_TYPE, chat_id: int, name: str) -> tuple[Any | None, str]:
    """The one roster office ``name`` means, or (None, why not)."""
    from handlers.offices import match_offices
    from storage import repo

    on_roster = {o.id: o for o in await repo.roster(db_of(context), chat_id=chat_id)}
    hits = [o for o in await match_offices(db_of(context), chat_id, name) if o.id in on_roster]
    if len(hits) == 1:
        return on_roster[hits[0].id], ""
    if not hits:
        return None, f"「{name}」不在本群应报名单上（/roster 查看名单）。未做更改。"
    return None, f"「{name}」对应多个单位：{'、'.join(o.name for o in hits[:6])}，请写全名。未做更改。"


async def _member(context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int) -> User | None:
    """The user if they are in the chat now (getChatMember), else None."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except (BadRequest, TelegramError) as exc:
        logger.info("getChatMember %s in %s: %s", user_id, chat_id, exc)
        return None
    return None if member.status in LEFT else member.user


async def _contact(update: Update, context: ContextTypes.DEFAULT_TYPE, words: list[str]) -> None:
    from storage import contacts as store

    message, chat_id = update.effective_message, update.effective_chat.id
    name, remove, username, mentioned = _split(words, message)
    if not name:
        await message.reply_text(USAGE)
        return
    office, problem = await _roster_office(context, chat_id, name)
    if office is None:
        await message.reply_text(problem)
        return
    target: User | None = mentioned
    who = username or ""
    if target is None and username:
        seen = await store.find_seen(db_of(context), chat_id=chat_id, username=username)
        if seen is None:
            await message.reply_text(f"我还不认识 @{username}：请他先在本群发一条消息，或回复他的消息发送 "
                                     f"/roster 联系人 {name}。未做更改。")
            return
        target = User(seen.user_id, seen.full_name or username, seen.is_bot, username=seen.username)
    if target is None and message.reply_to_message and message.reply_to_message.from_user:
        target = message.reply_to_message.from_user
    if target is None:
        await message.reply_text(USAGE)
        return
    who = f"@{target.username}" if target.username else target.full_name
    if target.is_bot:
        await message.reply_text(f"{who} 是机器人，不能设为联系人。未做更改。")
        return
    if remove:
        await _unbind(update, context, office, target, who)
        return
    member = await _member(context, chat_id, target.id)
    if member is None:
        await message.reply_text(f"{who} 不在本群，不能设为联系人。未做更改。")
        return
    await message.reply_text(await bind(context, chat_id, office, member, by=update.effective_user.id))


async def _unbind(update: Update, context: ContextTypes.DEFAULT_TYPE, office: Any, target: User, who: str) -> None:
    from storage import contacts as store
    from storage import repo

    chat_id = update.effective_chat.id
    if not await store.unbind_contact(db_of(context), chat_id=chat_id, office_id=office.id, user_id=target.id):
        await update.effective_message.reply_text(f"{who} 不是{office.name}的联系人，未做更改。")
        return
    await repo.audit(db_of(context), chat_id=chat_id, user_id=update.effective_user.id, action="contact_unbind",
                     detail=f"{office.name} user={target.id}")
    await update.effective_message.reply_text(f"已移除{office.name}的联系人 {who}。")


async def bind(context: ContextTypes.DEFAULT_TYPE, chat_id: int, office: Any, user: User, *, by: int | None) -> str:
    """Bind ``user`` (checked: in the chat, not a bot) to the office, audit it; the reply, with the opt-in
    hint the first time this contact is named in the group without having started the bot."""
    from storage import contacts as store
    from storage import repo

    db = db_of(context)
    new = await store.bind_contact(db, chat_id=chat_id, office_id=office.id, user_id=user.id,
                                   username=user.username, display_name=user.full_name, bound_by=by)
    who = f"@{user.username}" if user.username else user.full_name
    short = office.short_name or office.name
    if not new:
        return f"{who} 已经是{short}的联系人。"
    await repo.audit(db, chat_id=chat_id, user_id=by, action="contact_bind",
                     detail=f"{office.name} user={user.id} @{user.username or ''}")
    text = f"✅ 已设 {who} 为{short}的联系人：截止提醒会@他/她。"
    if user.id not in await store.opted_in(db, user_ids=[user.id]) and await store.mark_hinted(
            db, chat_id=chat_id, user_id=user.id):
        text += (f"\n{who} 如需私信提醒（本单位情况、截止日），请点 {optin_link(context.bot.username)} "
                 "并按「开始」。")
    return text


# ---------------------------------------------------------------- 「设为…联系人」 under a verdict


async def verdict_markup(update: Update, context: ContextTypes.DEFAULT_TYPE, outcome: Any,
                         markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The verdict's keyboard plus 「设为鹿山联系人」 when the sender is not yet a contact of the report's
    roster office (an admin confirms with the button)."""
    from storage import contacts as store
    from storage import repo

    chat, user = update.effective_chat, update.effective_user
    stored = getattr(getattr(outcome, "stored", None), "report", None)
    if chat is None or user is None or user.is_bot or chat.type == ChatType.PRIVATE or stored is None:
        return markup
    office = stored.office
    db = db_of(context)
    if office.id not in {o.id for o in await repo.roster(db, chat_id=chat.id)}:
        return markup
    if user.id in {c.user_id for c in (await store.contacts_for(db, chat_id=chat.id, office_ids=[office.id])
                                        ).get(office.id, [])}:
        return markup
    rows = [list(row) for row in markup.inline_keyboard] if markup else []
    rows.append([InlineKeyboardButton(f"设为{office.short_name or office.name}联系人",
                                      callback_data=f"{BIND_PREFIX}{office.id}:{user.id}")])
    return InlineKeyboardMarkup(rows)


async def on_bind_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin confirms the sender of a report as its office's contact."""
    from handlers import limits
    from storage import repo

    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        office_text, user_text = (query.data or "")[len(BIND_PREFIX):].split(":")
    except ValueError:
        await query.answer("按钮已失效")
        return
    office_id, user_id = limits.id_number(office_text), limits.id_number(user_text)
    if office_id is None or user_id is None:
        await query.answer("按钮已失效")
        return
    if not await require_admin(update, context):
        return
    chat_id = query.message.chat.id
    office = next((o for o in await repo.roster(db_of(context), chat_id=chat_id) if o.id == office_id), None)
    if office is None:
        await query.answer("该单位已不在名单上，未做更改。", show_alert=True)
        return
    member = await _member(context, chat_id, user_id)
    if member is None or member.is_bot:
        await query.answer("此人已不在本群，未做更改。", show_alert=True)
        return
    await query.answer("已设为联系人")
    text = await bind(context, chat_id, office, member, by=update.effective_user.id)
    await context.bot.send_message(chat_id, text)


# ---------------------------------------------------------------- nudge buttons (private chat)


async def on_nudge_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """已提交 / 今天提交 / 推迟一天提醒 under a private nudge."""
    from bot.deadlines import nudges
    from handlers import limits
    from handlers.reminders import reminder_config

    query = update.callback_query
    if query is None or update.effective_user is None:
        return
    try:
        action, deadline_text = (query.data or "")[len(nudges.PREFIX):].split(":")
    except ValueError:
        await query.answer("按钮已失效")
        return
    deadline_id = limits.id_number(deadline_text)
    if deadline_id is None:
        await query.answer("按钮已失效")
        return
    text = await nudges.press(db_of(context), user_id=update.effective_user.id, action=action,
                              deadline_id=deadline_id, config=reminder_config(context))
    await query.answer(text[:190])
    if query.message is not None and not text.startswith("按钮已失效"):
        try:
            await query.edit_message_text(f"{query.message.text}\n\n{text}")
        except BadRequest:
            logger.debug("could not edit nudge", exc_info=True)


# ---------------------------------------------------------------- observer


def unsaved_starts(app: Application) -> set[int]:
    """Users whose private /start could not be saved (database away) and who were told so: the private
    message that records them gets the ✅ confirmation once, even when it is not /start.

    Kept in this process's memory (no table for a rare outage): after a restart, or when another
    worker records the user, there is no late ✅ — the user was told to send /start again, which
    confirms as usual."""
    return app.bot_data.setdefault("unsaved_starts", set())


def start_not_saved(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """For the gate when the database is away: a private /start gets :data:`OPT_IN_NOT_SAVED` (and is
    remembered, see :func:`unsaved_starts`) instead of the generic 「数据库暂时不可用」; None otherwise."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None or message is None or chat.type != ChatType.PRIVATE:
        return None
    if not (message.text or "").startswith("/start"):
        return None
    unsaved_starts(context.application).add(user.id)
    return OPT_IN_NOT_SAVED


async def observe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remember who writes in a group (so @username resolves) and who started the bot in private.

    Runs after the features have answered, so a database that went away meanwhile costs only this
    bookkeeping (the next message records the user again): it must not reach the error handler, whose
    「数据库暂时不可用」 would be a second answer to a message already answered (docs/SCALING.md).
    One exception: a private /start whose opt-in could not be written is told so (:data:`OPT_IN_NOT_SAVED`)
    — its help answer said nothing about nudges, and silence would leave the user thinking they are on.
    """
    from storage.db import is_unavailable

    try:
        await _observe(update, context)
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        from handlers.inbox import _short

        logger.info("update %s: users seen not recorded, database unavailable (%s)", update.update_id,
                    _short(exc))


async def _observe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """:func:`observe` itself (database errors propagate)."""
    from storage import contacts as store
    from storage.db import is_unavailable

    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None or message is None or update.callback_query is not None:
        return
    db = db_of(context)
    if message.migrate_to_chat_id:
        await store.migrate_chat(db, old_chat_id=chat.id, new_chat_id=message.migrate_to_chat_id)
        return
    cache: dict[tuple[int, int], tuple[float, Any]] = context.application.bot_data.setdefault("seen_users", {})
    now = time.monotonic()
    if chat.type == ChatType.PRIVATE:
        start = (message.text or "").startswith("/start")
        hit = cache.get((0, user.id))
        if hit and now - hit[0] < SEEN_CACHE_SECONDS and not start:
            return
        unsaved = unsaved_starts(context.application)
        try:
            opted = await store.opt_in(db, user_id=user.id)
        except Exception as exc:
            if start and is_unavailable(exc):  # say so: no false ✅, and how to try again
                unsaved.add(user.id)
                await message.reply_text(OPT_IN_NOT_SAVED)
            raise
        cache[(0, user.id)] = (now, None)  # (after the write: a failed one is tried again next time)
        owed = user.id in unsaved  # a /start that could not be saved: confirm once it is, whatever the message
        unsaved.discard(user.id)
        if opted and (start or owed):
            await message.reply_text(OPTED_IN)
        return
    users = [user]
    if message.reply_to_message and message.reply_to_message.from_user:
        users.append(message.reply_to_message.from_user)
    for u in users:
        key, state = (chat.id, u.id), (u.username, u.full_name)
        hit = cache.get(key)
        if hit and hit[1] == state and now - hit[0] < SEEN_CACHE_SECONDS:
            continue
        await store.seen_user(db, chat_id=chat.id, user_id=u.id, username=u.username, full_name=u.full_name,
                              is_bot=u.is_bot)
        cache[key] = (now, state)


def register(app: Application) -> None:
    """Buttons (group 0) and the observer (:data:`handlers.gate.OBSERVERS`: after the features and after
    the update is marked done, so it delays neither the answer nor the done mark)."""
    from bot.deadlines.nudges import PREFIX

    app.add_handler(CallbackQueryHandler(on_bind_button, pattern=rf"^{BIND_PREFIX}"))
    app.add_handler(CallbackQueryHandler(on_nudge_button, pattern=rf"^{PREFIX}"))
    from handlers.gate import OBSERVERS

    app.add_handler(TypeHandler(Update, observe), group=OBSERVERS)
