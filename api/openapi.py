"""`/openapi.json` that tells the truth: every media type, every status, the real error body.

FastAPI generates the paths from the routes; `describe` then corrects what it cannot know:
the representations a negotiating route answers, the statuses our error table gives, the
error body (`{"error": {"code", "message"}}`, also for 422, where FastAPI would document
its own `{"detail": ...}`), the JSON Schemas of the answers (`api.schemas`), parameter
descriptions, and `/lookup/{text}`, which a bare ASGI handler serves. Routes of new faces
declare their responses with `negotiated` and `errors` below.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api import schemas
from api.fhir import openapi as fhir_openapi
from api.fhir import valueset
from api.negotiation import LOOKUP_REPRESENTATIONS, SEARCH_REPRESENTATIONS, TERM_REPRESENTATIONS
from api.rootpath import ROOT
from loaders import FORMATS, WRITERS
from loaders.alignment_out import ALIGNMENT_FORMATS
from vocab.vocabulary import Vocabulary

Responses = dict[int | str, dict[str, Any]]

STATUS_TEXT = {
    301: "Moved: the concept was merged into another (Location)",
    303: "See other",
    304: "Not modified (If-None-Match matched the ETag)",
    400: "The request could not be read: an unknown format, a malformed body or query",
    404: "Nothing has this id or name; the message says where to look",
    405: "Method not allowed",
    410: "Gone: withdrawn with no successor; the body explains",
    413: "Too large",
    415: "Unsupported body type",
    422: "A parameter is missing or invalid; the message names it",
    429: "Too many requests from your address, or the work queue is full: try again after Retry-After seconds",
    501: "Not implemented (an oEmbed format other than json)",
    503: "Cannot answer now (a query ran too long, or the service is busy)",
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


ERROR_CONTENT = {"application/json": {"schema": ref("Error")}, "text/html": {}}


def errors(*statuses: int) -> Responses:
    """Return error responses (JSON `Error`, or an HTML page for a browser) for `statuses`."""
    return {
        s: {"description": STATUS_TEXT.get(s, "Error"), "content": ERROR_CONTENT} for s in statuses
    }


def media(offers: dict[str, str] | list[str], schema: str | None = None) -> dict[str, Any]:
    """Return OpenAPI content for media types; `schema` describes the application/json one."""
    types = offers.values() if isinstance(offers, dict) else offers
    json = {"schema": ref(schema) if schema else {"type": "object"}}
    return {m: (json if m == "application/json" else {}) for m in dict.fromkeys(types)}


def negotiated(offers: dict[str, str], *statuses: int, schema: str | None = None) -> Responses:
    """Return the responses of a route that negotiates among `offers` (Accept or ?format=)."""
    return {
        200: {
            "description": "The representation asked for (Accept or ?format=)",
            "content": media(offers, schema),
        },
        304: {"description": STATUS_TEXT[304]},
        **errors(400, 422, *statuses),
    }


EXPORT_FORMATS = [name for name in WRITERS] + [a for n in WRITERS for a in FORMATS[n].aliases]
OVERRIDES: dict[tuple[str, str], Responses] = {
    ("get", "/terms/{concept_id}"): {
        **negotiated(TERM_REPRESENTATIONS, 404, schema="Concept"),
        301: {"description": STATUS_TEXT[301]},
        410: {"description": STATUS_TEXT[410], "content": media(TERM_REPRESENTATIONS, "Concept")},
    },
    ("get", "/search"): negotiated(SEARCH_REPRESENTATIONS, schema="SearchResults"),
    ("get", "/suggest"): negotiated({"json": "application/json"}, schema="Suggestions"),
    ("get", "/export"): negotiated({n: FORMATS[n].media_type for n in WRITERS}),
    ("post", "/align"): {
        200: {
            "description": "One result per term",
            "content": media([f.media_type for f in ALIGNMENT_FORMATS.values()], "Alignment"),
        },
        **errors(400, 413, 415, 422),
    },
    ("get", "/translate"): {
        200: {
            "description": "What the community calls it",
            "content": media(["application/json", "text/plain"], "Translation"),
        },
        **errors(422),
    },
    ("get", "/embed/{concept_id}"): {
        **negotiated({"html": "text/html"}, 404),
        410: {"description": STATUS_TEXT[410], "content": {"text/html": {}}},
    },
    ("get", "/oembed"): {
        200: {
            "description": "oEmbed 1.0 (type rich)",
            "content": media(["application/json"], "OEmbed"),
        },
        **errors(404, 422, 501),
    },
    ("get", "/define"): negotiated({"json": "application/json"}, 404, schema="Define"),
    ("get", "/releases"): negotiated(
        {"json": "application/json", "html": "text/html"}, schema="Releases"
    ),
    ("get", "/releases/{version}"): negotiated(
        {"json": "application/json", "html": "text/html"}, 404, schema="Release"
    ),
    ("get", "/releases/{version}/diff"): {
        200: {
            "description": "The diff as JSON, Markdown, an HTML page or RDF (?format=)",
            "content": media(
                ["application/json", "text/markdown", "text/html", "text/turtle"], "ReleaseDiff"
            ),
        },
        **errors(400, 404, 422),
    },
    ("get", "/releases/{version}/files/{name}"): {
        200: {
            "description": "The file as released (its SHA-256 in X-Checksum-SHA256)",
            "content": media(
                [FORMATS[n].media_type for n in WRITERS] + ["text/markdown", "application/json"]
            ),
        },
        **errors(404),
    },
    ("get", "/releases/{version}/terms/{concept_id}"): {
        **negotiated(TERM_REPRESENTATIONS, 404, 503, schema="Concept"),
        301: {"description": STATUS_TEXT[301]},
        410: {"description": STATUS_TEXT[410], "content": media(TERM_REPRESENTATIONS, "Concept")},
    },
    ("get", "/changes"): {
        200: {"description": "What changed", "content": media(["application/json"], "Changes")},
        **errors(422),
    },
    ("get", "/releases.atom"): {
        200: {"description": "Atom feed", "content": {"application/atom+xml": {}}},
        304: {"description": STATUS_TEXT[304]},
    },
    ("get", "/changes.atom"): {
        200: {"description": "Atom feed", "content": {"application/atom+xml": {}}},
        304: {"description": STATUS_TEXT[304]},
    },
    ("get", "/health"): {
        200: {
            "description": "Liveness: the process is up (the store is not read)",
            "content": media(["application/json"], "Health"),
        },
    },
    ("get", "/ready"): {
        200: {
            "description": "Ready: the store passed its last integrity check (quick_check)",
            "content": media(["application/json"], "Ready"),
        },
        **errors(503),
    },
}
PARAMETER_HELP = {
    "concept_id": "A concept id, such as t0133 (a trailing .ttl, .json, ... picks the format).",
    "version": "A release version: a date, YYYY-MM-DD, with .2, .3 ... for a later one that day.",
    "name": "A file of the release, as its manifest names it (vocabulary.ttl, source/scheme.ttl).",
    "collection_id": "A collection id, such as evaluation.",
    "resource_id": "The id of the resource (the search of its type lists them).",
    "limit": "How many results.",
    "include_deprecated": "Also find deprecated, merged and withdrawn concepts.",
    "format": "Override Accept with a format name.",
    "maxwidth": "The widest the embed may be, in px.",
    "maxheight": "The tallest the embed may be, in px.",
    "plain": "Also show the plain-language definition.",
    "lang": "Only labels in this language (BCP 47), such as en-US.",
}
LIMITED: tuple[tuple[str, str], ...] = (
    ("get", "/lookup/{text}"),
    ("get", "/search"),
    ("get", "/suggest"),
    ("get", "/export"),
    ("get", "/sparql"),
    ("post", "/sparql"),
    ("post", "/align"),
    ("post", "/annotate"),
)
"""Operations a rate limit or a bounded queue may answer 429 (`api.limits`)."""
METRICS_PATH = {
    "get": {
        "tags": ["operations"],
        "summary": "Metrics in the Prometheus text format",
        "description": (
            "Requests by route template and status with their latency, the answer caches' "
            "hits and misses, the search stages reached, the alignment queue and every "
            "request refused with 429. Counts are per server process."
        ),
        "responses": {
            "200": {
                "description": "The Prometheus text exposition (version 0.0.4)",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        },
    }
}
LOOKUP_PATH = {
    "get": {
        "tags": ["lookup"],
        "summary": "Exact lookup by acronym or label, in tiers",
        "description": (
            "Any case, accent or spelling variant. Plain text for curl (first line "
            "`ACRONYM — Preferred label`), JSON for `Accept: application/json`, a redirect "
            "to the concept page for browsers. Ambiguous text answers every sense; no match "
            "is a 404 listing the nearest terms."
        ),
        "parameters": [
            {
                "name": "text",
                "in": "path",
                "required": True,
                "description": "The acronym or label.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 200},
            },
            {
                "name": "format",
                "in": "query",
                "required": False,
                "description": "Override Accept.",
                "schema": {"type": "string", "enum": list(LOOKUP_REPRESENTATIONS)},
            },
        ],
        "responses": {
            "200": {
                "description": "One or more senses",
                "content": media(["text/plain", "application/json"], "Lookup"),
            },
            "303": {"description": "Browsers are sent to the concept or search page"},
            "304": {"description": STATUS_TEXT[304]},
            "404": {
                "description": "No match; the body lists the nearest terms",
                "content": {"text/plain": {}, "application/json": {"schema": ref("LookupMiss")}},
            },
            "422": {
                "description": STATUS_TEXT[422],
                "content": {"application/json": {"schema": ref("Error")}},
            },
        },
    }
}


NO_CONTROL = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
VISIBLE = rf"^{NO_CONTROL}*[^\s\x00-\x1f\x7f-\x9f]{NO_CONTROL}*$"
"""A text parameter: one visible character at least, and no control character (tab and line
breaks aside: those are spacing, which is collapsed); see `vocab.normalize.clean_query`."""


def describe(schema: dict[str, Any], vocabulary: Vocabulary) -> dict[str, Any]:
    """Return the generated schema corrected as the module docstring says, for one release."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    components.update(schemas.components())
    schema["paths"]["/lookup/{text}"] = LOOKUP_PATH
    schema["paths"]["/metrics"] = METRICS_PATH
    for method, path in LIMITED:
        if method in schema["paths"].get(path, {}):
            schema["paths"][path][method].setdefault("responses", {})["429"] = errors(429)[429]
    examples = release_examples(vocabulary)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if "422" in responses and "HTTPValidationError" in str(responses["422"]):
                responses["422"] = errors(422)[422]
            for status, response in OVERRIDES.get((method, path), {}).items():
                responses[str(status)] = response
            for status in ("301", "303"):  # a redirect has no body to describe
                responses.get(status, {}).pop("content", None)
            content = responses.get("200", {}).get("content", {})
            if content.get("application/json") == {"schema": {}}:  # FastAPI's default, not ours
                del content["application/json"]
            for parameter in operation.get("parameters", []):
                _describe_parameter(method, path, parameter, examples)
    body = schema["paths"]["/align"]["post"]["requestBody"]["content"]
    body["application/json"]["schema"]["required"] = ["terms"]
    body["application/json"]["schema"]["properties"]["terms"] |= {
        "minItems": 1,
        "items": {
            "type": "string",
            "pattern": f"^{NO_CONTROL}*$",
            "description": "A term (no control character); one with no letter or digit is reported invalid.",
        },
    }
    for kind in (
        "text/plain",
        "text/csv",
    ):  # a text body is lines, whatever JSON type a tool has in mind
        body[kind] = {"schema": {"type": "string", "format": "binary"}}
    return schema


