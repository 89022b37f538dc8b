"""The FHIR terminology face on the tiny lifecycle vocabulary: resources, operations, errors.

Every resource the face emits is checked against HL7's R5 models (`fhir.resources`).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources import get_fhir_model_class

from tests.conftest import BASE

SYSTEM = f"{BASE}/scheme"
WORDS = f"{BASE}/fhir/CodeSystem/airt-words"


def words_of(community: str) -> str:
    return f"{BASE}/fhir/ValueSet/airt-words-{community}"


def parameters(resource: dict[str, Any]) -> dict[str, list[Any]]:
    """Return a Parameters resource's values by name (parts kept as the part lists)."""
    out: dict[str, list[Any]] = {}
    for p in resource["parameter"]:
        value = p.get("part") or next(v for k, v in p.items() if k.startswith("value"))
        out.setdefault(p["name"], []).append(value)
    return out


def part(parts: list[dict[str, Any]], name: str) -> Any:
    found = next(p for p in parts if p["name"] == name)
    return next(v for k, v in found.items() if k.startswith("value"))


EMITTED = [
    "/fhir/metadata",
    "/fhir/metadata?mode=terminology",
    "/fhir/CodeSystem",
    "/fhir/CodeSystem/airt",
    "/fhir/CodeSystem/airt-community",
    "/fhir/CodeSystem/airt-label-kind",
    "/fhir/CodeSystem/airt-words",
    "/fhir/CodeSystem/$lookup?code=tumour",
    "/fhir/CodeSystem/$lookup?code=old",
    "/fhir/CodeSystem/$validate-code?code=ct&display=CT",
    "/fhir/CodeSystem/$validate-code?code=ct&display=clinical%20trial",
    "/fhir/CodeSystem/$subsumes?codeA=ct&codeB=tumour",
    "/fhir/ValueSet",
    "/fhir/ValueSet/airt",
    "/fhir/ValueSet/airt-imaging",
    "/fhir/ValueSet/airt-words-clinical",
    "/fhir/ValueSet/$expand",
    "/fhir/ValueSet/$expand?filter=tumuor&includeDesignations=true",
    "/fhir/ValueSet/airt-imaging/$expand",
    "/fhir/ValueSet/airt-words-academic/$expand",
    "/fhir/ValueSet/$validate-code?code=tumour&url=http://127.0.0.1:8000/collections/imaging",
    "/fhir/ConceptMap",
    "/fhir/ConceptMap/airt-communities",
    "/fhir/ConceptMap/airt-external",
    f"/fhir/ConceptMap/$translate?sourceCode=CT&targetScope={words_of('clinical')}",
    f"/fhir/ConceptMap/$translate?sourceCode=xss&system={SYSTEM}",
    "/fhir/CodeSystem/$lookup?code=nope",
    "/fhir/Patient/1",
]


@pytest.mark.parametrize("url", EMITTED)
def test_every_emitted_resource_validates_against_the_fhir_r5_models(
    lifecycle_client: TestClient, url: str
) -> None:
    body = lifecycle_client.get(url).json()
    model = get_fhir_model_class(body["resourceType"])
    assert model.model_validate(body).get_resource_type() == body["resourceType"]


@pytest.mark.parametrize("url", EMITTED)
def test_every_answer_is_fhir_json(lifecycle_client: TestClient, url: str) -> None:
    response = lifecycle_client.get(url)
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"


def test_capability_statement_says_json_only_and_lists_the_operations(
    lifecycle_client: TestClient,
) -> None:
    statement = lifecycle_client.get("/fhir/metadata").json()
    operations = {
        (r["type"], o["name"]) for r in statement["rest"][0]["resource"] for o in r["operation"]
    }
    assert statement["format"] == ["json"] and "XML is not supported" in statement["description"]
    assert operations == {
        ("CodeSystem", "lookup"),
        ("CodeSystem", "validate-code"),
        ("CodeSystem", "subsumes"),
        ("ValueSet", "expand"),
        ("ValueSet", "validate-code"),
        ("ConceptMap", "translate"),
    }


def test_terminology_capabilities_name_the_code_system_and_its_version(
    lifecycle_client: TestClient,
) -> None:
    capabilities = lifecycle_client.get("/fhir/metadata?mode=terminology").json()
    assert [(c["uri"], c["version"][0]["code"]) for c in capabilities["codeSystem"]] == [
        (SYSTEM, "9.9")
    ]


def test_the_code_system_holds_every_concept_with_its_display(
    lifecycle_client: TestClient,
) -> None:
    system = lifecycle_client.get("/fhir/CodeSystem/airt").json()
    displays = {c["code"]: c["display"] for c in system["concept"]}
    assert (system["url"], system["count"], displays["tumour"]) == (SYSTEM, 7, "tumour volume")


