"""FHIR CodeSystem routes: search, read, `$lookup`, `$validate-code`, `$subsumes` (GET and POST)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.fhir import codesystem, valueset
from api.fhir.common import answer, answer_now, query_key, split_coding
from api.fhir.context import (
    PROPERTY_NAMES,
    Code,
    Fhir,
    FhirDep,
    Language,
    PropertyName,
    System,
    Text,
    Version,
    posted,
)
from api.fhir.openapi import OPERATION_BODY, responses
from api.fhir.search import code_system_bundle
from vocab.errors import NotFound

router = APIRouter(tags=["fhir"])

# --- CodeSystem ---------------------------------------------------------------------------

LOOKUP = {
    "system": "text",
    "code": "text",
    "version": "text",
    "displayLanguage": "text",
    "property": "texts",
    "coding": "coding",
}
VALIDATE = {
    "url": "text",
    "system": "text",
    "code": "text",
    "display": "text",
    "version": "text",
    "coding": "coding",
}
SUBSUMES = {
    "system": "text",
    "codeA": "text",
    "codeB": "text",
    "version": "text",
    "codingA": "coding",
    "codingB": "coding",
}


def run_lookup(fhir: Fhir, given: dict[str, Any]) -> dict[str, Any]:
    system, code, _ = split_coding(given.get("coding"), given.get("system"), given.get("code"))
    return codesystem.lookup(
        fhir.vocabulary,
        fhir.index,
        fhir.urls,
        system=system,
        code=code,
        version=given.get("version"),
        display_language=given.get("displayLanguage"),
        properties=given.get("property"),
    )


def run_validate(
    fhir: Fhir, given: dict[str, Any], kind: valueset.Kind | None = None
) -> dict[str, Any]:
    system, code, display = split_coding(
        given.get("coding"), given.get("system"), given.get("code")
    )
    display = given.get("display") or display
    if kind is None and given.get("url"):
        system = system or given["url"]
    inputs: dict[str, Any] = {
        "system": system,
        "code": code,
        "display": display,
        "version": given.get("version"),
    }
    if kind is None:
        return codesystem.validate_code(fhir.vocabulary, fhir.index, fhir.urls, **inputs)
    return valueset.validate_in_value_set(fhir.vocabulary, fhir.index, fhir.urls, kind, **inputs)


def run_subsumes(fhir: Fhir, given: dict[str, Any]) -> dict[str, Any]:
    system_a, code_a, _ = split_coding(
        given.get("codingA"), given.get("system"), given.get("codeA")
    )
    system_b, code_b, _ = split_coding(
        given.get("codingB"), given.get("system"), given.get("codeB")
    )
    return codesystem.subsumes(
        fhir.vocabulary,
        fhir.index,
        fhir.urls,
        system=system_a or system_b,
        code_a=code_a,
        code_b=code_b,
        version=given.get("version"),
    )


@router.get("/CodeSystem", summary="Search CodeSystems (a Bundle)", responses=responses("Bundle"))
async def code_systems(
    request: Request,
    fhir: FhirDep,
    url: Annotated[str | None, Text("Canonical URL.")] = None,
    version: Version = None,
    name: Annotated[str | None, Text("Computable name.")] = None,
) -> Response:
    """The vocabulary's CodeSystem (summarised: read it for its concepts) and our three small ones."""
    return answer(
        request,
        fhir.vocabulary,
        query_key(request),
        lambda: code_system_bundle(fhir.vocabulary, fhir.index, fhir.urls, url, version, name),
    )


@router.get(
    "/CodeSystem/$lookup",
    summary="Details of a code: display, definition, designations, properties",
    responses=responses("Parameters", 404),
)
async def lookup_get(
    request: Request,
    fhir: FhirDep,
    code: Code,
    system: System = None,
    version: Version = None,
    display_language: Language = None,
    property: Annotated[
        list[PropertyName] | None,
        Query(description="Properties to return (all if absent): " + ", ".join(PROPERTY_NAMES)),
    ] = None,
) -> Response:
    given = {
        "code": code,
        "system": system,
        "version": version,
        "displayLanguage": display_language,
        "property": property,
    }
    return answer(request, fhir.vocabulary, query_key(request), lambda: run_lookup(fhir, given))


@router.post(
    "/CodeSystem/$lookup",
    summary="$lookup with a Parameters resource",
    operation_id="fhir_lookup_post",
    openapi_extra=OPERATION_BODY,
    responses=responses("Parameters", 404, 415),
)
async def lookup_post(request: Request, fhir: FhirDep) -> Response:
    return answer_now(run_lookup(fhir, await posted(request, LOOKUP)))


@router.get(
    "/CodeSystem/$validate-code",
    summary="Is this code (and display) in the vocabulary?",
    responses=responses("Parameters", 404),
)
async def validate_get(
    request: Request,
    fhir: FhirDep,
    code: Code,
    system: System = None,
    url: Annotated[str | None, Text("The CodeSystem URL (same as system).")] = None,
    display: Annotated[str | None, Text("A display to check against the labels.")] = None,
    version: Version = None,
) -> Response:
    given = {"code": code, "system": system, "url": url, "display": display, "version": version}
    return answer(request, fhir.vocabulary, query_key(request), lambda: run_validate(fhir, given))


@router.post(
    "/CodeSystem/$validate-code",
    summary="$validate-code with a Parameters resource",
    operation_id="fhir_validate_code_post",
    openapi_extra=OPERATION_BODY,
    responses=responses("Parameters", 415),
)
async def validate_post(request: Request, fhir: FhirDep) -> Response:
    return answer_now(run_validate(fhir, await posted(request, VALIDATE)))


@router.get(
    "/CodeSystem/$subsumes",
    summary="How two codes relate in the hierarchy",
    responses=responses("Parameters", 404),
)
async def subsumes_get(
    request: Request,
    fhir: FhirDep,
    code_a: Annotated[str, Text("The first code.", "codeA")],
    code_b: Annotated[str, Text("The second code.", "codeB")],
    system: System = None,
    version: Version = None,
) -> Response:
    given = {"codeA": code_a, "codeB": code_b, "system": system, "version": version}
    return answer(request, fhir.vocabulary, query_key(request), lambda: run_subsumes(fhir, given))


@router.post(
    "/CodeSystem/$subsumes",
    summary="$subsumes with a Parameters resource",
    operation_id="fhir_subsumes_post",
    openapi_extra=OPERATION_BODY,
    responses=responses("Parameters", 404, 415),
)
async def subsumes_post(request: Request, fhir: FhirDep) -> Response:
    return answer_now(run_subsumes(fhir, await posted(request, SUBSUMES)))


@router.get(
    "/CodeSystem/{resource_id}",
    summary="A CodeSystem: airt (the vocabulary), airt-community, airt-label-kind, airt-words",
    responses=responses("CodeSystem", 404),
)
async def code_system(request: Request, fhir: FhirDep, resource_id: str) -> Response:
    if resource_id not in codesystem.CODE_SYSTEM_IDS:
        raise NotFound(
            f"No CodeSystem has the id '{resource_id[:40]}'; use one of: {', '.join(codesystem.CODE_SYSTEM_IDS)}."
        )
    return answer(
        request,
        fhir.vocabulary,
        ("CodeSystem", resource_id),
        lambda: codesystem.code_system(fhir.vocabulary, fhir.index, fhir.urls, resource_id),
    )
