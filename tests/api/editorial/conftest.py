"""HTTP fixtures for the editorial side: the app over a seeded editorial store, on SQLite and
PostgreSQL, with a team of accounts of every role, each with an API key and a password."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.editorial.context import Editorial, make_editorial
from loaders.turtle_source import read_source
from tests.conftest import FIXTURES, build_vocabulary
from tests.editorial.conftest import BACKENDS, migrated_template, postgres  # noqa: F401
from vocab.editorial.accounts import Accounts
from vocab.editorial.model import Account, AuditEntry, ReviewerScope, Role
from vocab.editorial.seed import seed
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.vocabulary import Vocabulary

SOURCE = FIXTURES / "editorial"
BASE = "http://vocab.test"
PASSWORD = "a long enough passphrase"
TEAM: dict[str, tuple[Role, tuple[str, ...], tuple[str, ...]]] = {
    "pat": (Role.PROPOSER, ("industry",), ()),
    "eve": (Role.EDITOR, ("clinical",), ()),
    "carol": (Role.REVIEWER, ("clinical",), ("*",)),
    "ivan": (Role.REVIEWER, ("industry",), ("*",)),
    "rita": (Role.REVIEWER, ("regulatory",), ("evaluation",)),
    "rob": (Role.RELEASE_MANAGER, (), ()),
}
"""name: (role, communities, collections). pat proposes for industry; eve edits for clinical
readers; carol and ivan review everything; rita reviews the evaluation collection only."""


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    """The published release the read path serves (the same tiny vocabulary)."""
    return build_vocabulary(SOURCE, tmp_path_factory.mktemp("published") / "vocab.db", base=BASE)


def editorial_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        return str(tmp_path / "editorial.db")
    cluster = request.getfixturevalue("postgres")
    return str(cluster.new_database(template=request.getfixturevalue("migrated_template")))


@dataclass
class Desk:
    """The app with its editorial side, and the team: `desk.key("carol")` gives carol's headers."""

    client: TestClient
    editorial: Editorial
    accounts: dict[str, Account]
    tokens: dict[str, str] = field(default_factory=dict)

    def key(self, name: str) -> dict[str, str]:
        return {"X-API-Key": self.tokens[name]}

    def post(self, path: str, name: str | None, body: Any = None) -> Any:
        headers = self.key(name) if name else {}
        return self.client.post(path, json=body if body is not None else {}, headers=headers)

    def version(self, concept_id: str) -> int:
        return int(self.client.get(f"/editorial/concepts/{concept_id}").json()["version"])

    def labels(self, concept_id: str, *extra: dict[str, Any]) -> list[dict[str, Any]]:
        fields = self.client.get(f"/editorial/concepts/{concept_id}").json()["fields"]
        return [*fields["labels"], *extra]


def sign_in(client: TestClient, **form: str) -> Any:
    """Post the sign-in form as a browser does: fetch the page first (its login-CSRF cookie)."""
    client.get("/editorial/sign-in")
    token = client.cookies.get("vocab_login_csrf") or ""
    return client.post("/editorial/sign-in", data={"csrf_token": token, **form})


def make_desk(
    url: str, published: Vocabulary, *, passwords: tuple[str, ...] = (), **options: Any
) -> Desk:
    """Seed a store at `url`, add the team (with passwords if asked: argon2 is slow on purpose)."""
    store = SqlEditorialStore.open(url)
    seed(store, read_source(SOURCE, base=BASE).snapshot, base=BASE)
    editorial = make_editorial(store, **options)
    accounts = Accounts(store)
    admin = (
        accounts.bootstrap_admin("admin", PASSWORD)
        if "admin" in passwords
        else store.add_account(
            Account(0, "admin", "admin", frozenset({Role.ADMIN})),
            None,
            AuditEntry(0, datetime.now(UTC), None, "system", "account.create", "account:admin"),
        )
    )
    team = {"admin": admin}
    for name, (role, communities, collections) in TEAM.items():
        team[name] = accounts.create_account(
            admin,
            name,
            roles=[role],
            scope=ReviewerScope(communities, collections),
            password=PASSWORD if name in passwords else None,
        )
    tokens = {name: accounts.issue_key(admin, a.id, "tests")[1] for name, a in team.items()}
    client = TestClient(
        create_app(published, base=BASE, editorial=editorial), follow_redirects=False
    )
    return Desk(client, editorial, team, tokens)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def desk(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, published: Vocabulary
) -> Iterator[Desk]:
    """The app over a freshly seeded editorial store, on each backend."""
    desk = make_desk(editorial_url(backend, request, tmp_path), published)
    with desk.client:
        yield desk


@pytest.fixture
def lite(tmp_path: Path, published: Vocabulary) -> Iterator[Desk]:
    """The same on SQLite only, for tests of the HTTP edge that do not depend on the backend."""
    desk = make_desk(str(tmp_path / "editorial.db"), published)
    with desk.client:
        yield desk


def label(text: str, kind: str = "alt", *usage: str) -> dict[str, Any]:
    return {"text": text, "lang": "en-GB", "kind": kind, "usage": list(usage)}


NEW_CONCEPT = {
    "labels": [
        label("positive predictive value", "pref", "clinical"),
        label("PPV", "acronym", "clinical"),
    ],
    "definitions": [
        {"text": "The share of positive results that are real positives.", "lang": "en-GB"}
    ],
    "plain_definitions": [{"text": "How often a positive result is right.", "lang": "en-GB"}],
    "sources": ["https://example.org/ppv"],
    "broader": ["t0004"],
    "collections": ["evaluation"],
}
