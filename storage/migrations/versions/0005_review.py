"""Rulings on findings (issue 21): the ``ruling`` table.

Revision ID: 0005_review
Revises: 0004_update_inbox
Create Date: 2026-12-05

An admin confirms a finding or dismisses it as 不是问题 (with a reason ≤ 500 characters). A ruling is
keyed by the finding's fingerprint (bot/review/fingerprint.py) and copied to the next version of the
same office's report when the same fingerprint recurs (``carried_from``). One ruling per (report,
fingerprint). Frozen copy of ``storage.models.RulingRow`` at this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_review"
down_revision = "0004_update_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ruling",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("report.id", ondelete="CASCADE"), nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("user_name", sa.String(255), nullable=False),
        sa.Column("carried_from", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("report_id", "fingerprint", name="uq_ruling_report_fp"),
    )
    op.create_index("ix_ruling_workspace_id", "ruling", ["workspace_id"])
    op.create_index("ix_ruling_report_id", "ruling", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_ruling_report_id", table_name="ruling")
    op.drop_index("ix_ruling_workspace_id", table_name="ruling")
    op.drop_table("ruling")
