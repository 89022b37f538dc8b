"""Alembic's entry point: migrate the connection that `database.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from vocab.editorial.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run the editorial migrations through vocab.editorial.database.upgrade().")
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
