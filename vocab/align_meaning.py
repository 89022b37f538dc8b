"""Meaning evidence for alignment: a vendor term against concept definitions and vectors.

When no label matches a term well ("Flags suspicious findings on chest X-ray"), the
search engine's meaning stages (`vocab.meaning`) propose concepts: its content words
against each concept's definitions (bm25) and its vector against the concept vectors,
fused by rank. The confidence of such a candidate comes from the cosine similarity and
from whether both stages put it first (`confidence`); the constants were set on our
development sets (tests/alignment/vendor_terms.tsv, bench/dev-vendor.tsv), never on the
frozen evaluation sets.
"""

from __future__ import annotations

from vocab.candidate import Candidate
from vocab.label_index import LabelIndex, content_words
from vocab.meaning import MeaningIndex, fuse
from vocab.model import KIND_RANK, MatchKind
from vocab.vendor_terms import PRODUCT_WORDS, core_words

READ = 20  # concepts read from each meaning stage
RRF_K = 5.0
WEIGHTS = (1.0, 1.5)  # definition, semantic
CLOSE_AT = 0.8  # cosine from which a meaning candidate is a closeMatch, else relatedMatch
# confidence = BASE + SPAN * (cosine - COSINE_FLOOR) / (1 - COSINE_FLOOR), plus AGREE when
# both stages rank the concept first, capped at CAP (meaning evidence is never exact)
COSINE_FLOOR, BASE, SPAN, AGREE, CAP = 0.45, 0.3, 0.7, 0.12, 0.85
DOUBT = 0.2  # a label candidate that neither meaning stage ranks in its first five
LEXICAL_CAP = 0.89  # meaning evidence never lifts a label candidate to an exact's confidence


def confidence(cosine: float, agree: bool) -> float:
    """Return the calibrated confidence of a meaning candidate."""
    value = BASE + SPAN * max(0.0, cosine - COSINE_FLOOR) / (1 - COSINE_FLOOR)
    return round(min(CAP, value + (AGREE if agree else 0.0)), 3)


def embed_text(texts: list[str]) -> str:
    """Return the pieces' text without product words, for the term's vector."""
    words = [w for text in texts for w in text.split()]
    kept = [w for w in words if w.lower().strip(".,;:()-") not in PRODUCT_WORDS]
    return " ".join(kept or words)


def arbitrate(
    meaning: MeaningIndex,
    index: LabelIndex,
    lexical: list[Candidate],
    texts: list[str],
    words: list[str],
) -> list[Candidate]:
    """Return the candidates re-ranked by fusing the label, definition and meaning rankings.

    A label candidate that the meaning stages also rank first is confirmed (its confidence
    raised by AGREE); one that they rank nowhere is doubted (lowered by DOUBT)."""
    definition = meaning.by_definition(core_words(list(content_words(" ".join(words)))), READ)
    semantic = meaning.by_meaning(embed_text(texts), READ)
    by_definition = [c for c, _ in definition]
    by_meaning = [c for c, _ in semantic]
    firsts = {ranking[0] for ranking in (by_definition, by_meaning) if ranking}
    out = []
    for candidate in lexical:
        concept = candidate.row.concept
        if concept in firsts:
            change = AGREE if len(firsts) == 1 else AGREE / 2
        elif concept not in by_definition[:5] and concept not in by_meaning[:5]:
            change = -DOUBT
        else:
            change = 0.0
        value = round(min(LEXICAL_CAP, max(0.0, candidate.confidence + change)), 3)
        out.append(Candidate(candidate.row, candidate.predicate, value, candidate.reason))
    return out


def meaning_candidates(
    meaning: MeaningIndex, index: LabelIndex, texts: list[str], words: list[str], limit: int
) -> list[Candidate]:
    """Return up to `limit` candidates found through definitions and meaning, best first."""
    definition = meaning.by_definition(core_words(list(content_words(" ".join(words)))), READ)
    semantic = meaning.by_meaning(embed_text(texts), READ)
    cosine = dict(semantic)
    by_definition = {c: i for i, (c, _) in enumerate(definition)}
    by_meaning = {c: i for i, (c, _) in enumerate(semantic)}
    fused = fuse([list(by_definition), list(by_meaning)], WEIGHTS, RRF_K)
    out = []
    for concept, _ in fused[:limit]:
        labels = sorted(index.of_concept(concept), key=lambda lb: KIND_RANK[lb.row.kind])
        if not labels:
            continue  # not active
        similarity = cosine.get(concept, 0.0)
        agree = by_definition.get(concept) == 0 and by_meaning.get(concept) == 0
        first_by_meaning = by_meaning.get(concept, READ) <= by_definition.get(concept, READ)
        out.append(
            Candidate(
                labels[0].row,
                MatchKind.CLOSE if similarity >= CLOSE_AT else MatchKind.RELATED,
                confidence(similarity, agree),
                "semantic similarity" if first_by_meaning else "definition",
            )
        )
    return sorted(out, key=lambda c: -c.confidence)
