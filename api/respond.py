"""Answering with a representation: choose it, tag it, answer 304, or render it once.

Routes call `represent` with what to render; this module does the rest the same way for
every route: the ETag (release digest, what was asked for, the variant), `If-None-Match`
(RFC 9110 weak comparison), `Vary`, `Cache-Control`, and rendering through the answer
cache, keyed on the release digest.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from api.caching import etag, etag_matches
from api.negotiation import Offers, choose, content_type
from api.state import Serving
from vocab.errors import UnsupportedFormat
from vocab.vocabulary import Vocabulary


def serving(request: Request) -> Serving:
    """Return the server's `Serving` state."""
    state: Serving = request.app.state.serving
    return state


def choose_format(request: Request, offers: Offers, default: str, override: str | None) -> str:
    """Return the representation to send: `override` (?format=) if given, else by Accept.

    Raises UnsupportedFormat listing the choices for an unknown override.
    """
    names = [name for name, _ in offers]
    if override is not None:
        if override not in names:
            raise UnsupportedFormat(
                f"Unknown format '{override[:20]}'; use one of: {', '.join(names)}."
            )
        return override
    return choose(request.headers.get("accept", "").encode("latin-1"), offers, default)


def represent(
    request: Request,
    vocabulary: Vocabulary,
    *,
    key: tuple[str, ...],
    variant: str,
    media_type: str,
    render: Callable[[], bytes],
    cache_control: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """Return the answer for `key` in `variant`: 304 if the client has it, else the rendered body.

    The body is rendered once per release and kept in the answer cache.
    """
    tag = etag(vocabulary.digest[:12], *key, variant)
    out = {"ETag": tag, "Vary": "Accept", "Cache-Control": cache_control, **(headers or {})}
    if status == 200 and etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=out)
    body = serving(request).answers.get_or_make((vocabulary.digest, *key, variant), render)
    return Response(body, status_code=status, media_type=content_type(media_type), headers=out)
