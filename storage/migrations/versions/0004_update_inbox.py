"""The durable update inbox replaces ``processed_update``.

Revision ID: 0004_update_inbox
Revises: 0003_report_version_unique
Create Date: 2026-12-05

``processed_update`` recorded an update id *before* its handlers ran, so an update whose worker died
was dropped when Telegram redelivered it. ``update_inbox`` keeps a state per update — ``working``
(owned by one process until ``lease_until``) or ``done`` — keyed by ``scope`` (one bot token, or one
console session) and ``update_id``, with the update's JSON so another worker can take it over. See
docs/SCALING.md. Frozen copy of ``storage/inbox.py`` at this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_update_inbox"
down_revision = "0003_report_version_unique"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "update_inbox",
        sa.Column("scope", sa.String(64), primary_key=True),
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_update_inbox_state_lease", "update_inbox", ["state", "lease_until"])
    op.drop_table("processed_update")


def downgrade() -> None:
    op.create_table(
        "processed_update",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.drop_index("ix_update_inbox_state_lease", table_name="update_inbox")
    op.drop_table("update_inbox")
