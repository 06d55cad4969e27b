"""Per-office extensions/exemptions and supervisor-chat links.

Revision ID: 0007_obligations
Revises: 0005_review (re-chained after main gained 0005_review)
Create Date: 2026-12-05

``office_obligation``: one row per (workspace, office, report year) that is extended (own due date) or
exempt. ``chat_link``: a child chat's link to its supervisor chat, made with a one-time code (stored as
SHA-256) that an admin of the supervisor chat confirms. Escalation summaries are reminder_outbox rows
(source ``escalation``): no table of their own. Frozen copy of ``storage/obligations.py`` at this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_obligations"
down_revision = "0005_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_obligation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("office.id", ondelete="CASCADE"), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.BigInteger()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "office_id", "report_year", name="uq_obligation_office_year"),
    )
    op.create_index("ix_office_obligation_workspace_id", "office_obligation", ["workspace_id"])
    op.create_table(
        "chat_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("child_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("supervisor_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.BigInteger()),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unlinked_by", sa.BigInteger()),
        sa.Column("unlinked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_chat_link_child_chat_id", "chat_link", ["child_chat_id"])
    op.create_index("ix_chat_link_supervisor_chat_id", "chat_link", ["supervisor_chat_id"])
    # at most one active link per child chat, even when two codes are confirmed at the same moment
    active = sa.text("confirmed_at IS NOT NULL AND unlinked_at IS NULL")
    op.create_index("uq_chat_link_active_child", "chat_link", ["child_chat_id"], unique=True,
                    postgresql_where=active, sqlite_where=active)


def downgrade() -> None:
    op.drop_index("uq_chat_link_active_child", table_name="chat_link")
    op.drop_index("ix_chat_link_supervisor_chat_id", table_name="chat_link")
    op.drop_index("ix_chat_link_child_chat_id", table_name="chat_link")
    op.drop_table("chat_link")
    op.drop_index("ix_office_obligation_workspace_id", table_name="office_obligation")
    op.drop_table("office_obligation")
