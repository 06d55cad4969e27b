"""/start /help /reports /report /errors /roster /delete /restore — thin wrappers over storage.repo.

Reading commands work for every member of an allowed chat; changing the roster and deleting or
restoring a report need an administrator (:func:`handlers.access.require_admin`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.deadlines import office_terms
from bot.deadlines.obligations import owed_now
from handlers import limits
from handlers.access import require_admin
from handlers.common import db_of, here, lang_of, send_long, settings_of
from handlers.files import VERDICT_EMOJI, findings_button
from handlers.menu import Command
from handlers.offices import UNKNOWN_YEAR, Target, choice_buttons, match_offices, parse_args, year_label

logger = logging.getLogger(__name__)

HELP_INTRO = """📑 年报助手 — 政府信息公开工作年度报告
• 直接发送年报文件（docx/pdf/txt/html，或打包成 zip），几秒内给出校验结论。
• 直接提问，如「鹿山2021年收到多少申请？」（群里请 @我、回复我的消息或用 /ask）。

常用命令（按用途）："""

HELP_INTRO_EN = """📑 nianbao — annual reports on government information disclosure
• Send a report file (docx/pdf/txt/html, or a .zip) for a verdict in seconds.
• Ask a question, e.g. "how many applications did Lushan get?" (in a group: mention me, reply to me or /ask).

Commands by task:"""


def help_message(modules: list[Any], lang: str = "zh") -> str:
    """/help: what the bot does, then every declared command grouped by task (handlers/menu.py)."""
    from handlers.menu import declared, help_text

    commands = declared(modules)
    if lang == "en":
        return f"{HELP_INTRO_EN}\n\n{help_text(commands, lang='en')}"
    return f"{HELP_INTRO}\n\n{help_text(commands)}"


PRIVACY_NOTE = """⚠️ 我现在看不到本群的普通消息和文件（隐私模式）。两种办法任选其一：
1. 把我设为本群管理员；或
2. 在 @BotFather 发送 /setprivacy，选择本机器人 → Disable，然后把我移出再拉回本群。
在此之前，请用「回复我的消息」的方式发送文件，或用 /ask 提问。"""

USAGE = {
    "report": "用法：/report 单位 [年份]，例如 /report 鹿山 2021",
    "delete": "用法：/delete 单位 年份，例如 /delete 鹿山 2021；没有年份的报告：/delete 鹿山 年份不明（管理员）",
    "restore": "用法：/restore 单位 年份，例如 /restore 鹿山 2021（管理员）",
    "roster": ("用法：/roster 查看名单（/roster 2021 看该年度）；/roster add 名称1 名称2…；/roster remove 名称；"
               "/roster 免报 五星 2026 已撤并；/roster 取消免报 五星 2026；/roster 联系人 鹿山 @张三；/roster 点名 关"),
}


async def cannot_see_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True in a group where privacy mode hides files from the bot (not admin, privacy on)."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return False
    if context.bot.can_read_all_group_messages:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, context.bot.id)
    except TelegramError:
        return True
    return member.status not in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start and /help: what the bot does, and the privacy-mode fix where needed."""
    text = help_message(context.application.bot_data.get("feature_modules", []), lang_of(update))
    if await cannot_see_group(update, context):
        text = f"{text}\n\n{PRIVACY_NOTE}"
    await send_long(update, context, text)


def report_line(stored: Any) -> str:
    """One stored report as a short line."""
    office = stored.office.short_name or stored.office.name
    version = f" 第{stored.version}版" if stored.version and stored.version > 1 else ""
    deleted = "（已删除）" if stored.deleted_at else ""
    return (
        f"{VERDICT_EMOJI.get(stored.verdict, '•')} {office} {year_label(stored.year)}{version} "
        f"错误{stored.errors} 警告{stored.warnings}{deleted}"
    )


