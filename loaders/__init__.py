"""Formats in and out, registered once: the CLI's choices and the API's media types derive
from `FORMATS` (and its `READERS` / `WRITERS` views).

>>> sorted(READERS)
['csv', 'jsonld', 'nt', 'rdf', 'ttl']
>>> sorted(WRITERS)
['csv', 'jsonld', 'nt', 'rdf', 'sssom', 'ttl']
>>> FORMATS["ttl"].media_type
'text/turtle'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders.csv_table import read_csv, write_csv
from loaders.field_caps import check_fields
from loaders.rdf_input import DEFAULT_LIMITS, Limits
from loaders.skos import read_skos, write_skos
from loaders.sssom import vocabulary_sssom
from vocab.errors import TooLarge, UnsupportedFormat
from vocab.model import Snapshot
from vocab.problems import ReadResult

Reader = Callable[[bytes, str, str, Limits], ReadResult]  # data, base, source name, limits
Writer = Callable[[Snapshot], bytes]


@dataclass(frozen=True)
class Format:
    """One file format: its name, media type, file extension and reader/writer."""

    name: str
    label: str
    media_type: str
    extension: str
    read: Reader | None
    write: Writer | None
    aliases: tuple[str, ...] = ()
    rdf: bool = False  # an RDF syntax: offered for concept URIs by content negotiation


def _rdf(syntax: str) -> tuple[Reader, Writer]:
    def read(data: bytes, base: str, source_name: str, limits: Limits) -> ReadResult:
        result = read_skos(data, syntax, base=base, source_name=source_name, limits=limits)
        check_fields(result.snapshot)
        return result

    def write(snapshot: Snapshot) -> bytes:
        return write_skos(snapshot, syntax)

    return read, write


def _read_csv(data: bytes, base: str, source_name: str, limits: Limits) -> ReadResult:
    result = read_csv(data, base=base, source_name=source_name, max_bytes=limits.max_bytes)
    check_fields(result.snapshot)
    return result


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("ttl", "Turtle", "text/turtle", ".ttl", *_rdf("ttl"), aliases=("turtle",), rdf=True),
        Format(
            "rdf",
            "RDF/XML",
            "application/rdf+xml",
            ".rdf",
            *_rdf("rdf"),
            aliases=("xml", "owl"),
            rdf=True,
        ),
        Format(
            "jsonld",
            "JSON-LD",
            "application/ld+json",
            ".jsonld",
            *_rdf("jsonld"),
            aliases=("json-ld",),
            rdf=True,
        ),
        Format(
            "nt",
            "N-Triples",
            "application/n-triples",
            ".nt",
            *_rdf("nt"),
            aliases=("ntriples",),
            rdf=True,
        ),
        Format("csv", "CSV", "text/csv", ".csv", _read_csv, write_csv),
        Format(
            "sssom",
            "SSSOM/TSV",
            "text/tab-separated-values",
            ".sssom.tsv",
            None,
            vocabulary_sssom,
            aliases=("tsv",),
        ),
    )
}
READERS: dict[str, Reader] = {name: f.read for name, f in FORMATS.items() if f.read}
WRITERS: dict[str, Writer] = {name: f.write for name, f in FORMATS.items() if f.write}
RDF_FORMATS: tuple[str, ...] = tuple(name for name, f in FORMATS.items() if f.rdf)


def get_format(name: str, *, purpose: dict[str, object] | None = None) -> Format:
    """Return the format called `name` (or an alias); raise UnsupportedFormat listing the choices."""
    choices = purpose if purpose is not None else FORMATS
    key = name.strip().lower().lstrip(".")
    for fmt in FORMATS.values():
        if (key == fmt.name or key in fmt.aliases) and fmt.name in choices:
            return fmt
    raise UnsupportedFormat(f"Unknown format '{name[:40]}'; use one of: {', '.join(choices)}.")


def format_for_path(path: Path) -> Format:
    """Return the format named by a file's extension; raise UnsupportedFormat otherwise."""
    name = path.name.lower()
    for fmt in FORMATS.values():
        if name.endswith(fmt.extension) or path.suffix.lower().lstrip(".") in fmt.aliases:
            return fmt
    raise UnsupportedFormat(
        f"Cannot tell the format of '{path.name}' from its extension; "
        f"pass --format with one of: {', '.join(READERS)}."
    )


def read_file(
    path: Path, *, fmt: Format | None = None, base: str, limits: Limits = DEFAULT_LIMITS
) -> ReadResult:
    """Return the Snapshot in a file of any registered format."""
    fmt = fmt or format_for_path(path)
    if fmt.read is None:
        raise UnsupportedFormat(
            f"{fmt.label} files cannot be imported; use one of: {', '.join(READERS)}."
        )
    return fmt.read(read_bounded(path, limits.max_bytes), base, path.name, limits)


def read_bounded(path: Path, max_bytes: int, chunk: int = 1 << 20) -> bytes:
    """Return the bytes of `path`, refusing it (TooLarge) as soon as it passes `max_bytes`:
    a file over the limit is never read whole (nor a device or pipe that never ends)."""
    declared = path.stat().st_size
    if declared > max_bytes:
        raise TooLarge(
            f"{path.name} is {declared:,} bytes; the limit is {max_bytes:,} bytes. "
            "Split the vocabulary into smaller files."
        )
    parts, size = [], 0
    with path.open("rb") as stream:
        while piece := stream.read(chunk):
            size += len(piece)
            if size > max_bytes:
                raise TooLarge(
                    f"{path.name} passes the limit of {max_bytes:,} bytes; "
                    "split the vocabulary into smaller files."
                )
            parts.append(piece)
    return b"".join(parts)


__all__ = [
    "FORMATS",
    "RDF_FORMATS",
    "READERS",
    "WRITERS",
    "Format",
    "ReadResult",
    "format_for_path",
    "get_format",
    "read_file",
]
