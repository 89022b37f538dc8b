"""The first editorial schema: accounts, keys, sessions, the head, proposals, audit, releases.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("audit_log", "concept_versions", "releases")


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text, nullable=nullable)


def _stamp(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(32), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        _text("value"),
    )
    op.create_table(
        "counters",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        _text("roles"),
        _text("communities"),
        _text("collections"),
        _text("password_hash", nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        _stamp("created_at"),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("prefix", sa.String(64), nullable=False, unique=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        _stamp("created_at"),
        _stamp("revoked_at", nullable=True),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("csrf_hash", sa.String(64), nullable=False),
        _stamp("created_at"),
        _stamp("expires_at"),
    )
    op.create_table(
        "schemes",
        sa.Column("uri", sa.String(500), primary_key=True),
        _text("doc"),
        _text("top_concepts"),
    )
    op.create_table(
        "collections",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("uri", sa.String(500), nullable=False, unique=True),
        _text("doc"),
    )
    op.create_table(
        "concepts",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("uri", sa.String(500), nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        _text("doc"),
    )
    op.create_table(
        "collection_members",
        sa.Column(
            "collection_id", sa.String(100), sa.ForeignKey("collections.id"), primary_key=True
        ),
        sa.Column("member_uri", sa.String(500), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=True),
        _text("title"),
        _text("reason"),
        _text("edits"),
        _text("findings"),
        sa.Column("origin", sa.String(20), nullable=False),
        _stamp("created_at"),
        _stamp("updated_at"),
    )
    op.create_index("ix_proposals_state", "proposals", ["state"])
    op.create_table(
        "proposal_concepts",
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), primary_key=True),
        sa.Column("concept_id", sa.String(100), primary_key=True),
    )
    op.create_index("ix_proposal_concepts_concept_id", "proposal_concepts", ["concept_id"])
    op.create_table(
        "concept_versions",
        sa.Column("concept_id", sa.String(100), sa.ForeignKey("concepts.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        _text("doc"),
        _text("collections"),
        _stamp("created_at"),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=True),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False),
        sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        _text("comment"),
        _stamp("created_at"),
        sa.UniqueConstraint("proposal_id", name="uq_reviews_proposal"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        _text("text"),
        _stamp("created_at"),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        _stamp("at"),
        sa.Column("actor_id", sa.Integer, nullable=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("proposal_id", sa.Integer, nullable=True),
        _text("reason"),
        _text("before", nullable=True),
        _text("after", nullable=True),
    )
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"])
    op.create_table(
        "releases",
        sa.Column("version", sa.String(50), primary_key=True),
        _stamp("created_at"),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        _text("note"),
        _text("snapshot"),
    )
    op.bulk_insert(
        sa.table("counters", sa.column("name", sa.String), sa.column("value", sa.Integer)),
        [{"name": "concept", "value": 0}],
    )
    for table in APPEND_ONLY:
        _refuse_update_and_delete(table)


def _refuse_update_and_delete(table: str) -> None:
    """Make the database itself refuse UPDATE and DELETE (and TRUNCATE) on `table`."""
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {event} refused'); END"
            )
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION refuse_append_only_change() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()"
    )


def downgrade() -> None:
    raise NotImplementedError("The first schema has nothing to go back to.")
