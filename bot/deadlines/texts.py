"""Chinese reminder texts: short, phone-sized, naming who still has to act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.deadlines.mentions import Line, Part, pack, person_line
from storage.types import Contact

MAX_NAMES = 25
#: Characters of the one line that says what an office has to fix.
FIX_CHARS = 40


def names_list(names: list[str]) -> str:
    """「鹿山、五星」, cut after MAX_NAMES with 「等N个单位」 so one line stays phone-sized."""
    if len(names) <= MAX_NAMES:
        return "、".join(names)
    return "、".join(names[:MAX_NAMES]) + f" 等{len(names)}个单位"


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def when_phrase(due: date, today: date) -> str:
    """还有N天 / 明天截止 / 今天截止 / 已逾期N天."""
    left = (due - today).days
    if left > 1:
        return f"还有{left}天"
    if left == 1:
        return "明天截止"
    if left == 0:
        return "今天截止"
    return f"已逾期{-left}天"


def deadline_text(*, title: str, due: date, today: date, report_year: int, total: int | None,
                  missing: list[str], errors: list[str], must_fix: list[str] | None = None,
                  extended: list[str] | None = None, late_extended: list[str] | None = None) -> str:
    """A ladder or overdue reminder. ``total`` None means the chat has no roster to check against;
    ``must_fix`` (after the deadline) are offices whose confirmed findings are not fixed yet (需整改).

    ``extended`` names offices on a running extension (「鹿山（至2月5日）」): not late, so not among the
    missing, but still owing (bot/deadlines/obligations.py); ``late_extended`` names offices of other
    kinds whose extension ran out without a report (「鹿山（至2月5日，已逾期3天）」): still 逾期, in every
    later reminder of that report year."""
    overdue = due < today
    head = "⚠️ 逾期提醒" if overdue else "⏰ 截止提醒"
    lines = [f"{head}：{title}，截止{_md(due)}（{when_phrase(due, today)}）。"]
    if total is None:
        lines.append(f"请各单位按时报送{report_year}年度报告。用 /roster 设置名单后，我会列出未交的单位。")
        return "\n".join(lines)
    if missing:
        lines.append(f"未提交（{len(missing)}/{total}）：{names_list(missing)}")
    must_fix = must_fix or []
    errors = [e for e in errors if e not in must_fix]
    if must_fix:
        lines.append(f"需整改（{len(must_fix)}）：{names_list(must_fix)}（请按确认的问题修改后重新报送）")
    if errors:
        lines.append(f"有错误待修改（{len(errors)}）：{names_list(errors)}")
    if extended:
        lines.append(f"已延期：{names_list(extended)}")
    if late_extended:
        lines.append(late_extended_line(late_extended))
    lines.append("请在群里发送年报文件（Word/PDF）。")
    return "\n".join(lines)


def late_extended_line(names: list[str]) -> str:
    """「延期已过仍未交（1）：鹿山（至2月5日，已逾期3天）」."""
    return f"延期已过仍未交（{len(names)}）：{names_list(names)}"


@dataclass(frozen=True)
class Tagged:
    """An office in a tagged reminder: its name, its contacts and (errors) one line of what to fix."""

    name: str
    people: tuple[Contact, ...] = ()
    fix: str = ""


def short_fix(text: str) -> str:
    """One finding cut to a phone line."""
    text = " ".join(text.split())
    return text if len(text) <= FIX_CHARS else text[:FIX_CHARS - 1] + "…"


def tagged_deadline_parts(*, title: str, due: date, today: date, total: int, missing: list[Tagged],
                          errors: list[Tagged], must_fix: list[str] | None = None,
                          extended: list[str] | list[Tagged] | None = None,
                          late_extended: list[str] | None = None) -> list[Part]:
    """The ladder/overdue reminder naming each office with its contacts mentioned, split into parts
    within Telegram's limits (bot/deadlines/mentions.py). An office without contacts is named plainly.
    Offices on a running extension (``extended``, 「鹿山（至2月5日）」) have their contacts mentioned too
    when given as :class:`Tagged` — their own ladder day may be merged into this message."""
    overdue = due < today
    head = "⚠️ 逾期提醒" if overdue else "⏰ 截止提醒"
    lines = [Line(f"{head}：{title}，截止{_md(due)}（{when_phrase(due, today)}）。")]
    if missing:
        lines.append(Line(f"未提交（{len(missing)}/{total}）："))
        for office in missing:
            lines += person_line(f"· {office.name}：", office.people) if office.people else [
                Line(f"· {office.name}（未设联系人）")]
    must_fix = must_fix or []
    if must_fix:
        lines.append(Line(f"需整改（{len(must_fix)}）：{names_list(must_fix)}（请按确认的问题修改后重新报送）"))
    errors = [e for e in errors if e.name not in must_fix]
    if errors:
        lines.append(Line(f"有错误待修改（{len(errors)}）："))
        for office in errors:
            fix = f" — {short_fix(office.fix)}" if office.fix else ""
            lines += person_line(f"· {office.name}：", office.people, fix) if office.people else [
                Line(f"· {office.name}{fix}")]
    tagged_ext = [e for e in extended or [] if isinstance(e, Tagged)]
    if tagged_ext and any(e.people for e in tagged_ext):
        lines.append(Line(f"已延期（{len(tagged_ext)}）："))
        for office in tagged_ext:
            lines += person_line(f"· {office.name}：", office.people) if office.people else [
                Line(f"· {office.name}")]
    elif extended:
        lines.append(Line(f"已延期：{names_list([e.name if isinstance(e, Tagged) else e for e in extended])}"))
    if late_extended:
        lines.append(Line(late_extended_line(late_extended)))
    lines.append(Line("请在群里发送年报文件（Word/PDF）。"))
    return pack(lines)


NUDGE_BUTTONS = (("已提交", "ack"), ("今天提交", "today"), ("推迟一天提醒", "snooze"))


def nudge_part(*, title: str, due: date, today: date, offices: list[tuple[str, str]], deadline_id: int,
               prefix: str, group: str = "") -> Part:
    """A private nudge: the contact's own offices with their status and what to fix, the deadline, and
    the buttons 已提交 / 今天提交 / 推迟一天提醒 (callback ``<prefix><action>:<deadline id>``)."""
    where = f"【{group}】" if group else ""
    lines = [f"📌 {where}{title}，截止{_md(due)}（{when_phrase(due, today)}）。", "你负责的单位："]
    lines += [f"· {name}：{state}" for name, state in offices]
    lines.append("请在工作群里发送年报文件（Word/PDF）。")
    buttons = [[[label, f"{prefix}{action}:{deadline_id}"] for label, action in NUDGE_BUTTONS]]
    return Part("\n".join(lines), [], buttons)


def complete_text(*, title: str, report_year: int, total: int) -> str:
    return f"✅ 全部提交：名单内{total}个单位的{report_year}年度报告均已提交且无错误（{title}）。此项不再提醒。"


def custom_text(text: str) -> str:
    return f"⏰ 提醒：{text}"


def application_text(*, seq: int, summary: str, received: date, due: date, workdays_left: int) -> str:
    return (f"📮 依申请公开答复提醒：第{seq}号申请（{summary}），{_md(received)}收到，"
            f"答复期限{due.year}年{_md(due)}，还剩{workdays_left}个工作日。"
            f"如需延期请发 /extend {seq}（须经负责人同意并告知申请人）。")


def missed_text(descriptions: list[str]) -> str:
    head = f"⚠️ 机器人停机期间错过了{len(descriptions)}条提醒（已超过补发时限，未补发）："
    return "\n".join([head, *[f"· {d}" for d in descriptions[:10]]]) + (
        f"\n… 等{len(descriptions)}条" if len(descriptions) > 10 else "")
