"""The editorial commands, run as an administrator runs them (real processes, a real store)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.editorial.conftest import BACKENDS, postgres  # noqa: F401
from tests.editorial.proposals import DEFINITION
from vocab.editorial.accounts import Accounts
from vocab.editorial.errors import Unauthorised
from vocab.editorial.model import ProposalKind
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow

SOURCE = FIXTURES / "editorial"
PASSWORD = "a long enough passphrase\n"


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], capture_output=True, text=True, timeout=60,
        input=stdin, env={**os.environ, **env},
    )  # fmt: skip


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An editorial store set up as the README says: init, an admin, reviewers, an editor."""
    folder = tmp_path_factory.mktemp("editorial-cli")
    env = {"VOCAB_EDITORIAL_DB": str(folder / "editorial.db"), "VOCAB_SOURCE": str(SOURCE)}
    steps = [
        (("editorial", "init"), None),
        (("user", "add", "admin", "--role", "admin", "--password-stdin"), PASSWORD),
        (("user", "add", "carol", "--role", "reviewer", "--community", "clinical", "--collection", "*", "--as", "admin"), None),
        (("user", "add", "ivan", "--role", "reviewer", "--community", "industry", "--collection", "*", "--as", "admin"), None),
        (("user", "add", "eve", "--role", "editor", "--community", "clinical", "--as", "admin"), None),
    ]  # fmt: skip
    for args, stdin in steps:
        done = run(env, *args, stdin=stdin)
        assert done.returncode == 0, done.stderr
    return env


def test_init_seeds_the_curated_source(team: dict[str, str]) -> None:
    store = SqlEditorialStore.open(team["VOCAB_EDITORIAL_DB"])
    assert [hc.concept.id for hc in store.head()] == ["t0001", "t0002", "t0003", "t0004", "t0005"]


def test_init_refuses_a_store_that_holds_a_vocabulary(team: dict[str, str]) -> None:
    done = run(team, "editorial", "init")
    assert (
        done.returncode,
        done.stderr.startswith("error: The editorial store already holds"),
        "Traceback" in done.stderr,
    ) == (2, True, False)


def test_user_list_shows_roles_and_scope(team: dict[str, str]) -> None:
    lines = run(team, "user", "list").stdout.splitlines()
    assert "carol\treviewer\tclinical\t*\tactive" in lines and len(lines) >= 4


def test_a_key_is_printed_once_and_works(team: dict[str, str]) -> None:
    done = run(team, "user", "key", "eve", "--as", "admin")
    token = done.stdout.strip()
    account = Accounts(SqlEditorialStore.open(team["VOCAB_EDITORIAL_DB"])).authenticate_key(token)
    assert (token.startswith("airt_"), account.name) == (True, "eve")


