"""Short chat summaries of a validated report: a verdict line and the few findings that matter most."""

from __future__ import annotations

from bot.report import Finding, Report

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


def summarize(report: Report, *, lang: str = "zh", limit: int = 3) -> str:
    """The verdict with counts and the ``limit`` most important findings (errors first), each with its
    location and code — short enough for a phone screen. Uses ``report.findings`` as validated."""
    findings = report.findings
    verdict = report.verdict
    n = counts(findings)
    emoji = verdict_emoji(verdict)
    en = lang.lower().startswith("en")
    if en:
        head = f"{emoji} {_VERDICT_EN[verdict]}: {n['error']} errors, {n['warning']} warnings, {n['info']} notes"
    else:
        head = f"{emoji} {verdict}：错误{n['error']}项，警告{n['warning']}项，提示{n['info']}项"
    if not findings:
        return f"{emoji} passed: no problems found." if en else f"{emoji} 通过：未发现问题。"
    lines = [head]
    for i, f in enumerate(findings[: max(limit, 0)], 1):
        text = (f.message_en or f.message) if en else f.message
        where = f"{f.where}：" if f.where and not en and f.where not in f.message else ""
        lines.append(f"{i}. {where}{text}（{f.code}）" if not en else f"{i}. {text} ({f.code})")
    rest = len(findings) - max(limit, 0)
    if rest > 0:
        lines.append(f"… and {rest} more" if en else f"……另有{rest}项")
    return "\n".join(lines)
