"""Documents sent in chat → a verdict within seconds; a .zip batch → one progress message and a table.

The size is checked on ``document.file_size`` BEFORE ``getFile`` (the cloud API refuses > 20 MB anyway),
and the download is streamed and stopped at 20 MB, for a size that was missing or lied. Parsing runs in the worker pool with a time limit inside
``bot.services.ingest``; this module only downloads, calls it and replies.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from handlers.common import db_of, lang_of, send_long, settings_of

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
#: Extensions the bot reacts to in a group (in a private chat every file gets an answer).
REPORT_SUFFIXES = {".docx", ".doc", ".wps", ".pdf", ".txt", ".html", ".htm", ".zip"}
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


def findings_button(report: Any) -> InlineKeyboardMarkup | None:
    """The "see all findings" button under a verdict, when the stored report (StoredReport) has any."""
    if report is None:
        return None
    count = (report.errors or 0) + (report.warnings or 0) + (report.infos or 0)
    if not count:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"查看全部问题（{count}）", callback_data=f"{FINDINGS_PREFIX}{report.id}")]]
    )


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
    from bot import services

    message = update.effective_message
    chat = update.effective_chat
    if message is None or message.document is None or chat is None:
        return
    document = message.document
    filename = document.file_name or "file"
    suffix = PurePath(filename).suffix.lower()
    if chat.type != ChatType.PRIVATE and suffix not in REPORT_SUFFIXES:
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
    user = update.effective_user
    outcomes = await services.ingest(
        db_of(context),
        chat_id=chat.id,
        filename=filename,
        data=data,
        sender_id=user.id if user else None,
        sender_name=user.full_name if user else None,
        file_unique_id=document.file_unique_id,
        timeout=settings_of(context).parse_timeout,
        progress=progress,
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
        return
    for outcome in outcomes:
        text = services.verdict_reply(outcome, lang)  # says "new version" / "duplicate" itself
        await send_long(update, context, text, reply_markup=findings_button(outcome.stored.report if outcome.stored else None))


async def on_findings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "see all findings" button: the full list, split under 4096 characters."""
    from storage import repo

    query = update.callback_query
    if query is None or not query.data:
        return
    try:
        report_id = int(query.data[len(FINDINGS_PREFIX):])
    except ValueError:
        await query.answer("按钮已失效 (button expired)")
        return
    db = db_of(context)
    chat_id = update.effective_chat.id if update.effective_chat else None
    mine = {r.id for r in await repo.list_reports(db, chat_id=chat_id, include_history=True)}
    if report_id not in mine:  # a button from another chat, or the report was deleted
        await query.answer("找不到这份报告，可能已被删除。(Report not found.)", show_alert=True)
        return
    await query.answer()
    findings = await repo.report_findings(db, report_id=report_id)
    await send_long(update, context, findings_text(findings, lang_of(update)), filename="findings.txt")


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


def register(app: Application) -> None:
    """Documents and the findings button (group 0)."""
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    app.add_handler(CallbackQueryHandler(on_findings_button, pattern=f"^{FINDINGS_PREFIX}"))
