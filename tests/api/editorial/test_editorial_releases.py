"""`POST /editorial/releases`: release managers cut a release of the approved head."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders.turtle_source import read_release_source
from tests.api.editorial import conftest as editorial_conftest
from tests.api.editorial.conftest import BASE, Desk, make_desk
from tests.conftest import RELEASE_SOURCE
from vocab.release import ReleaseArchive
from vocab.release_publish import served_release
from vocab.release_shelf import ReleaseShelf
from vocab.vocabulary import Vocabulary


def with_releases(desk: Desk, tmp_path: Path) -> Desk:
    """Give the desk's app a releases folder and a served store to switch."""
    desk.client.app.fastapi.state.releases = ReleaseShelf(  # type: ignore[attr-defined]
        ReleaseArchive(tmp_path / "releases"),
        base=BASE,
        cache=tmp_path / "cache",
        read=read_release_source,
        db=tmp_path / "vocab.db",
    )
    return desk


@pytest.fixture
def desk(tmp_path: Path, published: Vocabulary, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    """The editorial app (SQLite) seeded with the release fixture, which passes the gate."""
    monkeypatch.setattr(editorial_conftest, "SOURCE", RELEASE_SOURCE)
    monkeypatch.delitem(editorial_conftest.TEAM, "rita")  # her collection is not in it
    desk = with_releases(make_desk(str(tmp_path / "editorial.db"), published), tmp_path)
    with desk.client:
        yield desk


def test_a_head_that_fails_the_gate_is_not_released(tmp_path: Path, published: Vocabulary) -> None:
    desk = with_releases(make_desk(str(tmp_path / "editorial.db"), published), tmp_path)
    with desk.client:
        answer = desk.post("/editorial/releases", "rob", {"notes": "Too early."})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "release_refused"
    assert "nothing was published" in answer.json()["error"]["message"]
    assert ReleaseArchive(tmp_path / "releases").versions() == []
    assert not (tmp_path / "vocab.db").exists()


def test_a_release_manager_cuts_a_release_of_the_head(desk: Desk, tmp_path: Path) -> None:
    answer = desk.post("/editorial/releases", "rob", {"version": "2026-03-01", "notes": "Spring."})
    assert answer.status_code == 201, answer.text
    assert answer.json()["version"] == "2026-03-01"
    archive = ReleaseArchive(tmp_path / "releases")
    assert archive.versions() == ["2026-03-01"] and archive.verify("2026-03-01") == []
    assert served_release(tmp_path / "vocab.db") == "2026-03-01"
    assert desk.client.get("/releases").json()["releases"][0]["version"] == "2026-03-01"
    audit = desk.client.get("/editorial/audit", headers=desk.key("rob")).text
    assert "release:2026-03-01" in audit


@pytest.mark.parametrize(
    ("name", "status"), [(None, 401), ("pat", 403), ("carol", 403), ("admin", 403)]
)
def test_others_may_not_cut_a_release(
    desk: Desk, tmp_path: Path, name: str | None, status: int
) -> None:
    answer = desk.post("/editorial/releases", name, {"notes": "Not mine to cut."})
    assert answer.status_code == status
    assert ReleaseArchive(tmp_path / "releases").versions() == []


def test_a_release_is_never_cut_twice_under_one_version(desk: Desk, tmp_path: Path) -> None:
    assert desk.post("/editorial/releases", "rob", {"version": "2026-03-01"}).status_code == 201
    again = desk.post("/editorial/releases", "rob", {"version": "2026-03-01"})
    assert again.status_code == 422
    assert "not later than the latest release" in again.json()["error"]["message"]


@pytest.mark.parametrize("body", [{"version": "yesterday"}, {"status": "published"}])
def test_a_bad_release_body_is_refused(desk: Desk, body: dict[str, str]) -> None:
    assert desk.post("/editorial/releases", "rob", body).status_code == 422
