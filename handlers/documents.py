"""/notice and /report_doc: the 整改通知 for one office and the 通报 for leaders, sent as files.

Thin by design: parse the arguments, call :mod:`bot.documents` (which builds in worker threads), send the
.docx (and the PDF). Any member of an allowed chat may ask for them: both only read what every member
already sees (the verdicts and 「查看全部问题」), change nothing, and an office clerk who wants to know what
the district office will ask of her should get the same document. Deciding which findings stand (rulings)
is the admins' part, and the documents follow those rulings.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from handlers.common import db_of, settings_of
from handlers.menu import Command

logger = logging.getLogger(__name__)

#: Callback data of the 「生成整改通知」 button under a verdict with errors: ``notice:<report id>``.
NOTICE_PREFIX = "notice:"

COMMANDS: list[Command] = [
    Command("notice", "生成某单位的整改通知（Word）：/notice 鹿山 [年度]", "导出",
            "单位 [年度] 整改通知（Word）", "<office> [year] fix-it notice (.docx)"),
    Command("report_doc", "生成年报情况通报（Word 和 PDF）：/report_doc [年度]", "导出",
            "[年度] 年报情况通报（Word、PDF）", "[year] bulletin for leaders (.docx, PDF)"),
]

NOTICE_USAGE = "用法：/notice 单位简称 [年度]，例如 /notice 鹿山 2021\n(Usage: /notice <office> [year])"
REPORT_DOC_USAGE = "用法：/report_doc [年度]，例如 /report_doc 2021\n(Usage: /report_doc [year])"


def _today(context: ContextTypes.DEFAULT_TYPE) -> date:
    return datetime.now(settings_of(context).tz).date()


def _issuer(update: Update) -> str:
    """Who signs the document: the group's title (the office's work group), else the bot's name."""
    chat = update.effective_chat
    return (chat.title if chat is not None and chat.title else "") or "年报助手"


def notice_args(args: list[str]) -> tuple[str, int | None]:
    """(office words, year) from ``/notice 鹿山 2021`` in any order."""
    from bot.exports import parse_year

    year: int | None = None
    words: list[str] = []
    for word in args:
        if year is None and parse_year(word) is not None:
            year = parse_year(word)
        elif word.strip():
            words.append(word.strip())
    return " ".join(words), year


async def on_notice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the 整改通知 .docx of an office's report."""
    from bot.documents import NoDocument, notice_file

    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    name, year = notice_args(context.args or [])
    if not name or len(name) > 60:
        await message.reply_text(NOTICE_USAGE)
        return
    await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    try:
        file = await notice_file(db_of(context), chat_id=chat.id, name=name, year=year, issuer=_issuer(update),
                                 today=_today(context))
    except NoDocument as exc:
        await message.reply_text(exc.message)
        return
    await message.reply_document(InputFile(file.data, filename=file.filename), caption=file.caption)


async def on_notice_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 「生成整改通知」 button under a verdict: the notice for that report (this chat's, current)."""
    from bot.documents import NoDocument, notice_for_report

    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None or not query.data:
        return
    try:
        report_id = int(query.data[len(NOTICE_PREFIX):])
    except ValueError:
        await query.answer("按钮已失效 (button expired)")
        return
    try:
        file = await notice_for_report(db_of(context), chat_id=chat.id, report_id=report_id,
                                       issuer=_issuer(update), today=_today(context))
    except NoDocument as exc:
        await query.answer(exc.message[:200], show_alert=True)
        return
    await query.answer()
    await chat.send_document(InputFile(file.data, filename=file.filename), caption=file.caption)


async def on_report_doc(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the year's 通报 as .docx and, where LibreOffice is installed, as PDF."""
    from bot.documents import NoDocument, bulletin_files
    from bot.exports import parse_year

    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    args = [w for w in context.args or [] if w.strip()]
    years = [parse_year(w) for w in args]
    if len(args) > 1 or None in years:
        await message.reply_text(REPORT_DOC_USAGE)
        return
    await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    try:
        files = await bulletin_files(db_of(context), chat_id=chat.id, year=years[0] if years else None,
                                     issuer=_issuer(update), today=_today(context))
    except NoDocument as exc:
        await message.reply_text(exc.message)
        return
    await message.reply_document(InputFile(files.docx.data, filename=files.docx.filename),
                                 caption=files.docx.caption)
    if files.pdf is not None:
        await chat.send_document(InputFile(files.pdf.data, filename=files.pdf.filename), caption=files.pdf.caption)
    elif files.note:
        await chat.send_message(files.note)


def register(app: Application) -> None:
    """/notice, /report_doc and the 「生成整改通知」 button (group 0)."""
    app.add_handler(CommandHandler("notice", on_notice))
    app.add_handler(CommandHandler("report_doc", on_report_doc))
    app.add_handler(CallbackQueryHandler(on_notice_button, pattern=f"^{NOTICE_PREFIX}"))
