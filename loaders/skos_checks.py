"""Checks across concepts while reading SKOS: hierarchy cycles, links out of the file,
related links that clash with the hierarchy (S27, dropped), exactMatch clashes (S46,
dropped), and preferred labels or notations several concepts share (reported)."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import replace

from loaders.skos_terms import BROADER, NARROWER, RELATED, few, name, not_here, quoted
from vocab.model import Concept, LabelKind, LangText, MatchKind
from vocab.model import ancestors as closure

Report = Callable[[str, str, str], None]  # severity, subject, reason


def check_relations(concepts: list[Concept], report: Report) -> list[Concept]:
    """Drop related links that clash with the hierarchy (S27) and exact/broad clashes (S46).

    Cycles and links to concepts the file does not hold are legal SKOS: kept, reported.
    """
    parents = {c.uri: c.broader for c in concepts}
    ancestors = closure(parents)
    for uri in sorted(uri for uri, up in ancestors.items() if uri in up):
        path = " → ".join(f"<{u}>" for u in cycle(uri, parents))
        report(
            "warning",
            uri,
            "Hierarchy cycle (qSKOS chr; SKOS allows it); skos:broader leads back "
            f"to the concept: {path}. Kept as given.",
        )
    out = []
    for c in concepts:
        links = ((BROADER, c.broader), (NARROWER, c.narrower), (RELATED, c.related))
        for prop, targets in links:
            outside = [t for t in targets if t not in parents]
            if outside:
                report(
                    "warning",
                    c.uri,
                    f"{name(prop)} points outside the file; "
                    f"{not_here(outside)}: kept, shown without a label.",
                )
        up = ancestors.get(c.uri, set())
        clashes = [r for r in c.related if r in up or c.uri in ancestors.get(r, ())]
        for r in clashes:
            report(
                "error",
                c.uri,
                "skos:related clashes with the hierarchy (S27); "
                f"<{r}> is also an ancestor or descendant, so the "
                "related link was dropped.",
            )
        exact = set(c.matches(MatchKind.EXACT))
        clashing = (MatchKind.BROAD, MatchKind.NARROW, MatchKind.RELATED)
        bad = [m for m in c.mappings if m.kind in clashing and m.target in exact]
        for m in bad:
            report(
                "error",
                c.uri,
                f"skos:exactMatch clashes with skos:{m.kind.value} "
                f"(S46); both point to <{m.target}>, so the "
                f"{m.kind.value} was dropped.",
            )
        if clashes or bad:
            c = replace(
                c,
                related=tuple(r for r in c.related if r not in clashes),
                mappings=tuple(m for m in c.mappings if m not in bad),
            )
        out.append(c)
    return out


def check_shared_values(concepts: list[Concept], report: Report) -> None:
    """Report prefLabels (SKOS-12) and notations (qSKOS anr) that several concepts share."""
    owners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in concepts:
        for label in c.labels_of(LabelKind.PREF):
            owners[(label.text.casefold(), label.lang)].append(c.uri)
    for c in concepts:
        for label in c.labels_of(LabelKind.PREF):
            others = [u for u in owners[(label.text.casefold(), label.lang)] if u != c.uri]
            if others:
                text = quoted(LangText(label.text, label.lang))
                report(
                    "warning",
                    c.uri,
                    f"Same prefLabel as another concept (SKOS-12); {text} is "
                    f"also the prefLabel of {few(others)}. Kept: a lookup of "
                    "it answers with each of them.",
                )
    notations: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in concepts:
        for scheme in c.in_schemes:
            for n in c.notations:
                notations[(scheme, n)].append(c.uri)
    for (scheme, n), uris in notations.items():
        shared = uris if len(uris) > 1 else []
        for uri in shared:
            others = [u for u in uris if u != uri]
            report(
                "warning",
                uri,
                f"Notation shared within a scheme (qSKOS anr); '{n}' is also the "
                f"notation of {few(others)} in <{scheme}>. Kept.",
            )


def cycle(start: str, parents: dict[str, tuple[str, ...]]) -> list[str]:
    """Return a shortest broader path from `start` back to itself: [start, ..., start]."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue and start not in came_from:
        node = queue.popleft()
        for up in parents.get(node, ()):
            if up not in came_from:
                came_from[up] = node
                queue.append(up)
    path, node = [start], came_from[start]
    while node != start:
        path.append(node)
        node = came_from[node]
    return [start, *reversed(path[1:]), start]
