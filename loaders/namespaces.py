"""RDF namespaces: SKOS and friends from rdflib, and our profile as one DefinedNamespace.

`AIRT` fails loudly on a typo (`AIRT.acronymm` raises), like rdflib's own SKOS. The
profile itself, with each property declared a sub-property of a SKOS one, is
`ontology/profile.ttl`; `tests/test_ontology.py` keeps the two in step.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

from vocab.model import COMMUNITIES, LabelKind, MatchKind, NoteKind

SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
DC = Namespace("http://purl.org/dc/elements/1.1/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


class AIRT(DefinedNamespace):
    """Our SKOS profile: https://w3id.org/airt/ns#"""

    _NS = Namespace("https://w3id.org/airt/ns#")
    _fail = True

    acronym: URIRef  # rdfs:subPropertyOf skos:altLabel
    plainDefinition: URIRef  # rdfs:subPropertyOf skos:definition
    usageWarning: URIRef  # rdfs:subPropertyOf skos:scopeNote
    communityLabel: URIRef  # rdfs:subPropertyOf skos:note
    industryLabel: URIRef
    clinicalLabel: URIRef
    regulatoryLabel: URIRef
    academicLabel: URIRef
    patientLabel: URIRef
    mergedInto: URIRef  # rdfs:subPropertyOf dcterms:isReplacedBy
    Community: URIRef


COMMUNITY_PROPERTY: dict[str, URIRef] = {c: AIRT[f"{c}Label"] for c in COMMUNITIES}

LABEL_PROPERTY: dict[LabelKind, URIRef] = {
    LabelKind.PREF: SKOS.prefLabel,
    LabelKind.ACRONYM: AIRT.acronym,
    LabelKind.ALT: SKOS.altLabel,
    LabelKind.HIDDEN: SKOS.hiddenLabel,
}

NOTE_PROPERTY: dict[NoteKind, URIRef] = {
    NoteKind.NOTE: SKOS.note,
    NoteKind.SCOPE: SKOS.scopeNote,
    NoteKind.EXAMPLE: SKOS.example,
    NoteKind.HISTORY: SKOS.historyNote,
    NoteKind.EDITORIAL: SKOS.editorialNote,
    NoteKind.CHANGE: SKOS.changeNote,
    NoteKind.WARNING: AIRT.usageWarning,
}

MATCH_PROPERTY: dict[MatchKind, URIRef] = {kind: SKOS[kind.value] for kind in MatchKind}

PREFIXES: dict[str, object] = {  # rdflib's closed namespaces are classes, ours a DefinedNamespace
    "skos": SKOS,
    "skosxl": SKOSXL,
    "dct": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "foaf": FOAF,
    "airt": str(AIRT),
}
