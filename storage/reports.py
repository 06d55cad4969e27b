"""Reports: storing a validated report (versions, duplicates, bulk import), reading it back (current
version, history, findings, cells, one cell across offices) and soft delete / restore.

Tables ``report``, ``report_cell`` and ``report_finding``. "Current" means the latest non-deleted version
of an office's report for a year in a chat.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.engine import Connection

from bot.report import Finding, Report
from storage._access import C, F, O, R, W, _ensure_ws, _read, _write, _ws_id, _year_is
from storage.audit import _audit
from storage.db import Database
from storage.models import utcnow
from storage.offices import (
    _claim_roster_office,
    _create_office,
    _follow_merges,
    _loose_roster,
    _office_info,
    _office_infos,
    _repoint_roster,
    _resolve_alias,
    _resolve_alias_here,
    _resolve_id,
)
from storage.types import OfficeInfo, StoredReport, StoreResult

_REPORT_COLS = [c for c in R.c if c.name != "report_json"]


def _report_query() -> Any:
    return select(*_REPORT_COLS, W.c.chat_id).join(W, W.c.id == R.c.workspace_id)


def _current() -> Any:
    return and_(R.c.is_current.is_(True), R.c.deleted_at.is_(None))



def _stored(
    conn: Connection, rows: list[Any], offices: dict[int, OfficeInfo] | None = None
) -> list[StoredReport]:
    known = offices if offices is not None else {}
    missing = {r.office_id for r in rows} - set(known)
    if missing:
        known.update(_office_infos(conn, missing))
    return [
        StoredReport(
            id=r.id,
            workspace_chat_id=int(r.chat_id),
            office=known[r.office_id],
            year=r.year,
            version=r.version,
            is_current=bool(r.is_current),
            verdict=r.verdict,
            errors=r.errors,
            warnings=r.warnings,
            infos=r.infos,
            filename=r.filename,
            sha256=r.sha256,
            kind=r.kind,
            format=r.format,
            sender_id=r.sender_id,
            sender_name=r.sender_name,
            received_at=r.received_at,
            deleted_at=r.deleted_at,
        )
        for r in rows
    ]


def _one(conn: Connection, query: Any) -> StoredReport | None:
    row = (conn.execute(query.limit(1))).first()
    return None if row is None else (_stored(conn, [row]))[0]


def report_sha256(report: Report) -> str:
    """The file's SHA-256 as the reader recorded it, else a digest of the report JSON."""
    if report.source.sha256:
        return report.source.sha256
    blob = json.dumps(report.to_json(), sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


#: The office of a report that names none, until its sender says which (never the file name: two offices'
#: 001.txt would become versions of one office). One per document: the file name and its digest.
UNNAMED = "未注明单位"


def unnamed_office_name(report: Report) -> str:
    """「未注明单位（037.txt·3fa2c1）」."""
    return f"{UNNAMED}（{Path(report.source.filename).name}·{report_sha256(report)[:6]}）"


def _office_name(report: Report) -> str:
    name = (report.office.name or "").strip() or unnamed_office_name(report)
    return name[:255]  # the column's size; a garbled "name" must not fail the upload


def _num(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


@dataclass
class _Prepared:
    """Everything about one report computed before the transaction (no database needed)."""

    report: Report
    sha: str
    office_name: str
    payload: dict[str, Any]
    cells: list[tuple[str, str, str, float | None, str]]
    findings: list[dict[str, Any]]
    counts: dict[str, int]


def _prepare(report: Report) -> _Prepared:
    cells = [
        (t, r, c, None if v.value is None else float(v.value), v.raw or "") for t, r, c, v in report.cells()
    ]
    findings = [
        {
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "where": f.where,
            "message_en": f.message_en,
            "left": _num(f.left),
            "right": _num(f.right),
            "delta": _num(f.delta),
        }
        for f in report.findings
    ]
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    return _Prepared(
        report,
        report_sha256(report),
        _office_name(report),
        report.to_json(detail=True),
        cells,
        findings,
        counts,
    )


@dataclass
class _Batch:
    """Per-transaction state of a store: caches, and the cell/finding rows written at the end."""

    chat_id: int
    ws: int
    offices: dict[int, OfficeInfo] = field(default_factory=dict)
    office_ids: dict[str, int] = field(default_factory=dict)
    by_sha: dict[str, StoredReport] = field(default_factory=dict)
    cells: list[tuple[int, str, str, str, float | None, str]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    #: After ``prefetch``: SHA-256s already stored in the workspace, and names known not to be canonical.
    stored_shas: set[str] | None = None
    not_canonical: set[str] = field(default_factory=set)
    #: This chat's roster offices typed without a region, by normalised name (loaded on first use).
    loose: dict[str, int] | None = None

    def prefetch(self, conn: Connection, preps: list[_Prepared]) -> None:
        """Look up a whole chunk's duplicates and offices in a few queries instead of a few each."""
        shas = sorted({p.sha for p in preps})
        self.stored_shas = set(
            conn.execute(
                select(R.c.sha256).where(
                    R.c.workspace_id == self.ws, R.c.deleted_at.is_(None), R.c.sha256.in_(shas)
                )
            ).scalars()
        )
        names = sorted({p.office_name.strip() for p in preps})
        for row in conn.execute(select(O.c.id, O.c.name, O.c.merged_into).where(O.c.name.in_(names))):
            self.office_ids[row.name] = row.id if row.merged_into is None else _follow_merges(conn, row.id)
        self.not_canonical = set(names) - set(self.office_ids)
        missing = set(self.office_ids.values()) - set(self.offices)
        if missing:
            self.offices.update(_office_infos(conn, missing))

    def office(self, conn: Connection, prep: _Prepared) -> OfficeInfo:
        office_id = self.office_ids.get(prep.office_name)
        if office_id is None:
            if prep.office_name.strip() in self.not_canonical:
                office_id = _resolve_alias(conn, prep.office_name.strip())
            else:
                office_id = _resolve_id(conn, prep.office_name)
        if office_id is None:  # 「鹿山街道办事处」 when two cities have one: the one this chat holds
            office_id = _resolve_alias_here(conn, self.ws, prep.office_name.strip())
        if self.loose is None:
            self.loose = _loose_roster(conn, self.ws)
        if office_id is None:
            office_id = _claim_roster_office(conn, self.loose, prep.office_name, prep.report.office.short_name,
                                             prep.report.office.kind)
            if office_id is not None:
                self.offices.pop(office_id, None)
        if office_id is None:
            office = prep.report.office
            info = _create_office(conn, prep.office_name, office.short_name, office.kind)
            self.offices[info.id] = info
            office_id = info.id
        self.office_ids[prep.office_name] = office_id
        if office_id not in self.offices:
            self.offices[office_id] = _office_info(conn, office_id)
        if self.loose:
            _repoint_roster(conn, self.ws, self.loose, self.offices[office_id])
        return self.offices[office_id]

    def flush(self, conn: Connection) -> None:
        if self.cells and not _copy_cells(conn, self.cells):
            # Thousands of rows per import: hand plain tuples to the driver's executemany, skipping
            # SQLAlchemy's per-row parameter processing (the slowest part of a bulk import).
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            sql = f'INSERT INTO report_cell (report_id, tbl, "row", col, value, raw) VALUES ({", ".join([mark] * 6)})'
            conn.exec_driver_sql(sql, self.cells)
        if self.findings:
            conn.execute(insert(F), self.findings)
        self.cells, self.findings = [], []


def _versions_query(null_year: bool) -> Any:
    year = R.c.year.is_(None) if null_year else R.c.year == bindparam("year")
    return (
        _report_query()
        .where(R.c.workspace_id == bindparam("ws"), R.c.office_id == bindparam("office"), year)
        .order_by(R.c.version)
    )


# Built once: a bulk import runs these thousands of times (statement building showed in profiles).
_VERSIONS = {False: _versions_query(False), True: _versions_query(True)}
_INSERT_REPORT = insert(R)


def _copy_cells(conn: Connection, rows: list[tuple[int, str, str, str, float | None, str]]) -> bool:
    """PostgreSQL on a sync connection (bulk import): COPY the cells, ~10× faster than executemany.

    Returns False when COPY is not available (SQLite, or the async driver inside ``run_sync``).
    """
    if conn.dialect.name != "postgresql":
        return False
    import psycopg

    raw = conn.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):
        return False
    with raw.cursor() as cur:
        with cur.copy('COPY report_cell (report_id, tbl, "row", col, value, raw) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    return True


def _store_one(
    conn: Connection,
    batch: _Batch,
    prep: _Prepared,
    sender_id: int | None,
    sender_name: str | None,
    file_unique_id: str | None,
) -> StoreResult:
    """Store one prepared report inside the caller's transaction (cells/findings queued on ``batch``)."""
    if prep.sha in batch.by_sha:
        return StoreResult("duplicate", batch.by_sha[prep.sha], None)
    if batch.stored_shas is None or prep.sha in batch.stored_shas:
        dup = _one(
            conn,
            _report_query().where(
                R.c.workspace_id == batch.ws, R.c.sha256 == prep.sha, R.c.deleted_at.is_(None)
            ),
        )
        if dup is not None:
            return StoreResult("duplicate", dup, None)
    office = batch.office(conn, prep)
    report = prep.report
    same = and_(R.c.workspace_id == batch.ws, R.c.office_id == office.id, _year_is(report.year))
    key = {"ws": batch.ws, "office": office.id, "year": report.year}
    versions = list(conn.execute(_VERSIONS[report.year is None], key))
    last = max((r.version for r in versions), default=0)
    current = [r for r in versions if r.is_current]
    previous = None
    live = [r for r in current if r.deleted_at is None]
    if live:
        previous = (_stored(conn, live[-1:], batch.offices))[0]
    if current:
        conn.execute(update(R).where(same, R.c.is_current.is_(True)).values(is_current=False))
    values = {
        "workspace_id": batch.ws,
        "office_id": office.id,
        "year": report.year,
        "version": last + 1,
        "is_current": True,
        "sha256": prep.sha,
        "filename": report.source.filename[:512],
        "kind": (report.source.kind or "")[:16],
        "format": (report.format or "unknown")[:16],
        "verdict": report.verdict,
        "errors": prep.counts["error"],
        "warnings": prep.counts["warning"],
        "infos": prep.counts["info"],
        "sender_id": sender_id,
        "sender_name": sender_name[:255] if sender_name else sender_name,
        "file_unique_id": file_unique_id[:255] if file_unique_id else file_unique_id,
        "received_at": utcnow(),
        "deleted_at": None,
    }
    result = conn.execute(_INSERT_REPORT, {**values, "report_json": prep.payload})
    report_id = int(result.inserted_primary_key[0])
    batch.cells.extend((report_id, *c) for c in prep.cells)
    batch.findings.extend({"report_id": report_id, **f} for f in prep.findings)
    if versions:  # rulings on an earlier version carry over where the same finding recurs (storage.review)
        from storage.review import carry_rulings

        carried = carry_rulings(conn, report_id=report_id, findings=report.findings,
                                earlier_ids=[r.id for r in versions])
        if carried is not None:
            values["verdict"], values["errors"], values["warnings"], values["infos"] = carried
    stored = StoredReport(
        id=report_id,
        workspace_chat_id=batch.chat_id,
        office=office,
        year=values["year"],
        version=values["version"],
        is_current=True,
        verdict=values["verdict"],
        errors=values["errors"],
        warnings=values["warnings"],
        infos=values["infos"],
        filename=values["filename"],
        sha256=prep.sha,
        kind=values["kind"],
        format=values["format"],
        sender_id=sender_id,
        sender_name=values["sender_name"],
        received_at=values["received_at"],
        deleted_at=None,
    )
    batch.by_sha[prep.sha] = stored
    return StoreResult("new_version" if previous else "new", stored, previous)


async def store_report(
    db: Database,
    *,
    chat_id: int,
    report: Report,
    sender_id: int | None = None,
    sender_name: str | None = None,
    file_unique_id: str | None = None,
) -> StoreResult:
    """Store a validated report in the chat's workspace.

    The same file again (same SHA-256 in this chat) → ``duplicate``, nothing written. Another file for
    an office and year that already has a current report → ``new_version`` (the old one is kept as
    history). Otherwise ``new``. Cells and findings go to their own indexed tables in one transaction.
    """
    prep = _prepare(report)

    def run(conn: Connection) -> StoreResult:
        batch = _Batch(chat_id, _ensure_ws(conn, chat_id))
        result = _store_one(conn, batch, prep, sender_id, sender_name, file_unique_id)
        batch.flush(conn)
        return result

    return await _write(db, run)


async def store_reports(
    db: Database,
    *,
    chat_id: int,
    reports: Iterable[Report],
    sender_id: int | None = None,
    sender_name: str | None = None,
    chunk: int = 200,
) -> list[StoreResult]:
    """Bulk import (``nianbao import``, benchmarks): like ``store_report`` for each report, in order.

    Reports are stored ``chunk`` at a time, one transaction per chunk with one batched insert of all
    their cells, so a large import needs few round trips. Duplicates and versions behave exactly as in
    ``store_report``, also between reports of the same call.
    """
    prepared = [_prepare(r) for r in reports]
    results: list[StoreResult] = []
    for start in range(0, len(prepared), max(chunk, 1)):
        part = prepared[start : start + max(chunk, 1)]

        def run(conn: Connection, part: list[_Prepared] = part) -> list[StoreResult]:
            batch = _Batch(chat_id, _ensure_ws(conn, chat_id))
            batch.prefetch(conn, part)
            out = [_store_one(conn, batch, p, sender_id, sender_name, None) for p in part]
            batch.flush(conn)
            return out

        results.extend(await _write(db, run, bulk=True))
    if not db.is_sqlite and len(prepared) >= _ANALYZE_AFTER:
        await db.run_in_thread(_analyze, write=False)
    return results


#: After a bulk import of at least this many reports, refresh PostgreSQL's planner statistics.
_ANALYZE_AFTER = 100


def _analyze(conn: Connection) -> None:
    """ANALYZE the big tables: right after a bulk load PostgreSQL's statistics still say "empty"
    and it would join cells through the (tbl, row, col) index — 50 ms instead of 1 ms per question."""
    for table in ("workspace", "office", "office_alias", "report", "report_cell"):
        conn.exec_driver_sql(f"ANALYZE {table}")


async def previous_report(db: Database, *, chat_id: int, office_name: str, year: int | None) -> Report | None:
    """The current report of ``year - 1`` for the office called ``office_name`` in this chat (XY rules).

    ``year`` is the year of the report being checked; ``None`` when unknown or nothing was stored.
    """
    if year is None:
        return None

    def run(conn: Connection) -> Report | None:
        ws = _ws_id(conn, chat_id)
        office_id = _resolve_id(conn, office_name)
        if ws is None or office_id is None:
            return None
        payload = (
            conn.execute(
                select(R.c.report_json)
                .where(R.c.workspace_id == ws, R.c.office_id == office_id, R.c.year == year - 1, _current())
                .limit(1)
            )
        ).scalar_one_or_none()
        return None if payload is None else Report.from_json(payload)

    return await _read(db, run)


async def get_report(
    db: Database, *, chat_id: int, office_id: int, year: int | None = None
) -> StoredReport | None:
    """The office's current report in this chat for ``year`` (``None``: the latest year)."""

    def run(conn: Connection) -> StoredReport | None:
        q = _report_query().where(W.c.chat_id == chat_id, R.c.office_id == office_id, _current())
        if year is not None:
            q = q.where(R.c.year == year)
        return _one(conn, q.order_by(R.c.year.desc().nulls_last(), R.c.version.desc()))

    return await _read(db, run)


async def report_with_cells(
    db: Database, *, chat_id: int, office_id: int, year: int | None = None
) -> tuple[StoredReport | None, dict[tuple[str, str, str], float | None]]:
    """:func:`get_report` and that report's :func:`report_cells` in one read transaction
    (a question about one office's number needs both; ``(None, {})`` when there is no report)."""

    def run(conn: Connection) -> tuple[StoredReport | None, dict[tuple[str, str, str], float | None]]:
        q = _report_query().where(W.c.chat_id == chat_id, R.c.office_id == office_id, _current())
        if year is not None:
            q = q.where(R.c.year == year)
        stored = _one(conn, q.order_by(R.c.year.desc().nulls_last(), R.c.version.desc()))
        if stored is None:
            return None, {}
        return stored, _cells_of(conn, stored.id)

    return await _read(db, run)


async def load_report(db: Database, *, report_id: int) -> Report:
    """The full stored report (cells with locations, prose, findings). ``LookupError`` when unknown."""

    def run(conn: Connection) -> Report:
        payload = (conn.execute(select(R.c.report_json).where(R.c.id == report_id))).scalar_one_or_none()
        if payload is None:
            raise LookupError(f"report {report_id} not found")
        return Report.from_json(payload)

    return await _read(db, run)


def _order() -> list[Any]:
    return [O.c.name, R.c.year, R.c.version]


async def list_reports(
    db: Database, *, chat_id: int | None, year: int | None = None, include_history: bool = False
) -> list[StoredReport]:
    """Non-deleted reports of the chat (``None``: all chats), current versions only unless asked.

    Sorted by office name, year, version.
    """

    def run(conn: Connection) -> list[StoredReport]:
        q = _report_query().join(O, O.c.id == R.c.office_id).where(R.c.deleted_at.is_(None))
        if chat_id is not None:
            q = q.where(W.c.chat_id == chat_id)
        if year is not None:
            q = q.where(R.c.year == year)
        if not include_history:
            q = q.where(R.c.is_current.is_(True))
        rows = list(conn.execute(q.order_by(*_order(), W.c.chat_id)))
        return _stored(conn, rows)

    return await _read(db, run)


async def report_history(
    db: Database, *, chat_id: int, office_id: int, year: int | None
) -> list[StoredReport]:
    """Every version of the office's report for ``year`` in this chat, oldest first (deleted ones too,
    with ``deleted_at`` set)."""

    def run(conn: Connection) -> list[StoredReport]:
        q = _report_query().where(W.c.chat_id == chat_id, R.c.office_id == office_id, _year_is(year))
        rows = list(conn.execute(q.order_by(R.c.version, R.c.id)))
        return _stored(conn, rows)

    return await _read(db, run)


async def report_findings(db: Database, *, report_id: int) -> list[Finding]:
    """The stored findings of one report, errors first, in stored order within a severity."""
    rank = {"error": 0, "warning": 1, "info": 2}

    def run(conn: Connection) -> list[Finding]:
        rows = conn.execute(select(F).where(F.c.report_id == report_id).order_by(F.c.id))
        out = [
            Finding(
                code=r.code,
                severity=r.severity,
                message=r.message,
                where=r.where,
                message_en=r.message_en,
                left=_int_if_whole(r.left),
                right=_int_if_whole(r.right),
                delta=_int_if_whole(r.delta),
            )
            for r in rows
        ]
        return sorted(out, key=lambda f: rank.get(f.severity, 3))

    return await _read(db, run)


def _int_if_whole(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


async def cell_values(
    db: Database, *, chat_id: int | None, year: int, table: str, row: str, col: str
) -> list[tuple[StoredReport, float | None]]:
    """One cell across the current reports of ``year`` in the chat (``None``: all chats).

    Every current report appears; the value is ``None`` when that cell is blank or its table absent.
    Sorted by office name.
    """

    def run(conn: Connection) -> list[tuple[StoredReport, float | None]]:
        cell = C.alias("c")
        q = (
            select(*_REPORT_COLS, W.c.chat_id, cell.c.value)
            .join(W, W.c.id == R.c.workspace_id)
            .join(O, O.c.id == R.c.office_id)
            .outerjoin(
                cell,
                and_(cell.c.report_id == R.c.id, cell.c.tbl == table, cell.c.row == row, cell.c.col == col),
            )
            .where(R.c.year == year, _current())
            .order_by(O.c.name, W.c.chat_id)
        )
        if chat_id is not None:
            q = q.where(W.c.chat_id == chat_id)
        rows = list(conn.execute(q))
        stored = _stored(conn, rows)
        return [(s, r.value) for s, r in zip(stored, rows, strict=True)]

    return await _read(db, run)


async def report_cells(db: Database, *, report_id: int) -> dict[tuple[str, str, str], float | None]:
    """Every cell of one report: ``{(table, row, col): value}`` (``None`` = blank)."""

    def run(conn: Connection) -> dict[tuple[str, str, str], float | None]:
        return _cells_of(conn, report_id)

    return await _read(db, run)


def _cells_of(conn: Connection, report_id: int) -> dict[tuple[str, str, str], float | None]:
    rows = conn.execute(
        select(C.c.tbl, C.c.row, C.c.col, C.c.value).where(C.c.report_id == report_id).order_by(C.c.id)
    )
    return {(t, r, c): v for t, r, c, v in rows}


async def years(db: Database, *, chat_id: int | None) -> list[int]:
    """Years with at least one current report in the chat (``None``: any chat), ascending."""

    def run(conn: Connection) -> list[int]:
        q = select(R.c.year).join(W, W.c.id == R.c.workspace_id).where(_current(), R.c.year.is_not(None))
        if chat_id is not None:
            q = q.where(W.c.chat_id == chat_id)
        return sorted({int(y) for y in (conn.execute(q.distinct())).scalars()})

    return await _read(db, run)


async def delete_report(
    db: Database, *, chat_id: int, office_id: int, year: int | None, user_id: int | None,
    unknown_year: bool = False,
) -> int:
    """Soft-delete the office's current report for ``year`` (``None``: every year; ``unknown_year``: the
    ones without a year); returns how many.

    Older versions stay as history; ``restore_report`` undoes it.
    """

    def run(conn: Connection) -> int:
        ws = _ws_id(conn, chat_id)
        if ws is None:
            return 0
        cond = [R.c.workspace_id == ws, R.c.office_id == office_id, _current()]
        if year is not None or unknown_year:  # unknown_year: only the reports whose year could not be read
            cond.append(_year_is(None if unknown_year else year))
        result = conn.execute(update(R).where(*cond).values(deleted_at=utcnow(), deleted_by=user_id))
        count = result.rowcount or 0
        if count:
            _audit(conn, ws, user_id, "delete_report", f"office={office_id} year={year} count={count}")
        return count

    return await _write(db, run)


async def restore_report(
    db: Database, *, chat_id: int, office_id: int, year: int | None, user_id: int | None,
    unknown_year: bool = False,
) -> int:
    """Undo soft deletes of the office's reports for ``year`` (``None``: every year); returns how many.

    If no version is current afterwards, the newest restored one becomes current again. A deleted
    file that was sent again meanwhile is left deleted (the new copy already stands for it).
    """

    def run(conn: Connection) -> int:
        ws = _ws_id(conn, chat_id)
        if ws is None:
            return 0
        cond = [R.c.workspace_id == ws, R.c.office_id == office_id, R.c.deleted_at.is_not(None)]
        if year is not None or unknown_year:  # unknown_year: only the reports whose year could not be read
            cond.append(_year_is(None if unknown_year else year))
        rows = list(conn.execute(select(R.c.id, R.c.year, R.c.sha256).where(*cond).order_by(R.c.version)))
        live = set(
            (
                conn.execute(select(R.c.sha256).where(R.c.workspace_id == ws, R.c.deleted_at.is_(None)))
            ).scalars()
        )
        restored = [r for r in rows if r.sha256 not in live]
        if not restored:
            return 0
        conn.execute(
            update(R).where(R.c.id.in_([r.id for r in restored])).values(deleted_at=None, deleted_by=None)
        )
        for yr in {r.year for r in restored}:
            same = and_(R.c.workspace_id == ws, R.c.office_id == office_id, _year_is(yr))
            currents = list((conn.execute(select(R.c.id).where(same, R.c.is_current.is_(True)))).scalars())
            if not currents:
                newest = (
                    conn.execute(
                        select(R.c.id)
                        .where(same, R.c.deleted_at.is_(None))
                        .order_by(R.c.version.desc())
                        .limit(1)
                    )
                ).scalar_one()
                conn.execute(update(R).where(R.c.id == newest).values(is_current=True))
        _audit(conn, ws, user_id, "restore_report", f"office={office_id} year={year} count={len(restored)}")
        return len(restored)

    return await _write(db, run)
