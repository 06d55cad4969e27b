"""Several readings of one document, one arbiter: keep, per table, the reading the arithmetic trusts.

A PDF can be read three ways (the grid rebuilt from geometry, PDFium's text layer, pdfplumber's ruled
tables); each is right on some layouts and wrong on others. Every reading becomes a whole
:class:`Report`; the arbiter scores each table of each reading by

* the identities it satisfies and breaks (FORMAT.md §1.6: A1 new + carried = processed + forward and A2
  the result rows per column, A3 the seven columns per row, A4 the 表4 blocks) — a misread cell almost
  always breaks one, while a real arithmetic error of the office shows in every reading alike;
* its coverage (cells with a value: a reading that lost cells scores lower than one that saw them);
* the reader's own error findings for that table (ING-04 short rows, ING-05/07) and the cells it could
  not read or is unsure of (``Value.doubt``: neither counted as filled nor checked).

and keeps the best reading of each table, with that reading's findings for it. ``report.provenance``
records which reading produced each table (JSON ``detail.provenance``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.report import Report
from bot.schema import T3_COLUMNS, T4_BLOCKS, t3_result_rows, t3_row_keys

#: The three tables: Report attribute → where-prefix of its findings.
TABLES: dict[str, str] = {"proactive": "表2", "applications": "表3", "appeals": "表4"}
_TABLE_KEYS = {"proactive": "t2", "applications": "t3", "appeals": "t4"}


@dataclass
class Reading:
    """One candidate reading: its name (for provenance) and the report it gave."""

    name: str
    report: Report


@dataclass(frozen=True)
class Score:
    """How far a reading of one table can be trusted (compared as a tuple, higher is better)."""

    present: bool
    held: int
    broken: int
    filled: int
    reader_errors: int
    doubtful: int = 0

    def key(self) -> tuple[int, int]:
        # a broken identity costs more than a held one earns: two wrong cells that happen to balance
        # one identity still break others; a blank loses its identities (and its coverage) only; a cell
        # the reading could not read or is unsure of (Value.doubt) is neither filled nor checked
        return (int(self.present),
                self.held - 3 * self.broken + self.filled // 10 - 5 * self.reader_errors - self.doubtful // 2)

    @property
    def clean(self) -> bool:
        """Present, no identity broken, nothing lost or in doubt: no other reading can do better."""
        return self.present and self.broken == 0 and self.reader_errors == 0 and self.doubtful == 0


def _num(v) -> float | None:
    return None if v is None else v.checked


def t3_identities(report: Report) -> tuple[int, int, int]:
    """(held, broken, filled cells) of 表3: A1 and A2 per column, A3 per row."""
    apps = report.applications
    if not apps:
        return 0, 0, 0
    held = broken = 0

    def cell(row: str, i: int) -> float | None:
        values = apps.get(row)
        return values[i].checked if values is not None and i < len(values) else None

    def check(total: float | None, parts: list[float | None]) -> None:
        nonlocal held, broken
        if total is None or None in parts:
            return
        if abs(sum(parts) - total) < 1e-6:  # type: ignore[arg-type]
            held += 1
        else:
            broken += 1

    results = t3_result_rows(report.format)
    for i in range(len(T3_COLUMNS)):
        a1 = [cell(r, i) for r in ("new_received", "carried_over", "total_processed", "carried_forward")]
        if None not in a1:
            check(a1[0] + a1[1], [a1[2], a1[3]])  # type: ignore[operator]
        check(cell("total_processed", i), [cell(r, i) for r in results])
    for row in t3_row_keys(report.format):
        if row in apps:
            check(cell(row, 6), [cell(row, i) for i in range(6)])
    filled = sum(1 for values in apps.values() for v in values if v.checked is not None)
    return held, broken, filled


def t4_identities(report: Report) -> tuple[int, int, int]:
    """(held, broken, filled cells) of 表4: A4 per block."""
    appeals = report.appeals
    if not appeals:
        return 0, 0, 0
    held = broken = filled = 0
    for block in T4_BLOCKS:
        cells = appeals.get(block, {})
        values = [_num(cells.get(c)) for c in ("upheld", "corrected", "other", "pending", "total")]
        filled += sum(1 for v in values if v is not None)
        if None in values:
            continue
        if abs(sum(values[:4]) - values[4]) < 1e-6:  # type: ignore[arg-type]
            held += 1
        else:
            broken += 1
    return held, broken, filled


def t2_filled(report: Report) -> tuple[int, int, int]:
    """表2 has no identity; its score is its coverage."""
    if report.proactive is None:
        return 0, 0, 0
    return 0, 0, sum(1 for t, _, _, v in report.cells() if t == "t2" and v.checked is not None)


_CHECKS: dict[str, Callable[[Report], tuple[int, int, int]]] = {
    "proactive": t2_filled,
    "applications": t3_identities,
    "appeals": t4_identities,
}


def _table_findings(report: Report, prefix: str) -> list:
    return [f for f in report.ingest_findings if f.where.startswith(prefix)]


def score(report: Report, table: str) -> Score:
    """The score of one table of one reading."""
    held, broken, filled = _CHECKS[table](report)
    errors = sum(1 for f in _table_findings(report, TABLES[table]) if f.severity == "error")
    key = _TABLE_KEYS[table]
    doubtful = sum(1 for t, _, _, v in report.doubtful_cells() if t == key)
    return Score(getattr(report, table) is not None, held, broken, filled, errors, doubtful)


def is_clean(report: Report) -> bool:
    """Every table present and trusted: a second reading cannot improve this one."""
    return all(score(report, t).clean for t in TABLES)


def _cells(report: Report, table: str) -> dict[tuple[str, str], float]:
    key = _TABLE_KEYS[table]
    return {(r, c): v.value for t, r, c, v in report.cells() if t == key and v.checked is not None}


def _covers(a: Report, b: Report, table: str) -> bool:
    """Whether reading ``a`` saw every cell ``b`` saw, with the same values, and more: ``b`` then only
    looks better because the cells it lost took their identities with them (a real error among them)."""
    ca, cb = _cells(a, table), _cells(b, table)
    return len(ca) > len(cb) and all(ca.get(k) == v for k, v in cb.items())


def _doubt_disagreements(chosen: Report, first: Report, table: str) -> bool:
    """A later reading won this table but still breaks an identity: where it differs from the first
    reading it is only the better guess, so those cells are ``uncertain`` (the validator does not judge
    them; ING-09 asks the user to check). Where the readings agree, a broken identity is the office's."""
    key = _TABLE_KEYS[table]
    other = {(r, c): v.value for t, r, c, v in first.cells() if t == key}
    marked = False
    for t, r, c, v in chosen.cells():
        if t == key and v.value is not None and not v.doubt and other.get((r, c)) != v.value:
            v.doubt = "uncertain"
            marked = True
    return marked


