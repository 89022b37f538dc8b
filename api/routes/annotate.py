"""`POST /annotate` (find every term in a document, link it, choose its sense) and its page.

The body is the document: plain text, Markdown or HTML (`Content-Type` text/plain,
text/markdown, text/html, or `?kind=`), or JSON `{"text": ..., "kind": ...}`. The answer
is JSON by default, or `?format=html|jsonld|csv|txt`. A form POST (the `/annotate` page
without JavaScript) answers the page with the result. At most `MAX_BYTES` and
`CONCURRENT` annotations at a time: past that, 429 with `Retry-After`.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

import anyio.to_thread
import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, Response

from api.deps import ServingDep, VocabularyDep
from api.limits import Gate
from api.negotiation import content_type
from api.openapi import errors, media
from api.respond import choose_format
from api.templating import render, safe_href
from loaders.annotation_in import KINDS, Document, kind_of, read_document
from loaders.annotation_out import ANNOTATION_FORMATS, media_type_of, write_annotation
from loaders.annotation_out import Annotated as Result
from vocab.annotate import MAX_CHARACTERS, Annotation, annotator_for
from vocab.errors import InvalidInput, TooLarge
from vocab.vocabulary import Vocabulary

router = APIRouter(tags=["annotation"])

MAX_BYTES = 1_000_000
"""The largest document accepted (bytes of UTF-8)."""
MAX_FORM_FIELDS = 16
"""A form post names text= and kind=; a form of more fields is refused before it is read."""
CONCURRENT = 2
"""Annotations run at once (one per core); more are refused with 429 rather than queued
(`api.limits.Gate`, the same back-pressure as the alignment queue and the rate limits)."""
RESULT_CSP = "sandbox; default-src 'none'"
"""An annotated HTML document is the caller's own markup: it may be shown, never run."""
EXAMPLE = (
    "In the trial, the CT images of 400 patients were segmented by the AI model, and "
    "precision and recall were reported on the validation set."
)

_slots = Gate(
    "annotate_slots",
    CONCURRENT,
    "The service is annotating other documents; try again in a second.",
    retry_after=1,
)
ANNOTATE_OFFERS = tuple((f.name, f.media_type) for f in ANNOTATION_FORMATS.values())
Format = Annotated[
    str | None,
    Query(pattern="^(" + "|".join(ANNOTATION_FORMATS) + ")$", description="Overrides Accept."),
]
Kind = Annotated[
    str | None,
    Query(pattern="^(" + "|".join(KINDS) + ")$", description="Overrides the Content-Type."),
]
Source = Annotated[
    str | None,
    Query(max_length=2000, description="The document's own URI, for the Web Annotation target."),
]
TEXT = {"type": "string", "pattern": r"\S", "description": "The document (not blank)."}
BODY = {
    "required": True,
    "content": {
        # a text body is characters, whatever JSON type a tool has in mind (as for /align)
        **{m: {"schema": {"type": "string", "format": "binary"}} for m in KINDS.values()},
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"text": TEXT, "kind": {"enum": list(KINDS)}},
                "required": ["text"],
            }
        },
    },
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The spans found, in the format asked for (Accept or ?format=)",
        "content": media([m for _, m in ANNOTATE_OFFERS]),
    },
    **errors(413, 422),
    429: {
        "description": "Every annotation slot is busy: try again after Retry-After seconds",
        "content": errors(429)[429]["content"],
    },
}


