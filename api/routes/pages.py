"""HTML pages other than a concept's (home, A-Z, about); health and readiness. Collections: api.routes.scheme."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.deps import ServingDep, VocabularyDep
from api.errors import error_response
from api.respond import represent
from api.templating import render
from vocab.model import LabelKind, NoteKind
from vocab.vocabulary import Vocabulary

router = APIRouter()

PAGE_CACHE = "public, max-age=300"
RECENT_COUNT = 8
EXAMPLE_SEARCHES = (
    ("MHRA", "an acronym"),
    ("recall", "what clinicians call sensitivity"),
    ("CT", "an acronym with two meanings"),
    ("auto segmentaton", "a misspelling, still found"),
    ("ground truth", "a phrase"),
)
"""Shown under the home page's search box, each with what it shows."""
LETTERS = ("#", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
"""The A-Z bar: every letter, those with no term shown disabled ('#' is 0-9)."""


def letter_bar(present: list[str]) -> list[tuple[str, bool]]:
    """Return every letter of the bar with whether any term starts with it."""
    used = set(present)
    extra = sorted(used - set(LETTERS))  # a label that starts with another letter (Ö)
    return [(letter, letter in used) for letter in (*LETTERS, *extra)]


@dataclass(frozen=True)
class Overview:
    """Figures and lists the home and A-Z pages show, computed once per released snapshot."""

    stats: dict[str, int]
    counts: dict[str, int]  # collection id -> number of active member concepts
    letters: list[tuple[str, list[dict[str, Any]]]]
    recent: list[dict[str, str]] = field(default_factory=list)


def _letter(label: str) -> str:
    first = label[:1].upper()
    return first if first.isalpha() else "#"


def overview(vocabulary: Vocabulary) -> Overview:
    """Return the overview of a vocabulary (pages that show it are cached per release)."""
    concepts = [c for c in vocabulary.store.concepts() if c.is_active]
    by_uri = {c.uri: c for c in concepts}
    stats = {
        "concepts": len(concepts),
        "acronyms": sum(len(c.acronyms) for c in concepts),
        "synonyms": sum(len(c.labels_of(LabelKind.ALT)) for c in concepts),
        "warnings": sum(any(n.kind is NoteKind.WARNING for n in c.notes) for c in concepts),
    }
    counts = {col.id: sum(uri in by_uri for uri in col.members) for col in vocabulary.collections()}
    refs = vocabulary.store.concept_refs_sorted()
    letters = [
        (
            letter,
            [
                {
                    "id": r.id,
                    "label": r.pref_label,
                    "acronyms": by_uri[r.uri].acronyms if r.uri in by_uri else (),
                }
                for r in group
            ],
        )
        for letter, group in groupby(refs, key=lambda r: _letter(r.pref_label))
    ]
    dated = [
        (c.modified or c.created or "", "changed" if c.modified else "added", c)
        for c in concepts
        if c.modified or c.created
    ]
    dated.sort(key=lambda item: item[0], reverse=True)
    recent = [
        {"id": c.id, "label": c.pref_label(), "what": what, "date": date[:10]}
        for date, what, c in dated[:RECENT_COUNT]
    ]
    return Overview(stats, counts, letters, recent)


def _page(request: Request, vocabulary: Vocabulary, name: str, key: str = "") -> Response:
    """Return page `name`, rendered once per release with the context PAGES gives it."""
    serving = request.app.state.serving
    return represent(
        request,
        vocabulary,
        key=("page", name, key),
        variant="html",
        media_type="text/html",
        render=lambda: render(
            serving.templates, name, **PAGES[name](vocabulary, serving.base, key)
        ).encode(),
        cache_control=PAGE_CACHE,
    )


def home_context(vocabulary: Vocabulary, base: str, key: str) -> dict[str, Any]:
    view = overview(vocabulary)
    return {
        "scheme": vocabulary.scheme,
        "collections": vocabulary.collections(),
        "stats": view.stats,
        "counts": view.counts,
        "letters": [letter for letter, _ in view.letters],
        "bar": letter_bar([letter for letter, _ in view.letters]),
        "recent": view.recent,
        "digest": vocabulary.digest,
        "examples": EXAMPLE_SEARCHES,
        "title": None,
        "home": True,
    }


def a_to_z_context(vocabulary: Vocabulary, base: str, key: str) -> dict[str, Any]:
    view = overview(vocabulary)
    letters = view.letters
    return {
        "scheme": vocabulary.scheme,
        "letters": letters,
        "bar": letter_bar([letter for letter, _ in letters]),
        "count": view.stats["concepts"],
        "title": "A–Z index",
        "nav": "a-z",
    }


def about_context(vocabulary: Vocabulary, base: str, key: str) -> dict[str, Any]:
    return {
        "scheme": vocabulary.scheme,
        "count": vocabulary.store.count(),
        "base": base,
        "digest": vocabulary.digest,
        "title": "About",
        "nav": "about",
    }


def collection_context(vocabulary: Vocabulary, base: str, collection_id: str) -> dict[str, Any]:
    found = vocabulary.collection(collection_id)
    refs = sorted(vocabulary.refs(found.members).values(), key=lambda r: r.pref_label.casefold())
    return {"scheme": vocabulary.scheme, "collection": found, "refs": refs, "title": found.label()}


PAGES = {
    "home.html": home_context,
    "a-z.html": a_to_z_context,
    "about.html": about_context,
    "collection.html": collection_context,
}
"""Each page and the function that gives its template context."""


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, vocabulary: VocabularyDep) -> Response:
    return _page(request, vocabulary, "home.html")


@router.get("/a-z", response_class=HTMLResponse, include_in_schema=False)
def a_to_z(request: Request, vocabulary: VocabularyDep) -> Response:
    return _page(request, vocabulary, "a-z.html")


@router.get("/about", response_class=HTMLResponse, include_in_schema=False)
def about(request: Request, vocabulary: VocabularyDep) -> Response:
    return _page(request, vocabulary, "about.html")


@router.get("/health", tags=["service"], summary="Liveness and the release being served")
async def health(vocabulary: VocabularyDep) -> dict[str, object]:
    """Liveness: the process is up. It reads nothing from the store (see /ready)."""
    return {
        "status": "ok",
        "concepts": int(vocabulary.store.meta.get("concepts", "0")),
        "release": vocabulary.digest,
        "version": vocabulary.scheme.version,
    }


@router.get("/ready", tags=["service"], summary="Readiness: the store passes its integrity check")
async def ready(request: Request, serving: ServingDep) -> Response:
    """200 when the store being served passed its last integrity check; 503 with the reason."""
    vocabulary = serving.vocabulary
    verdict = serving.readiness.verdict
    if verdict is None or verdict.release != vocabulary.digest:
        verdict = await anyio.to_thread.run_sync(serving.readiness.current, vocabulary)
    checked = datetime.fromtimestamp(verdict.checked_at, UTC).isoformat(timespec="seconds")
    if verdict.problem:
        return error_response(
            503,
            "store_damaged",
            f"{verdict.problem}. Checked at {checked}. Restore the store's backup or rebuild "
            "it (see the README, Operate), then restart or republish.",
            headers={"Cache-Control": "no-store", "Retry-After": "60"},
            request=request,
        )
    body = {"status": "ready", "release": verdict.release, "checked": checked}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
