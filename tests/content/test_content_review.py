"""The shipped vocabulary meets the content review's structural targets (second edition).

- hierarchy: at most 30% of the active concepts outside the organisations collection have
  no broader concept, and no broader chain is cyclic;
- patients: at least 60% of the concepts patients meet carry a patient label (a label tagged
  `airt:patientLabel`), where "the concepts patients meet" is decided from the vocabulary's own
  data by the rule below;
- false friends: every label that two active concepts share (compared by compact key, hidden
  labels left out) carries a usage warning on each sense, naming the other senses;
- sources: every dct:source is an absolute http(s) IRI and none is a PubMed/PMC, news, blog
  or Wikipedia address.

Which concepts patients meet. An active concept is one that patients or members of the public
meet when at least one of these holds:

1. it is, or is a kind of (through skos:broader, at any depth), one of PATIENT_ROOTS: the
   examinations and treatments patients have, the programmes that invite them, the conditions
   looked for and the findings, results, reports and doses they are given, the professionals
   they see and the personal data held about them;
2. its plain-language definition addresses the reader as a patient or member of the public
   ("you", "your"), because its editors wrote it for that reader;
3. it cites a page of the NHS website for the public (www.nhs.uk) as a source or page;
4. it already carries a patient label, which by the vocabulary's rules is recorded only where
   patients really meet the idea.

The first three find the concepts patients meet without looking at the labels; the fourth
adds the other ideas in public use (AI words in the news, test-result words, data and
privacy words). The share is checked on the whole pool and, so that a label cannot vouch for
itself, also on the concepts the first three criteria find. A failure lists the concepts in
the pool without a patient label: each needs the words patients use, or a reason recorded in
docs/content-review-answers.md why patients have none. This replaces the first edition's
proxy (every concept outside the organisations and regulation collections), which counted
DICOM objects, model architectures and metrics that patients never meet, and left out the
NHS, personal data and data protection law, which they do meet.

The limits, the roots and the deny-list are data at the top of the module; each check is a
function that returns the problems it finds, tested once on a small made-up case so that a
silent check cannot pass unnoticed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import pytest

from loaders.turtle_source import read_source
from tests.conftest import BASE, SOURCE
from vocab.model import (
    Collection,
    Concept,
    Label,
    LabelKind,
    LangText,
    Note,
    NoteKind,
    ancestors,
)
from vocab.normalize import compact_key

MAX_ORPHAN_SHARE = 0.30
"""Largest share of active concepts (organisations left out) without a broader concept."""

MIN_PATIENT_SHARE = 0.60
"""Smallest share of the concepts patients meet (see the module docstring) with a patient label."""

ORPHAN_EXEMPT = frozenset({"organisations"})

PATIENT_ROOTS: dict[str, str] = {
    "t0540": "medical imaging: the examinations patients have",
    "t0231": "radiotherapy: the treatments",
    "t0299": "radiotherapy treatment planning: how their treatment is prepared",
    "t0283": "screening: the programmes that invite them",
    "t0541": "medical condition: what is looked for",
    "t0280": "imaging finding: what is found",
    "t0286": "classification outcome: right and wrong test results",
    "t0525": "radiology report: the result of an examination",
    "t0538": "radiation dose: the dose they receive",
    "t0296": "healthcare professional: the people they see",
    "t0367": "personal data: the information held about them",
}
"""Concepts whose kinds patients meet, with the reason; each is checked to exist and be active."""

ADDRESSED_TO_READER = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
PUBLIC_NHS_PAGE = re.compile(r"^https?://www\.nhs\.uk/")

DENIED_SOURCES: tuple[tuple[str, str], ...] = (
    ("PubMed", r"://(www\.)?pubmed\.ncbi\.nlm\.nih\.gov/"),
    ("PubMed", r"://(www\.)?ncbi\.nlm\.nih\.gov/pubmed"),
    ("PubMed Central", r"://(www\.)?pmc\.ncbi\.nlm\.nih\.gov/"),
    ("PubMed Central", r"://(www\.)?ncbi\.nlm\.nih\.gov/pmc/"),
    ("Europe PMC", r"://(www\.)?europepmc\.org/"),
    ("news page", r"/news/|://news\.|/press-releases?/"),
    ("blog", r"://[^/]*blog[^/]*/|/blogs?/|://[^/]*medium\.com/|://[^/]*substack\.com/"),
    ("Wikipedia", r"://[^/]*wikipedia\.org/|://[^/]*wikiwand\.com/"),
)
"""(what it is, pattern searched in the address): secondary sources the review ruled out."""

SNAPSHOT = read_source(SOURCE, base=BASE).snapshot
ACTIVE = [c for c in SNAPSHOT.concepts if c.is_active]


# --- the checks -----------------------------------------------------------------------------


def memberships(collections: Iterable[Collection]) -> dict[str, set[str]]:
    """Concept URI -> ids of the collections it belongs to."""
    found: dict[str, set[str]] = defaultdict(set)
    for collection in collections:
        for member in collection.members:
            found[member].add(collection.id)
    return found


def outside(
    concepts: Iterable[Concept], homes: dict[str, set[str]], exempt: frozenset[str]
) -> list[Concept]:
    return [c for c in concepts if c.is_active and not homes.get(c.uri, set()) & exempt]


def orphan_share(concepts: Iterable[Concept], homes: dict[str, set[str]]) -> float:
    pool = outside(concepts, homes, ORPHAN_EXEMPT)
    return sum(1 for c in pool if not c.broader) / len(pool)


def has_patient_label(concept: Concept) -> bool:
    return any("patient" in lb.usage for lb in concept.labels)


def patients_meet(
    concepts: Iterable[Concept], roots: Iterable[str], *, by_label: bool = True
) -> list[Concept]:
    """The active concepts patients meet (module docstring); `by_label=False` leaves rule 4 out."""
    concepts = [c for c in concepts if c.is_active]
    parents = {c.uri: set(c.broader) for c in concepts}
    for c in concepts:
        for child in c.narrower:
            parents.setdefault(child, set()).add(c.uri)
    above = ancestors(parents)
    root_uris = {c.uri for c in concepts if c.id in set(roots)}

    def met(c: Concept) -> bool:
        return (
            c.uri in root_uris
            or bool(above.get(c.uri, set()) & root_uris)
            or any(ADDRESSED_TO_READER.search(t.text) for t in c.plain_definitions)
            or any(PUBLIC_NHS_PAGE.search(a) for a in c.sources + c.pages)
            or (by_label and has_patient_label(c))
        )

    return [c for c in concepts if met(c)]


def patient_share(pool: list[Concept]) -> float:
    return sum(1 for c in pool if has_patient_label(c)) / len(pool)


def shared_labels(concepts: Iterable[Concept]) -> dict[str, list[Concept]]:
    """Compact key -> the active concepts whose shown labels have it, where there are two or more."""
    owners: dict[str, dict[str, Concept]] = defaultdict(dict)
    for c in concepts:
        if not c.is_active:
            continue
        for label in c.labels:
            if label.kind is not LabelKind.HIDDEN:
                owners[compact_key(label.text)][c.id] = c
    return {key: list(found.values()) for key, found in owners.items() if len(found) > 1}


def unflagged_senses(senses: list[Concept]) -> list[str]:
    """Senses of a shared label without a usage warning that names every other sense."""
    problems = []
    for sense in senses:
        warning = " ".join(n.text for n in sense.notes if n.kind is NoteKind.WARNING)
        if not warning:
            problems.append(f"{sense.id} has no usage warning")
            continue
        for other in senses:
            named = other.id in warning or other.pref_label().casefold() in warning.casefold()
            if other is not sense and not named:
                problems.append(f"{sense.id}'s warning does not name {other.id}")
    return problems


def source_problems(concept: Concept) -> list[str]:
    problems = [f"text citation instead of an IRI: {t.text[:60]!r}" for t in concept.citations]
    for source in concept.sources:
        parts = urlsplit(source)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"not an absolute http(s) IRI: {source}")
        problems += [
            f"{what} address: {source}"
            for what, pattern in DENIED_SOURCES
            if re.search(pattern, source, re.IGNORECASE)
        ]
    return problems


def cyclic(concepts: Iterable[Concept]) -> set[str]:
    """Ids of the concepts that are their own ancestors through broader (or inverse narrower)."""
    concepts = list(concepts)
    parents: dict[str, set[str]] = {c.uri: set(c.broader) for c in concepts}
    for c in concepts:
        for child in c.narrower:
            parents.setdefault(child, set()).add(c.uri)
    above = ancestors(parents)
    return {c.id for c in concepts if c.uri in above.get(c.uri, set())}


HOMES = memberships(SNAPSHOT.collections)
PATIENT_POOL = patients_meet(SNAPSHOT.concepts, PATIENT_ROOTS)
PATIENT_POOL_UNLABELLED = patients_meet(SNAPSHOT.concepts, PATIENT_ROOTS, by_label=False)
SHARED = shared_labels(ACTIVE)
CYCLIC = cyclic(SNAPSHOT.concepts)
BY_ID = {c.id: c for c in SNAPSHOT.concepts}


# --- the shipped vocabulary ----------------------------------------------------------------


def test_at_most_30_percent_of_concepts_outside_organisations_lack_a_broader_concept() -> None:
    share = orphan_share(ACTIVE, HOMES)
    assert share <= MAX_ORPHAN_SHARE, f"{share:.1%} have no broader concept"


def without_patient_label(pool: list[Concept]) -> str:
    return "; ".join(f"{c.id} {c.pref_label()}" for c in pool if not has_patient_label(c))


@pytest.mark.parametrize("root", sorted(PATIENT_ROOTS))
def test_every_patient_root_is_an_active_concept(root: str) -> None:
    assert root in BY_ID and BY_ID[root].is_active


def test_at_least_60_percent_of_the_concepts_patients_meet_have_a_patient_label() -> None:
    share = patient_share(PATIENT_POOL)
    assert share >= MIN_PATIENT_SHARE, (
        f"only {share:.1%} of {len(PATIENT_POOL)} have a patient label; "
        f"without one: {without_patient_label(PATIENT_POOL)}"
    )


def test_at_least_60_percent_of_the_concepts_found_without_their_labels_have_one() -> None:
    share = patient_share(PATIENT_POOL_UNLABELLED)
    assert share >= MIN_PATIENT_SHARE, (
        f"only {share:.1%} of {len(PATIENT_POOL_UNLABELLED)} have a patient label; "
        f"without one: {without_patient_label(PATIENT_POOL_UNLABELLED)}"
    )


def test_the_vocabulary_has_false_friends_to_check() -> None:
    assert len(SHARED) >= 10


@pytest.mark.parametrize("key", sorted(SHARED))
def test_every_sense_of_a_shared_label_warns_and_names_the_others(key: str) -> None:
    assert unflagged_senses(SHARED[key]) == []


@pytest.mark.parametrize("concept_id", [c.id for c in SNAPSHOT.concepts])
def test_sources_are_primary_http_iris(concept_id: str) -> None:
    assert source_problems(BY_ID[concept_id]) == []


@pytest.mark.parametrize("concept_id", [c.id for c in ACTIVE])
def test_no_broader_chain_is_cyclic(concept_id: str) -> None:
    assert concept_id not in CYCLIC


# --- the checks find what they look for -----------------------------------------------------


def made_up(cid: str, *labels: Label, notes: tuple[Note, ...] = (), **fields: Any) -> Concept:
    return Concept(id=cid, uri=f"{BASE}/terms/{cid}", labels=labels, notes=notes, **fields)


def test_the_orphan_share_counts_only_its_pool() -> None:
    a = made_up("x1", Label("a", "en-GB", LabelKind.PREF, ("patient",)))
    b = made_up("x2", Label("b", "en-GB", LabelKind.PREF), broader=(f"{BASE}/terms/x1",))
    c = made_up("x3", Label("c", "en-GB", LabelKind.PREF))
    homes = {c.uri: {"organisations"}}
    assert orphan_share([a, b, c], homes) == pytest.approx(1 / 2)


def test_the_patient_pool_follows_its_four_rules() -> None:
    def term(cid: str) -> str:
        return f"{BASE}/terms/{cid}"

    plain = made_up("x0")
    root = made_up("r1", Label("root", "en-GB", LabelKind.PREF, ("patient",)))
    grandchild = made_up("x1", broader=(term("x2"),))
    child = made_up("x2", broader=(term("r1"),))
    narrower_only = made_up("r2", narrower=(term("x3"),))
    below_by_narrower = made_up("x3")
    addressed = made_up("x4", plain_definitions=(LangText("The scan your doctor asks for."),))
    nhs = made_up("x5", sources=("https://www.nhs.uk/tests-and-treatments/ct-scan/",))
    labelled = made_up("x6", Label("scan", "en-GB", LabelKind.ALT, ("patient",)))
    you_in_a_word = made_up("x7", plain_definitions=(LangText("A youthful model."),))
    concepts = [plain, root, grandchild, child, narrower_only, below_by_narrower, addressed, nhs]
    concepts += [labelled, you_in_a_word]
    pool = patients_meet(concepts, ["r1", "r2"])
    assert sorted(c.id for c in pool) == ["r1", "r2", "x1", "x2", "x3", "x4", "x5", "x6"]
    assert patient_share(pool) == pytest.approx(2 / 8)
    found = patients_meet(concepts, ["r1", "r2"], by_label=False)
    assert [c.id for c in found if c.id == "x6"] == []


def test_an_unflagged_false_friend_is_found() -> None:
    warned = Note(NoteKind.WARNING, "Not the other sense, x2.")
    one = made_up("x1", Label("CE", "en-GB", LabelKind.ACRONYM), notes=(warned,))
    two = made_up("x2", Label("C.E.", "en-GB", LabelKind.ACRONYM))
    hidden = made_up("x3", Label("ce", "en-GB", LabelKind.HIDDEN))
    shared = shared_labels([one, two, hidden])
    assert [c.id for c in shared["ce"]] == ["x1", "x2"]
    assert unflagged_senses(shared["ce"]) == ["x2 has no usage warning"]


@pytest.mark.parametrize(
    "address",
    [
        "https://pubmed.ncbi.nlm.nih.gov/2032898/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC9968777",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3076558/",
        "https://www.sor.org/news/radiotherapy/updated-guidance-for-image-guided-radiotherapy",
        "https://ai.googleblog.com/2019/12/lessons-learned-from-developing-ml-for.html",
        "https://en.wikipedia.org/wiki/Sensitivity_and_specificity",
        "doi:10.1136/bmj.h5527",
    ],
)
def test_a_denied_or_relative_source_is_found(address: str) -> None:
    assert source_problems(made_up("x1", sources=(address,))) != []


def test_a_doi_and_a_body_page_pass() -> None:
    ok = ("https://doi.org/10.1136/bmj.h5527", "https://eur-lex.europa.eu/eli/reg/2017/745/oj")
    assert source_problems(made_up("x1", sources=ok)) == []


def test_a_cycle_is_found() -> None:
    a = made_up("x1", broader=(f"{BASE}/terms/x2",))
    b = made_up("x2", broader=(f"{BASE}/terms/x1",))
    c = made_up("x3", broader=(f"{BASE}/terms/x1",))
    assert cyclic([a, b, c]) == {"x1", "x2"}
