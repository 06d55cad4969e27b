"""One structured annual report, as the reader produces it and everything else consumes it.

A report keeps, for every number, where it came from (``Value.where``), because a finding in a chat
must point at the cell the office has to fix. A blank cell is ``Value(None)``; an absent table is
``None`` — never 0 (CONTRACT.md). ``to_json``/``from_json`` give exactly the JSON of CONTRACT.md, plus
an optional ``detail`` object that round-trips the locations and prose for storage.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from bot.schema import (
    T2_DOC_COLUMNS,
    T2_DOC_ROWS,
    T2_SINGLE,
    T3_COLUMNS,
    T4_BLOCKS,
    T4_COLUMNS,
    t3_row_keys,
)

Number = int | float


@dataclass
class Value:
    """One table cell: its number (``None`` when blank or unreadable), raw text and location.

    ``raw`` is the text as found (``""`` for a blank cell, ``"/"``, ``"1.5"``, ``"251000元"`` …) so the
    validator can tell a blank from a slash or a unit typed into the cell.
    """

    value: Number | None
    raw: str = ""
    where: str = ""
    #: How sure the reader is: ``""`` read as printed; ``"unread"`` the table is there but this cell could
    #: not be read (``value`` is None, and that is NOT a blank the office left); ``"uncertain"`` the best
    #: reading, but another reading of the same text fits the identities as well. Rules on blanks and on
    #: arithmetic skip doubtful cells: a reading gap is never reported as the office's error.
    doubt: str = ""
    #: The recogniser's confidence in this cell, 0–1, for cells read from pixels (OCR); ``None`` when the
    #: file carried the text itself (docx, text PDF, OFD …). Evidence only: bot/validation/uncertain.py
    #: turns it into ``doubt`` before the rules run, so rules look at ``doubt`` alone.
    confidence: float | None = None

    @property
    def blank(self) -> bool:
        """True when the cell holds no number at all (EMPTY is not 0)."""
        return self.value is None

    @property
    def checked(self) -> Number | None:
        """The number for arithmetic checks: ``None`` when blank or when the reading is in doubt."""
        return None if self.doubt else self.value


@dataclass
class ProseNumber:
    """A number the prose states, e.g. kind ``received`` for 「收到政府信息公开申请3件」.

    Kinds: ``received`` (申请/收到/新收 N 件), ``processed`` (办结/答复 N 件), ``carried_forward`` (结转
    N 件), ``review`` (行政复议 N 件), ``litigation`` (行政诉讼 N 件), ``published`` (主动公开信息 N 条),
    ``normative_issued`` (制发规范性文件 N 件), ``granted`` (予以公开 N 件) … and the zero claims
    ``none_received`` (「未收到…申请」, value 0), ``all_processed`` (「全部办结」), ``all_upheld``
    (「均获维持」/「零败诉」, value 0 corrections), ``percent`` (value in %, with ``what``).
    """

    kind: str
    value: Number
    text: str
    where: str = ""
    what: str = ""
    #: Whose number it is: "" (not said: the office's total for the report year), ``natural``
    #: (自然人/公民), ``legal`` (法人或其他组织), ``year:2024`` (another year named in the sentence),
    #: ``prev`` (上年/去年), ``other`` (applications made to another office), ``part`` (「其中通过网上…」:
    #: part of the total by channel or kind). Rules compare a number
    #: only with the table cells of its subject (「收到公民申请2件；未收到法人或其他组织申请」).
    who: str = ""


@dataclass
class Heading:
    """A top-level section heading as printed: its numeral (「一」「5」) and text, with the line number."""

    numeral: str
    title: str
    canonical: str | None
    line: int


@dataclass
class Finding:
    """One validation result (RULES.md §6): stable code, severity, message and where it points.

    ``left``/``right``/``delta`` carry the numbers of an arithmetic check so a reply can show them.
    """

    code: str
    severity: str  # "error" | "warning" | "info"
    message: str
    where: str = ""
    message_en: str = ""
    left: Number | None = None
    right: Number | None = None
    delta: Number | None = None

    def to_json(self) -> dict[str, Any]:
        """The CONTRACT.md finding object (extra keys allowed)."""
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "where": self.where,
        }
        if self.message_en:
            data["message_en"] = self.message_en
        for key in ("left", "right", "delta"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """Inverse of :meth:`to_json`."""
        return cls(
            code=data["code"],
            severity=data["severity"],
            message=data.get("message", ""),
            where=data.get("where", ""),
            message_en=data.get("message_en", ""),
            left=data.get("left"),
            right=data.get("right"),
            delta=data.get("delta"),
        )


@dataclass
class Source:
    """The file a report came from."""

    filename: str
    sha256: str = ""
    kind: str = ""  # txt | docx | pdf | html | doc | wps | zip member kinds

    @staticmethod
    def digest(data: bytes) -> str:
        """SHA-256 hex digest of file bytes (duplicate detection)."""
        return hashlib.sha256(data).hexdigest()


@dataclass
class Office:
    """The reporting office: full name, the short name a person types, and its kind."""

    name: str = ""
    short_name: str = ""
    kind: str = "其他"  # 街道 | 乡镇 | 区县政府 | 部门 | 其他


def _empty_t2() -> dict[str, Any]:
    return {
        "regulations": {c: Value(None) for c in T2_DOC_COLUMNS},
        "normative_documents": {c: Value(None) for c in T2_DOC_COLUMNS},
        **{k: Value(None) for k in T2_SINGLE},
    }


@dataclass
class Report:
    """A parsed annual report. Tables are ``None`` when absent from the document.

    * ``proactive``: 表2 as ``{"regulations": {"issued": Value, …}, "normative_documents": {…},
      "licensing": Value, "penalty": Value, "enforcement": Value, "fees_10k_yuan": Value}``.
    * ``applications``: 表3 as ``{row_key: [Value × 7]}`` over ``t3_row_keys(format)``.
    * ``appeals``: 表4 as ``{block: {column: Value}}``.
    * ``ingest_findings``: what the reader itself noticed (ING-04/05/06/07, FMT-05, STR-06 …); the
      validator merges them into ``findings``.
    """

    source: Source
    office: Office = field(default_factory=Office)
    year: int | None = None
    format: str = "unknown"
    format_evidence: list[str] = field(default_factory=list)
    title: str = ""
    sections: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    section_text: dict[str, str] = field(default_factory=dict)
    text: str = ""
    #: Where the report itself lies in ``text`` (character offsets; end ``None`` = to the end): a saved
    #: web page carries navigation, attachment names and footers around it, which are not report text.
    body_start: int = 0
    body_end: int | None = None
    proactive: dict[str, Any] | None = None
    applications: dict[str, list[Value]] | None = None
    appeals: dict[str, dict[str, Value]] | None = None
    #: 2019-format extra 表2 blocks kept verbatim (上一年项目数量/本年增减/处理决定数量, 政府集中采购).
    proactive_2019: dict[str, list[Value]] | None = None
    prose: list[ProseNumber] = field(default_factory=list)
    #: Non-standard or unrecognised table rows (labels as found), for STR-05/STR-06.
    extra_rows: list[str] = field(default_factory=list)
    missing_rows: list[str] = field(default_factory=list)
    ingest_findings: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Which reading produced each table (``{"applications": "pdf-grid", …}``), when a file was read
    #: several ways (bot/reading/arbiter.py); JSON ``detail.provenance``.
    provenance: dict[str, str] = field(default_factory=dict)

    # -- convenient accessors ------------------------------------------------------------------

    @property
    def body(self) -> str:
        """The report's own text, without the page furniture around it (``body_start``/``body_end``)."""
        return self.text[self.body_start : self.body_end]

    def t3(self, row: str, col: str = "total") -> Number | None:
        """A 表3 cell value, ``None`` when the table, row or cell is missing/blank."""
        if not self.applications or row not in self.applications:
            return None
        values = self.applications[row]
        index = T3_COLUMNS.index(col)
        return values[index].value if index < len(values) else None

    def t4(self, block: str, col: str = "total") -> Number | None:
        """A 表4 cell value, ``None`` when missing/blank."""
        if not self.appeals or block not in self.appeals:
            return None
        cell = self.appeals[block].get(col)
        return cell.value if cell is not None else None

    def t2(self, row: str, col: str = "value") -> Number | None:
        """A 表2 cell value; single cells (licensing, penalty, …) use ``col="value"``."""
        if not self.proactive or row not in self.proactive:
            return None
        cell = self.proactive[row]
        if isinstance(cell, dict):
            cell = cell.get(col)
        return cell.value if cell is not None else None

    def doubtful_cells(self) -> list[tuple[str, str, str, Value]]:
        """Cells the reader could not read (``unread``) or is unsure of (``uncertain``)."""
        return [c for c in self.cells() if c[3].doubt]

    def cells(self) -> list[tuple[str, str, str, Value]]:
        """Every table cell as (table, row, column, Value), in storage order."""
        out: list[tuple[str, str, str, Value]] = []
        if self.proactive is not None:
            for row in T2_DOC_ROWS:
                for col in T2_DOC_COLUMNS:
                    out.append(("t2", row, col, self.proactive[row][col]))
            for row in T2_SINGLE:
                out.append(("t2", row, "value", self.proactive[row]))
        if self.applications is not None:
            for row in t3_row_keys(self.format):
                values = self.applications.get(row)
                if values is None:
                    continue
                # a row the reader could not complete is padded with blanks, never shifted
                for i, col in enumerate(T3_COLUMNS):
                    out.append(("t3", row, col, values[i] if i < len(values) else Value(None)))
        if self.appeals is not None:
            for block in T4_BLOCKS:
                for col in T4_COLUMNS:
                    out.append(("t4", block, col, self.appeals.get(block, {}).get(col) or Value(None)))
        return out

    @property
    def verdict(self) -> str:
        """通过 / 有警告 / 有错误 from ``findings`` (info does not count)."""
        severities = {f.severity for f in self.findings}
        if "error" in severities:
            return "有错误"
        if "warning" in severities:
            return "有警告"
        return "通过"

    # -- JSON ------------------------------------------------------------------------------------

    def to_json(self, *, detail: bool = False) -> dict[str, Any]:
        """The CONTRACT.md report object; ``detail=True`` adds a ``detail`` key for round-tripping."""
        data: dict[str, Any] = {
            "source": {
                "filename": self.source.filename,
                "sha256": self.source.sha256,
                "kind": self.source.kind,
            },
            "office": {
                "name": self.office.name,
                "short_name": self.office.short_name,
                "kind": self.office.kind,
            },
            "year": self.year,
            "format": self.format,
            "format_evidence": self.format_evidence,
            "sections": self.sections,
            "proactive": _proactive_json(self.proactive),
            "applications": _applications_json(self.applications, self.format),
            "appeals": _appeals_json(self.appeals),
            "prose": [
                {"kind": p.kind, "value": p.value, "text": p.text, "where": p.where, "what": p.what}
                | ({"who": p.who} if p.who else {})
                for p in self.prose
            ],
            "findings": [f.to_json() for f in self.findings],
            "verdict": self.verdict,
        }
        if detail:
            data["detail"] = {
                "title": self.title,
                "text": self.text,
                "body": [self.body_start, self.body_end],
                "section_text": self.section_text,
                "headings": [
                    {"numeral": h.numeral, "title": h.title, "canonical": h.canonical, "line": h.line}
                    for h in self.headings
                ],
                "cells": [
                    [table, row, col, v.raw, v.where] for table, row, col, v in self.cells()
                ],
                "proactive_2019": (
                    {
                        k: [[v.value, v.raw, v.where] for v in vals]
                        for k, vals in self.proactive_2019.items()
                    }
                    if self.proactive_2019 is not None
                    else None
                ),
                "doubts": [[table, row, col, v.doubt] for table, row, col, v in self.cells() if v.doubt],
                # OCR's evidence per cell (0–1): kept so a stored report is re-validated the same way
                "confidence": [
                    [table, row, col, v.confidence] for table, row, col, v in self.cells() if v.confidence is not None
                ],
                "extra_rows": self.extra_rows,
                "missing_rows": self.missing_rows,
                "ingest_findings": [f.to_json() for f in self.ingest_findings],
                "provenance": self.provenance,
            }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """Rebuild a report from :meth:`to_json` output (with or without ``detail``)."""
        src = data.get("source") or {}
        off = data.get("office") or {}
        fmt = data.get("format") or "unknown"
        report = cls(
            source=Source(src.get("filename", ""), src.get("sha256", ""), src.get("kind", "")),
            office=Office(off.get("name", ""), off.get("short_name", ""), off.get("kind", "其他")),
            year=data.get("year"),
            format=fmt,
            format_evidence=list(data.get("format_evidence") or []),
            sections=list(data.get("sections") or []),
        )
        proactive = data.get("proactive")
        if proactive is not None:
            t2 = _empty_t2()
            for row in T2_DOC_ROWS:
                for col in T2_DOC_COLUMNS:
                    t2[row][col] = Value((proactive.get(row) or {}).get(col))
            for row in T2_SINGLE:
                t2[row] = Value(proactive.get(row))
            report.proactive = t2
        apps = data.get("applications")
        if apps is not None:
            report.applications = {
                row: [Value(v) for v in values] for row, values in (apps.get("rows") or {}).items()
            }
        appeals = data.get("appeals")
        if appeals is not None:
            report.appeals = {
                block: {col: Value((appeals.get(block) or {}).get(col)) for col in T4_COLUMNS}
                for block in T4_BLOCKS
            }
        report.prose = [
            ProseNumber(
                p["kind"], p["value"], p.get("text", ""), p.get("where", ""), p.get("what", ""), p.get("who", "")
            )
            for p in data.get("prose") or []
        ]
        report.findings = [Finding.from_json(f) for f in data.get("findings") or []]
        detail = data.get("detail")
        if detail:
            report.title = detail.get("title", "")
            report.text = detail.get("text", "")
            report.body_start, report.body_end = detail.get("body") or (0, None)
            report.section_text = dict(detail.get("section_text") or {})
            report.headings = [Heading(**h) for h in detail.get("headings") or []]
            for table, row, col, raw, where in detail.get("cells") or []:
                value = _cell_of(report, table, row, col)
                if value is not None:
                    value.raw, value.where = raw, where
            for table, row, col, doubt in detail.get("doubts") or []:
                value = _cell_of(report, table, row, col)
                if value is not None:
                    value.doubt = doubt
            for table, row, col, conf in detail.get("confidence") or []:
                value = _cell_of(report, table, row, col)
                if value is not None:
                    value.confidence = conf
            p19 = detail.get("proactive_2019")
            if p19 is not None:
                report.proactive_2019 = {
                    k: [Value(v, raw, where) for v, raw, where in vals] for k, vals in p19.items()
                }
            report.extra_rows = list(detail.get("extra_rows") or [])
            report.missing_rows = list(detail.get("missing_rows") or [])
            report.ingest_findings = [Finding.from_json(f) for f in detail.get("ingest_findings") or []]
            report.provenance = dict(detail.get("provenance") or {})
        return report


