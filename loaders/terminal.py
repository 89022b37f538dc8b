"""Plain text for terminals (curl and the CLI): short lines, wrapped, escape-free.

Text from the vocabulary passes through `safe` so no control sequence (ESC, CR, bidi
overrides) reaches a terminal, whatever the data holds.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from urllib.parse import quote

from vocab.lookup import LookupHit, LookupResult
from vocab.model import Concept, LabelKind, NoteKind, Status
from vocab.problems import Problem
from vocab.search_hits import SearchHit
from vocab.translate import Translation
from vocab.vocabulary import Vocabulary

WIDTH = 78
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Return `text` without control characters or bidi overrides (tabs and newlines kept)."""
    return _UNSAFE.sub("", text)


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(safe(text), WIDTH, initial_indent=indent, subsequent_indent=indent) or [
        indent
    ]


def _acronym(hit: LookupHit, concept: Concept) -> str:
    """The acronym to head an answer with: the one that matched, else the concept's first."""
    return hit.row.text if hit.row.kind is LabelKind.ACRONYM else next(iter(concept.acronyms), "")


def heading(hit: LookupHit, concept: Concept, query: str = "") -> str:
    """Return the first line of a lookup answer, keeping the word the user typed.

    An acronym or preferred label heads 'ACRONYM — Preferred label' (the label alone when
    there is no acronym); a synonym or a recorded misspelling heads 'typed → Preferred
    label', so the reader sees which word was taken for which term.
    """
    label = concept.pref_label()
    if hit.row.kind in (LabelKind.ALT, LabelKind.HIDDEN) and query:
        return safe(f"{query} → {label}")
    acronym = _acronym(hit, concept)
    return safe(f"{acronym} — {label}" if acronym and acronym != label else label)


def _details(vocabulary: Vocabulary, concept: Concept, indent: str, shown: str = "") -> list[str]:
    lines: list[str] = []
    if concept.status is not Status.ACTIVE:
        refs = vocabulary.refs(concept.replaced_by)
        if refs:
            for ref in refs.values():
                lines.append(f"{indent}Deprecated: use {safe(ref.pref_label)} <{ref.uri}>")
        else:
            lines.append(f"{indent}Withdrawn: this term is no longer in use.")
    definition = concept.definition()
    lines += _wrap(definition, indent) if definition else [f"{indent}(no definition yet)"]
    plain = next((t.text for t in concept.plain_definitions), "")
    if plain:
        lines += _wrap("In plain words: " + plain, indent)
    for note in concept.notes:
        if note.kind is NoteKind.WARNING:
            lines += _wrap("Take care: " + note.text, indent)
    others = [lb.text for lb in concept.labels if lb.kind in (LabelKind.ACRONYM, LabelKind.ALT)]
    others = [t for t in others if t not in (concept.pref_label(), shown)]
    if others:
        lines += _wrap("Also: " + "; ".join(others), indent)
    fields = vocabulary.fields(concept)
    if fields:
        lines.append(safe(f"{indent}Field: {', '.join(fields)}"))
    for page in concept.pages[:1]:
        lines.append(safe(f"{indent}Web: {page}"))
    lines.append(safe(f"{indent}URI: {concept.uri}"))
    return lines


def lookup_text(vocabulary: Vocabulary, result: LookupResult) -> str:
    """Return the terminal answer to a lookup with hits."""
    senses = [(h, vocabulary.record(h.row.id).concept) for h in result.hits]
    if len(senses) == 1:
        hit, concept = senses[0]
        lines = [
            heading(hit, concept, result.query),
            *_details(vocabulary, concept, "", _acronym(hit, concept)),
        ]
    else:
        lines = [safe(f"{result.query} — {len(senses)} senses"), ""]
        for i, (hit, concept) in enumerate(senses, start=1):
            fields = vocabulary.fields(concept)
            where = f"  [{', '.join(fields)}]" if fields else ""
            lines.append(safe(f"{i}. {heading(hit, concept, result.query)}{where}"))
            lines += _details(vocabulary, concept, "   ", _acronym(hit, concept))
            lines.append("")
        lines.pop()
    if result.other_senses:
        lines += ["", safe(f"'{result.query}' is also used for:")]
        for hit in result.other_senses:
            concept = vocabulary.record(hit.row.id).concept
            usage = hit.row.usage
            by = f" (by {', '.join(usage)})" if usage else ""
            lines.append(safe(f"  {concept.pref_label()}{by} <{concept.uri}>"))
    return "\n".join(lines) + "\n"


