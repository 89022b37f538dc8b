"""ConceptMaps and `$translate`.

- `airt-communities`: each word of the vocabulary to the other words for the same concept,
  with the communities that use them (the cross-community synonyms);
- `airt-external`: our concepts to RadLex, Wikidata, NCIt, ... (the SKOS mappings).

`$translate` of a word (system `.../CodeSystem/airt-words`, or none) runs the engine of
`GET /translate` (`Vocabulary.translate`), so typos and product wording are recognised;
the community whose words you want is the target scope, the value set of its words.
`$translate` of a concept code (system = the scheme) answers its external mappings, or
its words in the target community.
"""

from __future__ import annotations

from typing import Any

from api.fhir.codesystem import find, version_of
from api.fhir.common import FhirIndex, Urls, parameter, parameters
from api.fhir.valueset import kind_by_url
from vocab.errors import InvalidInput, NotFound
from vocab.model import COMMUNITIES, LabelKind
from vocab.translate import FHIR_RELATIONSHIP
from vocab.vocabulary import Vocabulary

COMMUNITIES_MAP = "airt-communities"
EXTERNAL_MAP = "airt-external"
MAP_IDS = (COMMUNITIES_MAP, EXTERNAL_MAP)
KNOWN_SYSTEMS = (("http://radlex.org/RID/", "http://radlex.org"),)
"""External URI prefixes whose FHIR system is not the prefix itself (RadLex's is radlex.org)."""


def map_url(u: Urls, map_id: str) -> str:
    return f"{u.fhir}/ConceptMap/{map_id}"


def external_coding(uri: str) -> dict[str, str]:
    """Return an external concept URI as a Coding: the namespace as system, the local name as code."""
    for prefix, system in KNOWN_SYSTEMS:
        if uri.startswith(prefix):
            return {"system": system, "code": uri[len(prefix) :]}
    cut = max(uri.rfind("#"), uri.rfind("/"))
    return (
        {"system": uri[: cut + 1], "code": uri[cut + 1 :]}
        if 0 < cut < len(uri) - 1
        else {"system": "urn:ietf:rfc:3986", "code": uri}
    )


def _header(vocabulary: Vocabulary, u: Urls, map_id: str, name: str, title: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "ConceptMap",
        "id": map_id,
        "url": map_url(u, map_id),
        "version": version_of(vocabulary),
        "name": name,
        "title": title,
        "status": "active",
        "experimental": False,
    }
    if vocabulary.scheme.modified:
        out["date"] = vocabulary.scheme.modified
    return out


def concept_map(vocabulary: Vocabulary, index: FhirIndex, u: Urls, map_id: str) -> dict[str, Any]:
    """Return the ConceptMap with this id; raise NotFound."""
    if map_id == COMMUNITIES_MAP:
        return communities_map(vocabulary, index, u)
    if map_id == EXTERNAL_MAP:
        return external_map(vocabulary, index, u)
    raise NotFound(f"No ConceptMap has the id '{map_id[:60]}'; use one of: {', '.join(MAP_IDS)}.")


def communities_map(vocabulary: Vocabulary, index: FhirIndex, u: Urls) -> dict[str, Any]:
    """Return the map from each word to the other words for the same concept, by community."""
    out = _header(
        vocabulary,
        u,
        COMMUNITIES_MAP,
        "AIRTCommunitySynonyms",
        "What each community calls the same concept",
    )
    out["description"] = (
        "Each word of the vocabulary, mapped to the other words that name the same concept, with the communities that use them."
    )
    out["property"] = [
        {"code": "community", "uri": u.community, "type": "Coding", "system": u.community}
    ]
    elements = []
    for code in index.ordered:
        concept = index.concepts[code]
        visible = [lb for lb in concept.labels if lb.kind is not LabelKind.HIDDEN]
        for label in visible:
            targets = [
                {
                    "code": other.text,
                    "display": other.text,
                    "relationship": "equivalent",
                    "comment": f"Both name {code} ({concept.pref_label()}).",
                    "property": [
                        {"code": "community", "valueCoding": {"system": u.community, "code": c}}
                        for c in other.usage
                    ],
                }
                for other in visible
                if other.text != label.text and other.usage
            ]
            if targets:
                elements.append({"code": label.text, "display": label.text, "target": targets})
    out["group"] = [{"source": u.words, "target": u.words, "element": elements}]
    return out


