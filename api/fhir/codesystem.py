"""CodeSystems (the vocabulary and our three small ones) and `$lookup`, `$validate-code`, `$subsumes`.

A concept is a code: display = its preferred label, designations = every label with its
language and the community that uses it, properties = status, parents and children,
acronyms, the plain-language definition, usage warnings and replacements.
"""

from __future__ import annotations

from typing import Any

from api.fhir.common import (
    COMMUNITY_ID,
    LABEL_KIND_ID,
    LABEL_KIND_NAMES,
    VOCABULARY_ID,
    WORDS_ID,
    FhirIndex,
    Urls,
    parameter,
    parameters,
)
from vocab.errors import InvalidInput, NotFound
from vocab.model import COMMUNITIES, Concept, LabelKind, NoteKind, Status, pick_text
from vocab.vocabulary import Vocabulary

FHIR_PROPERTY = "http://hl7.org/fhir/concept-properties#"
AIRT = "https://w3id.org/airt/ns#"
PROPERTIES: tuple[tuple[str, str, str, str], ...] = (
    (
        "status",
        FHIR_PROPERTY + "status",
        "code",
        "active, deprecated or retired (merged or withdrawn)",
    ),
    ("inactive", FHIR_PROPERTY + "inactive", "boolean", "True unless the concept is active"),
    ("parent", FHIR_PROPERTY + "parent", "code", "A broader concept (skos:broader)"),
    ("child", FHIR_PROPERTY + "child", "code", "A narrower concept (skos:narrower)"),
    ("acronym", AIRT + "acronym", "string", "An acronym of the concept"),
    ("plainDefinition", AIRT + "plainDefinition", "string", "The definition in plain words"),
    (
        "usageWarning",
        AIRT + "usageWarning",
        "string",
        "How this word means different things to different communities",
    ),
    (
        "replacedBy",
        "http://purl.org/dc/terms/isReplacedBy",
        "code",
        "The concept that replaces this one",
    ),
)
FHIR_STATUS = {
    Status.ACTIVE: "active",
    Status.DEPRECATED: "deprecated",
    Status.MERGED: "retired",
    Status.WITHDRAWN: "retired",
}
COMMUNITY_DEFINITIONS = {
    "industry": "Companies that make and sell AI products, and their engineers.",
    "clinical": "Radiographers, radiologists, oncologists and other clinical staff.",
    "regulatory": "Regulators, notified bodies and standards bodies.",
    "academic": "Researchers and statisticians in universities and institutes.",
    "patient": "Patients, carers and the public.",
}
SUBSETTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "SUBSETTED",
}


def version_of(vocabulary: Vocabulary) -> str:
    return vocabulary.scheme.version or vocabulary.digest[:8]


def check_version(vocabulary: Vocabulary, version: str | None) -> None:
    """Raise NotFound unless `version` is absent or the release being served.

    Releases are served one at a time today; when earlier releases are kept, this is where
    a version picks its release.
    """
    if version and version != version_of(vocabulary):
        raise NotFound(
            f"Version '{version[:40]}' is not available; this server has version {version_of(vocabulary)}."
        )


def check_system(u: Urls, system: str | None) -> None:
    """Raise NotFound unless `system` is absent or the vocabulary's code system."""
    if system and system != u.system:
        raise NotFound(f"Unknown code system '{system[:120]}'; this server's is {u.system}.")


def _header(
    vocabulary: Vocabulary, u: Urls, resource_id: str, name: str, title: str
) -> dict[str, Any]:
    scheme = vocabulary.scheme
    out: dict[str, Any] = {
        "resourceType": "CodeSystem",
        "id": resource_id,
        "url": u.code_system(resource_id),
        "version": version_of(vocabulary),
        "name": name,
        "title": title,
        "status": "active",
        "experimental": False,
    }
    if scheme.modified:
        out["date"] = scheme.modified
    if scheme.publisher:
        out["publisher"] = scheme.publisher
    if scheme.license:
        out["copyright"] = f"Licensed under {scheme.license}"
    return out


def vocabulary_code_system(
    vocabulary: Vocabulary, index: FhirIndex, u: Urls, *, summary: bool = False
) -> dict[str, Any]:
    """Return the CodeSystem of the whole vocabulary (without its concepts if `summary`)."""
    scheme = vocabulary.scheme
    out = _header(vocabulary, u, VOCABULARY_ID, "AIRTVocabulary", scheme.title())
    out["identifier"] = [{"system": "urn:ietf:rfc:3986", "value": u.system}]
    description = pick_text(scheme.descriptions)
    if description:
        out["description"] = description
    out |= {
        "caseSensitive": True,
        "valueSet": u.all_codes,
        "hierarchyMeaning": "is-a",
        "compositional": False,
        "versionNeeded": False,
        "content": "complete",
        "count": len(index.concepts),
        "property": [
            {"code": code, "uri": uri, "description": text, "type": kind}
            for code, uri, kind, text in PROPERTIES
        ],
    }
    if summary:
        out["meta"] = {"tag": [SUBSETTED]}
    else:
        out["concept"] = [concept_element(index.concepts[code], index, u) for code in index.ordered]
    return out


