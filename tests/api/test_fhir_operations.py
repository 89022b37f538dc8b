"""FHIR operations on the tiny lifecycle vocabulary: $validate-code, $subsumes, $expand,
$translate, by GET and by POSTed Parameters."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_fhir import SYSTEM, WORDS, parameters, part, words_of
from tests.conftest import BASE


@pytest.mark.parametrize(
    ("query", "result"),
    [
        ("code=ct", True),
        ("code=ct&display=computed%20tomography", True),
        ("code=ct&display=ct", True),
        ("code=ct&display=clinical%20trial", False),
        ("code=nope", False),
        (f"code=ct&system={BASE}/other", False),
        ("code=old", True),
    ],
)
def test_validate_code_checks_the_code_and_its_display(
    lifecycle_client: TestClient, query: str, result: bool
) -> None:
    found = parameters(lifecycle_client.get(f"/fhir/CodeSystem/$validate-code?{query}").json())
    assert found["result"] == [result]


def test_validate_code_of_an_inactive_concept_says_so(lifecycle_client: TestClient) -> None:
    found = parameters(lifecycle_client.get("/fhir/CodeSystem/$validate-code?code=gone").json())
    assert (found["result"], found["inactive"]) == ([True], [True])


@pytest.mark.parametrize(("code", "result"), [("tumour", True), ("trial", False)])
def test_validate_code_in_a_collection_value_set(
    lifecycle_client: TestClient, code: str, result: bool
) -> None:
    url = f"/fhir/ValueSet/$validate-code?url={BASE}/collections/imaging&code={code}"
    assert parameters(lifecycle_client.get(url).json())["result"] == [result]


@pytest.mark.parametrize(
    ("a", "b", "outcome"),
    [
        ("ct", "tumour", "subsumes"),
        ("tumour", "ct", "subsumed-by"),
        ("ct", "ct", "equivalent"),
        ("ct", "trial", "not-subsumed"),
    ],
)
def test_subsumes_follows_the_broader_hierarchy(
    lifecycle_client: TestClient, a: str, b: str, outcome: str
) -> None:
    found = parameters(
        lifecycle_client.get(f"/fhir/CodeSystem/$subsumes?codeA={a}&codeB={b}").json()
    )
    assert found["outcome"] == [outcome]


def codes(expansion: dict[str, Any]) -> list[str]:
    return [c["code"] for c in expansion["expansion"].get("contains", [])]


@pytest.mark.parametrize(
    ("typed", "code"),
    [("tumuor", "tumour"), ("tumour volumme", "tumour"), ("computd tomografy", "ct")],
)
def test_expand_with_filter_finds_concepts_through_typos(
    lifecycle_client: TestClient, typed: str, code: str
) -> None:
    expansion = lifecycle_client.get(f"/fhir/ValueSet/$expand?filter={typed}").json()
    assert codes(expansion)[0] == code


def test_expand_of_the_whole_vocabulary_includes_inactive_concepts_flagged(
    lifecycle_client: TestClient,
) -> None:
    expansion = lifecycle_client.get("/fhir/ValueSet/$expand").json()["expansion"]
    inactive = {c["code"] for c in expansion["contains"] if c.get("inactive")}
    assert (expansion["total"], inactive) == (7, {"old", "dup", "gone"})


def test_expand_active_only_leaves_out_retired_concepts(lifecycle_client: TestClient) -> None:
    expansion = lifecycle_client.get("/fhir/ValueSet/$expand?activeOnly=true").json()
    assert sorted(codes(expansion)) == ["ct", "trial", "tumour", "xss"]


def test_expand_pages_with_offset_and_count(lifecycle_client: TestClient) -> None:
    everything = codes(lifecycle_client.get("/fhir/ValueSet/$expand").json())
    page = codes(lifecycle_client.get("/fhir/ValueSet/$expand?offset=2&count=3").json())
    assert page == everything[2:5]


def test_expand_of_a_collection_by_its_uri(lifecycle_client: TestClient) -> None:
    expansion = lifecycle_client.get(f"/fhir/ValueSet/$expand?url={BASE}/collections/imaging")
    assert sorted(codes(expansion.json())) == ["ct", "tumour"]


def test_expand_of_a_communitys_words(lifecycle_client: TestClient) -> None:
    expansion = lifecycle_client.get("/fhir/ValueSet/airt-words-academic/$expand").json()
    assert codes(expansion) == ["clinical trial", "CT"]


def test_expand_with_designations_lists_every_label(lifecycle_client: TestClient) -> None:
    expansion = lifecycle_client.get(
        "/fhir/ValueSet/$expand?filter=tumour&includeDesignations=true"
    ).json()
    values = {d["value"] for d in expansion["expansion"]["contains"][0]["designation"]}
    assert {"tumour volume", "tumor volume", "tumour size"} <= values


def translated(response: dict[str, Any]) -> list[tuple[str, str, str]]:
    found = parameters(response)
    return [
        (part(m, "relationship"), part(m, "concept")["system"], part(m, "concept")["code"])
        for m in found.get("match", [])
    ]


def test_translate_gives_the_word_the_target_community_uses(lifecycle_client: TestClient) -> None:
    url = (
        f"/fhir/ConceptMap/$translate?sourceCode=CT&sourceScope={words_of('academic')}"
        f"&targetScope={words_of('academic')}"
    )
    assert ("equivalent", WORDS, "clinical trial") in translated(lifecycle_client.get(url).json())


def test_translate_of_a_false_friend_warns_and_gives_every_sense(
    lifecycle_client: TestClient,
) -> None:
    response = lifecycle_client.get(
        f"/fhir/ConceptMap/$translate?sourceCode=CT&targetScope={words_of('clinical')}"
    ).json()
    concepts = {code for _, system, code in translated(response) if system == SYSTEM}
    assert concepts == {"ct", "trial"}
    assert "different communities" in parameters(response)["message"][0]


def test_translate_without_a_target_names_the_concept(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/fhir/ConceptMap/$translate?sourceCode=tumour%20size").json()
    assert translated(response) == [("equivalent", SYSTEM, "tumour")]


def test_translate_of_a_code_gives_its_external_mappings(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get(
        f"/fhir/ConceptMap/$translate?sourceCode=xss&system={SYSTEM}"
    ).json()
    assert translated(response) == [("equivalent", "https://example.org/", "javascript-like")]


def test_translate_of_an_unknown_word_has_no_result(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get(
        f"/fhir/ConceptMap/$translate?sourceCode=zzzzqqq&targetScope={words_of('clinical')}"
    ).json()
    assert parameters(response)["result"] == [False]


# --- POST with a Parameters resource --------------------------------------------------------


def posted(client: TestClient, operation: str, *items: dict[str, Any]) -> Any:
    body = {"resourceType": "Parameters", "parameter": list(items)}
    return client.post(
        f"/fhir/{operation}", json=body, headers={"Content-Type": "application/fhir+json"}
    )


def test_post_lookup_with_a_coding(lifecycle_client: TestClient) -> None:
    coding = {"name": "coding", "valueCoding": {"system": SYSTEM, "code": "trial"}}
    response = posted(lifecycle_client, "CodeSystem/$lookup", coding)
    assert parameters(response.json())["display"] == ["clinical trial"]


def test_post_expand_with_a_filter(lifecycle_client: TestClient) -> None:
    response = posted(
        lifecycle_client,
        "ValueSet/$expand",
        {"name": "filter", "valueString": "tumuor"},
        {"name": "count", "valueInteger": 1},
    )
    assert codes(response.json()) == ["tumour"]


def test_post_subsumes_with_codes(lifecycle_client: TestClient) -> None:
    response = posted(
        lifecycle_client,
        "CodeSystem/$subsumes",
        {"name": "codeA", "valueCode": "tumour"},
        {"name": "codeB", "valueCode": "ct"},
    )
    assert parameters(response.json())["outcome"] == ["subsumed-by"]
