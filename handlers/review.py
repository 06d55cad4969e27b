"""Admins rule on findings (确认 / 不是问题) under the 「查看全部问题」 list, and /audit (issue 21).

Thin: storage (:mod:`storage.review`) checks and writes, :mod:`bot.review.texts` words the replies; this
module only parses button data and replies.

Buttons carry ``rv:<report id>:<page>:<fingerprint>:<c|d>`` (rule), ``rvp:<report id>:<page>`` (turn a
page) and ``rvo:<report id>`` (open the paged view under a list too long to edit). Button data can be
forged, so nothing in it is trusted: ids and fingerprints are parsed strictly, the ruler must be an admin
of *this* chat, and :func:`storage.review.rule_finding` takes this chat's id and refuses a report of
another chat, a deleted or superseded version or a fingerprint the report does not have — the user gets
one clear line and nothing changes.

不是问题 asks for a reason with a ForceReply message whose last line is a reference
「（编号 R<report>·<fingerprint>·M<list message>·P<page>·d）」, so the reply finds its finding even after a
restart (no state is kept). 确认 is recorded at once; its prompt (reference ending ``·c``) takes an
optional reason the same way. After each ruling the list message is edited to show it.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.review import texts
from handlers import limits
from handlers.access import is_admin, require_admin
from handlers.common import ReplyToBotPrompt, db_of, lang_of, send_long, settings_of
from handlers.menu import Command

logger = logging.getLogger(__name__)

RULE_PREFIX = "rv:"
PAGE_PREFIX = "rvp:"
OPEN_PREFIX = "rvo:"
_RULE = re.compile(r"^rv:(\d{1,12}):(\d{1,3}):([0-9a-f]{16}):([cd])$")
_PAGE = re.compile(r"^rvp:(\d{1,12}):(\d{1,3})$")
_OPEN = re.compile(r"^rvo:(\d{1,12})$")
#: The reference at the end of a reason prompt.
REF = re.compile(r"[（(](?:编号|ref) R(\d{1,12})·([0-9a-f]{16})·M(\d{1,12})·P(\d{1,3})·([cd])[）)]")
DECISION = {"c": "confirmed", "d": "dismissed"}
#: How the bot explains a refused ruling (storage.review.RulingRefused.reason); nothing was changed.
REFUSED = {
    "not_found": ("找不到这份报告，可能已被删除或不属于本群，未做更改。",
                  "Report not found here (deleted, or not this chat's); nothing changed."),
    "deleted": ("这份报告已被删除，未做更改。", "That report was deleted; nothing changed."),
    "old_version": ("这是旧版本，已收到更新的版本：请在最新版本的问题列表上裁定。未做更改。",
                    "A newer version has arrived: rule on the newest version's list. Nothing changed."),
    "no_finding": ("这条问题已不在报告中（按钮已失效），未做更改。",
                   "That finding is no longer in the report (button expired); nothing changed."),
    "too_long": ("理由不能超过500字，未做更改。请重新回复上面的消息。",
                 "A reason may have at most 500 characters; nothing changed. Please reply again."),
    "no_reason": ("请写明不是问题的理由，未做更改。", "Please give a reason; nothing changed."),
    "bad_decision": ("按钮已失效，未做更改。", "Button expired; nothing changed."),
}


def refused_text(reason: str, lang: str) -> str:
    zh, en = REFUSED.get(reason, REFUSED["bad_decision"])
    return en if lang == "en" else zh


def _keyboard(review: Any, page: int, lang: str) -> InlineKeyboardMarkup | None:
    """Two buttons per error/warning shown (the current ruling ticked), page turns when paged."""
    whole = texts.fits_whole(review, lang)
    items = texts.rulable(review) if whole else texts.page_items(review, page)
    if not items or not review.is_current:
        return None
    page = 0 if whole else min(max(page, 0), texts.pages(review) - 1)
    rows = []
    for number, item in items:
        decision = item.ruling.decision if item.ruling is not None else ""
        confirm = ("✔ " if decision == "confirmed" else "") + (f"{number} 确认" if lang == "zh" else f"{number} confirm")
        dismiss = ("✔ " if decision == "dismissed" else "") + (
            f"{number} 不是问题" if lang == "zh" else f"{number} not a problem")
        data = f"{RULE_PREFIX}{review.report_id}:{page}:{item.fingerprint}:"
        rows.append([InlineKeyboardButton(confirm, callback_data=data + "c"),
                     InlineKeyboardButton(dismiss, callback_data=data + "d")])
    if not whole and texts.pages(review) > 1:
        nav = []
        if page > 0:
            nav.append(InlineKeyboardButton("◀ 上一页" if lang == "zh" else "◀ previous",
                                            callback_data=f"{PAGE_PREFIX}{review.report_id}:{page - 1}"))
        if page < texts.pages(review) - 1:
            nav.append(InlineKeyboardButton("下一页 ▶" if lang == "zh" else "next ▶",
                                            callback_data=f"{PAGE_PREFIX}{review.report_id}:{page + 1}"))
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def view(review: Any, page: int, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """The ruling message: the whole list when it fits one message, else one page of errors/warnings."""
    if texts.fits_whole(review, lang):
        return texts.findings_list(review, lang), _keyboard(review, 0, lang)
    return texts.page_text(review, page, lang), _keyboard(review, page, lang)


async def send_findings(update: Update, context: ContextTypes.DEFAULT_TYPE, report_id: int) -> None:
    """The 「查看全部问题」 list of one report of this chat, with the ruling buttons for admins.

    A list too long for one message goes out as before (split, or a .txt file) with a 「逐条裁定」
    button that opens the paged view."""
    from storage import review as store

    chat = update.effective_chat
    lang = lang_of(update)
    found = await store.report_review(db_of(context), chat_id=chat.id, report_id=report_id) if chat else None
    query = update.callback_query
    if found is None:  # a button from another chat, or the report was deleted
        if query is not None:
            await query.answer("找不到这份报告，可能已被删除。(Report not found.)", show_alert=True)
        else:
            await send_long(update, context, refused_text("not_found", lang))
        return
    if query is not None:
        await query.answer()
    admin = bool(texts.rulable(found)) and found.is_current and await is_admin(update, context)
    if admin and texts.fits_whole(found, lang):
        text, markup = view(found, 0, lang)
        await send_long(update, context, text, reply_markup=markup)
        return
    markup = None
    if admin:
        label = f"逐条裁定（{len(texts.rulable(found))} 条）" if lang == "zh" else "Rule on findings"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"{OPEN_PREFIX}{report_id}")]])
    await send_long(update, context, texts.findings_list(found, lang), reply_markup=markup, filename="findings.txt")


async def _edit(context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int, review: Any, page: int,
                lang: str) -> None:
    """Re-draw a ruling message (unchanged or gone: nothing to do)."""
    text, markup = view(review, page, lang)
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, reply_markup=markup)
    except BadRequest as exc:  # "message is not modified", or deleted meanwhile
        logger.info("ruling list %s/%s not edited: %s", chat_id, message_id, exc)


def _mention(update: Update) -> str:
    user = update.effective_user
    name = html.escape(user.full_name if user else "管理员")
    return f'<a href="tg://user?id={user.id}">{name}</a>' if user else name


async def on_rule_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """确认 (recorded at once, reason optional) or 不是问题 (asks for the reason first)."""
    from storage import review as store

    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None or query.message is None:
        return
    lang = lang_of(update)
    match = _RULE.match(query.data or "")
    report_id = limits.id_number(match.group(1)) if match else None
    if match is None or report_id is None:
        await query.answer("按钮已失效 (button expired)")
        return
    if not await require_admin(update, context):
        return
    page, fp, decision = int(match.group(2)), match.group(3), DECISION[match.group(4)]
    db = db_of(context)
    found = await store.report_review(db, chat_id=chat.id, report_id=report_id)
    if found is None:
        await query.answer(refused_text("not_found", lang), show_alert=True)
        return
    item = next(((n, i) for n, i in texts.rulable(found) if i.fingerprint == fp), None)
    if item is None or not found.is_current:
        await query.answer(refused_text("no_finding" if item is None else "old_version", lang), show_alert=True)
        return
    number, reviewed = item
    user = update.effective_user
    if decision == "confirmed":
        previous = reviewed.ruling.reason if reviewed.ruling and reviewed.ruling.decision == decision else ""
        try:
            await store.rule_finding(db, chat_id=chat.id, report_id=report_id, fingerprint=fp, decision=decision,
                                     reason=previous, user_id=user.id, user_name=user.full_name)
        except store.RulingRefused as refused:
            await query.answer(refused_text(refused.reason, lang), show_alert=True)
            return
        await query.answer(f"已确认第{number}条" if lang == "zh" else f"Finding {number} confirmed")
        found = await store.report_review(db, chat_id=chat.id, report_id=report_id) or found
        await _edit(context, chat.id, query.message.message_id, found, page, lang)
    else:
        await query.answer("请回复理由" if lang == "zh" else "Reply with the reason")
    ref = f"（编号 R{report_id}·{fp}·M{query.message.message_id}·P{page}·{match.group(4)}）"
    placeholder = "\x00"  # the finding's text is escaped; the mention is the one piece of HTML
    prompt = html.escape(texts.reason_prompt(number, reviewed.finding, decision, ref, placeholder, lang))
    prompt = prompt.replace(placeholder, _mention(update))
    if decision == "dismissed" and chat.type == ChatType.PRIVATE:  # the next text is the reason
        context.chat_data["awaiting_reason"] = ref
    await chat.send_message(prompt, parse_mode=ParseMode.HTML, reply_markup=ForceReply(
        selective=True, input_field_placeholder="理由（不超过500字）" if lang == "zh" else "reason"))


async def on_reason_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The admin's reason: rule (or add the reason to a confirmation), then re-draw the list."""
    message = update.effective_message
    if message is None or message.reply_to_message is None:
        return
    match = REF.search(message.reply_to_message.text or "")
    if match is not None:
        context.chat_data.pop("awaiting_reason", None)
        await _take_reason(update, context, match)


