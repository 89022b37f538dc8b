"""`vocab release` as a user runs it: the gate, the files, and all or nothing under kill -9
and a full disk."""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph

from tests.conftest import (
    NEW_CT_DEFINITION,
    OLD_CT_DEFINITION,
    copy_release_source,
    edit_release_source,
)
from vocab.release import ReleaseArchive, file_sha256
from vocab.release_publish import served_release
from vocab.vocabulary import Vocabulary

KILLS = 6
"""Release attempts killed at random points (bounded: each costs a process start)."""


def release_command(work: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "cli",
        "release",
        "--source",
        str(work / "source"),
        "--releases",
        str(work / "releases"),
        "--db",
        str(work / "vocab.db"),
        "--no-shapes",
        *args,
    ]


def vocab_release(work: Path, *args: str, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        release_command(work, *args),
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        **options,  # type: ignore[call-overload]
    )


@pytest.fixture
def first(tmp_path: Path) -> Path:
    """A work folder with the fixture source and its first release, 2026-01-01, cut."""
    copy_release_source(tmp_path)
    done = vocab_release(tmp_path, "--version", "2026-01-01", "--notes", "First.")
    assert done.returncode == 0, done.stderr
    return tmp_path


def folder_state(work: Path) -> dict[str, str]:
    """Every file under the releases folder (hidden ones included) with its checksum."""
    root = work / "releases"
    return {
        str(p.relative_to(root)): file_sha256(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_a_release_has_every_artefact_with_a_checksum_that_matches(first: Path) -> None:
    archive = ReleaseArchive(first / "releases")
    manifest = archive.manifest("2026-01-01")
    names = {a.name for a in manifest.artefacts}
    assert {
        "vocabulary.ttl",
        "vocabulary.rdf",
        "vocabulary.jsonld",
        "vocabulary.nt",
        "vocabulary.csv",
        "vocabulary.sssom.tsv",
        "notes.md",
        "diff.json",
        "diff.md",
        "diff.ttl",
        "source/imaging.ttl",
        "source/scheme.ttl",
    } <= names
    assert archive.verify("2026-01-01") == []
    assert manifest.snapshot_sha256 == file_sha256(
        first / "releases" / "2026-01-01" / "snapshot.db"
    )
    graph = Graph().parse(data=archive.read("2026-01-01", "vocabulary.ttl"), format="turtle")
    assert "http://127.0.0.1:8000/releases/2026-01-01" in {str(o) for o in graph.objects()}
    assert served_release(first / "vocab.db") == "2026-01-01"


def test_a_changed_file_fails_its_checksum(first: Path) -> None:
    path = first / "releases" / "2026-01-01" / "vocabulary.csv"
    path.write_bytes(path.read_bytes() + b"tampered\n")
    assert ReleaseArchive(first / "releases").verify("2026-01-01") == ["vocabulary.csv"]


def test_a_failed_gate_publishes_nothing_and_says_why(first: Path) -> None:
    before = folder_state(first)
    imaging = first / "source" / "imaging.ttl"
    imaging.write_text(
        imaging.read_text(encoding="utf-8").replace(
            f'    skos:definition "{OLD_CT_DEFINITION}"@en-GB ;\n', ""
        ),
        encoding="utf-8",
    )
    done = vocab_release(first)
    assert done.returncode == 1
    assert "Release refused" in done.stderr and "nothing was published" in done.stderr
    assert "t0001" in done.stderr
    assert folder_state(first) == before
    assert served_release(first / "vocab.db") == "2026-01-01"


def test_a_release_cannot_be_cut_again_under_the_same_version(first: Path) -> None:
    done = vocab_release(first, "--version", "2026-01-01")
    assert done.returncode != 0
    assert "not later than the latest release" in done.stderr


def _no_larger_files() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))


def test_a_full_disk_while_writing_publishes_nothing(first: Path) -> None:
    edit_release_source(first / "source")
    before = folder_state(first)
    done = vocab_release(first, preexec_fn=_no_larger_files)
    assert done.returncode != 0
    assert "nothing was published" in done.stderr or "Could not build" in done.stderr
    assert "Traceback" not in done.stderr
    assert folder_state(first) == before
    assert served_release(first / "vocab.db") == "2026-01-01"
    assert ReleaseArchive(first / "releases").versions() == ["2026-01-01"]


