"""``nianbao export --year Y --format xlsx|csv --out FILE [--chat ID]`` — the leaders' workbook from the CLI.

The same file the bot's /export sends, for an office that wants to build it on a desk computer or in a
scheduled job. A workbook is one chat's (one workspace's) reports: totals across chats would count an office
twice. Without ``--chat`` the database's only chat with reports is exported and named; when several hold
reports the command lists them and asks for ``--chat`` (exit 2).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

#: Exit codes: 0 written, 1 nothing to export, 2 database not ready / cannot write.
EXIT_EMPTY = 1
EXIT_SETUP = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nianbao export``."""
    parser = subparsers.add_parser(
        "export",
        help="导出年报汇总表（.xlsx 或 .csv）",
        description="把数据库中的年报导出为汇总表：.xlsx（汇总、表2至表4明细、问题清单）或汇总 .csv。",
    )
    parser.add_argument("--year", type=int, default=None, help="年度，如 2021（默认：最近一年）")
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("xlsx", "csv"),
        default=None,
        help="文件格式（默认按 --out 的扩展名，否则 xlsx）",
    )
    parser.add_argument("--out", default=None, help="输出文件（默认：当前目录下的 年报汇总_年度.xlsx）")
    parser.add_argument("--chat", type=int, default=None, help="导出这个群（chat id）的年报；库里只有一个群有报告时可省略")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the export file; messages go to stderr so stdout stays clean for scripts."""
    fmt = args.fmt or (Path(args.out).suffix.lstrip(".").lower() if args.out else "") or "xlsx"
    if fmt not in ("xlsx", "csv"):
        print(f"不支持的格式 {fmt!r}：请用 --format xlsx 或 --format csv", file=sys.stderr)
        return EXIT_SETUP
    return asyncio.run(_export(args.year, fmt, args.out, args.chat))


async def _export(year: int | None, fmt: str, out: str | None, chat_id: int | None) -> int:
    from bot.config import load_settings
    from bot.exports import NothingToExport, export_file
    from storage.db import Database

    settings = load_settings()
    db = Database(settings.db_url)
    try:
        status = await db.schema_status()
        if status != "current":
            print(f"数据库未就绪（{status}）：请先运行 nianbao db upgrade", file=sys.stderr)
            return EXIT_SETUP
        if chat_id is None:
            chat_id = await _only_chat(db, year)
            if chat_id is None:
                return EXIT_SETUP
        try:
            file = await export_file(db, chat_id=chat_id, year=year, fmt=fmt)
        except NothingToExport as exc:
            print(exc.message, file=sys.stderr)
            return EXIT_EMPTY
    finally:
        await db.close()
    path = Path(out) if out else Path(file.filename)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.data)
    except OSError as exc:
        print(f"无法写入 {path}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_SETUP
    print(f"已导出 {path}（群 {chat_id}：{file.caption}）", file=sys.stderr)
    return 0


async def _only_chat(db: object, year: int | None) -> int | None:
    """The one chat holding reports (of ``year``), or None after listing the chats to choose from.

    With no report at all, chat 0 (the local workspace) is returned so the usual "nothing to export"
    message follows.
    """
    from collections import Counter

    from storage import repo

    counts = Counter(r.workspace_chat_id for r in await repo.list_reports(db, chat_id=None, year=year))
    if len(counts) <= 1:
        return next(iter(counts), 0)
    listed = "、".join(f"--chat {chat}（{n} 份）" for chat, n in sorted(counts.items()))
    print(f"数据库里有 {len(counts)} 个群的报告，各群的合计不能混在一起：请用 --chat 指定一个群：{listed}",
          file=sys.stderr)
    return None
