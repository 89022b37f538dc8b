"""The domain model in SKOS words: Snapshot, Scheme, Concept, Label, Collection.

A `Snapshot` is one complete, released state of a vocabulary: what the Turtle source
holds, what the store serves and what every export writes. All classes are frozen;
loaders build them, the store persists them, nothing mutates them.

>>> c = Concept(id="t0001", uri="http://x/terms/t0001",
...             labels=(Label("machine learning", "en-GB", LabelKind.PREF),
...                     Label("ML", "en-GB", LabelKind.ACRONYM)))
>>> c.pref_label(), c.acronyms
('machine learning', ('ML',))
"""

from __future__ import annotations

from collections import abc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")

COMMUNITIES: tuple[str, ...] = ("industry", "clinical", "regulatory", "academic", "patient")
"""The communities whose usage every label records."""

PREFERRED_LANGUAGES: tuple[str, ...] = ("en-GB", "en", "en-US")
"""Display order when a text exists in several languages."""


class LabelKind(StrEnum):
    """The SKOS label properties, plus acronym (declared a sub-property of altLabel).

    Declared most significant first: lookup tiers, search scores and the order labels are
    listed in all follow `KIND_RANK`.
    """

    PREF = "pref"
    ACRONYM = "acronym"
    ALT = "alt"
    HIDDEN = "hidden"


KIND_RANK: dict[LabelKind, int] = {kind: i for i, kind in enumerate(LabelKind)}
"""Significance of each label kind: preferred, acronym, alternative, hidden."""


class MatchType(StrEnum):
    """How search found a concept, best first (the `match_type` of the public JSON)."""

    EXACT = "exact"  # the query is the preferred label
    ACRONYM = "acronym"
    SYNONYM = "synonym"  # an alternative or hidden label
    PREFIX = "prefix"
    FUZZY = "fuzzy"
    DEFINITION = "definition"  # found through its definitions, scope notes or examples
    SEMANTIC = "semantic"  # found by meaning: the query's vector near the concept's


class Status(StrEnum):
    """Lifecycle of a concept URI; every status keeps the URI resolving."""

    ACTIVE = "active"
    DEPRECATED = "deprecated"  # replaced by another concept: 200 with dct:isReplacedBy
    MERGED = "merged"  # the same concept moved to a new id: 301
    WITHDRAWN = "withdrawn"  # retired with no successor: 410


class MatchKind(StrEnum):
    """SKOS mapping properties, by their local names."""

    EXACT = "exactMatch"
    CLOSE = "closeMatch"
    BROAD = "broadMatch"
    NARROW = "narrowMatch"
    RELATED = "relatedMatch"


class NoteKind(StrEnum):
    """SKOS documentation properties other than definition."""

    NOTE = "note"
    SCOPE = "scopeNote"
    EXAMPLE = "example"
    HISTORY = "historyNote"
    EDITORIAL = "editorialNote"
    CHANGE = "changeNote"
    WARNING = "usageWarning"  # ours: a word that means different things to different communities


@dataclass(frozen=True, slots=True)
class LangText:
    """A language-tagged text; `lang` is a BCP 47 tag in canonical case, '' if untagged."""

    text: str
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Label:
    """One label of a concept, with the communities that use it."""

    text: str
    lang: str
    kind: LabelKind
    usage: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    """A documentation note (scope note, example, history note, ...)."""

    kind: NoteKind
    text: str
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Mapping:
    """A SKOS mapping from a concept to a concept in another scheme."""

    kind: MatchKind
    target: str


