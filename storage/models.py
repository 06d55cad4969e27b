"""SQLModel tables: workspaces, offices and aliases, rosters, reports with every cell and finding, audit.

Every table cell and finding is stored in its own indexed row (``report_cell``, ``report_finding``) so
questions and exports query numbers with SQL, while ``report.report_json`` keeps the full report
(``Report.to_json(detail=True)``) for re-validation and display. The migration
``versions/0001_initial.py`` and later revisions create exactly these tables; change both together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (stored times are always UTC)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware timestamp on both databases.

    SQLite has no time zone type and hands back naive datetimes; this stores UTC and re-attaches UTC on
    the way out, so callers always get aware datetimes they can compare and convert.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _now_column(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, **kwargs))


class Workspace(SQLModel, table=True):
    """One chat: reports sent there are visible only there."""

    __tablename__ = "workspace"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, unique=True))
    title: str | None = Field(default=None, sa_column=Column(String(255)))
    kind: str = Field(default="group", sa_column=Column(String(32), nullable=False))
    active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _now_column()


class OfficeRow(SQLModel, table=True):
    """A reporting office, shared by all chats; ``merged_into`` points to the office that replaced it."""

    __tablename__ = "office"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(255), nullable=False, unique=True))
    short_name: str = Field(default="", sa_column=Column(String(255), nullable=False))
    kind: str = Field(default="其他", sa_column=Column(String(32), nullable=False))
    region: str = Field(default="", sa_column=Column(String(255), nullable=False))
    merged_into: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("office.id"), nullable=True)
    )
    created_at: datetime = _now_column()


class OfficeAlias(SQLModel, table=True):
    """A normalised name people use for an office (短名, 去掉区名, 拼音 …)."""

    __tablename__ = "office_alias"
    __table_args__ = (UniqueConstraint("office_id", "alias", name="uq_office_alias"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(
        sa_column=Column(Integer, ForeignKey("office.id", ondelete="CASCADE"), nullable=False)
    )
    alias: str = Field(sa_column=Column(String(255), nullable=False, index=True))


class RosterRow(SQLModel, table=True):
    """An office expected to report in a chat (for 未交 lists and reminders)."""

    __tablename__ = "roster"
    __table_args__ = (UniqueConstraint("workspace_id", "office_id", name="uq_roster"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(
        sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False)
    )
    office_id: int = Field(sa_column=Column(Integer, ForeignKey("office.id"), nullable=False))
    added_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    added_at: datetime = _now_column()


class ReportRow(SQLModel, table=True):
    """One stored version of one office's report for one year in one chat."""

    __tablename__ = "report"
    __table_args__ = (
        # Exactly one current version per (workspace, office, year): the partial unique index makes a
        # racing second upload fail, and the repository retries it as a new version.
        Index(
            "uq_report_current",
            "workspace_id",
            "office_id",
            "year",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        # The same file is stored once per chat (deleted copies do not count).
        Index(
            "uq_report_sha",
            "workspace_id",
            "sha256",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # One version number per (workspace, office, year): a racing writer that read the same highest
        # version fails here and is retried with a fresh number (migration 0003).
        Index("uq_report_version", "workspace_id", "office_id", "year", "version", unique=True),
        # "the chat's reports of a year" (lists, questions, exports)
        Index("ix_report_ws_year_current", "workspace_id", "year", "is_current"),
        # "this office's versions in this chat" (store, history); leads with four equality columns so
        # SQLite prefers it over the year index even without ANALYZE statistics
        Index("ix_report_ws_office", "workspace_id", "office_id", "year", "is_current", "version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(sa_column=Column(Integer, ForeignKey("workspace.id"), nullable=False))
    office_id: int = Field(sa_column=Column(Integer, ForeignKey("office.id"), nullable=False))
    year: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    is_current: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    filename: str = Field(default="", sa_column=Column(String(512), nullable=False))
    kind: str = Field(default="", sa_column=Column(String(16), nullable=False))
    format: str = Field(default="unknown", sa_column=Column(String(16), nullable=False))
    verdict: str = Field(default="通过", sa_column=Column(String(16), nullable=False))
    errors: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    warnings: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    infos: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    sender_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    sender_name: str | None = Field(default=None, sa_column=Column(String(255)))
    file_unique_id: str | None = Field(default=None, sa_column=Column(String(255)))
    received_at: datetime = _now_column()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    deleted_by: int | None = Field(default=None, sa_column=Column(BigInteger))
    report_json: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ReportCell(SQLModel, table=True):
    """One table cell of a stored report: ``value`` is NULL for a blank cell (never 0)."""

    __tablename__ = "report_cell"
    __table_args__ = (
        # one cell of one report (joins from report) and one cell across reports (questions)
        Index("ix_report_cell_report", "report_id", "tbl", "row", "col"),
        Index("ix_report_cell_key", "tbl", "row", "col"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False)
    )
    tbl: str = Field(sa_column=Column(String(8), nullable=False))
    row: str = Field(sa_column=Column(String(64), nullable=False))
    col: str = Field(sa_column=Column(String(32), nullable=False))
    value: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    raw: str = Field(default="", sa_column=Column(Text, nullable=False))


class ReportFinding(SQLModel, table=True):
    """One validation finding of a stored report (RULES.md §6 code)."""

    __tablename__ = "report_finding"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    code: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    severity: str = Field(sa_column=Column(String(8), nullable=False))
    message: str = Field(default="", sa_column=Column(Text, nullable=False))
    where: str = Field(default="", sa_column=Column(Text, nullable=False))
    message_en: str = Field(default="", sa_column=Column(Text, nullable=False))
    left: float | None = Field(default=None, sa_column=Column(Float))
    right: float | None = Field(default=None, sa_column=Column(Float))
    delta: float | None = Field(default=None, sa_column=Column(Float))


class AuditRow(SQLModel, table=True):
    """Who did what in which chat (deletes, restores, roster edits, merges …)."""

    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    )
    user_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    action: str = Field(sa_column=Column(String(64), nullable=False))
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))
    at: datetime = _now_column()


class UpdateInbox(SQLModel, table=True):
    """Telegram updates this bot owns: ``working`` under a lease, then ``done`` (docs/SCALING.md).

    Keyed by ``scope`` (one bot token, or one ``nianbao console`` session) and ``update_id``, so two
    bots or two console sessions never take each other's ids for redeliveries.
    """

    __tablename__ = "update_inbox"
    __table_args__ = (Index("ix_update_inbox_state_lease", "state", "lease_until"),)

    scope: str = Field(sa_column=Column(String(64), primary_key=True))
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    state: str = Field(sa_column=Column(String(16), nullable=False))
    owner: str | None = Field(default=None, sa_column=Column(String(64)))
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    payload: str | None = Field(default=None, sa_column=Column(Text))
    received_at: datetime = _now_column()
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class RulingRow(SQLModel, table=True):
    """An admin's ruling on one finding of one report version: ``confirmed`` or ``dismissed`` (不是问题).

    Keyed by the finding's fingerprint (:mod:`bot.review.fingerprint`), so the ruling is found again when
    the same finding recurs in the next version (it is copied there with ``carried_from`` set). One ruling
    per finding per version; ruling again replaces it (the audit log keeps every change). Migration
    ``0005_review``; queries in :mod:`storage.review`.
    """

    __tablename__ = "ruling"
    __table_args__ = (UniqueConstraint("report_id", "fingerprint", name="uq_ruling_report_fp"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(
        sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    report_id: int = Field(
        sa_column=Column(Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    fingerprint: str = Field(sa_column=Column(String(32), nullable=False))
    decision: str = Field(sa_column=Column(String(16), nullable=False))
    reason: str = Field(default="", sa_column=Column(String(500), nullable=False))
    user_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    user_name: str = Field(default="", sa_column=Column(String(255), nullable=False))
    carried_from: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    at: datetime = _now_column()
