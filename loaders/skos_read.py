"""Triples to a Snapshot: what SKOS says, what our profile adds, and what we cannot keep.

Reading is lenient about real-world SKOS and strict about consistency. Every repair or
loss is reported as a `Problem` naming the resource (concept, scheme or collection) and
saying what was wrong and what was done; "error" means a SKOS integrity condition was
broken (and repaired), "warning" means something was dropped, guessed or looks wrong.

- labels: one prefLabel per language (S14: the first in the file stays, the others
  become altLabels), pref/alt/hidden disjoint (S13: the more significant kind wins),
  literals only (S12); SKOS-XL labels are dumbed down to plain labels (S55-S57) and
  the label resources themselves are not kept; a property the file declares a
  sub-property of a SKOS label property is read as that property (RDFS entailment);
  untagged labels are kept and reported;
- relations: broader/narrower and related are read in both directions and stored both
  ways; a related link that clashes with the hierarchy (S27) is dropped; exactMatch that
  clashes with broadMatch or relatedMatch (S46) keeps the exactMatch; cycles, links to
  concepts the file does not hold and shared prefLabels or notations are kept and
  reported;
- classes: subclasses the file declares (`rdfs:subClassOf skos:Concept`) count, and
  ISO 25964's iso-thes:ConceptGroup and ThesaurusArray are collections (sub-classes of
  skos:Collection), with iso-thes:subGroup/superGroup read as nesting; a resource typed
  both Concept and ConceptScheme, Collection or skosxl:Label (S9, S37, S48) is not read
  as a concept; an untyped resource used as a concept is typed by entailment;
- values: dates must be real xsd:date or xsd:dateTime values; a note given as a resource
  keeps its rdf:value; notations lose their datatype or language tag;
- anything else on a concept, scheme or collection is reported as not represented.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from loaders.bibliography import BIBLIOGRAPHIC, bibliography_of
from loaders.rdf_input import Lit, Triple
from loaders.skos_checks import check_relations, check_shared_values
from loaders.skos_groups import GroupReader
from loaders.skos_terms import (
    ALT,
    BROADER,
    COLLECTION,
    CONCEPT,
    CREATED,
    DEFINITION,
    DEPRECATED,
    FOAF_PAGE,
    GROUPS,
    HAS_TOP,
    HIDDEN,
    IN_SCHEME,
    KNOWN_CONCEPT_PROPERTIES,
    MATCHES,
    MERGED_INTO,
    MODIFIED,
    NARROWER,
    NOTATION,
    NOTES,
    ORDERED,
    PAGES,
    PLAIN,
    PREF,
    RELATED,
    RELATION_PROPERTIES,
    REPLACED_BY,
    SCHEME,
    SOURCES,
    SUBCLASS,
    SUBPROPERTY,
    TOP_OF,
    TRANSITIVE,
    XL_LABEL,
    name,
    unique,
)
from vocab.bulk import paused_gc
from vocab.model import (
    Concept,
    LangText,
    Mapping,
    Note,
    Scheme,
    Snapshot,
    Status,
    canonical,
)
from vocab.problems import ReadResult


class _Reader(GroupReader):
    def __init__(self, triples: Iterable[Triple], base: str, source_name: str) -> None:
        super().__init__(triples, base)
        self.source_name = re.sub(
            r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", source_name
        )
        # a property the file declares a sub-property of a SKOS label property is read as it
        self.label_subproperties = {
            sub: label
            for label in (PREF, ALT, HIDDEN)
            for sub in self.descendants(SUBPROPERTY, label)
            if sub not in KNOWN_CONCEPT_PROPERTIES
        }
        self.known_concept_properties = KNOWN_CONCEPT_PROPERTIES | set(self.label_subproperties)

    # --- classes -----------------------------------------------------------------

    def descendants(self, relation: str, root: str) -> set[str]:
        """Return `root` and all the file puts below it by `relation` (rdfs:subClassOf, ...)."""
        found, frontier = {root}, [root]
        while frontier:
            for sub in self.g.subjects(relation, frontier.pop()):
                if sub not in found:
                    found.add(sub)
                    frontier.append(sub)
        return found

    def instances(self, classes: set[str]) -> list[str]:
        return [s for s in self.g.out if self.g.types(s) & classes]

    def read(self) -> ReadResult:
        concept_classes = self.descendants(SUBCLASS, CONCEPT)
        collection_classes: set[str] = set()
        for cls in {COLLECTION, ORDERED} | GROUPS:
            collection_classes |= self.descendants(SUBCLASS, cls)
        scheme_uris = self.instances({SCHEME})
        for p in (IN_SCHEME, TOP_OF):
            for s in list(self.g.out):
                scheme_uris += [o for o in self.g.iris(s, p) if o not in scheme_uris]
        scheme_uris += [s for s in self.g.out if self.g.values(s, HAS_TOP) and s not in scheme_uris]
        scheme_uris = [uri for uri in scheme_uris if not uri.startswith("_:")]
        collection_uris = sorted(
            s for s in self.instances(collection_classes) if not s.startswith("_:")
        )
        not_concepts = {SCHEME, XL_LABEL} | collection_classes
        concept_uris = sorted(
            self.concept_candidates(
                self.instances(concept_classes),
                set(scheme_uris),
                set(collection_uris),
                set(self.instances({XL_LABEL})),
                not_concepts,
            )
        )

        schemes = [self.scheme(uri) for uri in scheme_uris]
        if not schemes:
            uri = f"{self.base}/scheme"
            self.warn(
                uri,
                f"The file declares no skos:ConceptScheme; created <{uri}> titled "
                f"'{self.source_name}' and put every concept in it.",
            )
            schemes = [Scheme(uri=uri, titles=(LangText(self.source_name, ""),))]
        primary = self.primary_scheme([s.uri for s in schemes], concept_uris)
        several = len(schemes) > 1
        concepts = [self.concept(uri, primary, several_schemes=several) for uri in concept_uris]
        if not concepts:
            self.warn(primary, "The file holds no skos:Concept; the vocabulary is empty.")
        concepts = check_relations(concepts, self.report)
        check_shared_values(concepts, self.report)
        known = {c.uri for c in concepts} | set(collection_uris)
        collections = [self.collection(uri, known) for uri in collection_uris]
        top = {s.uri: self.top_concepts(s.uri, concepts) for s in schemes}
        cited = {iri for c in concepts for iri in (*c.sources, *c.pages)}
        described = [
            (iri, p, lit) for iri in cited for p in BIBLIOGRAPHIC for lit in self.g.literals(iri, p)
        ]
        bibliography = bibliography_of(described, cited)
        snapshot = Snapshot(tuple(schemes), tuple(concepts), tuple(collections), top, bibliography)
        return ReadResult(snapshot, tuple(self.problems))

    def concept_candidates(
        self,
        declared: list[str],
        schemes: set[str],
        collections: set[str],
        xl_labels: set[str],
        not_concept_classes: set[str],
    ) -> list[str]:
        found = dict.fromkeys(declared)
        not_concepts = schemes | collections | xl_labels
        for s, props in self.g.out.items():
            if s in found or s in not_concepts or self.g.types(s) & not_concept_classes:
                continue
            used = [p for p in props if p in RELATION_PROPERTIES | {IN_SCHEME, TOP_OF}]
            if used and any(p in props for p in (IN_SCHEME, TOP_OF, PREF)):
                how = ", ".join(sorted({name(p) for p in used}))
                self.warn(s, f"Not typed skos:Concept; read as a concept because it has {how}.")
                found[s] = None
        result = []
        for uri in found:
            if uri.startswith("_:"):
                self.warn(uri, "A blank-node concept cannot have a URI; it was skipped.")
            elif uri in not_concepts:
                clash = (
                    "skos:ConceptScheme (S9)"
                    if uri in schemes
                    else "skos:Collection (S37)"
                    if uri in collections
                    else "skosxl:Label (S48)"
                )
                self.report(
                    "error", uri, f"Typed both skos:Concept and {clash}; not read as a concept."
                )
            else:
                result.append(uri)
        return result

    def schemes_of(self, uri: str) -> list[str]:
        g = self.g
        return unique(g.iris(uri, IN_SCHEME) + g.iris(uri, TOP_OF) + g.subjects(HAS_TOP, uri))

    def primary_scheme(self, schemes: list[str], concepts: list[str]) -> str:
        """Return the scheme most concepts are in (else the first declared): it takes the rest."""
        used = Counter(s for uri in concepts for s in self.schemes_of(uri))
        return min(schemes, key=lambda s: (-used[s], schemes.index(s)))

    # --- concepts ------------------------------------------------------------------

    def concept(self, uri: str, primary_scheme: str, *, several_schemes: bool) -> Concept:
        g = self.g
        props = g.out.get(uri, {})  # ask only about the properties the concept has (speed)
        plain = self.texts(uri, PLAIN) if PLAIN in props else []
        definitions = [t for t in self.texts(uri, DEFINITION) if t not in plain]
        notes = tuple(
            Note(kind, t.text, t.lang)
            for p, kind in NOTES.items()
            if p in props
            for t in self.texts(uri, p)
        )
        broader = unique(g.iris(uri, BROADER) + g.subjects(NARROWER, uri))
        narrower = unique(g.iris(uri, NARROWER) + g.subjects(BROADER, uri))
        related = unique(g.iris(uri, RELATED) + g.subjects(RELATED, uri))
        mappings = tuple(
            Mapping(kind, t) for p, kind in MATCHES.items() if p in props for t in g.iris(uri, p)
        )
        sources: list[str] = []
        citations: list[LangText] = []
        for p in SOURCES & props.keys():
            for value in g.values(uri, p):
                if isinstance(value, Lit):
                    citations.append(LangText(value.value, value.lang))
                elif not value.startswith("_:"):
                    sources.append(value)
        schemes = self.schemes_of(uri)
        if not schemes:
            schemes = [primary_scheme]
            if several_schemes:
                self.warn(uri, f"In no skos:ConceptScheme; put in <{primary_scheme}>.")
        for p in self.g.out[uri]:
            if p not in self.known_concept_properties:
                self.warn(uri, f"Property {name(p)} is not represented; its values were dropped.")
            elif p in TRANSITIVE:
                self.warn(uri, f"{name(p)} is derived from skos:broader, not stored (SKOS-09).")
        for p in (PAGES - {FOAF_PAGE}) & props.keys():
            for page in g.iris(uri, p):
                self.warn(
                    uri,
                    f"{name(p)} stored as foaf:page; <{page}> is kept as a page about the concept.",
                )
        status, replaced_by = self.status(uri)
        return Concept(
            id=self.new_id(uri, "terms"),
            uri=uri,
            labels=self.labels(uri),
            definitions=tuple(definitions),
            plain_definitions=tuple(plain),
            notes=notes,
            broader=tuple(broader),
            narrower=tuple(narrower),
            related=tuple(related),
            mappings=mappings,
            sources=tuple(unique(sources)),
            citations=tuple(citations),
            pages=tuple(unique(iri for p in PAGES & props.keys() for iri in g.iris(uri, p))),
            notations=self.notations(uri) if NOTATION in props else (),
            in_schemes=tuple(schemes),
            status=status,
            replaced_by=replaced_by,
            created=self.date(uri, CREATED) if CREATED in props else None,
            modified=self.date(uri, MODIFIED) if MODIFIED in props else None,
        )

    def status(self, uri: str) -> tuple[Status, tuple[str, ...]]:
        deprecated = any(
            v.value.strip().lower() in ("true", "1") for v in self.g.literals(uri, DEPRECATED)
        )
        merged = self.g.iris(uri, MERGED_INTO)
        replaced = tuple(unique(merged + self.g.iris(uri, REPLACED_BY)))
        if merged:
            return Status.MERGED, replaced
        if replaced:
            return Status.DEPRECATED, replaced
        return (Status.WITHDRAWN if deprecated else Status.ACTIVE), ()


def read_triples(
    triples: Iterable[Triple], *, base: str, source_name: str = "vocabulary"
) -> ReadResult:
    """Return the Snapshot held by `triples` (in canonical order), with every repair or loss
    reported."""
    with paused_gc():  # a large file makes millions of acyclic objects; see vocab.bulk
        result = _Reader(triples, base, source_name).read()
        return ReadResult(canonical(result.snapshot), result.problems)
