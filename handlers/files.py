"""Documents sent in chat → a verdict within seconds; a .zip batch → one progress message and a table.

The size is checked on ``document.file_size`` BEFORE ``getFile`` (the cloud API refuses > 20 MB anyway),
and the download is streamed and stopped at 20 MB, for a size that was missing or lied. Parsing runs in the worker pool with a time limit inside
``bot.services.ingest``; this module only downloads, calls it and replies.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from handlers.common import ReplyToBotPrompt, db_of, lang_of, send_long, settings_of

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
#: Extensions the bot reacts to in a group (in a private chat every file gets an answer).
REPORT_SUFFIXES = {".docx", ".doc", ".wps", ".pdf", ".txt", ".html", ".htm", ".zip", ".ofd"}
#: Pictures (a scan, a photo of a table sent as a file): in a group only when addressed to the bot.
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}
#: Words in a photo's caption that ask the bot to check it (in a group, photos are usually not for us).
_ASKING = ("年报", "表", "核对", "对吗", "对不对", "帮我看", "检查", "check")
FINDINGS_PREFIX = "findings:"
#: Seconds between progress edits of a batch (Telegram rate limits edits too).
PROGRESS_EVERY = 1.0

SEVERITY_EMOJI = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
VERDICT_EMOJI = {"通过": "✅", "有警告": "⚠️", "有错误": "❌"}


async def download_capped(telegram_file: Any, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The file's bytes, or None as soon as more than ``limit`` arrive.

    ``document.file_size`` is the sender's client's word (missing on some clients, forgeable with a
    self-hosted Bot API); the download is streamed and stopped at the limit, so a file that lies costs
    at most 20 MB of memory, never the whole file."""
    import httpx

    if (telegram_file.file_size or 0) > limit:
        return None
    path = telegram_file.file_path or ""
    if not path.startswith(("http://", "https://")):  # a local Bot API server hands out paths on this disk
        return bytes(await telegram_file.download_as_bytearray()) if Path(path).stat().st_size <= limit else None
    parts = urlsplit(path)  # as PTB does: a Chinese file name in the path is percent-encoded
    url = urlunsplit(parts._replace(path=quote(parts.path)))
    buf = bytearray()
    async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0)) as client:
        async with client.stream("GET", url) as response:
            response.raise_for_status()
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                return None
            async for chunk in response.aiter_bytes(64 * 1024):
                buf += chunk
                if len(buf) > limit:
                    return None
    return bytes(buf)


def too_big_text(size: int | None) -> str:
    """The reply to a file over 20 MB (``size`` None: known only to be over)."""
    if size is None:
        return ("❌ 文件超过 20 MB，机器人最多能接收 20 MB 的文件。请压缩或拆分后再发。\n"
                "(File too large: over 20 MB, the limit.)")
    mb = size / 1024 / 1024
    return (
        f"❌ 文件过大（{mb:.1f} MB），机器人最多能接收 20 MB 的文件。请压缩或拆分后再发。\n"
        f"(File too large: {mb:.1f} MB; the limit is 20 MB.)"
    )


def findings_button(report: Any, dismissed: int = 0) -> InlineKeyboardMarkup | None:
    """The "see all findings" button under a verdict, when the stored report (StoredReport) has any,
    and 「生成整改通知」 (handlers/documents.py) when it has errors.

    ``dismissed``: findings ruled 不是问题, which the stored counts leave out but the list still shows."""
    if report is None:
        return None
    from handlers.documents import NOTICE_PREFIX

    count = (report.errors or 0) + (report.warnings or 0) + (report.infos or 0) + dismissed
    if not count:
        return None
    rows = [[InlineKeyboardButton(f"查看全部问题（{count}）", callback_data=f"{FINDINGS_PREFIX}{report.id}")]]
    if report.errors:  # something to fix: the 整改通知 for the office, one tap away
        rows.append([InlineKeyboardButton("生成整改通知", callback_data=f"{NOTICE_PREFIX}{report.id}")])
    return InlineKeyboardMarkup(rows)