def test_kill_9_at_any_point_publishes_nothing_and_the_previous_release_keeps_serving(
    first: Path,
) -> None:
    edit_release_source(first / "source")
    root = first / "releases"
    chance = random.Random(20261202)
    completed = False
    for attempt in range(KILLS):
        process = subprocess.Popen(
            release_command(first),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        # half the kills land once staging has begun (the interesting part), half at random
        deadline = time.monotonic() + 120
        if attempt % 2 == 0:
            while process.poll() is None and time.monotonic() < deadline:
                if any(p.name.startswith(".staging-") for p in root.iterdir()):
                    break
                time.sleep(0.005)
            time.sleep(chance.uniform(0, 0.4))
        else:
            time.sleep(chance.uniform(0.5, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        versions = ReleaseArchive(root).versions()
        if len(versions) == 2:  # the kill came after the commit: the release is whole
            assert ReleaseArchive(root).verify(versions[1]) == []
            completed = True
            break
        assert versions == ["2026-01-01"]
        assert served_release(first / "vocab.db") == "2026-01-01"
        old = Vocabulary.open(first / "vocab.db")
        assert old.record("t0001").concept.definition() == OLD_CT_DEFINITION
    done = (
        vocab_release(first) if not completed else vocab_release(first, "--version", "2099-01-01")
    )
    assert done.returncode == 0, done.stderr
    assert not [p for p in root.iterdir() if p.name.startswith(".staging-")]
    assert not list(first.glob(".vocab.db.release-*.tmp"))
    assert served_release(first / "vocab.db") == ReleaseArchive(root).versions()[-1]
    assert (
        Vocabulary.open(first / "vocab.db").record("t0001").concept.definition()
        == NEW_CT_DEFINITION
    )


def test_the_second_release_diff_shows_exactly_the_edits(first: Path) -> None:
    edit_release_source(first / "source")
    done = vocab_release(first, "--version", "2026-02-01")
    assert done.returncode == 0, done.stderr
    archive = ReleaseArchive(first / "releases")
    diff = json.loads(archive.read("2026-02-01", "diff.json"))
    kinds = {c["id"]: c["kind"] for c in diff["changes"]}
    assert kinds == {
        "t0001": "changed",
        "t0002": "changed",
        "t0003": "changed",
        "t0004": "deprecated",
        "t0005": "added",
    }
    fields = {c["id"]: {f["field"] for f in c["fields"]} for c in diff["changes"]}
    assert "definitions" in fields["t0001"]
    assert fields["t0002"] == {"labels", "related"}  # related is symmetric: t0003 left it
    assert fields["t0003"] == {"related"}
    labels = next(
        f
        for c in diff["changes"]
        if c["id"] == "t0002"
        for f in c["fields"]
        if f["field"] == "labels"
    )
    assert [v["text"] for v in labels["added"]] == ["tumour size"] and labels["removed"] == []
    assert {"status", "replaced_by"} <= fields["t0004"]
    markdown = archive.read("2026-02-01", "diff.md").decode()
    assert NEW_CT_DEFINITION in markdown and OLD_CT_DEFINITION in markdown
    assert (
        "tumour size" in markdown and "## Added (1)" in markdown and "## Deprecated (1)" in markdown
    )
    graph = Graph().parse(data=archive.read("2026-02-01", "diff.ttl"), format="turtle")
    notes = {str(o) for o in graph.objects()}
    assert any("tumour size" in n for n in notes)
    assert any(n.startswith("added") for n in notes)
    assert "2026-02-01" in notes


def test_a_source_that_is_the_latest_release_builds_as_that_release(first: Path) -> None:
    env = {**os.environ, "VOCAB_RELEASES": str(first / "releases")}
    build = [sys.executable, "-m", "cli", "build", "--source", str(first / "source")]
    done = subprocess.run(
        [*build, "--db", str(first / "a.db")], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    released = Vocabulary.open(first / "a.db")
    assert released.scheme.version == "2026-01-01"
    assert released.scheme.version_iri == "http://127.0.0.1:8000/releases/2026-01-01"
    assert released.store.meta["origin"] == "release 2026-01-01"
    edit_release_source(first / "source")  # unreleased edits: a working copy, not a release
    done = subprocess.run(
        [*build, "--db", str(first / "b.db")], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert Vocabulary.open(first / "b.db").store.meta["origin"].startswith("source:")
