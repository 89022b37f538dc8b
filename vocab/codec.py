"""Lossless JSON-ready dicts for the domain classes, as the store keeps them.

This is our storage format, not the public JSON of a concept (that is `vocab/views.py`).

>>> c = Concept(id="t1", uri="http://x/terms/t1", labels=(Label("CT", "en", LabelKind.ACRONYM),))
>>> concept_from_dict(concept_to_dict(c)) == c
True
"""

from __future__ import annotations

from typing import Any

from vocab.model import (
    Collection,
    Concept,
    Label,
    LabelKind,
    LangText,
    Mapping,
    MatchKind,
    Note,
    NoteKind,
    Scheme,
    Status,
)


def _texts(items: tuple[LangText, ...]) -> list[list[str]]:
    return [[t.text, t.lang] for t in items]


def _from_texts(items: list[list[str]]) -> tuple[LangText, ...]:
    return tuple(LangText(text, lang) for text, lang in items)


def concept_to_dict(c: Concept) -> dict[str, Any]:
    return {
        "id": c.id,
        "uri": c.uri,
        "labels": [[lb.text, lb.lang, lb.kind.value, list(lb.usage)] for lb in c.labels],
        "definitions": _texts(c.definitions),
        "plain_definitions": _texts(c.plain_definitions),
        "notes": [[n.kind.value, n.text, n.lang] for n in c.notes],
        "broader": list(c.broader),
        "narrower": list(c.narrower),
        "related": list(c.related),
        "mappings": [[m.kind.value, m.target] for m in c.mappings],
        "sources": list(c.sources),
        "citations": _texts(c.citations),
        "pages": list(c.pages),
        "notations": list(c.notations),
        "in_schemes": list(c.in_schemes),
        "status": c.status.value,
        "replaced_by": list(c.replaced_by),
        "created": c.created,
        "modified": c.modified,
    }


def concept_from_dict(d: dict[str, Any]) -> Concept:
    return Concept(
        id=d["id"],
        uri=d["uri"],
        labels=tuple(Label(t, lang, LabelKind(k), tuple(u)) for t, lang, k, u in d["labels"]),
        definitions=_from_texts(d["definitions"]),
        plain_definitions=_from_texts(d["plain_definitions"]),
        notes=tuple(Note(NoteKind(k), t, lang) for k, t, lang in d["notes"]),
        broader=tuple(d["broader"]),
        narrower=tuple(d["narrower"]),
        related=tuple(d["related"]),
        mappings=tuple(Mapping(MatchKind(k), t) for k, t in d["mappings"]),
        sources=tuple(d["sources"]),
        citations=_from_texts(d["citations"]),
        pages=tuple(d["pages"]),
        notations=tuple(d["notations"]),
        in_schemes=tuple(d["in_schemes"]),
        status=Status(d["status"]),
        replaced_by=tuple(d["replaced_by"]),
        created=d["created"],
        modified=d["modified"],
    )


def scheme_to_dict(s: Scheme) -> dict[str, Any]:
    return {
        "uri": s.uri,
        "titles": _texts(s.titles),
        "descriptions": _texts(s.descriptions),
        "version": s.version,
        "version_iri": s.version_iri,
        "license": s.license,
        "publisher": s.publisher,
        "creators": list(s.creators),
        "created": s.created,
        "modified": s.modified,
        "languages": list(s.languages),
        "homepage": s.homepage,
    }


def scheme_from_dict(d: dict[str, Any]) -> Scheme:
    return Scheme(
        uri=d["uri"],
        titles=_from_texts(d["titles"]),
        descriptions=_from_texts(d["descriptions"]),
        version=d["version"],
        version_iri=d.get("version_iri"),
        license=d["license"],
        publisher=d["publisher"],
        creators=tuple(d["creators"]),
        created=d["created"],
        modified=d["modified"],
        languages=tuple(d["languages"]),
        homepage=d["homepage"],
    )


def collection_to_dict(c: Collection) -> dict[str, Any]:
    return {
        "id": c.id,
        "uri": c.uri,
        "labels": _texts(c.labels),
        "definitions": _texts(c.definitions),
        "members": list(c.members),
        "ordered": c.ordered,
    }


def collection_from_dict(d: dict[str, Any]) -> Collection:
    return Collection(
        id=d["id"],
        uri=d["uri"],
        labels=_from_texts(d["labels"]),
        definitions=_from_texts(d["definitions"]),
        members=tuple(d["members"]),
        ordered=d["ordered"],
    )
