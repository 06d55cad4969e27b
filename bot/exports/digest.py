"""The /summary digest: a few lines a group chat can read on a phone.

Who has submitted (against the chat's roster), how many reports pass, the year's totals and the three
most frequent problems, so a 政务公开 office head sees the state of the year without opening a file.
The totals come from :mod:`bot.exports.rows`, so they equal the 合计 row of the workbook.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.exports.rows import ExportItem, summary_row, total_row
from bot.report import Finding

VERDICT_EMOJI: dict[str, str] = {"通过": "✅", "有警告": "⚠️", "有错误": "❌"}
MAX_MISSING_NAMES = 10
MAX_MESSAGE_CHARS = 36


@dataclass(frozen=True)
class Issue:
    """One frequent problem: its code, severity, how many reports have it, and a sample message."""

    code: str
    severity: str
    reports: int
    sample: str


def empty_message(year: int | None) -> str:
    """What an empty chat gets instead of a file or a digest."""
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
            issues.append(Issue(code, severity, n, _sample(code, samples[code])))
            if len(issues) >= limit:
                return issues
    return issues


def _sample(code: str, findings: list[Finding]) -> str:
    """A short description: the rule's title when the validator exposes one, else the shortest message."""
    title = _rule_title(code)
    if title:
        return title
    text = min((f.message for f in findings if f.message), key=len, default="")
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


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
) -> str:
    """The digest for one year. ``missing``: roster offices without a report; ``roster_size`` 0 = no roster."""
    if not items and not missing:
        return empty_message(year)
    when = f"{year}年度" if year else ""
    lines = [f"📋 {when}年报汇总"]
    if roster_size:
        submitted = roster_size - len(missing)
        line = f"已提交 {submitted}/{roster_size} 个单位"
        if missing:
            names = "、".join(missing[:MAX_MISSING_NAMES])
            more = f" 等{len(missing)}个" if len(missing) > MAX_MISSING_NAMES else ""
            line += f"；未提交：{names}{more}"
        lines.append(line)
    else:
        lines.append(f"已收到 {len(items)} 个单位的年报（未设置单位名单）")
    if items:
        verdicts = Counter(item.verdict for item in items)
        lines.append(
            "校验："
            + " · ".join(f"{VERDICT_EMOJI[v]} {v} {verdicts.get(v, 0)}" for v in ("通过", "有警告", "有错误"))
        )
        total = total_row([summary_row(item) for item in items])
        lines.append(
            f"合计：新收 {_n(total['new_received'])} 件 · 办结 {_n(total['total_processed'])} 件 · "
            f"结转 {_n(total['carried_forward'])} 件 · 复议 {_n(total['review'])} 件 · "
            f"诉讼 {_n(total['litigation'])} 件"
        )
        issues = top_issues(items)
        if issues:
            lines.append("主要问题：")
            for i, issue in enumerate(issues, start=1):
                mark = "❌" if issue.severity == "error" else "⚠️"
                lines.append(f"{i}. {mark} {issue.code}（{issue.reports}份）{issue.sample}")
        else:
            lines.append("未发现错误或警告。")
    suffix = f" {year}" if year else ""
    lines.append(f"明细表格：/export{suffix} · 图表：/chart{suffix}")
    return "\n".join(lines)
