"""The curated source as Turtle: read it, and write it back in the house style.

The source says `<terms/t0019>` and `<scheme>`; reading it against the configured base URI
gives `{base}/terms/t0019`, so one source serves any deployment. Reading is strict by
default: the policy (`vocab.source.require_clean`) refuses any integrity error with the
evidence, where an import would repair and report.

The house style: `scheme.ttl` holds the concept scheme, and each collection has a file
named after its id holding the collection (with its member list) and then the concepts
whose first collection it is, one block each in id order, properties in a fixed order
(labels, who uses them, definitions, notes, relations, mappings, sources, status).
Concepts in no collection go to `unfiled.ttl`. Only what an editor states is written:
inverse links (narrower), top concepts and the SKOS super-properties that exports add are
derived when reading. `vocab format` rewrites the source in this style, so a diff shows
only real changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from loaders.bibliography import read_bibliography
from loaders.namespaces import AIRT, COMMUNITY_PROPERTY, NOTE_PROPERTY
from loaders.rdf_input import Triple, parse_triples
from loaders.skos_read import read_triples
from vocab.errors import ParseError
from vocab.model import (
    Collection,
    Concept,
    LabelKind,
    LangText,
    MatchKind,
    Scheme,
    Snapshot,
    Status,
)
from vocab.problems import Problem, ReadResult, Severity
from vocab.source import bibliography_file, require_clean, source_files, validation_problems

# --- reading ------------------------------------------------------------------------------

# Terms of the SKOS namespace (the 2009 Recommendation), from rdflib's closed namespace.
SKOS_TERMS = frozenset(str(SKOS[name]) for name in SKOS.__annotations__)


def read_source(source: Path, *, base: str, strict: bool = True) -> ReadResult:
    """Return the Snapshot of the curated source; raise ParseError, or IntegrityError if `strict`."""
    files = source_files(source)
    if not files:
        raise ParseError(f"No Turtle source at {source}; pass --source or set VOCAB_SOURCE.")
    triples = []
    for path in files:
        try:
            triples += parse_triples(path.read_bytes(), "ttl", base=base.rstrip("/") + "/")
        except ParseError as exc:
            raise ParseError(f"{path.name}: {exc.message}") from None
    result = read_triples(triples, base=base, source_name=files[0].stem)
    snapshot = result.snapshot
    described = bibliography_file(source)
    if described is not None:
        cited = {iri for c in snapshot.concepts for iri in (*c.sources, *c.pages)}
        try:
            bibliography = read_bibliography(described, cited)
        except ParseError as exc:
            raise ParseError(f"{described.name}: {exc.message}") from None
        snapshot = replace(snapshot, bibliography=bibliography)
    result = ReadResult(snapshot, result.problems + tuple(undefined_skos_terms(triples)))
    if strict:
        require_clean(result)
    return result


def undefined_skos_terms(triples: list[Triple]) -> list[Problem]:
    """Return an error for each IRI in the SKOS namespace that SKOS does not define (qSKOS usr)."""
    namespace = str(SKOS)
    found = []
    for s, p, o in triples:
        for term in (p, o):
            if isinstance(term, str) and term.startswith(namespace) and term not in SKOS_TERMS:
                found.append(
                    Problem(
                        "read",
                        Severity.ERROR,
                        s,
                        f"<{term}> is not a SKOS term (a typo, or a deprecated SKOS Core term).",
                    )
                )
    return found


def validate_source(
    source: Path, *, base: str, shapes: bool = True, part: bool = False
) -> tuple[ReadResult, list[Problem]]:
    """Return the source and every problem: reading, the quality gate and the SHACL shapes.

    When `part` is set (one file of the source folder checked alone), links into the other
    files are warnings and the shapes, which need the whole vocabulary, are skipped.
    """
    from loaders.shacl import shacl_problems  # pySHACL is heavy; only validation needs it

    result = read_source(source, base=base, strict=False)
    extra = [shacl_problems] if shapes else []
    return result, validation_problems(result, part=part, extra=extra)


def concept_homes(source: Path, *, base: str) -> dict[str, str]:
    """Return which file (stem) of the source folder each concept is written in."""
    concept_type = str(SKOS.Concept)
    homes: dict[str, str] = {}
    for path in source_files(source):
        for s, p, o in parse_triples(path.read_bytes(), "ttl", base=base.rstrip("/") + "/"):
            if o == concept_type and p.endswith("#type"):
                homes.setdefault(s, path.stem)
    return homes


# --- writing ------------------------------------------------------------------------------

PREFIXES = """\
@prefix :     <terms/> .
@prefix col:  <collections/> .
@prefix airt: <https://w3id.org/airt/ns#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""
HEADER = """\
# Part of the curated source of the vocabulary (ontology/vocabulary/), which `vocab build`
# compiles. IRIs are relative to the service's base URI: <terms/t0001> is {base}/terms/t0001.
# Keep the layout with `vocab format`; check the content with `vocab validate`.
"""


class _Writer:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/") + "/"

    def iri(self, uri: str) -> str:
        if uri.startswith(self.base):
            local = uri[len(self.base) :]
            for prefix, path in ((":", "terms/"), ("col:", "collections/")):
                rest = local[len(path) :]
                if local.startswith(path) and rest.replace("-", "").replace("_", "").isalnum():
                    return prefix + rest
            return f"<{local}>"
        return f"<{uri}>"

    def literal(self, text: str, lang: str = "") -> str:
        return Literal(text, lang=lang or None).n3()

    def date(self, value: str) -> str:
        # values passed the reader's xsd:date/dateTime pattern, so they need no escaping
        return f'"{value}"^^xsd:{"dateTime" if "T" in value else "date"}'

    def block(self, subject: str, rdf_type: str, props: list[tuple[str, list[str]]]) -> str:
        lines = [f"{subject} a {rdf_type}"]
        for prop, values in props:
            if not values:
                continue
            if len(values) == 1 or sum(len(v) for v in values) < 70:
                lines.append(f"    {prop} {', '.join(values)}")
            else:
                lines.append(f"    {prop} " + (",\n" + " " * (len(prop) + 5)).join(values))
        return " ;\n".join(lines) + " .\n"

    def texts(self, items: Iterable[LangText]) -> list[str]:
        return [self.literal(t.text, t.lang) for t in items]


