"""FHIR ConceptMap routes: search, read, `$translate` (GET and POST)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.fhir import conceptmap
from api.fhir.common import answer, answer_now, query_key, split_coding
from api.fhir.context import (
    Fhir,
    FhirDep,
    Text,
    Version,
    posted,
)
from api.fhir.openapi import OPERATION_BODY, responses
from api.fhir.search import concept_map_bundle
from vocab.errors import NotFound

router = APIRouter(tags=["fhir"])

# --- ConceptMap ---------------------------------------------------------------------------

TRANSLATE = {
    "url": "text",
    "system": "text",
    "sourceCode": "text",
    "code": "text",
    "sourceCoding": "coding",
    "coding": "coding",
    "sourceScope": "text",
    "source": "text",
    "targetScope": "text",
    "target": "text",
    "targetSystem": "text",
    "targetsystem": "text",
}


def run_translate(fhir: Fhir, given: dict[str, Any]) -> dict[str, Any]:
    coding = given.get("sourceCoding") or given.get("coding")
    system, code, _ = split_coding(
        coding, given.get("system"), given.get("sourceCode") or given.get("code")
    )
    return conceptmap.translate(
        fhir.vocabulary,
        fhir.index,
        fhir.urls,
        url=given.get("url"),
        system=system,
        code=code,
        source_scope=given.get("sourceScope") or given.get("source"),
        target_scope=given.get("targetScope") or given.get("target"),
        target_system=given.get("targetSystem") or given.get("targetsystem"),
    )


@router.get("/ConceptMap", summary="Search ConceptMaps (a Bundle)", responses=responses("Bundle"))
async def concept_maps(
    request: Request,
    fhir: FhirDep,
    url: Annotated[str | None, Text("Canonical URL.")] = None,
    version: Version = None,
    name: Annotated[str | None, Text("Computable name.")] = None,
) -> Response:
    """The cross-community synonyms and the external mappings."""
    return answer(
        request,
        fhir.vocabulary,
        query_key(request),
        lambda: concept_map_bundle(fhir.vocabulary, fhir.index, fhir.urls, url, version, name),
    )


@router.get(
    "/ConceptMap/$translate",
    summary="What another community (or vocabulary) calls it",
    responses=responses("Parameters", 404),
)
async def translate_get(
    request: Request,
    fhir: FhirDep,
    source_code: Annotated[
        str, Text("The word (or code) to translate; typos are recognised.", "sourceCode")
    ],
    system: Annotated[
        str | None,
        Text(
            "Its system: .../CodeSystem/airt-words (a word, the default) or the scheme URI (a code)."
        ),
    ] = None,
    target_scope: Annotated[
        str | None,
        Text(
            "The words of the community you want: .../ValueSet/airt-words-{community}.",
            "targetScope",
        ),
    ] = None,
    source_scope: Annotated[
        str | None,
        Text(
            "The words of the community the word comes from (resolves false friends).",
            "sourceScope",
        ),
    ] = None,
    target_system: Annotated[
        str | None,
        Text(
            "The scheme URI for the concept, or an external system such as http://radlex.org.",
            "targetSystem",
        ),
    ] = None,
    url: Annotated[str | None, Text("The ConceptMap URL (optional).")] = None,
) -> Response:
    given = {
        "sourceCode": source_code,
        "system": system,
        "targetScope": target_scope,
        "sourceScope": source_scope,
        "targetSystem": target_system,
        "url": url,
    }
    return answer(request, fhir.vocabulary, query_key(request), lambda: run_translate(fhir, given))


@router.post(
    "/ConceptMap/$translate",
    summary="$translate with a Parameters resource",
    operation_id="fhir_translate_post",
    openapi_extra=OPERATION_BODY,
    responses=responses("Parameters", 404, 415),
)
async def translate_post(request: Request, fhir: FhirDep) -> Response:
    return answer_now(run_translate(fhir, await posted(request, TRANSLATE)))


@router.get(
    "/ConceptMap/{resource_id}",
    summary="A ConceptMap: airt-communities or airt-external",
    responses=responses("ConceptMap", 404),
)
async def concept_map(request: Request, fhir: FhirDep, resource_id: str) -> Response:
    if resource_id not in conceptmap.MAP_IDS:
        raise NotFound(
            f"No ConceptMap has the id '{resource_id[:40]}'; use one of: {', '.join(conceptmap.MAP_IDS)}."
        )
    return answer(
        request,
        fhir.vocabulary,
        ("ConceptMap", resource_id),
        lambda: conceptmap.concept_map(fhir.vocabulary, fhir.index, fhir.urls, resource_id),
    )
