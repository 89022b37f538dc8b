"""The IRIs SKOS reading knows, and the small helpers that name them in reports."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD, Namespace

from loaders.namespaces import (
    AIRT,
    COMMUNITY_PROPERTY,
    DC,
    DCAT,
    MATCH_PROPERTY,
    NOTE_PROPERTY,
    SKOSXL,
)
from vocab.model import LabelKind, LangText

ISOTHES = Namespace("http://purl.org/iso25964/skos-thes#")


def _s(term: object) -> str:
    return str(term)


TYPE = _s(RDF.type)
CONCEPT, SCHEME = _s(SKOS.Concept), _s(SKOS.ConceptScheme)
COLLECTION, ORDERED = _s(SKOS.Collection), _s(SKOS.OrderedCollection)
GROUPS = {_s(ISOTHES.ConceptGroup), _s(ISOTHES.ThesaurusArray)}  # iso-thes: ⊑ skos:Collection
SUPER_GROUP, SUB_GROUP = _s(ISOTHES.superGroup), _s(ISOTHES.subGroup)
XL_LABEL = _s(SKOSXL.Label)
SUBCLASS, SUBPROPERTY, VALUE = _s(RDFS.subClassOf), _s(RDFS.subPropertyOf), _s(RDF.value)
PREF, ALT, HIDDEN = _s(SKOS.prefLabel), _s(SKOS.altLabel), _s(SKOS.hiddenLabel)
ACRONYM = _s(AIRT.acronym)
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
FOAF_PAGE = _s(FOAF.page)
PAGES = {FOAF_PAGE, _s(FOAF.homepage), _s(RDFS.seeAlso)}
DEPRECATED, REPLACED_BY = _s(OWL.deprecated), _s(DCTERMS.isReplacedBy)
MERGED_INTO = _s(AIRT.mergedInto)
CREATED, MODIFIED = _s(DCTERMS.created), _s(DCTERMS.modified)
XSD_DATE, XSD_DATETIME = _s(XSD.date), _s(XSD.dateTime)
NOTES = {_s(prop): kind for kind, prop in NOTE_PROPERTY.items()}
MATCHES = {_s(prop): kind for kind, prop in MATCH_PROPERTY.items()}
COMMUNITIES = {_s(prop): community for community, prop in COMMUNITY_PROPERTY.items()}
RELATION_PROPERTIES = {BROADER, NARROWER, RELATED} | TRANSITIVE | set(MATCHES)

KNOWN_CONCEPT_PROPERTIES = (
    {TYPE, PREF, ALT, HIDDEN, ACRONYM, DEFINITION, PLAIN, IN_SCHEME, TOP_OF, NOTATION}
    | set(XL_LABELS)
    | RELATION_PROPERTIES
    | SOURCES
    | PAGES
    | set(NOTES)
    | set(COMMUNITIES)
    | {DEPRECATED, REPLACED_BY, MERGED_INTO, CREATED, MODIFIED}
)
SCHEME_TITLE = (_s(DCTERMS.title), _s(DC.title), PREF, _s(RDFS.label))
SCHEME_DESCRIPTION = (_s(DCTERMS.description), _s(DC.description), DEFINITION, _s(RDFS.comment))
SCHEME_VERSION = (_s(OWL.versionInfo), _s(DCAT.version))
SCHEME_VERSION_IRI = _s(OWL.versionIRI)
SCHEME_LICENSE = (_s(DCTERMS.license), _s(DCTERMS.rights))
SCHEME_PUBLISHER = (_s(DCTERMS.publisher), _s(DC.publisher))
SCHEME_CREATOR = (_s(DCTERMS.creator), _s(DC.creator))
SCHEME_LANGUAGE, HOMEPAGE = _s(DCTERMS.language), _s(FOAF.homepage)
KNOWN_SCHEME_PROPERTIES = (
    {TYPE, HAS_TOP, CREATED, MODIFIED, SCHEME_LANGUAGE, HOMEPAGE, SCHEME_VERSION_IRI}
    | set(SCHEME_TITLE)
    | set(SCHEME_DESCRIPTION)
    | set(SCHEME_VERSION)
    | set(SCHEME_LICENSE)
    | set(SCHEME_PUBLISHER)
    | set(SCHEME_CREATOR)
)
COLLECTION_LABEL = (PREF, _s(RDFS.label), _s(DCTERMS.title))
KNOWN_COLLECTION_PROPERTIES = {TYPE, DEFINITION, MEMBER, MEMBER_LIST, SUPER_GROUP, SUB_GROUP} | set(
    COLLECTION_LABEL
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")
ID_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")
LABEL_KIND = {
    PREF: LabelKind.PREF,
    ACRONYM: LabelKind.ACRONYM,
    ALT: LabelKind.ALT,
    HIDDEN: LabelKind.HIDDEN,
}
LABEL_NAME = {PREF: "prefLabel", ACRONYM: "acronym", ALT: "altLabel", HIDDEN: "hiddenLabel"}
_PREFIXES = {
    _s(SKOS): "skos",
    _s(SKOSXL): "skosxl",
    _s(DCTERMS): "dct",
    _s(DC): "dc",
    _s(OWL): "owl",
    _s(RDF): "rdf",
    _s(RDFS): "rdfs",
    _s(FOAF): "foaf",
    _s(ISOTHES): "isothes",
    _s(AIRT): "airt",
}


def name(iri: str) -> str:
    """Return a well-known IRI as a CURIE (skos:prefLabel), any other as <iri>."""
    for namespace, prefix in _PREFIXES.items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and not re.search(r"[/#]", local):
            return f"{prefix}:{local}"
    return f"<{iri}>"


def few(items: Iterable[str], limit: int = 3) -> str:
    """Return up to `limit` IRIs as <a>, <b> and N more."""
    items = list(items)
    shown = ", ".join(f"<{i}>" for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def quoted(t: LangText) -> str:
    return f"'{t.text}'@{t.lang}" if t.lang else f"'{t.text}'"


def not_here(items: list[str], noun: str = "concept", nouns: str = "concepts") -> str:
    """Return '<a> is not a concept here' or '<a>, <b> are not concepts here'."""
    if len(items) == 1:
        return f"{few(items)} is not a {noun} here"
    return f"{few(items)} are not {nouns} here"


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def date_problem(text: str) -> str | None:
    """Return why `text` is not an xsd:date or xsd:dateTime value, or None if it is one."""
    if not _DATE.match(text):
        return "is not written YYYY-MM-DD or YYYY-MM-DDThh:mm:ss"
    try:
        (datetime.fromisoformat if "T" in text else date.fromisoformat)(text)
    except ValueError as exc:
        return f"is not a calendar date ({exc})"
    return None


_XSD = "http://www.w3.org/2001/XMLSchema#"
_LEXICAL = {
    "integer": re.compile(r"^[+-]?\d+$"),
    "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "double": re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$"),
    "float": re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$"),
    "boolean": re.compile(r"^(true|false|0|1)$"),
}


def ill_typed(text: str, datatype: str) -> str:
    """Return ' (not a valid xsd:T value)' if `text` is not a lexical form of the XSD
    `datatype` we know (numbers, booleans, dates), else ''.

    >>> ill_typed("abc", "http://www.w3.org/2001/XMLSchema#date")
    "; 'abc' is not a valid xsd:date"
    >>> ill_typed("12", "http://www.w3.org/2001/XMLSchema#integer")
    ''
    """
    if not datatype.startswith(_XSD):
        return ""
    local = datatype[len(_XSD) :]
    if local in ("date", "dateTime"):
        bad = date_problem(text) is not None or (local == "dateTime") != ("T" in text)
    elif local in _LEXICAL:
        bad = not _LEXICAL[local].match(text.strip())
    else:
        return ""
    return f"; '{text[:40]}' is not a valid xsd:{local}" if bad else ""
