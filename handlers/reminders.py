"""/deadline, /remind, /reminders (with cancel buttons), /apply, /extend, and the reminder tick job.

Thin by design: every command calls :mod:`bot.deadlines.service` and replies with the text it returns;
the JobQueue job calls :func:`bot.deadlines.ticker.tick` with a ``send`` that turns Telegram's errors
into the core's ChatGone / ChatMoved / RetryLater. Reading is open to everyone in the chat; changing
deadlines, reminders and applications needs a chat administrator (``handlers.access.require_admin``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.deadlines import service
from bot.deadlines.config import ReminderConfig
from bot.deadlines.ticker import ChatGone, ChatMoved, RetryLater, default_worker_id, tick
from handlers import limits
from handlers.access import require_admin
from handlers.common import db_of
from handlers.menu import Command

logger = logging.getLogger(__name__)

#: This module's commands, for setMyCommands and /help (handlers/menu.py).
COMMANDS: list[Command] = [
    Command("deadline", "截止日期：查看、添加本群截止日、提醒设置", "提醒",
            "截止日期与谁还没交（管理员：/deadline 1月15日 事项 · /deadline 街道 3月31日）",
            "deadlines (admins: /deadline 2027-01-15 what)"),
    Command("remind", "设置提醒：/remind 明天 9点 请各单位提交年报", "提醒", "明天 9点 内容 · 每周一 9:00 内容（管理员）",
            "tomorrow 9:00 text (admins)"),
    Command("reminders", "查看和取消本群的提醒", "提醒", "本群的提醒（可取消）", "this chat's reminders"),
    Command("apply", "登记依申请公开的收到日期，计算答复期限", "提醒",
            "2027-03-01 事由 登记申请，算答复期限（/apply 办结 N）", "date text: application clock"),
    Command("extend", "答复期限延期20个工作日", "提醒", "N 答复期限延长", "N: extend a reply deadline"),
]

#: Seconds between ticks; APScheduler job options so a slow tick never piles up or gets dropped.
TICK_INTERVAL = 30
TICK_JOB_KWARGS = {"misfire_grace_time": 60, "coalesce": True, "max_instances": 1}
#: A tick that takes longer than this is abandoned (its claims expire and are retried by the next one).
TICK_TIMEOUT = 600
CANCEL_PREFIX = "rem:cancel:"


def reminder_config(context_or_app: Any) -> ReminderConfig:
    """The process's ReminderConfig (environment + NIANBAO_TIMEZONE), made once per application."""
    app = getattr(context_or_app, "application", context_or_app)
    cfg = app.bot_data.get("reminder_config")
    if cfg is None:
        settings = app.bot_data.get("settings")
        cfg = ReminderConfig.from_settings(settings) if settings is not None else ReminderConfig()
        app.bot_data["reminder_config"] = cfg
    return cfg


def _args(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or [])


def _ids(update: Update) -> tuple[int, int | None]:
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None
    return chat.id, (user.id if user else None)


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def on_deadline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the chat's deadlines, or (admins) add/cancel one or change the reminder ladder."""
    args = _args(context)
    if args and not await require_admin(update, context):
        return
    if problem := limits.check_args(args) or limits.check_id_after(args, ("取消", "删除", "cancel")):
        await _reply(update, problem)
        return
    chat_id, user_id = _ids(update)
    text = await service.deadline_command(db_of(context), chat_id=chat_id, args=args, user_id=user_id,
                                          config=reminder_config(context))
    await _reply(update, text)


async def on_remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Set a one-off or weekly reminder for the chat (admins)."""
    if not await require_admin(update, context):
        return
    if problem := limits.check_args(_args(context), limit=limits.MAX_LONG_ARGS):
        await _reply(update, problem)
        return
    chat_id, user_id = _ids(update)
    text = await service.remind_command(db_of(context), chat_id=chat_id, args=_args(context), user_id=user_id,
                                        config=reminder_config(context))
    await _reply(update, text)


def _listing_markup(buttons: list[tuple[str, int]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"{CANCEL_PREFIX}{rid}")]
                                 for label, rid in buttons])


async def on_reminders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the chat's reminders, each with a cancel button."""
    chat_id, _ = _ids(update)
    listing = await service.list_reminders(db_of(context), chat_id=chat_id, config=reminder_config(context))
    await _reply(update, listing.text, _listing_markup(listing.buttons))


async def on_cancel_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A cancel button under /reminders (admins): cancel, then refresh the list in place."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    if not await require_admin(update, context):
        return
    chat_id = query.message.chat.id
    reminder_id = limits.id_number((query.data or "").removeprefix(CANCEL_PREFIX))
    if reminder_id is None:  # forged button data
        await query.answer("按钮已失效 (button expired)")
        return
    db = db_of(context)
    text = await service.cancel_reminder(db, chat_id=chat_id, reminder_id=reminder_id)
    await query.answer(text)
    listing = await service.list_reminders(db, chat_id=chat_id, config=reminder_config(context))
    try:
        await query.edit_message_text(f"{text}\n\n{listing.text}", reply_markup=_listing_markup(listing.buttons))
    except BadRequest:  # "message is not modified" or too old to edit: the answer above is enough
        logger.debug("could not refresh reminder list", exc_info=True)


