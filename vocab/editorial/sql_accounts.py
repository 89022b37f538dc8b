"""Accounts, API keys and login sessions in SQL (secrets only as hashes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa

from vocab.editorial import schema as t
from vocab.editorial import sql_rows as rows
from vocab.editorial.codec import (
    stamp,
)
from vocab.editorial.errors import Conflict
from vocab.editorial.model import (
    Account,
    ApiKey,
    AuditEntry,
    LoginSession,
)
from vocab.editorial.sql_base import SqlBase, new_id
from vocab.errors import NotFound


class SqlAccounts(SqlBase):
    """Accounts with their roles and scope, API key records, login sessions."""

    def add_account(
        self, account: Account, password_hash: str | None, audit: AuditEntry
    ) -> Account:
        with self._write() as c:
            if c.execute(
                sa.select(t.accounts.c.id).where(t.accounts.c.name == account.name)
            ).first():
                raise Conflict(
                    f"An account named '{account.name}' exists already; choose another name."
                )
            values = {
                **rows.account_values(account),
                "password_hash": password_hash,
                "created_at": stamp(audit.at),
            }
            key = new_id(c.execute(sa.insert(t.accounts).values(values)))
            self._audit(c, replace(audit, subject=f"account:{key}"))
            return rows.account(
                c.execute(sa.select(t.accounts).where(t.accounts.c.id == key)).one()
            )

    def account(self, account_id: int) -> Account:
        with self._read() as c:
            row = c.execute(sa.select(t.accounts).where(t.accounts.c.id == account_id)).first()
        if row is None:
            raise NotFound(f"No account {account_id}.")
        return rows.account(row)

    def account_by_name(self, name: str) -> Account | None:
        with self._read() as c:
            row = c.execute(sa.select(t.accounts).where(t.accounts.c.name == name)).first()
        return rows.account(row) if row else None

    def accounts(self) -> list[Account]:
        with self._read() as c:
            return [
                rows.account(r) for r in c.execute(sa.select(t.accounts).order_by(t.accounts.c.id))
            ]

    def update_account(self, account: Account, audit: AuditEntry) -> Account:
        with self._write() as c:
            done = c.execute(
                sa.update(t.accounts)
                .where(t.accounts.c.id == account.id)
                .values(rows.account_values(account))
            )
            if done.rowcount != 1:
                raise NotFound(f"No account {account.id}.")
            self._audit(c, audit)
            return rows.account(
                c.execute(sa.select(t.accounts).where(t.accounts.c.id == account.id)).one()
            )

    def password_hash(self, account_id: int) -> str | None:
        with self._read() as c:
            value = c.execute(
                sa.select(t.accounts.c.password_hash).where(t.accounts.c.id == account_id)
            ).scalar()
        return None if value is None else str(value)

    def set_password_hash(self, account_id: int, password_hash: str, audit: AuditEntry) -> None:
        with self._write() as c:
            done = c.execute(
                sa.update(t.accounts)
                .where(t.accounts.c.id == account_id)
                .values(password_hash=password_hash)
            )
            if done.rowcount != 1:
                raise NotFound(f"No account {account_id}.")
            self._audit(c, audit)

    def add_api_key(self, key: ApiKey, key_hash: str, audit: AuditEntry) -> ApiKey:
        with self._write() as c:
            key_id = new_id(
                c.execute(
                    sa.insert(t.api_keys).values(
                        account_id=key.account_id,
                        prefix=key.prefix,
                        key_hash=key_hash,
                        name=key.name,
                        created_at=stamp(key.created_at),
                        revoked_at=None,
                    )
                )
            )
            self._audit(c, audit)
            return rows.api_key(
                c.execute(sa.select(t.api_keys).where(t.api_keys.c.id == key_id)).one()
            )

    def api_key(self, prefix: str) -> tuple[ApiKey, str] | None:
        with self._read() as c:
            row = c.execute(sa.select(t.api_keys).where(t.api_keys.c.prefix == prefix)).first()
        return (rows.api_key(row), row.key_hash) if row else None

    def api_keys(self, account_id: int) -> list[ApiKey]:
        k = t.api_keys.c
        with self._read() as c:
            return [
                rows.api_key(r)
                for r in c.execute(
                    sa.select(t.api_keys).where(k.account_id == account_id).order_by(k.id)
                )
            ]

    def revoke_api_key(self, key_id: int, at: datetime, audit: AuditEntry) -> ApiKey:
        k = t.api_keys.c
        with self._write() as c:
            c.execute(
                sa.update(t.api_keys)
                .where(k.id == key_id, k.revoked_at.is_(None))
                .values(revoked_at=stamp(at))
            )
            row = c.execute(sa.select(t.api_keys).where(k.id == key_id)).first()
            if row is None:
                raise NotFound(f"No API key {key_id}.")
            self._audit(c, audit)
            return rows.api_key(row)

    def add_session(self, session: LoginSession, token_hash: str, csrf_hash: str) -> LoginSession:
        with self._write() as c:
            key = new_id(
                c.execute(
                    sa.insert(t.sessions).values(
                        account_id=session.account_id,
                        token_hash=token_hash,
                        csrf_hash=csrf_hash,
                        created_at=stamp(session.created_at),
                        expires_at=stamp(session.expires_at),
                    )
                )
            )
        return LoginSession(key, session.account_id, session.created_at, session.expires_at)

    def session(self, token_hash: str) -> tuple[LoginSession, str] | None:
        with self._read() as c:
            row = c.execute(
                sa.select(t.sessions).where(t.sessions.c.token_hash == token_hash)
            ).first()
        return (rows.session(row), row.csrf_hash) if row else None

    def end_session(self, session_id: int) -> None:
        with self._write() as c:
            c.execute(sa.delete(t.sessions).where(t.sessions.c.id == session_id))