async def take_reason(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a private chat right after 不是问题, the next text (not typed as a reply: the console, a habit)
    is the reason (True); otherwise the text is left to the questions (False)."""
    ref = context.chat_data.pop("awaiting_reason", None) if context.chat_data is not None else None
    match = REF.search(ref or "")
    if match is None:
        return False
    await _take_reason(update, context, match)
    return True


async def _take_reason(update: Update, context: ContextTypes.DEFAULT_TYPE, match: re.Match[str]) -> None:
    from storage import review as store

    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    lang = lang_of(update)
    if not await require_admin(update, context):
        return
    reason = (message.text or "").strip()
    if len(reason) > store.MAX_REASON:
        await message.reply_text(
            f"理由太长（{len(reason)}字），不能超过{store.MAX_REASON}字，未做更改。请重新回复上面的消息。" if lang == "zh"
            else f"The reason is too long ({len(reason)} characters; at most {store.MAX_REASON}). Nothing changed.")
        return
    report_id, fp, list_id, page = int(match.group(1)), match.group(2), int(match.group(3)), int(match.group(4))
    decision = DECISION[match.group(5)]
    db = db_of(context)
    try:
        await store.rule_finding(db, chat_id=chat.id, report_id=report_id, fingerprint=fp, decision=decision,
                                 reason=reason, user_id=user.id, user_name=user.full_name)
    except store.RulingRefused as refused:
        await message.reply_text(refused_text(refused.reason, lang))
        return
    found = await store.report_review(db, chat_id=chat.id, report_id=report_id)
    number = next((n for n, i in texts.rulable(found) if i.fingerprint == fp), 0) if found else 0
    if lang == "en":
        done = f"{'🚫 Dismissed' if decision == 'dismissed' else '✅ Confirmed'} finding {number}: {reason}"
    else:
        done = f"{'🚫 已标为不是问题' if decision == 'dismissed' else '✅ 已确认'}（第{number}条）：{reason}"
    if found is not None:  # the list first, so the ruling shows there by the time the reply is read
        await _edit(context, chat.id, list_id, found, page, lang)
    await message.reply_text(done)


async def on_page_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn a page of the ruling view (``rvp:``), or open it under a long list (``rvo:``)."""
    from storage import review as store

    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None or query.message is None:
        return
    lang = lang_of(update)
    data = query.data or ""
    match = _PAGE.match(data) or _OPEN.match(data)
    report_id = limits.id_number(match.group(1)) if match else None
    if match is None or report_id is None:
        await query.answer("按钮已失效 (button expired)")
        return
    found = await store.report_review(db_of(context), chat_id=chat.id, report_id=report_id)
    if found is None:
        await query.answer(refused_text("not_found", lang), show_alert=True)
        return
    await query.answer()
    if data.startswith(OPEN_PREFIX):
        text, markup = view(found, 0, lang)
        await chat.send_message(text, reply_markup=markup)
        return
    await _edit(context, chat.id, query.message.message_id, found, int(match.group(2)), lang)


async def on_audit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/audit — the chat's recent audit log (rulings, deletes, roster edits), admins only."""
    from storage import repo

    if not await require_admin(update, context):
        return
    entries = await repo.audit_log(db_of(context), chat_id=update.effective_chat.id, limit=30)
    await send_long(update, context, texts.audit_lines(entries, settings_of(context).tz, lang_of(update)),
                    filename="audit.txt")


#: This module's commands, for setMyCommands and /help (handlers/menu.py).
COMMANDS: list[Command] = [
    Command("audit", "本群操作记录：裁定、删除、名单变更（管理员）", "管理", "本群最近的操作记录（管理员）",
            "recent actions in this chat (admins)"),
]


def register(app: Application) -> None:
    """Ruling buttons, reason replies (before the questions: a reason is not a question) and /audit."""
    app.add_handler(CallbackQueryHandler(on_rule_button, pattern=f"^{RULE_PREFIX}"))
    app.add_handler(CallbackQueryHandler(on_page_button, pattern=f"^(?:{PAGE_PREFIX}|{OPEN_PREFIX})"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & ReplyToBotPrompt(REF), on_reason_reply))
    app.add_handler(CommandHandler("audit", on_audit))
