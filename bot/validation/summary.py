"""Short chat summaries of a validated report: a verdict line and the few findings that matter most."""

from __future__ import annotations

import re

from bot.report import Finding, Report
from bot.validation.where_en import where_en

_EMOJI = {
    "通过": "✅",
    "有警告": "⚠️",
    "有错误": "❌",
    "pass": "✅",
    "passed": "✅",
    "warning": "⚠️",
    "warnings": "⚠️",
    "error": "❌",
    "errors": "❌",
}
_VERDICT_EN = {"通过": "passed", "有警告": "warnings", "有错误": "errors"}


def verdict_emoji(verdict: str) -> str:
    """✅ 通过, ⚠️ 有警告, ❌ 有错误 (English words accepted too); ❔ for anything else."""
    return _EMOJI.get(verdict.strip().lower() if verdict.isascii() else verdict.strip(), "❔")


def counts(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each severity."""
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


_RANK = {"error": 0, "warning": 1, "info": 2}
#: Findings a clerk need not see first (the reader's clean-up notes).
_LOW_VALUE = frozenset({"ING-06"})
#: "We could not read this / are unsure of it" — shown before the other warnings, so a clerk sees first
#: that a figure is a reading gap and what to send, not the office's error.
_READING_GAPS = frozenset({"ING-08", "ING-09", "OCR-01"})


def _where_helps(f: Finding) -> bool:
    """Prefix the location only when it points into a table/section and the message does not name it."""
    where = f.where.replace(" ", "")
    if not where.startswith(("表", "第")):
        return False
    message = f.message.replace(" ", "")
    core = where[2:] if where.startswith("表") else where
    return where not in message and core not in message and where.split("“")[-1].strip("”") not in message


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summarize(report: Report, *, lang: str = "zh", limit: int = 3) -> str:
    """The verdict with counts and the ``limit`` most important findings (errors first), each with its
    location and code — short enough for a phone screen. Uses ``report.findings`` as validated."""
    findings = report.findings
    verdict = report.verdict
    n = counts(findings)
    emoji = verdict_emoji(verdict)
    en = lang.lower().startswith("en")
    if en:
        head = (f"{emoji} {_VERDICT_EN[verdict]}: {_plural(n['error'], 'error')}, "
                f"{_plural(n['warning'], 'warning')}, {_plural(n['info'], 'note')}")
    else:
        head = f"{emoji} {verdict}：错误{n['error']}项，警告{n['warning']}项，提示{n['info']}项"
    if not findings:
        return f"{emoji} passed: no problems found." if en else f"{emoji} 通过：未发现问题。"
    lines = [head]
    ranked = sorted(findings, key=lambda f: (_RANK.get(f.severity, 3), f.code not in _READING_GAPS, f.code in _LOW_VALUE))
    for i, f in enumerate(ranked[: max(limit, 0)], 1):
        text = (f.message_en or f.message) if en else f.message
        if en:  # the English text rarely names the printed cell: say where it is (where_en.py)
            loc = where_en(f.where) if f.where.startswith(("表", "第")) else ""
            named = re.findall(r"“([^”]+)”", loc)
            where = f"{loc}: " if loc and not any(n in text for n in named) else ""
            lines.append(f"{i}. {where}{text} ({f.code})")
        else:
            where = f"{f.where}：" if _where_helps(f) else ""
            lines.append(f"{i}. {where}{text}（{f.code}）")
    rest = len(findings) - max(limit, 0)
    if rest > 0:
        lines.append(f"… and {rest} more" if en else f"……另有{rest}项")
    return "\n".join(lines)
