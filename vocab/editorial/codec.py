"""JSON-ready forms of editorial objects, as stores keep them and the API will show them.

Concepts inside edits use `vocab.codec`'s lossless dicts; timestamps are ISO 8601 UTC
with microseconds and a Z, so they sort as text and read back equal.

>>> text = stamp(datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC))
>>> text, parse_stamp(text) == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
('2030-01-02T03:04:05.000000Z', True)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from vocab.codec import (
    collection_from_dict,
    collection_to_dict,
    concept_from_dict,
    concept_to_dict,
    scheme_from_dict,
    scheme_to_dict,
)
from vocab.diff import diff_concept
from vocab.editorial.model import ConceptEdit, Proposal
from vocab.model import Snapshot
from vocab.problems import Problem, Severity


def stamp(moment: datetime) -> str:
    """Return a timestamp as sortable UTC text; raise ValueError for a naive datetime."""
    if moment.tzinfo is None:
        raise ValueError("Timestamps must carry a time zone (use datetime.now(UTC)).")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> datetime:
    """Return the aware datetime of a `stamp()` text."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def dumps(value: Any) -> str:
    """Return compact, key-sorted JSON (the same value always gives the same text)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def edit_to_dict(edit: ConceptEdit) -> dict[str, Any]:
    return {
        "concept_id": edit.concept_id,
        "base_version": edit.base_version,
        "before": concept_to_dict(edit.before) if edit.before else None,
        "after": concept_to_dict(edit.after),
        "collections_before": list(edit.collections_before),
        "collections_after": list(edit.collections_after),
    }


def edit_from_dict(d: dict[str, Any]) -> ConceptEdit:
    return ConceptEdit(
        concept_id=d["concept_id"],
        base_version=d["base_version"],
        before=concept_from_dict(d["before"]) if d["before"] else None,
        after=concept_from_dict(d["after"]),
        collections_before=tuple(d["collections_before"]),
        collections_after=tuple(d["collections_after"]),
    )


def finding_to_dict(f: Problem) -> dict[str, str]:
    return {
        "check": f.check,
        "severity": f.severity.value,
        "subject": f.subject,
        "message": f.message,
    }


def finding_from_dict(d: dict[str, str]) -> Problem:
    return Problem(d["check"], Severity(d["severity"]), d["subject"], d["message"])


def proposal_to_json(p: Proposal) -> dict[str, Any]:
    """Return the public JSON of a proposal: its state, the diff of each edit and its findings."""
    changes = [
        diff_concept(e.before, e.after, e.collections_before, e.collections_after) for e in p.edits
    ]
    return {
        "id": p.id,
        "kind": p.kind.value,
        "state": p.state.value,
        "author_id": p.author_id,
        "reviewer_id": p.reviewer_id,
        "title": p.title,
        "reason": p.reason,
        "origin": p.origin,
        "created_at": stamp(p.created_at),
        "updated_at": stamp(p.updated_at),
        "edits": [
            {
                "concept_id": e.concept_id,
                "base_version": e.base_version,
                "change": c.to_json() if c else None,
            }
            for e, c in zip(p.edits, changes, strict=True)
        ],
        "findings": [finding_to_dict(f) for f in p.findings],
    }


def snapshot_to_dict(s: Snapshot) -> dict[str, Any]:
    """Return a lossless JSON-ready dict of a whole Snapshot (what a release stores)."""
    return {
        "schemes": [scheme_to_dict(x) for x in s.schemes],
        "concepts": [concept_to_dict(x) for x in s.concepts],
        "collections": [collection_to_dict(x) for x in s.collections],
        "top_concepts": {k: list(v) for k, v in s.top_concepts.items()},
    }


def snapshot_from_dict(d: dict[str, Any]) -> Snapshot:
    """Return the Snapshot of a `snapshot_to_dict()` dict."""
    return Snapshot(
        schemes=tuple(scheme_from_dict(x) for x in d["schemes"]),
        concepts=tuple(concept_from_dict(x) for x in d["concepts"]),
        collections=tuple(collection_from_dict(x) for x in d["collections"]),
        top_concepts={k: tuple(v) for k, v in d["top_concepts"].items()},
    )
