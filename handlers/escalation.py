"""/escalate — link a chat to its supervisor chat, and on-demand summaries. Thin: bot/deadlines/escalation.py
does the work; this module only checks who may do what in which chat.

* ``/escalate 上级`` (admin of this chat, a group): a one-time link code;
* ``/escalate 确认 CODE`` in the supervisor chat: the sender must be an administrator *of that chat*,
  asked from Telegram with getChatMember at that moment (not a cached list);
* ``/escalate 期限 N`` / ``/escalate 解除`` (admin) · ``/escalate`` / ``/escalate 汇总`` (anyone).
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.deadlines import escalation
from handlers import limits
from handlers.access import REFUSAL, is_global_admin, require_admin
from handlers.common import db_of, settings_of
from handlers.menu import Command

logger = logging.getLogger(__name__)

COMMANDS: list[Command] = [
    Command("escalate", "关联上级群：逾期未交自动向上级群汇总一次", "提醒",
            "上级 生成关联码 · 确认 关联码 · 汇总 · 期限 3 · 解除（管理员）",
            "link a supervisor chat (code), summaries of late offices"),
]

LINK_WORDS = ("上级", "关联", "link")
CONFIRM_WORDS = ("确认", "confirm")
SUMMARY_WORDS = ("汇总", "summary")
AFTER_WORDS = ("期限", "天数", "after")
UNLINK_WORDS = ("解除", "取消关联", "unlink")


async def admin_by_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the sender administers this chat, asked with getChatMember now (a refusal is replied)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None:
        return False
    if is_global_admin(settings_of(context), user.id):
        return True
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator posting as the group
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
        ok = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    except TelegramError as exc:  # cannot check → refuse
        logger.warning("getChatMember failed in %s: %s", chat.id, exc)
        ok = False
    if not ok and message is not None:
        await message.reply_text(REFUSAL)
    return ok


async def on_escalate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Dispatch /escalate by its first word."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None:
        return
    args = context.args or []
    word, rest = (args[0] if args else ""), " ".join(args[1:]).strip()
    if problem := limits.check_args(" ".join(args)):
        await message.reply_text(problem)
        return
    db = db_of(context)
    user_id = user.id if user else None
    if not word:
        await message.reply_text(await escalation.status_text(db, chat_id=chat.id))
        return
    if word in SUMMARY_WORDS:
        today = datetime.now(settings_of(context).tz).date()
        await message.reply_text(await escalation.on_demand(db, chat_id=chat.id, today=today))
        return
    if chat.type == ChatType.PRIVATE:
        await message.reply_text("上下级关联只能在群里设置。")
        return
    if word in CONFIRM_WORDS:
        if not rest:
            await message.reply_text("请写上关联码，例如：/escalate 确认 K7M2QX9P")
            return
        if await admin_by_member(update, context):
            await message.reply_text(await escalation.confirm_code(db, code=rest, chat_id=chat.id, user_id=user_id))
        return
    if word not in LINK_WORDS + AFTER_WORDS + UNLINK_WORDS:
        await message.reply_text(escalation.HELP)
        return
    if not await require_admin(update, context):
        return
    if word in LINK_WORDS:
        text = await escalation.issue_code(db, chat_id=chat.id, user_id=user_id)
    elif word in AFTER_WORDS:
        text = await escalation.set_after(db, chat_id=chat.id, text=rest, user_id=user_id)
    else:
        text = await escalation.unlink_command(db, chat_id=chat.id, user_id=user_id)
    await message.reply_text(text)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("escalate", on_escalate))
