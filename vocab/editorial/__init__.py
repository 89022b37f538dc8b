"""The editorial side: accounts, proposals, reviews, the audit log and releases.

The rules live in `workflow.py` (proposals) and `accounts.py` (who is who), the storage
behind the `EditorialStore` protocol (`protocol.py`), with one SQL implementation
(`sql_store.py`) for SQLite and PostgreSQL. Nothing here speaks HTTP.
"""
