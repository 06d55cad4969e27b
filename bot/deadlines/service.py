"""What /deadline, /remind, /reminders, /apply and /extend do, without Telegram.

Each function takes the database, the chat and the raw argument text, changes what needs changing and
returns the Chinese reply, so the handlers stay thin and the CLI or console could reuse them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.deadlines import extension_ladder, office_terms, stages, ticker
from bot.deadlines.applications import extended_due, reply_due
from bot.deadlines.config import (
    SETTING_LADDER,
    SETTING_TIME,
    SETTING_TOWNSHIP,
    ReminderConfig,
    parse_hhmm,
    parse_ladder,
)
from bot.deadlines.filing import statutory_title
from bot.deadlines.ladder import KIND_CUSTOM, KIND_DEPT, KIND_GOV, ladder_steps, next_weekly, report_year_for
from bot.deadlines.obligations import owed_now
from bot.deadlines.parsing import WEEKDAY_NAMES, DateError, parse_day, parse_remind
from storage import reminders as store

DEADLINE_HELP = (
    "用法：/deadline 1月15日 提交区政府办（添加本群的内部截止日）\n"
    "/deadline（查看截止日）· /deadline 取消 编号\n"
    "/deadline 提前 14,7,3,1,0（提前几天提醒）· /deadline 时间 9:00 · /deadline 街道 3月31日\n"
    "/deadline 鹿山 延期至 2月5日 原因 · /deadline 鹿山 取消延期 · /deadline 阶段 部门 1月20日"
)
APPLY_HELP = ("用法：/apply 2027-03-01 张三申请公开某某文件（登记收到的申请，自动计算答复期限）\n"
              "/apply（查看未办结的申请）· /apply 办结 编号 · /extend 编号（延期20个工作日）")


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _ymd(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


# ---------------------------------------------------------------- /deadline


async def deadline_command(db: Any, *, chat_id: int, args: str, user_id: int | None = None,
                           now: datetime | None = None, config: ReminderConfig | None = None) -> str:
    """/deadline: list, add a custom deadline, cancel one, or change the chat's reminder settings."""
    from storage import repo

    config, now = config or ReminderConfig(), _now(now)
    text = (args or "").strip()
    today = now.astimezone(config.tz).date()
    if not text:
        return await list_deadlines_text(db, chat_id=chat_id, now=now, config=config)
    word, _, rest = text.partition(" ")
    rest = rest.strip()
    if word in ("取消", "删除", "cancel"):
        if not rest.isdigit():
            return "请写上编号，例如：/deadline 取消 3（编号见 /deadline）"
        target = await store.get_deadline(db, deadline_id=int(rest))
        if target is not None and target.chat_id == chat_id and extension_ladder.is_extension_kind(target.kind):
            return "这是单位延期的提醒，请用 /deadline 单位名 取消延期。未做更改。"
        ok = await store.cancel_deadline(db, chat_id=chat_id, deadline_id=int(rest), now=now)
        return f"已取消截止日 #{rest}，不再提醒。" if ok else f"没有找到截止日 #{rest}。"
    if word in ("提前", "ladder"):
        try:
            ladder = parse_ladder(rest)
        except ValueError:
            return "请写提前的天数，用逗号分开，例如：/deadline 提前 14,7,3,1,0"
        await repo.set_chat_setting(db, chat_id=chat_id, key=SETTING_LADDER, value=",".join(map(str, ladder)))
        await ticker.replan_chat(db, chat_id=chat_id, now=now, config=config)
        return f"好的，截止日前 {'、'.join(map(str, ladder))} 天提醒（0 = 当天）。"
    if word in ("时间", "time"):
        try:
            at = parse_hhmm(rest)
        except ValueError:
            return "请写提醒时间，例如：/deadline 时间 9:00"
        await repo.set_chat_setting(db, chat_id=chat_id, key=SETTING_TIME, value=at.strftime("%H:%M"))
        await ticker.replan_chat(db, chat_id=chat_id, now=now, config=config)
        return f"好的，截止提醒改在每天 {at:%H:%M} 发送。"
    if word in ("街道", "乡镇", "township"):
        m = re.fullmatch(r"(?:(\d{1,2})\s*月\s*(\d{1,2})\s*日?|(\d{1,2})-(\d{1,2}))", rest)
        md = (m.group(1) or m.group(3), m.group(2) or m.group(4)) if m else None
        if md is None or (int(md[0]), int(md[1])) not in ((1, 31), (3, 31)):
            return "街道/乡镇年报截止日只能是 1月31日（与部门相同，默认）或 3月31日：/deadline 街道 3月31日"
        value = f"{int(md[0]):02d}-{int(md[1]):02d}"
        await repo.set_chat_setting(db, chat_id=chat_id, key=SETTING_TOWNSHIP, value=value)
        return f"好的，本群街道/乡镇的年报截止日按 {int(md[0])}月{int(md[1])}日 提醒。"
    if word in ("阶段", "stage"):  # 「阶段 部门 1月20日」: an internal deadline for one kind of office
        return await stages.stage_command(db, chat_id=chat_id, text=rest, user_id=user_id, now=now, config=config)
    if office_terms.is_extension(text):  # 「鹿山 延期至 2月5日 原因」「鹿山 取消延期」: one office's own date
        return await office_terms.extension_command(db, chat_id=chat_id, text=text, today=today, user_id=user_id,
                                                    now=now, config=config)
    try:
        due, title = parse_day(text, today=today, prefer="future")
    except DateError as exc:
        return exc.message + "\n" + DEADLINE_HELP
    if due < today:
        return f"{_ymd(due)} 已经过去了，请写一个将来的日期。"
    title = title or "内部截止日"
    deadline, new = await store.add_deadline(db, chat_id=chat_id, kind=KIND_CUSTOM, due=due, title=title,
                                             report_year=report_year_for(due), created_by=user_id)
    await ticker.plan_deadline(db, deadline, now=now, config=config)
    if not new:
        return f"这个截止日已经有了：#{deadline.id} {_ymd(due)} {title}"
    ladder, at = await ticker.chat_ladder(db, chat_id, config)
    days = [s.day for s in ladder_steps(due, ladder=ladder, at=at, tz=config.tz, overdue_days=0) if s.day >= today]
    when = "、".join(_md(d) for d in days) or "无（已太近）"
    return f"已添加截止日 #{deadline.id}：{_ymd(due)} {title}。\n将在 {when} {at:%H:%M} 提醒（遇节假日提前）。"


