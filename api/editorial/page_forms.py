"""The pages' forms turned into proposal payloads, one reader per kind, and back for prefill.

A form edits one language (en-GB) and keeps the others as they are. Lists are text areas
with one item a line; concept references are ids (t0133) or URIs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from api.editorial.forms import Form
from vocab.editorial.model import HeadConcept, ProposalKind
from vocab.model import COMMUNITIES, LabelKind, MatchKind

K = ProposalKind
LANG = "en-GB"
BLANK_LABEL_ROWS = 3
KIND_TITLES: dict[ProposalKind, str] = {
    K.EDIT_LABELS: "Labels (names, acronyms, misspellings) and who uses them",
    K.EDIT_DEFINITIONS: "Definition",
    K.EDIT_PLAIN_DEFINITIONS: "Plain-language definition",
    K.EDIT_USAGE_WARNINGS: "Usage warnings (false friends)",
    K.EDIT_SOURCES: "Sources and web pages",
    K.EDIT_RELATIONS: "Broader, narrower and related terms",
    K.EDIT_MAPPINGS: "Mappings to other vocabularies",
    K.DEPRECATE: "Deprecate: replaced by another term",
    K.MERGE: "Merge into another term (the same concept)",
    K.WITHDRAW: "Withdraw, with no successor",
}
"""The kinds a page offers for an existing term, in the order shown."""


def _ids(text: str) -> list[str]:
    return [x for x in re.split(r"[\s,]+", text) if x]


def _keep_other_languages(values: list[dict[str, str]], new: str) -> list[dict[str, str]]:
    kept = [v for v in values if v["lang"] != LANG]
    return kept + ([{"text": new.strip(), "lang": LANG}] if new.strip() else [])


def label_rows(form: Form) -> list[dict[str, Any]]:
    """Return the labels of the label table (rows with no text are left out)."""
    rows = []
    for i in range(len(form.values)):
        if f"label-{i}-text" not in form.values:
            continue
        text = form.get(f"label-{i}-text").strip()
        if text and not form.get(f"label-{i}-remove"):
            rows.append(
                {
                    "text": text,
                    "lang": form.get(f"label-{i}-lang").strip() or LANG,
                    "kind": form.get(f"label-{i}-kind", LabelKind.ALT.value),
                    "usage": [u for u in form.all(f"label-{i}-usage") if u in COMMUNITIES],
                }
            )
    return rows


def _mappings(form: Form) -> list[dict[str, str]]:
    found = []
    for line in form.lines("mappings"):
        kind, _, target = line.partition(" ")
        found.append({"kind": kind.strip(), "target": target.strip()})
    return found


def _history(form: Form) -> dict[str, Any]:
    note = form.get("history_note").strip()
    return {"history_note": note} if note else {}


READERS: dict[ProposalKind, Callable[[Form, dict[str, Any]], dict[str, Any]]] = {
    K.EDIT_LABELS: lambda f, cur: {"labels": label_rows(f)},
    K.EDIT_DEFINITIONS: lambda f, cur: {
        "definitions": _keep_other_languages(cur["definitions"], f.get("definition"))
    },
    K.EDIT_PLAIN_DEFINITIONS: lambda f, cur: {
        "plain_definitions": _keep_other_languages(cur["plain_definitions"], f.get("definition"))
    },
    K.EDIT_USAGE_WARNINGS: lambda f, cur: {
        "usage_warnings": [{"text": w, "lang": LANG} for w in f.lines("usage_warnings")]
    },
    K.EDIT_SOURCES: lambda f, cur: {"sources": f.lines("sources"), "pages": f.lines("pages")},
    K.EDIT_RELATIONS: lambda f, cur: {
        name: _ids(f.get(name)) for name in ("broader", "narrower", "related")
    },
    K.EDIT_MAPPINGS: lambda f, cur: {"mappings": _mappings(f)},
    K.DEPRECATE: lambda f, cur: {"replaced_by": _ids(f.get("replaced_by")), **_history(f)},
    K.MERGE: lambda f, cur: {"replaced_by": _ids(f.get("replaced_by")), **_history(f)},
    K.WITHDRAW: lambda f, cur: _history(f),
}


def edit_fields(kind: ProposalKind, form: Form, current: dict[str, Any]) -> dict[str, Any]:
    """Return the payload of an edit form of `kind`, given the concept's current fields."""
    return READERS[kind](form, current)


def new_concept_fields(form: Form) -> dict[str, Any]:
    """Return the payload of the 'suggest a concept' form."""
    usage = [u for u in form.all("usage") if u in COMMUNITIES]
    labels = [
        {"text": form.get("pref_label").strip(), "lang": LANG, "kind": "pref", "usage": usage}
    ]
    labels += [
        {"text": t, "lang": LANG, "kind": "alt", "usage": usage} for t in form.lines("alt_labels")
    ]
    labels += [
        {"text": t, "lang": LANG, "kind": "acronym", "usage": usage} for t in form.lines("acronyms")
    ]
    fields: dict[str, Any] = {"labels": [x for x in labels if x["text"]]}
    for name, field in (("definition", "definitions"), ("plain_definition", "plain_definitions")):
        if form.get(name).strip():
            fields[field] = [{"text": form.get(name).strip(), "lang": LANG}]
    for name in ("sources", "broader"):
        if form.get(name).strip():
            fields[name] = form.lines(name) if name == "sources" else _ids(form.get(name))
    if form.get("collection"):
        fields["collections"] = [form.get("collection")]
    return fields


def prefill(head: HeadConcept, fields: dict[str, Any]) -> dict[str, Any]:
    """Return what the edit forms show for a concept: its en-GB texts and lists as lines."""

    def english(values: list[dict[str, str]]) -> str:
        return next((v["text"] for v in values if v["lang"] == LANG), "")

    return {
        "labels": fields["labels"]
        + [{"text": "", "lang": LANG, "kind": "alt", "usage": []}] * BLANK_LABEL_ROWS,
        "definitions": english(fields["definitions"]),
        "plain_definitions": english(fields["plain_definitions"]),
        "usage_warnings": "\n".join(v["text"] for v in fields["usage_warnings"]),
        "sources": "\n".join(fields["sources"]),
        "pages": "\n".join(fields["pages"]),
        "mappings": "\n".join(f"{m['kind']} {m['target']}" for m in fields["mappings"]),
        **{
            name: " ".join(u.rsplit("/", 1)[-1] for u in fields[name])
            for name in ("broader", "narrower", "related")
        },
        "match_kinds": [m.value for m in MatchKind],
        "version": head.version,
    }