def arbitrate(readings: Iterable[Reading]) -> Report:
    """The first reading's report (title, prose, sections) with each table taken from the best reading.

    Ties go to the earlier reading (the caller lists the most trusted first)."""
    readings = list(readings)
    if not readings:
        raise ValueError("no reading to arbitrate")
    base = readings[0].report
    provenance: dict[str, str] = {}
    doubted = False
    for table, prefix in TABLES.items():
        best = readings[0]
        best_key = score(best.report, table).key()
        for r in readings[1:]:
            k = score(r.report, table).key()
            if k > best_key and not _covers(best.report, r.report, table):
                best, best_key = r, k
        if getattr(best.report, table) is not None:
            provenance[table] = best.name
        if best is readings[0]:
            continue
        chosen = best.report
        if score(chosen, table).broken and _doubt_disagreements(chosen, base, table):
            doubted = True
        setattr(base, table, getattr(chosen, table))
        base.ingest_findings = [f for f in base.ingest_findings if not f.where.startswith(prefix)]
        base.ingest_findings.extend(_table_findings(chosen, prefix))
        if table == "proactive":
            base.proactive_2019 = chosen.proactive_2019
        if table == "applications":
            base.extra_rows, base.missing_rows = chosen.extra_rows, chosen.missing_rows
    base.provenance = provenance
    if doubted:  # ING-09 for the cells now in doubt (the readings' own were made before the arbiter)
        from bot.reading.doubts import doubt_findings

        have = {(f.code, f.where) for f in base.ingest_findings}
        base.ingest_findings += [f for f in doubt_findings(base, {}) if f.code == "ING-09" and (f.code, f.where) not in have]
    return base
