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
from collections import Counter, defaultdict
from collections.abc import Iterable

from loaders.rdf_input import RDF_LANGSTRING, Lit, Node, Triple
from loaders.skos_checks import check_relations, check_shared_values
from loaders.skos_terms import (
    ACRONYM,
    ALT,
    BROADER,
    COLLECTION,
    COLLECTION_LABEL,
    COMMUNITIES,
    CONCEPT,
    CREATED,
    DEFINITION,
    DEPRECATED,
    FIRST,
    FOAF_PAGE,
    GROUPS,
    HAS_TOP,
    HIDDEN,
    HOMEPAGE,
    ID_CHARS,
    IN_SCHEME,
    KNOWN_COLLECTION_PROPERTIES,
    KNOWN_CONCEPT_PROPERTIES,
    KNOWN_SCHEME_PROPERTIES,
    LABEL_KIND,
    LABEL_NAME,
    LITERAL_FORM,
    MATCHES,
    MEMBER,
    MEMBER_LIST,
    MERGED_INTO,
    MODIFIED,
    NARROWER,
    NIL,
    NOTATION,
    NOTES,
    ORDERED,
    PAGES,
    PLAIN,
    PREF,
    RELATED,
    RELATION_PROPERTIES,
    REPLACED_BY,
    REST,
    SCHEME,
    SCHEME_CREATOR,
    SCHEME_DESCRIPTION,
    SCHEME_LANGUAGE,
    SCHEME_LICENSE,
    SCHEME_PUBLISHER,
    SCHEME_TITLE,
    SCHEME_VERSION,
    SOURCES,
    SUB_GROUP,
    SUBCLASS,
    SUBPROPERTY,
    SUPER_GROUP,
    TOP_OF,
    TRANSITIVE,
    TYPE,
    VALUE,
    XL_LABEL,
    XL_LABELS,
    XSD_DATE,
    XSD_DATETIME,
    date_problem,
    few,
    name,
    not_here,
    quoted,
    unique,
)
from vocab.bulk import paused_gc
from vocab.model import (
    Collection,
    Concept,
    Label,
    LabelKind,
    LangText,
    Mapping,
    Note,
    Scheme,
    Snapshot,
    Status,
    canonical,
)
from vocab.problems import Problem, ReadResult, Severity


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
        values = self.values(s, p)
        if not values:  # most (s, p) asked about are absent: skip the comprehension
            return []
        return [o for o in values if isinstance(o, str) and not o.startswith("_:")]

    def literals(self, s: str, p: str) -> list[Lit]:
        values = self.values(s, p)
        return [o for o in values if isinstance(o, Lit)] if values else []

    def subjects(self, p: str, o: str) -> list[str]:
        found = self.inverse.get(o)
        return found.get(p, []) if found else []

    def types(self, s: str) -> set[str]:
        return set(self.iris(s, TYPE))


