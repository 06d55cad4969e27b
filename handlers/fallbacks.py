"""Group 1: what the bot says when nothing else understood the message (private chats, or when addressed)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

UNKNOWN_COMMAND = "不认识这个命令。发送 /help 查看可用命令。\n(Unknown command — see /help.)"
NOT_A_REPORT = "请发送年报文件（docx/pdf/txt/html 或 zip），或直接用文字提问。发送 /help 查看用法。"


def known_commands(app: Application) -> set[str]:
    """Every command a group-0 CommandHandler answers (also those of other feature modules)."""
    names: set[str] = set()
    for handler in app.handlers.get(0, []):
        if isinstance(handler, CommandHandler):
            names |= set(handler.commands)
    return names


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A /command nobody handles: point to /help (in groups only when sent to this bot)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    word = message.text.split()[0][1:]
    name, _, target = word.partition("@")
    if name.lower() in known_commands(context.application):
        return
    chat = update.effective_chat
    if chat and chat.type != ChatType.PRIVATE and target.lower() != (context.bot.username or "").lower():
        return
    await message.reply_text(UNKNOWN_COMMAND)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, photo, voice… in a private chat."""
    if update.effective_message:
        await update.effective_message.reply_text(NOT_A_REPORT)


def register(app: Application) -> None:
    """Fallbacks live in group 1 and only act on what group 0 cannot have handled."""
    app.add_handler(MessageHandler(filters.COMMAND, on_unknown_command), group=1)
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.Document.ALL & ~filters.PHOTO & ~filters.StatusUpdate.ALL,
            on_other,
        ),
        group=1,
    )
