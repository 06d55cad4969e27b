"""/export, /chart and /summary: what the office hands to its leaders, straight into the group.

Thin by design: parse the arguments, call :mod:`bot.exports`, send a document, a photo or a text.
Exports are read-only, so any member of an allowed chat may use them (the gate already stopped others).
An empty chat gets a one-line explanation instead of an empty file.
"""

from __future__ import annotations

import logging

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CommandHandler, ContextTypes

from handlers.common import db_of, lang_of, send_long
from handlers.menu import Command

# bot.exports pulls in matplotlib, numpy, Pillow and openpyxl (~50 MB): imported inside the handlers,
# so a bot that never draws a chart does not carry them.

logger = logging.getLogger(__name__)

#: This module's commands, for setMyCommands and /help (handlers/menu.py).
COMMANDS: list[Command] = [
    Command("summary", "本群年报汇总：提交、通过、合计、主要问题", "导出", "[年度] 汇总：提交、通过、合计",
            "[year] digest"),
    Command("export", "导出汇总表 Excel：/export 2021（加 csv 导出 CSV）", "导出", "[年度] [csv] 汇总表 Excel",
            "[year] [csv] workbook"),
    Command("chart", "统计图：/chart 2021 申请|结果|复议，或 /chart 鹿山", "导出",
            "[年度] [申请|结果|复议] 统计图 · /chart 单位 历年对比", "[year] [applications|outcomes|appeals] chart"),
]

EXPORT_USAGE = "用法：/export [年度] [csv]，例如 /export 2021\n(Usage: /export [year] [csv])"
CHART_USAGE = (
    "用法：/chart [年度] [申请|结果|复议]，或 /chart 单位简称（历年对比），例如 /chart 鹿山\n"
    "(Usage: /chart [year] [applications|outcomes|appeals] or /chart <office>)"
)


def _export_args(args: list[str]) -> tuple[int | None, str, list[str]]:
    """(year, format, words not understood) from ``/export`` arguments."""
    from bot.exports import parse_year

    year: int | None = None
    fmt = "xlsx"
    unknown: list[str] = []
    for word in args:
        low = word.strip().lower().lstrip(".")
        if year is None and parse_year(word) is not None:
            year = parse_year(word)
        elif low in ("csv", "xlsx", "excel"):
            fmt = "csv" if low == "csv" else "xlsx"
        else:
            unknown.append(word)
    return year, fmt, unknown


async def on_export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the year's workbook (or the 汇总 CSV) as a document."""
    from bot.exports import NothingToExport, export_file

    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    year, fmt, unknown = _export_args(context.args or [])
    if unknown:
        await message.reply_text(EXPORT_USAGE)
        return
    await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    try:
        file = await export_file(db_of(context), chat_id=chat.id, year=year, fmt=fmt)
    except NothingToExport as exc:
        await message.reply_text(exc.text(lang_of(update)))
        return
    await message.reply_document(InputFile(file.data, filename=file.filename), caption=file.caption)


async def on_chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send a chart: applications per office (default), outcomes, appeals, or one office by year."""
    from bot.exports import NothingToExport, chart_file, parse_chart_args

    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    args = context.args or []
    if any(word in ("help", "帮助", "?", "？") for word in args):
        await message.reply_text(CHART_USAGE)
        return
    await chat.send_action(ChatAction.UPLOAD_PHOTO)
    try:
        file = await chart_file(db_of(context), chat_id=chat.id, request=parse_chart_args(args))
    except NothingToExport as exc:
        await message.reply_text(exc.text(lang_of(update)))
        return
    await message.reply_photo(InputFile(file.data, filename=file.filename), caption=file.caption)


async def on_summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the short digest of the year for the group."""
    from bot.exports import digest, parse_year

    chat = update.effective_chat
    if chat is None:
        return
    year = next((parse_year(w) for w in context.args or [] if parse_year(w) is not None), None)
    text = await digest(db_of(context), chat_id=chat.id, year=year, lang=lang_of(update))
    await send_long(update, context, text, filename="summary.txt")


def register(app: Application) -> None:
    """/export, /chart and /summary (group 0)."""
    app.add_handler(CommandHandler("export", on_export))
    app.add_handler(CommandHandler("chart", on_chart))
    app.add_handler(CommandHandler("summary", on_summary))