async def list_deadlines_text(db: Any, *, chat_id: int, now: datetime, config: ReminderConfig) -> str:
    """The chat's upcoming deadlines (statutory and its own) and its reminder settings."""
    await ticker.schedule(db, now=now, config=config, chats=[chat_id])
    today = now.astimezone(config.tz).date()
    items = await store.list_deadlines(db, chat_id=chat_id, due_from=today - timedelta(days=config.overdue_days))
    ladder, at = await ticker.chat_ladder(db, chat_id, config)
    township = await ticker.chat_township(db, chat_id, config)
    lines = ["📅 截止日："]
    for d in items:
        if extension_ladder.is_extension_kind(d.kind):
            continue  # an office's extension: listed below with the office's terms
        state = "（已全部提交）" if d.completed_at else ""
        statutory = d.kind in (KIND_DEPT, KIND_GOV)
        mark = "法定" if statutory else ("阶段" if stages.office_kind_of(d.kind) else "本群")
        title = statutory_title(d.kind, d.report_year, township) if statutory else d.title
        lines.append(f"#{d.id} {_ymd(d.due)} [{mark}] {title}{state}")
    if len(lines) == 1:
        lines.append("（无）")
    lines.append(f"提醒：截止前 {'、'.join(map(str, ladder))} 天 {at:%H:%M}；逾期后每个工作日提醒一周。")
    lines.append(f"街道/乡镇年报截止：{'3月31日' if township.startswith('03') else '1月31日'}。")
    plan, rows = await owed_now(db, chat_id=chat_id, today=today)
    if terms := office_terms.terms_lines(rows, today):
        lines.append(f"{plan.report_year}年度单位延期/免报：")
        lines.extend(terms)
    lines.append("添加：/deadline 1月15日 提交区政府办")
    return "\n".join(lines)


# ---------------------------------------------------------------- /remind, /reminders


async def remind_command(db: Any, *, chat_id: int, args: str, user_id: int | None = None,
                         now: datetime | None = None, config: ReminderConfig | None = None) -> str:
    """/remind <when> <text>: a one-off or weekly reminder for the chat."""
    config, now = config or ReminderConfig(), _now(now)
    try:
        req = parse_remind(args, now=now, tz=config.tz, default_at=config.at)
    except DateError as exc:
        return exc.message
    reminder = await store.add_custom(db, chat_id=chat_id, text=req.text, weekday=req.weekday,
                                      at_time=req.at.strftime("%H:%M"), created_by=user_id)
    if req.weekly:
        assert req.weekday is not None
        when = next_weekly(now, weekday=req.weekday, at=req.at, tz=config.tz)
        await ticker.plan_custom(db, reminder, when=when)
        return (f"好的，每周{WEEKDAY_NAMES[req.weekday]} {req.at:%H:%M} 提醒：{req.text}\n"
                f"（第一次 {_md(when.date())}；/reminders 查看或取消）")
    assert req.when is not None
    await ticker.plan_custom(db, reminder, when=req.when)
    return f"好的，{_ymd(req.when.date())} {req.when:%H:%M} 提醒：{req.text}\n（/reminders 查看或取消）"


async def add_reminder_at(db: Any, *, chat_id: int, text: str, when: datetime,
                          created_by: int | None = None) -> store.CustomReminder:
    """A one-off reminder at an exact aware ``when`` (no parsing): for scripts and the benchmark."""
    reminder = await store.add_custom(db, chat_id=chat_id, text=text, weekday=None,
                                      at_time=when.strftime("%H:%M"), created_by=created_by)
    await ticker.plan_custom(db, reminder, when=when)
    return reminder