def small_code_system(vocabulary: Vocabulary, u: Urls, resource_id: str) -> dict[str, Any]:
    """Return one of our small code systems: communities, kinds of label, or words."""
    if resource_id == COMMUNITY_ID:
        out = _header(vocabulary, u, COMMUNITY_ID, "AIRTCommunity", "Communities that use a label")
        out["description"] = (
            "The communities whose usage every label of the vocabulary records; the use of a designation."
        )
        codes = [(c, c, COMMUNITY_DEFINITIONS[c]) for c in COMMUNITIES]
    elif resource_id == LABEL_KIND_ID:
        out = _header(vocabulary, u, LABEL_KIND_ID, "AIRTLabelKind", "Kinds of label")
        out["description"] = "The SKOS label properties, plus acronym (a kind of skos:altLabel)."
        codes = [
            (k.value, LABEL_KIND_NAMES[k], f"A {LABEL_KIND_NAMES[k]} of a concept.")
            for k in LabelKind
        ]
    elif resource_id == WORDS_ID:
        out = _header(vocabulary, u, WORDS_ID, "AIRTWords", "Words used for the concepts")
        out["description"] = (
            "Every visible label of the vocabulary, as written, is a code of this system. Each "
            f"community's words are the value set {u.words_of('{community}')}; ConceptMap/$translate "
            "maps one community's word to another's."
        )
        community = {
            "code": "community",
            "description": "A community that uses the word",
            "operator": ["="],
            "value": "a code of " + u.community,
        }
        return out | {"caseSensitive": True, "content": "not-present", "filter": [community]}
    else:
        raise NotFound(
            f"No CodeSystem has the id '{resource_id[:40]}'; see /fhir/CodeSystem for the list."
        )
    return out | {
        "caseSensitive": True,
        "content": "complete",
        "count": len(codes),
        "concept": [{"code": c, "display": d, "definition": text} for c, d, text in codes],
    }


def code_system(
    vocabulary: Vocabulary, index: FhirIndex, u: Urls, resource_id: str
) -> dict[str, Any]:
    """Return the CodeSystem with this id; raise NotFound."""
    if resource_id == VOCABULARY_ID:
        return vocabulary_code_system(vocabulary, index, u)
    return small_code_system(vocabulary, u, resource_id)


CODE_SYSTEM_IDS = (VOCABULARY_ID, COMMUNITY_ID, LABEL_KIND_ID, WORDS_ID)


# --- a concept as a code ----------------------------------------------------------------------


def designations(concept: Concept, u: Urls) -> list[dict[str, Any]]:
    """Return every label as designations: one per community that uses it, the kind as additional use."""
    out = []
    for label in concept.labels:
        kind = {
            "system": u.label_kind,
            "code": label.kind.value,
            "display": LABEL_KIND_NAMES[label.kind],
        }
        base: dict[str, Any] = {"value": label.text}
        if label.lang:
            base["language"] = label.lang
        if not label.usage:
            out.append(base | {"use": kind})
        for community in label.usage:
            out.append(
                base
                | {
                    "use": {"system": u.community, "code": community, "display": community},
                    "additionalUse": [kind],
                }
            )
    return out


def concept_properties(concept: Concept, index: FhirIndex) -> list[tuple[str, Any]]:
    """Return (property code, value) pairs for a concept, in the order of PROPERTIES."""
    values: list[tuple[str, Any]] = [
        ("status", FHIR_STATUS[concept.status]),
        ("inactive", not concept.is_active),
    ]
    values += [("parent", index.by_uri[u]) for u in concept.broader if u in index.by_uri]
    values += [("child", index.by_uri[u]) for u in concept.narrower if u in index.by_uri]
    values += [("acronym", a) for a in concept.acronyms]
    plain = pick_text(concept.plain_definitions)
    if plain:
        values.append(("plainDefinition", plain))
    values += [("usageWarning", n.text) for n in concept.notes if n.kind is NoteKind.WARNING]
    values += [("replacedBy", index.by_uri[u]) for u in concept.replaced_by if u in index.by_uri]
    return values


KIND_KEY = {code: "value" + kind.capitalize() for code, _, kind, _ in PROPERTIES}


