"""One plain-data row per office for a chat and year: what every document (notice, 通报, workbook) prints.

This is the ONE place the documents read the review state of a report from: the 整改 state, the ruling
on each finding (确认 / 不是问题, with its reason and who made it) and the office's contacts. The notice,
the 通报 and the 报送情况 sheet only read :class:`OfficeRow`. Its findings and contacts are storage's own
:class:`~storage.types.ReviewedFinding` and :class:`~storage.types.Contact` — the types the review list
and the reminders use — so what is 不是问题 or 需整改 is decided in one place, not copied here.

The 整改 state and the rulings come from ``storage.review`` (待审 / 需整改 / 已整改 / 通过; an office of
the roster without a report is 未提交), the fingerprints from :mod:`bot.review`. The contact is the person
bound to the office (``storage.contacts``, /roster 联系人), else the person who sent the report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.exports.rows import ExportItem, StatusLine
from bot.report import Report
from bot.review import ReviewState, fingerprints
from bot.schema import OFFICE_KINDS
from storage import repo
from storage.types import Contact, OfficeInfo, ReviewedFinding, StoredReport

#: The 整改 states, in the order a 通报 lists them.
STATE_MISSING = "未提交"
STATE_PENDING = ReviewState.PENDING.value
STATE_FIX = ReviewState.MUST_FIX.value
STATE_FIXED = ReviewState.FIXED.value
STATE_PASSED = ReviewState.PASSED.value
STATES: tuple[str, ...] = (STATE_FIX, STATE_PENDING, STATE_FIXED, STATE_PASSED, STATE_MISSING)

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")

@dataclass
class OfficeRow:
    """One roster office (or reporting office) for a year, with its current report when there is one."""

    office: OfficeInfo
    year: int
    stored: StoredReport | None
    state: str
    contacts: list[Contact] = field(default_factory=list)
    findings: list[ReviewedFinding] = field(default_factory=list)
    report: Report | None = None

    @property
    def name(self) -> str:
        return self.office.name

    @property
    def short(self) -> str:
        return self.office.short_name or self.office.name

    @property
    def to_fix(self) -> list[ReviewedFinding]:
        return [f for f in self.findings if f.to_fix]

    @property
    def dismissed(self) -> list[ReviewedFinding]:
        return [f for f in self.findings if f.dismissed]

    def export_item(self) -> ExportItem | None:
        """The row as the workbook/charts see it (``None`` without a report)."""
        if self.stored is None or self.report is None:
            return None
        return ExportItem(
            office=self.office.name,
            short_name=self.short,
            kind=self.office.kind,
            year=self.year,
            verdict=self.stored.verdict,
            report=self.report,
            findings=[f.finding for f in self.findings if not f.dismissed],
        )


@dataclass
class ChatYear:
    """Every office of a chat for one report year."""

    chat_id: int
    year: int
    rows: list[OfficeRow]

    @property
    def received(self) -> list[OfficeRow]:
        return [r for r in self.rows if r.stored is not None]

    @property
    def missing(self) -> list[OfficeRow]:
        return [r for r in self.rows if r.stored is None]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    def export_items(self) -> list[ExportItem]:
        return [item for r in self.rows if (item := r.export_item()) is not None]


def derived_state(stored: StoredReport | None) -> str:
    """The state of an office the review has no state for: no report → 未提交, errors → 需整改, else 通过."""
    if stored is None:
        return STATE_MISSING
    return STATE_FIX if stored.verdict == "有错误" or stored.errors else STATE_PASSED


@dataclass
class _Hooks:
    """Where states, rulings and contacts come from (``storage.review`` / ``storage.contacts``)."""

    states: dict[int, str]
    findings: Callable[[StoredReport, Report], Awaitable[list[ReviewedFinding]]]
    contacts: Callable[[OfficeInfo, StoredReport | None], Awaitable[list[Contact]]]


async def _unruled(stored: StoredReport, report: Report) -> list[ReviewedFinding]:
    """The report's findings with their fingerprints, none ruled on."""
    return [ReviewedFinding(f, fp) for f, fp in zip(report.findings, fingerprints(report.findings), strict=True)]


def _sender(chat_id: int, office: OfficeInfo, stored: StoredReport | None) -> list[Contact]:
    """Who to address when nobody is bound to the office: the person who sent the report."""
    if stored is None or (stored.sender_id is None and not stored.sender_name):
        return []
    return [Contact(chat_id, office.id, stored.sender_id, None, stored.sender_name or "")]


