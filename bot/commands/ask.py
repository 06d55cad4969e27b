"""``nianbao ask "QUESTION" [--chat ID]``: answer a question from the stored reports.

Prints exactly the text the bot would send in that chat (choices, when the bot would show buttons,
follow as numbered lines). Exit code 0 when answered, 3 when the question was not understood, 1 when
the database is not ready.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date

#: Same default workspace as ``nianbao import``.
LOCAL_CHAT_ID = 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``ask`` to the ``nianbao`` command."""
    ask = subparsers.add_parser(
        "ask",
        help="用中文或英文提问，回答来自已保存的年报 (ask a question)",
        description="回答关于已保存年报的问题，输出与机器人在群里发送的文字完全相同。",
    )
    ask.add_argument("question", nargs="+", metavar="QUESTION", help="问题，例如：鹿山2021年收到多少申请？")
    ask.add_argument("--chat", type=int, default=LOCAL_CHAT_ID,
                     help=f"在哪个群的数据里查（chat id），默认本地工作区 {LOCAL_CHAT_ID}")
    ask.add_argument("--today", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                     help="当作今天的日期（影响“今年”“去年”），默认今天")
    ask.set_defaults(func=run_ask)


def run_ask(args: argparse.Namespace) -> int:
    """Answer and print; the exit code says whether the question was understood."""
    from bot.config import load_settings

    return asyncio.run(ask(load_settings().db_url, " ".join(args.question), chat_id=args.chat, today=args.today))


async def ask(url: str, question: str, *, chat_id: int = LOCAL_CHAT_ID, today: date | None = None) -> int:
    """Answer ``question`` from the database at ``url`` as in chat ``chat_id``; returns the exit code."""
    from bot.questions import answer
    from storage.db import UPGRADE_HINT, Database

    db = Database(url)
    try:
        state = await db.schema_status()
        if state != "current":
            print(f"数据库未就绪（{state}），请先运行：{UPGRADE_HINT}", file=sys.stderr)
            return 1
        reply = await answer(db, chat_id=chat_id, text=question, today=today)
        hint = await _console_hint(db, chat_id)
    finally:
        await db.close()
    print(reply.text)
    if hint:
        print(hint, file=sys.stderr)
    for i, choice in enumerate(reply.choices, 1):
        print(f"{i}. {choice}")
    return 0 if reply.understood else 3


async def _console_hint(db: object, chat_id: int) -> str:
    """The local workspace is empty but ``nianbao console`` stored reports in its own chat: say where."""
    from bot.console import CONSOLE_CHAT_ID
    from storage import repo

    if chat_id != LOCAL_CHAT_ID or await repo.years(db, chat_id=chat_id):
        return ""
    if not await repo.years(db, chat_id=CONSOLE_CHAT_ID):
        return ""
    return (f"（本地工作区 {LOCAL_CHAT_ID} 没有报告；nianbao console 里发送的报告在 --chat {CONSOLE_CHAT_ID}）\n"
            f"(Workspace {LOCAL_CHAT_ID} is empty; reports sent in nianbao console are in --chat {CONSOLE_CHAT_ID}.)")