def external_map(vocabulary: Vocabulary, index: FhirIndex, u: Urls) -> dict[str, Any]:
    """Return the map from our concepts to other vocabularies (the SKOS mapping properties)."""
    out = _header(
        vocabulary, u, EXTERNAL_MAP, "AIRTExternalMappings", "Mappings to other vocabularies"
    )
    out["description"] = (
        "SKOS mappings of the concepts to RadLex, Wikidata, NCIt and other vocabularies."
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    for code in index.ordered:
        concept = index.concepts[code]
        by_system: dict[str, list[dict[str, Any]]] = {}
        for mapping in concept.mappings:
            coding = external_coding(mapping.target)
            by_system.setdefault(coding["system"], []).append(
                {"code": coding["code"], "relationship": FHIR_RELATIONSHIP[mapping.kind]}
            )
        for system, targets in by_system.items():
            groups.setdefault(system, []).append(
                {"code": code, "display": concept.pref_label(), "target": targets}
            )
    if groups:
        out["group"] = [
            {"source": u.system, "target": system, "element": elements}
            for system, elements in sorted(groups.items())
        ]
    return out


def _community_of(vocabulary: Vocabulary, u: Urls, scope: str | None) -> str | None:
    """Return the community whose words value set `scope` names (None if no scope)."""
    if not scope:
        return None
    kind = kind_by_url(vocabulary, u, scope)
    if kind.kind != "words":
        raise InvalidInput(
            f"The scope must be the words of a community, such as {u.words_of('clinical')}."
        )
    return kind.key


def translate(
    vocabulary: Vocabulary,
    index: FhirIndex,
    u: Urls,
    *,
    url: str | None,
    system: str | None,
    code: str | None,
    source_scope: str | None,
    target_scope: str | None,
    target_system: str | None,
) -> dict[str, Any]:
    """Return the $translate Parameters: result, message and matches; raise InvalidInput or NotFound.

    Without a target scope (the words of a community), a word translates to the concept(s) it names.
    """
    if url and url.split("|")[0] not in (map_url(u, m) for m in MAP_IDS):
        raise NotFound(
            f"No ConceptMap has the url '{url[:120]}'; use {map_url(u, COMMUNITIES_MAP)} or {map_url(u, EXTERNAL_MAP)}."
        )
    if not code:
        raise InvalidInput(
            "Give the word or code to translate: sourceCode= (with system=), or a sourceCoding."
        )
    to = _community_of(vocabulary, u, target_scope)
    if system == u.system:
        return _translate_code(index, u, find(index, code).id, to, target_system)
    if system and system != u.words:
        raise NotFound(
            f"Unknown system '{system[:120]}'; translate words ({u.words}) or codes ({u.system})."
        )
    translation = vocabulary.translate(
        code, to or COMMUNITIES[0], source_community=_community_of(vocabulary, u, source_scope)
    )
    matches = []
    for m in translation.matches:
        concept = {"system": u.system, "code": m.row.id, "display": m.row.pref_label}
        matches.append(_match(m.relationship, concept, map_url(u, COMMUNITIES_MAP)))
        if to is not None and target_system != u.system:
            for label, usage in m.labels:
                if to not in usage:
                    continue  # the fallback to the preferred label is no word of that community
                word = {"system": u.words, "code": label, "display": label}
                matches.append(_match(m.relationship, word, map_url(u, COMMUNITIES_MAP)))
    out = [parameter("result", translation.result)]
    message = translation.warning or (
        "" if matches else f"No concept is named '{translation.term}'."
    )
    if message:
        out.append(parameter("message", message))
    return parameters(*out, *matches)


def _translate_code(
    index: FhirIndex, u: Urls, code: str, to: str | None, target_system: str | None
) -> dict[str, Any]:
    concept = index.concepts[code]
    matches = []
    if to is not None:
        for label in concept.labels:
            if to in label.usage and label.kind is not LabelKind.HIDDEN:
                word = {"system": u.words, "code": label.text, "display": label.text}
                matches.append(_match("equivalent", word, map_url(u, COMMUNITIES_MAP)))
    else:
        for mapping in concept.mappings:
            coding = external_coding(mapping.target)
            if target_system in (None, coding["system"]):
                matches.append(
                    _match(FHIR_RELATIONSHIP[mapping.kind], coding, map_url(u, EXTERNAL_MAP))
                )
    out = [parameter("result", bool(matches))]
    if not matches:
        out.append(
            parameter(
                "message",
                f"{code} has no mapping to {to or target_system or 'another vocabulary'}.",
            )
        )
    return parameters(*out, *matches)


def _match(relationship: str, coding: dict[str, str], origin: str) -> dict[str, Any]:
    return {
        "name": "match",
        "part": [
            {"name": "relationship", "valueCode": relationship},
            {"name": "concept", "valueCoding": coding},
            {"name": "originMap", "valueCanonical": origin},
        ],
    }
