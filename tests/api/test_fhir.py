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
