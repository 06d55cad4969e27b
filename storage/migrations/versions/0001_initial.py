"""Initial schema: workspaces, offices and aliases, rosters, reports with cells and findings, audit,
processed updates.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22

Frozen copy of ``storage/models.py`` at this revision (no model imports, so later model changes cannot
alter what this migration does).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "office",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("short_name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("region", sa.String(255), nullable=False),
        sa.Column("merged_into", sa.Integer(), sa.ForeignKey("office.id"), nullable=True),
        _ts("created_at"),
    )
    op.create_table(
        "processed_update",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        _ts("at"),
    )
    op.create_table(
        "workspace",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False, unique=True),
        sa.Column("title", sa.String(255), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        _ts("created_at"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE")),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        _ts("at"),
    )
    op.create_index("ix_audit_workspace_id", "audit", ["workspace_id"])
    op.create_table(
        "office_alias",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="CASCADE"), nullable=False),
        sa.Column("alias", sa.String(255), nullable=False),
        sa.UniqueConstraint("office_id", "alias", name="uq_office_alias"),
    )
    op.create_index("ix_office_alias_alias", "office_alias", ["alias"])
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id"), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("infos", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.BigInteger(), nullable=True),
        sa.Column("sender_name", sa.String(255), nullable=True),
        sa.Column("file_unique_id", sa.String(255), nullable=True),
        _ts("received_at"),
        _ts("deleted_at", nullable=True),
        sa.Column("deleted_by", sa.BigInteger(), nullable=True),
        sa.Column("report_json", sa.JSON(), nullable=False),
    )
    op.create_index("ix_report_ws_office", "report", ["workspace_id", "office_id", "year", "is_current", "version"])
    op.create_index("ix_report_ws_year_current", "report", ["workspace_id", "year", "is_current"])
    op.create_index(
        "uq_report_current",
        "report",
        ["workspace_id", "office_id", "year"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )
    op.create_index(
        "uq_report_sha",
        "report",
        ["workspace_id", "sha256"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "roster",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id"), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        _ts("added_at"),
        sa.UniqueConstraint("workspace_id", "office_id", name="uq_roster"),
    )
    op.create_table(
        "report_cell",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("report.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tbl", sa.String(8), nullable=False),
        sa.Column("row", sa.String(64), nullable=False),
        sa.Column("col", sa.String(32), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=False),
    )
    op.create_index("ix_report_cell_key", "report_cell", ["tbl", "row", "col"])
    op.create_index("ix_report_cell_report", "report_cell", ["report_id", "tbl", "row", "col"])
    op.create_table(
        "report_finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("report.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("where", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("left", sa.Float(), nullable=True),
        sa.Column("right", sa.Float(), nullable=True),
        sa.Column("delta", sa.Float(), nullable=True),
    )
    op.create_index("ix_report_finding_code", "report_finding", ["code"])
    op.create_index("ix_report_finding_report_id", "report_finding", ["report_id"])


def downgrade() -> None:
    for table in (
        "report_finding",
        "report_cell",
        "roster",
        "report",
        "office_alias",
        "audit",
        "workspace",
        "processed_update",
        "office",
    ):
        op.drop_table(table)
