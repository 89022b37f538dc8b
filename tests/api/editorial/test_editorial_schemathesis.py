"""schemathesis against the editorial API, with an editor's API key: no 500, answers as the
OpenAPI document says, and no route that works when the key is left out (`ignored_auth`).

Bounded (a few examples per operation) to keep the suite quick; run it longer with
`SCHEMATHESIS_EXAMPLES=200 pytest tests/api/editorial/test_editorial_schemathesis.py`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.editorial.conftest import BASE, NEW_CONCEPT, SOURCE, make_desk
from tests.conftest import build_vocabulary
from vocab.editorial.security import RateLimiter

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
_folder = Path(tempfile.mkdtemp(prefix="schemathesis-"))
DESK = make_desk(
    str(_folder / "e.db"),
    build_vocabulary(SOURCE, _folder / "v.db", base=BASE),
    key_limiter=RateLimiter(1_000_000, 60),
)
for submit in (True, False):  # proposal 1 submitted, 2 a draft, for the generated ids to find
    DESK.post(
        "/editorial/proposals",
        "eve",
        {"kind": "add_concept", "reason": "r", "fields": NEW_CONCEPT, "submit": submit},
    )

schema = schemathesis.openapi.from_asgi("/openapi.json", DESK.client.app).include(
    path_regex="^/editorial"
)


@schema.auth()
class EditorKey:
    def get(self, case: Any, context: Any) -> str:
        return DESK.tokens["eve"]

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "X-API-Key": data}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_editorial_api_holds_to_its_schema_and_its_keys(case: Any) -> None:
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            ignored_auth,
        ]
    )
