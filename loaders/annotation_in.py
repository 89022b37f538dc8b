"""Documents to annotate: plain text, Markdown or HTML, read into the stretches worth reading.

`read_document(text, kind)` returns a `Document`: the text exactly as given (every offset
of the annotation points into it) and its `Segment`s:

- **text**: all of it, one block per paragraph;
- **markdown**: all but code (fenced blocks and `inline code`), links and images
  (already linked), autolinks, raw HTML tags and link reference definitions; paragraphs
  are blocks;
- **html**: the text nodes only, read with the standard library's `html.parser` (every node
  type handled: elements, text, character references, comments, doctype, processing
  instructions, CDATA), skipping what is not prose or is already marked up (`script`,
  `style`, `code`, `pre`, `a`, `abbr`, `dfn`, `head`, `svg`, `math`, `textarea`, ...).
  Character references are decoded for reading ("computed&nbsp;tomography" reads as two
  words) while offsets keep pointing at the original characters.

>>> [document.text[s.start:s.end] for s in read_document("See `CT` and CT.", "markdown").segments]
['See ', ' and CT.']
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from vocab.annotate_text import Segment
from vocab.errors import UnsupportedFormat

KINDS: dict[str, str] = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html"}
"""The kinds of document read, with their media types."""

SKIPPED = frozenset(
    [
        "script",
        "style",
        "template",
        "noscript",
        "textarea",
        "title",
        "head",
        "code",
        "pre",
        "kbd",
        "samp",
        "var",
        "a",
        "abbr",
        "dfn",
        "svg",
        "math",
        "iframe",
        "object",
        "select",
        "option",
        "button",
    ]
)
BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)

_MARKDOWN_SKIP = re.compile(
    r"(?P<fence>^[ ]{0,3}(?P<mark>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ ]{0,3}(?P=mark)[^\n]*$)"
    r"|(?P<refdef>^[ ]{0,3}\[[^\]\n]+\]:[^\n]*$)"
    r"|(?P<code>(?P<ticks>`+)[^\n]*?(?P=ticks))"
    r"|(?P<link>!?\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<reflink>!?\[[^\]\n]*\]\[[^\]\n]*\])"
    r"|(?P<tag></?[A-Za-z][^>\n]*>|<https?://[^>\s]+>)",
    re.MULTILINE | re.DOTALL,
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")


@dataclass(frozen=True)
class Document:
    """A text to annotate, its kind, and the stretches of it to read."""

    text: str
    kind: str
    segments: tuple[Segment, ...]


ALIASES: dict[str, str] = {
    **{kind: kind for kind in KINDS},
    **{media_type: kind for kind, media_type in KINDS.items()},
    "txt": "text",
    "md": "markdown",
    "text/x-markdown": "markdown",
    "htm": "html",
    "application/xhtml+xml": "html",
}


def kind_of(name: str | None) -> str:
    """Return the document kind a name or media type names (default text); raise UnsupportedFormat."""
    value = (name or "text").split(";")[0].strip().lower()
    if value not in ALIASES:
        raise UnsupportedFormat(
            f"Unknown document kind '{value[:40]}'; use one of: {', '.join(KINDS)}."
        )
    return ALIASES[value]


def read_document(text: str, kind: str) -> Document:
    """Return `text` as a Document of `kind` (text, markdown or html)."""
    if kind == "html":
        return Document(text, kind, tuple(_html_segments(text)))
    if kind == "markdown":
        return Document(text, kind, tuple(_paragraphs(text, _MARKDOWN_SKIP)))
    if kind == "text":
        return Document(text, kind, tuple(_paragraphs(text, None)))
    raise UnsupportedFormat(f"Unknown document kind '{kind[:40]}'; use one of: {', '.join(KINDS)}.")


def _paragraphs(text: str, skip: re.Pattern[str] | None) -> Iterator[Segment]:
    """Yield the stretches of `text` outside `skip` matches, cut at blank lines (one block each).

    No term is matched across a blank line or a skipped stretch.
    """
    breaks = [m.end() for m in _BLANK_LINE.finditer(text)]
    position = 0

    def pieces(start: int, end: int) -> Iterator[Segment]:
        cut = start
        for b in breaks:
            if start < b < end:
                yield Segment(cut, b, _block(b - 1))
                cut = b
        if cut < end:
            yield Segment(cut, end, _block(cut))

    def _block(offset: int) -> int:
        return sum(1 for b in breaks if b <= offset)

    for match in skip.finditer(text) if skip else ():
        if match.start() > position:
            yield from pieces(position, match.start())
        position = match.end()
    if position < len(text):
        yield from pieces(position, len(text))


class _TextNodes(HTMLParser):
    """Collects the text runs of an HTML document outside skipped elements, with offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = text
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.skipping: list[str] = []
        self.block = 0
        self.runs: list[tuple[int, int, int]] = []  # start, end, block
        self.run_start: int | None = None

    def here(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def close_run(self) -> None:
        if self.run_start is not None:
            end = self.here()
            if end > self.run_start:
                self.runs.append((self.run_start, end, self.block))
            self.run_start = None

    def text_event(self) -> None:
        if not self.skipping and self.run_start is None:
            self.run_start = self.here()

    def handle_data(self, data: str) -> None:
        self.text_event()

    def handle_entityref(self, name: str) -> None:
        self.text_event()

    def handle_charref(self, name: str) -> None:
        self.text_event()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.close_run()
        if tag in BLOCKS:
            self.block += 1
        if tag in SKIPPED and tag not in VOID:
            self.skipping.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.close_run()
        if tag in BLOCKS:
            self.block += 1

    def handle_endtag(self, tag: str) -> None:
        self.close_run()
        if tag in BLOCKS:
            self.block += 1
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass

    def handle_comment(self, data: str) -> None:
        self.close_run()

    def handle_decl(self, decl: str) -> None:
        self.close_run()

    def handle_pi(self, data: str) -> None:
        self.close_run()

    def unknown_decl(self, data: str) -> None:
        self.close_run()


def _html_segments(text: str) -> Iterator[Segment]:
    """Yield one segment per run of text between tags, decoded where it holds references."""
    parser = _TextNodes(text)
    parser.feed(text)
    parser.close()
    if parser.run_start is not None and not parser.skipping:
        parser.runs.append((parser.run_start, len(text), parser.block))
    for start, end, block in parser.runs:
        raw = text[start:end]
        if "&" not in raw:
            yield Segment(start, end, block)
            continue
        decoded: list[str] = []
        positions: list[int] = []
        cursor = 0
        for ref in _REFERENCE.finditer(raw):
            for i in range(cursor, ref.start()):
                decoded.append(raw[i])
                positions.append(start + i)
            for ch in html.unescape(ref.group()):
                decoded.append(ch)
                positions.append(start + ref.start())
            cursor = ref.end()
        for i in range(cursor, len(raw)):
            decoded.append(raw[i])
            positions.append(start + i)
        positions.append(end)
        yield Segment(start, end, block, "".join(decoded), tuple(positions))