async def read_text(request: Request) -> tuple[str, str | None, bool]:
    """Return (text, kind named by the body or its type, whether it came from a form).

    Raises TooLarge past MAX_BYTES and InvalidInput for a body that is not UTF-8 or is empty.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise TooLarge(f"The document is {int(declared):,} bytes; the limit is {MAX_BYTES:,}.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise TooLarge(f"The document passes the limit of {MAX_BYTES:,} bytes; split it.")
        chunks.append(chunk)
    try:
        body = b"".join(chunks).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The body is not UTF-8 (byte {exc.start}); send the text as UTF-8."
        ) from None
    media = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    kind: str | None = media if media in KINDS.values() else None
    form = media == "application/x-www-form-urlencoded"
    if form:
        try:
            fields = parse_qs(body, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
        except ValueError:
            raise TooLarge(
                f"The form has more than {MAX_FORM_FIELDS} fields; send text= and kind= only."
            ) from None
        body, kind = fields.get("text", [""])[0], fields.get("kind", [None])[0]
    elif media == "application/json":
        body, kind = _json_text(body)
    if not body.strip():
        raise InvalidInput("There is no text to annotate; send it as the request body.")
    return body, kind, form


def _json_text(body: str) -> tuple[str, str | None]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidInput(
            'The JSON body could not be read; send {"text": "...", "kind": "text"}.'
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise InvalidInput('The JSON body needs a "text" string: {"text": "...", "kind": "text"}.')
    kind = data.get("kind")
    if "kind" in data and (not isinstance(kind, str) or kind not in KINDS):
        raise InvalidInput(f'"kind" must be one of: {", ".join(KINDS)}; or leave it out.')
    return data["text"], kind


def warm(vocabulary: Vocabulary) -> None:
    """Build the annotator of `vocabulary`'s release now (at startup, before a swap)."""
    annotator_for(vocabulary.store).warm()


async def annotate_document(vocabulary: Vocabulary, document: Document) -> Annotation:
    """Return the annotation of `document`; raise Refused (429) when every slot is busy."""
    with _slots.slot():
        annotator = annotator_for(vocabulary.store)
        return await anyio.to_thread.run_sync(
            lambda: annotator.annotate(document.text, document.segments)
        )


@router.post(
    "/annotate",
    summary="Find every term in a document, link it, and choose the sense meant",
    openapi_extra={"requestBody": BODY},
    responses=RESPONSES,
)
async def annotate(
    request: Request,
    vocabulary: VocabularyDep,
    serving: ServingDep,
    format: Format = None,
    kind: Kind = None,
    source: Source = None,
) -> Response:
    """Every span that names a concept: offsets into the input, the concept, how it matched,
    the communities that use the word, and for an ambiguous word the sense chosen, the
    alternatives with their scores and the false-friend warning."""
    text, named, form = await read_text(request)
    document = read_document(text, kind_of(kind or named))
    annotation = await annotate_document(vocabulary, document)
    if form and format is None:
        return HTMLResponse(
            page(serving, vocabulary, document, annotation), headers={"Cache-Control": "no-store"}
        )
    fmt = choose_format(request, ANNOTATE_OFFERS, "json", format)
    result = Result(annotation, document, safe_href(source or ""), vocabulary.digest)
    headers = {"Cache-Control": "no-store"}
    if fmt == "html":
        headers["Content-Security-Policy"] = RESULT_CSP
    return Response(
        write_annotation(result, fmt),
        media_type=content_type(media_type_of(fmt, document)),
        headers=headers,
    )


@router.get(
    "/annotate",
    response_class=HTMLResponse,
    summary="The annotate page: paste a text, see it linked (works without JavaScript)",
    responses={200: {"description": "The page", "content": {"text/html": {}}}},
)
def annotate_page(serving: ServingDep, vocabulary: VocabularyDep) -> HTMLResponse:
    """The page where a person pastes text and sees it linked."""
    return HTMLResponse(
        page(serving, vocabulary, None, None), headers={"Cache-Control": "public, max-age=300"}
    )


def page(
    serving: Any, vocabulary: Vocabulary, document: Document | None, annotation: Annotation | None
) -> str:
    """Return the annotate page, with the result of `document` when there is one."""
    pieces: list[tuple[str, Any]] = []
    if document is not None and annotation is not None:
        cursor = 0
        for span in annotation.spans:
            pieces += [
                (document.text[cursor : span.start], None),
                (document.text[span.start : span.end], span),
            ]
            cursor = span.end
        pieces.append((document.text[cursor:], None))
    return render(
        serving.templates,
        "annotate.html",
        scheme=vocabulary.scheme,
        title="Annotate a text",
        nav="annotate",
        text=document.text if document else "",
        kind=document.kind if document else "text",
        kinds=list(KINDS),
        example=EXAMPLE,
        pieces=pieces,
        annotation=annotation,
        max_characters=MAX_CHARACTERS,
    )