def test_a_revoked_key_stops_working(team: dict[str, str]) -> None:
    token = run(team, "user", "key", "carol", "--as", "admin").stdout.strip()
    run(team, "user", "key", "carol", "--revoke", token.split("_")[1], "--as", "admin")
    with pytest.raises(Unauthorised):
        Accounts(SqlEditorialStore.open(team["VOCAB_EDITORIAL_DB"])).authenticate_key(token)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("user", "add", "x", "--role", "proposer"), "Name an existing account with --as"),
        (("user", "add", "x", "--role", "proposer", "--as", "eve"), "may not manage accounts"),
        (("user", "add", "Bad Name", "--as", "admin"), "is not allowed"),
        (("user", "role", "nobody", "--role", "editor", "--as", "admin"), "No account 'nobody'"),
        (("propose", "/nonexistent.ttl", "--as", "eve", "--reason", "r"), "does not exist"),
    ],
)
def test_mistakes_are_one_line_on_stderr_and_a_non_zero_exit(
    team: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    done = run(team, *args)
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr


def test_user_role_changes_roles_and_communities(team: dict[str, str]) -> None:
    run(
        team, "user", "add", "pat", "--role", "proposer", "--community", "industry", "--as", "admin"
    )
    done = run(
        team, "user", "role", "pat", "--role", "editor", "--community", "patient", "--as", "admin"
    )
    assert "roles editor; communities patient" in done.stderr


def edited_regulation(folder: Path) -> Path:
    """regulation.ttl with a new alternative label for the MHRA, as a pull request would have it."""
    path = folder / "regulation.ttl"
    text = (SOURCE / "regulation.ttl").read_text()
    path.write_text(
        text.replace(
            'airt:acronym "MHRA"@en-GB ;',
            'airt:acronym "MHRA"@en-GB ;\n    skos:altLabel "UK medicines regulator"@en-GB ;',
        )
    )
    return path


def test_propose_turns_an_edited_file_into_a_submitted_proposal(
    team: dict[str, str], tmp_path: Path
) -> None:
    done = run(
        team,
        "propose",
        str(edited_regulation(tmp_path)),
        "--as",
        "eve",
        "--reason",
        "The name the press uses.",
    )
    fields = done.stdout.strip().split("\t")
    assert fields[1:4] == ["submitted", "edit_labels", "t0003"], done.stderr


def test_propose_with_a_base_refuses_a_concept_changed_meanwhile(
    team: dict[str, str], tmp_path: Path
) -> None:
    base = tmp_path / "base"
    shutil.copytree(SOURCE, base)
    edited = tmp_path / "edited"
    shutil.copytree(SOURCE, edited)
    (edited / "evaluation.ttl").write_text(
        (SOURCE / "evaluation.ttl").read_text().replace("a test finds", "a test detects")
    )
    store = SqlEditorialStore.open(team["VOCAB_EDITORIAL_DB"])
    wf, eve, ivan = Workflow(store), store.account_by_name("eve"), store.account_by_name("ivan")
    p = wf.propose(
        eve,
        ProposalKind.EDIT_DEFINITIONS,
        DEFINITION,
        concept_id="t0001",
        base_version=1,
        reason="r",
        submit=True,
    )
    wf.take(ivan, p.id)
    wf.approve(ivan, p.id)
    done = run(team, "propose", str(edited), "--base", str(base), "--as", "eve", "--reason", "r")
    assert done.returncode == 2 and "t0001 changed in the editorial store" in done.stderr


def test_propose_refuses_a_source_that_deletes_a_concept(
    team: dict[str, str], tmp_path: Path
) -> None:
    edited = tmp_path / "edited"
    shutil.copytree(SOURCE, edited)
    (edited / "regulation.ttl").unlink()
    done = run(team, "propose", str(edited), "--as", "eve", "--reason", "r")
    assert done.returncode == 2 and "concepts are never deleted" in done.stderr


def test_the_audit_export_is_json_lines(team: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "audit.jsonl"
    run(team, "editorial", "audit", "-o", str(out))
    entries = [json.loads(line) for line in out.read_text().splitlines()]
    assert entries[0]["action"] == "vocabulary.seed" and [e["seq"] for e in entries] == sorted(
        e["seq"] for e in entries
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_editorial_commands_work_on_each_backend(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        str(tmp_path / "e.db")
        if backend == "sqlite"
        else request.getfixturevalue("postgres").new_database()
    )
    env = {"VOCAB_EDITORIAL_DB": url, "VOCAB_SOURCE": str(SOURCE)}
    codes = [run(env, "editorial", "init").returncode,
             run(env, "user", "add", "admin", "--role", "admin", "--password-stdin", stdin=PASSWORD).returncode,
             run(env, "user", "add", "eve", "--role", "editor", "--as", "admin").returncode]  # fmt: skip
    filed = run(env, "propose", str(edited_regulation(tmp_path)), "--as", "eve", "--reason", "r")
    assert codes == [0, 0, 0] and filed.stdout.count("\tsubmitted\t") == 1