def test_lookup_gives_display_definition_and_parent(lifecycle_client: TestClient) -> None:
    found = parameters(lifecycle_client.get("/fhir/CodeSystem/$lookup?code=tumour").json())
    properties = {(part(p, "code"), part(p, "value")) for p in found["property"]}
    assert found["display"] == ["tumour volume"]
    assert found["definition"] == ["The volume occupied by a tumour."]
    assert {("parent", "ct"), ("status", "active"), ("inactive", False)} <= properties


def test_lookup_designations_name_the_community_that_uses_each_label(
    lifecycle_client: TestClient,
) -> None:
    found = parameters(lifecycle_client.get("/fhir/CodeSystem/$lookup?code=ct").json())
    uses = {(part(d, "value"), part(d, "use")["code"]) for d in found["designation"]}
    assert {("CT", "clinical"), ("computed tomography", "clinical")} <= uses


def test_lookup_of_a_deprecated_concept_says_inactive_and_names_its_replacement(
    lifecycle_client: TestClient,
) -> None:
    found = parameters(lifecycle_client.get("/fhir/CodeSystem/$lookup?code=old").json())
    properties = {(part(p, "code"), part(p, "value")) for p in found["property"]}
    assert {("inactive", True), ("status", "deprecated"), ("replacedBy", "ct")} <= properties


def test_lookup_returns_only_the_properties_asked_for(lifecycle_client: TestClient) -> None:
    found = parameters(
        lifecycle_client.get("/fhir/CodeSystem/$lookup?code=tumour&property=parent").json()
    )
    assert [part(p, "code") for p in found["property"]] == ["parent"]


@pytest.mark.parametrize(
    ("query", "status", "issue"),
    [
        ("code=nope", 404, "not-found"),
        (f"code=ct&system={BASE}/other", 404, "not-found"),
        ("code=ct&version=1.0", 404, "not-found"),
        ("", 422, "invalid"),
        ("code=ct&_format=xml", 406, "not-supported"),
    ],
)
def test_lookup_errors_are_operation_outcomes(
    lifecycle_client: TestClient, query: str, status: int, issue: str
) -> None:
    response = lifecycle_client.get(f"/fhir/CodeSystem/$lookup?{query}")
    outcome = response.json()
    assert (response.status_code, outcome["resourceType"], outcome["issue"][0]["code"]) == (
        status,
        "OperationOutcome",
        issue,
    )


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


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"resourceType": "Parameters"}', "text/plain", 415),
        (b'{"resourceType": "Patient"}', "application/fhir+json", 422),
        (b"{not json", "application/fhir+json", 422),
        (
            b'{"resourceType": "Parameters", "parameter": [{"name": "code", "valueInteger": 3}]}',
            "application/fhir+json",
            422,
        ),
    ],
)
def test_post_of_something_else_than_parameters_is_an_operation_outcome(
    lifecycle_client: TestClient, body: bytes, content_type: str, status: int
) -> None:
    response = lifecycle_client.post(
        "/fhir/CodeSystem/$lookup", content=body, headers={"Content-Type": content_type}
    )
    assert (response.status_code, response.json()["resourceType"]) == (status, "OperationOutcome")


@pytest.mark.parametrize(
    ("method", "url", "headers", "status"),
    [
        ("GET", "/fhir/Patient/1", {}, 404),
        ("GET", "/fhir/CodeSystem/nope", {}, 404),
        ("GET", "/fhir/ValueSet/nope", {}, 404),
        ("GET", "/fhir/ConceptMap/nope", {}, 404),
        ("DELETE", "/fhir/CodeSystem/airt", {}, 405),
        ("GET", "/fhir/metadata", {"Accept": "application/fhir+xml"}, 406),
        ("GET", "/fhir/ValueSet/$expand?count=many", {}, 422),
    ],
)
def test_every_error_under_fhir_is_an_operation_outcome(
    lifecycle_client: TestClient, method: str, url: str, headers: dict[str, str], status: int
) -> None:
    response = lifecycle_client.request(method, url, headers=headers)
    assert (response.status_code, response.json()["resourceType"]) == (status, "OperationOutcome")


def test_a_wrong_method_lists_the_methods_allowed(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.delete("/fhir/CodeSystem/$lookup")
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"


def test_fhir_reads_carry_an_etag_and_answer_304(lifecycle_client: TestClient) -> None:
    first = lifecycle_client.get("/fhir/CodeSystem/airt")
    again = lifecycle_client.get(
        "/fhir/CodeSystem/airt", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
