"""One version number per office, year and chat.

Revision ID: 0003_report_version_unique
Revises: 0002_reminders
Create Date: 2026-11-22

Two uploads racing on PostgreSQL could both read the same highest version and both store "version 3":
the unique index turns the loser's insert into an IntegrityError, which the repository retries with a
fresh version number.
"""

from __future__ import annotations

from alembic import op

revision = "0003_report_version_unique"
down_revision = "0002_reminders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "uq_report_version", "report", ["workspace_id", "office_id", "year", "version"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_report_version", table_name="report")
