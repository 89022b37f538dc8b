"""Atom feeds (RFC 4287): a feed of entries, written with the standard library's XML writer.

>>> feed = AtomFeed("urn:x", "Releases", "2026-12-02", "http://x/releases.atom", "http://x/releases")
>>> b"<title>Releases</title>" in write_atom(feed)
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

ATOM = "http://www.w3.org/2005/Atom"


def atom_time(day: str) -> str:
    """Return an Atom date-time for a date (midnight UTC) or a date-time as it is."""
    return day if "T" in day else f"{day}T00:00:00Z"


@dataclass(frozen=True)
class AtomEntry:
    id: str
    title: str
    updated: str
    link: str
    summary: str = ""
    content: str = ""
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class AtomFeed:
    id: str
    title: str
    updated: str
    self_link: str
    alternate: str
    author: str = "Shared AI vocabulary project"
    entries: list[AtomEntry] = field(default_factory=list)


def write_atom(feed: AtomFeed) -> bytes:
    """Return the feed as Atom XML (UTF-8, with an XML declaration)."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    root = ET.Element(f"{{{ATOM}}}feed")
    sub(root, "id", feed.id)
    sub(root, "title", feed.title)
    sub(root, "updated", atom_time(feed.updated))
    sub(root, "link", rel="self", href=feed.self_link, type="application/atom+xml")
    sub(root, "link", rel="alternate", href=feed.alternate)
    sub(sub(root, "author"), "name", feed.author)
    for e in feed.entries:
        entry = sub(root, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title)
        sub(entry, "updated", atom_time(e.updated))
        sub(entry, "link", rel="alternate", href=e.link)
        for term in e.categories:
            sub(entry, "category", term=term)
        if e.summary:
            sub(entry, "summary", e.summary)
        if e.content:
            sub(entry, "content", e.content, type="text")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data
