"""The 整改 state of one office's report for one year, from its versions' findings and the rulings.

* 需整改 — the current version has a finding an admin confirmed (also one carried over from an earlier
  version because the same fingerprint recurred): the office must fix it.
* 待审 — nothing confirmed, but an error or warning of the current version has no ruling yet.
* 已整改 — nothing confirmed or unruled now, and an earlier version had confirmed findings: the fix arrived.
* 通过 — no standing error or warning (none found, or every one dismissed as 不是问题).

Info findings are never ruled and never count. The function is pure: storage gathers the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

#: Severities an admin rules on (info findings are hints, not problems).
RULABLE = ("error", "warning")

CONFIRMED = "confirmed"
DISMISSED = "dismissed"


class ReviewState(StrEnum):
    """Where an office's report stands in the review loop (the values are what users read)."""

    PENDING = "待审"
    MUST_FIX = "需整改"
    FIXED = "已整改"
    PASSED = "通过"


@dataclass(frozen=True)
class VersionFindings:
    """One version: the (fingerprint, severity) of each finding, and its rulings (fingerprint → decision)."""

    findings: Sequence[tuple[str, str]]
    rulings: Mapping[str, str] = field(default_factory=dict)

    def confirmed(self) -> list[str]:
        return [fp for fp, sev in self.findings if sev in RULABLE and self.rulings.get(fp) == CONFIRMED]

    def unruled(self) -> list[str]:
        return [fp for fp, sev in self.findings if sev in RULABLE and fp not in self.rulings]


def review_state(versions: Sequence[VersionFindings]) -> ReviewState:
    """The state of the newest version (last in ``versions``, oldest first) given the history."""
    if not versions:
        return ReviewState.PASSED
    current = versions[-1]
    if current.confirmed():
        return ReviewState.MUST_FIX
    if current.unruled():
        return ReviewState.PENDING
    if any(v.confirmed() for v in versions[:-1]):
        return ReviewState.FIXED
    return ReviewState.PASSED


def effective_counts(findings: Sequence[tuple[str, str]], dismissed: set[str] | frozenset[str]
                     ) -> tuple[str, int, int, int]:
    """(verdict, errors, warnings, infos) of a report once its dismissed findings no longer count."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for fp, severity in findings:
        if fp in dismissed and severity in RULABLE:
            continue
        if severity in counts:
            counts[severity] += 1
    verdict = "有错误" if counts["error"] else "有警告" if counts["warning"] else "通过"
    return verdict, counts["error"], counts["warning"], counts["info"]
