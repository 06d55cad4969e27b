"""The numbers every export shares: one summary row per office, and the totals over offices.

The workbook, the CSV, the digest and the charts must agree to the last digit, so the arithmetic lives
here once. A blank cell stays ``None`` all the way through: a sum over only-blank cells is ``None``
(shown empty), never 0, so a leader never reads a missing number as "nothing happened".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.report import Finding, Number, Report
from bot.schema import OFFICE_KINDS, T3_GROUPS

#: Summary columns: (key, Chinese header). Order is the order of the 汇总 sheet and the CSV.
SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("office", "单位"),
    ("kind", "类型"),
    ("year", "年度"),
    ("verdict", "校验结论"),
    ("new_received", "本年新收"),
    ("carried_over", "上年结转"),
    ("total_processed", "办结"),
    ("carried_forward", "结转下年"),
    ("granted", "予以公开"),
    ("partial", "部分公开"),
    ("deny", "不予公开"),
    ("review", "行政复议"),
    ("litigation", "行政诉讼"),
    ("open_rate", "公开率"),
)

#: Columns that hold counts (summed in the 合计 row).
COUNT_KEYS: tuple[str, ...] = (
    "new_received",
    "carried_over",
    "total_processed",
    "carried_forward",
    "granted",
    "partial",
    "deny",
    "review",
    "litigation",
)

SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class ExportItem:
    """One office's current report for a year, as the exports need it (storage-free)."""

    office: str
    short_name: str
    kind: str
    year: int | None
    verdict: str
    report: Report
    findings: list[Finding] = field(default_factory=list)

    @classmethod
    def from_report(cls, report: Report) -> ExportItem:
        """Wrap a bare report (its own office, verdict and findings)."""
        return cls(
            office=report.office.name or report.office.short_name or report.source.filename,
            short_name=report.office.short_name or report.office.name,
            kind=report.office.kind,
            year=report.year,
            verdict=report.verdict,
            report=report,
            findings=list(report.findings),
        )

    @property
    def label(self) -> str:
        """The short name a person types, for chart axes; the full name when there is none."""
        return self.short_name or self.office


@dataclass(frozen=True)
class StatusLine:
    """One line of the 报送情况 sheet: an office of the roster and where its report stands.

    Plain values (built by :func:`bot.documents.collect.status_lines`), so the workbook stays storage-free.
    ``received`` is local time without a zone (Excel has none); ``dismissed`` lists the findings an admin
    ruled 不是问题, each with its reason.
    """

    office: str
    kind: str
    contact: str
    received: datetime | None
    version: int | None
    verdict: str
    state: str
    dismissed: str = ""


def add(values: Iterable[Number | None]) -> Number | None:
    """Sum of the known values; ``None`` when every value is blank (blank is not 0)."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    total = sum(known)
    return int(total) if float(total).is_integer() else total


def open_rate(granted: Number | None, partial: Number | None, processed: Number | None) -> float | None:
    """(予以公开 + 部分公开) / 办结 as a fraction; ``None`` when it cannot be computed."""
    opened = add([granted, partial])
    if opened is None or not processed:
        return None
    return opened / processed


def summary_row(item: ExportItem) -> dict[str, object]:
    """The 汇总 row of one office: identity, verdict and the key counts (``None`` = blank)."""
    r = item.report
    row: dict[str, object] = {
        "office": item.office,
        "kind": item.kind,
        "year": item.year,
        "verdict": item.verdict,
        "new_received": r.t3("new_received"),
        "carried_over": r.t3("carried_over"),
        "total_processed": r.t3("total_processed"),
        "carried_forward": r.t3("carried_forward"),
        "granted": r.t3("granted"),
        "partial": r.t3("partial"),
        "deny": add(r.t3(key) for key in T3_GROUPS["deny"]),
        "review": r.t4("review"),
        "litigation": add([r.t4("litigation_direct"), r.t4("litigation_after_review")]),
    }
    row["open_rate"] = open_rate(row["granted"], row["partial"], row["total_processed"])  # type: ignore[arg-type]
    return row


def total_row(rows: Sequence[dict[str, object]], *, label: str = "合计") -> dict[str, object]:
    """The 合计 row: counts summed over offices (blank when no office has the number)."""
    total: dict[str, object] = {"office": label, "kind": "", "year": None, "verdict": ""}
    for key in COUNT_KEYS:
        total[key] = add(row[key] for row in rows)  # type: ignore[misc]
    total["open_rate"] = open_rate(total["granted"], total["partial"], total["total_processed"])  # type: ignore[arg-type]
    return total


def sort_items(items: Iterable[ExportItem]) -> list[ExportItem]:
    """Stable, readable order: by office kind (街道, 乡镇, … as in the schema), then name, then year."""

    def key(it: ExportItem) -> tuple[int, str, int]:
        kind = OFFICE_KINDS.index(it.kind) if it.kind in OFFICE_KINDS else len(OFFICE_KINDS)
        return (kind, it.office, it.year or 0)

    return sorted(items, key=key)
