"""How the FHIR routes describe themselves in `/openapi.json`: resources and OperationOutcome."""

from __future__ import annotations

from typing import Any

from api.fhir.outcome import MEDIA_TYPE


def resource_schema(resource_type: str) -> dict[str, Any]:
    """Return a JSON Schema that names the FHIR resource type(s), `A|B` (HL7 publishes the full ones)."""
    return {
        "type": "object",
        "required": ["resourceType"],
        "properties": {"resourceType": {"type": "string", "enum": resource_type.split("|")}},
        "description": " or ".join(
            f"A FHIR R5 {name} (https://hl7.org/fhir/R5/{name.lower()}.html)"
            for name in resource_type.split("|")
        ),
    }


OUTCOME = {
    "description": "An OperationOutcome saying what is wrong",
    "content": {MEDIA_TYPE: {"schema": resource_schema("OperationOutcome")}},
}
ERRORS = {
    400: "The request could not be read",
    404: "No such resource, code or system",
    406: "XML was asked for; this server answers JSON only",
    415: "The body is not a FHIR JSON Parameters resource",
    422: "A parameter is missing or invalid",
}


def responses(resource_type: str, *statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return the OpenAPI responses of a FHIR route: the resource, 304, and OperationOutcomes."""
    out: dict[int | str, dict[str, Any]] = {
        200: {
            "description": f"A {resource_type}",
            "content": {MEDIA_TYPE: {"schema": resource_schema(resource_type)}},
        },
        304: {"description": "Not modified (If-None-Match)"},
    }
    for status in sorted({406, 422, *statuses}):
        out[status] = {**OUTCOME, "description": ERRORS.get(status, "An error")}
    return out


OPERATION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            MEDIA_TYPE: {"schema": resource_schema("Parameters")},
            "application/json": {"schema": resource_schema("Parameters")},
        },
    }
}


def resource_ids(value_set_ids: list[str]) -> dict[str, list[str]]:
    """Return the ids each FHIR read path accepts (documented as enums in /openapi.json)."""
    from api.fhir.codesystem import CODE_SYSTEM_IDS
    from api.fhir.conceptmap import MAP_IDS

    return {
        "/fhir/CodeSystem/{resource_id}": list(CODE_SYSTEM_IDS),
        "/fhir/ConceptMap/{resource_id}": list(MAP_IDS),
        "/fhir/ValueSet/{resource_id}": value_set_ids,
        "/fhir/ValueSet/{resource_id}/$expand": value_set_ids,
    }
