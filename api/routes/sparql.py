"""`/sparql`: the SPARQL 1.1 query protocol over the released vocabulary (read-only, bounded).

GET with `query=`, POST with a `query=` form or an `application/sparql-query` body. Without
a query, the service description. The engine (timeouts, caps, refusals) is `api.sparql`.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.caching import etag, etag_matches
from api.deps import BaseDep, VocabularyDep
from api.linked_data import RDF_OFFERS
from api.negotiation import content_type
from api.openapi import errors, media
from api.respond import choose_format, represent
from api.sparql import FORMAT_NAMES, GRAPH_OFFERS, MAX_QUERY_CHARS, SOLUTION_OFFERS, SparqlEndpoint
from loaders.dataset_graphs import service_graph
from loaders.skos import serialise
from vocab.errors import TooLarge, UnsafeInput, UnsupportedFormat
from vocab.vocabulary import Vocabulary

MAX_FORM_FIELDS = 64
"""query=, format=, and a few default-graph-uri= (refused, but with a clear message)."""
router = APIRouter(tags=["sparql"])
SPARQL_CACHE = "public, max-age=300"
RESULTS_JSON = "application/sparql-results+json"
RESULTS_SCHEMA = {
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {"type": "object"},
        "results": {"type": "object"},
        "boolean": {"type": "boolean"},
    },
    "description": "SPARQL 1.1 Query Results JSON Format",
}
ANSWER_TYPES = list(dict.fromkeys(m for _, m in (*SOLUTION_OFFERS, *GRAPH_OFFERS)))
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Results (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE), by Accept or format=",
        "content": media(ANSWER_TYPES) | {RESULTS_JSON: {"schema": RESULTS_SCHEMA}},
    },
    304: {"description": "Not modified (If-None-Match)"},
    **errors(400, 413, 415, 422, 503),
}
GET_QUERY_CHARS = 2_000
"""Longer queries go by POST: a URL this long already passes 12 kB once percent-encoded."""
QueryText = Annotated[
    str | None,
    Query(
        max_length=GET_QUERY_CHARS,
        examples=["SELECT ?concept ?label WHERE { ?concept skos:prefLabel ?label } LIMIT 5"],
        description="A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE); without it, the service description. Longer than 2,000 characters: POST it.",
    ),
]
Format = Annotated[
    str | None,
    Query(
        pattern="^(" + "|".join(FORMAT_NAMES) + ")$",
        description="Override Accept: " + ", ".join(FORMAT_NAMES),
    ),
]


def endpoint(request: Request) -> SparqlEndpoint:
    engine: SparqlEndpoint = request.app.state.sparql
    return engine


async def answer(
    request: Request, vocabulary: Vocabulary, query: str, format: str | None
) -> Response:
    """Return the answer to a query, with an ETag (304 when the client has it)."""
    accept = request.headers.get("accept", "").encode("latin-1")
    tag = etag(vocabulary.digest[:12], "sparql", query, accept.decode("latin-1"), format or "")
    headers = {
        "ETag": tag,
        "Vary": "Accept",
        "Cache-Control": SPARQL_CACHE if request.method == "GET" else "no-store",
    }
    if etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    result = await endpoint(request).query(vocabulary, query, accept, format)
    if result.truncated:
        headers["X-Result-Truncated"] = f"only the first {endpoint(request).cap} results are given"
    return Response(result.body, media_type=content_type(result.media_type), headers=headers)


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (GET), read-only, with a timeout and a result cap",
    responses=RESPONSES,
)
async def sparql_get(
    request: Request,
    vocabulary: VocabularyDep,
    base: BaseDep,
    query: QueryText = None,
    format: Format = None,
) -> Response:
    """Run a query; without one, describe the service (Turtle by default)."""
    params = request.query_params  # undeclared: refused when present (one dataset only)
    refuse_datasets(params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))
    if query is None:
        return description(request, vocabulary, base, format)
    return await answer(request, vocabulary, query, format)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (POST: a query= form or an application/sparql-query body)",
    responses=RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/sparql-query": {
                    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS}
                },
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["query"],
                        "properties": {
                            "query": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": MAX_QUERY_CHARS,
                            }
                        },
                    }
                },
            },
        }
    },
)
async def sparql_post(
    request: Request, vocabulary: VocabularyDep, format: Format = None
) -> Response:
    """Run the posted query; updates are refused (this endpoint is read-only)."""
    return await answer(request, vocabulary, await posted_query(request), format)


async def posted_query(request: Request) -> str:
    """Return the query a POST carries; raise 415, TooLarge, UnsafeInput for an update."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/sparql-update":
        raise UnsafeInput("This endpoint is read-only: SPARQL updates are refused.")
    if kind not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        raise HTTPException(415, "Send the query as application/sparql-query, or as a query= form.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_QUERY_CHARS * 4:
            raise TooLarge(f"The body passes {MAX_QUERY_CHARS * 4:,} bytes.")
    text = body.decode("utf-8", errors="replace")
    if kind == "application/sparql-query":
        return text
    try:
        form = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise TooLarge(
            f"The form has more than {MAX_FORM_FIELDS} fields; send query= (and format=) only."
        ) from None
    if "update" in form:
        raise UnsafeInput("This endpoint is read-only: SPARQL updates are refused.")
    refuse_datasets(form.get("default-graph-uri"), form.get("named-graph-uri"))
    if not form.get("query"):
        raise UnsupportedFormat("The form has no query= field; send query=SELECT ...")
    return form["query"][0]


def refuse_datasets(default: list[str] | None, named: list[str] | None) -> None:
    if default or named:
        raise UnsupportedFormat(
            "This endpoint has one dataset, the vocabulary: leave out default-graph-uri and named-graph-uri."
        )


def description(
    request: Request, vocabulary: Vocabulary, base: str, format: str | None
) -> Response:
    """Return the SPARQL service description in the RDF syntax asked for."""
    fmt = choose_format(
        request, tuple(RDF_OFFERS.items()), "ttl", format if format in RDF_OFFERS else None
    )
    return represent(
        request,
        vocabulary,
        key=("sparql-description",),
        variant=fmt,
        media_type=RDF_OFFERS[fmt],
        render=lambda: serialise(service_graph(base), fmt),
        cache_control=SPARQL_CACHE,
    )