async def on_reports(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reports [年份] — what this chat holds, with verdicts."""
    from storage import repo

    target = parse_args(context.args or [])
    reports = await repo.list_reports(db_of(context), chat_id=update.effective_chat.id, year=target.year)
    if not reports:
        await update.effective_message.reply_text(f"{here(update)}还没有收到报告。直接把年报文件发过来即可。")
        return
    reports = sorted(reports, key=lambda r: (-(r.year or 0), r.office.name))
    lines = [f"{here(update)}共 {len(reports)} 份报告：", *[report_line(r) for r in reports]]
    lines.append("/report 单位 年份 查看详情")
    await send_long(update, context, "\n".join(lines), filename="reports.txt")


async def resolve_target(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str,
                         target: Target) -> Any | None:
    """The one office the words name, or None after replying (not found / which one?)."""
    matches = await match_offices(db_of(context), update.effective_chat.id, target.name)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        await update.effective_message.reply_text(
            f"没有找到单位「{target.name}」。发送 /reports 查看{here(update)}已有的报告。"
        )
        return None
    await update.effective_message.reply_text(
        f"「{target.name}」对应多个单位，请选择：", reply_markup=choice_buttons(command, matches, target.year)
    )
    return None


async def show_report(update: Update, context: ContextTypes.DEFAULT_TYPE, office: Any, year: int | None,
                      *, all_findings: bool = False) -> None:
    """The verdict summary of one stored report (or its full findings list)."""
    from bot.review.fingerprint import without
    from bot.validation import summarize
    from storage import repo, review

    db = db_of(context)
    if year == UNKNOWN_YEAR:  # 「/report 鹿山 年份不明」: the report whose year could not be read
        stored = next((r for r in await repo.list_reports(db, chat_id=update.effective_chat.id)
                       if r.office.id == office.id and r.year is None), None)
    else:
        stored = await repo.get_report(db, chat_id=update.effective_chat.id, office_id=office.id, year=year)
    if stored is None:
        when = year_label(year) if year is not None else ""
        await send_long(update, context, f"{here(update)}没有 {office.name} {when}的报告。")
        return
    lang = lang_of(update)
    if all_findings:  # with rulings, and the 确认 / 不是问题 buttons for admins
        from handlers.review import send_findings

        await send_findings(update, context, stored.id)
        return
    report = await repo.load_report(db, report_id=stored.id)
    dismissed = (await review.dismissed_fingerprints(db, report_ids=[stored.id]))[stored.id]
    report.findings = without(report.findings, dismissed)  # ruled 不是问题: no longer counts (issue 21)
    text = f"📄 {office.name} {year_label(stored.year)}\n" + summarize(report, lang=lang)
    if dismissed:
        text += f"\n（另有{len(dismissed)}条已由管理员标为不是问题，见“查看全部问题”）"
    if stored.year is None:
        text += "\n" + unknown_year_hint(office)
    if stored.version and stored.version > 1:
        text += f"\n（第 {stored.version} 版，{stored.filename}）"
    await send_long(update, context, text, reply_markup=findings_button(stored, len(dismissed)))


async def on_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/report 单位 [年份]."""
    target = parse_args(context.args or [])
    if not target.name:
        await update.effective_message.reply_text(USAGE["report"])
        return
    office = await resolve_target(update, context, "report", target)
    if office is not None:
        await show_report(update, context, office, target.year)


async def on_errors(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/errors — reports with errors or warnings; /errors 单位 [年份] — that report's full list."""
    from storage import repo

    target = parse_args(context.args or [])
    if target.name:
        office = await resolve_target(update, context, "errors", target)
        if office is not None:
            await show_report(update, context, office, target.year, all_findings=True)
        return
    reports = await repo.list_reports(db_of(context), chat_id=update.effective_chat.id, year=target.year)
    bad = [r for r in reports if r.errors or r.warnings]
    if not reports:
        await update.effective_message.reply_text(f"{here(update)}还没有收到报告。")
        return
    if not bad:
        await update.effective_message.reply_text(f"✅ {here(update)} {len(reports)} 份报告都没有发现错误或警告。")
        return
    bad.sort(key=lambda r: (-r.errors, -r.warnings, r.office.name))
    lines = [f"{len(bad)} 份报告有问题（共 {len(reports)} 份）：", *[report_line(r) for r in bad]]
    lines.append("/errors 单位 年份 查看全部问题")
    await send_long(update, context, "\n".join(lines), filename="errors.txt")


def split_names(text: str) -> list[str]:
    """``鹿山街道、五星街道，银湖街道`` → three names (spaces, 、，,； and new lines separate)."""
    return [n for n in re.split(r"[\s、，,；;]+", text) if n]


async def on_roster(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/roster — show; /roster add 名称…; /roster remove 名称 (admin)."""
    from storage import repo

    db = db_of(context)
    chat_id = update.effective_chat.id
    args = context.args or []
    action = args[0].lower() if args else ""
    user = update.effective_user
    from handlers import contacts

    if action in (*contacts.CONTACT_WORDS, *contacts.TAG_WORDS):  # /roster 联系人 … · /roster 点名 开|关
        await contacts.on_roster_people(update, context, args)
        return
    if action in ("免报", "取消免报", "exempt", "unexempt"):  # one office owes nothing for a year
        if len(args) < 2:
            await update.effective_message.reply_text(office_terms.EXEMPT_HELP)
            return
        if not await require_admin(update, context):
            return
        if problem := limits.check_args(" ".join(args[1:])):
            await update.effective_message.reply_text(problem)
            return
        text = await office_terms.exemption_command(
            db, chat_id=chat_id, words=args[1:], lift=action in ("取消免报", "unexempt"),
            today=datetime.now(settings_of(context).tz).date(), user_id=user.id)
        await update.effective_message.reply_text(text)
        return
    if action in ("add", "添加", "remove", "rm", "del", "删除"):
        names = split_names(" ".join(args[1:]))
        if not names:
            await update.effective_message.reply_text(USAGE["roster"])
            return
        if not await require_admin(update, context):
            return
        if problem := limits.check_names(names):
            await update.effective_message.reply_text(problem)
            return
        if action in ("add", "添加"):
            added = [await repo.roster_add(db, chat_id=chat_id, name=n, user_id=user.id) for n in names]
            await update.effective_message.reply_text(
                f"已加入应报名单 {len(added)} 个：" + "、".join(o.name for o in added)
            )
            return
        target = Target(" ".join(names), None)
        office = await resolve_target(update, context, "roster_remove", target)
        if office is None:
            return
        removed = await repo.roster_remove(db, chat_id=chat_id, office_id=office.id, user_id=user.id)
        text = f"已从名单移除：{office.name}" if removed else f"{office.name} 不在名单上，未做更改。"
        await update.effective_message.reply_text(text)
        return
    asked = parse_args(args) if args else None  # /roster 2021: that year's status instead of the one due now
    if args and (asked.name or asked.year is None):
        await update.effective_message.reply_text(USAGE["roster"])
        return
    offices = await repo.roster(db, chat_id=chat_id)
    if not offices:
        await update.effective_message.reply_text("应报单位名单为空。管理员可用 /roster add 名称1 名称2… 添加。")
        return
    # the report year and dates 「谁还没交」, /deadline and the reminders use (bot.deadlines.filing)
    # and each office's own terms (extension, exemption) from bot.deadlines.obligations
    day = datetime.now(settings_of(context).tz).date()
    plan, rows = await owed_now(db, chat_id=chat_id, today=day, year=asked.year if asked else None)
    from storage.contacts import contacts_for

    people = await contacts_for(db, chat_id=chat_id)
    lines = [f"应报单位 {len(offices)} 个（{plan.report_year}年度报送情况）："]
    for row in sorted(rows or [], key=lambda r: (r.report is not None, r.exempt, r.office.name)):
        who = f" — 联系人 {contacts.contact_names(people[row.office.id])}" if people.get(row.office.id) else ""
        if row.exempt:
            lines.append(f"🚫 免报 {row.office.name}（{row.note()}）{who}")
        elif row.report is not None:
            lines.append(f"{VERDICT_EMOJI.get(row.report.verdict, '•')} 已交 {row.office.name}{who}")
        elif row.extended:
            lines.append(f"⏳ 未交 {row.office.name}（{row.note(day)}）{who}")  # 「延期至2月5日，已逾期3天」 once late
        else:
            lines.append(f"⏳ 未交 {row.office.name}（{row.due.month}月{row.due.day}日截止）{who}")
    await send_long(update, context, "\n".join(lines), filename="roster.txt")


def unknown_year_hint(office: Any) -> str:
    """How to fix a report whose year could not be read."""
    short = office.short_name or office.name
    return (f"未能识别这份报告的年度：请在标题写明“20XX年度”后重新发送；这份可用 /delete {short} 年份不明 删除。")


async def change_report(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str, office: Any,
                        year: int) -> None:
    """Soft-delete or restore one office-year (the caller checked admin rights); year 0 = 年份不明."""
    from storage import repo

    func = repo.delete_report if command == "delete" else repo.restore_report
    unknown = year == UNKNOWN_YEAR
    count = await func(db_of(context), chat_id=update.effective_chat.id, office_id=office.id,
                       year=None if unknown else year, user_id=update.effective_user.id, unknown_year=unknown)
    label = year_label(year)
    again = "年份不明" if unknown else str(year)
    if command == "delete":
        text = (f"🗑 已删除 {office.name} {label}报告（{count} 份）。可用 /restore {office.short_name or office.name} "
                f"{again} 恢复。" if count else f"{here(update)}没有 {office.name} {label}的报告，未做更改。")
    else:
        text = f"♻️ 已恢复 {office.name} {label}报告。" if count else f"没有可恢复的 {office.name} {label}报告。"
    await send_long(update, context, text)


def _change_command(command: str):  # noqa: ANN202 — a handler factory
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        target = parse_args(context.args or [])
        if not target.name or target.year is None:
            await update.effective_message.reply_text(USAGE[command])
            return
        if not await require_admin(update, context):
            return
        office = await resolve_target(update, context, command, target)
        if office is not None:
            await change_report(update, context, command, office, target.year)

    handler.__doc__ = f"/{command} 单位 年份 (admin)."
    return handler


async def on_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An office button after "which office?": re-run the command for that office."""
    from storage import repo

    query = update.callback_query
    try:
        _, command, office_id, year_text = query.data.split(":")
    except ValueError:
        await query.answer("按钮已失效")
        return
    # button data can be forged: ids and years are checked before they reach a query
    year = limits.year_number(year_text) if year_text else None
    office_id_int = limits.id_number(office_id)
    if office_id_int is None or (year_text and year is None):
        await query.answer("按钮已失效")
        return
    offices = await repo.find_offices(db_of(context), chat_id=update.effective_chat.id)
    office = next((o for o in offices if o.id == office_id_int), None)
    if office is None:
        await query.answer("找不到该单位", show_alert=True)
        return
    if command in ("delete", "restore", "roster_remove") and not await require_admin(update, context):
        return
    await query.answer(office.name)
    if command == "report":
        await show_report(update, context, office, year)
    elif command == "errors":
        await show_report(update, context, office, year, all_findings=True)
    elif command in ("delete", "restore") and year is not None:
        await change_report(update, context, command, office, year)
    elif command == "roster_remove":
        removed = await repo.roster_remove(db_of(context), chat_id=update.effective_chat.id,
                                           office_id=office.id, user_id=update.effective_user.id)
        await send_long(update, context, f"已从名单移除：{office.name}" if removed else "未做更改。")


#: This module's commands, for setMyCommands and /help (handlers/menu.py).
COMMANDS: list[Command] = [
    Command("start", "开始使用 / 说明", "管理", "开始使用", "what the bot does"),
    Command("help", "帮助：能做什么、怎么用", "管理", "本帮助", "this help"),
    Command("reports", "本群已收到的报告及结论", "收报告", "[年份] 本群已收到的报告", "[year] reports in this chat"),
    Command("report", "查看某单位某年的报告：/report 单位 年份", "收报告", "单位 [年份] 查看某份报告",
            "office [year] one report"),
    Command("errors", "有错误或警告的报告", "收报告", "[单位 年份] 有问题的报告 / 某份的全部问题",
            "[office year] reports with problems / all findings of one"),
    Command("roster", "应报单位名单与联系人（add/remove/免报/联系人 需管理员）", "管理",
            "应报单位名单与联系人（管理员：/roster add 名称… · /roster remove 名称 · /roster 免报 单位 年度 原因 · "
            "/roster 联系人 鹿山 @张三 · /roster 联系人 鹿山 删除 @张三 · /roster 点名 关/开）",
            "offices expected to report and their contacts (admins: add/remove, exempt, "
            "/roster contact Lushan @user, /roster tag off|on)"),
    Command("delete", "删除某单位某年报告（管理员）", "管理", "单位 年份 删除报告（管理员）", "office year (admins)"),
    Command("restore", "恢复已删除的报告（管理员）", "管理", "单位 年份 恢复报告（管理员）", "office year (admins)"),
]


def register(app: Application) -> None:
    """The chat commands of this module (group 0)."""
    app.add_handler(CommandHandler(["start", "help"], on_help))
    app.add_handler(CommandHandler("reports", on_reports))
    app.add_handler(CommandHandler("report", on_report))
    app.add_handler(CommandHandler("errors", on_errors))
    app.add_handler(CommandHandler("roster", on_roster))
    app.add_handler(CommandHandler("delete", _change_command("delete")))
    app.add_handler(CommandHandler("restore", _change_command("restore")))
    app.add_handler(CallbackQueryHandler(on_choice, pattern=r"^cmd:"))
