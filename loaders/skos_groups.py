"""Reading concept schemes and collections (SKOS and ISO 25964 groups) from triples.

Scheme metadata keeps one value where the model has one (a second is reported as dropped);
collections read skos:member, ordered skos:memberList (S36: list items are members) and
iso-thes sub/super groups as nesting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from loaders.rdf_input import Triple
from loaders.skos_labels import LabelReader
from loaders.skos_terms import (
    COLLECTION_LABEL,
    CREATED,
    DEFINITION,
    FIRST,
    HAS_TOP,
    HOMEPAGE,
    ID_CHARS,
    KNOWN_COLLECTION_PROPERTIES,
    KNOWN_SCHEME_PROPERTIES,
    MEMBER,
    MEMBER_LIST,
    MODIFIED,
    NIL,
    ORDERED,
    REST,
    SCHEME_CREATOR,
    SCHEME_DESCRIPTION,
    SCHEME_LANGUAGE,
    SCHEME_LICENSE,
    SCHEME_PUBLISHER,
    SCHEME_TITLE,
    SCHEME_VERSION,
    SCHEME_VERSION_IRI,
    SUB_GROUP,
    SUPER_GROUP,
    TOP_OF,
    few,
    not_here,
    unique,
)
from vocab.model import Collection, Concept, Scheme


class GroupReader(LabelReader):
    """Reads schemes, their top concepts, and collections; `new_id` names each resource."""

    def __init__(self, triples: Iterable[Triple], base: str) -> None:
        super().__init__(triples)
        self.base = base.rstrip("/")
        self.ids: set[str] = set()

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
            version_iri=self.first_value(uri, (SCHEME_VERSION_IRI,)),
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