def write_source(
    snapshot: Snapshot, *, base: str, homes: dict[str, str] | None = None
) -> dict[str, str]:
    """Return the source files of `snapshot` in the house style: {file name: Turtle}.

    `homes` maps concept URIs to the file (stem) they already live in, so reformatting never
    moves a concept; other concepts go to the file of their first collection.
    """
    w = _Writer(base)
    home: dict[str, str] = dict(homes or {})
    for collection in snapshot.collections:
        for member in collection.members:
            home.setdefault(member, collection.id)
    files: dict[str, list[str]] = {"scheme": [_scheme(w, s) for s in snapshot.schemes]}
    for collection in snapshot.collections:
        files[collection.id] = [_collection(w, collection)]
    for concept in sorted(snapshot.concepts, key=lambda c: c.id):
        files.setdefault(home.get(concept.uri, "unfiled"), []).append(_concept(w, concept))
    return {f"{name}.ttl": "\n".join([HEADER, PREFIXES, *blocks]) for name, blocks in files.items()}


def _scheme(w: _Writer, s: Scheme) -> str:
    def ref(value: str | None) -> list[str]:
        if not value:
            return []
        return [w.iri(value)] if value.startswith(("http://", "https://")) else [w.literal(value)]

    return w.block(
        w.iri(s.uri),
        "skos:ConceptScheme",
        [
            ("dct:title", w.texts(s.titles)),
            ("dct:description", w.texts(s.descriptions)),
            ("owl:versionInfo", [w.literal(s.version)] if s.version else []),
            ("owl:versionIRI", ref(s.version_iri)),
            ("dct:license", ref(s.license)),
            ("dct:publisher", ref(s.publisher)),
            ("dct:creator", [v for c in s.creators for v in ref(c)]),
            ("dct:language", [w.literal(lang) for lang in s.languages]),
            ("foaf:homepage", ref(s.homepage)),
            ("dct:created", [w.date(s.created)] if s.created else []),
            ("dct:modified", [w.date(s.modified)] if s.modified else []),
        ],
    )


def _concept(w: _Writer, c: Concept) -> str:
    def labels(kind: LabelKind) -> list[str]:
        return [w.literal(lb.text, lb.lang) for lb in c.labels_of(kind)]

    props: list[tuple[str, list[str]]] = [
        ("skos:prefLabel", labels(LabelKind.PREF)),
        ("airt:acronym", labels(LabelKind.ACRONYM)),
        ("skos:altLabel", labels(LabelKind.ALT)),
        ("skos:hiddenLabel", labels(LabelKind.HIDDEN)),
    ]
    for community, prop in COMMUNITY_PROPERTY.items():
        props.append(
            (
                _qname(prop),
                [w.literal(lb.text, lb.lang) for lb in c.labels if community in lb.usage],
            )
        )
    props += [
        ("skos:definition", w.texts(c.definitions)),
        ("airt:plainDefinition", w.texts(c.plain_definitions)),
    ]
    for kind, prop in NOTE_PROPERTY.items():
        props.append((_qname(prop), [w.literal(n.text, n.lang) for n in c.notes if n.kind is kind]))
    props += [
        ("skos:broader", [w.iri(u) for u in c.broader]),
        ("skos:related", [w.iri(u) for u in c.related]),
        *[(f"skos:{kind.value}", [w.iri(u) for u in c.matches(kind)]) for kind in MatchKind],
        ("skos:notation", [w.literal(n) for n in c.notations]),
        ("dct:source", [w.iri(s) for s in c.sources] + w.texts(c.citations)),
        ("foaf:page", [w.iri(p) for p in c.pages]),
    ]
    if c.status is not Status.ACTIVE:
        props.append(("owl:deprecated", ["true"]))
        replacement = "airt:mergedInto" if c.status is Status.MERGED else "dct:isReplacedBy"
        props.append((replacement, [w.iri(u) for u in c.replaced_by]))
    props += [
        ("dct:created", [w.date(c.created)] if c.created else []),
        ("dct:modified", [w.date(c.modified)] if c.modified else []),
    ]
    return w.block(w.iri(c.uri), "skos:Concept", props)


def _qname(prop: URIRef) -> str:
    for prefix, namespace in (("airt", str(AIRT)), ("skos", str(SKOS))):
        if prop.startswith(namespace):
            return f"{prefix}:{prop[len(namespace) :]}"
    raise ValueError(f"No prefix for {prop}")


def _collection(w: _Writer, c: Collection) -> str:
    return w.block(
        w.iri(c.uri),
        "skos:OrderedCollection" if c.ordered else "skos:Collection",
        [
            ("skos:prefLabel", w.texts(c.labels)),
            ("skos:definition", w.texts(c.definitions)),
            ("skos:member", [w.iri(m) for m in c.members]),
        ],
    )


def read_release_source(source: Path, base: str) -> Snapshot:
    """Return the snapshot of a release's source folder (read leniently: it passed the gate)."""
    return read_source(source, base=base, strict=False).snapshot
