"""`GET /fhir/metadata`: the CapabilityStatement, or TerminologyCapabilities with `mode=terminology`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.fhir.codesystem import PROPERTIES, version_of
from api.fhir.common import EXPANSION_MAX, FHIR_VERSION, Urls
from vocab.vocabulary import Vocabulary

OPERATION = "http://hl7.org/fhir/OperationDefinition/"
SEARCH_PARAMS = [
    {"name": "url", "type": "uri", "documentation": "The canonical URL."},
    {"name": "version", "type": "token", "documentation": "The version (the release)."},
    {"name": "name", "type": "string", "documentation": "The computable name."},
]
RESOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("CodeSystem", ("lookup", "validate-code", "subsumes")),
    ("ValueSet", ("expand", "validate-code")),
    ("ConceptMap", ("translate",)),
)
JSON_ONLY = (
    "Read-only FHIR R5 terminology service over the released vocabulary. JSON only "
    "(application/fhir+json); XML is not supported and is answered 406. Operations take "
    "GET parameters or a POSTed Parameters resource."
)


def _common(
    vocabulary: Vocabulary, u: Urls, resource: str, resource_id: str, name: str
) -> dict[str, Any]:
    scheme = vocabulary.scheme
    out: dict[str, Any] = {
        "resourceType": resource,
        "id": resource_id,
        "url": f"{u.fhir}/metadata",
        "version": version_of(vocabulary),
        "name": name,
        "title": f"FHIR terminology service of the {scheme.title()}",
        "status": "active",
        "experimental": False,
        "date": scheme.modified or datetime.now(UTC).date().isoformat(),
    }
    if scheme.publisher:
        out["publisher"] = scheme.publisher
    return out | {
        "description": JSON_ONLY,
        "kind": "instance",
        "software": {"name": "airt-vocab", "version": version_of(vocabulary)},
        "implementation": {"description": JSON_ONLY, "url": u.fhir},
    }


def capability_statement(vocabulary: Vocabulary, u: Urls) -> dict[str, Any]:
    """Return the CapabilityStatement: what the FHIR face reads, searches and operates on."""
    out = _common(
        vocabulary, u, "CapabilityStatement", "airt-terminology-server", "AIRTTerminologyServer"
    )
    return out | {
        "instantiates": ["http://hl7.org/fhir/CapabilityStatement/terminology-server"],
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": JSON_ONLY,
                "resource": [
                    {
                        "type": resource,
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": SEARCH_PARAMS,
                        "operation": [
                            {"name": name, "definition": f"{OPERATION}{resource}-{name}"}
                            for name in operations
                        ],
                    }
                    for resource, operations in RESOURCES
                ],
            }
        ],
    }


def terminology_capabilities(vocabulary: Vocabulary, u: Urls) -> dict[str, Any]:
    """Return TerminologyCapabilities: the code system, and how expansion and translation behave."""
    out = _common(
        vocabulary, u, "TerminologyCapabilities", "airt-terminology", "AIRTTerminologyCapabilities"
    )
    languages = list(vocabulary.scheme.languages) or ["en-GB"]
    return out | {
        "codeSystem": [
            {
                "uri": u.system,
                "version": [
                    {
                        "code": version_of(vocabulary),
                        "isDefault": True,
                        "language": languages,
                        "property": [code for code, *_ in PROPERTIES],
                    }
                ],
                "content": "complete",
                "subsumption": True,
            }
        ],
        "expansion": {
            "hierarchical": False,
            "paging": True,
            "incomplete": False,
            "parameter": [
                {"name": name}
                for name in (
                    "filter",
                    "count",
                    "offset",
                    "displayLanguage",
                    "activeOnly",
                    "includeDesignations",
                )
            ],
            "textFilter": (
                "filter runs the service's search: any label, acronym, misspelling or lay word, "
                f"tolerant of typos and word order, best first; at most {EXPANSION_MAX} codes a page."
            ),
        },
        "codeSearch": "in-compose-or-expansion",
        "validateCode": {"translations": False},
        "translation": {"needsMap": False},
        "closure": {"translation": False},
    }
