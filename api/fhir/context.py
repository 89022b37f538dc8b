"""What every FHIR route reads: the release, its FHIR index and URLs; POSTed Parameters; shared
parameter types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import Depends, Query, Request
from starlette.exceptions import HTTPException

from api.deps import BaseDep, VocabularyDep
from api.fhir import codesystem
from api.fhir.common import FhirIndex, Urls, index, read_parameters, refuses_xml, urls
from api.openapi import VISIBLE
from vocab.errors import TooLarge
from vocab.vocabulary import Vocabulary

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
