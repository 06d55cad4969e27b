"""Questions in plain language → ``bot.questions.answer``; an ambiguous office → buttons to choose.

In a private chat every text is a question. In a group the bot answers only when mentioned, when one
of its messages is replied to, or with ``/ask 问题``, so ordinary group talk is left alone.
"""

from __future__ import annotations

import itertools
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.questions.parse import MAX_QUESTION_CHARS
from handlers.common import db_of, send_long
from handlers.menu import Command

logger = logging.getLogger(__name__)

PICK_PREFIX = "pick:"
ASK_USAGE = "用法：/ask 问题，例如 /ask 鹿山2021年收到多少申请？\n(Usage: /ask <question>)"
#: Pending ambiguous questions kept per chat (oldest dropped first).
MAX_PENDING = 20
_keys = itertools.count(1)


def too_long_text(question: str) -> str:
    """The reply to a question over :data:`MAX_QUESTION_CHARS` (English when it is written in English)."""
    if question.isascii():
        return f"Your question is too long ({len(question)} characters); please ask in at most {MAX_QUESTION_CHARS}."
    return f"问题太长（{len(question)}字），请控制在{MAX_QUESTION_CHARS}字以内，例如：鹿山2021年收到多少申请？"


def addressed_to_bot(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question text when a group message is meant for the bot, else None."""
    text = message.text or ""
    mention = f"@{bot_username}"
    if bot_username and mention.lower() in text.lower():
        start = text.lower().index(mention.lower())
        return (text[:start] + text[start + len(mention):]).strip()
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return text.strip()
    return None


async def reply_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, *,
                       quiet_chatter: bool = False) -> None:
    """Ask the questions engine and send its answer, with office buttons when it asks back.

    ``quiet_chatter``: a group reply to the bot that only acknowledges (「收到」「好的谢谢」 under a
    reminder) gets no answer — every member would see the bot talk back to a thank-you."""
    from bot import questions

    chat = update.effective_chat
    if chat is None:
        return
    if len(question) > MAX_QUESTION_CHARS:  # parsed on the event loop: a long text would stall every chat
        await update.effective_message.reply_text(too_long_text(question))
        return
    answer = await questions.answer(db_of(context), chat_id=chat.id, text=question)
    if answer.chatter and quiet_chatter:
        return
    markup = None
    if answer.choices:
        pending: dict[str, str] = context.chat_data.setdefault("pending_questions", {})
        choices: dict[str, list[str]] = context.chat_data.setdefault("pending_choices", {})
        key = str(next(_keys))
        pending[key] = question
        choices[key] = list(answer.choices[:8])
        for kept in (pending, choices):  # both bounded alike: a chat asking forever keeps MAX_PENDING
            while len(kept) > MAX_PENDING:
                kept.pop(next(iter(kept)))
        rows = [
            [InlineKeyboardButton(name, callback_data=f"{PICK_PREFIX}{key}:{i}")]
            for i, name in enumerate(answer.choices[:8])
        ]
        markup = InlineKeyboardMarkup(rows)
    await send_long(update, context, answer.text, reply_markup=markup, filename="answer.txt")


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every text in a private chat is a question."""
    from handlers.files import take_name
    from handlers.review import take_reason

    message = update.effective_message
    if message and message.text:
        if await take_name(update, context, message.text):  # the name asked for a report just sent
            return
        if await take_reason(update, context):  # the reason asked for after 不是问题 (handlers/review.py)
            return
        await reply_answer(update, context, message.text.strip())


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group text: answer only when it is addressed to the bot."""
    message = update.effective_message
    if message is None:
        return
    question = addressed_to_bot(message, context.bot.username or "", context.bot.id)
    if question:
        await reply_answer(update, context, question, quiet_chatter=True)


async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask 问题 — works everywhere."""
    question = " ".join(context.args or []).strip()
    if not question:
        await update.effective_message.reply_text(ASK_USAGE)
        return
    await reply_answer(update, context, question)


async def on_pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An office button under an ambiguous answer: ask again with that office named in full."""
    query = update.callback_query
    if query is None or not query.data:
        return
    try:
        key, index = query.data[len(PICK_PREFIX):].split(":")
        question = context.chat_data["pending_questions"][key]
        office = context.chat_data["pending_choices"][key][int(index)]
    except (KeyError, ValueError, IndexError):
        await query.answer("这个选择已过期，请重新提问。(This choice expired; please ask again.)", show_alert=True)
        return
    await query.answer(office)
    await reply_answer(update, context, f"{office} {question}")


#: This module's commands, for setMyCommands and /help (handlers/menu.py).
COMMANDS: list[Command] = [
    Command("ask", "提问，如 /ask 鹿山2021年收到多少申请", "问数",
            "问题：鹿山收到多少申请？· 哪个街道申请最多 · 今年谁还没交年报", "question: how many applications did Lushan get"),
]


def register(app: Application) -> None:
    """/ask, the office-choice buttons, and free text (private: all; group: when addressed)."""
    app.add_handler(CommandHandler("ask", on_ask))
    app.add_handler(CallbackQueryHandler(on_pick, pattern=f"^{PICK_PREFIX}"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, on_private_text))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS, on_group_text))
