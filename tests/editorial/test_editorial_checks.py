"""Input checks without a store: look-alike skeletons, label characters, payload fields."""

from __future__ import annotations

from typing import Any

import pytest

from tests.editorial.postgres import find_bin
from vocab.editorial import payload
from vocab.editorial.checks import check_label, skeleton
from vocab.editorial.model import ProposalKind
from vocab.editorial.rules import KIND_FIELDS
from vocab.errors import InvalidInput
from vocab.model import Concept


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ＣＮＮ", "CNN"),  # fullwidth
        ("СNN", "CNN"),  # Cyrillic Es
        ("ﬁltered back projection", "filtered back projection"),  # ligature
        ("İmaging", "imaging"),  # Turkish dotted capital I
        ("ımaging", "imaging"),  # Turkish dotless i
        ("naïve Bayes", "naive bayes"),
        ("auto‐contouring", "auto-contouring"),  # U+2010 hyphen
        ("deep  learning", "deep learning"),
        ("ΑΙ", "AI"),  # Greek capitals
    ],
)
def test_look_alikes_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(
    ("a", "b"), [("CT", "RT"), ("T1", "Tl"), ("recall", "recal"), ("MRI", "MRl")]
)
def test_different_words_keep_different_skeletons(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


@pytest.mark.parametrize(
    "text", ["CNN\u200b", "\u202eCNN", "C\u200dNN", "CNN\u2028x", "\ud800", "", "x" * 301]
)
def test_bad_labels_are_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput):
        check_label(text)


def test_a_good_label_has_its_spaces_tidied() -> None:
    assert check_label("  deep   learning ") == "deep learning"


@pytest.mark.parametrize("kind", list(ProposalKind))
def test_no_kind_lets_a_payload_set_status_ids_or_authorship(kind: ProposalKind) -> None:
    assert not {"status", "id", "uri", "created_by", "created", "modified", "version"} & set(
        KIND_FIELDS[kind]
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sources", ["javascript:alert(1)"]),
        ("sources", ["http://a b"]),
        ("mappings", [{"kind": "sameAs", "target": "http://x"}]),
        ("labels", [{"text": "x", "kind": "pref", "usage": ["vendors"]}]),
        ("labels", [{"text": "x", "kind": "nickname"}]),
        ("broader", ["t404"]),
    ],
)
def test_payload_values_are_checked(field: str, value: Any) -> None:
    def resolve(ref: str) -> str:
        raise InvalidInput(f"No concept {ref}")

    with pytest.raises(InvalidInput):
        payload.read_fields(ProposalKind.EDIT_CONCEPT, {field: value}, resolve=resolve)


def test_a_merge_names_exactly_one_successor() -> None:
    fields = payload.read_fields(
        ProposalKind.MERGE, {"replaced_by": ["a", "b"]}, resolve=lambda r: f"http://x/terms/{r}"
    )

    with pytest.raises(InvalidInput, match="exactly one"):
        payload.apply_fields(Concept("t1", "http://x/terms/t1"), ProposalKind.MERGE, fields)


def test_missing_postgres_binaries_fail_with_the_fix(tmp_path: object) -> None:
    with pytest.raises(RuntimeError, match="make postgres"):
        find_bin(f"{tmp_path}/nothing/*/bin")
