"""Errors of the editorial workflow, each mapping to one HTTP status in the API's table.

| class          | status | when                                                            |
|----------------|--------|-----------------------------------------------------------------|
| Unauthorised   | 401    | no credentials, or credentials that do not check out            |
| Forbidden      | 403    | an account without the role, scope or standing for the action   |
| Conflict       | 409    | a stale base version, a decision already taken, a confusable or duplicate name |
| GateFailed     | 422    | the quality gate found errors in the snapshot a change would make |
| RateLimited    | 429    | too many attempts in a window; `retry_after` says when to retry |
"""

from __future__ import annotations

from typing import Any

from vocab.errors import VocabError


class Unauthorised(VocabError):
    """The caller is not authenticated (no key, a wrong or revoked key, a bad password)."""

    code = "unauthorised"


class Forbidden(VocabError):
    """The caller is authenticated but may not do this (role, reviewer scope, four eyes)."""

    code = "forbidden"


class Conflict(VocabError):
    """The request clashes with the current state; the message says what changed or clashes.

    `details` is JSON-ready evidence for the API (for a stale base: the diff since then).
    """

    code = "conflict"

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.details = details


class StaleConcept(Conflict):
    """A concept moved past the version a change started from (raised by stores)."""

    code = "stale_concept"

    def __init__(self, concept_id: str, expected: int | None, found: int | None) -> None:
        super().__init__(
            f"Concept {concept_id} is at version {found}, not {expected}: it changed meanwhile."
        )
        self.concept_id = concept_id
        self.expected = expected
        self.found = found


class GateFailed(VocabError):
    """The quality gate found errors in the snapshot a proposal would produce."""

    code = "quality_gate_failed"


class RateLimited(VocabError):
    """Too many attempts for one account or key in the current window."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
