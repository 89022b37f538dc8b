"""`GET /export?format=...`: the whole vocabulary as a download, cached per release."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import VocabularyDep
from api.headers import EXPORT_CACHE
from api.respond import represent
from loaders import FORMATS, WRITERS, get_format
from loaders.csv_table import write_csv
from vocab.vocabulary import Vocabulary

router = APIRouter(tags=["export"])
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def export_bytes(vocabulary: Vocabulary, fmt: str, raw: bool) -> bytes:
    """Return the whole vocabulary in format `fmt` (CSV `raw`: without formula neutralisation)."""
    snapshot = vocabulary.snapshot()
    return write_csv(snapshot, raw=True) if fmt == "csv" and raw else WRITERS[fmt](snapshot)


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
) -> Response:
    """Download as Turtle, RDF/XML, JSON-LD, N-Triples or CSV (spreadsheet-safe unless raw)."""
    fmt = get_format(format, purpose=WRITERS)  # type: ignore[arg-type]
    disposition = f'attachment; filename="{file_name(vocabulary, fmt.extension)}"'
    return represent(
        request,
        vocabulary,
        key=("export", "raw" if raw else ""),
        variant=fmt.name,
        media_type=FORMATS[fmt.name].media_type + ("; header=present" if fmt.name == "csv" else ""),
        render=lambda: export_bytes(vocabulary, fmt.name, raw),
        cache_control=EXPORT_CACHE,
        headers={"Content-Disposition": disposition},
    )
