"""Reminders: deadlines, custom reminders, 依申请公开 application clocks and the send outbox.

Revision ID: 0002_reminders
Revises: 0001_initial
Create Date: 2026-11-22

Frozen copy of the tables in ``storage/reminders.py`` at this revision (no model imports).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_reminders"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "deadline",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger()),
        _ts("created_at"),
        _ts("completed_at"),
        _ts("cancelled_at"),
        sa.UniqueConstraint("chat_id", "kind", "due", "title", name="uq_deadline_chat_kind_due"),
    )
    op.create_index("ix_deadline_chat_id", "deadline", ["chat_id"])

    op.create_table(
        "custom_reminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("weekday", sa.Integer()),
        sa.Column("at_time", sa.String(5), nullable=False),
        sa.Column("created_by", sa.BigInteger()),
        _ts("created_at"),
        _ts("cancelled_at"),
    )
    op.create_index("ix_custom_reminder_chat_id", "custom_reminder", ["chat_id"])

    op.create_table(
        "info_application",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("extensions", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger()),
        _ts("created_at"),
        _ts("closed_at"),
        sa.UniqueConstraint("chat_id", "seq", name="uq_info_application_seq"),
    )
    op.create_index("ix_info_application_chat_id", "info_application", ["chat_id"])

    op.create_table(
        "reminder_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(128), nullable=False, unique=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_id", sa.Integer()),
        sa.Column("step", sa.String(32), nullable=False),
        _ts("due_at", nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        _ts("claimed_until"),
        _ts("sent_at"),
        _ts("missed_at"),
        _ts("missed_reported_at"),
        _ts("cancelled_at"),
        sa.Column("message_id", sa.BigInteger()),
        sa.Column("result", sa.String(255)),
    )
    op.create_index("ix_reminder_outbox_chat_id", "reminder_outbox", ["chat_id"])
    op.create_index("ix_reminder_outbox_source_id", "reminder_outbox", ["source_id"])
    op.create_index("ix_reminder_outbox_due_at", "reminder_outbox", ["due_at"])


def downgrade() -> None:
    op.drop_table("reminder_outbox")
    op.drop_table("info_application")
    op.drop_table("custom_reminder")
    op.drop_table("deadline")
