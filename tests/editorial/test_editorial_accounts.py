"""Accounts and secrets: argon2 passwords, hashed API keys, sessions with CSRF, rate limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.editorial.conftest import Team
from vocab.editorial import security
from vocab.editorial.accounts import Accounts
from vocab.editorial.errors import Conflict, Forbidden, RateLimited, Unauthorised
from vocab.editorial.model import ReviewerScope, Role
from vocab.editorial.security import RateLimiter
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.errors import InvalidInput

PASSWORD = "correct horse battery staple"


def test_passwords_are_argon2id_hashes_that_verify() -> None:
    hashed = security.hash_password(PASSWORD)

    assert hashed.startswith("$argon2id$")
    assert security.verify_password(hashed, PASSWORD)
    assert not security.verify_password(hashed, PASSWORD + "!")
    assert not security.verify_password(None, PASSWORD)
    assert not security.verify_password("not a hash", PASSWORD)


@pytest.mark.parametrize("password", ["short", "x" * 1025])
def test_password_length_is_bounded(password: str) -> None:
    with pytest.raises(ValueError, match="characters"):
        security.hash_password(password)


def test_the_first_admin_is_made_once(store: SqlEditorialStore) -> None:
    accounts = Accounts(store)

    admin = accounts.bootstrap_admin("admin", PASSWORD)

    assert admin.roles == frozenset({Role.ADMIN})
    with pytest.raises(Conflict):
        accounts.bootstrap_admin("admin2", PASSWORD)


def test_only_admins_create_accounts(seeded: SqlEditorialStore, team: Team) -> None:
    with pytest.raises(Forbidden, match="admin"):
        Accounts(seeded).create_account(team.editor, "mallory", roles=[Role.ADMIN])
    with pytest.raises(Unauthorised):
        Accounts(seeded).create_account(None, "mallory")


@pytest.mark.parametrize(
    ("name", "scope"),
    [
        ("Bad Name", ReviewerScope()),
        ("x", ReviewerScope()),
        ("ok-name", ReviewerScope(communities=("vendors",))),
        ("ok-name", ReviewerScope(collections=("nowhere",))),
    ],
)
def test_account_fields_are_checked(
    seeded: SqlEditorialStore, team: Team, name: str, scope: ReviewerScope
) -> None:
    with pytest.raises(InvalidInput):
        Accounts(seeded).create_account(team.admin, name, scope=scope)


def test_account_names_are_unique(seeded: SqlEditorialStore, team: Team) -> None:
    with pytest.raises(Conflict, match="exists"):
        Accounts(seeded).create_account(team.admin, "eve")


def test_an_admin_cannot_demote_themselves(seeded: SqlEditorialStore, team: Team) -> None:
    with pytest.raises(Forbidden):
        Accounts(seeded).update_account(team.admin, team.admin.id, roles=[Role.EDITOR])


def test_role_changes_are_audited(seeded: SqlEditorialStore, team: Team) -> None:
    Accounts(seeded).update_account(
        team.admin, team.editor.id, roles=[Role.EDITOR, Role.REVIEWER], reason="trusted"
    )

    [entry] = [
        e for e in seeded.audit(subject=f"account:{team.editor.id}") if e.action == "account.update"
    ]
    assert (entry.before["roles"], entry.after["roles"], entry.reason) == (
        ["editor"],
        ["editor", "reviewer"],
        "trusted",
    )


def test_an_api_key_identifies_its_account(seeded: SqlEditorialStore, team: Team) -> None:
    accounts = Accounts(seeded)
    record, token = accounts.issue_key(team.editor, team.editor.id, "laptop")

    assert accounts.authenticate_key(token) == seeded.account(team.editor.id)
    assert token.startswith(f"airt_{record.prefix}_")


def test_a_database_dump_holds_no_plaintext_secret(seeded: SqlEditorialStore, team: Team) -> None:
    accounts = Accounts(seeded)
    _, token = accounts.issue_key(team.editor, team.editor.id, "laptop")
    accounts.set_password(team.editor, team.editor.id, PASSWORD)
    accounts.login("eve", PASSWORD)

    with seeded.engine.connect() as c:
        tables = sorted(sa.inspect(c).get_table_names())
        dump = "\n".join(
            str(tuple(row))
            for table in tables
            for row in c.execute(sa.text(f"SELECT * FROM {table}"))
        )

    secret = token.split("_", 2)[2]  # the part after scheme and prefix; it may hold "_" itself
    assert token not in dump and secret not in dump
    assert PASSWORD not in dump


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "Bearer x",
        "airt_short_x",
        "airt_" + "a" * 12 + "_" + "b" * 43,
        "x" * 8192,
        "airt_\ud800",
    ],
)
def test_missing_malformed_and_unknown_keys_are_unauthorised(
    seeded: SqlEditorialStore, token: str | None
) -> None:
    with pytest.raises(Unauthorised, match="API key"):
        Accounts(seeded).authenticate_key(token)


def test_a_right_prefix_with_a_wrong_secret_is_unauthorised(
    seeded: SqlEditorialStore, team: Team
) -> None:
    accounts = Accounts(seeded)
    _, token = accounts.issue_key(team.editor, team.editor.id, "laptop")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    with pytest.raises(Unauthorised):
        accounts.authenticate_key(forged)


def test_a_revoked_key_is_refused_at_once(seeded: SqlEditorialStore, team: Team) -> None:
    accounts = Accounts(seeded)
    record, token = accounts.issue_key(team.editor, team.editor.id, "laptop")

    accounts.revoke_key(team.editor, record.prefix)

    with pytest.raises(Unauthorised):
        accounts.authenticate_key(token)


def test_only_the_owner_or_an_admin_revokes_a_key(seeded: SqlEditorialStore, team: Team) -> None:
    accounts = Accounts(seeded)
    record, _ = accounts.issue_key(team.editor, team.editor.id, "laptop")

    with pytest.raises(Forbidden):
        accounts.revoke_key(team.proposer, record.prefix)
    assert accounts.revoke_key(team.admin, record.prefix).revoked_at is not None


def test_a_deactivated_accounts_key_is_refused(seeded: SqlEditorialStore, team: Team) -> None:
    accounts = Accounts(seeded)
    _, token = accounts.issue_key(team.editor, team.editor.id, "laptop")

    accounts.update_account(team.admin, team.editor.id, active=False)

    with pytest.raises(Unauthorised):
        accounts.authenticate_key(token)


def test_key_attempts_are_rate_limited(seeded: SqlEditorialStore, team: Team) -> None:
    accounts = Accounts(seeded, key_limiter=RateLimiter(limit=3, window_s=60))
    _, token = accounts.issue_key(team.editor, team.editor.id, "laptop")
    for _ in range(3):
        accounts.authenticate_key(token)

    with pytest.raises(RateLimited) as caught:
        accounts.authenticate_key(token)
    assert caught.value.retry_after > 0


def test_login_gives_a_session_with_csrf(seeded: SqlEditorialStore, team: Team) -> None:
    accounts = Accounts(seeded)
    accounts.set_password(team.admin, team.editor.id, PASSWORD)

    account, tokens = accounts.login("eve", PASSWORD)

    assert account.id == team.editor.id
    assert accounts.authenticate_session(tokens.token).id == team.editor.id
    assert (
        accounts.authenticate_session(tokens.token, tokens.csrf_token, unsafe=True).id
        == team.editor.id
    )
    with pytest.raises(Forbidden, match="CSRF"):
        accounts.authenticate_session(tokens.token, None, unsafe=True)
    with pytest.raises(Forbidden, match="CSRF"):
        accounts.authenticate_session(tokens.token, tokens.token, unsafe=True)


@pytest.mark.parametrize(
    ("name", "password"), [("eve", "wrong password!"), ("nobody", PASSWORD), ("EVE", PASSWORD)]
)
def test_wrong_credentials_are_unauthorised_with_one_message(
    seeded: SqlEditorialStore, team: Team, name: str, password: str
) -> None:
    accounts = Accounts(seeded)
    accounts.set_password(team.admin, team.editor.id, PASSWORD)

    with pytest.raises(Unauthorised, match="Unknown account or wrong password"):
        accounts.login(name, password)


def test_login_attempts_are_rate_limited_per_account(seeded: SqlEditorialStore, team: Team) -> None:
    accounts = Accounts(seeded, login_limiter=RateLimiter(limit=2, window_s=300))
    accounts.set_password(team.admin, team.editor.id, PASSWORD)
    for _ in range(2):
        with pytest.raises(Unauthorised):
            accounts.login("eve", "wrong password!")

    with pytest.raises(RateLimited):
        accounts.login("eve", PASSWORD)


def test_sessions_expire_and_end(seeded: SqlEditorialStore, team: Team) -> None:
    now = [datetime.now(UTC)]
    accounts = Accounts(seeded, clock=lambda: now[0])
    accounts.set_password(team.admin, team.editor.id, PASSWORD)
    _, expiring = accounts.login("eve", PASSWORD)
    _, ending = accounts.login("eve", PASSWORD)

    accounts.logout(ending.token)
    now[0] += timedelta(hours=13)

    for tokens in (expiring, ending):
        with pytest.raises(Unauthorised):
            accounts.authenticate_session(tokens.token)


def test_the_rate_limit_window_slides() -> None:
    clock = [0.0]
    limiter = RateLimiter(limit=2, window_s=10, clock=lambda: clock[0])
    limiter.hit("k")
    clock[0] = 5
    limiter.hit("k")

    with pytest.raises(RateLimited) as caught:
        limiter.hit("k")
    assert caught.value.retry_after == 5
    clock[0] = 10.5
    limiter.hit("k")  # the first attempt left the window
