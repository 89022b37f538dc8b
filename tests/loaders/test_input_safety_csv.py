"""Hostile and malformed CSV is refused whole, naming the line; what is read exports cleanly.

Cases from `reliability-security-tests.md` D6 (CSV upload edge cases), C12 (invalid UTF-8),
C13 (uniqueness) and D2 (control characters must not break exports).
"""

from __future__ import annotations

import pytest

from loaders import RDF_FORMATS, WRITERS
from loaders.csv_table import COLUMNS, MAX_FIELD, read_csv
from loaders.skos import read_skos
from tests.conftest import BASE, FIXTURES, finishes_within
from vocab.errors import ParseError

HOSTILE = FIXTURES / "hostile"
HEADER = b"uri,id,prefLabel\r\n"


def row(id_: str, label: str = "alpha", uri: str = "") -> bytes:
    return f"{uri or BASE + '/terms/' + id_},{id_},{label}\r\n".encode()


def table(**cells: str) -> bytes:
    """A header and one row holding `cells`."""
    return (",".join(cells) + "\r\n" + ",".join(cells.values()) + "\r\n").encode()


def refusal(data: bytes) -> ParseError:
    with pytest.raises(ParseError) as refused:
        read_csv(data, base=BASE)
    return refused.value


# --- D6: encodings and structure ---------------------------------------------------------


def test_an_excel_bom_does_not_hide_the_first_column() -> None:
    concepts = read_csv(b"\xef\xbb\xbf" + HEADER + row("a"), base=BASE).snapshot.concepts
    assert [(c.id, c.uri) for c in concepts] == [("a", f"{BASE}/terms/a")]


@pytest.mark.parametrize(
    ("name", "message", "line"),
    [
        ("latin1.csv", "The CSV is not UTF-8; save it as UTF-8", 3),
        ("lone-surrogate-bytes.csv", "The CSV is not UTF-8; save it as UTF-8", 2),
        ("nul-byte.csv", "The CSV holds a NUL byte; remove it.", 2),
        ("duplicate-header.csv", "Duplicate columns: prefLabel.", 1),
        ("missing-uri-column.csv", "Missing required columns: uri; expected: uri, id,", 1),
        ("unterminated-quote.csv", "Not valid CSV: unexpected end of data", 2),
        ("duplicate-id.csv", "The id 'a' appears twice (lines 2 and 3).", 3),
        ("control-character.csv", "Column 'prefLabel' holds a control character '\\x1b'", 2),
        (
            "javascript-uri.csv",
            "Column 'uri': The IRI <javascript:alert(1)> has no allowed scheme",
            2,
        ),
        ("invalid-lang.csv", "Column 'lang': 'en GB' is not a language tag", 2),
    ],
)
def test_a_hostile_csv_is_refused_naming_the_line(name: str, message: str, line: int) -> None:
    refused = refusal((HOSTILE / name).read_bytes())
    assert message in refused.message
    assert refused.line == line


def test_a_utf16_csv_is_refused_with_the_fix() -> None:
    refused = refusal((HEADER + row("a")).decode().encode("utf-16"))
    assert refused.message == "The CSV is UTF-16; save it as UTF-8 (CSV UTF-8 in Excel). (line 1)"


@pytest.mark.parametrize("quoted", [False, True])
def test_a_field_over_the_limit_is_refused_naming_the_line(quoted: bool) -> None:
    field = "x" * (MAX_FIELD + 1)
    refused = refusal(HEADER + row("a") + row("b", f'"{field}"' if quoted else field))
    assert (refused.message, refused.line) == (
        f"Not valid CSV: field larger than field limit ({MAX_FIELD}) (line 3)",
        3,
    )


def test_a_field_at_the_limit_is_read() -> None:
    field = "x" * MAX_FIELD
    assert read_csv(HEADER + row("a", field), base=BASE).snapshot.concepts[0].pref_label() == field


