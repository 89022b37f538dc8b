"""Per-field caps on import, whatever the format: a file past one is refused whole.

A vocabulary term has a label of a few words and a definition of a few sentences; a
megabyte of text in one field (or ten thousand labels on one concept) is a mistake or an
attack, and would slow every page, search and export that shows it. The caps are
documented in the README ("Formats and conventions").

>>> CAPS.label, CAPS.text, CAPS.labels
(500, 10000, 200)
"""

from __future__ import annotations

from dataclasses import dataclass

from vocab.errors import TooLarge
from vocab.model import Concept, Snapshot


@dataclass(frozen=True)
class Caps:
    label: int = 500  # characters in one label or notation
    text: int = 10_000  # characters in one definition, note or citation
    labels: int = 200  # labels of one concept (all kinds and languages)
    texts: int = 100  # definitions, plain definitions and notes of one concept
    links: int = 2_000  # broader, narrower, related, mappings, sources and pages of one concept


CAPS = Caps()


def check_fields(snapshot: Snapshot, caps: Caps = CAPS) -> None:
    """Raise TooLarge naming the concept, the field and the cap at the first field past one."""
    for concept in snapshot.concepts:
        _check(concept, caps)


def _check(concept: Concept, caps: Caps) -> None:
    where = f"Concept <{concept.uri[:200]}>"
    if len(concept.labels) > caps.labels:
        raise TooLarge(
            f"{where} has {len(concept.labels):,} labels; the limit is {caps.labels}. "
            "Keep the labels people use and drop the rest."
        )
    for text in [label.text for label in concept.labels] + list(concept.notations):
        if len(text) > caps.label:
            raise TooLarge(
                f"{where} has a label of {len(text):,} characters ('{text[:40]}...'); the limit "
                f"is {caps.label}. A label names the concept; put explanations in a definition."
            )
    texts = [*concept.definitions, *concept.plain_definitions, *concept.citations]
    notes = [note.text for note in concept.notes]
    if len(texts) + len(notes) > caps.texts:
        raise TooLarge(
            f"{where} has {len(texts) + len(notes):,} definitions and notes; the limit is "
            f"{caps.texts}."
        )
    for text in [t.text for t in texts] + notes:
        if len(text) > caps.text:
            raise TooLarge(
                f"{where} has a definition or note of {len(text):,} characters; the limit is "
                f"{caps.text:,}. Shorten it to a few sentences."
            )
    links = (
        len(concept.broader) + len(concept.narrower) + len(concept.related)
        + len(concept.mappings) + len(concept.sources) + len(concept.pages)
    )  # fmt: skip
    if links > caps.links:
        raise TooLarge(f"{where} has {links:,} links and sources; the limit is {caps.links:,}.")
