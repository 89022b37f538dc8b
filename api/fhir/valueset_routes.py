"""FHIR ValueSet routes: search, read, `$expand` (type and instance level), `$validate-code`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.fhir import valueset
from api.fhir.codesystem_routes import VALIDATE, run_validate
from api.fhir.common import answer, answer_now, query_key
from api.fhir.context import (
    Code,
    Fhir,
    FhirDep,
    Language,
    System,
    Text,
    Version,
    posted,
)
from api.fhir.openapi import OPERATION_BODY, responses
from api.fhir.search import value_set_bundle
from api.openapi import VISIBLE

router = APIRouter(tags=["fhir"])

# --- ValueSet -----------------------------------------------------------------------------

EXPAND = {
    "url": "text",
    "filter": "text",
    "count": "number",
    "offset": "number",
    "displayLanguage": "text",
    "activeOnly": "flag",
    "includeDesignations": "flag",
}
Filter = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=VISIBLE,
        description="Text to search for: labels, acronyms, misspellings, lay words.",
    ),
]
Count = Annotated[
    int | None, Query(ge=0, le=100_000, description="How many codes (at most 1000 a page).")
]
Offset = Annotated[int | None, Query(ge=0, le=1_000_000, description="Where the page starts.")]
ActiveOnly = Annotated[
    bool | None,
    Query(alias="activeOnly", description="Leave out deprecated, merged and withdrawn concepts."),
]
Designations = Annotated[
    bool | None, Query(alias="includeDesignations", description="Include every label of each code.")
]
VsUrl = Annotated[str | None, Text("The ValueSet URL (the whole vocabulary if absent).")]


def run_expand(fhir: Fhir, kind: valueset.Kind, given: dict[str, Any]) -> dict[str, Any]:
    return valueset.expand(
        fhir.vocabulary,
        fhir.index,
        fhir.urls,
        kind,
        filter=given.get("filter"),
        count=given.get("count"),
        offset=given.get("offset"),
        display_language=given.get("displayLanguage"),
        active_only=given.get("activeOnly"),
        include_designations=given.get("includeDesignations"),
    )


@router.get("/ValueSet", summary="Search ValueSets (a Bundle)", responses=responses("Bundle"))
async def value_sets(
    request: Request,
    fhir: FhirDep,
    url: Annotated[str | None, Text("Canonical URL.")] = None,
    version: Version = None,
    name: Annotated[str | None, Text("Computable name.")] = None,
) -> Response:
    """The whole vocabulary, each collection, and the words of each community."""
    return answer(
        request,
        fhir.vocabulary,
        query_key(request),
        lambda: value_set_bundle(fhir.vocabulary, fhir.index, fhir.urls, url, version, name),
    )


@router.get(
    "/ValueSet/$expand",
    summary="Expand a value set; with filter, search it as you type",
    responses=responses("ValueSet", 404),
)
async def expand_get(
    request: Request,
    fhir: FhirDep,
    url: VsUrl = None,
    filter: Filter = None,
    count: Count = None,
    offset: Offset = None,
    display_language: Language = None,
    active_only: ActiveOnly = None,
    include_designations: Designations = None,
) -> Response:
    kind = valueset.kind_by_url(fhir.vocabulary, fhir.urls, url)
    given = {
        "filter": filter,
        "count": count,
        "offset": offset,
        "displayLanguage": display_language,
        "activeOnly": active_only,
        "includeDesignations": include_designations,
    }
    return answer(
        request, fhir.vocabulary, query_key(request), lambda: run_expand(fhir, kind, given)
    )


@router.post(
    "/ValueSet/$expand",
    summary="$expand with a Parameters resource",
    operation_id="fhir_expand_post",
    openapi_extra=OPERATION_BODY,
    responses=responses("ValueSet", 404, 415),
)
async def expand_post(request: Request, fhir: FhirDep) -> Response:
    given = await posted(request, EXPAND)
    return answer_now(
        run_expand(fhir, valueset.kind_by_url(fhir.vocabulary, fhir.urls, given.get("url")), given)
    )


@router.get(
    "/ValueSet/$validate-code",
    summary="Is this code in the value set?",
    responses=responses("Parameters", 404),
)
async def vs_validate_get(
    request: Request,
    fhir: FhirDep,
    code: Code,
    url: VsUrl = None,
    system: System = None,
    display: Annotated[str | None, Text("A display to check against the labels.")] = None,
    version: Version = None,
) -> Response:
    kind = valueset.kind_by_url(fhir.vocabulary, fhir.urls, url)
    given = {"code": code, "system": system, "display": display, "version": version}
    return answer(
        request, fhir.vocabulary, query_key(request), lambda: run_validate(fhir, given, kind)
    )


@router.post(
    "/ValueSet/$validate-code",
    summary="ValueSet $validate-code with a Parameters resource",
    operation_id="fhir_valueset_validate_code_post",
    openapi_extra=OPERATION_BODY,
    responses=responses("Parameters", 404, 415),
)
async def vs_validate_post(request: Request, fhir: FhirDep) -> Response:
    given = await posted(request, VALIDATE)
    return answer_now(
        run_validate(
            fhir, given, valueset.kind_by_url(fhir.vocabulary, fhir.urls, given.get("url"))
        )
    )


@router.get(
    "/ValueSet/{resource_id}",
    summary="A ValueSet: airt, airt-{collection}, airt-words-{community}",
    responses=responses("ValueSet", 404),
)
async def value_set(request: Request, fhir: FhirDep, resource_id: str) -> Response:
    kind = valueset.kind_by_id(fhir.vocabulary, resource_id)
    return answer(
        request,
        fhir.vocabulary,
        ("ValueSet", resource_id),
        lambda: valueset.value_set(fhir.vocabulary, fhir.index, fhir.urls, kind),
    )


@router.get(
    "/ValueSet/{resource_id}/$expand",
    summary="Expand this value set",
    responses=responses("ValueSet", 404),
)
async def expand_instance(
    request: Request,
    fhir: FhirDep,
    resource_id: str,
    filter: Filter = None,
    count: Count = None,
    offset: Offset = None,
    display_language: Language = None,
    active_only: ActiveOnly = None,
    include_designations: Designations = None,
) -> Response:
    kind = valueset.kind_by_id(fhir.vocabulary, resource_id)
    given = {
        "filter": filter,
        "count": count,
        "offset": offset,
        "displayLanguage": display_language,
        "activeOnly": active_only,
        "includeDesignations": include_designations,
    }
    return answer(
        request, fhir.vocabulary, query_key(request), lambda: run_expand(fhir, kind, given)
    )