async def _review_hooks(db: Any, *, chat_id: int, year: int | None) -> _Hooks:
    """States and rulings from ``storage.review``; contacts from ``storage.contacts`` (else the sender)."""
    from storage import contacts as contacts_store
    from storage import review

    states = {oid: str(state) for oid, state in (await review.review_states(db, chat_id=chat_id, year=year)).items()}

    async def findings(stored: StoredReport, report: Report) -> list[ReviewedFinding]:
        found = await review.reviewed_findings(db, chat_id=chat_id, report_id=stored.id)
        if found is None:  # deleted meanwhile
            return await _unruled(stored, report)
        return found

    bound = await contacts_store.contacts_for(db, chat_id=chat_id)

    async def people(office: OfficeInfo, stored: StoredReport | None) -> list[Contact]:
        """The office's bound contacts (/roster 联系人), else the person who sent the report."""
        return bound.get(office.id, []) or _sender(chat_id, office, stored)

    return _Hooks(states=states, findings=findings, contacts=people)


async def _row(db: Any, office: OfficeInfo, stored: StoredReport | None, year: int, hooks: _Hooks) -> OfficeRow:
    state = hooks.states.get(office.id) or derived_state(stored)
    contacts = await hooks.contacts(office, stored)
    if stored is None:
        return OfficeRow(office=office, year=year, stored=None, state=state, contacts=contacts)
    report = await repo.load_report(db, report_id=stored.id)
    if not report.findings:
        report.findings = await repo.report_findings(db, report_id=stored.id)
    return OfficeRow(office=office, year=year, stored=stored, state=state, contacts=contacts,
                     findings=await hooks.findings(stored, report), report=report)


async def latest_year(db: Any, *, chat_id: int, year: int | None = None) -> int | None:
    """``year`` when given, else the latest year with reports in the chat (``None`` when there are none)."""
    if year is not None:
        return year
    known = await repo.years(db, chat_id=chat_id)
    return max(known) if known else None


async def collect(db: Any, *, chat_id: int, year: int) -> ChatYear:
    """Every office of the chat's roster and every office that reported for ``year``, missing ones first."""
    hooks = await _review_hooks(db, chat_id=chat_id, year=year)
    status = await repo.submission_status(db, chat_id=chat_id, year=year)
    rows = [await _row(db, office, stored, year, hooks) for office, stored in status]
    return ChatYear(chat_id=chat_id, year=year, rows=rows)


async def collect_office(db: Any, *, chat_id: int, office_id: int, year: int | None = None) -> OfficeRow | None:
    """One office's row for ``year`` (``None`` year = its latest report); ``None`` when it has no report."""
    stored = await repo.get_report(db, chat_id=chat_id, office_id=office_id, year=year)
    if stored is None or stored.year is None:
        return None
    hooks = await _review_hooks(db, chat_id=chat_id, year=stored.year)
    return await _row(db, stored.office, stored, stored.year, hooks)


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).replace(tzinfo=None, microsecond=0)


def dismissed_text(row: OfficeRow) -> str:
    """The findings an admin ruled 不是问题: 「T3-05 表3有… —— 理由（张三）」, one per line."""
    lines = []
    for f in row.dismissed:
        assert f.ruling is not None
        who = f"（{f.ruling.user_name}）" if f.ruling.user_name else ""
        lines.append(f"{f.finding.code} {f.finding.message} —— {f.ruling.reason or '未说明理由'}{who}")
    return "\n".join(lines)


def status_lines(data: ChatYear, *, tz: ZoneInfo = DEFAULT_TZ) -> list[StatusLine]:
    """The 报送情况 sheet of the workbook: every office of the year, by kind then name."""

    def key(row: OfficeRow) -> tuple[int, str]:
        kind = OFFICE_KINDS.index(row.office.kind) if row.office.kind in OFFICE_KINDS else len(OFFICE_KINDS)
        return (kind, row.name)

    return [
        StatusLine(
            office=row.name,
            kind=row.office.kind,
            contact="、".join(c.name for c in row.contacts),
            received=_local(row.stored.received_at, tz) if row.stored else None,
            version=row.stored.version if row.stored else None,
            verdict=row.stored.verdict if row.stored else "",
            state=row.state,
            dismissed=dismissed_text(row),
        )
        for row in sorted(data.rows, key=key)
    ]
