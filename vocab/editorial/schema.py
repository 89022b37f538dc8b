"""The tables the SQL store reads and writes (SQLAlchemy Core), as the migrations create them.

Migrations under `migrations/versions/` are the only thing that creates or alters tables;
this module describes the result, and a test checks that both agree on every backend.
Timestamps are ISO 8601 UTC text (sortable and identical on SQLite and PostgreSQL);
structured values are JSON text written by `vocab.codec` and `editorial.rows`.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

APPEND_ONLY_TABLES = ("audit_log", "concept_versions", "releases")
"""Tables whose rows a database trigger refuses to update or delete."""

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("roles", sa.Text, nullable=False),
    sa.Column("communities", sa.Text, nullable=False),
    sa.Column("collections", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("prefix", sa.String(64), nullable=False, unique=True),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("revoked_at", sa.String(32), nullable=True),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("csrf_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("expires_at", sa.String(32), nullable=False),
)

schemes = sa.Table(
    "schemes",
    metadata,
    sa.Column("uri", sa.String(500), primary_key=True),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Column("top_concepts", sa.Text, nullable=False),
)

collections = sa.Table(
    "collections",
    metadata,
    sa.Column("id", sa.String(100), primary_key=True),
    sa.Column("uri", sa.String(500), nullable=False, unique=True),
    sa.Column("doc", sa.Text, nullable=False),
)

concepts = sa.Table(
    "concepts",
    metadata,
    sa.Column("id", sa.String(100), primary_key=True),
    sa.Column("uri", sa.String(500), nullable=False, unique=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
)

collection_members = sa.Table(
    "collection_members",
    metadata,
    sa.Column("collection_id", sa.String(100), sa.ForeignKey("collections.id"), primary_key=True),
    sa.Column("member_uri", sa.String(500), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

proposals = sa.Table(
    "proposals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("state", sa.String(20), nullable=False, index=True),
    sa.Column("author_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("edits", sa.Text, nullable=False),
    sa.Column("findings", sa.Text, nullable=False),
    sa.Column("origin", sa.String(20), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

proposal_concepts = sa.Table(
    "proposal_concepts",
    metadata,
    sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), primary_key=True),
    sa.Column("concept_id", sa.String(100), primary_key=True, index=True),
)

concept_versions = sa.Table(
    "concept_versions",
    metadata,
    sa.Column("concept_id", sa.String(100), sa.ForeignKey("concepts.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("doc", sa.Text, nullable=False),
    sa.Column("collections", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=True),
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False),
    sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    # one decision per proposal: a second decider fails here even if a check above was skipped
    sa.UniqueConstraint("proposal_id", name="uq_reviews_proposal"),
)

comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False),
    sa.Column("author_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor_id", sa.Integer, nullable=True),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("subject", sa.String(500), nullable=False, index=True),
    sa.Column("proposal_id", sa.Integer, nullable=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
)

releases = sa.Table(
    "releases",
    metadata,
    sa.Column("version", sa.String(50), primary_key=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("snapshot", sa.Text, nullable=False),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
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
    sa.Index("ix_webhook_deliveries_state_due", "state", "due_at"),
)
"""One row per event and receiver (migration 0002); the follower's cursor is the `counters`
row WEBHOOK_CURSOR, absent until a sender first starts."""

WEBHOOK_CURSOR = "webhook_cursor"
