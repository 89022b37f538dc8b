"""`POST /align` (a vendor's term list against the vocabulary) and `GET /translate`."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import BaseDep, Community, VocabularyDep
from api.negotiation import choose, content_type
from loaders.sssom import alignment_sssom
from loaders.term_list import MAX_BYTES, kind_of_media_type, read_term_list
from vocab.align import Alignment, Translation, group_by_status
from vocab.errors import TooLarge
from vocab.normalize import MAX_QUERY_LENGTH

router = APIRouter(tags=["alignment"])

ALIGN_OFFERS = (("json", "application/json"), ("sssom", "text/tab-separated-values"), ("csv", "text/csv"))
ALIGN_MEDIA = dict(ALIGN_OFFERS)
ALIGN_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "object", "properties": {"terms": {"type": "array", "items": {"type": "string"}, "maxItems": 10000}}}},
        "text/plain": {"schema": {"type": "string", "description": "One term a line."}},
        "text/csv": {"schema": {"type": "string", "description": "A 'term' column, or the first column."}},
    },
}


async def read_body(request: Request, limit: int = MAX_BYTES) -> bytes:
    """Return the request body, refusing it as soon as it passes `limit` bytes (chunked too)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"The body is {int(declared):,} bytes; the limit is {limit:,}. Split the term list.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"The body passes the limit of {limit:,} bytes. Split the term list.")
        chunks.append(chunk)
    return b"".join(chunks)


def candidate_json(alignment: Alignment) -> list[dict[str, Any]]:
    return [
        {
            "uri": c.row.uri, "id": c.row.id, "prefLabel": c.row.pref_label,
            "predicate": f"skos:{c.predicate.value}", "confidence": c.confidence,
            "matched": c.matched, "usage": list(c.usage), "reason": c.reason,
            "justification": c.justification,
        }
        for c in alignment.candidates
    ]


def alignment_json(alignments: list[Alignment], community: str | None) -> bytes:
    return orjson.dumps({
        "community": community,
        "summary": {"terms": len(alignments), **group_by_status(alignments)},
        "results": [
            {"row": a.row, "term": a.term, "status": a.status, "note": a.note, "candidates": candidate_json(a)}
            for a in alignments
        ],
    })


def alignment_csv(alignments: list[Alignment]) -> bytes:
    """One row per input term, best candidate first, ready for review in a spreadsheet."""
    import csv
    import io

    from loaders.csv_table import spreadsheet_safe

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["row", "term", "status", "predicate", "concept", "prefLabel", "confidence",
                     "matched", "usage", "reason", "other candidates", "note"])
    for a in alignments:
        best = a.best
        others = "|".join(f"{c.row.pref_label} ({c.confidence:.2f})" for c in a.candidates if c is not best)
        cells = [str(a.row), a.term, a.status,
                 f"skos:{best.predicate.value}" if best else "", best.row.uri if best else "",
                 best.row.pref_label if best else "", f"{best.confidence:.3f}" if best else "",
                 best.matched if best else "", ",".join(best.usage) if best else "",
                 best.reason if best else "", others, a.note]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue().encode("utf-8")


def render_alignment(alignments: list[Alignment], fmt: str, *, community: str | None, base: str, set_id: str) -> bytes:
    """Return the response body of an alignment in json, sssom or csv."""
    if fmt == "sssom":
        return alignment_sssom(alignments, base=base, set_id=set_id)
    if fmt == "csv":
        return alignment_csv(alignments)
    return alignment_json(alignments, community)


@router.post("/align", summary="Align a term list with the vocabulary", openapi_extra={"requestBody": ALIGN_BODY},
             responses={200: {"content": {m: {} for m in ALIGN_MEDIA.values()}}, 413: {}, 415: {}, 422: {}})
async def align(
    request: Request, vocabulary: VocabularyDep, base: BaseDep,
    format: Annotated[str | None, Query(pattern="^(json|sssom|csv)$", description="json, sssom or csv; overrides Accept.")] = None,
    community: Annotated[Community | None, Query(description="Whose words the terms are; resolves false friends.")] = "industry",
    limit: Annotated[int, Query(ge=1, le=10, description="Candidates per term.")] = 3,
) -> Response:
    """For each term: candidate concepts with a SKOS predicate, a confidence, the matched label
    and its communities, and the reason; unmapped and ambiguous terms are reported as such."""
    kind = kind_of_media_type(request.headers.get("content-type"))
    terms = read_term_list(await read_body(request), kind)
    fmt = format or choose(request.headers.get("accept", "").encode("latin-1"), ALIGN_OFFERS, "json")
    digest = hashlib.sha256("\n".join(terms).encode()).hexdigest()[:12]
    body = await request.app.state.align_workers.align(
        terms, community=community, limit=limit, fmt=fmt, base=base,
        set_id=f"{base}/align#{vocabulary.digest[:8]}-{digest}",
    )
    return Response(body, media_type=content_type(ALIGN_MEDIA[fmt]), headers={"Cache-Control": "no-store"})


def translation_json(translation: Translation, source: str | None) -> dict[str, Any]:
    return {
        "term": translation.term,
        "to": translation.to,
        "from": source,
        "result": translation.result,
        "warning": translation.warning,
        "matches": [
            {
                "relationship": m.relationship,
                "concept": {"uri": m.row.uri, "id": m.row.id, "prefLabel": m.row.pref_label},
                "matched": m.row.pref_label if m.row.kind.value == "hidden" else m.row.text,
                "labels": [{"label": label, "usage": list(usage)} for label, usage in m.labels],
                "confidence": m.confidence,
                "note": m.note,
            }
            for m in translation.matches
        ],
    }


def translation_text(translation: Translation) -> str:
    from vocab.text import safe

    if not translation.matches:
        return safe(f'No concept is named "{translation.term}".') + "\n"
    lines = []
    for m in translation.matches:
        labels = ", ".join(label for label, _ in m.labels)
        lines.append(safe(f"{translation.term} → {translation.to}: {labels}  ({m.row.pref_label}, {m.relationship}) <{m.row.uri}>"))
    if translation.warning:
        lines.append(safe(f"Take care: {translation.warning}"))
    return "\n".join(lines) + "\n"


@router.get("/translate", summary="What another community calls a term")
def translate(
    request: Request, vocabulary: VocabularyDep,
    term: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH, description="The term to translate.")],
    to: Annotated[Community, Query(description="The community whose words you want.")],
    source: Annotated[Community | None, Query(alias="from", description="The community the term comes from, if known.")] = None,
    format: Annotated[str | None, Query(pattern="^(json|txt)$")] = None,
) -> Response:
    """The label(s) community `to` uses for the concept `term` names, with FHIR $translate
    relationships and a warning when `term` means different things in different communities."""
    translation = vocabulary.translate(term, to, source_community=source)
    fmt = format or choose(request.headers.get("accept", "").encode("latin-1"),
                           (("json", "application/json"), ("txt", "text/plain")), "json")
    if fmt == "txt":
        return Response(translation_text(translation), media_type="text/plain; charset=utf-8")
    return Response(orjson.dumps(translation_json(translation, source)), media_type="application/json",
                    headers={"Cache-Control": "public, max-age=300"})
