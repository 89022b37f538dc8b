"""Alignment of a vendor's term list with the vocabulary, and translation between communities.

For each input term the aligner proposes candidate concepts, each with a SKOS mapping
predicate, a confidence in [0, 1], the label that matched (and the communities that use
it) and the reason, in this order of evidence:

1. the term equals a label once normalised (`vocab.normalize`): exactMatch, "lexical
   match" for a preferred label or acronym, "synonym" for an alternative or hidden label;
2. the term equals a label once product words are dropped ("AI auto-contouring module"):
   closeMatch, "synonym";
3. otherwise the few most similar labels (rapidfuzz, every label in memory) are compared
   word by word: the same words with typos or in another order give exactMatch; the
   label's words plus qualifiers give broadMatch (the vendor term is narrower); only
   some of the label's words give narrowMatch or relatedMatch; "lexical similarity".

A word that names different concepts for different communities (a false friend) is
resolved by the community the caller names (`community`, "industry" for vendor lists)
when exactly one sense is that community's; otherwise the result is `ambiguous` and
lists every sense. Terms whose best candidate is below `MAPPED_AT` are `unmapped`.
The confidence constants below were set so that, on our own test set of vendor terms
(tests/alignment/vendor_terms.tsv, `bench/alignment.py`), answers at 0.9 or above are
right at least 90% of the time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from vocab.errors import InvalidInput
from vocab.label_index import IndexedLabel, LabelIndex, content_words
from vocab.model import COMMUNITIES, KIND_RANK, LabelKind, MatchKind
from vocab.normalize import MAX_QUERY_LENGTH, clean_query, normalise_label
from vocab.store import LabelRow

# --- confidence policy ------------------------------------------------------------------
EXACT_CONFIDENCE: dict[LabelKind, float] = {
    LabelKind.PREF: 0.98,
    LabelKind.ALT: 0.96,
    LabelKind.ACRONYM: 0.93,
    LabelKind.HIDDEN: 0.92,
}
PRODUCT_WORDS_CONFIDENCE = 0.86  # exact once product words are dropped: closeMatch
COMMUNITY_RESOLVED_CONFIDENCE = 0.82  # a false friend resolved by the caller's community
AMBIGUOUS_CONFIDENCE = 0.5  # each sense of an unresolved ambiguous term
OTHER_SENSE_CONFIDENCE = 0.35  # the senses not chosen for a resolved false friend
SIMILAR_FLOOR, SIMILAR_SPAN = 0.62, 0.3  # same words, typos or order: floor + span * similarity
BROAD_FLOOR, BROAD_SPAN = 0.55, 0.25  # label plus qualifiers: floor + span * share of words
NARROW_FLOOR, NARROW_SPAN = 0.45, 0.2
RELATED_FLOOR, RELATED_SPAN = 0.3, 0.2
MAPPED_AT = 0.5  # a term whose best candidate is below this is reported unmapped
SHOWN_FROM = 0.3  # candidates below this are not shown
WORD_MATCH = 84  # rapidfuzz ratio at which two words count as the same word (a typo)
MIN_FUZZY_WORD = 6  # shorter words must match exactly ("mode" is not "model")
SAME_WORDS = 90  # token_sort_ratio at which a term and a label have the same words
CANDIDATES_PER_TERM = 12  # labels compared word by word after the rapidfuzz screen
SCREEN_CUTOFF = 55  # least token_set_ratio for a label to be screened in
MAX_TERMS = 10_000
CANDIDATE_LIMIT = 3

PRODUCT_WORDS = frozenset(
    {
        "software",
        "tool",
        "solution",
        "module",
        "platform",
        "app",
        "application",
        "product",
        "feature",
        "engine",
        "suite",
        "package",
        "powered",
        "based",
        "driven",
        "smart",
        "intelligent",
        "advanced",
        "cloud",
        "technology",
        "functionality",
        "function",
        "service",
        "kit",
        "ai",
        "ml",
        "dl",
        "tm",
        "pro",
        "plus",
        "new",
        "v2",
    }
)

JUSTIFICATION = {
    "lexical match": "semapv:LexicalMatching",
    "synonym": "semapv:LexicalMatching",
    "lexical similarity": "semapv:LexicalSimilarityThresholdMatching",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed mapping of an input term to a concept."""

    row: LabelRow  # the label that matched, with its concept
    predicate: MatchKind
    confidence: float
    reason: str  # "lexical match", "synonym" or "lexical similarity"

    @property
    def matched(self) -> str:
        return self.row.shown

    @property
    def usage(self) -> tuple[str, ...]:
        return self.row.shown_usage

    @property
    def justification(self) -> str:
        return JUSTIFICATION[self.reason]


