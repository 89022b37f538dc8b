"""Releases over HTTP: the list, one release with its files and diff, pinned concept URIs,
/changes, the Atom feeds, the term page's history, and switching release without restart."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.app import Service, create_app
from cli.release_commands import cut_release
from loaders.turtle_source import read_release_source
from tests.conftest import (
    BASE,
    NEW_CT_DEFINITION,
    OLD_CT_DEFINITION,
    copy_release_source,
    edit_release_source,
)
from vocab.config import Settings
from vocab.release import SNAPSHOT, ReleaseArchive
from vocab.release_shelf import ReleaseShelf
from vocab.vocabulary import Vocabulary

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST, SECOND = "2026-01-01", "2026-02-01"


@dataclass
class Cut:
    work: Path
    archive: ReleaseArchive

    def snapshot(self, version: str) -> Vocabulary:
        return Vocabulary.open(self.archive.root / version / SNAPSHOT)

    def shelf(self, base: str = BASE) -> ReleaseShelf:
        return ReleaseShelf(
            self.archive, base=base, cache=self.work / "cache", read=read_release_source
        )


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory) -> Cut:
    """Two releases of the fixture: the second with the done-when edits."""
    work = tmp_path_factory.mktemp("releases")
    source = copy_release_source(work)
    settings = Settings(db=work / "vocab.db", source=source, releases=work / "releases")
    archive = ReleaseArchive(settings.releases)
    cut_release(settings, archive, FIRST, "The first release.", shapes=False)
    edit_release_source(source)
    cut_release(
        settings,
        archive,
        SECOND,
        "Definition, label, relation; one added, one deprecated.",
        shapes=False,
    )
    return Cut(work, archive)


@pytest.fixture(scope="module")
def client(cut: Cut) -> TestClient:
    app = create_app(cut.snapshot(SECOND), base=BASE, releases=cut.shelf())
    return TestClient(app, follow_redirects=False)


def test_releases_lists_every_release_newest_first(client: TestClient) -> None:
    data = client.get("/releases").json()
    assert [r["version"] for r in data["releases"]] == [SECOND, FIRST]
    assert data["releases"][0]["versionIRI"] == f"{BASE}/releases/{SECOND}"
    assert data["releases"][0]["previous"] == FIRST


def test_a_release_answers_its_metadata_files_and_diff(client: TestClient) -> None:
    data = client.get(f"/releases/{SECOND}").json()
    assert data["date"] == SECOND and data["notes"].startswith("Definition")
    assert {c["id"]: c["kind"] for c in data["diff"]["changes"]} == {
        "t0001": "changed",
        "t0002": "changed",
        "t0003": "changed",
        "t0004": "deprecated",
        "t0005": "added",
    }
    kinds = {a["kind"] for a in data["artefacts"]}
    assert {"ttl", "rdf", "jsonld", "nt", "csv", "sssom", "diff", "notes", "source"} <= kinds


@pytest.mark.parametrize(
    "name", ["vocabulary.ttl", "vocabulary.csv", "diff.json", "source/imaging.ttl"]
)
def test_every_file_downloads_with_the_checksum_of_its_manifest(
    client: TestClient, name: str
) -> None:
    artefact = next(
        a for a in client.get(f"/releases/{SECOND}").json()["artefacts"] if a["name"] == name
    )
    answer = client.get(f"/releases/{SECOND}/files/{name}")
    assert answer.status_code == 200
    assert hashlib.sha256(answer.content).hexdigest() == artefact["sha256"]
    assert answer.headers["x-checksum-sha256"] == artefact["sha256"]
    assert "attachment" in answer.headers["content-disposition"]


def test_the_diff_reads_as_markdown_html_and_rdf(client: TestClient) -> None:
    markdown = client.get(f"/releases/{SECOND}/diff?format=md").text
    assert (
        NEW_CT_DEFINITION in markdown
        and "tumour size" in markdown
        and "region of interest" in markdown
    )
    page = client.get(f"/releases/{SECOND}/diff?format=html").text
    assert "Deprecated (1)" in page and "tumour size" in page
    graph = Graph().parse(
        data=client.get(f"/releases/{SECOND}/diff?format=ttl").text, format="turtle"
    )
    assert any("tumour size" in str(o) for o in graph.objects())


@pytest.mark.parametrize("fmt", ["json", "jsonld", "ttl", "rdf", "nt", "txt", "html"])
def test_a_pinned_uri_answers_the_concept_as_it_was_in_every_representation(
    client: TestClient, fmt: str
) -> None:
    old = client.get(f"/releases/{FIRST}/terms/t0001?format={fmt}")
    now = client.get(f"/terms/t0001?format={fmt}")
    assert old.status_code == now.status_code == 200
    old_text, now_text = " ".join(old.text.split()), " ".join(now.text.split())  # txt wraps
    assert OLD_CT_DEFINITION in old_text and NEW_CT_DEFINITION not in old_text
    assert NEW_CT_DEFINITION in now_text and OLD_CT_DEFINITION not in now_text


def test_a_pinned_uri_negotiates_like_a_concept_uri(client: TestClient) -> None:
    answer = client.get(f"/releases/{FIRST}/terms/t0001", headers={"Accept": "text/turtle"})
    assert answer.headers["content-type"].startswith("text/turtle")
    assert answer.headers["vary"] == "Accept"
    again = client.get(
        f"/releases/{FIRST}/terms/t0001",
        headers={"Accept": "text/turtle", "If-None-Match": answer.headers["etag"]},
    )
    assert again.status_code == 304


def test_a_concept_added_later_is_not_in_the_earlier_release(client: TestClient) -> None:
    assert client.get(f"/releases/{FIRST}/terms/t0005?format=json").status_code == 404
    assert client.get(f"/releases/{SECOND}/terms/t0005?format=json").status_code == 200
    deprecated = client.get(f"/releases/{SECOND}/terms/t0004?format=json").json()
    assert deprecated["status"] == "deprecated"


@pytest.mark.parametrize(
    ("query", "versions"),
    [
        (f"since={FIRST}", [SECOND]),
        ("since=2025-12-31", [FIRST, SECOND]),
        (f"until={FIRST}", [FIRST]),
        (f"since={FIRST}&until=2026-01-31", []),
        ("since=2026-01-15&until=2026-02-01", [SECOND]),
    ],
)
def test_changes_answers_the_releases_in_the_window(
    client: TestClient, query: str, versions: list[str]
) -> None:
    data = client.get(f"/changes?{query}").json()
    assert [r["version"] for r in data["releases"]] == versions


def test_changes_since_the_first_release_lists_exactly_the_edits(client: TestClient) -> None:
    data = client.get(f"/changes?since={FIRST}").json()
    (release,) = data["releases"]
    assert {c["id"] for c in release["changes"]} == {"t0001", "t0002", "t0003", "t0004", "t0005"}


@pytest.mark.parametrize(
    "path",
    [
        "/changes?since=yesterday",
        "/changes?until=2026-1-1",
        f"/releases/{FIRST}/diff?format=xlsx",
    ],
)
def test_bad_input_answers_a_clear_error(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert 400 <= answer.status_code < 500
    assert answer.json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/releases/1999-01-01",
        "/releases/..%2F..%2Fetc",
        f"/releases/{FIRST}/files/..%2Fmanifest.json",
        f"/releases/{FIRST}/files/snapshot.db",
        f"/releases/{FIRST}/terms/nope",
    ],
)
def test_unknown_releases_files_and_concepts_answer_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_atom_feeds_list_releases_and_concept_changes(client: TestClient) -> None:
    releases = ET.fromstring(client.get("/releases.atom").content)
    titles = [e.findtext(f"{ATOM}title") for e in releases.iter(f"{ATOM}entry")]
    assert titles == [f"Release {SECOND}", f"Release {FIRST}"]
    changes = ET.fromstring(client.get("/changes.atom").content)
    ids = [e.findtext(f"{ATOM}id") for e in changes.iter(f"{ATOM}entry")]
    assert f"{BASE}/releases/{SECOND}#t0005" in ids
    assert f"{BASE}/releases/{SECOND}#t0002" in ids
    assert client.get("/changes.atom").headers["content-type"].startswith("application/atom+xml")


def test_the_term_page_shows_its_history_and_a_pinned_uri_to_cite(client: TestClient) -> None:
    page = client.get("/terms/t0001?format=html").text
    assert 'id="history"' in page
    assert f"/releases/{SECOND}/terms/t0001" in page and f"/releases/{FIRST}/terms/t0001" in page
    assert f'value="{BASE}/releases/{SECOND}/terms/t0001"' in page
    pinned = client.get(f"/releases/{FIRST}/terms/t0001?format=html").text
    assert f"As it was in release {FIRST}" in pinned


def test_a_release_served_under_another_base_is_rebuilt_from_its_source(cut: Cut) -> None:
    other = "http://vocab.example.org"
    app = create_app(cut.snapshot(SECOND), base=other, releases=cut.shelf(other))
    data = TestClient(app).get(f"/releases/{FIRST}/terms/t0001?format=json").json()
    assert data["uri"] == f"{other}/terms/t0001"
    assert data["definition"]["en-GB"] == OLD_CT_DEFINITION


def test_a_tampered_release_source_is_refused_not_served(cut: Cut, tmp_path: Path) -> None:
    import shutil

    copy = ReleaseArchive(tmp_path / "releases")
    shutil.copytree(cut.archive.root / FIRST, copy.root / FIRST)
    (copy.root / FIRST / SNAPSHOT).unlink()
    (copy.root / FIRST / "source" / "imaging.ttl").write_text("# emptied\n", encoding="utf-8")
    shelf = ReleaseShelf(copy, base=BASE, cache=tmp_path / "cache", read=read_release_source)
    app = create_app(cut.snapshot(SECOND), base=BASE, releases=shelf)
    answer = TestClient(app).get(f"/releases/{FIRST}/terms/t0001?format=json")
    assert answer.status_code == 503
    assert "checksums" in answer.json()["error"]["message"]


def test_switching_release_changes_answers_and_etags_and_keeps_pinned_uris(cut: Cut) -> None:
    service: Service = create_app(cut.snapshot(FIRST), base=BASE, releases=cut.shelf())
    client = TestClient(service)
    before = client.get("/terms/t0001?format=json")
    assert before.json()["definition"]["en-GB"] == OLD_CT_DEFINITION
    service.swap(cut.snapshot(SECOND))
    after = client.get(
        "/terms/t0001?format=json", headers={"If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200
    assert after.json()["definition"]["en-GB"] == NEW_CT_DEFINITION
    assert after.headers["etag"] != before.headers["etag"]
    pinned = client.get(f"/releases/{FIRST}/terms/t0001?format=json").json()
    assert pinned["definition"]["en-GB"] == OLD_CT_DEFINITION
    assert client.get("/scheme?format=json").json()  # the scheme answers the new release too
