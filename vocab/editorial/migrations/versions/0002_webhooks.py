"""Webhook deliveries: the audit log is the outbox, followed through a cursor.

`webhook_deliveries` holds one row per event and receiver, made from an audit entry in the
same transaction that moves the follower's cursor (the `counters` row `webhook_cursor`,
created by the first sender: never before, so history is not replayed). A row waits,
is delivered, or is abandoned after the last retry; it keeps its delivery id throughout.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # no foreign key to audit_log: a TRUNCATE of it must meet its append-only trigger
        sa.Column("audit_seq", sa.Integer, nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("delivery", sa.String(64), nullable=False, unique=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("due_at", sa.String(32), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_webhook_deliveries_state_due", "webhook_deliveries", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_state_due", "webhook_deliveries")
    op.drop_table("webhook_deliveries")
