"""Contacts: who answers for each roster office, users seen in a chat, private opt-in, nudges, parts.

Revision ID: 0008_contacts
Revises: 0007_obligations (re-chained after merging main)
Create Date: 2026-12-05

* ``chat_user_seen``  users the bot has seen in a chat, so ``@username`` resolves to a user id
  (the Bot API cannot look a username up).
* ``office_contact``  the contacts of a roster office in one chat (issue 20).
* ``private_optin``   users who started the bot in private (may get DMs), or blocked it since.
* ``nudge_state``     a contact's answer to a private nudge of one deadline (已提交 / 今天提交 / 推迟一天).
* ``reminder_part``   the parts of one outbox reminder split into several messages, each sent once.

Frozen copy of ``storage/contacts.py`` and ``storage/reminder_parts.py`` at this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_contacts"
down_revision = "0007_obligations"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "chat_user_seen",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("username", sa.String(64), nullable=True),
        sa.Column("username_lc", sa.String(64), nullable=True),
        sa.Column("full_name", sa.String(255), nullable=False, server_default=""),
        sa.Column("is_bot", sa.Boolean(), nullable=False, server_default=sa.false()),
        _ts("seen_at", nullable=False),
    )
    op.create_index("ix_chat_user_seen_username", "chat_user_seen", ["chat_id", "username_lc"])
    op.create_table(
        "office_contact",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False, index=True),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.String(64), nullable=True),
        sa.Column("display_name", sa.String(255), nullable=False, server_default=""),
        sa.Column("bound_by", sa.BigInteger(), nullable=True),
        _ts("bound_at", nullable=False),
        _ts("hinted_at"),
        sa.UniqueConstraint("chat_id", "office_id", "user_id", name="uq_office_contact"),
    )
    op.create_table(
        "private_optin",
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        _ts("started_at"),
        _ts("stopped_at"),
    )
    op.create_table(
        "nudge_state",
        sa.Column("deadline_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        _ts("acked_at"),
        sa.Column("promised_on", sa.Date(), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        _ts("updated_at"),
    )
    op.create_table(
        "reminder_part",
        sa.Column("outbox_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("idx", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("entities", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("buttons", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("result", sa.String(32), nullable=True),
        _ts("sent_at"),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("reminder_part")
    op.drop_table("nudge_state")
    op.drop_table("private_optin")
    op.drop_table("office_contact")
    op.drop_index("ix_chat_user_seen_username", table_name="chat_user_seen")
    op.drop_table("chat_user_seen")