def empty_proactive() -> dict[str, Any]:
    """A 表2 structure with every cell blank, for readers to fill in."""
    return _empty_t2()


def empty_applications(fmt: str = "2021") -> dict[str, list[Value]]:
    """A 表3 structure with every cell blank."""
    return {row: [Value(None) for _ in T3_COLUMNS] for row in t3_row_keys(fmt)}


def empty_appeals() -> dict[str, dict[str, Value]]:
    """A 表4 structure with every cell blank."""
    return {block: {col: Value(None) for col in T4_COLUMNS} for block in T4_BLOCKS}


def _cell_of(report: Report, table: str, row: str, col: str) -> Value | None:
    if table == "t2" and report.proactive is not None and row in report.proactive:
        cell = report.proactive[row]
        return cell[col] if isinstance(cell, dict) else cell
    if table == "t3" and report.applications is not None and row in report.applications:
        return report.applications[row][T3_COLUMNS.index(col)]
    if table == "t4" and report.appeals is not None and row in report.appeals:
        return report.appeals[row][col]
    return None


def _proactive_json(t2: dict[str, Any] | None) -> dict[str, Any] | None:
    if t2 is None:
        return None
    data: dict[str, Any] = {}
    for row in T2_DOC_ROWS:
        data[row] = {col: t2[row][col].value for col in T2_DOC_COLUMNS}
    for row in T2_SINGLE:
        data[row] = t2[row].value
    return data


def _applications_json(t3: dict[str, list[Value]] | None, fmt: str) -> dict[str, Any] | None:
    if t3 is None:
        return None
    return {
        "columns": list(T3_COLUMNS),
        "rows": {row: [v.value for v in t3[row]] for row in t3_row_keys(fmt) if row in t3},
    }


def _appeals_json(t4: dict[str, dict[str, Value]] | None) -> dict[str, Any] | None:
    if t4 is None:
        return None
    return {block: {col: t4[block][col].value for col in T4_COLUMNS} for block in T4_BLOCKS}