def release_examples(vocabulary: Vocabulary) -> dict[str, Any]:
    """Return what the parameters of this release can be: example ids and the collection ids."""
    refs = vocabulary.store.concept_refs_sorted()
    collections = [c.id for c in vocabulary.collections()]
    value_sets = [kind.resource_id for kind in valueset.all_kinds(vocabulary)]
    return {
        "resource_ids": fhir_openapi.resource_ids(value_sets),
        "concept_id": refs[0].id if refs else None,
        "collection_id": collections[0] if collections else None,
        "collections": collections,
    }


def _describe_parameter(
    method: str, path: str, parameter: dict[str, Any], examples: dict[str, Any]
) -> None:
    name = parameter["name"]
    if not parameter.get("description") and name in PARAMETER_HELP:
        parameter["description"] = PARAMETER_HELP[name]
    if examples.get(name):
        parameter["example"] = examples[name]
    schema = parameter.setdefault("schema", {})
    if name == "resource_id" and path in examples["resource_ids"]:
        parameter["schema"] = {"type": "string", "enum": examples["resource_ids"][path]}
    elif (method, path, name) == ("get", "/export", "format"):
        parameter["schema"] = {"type": "string", "enum": EXPORT_FORMATS, "default": "ttl"}
    elif name == "collection" and examples["collections"]:
        parameter["schema"] = {
            "anyOf": [{"type": "string", "enum": examples["collections"]}, {"type": "null"}]
        }
    elif (method, path, name) == ("get", "/terms/{concept_id}", "format"):
        formats = ["", *TERM_REPRESENTATIONS]  # empty: not given, negotiate by Accept
        parameter["schema"] = {"anyOf": [{"type": "string", "enum": formats}, {"type": "null"}]}
    elif name in ("q", "term", "text") and schema.get("type") == "string":
        schema["pattern"] = VISIBLE


def build(app: FastAPI) -> dict[str, Any]:
    """Return the service's OpenAPI description for the release it serves (kept per release)."""
    vocabulary: Vocabulary = app.state.serving.vocabulary
    if app.openapi_schema is None or app.openapi_schema.get("x-release") != vocabulary.digest:
        generated = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        app.openapi_schema = describe(generated, vocabulary) | {"x-release": vocabulary.digest}
    root = ROOT.get()
    if root:  # served under a sub-path: clients must prefix every path with it
        return app.openapi_schema | {"servers": [{"url": root}]}
    return app.openapi_schema


def allowed_methods(app: FastAPI, path: str) -> str:
    """Return the Allow header for `path`: every method its operations document ('' if none)."""
    for template, operations in app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), path):
            methods = {m.upper() for m in operations} | {"OPTIONS"}
            if "GET" in methods:
                methods.add("HEAD")
            return ", ".join(sorted(methods))
    return ""
