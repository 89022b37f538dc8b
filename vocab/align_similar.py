"""Lexical similarity between a vendor term and the labels: the aligner's third stage.

The few most similar labels (rapidfuzz over the normalised labels and over their stems,
every label in memory) are compared word by word: the same words with typos, in another
order or in other forms (stems: "segments" meets "segmentation") give exactMatch; the
label's words plus qualifiers give broadMatch (the vendor term is narrower); only some of
the label's words give narrowMatch or relatedMatch. A compound written as one word
("autocontours") is split into two label words first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz import fuzz, process

from vocab.candidate import Candidate, scaled
from vocab.label_index import IndexedLabel, LabelIndex, content_words
from vocab.model import MatchKind
from vocab.morphology import same_stem, split_compound, stem
from vocab.vendor_terms import PRODUCT_WORDS

SIMILAR_FLOOR, SIMILAR_SPAN = 0.62, 0.3  # same words, typos or order: floor + span * similarity
BROAD_FLOOR, BROAD_SPAN = 0.55, 0.25  # label plus qualifiers: floor + span * share of words
NARROW_FLOOR, NARROW_SPAN = 0.45, 0.2
RELATED_FLOOR, RELATED_SPAN = 0.3, 0.2
PRODUCT_CLOSE = 0.8  # the label's words plus product words only: closeMatch
WORD_FORMS_PENALTY = 0.03  # a match through word forms (stems) is a little less sure
WORD_MATCH = 84  # rapidfuzz ratio at which two words count as the same word (a typo)
MIN_FUZZY_WORD = 6  # shorter words must match exactly ("mode" is not "model")
SAME_WORDS = 90  # token_sort_ratio at which a term and a label have the same words
CANDIDATES_PER_TERM = 12  # labels compared word by word after the rapidfuzz screen
SCREEN_CUTOFF = 55  # least token_set_ratio for a label to be screened in
COMMUNITY_BONUS = 1.02  # a label the caller's community uses


def split_compounds(words: list[str], index: LabelIndex) -> list[str]:
    """Return `words` with each word unknown to the labels split into two label words."""
    known = index.word_stems
    out: list[str] = []
    for word in words:
        parts = None if word in known else split_compound(word, known.__contains__)
        out += list(parts) if parts else [word]
    return out


def similar(index: LabelIndex, norm: str, community: str | None) -> list[Candidate]:
    """Return candidates from the labels most similar to `norm`, best first."""
    words = split_compounds(norm.split(), index)
    norm = " ".join(words)
    stems = " ".join(stem(w) for w in words)
    screened = {
        i
        for query, choices in ((norm, index.norms), (stems, index.stem_norms))
        for _, _, i in process.extract(
            query,
            choices,
            scorer=fuzz.token_set_ratio,
            processor=None,  # labels and terms are normalised once, by vocab.normalize
            score_cutoff=SCREEN_CUTOFF,
            limit=CANDIDATES_PER_TERM,
        )
    }
    content = content_words(norm) or tuple(words)
    best: dict[str, Candidate] = {}
    for i in sorted(screened):
        candidate = _compare(norm, content, index.labels[i], index.weight)
        if candidate is None:
            continue
        if community and community in candidate.row.usage:
            candidate = scaled(candidate, COMMUNITY_BONUS, candidate.predicate, candidate.reason)
        current = best.get(candidate.row.id)
        if current is None or candidate.confidence > current.confidence:
            best[candidate.row.id] = candidate
    return sorted(best.values(), key=lambda c: (-c.confidence, c.row.pref_label))


def _compare(
    norm: str, words: tuple[str, ...], label: IndexedLabel, weight: Callable[[str], float]
) -> Candidate | None:
    """Classify one screened label against the term, or None if too weak. Shares of the
    term's words are weighted by how telling each word is (`LabelIndex.weight`)."""
    same = fuzz.token_sort_ratio(norm, label.norm)
    if same >= SAME_WORDS:
        confidence = SIMILAR_FLOOR + SIMILAR_SPAN * (same - SAME_WORDS) / (100 - SAME_WORDS)
        return Candidate(label.row, MatchKind.EXACT, round(confidence, 3), "lexical similarity")
    label_words = label.words or tuple(label.norm.split())
    in_term = _matched(label_words, words)  # label words found in the term
    weights = {w: weight(w) for w in words}
    in_label = sum(weights[w] for w in words if _has(w, label_words))  # term words in the label
    label_share = in_term / len(label_words)
    term_share = in_label / (sum(weights.values()) or 1.0)
    extra = [w for w in words if not _has(w, label_words)]
    forms = any(not _has(w, label_words, stems=False) for w in words if w not in extra)
    reason = "word forms" if forms else "lexical similarity"
    penalty = WORD_FORMS_PENALTY if forms else 0.0
    if label_share == 1 and not extra:  # the same words in other forms
        return Candidate(label.row, MatchKind.EXACT, round(SIMILAR_FLOOR + 0.2, 3), reason)
    if label_share == 1 and extra:
        if all(w in PRODUCT_WORDS for w in extra):
            return Candidate(label.row, MatchKind.CLOSE, PRODUCT_CLOSE - penalty, reason)
        confidence = BROAD_FLOOR + BROAD_SPAN * term_share - penalty
        return Candidate(label.row, MatchKind.BROAD, round(confidence, 3), reason)
    if term_share >= 0.999 and label_share < 1:
        confidence = NARROW_FLOOR + NARROW_SPAN * label_share - penalty
        return Candidate(label.row, MatchKind.NARROW, round(confidence, 3), reason)
    overlap = min(label_share, term_share)
    if overlap >= 0.5:
        confidence = RELATED_FLOOR + RELATED_SPAN * overlap - penalty
        return Candidate(label.row, MatchKind.RELATED, round(confidence, 3), reason)
    return None


def _has(word: str, words: Iterable[str], *, stems: bool = True) -> bool:
    """True if `word` is among `words`, allowing a typo in words of MIN_FUZZY_WORD letters or
    more and, with `stems`, another form of the same word."""
    return any(
        word == w
        or (min(len(word), len(w)) >= MIN_FUZZY_WORD and fuzz.ratio(word, w) >= WORD_MATCH)
        or (stems and same_stem(stem(word), stem(w)))
        for w in words
    )


def _matched(needles: Iterable[str], haystack: tuple[str, ...]) -> int:
    return sum(1 for w in needles if _has(w, haystack))
