"""CSV in and out: one row per concept, RFC 4180, UTF-8, multi-valued cells joined by `|`.

Conventions (documented in the README):

- quoting and CRLF line ends follow RFC 4180 (`csv` module, `QUOTE_MINIMAL`);
- a multi-valued cell joins values with `|`; a `|` or `\\` inside a value is escaped as
  `\\|` or `\\\\`;
- a text value in another language than the row's `lang` ends with `@tag` (`Röntgen@de`);
  one in no language ends with a bare `@`;
- spreadsheet-safe by default: a cell a spreadsheet would run as a formula (starting
  with `=`, `+`, `-`, `@`, tab, CR or LF) gets a leading `'`; reading removes exactly one
  such `'`, so export and import round-trip. `raw=True` writes cells unchanged.

After the concept rows come companion rows for the scheme, the collections and the
described sources (`loaders.csv_groups`), so that the CSV carries what the RDF exports do.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from loaders.csv_cells import join, safe, split, tagged, unsafe, untag
from loaders.csv_groups import (
    COLLECTION_ROW,
    GROUP_COLUMNS,
    ORDERED_ROW,
    SCHEME_ROW,
    SOURCE_ROW,
    group_rows,
    iri_reader,
    read_collection,
    read_scheme,
    read_source_row,
    split_groups,
)
from loaders.rdf_input import check_iri
from vocab.errors import ParseError, TooLarge
from vocab.model import (
    COMMUNITIES,
    Collection,
    Concept,
    Label,
    LabelKind,
    LangText,
    Mapping,
    MatchKind,
    Note,
    NoteKind,
    Scheme,
    Snapshot,
    Status,
    canonical,
)
from vocab.problems import Problem, ReadResult, Severity

LABEL_COLUMNS = {
    LabelKind.PREF: "prefLabel",
    LabelKind.ACRONYM: "acronym",
    LabelKind.ALT: "altLabel",
    LabelKind.HIDDEN: "hiddenLabel",
}
NOTE_COLUMNS = {kind: kind.value for kind in NoteKind}
MATCH_COLUMNS = {kind: kind.value for kind in MatchKind}
USAGE_COLUMNS = {c: f"{c}Labels" for c in COMMUNITIES}
COLUMNS: tuple[str, ...] = (
    "uri",
    "id",
    "status",
    "replacedBy",
    "lang",
    *LABEL_COLUMNS.values(),
    "definition",
    "plainDefinition",
    *NOTE_COLUMNS.values(),
    "broader",
    "narrower",
    "related",
    *MATCH_COLUMNS.values(),
    "source",
    "citation",
    "page",
    "notation",
    "inScheme",
    "topConceptOf",
    "collections",
    *USAGE_COLUMNS.values(),
    "created",
    "modified",
    *GROUP_COLUMNS,
)
REQUIRED = ("uri", "prefLabel")
MAX_FIELD = 131_072
MAX_COLUMNS = 100  # columns a header may have (ours has 40; unknown ones are ignored)
MAX_BYTES = 64 * 1024 * 1024
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
# As the RDF readers: no C0/C1 controls but tab, LF, CR; xsd dates; ids safe in a URL path.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")
_ID_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")


def write_csv(snapshot: Snapshot, *, raw: bool = False) -> bytes:
    """Return the concepts of `snapshot` as CSV bytes (spreadsheet-safe unless `raw`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    tops = {uri: scheme for scheme, uris in snapshot.top_concepts.items() for uri in uris}
    member_of: dict[str, list[str]] = {}
    for collection in snapshot.collections:
        for member in collection.members:
            member_of.setdefault(member, []).append(collection.uri)
    for concept in snapshot.concepts:
        row = _row(concept, tops.get(concept.uri), member_of.get(concept.uri, []))
        writer.writerow([row.get(c, "") if raw else safe(row.get(c, "")) for c in COLUMNS])
    for row in group_rows(snapshot):
        writer.writerow([row.get(c, "") if raw else safe(row.get(c, "")) for c in COLUMNS])
    return out.getvalue().encode("utf-8")


def _row(c: Concept, top_of: str | None, collections: list[str]) -> dict[str, str]:
    pref = c.labels_of(LabelKind.PREF)
    lang = pref[0].lang if pref else ""

    def texts(items: Iterable[tuple[str, str]]) -> str:
        return join(tagged(text, item_lang, lang) for text, item_lang in items)

    row = {
        "uri": c.uri,
        "id": c.id,
        "status": c.status.value,
        "replacedBy": join(c.replaced_by),
        "lang": lang,
        "definition": texts((t.text, t.lang) for t in c.definitions),
        "plainDefinition": texts((t.text, t.lang) for t in c.plain_definitions),
        "broader": join(c.broader),
        "narrower": join(c.narrower),
        "related": join(c.related),
        "source": join(c.sources),
        "citation": texts((t.text, t.lang) for t in c.citations),
        "page": join(c.pages),
        "notation": join(c.notations),
        "inScheme": join(c.in_schemes),
        "topConceptOf": top_of or "",
        "collections": join(collections),
        "created": c.created or "",
        "modified": c.modified or "",
    }
    for label_kind, column in LABEL_COLUMNS.items():
        row[column] = texts((lb.text, lb.lang) for lb in c.labels_of(label_kind))
    for note_kind, column in NOTE_COLUMNS.items():
        row[column] = texts((n.text, n.lang) for n in c.notes if n.kind is note_kind)
    for match_kind, column in MATCH_COLUMNS.items():
        row[column] = join(c.matches(match_kind))
    for community, column in USAGE_COLUMNS.items():
        row[column] = texts((lb.text, lb.lang) for lb in c.labels if community in lb.usage)
    return row


def read_csv(
    data: bytes, *, base: str, source_name: str = "vocabulary.csv", max_bytes: int = MAX_BYTES
) -> ReadResult:
    """Return the concepts of a CSV file; raise ParseError naming the line at fault."""
    if len(data) > max_bytes:
        raise TooLarge(f"The CSV is {len(data):,} bytes; the limit is {max_bytes:,} bytes.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError("The CSV is UTF-16; save it as UTF-8 (CSV UTF-8 in Excel).", line=1)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ParseError("The CSV holds a NUL byte; remove it.", line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(
            "The CSV is not UTF-8; save it as UTF-8 (CSV UTF-8 in Excel).", line=line
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    csv.field_size_limit(MAX_FIELD)
    try:
        if text.split("\n", 1)[0].count(",") >= MAX_COLUMNS:  # refused before it is split
            message = f"The header row has more than {MAX_COLUMNS} columns; ours are: "
            raise ParseError(message + ", ".join(COLUMNS) + ".", line=1)
        header = next(reader, None)
        if not header:
            raise ParseError("The CSV is empty; the first row must name the columns.", line=1)
        header = [unsafe(h).strip() for h in header]
        _check_cells(dict.fromkeys(header, ""), 1)
        duplicates = sorted(h for h, n in Counter(header).items() if n > 1)
        if duplicates:
            raise ParseError(f"Duplicate columns: {', '.join(duplicates)}.", line=1)
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ParseError(
                f"Missing required columns: {', '.join(missing)}; expected: {', '.join(COLUMNS)}.",
                line=1,
            )
        unknown = [h for h in header if h not in COLUMNS]
        rows: list[tuple[int, dict[str, str]]] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) != len(header):
                raise ParseError(
                    f"The row has {len(row)} cells; the header has {len(header)}.", line=line
                )
            cells = {h: unsafe(v) for h, v in zip(header, row, strict=True) if h in COLUMNS}
            _check_cells(cells, line)
            rows.append((line, cells))
    except csv.Error as exc:
        raise ParseError(f"Not valid CSV: {exc}", line=reader.line_num) from None
    issues = [
        Problem("read", Severity.WARNING, "", f"Unknown column '{h}' was ignored.") for h in unknown
    ]
    rows, groups = split_groups(rows)
    ids = _explicit_ids(rows)
    uris: dict[str, int] = {}
    concepts: list[Concept] = []
    members: dict[str, list[str]] = {}
    tops: dict[str, list[str]] = {}
    for line, cells in rows:
        concept = _concept(cells, base, line, ids, issues)
        if concept.uri in uris:
            raise ParseError(
                f"The uri '{concept.uri}' appears twice (lines {uris[concept.uri]} and {line}).",
                line=line,
            )
        uris[concept.uri] = line
        concepts.append(concept)
        for uri in split(cells.get("collections", "")):
            members.setdefault(uri, []).append(concept.uri)
        if cells.get("topConceptOf"):
            tops.setdefault(cells["topConceptOf"], []).append(concept.uri)
    schemes = {
        s.uri: s for s in (read_scheme(c, iri_reader(line)) for line, c in groups[SCHEME_ROW])
    }
    for uri in sorted({s for c in concepts for s in c.in_schemes}) or [
        f"{base.rstrip('/')}/scheme"
    ]:
        if uri not in schemes:  # untitled: never a title made up from the file name
            schemes[uri] = Scheme(uri=uri)
    collections = {
        c.uri: c
        for c in (
            read_collection(cells, iri_reader(line))
            for line, cells in groups[COLLECTION_ROW] + groups[ORDERED_ROW]
        )
    }
    for uri, found in members.items():
        known = collections.get(uri) or Collection(id=uri.rstrip("/").rsplit("/", 1)[-1], uri=uri)
        extra = tuple(m for m in found if m not in known.members)
        collections[uri] = replace(known, members=known.members + extra)
    sources = (read_source_row(cells, iri_reader(line)) for line, cells in groups[SOURCE_ROW])
    snapshot = Snapshot(
        schemes=tuple(schemes.values()),
        concepts=tuple(concepts),
        collections=tuple(collections.values()),
        top_concepts={s: tuple(tops.get(s, ())) for s in schemes},
        bibliography=tuple(b for b in sources if b),
    )
    return ReadResult(canonical(snapshot), tuple(issues))


def _check_cells(cells: dict[str, str], line: int) -> None:
    """Refuse text that would break exports or terminals, and language tags that are not tags."""
    for column, value in cells.items():
        bad = _CONTROL.search(value) or _CONTROL.search(column)
        if bad:
            message = (
                f"Column {column[:60]!r} holds a control character {bad.group()!r}; remove it."
            )
            raise ParseError(message, line=line)
    lang = cells.get("lang", "").strip()
    if lang and (len(lang) > 64 or not _LANG.match(lang)):
        message = f"Column 'lang': '{lang[:70]}' is not a language tag such as en-GB."
        raise ParseError(message, line=line)


def _safe_id(text: str) -> str:
    return _ID_CHARS.sub("-", text).strip("-.") or "c"


def _explicit_ids(rows: list[tuple[int, dict[str, str]]]) -> set[str]:
    """Return the ids the file gives that are already URL-safe; refuse an id given twice."""
    first: dict[str, int] = {}
    for line, cells in rows:
        given = cells.get("id", "").strip()
        if given in first:
            raise ParseError(
                f"The id '{given[:60]}' appears twice (lines {first[given]} and {line}).", line=line
            )
        if given:
            first[given] = line
    return {given for given in first if _safe_id(given) == given}


def _concept(
    cells: dict[str, str], base: str, line: int, ids: set[str], issues: list[Problem]
) -> Concept:
    lang = cells.get("lang", "").strip()

    def texts(column: str) -> list[tuple[str, str]]:
        tagged = (untag(v, lang) for v in split(cells.get(column, "")))
        return [(text, tag) for text, tag in tagged if text.strip()]

    def iris(column: str) -> tuple[str, ...]:
        try:
            return tuple(check_iri(v.strip()) for v in split(cells.get(column, "")) if v.strip())
        except ParseError as exc:
            raise ParseError(f"Column '{column}': {exc.message}", line=line) from None

    def date(column: str) -> str | None:
        value = cells.get(column, "").strip()
        if value and not _DATE.match(value):
            reason = f"'{column}' '{value[:40]}' is not an xsd:date or dateTime; dropped."
            issues.append(Problem("read", Severity.WARNING, uri[0], reason))
            return None
        return value or None

    uri = iris("uri")
    if len(uri) != 1:
        raise ParseError("Each row needs exactly one 'uri'.", line=line)
    given = cells.get("id", "").strip()
    if given and given in ids:
        concept_id = given  # reserved by _explicit_ids
    else:
        candidate = _safe_id(given or uri[0].rstrip("/").rsplit("/", 1)[-1])
        concept_id, n = candidate, 1
        while concept_id in ids:
            n += 1
            concept_id = f"{candidate}-{n}"
        ids.add(concept_id)
        if given:
            reason = f"The id '{given[:60]}' is not safe in a URL; it became '{concept_id}'."
            issues.append(Problem("read", Severity.WARNING, uri[0], reason))
    usage: dict[tuple[str, str], list[str]] = {}
    for community, column in USAGE_COLUMNS.items():
        for item in texts(column):
            usage.setdefault(item, []).append(community)
    labels = tuple(
        Label(text, item_lang, kind, tuple(usage.get((text, item_lang), ())))
        for kind, column in LABEL_COLUMNS.items()
        for text, item_lang in texts(column)
    )
    if not any(lb.kind is LabelKind.PREF for lb in labels):
        raise ParseError("The row has no prefLabel.", line=line)
    try:
        status = Status(cells.get("status", "") or "active")
    except ValueError:
        raise ParseError(
            f"Unknown status '{cells.get('status')}'; use one of: {', '.join(s.value for s in Status)}.",
            line=line,
        ) from None
    return Concept(
        id=concept_id,
        uri=uri[0],
        labels=labels,
        definitions=tuple(LangText(t, lg) for t, lg in texts("definition")),
        plain_definitions=tuple(LangText(t, lg) for t, lg in texts("plainDefinition")),
        notes=tuple(
            Note(kind, t, lg) for kind, column in NOTE_COLUMNS.items() for t, lg in texts(column)
        ),
        broader=iris("broader"),
        narrower=iris("narrower"),
        related=iris("related"),
        mappings=tuple(
            Mapping(kind, t) for kind, column in MATCH_COLUMNS.items() for t in iris(column)
        ),
        sources=iris("source"),
        citations=tuple(LangText(t, lg) for t, lg in texts("citation")),
        pages=iris("page"),
        notations=tuple(split(cells.get("notation", ""))),
        in_schemes=iris("inScheme") or (f"{base.rstrip('/')}/scheme",),
        status=status,
        replaced_by=iris("replacedBy"),
        created=date("created"),
        modified=date("modified"),
    )


def spreadsheet_safe(cell: str) -> str:
    """Return `cell` with a leading `'` if a spreadsheet would run it as a formula."""
    return safe(cell)