def concept_element(concept: Concept, index: FhirIndex, u: Urls) -> dict[str, Any]:
    """Return CodeSystem.concept for one concept."""
    out: dict[str, Any] = {"code": concept.id, "display": concept.pref_label()}
    if concept.definition():
        out["definition"] = concept.definition()
    out["designation"] = designations(concept, u)
    out["property"] = [
        {"code": code, KIND_KEY[code]: value} for code, value in concept_properties(concept, index)
    ]
    return out


def find(index: FhirIndex, code: str | None) -> Concept:
    """Return the concept with this code; raise InvalidInput if none is given, NotFound if unknown."""
    if not code:
        raise InvalidInput("Give the code to look up: code= (with system=), or a coding.")
    concept = index.concept(code)
    if concept is None:
        raise NotFound(
            f"No concept has the code '{code[:80]}'; codes are ids such as t0133 (see ValueSet/$expand)."
        )
    return concept


# --- operations -------------------------------------------------------------------------------


def lookup(
    vocabulary: Vocabulary,
    index: FhirIndex,
    u: Urls,
    *,
    system: str | None,
    code: str | None,
    version: str | None,
    display_language: str | None,
    properties: list[str] | None,
) -> dict[str, Any]:
    """Return the $lookup Parameters for a code; raise NotFound or InvalidInput."""
    check_system(u, system)
    check_version(vocabulary, version)
    concept = find(index, code)
    wanted = set(properties or ())
    out = [
        parameter("name", "AIRTVocabulary"),
        parameter("version", version_of(vocabulary)),
        parameter("display", concept.pref_label(display_language)),
    ]
    if concept.definition(display_language) and (not wanted or "definition" in wanted):
        out.append(parameter("definition", concept.definition(display_language)))
    if not wanted or "designation" in wanted:
        for d in designations(concept, u):
            parts = [parameter("value", d["value"]), {"name": "use", "valueCoding": d["use"]}]
            if "language" in d:
                parts.insert(0, {"name": "language", "valueCode": d["language"]})
            parts += [
                {"name": "additionalUse", "valueCoding": c} for c in d.get("additionalUse", ())
            ]
            out.append({"name": "designation", "part": parts})
    for code_name, value in concept_properties(concept, index):
        if not wanted or code_name in wanted:
            out.append(
                {
                    "name": "property",
                    "part": [
                        {"name": "code", "valueCode": code_name},
                        {"name": "value", KIND_KEY[code_name]: value},
                    ],
                }
            )
    return parameters(*out)


def validate_code(
    vocabulary: Vocabulary,
    index: FhirIndex,
    u: Urls,
    *,
    system: str | None,
    code: str | None,
    display: str | None,
    version: str | None,
    members: frozenset[str] | None = None,
) -> dict[str, Any]:
    """Return the $validate-code Parameters: result, message, display (in `members` if given)."""
    check_version(vocabulary, version)
    if not code:
        raise InvalidInput("Give the code to validate: code= (with system= or url=), or a coding.")
    concept = index.concept(code)
    out = [parameter("code", code), parameter("system", system or u.system)]
    if system and system != u.system:
        return parameters(
            parameter("result", False),
            *out,
            parameter(
                "message", f"Unknown code system '{system[:120]}'; this server's is {u.system}."
            ),
        )
    if concept is None or (members is not None and code not in members):
        where = "this value set" if members is not None else "the vocabulary"
        return parameters(
            parameter("result", False),
            *out,
            parameter("message", f"The code '{code[:80]}' is not in {where}."),
        )
    out += [
        parameter("display", concept.pref_label()),
        parameter("version", version_of(vocabulary)),
    ]
    if not concept.is_active:
        out.append(parameter("inactive", True))
    labels = {
        label.text.casefold() for label in concept.labels if label.kind is not LabelKind.HIDDEN
    }
    if display and display.casefold() not in labels:
        message = f"'{display[:80]}' is not a display of {code}; use '{concept.pref_label()}' or one of its other labels."
        return parameters(parameter("result", False), *out, parameter("message", message))
    return parameters(parameter("result", True), *out)


def subsumes(
    vocabulary: Vocabulary,
    index: FhirIndex,
    u: Urls,
    *,
    system: str | None,
    code_a: str | None,
    code_b: str | None,
    version: str | None,
) -> dict[str, Any]:
    """Return the $subsumes outcome of A and B from the broader hierarchy; raise NotFound."""
    check_system(u, system)
    check_version(vocabulary, version)
    a, b = find(index, code_a).id, find(index, code_b).id
    if a == b:
        result = "equivalent"
    elif a in index.ancestors.get(b, ()):
        result = "subsumes"
    elif b in index.ancestors.get(a, ()):
        result = "subsumed-by"
    else:
        result = "not-subsumed"
    return parameters({"name": "outcome", "valueCode": result})
