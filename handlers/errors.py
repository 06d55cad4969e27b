"""The error handler: log with a short id, reply a short apology with that id — never a traceback.

A database that cannot be reached gets one short 「数据库暂时不可用」 and a one-line log entry.
Two Telegram errors are facts about the chat rather than bugs: ``ChatMigrated`` (the group became a
supergroup: move its data) and ``Forbidden`` (the bot was removed or blocked: stop sending there).
"""

from __future__ import annotations

import logging
import secrets

from telegram import Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationHandlerStop, ContextTypes

from handlers.common import db_of

logger = logging.getLogger(__name__)


def apology(error_id: str) -> str:
    return (
        f"抱歉，处理时出了点问题（编号 {error_id}），请稍后再试；如一直出现，请把编号告诉管理员。\n"
        f"(Sorry, something went wrong. Error id {error_id}.)"
    )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle an exception raised while processing ``update`` (or in a job)."""
    from storage import repo

    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, ChatMigrated) and chat is not None:
        from handlers.gate import migrate

        await migrate(context, chat.id, error.new_chat_id)
        return
    if isinstance(error, Forbidden) and chat is not None:
        logger.info("forbidden in chat %s (%s): marking inactive", chat.id, error)
        await repo.set_chat_active(db_of(context), chat_id=chat.id, active=False)
        return
    if isinstance(error, BadRequest) and "not modified" in str(error):
        return
    from storage.db import is_unavailable

    if error is not None and is_unavailable(error):
        await _database_away(update, context, error)
        return
    error_id = secrets.token_hex(3)
    if isinstance(error, (RetryAfter, TimedOut, NetworkError)):
        logger.warning("error %s: Telegram unavailable: %s", error_id, error)
    else:
        logger.error("error %s while handling update", error_id, exc_info=error)
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, apology(error_id))
    except Exception as exc:  # the apology itself failed: nothing more to do than log
        logger.warning("error %s: could not send apology: %s", error_id, exc)


async def _database_away(update: object, context: ContextTypes.DEFAULT_TYPE, error: BaseException) -> None:
    """The database went away while a handler ran: one short 「数据库暂时不可用」, one log line (no
    traceback per update), and no later handler group answers the same update as well."""
    from handlers.gate import DB_DOWN, _reply_to
    from handlers.inbox import _short

    if not isinstance(update, Update):  # a job (e.g. the reminder tick) logs and retries on its own
        logger.warning("job: database unavailable (%s)", _short(error))
        return
    logger.warning("update %s: database unavailable (%s): answered 「数据库暂时不可用」", update.update_id,
                   _short(error))
    chat = update.effective_chat
    if chat is not None:
        try:
            await context.bot.send_message(chat.id, DB_DOWN, **_reply_to(update))
        except Exception as exc:  # noqa: BLE001 - nothing more to do than log
            logger.info("could not tell chat %s: %s", chat.id, exc)
    raise ApplicationHandlerStop
