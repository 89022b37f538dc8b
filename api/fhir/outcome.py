"""OperationOutcome: how every error under `/fhir/` is answered (FHIR clients read no other).

`api.errors.error_response` sends errors for paths under `PREFIX` here, so validation
errors, unknown routes, wrong methods and our own domain errors all reach a FHIR client
as an OperationOutcome with `application/fhir+json`.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

PREFIX = "/fhir/"
MEDIA_TYPE = "application/fhir+json"
CONTENT_TYPE = "application/fhir+json; charset=utf-8"

ISSUE_CODE = {
    400: "invalid",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    410: "deleted",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
    503: "transient",
}
"""HTTP status -> the FHIR issue type a client acts on (http://hl7.org/fhir/issue-type)."""


def outcome(message: str, *, code: str = "processing", severity: str = "error") -> dict[str, Any]:
    """Return an OperationOutcome with one issue."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": message}],
    }


def outcome_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """Return the OperationOutcome answer for an error with HTTP `status`."""
    body = orjson.dumps(outcome(message, code=ISSUE_CODE.get(status, "exception")))
    return Response(body, status_code=status, media_type=CONTENT_TYPE, headers=headers)
