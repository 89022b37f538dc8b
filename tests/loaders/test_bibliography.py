"""Sources with their titles: ontology/sources/sources.ttl read, stored, shown and exported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from loaders import RDF_FORMATS, READERS, WRITERS
from loaders.rdf_input import DEFAULT_LIMITS
from loaders.turtle_source import read_source
from tests.conftest import BASE, ROOT, SOURCE
from vocab.source import stale_reason, write_store
from vocab.vocabulary import Vocabulary

RDFLIB_PARSER = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "nt": "nt"}
MHRA_SITE = "https://www.gov.uk/government/organisations/medicines-and-healthcare-products-regulatory-agency"


def test_every_cited_address_of_the_shipped_source_has_a_title(shipped: Vocabulary) -> None:
    cited = {iri for c in shipped.snapshot().concepts for iri in (*c.sources, *c.pages)}
    assert len(cited) > 100
    assert sorted(cited - set(shipped.bibliography)) == []
    assert all(b.title for b in shipped.bibliography.values())


def test_a_source_keeps_its_citation_publisher_and_year(shipped: Vocabulary) -> None:
    book = shipped.bibliography["http://incompleteideas.net/book/the-book-2nd.html"]
    assert book.title == "Reinforcement Learning: An Introduction"
    assert book.citation.startswith("Sutton RS, Barto AG.")
    assert (book.publisher, book.year) == ("MIT Press", "2018")


def test_the_term_page_shows_source_titles(client: TestClient, shipped: Vocabulary) -> None:
    page = client.get("/terms/t0019", headers={"Accept": "text/html"}).text
    title = shipped.bibliography[MHRA_SITE].title
    assert f">{title}</a>" in page


def test_concept_json_describes_each_source(client: TestClient, shipped: Vocabulary) -> None:
    data = client.get("/terms/t0019", headers={"Accept": "application/json"}).json()
    assert data["page"] == [MHRA_SITE]  # the old shape is kept
    described = {s["iri"]: s for s in data["sources"]}
    assert described[MHRA_SITE]["kind"] == "page"
    assert described[MHRA_SITE]["title"] == shipped.bibliography[MHRA_SITE].title
    assert {"iri", "kind", "title", "citation", "publisher", "year"} <= set(described[MHRA_SITE])


def test_bibtex_is_a_misc_entry_with_howpublished_and_no_booktitle(client: TestClient) -> None:
    page = client.get("/terms/t0019", headers={"Accept": "text/html"}).text
    bibtex = page.split('id="citation-bibtex" class="cite">', 1)[1].split("</pre>", 1)[0]
    assert bibtex.startswith("@misc{airt-t0019,")
    assert "booktitle" not in bibtex
    for field in ("howpublished", "url", "note", "year"):
        assert f"  {field} = {{" in bibtex


def test_the_embed_names_sources_by_title(client: TestClient, shipped: Vocabulary) -> None:
    html = client.get("/embed/t0019").text
    assert shipped.bibliography[MHRA_SITE].title in html


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_exports_state_each_source_title(shipped: Vocabulary, fmt: str) -> None:
    graph = Graph().parse(data=WRITERS[fmt](shipped.snapshot()), format=RDFLIB_PARSER[fmt])
    title = shipped.bibliography[MHRA_SITE].title
    assert (URIRef(MHRA_SITE), DCTERMS.title, Literal(title, lang="en")) in graph


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_reading_an_export_back_keeps_the_titles(shipped: Vocabulary, fmt: str) -> None:
    data = WRITERS[fmt](shipped.snapshot())
    again = READERS[fmt](data, BASE, f"export.{fmt}", DEFAULT_LIMITS).snapshot
    assert again.bibliography == shipped.snapshot().bibliography


def test_a_changed_bibliography_makes_the_store_stale(tmp_path: Path) -> None:
    ontology = tmp_path / "ontology"
    shutil.copytree(SOURCE, ontology / "vocabulary")
    shutil.copytree(ROOT / "ontology" / "sources", ontology / "sources")
    source, db = ontology / "vocabulary", tmp_path / "vocab.db"
    write_store(db, read_source(source, base=BASE).snapshot, origin="t", source=source, base=BASE)
    assert stale_reason(db, source, BASE) is None
    bib = ontology / "sources" / "sources.ttl"
    bib.write_text(bib.read_text(encoding="utf-8").replace("(website)", "(site)"), "utf-8")
    assert stale_reason(db, source, BASE) is not None
