"""A FHIR client library (fhirpy) drives the terminology operations of a real `vocab serve`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fhir.resources import get_fhir_model_class
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import ResourceNotFound

from tests.conftest import FIXTURES, Site, serve


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve(FIXTURES / "lifecycle.ttl", tmp_path_factory.mktemp("fhir-site")) as running:
        yield running


@pytest.fixture(scope="module")
def client(site: Site) -> SyncFHIRClient:
    return SyncFHIRClient(site.url("/fhir"), extra_headers={"Accept": "application/fhir+json"})


def valid(resource: Any) -> dict[str, Any]:
    """Return the resource as a dict, after checking it against HL7's R5 model."""
    data = dict(resource)
    get_fhir_model_class(data["resourceType"]).model_validate(data)
    return data


def value(resource: dict[str, Any], name: str) -> Any:
    found = next(p for p in resource["parameter"] if p["name"] == name)
    return next(v for k, v in found.items() if k.startswith("value"))


def test_client_looks_up_a_code(client: SyncFHIRClient) -> None:
    found = valid(client.execute("CodeSystem/$lookup", method="get", params={"code": "tumour"}))
    assert value(found, "display") == "tumour volume"


def test_client_expands_with_a_typo_and_finds_the_concept(client: SyncFHIRClient) -> None:
    found = valid(
        client.execute("ValueSet/$expand", method="get", params={"filter": "tumuor volme"})
    )
    assert found["expansion"]["contains"][0]["code"] == "tumour"


def test_client_validates_a_code_and_its_display(client: SyncFHIRClient, site: Site) -> None:
    params = {"system": site.url("/scheme"), "code": "ct", "display": "CT"}
    found = valid(client.execute("CodeSystem/$validate-code", method="get", params=params))
    assert value(found, "result") is True


def test_client_asks_whether_one_code_subsumes_another(client: SyncFHIRClient) -> None:
    body = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "codeA", "valueCode": "ct"},
            {"name": "codeB", "valueCode": "tumour"},
        ],
    }
    found = valid(client.execute("CodeSystem/$subsumes", method="post", data=body))
    assert value(found, "outcome") == "subsumes"


def test_client_translates_a_word_into_another_communitys(
    client: SyncFHIRClient, site: Site
) -> None:
    params = {
        "sourceCode": "CT",
        "sourceScope": site.url("/fhir/ValueSet/airt-words-academic"),
        "targetScope": site.url("/fhir/ValueSet/airt-words-academic"),
    }
    found = valid(client.execute("ConceptMap/$translate", method="get", params=params))
    words = [
        p["valueCoding"]["code"]
        for m in found["parameter"]
        if m["name"] == "match"
        for p in m["part"]
        if p["name"] == "concept" and p["valueCoding"]["system"].endswith("airt-words")
    ]
    assert words == ["clinical trial", "CT"]


def test_client_reads_the_code_system(client: SyncFHIRClient, site: Site) -> None:
    system = valid(client.execute("CodeSystem/airt", method="get"))
    assert (system["url"], system["content"]) == (site.url("/scheme"), "complete")


def test_client_sees_an_unknown_code_as_not_found(client: SyncFHIRClient) -> None:
    with pytest.raises(ResourceNotFound, match="OperationOutcome"):
        client.execute("CodeSystem/$lookup", method="get", params={"code": "nope"})
