"""The /summary digest: a few lines a group chat can read on a phone.

Who has submitted (against the chat's roster), how many reports pass, the year's totals and the three
most frequent problems, so a 政务公开 office head sees the state of the year without opening a file.
The totals come from :mod:`bot.exports.rows`, so they equal the 合计 row of the workbook. Chinese
first; ``lang="en"`` for users whose Telegram is set to English.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.exports.rows import ExportItem, summary_row, total_row
from bot.report import Finding

VERDICT_EMOJI: dict[str, str] = {"通过": "✅", "有警告": "⚠️", "有错误": "❌"}
VERDICT_EN: dict[str, str] = {"通过": "pass", "有警告": "warnings", "有错误": "errors"}
MAX_MISSING_NAMES = 10
MAX_MESSAGE_CHARS = 36


@dataclass(frozen=True)
class Issue:
    """One frequent problem: its code, severity, how many reports have it, and short descriptions."""

    code: str
    severity: str
    reports: int
    sample: str
    sample_en: str = ""


def empty_message(year: int | None, lang: str = "zh") -> str:
    """What an empty chat gets instead of a file or a digest."""
    if lang == "en":
        when = f" for {year}" if year else ""
        return f"No annual reports{when} in this chat yet. Send the report files (Word/PDF/TXT) here."
    when = f"{year}年度" if year else ""
    return f"本群还没有{when}年报。把年报文件（Word/PDF/TXT）直接发到群里，机器人会自动读取和校验。"


def top_issues(items: Sequence[ExportItem], *, limit: int = 3) -> list[Issue]:
    """The most frequent error codes (by number of reports having them), topped up with warnings.

    Counting reports rather than findings keeps one report with 40 blank cells from hiding a problem
    that ten offices share.
    """
    issues: list[Issue] = []
    for severity in ("error", "warning"):
        counts: Counter[str] = Counter()
        samples: dict[str, list[Finding]] = {}
        for item in items:
            codes = {f.code for f in item.findings if f.severity == severity}
            counts.update(codes)
            for f in item.findings:
                if f.severity == severity:
                    samples.setdefault(f.code, []).append(f)
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            found = samples[code]
            issues.append(
                Issue(code, severity, n, _sample(code, found), _shortest(f.message_en for f in found))
            )
            if len(issues) >= limit:
                return issues
    return issues


def _shortest(messages: Iterable[str]) -> str:
    text = min((m for m in messages if m), key=len, default="")
    limit = MAX_MESSAGE_CHARS if not text.isascii() else MAX_MESSAGE_CHARS * 2
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sample(code: str, findings: list[Finding]) -> str:
    """A short description: the rule's title when the validator exposes one, else the shortest message."""
    return _rule_title(code) or _shortest(f.message for f in findings)


def _rule_title(code: str) -> str:
    try:
        from bot.validation import RULES  # the validator's registry, when it is installed
    except ImportError:  # optional: the digest must work without the validator
        return ""
    for rule in RULES:
        if getattr(rule, "code", None) == code:
            for attr in ("title", "name", "summary"):
                value = getattr(rule, attr, None)
                if isinstance(value, str) and value and value != code:
                    return value
    return ""


def _n(value: object) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def digest_text(
    items: Sequence[ExportItem],
    *,
    year: int | None,
    missing: Sequence[str] = (),
    roster_size: int = 0,
    lang: str = "zh",
) -> str:
    """The digest for one year. ``missing``: roster offices without a report; ``roster_size`` 0 = no roster."""
    if not items and not missing:
        return empty_message(year, lang)
    en = lang == "en"
    lines = [
        f"📋 Annual reports {year or ''}".rstrip() if en else f"📋 {f'{year}年度' if year else ''}年报汇总"
    ]
    if roster_size:
        submitted = roster_size - len(missing)
        line = (
            f"Submitted: {submitted} of {roster_size} offices"
            if en
            else f"已提交 {submitted}/{roster_size} 个单位"
        )
        if missing:
            names = "、".join(missing[:MAX_MISSING_NAMES])
            more = (
                (f" and {len(missing) - MAX_MISSING_NAMES} more" if en else f" 等{len(missing)}个")
                if len(missing) > MAX_MISSING_NAMES
                else ""
            )
            line += f"; missing: {names}{more}" if en else f"；未提交：{names}{more}"
        lines.append(line)
    else:
        lines.append(
            f"Received from {len(items)} offices (no roster set)"
            if en
            else f"已收到 {len(items)} 个单位的年报（未设置单位名单）"
        )
    if items:
        verdicts = Counter(item.verdict for item in items)
        label = (lambda v: VERDICT_EN[v]) if en else (lambda v: v)
        lines.append(
            ("Checks: " if en else "校验：")
            + " · ".join(
                f"{VERDICT_EMOJI[v]} {label(v)} {verdicts.get(v, 0)}" for v in ("通过", "有警告", "有错误")
            )
        )
        t = total_row([summary_row(item) for item in items])
        if en:
            lines.append(
                f"Totals: {_n(t['new_received'])} new · {_n(t['total_processed'])} processed · "
                f"{_n(t['carried_forward'])} carried forward · {_n(t['review'])} reviews · "
                f"{_n(t['litigation'])} lawsuits"
            )
        else:
            lines.append(
                f"合计：新收 {_n(t['new_received'])} 件 · 办结 {_n(t['total_processed'])} 件 · "
                f"结转 {_n(t['carried_forward'])} 件 · 复议 {_n(t['review'])} 件 · "
                f"诉讼 {_n(t['litigation'])} 件"
            )
        issues = top_issues(items)
        if issues:
            lines.append("Main issues:" if en else "主要问题：")
            for i, issue in enumerate(issues, start=1):
                mark = "❌" if issue.severity == "error" else "⚠️"
                if en:
                    noun = "report" if issue.reports == 1 else "reports"
                    lines.append(
                        f"{i}. {mark} {issue.code} ({issue.reports} {noun}) {issue.sample_en}".rstrip()
                    )
                else:
                    lines.append(f"{i}. {mark} {issue.code}（{issue.reports}份）{issue.sample}")
        else:
            lines.append("No errors or warnings." if en else "未发现错误或警告。")
    suffix = f" {year}" if year else ""
    lines.append(
        f"Tables: /export{suffix} · charts: /chart{suffix}"
        if en
        else f"明细表格：/export{suffix} · 图表：/chart{suffix}"
    )
    return "\n".join(lines)