@dataclass(frozen=True, slots=True)
class Alignment:
    """The outcome for one input row: mapped, ambiguous, unmapped, duplicate or invalid."""

    row: int
    term: str
    status: str
    candidates: tuple[Candidate, ...] = ()
    note: str = ""

    @property
    def best(self) -> Candidate | None:
        return (
            self.candidates[0]
            if self.candidates and self.status in ("mapped", "duplicate")
            else None
        )


class Aligner:
    """Aligns term lists against one label index (the active labels of one store)."""

    def __init__(self, index: LabelIndex) -> None:
        self.index = index

    def align(
        self,
        terms: list[str],
        *,
        community: str | None = "industry",
        limit: int = CANDIDATE_LIMIT,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Alignment]:
        """Return one Alignment per input term, in input order. Raises InvalidInput for bad options."""
        if community is not None and community not in COMMUNITIES:
            raise InvalidInput(
                f"Unknown community '{community}'; use one of: {', '.join(COMMUNITIES)}."
            )
        if len(terms) > MAX_TERMS:
            raise InvalidInput(
                f"{len(terms):,} terms; the limit is {MAX_TERMS:,} a request. Split the list."
            )
        seen: dict[str, int] = {}
        out: list[Alignment] = []
        for n, term in enumerate(terms, start=1):
            out.append(self._align_one(n, term, community, limit, seen, out))
            if progress and (n % 200 == 0 or n == len(terms)):
                progress(n, len(terms))
        return out

    def _align_one(
        self,
        n: int,
        term: str,
        community: str | None,
        limit: int,
        seen: dict[str, int],
        done: list[Alignment],
    ) -> Alignment:
        try:
            text = clean_query(term, max_length=MAX_QUERY_LENGTH)
        except InvalidInput as exc:
            return Alignment(n, term[:MAX_QUERY_LENGTH], "invalid", note=exc.message)
        norm = normalise_label(text)
        if not norm:
            return Alignment(n, text, "invalid", note="The term has no letters or digits.")
        if norm in seen:
            first = done[seen[norm] - 1]
            return Alignment(
                n, text, "duplicate", first.candidates, note=f"Same term as row {seen[norm]}."
            )
        seen[norm] = n
        candidates, status = self.candidates(norm, community)
        shown = tuple(c for c in candidates if c.confidence >= SHOWN_FROM)[:limit]
        if status == "ambiguous":
            return Alignment(
                n,
                text,
                status,
                shown,
                note="Several concepts carry this label; check which is meant.",
            )
        if not shown or shown[0].confidence < MAPPED_AT:
            return Alignment(n, text, "unmapped", shown, note="No concept matches closely enough.")
        return Alignment(n, text, "mapped", shown)

    def candidates(self, norm: str, community: str | None) -> tuple[list[Candidate], str]:
        """Return candidates best first and the status they imply (mapped or ambiguous)."""
        key = norm.replace(" ", "")
        exact = self.index.by_key.get(key)
        if exact:
            return self._exact(exact, community)
        core = [w for w in norm.split() if w not in PRODUCT_WORDS]
        if core and len(core) < len(norm.split()):
            stripped = self.index.by_key.get("".join(core))
            if stripped:
                found, status = self._exact(stripped, community)
                scaled = [
                    _scaled(
                        c,
                        PRODUCT_WORDS_CONFIDENCE / EXACT_CONFIDENCE[LabelKind.PREF],
                        MatchKind.CLOSE,
                        "synonym",
                    )
                    for c in found
                ]
                return scaled, status
        return self._similar(norm, community), "mapped"

    def _exact(
        self, labels: list[IndexedLabel], community: str | None
    ) -> tuple[list[Candidate], str]:
        best: dict[str, IndexedLabel] = {}
        for label in sorted(labels, key=lambda lb: KIND_RANK[lb.row.kind]):
            best.setdefault(label.row.id, label)

        def reason(label: IndexedLabel) -> str:
            return (
                "lexical match"
                if label.row.kind in (LabelKind.PREF, LabelKind.ACRONYM)
                else "synonym"
            )

        if len(best) == 1:
            label = next(iter(best.values()))
            return [
                Candidate(
                    label.row, MatchKind.EXACT, EXACT_CONFIDENCE[label.row.kind], reason(label)
                )
            ], "mapped"
        senses = list(best.values())
        ours = [s for s in senses if community and community in s.row.usage]
        if len(ours) == 1:
            chosen = ours[0]
            others = [s for s in senses if s is not chosen]
            return (
                [
                    Candidate(
                        chosen.row, MatchKind.EXACT, COMMUNITY_RESOLVED_CONFIDENCE, reason(chosen)
                    )
                ]
                + [
                    Candidate(s.row, MatchKind.EXACT, OTHER_SENSE_CONFIDENCE, reason(s))
                    for s in others
                ]
            ), "mapped"
        return [
            Candidate(s.row, MatchKind.EXACT, AMBIGUOUS_CONFIDENCE, reason(s)) for s in senses
        ], "ambiguous"

    def _similar(self, norm: str, community: str | None) -> list[Candidate]:
        labels = self.index.labels
        screened = process.extract(
            norm,
            self.index.norms,
            scorer=fuzz.token_set_ratio,
            processor=None,  # labels and terms are normalised once, by vocab.normalize
            score_cutoff=SCREEN_CUTOFF,
            limit=CANDIDATES_PER_TERM,
        )
        words = content_words(norm) or tuple(norm.split())
        best: dict[str, Candidate] = {}
        for _, _, i in screened:
            candidate = _compare(norm, words, labels[i])
            if candidate is None:
                continue
            if community and community in candidate.row.usage:
                candidate = _scaled(candidate, 1.02, candidate.predicate, candidate.reason)
            current = best.get(candidate.row.id)
            if current is None or candidate.confidence > current.confidence:
                best[candidate.row.id] = candidate
        return sorted(best.values(), key=lambda c: (-c.confidence, c.row.pref_label))


