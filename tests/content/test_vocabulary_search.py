"""The shipped vocabulary is findable: every label, acronym and misspelling finds its own
concept first, and so do one-typo variants of labels of six or more letters.

Labels that several concepts share on purpose (false friends such as "CT" or "validation")
are excepted; they are listed in AMBIGUOUS_LABELS and lookup answers every sense for them.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from loaders.turtle_source import read_source
from tests.conftest import BASE, SOURCE
from vocab.model import Concept, LabelKind
from vocab.normalize import compact_key
from vocab.vocabulary import Vocabulary

SNAPSHOT = read_source(SOURCE, base=BASE).snapshot
ACTIVE = [c for c in SNAPSHOT.concepts if c.is_active]
_OWNERS: dict[str, set[str]] = defaultdict(set)
for _c in ACTIVE:
    for _label in _c.labels:
        _OWNERS[compact_key(_label.text)].add(_c.id)
AMBIGUOUS_LABELS = sorted(key for key, owners in _OWNERS.items() if len(owners) > 1)


def labels() -> list[tuple[str, str, str]]:
    return [
        (c.id, label.text, label.kind.value)
        for c in ACTIVE
        for label in c.labels
        if compact_key(label.text) not in AMBIGUOUS_LABELS
    ]


def typo_variants(text: str) -> list[str]:
    """Two deterministic one-typo variants: a dropped letter and two swapped letters."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    drop = letters[len(letters) // 2]
    swap = letters[len(letters) // 3]
    variants = [text[:drop] + text[drop + 1 :]]
    if swap + 1 < len(text) and text[swap + 1].isalpha() and text[swap] != text[swap + 1]:
        variants.append(text[:swap] + text[swap + 1] + text[swap] + text[swap + 2 :])
    return variants


def typos() -> list[tuple[str, str, str]]:
    cases = []
    for c in ACTIVE:
        for label in c.labels:
            if (
                label.kind not in (LabelKind.PREF, LabelKind.ALT)
                or sum(ch.isalpha() for ch in label.text) < 6
            ):
                continue
            if compact_key(label.text) in AMBIGUOUS_LABELS:
                continue
            for variant in typo_variants(label.text):
                if (
                    compact_key(variant) not in _OWNERS
                ):  # a typo that is another real label is not a typo
                    cases.append((c.id, label.text, variant))
    return cases


def test_the_vocabulary_has_at_least_250_concepts() -> None:
    assert len(ACTIVE) >= 250


@pytest.mark.parametrize("key", AMBIGUOUS_LABELS)
def test_shared_labels_are_the_documented_false_friends(key: str) -> None:
    by_id = {c.id: c for c in ACTIVE}
    concepts: list[Concept] = [by_id[i] for i in _OWNERS[key]]
    assert all(any(n.kind.value == "usageWarning" for n in c.notes) for c in concepts), key


@pytest.mark.parametrize(("concept_id", "text", "kind"), labels())
def test_every_label_finds_its_concept_first(
    shipped: Vocabulary, concept_id: str, text: str, kind: str
) -> None:
    assert shipped.search(text)[0].row.id == concept_id


@pytest.mark.parametrize(("concept_id", "label", "variant"), typos())
def test_one_typo_variants_find_their_concept_first(
    shipped: Vocabulary, concept_id: str, label: str, variant: str
) -> None:
    hits = shipped.search(variant)
    assert hits and hits[0].row.id == concept_id, [
        (h.row.id, h.row.pref_label, h.score) for h in hits[:3]
    ]


@pytest.mark.parametrize("key", AMBIGUOUS_LABELS)
def test_ambiguous_labels_answer_every_sense_in_lookup(shipped: Vocabulary, key: str) -> None:
    hits = {h.row.id for h in shipped.lookup(key).hits} | {
        h.row.id for h in shipped.lookup(key).other_senses
    }
    assert hits == _OWNERS[key]
