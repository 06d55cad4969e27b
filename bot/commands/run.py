"""``nianbao run [--webhook]`` and ``nianbao console``.

Without a token ``run`` does not crash: it says how to get one, then validates the bundled example
reports so a first-time user sees the product work, and points to ``nianbao console``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

NO_TOKEN = (
    "未设置 TELEGRAM_BOT_TOKEN。在 Telegram 里找 @BotFather，发送 /newbot 创建机器人，复制它给出的 token。\n"
    "然后设置环境变量 TELEGRAM_BOT_TOKEN=<token>（或写进当前目录的 .env 文件）再运行 nianbao run。"
)
CONSOLE_HINT = "想先在本机试试？运行 nianbao console 打开本地对话（不需要 token，不连接 Telegram）。"


def register(subparsers: Any) -> None:
    """Add ``run`` and ``console``."""
    run = subparsers.add_parser("run", help="启动机器人（默认长轮询；--webhook 为 webhook 模式）")
    run.add_argument("--webhook", action="store_true",
                     help="webhook 模式：需 NIANBAO_WEBHOOK_URL，监听 NIANBAO_LISTEN，另有 GET /healthz")
    run.set_defaults(func=cmd_run)
    console = subparsers.add_parser("console", help="本地对话：在终端里和机器人对话，/send 文件 发送年报")
    console.set_defaults(func=cmd_console)


def examples_dir() -> Path | None:
    """The bundled example reports: ``examples/`` next to the package, or in the current directory."""
    import bot

    for candidate in (Path(bot.__file__).resolve().parent.parent / "examples", Path.cwd() / "examples"):
        if candidate.is_dir() and any(candidate.glob("*.txt")):
            return candidate
    return None


def show_examples(echo: Any = print) -> int:
    """Validate each bundled example and print its verdict; returns how many were shown."""
    from bot.reading import read_path
    from bot.services import IngestOutcome, verdict_reply
    from bot.validation import validate

    folder = examples_dir()
    if folder is None:
        echo("（没有找到自带的示例年报 examples/*.txt）")
        return 0
    files = sorted(folder.glob("*.txt"))
    echo(f"\n先在本机校验自带的 {len(files)} 份示例年报（{folder}）：")
    for path in files:
        for result in read_path(path):
            if result.report is None:
                message = getattr(result.error, "message", "无法读取")
                echo(f"\n❌ {path.name}：{message}")
                continue
            validate(result.report)
            outcome = IngestOutcome(path.name, result.report, None, None)
            echo(f"\n📄 {path.name}\n{verdict_reply(outcome, 'zh')}")
    return len(files)


def no_token(settings: Any) -> int:
    """What ``nianbao run`` does without a token: explain, demo, offer the console."""
    print(NO_TOKEN)
    try:
        show_examples()
    except Exception as exc:  # the demo must never turn the explanation into a traceback
        logger.debug("example validation failed", exc_info=exc)
        print(f"（示例校验未能运行：{exc}）")
    print("\n" + CONSOLE_HINT)
    if sys.stdin.isatty() and sys.stdout.isatty():
        try:
            answer = input("现在打开本地对话吗？[y/N] ").strip().lower()
        except EOFError:
            answer = ""
        if answer in ("y", "yes", "是", "好"):
            from bot.console import run_console

            return run_console(settings)
    return 0


async def _schema_status(url: str) -> str:
    from storage.db import Database

    db = Database(url)
    try:
        return await db.schema_status()
    finally:
        await db.close()


def prepare_database(settings: Any) -> bool:
    """Create the schema on a brand-new database; refuse (False) one that is behind or ahead."""
    from storage.db import UPGRADE_HINT, DatabaseUnavailable, upgrade

    try:
        status = asyncio.run(_schema_status(settings.db_url))
    except DatabaseUnavailable as exc:  # one clear line, not a driver traceback
        print(str(exc))
        return False
    if status == "empty":
        print("新数据库，正在建表… (creating the schema)")
        upgrade(settings.db_url)
        return True
    if status == "behind":
        print(f"数据库结构不是最新，请先运行：{UPGRADE_HINT}\n(The database schema is behind; run `{UPGRADE_HINT}`.)")
        return False
    if status == "ahead":
        print("数据库由更新版本的 nianbao 创建，请升级本程序。(The database is newer than this program.)")
        return False
    return True


def cmd_run(args: argparse.Namespace) -> int:
    """Start the bot: long polling, or webhook with ``--webhook``."""
    from bot.config import load_settings

    settings = load_settings()
    if not settings.telegram_bot_token:
        return no_token(settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not prepare_database(settings):
        return 2
    from telegram import Update

    from bot.app import build_application

    problem = asyncio.run(reach_telegram(settings))
    if problem:
        print(problem)
        return 2
    app = build_application(settings)
    if args.webhook:
        if not settings.webhook_url:
            print("webhook 模式需要 NIANBAO_WEBHOOK_URL（例如 https://bot.example.gov.cn/telegram）。")
            return 2
        asyncio.run(serve_webhook(app, settings))
        return 0
    app.run_polling(allowed_updates=Update.ALL_TYPES)  # stops cleanly on SIGINT/SIGTERM
    return 0


async def reach_telegram(settings: Any, *, timeout: float = 15.0) -> str | None:
    """One getMe before the bot starts: a wrong token or no network is one clear line (None when fine),
    not python-telegram-bot's retry traceback of a few hundred lines."""
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError, TelegramError
    from telegram.request import HTTPXRequest

    where = settings.telegram_api_base_url
    bot = Bot(settings.telegram_bot_token, base_url=where,
              request=HTTPXRequest(connect_timeout=timeout, read_timeout=timeout))
    try:
        async with bot:  # initialize() calls getMe
            return None
    except InvalidToken:
        return ("Telegram 不接受这个 TELEGRAM_BOT_TOKEN（无效或已被撤销），请在 @BotFather 重新获取。\n"
                "(Telegram rejected TELEGRAM_BOT_TOKEN.)")
    except NetworkError as exc:  # also TimedOut
        return (f"连不上 Telegram（{where}）：{exc}。请检查网络、防火墙或代理（可设 TELEGRAM_API_BASE_URL）。\n"
                "(Cannot reach the Telegram Bot API; check the network.)")
    except TelegramError as exc:
        return f"Telegram 拒绝了启动请求：{exc} (Telegram refused getMe.)"


