"""The repository's release history: every release is whole, and no id of any release is
ever reused or lost (each resolves 200, 301 or 410 in the latest release and in the
curated source served now)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from loaders.turtle_source import read_release_source, read_source
from tests.conftest import BASE, SOURCE
from vocab.model import Snapshot, Status
from vocab.release import SOURCE_DIR, ReleaseArchive
from vocab.release_shelf import ReleaseShelf
from vocab.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent.parent
ARCHIVE = ReleaseArchive(ROOT / "releases")
VERSIONS = ARCHIVE.versions()
RETIRED = {Status.MERGED, Status.WITHDRAWN}


def release_snapshot(version: str) -> Snapshot:
    return read_source(ARCHIVE.folder(version) / SOURCE_DIR, base=BASE, strict=False).snapshot


@pytest.fixture(scope="module")
def current() -> Snapshot:
    return read_source(SOURCE, base=BASE).snapshot


def test_the_repository_carries_at_least_one_release() -> None:
    assert VERSIONS, "releases/ holds no release; cut one with `vocab release`"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_committed_release_matches_its_checksums(version: str) -> None:
    assert ARCHIVE.verify(version) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_no_id_of_a_release_vanishes_later(version: str, current: Snapshot) -> None:
    ids = {c.id for c in release_snapshot(version).concepts}
    later = [release_snapshot(v) for v in VERSIONS[VERSIONS.index(version) + 1 :]] + [current]
    for snapshot in later:
        missing = ids - {c.id for c in snapshot.concepts}
        assert not missing, f"ids of release {version} missing later: {sorted(missing)[:10]}"


@pytest.mark.parametrize("version", VERSIONS)
def test_no_retired_id_of_a_release_is_reused_for_another_concept(
    version: str, current: Snapshot
) -> None:
    retired = {c.id: c for c in release_snapshot(version).concepts if c.status in RETIRED}
    for snapshot in [release_snapshot(v) for v in VERSIONS[VERSIONS.index(version) + 1 :]] + [
        current
    ]:
        for concept in snapshot.concepts:
            old = retired.get(concept.id)
            if old is not None:
                assert concept.status in RETIRED, (
                    f"{concept.id} was retired in {version}, then reused"
                )


def test_every_id_of_every_release_resolves_in_the_served_vocabulary(
    current: Snapshot, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from vocab.source import write_store

    db = tmp_path_factory.mktemp("served") / "vocab.db"
    write_store(db, current, origin="test", source=SOURCE, base=BASE)
    client = TestClient(create_app(Vocabulary.open(db), base=BASE), follow_redirects=False)
    ids = sorted({c.id for v in VERSIONS for c in release_snapshot(v).concepts})
    for concept_id in ids:
        status = client.get(f"/terms/{concept_id}?format=json").status_code
        assert status in (200, 301, 410), f"/terms/{concept_id} answered {status}"


def test_a_fresh_clone_serves_the_shipped_release_and_its_pinned_uris(
    shipped: Vocabulary, tmp_path: Path
) -> None:
    import shutil

    clone = ReleaseArchive(tmp_path / "releases")  # as a clone has it: no snapshot.db
    for version in VERSIONS:
        shutil.copytree(
            ARCHIVE.folder(version), clone.root / version, ignore=shutil.ignore_patterns("*.db")
        )
    shelf = ReleaseShelf(clone, base=BASE, cache=tmp_path / "cache", read=read_release_source)
    client = TestClient(create_app(shipped, base=BASE, releases=shelf))
    listed = client.get("/releases").json()["releases"]
    assert listed[-1]["version"] == VERSIONS[0]
    first = release_snapshot(VERSIONS[0]).concepts[0]
    pinned = client.get(f"/releases/{VERSIONS[0]}/terms/{first.id}?format=json")
    assert pinned.status_code in (200, 410)
    assert pinned.json()["prefLabel"]["en-GB"] == first.pref_label()