NO_CLOSE_TERM = "No close term: nothing in the vocabulary is spelt or worded like it."


def not_found_text(query: str, suggestions: list[SearchHit], search_url: str) -> str:
    """Return the terminal answer when nothing matches, with the nearest terms."""
    lines = [safe(f'No term matches "{query}".')]
    if suggestions:
        lines.append("Did you mean:")
        for hit in suggestions:
            lines.append(safe(f"  {hit.row.pref_label}  <{hit.row.uri}>"))
    else:
        lines.append(NO_CLOSE_TERM)
    lines.append(f"Search all labels: {search_url}?q={quote(query)}")
    return "\n".join(lines) + "\n"


def concept_text(vocabulary: Vocabulary, concept: Concept) -> str:
    """Return a concept as plain text, headed like a lookup answer."""
    acronym = next(iter(concept.acronyms), "")
    label = concept.pref_label()
    head = f"{acronym} — {label}" if acronym else label
    return "\n".join([safe(head), *_details(vocabulary, concept, "", acronym)]) + "\n"


def search_text(query: str, hits: list[SearchHit]) -> str:
    """Return search results as aligned lines: label, how it matched, URI."""
    if not hits:
        return safe(f'No term matches "{query}".') + "\n"
    lines = []
    for hit in hits:
        via = "" if hit.matched == hit.row.pref_label else f" (via {hit.matched})"
        lines.append(
            safe(f"{hit.row.pref_label}{via}  [{hit.match_type} {hit.score:.2f}]  <{hit.row.uri}>")
        )
    return "\n".join(lines) + "\n"


def translation_text(translation: Translation) -> str:
    """Return a translation as lines: term → community: labels (concept, relationship) <URI>."""
    if not translation.matches:
        return safe(f'No concept is named "{translation.term}".') + "\n"
    lines = []
    for m in translation.matches:
        labels = ", ".join(label for label, _ in m.labels)
        lines.append(
            safe(
                f"{translation.term} → {translation.to}: {labels}  ({m.row.pref_label}, {m.relationship}) <{m.row.uri}>"
            )
        )
    if translation.warning:
        lines.append(safe(f"Take care: {translation.warning}"))
    return "\n".join(lines) + "\n"


PROBLEM_KINDS_SHOWN = 15


def problem_lines(
    problems: tuple[Problem, ...], *, verbose: bool, repaired: bool = False
) -> list[str]:
    """Return the report of an import: every problem (`verbose`), else a count per kind.

    With `repaired`, the import went ahead with every problem repaired, so each is labelled
    a warning: what was changed, not what stopped the import.
    """
    if not problems:
        return []
    lines = [f"{len(problems)} issue(s)" + (", each repaired:" if repaired else ":")]

    def label(p: Problem) -> str:
        return "warning" if repaired else str(p.severity)

    if verbose:
        return lines + [
            safe(f"  {label(p)}: {p.subject or '(file)'}: {p.message}") for p in problems
        ]
    counts = Counter((label(p), p.message.split(";")[0]) for p in problems)
    for (severity, kind), n in counts.most_common(PROBLEM_KINDS_SHOWN):
        example = next(
            p.subject for p in problems if label(p) == severity and p.message.startswith(kind)
        )
        lines.append(safe(f"  {severity} x{n}: {kind} (e.g. {example or 'the file'})"))
    if len(counts) > PROBLEM_KINDS_SHOWN:
        more = len(counts) - PROBLEM_KINDS_SHOWN
        lines.append(f"  ... {more} more kinds; use --verbose to list every issue.")
    return lines
