"""Small helpers every handler uses: where the database and settings live, language, long replies."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit
from telegram.ext import ContextTypes, filters

logger = logging.getLogger(__name__)

#: Replies longer than this many parts go out as a text file instead of a wall of messages.
MAX_PARTS = 4
LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096


def db_of(context: ContextTypes.DEFAULT_TYPE) -> Any:
    """The ``storage.db.Database`` that ``build_application`` put into ``bot_data``."""
    return context.application.bot_data["db"]


def settings_of(context: ContextTypes.DEFAULT_TYPE) -> Any:
    """The ``bot.config.Settings`` of this application."""
    return context.application.bot_data["settings"]


def lang_of(update: Update) -> str:
    """Chinese first; English only for users whose Telegram language is English."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "en" if code.lower().startswith("en") else "zh"


def here(update: Update) -> str:
    """"本群" in a group, "这里" in a private chat — replies read naturally in both."""
    chat = update.effective_chat
    return "这里" if chat is not None and chat.type == "private" else "本群"


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Split ``text`` into parts under ``limit`` characters, at line breaks where possible."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single enormous line: hard cut
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts


async def send_long(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    filename: str = "nianbao.txt",
) -> Message | None:
    """Send ``text`` to the update's chat, never over 4096 chars per message.

    A long text is split at line breaks; a very long one is attached as a UTF-8 .txt file with its
    first part as the message. The keyboard goes on the last message sent.
    """
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_text(text)
    reply_to = update.effective_message.message_id if update.effective_message and not update.callback_query \
        else None
    if len(parts) > MAX_PARTS:
        head = parts[0]
        await chat.send_message(head, reply_to_message_id=reply_to)
        return await chat.send_document(
            io.BytesIO(text.encode("utf-8")), filename=filename, caption="完整内容见附件 (full text attached)",
            reply_markup=reply_markup,
        )
    last: Message | None = None
    for i, part in enumerate(parts):
        last = await chat.send_message(
            part,
            reply_markup=reply_markup if i == len(parts) - 1 else None,
            reply_to_message_id=reply_to if i == 0 else None,
        )
    return last


class ReplyToBotPrompt(filters.MessageFilter):
    """A message replying to one of the bot's own prompts whose text carries ``ref`` (「（编号 R12）」).

    The reference in the prompt is the state: the handler reads it back from ``reply_to_message``, so
    nothing has to be remembered between the question and the answer (and any worker can take the reply).
    """

    def __init__(self, ref: re.Pattern[str]) -> None:
        super().__init__()
        self.ref = ref

    def filter(self, message: Message) -> bool:
        reply = message.reply_to_message
        return bool(reply is not None and reply.from_user is not None and reply.from_user.is_bot
                    and reply.text and self.ref.search(reply.text))
