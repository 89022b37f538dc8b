"""Content negotiation in one place: Accept (with q-values and wildcards) or ?format=.

>>> choose(b"text/html;q=0.1, text/turtle", TERM_OFFERS, default="txt")
'ttl'
>>> choose(b"*/*", TERM_OFFERS, default="txt")
'txt'
"""

from __future__ import annotations

from functools import lru_cache

from loaders import FORMATS, RDF_FORMATS

TEXT_TYPES = {"html": "text/html", "json": "application/json", "txt": "text/plain"}
TERM_REPRESENTATIONS: dict[str, str] = {
    "html": "text/html",
    "json": "application/json",
    **{name: FORMATS[name].media_type for name in RDF_FORMATS},
    "txt": "text/plain",
}
"""Representations of a concept URI, by ?format= name, with their media types."""

LOOKUP_REPRESENTATIONS: dict[str, str] = {
    "txt": "text/plain",
    "json": "application/json",
    "html": "text/html",
}
SEARCH_REPRESENTATIONS: dict[str, str] = {
    "json": "application/json",
    "html": "text/html",
    "txt": "text/plain",
}
Offers = tuple[tuple[str, str], ...]
TERM_OFFERS: Offers = tuple(TERM_REPRESENTATIONS.items())
LOOKUP_OFFERS: Offers = tuple(LOOKUP_REPRESENTATIONS.items())
SEARCH_OFFERS: Offers = tuple(SEARCH_REPRESENTATIONS.items())

EXTRA_ACCEPTED = {"application/xhtml+xml": "text/html", "application/x-turtle": "text/turtle"}


def content_type(media_type: str) -> str:
    """Return a Content-Type value, with charset for text types (before any other parameter).

    >>> content_type("text/csv; header=present")
    'text/csv; charset=utf-8; header=present'
    """
    base, _, params = media_type.partition(";")
    textual = base.startswith("text/") or base.endswith(("json", "+xml", "n-triples"))
    value = f"{base}; charset=utf-8" if textual else base
    return f"{value};{params}" if params else value


@lru_cache(maxsize=512)
def _parse_accept(accept: bytes) -> tuple[tuple[str, float, int], ...]:
    ranges = []
    for position, part in enumerate(accept.decode("latin-1").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((EXTRA_ACCEPTED.get(media, media), q, position))
    return tuple(ranges)


def _quality(media_type: str, ranges: tuple[tuple[str, float, int], ...]) -> tuple[float, int, int]:
    """Return (q, specificity, -position) of the most specific range matching `media_type`."""
    best: tuple[float, int, int] = (-1.0, -1, 0)
    kind = media_type.split("/")[0]
    for media, q, position in ranges:
        if media == media_type:
            specificity = 2
        elif media == f"{kind}/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (q, specificity, -position)
    return best


@lru_cache(maxsize=1024)
def choose(accept: bytes, offers: Offers, default: str) -> str:
    """Return the representation name to send for an Accept header.

    The highest q wins; an explicit type beats a wildcard at equal q; `default` answers a
    missing header, a bare wildcard and anything we cannot satisfy (documented policy:
    curl's `*/*` and unknown types get the default, never 406).
    """
    ranges = _parse_accept(accept) if accept else ()
    if not ranges:
        return default
    scored = []
    for name, media in offers:
        q, specificity, position = _quality(media, ranges)
        if q > 0 and specificity > 0:
            scored.append((q, specificity, position, name == default, name))
    if not scored:
        return default
    return max(scored)[4]
