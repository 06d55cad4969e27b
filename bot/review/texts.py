"""What the review loop says in chat (Telegram-free, so the handlers only choose a reply).

Findings lists keep the shape of the plain 「查看全部问题」 list (「共 N 条：」, one numbered line per
finding) and add, under a ruled finding, who ruled and why — 「已由 张三 标为不是问题：理由」.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from bot.review.states import RULABLE, ReviewState

SEVERITY_EMOJI = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
#: How many findings one page of the ruling view holds (two buttons each, well under Telegram's 100).
PER_PAGE = 8
#: A list longer than this is paged for ruling (one message must stay editable, under 4096 characters).
FITS = 3800


def ruling_note(ruling: Any, lang: str = "zh") -> str:
    """「🚫 已由 张三 标为不是问题：理由」 / 「✅ 已由 张三 确认：理由」 (+ 「（沿用上一版）」)."""
    who = ruling.user_name or (f"用户{ruling.user_id}" if ruling.user_id else "管理员")
    if lang == "en":
        what = "dismissed as not a problem" if ruling.dismissed else "confirmed"
        text = f"{'🚫' if ruling.dismissed else '✅'} {what} by {who}"
        text += f": {ruling.reason}" if ruling.reason else ""
        return text + (" (carried over from the previous version)" if ruling.carried else "")
    what = "标为不是问题" if ruling.dismissed else "确认"
    text = f"{'🚫' if ruling.dismissed else '✅'} 已由 {who} {what}" + (f"：{ruling.reason}" if ruling.reason else "")
    return text + ("（沿用上一版）" if ruling.carried else "")


def finding_line(number: int, finding: Any, lang: str = "zh", *, short: bool = False) -> str:
    """「3. ❌ T3-01 总计不等于各项之和（表3 “办理结果·总计”）」; ``short`` cuts the message to 40 characters."""
    message = finding.message_en if lang == "en" and getattr(finding, "message_en", "") else finding.message
    if short and len(message) > 40:
        message = message[:39] + "…"
    if lang == "en":
        from bot.validation.where_en import where_en

        where = f" ({where_en(finding.where)})" if finding.where else ""
    else:
        where = f"（{finding.where}）" if finding.where else ""
    return f"{number}. {SEVERITY_EMOJI.get(finding.severity, '•')} {finding.code} {message}{where}"


def report_head(review: Any, lang: str = "zh") -> str:
    """「📄 富阳区鹿山街道 2021年度（第2版）」."""
    year = (f"{review.year}" if lang == "en" else f"{review.year}年度") if review.year else (
        "year unknown" if lang == "en" else "年份不明")
    version = ""
    if review.version > 1:
        version = f" (version {review.version})" if lang == "en" else f"（第{review.version}版）"
    old = ""
    if not review.is_current:
        old = " — an older version" if lang == "en" else " · 旧版本"
    return f"📄 {review.office_name} {year}{version}{old}"


def findings_list(review: Any, lang: str = "zh") -> str:
    """The whole list: head, 「共 N 条：」, every finding with its ruling under it."""
    items = review.findings
    if not items:
        return f"{report_head(review, lang)}\n" + ("✅ 没有发现问题。" if lang == "zh" else "✅ No findings.")
    lines = [report_head(review, lang), f"共 {len(items)} 条：" if lang == "zh" else f"{len(items)} findings:"]
    for number, item in enumerate(items, 1):
        lines.append(finding_line(number, item.finding, lang))
        if item.ruling is not None:
            lines.append("   " + ruling_note(item.ruling, lang))
    return "\n".join(lines)


def rulable(review: Any) -> list[tuple[int, Any]]:
    """(number in the whole list, item) of each finding an admin may rule on (errors and warnings)."""
    return [(n, item) for n, item in enumerate(review.findings, 1) if item.finding.severity in RULABLE]


def fits_whole(review: Any, lang: str = "zh") -> bool:
    """Whether the whole list, with a button row per finding, fits one editable message."""
    return len(findings_list(review, lang)) <= FITS and len(rulable(review)) <= PER_PAGE


def pages(review: Any) -> int:
    return max(1, -(-len(rulable(review)) // PER_PAGE))


def page_items(review: Any, page: int) -> list[tuple[int, Any]]:
    page = min(max(page, 0), pages(review) - 1)
    return rulable(review)[page * PER_PAGE:(page + 1) * PER_PAGE]


def page_text(review: Any, page: int, lang: str = "zh") -> str:
    """One page of the ruling view: the errors and warnings of that page, each with its ruling."""
    page = min(max(page, 0), pages(review) - 1)
    total = len(rulable(review))
    if lang == "en":
        head = f"Rule on findings (page {page + 1}/{pages(review)}, {total} errors and warnings):"
    else:
        head = f"逐条裁定（第{page + 1}/{pages(review)}页，错误和警告共 {total} 条）："
    lines = [report_head(review, lang), head]
    for number, item in page_items(review, page):
        lines.append(finding_line(number, item.finding, lang, short=True))
        if item.ruling is not None:
            lines.append("   " + ruling_note(item.ruling, lang))
    return "\n".join(lines)


def reason_prompt(number: int, finding: Any, decision: str, ref: str, mention: str, lang: str = "zh") -> str:
    """The ForceReply question after 不是问题 (reason required) or 确认 (reason optional)."""
    what = f"第{number}条（{finding.code}{' ' + finding.where if finding.where else ''}）"
    if lang == "en":
        what = f"finding {number} ({finding.code})"
        if decision == "dismissed":
            return f"{mention}, reply to this message with why {what} is not a problem (at most 500 characters).\n{ref}"
        return f"✅ {what} confirmed. {mention}, reply to this message to add a reason (optional).\n{ref}"
    if decision == "dismissed":
        return f"{mention}，请回复本消息，写明{what}不是问题的理由（不超过500字）。\n{ref}"
    return f"✅ 已确认{what}。{mention}如需补充理由，请回复本消息（可不填）。\n{ref}"


def state_counts(statuses: Sequence[Any]) -> Counter[str]:
    return Counter(str(s.state) for s in statuses)


def summary_line(statuses: Sequence[Any], lang: str = "zh") -> str:
    """「整改：需整改 2 · 待审 1 · 已整改 1 · 通过 5」 for /summary (empty when nothing is held)."""
    if not statuses:
        return ""
    n = state_counts(statuses)
    order = [ReviewState.MUST_FIX, ReviewState.PENDING, ReviewState.FIXED, ReviewState.PASSED]
    if lang == "en":
        names = {"需整改": "must fix", "待审": "to review", "已整改": "fixed", "通过": "passed"}
        return "Review: " + " · ".join(f"{names[s.value]} {n.get(s.value, 0)}" for s in order)
    return "整改：" + " · ".join(f"{s.value} {n.get(s.value, 0)}" for s in order)


def who_must_fix(statuses: Sequence[Any], year: int | None, lang: str = "zh") -> str:
    """The answer to 「谁还需要整改」: offices in 需整改 with their confirmed findings, then the other states."""
    when = (f"{year}" if lang == "en" else f"{year}年度") if year else ""
    if not statuses:
        return (f"No reports for {when} yet." if lang == "en" else f"还没有收到{when}报告。")
    must = [s for s in statuses if s.state == ReviewState.MUST_FIX]
    n = state_counts(statuses)
    rest = (f"to review {n.get('待审', 0)}, fixed {n.get('已整改', 0)}, passed {n.get('通过', 0)}" if lang == "en"
            else f"待审 {n.get('待审', 0)} 个，已整改 {n.get('已整改', 0)} 个，通过 {n.get('通过', 0)} 个")
    if not must:
        return (f"No office has confirmed problems left to fix for {when} ✅ ({rest})." if lang == "en"
                else f"{when}没有需要整改的单位 ✅（{rest}）。")
    if lang == "en":
        lines = [f"{len(must)} office(s) still need to fix their {when} report:"]
        lines += [f"• {s.office.name} ({s.confirmed} confirmed finding(s))" for s in must]
        lines.append(f"Others: {rest}.")
        return "\n".join(lines)
    lines = [f"{when}需整改的单位（{len(must)} 个）："]
    lines += [f"• {s.office.name}（确认的问题 {s.confirmed} 条）" for s in must]
    lines.append(f"其余：{rest}。")
    return "\n".join(lines)


def office_fix_state(statuses: Sequence[Any], offices: Sequence[Any], year: int | None, lang: str = "zh") -> str:
    """The answer to 「青石山需要整改吗」: each named office's own 整改 state for the year, one line each."""
    when = (f"{year}" if lang == "en" else f"{year}年度") if year else ""
    by_id = {s.office.id: s for s in statuses}
    lines = []
    for office in offices:
        s = by_id.get(office.id)
        if s is None:
            lines.append(f"No {when} report from {office.name} yet." if lang == "en"
                         else f"还没有收到{office.name}{when}报告。")
        elif s.state == ReviewState.MUST_FIX:
            lines.append(f"{office.name} ({when}): must fix — {s.confirmed} confirmed finding(s)." if lang == "en"
                         else f"{office.name}{when}报告需整改：确认的问题 {s.confirmed} 条。")
        elif s.state == ReviewState.PENDING:
            lines.append(f"{office.name} ({when}): to review — {s.unruled} finding(s) not ruled on yet." if lang == "en"
                         else f"{office.name}{when}报告待审：还有 {s.unruled} 条问题未裁定。")
        elif s.state == ReviewState.FIXED:
            lines.append(f"{office.name} ({when}): fixed ✅" if lang == "en" else f"{office.name}{when}报告已整改 ✅")
        else:
            lines.append(f"{office.name} ({when}): passed, nothing to fix ✅" if lang == "en"
                         else f"{office.name}{when}报告通过，无需整改 ✅")
    return "\n".join(lines)


#: How /audit names the actions storage records.
ACTIONS = {
    "rule": "裁定",
    "delete_report": "删除报告",
    "restore_report": "恢复报告",
    "roster_add": "名单添加",
    "roster_remove": "名单移除",
    "name_report": "指定单位",
}


def audit_lines(entries: Sequence[Any], tz: tzinfo, lang: str = "zh") -> str:
    """/audit: the newest entries first, one line each (time in the chat's time zone)."""
    if not entries:
        return "No audit entries yet." if lang == "en" else "本群还没有操作记录。"
    head = f"Recent actions ({len(entries)}):" if lang == "en" else f"最近 {len(entries)} 条操作记录："
    lines = [head]
    for e in entries:
        at = e.at.astimezone(tz).strftime("%m-%d %H:%M")
        who = f"用户{e.user_id}" if e.user_id is not None else "系统"
        action = e.action if lang == "en" else ACTIONS.get(e.action, e.action)
        detail = e.detail if len(e.detail) <= 160 else e.detail[:159] + "…"
        lines.append(f"{at} {who} {action} {detail}".rstrip())
    return "\n".join(lines)
