"""Alignment tables out, registered once: `POST /align` and `vocab align` derive their
choices, media types and file extensions from `ALIGNMENT_FORMATS`.

>>> sorted(ALIGNMENT_FORMATS)
['csv', 'json', 'sssom']
>>> ALIGNMENT_FORMATS["sssom"].media_type
'text/tab-separated-values'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import orjson

from loaders.csv_table import spreadsheet_safe
from loaders.sssom import alignment_sssom
from loaders.views import alignment_json
from vocab.align import Alignment
from vocab.errors import UnsupportedFormat

AlignmentWriter = Callable[[list[Alignment], str | None, str, str], bytes]
"""(alignments, community, base, set id) -> bytes."""


@dataclass(frozen=True)
class AlignmentFormat:
    """One way to write an alignment: its name, media type, file extension and writer."""

    name: str
    label: str
    media_type: str
    extension: str
    write: AlignmentWriter


def _json(alignments: list[Alignment], community: str | None, base: str, set_id: str) -> bytes:
    return orjson.dumps(alignment_json(alignments, community))


def _sssom(alignments: list[Alignment], community: str | None, base: str, set_id: str) -> bytes:
    return alignment_sssom(alignments, base=base, set_id=set_id)


def _csv(alignments: list[Alignment], community: str | None, base: str, set_id: str) -> bytes:
    return alignment_csv(alignments)


ALIGNMENT_FORMATS: dict[str, AlignmentFormat] = {
    f.name: f
    for f in (
        AlignmentFormat("json", "JSON", "application/json", ".json", _json),
        AlignmentFormat("sssom", "SSSOM/TSV", "text/tab-separated-values", ".sssom.tsv", _sssom),
        AlignmentFormat("csv", "CSV", "text/csv", ".csv", _csv),
    )
}


def alignment_format(name: str) -> AlignmentFormat:
    """Return the alignment format called `name`; raise UnsupportedFormat listing the choices."""
    found = ALIGNMENT_FORMATS.get(name.strip().lower())
    if found is None:
        raise UnsupportedFormat(
            f"Unknown format '{name[:20]}'; use one of: {', '.join(ALIGNMENT_FORMATS)}."
        )
    return found


def write_alignment(
    alignments: list[Alignment], fmt: str, *, community: str | None, base: str, set_id: str
) -> bytes:
    """Return an alignment in format `fmt`; raise UnsupportedFormat for an unknown one."""
    return alignment_format(fmt).write(alignments, community, base, set_id)


def alignment_csv(alignments: list[Alignment]) -> bytes:
    """One row per input term, best candidate first, ready for review in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "row",
            "term",
            "status",
            "predicate",
            "concept",
            "prefLabel",
            "confidence",
            "matched",
            "usage",
            "reason",
            "other candidates",
            "note",
        ]
    )
    for a in alignments:
        best = a.best
        others = "|".join(
            f"{c.row.pref_label} ({c.confidence:.2f})" for c in a.candidates if c is not best
        )
        cells = [
            str(a.row),
            a.term,
            a.status,
            f"skos:{best.predicate.value}" if best else "",
            best.row.uri if best else "",
            best.row.pref_label if best else "",
            f"{best.confidence:.3f}" if best else "",
            best.matched if best else "",
            ",".join(best.usage) if best else "",
            best.reason if best else "",
            others,
            a.note,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue().encode("utf-8")
