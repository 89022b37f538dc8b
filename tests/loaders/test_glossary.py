"""The seed glossary: read reproducibly, and every entry present in the curated source."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from loaders.glossary import GlossaryEntry, read_glossary
from tests.conftest import SEED
from vocab.errors import ParseError
from vocab.vocabulary import Vocabulary

ENTRIES = read_glossary(SEED.read_text(encoding="utf-8"))


def test_the_seed_has_38_concepts_from_37_entries() -> None:
    assert len(ENTRIES) == 38


def test_qa_and_qc_are_two_concepts() -> None:
    assert [(e.name, e.acronyms) for e in ENTRIES if e.acronyms in (("QA",), ("QC",))] == [
        ("quality assurance", ("QA",)),
        ("quality control", ("QC",)),
    ]


def test_eis_is_the_plural_of_ei() -> None:
    entry = next(e for e in ENTRIES if e.plural_of)
    assert (entry.name, entry.acronyms, entry.plural_of) == (
        "education institution",
        ("EI",),
        "EIs",
    )


def test_an_acronym_inside_the_name_is_read() -> None:
    assert (
        GlossaryEntry("UK Imaging and Oncology Congress", ("UKIO",), "https://www.ukio.org.uk/")
        in ENTRIES
    )


def test_all_28_web_addresses_are_paired_with_their_bodies() -> None:
    urls = {e.acronyms[0]: e.url for e in ENTRIES if e.url}
    assert len(urls) == 28
    assert urls["SCoR"] == urls["SoR"] == "https://www.sor.org/"
    assert urls["ECR"] == "https://www.myesr.org/congress"
    assert urls["ESR"] == "https://www.myesr.org/"
    assert urls["UKRI"] == "https://www.ukri.org/"  # tracking query string dropped


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.acronyms[0])
def test_every_seed_entry_is_in_the_curated_vocabulary(
    shipped: Vocabulary, entry: GlossaryEntry
) -> None:
    by_name = shipped.lookup(entry.name).hits
    by_acronym = shipped.lookup(entry.acronyms[0]).hits
    same = {h.row.id for h in by_name} & {h.row.id for h in by_acronym}
    assert len(same) == 1
    concept = shipped.record(same.pop()).concept
    if entry.url:  # the seed's address, or the same site after a move to www.
        assert _site(entry.url) in {_site(page) for page in concept.pages}


def _site(url: str) -> str:
    return urlsplit(url).netloc.removeprefix("www.")


def test_a_document_without_the_section_is_refused() -> None:
    with pytest.raises(ParseError, match="Glossary of Terms"):
        read_glossary("Just some text.\n")
