"""Who may use the bot where, and who may change things (NIANBAO_ALLOWED_CHATS, NIANBAO_ADMINS).

Reading is open to every member of an allowed chat. Changing the roster, deadlines, or deleting needs a
chat administrator (``getChatAdministrators``, cached briefly) or a global admin; in a private chat the
user administers their own workspace. Other engineers' handlers call :func:`require_admin`.
"""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.common import settings_of

logger = logging.getLogger(__name__)

#: How long a chat's administrator list is trusted before asking Telegram again.
ADMIN_CACHE_SECONDS = 120.0

REFUSAL = "抱歉，只有本群管理员可以执行此操作，未做任何更改。\n(Only a chat administrator can do this; nothing was changed.)"


def chat_allowed(settings: object, chat_id: int, user_id: int | None) -> bool:
    """True when the bot serves this chat: no allowlist, the chat is listed, or a global admin's private chat."""
    allowed: list[int] = getattr(settings, "allowed_chats", [])
    if not allowed or chat_id in allowed:
        return True
    admins: list[int] = getattr(settings, "admins", [])
    return chat_id > 0 and user_id is not None and user_id in admins


def is_global_admin(settings: object, user_id: int | None) -> bool:
    """True for the user ids in NIANBAO_ADMINS."""
    return user_id is not None and user_id in getattr(settings, "admins", [])


async def chat_admin_ids(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> set[int]:
    """User ids of the chat's administrators, cached for :data:`ADMIN_CACHE_SECONDS`."""
    cache: dict[int, tuple[float, set[int]]] = context.application.bot_data.setdefault("admin_cache", {})
    hit = cache.get(chat_id)
    now = time.monotonic()
    if hit and now - hit[0] < ADMIN_CACHE_SECONDS:
        return hit[1]
    members = await context.bot.get_chat_administrators(chat_id)
    ids = {m.user.id for m in members}
    cache[chat_id] = (now, ids)
    return ids


def forget_admins(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    """Drop the cached administrator list (e.g. after a chat_member change)."""
    context.application.bot_data.setdefault("admin_cache", {}).pop(chat_id, None)


async def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the sender may change this chat's data (no reply is sent)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if is_global_admin(settings_of(context), user.id):
        return True
    if chat.type == ChatType.PRIVATE:
        return True  # one's own workspace
    message = update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator posting as the group (only admins can)
    try:
        return user.id in await chat_admin_ids(context, chat.id)
    except TelegramError as exc:  # cannot check → refuse rather than allow
        logger.warning("getChatAdministrators failed in %s: %s", chat.id, exc)
        return False


async def require_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True when the sender may change things here; otherwise replies a polite refusal and returns False.

    Usage in a handler::

        if not await require_admin(update, context):
            return
    """
    if await is_admin(update, context):
        return True
    if update.callback_query:
        await update.callback_query.answer("只有管理员可以执行此操作 (admins only)", show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(REFUSAL)
    return False
