"""Accounts: who is who. Create and manage accounts, issue and check API keys, sign in and out.

The HTTP layer turns a request into an `Account` with `authenticate_key` (programs) or
`authenticate_session` (pages, with CSRF on unsafe methods) and hands it to the workflow;
every failure is Unauthorised, with one message that does not tell which part was wrong.

>>> from vocab.editorial.sql_store import SqlEditorialStore
>>> accounts = Accounts(SqlEditorialStore.open("/tmp/doctest.db"))  # doctest: +SKIP
>>> admin = accounts.bootstrap_admin("admin", "a long passphrase")  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from vocab.editorial import security
from vocab.editorial.errors import Conflict, Forbidden, Unauthorised
from vocab.editorial.model import (
    ALL_COLLECTIONS,
    NEW,
    Account,
    ApiKey,
    AuditEntry,
    LoginSession,
    ReviewerScope,
    Role,
)
from vocab.editorial.protocol import EditorialStore
from vocab.editorial.rules import Action, require, signed_in
from vocab.editorial.security import NewSession, RateLimiter
from vocab.errors import InvalidInput, NotFound
from vocab.model import COMMUNITIES

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
SESSION_LIFETIME = timedelta(hours=12)
_BAD_CREDENTIALS = "Unknown account or wrong password."
_BAD_KEY = "Missing, malformed, unknown or revoked API key."
_BAD_SESSION = "Not signed in, or the session has expired; sign in again."


def utc_now() -> datetime:
    return datetime.now(UTC)


def _scope_json(a: Account) -> dict[str, object]:
    return {
        "roles": sorted(r.value for r in a.roles),
        "communities": list(a.scope.communities),
        "collections": list(a.scope.collections),
        "active": a.active,
    }


class Accounts:
    """Account management and authentication over an `EditorialStore`."""

    def __init__(
        self,
        store: EditorialStore,
        *,
        clock: Callable[[], datetime] = utc_now,
        login_limiter: RateLimiter | None = None,
        key_limiter: RateLimiter | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.login_limiter = login_limiter or RateLimiter(limit=10, window_s=300)
        self.key_limiter = key_limiter or RateLimiter(limit=60, window_s=60)

    def _entry(
        self,
        actor: Account | None,
        action: str,
        subject: str,
        *,
        before: Any = None,
        after: Any = None,
        reason: str = "",
    ) -> AuditEntry:
        return AuditEntry(
            NEW,
            self.clock(),
            actor.id if actor else None,
            actor.name if actor else "system",
            action,
            subject,
            before,
            after,
            reason,
        )

    def _check(self, name: str, roles: Iterable[Role], scope: ReviewerScope) -> None:
        if not NAME.match(name):
            raise InvalidInput(
                f"Account name '{name[:70]}' is not allowed; use 2-63 lower-case letters, digits, '.', '_' or '-'."
            )
        unknown = set(scope.communities) - set(COMMUNITIES)
        if unknown:
            raise InvalidInput(
                f"Unknown communities {sorted(unknown)}; use some of: {', '.join(COMMUNITIES)}."
            )
        if self.store.is_seeded():
            known = {c.id for c in self.store.head_snapshot().collections} | {ALL_COLLECTIONS}
            if set(scope.collections) - known:
                raise InvalidInput(
                    f"Unknown collections {sorted(set(scope.collections) - known)}; use some of: {', '.join(sorted(known))}."
                )
        for role in roles:
            Role(role)

    def bootstrap_admin(self, name: str, password: str) -> Account:
        """Return the first account, an admin; raise Conflict if any account exists already."""
        if self.store.accounts():
            raise Conflict("Accounts exist already; an admin creates further accounts.")
        account = Account(NEW, name, name, frozenset({Role.ADMIN}))
        self._check(name, account.roles, account.scope)
        entry = self._entry(None, "account.create", f"account:{name}", after=_scope_json(account))
        return self.store.add_account(account, security.hash_password(password), entry)

    def create_account(
        self,
        actor: Account | None,
        name: str,
        *,
        roles: Iterable[Role] = (),
        scope: ReviewerScope | None = None,
        display_name: str = "",
        password: str | None = None,
    ) -> Account:
        """Return a new account (admins only); raise Forbidden, InvalidInput or Conflict."""
        admin = require(actor, Action.MANAGE_ACCOUNTS)
        account = Account(
            NEW,
            name,
            display_name or name,
            frozenset(Role(r) for r in roles),
            scope or ReviewerScope(),
        )
        self._check(name, account.roles, account.scope)
        hashed = security.hash_password(password) if password is not None else None
        entry = self._entry(admin, "account.create", f"account:{name}", after=_scope_json(account))
        return self.store.add_account(account, hashed, entry)

    def update_account(
        self,
        actor: Account | None,
        account_id: int,
        *,
        roles: Iterable[Role] | None = None,
        scope: ReviewerScope | None = None,
        active: bool | None = None,
        reason: str = "",
    ) -> Account:
        """Return the account with new roles, scope or standing (admins only)."""
        admin = require(actor, Action.MANAGE_ACCOUNTS)
        old = self.store.account(account_id)
        new = replace(
            old,
            roles=old.roles if roles is None else frozenset(Role(r) for r in roles),
            scope=old.scope if scope is None else scope,
            active=old.active if active is None else active,
        )
        if admin.id == old.id and not (new.active and Role.ADMIN in new.roles):
            raise Forbidden("An admin cannot remove their own admin role or deactivate themselves.")
        self._check(new.name, new.roles, new.scope)
        entry = self._entry(
            admin,
            "account.update",
            f"account:{old.id}",
            reason=reason,
            before=_scope_json(old),
            after=_scope_json(new),
        )
        return self.store.update_account(new, entry)

    def set_password(self, actor: Account | None, account_id: int, password: str) -> None:
        """Replace a password (one's own, or anyone's for an admin); raise Forbidden."""
        who = signed_in(actor)
        if who.id != account_id:
            require(who, Action.MANAGE_ACCOUNTS)
        hashed = security.hash_password(password)
        self.store.set_password_hash(
            account_id, hashed, self._entry(who, "account.password", f"account:{account_id}")
        )

    def issue_key(self, actor: Account | None, account_id: int, name: str) -> tuple[ApiKey, str]:
        """Return a new key record and its token, shown this once (own keys, or an admin's)."""
        who = signed_in(actor)
        if who.id != account_id:
            require(who, Action.MANAGE_ACCOUNTS)
        owner = self.store.account(account_id)
        new = security.new_api_key()
        record = ApiKey(NEW, owner.id, new.prefix, name[:200] or "key", self.clock())
        entry = self._entry(
            who,
            "key.issue",
            f"account:{owner.id}",
            after={"prefix": new.prefix, "name": record.name},
        )
        return self.store.add_api_key(record, new.key_hash, entry), new.token

    def revoke_key(self, actor: Account | None, prefix: str) -> ApiKey:
        """Revoke a key at once (its owner or an admin); raise NotFound or Forbidden."""
        who = signed_in(actor)
        found = self.store.api_key(prefix)
        if found is None:
            raise NotFound(f"No API key with prefix '{prefix[:20]}'.")
        key = found[0]
        if who.id != key.account_id:
            require(who, Action.MANAGE_ACCOUNTS)
        entry = self._entry(
            who, "key.revoke", f"account:{key.account_id}", before={"prefix": key.prefix}
        )
        return self.store.revoke_api_key(key.id, self.clock(), entry)

    def authenticate_key(self, token: str | None) -> Account:
        """Return the active account owning a valid, unrevoked key; raise Unauthorised or RateLimited."""
        prefix = security.key_prefix(token or "")
        if prefix is None:
            raise Unauthorised(_BAD_KEY)
        self.key_limiter.hit(prefix)
        found = self.store.api_key(prefix)
        if (
            found is None
            or found[0].revoked_at is not None
            or not security.tokens_match(found[1], token or "")
        ):
            raise Unauthorised(_BAD_KEY)
        return self._active(found[0].account_id, _BAD_KEY)

    def _active(self, account_id: int, message: str) -> Account:
        account = self.store.account(account_id)
        if not account.active:
            raise Unauthorised(message)
        return account

    def login(self, name: str, password: str) -> tuple[Account, NewSession]:
        """Return the account and fresh session tokens; raise Unauthorised or RateLimited."""
        key = name[:100].casefold()
        self.login_limiter.hit(key)
        account = self.store.account_by_name(name) if NAME.match(name) else None
        stored = self.store.password_hash(account.id) if account else None
        if not security.verify_password(stored, password) or account is None or not account.active:
            raise Unauthorised(_BAD_CREDENTIALS)
        self.login_limiter.reset(key)
        tokens = security.new_session_tokens()
        now = self.clock()
        session = LoginSession(NEW, account.id, now, now + SESSION_LIFETIME)
        self.store.add_session(session, tokens.token_hash, tokens.csrf_hash)
        self.store.append_audit(self._entry(account, "login", f"account:{account.id}"))
        return account, tokens

    def authenticate_session(
        self, token: str | None, csrf_token: str | None = None, *, unsafe: bool = False
    ) -> Account:
        """Return the session's account; for unsafe methods the CSRF token must match too."""
        found = self.store.session(security.sha256(token)) if token and len(token) < 200 else None
        if found is None or found[0].expires_at <= self.clock():
            raise Unauthorised(_BAD_SESSION)
        session, csrf_hash = found
        if unsafe and not (csrf_token and security.tokens_match(csrf_hash, csrf_token)):
            raise Forbidden("Missing or wrong CSRF token; reload the page and try again.")
        return self._active(session.account_id, _BAD_SESSION)

    def logout(self, token: str) -> None:
        """End the session of `token` (nothing happens if there is none)."""
        found = self.store.session(security.sha256(token)) if len(token) < 200 else None
        if found:
            self.store.end_session(found[0].id)
