"""Alembic migrations of the editorial store; run them with `database.upgrade(url)`."""
