"""The JSON answers of the service, as models: their JSON Schemas go into `/openapi.json`.

The answers themselves are written by `loaders.views` (and the FHIR face); these models
describe them so that a client (and schemathesis, in the tests) can check every answer.
Only the keys the contract promises are required; an answer may carry more.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ErrorBody(Model):
    code: str = Field(
        description="A short machine-readable code, such as not_found or invalid_input."
    )
    message: str = Field(description="What went wrong and what to do instead.")


class Error(Model):
    """Every JSON error: `{"error": {"code", "message"}}`."""

    error: ErrorBody


class Ref(Model):
    uri: str
    id: str | None
    prefLabel: str | None


class LabelUse(Model):
    label: str
    lang: str
    usage: list[str] = Field(description="The communities that use this label.")


class Concept(Model):
    """A concept in SKOS names (GET /terms/{id} as JSON)."""

    uri: str
    id: str
    prefLabel: dict[str, str] = Field(description="Language tag -> preferred label.")
    altLabel: list[LabelUse]
    hiddenLabel: list[LabelUse]
    acronym: list[str]
    definition: dict[str, str]
    broader: list[Ref]
    narrower: list[Ref]
    related: list[Ref]
    exactMatch: list[str]
    closeMatch: list[str]
    status: str = Field(description="active, deprecated, merged or withdrawn.")


class SearchResult(Model):
    uri: str
    id: str
    prefLabel: str
    matched: str = Field(description="The label that matched.")
    match_type: str = Field(
        description="How it matched: exact, acronym, synonym, prefix, fuzzy, ..."
    )
    score: float


class SearchResults(Model):
    query: str
    results: list[SearchResult]


class Suggestion(Model):
    label: str
    prefLabel: str
    id: str
    uri: str
    match_type: str


class Suggestions(Model):
    query: str
    suggestions: list[Suggestion]


class Hit(Model):
    uri: str
    id: str
    prefLabel: str
    matched: str


class Sense(Hit):
    definition: str
    field: list[str]
    status: str


class Lookup(Model):
    """GET /lookup/{text} as JSON: every sense the text names."""

    query: str
    ambiguous: bool
    results: list[Sense]
    otherSenses: list[Sense]


class LookupMiss(Error):
    """GET /lookup/{text} as JSON when nothing matches: the error and the nearest terms."""

    query: str
    suggestions: list[Hit]


class TranslationMatch(Model):
    relationship: str = Field(description="FHIR ConceptMap relationship, such as equivalent.")
    concept: Ref
    labels: list[dict[str, Any]]
    confidence: float


class Translation(Model):
    term: str
    to: str
    from_: str | None = Field(alias="from")
    result: bool
    warning: str | None
    matches: list[TranslationMatch]


class Candidate(Model):
    uri: str
    id: str
    prefLabel: str
    predicate: str = Field(
        description="skos:exactMatch, closeMatch, broadMatch, narrowMatch or relatedMatch."
    )
    confidence: float


class Aligned(Model):
    term: str
    status: str
    candidates: list[Candidate]


class Alignment(Model):
    community: str | None
    summary: dict[str, int]
    results: list[Aligned]


class Health(Model):
    status: str
    release: str


class Ready(Model):
    status: str
    release: str
    checked: str


class OEmbed(Model):
    version: str
    type: str
    html: str
    width: int
    height: int


class Define(Model):
    query: str
    ambiguous: bool
    senses: list[dict[str, Any]]


class CollectionSummary(Model):
    uri: str
    id: str
    prefLabel: str


class Scheme(Model):
    """GET /scheme as JSON."""

    uri: str
    title: dict[str, str]
    version: str | None
    concepts: int
    collections: list[CollectionSummary]


class Member(Model):
    uri: str
    id: str
    prefLabel: str
    status: str


class Collection(Model):
    """GET /collections/{id} as JSON."""

    uri: str
    id: str
    prefLabel: dict[str, str]
    members: list[Member]


class Artefact(Model):
    """One file of a release, with its SHA-256 checksum."""

    name: str
    kind: str
    media_type: str
    size: int
    sha256: str
    url: str


class ReleaseSummary(Model):
    """A release's metadata (GET /releases lists them)."""

    version: str
    versionIRI: str
    url: str
    date: str
    notes: str
    previous: str | None
    concepts: int
    summary: dict[str, int]
    provenance: str
    artefacts: list[Artefact]
    snapshot: dict[str, str]


class Releases(Model):
    """GET /releases as JSON, newest first."""

    releases: list[ReleaseSummary]


class FieldChange(Model):
    field: str
    added: list[Any]
    removed: list[Any]


class ConceptChange(Model):
    id: str
    uri: str
    kind: str
    label: str
    fields: list[FieldChange]


class ReleaseDiff(Model):
    """The concept-level diff of a release against the one before."""

    from_: str | None = Field(alias="from")
    to: str
    date: str
    summary: dict[str, int]
    changes: list[ConceptChange]


class Release(ReleaseSummary):
    """GET /releases/{version} as JSON: the metadata and the diff."""

    diff: ReleaseDiff


class ReleaseChanges(Model):
    version: str
    date: str
    previous: str | None
    summary: dict[str, int]
    changes: list[ConceptChange]


class Changes(Model):
    """GET /changes: the releases in (since, until], oldest first, with their changes."""

    since: str | None
    until: str | None
    releases: list[ReleaseChanges]


MODELS: tuple[type[BaseModel], ...] = (
    Error,
    Concept,
    SearchResults,
    Suggestions,
    Lookup,
    LookupMiss,
    Translation,
    Alignment,
    Health,
    Ready,
    OEmbed,
    Define,
    Scheme,
    Collection,
    Releases,
    Release,
    ReleaseDiff,
    Changes,
)


def components() -> dict[str, Any]:
    """Return the JSON Schemas of every model, for `components.schemas`."""
    out: dict[str, Any] = {}
    for model in MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out