def outcome_row(outcome: Any, lang: str = "zh") -> str:
    """One line of the batch summary table: verdict, office, year, counts — or the read error."""
    name = PurePath(outcome.filename).name
    en = lang == "en"
    if outcome.error is not None or outcome.report is None:
        from bot.services import error_message

        message = error_message(outcome, lang)
        return f"❌ {name}: {message}" if en else f"❌ {name}：{message}"
    report = outcome.report
    verdict = report.verdict
    errors = sum(1 for f in report.findings if f.severity == "error")
    warnings = sum(1 for f in report.findings if f.severity == "warning")
    office = report.office.short_name or report.office.name or name
    duplicate = outcome.stored is not None and outcome.stored.status == "duplicate"
    mark = VERDICT_EMOJI.get(verdict, "•")
    if en:
        return (f"{mark} {office} {report.year or '?'}: {errors} error(s), {warnings} warning(s)"
                + (" (already received)" if duplicate else ""))
    year = f"{report.year}年" if report.year else "年份不明"
    return f"{mark} {office} {year} 错误{errors} 警告{warnings}" + ("（重复）" if duplicate else "")


def batch_summary(filename: str, outcomes: list[Any], lang: str = "zh") -> str:
    """The final table of a .zip batch, in the sender's language: ✅, ⚠️ and ❌ add up to the file count."""
    ok = sum(1 for o in outcomes if o.report is not None and o.report.verdict == "通过")
    warned = sum(1 for o in outcomes if o.report is not None and o.report.verdict == "有警告")
    bad = len(outcomes) - ok - warned
    if lang == "en":
        lines = [f"📦 {filename}: {len(outcomes)} file(s), ✅ {ok} passed, ⚠️ {warned} with warnings, "
                 f"❌ {bad} with errors or unreadable"]
        lines += [outcome_row(o, lang) for o in outcomes]
        lines.append("/reports lists every report; /report <office> shows one.")
        return "\n".join(lines)
    lines = [f"📦 {filename}：共 {len(outcomes)} 份，✅ {ok} 份通过，⚠️ {warned} 份有警告，❌ {bad} 份有错误或无法读取"]
    lines += [outcome_row(o) for o in outcomes]
    lines.append("发送 /reports 查看全部报告，/report 单位名 查看详情。")
    return "\n".join(lines)


class Progress:
    """The ``progress`` callback for ``ingest``: edits ONE message, at most once per second.

    Works whether ``ingest`` awaits the call or not: the edit is scheduled as a task and an already
    finished future is returned.
    """

    def __init__(self, message: Message, filename: str, lang: str = "zh") -> None:
        self.message = message
        self.filename = filename
        self.lang = lang
        self.last = 0.0
        self.tasks: list[asyncio.Task[Any]] = []

    def __call__(self, done: int = 0, total: int = 0, *rest: Any, **kw: Any) -> asyncio.Future[None]:
        loop = asyncio.get_running_loop()
        now = time.monotonic()
        if total and now - self.last >= PROGRESS_EVERY and done < total:
            self.last = now
            text = (f"📦 Working on {self.filename}: {done}/{total} …" if self.lang == "en"
                    else f"📦 正在处理 {self.filename}：{done}/{total} …")
            self.tasks.append(loop.create_task(self._edit(text)))
        fut: asyncio.Future[None] = loop.create_future()
        fut.set_result(None)
        return fut

    async def _edit(self, text: str) -> None:
        try:
            await self.message.edit_text(text)
        except Exception as exc:  # a missed progress edit is harmless
            logger.debug("progress edit failed: %s", exc)

    async def settle(self) -> None:
        """Wait for scheduled edits so the final edit comes last."""
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Check size, download, ingest, reply with the verdict(s)."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or message.document is None or chat is None:
        return
    document = message.document
    filename = document.file_name or "file"
    suffix = PurePath(filename).suffix.lower()
    if chat.type != ChatType.PRIVATE and suffix not in REPORT_SUFFIXES and not (
        suffix in IMAGE_SUFFIXES and addressed(message, context)
    ):
        return  # a photo or spreadsheet shared in a work group is not for us
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await message.reply_text(too_big_text(document.file_size or 0))
        return
    is_zip = suffix == ".zip"
    lang = lang_of(update)
    progress: Progress | None = None
    if is_zip:
        status = await message.reply_text(f"📦 Received {filename}; reading and checking each file…" if lang == "en"
                                          else f"📦 已收到 {filename}，正在逐份读取和校验…")
        progress = Progress(status, filename, lang)
    else:
        await chat.send_action(ChatAction.TYPING)
    telegram_file = await document.get_file()
    data = await download_capped(telegram_file)
    if data is None:  # document.file_size was missing or lied: the download itself stopped at 20 MB
        await (progress.message.edit_text if progress is not None else message.reply_text)(too_big_text(None))
        return
    await _ingest_and_reply(update, context, filename, data, document.file_unique_id, progress, lang)


