"""The quality gate: SKOS integrity conditions and qSKOS-style checks over a Snapshot.

Every check is a function named after its qSKOS or SKOS identifier and listed in
`CHECKS` with its severity, so the policy reads on one screen:

- errors break a SKOS integrity condition or this vocabulary's profile: the build of the
  curated source refuses them (`vocab validate` exits 1);
- warnings are quality heuristics worth a look (qSKOS), reported but allowed.

Cross-concept duplicate preferred labels are an error here although SKOS only
recommends against them: homonyms must be told apart in the label itself
("validation" versus "tuning set"), which lookup and search rely on.

>>> report = check(Snapshot(schemes=(), concepts=()))
>>> report.errors, report.warnings
([], [])
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from vocab.model import Concept, LabelKind, MatchKind, NoteKind, Snapshot, Status, ancestors
from vocab.normalize import normalise_label
from vocab.problems import Problem, Severity, errors, warnings


@dataclass
class QualityReport:
    findings: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.findings)

    @property
    def warnings(self) -> list[Problem]:
        return warnings(self.findings)


Check = Callable[[Snapshot], Iterator[tuple[str, str]]]  # yields (subject, message)
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-[A-Za-z]{2}|-\d{3})?(-[A-Za-z0-9]{5,8})*$")


def _active(snapshot: Snapshot) -> list[Concept]:
    return [c for c in snapshot.concepts if c.status is Status.ACTIVE]


def _ancestors(snapshot: Snapshot) -> dict[str, set[str]]:
    parents = {c.uri: set(c.broader) for c in snapshot.concepts}
    for c in snapshot.concepts:
        for child in c.narrower:
            parents.setdefault(child, set()).add(c.uri)
    return ancestors(parents)


# --- errors: integrity conditions and profile ------------------------------------------


def ipl_one_pref_label_per_language(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in s.concepts:
        langs = [lb.lang for lb in c.labels_of(LabelKind.PREF)]
        for lang in {x for x in langs if langs.count(x) > 1}:
            yield c.uri, f"More than one prefLabel in language '{lang or 'none'}' (SKOS S14)."


def ml_missing_pref_label(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in s.concepts:
        if not c.labels_of(LabelKind.PREF):
            yield c.uri, "The concept has no prefLabel."


def el_empty_labels(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in s.concepts:
        for lb in c.labels:
            if not lb.text.strip():
                yield c.uri, f"An empty {lb.kind.value} label."


def dlv_disjoint_labels(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in s.concepts:
        seen: dict[tuple[str, str], LabelKind] = {}
        for lb in c.labels:
            key = (lb.text, lb.lang)
            if key in seen and seen[key] is not lb.kind:
                yield (
                    c.uri,
                    f"'{lb.text}' is both a {seen[key].value} and a {lb.kind.value} label (SKOS S13).",
                )
            seen.setdefault(key, lb.kind)


@lru_cache(maxsize=65_536)
def _unprintable(text: str) -> tuple[str, ...]:
    """The control and format characters of a label (remembered: a vocabulary is checked
    again after every editorial change, and its labels seldom change)."""
    return tuple(ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf"))


def ucil_unprintable_characters(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in s.concepts:
        for lb in c.labels:
            bad = list(_unprintable(lb.text))
            if bad:
                yield c.uri, f"Label '{lb.text}' holds unprintable characters {bad!r}."


def dup_pref_labels(s: Snapshot) -> Iterator[tuple[str, str]]:
    owners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in _active(s):
        for lb in c.labels_of(LabelKind.PREF):
            owners[(normalise_label(lb.text), lb.lang)].append(c.uri)
    for (label, lang), uris in owners.items():
        if len(uris) > 1:
            yield (
                uris[0],
                f"Preferred label '{label}'@{lang} is shared with {', '.join(uris[1:])}; tell them apart.",
            )


def chr_cyclic_hierarchy(s: Snapshot) -> Iterator[tuple[str, str]]:
    for uri, above in _ancestors(s).items():
        if uri in above:
            yield uri, "The concept is its own ancestor: its broader links form a cycle."


def rc_relation_clash(s: Snapshot) -> Iterator[tuple[str, str]]:
    ancestors = _ancestors(s)
    for c in s.concepts:
        for r in c.related:
            if r in ancestors.get(c.uri, ()) or c.uri in ancestors.get(r, ()):
                yield (
                    c.uri,
                    f"Related to {r}, which is also above or below it in the hierarchy (SKOS S27).",
                )


def rrc_reflexive_relation(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in s.concepts:
        if c.uri in c.broader + c.narrower + c.related:
            yield c.uri, "The concept is related to itself."


def mc_mapping_clash(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in s.concepts:
        exact = set(c.matches(MatchKind.EXACT))
        for kind in (MatchKind.BROAD, MatchKind.NARROW, MatchKind.RELATED):
            for target in exact & set(c.matches(kind)):
                yield c.uri, f"exactMatch and {kind.value} to the same {target} (SKOS S46)."


def profile_definition(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in _active(s):
        if not c.definitions:
            yield c.uri, "No skos:definition."
        if not c.plain_definitions:
            yield c.uri, "No plain-language definition (airt:plainDefinition)."


def profile_source(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in _active(s):
        if not c.sources:
            yield c.uri, "No dct:source address citing where the definition comes from."


def profile_dangling_links(s: Snapshot) -> Iterator[tuple[str, str]]:
    known = {c.uri for c in s.concepts}
    for c in s.concepts:
        for target in c.broader + c.narrower + c.related + c.replaced_by:
            if target not in known:
                yield c.uri, f"Links to {target}, which is not a concept of this vocabulary."


def profile_replacement(s: Snapshot) -> Iterator[tuple[str, str]]:
    known = {c.uri: c for c in s.concepts}
    for c in s.concepts:
        for target in c.replaced_by:
            if target in known and known[target].status is not Status.ACTIVE:
                yield (
                    c.uri,
                    f"Replaced by {target}, which is itself not active; point to the live concept.",
                )
        if c.status is Status.WITHDRAWN and not any(n.kind is NoteKind.HISTORY for n in c.notes):
            yield c.uri, "Withdrawn without a skos:historyNote explaining why."


# --- warnings: qSKOS quality heuristics --------------------------------------------------


def oc_orphan_concepts(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in _active(s):
        if not (c.broader or c.narrower or c.related):
            yield c.uri, "Orphan: no broader, narrower or related concept."


def ol_overlapping_labels(s: Snapshot) -> Iterator[tuple[str, str]]:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    warned = {c.uri for c in s.concepts if any(n.kind is NoteKind.WARNING for n in c.notes)}
    for c in _active(s):
        for lb in c.labels:
            owners[(lb.text.casefold(), lb.lang)].add(c.uri)
    for (label, lang), uris in owners.items():
        if len(uris) > 1 and not uris <= warned:
            yield (
                sorted(uris)[0],
                f"Label '{label}'@{lang} is shared by {len(uris)} concepts without a usage warning: {', '.join(sorted(uris))}.",
            )


def hr_hierarchical_redundancy(s: Snapshot) -> Iterator[tuple[str, str]]:
    ancestors = _ancestors(s)
    for c in s.concepts:
        for b in c.broader:
            if any(b in ancestors.get(other, ()) for other in c.broader if other != b):
                yield c.uri, f"broader {b} is also reachable through another broader concept."


def var_valueless_associative(s: Snapshot) -> Iterator[tuple[str, str]]:
    by_uri = {c.uri: c for c in s.concepts}
    for c in s.concepts:
        for r in c.related:
            other = by_uri.get(r)
            if other and c.uri < r and set(c.broader) & set(other.broader):
                yield c.uri, f"Related to its sibling {r} (same broader concept)."


def oilt_language_tags(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in s.concepts:
        for lang in {lb.lang for lb in c.labels} | {t.lang for t in c.definitions}:
            if not lang:
                yield c.uri, "A label or definition has no language tag."
            elif not _LANG.match(lang):
                yield c.uri, f"'{lang}' is not a valid BCP 47 language tag."


def husv_http_uris(s: Snapshot) -> Iterator[tuple[str, str]]:
    for c in s.concepts:
        if not c.uri.startswith(("http://", "https://")):
            yield c.uri, "The concept URI is not an HTTP URI, so it cannot be dereferenced."


def otc_top_concepts(s: Snapshot) -> Iterator[tuple[str, str]]:
    for scheme in s.schemes:
        if not s.top_concepts.get(scheme.uri):
            yield scheme.uri, "The concept scheme has no top concepts."


def anr_notations(s: Snapshot) -> Iterator[tuple[str, str]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for c in s.concepts:
        for n in c.notations:
            owners[n].append(c.uri)
    for notation, uris in owners.items():
        if len(uris) > 1:
            yield uris[0], f"Notation '{notation}' is used by {len(uris)} concepts."


CHECKS: tuple[tuple[str, Severity, Check], ...] = (
    ("ipl", Severity.ERROR, ipl_one_pref_label_per_language),
    ("ml", Severity.ERROR, ml_missing_pref_label),
    ("el", Severity.ERROR, el_empty_labels),
    ("dlv", Severity.ERROR, dlv_disjoint_labels),
    ("ucil", Severity.ERROR, ucil_unprintable_characters),
    ("dup", Severity.ERROR, dup_pref_labels),
    ("chr", Severity.ERROR, chr_cyclic_hierarchy),
    ("rc", Severity.ERROR, rc_relation_clash),
    ("rrc", Severity.ERROR, rrc_reflexive_relation),
    ("mc", Severity.ERROR, mc_mapping_clash),
    ("def", Severity.ERROR, profile_definition),
    ("src", Severity.ERROR, profile_source),
    ("link", Severity.ERROR, profile_dangling_links),
    ("dep", Severity.ERROR, profile_replacement),
    ("oc", Severity.WARNING, oc_orphan_concepts),
    ("ol", Severity.WARNING, ol_overlapping_labels),
    ("hr", Severity.WARNING, hr_hierarchical_redundancy),
    ("var", Severity.WARNING, var_valueless_associative),
    ("oilt", Severity.WARNING, oilt_language_tags),
    ("husv", Severity.WARNING, husv_http_uris),
    ("otc", Severity.WARNING, otc_top_concepts),
    ("anr", Severity.WARNING, anr_notations),
)
"""(id, severity, check): the ids are qSKOS's where qSKOS has the check."""


def check(snapshot: Snapshot) -> QualityReport:
    """Return every finding of every check in CHECKS."""
    report = QualityReport()
    for check_id, severity, run in CHECKS:
        for subject, message in run(snapshot):
            report.findings.append(Problem(check_id, severity, subject, message))
    return report
