"""The FHIR router: `/fhir/metadata` here, and the routes of each resource type, each calling one
module function. Operations answer GET (parameters in the query) and POST (a Parameters
resource); both reach the same function. Every error is an OperationOutcome (`api.fhir.outcome`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.fhir import capabilities, codesystem_routes, conceptmap_routes, valueset_routes
from api.fhir.common import answer
from api.fhir.context import FhirDep
from api.fhir.openapi import responses

router = APIRouter(prefix="/fhir", tags=["fhir"])

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


# the operation paths (`CodeSystem/$lookup`) come before the reads (`CodeSystem/{id}`) they match
for resource_routes in (codesystem_routes, valueset_routes, conceptmap_routes):
    router.include_router(resource_routes.router)