@pytest.mark.parametrize("cell", ['"alpha"beta', '"alpha" ', '"al"pha"'])
def test_text_after_a_closing_quote_is_refused_not_guessed(cell: str) -> None:
    refused = refusal(HEADER + row("a", cell))
    assert (refused.message, refused.line) == ("Not valid CSV: ',' expected after '\"' (line 2)", 2)


def test_a_quote_inside_an_unquoted_cell_is_text() -> None:
    assert (
        read_csv(HEADER + row("a", 'al"pha"'), base=BASE).snapshot.concepts[0].pref_label()
        == 'al"pha"'
    )


def test_a_ragged_row_is_refused_naming_the_line() -> None:
    refused = refusal(HEADER + row("a") + b"http://e/b,b\r\n")
    assert (refused.message, refused.line) == ("The row has 2 cells; the header has 3. (line 3)", 3)


def test_a_hundred_thousand_columns_are_refused_at_once() -> None:
    """Unknown columns are ignored with a warning, up to the column cap; past it (issue 14:
    a header of 10^6 columns took 37 s and 452 MB) the file is refused before it is split."""
    data = b"uri,prefLabel," + b",".join(b"extra%d" % i for i in range(100_000)) + b"\r\n"
    with finishes_within(cpu_seconds=20), pytest.raises(ParseError, match="more than 100 columns"):
        read_csv(data, base=BASE)
    few = b"uri,prefLabel," + b",".join(b"extra%d" % i for i in range(90)) + b"\r\n"
    assert len(read_csv(few, base=BASE).problems) == 90


# --- D2, A18: text that would break exports or terminals ----------------------------------


@pytest.mark.parametrize("character", ["\x01", "\x1a", "\x1b", "\x7f", "\x85", "\x9b"])
@pytest.mark.parametrize("column", ["prefLabel", "definition", "notation", "id"])
def test_control_characters_are_refused_naming_column_and_line(character: str, column: str) -> None:
    cells = {
        "uri": f"{BASE}/terms/a",
        "id": "a",
        "prefLabel": "alpha",
        "definition": "def",
        "notation": "n1",
    }
    cells[column] = cells[column][:1] + character + cells[column][1:]
    refused = refusal(table(**cells))
    assert (refused.message, refused.line) == (
        f"Column '{column}' holds a control character {character!r}; remove it. (line 2)",
        2,
    )


def test_a_control_character_in_a_column_name_is_refused() -> None:
    refused = refusal(b"uri,prefLabel,\x1b[2J\r\n" + f"{BASE}/terms/a,alpha,x\r\n".encode())
    assert refused.line == 1
    assert "holds a control character '\\x1b'" in refused.message


@pytest.mark.parametrize(
    "lang", ["en GB", "\u202e", "en-", "e" * 9, "en-" + "-".join(["abc"] * 30)]
)
def test_a_malformed_language_tag_is_refused(lang: str) -> None:
    refused = refusal(table(uri=f"{BASE}/terms/a", prefLabel="alpha", lang=lang))
    assert refused.line == 2
    assert refused.message.startswith("Column 'lang':")


def test_tabs_line_breaks_and_bidi_marks_are_ordinary_text() -> None:
    data = table(
        uri=f"{BASE}/terms/a", prefLabel="al\tpha", definition='"line one\r\nline two \u200f\u05e2"'
    )
    concept = read_csv(data, base=BASE).snapshot.concepts[0]
    assert (concept.pref_label(), concept.definition()) == (
        "al\tpha",
        "line one\r\nline two \u200f\u05e2",
    )


AWKWARD = (
    "uri,id,prefLabel,altLabel,definition,notation,created\r\n"
    f'{BASE}/terms/a,a,"<script>alert(1)</script>","=HYPERLINK(""http://x"")|x@en-GB|@",'
    '"\u202egnp.exe ""quoted"" & <b>","1|2",2024-01-31\r\n'
)


