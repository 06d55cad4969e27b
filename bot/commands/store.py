"""``nianbao import FILE... [--chat ID] [--office NAME]`` and ``nianbao db upgrade`` / ``nianbao db status``.

Import runs exactly the path of a file sent in chat (``bot.services.ingest``), so a batch of reports can
be loaded from the command line and then asked about in that chat. A report that names no office is
stored under a placeholder, as in chat; where the chat asks its sender, ``--office`` gives the name (one
file only — the office of several files is not one answer) and the report is named and re-validated as
the chat's answer would (``bot.services.name_report``). Unnamed reports left are listed at the end with
the command that names them: the same file again with ``--office`` (it is recognised, not stored twice).
Exit codes follow ``validate``: 0 no errors, 1 some report has an error finding, 2 a file could not be
read, a bad ``--office`` (or the database is not ready).
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from pathlib import Path

#: The chat id used when ``--chat`` is not given: a local workspace of its own.
LOCAL_CHAT_ID = 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``import`` and ``db`` to the ``nianbao`` command."""
    imp = subparsers.add_parser(
        "import",
        help="读取、校验并保存年报到数据库 (parse, validate and store)",
        description="读取、校验并保存年报到数据库（DATABASE_URL），如同在 --chat 指定的群里发送。",
    )
    imp.add_argument(
        "files", nargs="+", metavar="FILE", help="年报文件（.docx .doc .wps .pdf .html .txt 或 .zip）"
    )
    imp.add_argument(
        "--chat",
        type=int,
        default=LOCAL_CHAT_ID,
        help=f"保存到哪个群（chat id），默认本地工作区 {LOCAL_CHAT_ID}",
    )
    imp.add_argument(
        "--office",
        metavar="NAME",
        help="报告没有写明单位时，按此单位全称保存（只用于一个文件）",
    )
    imp.add_argument("--lang", choices=("zh", "en"), default="zh", help="输出语言")
    imp.set_defaults(func=run_import)

    db = subparsers.add_parser("db", help="数据库维护 (database maintenance)")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    up = db_sub.add_parser("upgrade", help="把数据库结构升级到最新 (run migrations)")
    up.set_defaults(func=run_upgrade)
    st = db_sub.add_parser("status", help="查看数据库结构是否最新")
    st.set_defaults(func=run_status)
    db.set_defaults(func=lambda args: (db.print_help(), 0)[1])


