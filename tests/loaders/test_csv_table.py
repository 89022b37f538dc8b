"""CSV export and import: RFC 4180, `|`-joined values, spreadsheet-safe cells, round trip."""

from __future__ import annotations

import csv
import io

import pytest

from loaders.csv_table import COLUMNS, read_csv, write_csv
from tests.conftest import BASE
from vocab.model import Concept, Label, LabelKind, LangText, Scheme, Snapshot

FORMULAS = [
    '=HYPERLINK("http://x","click")',
    "+1",
    "@SUM(A1)",
    "-2+3",
    "\t=1+1",
    "\r=1",
    "'=already quoted",
]


def snapshot_of(*concepts: Concept) -> Snapshot:
    return Snapshot(
        schemes=(Scheme(uri=f"{BASE}/scheme"),),
        concepts=concepts,
        top_concepts={f"{BASE}/scheme": ()},
    )


def concept(pref: str, *, alt: tuple[str, ...] = (), definition: str = "A definition.") -> Concept:
    labels = (
        Label(pref, "en-GB", LabelKind.PREF),
        *tuple(Label(a, "en-GB", LabelKind.ALT) for a in alt),
    )
    return Concept(
        id="c1",
        uri=f"{BASE}/terms/c1",
        labels=labels,
        definitions=(LangText(definition, "en-GB"),),
        in_schemes=(f"{BASE}/scheme",),
    )


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_rows_end_with_crlf_and_start_with_a_header(shipped) -> None:  # type: ignore[no-untyped-def]
    data = write_csv(shipped.snapshot())
    assert data.startswith(",".join(COLUMNS).encode() + b"\r\n")
    assert data.count(b"\r\n") >= shipped.store.count() + 1


def test_every_row_has_as_many_cells_as_the_header(shipped) -> None:  # type: ignore[no-untyped-def]
    assert {len(row) for row in cells(write_csv(shipped.snapshot()))} == {len(COLUMNS)}


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_like_cells_are_neutralised(formula: str) -> None:
    rows = cells(write_csv(snapshot_of(concept("scanner", definition=formula))))
    definition = rows[1][COLUMNS.index("definition")]
    assert definition.startswith("'")


@pytest.mark.parametrize("formula", FORMULAS)
def test_raw_export_leaves_cells_unchanged(formula: str) -> None:
    rows = cells(write_csv(snapshot_of(concept("scanner", definition=formula)), raw=True))
    assert rows[1][COLUMNS.index("definition")] == formula


@pytest.mark.parametrize(
    "text",
    [
        *FORMULAS,
        'quote " inside',
        "comma, inside",
        "line\r\nbreak",
        "pipe | inside",
        "back\\slash",
        "ends with @en",
        "trailing at@",
        "‏עברית RTL",
        "\ufeffBOM-like start",
        "-3 dB point",
    ],
)
def test_awkward_text_round_trips(text: str) -> None:
    original = snapshot_of(concept("scanner", alt=(text,), definition=text))
    again = read_csv(write_csv(original), base=BASE).snapshot
    assert again.concepts == original.concepts


def test_multi_valued_cells_join_with_a_pipe() -> None:
    rows = cells(write_csv(snapshot_of(concept("scanner", alt=("a", "b|c")))))
    assert rows[1][COLUMNS.index("altLabel")] == "a|b\\|c"


def test_labels_in_another_language_carry_their_tag() -> None:
    c = concept("scanner")
    c = Concept(**{**c.__dict__, "labels": (*c.labels, Label("Scanner", "de", LabelKind.ALT))})
    rows = cells(write_csv(snapshot_of(c)))
    assert rows[1][COLUMNS.index("altLabel")] == "Scanner@de"
    assert read_csv(write_csv(snapshot_of(c)), base=BASE).snapshot.concepts == (c,)


def test_csv_export_carries_the_canonical_uri_and_status(shipped) -> None:  # type: ignore[no-untyped-def]
    header, first = cells(write_csv(shipped.snapshot()))[:2]
    assert first[header.index("uri")].startswith(f"{BASE}/terms/")
    assert first[header.index("status")] == "active"
