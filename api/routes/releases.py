"""Releases: `/releases`, `/releases/{v}` (metadata, files, diff), pinned concept URIs
`/releases/{v}/terms/{id}`, `/changes?since=&until=`, and Atom feeds of both."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from api.deps import BaseDep
from api.headers import TERM_CACHE
from api.negotiation import TERM_OFFERS, TERM_REPRESENTATIONS
from api.release_views import (
    RELEASE_CACHE,
    changes_feed,
    diff_body,
    pinned_context,
    release_json,
    releases_feed,
    shelf_of,
)
from api.representations import render_concept, split_extension
from api.respond import choose_format, represent, serving
from api.templating import render

router = APIRouter(tags=["releases"])

PAGE_OFFERS = (("json", "application/json"), ("html", "text/html"))
DIFF_FORMATS = {
    "json": "application/json",
    "md": "text/markdown",
    "html": "text/html",
    "ttl": "text/turtle",
}
BOUND = r"^\d{4}-\d{2}-\d{2}(\.\d{1,6})?$"
Since = Annotated[
    str | None,
    Query(pattern=BOUND, description="A date (YYYY-MM-DD) or a release version: changes after it."),
]
Until = Annotated[
    str | None,
    Query(pattern=BOUND, description="A date (YYYY-MM-DD) or a release version: changes up to it."),
]
Format = Annotated[Literal["json", "html"] | None, Query(description="Override Accept.")]
DiffFormat = Annotated[
    Literal["json", "md", "html", "ttl"], Query(description="json, md, html or ttl.")
]


def _answer(request: Request, body: bytes, media_type: str, tag: str) -> Response:
    headers = {"ETag": tag, "Cache-Control": TERM_CACHE, "Vary": "Accept"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get("/releases", summary="Every release, newest first")
def releases(request: Request, base: BaseDep, format: Format = None) -> Response:
    """JSON by default; HTML for browsers."""
    shelf = shelf_of(request)
    manifests = list(reversed(shelf.manifests()))
    fmt = choose_format(request, PAGE_OFFERS, "json", format)
    tag = f'"releases-{"-".join(m.version for m in manifests)}-{fmt}"'
    if fmt == "html":
        page = render(
            serving(request).templates,
            "releases.html",
            title="Releases",
            scheme=serving(request).vocabulary.scheme,
            releases=[release_json(m, base) for m in manifests],
        )
        return _answer(request, page.encode(), "text/html", tag)
    data = {"releases": [release_json(m, base) for m in manifests]}
    return _answer(request, orjson.dumps(data), "application/json", tag)


@router.get("/releases.atom", summary="Atom feed of releases")
def releases_atom(request: Request, base: BaseDep) -> Response:
    """One entry per release, newest first, with its notes and change summary."""
    shelf = shelf_of(request)
    tag = f'"releases-atom-{"-".join(m.version for m in shelf.manifests())}"'
    return _answer(request, releases_feed(shelf, base), "application/atom+xml", tag)


@router.get("/changes.atom", summary="Atom feed of concept changes")
def changes_atom(request: Request, base: BaseDep) -> Response:
    """One entry per concept a release changed, newest release first."""
    shelf = shelf_of(request)
    tag = f'"changes-atom-{"-".join(m.version for m in shelf.manifests())}"'
    return _answer(request, changes_feed(shelf, base), "application/atom+xml", tag)


@router.get("/changes", summary="What changed since a date or a release (JSON)")
def changes(request: Request, since: Since = None, until: Until = None) -> Response:
    """The releases in (since, until], each with its concept-level changes."""
    data = shelf_of(request).history.changes(since, until)
    return Response(orjson.dumps(data), media_type="application/json")


@router.get("/releases/{version}", summary="One release: metadata, files with checksums, diff")
def release(request: Request, version: str, base: BaseDep, format: Format = None) -> Response:
    """JSON by default (with the diff); HTML for browsers."""
    shelf = shelf_of(request)
    manifest = shelf.manifest(version)
    fmt = choose_format(request, PAGE_OFFERS, "json", format)
    data: dict[str, Any] = {**release_json(manifest, base), "diff": shelf.history.diff(version)}
    headers = {
        "ETag": f'"release-{version}-{fmt}"',
        "Cache-Control": RELEASE_CACHE,
        "Vary": "Accept",
    }
    if fmt == "html":
        page = render(
            serving(request).templates,
            "release.html",
            title=f"Release {version}",
            r=data,
            scheme=serving(request).vocabulary.scheme,
        )
        return Response(page.encode(), media_type="text/html", headers=headers)
    return Response(orjson.dumps(data), media_type="application/json", headers=headers)


@router.get("/releases/{version}/diff", summary="The diff of a release against the one before")
def release_diff(
    request: Request,
    version: str,
    base: BaseDep,
    format: DiffFormat = "json",
) -> Response:
    """The concept-level diff as JSON, Markdown, an HTML page or RDF (skos:changeNote)."""
    shelf = shelf_of(request)
    body, media = diff_body(request, shelf, version, format, base)
    return Response(body, media_type=media, headers={"Cache-Control": RELEASE_CACHE})


@router.get("/releases/{version}/files/{name:path}", summary="One file of a release")
def release_file(request: Request, version: str, name: str) -> Response:
    """The file as released; its SHA-256 is in the manifest and in the `Digest` header."""
    shelf = shelf_of(request)
    artefact = shelf.manifest(version).artefact(name)
    data = shelf.archive.read(version, name)
    filename = f"airt-vocabulary-{version}-{name.replace('/', '-')}"
    return Response(
        data,
        media_type=artefact.media_type,
        headers={
            "ETag": f'"{artefact.sha256}"',
            "Cache-Control": RELEASE_CACHE,
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Checksum-SHA256": artefact.sha256,
        },
    )


@router.get(
    "/releases/{version}/terms/{concept_id}",
    summary="A concept as it was in a release (a pinned citation)",
    responses={
        200: {
            "description": "The concept",
            "content": {m: {} for m in TERM_REPRESENTATIONS.values()},
        },
        301: {"description": "Merged: the concept it became in that release"},
        404: {"description": "No such release, or no such concept in it"},
        410: {"description": "Withdrawn in that release"},
    },
)
def pinned_term(
    request: Request,
    version: str,
    concept_id: str,
    base: BaseDep,
    format: Annotated[
        Literal["html", "json", "jsonld", "ttl", "rdf", "nt", "txt"] | None,
        Query(description="Override Accept with a format name."),
    ] = None,
) -> Response:
    """Every representation /terms/{id} offers, from the release's own snapshot."""
    shelf = shelf_of(request)
    manifest = shelf.manifest(version)
    old = shelf.vocabulary(version)
    concept_id, extension = split_extension(old, concept_id)
    resolution = old.resolve(concept_id)
    fmt = choose_format(request, TERM_OFFERS, "txt", format or extension)
    if resolution.moved_to is not None:
        location = f"/releases/{version}/terms/{resolution.moved_to.id}"
        location += f"?format={format}" if format else ""
        return RedirectResponse(location, status_code=301, headers={"Cache-Control": RELEASE_CACHE})
    record = resolution.record
    pinned = f"{base}/releases/{version}/terms/{record.concept.id}"
    return represent(
        request,
        old,
        key=("pinned", version, record.concept.id),
        variant=fmt,
        media_type=TERM_REPRESENTATIONS[fmt],
        render=lambda: render_concept(
            old,
            record,
            fmt,
            serving(request).templates,
            base,
            extra=pinned_context(manifest, record.concept.id, base),
        ),
        cache_control=RELEASE_CACHE,
        status=410 if resolution.gone else 200,
        headers={
            "Content-Location": f"{pinned}.{fmt}",
            "Link": f'<{pinned}>; rel="canonical", <{record.concept.uri}>; rel="latest-version"',
        },
    )