async def serve_webhook(app: Any, settings: Any, *, stop: asyncio.Event | None = None) -> None:
    """Run the application behind the aiohttp webhook server until SIGTERM/SIGINT (or ``stop``)."""
    from aiohttp import web
    from telegram import Update

    from bot.app import webhook_path, webhook_secret, webhook_server

    secret = webhook_secret(settings)  # the same in every worker of this bot (docs/SCALING.md)
    host, _, port = settings.listen.rpartition(":")
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not on Windows / not the main thread
            pass
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.bot.set_webhook(settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
    await app.start()
    await _warm(app)
    app.bot_data["inbox"].start(app)  # heartbeats; takes over updates of workers that died
    runner = web.AppRunner(webhook_server(app, secret=secret, path=webhook_path(settings),
                                          health_token=settings.health_token), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, int(port)).start()
    logger.info("webhook listening on %s%s", settings.listen, webhook_path(settings))
    try:
        await stop.wait()
    finally:
        await runner.cleanup()  # accept nothing more
        # updates not started yet go back to the other workers (they are stored); running ones finish
        await app.bot_data["inbox"].hand_back_queued(app)
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


async def _warm(app: Any, timeout: float = 30.0) -> None:
    """Listen only once the question segmenter is loaded (``bot.app._post_init`` starts it in a thread).

    The load is a second or two of pure Python holding the GIL: every database round trip of the event
    loop waited for it, so a done mark took 100–240 ms instead of 10 — and a worker killed meanwhile
    answered updates twice (docs/SCALING.md). Until then the port is closed: the proxy sends updates to
    the other workers, Telegram retries a lone worker."""
    task = app.bot_data.get("warm_up")
    if task is None:
        return
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout)
    except Exception as exc:  # noqa: BLE001 - answering slowly beats not answering
        logger.warning("warm-up not finished (%s); listening anyway", type(exc).__name__)


def cmd_console(args: argparse.Namespace) -> int:
    """A local chat with the bot in the terminal (no token, no network)."""
    from bot.config import load_settings
    from bot.console import run_console

    return run_console(load_settings())
