"""The CSV's companion rows: the scheme, the collections and the cited sources.

After the concept rows, a CSV export holds one row per scheme (`type` ConceptScheme), per
collection (`Collection` or `OrderedCollection`) and per described source address
(`Source`), so that export -> import -> export keeps everything the RDF exports carry.
They use the concept columns where the meaning is the same and a few of their own:

| row | columns |
|---|---|
| ConceptScheme | `uri`, `lang`, `prefLabel` (dct:title), `definition` (dct:description), `version`, `license`, `publisher`, `creator`, `language`, `homepage`, `created`, `modified` |
| Collection, OrderedCollection | `uri`, `id`, `lang`, `prefLabel`, `definition`, `members` (in order) |
| Source | `uri`, `lang`, `prefLabel` (dct:title), `citation`, `publisher`, `issued` |

A concept row has an empty `type` (or `Concept`). A file without a ConceptScheme row
gets an untitled scheme: a title is never made up from the file name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from loaders.csv_cells import join, split, tagged, untag
from loaders.rdf_input import check_iri
from vocab.errors import ParseError
from vocab.model import Collection, LangText, Scheme, Snapshot, SourceInfo

SCHEME_ROW, COLLECTION_ROW, ORDERED_ROW, SOURCE_ROW = (
    "ConceptScheme",
    "Collection",
    "OrderedCollection",
    "Source",
)
ROW_TYPES = ("", "Concept", SCHEME_ROW, COLLECTION_ROW, ORDERED_ROW, SOURCE_ROW)
GROUP_COLUMNS = (
    "type",
    "version",
    "license",
    "publisher",
    "creator",
    "language",
    "homepage",
    "members",
    "issued",
)
"""Columns only the companion rows use (after every concept column)."""


def _texts(items: Iterable[LangText], lang: str) -> str:
    return join(tagged(t.text, t.lang, lang) for t in items)


def group_rows(snapshot: Snapshot) -> list[dict[str, str]]:
    """Return the companion rows of `snapshot`: schemes, collections, then sources."""
    rows: list[dict[str, str]] = []
    for s in snapshot.schemes:
        lang = s.titles[0].lang if s.titles else ""
        rows.append(
            {
                "type": SCHEME_ROW,
                "uri": s.uri,
                "lang": lang,
                "prefLabel": _texts(s.titles, lang),
                "definition": _texts(s.descriptions, lang),
                "version": s.version or "",
                "license": s.license or "",
                "publisher": s.publisher or "",
                "creator": join(s.creators),
                "language": join(s.languages),
                "homepage": s.homepage or "",
                "created": s.created or "",
                "modified": s.modified or "",
            }
        )
    for c in snapshot.collections:
        lang = c.labels[0].lang if c.labels else ""
        rows.append(
            {
                "type": ORDERED_ROW if c.ordered else COLLECTION_ROW,
                "uri": c.uri,
                "id": c.id,
                "lang": lang,
                "prefLabel": _texts(c.labels, lang),
                "definition": _texts(c.definitions, lang),
                "members": join(c.members),
            }
        )
    for b in snapshot.bibliography:
        rows.append(
            {
                "type": SOURCE_ROW,
                "uri": b.iri,
                "lang": "en",
                "prefLabel": tagged(b.title, "en", "en"),
                "citation": b.citation,
                "publisher": b.publisher,
                "issued": b.year,
            }
        )
    return rows


Iris = Callable[[dict[str, str], str], tuple[str, ...]]


Rows = list[tuple[int, dict[str, str]]]


def split_groups(rows: Rows) -> tuple[Rows, dict[str, Rows]]:
    """Return the concept rows, and the companion rows by type; refuse an unknown type."""
    concepts: Rows = []
    groups: dict[str, Rows] = {t: [] for t in ROW_TYPES}
    for line, cells in rows:
        kind = cells.get("type", "").strip()
        if kind not in ROW_TYPES:
            names = ", ".join(t for t in ROW_TYPES if t)
            raise ParseError(f"Unknown row type '{kind[:40]}'; use one of: {names}.", line=line)
        if kind in ("", "Concept"):
            concepts.append((line, cells))
            continue
        if len(split(cells.get("uri", "").strip())) != 1:
            raise ParseError(f"A {kind} row needs exactly one 'uri'.", line=line)
        groups[kind].append((line, cells))
    return concepts, groups


def iri_reader(line: int) -> Iris:
    def iris(cells: dict[str, str], column: str) -> tuple[str, ...]:
        try:
            return tuple(check_iri(v.strip()) for v in split(cells.get(column, "")) if v.strip())
        except ParseError as exc:
            raise ParseError(f"Column '{column}': {exc.message}", line=line) from None

    return iris


def read_scheme(cells: dict[str, str], iris: Iris) -> Scheme:
    """Return the scheme a ConceptScheme row describes."""
    lang = cells.get("lang", "").strip()

    def one(column: str) -> str | None:
        return cells.get(column, "").strip() or None

    return Scheme(
        uri=iris(cells, "uri")[0],
        titles=_lang_texts(cells.get("prefLabel", ""), lang),
        descriptions=_lang_texts(cells.get("definition", ""), lang),
        version=one("version"),
        license=one("license"),
        publisher=one("publisher"),
        creators=tuple(v for v in split(cells.get("creator", "")) if v.strip()),
        created=one("created"),
        modified=one("modified"),
        languages=tuple(v for v in split(cells.get("language", "")) if v.strip()),
        homepage=iris(cells, "homepage")[0] if one("homepage") else None,
    )


def read_collection(cells: dict[str, str], iris: Iris) -> Collection:
    """Return the collection a Collection or OrderedCollection row describes."""
    lang = cells.get("lang", "").strip()
    uri = iris(cells, "uri")[0]
    return Collection(
        id=cells.get("id", "").strip() or uri.rstrip("/").rsplit("/", 1)[-1],
        uri=uri,
        labels=_lang_texts(cells.get("prefLabel", ""), lang),
        definitions=_lang_texts(cells.get("definition", ""), lang),
        members=iris(cells, "members"),
        ordered=cells.get("type", "").strip() == ORDERED_ROW,
    )


def read_source_row(cells: dict[str, str], iris: Iris) -> SourceInfo | None:
    """Return the description a Source row gives, or None when it has no title."""
    title = cells.get("prefLabel", "").strip()
    if not title:
        return None
    return SourceInfo(
        iris(cells, "uri")[0],
        untag(title, "en")[0],
        cells.get("citation", "").strip(),
        cells.get("publisher", "").strip(),
        cells.get("issued", "").strip(),
    )


def _lang_texts(cell: str, lang: str) -> tuple[LangText, ...]:
    tagged_texts = (untag(v, lang) for v in split(cell))
    return tuple(LangText(text, tag) for text, tag in tagged_texts if text.strip())
