"""Wiring: the python-telegram-bot ``Application`` with every handler in order, and the webhook server.

``build_application(settings, db=db)`` has no side effects until the application is initialized, so
``nianbao run``, ``nianbao console`` and the end-to-end tests all build the same bot. The handler order
matters (ENGINEERING.md §1.3):

    group -2  gate       chats not allowed and already-processed update ids stop here
    group -1  observers  workspace bookkeeping: supergroup migration, bot added/removed
    group  0  features   files, commands, review, questions, reminders, escalation, exports, contacts, documents
    group  1  fallbacks  unknown commands, non-report messages in private chats
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import timedelta
from typing import Any

from aiohttp import web
from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.config import Settings
from handlers.inbox import InboxApplication, UpdateInbox, bot_scope

logger = logging.getLogger(__name__)

#: Retries of a request that hit Telegram's flood limit (429 RetryAfter) before giving up.
RATE_LIMIT_RETRIES = 3


class SchemaNotCurrent(RuntimeError):
    """The database schema is not at the version this code needs."""


def feature_modules() -> list[Any]:
    """The feature modules (group 0) in registration order; each declares its ``COMMANDS`` once."""
    from handlers import (
        commands,
        contacts,
        documents,
        escalation,
        exports,
        files,
        questions,
        reminders,
        review,
    )

    return [commands, files, review, questions, reminders, escalation, exports, contacts, documents]


def bot_commands(modules: list[Any]) -> list[BotCommand]:
    """Commands for setMyCommands: every module's declaration (handlers/menu.py), the same list /help shows."""
    from handlers.menu import declared

    return [BotCommand(c.name, c.description) for c in declared(modules)]


def build_application(settings: Settings, *, db: Any = None, rate_limit: bool = True,
                      concurrent_updates: int = 64, update_scope: str | None = None) -> Application:
    """The bot, ready for ``run_polling``/webhook/tests. ``db`` defaults to ``Database(settings.db_url)``.

    ``rate_limit=False`` drops the rate limiter (Telegram's 30 msg/s, 20/min per group) — for
    benchmarks against the fake API only. With ``NIANBAO_REDIS_URL`` the limits are shared by every
    worker (:mod:`handlers.ratelimit`); otherwise PTB's per-process AIORateLimiter keeps them.
    ``update_scope`` keys the update inbox (default: this bot's token hash); ``nianbao console`` passes
    one per session, whose update ids start again at 1.
    """
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    from bot.reading.api import configure_pool

    configure_pool(workers=settings.parse_workers, memory_mb=settings.parse_memory_mb,
                   recycle_mb=settings.parse_recycle_mb, ocr_memory_mb=settings.ocr_memory_mb,
                   ocr_seconds_per_page=settings.ocr_seconds_per_page)
    owns_db = db is None
    if db is None:
        from storage.db import Database

        db = Database(settings.db_url)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .defaults(Defaults(tzinfo=settings.tz))
        .concurrent_updates(concurrent_updates)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .application_class(InboxApplication)
    )
    if rate_limit and settings.redis_url:
        from handlers.ratelimit import SharedRateLimiter

        builder = builder.rate_limiter(SharedRateLimiter(settings.redis_url, settings.telegram_bot_token,
                                                         max_retries=RATE_LIMIT_RETRIES))
    elif rate_limit:
        from handlers.ratelimit import MeteredRateLimiter

        builder = builder.rate_limiter(MeteredRateLimiter(max_retries=RATE_LIMIT_RETRIES))
    app = builder.build()
    app.bot_data["update_scope"] = update_scope or bot_scope(settings.telegram_bot_token)
    app.bot_data["inbox"] = UpdateInbox(db, app.bot_data["update_scope"],
                                        lease=timedelta(seconds=settings.inbox_lease))
    app.bot_data["db"] = db
    app.bot_data["settings"] = settings
    app.bot_data["owns_db"] = owns_db

    from handlers import errors, fallbacks, gate

    gate.register(app)  # groups -2 and -1
    modules = feature_modules()
    for module in modules:  # group 0
        module.register(app)
    fallbacks.register(app)  # group 1
    app.add_error_handler(errors.on_error)
    app.bot_data["feature_modules"] = modules
    return app


async def check_schema(db: Any) -> None:
    """Raise :class:`SchemaNotCurrent` with the command to run when the database is not at head."""
    from storage.db import UPGRADE_HINT

    status = await db.schema_status()
    if status != "current":
        raise SchemaNotCurrent(
            f"数据库结构不是最新（{status}），请先运行：{UPGRADE_HINT}\n"
            f"(Database schema is {status}; run `{UPGRADE_HINT}`.)"
        )


async def _post_init(app: Application) -> None:
    """Startup checks and the command menu (setMyCommands with Chinese descriptions)."""
    await check_schema(app.bot_data["db"])
    commands = bot_commands(app.bot_data.get("feature_modules", []))
    await app.bot.set_my_commands(commands)
    # Start the parse workers now (their fork server imports the readers, ~1 s), not on the first file.
    from bot.reading import run_in_worker

    app.bot_data["parse_workers"] = asyncio.ensure_future(run_in_worker(_workers_ready, "", b"", timeout=30))
    # jieba loads its dictionary lazily (~2 s): do it now, off the event loop, not on the first question
    from bot.questions import warm_up

    app.bot_data["warm_up"] = asyncio.create_task(asyncio.to_thread(warm_up), name="questions-warm-up")
    logger.info("bot @%s ready, %d commands", app.bot.username, len(commands))