@dataclass(frozen=True)
class Concept:
    """A skos:Concept. Relations hold URIs; the store resolves them to labels."""

    id: str
    uri: str
    labels: tuple[Label, ...] = ()
    definitions: tuple[LangText, ...] = ()
    plain_definitions: tuple[LangText, ...] = ()
    notes: tuple[Note, ...] = ()
    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    mappings: tuple[Mapping, ...] = ()
    sources: tuple[str, ...] = ()  # dct:source IRIs
    citations: tuple[LangText, ...] = ()  # dct:source given as text
    pages: tuple[str, ...] = ()  # foaf:page: the body's or standard's own web address
    notations: tuple[str, ...] = ()
    in_schemes: tuple[str, ...] = ()
    status: Status = Status.ACTIVE
    replaced_by: tuple[str, ...] = ()
    created: str | None = None
    modified: str | None = None

    def labels_of(self, kind: LabelKind) -> tuple[Label, ...]:
        """Return this concept's labels of one kind, in source order."""
        return tuple(label for label in self.labels if label.kind is kind)

    def pref_label(self, lang: str | None = None) -> str:
        """Return the preferred label in `lang`, else in the first preferred language."""
        return (
            pick_text(
                [LangText(label.text, label.lang) for label in self.labels_of(LabelKind.PREF)], lang
            )
            or self.id
        )

    def definition(self, lang: str | None = None) -> str:
        """Return the definition in `lang` or the first preferred language ('' if none)."""
        return pick_text(self.definitions, lang)

    @property
    def acronyms(self) -> tuple[str, ...]:
        return tuple(label.text for label in self.labels_of(LabelKind.ACRONYM))

    @property
    def alt_labels(self) -> tuple[Label, ...]:
        return self.labels_of(LabelKind.ALT)

    @property
    def hidden_labels(self) -> tuple[Label, ...]:
        return self.labels_of(LabelKind.HIDDEN)

    def matches(self, kind: MatchKind) -> tuple[str, ...]:
        """Return the targets of one mapping property."""
        return tuple(m.target for m in self.mappings if m.kind is kind)

    @property
    def is_active(self) -> bool:
        return self.status is Status.ACTIVE


@dataclass(frozen=True)
class Collection:
    """A skos:Collection (or OrderedCollection) grouping concepts a reader can browse."""

    id: str
    uri: str
    labels: tuple[LangText, ...] = ()
    definitions: tuple[LangText, ...] = ()
    members: tuple[str, ...] = ()  # URIs of concepts or nested collections
    ordered: bool = False

    def label(self, lang: str | None = None) -> str:
        return pick_text(self.labels, lang) or self.id


@dataclass(frozen=True)
class Scheme:
    """A skos:ConceptScheme with the metadata a citable vocabulary needs."""

    uri: str
    titles: tuple[LangText, ...] = ()
    descriptions: tuple[LangText, ...] = ()
    version: str | None = None
    version_iri: str | None = None  # owl:versionIRI: the release this snapshot is
    license: str | None = None
    publisher: str | None = None
    creators: tuple[str, ...] = ()
    created: str | None = None
    modified: str | None = None
    languages: tuple[str, ...] = ()
    homepage: str | None = None

    def title(self, lang: str | None = None) -> str:
        return pick_text(self.titles, lang) or self.uri


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What a cited address (a `dct:source` or `foaf:page`) is: its title, a short
    bibliographic citation, its publisher and its year, as far as they are known."""

    iri: str
    title: str
    citation: str = ""
    publisher: str = ""
    year: str = ""


@dataclass(frozen=True)
class Snapshot:
    """One complete state of a vocabulary: its schemes, concepts and collections.

    `bibliography` describes the addresses the concepts cite; it is not part of the
    vocabulary's identity (two snapshots that differ only there are equal).
    """

    schemes: tuple[Scheme, ...]
    concepts: tuple[Concept, ...]
    collections: tuple[Collection, ...] = ()
    top_concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # scheme -> URIs
    bibliography: tuple[SourceInfo, ...] = field(default=(), compare=False)

    @property
    def scheme(self) -> Scheme:
        """The primary scheme (the first one)."""
        return self.schemes[0]


def ancestors(parents: abc.Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Return every node's ancestors through `parents` (cycle-safe: a node in a cycle is its own).

    >>> sorted(ancestors({"a": ["b"], "b": ["c"], "c": []})["a"])
    ['b', 'c']
    """
    result: dict[str, set[str]] = {}
    for node in parents:
        seen: set[str] = set()
        stack = list(parents.get(node, ()))
        while stack:
            up = stack.pop()
            if up not in seen:
                seen.add(up)
                stack.extend(parents.get(up, ()))
        result[node] = seen
    return result


