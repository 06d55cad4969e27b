"""Group -2 (the gate) and group -1 (observers): run before every feature handler.

The gate drops updates from chats the bot does not serve and updates already handled or owned by
another worker (the durable inbox, docs/SCALING.md); it fails closed. Observers keep the workspace table in step
with Telegram: a group upgraded to a supergroup keeps its data, a bot removed from a chat stops
sending there.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.access import chat_allowed, forget_admins
from handlers.common import db_of, settings_of

logger = logging.getLogger(__name__)

NOT_ALLOWED = "抱歉，本机器人只服务指定的工作群。如需使用，请联系管理员。\n(This bot only serves configured chats.)"


#: Handler group that marks an update done once every answering group (features 0, fallbacks 1,
#: reminders' migration 2) has run: before the bookkeeping observers, so a worker killed while they
#: run does not answer the update twice (docs/SCALING.md).
ANSWERED = 3
#: Handler group of observers that only keep records after the answer (handlers/contacts.py).
OBSERVERS = 4

DB_DOWN = "数据库暂时不可用，请稍后再试。\n(Database briefly unavailable; please try again later.)"


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop updates from chats not allowed and updates already handled (or owned by another worker).

    Fails closed: whatever goes wrong here stops the update. When the database is away the chat gets
    one short 「数据库暂时不可用」 (no error id, one log line, no traceback) and no feature handler runs.
    """
    try:
        await _check(update, context)
    except ApplicationHandlerStop:
        raise
    except Exception as exc:  # noqa: BLE001 - the gate never fails open
        await _refuse(update, context, exc)
        raise ApplicationHandlerStop from None


async def _check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from storage.inbox import valid_update_id

    chat, user = update.effective_chat, update.effective_user
    if chat is not None and not chat_allowed(settings_of(context), chat.id, user.id if user else None):
        logger.info("update %s from chat %s not allowed: ignored", update.update_id, chat.id)
        if chat.type == ChatType.PRIVATE and update.message and update.message.text:
            await update.message.reply_text(NOT_ALLOWED)
        raise ApplicationHandlerStop
    if not valid_update_id(update.update_id):
        logger.warning("update id %.40s out of range: dropped", update.update_id)
        raise ApplicationHandlerStop
    inbox = inbox_of(context)
    if inbox.draining:  # SIGTERM: not started yet, so another worker answers it (it is stored)
        await inbox.give_back(update.update_id)
        raise ApplicationHandlerStop
    if not await inbox.claim(update.update_id):
        logger.info("update %s already handled or owned by another worker: dropped", update.update_id)
        raise ApplicationHandlerStop
    context.application.bot_data.setdefault("claimed_updates", set()).add(update.update_id)


async def answered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every answering handler has run: mark the update done now, not after the observers.

    The done mark closes the one window in which a killed worker answers twice (its reply sent, the
    mark not yet written); bookkeeping that runs after it is lost with the worker, never repeated."""
    from handlers.inbox import mark_answered

    mark_answered(context.application, update)


async def _refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, exc: BaseException) -> None:
    """The gate could not decide: answer once (database away) or apologise (a bug), and stop."""
    from handlers.errors import apology
    from handlers.inbox import _short
    from storage.db import is_unavailable

    chat = update.effective_chat
    if is_unavailable(exc):
        logger.warning("update %s: database unavailable (%s): answered 「数据库暂时不可用」",
                       update.update_id, _short(exc))
        from handlers.contacts import start_not_saved

        text = start_not_saved(update, context) or DB_DOWN  # a private /start: its opt-in was not saved
        inbox = context.application.bot_data.get("inbox")
        if inbox is not None and isinstance(update.update_id, int):
            inbox.finished(update.update_id)  # answered: not run again when the database is back
    else:
        error_id = secrets.token_hex(3)
        logger.error("error %s in the gate (update %.40s dropped)", error_id, update.update_id, exc_info=exc)
        text = apology(error_id)
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, text, **_reply_to(update))
    except Exception as send_error:  # noqa: BLE001 - nothing more to do than log
        logger.info("could not tell chat %s: %s", chat.id, send_error)


def _reply_to(update: Update) -> dict[str, Any]:
    """Answer as a reply to the user's message, so it is clear which one failed."""
    message = update.effective_message
    if message is None or update.callback_query is not None:
        return {}
    return {"reply_to_message_id": message.message_id, "allow_sending_without_reply": True}


