"""Triples to a Snapshot: what SKOS says, what our profile adds, and what we cannot keep.

Reading is lenient about real-world SKOS and strict about consistency. Every repair or
loss is reported as an `Issue` naming the resource and the reason:

- labels: one prefLabel per language (S14; extra ones become altLabels), pref/alt/hidden
  disjoint (S13; the more significant kind wins), literals only (S12); SKOS-XL labels are
  dumbed down to plain labels (S55-S57);
- relations: broader/narrower and related are read in both directions and stored both
  ways; a related link that clashes with the hierarchy (S27) is dropped; exactMatch that
  clashes with broadMatch or relatedMatch (S46) keeps the exactMatch;
- classes: a resource typed both Concept and ConceptScheme or Collection (S9, S37) is
  not read as a concept; an untyped resource used as a concept is typed by entailment;
- anything else on a concept (an unknown property, a blank-node note) is reported as
  not represented.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from loaders.namespaces import (
    AIRT,
    COMMUNITY_PROPERTY,
    DC,
    DCAT,
    MATCH_PROPERTY,
    NOTE_PROPERTY,
    SKOSXL,
)
from loaders.rdf_input import RDF_LANGSTRING, Lit, Node, Triple
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS
from vocab.model import (
    Collection,
    Concept,
    Label,
    LabelKind,
    LangText,
    Mapping,
    MatchKind,
    Note,
    Scheme,
    Snapshot,
    Status,
    canonical,
)


@dataclass(frozen=True)
class Issue:
    """Something a file holds that was repaired, dropped or looks wrong."""

    severity: str  # "error": breaks a SKOS integrity condition; "warning": lossy or odd
    subject: str
    reason: str


@dataclass(frozen=True)
class ReadResult:
    snapshot: Snapshot
    issues: tuple[Issue, ...]


def _s(term: object) -> str:
    return str(term)


TYPE = _s(RDF.type)
CONCEPT, SCHEME = _s(SKOS.Concept), _s(SKOS.ConceptScheme)
COLLECTION, ORDERED = _s(SKOS.Collection), _s(SKOS.OrderedCollection)
SUBCLASS = _s(RDFS.subClassOf)
PREF, ALT, HIDDEN, ACRONYM = (_s(p) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, AIRT.acronym))
XL_LABELS = {_s(SKOSXL.prefLabel): PREF, _s(SKOSXL.altLabel): ALT, _s(SKOSXL.hiddenLabel): HIDDEN}
LITERAL_FORM = _s(SKOSXL.literalForm)
DEFINITION, PLAIN = _s(SKOS.definition), _s(AIRT.plainDefinition)
BROADER, NARROWER, RELATED = _s(SKOS.broader), _s(SKOS.narrower), _s(SKOS.related)
TRANSITIVE = {_s(SKOS.broaderTransitive), _s(SKOS.narrowerTransitive)}
IN_SCHEME, TOP_OF, HAS_TOP = _s(SKOS.inScheme), _s(SKOS.topConceptOf), _s(SKOS.hasTopConcept)
MEMBER, MEMBER_LIST = _s(SKOS.member), _s(SKOS.memberList)
FIRST, REST, NIL = _s(RDF.first), _s(RDF.rest), _s(RDF.nil)
NOTATION = _s(SKOS.notation)
SOURCES = {_s(DCTERMS.source), _s(DC.source)}
PAGES = {_s(FOAF.page), _s(FOAF.homepage), _s(RDFS.seeAlso)}
DEPRECATED, REPLACED_BY, MERGED_INTO = _s(OWL.deprecated), _s(DCTERMS.isReplacedBy), _s(AIRT.mergedInto)
CREATED, MODIFIED = _s(DCTERMS.created), _s(DCTERMS.modified)
NOTES = {_s(prop): kind for kind, prop in NOTE_PROPERTY.items()}
MATCHES = {_s(prop): kind for kind, prop in MATCH_PROPERTY.items()}
COMMUNITIES = {_s(prop): community for community, prop in COMMUNITY_PROPERTY.items()}
RELATION_PROPERTIES = {BROADER, NARROWER, RELATED} | TRANSITIVE | set(MATCHES)

KNOWN_CONCEPT_PROPERTIES = (
    {TYPE, PREF, ALT, HIDDEN, ACRONYM, DEFINITION, PLAIN, IN_SCHEME, TOP_OF, NOTATION}
    | set(XL_LABELS) | RELATION_PROPERTIES | SOURCES | PAGES | set(NOTES) | set(COMMUNITIES)
    | {DEPRECATED, REPLACED_BY, MERGED_INTO, CREATED, MODIFIED}
)
SCHEME_TITLE = (_s(DCTERMS.title), _s(DC.title), PREF, _s(RDFS.label))
SCHEME_DESCRIPTION = (_s(DCTERMS.description), _s(DC.description), DEFINITION, _s(RDFS.comment))
SCHEME_VERSION = (_s(OWL.versionInfo), _s(DCAT.version))
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")
_ID_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")
_KIND_RANK = {PREF: 0, ACRONYM: 1, ALT: 2, HIDDEN: 3}
_LABEL_KIND = {PREF: LabelKind.PREF, ACRONYM: LabelKind.ACRONYM, ALT: LabelKind.ALT, HIDDEN: LabelKind.HIDDEN}


class _Graph:
    """Triples indexed by subject, with the inverse edges that SKOS reading needs."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.out: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self.inverse: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            values = self.out[s][p]
            if o not in values:
                values.append(o)
            if isinstance(o, str):
                self.inverse[o][p].append(s)

    def values(self, s: str, p: str) -> list[Node]:
        props = self.out.get(s)
        return props.get(p, []) if props else []

    def iris(self, s: str, p: str) -> list[str]:
        return [o for o in self.values(s, p) if isinstance(o, str) and not o.startswith("_:")]

    def literals(self, s: str, p: str) -> list[Lit]:
        return [o for o in self.values(s, p) if isinstance(o, Lit)]

    def subjects(self, p: str, o: str) -> list[str]:
        found = self.inverse.get(o)
        return found.get(p, []) if found else []

    def types(self, s: str) -> set[str]:
        return set(self.iris(s, TYPE))