def pick_text(texts: list[LangText] | tuple[LangText, ...], lang: str | None = None) -> str:
    """Return the text in `lang` (exact, then primary subtag), else by PREFERRED_LANGUAGES.

    >>> pick_text([LangText("colour", "en-GB"), LangText("color", "en-US")], "en-US")
    'color'
    >>> pick_text([LangText("väri", "fi"), LangText("colour", "en-GB")])
    'colour'
    """
    if not texts:
        return ""
    wanted = ([lang] if lang else []) + list(PREFERRED_LANGUAGES)
    for tag in wanted:
        for t in texts:
            if t.lang.lower() == tag.lower():
                return t.text
        for t in texts:
            if t.lang.split("-")[0].lower() == tag.split("-")[0].lower():
                return t.text
    untagged = [t for t in texts if not t.lang]
    return (untagged or list(texts))[0].text


def canonical(snapshot: Snapshot) -> Snapshot:
    """Return `snapshot` with every unordered collection in a fixed order.

    RDF has no order, so two serialisations of one graph can list labels, relations or
    concepts differently; readers return the canonical order so that equal graphs give
    equal Snapshots. Only ordered collections (skos:memberList) keep their order. Objects
    already in order are kept as they are (a large vocabulary mostly is).
    """
    return Snapshot(
        schemes=tuple(sorted(snapshot.schemes, key=lambda s: s.uri)),
        concepts=tuple(
            sorted((_canonical_concept(c) for c in snapshot.concepts), key=lambda c: c.id)
        ),
        collections=tuple(
            sorted(
                (
                    c if c.ordered else replace(c, members=tuple(sorted(c.members)))
                    for c in snapshot.collections
                ),
                key=lambda c: c.id,
            )
        ),
        top_concepts={s: tuple(sorted(uris)) for s, uris in snapshot.top_concepts.items()},
        bibliography=_sorted(snapshot.bibliography, key=lambda b: b.iri),
    )


_COMMUNITY_RANK = {c: i for i, c in enumerate(COMMUNITIES)}


def _sorted(items: tuple[T, ...], key: Callable[[T], Any] | None = None) -> tuple[T, ...]:
    ordered = tuple(sorted(items, key=key))  # type: ignore[type-var, arg-type]
    return items if ordered == items else ordered


def _canonical_label(label: Label) -> Label:
    usage = _sorted(label.usage, key=lambda u: _COMMUNITY_RANK.get(u, 99))
    return label if usage is label.usage else replace(label, usage=usage)


def _by_text(t: LangText) -> tuple[str, str]:
    return (t.lang, t.text)


def _canonical_concept(c: Concept) -> Concept:
    changes = {
        "labels": _sorted(
            tuple(_canonical_label(lb) for lb in c.labels),
            key=lambda lb: (KIND_RANK[lb.kind], lb.lang, lb.text),
        ),
        "definitions": _sorted(c.definitions, key=_by_text),
        "plain_definitions": _sorted(c.plain_definitions, key=_by_text),
        "notes": _sorted(c.notes, key=lambda n: (n.kind.value, n.lang, n.text)),
        "broader": _sorted(c.broader),
        "narrower": _sorted(c.narrower),
        "related": _sorted(c.related),
        "mappings": _sorted(c.mappings, key=lambda m: (m.kind.value, m.target)),
        "sources": _sorted(c.sources),
        "citations": _sorted(c.citations, key=_by_text),
        "pages": _sorted(c.pages),
        "notations": _sorted(c.notations),
        "in_schemes": _sorted(c.in_schemes),
        "replaced_by": _sorted(c.replaced_by),
    }
    changed = {name: value for name, value in changes.items() if value != getattr(c, name)}
    return replace(c, **changed) if changed else c  # type: ignore[arg-type]