def _db_url() -> str:
    from bot.config import load_settings

    return load_settings().db_url


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def run_upgrade(args: argparse.Namespace) -> int:
    """Bring the schema to head."""
    from storage.db import upgrade

    url = _db_url()
    try:
        upgrade(url)
    except Exception as exc:  # show the cause in one line, not a traceback
        print(f"数据库升级失败：{type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    print(f"数据库已升级到最新版本：{_safe_url(url)}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Print current / behind / empty / ahead; exit 0 only when current."""
    from storage.db import UPGRADE_HINT, Database, DatabaseUnavailable

    async def status() -> str:
        db = Database(_db_url())
        try:
            return await db.schema_status()
        finally:
            await db.close()

    try:
        state = asyncio.run(status())
    except DatabaseUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 2
    text = {
        "current": "数据库结构是最新的。",
        "behind": f"数据库结构需要升级，请运行：{UPGRADE_HINT}",
        "empty": f"数据库还是空的，请运行：{UPGRADE_HINT}",
        "ahead": "数据库由更新版本的年报助手创建，请升级程序。",
    }[state]
    print(f"{state}: {text}")
    return 0 if state == "current" else 1


def run_import(args: argparse.Namespace) -> int:
    """Import every file; print one verdict reply per document."""
    from bot.config import load_settings
    from bot.reading.api import configure_pool
    from storage.db import DatabaseUnavailable

    problem = office_problem(args.office, len(args.files))
    if problem:  # before anything is read or stored
        print(problem, file=sys.stderr)
        return 2
    settings = load_settings()
    configure_pool(workers=settings.parse_workers, memory_mb=settings.parse_memory_mb)
    try:
        return asyncio.run(
            import_files(
                settings.db_url,
                [Path(f) for f in args.files],
                chat_id=args.chat,
                lang=args.lang,
                timeout=settings.parse_timeout,
                office=args.office,
            )
        )
    except DatabaseUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 2


def office_problem(office: str | None, files: int) -> str:
    """Why ``--office`` cannot be used as given (one line), or ``''``."""
    if office is None:
        return ""
    if files != 1:
        return "--office 只能用于一个文件：几份报告的单位不是同一个回答。请逐个导入：nianbao import 文件 --office 单位全称"
    if not 2 <= len(office.strip()) <= 40:
        return "--office 应为单位全称（2到40个字），例如“富阳区鹿山街道”。"
    return ""


async def import_files(
    url: str, paths: list[Path], *, chat_id: int = LOCAL_CHAT_ID, lang: str = "zh", timeout: float = 20,
    office: str | None = None,
) -> int:
    """Import files into the database at ``url`` as if sent in ``chat_id``; returns the exit code.

    ``office`` names the one file's report if it names none (see the module docstring)."""
    from bot.services import ingest, name_report, naming_reply, verdict_reply
    from storage import repo
    from storage.db import UPGRADE_HINT, Database, upgrade

    db = Database(url)
    try:
        state = await db.schema_status()
        if state == "empty":
            await asyncio.to_thread(upgrade, url)
        elif state != "current":
            print(f"数据库结构不是最新（{state}），请先运行：{UPGRADE_HINT}", file=sys.stderr)
            return 2
        if chat_id == LOCAL_CHAT_ID:
            await repo.ensure_workspace(db, chat_id=chat_id, title="本地工作区", kind="local")
        code = 0
        unnamed: list[tuple[Path, object]] = []
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError as exc:
                print(f"❌ {path}：无法打开文件（{exc.strerror or exc}）")
                code = 2
                continue
            outcomes = await ingest(db, chat_id=chat_id, filename=path.name, data=data, timeout=timeout)
            for outcome in outcomes:
                report, text, named = outcome.report, verdict_reply(outcome, lang), False
                if outcome.unnamed and office and len(outcomes) == 1:
                    naming = await name_report(db, chat_id=chat_id, report_id=outcome.stored.report.id, name=office)
                    if naming is not None:
                        text, report, named = naming_reply(naming, lang), naming.report or report, True
                elif office and outcome.ok:
                    text += ("\nℹ️ --office not used: " if lang == "en" else "\nℹ️ 未使用 --office：") + (
                        "the zip holds several reports." if lang == "en" and len(outcomes) > 1 else
                        "压缩包里有多份报告。" if len(outcomes) > 1 else
                        "the report already has an office." if lang == "en" else "报告已有单位名称。")
                if outcome.unnamed and not named:  # still under its placeholder
                    unnamed.append((path, outcome))
                print(text)
                print()
                if not outcome.ok:
                    code = 2
                elif code == 0 and any(f.severity == "error" for f in report.findings):
                    code = 1
        if unnamed:
            print(_unnamed_list(unnamed, chat_id, lang))
        return code
    finally:
        await db.close()


def _unnamed_list(unnamed: list[tuple[Path, object]], chat_id: int, lang: str) -> str:
    """The reports left under a placeholder, each with the command that names it (a zip's members are
    named in chat, or unpacked and imported one by one)."""
    chat = "" if chat_id == LOCAL_CHAT_ID else f" --chat {chat_id}"
    en = lang == "en"
    lines = [f"❓ {len(unnamed)} report(s) do not say which office they are from; name each with:" if en
             else f"❓ 有{len(unnamed)}份报告没有写明单位，请逐个命名："]
    colon = ": " if en else "："
    for path, outcome in unnamed:
        year = outcome.stored.report.year
        label = (f"{outcome.filename} ({year or '?'})" if en
                 else f"{outcome.filename}（{f'{year}年度' if year else '年份不明'}）")
        if outcome.filename == path.name:
            lines.append(f"  {label}{colon}nianbao import {shlex.quote(str(path))} --office {'NAME' if en else '单位全称'}{chat}")
        else:  # a member of a zip
            lines.append(f"  {label}{colon}" + ("unpack it and import it alone with --office" if en
                                           else "解压后单独导入并加 --office 单位全称"))
    return "\n".join(lines)