@pytest.mark.parametrize("syntax", RDF_FORMATS)
def test_every_rdf_export_of_an_awkward_csv_reads_back(syntax: str) -> None:
    snapshot = read_csv(AWKWARD.encode(), base=BASE).snapshot
    again = read_skos(WRITERS[syntax](snapshot), syntax, base=BASE).snapshot
    assert again.concepts[0].labels == snapshot.concepts[0].labels
    assert again.concepts[0].definitions == snapshot.concepts[0].definitions


def test_a_csv_export_of_an_awkward_csv_reads_back() -> None:
    snapshot = read_csv(AWKWARD.encode(), base=BASE).snapshot
    assert read_csv(WRITERS["csv"](snapshot), base=BASE).snapshot.concepts == snapshot.concepts


@pytest.mark.parametrize("value", ["<script>", "31/01/2024", "2024-13", "yesterday"])
def test_a_date_that_is_not_a_date_is_dropped_and_reported(value: str) -> None:
    result = read_csv(table(uri=f"{BASE}/terms/a", prefLabel="alpha", created=value), base=BASE)
    assert result.snapshot.concepts[0].created is None
    assert [i.subject for i in result.problems] == [f"{BASE}/terms/a"]


# --- C13: uniqueness -----------------------------------------------------------------------


def test_a_duplicate_uri_is_refused_naming_both_lines() -> None:
    refused = refusal(HEADER + row("a") + row("b", uri=f"{BASE}/terms/a"))
    assert (refused.message, refused.line) == (
        f"The uri '{BASE}/terms/a' appears twice (lines 2 and 3). (line 3)",
        3,
    )


def test_ids_taken_from_uris_that_collide_become_unique() -> None:
    data = b"uri,prefLabel\r\nhttp://f/one/a,alpha\r\nhttp://f/two/a,beta\r\nhttp://f/three/a,gamma\r\n"
    ids = {c.uri: c.id for c in read_csv(data, base=BASE).snapshot.concepts}
    assert ids == {"http://f/one/a": "a", "http://f/two/a": "a-2", "http://f/three/a": "a-3"}


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("a b", "a-b"),
        ("a/b", "a-b"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "c"),
        ("caf\u00e9", "caf"),
    ],
)
def test_an_id_unsafe_in_a_url_is_sanitised_and_reported(given: str, stored: str) -> None:
    result = read_csv(table(uri=f"{BASE}/terms/x", id=given, prefLabel="alpha"), base=BASE)
    assert result.snapshot.concepts[0].id == stored
    assert [i.message for i in result.problems] == [
        f"The id '{given}' is not safe in a URL; it became '{stored}'."
    ]


def test_ids_that_collide_after_sanitising_become_unique_and_given_ids_win() -> None:
    """Row 2 takes its id from its URI, row 3 gives an unsafe id, row 4 the safe one: all
    three come to 'a-b', and the one given as-is keeps it."""
    data = (
        HEADER
        + row("", uri="http://f/one/a-b")
        + row("a b", uri="http://f/two")
        + row("a-b", uri="http://f/three")
    )
    ids = {c.uri: c.id for c in read_csv(data, base=BASE).snapshot.concepts}
    assert ids == {"http://f/one/a-b": "a-b-2", "http://f/two": "a-b-3", "http://f/three": "a-b"}


def test_the_header_names_every_column_the_reader_knows() -> None:
    refused = refusal(b"id,prefLabel\r\na,alpha\r\n")
    assert refused.message.endswith(f"expected: {', '.join(COLUMNS)}. (line 1)")


@pytest.mark.parametrize("syntax", RDF_FORMATS)
def test_a_file_name_with_control_characters_does_not_break_exports(syntax: str) -> None:
    """The file name never titles the scheme (issue 16), so it cannot carry controls into RDF."""
    snapshot = read_csv(HEADER + row("a"), base=BASE, source_name="evil\x1b[2J\x01.csv").snapshot
    assert snapshot.schemes[0].titles == ()
    assert read_skos(WRITERS[syntax](snapshot), syntax, base=BASE).snapshot.concepts
