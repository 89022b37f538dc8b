"""The release core: the version scheme, manifests, the change window, history."""

from __future__ import annotations

from pathlib import Path

import pytest

from vocab.errors import InvalidInput, NotFound
from vocab.model import LangText, Scheme, Snapshot
from vocab.release import (
    Artefact,
    Manifest,
    ReleaseArchive,
    ReleaseVersion,
    next_version,
    stamp,
    version_iri,
)
from vocab.release_history import window


@pytest.mark.parametrize(
    ("existing", "today", "expected"),
    [
        ([], "2026-12-02", "2026-12-02"),
        (["2026-12-01"], "2026-12-02", "2026-12-02"),
        (["2026-12-02"], "2026-12-02", "2026-12-02.2"),
        (["2026-12-02", "2026-12-02.2"], "2026-12-02", "2026-12-02.3"),
    ],
)
def test_the_next_version_is_today_numbered_after_any_release_that_day(
    existing: list[str], today: str, expected: str
) -> None:
    assert next_version(existing, today) == expected


def test_a_release_later_than_today_blocks_an_automatic_version() -> None:
    with pytest.raises(InvalidInput, match="later than today"):
        next_version(["2027-01-01"], "2026-12-02")


@pytest.mark.parametrize(
    "text", ["2026-13-01", "2026-12-02.1", "26-12-02", "latest", "2026-12-02.x"]
)
def test_a_malformed_version_is_refused_saying_the_form(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"YYYY-MM-DD|real date"):
        ReleaseVersion.from_text(text)


def test_versions_sort_in_time() -> None:
    texts = ["2026-12-02.10", "2026-12-02", "2026-01-31", "2026-12-02.2"]
    ordered = sorted(texts, key=ReleaseVersion.from_text)
    assert ordered == ["2026-01-31", "2026-12-02", "2026-12-02.2", "2026-12-02.10"]


def test_a_manifest_reads_back_as_it_was_written() -> None:
    manifest = Manifest(
        "2026-12-02",
        "2026-12-02",
        "http://x",
        notes="n",
        previous="2026-12-01",
        concepts=3,
        summary={"added": 1},
        artefacts=(Artefact("vocabulary.ttl", "ttl", "text/turtle", 10, "ab" * 32),),
        snapshot_sha256="cd" * 32,
        provenance="curated source vocabulary/",
    )
    import json

    assert Manifest.from_json(json.loads(manifest.dumps())) == manifest
    assert manifest.to_json()["versionIRI"] == "http://x/releases/2026-12-02"


def test_stamping_makes_the_scheme_the_release() -> None:
    snapshot = Snapshot((Scheme("http://x/scheme", (LangText("T", "en"),), version="0.1.0"),), ())
    manifest = Manifest("2026-12-02", "2026-12-02", "http://x")
    scheme = stamp(snapshot, manifest, "http://x").scheme
    assert (scheme.version, scheme.version_iri, scheme.modified) == (
        "2026-12-02",
        version_iri("http://x", "2026-12-02"),
        "2026-12-02",
    )


def test_an_archive_ignores_staging_folders_and_names_its_releases(tmp_path: Path) -> None:
    (tmp_path / ".staging-2026-12-02-123").mkdir()
    (tmp_path / "2026-12-01").mkdir()
    (tmp_path / "2026-12-01" / "manifest.json").write_bytes(
        Manifest("2026-12-01", "2026-12-01", "http://x").dumps()
    )
    (tmp_path / "not-a-release").mkdir()
    archive = ReleaseArchive(tmp_path)
    assert archive.versions() == ["2026-12-01"]
    with pytest.raises(NotFound, match="the releases are: 2026-12-01"):
        archive.manifest("../etc")


DATES = {"2026-01-01": "2026-01-01", "2026-02-01": "2026-02-01", "2026-02-01.2": "2026-02-01"}


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (None, None, ["2026-01-01", "2026-02-01", "2026-02-01.2"]),
        ("2026-01-01", None, ["2026-02-01", "2026-02-01.2"]),
        ("2026-02-01", None, ["2026-02-01.2"]),
        (None, "2026-02-01", ["2026-01-01", "2026-02-01"]),
        ("2026-01-15", "2026-02-01", ["2026-02-01"]),  # a date is that day's first release
        (None, "2025-12-31", []),
    ],
)
def test_the_change_window_excludes_since_and_includes_until(
    since: str | None, until: str | None, expected: list[str]
) -> None:
    assert window(list(DATES), DATES, since, until) == expected
