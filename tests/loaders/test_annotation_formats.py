"""Documents in (text, Markdown, HTML) and annotations out (every registered format)."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import orjson
import pytest

from loaders.annotation_in import kind_of, read_document
from loaders.annotation_out import ANNOTATION_FORMATS, Annotated, media_type_of, write_annotation
from tests.conftest import FIXTURES, build_vocabulary
from vocab.annotate import Annotator
from vocab.errors import UnsupportedFormat


@pytest.fixture(scope="module")
def annotator(tmp_path_factory: pytest.TempPathFactory) -> Annotator:
    db = tmp_path_factory.mktemp("formats") / "a.db"
    return Annotator(build_vocabulary(FIXTURES / "annotate.ttl", db).store)


def annotated(annotator: Annotator, text: str, kind: str) -> Annotated:
    document = read_document(text, kind)
    return Annotated(annotator.annotate(document.text, document.segments), document, "", "r1")


def read_text(text: str, kind: str) -> list[str]:
    return [text[s.start : s.end] for s in read_document(text, kind).segments]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See `CT` and CT.", ["See ", " and CT."]),
        ("```\nCT\n```\nMRI", ["\nMRI"]),
        ("A [CT](http://x) and ![MRI](y.png) <b>scanner</b>", ["A ", " and ", " ", "scanner"]),
        ("CT\n\nMRI", ["CT\n\n", "MRI"]),
        ("[ref]: http://x/CT\nMRI", ["\nMRI"]),
    ],
)
def test_markdown_reads_prose_and_skips_code_links_and_tags(text: str, expected: list[str]) -> None:
    assert read_text(text, "markdown") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>CT <b>scan</b></p>", ["CT ", "scan"]),
        ("<script>CT</script><style>p{}</style><code>CT</code><p>MRI</p>", ["MRI"]),
        ("<a href=x>CT</a><abbr>MRI</abbr><dfn>CT</dfn> scanner", [" scanner"]),
        ("<!doctype html><!-- CT --><?pi CT?><![CDATA[CT]]><p>MRI", ["MRI"]),
        ("<head><title>CT</title></head><body>MRI<br>CT</body>", ["MRI", "CT"]),
    ],
)
def test_html_reads_text_nodes_only(text: str, expected: list[str]) -> None:
    assert read_text(text, "html") == expected


def test_html_character_references_are_read_decoded_with_original_offsets(
    annotator: Annotator,
) -> None:
    text = "<p>computed&nbsp;tomography &amp; MRI</p>"
    spans = annotated(annotator, text, "html").annotation.spans
    assert [(text[s.start : s.end], s.sense.id) for s in spans] == [
        ("computed&nbsp;tomography", "ct"),
        ("MRI", "mri"),
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("text/html; charset=utf-8", "html"), ("md", "markdown"), (None, "text"), ("TXT", "text")],
)
def test_document_kinds_are_named_by_name_or_media_type(name: str | None, kind: str) -> None:
    assert kind_of(name) == kind


def test_an_unknown_document_kind_lists_the_choices() -> None:
    with pytest.raises(UnsupportedFormat, match="text, markdown, html"):
        kind_of("application/pdf")


@pytest.mark.parametrize("fmt", sorted(ANNOTATION_FORMATS))
@pytest.mark.parametrize("kind", ["text", "markdown", "html"])
def test_every_format_writes_every_kind(annotator: Annotator, fmt: str, kind: str) -> None:
    out = annotated(annotator, "The CT <b>scanner</b> & MRI.", kind)
    body = write_annotation(out, fmt)
    assert body.decode("utf-8")
    assert media_type_of(fmt, out.document)


def test_json_spans_carry_offsets_concept_match_and_senses(annotator: Annotator) -> None:
    data = orjson.loads(write_annotation(annotated(annotator, "The CT scanner", "text"), "json"))
    first = data["spans"][0]
    assert (first["start"], first["end"], first["text"], first["match"]) == (4, 6, "CT", "acronym")
    assert first["ambiguous"] and first["falseFriend"] and first["alternatives"]
    assert first["uri"].endswith("/terms/" + first["id"])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_html_of_plain_text_escapes_everything_but_the_links(annotator: Annotator) -> None:
    body = write_annotation(annotated(annotator, "<script>x</script> CT\n\nMRI", "text"), "html")
    parser = _Tags()
    parser.feed(body.decode())
    assert set(parser.tags) == {"p", "a"}
    assert b"&lt;script&gt;" in body


def test_html_of_html_keeps_the_markup_and_links_the_terms(annotator: Annotator) -> None:
    body = write_annotation(annotated(annotator, "<p>A <b>CT</b></p>", "html"), "html").decode()
    assert body.startswith('<p>A <b><a class="airt-term" href="http://127.0.0.1:8000/terms/')
    assert body.endswith(">CT</a></b></p>")


def test_markdown_stays_markdown_with_links(annotator: Annotator) -> None:
    out = annotated(annotator, "Use `CT` and MRI", "markdown")
    body = write_annotation(out, "html").decode()
    assert (
        body == 'Use `CT` and [MRI](http://127.0.0.1:8000/terms/mri "magnetic resonance imaging")'
    )
    assert media_type_of("html", out.document) == "text/markdown"


def test_jsonld_is_a_web_annotation_collection_with_selectors(annotator: Annotator) -> None:
    data = orjson.loads(write_annotation(annotated(annotator, "The CT scanner", "text"), "jsonld"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    item = data["first"]["items"][0]
    assert item["type"] == "Annotation" and item["motivation"] == "identifying"
    assert item["body"][0] == {
        "type": "SpecificResource",
        "source": "http://127.0.0.1:8000/terms/ct",
        "purpose": "identifying",
    }
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["TextPositionSelector"] == {
        "type": "TextPositionSelector",
        "start": 4,
        "end": 6,
    }
    assert selectors["TextQuoteSelector"]["exact"] == "CT"
    assert any(b["purpose"] == "commenting" for b in item["body"])


def test_csv_cells_are_spreadsheet_safe(annotator: Annotator) -> None:
    body = write_annotation(annotated(annotator, "A scan protocol", "text"), "csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0][:5] == ["start", "end", "text", "match", "concept"]
    assert rows[1][10].startswith("'=cmd")  # a warning that a spreadsheet would run