def _compare(norm: str, words: tuple[str, ...], label: IndexedLabel) -> Candidate | None:
    """Classify one screened label against the term, or None if too weak."""
    same = fuzz.token_sort_ratio(norm, label.norm)
    if same >= SAME_WORDS:
        confidence = SIMILAR_FLOOR + SIMILAR_SPAN * (same - SAME_WORDS) / (100 - SAME_WORDS)
        return Candidate(label.row, MatchKind.EXACT, round(confidence, 3), "lexical similarity")
    label_words = label.words or tuple(label.norm.split())
    in_term = _matched(label_words, words)  # label words found in the term
    in_label = _matched(words, label_words)  # term words found in the label
    label_share = in_term / len(label_words)
    term_share = in_label / len(words)
    extra = [w for w in words if not _has(w, label_words)]
    if label_share == 1 and extra:
        if all(w in PRODUCT_WORDS for w in extra):
            return Candidate(
                label.row, MatchKind.CLOSE, PRODUCT_WORDS_CONFIDENCE - 0.06, "lexical similarity"
            )
        confidence = BROAD_FLOOR + BROAD_SPAN * term_share
        return Candidate(label.row, MatchKind.BROAD, round(confidence, 3), "lexical similarity")
    if term_share == 1 and label_share < 1:
        confidence = NARROW_FLOOR + NARROW_SPAN * label_share
        return Candidate(label.row, MatchKind.NARROW, round(confidence, 3), "lexical similarity")
    overlap = min(label_share, term_share)
    if overlap >= 0.5:
        confidence = RELATED_FLOOR + RELATED_SPAN * overlap
        return Candidate(label.row, MatchKind.RELATED, round(confidence, 3), "lexical similarity")
    return None


def _has(word: str, words: Iterable[str]) -> bool:
    """True if `word` is among `words`, allowing a typo in words of MIN_FUZZY_WORD letters or more."""
    return any(
        word == w
        or (min(len(word), len(w)) >= MIN_FUZZY_WORD and fuzz.ratio(word, w) >= WORD_MATCH)
        for w in words
    )


def _matched(needles: Iterable[str], haystack: tuple[str, ...]) -> int:
    return sum(1 for w in needles if _has(w, haystack))


def _scaled(candidate: Candidate, factor: float, predicate: MatchKind, reason: str) -> Candidate:
    return Candidate(
        candidate.row, predicate, round(min(0.99, candidate.confidence * factor), 3), reason
    )


def group_by_status(alignments: list[Alignment]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for a in alignments:
        counts[a.status] += 1
    return dict(counts)