def _workers_ready(filename: str, data: bytes) -> list[Any]:
    """A no-op job: scheduling it makes the worker pool fork its processes."""
    return []


async def _post_shutdown(app: Application) -> None:
    """Stop the parsing workers; close the database when this application opened it."""
    from bot.reading import shutdown_pool

    inbox = app.bot_data.get("inbox")
    if inbox is not None:
        await inbox.stop()  # write the done marks still pending
    started = app.bot_data.get("parse_workers")
    if started is not None and not started.done():
        started.cancel()
    await asyncio.to_thread(shutdown_pool)
    if app.bot_data.get("owns_db"):
        await app.bot_data["db"].close()


# ---------------------------------------------------------------------------------------------- webhook
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(settings: Settings) -> str:
    """The path Telegram posts to: the path of NIANBAO_WEBHOOK_URL, or /telegram."""
    from urllib.parse import urlparse

    path = urlparse(settings.webhook_url or "").path
    return path if path and path != "/" else "/telegram"


#: Largest update body accepted (a Telegram update is a few KB; documents arrive by file id).
MAX_BODY = 1024 * 1024


def webhook_secret(settings: Settings) -> str:
    """NIANBAO_WEBHOOK_SECRET, or one derived from the bot token — the same in every worker of one bot.

    (A random secret per process made two thirds of deliveries fail with 403 behind a proxy of three
    workers: each registered its own.) Telegram allows 1–256 characters of ``A-Za-z0-9_-``.
    """
    if settings.webhook_secret:
        return settings.webhook_secret
    import hashlib
    import hmac

    token = (settings.telegram_bot_token or "").encode()
    return hmac.new(token, b"nianbao webhook secret", hashlib.sha256).hexdigest()


def webhook_server(app: Application, *, secret: str | None, path: str = "/telegram",
                   health_token: str | None = None) -> web.Application:
    """An aiohttp app: POST ``path`` → stored in the update inbox → 200; GET /healthz.

    An update is acknowledged only once it is stored (docs/SCALING.md): if this process dies it is taken
    over by another worker; when the database is away the answer is 503 and Telegram delivers it again
    later. A redelivery of a stored update gets 200 and is not queued twice. Bad secret → 403, a body
    over 1 MB → 413, anything unreadable → 400 — never a traceback.
    """
    import json

    from storage.inbox import valid_update_id

    expected = secret.encode() if secret is not None else None

    async def receive(request: web.Request) -> web.Response:
        if expected is not None:
            given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
            if not secrets.compare_digest(given, expected):
                return web.Response(status=403, text="forbidden")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="too large")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, text="too large")
        try:
            payload = json.loads(body)
            update_id = payload["update_id"]
            if not valid_update_id(update_id):
                raise ValueError(f"update_id out of range: {str(update_id)[:40]}")
            update = Update.de_json(payload, app.bot)
        except Exception:  # noqa: BLE001 - malformed body: tell the sender, never crash
            return web.Response(status=400, text="bad update")
        inbox: UpdateInbox = app.bot_data["inbox"]
        try:
            fresh = await inbox.receive(update_id, body.decode("utf-8", "replace"))
        except Exception as exc:  # noqa: BLE001 - database away: Telegram retries a 5xx later
            from handlers.inbox import _short

            _log_once(app, "webhook: update not stored, answered 503 (%s)", _short(exc))
            return web.Response(status=503, text="database unavailable")
        if fresh:
            await app.update_queue.put(update)
        return web.Response(text="ok")

    async def healthz(request: web.Request) -> web.Response:
        given = request.query.get("token", "").encode("utf-8", "surrogateescape")
        if not health_token or not secrets.compare_digest(given, health_token.encode()):
            return web.json_response({"ok": True})
        inbox: UpdateInbox = app.bot_data["inbox"]
        body: dict[str, Any] = {"ok": True, "running": app.running, "bot": app.bot.username,
                                "queue": app.update_queue.qsize(), "inbox": inbox.snapshot()}
        limiter = getattr(app.bot, "rate_limiter", None)
        if limiter is not None and hasattr(limiter, "snapshot"):
            body["rate_limit"] = limiter.snapshot()
        return web.json_response(body)

    server = web.Application(client_max_size=MAX_BODY)
    server.router.add_post(path, receive)
    server.router.add_get("/healthz", healthz)
    return server


def _log_once(app: Application, message: str, *args: Any, every: float = 10.0) -> None:
    """Log ``message`` at most once per ``every`` seconds (an outage is one line, not one per update)."""
    import time

    now = time.monotonic()
    last = app.bot_data.get("_last_webhook_warning", 0.0)
    if now - last >= every:
        app.bot_data["_last_webhook_warning"] = now
        logger.warning(message, *args)