async def on_apply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log an incoming 依申请公开 application (admins); no arguments lists the open ones."""
    args = _args(context)
    if args and not await require_admin(update, context):
        return
    # the summary may quote an 18-digit ID card number: only the id after 办结 is held to MAX_ID
    problem = limits.check_args(args, limit=limits.MAX_LONG_ARGS, digit_runs=False) or limits.check_id_after(
        args, ("办结", "完成", "done", "close"))
    if problem:
        await _reply(update, problem)
        return
    chat_id, user_id = _ids(update)
    text = await service.apply_command(db_of(context), chat_id=chat_id, args=args, user_id=user_id,
                                       config=reminder_config(context))
    await _reply(update, text)


async def on_extend(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Extend an application's reply period by 20 working days (admins)."""
    if not await require_admin(update, context):
        return
    if problem := limits.check_args(_args(context)) or limits.check_id(_args(context)):
        await _reply(update, problem)
        return
    chat_id, _ = _ids(update)
    text = await service.extend_command(db_of(context), chat_id=chat_id, args=_args(context),
                                        config=reminder_config(context))
    await _reply(update, text)


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: move its deadlines, reminders and applications too."""
    from storage import obligations
    from storage import reminders as store

    message = update.effective_message
    if message is None or not message.migrate_to_chat_id:
        return
    await store.migrate_chat(db_of(context), old_chat_id=message.chat_id, new_chat_id=message.migrate_to_chat_id)
    await obligations.migrate_chat(db_of(context), old_chat_id=message.chat_id,
                                   new_chat_id=message.migrate_to_chat_id)  # supervisor-chat links follow


def make_sender(bot: Any) -> Any:
    """``send(chat_id, text, entities=…, buttons=…)`` for :func:`tick`, translating Telegram's errors for the
    core; entities are Bot API dicts (mentions, bot/deadlines/mentions.py), buttons rows of [label, data]."""

    async def send(chat_id: int, text: str, *, entities: list[dict[str, Any]] | None = None,
                   buttons: list[list[list[str]]] | None = None) -> int:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                       for row in buttons]) if buttons else None
        try:
            message = await bot.send_message(
                chat_id=chat_id, text=text, reply_markup=markup,
                entities=[MessageEntity.de_json(e, bot) for e in entities] if entities else None)
        except Forbidden as exc:
            raise ChatGone(str(exc)) from exc
        except ChatMigrated as exc:
            raise ChatMoved(exc.new_chat_id) from exc
        except RetryAfter as exc:
            seconds = exc.retry_after
            raise RetryLater(seconds.total_seconds() if hasattr(seconds, "total_seconds") else float(seconds)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise ChatGone(str(exc)) from exc
            raise
        return message.message_id

    return send


async def reminder_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The JobQueue callback: one tick with this bot as the sender."""
    app = context.application
    worker_id = app.bot_data.setdefault("reminder_worker_id", default_worker_id())
    try:
        await asyncio.wait_for(
            tick(db_of(context), make_sender(context.bot), datetime.now(UTC), worker_id,
                 config=reminder_config(context)),
            timeout=TICK_TIMEOUT,
        )
    except TimeoutError:
        logger.error("reminder tick took longer than %ss; abandoned (claims expire and are retried)", TICK_TIMEOUT)
    except Exception as exc:  # e.g. the database is briefly unreachable: log, the next tick tries again
        from storage.db import is_unavailable

        if is_unavailable(exc):
            logger.warning("reminder tick: database unavailable; retrying in %ss", TICK_INTERVAL)
        else:
            logger.exception("reminder tick failed; retrying in %ss", TICK_INTERVAL)


def register(app: Application) -> None:
    """Add the reminder commands, the cancel buttons, the migration observer and (if enabled) the tick."""
    app.add_handler(CommandHandler("deadline", on_deadline))
    app.add_handler(CommandHandler("remind", on_remind))
    app.add_handler(CommandHandler("reminders", on_reminders))
    app.add_handler(CommandHandler("apply", on_apply))
    app.add_handler(CommandHandler("extend", on_extend))
    app.add_handler(CallbackQueryHandler(on_cancel_button, pattern=rf"^{CANCEL_PREFIX}\d+$"))
    # group -1 belongs to the gate's observers (one handler per group runs); ours gets its own group
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate), group=2)
    settings = app.bot_data.get("settings")
    if getattr(settings, "scheduler", True) and app.job_queue is not None:
        # next_run_time: the first tick 5 s after *now*, run at start even when starting took longer
        # (an interval trigger alone would wait for the next 30 s boundary after its start date)
        first = datetime.now(UTC) + timedelta(seconds=5)
        app.job_queue.run_repeating(reminder_job, interval=TICK_INTERVAL, first=first, name="reminder-tick",
                                    job_kwargs={**TICK_JOB_KWARGS, "next_run_time": first})
    elif app.job_queue is None:
        logger.warning("JobQueue unavailable (install python-telegram-bot[job-queue]); reminders are not sent")