class _Reader:
    def __init__(self, triples: Iterable[Triple], base: str, source_name: str) -> None:
        self.g = _Graph(triples)
        self.base = base.rstrip("/")
        self.source_name = re.sub(
            r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", source_name
        )
        self.problems: list[Problem] = []
        self.ids: set[str] = set()
        # a property the file declares a sub-property of a SKOS label property is read as it
        self.label_subproperties = {
            sub: label
            for label in (PREF, ALT, HIDDEN)
            for sub in self.descendants(SUBPROPERTY, label)
            if sub not in KNOWN_CONCEPT_PROPERTIES
        }
        self.known_concept_properties = KNOWN_CONCEPT_PROPERTIES | set(self.label_subproperties)

    def report(self, severity: str, subject: str, reason: str) -> None:
        self.problems.append(Problem("read", Severity(severity), subject, reason))

    def warn(self, subject: str, reason: str) -> None:
        self.report("warning", subject, reason)

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
        snapshot = Snapshot(tuple(schemes), tuple(concepts), tuple(collections), top)
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

    # --- ids -----------------------------------------------------------------------

    def new_id(self, uri: str, segment: str) -> str:
        prefix = f"{self.base}/{segment}/"
        if uri.startswith(prefix) and not ID_CHARS.search(uri[len(prefix) :]):
            candidate = (
                uri[len(prefix) :].strip("-.") or "c"
            )  # "." and ".." are not usable path segments
        else:
            local = re.split(r"[/#:]", uri.rstrip("/#"))[-1]
            candidate = ID_CHARS.sub("-", local).strip("-.") or "c"
        unique, n = candidate, 1
        while unique in self.ids:
            n += 1
            unique = f"{candidate}-{n}"
        self.ids.add(unique)
        return unique

    # --- literals ------------------------------------------------------------------

    def texts(self, s: str, p: str, *, label: bool = False) -> list[LangText]:
        """Return the texts of `s` `p`: labels must be plain literals (S12), notes may be nodes
        with an rdf:value."""
        severity, ic = ("error", " (S12)") if label else ("warning", "")
        out = []
        for value in self.g.values(s, p):
            if isinstance(value, Lit):
                if value.datatype and value.datatype != RDF_LANGSTRING:
                    self.report(
                        severity,
                        s,
                        f"{name(p)} is a typed literal{ic}; "
                        f"'{value.value[:40]}'^^<{value.datatype}> was kept "
                        "as plain text.",
                    )
                out.append(LangText(value.value.strip(), value.lang))
            elif not label and self.g.literals(value, VALUE):
                forms = [LangText(v.value.strip(), v.lang) for v in self.g.literals(value, VALUE)]
                dropped = sorted({name(q) for q in self.g.out[value] if q not in (VALUE, TYPE)})
                self.warn(
                    s,
                    f"{name(p)} is a resource, not text; kept the rdf:value "
                    f"{', '.join(map(quoted, forms))} of <{value}>"
                    + (f" and dropped its {', '.join(dropped)}." if dropped else "."),
                )
                out += forms
            else:
                self.report(severity, s, f"{name(p)} is not a literal{ic}; <{value}> was dropped.")
        return out

    def date(self, s: str, p: str) -> str | None:
        for value in self.g.literals(s, p):
            text = value.value.strip()
            problem = date_problem(text)
            if problem:
                self.warn(
                    s, f"Invalid date in {name(p)}; '{text[:40]}' {problem}, so it was dropped."
                )
                continue
            typed_datetime = value.datatype == XSD_DATETIME
            if value.datatype in (XSD_DATE, XSD_DATETIME) and typed_datetime != ("T" in text):
                kept = "xsd:dateTime" if "T" in text else "xsd:date"
                self.warn(
                    s,
                    f"Date with the wrong datatype in {name(p)}; '{text}' is typed "
                    f"<{value.datatype}>, kept as an {kept}.",
                )
            return text
        return None

    # --- concepts ------------------------------------------------------------------

    def labels(self, uri: str) -> tuple[Label, ...]:
        props = self.g.out.get(uri, {})
        by_kind: dict[str, list[LangText]] = {PREF: [], ACRONYM: [], ALT: [], HIDDEN: []}
        for p in by_kind:
            if p in props:
                by_kind[p] = self.texts(uri, p, label=True)
        for sub, plain in self.label_subproperties.items():
            for t in self.texts(uri, sub, label=True) if sub in props else ():
                self.warn(
                    uri,
                    f"{name(sub)} is declared a sub-property of {name(plain)} in the "
                    f"file; its value {quoted(t)} was read as a {LABEL_NAME[plain]}.",
                )
                if t not in by_kind[plain]:
                    by_kind[plain].append(t)
        if any(xl in props for xl in XL_LABELS):
            self.xl_labels(uri, by_kind)
        first: dict[str, LangText] = {}
        for t in list(by_kind[PREF]):
            if t.lang not in first:
                first[t.lang] = t
                continue
            by_kind[PREF].remove(t)
            if t == first[t.lang]:  # the same text twice (e.g. once with trailing spaces)
                continue
            where = f"in '{t.lang}'" if t.lang else "without a language tag"
            if t in by_kind[ALT]:
                done = f"{quoted(t)} is also an altLabel, so it was kept only as an altLabel"
            else:
                by_kind[ALT].append(t)
                done = (
                    f"kept {quoted(first[t.lang])} as the prefLabel and {quoted(t)} as an altLabel"
                )
            self.report("error", uri, f"More than one prefLabel {where} (S14); {done}.")
        usage: dict[LangText, list[str]] = defaultdict(list)
        for prop, community in COMMUNITIES.items():
            for t in self.texts(uri, prop) if prop in props else ():
                usage[t].append(community)
        labels: list[Label] = []
        placed: dict[LangText, str] = {}
        for p in (PREF, ACRONYM, ALT, HIDDEN):
            for t in by_kind[p]:
                if not t.text:
                    self.report("error", uri, f"Empty {name(p)} label; dropped.")
                    continue
                if t in placed:
                    if not (p == ALT and placed[t] == ACRONYM):  # acronyms are also altLabels
                        first_kind = LABEL_NAME[placed[t]]
                        self.report(
                            "error",
                            uri,
                            f"A label is both a {first_kind} and a "
                            f"{LABEL_NAME[p]} (S13); {quoted(t)} was kept "
                            f"only as the {first_kind}.",
                        )
                    continue
                placed[t] = p
                labels.append(Label(t.text, t.lang, LABEL_KIND[p], tuple(usage.pop(t, ()))))
        for t in usage:
            self.warn(
                uri,
                f"Community label {quoted(t)} is none of the concept's labels; "
                "added as an altLabel.",
            )
            labels.append(Label(t.text, t.lang, LabelKind.ALT, tuple(usage[t])))
        if not any(label.kind is LabelKind.PREF for label in labels):
            self.warn(uri, "The concept has no prefLabel; it is shown by its id.")
        untagged = [f"'{label.text}'" for label in labels if not label.lang]
        if untagged:
            self.warn(
                uri,
                "Labels without a language tag (qSKOS oilt); kept untagged: "
                f"{', '.join(untagged)}.",
            )
        return tuple(labels)

    def xl_labels(self, uri: str, by_kind: dict[str, list[LangText]]) -> None:
        """Dumb SKOS-XL labels down to plain ones (S55-S57); report what the label nodes lose."""
        read: list[str] = []
        dropped: set[str] = set()
        for xl, plain in XL_LABELS.items():
            for node in self.g.values(uri, xl):
                if isinstance(node, Lit) or node not in self.g.out:
                    shown = f"'{node.value}'" if isinstance(node, Lit) else f"<{node}>"
                    self.warn(
                        uri,
                        f"SKOS-XL label not described in the file; {name(xl)} {shown} "
                        "has no skosxl:literalForm here, so it was dropped.",
                    )
                    continue
                forms = self.texts(node, LITERAL_FORM, label=True)
                if len(forms) != 1:
                    done = f"kept {quoted(forms[0])}." if forms else "dropped."
                    self.report(
                        "error",
                        uri,
                        f"SKOS-XL label <{node}> has {len(forms)} "
                        f"skosxl:literalForm values (S52); {done}",
                    )
                by_kind[plain] += [f for f in forms[:1] if f not in by_kind[plain]]
                read.append(node)
                dropped |= {name(q) for q in self.g.out[node] if q not in (TYPE, LITERAL_FORM)}
        if read:
            lost = f", nor their {', '.join(sorted(dropped))}." if dropped else "."
            self.warn(
                uri,
                "SKOS-XL labels read as plain labels (S55-S57); the label resources "
                f"{few(read)} are not kept{lost}",
            )

    def notations(self, uri: str) -> tuple[str, ...]:
        out = []
        for value in self.g.values(uri, NOTATION):
            if not isinstance(value, Lit):
                self.warn(uri, f"skos:notation is not a literal; <{value}> was dropped.")
                continue
            if value.lang or value.datatype:
                what = (
                    f"language tag @{value.lang}" if value.lang else f"datatype <{value.datatype}>"
                )
                self.warn(
                    uri,
                    f"Notation qualifier not represented; kept '{value.value}' without its {what}.",
                )
            if value.value not in out:
                out.append(value.value)
        return tuple(out)

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

    def top_concepts(self, scheme: str, concepts: list[Concept]) -> tuple[str, ...]:
        uris = {c.uri for c in concepts}
        named = self.g.iris(scheme, HAS_TOP)
        outside = [o for o in named if o not in uris]
        if outside:
            self.warn(
                scheme, f"skos:hasTopConcept points outside the file; {not_here(outside)}: ignored."
            )
        tops = named + self.g.subjects(TOP_OF, scheme)
        asserted = unique(uri for uri in tops if uri in uris)
        if asserted:
            return tuple(asserted)
        return tuple(
            c.uri
            for c in concepts
            if scheme in c.in_schemes and c.is_active and not any(b in uris for b in c.broader)
        )

    # --- schemes and collections ---------------------------------------------------

    def first_texts(self, s: str, props: tuple[str, ...]) -> tuple[LangText, ...]:
        for p in props:
            found = self.texts(s, p)
            if found:
                # sorted: RDF has no order, and an export must read back to the same Scheme
                return tuple(sorted(found, key=lambda t: (t.lang, t.text)))
        return ()

    def first_value(self, s: str, props: Iterable[str]) -> str | None:
        for p in props:
            values = sorted(v.value if isinstance(v, Lit) else v for v in self.g.values(s, p))
            if len(values) > 1:
                others = ", ".join(repr(v[:60]) for v in values[1:])
                self.warn(
                    s,
                    f"{name(p)} holds {len(values)} values, one is kept; kept "
                    f"'{values[0][:60]}', dropped {others}.",
                )
            if values:
                return values[0]
        return None

    def all_values(self, s: str, props: Iterable[str]) -> tuple[str, ...]:
        found = {v.value if isinstance(v, Lit) else v for p in props for v in self.g.values(s, p)}
        return tuple(sorted(found))

    def report_unknown(self, uri: str, known: set[str], what: str) -> None:
        unknown = sorted(name(p) for p in self.g.out.get(uri, {}) if p not in known)
        if unknown:
            self.warn(
                uri,
                f"{what} properties not represented; the values of "
                f"{', '.join(unknown)} were dropped.",
            )

    def scheme(self, uri: str) -> Scheme:
        if uri not in self.g.out:
            self.warn(
                uri,
                "Scheme not described in the file; it is only named by skos:inScheme "
                "or skos:topConceptOf, so it was kept without a title.",
            )
        self.report_unknown(uri, KNOWN_SCHEME_PROPERTIES, "Scheme")
        return Scheme(
            uri=uri,
            titles=self.first_texts(uri, SCHEME_TITLE),
            descriptions=self.first_texts(uri, SCHEME_DESCRIPTION),
            version=self.first_value(uri, SCHEME_VERSION),
            license=self.first_value(uri, SCHEME_LICENSE),
            publisher=self.first_value(uri, SCHEME_PUBLISHER),
            creators=self.all_values(uri, SCHEME_CREATOR),
            created=self.date(uri, CREATED),
            modified=self.date(uri, MODIFIED),
            languages=self.all_values(uri, (SCHEME_LANGUAGE,)),
            homepage=self.first_value(uri, (HOMEPAGE,)),
        )

    def collection(self, uri: str, known: set[str]) -> Collection:
        members = self.g.iris(uri, MEMBER)
        nested = self.g.subjects(SUPER_GROUP, uri) + self.g.iris(uri, SUB_GROUP)
        added = unique(m for m in nested if m not in members and not m.startswith("_:"))
        if added:
            self.warn(
                uri,
                f"isothes:subGroup read as membership; {few(added)} added as members "
                "(nested groups).",
            )
            members += added
        ordered_members: list[str] = []
        for head in self.g.values(uri, MEMBER_LIST):
            node, seen = head, set()
            while isinstance(node, str) and node != NIL and node not in seen:
                seen.add(node)
                ordered_members += [m for m in self.g.iris(node, FIRST)]
                rest = self.g.values(node, REST)
                node = rest[0] if rest else NIL
        missing = unique(m for m in ordered_members if m not in members)
        if missing:
            self.report(
                "error",
                uri,
                "skos:memberList items are not skos:member (S36); "
                f"{few(missing)} added as members.",
            )
        ordered = ORDERED in self.g.types(uri) or bool(ordered_members)
        all_members = unique(ordered_members + members) if ordered else unique(members)
        outside = [m for m in all_members if m not in known]
        if outside:
            where = not_here(outside, "concept or collection", "concepts or collections")
            self.warn(uri, f"skos:member points outside the file; {where}: kept in the collection.")
        self.report_unknown(uri, KNOWN_COLLECTION_PROPERTIES, "Collection")
        return Collection(
            id=self.new_id(uri, "collections"),
            uri=uri,
            labels=self.first_texts(uri, COLLECTION_LABEL),
            definitions=tuple(sorted(self.texts(uri, DEFINITION), key=lambda t: (t.lang, t.text))),
            members=tuple(all_members),
            ordered=ordered,
        )


def read_triples(
    triples: Iterable[Triple], *, base: str, source_name: str = "vocabulary"
) -> ReadResult:
    """Return the Snapshot held by `triples` (in canonical order), with every repair or loss
    reported."""
    with paused_gc():  # a large file makes millions of acyclic objects; see vocab.bulk
        result = _Reader(triples, base, source_name).read()
        return ReadResult(canonical(result.snapshot), result.problems)
