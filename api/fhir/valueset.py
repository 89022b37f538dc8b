"""ValueSets and `$expand` / `$validate-code` on them.

Three kinds: the whole vocabulary (`airt`), one per collection (`airt-{collection}`, whose
canonical URL is the collection's own URI), and one per community holding the words that
community uses (`airt-words-{community}`, the scopes of `ConceptMap/$translate`).
`$expand` with `filter` runs our search engine, so typos, acronyms and lay words find
their concept as they do on `/search`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from api.fhir.codesystem import designations, validate_code, version_of
from api.fhir.common import (
    EXPANSION_MAX,
    VOCABULARY_ID,
    WORDS_ID,
    FhirIndex,
    Urls,
    parameter,
    parameters,
)
from vocab.errors import InvalidInput, NotFound
from vocab.model import COMMUNITIES, pick_text
from vocab.normalize import clean_query, normalise_label
from vocab.vocabulary import Vocabulary

WORDS_PREFIX = f"{WORDS_ID}-"


@dataclass(frozen=True)
class Kind:
    """Which value set: `all`, a `collection` (with its id) or a community's `words`."""

    kind: str
    key: str = ""

    @property
    def resource_id(self) -> str:
        if self.kind == "all":
            return VOCABULARY_ID
        return (
            f"{WORDS_PREFIX}{self.key}" if self.kind == "words" else f"{VOCABULARY_ID}-{self.key}"
        )


def all_kinds(vocabulary: Vocabulary) -> list[Kind]:
    return [
        Kind("all"),
        *(Kind("collection", c.id) for c in vocabulary.collections()),
        *(Kind("words", c) for c in COMMUNITIES),
    ]


def kind_by_id(vocabulary: Vocabulary, resource_id: str) -> Kind:
    """Return the value set with this id; raise NotFound listing the ids."""
    for kind in all_kinds(vocabulary):
        if kind.resource_id == resource_id:
            return kind
    raise NotFound(f"No ValueSet has the id '{resource_id[:60]}'; see /fhir/ValueSet for the list.")


def kind_by_url(vocabulary: Vocabulary, u: Urls, url: str | None) -> Kind:
    """Return the value set with this canonical URL (the whole vocabulary if none); raise NotFound."""
    if not url or url in (u.all_codes, u.system):
        return Kind("all")
    for kind in all_kinds(vocabulary):
        if canonical_url(vocabulary, u, kind) == url.split("|")[0]:
            return kind
    raise NotFound(f"No ValueSet has the url '{url[:120]}'; see /fhir/ValueSet for the list.")


def canonical_url(vocabulary: Vocabulary, u: Urls, kind: Kind) -> str:
    if kind.kind == "collection":
        return vocabulary.collection(kind.key).uri
    return u.words_of(kind.key) if kind.kind == "words" else u.all_codes


def _name(text: str) -> str:
    return "AIRT" + "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def value_set(vocabulary: Vocabulary, index: FhirIndex, u: Urls, kind: Kind) -> dict[str, Any]:
    """Return the ValueSet resource of one kind."""
    scheme = vocabulary.scheme
    out: dict[str, Any] = {
        "resourceType": "ValueSet",
        "id": kind.resource_id,
        "url": canonical_url(vocabulary, u, kind),
        "version": version_of(vocabulary),
        "status": "active",
        "experimental": False,
    }
    if scheme.modified:
        out["date"] = scheme.modified
    if scheme.publisher:
        out["publisher"] = scheme.publisher
    if kind.kind == "all":
        out |= {"name": "AIRTVocabulary", "title": f"Every concept of the {scheme.title()}"}
        out["compose"] = {"inactive": True, "include": [{"system": u.system}]}
    elif kind.kind == "collection":
        collection = vocabulary.collection(kind.key)
        out |= {"name": _name(collection.id), "title": collection.label()}
        if pick_text(collection.definitions):
            out["description"] = pick_text(collection.definitions)
        codes = [c for c in index.ordered if c in index.members[kind.key]]
        include = [{"system": u.system, "concept": [{"code": c} for c in codes]}]
        # an empty collection: everything, less everything (FHIR has no empty include)
        empty = {"include": [{"system": u.system}], "exclude": [{"system": u.system}]}
        out["compose"] = {"inactive": True, **({"include": include} if codes else empty)}
    else:
        out |= {"name": _name(f"words {kind.key}"), "title": f"Words the {kind.key} community uses"}
        out["compose"] = {
            "include": [
                {
                    "system": u.words,
                    "filter": [{"property": "community", "op": "=", "value": kind.key}],
                }
            ]
        }
    return out


