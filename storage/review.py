"""Rulings on findings and the 整改 state of each office's report (issue 21; table ``ruling``, migration 0005_review).

An admin rules on a finding of the chat's current report version: ``confirmed`` (确认, the office must fix
it) or ``dismissed`` (不是问题, with a reason). Design decisions (docs/STORAGE.md "Rulings"):

* **Original findings are kept.** ``report_finding`` and ``report.report_json`` never change; a ruling is
  its own row keyed by the finding's fingerprint (:mod:`bot.review.fingerprint`).
* **The effective counts are stored.** In the same transaction as the ruling, the report row's
  ``verdict``/``errors``/``warnings`` are recomputed without the dismissed findings, so every reader of
  ``StoredReport`` (answers, /errors, /summary, reminders, exports) sees the effective verdict with no
  change of its own.
* **Rulings carry over.** When a new version of the same office's report (same chat, office, year) is
  stored, :func:`carry_rulings` copies the latest ruling of every fingerprint that recurs, inside the
  store transaction, and the new row's counts are effective from the start.
* **Checked here, not trusted from the button.** :func:`rule_finding` takes the chat, and refuses a report
  of another chat, a deleted or superseded version, a fingerprint the report does not have, an unknown
  decision and a reason over :data:`MAX_REASON` characters — nothing is written then. Every ruling is
  written to the audit log in the same transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.report import Finding
from bot.review import ReviewState, VersionFindings, effective_counts, fingerprints, review_state
from bot.review.states import CONFIRMED, DISMISSED, RULABLE
from storage.db import Database
from storage.models import AuditRow, OfficeRow, ReportFinding, ReportRow, RulingRow, Workspace, utcnow
from storage.types import OfficeReview, ReportReview, ReviewedFinding, Ruling

log = logging.getLogger(__name__)

W = Workspace.__table__
R = ReportRow.__table__
F = ReportFinding.__table__
RU = RulingRow.__table__
O = OfficeRow.__table__  # noqa: E741
AU = AuditRow.__table__

#: The longest reason a ruling may carry (characters).
MAX_REASON = 500
DECISIONS = (CONFIRMED, DISMISSED)
#: How the audit log and lists name a decision.
DECISION_LABEL = {CONFIRMED: "确认", DISMISSED: "不是问题"}


class RulingRefused(ValueError):
    """A ruling that was not written. ``reason``: ``not_found`` (another chat's or no such report),
    ``deleted``, ``old_version``, ``no_finding``, ``too_long``, ``bad_decision``, ``no_reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- pure-ish helpers on a connection ----------------------------------------------------------------


def _ruling(row: Any) -> Ruling:
    return Ruling(
        id=row.id,
        report_id=row.report_id,
        fingerprint=row.fingerprint,
        decision=row.decision,
        reason=row.reason,
        user_id=row.user_id,
        user_name=row.user_name,
        at=row.at,
        carried=row.carried_from is not None,
    )


def _whole(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def _finding(row: Any) -> Finding:
    return Finding(code=row.code, severity=row.severity, message=row.message, where=row.where,
                   message_en=row.message_en, left=_whole(row.left), right=_whole(row.right),
                   delta=_whole(row.delta))


def _findings_of(conn: Connection, report_ids: Sequence[int]) -> dict[int, list[tuple[str, str, Any]]]:
    """report id → [(fingerprint, severity, row)] in stored order."""
    rows: dict[int, list[Any]] = {rid: [] for rid in report_ids}
    if report_ids:
        for row in conn.execute(select(F).where(F.c.report_id.in_(list(report_ids))).order_by(F.c.id)):
            rows[row.report_id].append(row)
    return {rid: [(fp, r.severity, r) for fp, r in zip(fingerprints(found), found, strict=True)]
            for rid, found in rows.items()}


def _rulings_of(conn: Connection, report_ids: Sequence[int]) -> dict[int, dict[str, Ruling]]:
    out: dict[int, dict[str, Ruling]] = {rid: {} for rid in report_ids}
    if report_ids:
        for row in conn.execute(select(RU).where(RU.c.report_id.in_(list(report_ids)))):
            out[row.report_id][row.fingerprint] = _ruling(row)
    return out


def _apply_counts(conn: Connection, report_id: int, findings: list[tuple[str, str]],
                  rulings: dict[str, Ruling]) -> tuple[str, int, int, int]:
    dismissed = {fp for fp, r in rulings.items() if r.decision == DISMISSED}
    verdict, errors, warnings, infos = effective_counts(findings, dismissed)
    conn.execute(update(R).where(R.c.id == report_id)
                 .values(verdict=verdict, errors=errors, warnings=warnings, infos=infos))
    return verdict, errors, warnings, infos


def carry_rulings(conn: Connection, *, report_id: int, findings: Iterable[Any], earlier_ids: Sequence[int]
                  ) -> tuple[str, int, int, int] | None:
    """Inside ``store_report``'s transaction: copy to the new version ``report_id`` the latest ruling of
    each of its findings' fingerprints made on ``earlier_ids`` (the same office's earlier versions of the
    year in this chat), and store the effective counts.

    Returns the new (verdict, errors, warnings, infos) when a ruling was carried, else None (no write).
    """
    if not earlier_ids:
        return None
    found = list(findings)
    fps = fingerprints(found)
    pairs = [(fp, f.severity) for fp, f in zip(fps, found, strict=True)]
    rulable = {fp for fp, sev in pairs if sev in RULABLE}
    if not rulable:
        return None
    latest: dict[str, Any] = {}
    q = (select(RU).where(RU.c.report_id.in_(list(earlier_ids)), RU.c.fingerprint.in_(sorted(rulable)))
         .order_by(RU.c.at, RU.c.id))
    for row in conn.execute(q):
        latest[row.fingerprint] = row  # the newest ruling of a fingerprint wins
    if not latest:
        return None
    for fp, row in latest.items():
        conn.execute(insert(RU).values(
            workspace_id=row.workspace_id, report_id=report_id, fingerprint=fp, decision=row.decision,
            reason=row.reason, user_id=row.user_id, user_name=row.user_name,
            carried_from=row.carried_from or row.id, at=row.at))
    dismissed = {fp for fp, row in latest.items() if row.decision == DISMISSED}
    counts = effective_counts(pairs, dismissed)
    conn.execute(update(R).where(R.c.id == report_id).values(
        verdict=counts[0], errors=counts[1], warnings=counts[2], infos=counts[3]))
    return counts


# -- public API ---------------------------------------------------------------------------------------


async def rule_finding(
    db: Database,
    *,
    chat_id: int,
    report_id: int,
    fingerprint: str,
    decision: str,
    reason: str = "",
    user_id: int | None = None,
    user_name: str = "",
) -> Ruling:
    """Confirm or dismiss one finding of the chat's current report version; audited; one transaction.

    Ruling the same finding again replaces the ruling (a new reason, or the other decision). Raises
    :class:`RulingRefused` — and writes nothing — for a report of another chat, a deleted or superseded
    version, an unknown fingerprint, an unknown decision, a dismissal without a reason or a reason over
    :data:`MAX_REASON` characters.
    """
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise RulingRefused("bad_decision")
    if len(reason) > MAX_REASON:
        raise RulingRefused("too_long")
    if decision == DISMISSED and not reason:
        raise RulingRefused("no_reason")
    user_name = (user_name or "")[:255]

    def run(conn: Connection) -> Ruling:
        row = conn.execute(
            select(R.c.id, R.c.workspace_id, R.c.is_current, R.c.deleted_at, R.c.year, R.c.version, O.c.name)
            .join(W, W.c.id == R.c.workspace_id).join(O, O.c.id == R.c.office_id)
            .where(R.c.id == report_id, W.c.chat_id == chat_id)
        ).first()
        if row is None:
            raise RulingRefused("not_found")
        if row.deleted_at is not None:
            raise RulingRefused("deleted")
        if not row.is_current:
            raise RulingRefused("old_version")
        findings = _findings_of(conn, [report_id])[report_id]
        match = next((f for f in findings if f[0] == fingerprint and f[1] in RULABLE), None)
        if match is None:
            raise RulingRefused("no_finding")
        conn.execute(delete(RU).where(RU.c.report_id == report_id, RU.c.fingerprint == fingerprint))
        now = utcnow()
        new_id = conn.execute(insert(RU).values(
            workspace_id=row.workspace_id, report_id=report_id, fingerprint=fingerprint, decision=decision,
            reason=reason, user_id=user_id, user_name=user_name, carried_from=None, at=now,
        )).inserted_primary_key[0]
        rulings = _rulings_of(conn, [report_id])[report_id]
        _apply_counts(conn, report_id, [(fp, sev) for fp, sev, _ in findings], rulings)
        finding = match[2]
        where = f" {finding.where}" if finding.where else ""
        year = f"{row.year}年度" if row.year else "年份不明"
        detail = (f"{row.name} {year} 第{row.version}版 {finding.code}{where} → {DECISION_LABEL[decision]}"
                  + (f"：{reason}" if reason else "") + f"（{user_name or user_id}，R{report_id}）")
        conn.execute(insert(AU).values(workspace_id=row.workspace_id, user_id=user_id, action="rule",
                                       detail=detail, at=now))
        return rulings.get(fingerprint) or Ruling(int(new_id), report_id, fingerprint, decision, reason,
                                                  user_id, user_name, now)

    for attempt in range(1, 5):
        try:
            return await db.run(run, write=True)
        except IntegrityError:  # two admins ruled the same finding at the same moment: the later one wins
            if attempt == 4:
                raise
            await asyncio.sleep(0.01 * attempt)
    raise AssertionError("unreachable")


async def rulings_for_report(db: Database, *, report_id: int) -> dict[str, Ruling]:
    """fingerprint → ruling for one report version (carried ones included)."""
    return await db.run(lambda conn: _rulings_of(conn, [report_id])[report_id])


async def report_review(db: Database, *, chat_id: int, report_id: int) -> ReportReview | None:
    """The report with its findings (errors, warnings, infos; stored order within each), their
    fingerprints and rulings; None when the report is not this chat's or is deleted."""
    rank = {"error": 0, "warning": 1, "info": 2}

    def run(conn: Connection) -> ReportReview | None:
        row = conn.execute(
            select(R.c.deleted_at, R.c.year, R.c.version, R.c.is_current, R.c.verdict, O.c.name, O.c.short_name)
            .join(W, W.c.id == R.c.workspace_id).join(O, O.c.id == R.c.office_id)
            .where(R.c.id == report_id, W.c.chat_id == chat_id)).first()
        if row is None or row.deleted_at is not None:
            return None
        rulings = _rulings_of(conn, [report_id])[report_id]
        found = [ReviewedFinding(_finding(r), fp, rulings.get(fp) if sev in RULABLE else None)
                 for fp, sev, r in _findings_of(conn, [report_id])[report_id]]
        found.sort(key=lambda f: rank.get(f.finding.severity, 3))
        return ReportReview(report_id, row.name, row.short_name or "", row.year, row.version,
                            bool(row.is_current), row.verdict, found)

    return await db.run(run)


async def reviewed_findings(db: Database, *, chat_id: int, report_id: int) -> list[ReviewedFinding] | None:
    """Just the findings of :func:`report_review` (None when the report is not this chat's or deleted)."""
    found = await report_review(db, chat_id=chat_id, report_id=report_id)
    return None if found is None else found.findings


async def rulings_for_reports(db: Database, *, report_ids: Sequence[int]) -> dict[int, dict[str, Ruling]]:
    """:func:`rulings_for_report` for many reports in one query."""
    ids = list(report_ids)
    return await db.run(lambda conn: _rulings_of(conn, ids))


async def dismissed_fingerprints(db: Database, *, report_ids: Sequence[int]) -> dict[int, set[str]]:
    """report id → fingerprints dismissed as 不是问题 (to leave out of lists and counts)."""
    rulings = await rulings_for_reports(db, report_ids=report_ids)
    return {rid: {fp for fp, r in found.items() if r.dismissed} for rid, found in rulings.items()}


async def review_status(db: Database, *, chat_id: int, year: int | None) -> list[OfficeReview]:
    """Every office with a current report for ``year`` in this chat, with its 整改 state and counts,
    sorted by office name. The state comes from all (non-deleted) versions of that office-year.
    ``year=None`` means the reports whose year could not be read (「年份不明」), not every year."""
    from storage import repo  # the facade: StoredReport with its OfficeInfo

    # list_reports reads year=None as "every year"; here None is the reports whose year is unknown
    current = [s for s in await repo.list_reports(db, chat_id=chat_id, year=year) if s.year == year]
    if not current:
        return []

    def run(conn: Connection) -> dict[int, list[int]]:
        q = (select(R.c.id, R.c.office_id).join(W, W.c.id == R.c.workspace_id)
             .where(W.c.chat_id == chat_id, R.c.deleted_at.is_(None),
                    R.c.office_id.in_([s.office.id for s in current]),
                    R.c.year.is_(None) if year is None else R.c.year == year)
             .order_by(R.c.version, R.c.id))
        versions: dict[int, list[int]] = {}
        for row in conn.execute(q):
            versions.setdefault(row.office_id, []).append(row.id)
        return versions

    def gather(conn: Connection) -> tuple[dict[int, list[int]], dict[int, list[tuple[str, str, Any]]],
                                          dict[int, dict[str, Ruling]]]:
        versions = run(conn)
        ids = [rid for ids in versions.values() for rid in ids]
        return versions, _findings_of(conn, ids), _rulings_of(conn, ids)

    versions, findings, rulings = await db.run(gather)
    out = []
    for stored in current:
        ids = [rid for rid in versions.get(stored.office.id, []) if rid <= stored.id] or [stored.id]
        history = [VersionFindings([(fp, sev) for fp, sev, _ in findings.get(rid, [])],
                                   {fp: r.decision for fp, r in rulings.get(rid, {}).items()}) for rid in ids]
        now = history[-1]
        rulable = [fp for fp, sev in now.findings if sev in RULABLE]
        out.append(OfficeReview(
            office=stored.office,
            report_id=stored.id,
            year=stored.year,
            version=stored.version,
            state=review_state(history),
            confirmed=len(now.confirmed()),
            dismissed=sum(1 for fp in rulable if now.rulings.get(fp) == DISMISSED),
            unruled=len(now.unruled()),
        ))
    return out


async def review_states(db: Database, *, chat_id: int, year: int | None) -> dict[int, ReviewState]:
    """office id → 整改 state of its current report for ``year`` in this chat."""
    return {r.office.id: ReviewState(r.state) for r in await review_status(db, chat_id=chat_id, year=year)}


__all__ = [
    "DECISIONS",
    "DECISION_LABEL",
    "MAX_REASON",
    "RulingRefused",
    "carry_rulings",
    "dismissed_fingerprints",
    "report_review",
    "review_states",
    "reviewed_findings",
    "review_status",
    "rule_finding",
    "rulings_for_report",
    "rulings_for_reports",
]
