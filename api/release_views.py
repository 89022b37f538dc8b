"""What the release routes and the term page show of releases: JSON views, feeds, history."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson
from starlette.requests import Request

from api.respond import serving
from api.templating import render
from loaders.atom import AtomEntry, AtomFeed, write_atom
from loaders.release_files import diff_graph, diff_markdown, field_line
from loaders.skos import serialise
from vocab.errors import UnsupportedFormat
from vocab.release import Manifest
from vocab.release_shelf import ReleaseShelf

RELEASE_CACHE = "public, max-age=86400"
"""A release never changes; a day keeps a corrected deployment (new base URI) reachable."""

FEED_CHANGES = 200
"""Concept changes in the changes feed, newest release first."""


def shelf_of(request: Request) -> ReleaseShelf:
    """Return the server's releases."""
    shelf: ReleaseShelf = request.app.state.releases
    return shelf


def release_json(manifest: Manifest, base: str) -> dict[str, Any]:
    """Return a release's metadata, with its files' download addresses and checksums."""
    data = manifest.to_json()
    data["versionIRI"] = f"{base}/releases/{manifest.version}"
    data["url"] = data["versionIRI"]
    for artefact in data["artefacts"]:
        artefact["url"] = f"{base}/releases/{manifest.version}/files/{artefact['name']}"
    data.pop("base", None)
    return data


def diff_body(
    request: Request, shelf: ReleaseShelf, version: str, fmt: str, base: str
) -> tuple[bytes, str]:
    """Return a release's diff in `fmt` (json, md, html, ttl) and its media type."""
    document = shelf.history.diff(version)
    if fmt == "json":
        return orjson.dumps(document), "application/json"
    if fmt == "md":
        return diff_markdown(document).encode(), "text/markdown; charset=utf-8"
    if fmt == "ttl":
        return serialise(diff_graph(document, base), "ttl"), "text/turtle"
    if fmt == "html":
        data = {**release_json(shelf.manifest(version), base), "diff": document}
        page = render(
            serving(request).templates,
            "release.html",
            title=f"Release {version}",
            r=data,
            scheme=serving(request).vocabulary.scheme,
        )
        return page.encode(), "text/html; charset=utf-8"
    raise UnsupportedFormat(f"Unknown format '{fmt[:20]}'; use one of: json, md, html, ttl.")


def pinned_context(manifest: Manifest, concept_id: str, base: str) -> dict[str, Any]:
    """Return what a term page adds when it shows a concept as it was in a release."""
    return {
        "pinned": {
            "version": manifest.version,
            "date": manifest.date,
            "current": f"/terms/{quote(concept_id, safe='')}",
        },
        "versioned_uri": f"{base}/releases/{manifest.version}/terms/{concept_id}",
        "history": [],
        "latest": manifest.version,
    }


def term_release_context(
    request: Request, concept_id: str, version_iri: str | None
) -> dict[str, Any]:
    """Return the term page's history (releases that changed it) and its versioned URI."""
    shelf: ReleaseShelf | None = getattr(request.app.state, "releases", None)
    if shelf is None:
        return {"history": [], "versioned_uri": None, "latest": ""}
    history = shelf.history.of_concept(concept_id)
    latest = shelf.latest()
    versioned = None
    if version_iri:
        versioned = f"{version_iri}/terms/{concept_id}"
    elif latest is not None and history:
        versioned = f"{serving(request).base}/releases/{latest.version}/terms/{concept_id}"
    return {
        "history": history,
        "versioned_uri": versioned,
        "latest": latest.version if latest else "",
    }


def releases_feed(shelf: ReleaseShelf, base: str) -> bytes:
    """Return the Atom feed of releases, newest first."""
    manifests = list(reversed(shelf.manifests()))
    entries = [
        AtomEntry(
            id=f"{base}/releases/{m.version}",
            title=f"Release {m.version}",
            updated=m.date,
            link=f"{base}/releases/{m.version}",
            summary=m.notes.strip() or f"{m.concepts} concepts",
            content=", ".join(f"{n} {kind}" for kind, n in m.summary.items() if n),
        )
        for m in manifests
    ]
    updated = manifests[0].date if manifests else "1970-01-01"
    return write_atom(
        AtomFeed(
            f"{base}/releases.atom",
            "Releases",
            updated,
            f"{base}/releases.atom",
            f"{base}/releases",
            entries=entries,
        )
    )


def changes_feed(shelf: ReleaseShelf, base: str) -> bytes:
    """Return the Atom feed of concept changes, newest release first."""
    releases = list(reversed(shelf.history.changes()["releases"]))
    entries = []
    for r in releases:
        for change in r["changes"]:
            lines = [field_line(f) for f in change["fields"]]
            entries.append(
                AtomEntry(
                    id=f"{base}/releases/{r['version']}#{change['id']}",
                    title=f"{change['label']} ({change['id']}): {change['kind']} in {r['version']}",
                    updated=r["date"],
                    link=f"{base}/releases/{r['version']}/terms/{quote(change['id'], safe='')}",
                    summary=change["kind"],
                    content="\n".join(lines),
                    categories=(change["kind"],),
                )
            )
    updated = releases[0]["date"] if releases else "1970-01-01"
    return write_atom(
        AtomFeed(
            f"{base}/changes.atom",
            "Concept changes",
            updated,
            f"{base}/changes.atom",
            f"{base}/changes",
            entries=entries[:FEED_CHANGES],
        )
    )