def members_of(index: FhirIndex, kind: Kind) -> frozenset[str] | None:
    """Return the codes of a concept value set (None: the whole vocabulary)."""
    return index.members[kind.key] if kind.kind == "collection" else None


def _timestamp(vocabulary: Vocabulary) -> str:
    scheme = vocabulary.scheme
    return scheme.modified or scheme.created or datetime.now(UTC).date().isoformat()


def expand(
    vocabulary: Vocabulary,
    index: FhirIndex,
    u: Urls,
    kind: Kind,
    *,
    filter: str | None,
    count: int | None,
    offset: int | None,
    display_language: str | None,
    active_only: bool | None,
    include_designations: bool | None,
) -> dict[str, Any]:
    """Return the ValueSet with its expansion: a page of codes, searched when `filter` is given."""
    offset = offset or 0
    count = EXPANSION_MAX if count is None else min(count, EXPANSION_MAX)
    used = [parameter("offset", offset), parameter("count", count)]
    total: int | None = None
    if kind.kind == "words":
        words = index.words[kind.key]
        if filter:
            wanted = normalise_label(clean_query(filter))
            words = tuple(w for w in words if wanted in normalise_label(w))
        total = len(words)
        contains = [
            {"system": u.words, "code": w, "display": w} for w in words[offset : offset + count]
        ]
    else:
        codes = _codes(vocabulary, index, kind, filter, offset + count, bool(active_only))
        if not filter:
            total = len(codes)
        contains = [
            _contains(index, u, code, display_language, include_designations)
            for code in codes[offset : offset + count]
        ]
    if filter:
        used.insert(0, parameter("filter", filter))
    if display_language:
        used.append({"name": "displayLanguage", "valueCode": display_language})
    if active_only is not None:
        used.append(parameter("activeOnly", active_only))
    expansion: dict[str, Any] = {
        "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{vocabulary.digest}|{kind.resource_id}|{filter}|{offset}|{count}|{active_only}')}",
        "timestamp": _timestamp(vocabulary),
    }
    if total is not None:
        expansion["total"] = total
    expansion |= {"offset": offset, "parameter": used}
    if contains:
        expansion["contains"] = contains
    return value_set(vocabulary, index, u, kind) | {"expansion": expansion}


def _codes(
    vocabulary: Vocabulary,
    index: FhirIndex,
    kind: Kind,
    filter: str | None,
    upto: int,
    active_only: bool,
) -> list[str]:
    if filter:
        hits = vocabulary.search(
            filter,
            limit=max(1, min(upto, EXPANSION_MAX)),
            collection=kind.key if kind.kind == "collection" else None,
            include_deprecated=not active_only,
        )
        return list(dict.fromkeys(hit.row.id for hit in hits))
    members = members_of(index, kind)
    return [
        code
        for code in index.ordered
        if (members is None or code in members)
        and (not active_only or index.concepts[code].is_active)
    ]


def _contains(
    index: FhirIndex, u: Urls, code: str, language: str | None, with_designations: bool | None
) -> dict[str, Any]:
    concept = index.concepts[code]
    out: dict[str, Any] = {
        "system": u.system,
        "code": code,
        "display": concept.pref_label(language),
    }
    if not concept.is_active:
        out["inactive"] = True
    if with_designations:
        out["designation"] = designations(concept, u)
    return out


def validate_in_value_set(
    vocabulary: Vocabulary,
    index: FhirIndex,
    u: Urls,
    kind: Kind,
    *,
    system: str | None,
    code: str | None,
    display: str | None,
    version: str | None,
) -> dict[str, Any]:
    """Return the $validate-code Parameters for a code in a value set."""
    if kind.kind != "words":
        return validate_code(
            vocabulary,
            index,
            u,
            system=system,
            code=code,
            display=display,
            version=version,
            members=members_of(index, kind),
        )
    if not code:
        raise InvalidInput("Give the word to validate: code= (with system=), or a coding.")
    found = code in index.words[kind.key] and system in (None, u.words)
    result = [parameter("result", found), parameter("code", code), parameter("system", u.words)]
    if not found:
        result.append(
            parameter("message", f"'{code[:80]}' is not a word the {kind.key} community uses.")
        )
    return parameters(*result)
