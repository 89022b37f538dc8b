"""Editorial fixtures: every store test runs on SQLite and on a private PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.editorial.postgres import Cluster
from vocab.editorial.accounts import Accounts
from vocab.editorial.model import Account, AuditEntry, ReviewerScope, Role
from vocab.editorial.seed import seed
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow
from vocab.model import Collection, Concept, Label, LabelKind, LangText, Scheme, Snapshot

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the whole session; fails (never skips) without the binaries."""
    cluster = Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def migrated_template(postgres: Cluster) -> str:
    """A PostgreSQL database migrated once, copied for each test (CREATE DATABASE ... TEMPLATE)."""
    url = postgres.new_database()
    SqlEditorialStore.open(url).close()
    return url.split("@/", 1)[1].split("?")[0]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        return str(tmp_path / "editorial.db")
    cluster: Cluster = request.getfixturevalue("postgres")
    return cluster.new_database()


@pytest.fixture
def store(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[SqlEditorialStore]:
    """A fresh, migrated editorial store on each backend (opening it runs the migrations)."""
    if backend == "sqlite":
        url = str(tmp_path / "editorial.db")
    else:
        cluster: Cluster = request.getfixturevalue("postgres")
        url = cluster.new_database(template=request.getfixturevalue("migrated_template"))
    opened = SqlEditorialStore.open(url)
    try:
        yield opened
    finally:
        opened.close()


X = "http://x"


def concept(cid: str, pref: str, *more: Label, **fields: object) -> Concept:
    """A concept that passes the quality gate: labels, definitions, a source."""
    base = Concept(
        cid,
        f"{X}/terms/{cid}",
        labels=(Label(pref, "en-GB", LabelKind.PREF, ("clinical",)), *more),
        definitions=(LangText(f"The definition of {pref}.", "en-GB"),),
        plain_definitions=(LangText(f"{pref}, in plain words.", "en-GB"),),
        sources=("https://example.org/source",),
        in_schemes=(f"{X}/scheme",),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def tiny_snapshot() -> Snapshot:
    """Four concepts in two collections (t5 in none), with a hierarchy."""
    t = f"{X}/terms/"
    concepts = (
        concept(
            "t1",
            "sensitivity",
            Label("recall", "en-GB", LabelKind.ALT, ("industry",)),
            Label("TPR", "en-GB", LabelKind.ACRONYM, ("academic",)),
            broader=(t + "t4",),
        ),
        concept("t2", "specificity", broader=(t + "t4",)),
        concept(
            "t3",
            "Medicines and Healthcare products Regulatory Agency",
            Label("MHRA", "en-GB", LabelKind.ACRONYM, ("regulatory",)),
            related=(t + "t5",),
        ),
        concept("t4", "diagnostic accuracy", narrower=(t + "t1", t + "t2")),
        concept("t5", "regulator", related=(t + "t3",)),
    )
    return Snapshot(
        schemes=(Scheme(f"{X}/scheme", titles=(LangText("Tiny", "en-GB"),)),),
        concepts=concepts,
        collections=(
            Collection(
                "evaluation",
                f"{X}/collections/evaluation",
                (LangText("Evaluation", "en-GB"),),
                members=(t + "t1", t + "t2", t + "t4"),
            ),
            Collection(
                "regulation",
                f"{X}/collections/regulation",
                (LangText("Regulation", "en-GB"),),
                members=(t + "t3",),
            ),
        ),
        top_concepts={f"{X}/scheme": (t + "t3", t + "t4", t + "t5")},
    )


@dataclass(frozen=True)
class Team:
    """Accounts of every role, with communities and collections to test the rules."""

    admin: Account
    proposer: Account  # industry
    editor: Account  # clinical
    clinical_reviewer: Account  # reviews everything
    industry_reviewer: Account  # reviews everything
    evaluation_reviewer: Account  # regulatory; reviews the evaluation collection only
    release_manager: Account


@pytest.fixture
def seeded(store: SqlEditorialStore) -> SqlEditorialStore:
    """The tiny vocabulary seeded into an empty store."""
    seed(store, tiny_snapshot(), base=X)
    return store


@pytest.fixture
def team(seeded: SqlEditorialStore) -> Team:
    now = datetime.now(UTC)
    admin = seeded.add_account(
        Account(0, "admin", roles=frozenset({Role.ADMIN})),
        None,
        AuditEntry(0, now, None, "system", "account.create", "account:admin"),
    )
    accounts = Accounts(seeded)

    def make(
        name: str, role: Role, communities: tuple[str, ...], collections: tuple[str, ...] = ("*",)
    ) -> Account:
        return accounts.create_account(
            admin, name, roles=[role], scope=ReviewerScope(communities, collections)
        )

    return Team(
        admin=admin,
        proposer=make("pat", Role.PROPOSER, ("industry",), ()),
        editor=make("eve", Role.EDITOR, ("clinical",), ()),
        clinical_reviewer=make("carol", Role.REVIEWER, ("clinical",)),
        industry_reviewer=make("ivan", Role.REVIEWER, ("industry",)),
        evaluation_reviewer=make("rita", Role.REVIEWER, ("regulatory",), ("evaluation",)),
        release_manager=make("rob", Role.RELEASE_MANAGER, ()),
    )


@pytest.fixture
def workflow(seeded: SqlEditorialStore) -> Workflow:
    return Workflow(seeded)