@dataclass(frozen=True)
class ReminderListing:
    """The /reminders reply: text plus (button label, reminder id) pairs for cancel buttons."""

    text: str
    buttons: list[tuple[str, int]]


async def list_reminders(db: Any, *, chat_id: int, config: ReminderConfig | None = None) -> ReminderListing:
    config = config or ReminderConfig()
    items = await store.list_custom(db, chat_id=chat_id)
    if not items:
        return ReminderListing("本群没有待发的提醒。设置：/remind 明天 9点 请各单位提交年报", [])
    lines = ["⏰ 本群的提醒："]
    buttons = []
    for r in items:
        if r.weekday is not None:
            when = f"每周{WEEKDAY_NAMES[r.weekday]} {r.at_time}"
        else:
            nd = r.next_due_at.astimezone(config.tz) if r.next_due_at else None
            when = f"{_md(nd.date())} {nd:%H:%M}" if nd else r.at_time
        lines.append(f"#{r.id} {when} {r.text}")
        buttons.append((f"取消 #{r.id} {r.text[:10]}", r.id))
    return ReminderListing("\n".join(lines), buttons)


async def cancel_reminder(db: Any, *, chat_id: int, reminder_id: int, now: datetime | None = None) -> str:
    ok = await store.cancel_custom(db, chat_id=chat_id, reminder_id=reminder_id, now=_now(now))
    return f"已取消提醒 #{reminder_id}。" if ok else f"提醒 #{reminder_id} 不存在或已取消。"


# ---------------------------------------------------------------- /apply, /extend


async def apply_command(db: Any, *, chat_id: int, args: str, user_id: int | None = None,
                        now: datetime | None = None, config: ReminderConfig | None = None) -> str:
    """/apply <收到日期> <摘要>: log an application and its reply due date (条例 第三十三条)."""
    config, now = config or ReminderConfig(), _now(now)
    text = (args or "").strip()
    today = now.astimezone(config.tz).date()
    if not text:
        apps = await store.list_applications(db, chat_id=chat_id)
        if not apps:
            return "没有未办结的申请。\n" + APPLY_HELP
        return "\n".join(["📮 未办结的申请："] + [
            f"第{a.seq}号 {_md(a.received)}收到，期限{_ymd(a.due)}{'（已延期）' if a.extensions else ''}：{a.summary}"
            for a in apps])
    word, _, rest = text.partition(" ")
    if word in ("办结", "完成", "done", "close"):
        seq = rest.strip().lstrip("#第").rstrip("号")
        if not seq.isdigit():
            return "请写上申请编号，例如：/apply 办结 3"
        ok = await store.close_application(db, chat_id=chat_id, seq=int(seq), now=now)
        return f"第{seq}号申请已办结，不再提醒。" if ok else f"没有未办结的第{seq}号申请。"
    try:
        received, summary = parse_day(text, today=today, prefer="past")
    except DateError as exc:
        return exc.message + "\n" + APPLY_HELP
    if received > today:
        return "收到日期不能晚于今天。"
    if not summary:
        return "请在日期后写上申请摘要，例如：/apply 2027-03-01 张三申请公开某某文件"
    due = reply_due(received, days=config.apply_days, count_start=config.apply_count_start)
    app = await store.add_application(db, chat_id=chat_id, summary=summary, received=received, due=due,
                                      created_by=user_id)
    await ticker.plan_application(db, app, now=now, config=config)
    warn = "、".join(str(n) for n in config.apply_warn_days)
    late = "（⚠️ 已超过答复期限）" if due < today else ""
    return (f"已登记第{app.seq}号申请：{summary}\n{_ymd(received)}收到，答复期限 {_ymd(due)}"
            f"（{config.apply_days}个工作日，节假日顺延）{late}。\n将在期限前 {warn} 个工作日提醒；"
            f"延期：/extend {app.seq}；办结：/apply 办结 {app.seq}")


async def extend_command(db: Any, *, chat_id: int, args: str, now: datetime | None = None,
                         config: ReminderConfig | None = None) -> str:
    """/extend <编号>: one extension of 20 more working days (条例 第三十三条第二款)."""
    config, now = config or ReminderConfig(), _now(now)
    seq = (args or "").strip().lstrip("#第").rstrip("号")
    if not seq.isdigit():
        return "请写上申请编号，例如：/extend 3（编号见 /apply）"
    app = await store.get_application(db, chat_id=chat_id, seq=int(seq))
    if app is None or app.closed_at is not None:
        return f"没有未办结的第{seq}号申请。"
    if app.extensions >= 1:
        return f"第{seq}号申请已经延期过一次（最长延期20个工作日），期限 {_ymd(app.due)}。"
    new_due = extended_due(app.due, days=config.apply_extension_days)
    app = await store.extend_application(db, application_id=app.id, new_due=new_due, now=now)
    await ticker.plan_application(db, app, now=now, config=config)
    return (f"第{seq}号申请已延期，新的答复期限 {_ymd(new_due)}。"
            "请记得经负责人同意并告知申请人。")