class _Reader:
    def __init__(self, triples: Iterable[Triple], base: str, source_name: str) -> None:
        self.g = _Graph(triples)
        self.base = base.rstrip("/")
        self.source_name = source_name
        self.issues: list[Issue] = []
        self.ids: set[str] = set()

    def report(self, severity: str, subject: str, reason: str) -> None:
        self.issues.append(Issue(severity, subject, reason))

    # --- classes -----------------------------------------------------------------

    def subclasses_of(self, cls: str) -> set[str]:
        found, frontier = {cls}, [cls]
        while frontier:
            for sub in self.g.subjects(SUBCLASS, frontier.pop()):
                if sub not in found:
                    found.add(sub)
                    frontier.append(sub)
        return found

    def instances(self, classes: set[str]) -> list[str]:
        return [s for s in self.g.out if self.g.types(s) & classes]

    def read(self) -> ReadResult:
        concept_classes = self.subclasses_of(CONCEPT)
        collection_classes = self.subclasses_of(COLLECTION) | self.subclasses_of(ORDERED)
        scheme_uris = self.instances({SCHEME})
        for p in (IN_SCHEME, TOP_OF):
            for s in list(self.g.out):
                scheme_uris += [o for o in self.g.iris(s, p) if o not in scheme_uris]
        scheme_uris += [s for s in self.g.out if self.g.values(s, HAS_TOP) and s not in scheme_uris]
        collection_uris = [s for s in self.instances(collection_classes) if not s.startswith("_:")]
        declared = self.instances(concept_classes)
        concept_uris = self.concept_candidates(declared, set(scheme_uris), set(collection_uris))

        schemes = [self.scheme(uri) for uri in scheme_uris if not uri.startswith("_:")]
        if not schemes:
            uri = f"{self.base}/scheme"
            self.report("warning", uri, "The file has no skos:ConceptScheme; one was created.")
            schemes = [Scheme(uri=uri, titles=(LangText(self.source_name, ""),))]
        primary = schemes[0].uri
        concepts = [self.concept(uri, primary) for uri in concept_uris]
        concepts = self.check_relations(concepts)
        collections = [self.collection(uri) for uri in collection_uris]
        top = {s.uri: self.top_concepts(s.uri, concepts) for s in schemes}
        return ReadResult(
            Snapshot(tuple(schemes), tuple(concepts), tuple(collections), top), tuple(self.issues)
        )

    def concept_candidates(self, declared: list[str], schemes: set[str], collections: set[str]) -> list[str]:
        found = {uri: None for uri in declared}
        for s, props in self.g.out.items():
            entailed = s not in found and (
                any(p in props for p in (IN_SCHEME, TOP_OF, PREF))
                and any(p in props for p in RELATION_PROPERTIES | {IN_SCHEME, TOP_OF})
            )
            if entailed:
                self.report("warning", s, "Not typed skos:Concept; read as one because it is used as one.")
                found[s] = None
        result = []
        for uri in found:
            if uri.startswith("_:"):
                self.report("warning", uri, "A blank-node concept cannot have a URI; it was skipped.")
            elif uri in schemes or uri in collections:
                clash = "ConceptScheme (S9)" if uri in schemes else "Collection (S37)"
                self.report("error", uri, f"Typed both skos:Concept and skos:{clash}; not read as a concept.")
            else:
                result.append(uri)
        return result

    # --- ids -----------------------------------------------------------------------

    def new_id(self, uri: str, segment: str) -> str:
        prefix = f"{self.base}/{segment}/"
        if uri.startswith(prefix) and not _ID_CHARS.search(uri[len(prefix):]):
            candidate = uri[len(prefix):]
        else:
            local = re.split(r"[/#:]", uri.rstrip("/#"))[-1]
            candidate = _ID_CHARS.sub("-", local).strip("-.") or "c"
        unique, n = candidate, 1
        while unique in self.ids:
            n += 1
            unique = f"{candidate}-{n}"
        self.ids.add(unique)
        return unique

    # --- literals ------------------------------------------------------------------

    def texts(self, s: str, p: str) -> list[LangText]:
        out = []
        for value in self.g.values(s, p):
            if isinstance(value, Lit):
                if value.datatype and value.datatype != RDF_LANGSTRING:
                    self.report("warning", s, f"<{p}> has a typed literal; kept as plain text.")
                out.append(LangText(value.value.strip(), value.lang))
            else:
                self.report("warning", s, f"<{p}> has a non-literal value {value}; not represented.")
        return out

    def date(self, s: str, p: str) -> str | None:
        for value in self.g.literals(s, p):
            if _DATE.match(value.value.strip()):
                return value.value.strip()
            self.report("warning", s, f"<{p}> '{value.value[:40]}' is not an xsd:date or dateTime; dropped.")
        return None

    # --- concepts ------------------------------------------------------------------

    def labels(self, uri: str) -> tuple[Label, ...]:
        by_kind: dict[str, list[LangText]] = {PREF: [], ACRONYM: [], ALT: [], HIDDEN: []}
        for p in by_kind:
            by_kind[p] = self.texts(uri, p)
        for xl, plain in XL_LABELS.items():
            for node in self.g.values(uri, xl):
                if isinstance(node, str):
                    forms = self.texts(node, LITERAL_FORM)
                    if len(forms) != 1:
                        self.report("error", uri, f"SKOS-XL label {node} has {len(forms)} literal forms (S52).")
                    by_kind[plain] += [f for f in forms[:1] if f not in by_kind[plain]]
        if len({t.lang for t in by_kind[PREF]}) < len(by_kind[PREF]):
            seen: set[str] = set()
            kept = []
            for t in by_kind[PREF]:
                if t.lang in seen:
                    self.report("error", uri, f"Second prefLabel '{t.text}'@{t.lang or '-'} (S14); kept as an altLabel.")
                    by_kind[ALT].append(t)
                else:
                    seen.add(t.lang)
                    kept.append(t)
            by_kind[PREF] = kept
        usage: dict[LangText, list[str]] = defaultdict(list)
        for prop, community in COMMUNITIES.items():
            for t in self.texts(uri, prop):
                usage[t].append(community)
        labels: list[Label] = []
        placed: dict[LangText, str] = {}
        for p in (PREF, ACRONYM, ALT, HIDDEN):
            for t in by_kind[p]:
                if not t.text:
                    self.report("error", uri, f"Empty <{p}> label; dropped.")
                    continue
                if t in placed:
                    if not (p == ALT and placed[t] == ACRONYM):  # acronyms are also altLabels
                        self.report("error", uri, f"'{t.text}' is both <{placed[t]}> and <{p}> (S13); kept the first.")
                    continue
                placed[t] = p
                labels.append(Label(t.text, t.lang, _LABEL_KIND[p], tuple(usage.pop(t, ()))))
        for t in usage:
            self.report("warning", uri, f"Community label '{t.text}' is none of the concept's labels; added as an altLabel.")
            labels.append(Label(t.text, t.lang, LabelKind.ALT, tuple(usage[t])))
        if not any(label.kind is LabelKind.PREF for label in labels):
            self.report("warning", uri, "The concept has no prefLabel.")
        return tuple(labels)

    def concept(self, uri: str, primary_scheme: str) -> Concept:
        g = self.g
        plain = self.texts(uri, PLAIN)
        definitions = [t for t in self.texts(uri, DEFINITION) if t not in plain]
        notes = tuple(
            Note(kind, t.text, t.lang) for p, kind in NOTES.items() for t in self.texts(uri, p)
        )
        broader = _unique(g.iris(uri, BROADER) + g.subjects(NARROWER, uri))
        narrower = _unique(g.iris(uri, NARROWER) + g.subjects(BROADER, uri))
        related = _unique(g.iris(uri, RELATED) + g.subjects(RELATED, uri))
        mappings = tuple(Mapping(kind, t) for p, kind in MATCHES.items() for t in g.iris(uri, p))
        sources: list[str] = []
        citations: list[LangText] = []
        for p in SOURCES:
            for value in g.values(uri, p):
                if isinstance(value, Lit):
                    citations.append(LangText(value.value, value.lang))
                elif not value.startswith("_:"):
                    sources.append(value)
        schemes = _unique(g.iris(uri, IN_SCHEME) + g.iris(uri, TOP_OF) + g.subjects(HAS_TOP, uri))
        if not schemes:
            schemes = [primary_scheme]
        for p in self.g.out[uri]:
            if p not in KNOWN_CONCEPT_PROPERTIES:
                self.report("warning", uri, f"Property <{p}> is not represented; its values were dropped.")
            elif p in TRANSITIVE:
                self.report("warning", uri, f"<{p}> is derived from skos:broader, not stored (SKOS-09).")
        if any(p in self.g.out[uri] for p in PAGES - {_s(FOAF.page)}):
            self.report("warning", uri, "foaf:homepage and rdfs:seeAlso are kept as foaf:page.")
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
            sources=tuple(_unique(sources)),
            citations=tuple(citations),
            pages=tuple(_unique(iri for p in PAGES for iri in g.iris(uri, p))),
            notations=tuple(lit.value for lit in g.literals(uri, NOTATION)),
            in_schemes=tuple(schemes),
            **self.status(uri),
            created=self.date(uri, CREATED),
            modified=self.date(uri, MODIFIED),
        )

    def status(self, uri: str) -> dict[str, object]:
        deprecated = any(v.value.strip().lower() in ("true", "1") for v in self.g.literals(uri, DEPRECATED))
        merged = self.g.iris(uri, MERGED_INTO)
        replaced = _unique(merged + self.g.iris(uri, REPLACED_BY))
        if merged:
            return {"status": Status.MERGED, "replaced_by": tuple(replaced)}
        if replaced:
            return {"status": Status.DEPRECATED, "replaced_by": tuple(replaced)}
        if deprecated:
            return {"status": Status.WITHDRAWN, "replaced_by": ()}
        return {"status": Status.ACTIVE, "replaced_by": ()}

    def check_relations(self, concepts: list[Concept]) -> list[Concept]:
        """Drop related links that clash with the hierarchy (S27) and exact/broad clashes (S46)."""
        ancestors = _closure({c.uri: c.broader for c in concepts})
        cyclic = sorted(uri for uri, up in ancestors.items() if uri in up)
        for uri in cyclic:
            self.report("warning", uri, "The concept is its own ancestor: the broader links form a cycle.")
        out = []
        for c in concepts:
            clashes = [r for r in c.related if r in ancestors.get(c.uri, ()) or c.uri in ancestors.get(r, ())]
            for r in clashes:
                self.report("error", c.uri, f"Related to {r}, which is also its ancestor or descendant (S27); the related link was dropped.")
            exact = set(c.matches(MatchKind.EXACT))
            bad = [m for m in c.mappings if m.kind in (MatchKind.BROAD, MatchKind.NARROW, MatchKind.RELATED) and m.target in exact]
            for m in bad:
                self.report("error", c.uri, f"exactMatch and {m.kind.value} to {m.target} (S46); kept exactMatch.")
            if clashes or bad:
                c = replace(c, related=tuple(r for r in c.related if r not in clashes),
                             mappings=tuple(m for m in c.mappings if m not in bad))
            out.append(c)
        return out

    def top_concepts(self, scheme: str, concepts: list[Concept]) -> tuple[str, ...]:
        uris = {c.uri for c in concepts}
        asserted = _unique(
            [o for o in self.g.iris(scheme, HAS_TOP) if o in uris] + [s for s in self.g.subjects(TOP_OF, scheme) if s in uris]
        )
        if asserted:
            return tuple(asserted)
        return tuple(
            c.uri for c in concepts
            if scheme in c.in_schemes and c.is_active and not any(b in uris for b in c.broader)
        )

    # --- schemes and collections ---------------------------------------------------

    def first_texts(self, s: str, props: tuple[str, ...]) -> tuple[LangText, ...]:
        for p in props:
            found = self.texts(s, p)
            if found:
                return tuple(found)
        return ()

    def first_value(self, s: str, props: Iterable[str]) -> str | None:
        for p in props:
            for v in self.g.values(s, p):
                return v.value if isinstance(v, Lit) else v
        return None

    def scheme(self, uri: str) -> Scheme:
        return Scheme(
            uri=uri,
            titles=self.first_texts(uri, SCHEME_TITLE),
            descriptions=self.first_texts(uri, SCHEME_DESCRIPTION),
            version=self.first_value(uri, SCHEME_VERSION),
            license=self.first_value(uri, (_s(DCTERMS.license), _s(DCTERMS.rights))),
            publisher=self.first_value(uri, (_s(DCTERMS.publisher), _s(DC.publisher))),
            creators=tuple(v.value if isinstance(v, Lit) else v for v in self.g.values(uri, _s(DCTERMS.creator))),
            created=self.date(uri, CREATED),
            modified=self.date(uri, MODIFIED),
            languages=tuple(v.value if isinstance(v, Lit) else v for v in self.g.values(uri, _s(DCTERMS.language))),
            homepage=self.first_value(uri, (_s(FOAF.homepage),)),
        )

    def collection(self, uri: str) -> Collection:
        members = self.g.iris(uri, MEMBER)
        ordered_members: list[str] = []
        for head in self.g.values(uri, MEMBER_LIST):
            node, seen = head, set()
            while isinstance(node, str) and node != NIL and node not in seen:
                seen.add(node)
                ordered_members += [m for m in self.g.iris(node, FIRST)]
                rest = self.g.values(node, REST)
                node = rest[0] if rest else NIL
        missing = [m for m in ordered_members if m not in members]
        if missing:
            self.report("error", uri, f"{len(missing)} memberList items are not skos:member (S36); added as members.")
        ordered = ORDERED in self.g.types(uri) or bool(ordered_members)
        return Collection(
            id=self.new_id(uri, "collections"),
            uri=uri,
            labels=self.first_texts(uri, (PREF, _s(RDFS.label), _s(DCTERMS.title))),
            definitions=tuple(self.texts(uri, DEFINITION)),
            members=tuple(_unique(ordered_members + members)) if ordered else tuple(members),
            ordered=ordered,
        )


def read_triples(triples: Iterable[Triple], *, base: str, source_name: str = "vocabulary") -> ReadResult:
    """Return the Snapshot held by `triples` (in canonical order), with every repair or loss reported."""
    result = _Reader(triples, base, source_name).read()
    return ReadResult(canonical(result.snapshot), result.issues)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _closure(parents: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """Return every node's ancestors (cycle-safe)."""
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