def addressed(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a group: a picture is for the bot when it replies to the bot, mentions it, or its caption asks."""
    caption = (message.caption or "").lower()
    me = context.bot.username or ""
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == context.bot.id:
        return True
    return bool(me and f"@{me.lower()}" in caption) or any(w in caption for w in _ASKING)


def ocr_notice(message: Message, lang: str):
    """The ``on_ocr`` callback: one message before a scan of several pages, or a file whose tables are
    pictures, is read by OCR (it takes seconds)."""

    async def notice(name: str, pages: int, pictures: bool) -> None:
        shown = PurePath(name).name
        if pictures:
            await message.reply_text(
                f"🔍 {shown}: {pages} table(s) are pictures; reading their text, about {3 * pages + 3} s…"
                if lang == "en" else f"🔍 {shown} 中有{pages}处表格是图片，正在识别文字，约需{3 * pages + 3}秒…")
            return
        if pages < 2:
            return  # one photo takes a few seconds: the typing indicator is enough
        await message.reply_text(
            f"🔍 {shown} is a scan ({pages} pages): reading the text, about {3 * pages} s…" if lang == "en"
            else f"🔍 {shown} 是扫描件（{pages}页），正在识别文字，约需{3 * pages}秒…")

    return notice


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo (of a table, or a page of a report): read by OCR and checked like a file."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or not message.photo or chat is None:
        return
    if chat.type != ChatType.PRIVATE and not addressed(message, context):
        return  # people share photos in work groups all day: only one addressed to the bot is read
    photo = message.photo[-1]  # the largest size Telegram made
    if (photo.file_size or 0) > MAX_FILE_BYTES:
        await message.reply_text(too_big_text(photo.file_size or 0))
        return
    await chat.send_action(ChatAction.TYPING)
    telegram_file = await photo.get_file()
    data = await download_capped(telegram_file)
    if data is None:
        await message.reply_text(too_big_text(None))
        return
    lang = lang_of(update)
    await _ingest_and_reply(update, context, f"photo_{photo.file_unique_id}.jpg", data, photo.file_unique_id,
                            None, lang)


async def _ingest_and_reply(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    filename: str,
    data: bytes,
    file_unique_id: str | None,
    progress: Progress | None,
    lang: str,
) -> None:
    from bot import services

    message = update.effective_message
    chat = update.effective_chat
    assert message is not None and chat is not None
    user = update.effective_user
    outcomes = await services.ingest(
        db_of(context),
        chat_id=chat.id,
        filename=filename,
        data=data,
        sender_id=user.id if user else None,
        sender_name=user.full_name if user else None,
        file_unique_id=file_unique_id,
        timeout=settings_of(context).parse_timeout,
        progress=progress,
        on_ocr=ocr_notice(message, lang) if progress is None else None,
    )
    if progress is not None:
        await progress.settle()
        summary = batch_summary(filename, outcomes, lang)
        if len(summary) <= 4096:
            await progress.message.edit_text(summary)
        else:
            await progress.message.edit_text(
                f"📦 {filename}: {len(outcomes)} file(s) done; the results follow." if lang == "en"
                else f"📦 {filename}：共 {len(outcomes)} 份，已处理完毕，结果如下。")
            await send_long(update, context, summary, filename="batch.txt")
    else:
        for outcome in outcomes:
            text = services.verdict_reply(outcome, lang)  # says "new version" / "duplicate" itself
            from handlers.contacts import verdict_markup  # 「设为鹿山联系人」 for an admin to confirm

            markup = findings_button(outcome.stored.report if outcome.stored else None)
            await send_long(update, context, text, reply_markup=await verdict_markup(update, context, outcome, markup))
    for outcome in outcomes:
        if outcome.unnamed:  # the report names no office: ask the sender, never take the file name
            await ask_for_name(update, context, outcome, lang)


async def on_findings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "see all findings" button: the full list (split under 4096 characters), with the 确认 /
    不是问题 buttons for admins (handlers/review.py)."""
    from handlers.review import send_findings

    query = update.callback_query
    if query is None or not query.data:
        return
    try:
        report_id = int(query.data[len(FINDINGS_PREFIX):])
    except ValueError:
        await query.answer("按钮已失效 (button expired)")
        return
    await send_findings(update, context, report_id)


def findings_text(findings: list[Any], lang: str = "zh") -> str:
    """Every finding on its own line: emoji, code, message, where."""
    if not findings:
        return "✅ 没有发现问题。" if lang == "zh" else "✅ No findings."
    head = f"共 {len(findings)} 条：" if lang == "zh" else f"{len(findings)} findings:"
    lines = [head]
    for i, f in enumerate(findings, 1):
        message = f.message_en if lang == "en" and getattr(f, "message_en", "") else f.message
        if lang == "en":
            from bot.validation.where_en import where_en

            where = f" ({where_en(f.where)})" if f.where else ""
        else:
            where = f"（{f.where}）" if f.where else ""
        lines.append(f"{i}. {SEVERITY_EMOJI.get(f.severity, '•')} {f.code} {message}{where}")
    return "\n".join(lines)


# -- a report that names no office: ask its sender -----------------------------------------------------

NAME_PREFIX = "name:"
#: The reference a naming question carries, so a reply to it (even after a restart) finds its report.
NAME_REF = re.compile(r"[（(](?:编号|ref) R(\d+)[）)]")


def name_question(outcome: Any, lang: str = "zh") -> str:
    """「这份报告没有写明是哪个单位的…」 with the report's reference."""
    stored = outcome.stored.report
    name = PurePath(outcome.filename).name
    if lang == "en":
        year = f", {stored.year}" if stored.year else ""
        return (f"❓ This report ({name}{year}) does not say which office it is from. Tap the office below, "
                f"or reply to this message with its full name.\n(ref R{stored.id})")
    year = f"，{stored.year}年度" if stored.year else ""
    return (f"❓ 这份报告（{name}{year}）没有写明是哪个单位的。请点选下面的单位，或回复本消息写出单位全称"
            f"（如“富阳区鹿山街道”）。\n（编号 R{stored.id}）")


async def ask_for_name(update: Update, context: ContextTypes.DEFAULT_TYPE, outcome: Any, lang: str) -> None:
    """Ask the sender which office an unnamed report is from: buttons for the likely offices (the file
    name's suggestion, this chat's offices still missing that year), else a reply prompt."""
    from bot import services

    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    report_id = outcome.stored.report.id
    rows = []
    guess = services.name_guess(outcome.filename)
    offices = await services.name_candidates(db_of(context), chat_id=chat.id, report_id=report_id)
    fits = [o for o in offices if guess and (guess in o.name or guess in o.aliases)]
    if fits:  # 「鹿山街道2021年报.txt」 and 富阳区鹿山街道 on the roster: that office first, not the bare guess
        offices, guess = fits + [o for o in offices if o not in fits], ""
    data = f"{NAME_PREFIX}{report_id}:={guess}"
    if guess and len(data.encode()) <= 64:
        rows.append([InlineKeyboardButton(f"是“{guess}”" if lang == "zh" else f"“{guess}”", callback_data=data)])
    for office in offices:
        rows.append([InlineKeyboardButton(office.name, callback_data=f"{NAME_PREFIX}{report_id}:{office.id}")])
    markup: Any = InlineKeyboardMarkup(rows) if rows else ForceReply(
        selective=True, input_field_placeholder="单位全称" if lang == "zh" else "office name")
    await message.reply_text(name_question(outcome, lang), reply_markup=markup)
    if chat.type == ChatType.PRIVATE:  # a name typed next (not as a reply: the console, a habit) counts too
        context.chat_data["awaiting_name"] = report_id


async def take_name(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> bool:
    """In a private chat right after the naming question, a message that is just an office name names
    the report (True); anything else is left to the questions (False)."""
    from bot.services import looks_like_office_name

    report_id = context.chat_data.get("awaiting_name")
    if report_id is None or not looks_like_office_name(text):
        return False
    await _name(update, context, report_id, text.strip())
    return True


async def on_name_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button under the naming question: that office (or the file name's suggestion) it is."""
    from bot import services
    from storage import repo

    query = update.callback_query
    chat = update.effective_chat
    if query is None or not query.data or chat is None:
        return
    lang = lang_of(update)
    try:
        report_id_text, choice = query.data[len(NAME_PREFIX):].split(":", 1)
        report_id = int(report_id_text)
    except ValueError:
        await query.answer("按钮已失效 (button expired)")
        return
    db = db_of(context)
    if choice.startswith("="):
        name = choice[1:]
    else:
        office = next((o for o in await repo.find_offices(db, chat_id=chat.id) if str(o.id) == choice), None)
        name = office.name if office is not None else ""
    user = update.effective_user
    naming = await services.name_report(db, chat_id=chat.id, report_id=report_id, name=name,
                                        user_id=user.id if user else None) if name else None
    if naming is None:
        await query.answer("这份报告已经有单位名称了，或已被删除。(Already named or deleted.)", show_alert=True)
        return
    if context.chat_data.get("awaiting_name") == report_id:
        context.chat_data.pop("awaiting_name", None)
    await query.answer()
    await query.edit_message_text(services.naming_reply(naming, lang), reply_markup=findings_button(naming.stored))


async def on_name_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The sender's reply with the office's name."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or message.reply_to_message is None:
        return
    lang = lang_of(update)
    match = NAME_REF.search(message.reply_to_message.text or "")
    name = (message.text or "").strip()
    if match is None:
        return
    if not 2 <= len(name) <= 40:
        await message.reply_text("请回复单位全称（2到40个字），例如“富阳区鹿山街道”。" if lang == "zh"
                                 else "Please reply with the office's full name (2 to 40 characters).")
        return
    await _name(update, context, int(match.group(1)), name)


async def _name(update: Update, context: ContextTypes.DEFAULT_TYPE, report_id: int, name: str) -> None:
    """Name the report and say so (or why not)."""
    from bot import services

    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    lang = lang_of(update)
    naming = await services.name_report(db_of(context), chat_id=chat.id, report_id=report_id, name=name,
                                        user_id=user.id if user else None)
    if context.chat_data.get("awaiting_name") == report_id:
        context.chat_data.pop("awaiting_name", None)
    if naming is None:
        await message.reply_text("这份报告已经有单位名称了，或已被删除。" if lang == "zh"
                                 else "That report already has an office, or was deleted.")
        return
    await send_long(update, context, services.naming_reply(naming, lang), reply_markup=findings_button(naming.stored))


def register(app: Application) -> None:
    """Documents, the findings button and the naming of unnamed reports (group 0, before questions:
    a reply to the naming question is a name, not a question)."""
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    app.add_handler(MessageHandler(filters.PHOTO, on_photo))
    app.add_handler(CallbackQueryHandler(on_findings_button, pattern=f"^{FINDINGS_PREFIX}"))
    app.add_handler(CallbackQueryHandler(on_name_button, pattern=f"^{NAME_PREFIX}"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & ReplyToBotPrompt(NAME_REF), on_name_reply))
