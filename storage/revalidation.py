"""Storing a stored report's new validation: its findings, verdict and counts replaced in place.

A report is validated once on upload. When what the rules depend on changes afterwards — an unnamed report
is named, so its office (kind) and last year's report of that office become known — it is validated again
and the result replaces the old one *in the same row*: it is the same file, not a new version, so its id,
version, sender and time stay. Tables ``report`` and ``report_finding``. Rulings on the report
(:mod:`storage.review`) are keyed by the finding's fingerprint: they stay, and a dismissed finding that
recurs still does not count.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, update
from sqlalchemy.engine import Connection

from bot.report import Report
from bot.review import fingerprints
from storage._access import F, R, _write
from storage.db import Database
from storage.reports import _one, _prepare, _report_query
from storage.review import _apply_counts, _rulings_of
from storage.types import StoredReport


async def replace_validation(db: Database, *, report_id: int, report: Report) -> StoredReport:
    """Replace report ``report_id``'s findings, verdict, counts and stored JSON with ``report``'s.

    The cells are left as they are (re-validation does not re-read the file). ``LookupError`` when the
    report does not exist."""
    prep = _prepare(report)

    def run(conn: Connection) -> StoredReport:
        done = conn.execute(
            update(R)
            .where(R.c.id == report_id)
            .values(
                verdict=report.verdict,
                errors=prep.counts["error"],
                warnings=prep.counts["warning"],
                infos=prep.counts["info"],
                report_json=prep.payload,
            )
        )
        if not done.rowcount:
            raise LookupError(f"report {report_id} not found")
        conn.execute(delete(F).where(F.c.report_id == report_id))
        if prep.findings:
            conn.execute(insert(F), [{"report_id": report_id, **f} for f in prep.findings])
        rulings = _rulings_of(conn, [report_id])[report_id]
        if rulings:  # the effective counts, as storage.review keeps them
            found = report.findings
            _apply_counts(conn, report_id, [(fp, f.severity) for fp, f in zip(fingerprints(found), found, strict=True)],
                          rulings)
        stored = _one(conn, _report_query().where(R.c.id == report_id))
        assert stored is not None
        return stored

    return await _write(db, run)
