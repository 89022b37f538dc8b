"""Searching the resource types: a searchset Bundle of what matches `url`, `version` and `name`."""

from __future__ import annotations

from typing import Any

from api.fhir import codesystem, conceptmap, valueset
from api.fhir.common import VOCABULARY_ID, FhirIndex, Urls
from vocab.vocabulary import Vocabulary


def bundle(
    u: Urls,
    resource_type: str,
    resources: list[dict[str, Any]],
    url: str | None,
    version: str | None,
    name: str | None,
) -> dict[str, Any]:
    """Return a searchset Bundle of the resources that match every criterion given."""
    found = [
        r
        for r in resources
        if (not url or r.get("url") == url.split("|")[0])
        and (not version or r.get("version") == version)
        and (not name or name.casefold() in str(r.get("name", "")).casefold())
    ]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(found),
        "link": [{"relation": "self", "url": f"{u.fhir}/{resource_type}"}],
        "entry": [
            {
                "fullUrl": f"{u.fhir}/{resource_type}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in found
        ],
    }


def code_system_bundle(
    vocabulary: Vocabulary,
    index: FhirIndex,
    u: Urls,
    url: str | None,
    version: str | None,
    name: str | None,
) -> dict[str, Any]:
    """Return the CodeSystems found; the vocabulary's without its concepts (read it for those)."""
    resources = [codesystem.vocabulary_code_system(vocabulary, index, u, summary=True)] + [
        codesystem.small_code_system(vocabulary, u, i)
        for i in codesystem.CODE_SYSTEM_IDS
        if i != VOCABULARY_ID
    ]
    return bundle(u, "CodeSystem", resources, url, version, name)


def value_set_bundle(
    vocabulary: Vocabulary,
    index: FhirIndex,
    u: Urls,
    url: str | None,
    version: str | None,
    name: str | None,
) -> dict[str, Any]:
    """Return the ValueSets found."""
    resources = [
        valueset.value_set(vocabulary, index, u, kind) for kind in valueset.all_kinds(vocabulary)
    ]
    return bundle(u, "ValueSet", resources, url, version, name)


def concept_map_bundle(
    vocabulary: Vocabulary,
    index: FhirIndex,
    u: Urls,
    url: str | None,
    version: str | None,
    name: str | None,
) -> dict[str, Any]:
    """Return the ConceptMaps found."""
    resources = [conceptmap.concept_map(vocabulary, index, u, i) for i in conceptmap.MAP_IDS]
    return bundle(u, "ConceptMap", resources, url, version, name)
