"""`GET /export?format=...`: the whole vocabulary as a download, cached per release."""

from __future__ import annotations

import re
import threading
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from starlette.responses import Response

from api.deps import VocabularyDep
from api.headers import EXPORT_CACHE
from api.negotiation import content_type
from loaders import FORMATS, WRITERS, get_format
from loaders.csv_table import write_csv
from vocab.vocabulary import Vocabulary

router = APIRouter(tags=["export"])
_lock = threading.Lock()
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def export_bytes(request: Request, vocabulary: Vocabulary, fmt: str, raw: bool) -> bytes:
    """Return the export, serialising it once per (release, format) and keeping it."""
    cache: dict[tuple[str, str, bool], bytes] = request.app.state.exports
    key = (vocabulary.digest, fmt, raw)
    if key not in cache:
        with _lock:
            if key not in cache:
                snapshot = vocabulary.snapshot()
                cache[key] = (
                    write_csv(snapshot, raw=True)
                    if fmt == "csv" and raw
                    else WRITERS[fmt](snapshot)
                )
    return cache[key]


def file_name(vocabulary: Vocabulary, extension: str) -> str:
    version = vocabulary.scheme.version or vocabulary.digest[:8]
    return _SLUG.sub("-", f"airt-vocabulary-{version}") + extension


@router.get("/export", summary="The whole vocabulary in one format")
def export(
    request: Request,
    vocabulary: VocabularyDep,
    format: Annotated[
        str, Query(max_length=20, description="One of: " + ", ".join(WRITERS))
    ] = "ttl",
    raw: Annotated[
        bool, Query(description="CSV only: leave formula-like cells as they are.")
    ] = False,
    if_none_match: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """Download as Turtle, RDF/XML, JSON-LD, N-Triples or CSV (spreadsheet-safe unless raw)."""
    fmt = get_format(format, purpose=WRITERS)  # type: ignore[arg-type]
    etag = f'"{vocabulary.digest}-{fmt.name}{"-raw" if raw else ""}"'
    headers = {
        "ETag": etag,
        "Cache-Control": EXPORT_CACHE,
        "Content-Disposition": f'attachment; filename="{file_name(vocabulary, fmt.extension)}"',
    }
    if if_none_match and etag in if_none_match:
        return Response(status_code=304, headers=headers)
    body = export_bytes(request, vocabulary, fmt.name, raw)
    media = content_type(FORMATS[fmt.name].media_type)
    if fmt.name == "csv":
        media += "; header=present"
    return Response(body, media_type=media, headers=headers)
