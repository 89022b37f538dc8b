"""The FHIR router: reads, searches and operations under `/fhir/`, each calling one module function.

Operations answer GET (parameters in the query) and POST (a Parameters resource); both
reach the same function. Every error is an OperationOutcome (see `api.fhir.outcome`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.deps import BaseDep, VocabularyDep
from api.fhir import capabilities, codesystem, conceptmap, valueset
from api.fhir.common import (
    FhirIndex,
    Urls,
    answer,
    answer_now,
    index,
    query_key,
    read_parameters,
    refuses_xml,
    split_coding,
    urls,
)
from api.fhir.openapi import OPERATION_BODY, responses
from api.fhir.search import code_system_bundle, concept_map_bundle, value_set_bundle
from api.openapi import VISIBLE
from vocab.errors import NotFound, TooLarge
from vocab.vocabulary import Vocabulary

router = APIRouter(prefix="/fhir", tags=["fhir"])
MAX_BODY = 64 * 1024
FHIR_JSON = ("application/fhir+json", "application/json")
FORMAT_PATTERN = r"^(json|xml|(application/(fhir\+)?|text/)(json|xml))(;.*)?$"
"""What _format may say; the XML ones are answered 406 (JSON only), anything else 422."""


@dataclass(frozen=True)
class Fhir:
    """What a FHIR request reads: the release, its FHIR index and the canonical URLs."""

    vocabulary: Vocabulary
    index: FhirIndex
    urls: Urls


async def fhir_context(
    request: Request,
    vocabulary: VocabularyDep,
    base: BaseDep,
    format: Annotated[
        str | None,
        Query(
            alias="_format",
            max_length=60,
            description="json (the default); XML is not supported (406).",
            pattern=FORMAT_PATTERN,
        ),
    ] = None,
) -> Fhir:
    """Return the FHIR context of a request; raise 406 when the client wants XML."""
    refused = refuses_xml(request, format)
    if refused is not None:
        raise HTTPException(406, refused)
    built = await anyio.to_thread.run_sync(index, vocabulary)  # once per release, off the loop
    return Fhir(vocabulary, built, urls(vocabulary, base))


FhirDep = Annotated[Fhir, Depends(fhir_context)]


async def posted(request: Request, names: dict[str, str]) -> dict[str, Any]:
    """Return the inputs of a POSTed Parameters resource; raise 415 or TooLarge."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in FHIR_JSON:
        raise HTTPException(415, "Send a Parameters resource as application/fhir+json.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise TooLarge(f"The Parameters resource passes {MAX_BODY:,} bytes.")
        chunks.append(chunk)
    return read_parameters(b"".join(chunks), names)


def Text(description: str, alias: str | None = None) -> Any:
    return Query(alias=alias, max_length=500, pattern=VISIBLE, description=description)


System = Annotated[str | None, Text("The code system URL (the scheme URI).")]
PROPERTY_NAMES = ("definition", "designation", *(code for code, *_ in codesystem.PROPERTIES))
PropertyName = Literal[PROPERTY_NAMES]  # type: ignore[valid-type]
Code = Annotated[str, Text("A code: a concept id such as t0133.")]
Version = Annotated[str | None, Text("The release (version) to use; the one served if absent.")]
Language = Annotated[str | None, Text("Language of the display, such as en-US.", "displayLanguage")]


# --- metadata -----------------------------------------------------------------------------


@router.get(
    "/metadata",
    summary="CapabilityStatement (or TerminologyCapabilities)",
    responses=responses("CapabilityStatement|TerminologyCapabilities"),
)
async def metadata(
    request: Request,
    fhir: FhirDep,
    mode: Annotated[
        str | None,
        Query(
            pattern="^(full|normative|terminology)$",
            description="terminology: TerminologyCapabilities.",
        ),
    ] = None,
) -> Response:
    """What this server supports; `mode=terminology` for its terminology capabilities."""
    make = (
        capabilities.terminology_capabilities
        if mode == "terminology"
        else capabilities.capability_statement
    )
    return answer(
        request, fhir.vocabulary, ("metadata", mode or ""), lambda: make(fhir.vocabulary, fhir.urls)
    )


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
