"""Proposal payloads: JSON-shaped input checked field by field, then applied to a concept.

A payload is a dict of the fields its kind may set (`rules.KIND_FIELDS`); each field
given replaces that field's whole value. Anything else, `status`, `id`, `uri` or
`created_by` included, is refused: those are the service's to set, not the proposer's.

>>> fields = read_fields(ProposalKind.EDIT_DEFINITIONS,
...                {"definitions": [{"text": "A measure.", "lang": "en-GB"}]}, resolve=str)
>>> fields["definitions"]
(LangText(text='A measure.', lang='en-GB'),)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from vocab.editorial.checks import check_label, check_text
from vocab.editorial.model import ProposalKind
from vocab.editorial.rules import KIND_FIELDS, REQUIRED_FIELDS
from vocab.errors import InvalidInput
from vocab.model import (
    COMMUNITIES,
    Concept,
    Label,
    LabelKind,
    LangText,
    MatchKind,
    Note,
    NoteKind,
    Status,
)
from vocab.model import Mapping as SkosMapping

MAX_ITEMS = 200
DEFAULT_LANG = "en-GB"
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
Resolve = Callable[[str], str]
"""Turns a concept id or URI into the URI of a concept that exists; raises InvalidInput."""


def _items(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInput(f"'{field}' must be a list.")
    if len(value) > MAX_ITEMS:
        raise InvalidInput(f"'{field}' has {len(value)} items; the limit is {MAX_ITEMS}.")
    return value


def _object(
    item: Any, field: str, keys: tuple[str, ...], required: tuple[str, ...]
) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise InvalidInput(f"Each item of '{field}' must be an object with {', '.join(keys)}.")
    extra = sorted(set(item) - set(keys))
    if extra:
        raise InvalidInput(f"Unknown keys {extra} in '{field}'; use {', '.join(keys)}.")
    for key in required:
        if key not in item:
            raise InvalidInput(f"An item of '{field}' lacks '{key}'.")
    return item


def _string(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a string.")
    return value


def _lang(value: Any, field: str) -> str:
    lang = _string(value if value is not None else DEFAULT_LANG, f"The language in '{field}'")
    if not _LANG.match(lang):
        raise InvalidInput(
            f"'{lang[:20]}' in '{field}' is not a BCP 47 language tag such as en-GB."
        )
    return lang


def _choice(value: Any, enum: type[Any], what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(
            f"{what} '{str(value)[:30]}' is not one of: {', '.join(e.value for e in enum)}."
        ) from None


def _labels(value: Any, _: Resolve) -> tuple[Label, ...]:
    labels = []
    for item in _items(value, "labels"):
        d = _object(item, "labels", ("text", "lang", "kind", "usage"), ("text", "kind"))
        usage = tuple(_string(u, "A community") for u in _items(d.get("usage", []), "usage"))
        unknown = sorted(set(usage) - set(COMMUNITIES))
        if unknown:
            raise InvalidInput(
                f"Unknown communities {unknown}; use some of: {', '.join(COMMUNITIES)}."
            )
        labels.append(
            Label(
                check_label(_string(d["text"], "A label")),
                _lang(d.get("lang"), "labels"),
                _choice(d["kind"], LabelKind, "Label kind"),
                usage,
            )
        )
    return tuple(labels)


def _texts(field: str) -> Callable[[Any, Resolve], tuple[LangText, ...]]:
    def parse_texts(value: Any, _: Resolve) -> tuple[LangText, ...]:
        return tuple(
            LangText(
                check_text(_string(d["text"], f"A text of '{field}'"), f"A text of '{field}'"),
                _lang(d.get("lang"), field),
            )
            for d in (_object(i, field, ("text", "lang"), ("text",)) for i in _items(value, field))
        )

    return parse_texts


def _notes(value: Any, _: Resolve) -> tuple[Note, ...]:
    return tuple(
        Note(
            _choice(d["kind"], NoteKind, "Note kind"),
            check_text(_string(d["text"], "A note"), "A note"),
            _lang(d.get("lang"), "notes"),
        )
        for d in (
            _object(i, "notes", ("kind", "text", "lang"), ("kind", "text"))
            for i in _items(value, "notes")
        )
    )


def _warnings(value: Any, resolve: Resolve) -> tuple[Note, ...]:
    return tuple(
        Note(NoteKind.WARNING, t.text, t.lang) for t in _texts("usage_warnings")(value, resolve)
    )


def _iri(value: Any, field: str) -> str:
    text = _string(value, f"An address in '{field}'")
    if len(text) > 2000 or not _IRI.match(text):
        raise InvalidInput(f"'{text[:80]}' in '{field}' is not an http(s) address.")
    return text


def _iris(field: str) -> Callable[[Any, Resolve], tuple[str, ...]]:
    return lambda value, _: tuple(dict.fromkeys(_iri(v, field) for v in _items(value, field)))


def _concepts(field: str) -> Callable[[Any, Resolve], tuple[str, ...]]:
    return lambda value, resolve: tuple(
        dict.fromkeys(resolve(_string(v, f"A concept in '{field}'")) for v in _items(value, field))
    )


def _mappings(value: Any, _: Resolve) -> tuple[SkosMapping, ...]:
    return tuple(
        SkosMapping(_choice(d["kind"], MatchKind, "Mapping kind"), _iri(d["target"], "mappings"))
        for d in (
            _object(i, "mappings", ("kind", "target"), ("kind", "target"))
            for i in _items(value, "mappings")
        )
    )


def _strings(field: str) -> Callable[[Any, Resolve], tuple[str, ...]]:
    return lambda value, _: tuple(
        check_text(_string(v, f"An item of '{field}'"), field, max_length=100)
        for v in _items(value, field)
    )


def _history(value: Any, resolve: Resolve) -> tuple[Note, ...]:
    item = {"text": value} if isinstance(value, str) else value
    return tuple(
        Note(NoteKind.HISTORY, t.text, t.lang) for t in _texts("history_note")([item], resolve)
    )


PARSERS: dict[str, Callable[[Any, Resolve], tuple[Any, ...]]] = {
    "labels": _labels,
    "definitions": _texts("definitions"),
    "plain_definitions": _texts("plain_definitions"),
    "citations": _texts("citations"),
    "usage_warnings": _warnings,
    "notes": _notes,
    "broader": _concepts("broader"),
    "narrower": _concepts("narrower"),
    "related": _concepts("related"),
    "replaced_by": _concepts("replaced_by"),
    "mappings": _mappings,
    "sources": _iris("sources"),
    "pages": _iris("pages"),
    "notations": _strings("notations"),
    "collections": _strings("collections"),
    "history_note": _history,
}


def read_fields(
    kind: ProposalKind, payload: Any, *, resolve: Resolve
) -> dict[str, tuple[Any, ...]]:
    """Return the checked fields of a payload; raise InvalidInput naming what is wrong."""
    if not isinstance(payload, Mapping):
        raise InvalidInput("A proposal payload must be a JSON object of fields.")
    allowed = KIND_FIELDS[kind]
    refused = sorted(str(k)[:40] for k in payload if k not in allowed)
    if refused:
        raise InvalidInput(
            f"A proposal to {kind.value.replace('_', ' ')} cannot set {', '.join(refused)}; it takes: {', '.join(allowed)}. "
            "Ids, status, authorship and dates are set by the service."
        )
    missing = [f for f in REQUIRED_FIELDS.get(kind, ()) if not payload.get(f)]
    if missing:
        raise InvalidInput(
            f"A proposal to {kind.value.replace('_', ' ')} needs {', '.join(missing)}."
        )
    return {name: PARSERS[name](value, resolve) for name, value in payload.items()}


_RETIRED = {
    ProposalKind.DEPRECATE: Status.DEPRECATED,
    ProposalKind.MERGE: Status.MERGED,
    ProposalKind.WITHDRAW: Status.WITHDRAWN,
}


def apply_fields(
    concept: Concept, kind: ProposalKind, fields: Mapping[str, tuple[Any, ...]]
) -> Concept:
    """Return `concept` with the parsed fields applied (collections are not a concept field)."""
    direct = {
        k: v
        for k, v in fields.items()
        if k not in ("usage_warnings", "notes", "history_note", "collections")
    }
    notes = fields.get("notes", concept.notes)
    if "usage_warnings" in fields:
        notes = tuple(n for n in notes if n.kind is not NoteKind.WARNING) + fields["usage_warnings"]
    notes += fields.get("history_note", ())
    changed = replace(concept, **direct, notes=notes)  # type: ignore[arg-type]
    if kind in _RETIRED:
        if not concept.is_active:
            raise InvalidInput(f"Concept {concept.id} is {concept.status.value} already.")
        if kind is ProposalKind.MERGE and len(changed.replaced_by) != 1:
            raise InvalidInput("A merge names exactly one concept in 'replaced_by'.")
        if concept.uri in changed.replaced_by:
            raise InvalidInput(f"Concept {concept.id} cannot be replaced by itself.")
        changed = replace(changed, status=_RETIRED[kind])
    return changed