def inbox_of(context: ContextTypes.DEFAULT_TYPE) -> Any:
    """The application's :class:`handlers.inbox.UpdateInbox` (made on first use)."""
    from handlers.inbox import UpdateInbox, bot_scope

    bot_data = context.application.bot_data
    inbox = bot_data.get("inbox")
    if inbox is None:
        scope = bot_data.get("update_scope") or bot_scope(context.bot.token)
        inbox = bot_data["inbox"] = UpdateInbox(db_of(context), scope)
    return inbox


async def ensure_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Make sure the chat has a workspace (once per chat per process)."""
    from storage import repo

    chat = update.effective_chat
    if chat is None:
        return
    bot_data = context.application.bot_data
    known: set[int] = bot_data.setdefault("known_chats", set())
    if chat.id in known:
        return
    # updates of one chat arriving together (a burst of questions) share one check
    adding: dict[int, asyncio.Future[None]] = bot_data.setdefault("chats_being_added", {})
    task = adding.get(chat.id)
    if task is None or task.done():
        kind = "private" if chat.type == ChatType.PRIVATE else "group"
        task = asyncio.ensure_future(
            repo.ensure_workspace(db_of(context), chat_id=chat.id, title=chat.title or chat.full_name, kind=kind))
        adding[chat.id] = task

        def done(finished: asyncio.Future[None], chat_id: int = chat.id) -> None:
            if adding.get(chat_id) is finished:
                adding.pop(chat_id)
            if not finished.cancelled() and finished.exception() is None:
                known.add(chat_id)

        task.add_done_callback(done)
    await asyncio.shield(task)


async def chat_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: move its reports, roster and reminders to the new id."""
    message = update.effective_message
    if message is None or not message.migrate_to_chat_id:
        return
    await migrate(context, message.chat_id, message.migrate_to_chat_id)


async def migrate(context: ContextTypes.DEFAULT_TYPE, old_chat_id: int, new_chat_id: int) -> None:
    """Move a chat's data to its new id (used by the observer and by the error handler)."""
    from storage import repo

    await repo.ensure_workspace(db_of(context), chat_id=new_chat_id, kind="group")
    await repo.migrate_chat(db_of(context), old_chat_id=old_chat_id, new_chat_id=new_chat_id)
    context.application.bot_data.setdefault("known_chats", set()).add(new_chat_id)
    forget_admins(context, old_chat_id)
    logger.info("chat %s migrated to %s", old_chat_id, new_chat_id)


async def my_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was added to or removed from a chat: (de)activate its workspace."""
    from storage import repo

    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    gone = change.new_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
    if not gone:
        await ensure_chat(update, context)
    await repo.set_chat_active(db_of(context), chat_id=change.chat.id, active=not gone)
    forget_admins(context, change.chat.id)


async def member_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Someone's rights changed: forget the cached administrator list."""
    if update.chat_member:
        forget_admins(context, update.chat_member.chat.id)


def register(app: Application) -> None:
    """Gate in group -2; observers in group -1 (the first matching observer runs); the done mark in
    group :data:`ANSWERED`."""
    app.add_handler(TypeHandler(Update, gate), group=-2)
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated), group=-1)
    app.add_handler(ChatMemberHandler(my_membership, ChatMemberHandler.MY_CHAT_MEMBER), group=-1)
    app.add_handler(ChatMemberHandler(member_changed, ChatMemberHandler.CHAT_MEMBER), group=-1)
    app.add_handler(TypeHandler(Update, ensure_chat), group=-1)  # any other update: workspace exists
    app.add_handler(TypeHandler(Update, answered), group=ANSWERED)
