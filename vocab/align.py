"""Alignment of a vendor's term list with the vocabulary, on the search engine's stages.

For each input term the aligner proposes candidate concepts, each with a SKOS mapping
predicate, a confidence in [0, 1], the label that matched (and the communities that use
it) and the evidence (`Candidate.reason`, written to SSSOM as its SEMAPV justification).
A term is first cut into pieces (`vocab.vendor_terms`): "SaMD (Software as a Medical
Device)" is matched as "SaMD" and as its expansion; a negated piece ("No continuous
learning") is never matched. Each piece is matched in this order of evidence:

1. the piece equals a label once normalised (`vocab.normalize`): exactMatch, "lexical
   match" for a preferred label or acronym, "synonym" for an alternative or hidden label;
2. the piece equals a label once product words are dropped ("AI auto-contouring module"):
   closeMatch, "synonym";
3. the labels most similar to it, word by word, through typos, word order and word forms
   (`vocab.align_similar`): "lexical similarity" or "word forms";
4. when no label answers confidently, the definitions and the meaning of the term
   (`vocab.align_meaning`): "definition" or "semantic similarity".

Whatever the stage, three rules weigh the candidates against the whole term: a concept
whose labels carry only numbers the term does not ("ISO/IEC 22989" for "ISO/IEC 27001
certified") is another standard and is held below MAPPED_AT; in "X (Y)" the head X
outranks what only Y names, and an acronym Y that X spells out as something else is
another sense of the letters (`_beside_head`); a label naming only the qualifiers after
the term's first preposition ranks below one naming its head (`vocab.align_head`).

A word that names different concepts for different communities (a false friend) is
resolved by the community the caller names (`community`, "industry" for vendor lists)
when exactly one sense is that community's; otherwise the result is `ambiguous` and
lists every sense. Terms whose best candidate is below `MAPPED_AT` are `unmapped`.
The confidence constants were set on our own development sets of vendor terms
(tests/alignment/vendor_terms.tsv, bench/dev-vendor.tsv) so that answers at 0.9 or
above are right at least 98% of the time (`python -m bench.quality`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from vocab.align_head import head_first, qualifier_only
from vocab.align_meaning import arbitrate, meaning_candidates
from vocab.align_similar import qualifiers_to_check, similar
from vocab.candidate import JUSTIFICATION, Candidate, scaled
from vocab.errors import InvalidInput
from vocab.label_index import IndexedLabel, LabelIndex
from vocab.meaning import MeaningIndex
from vocab.model import COMMUNITIES, KIND_RANK, LabelKind, MatchKind
from vocab.normalize import MAX_QUERY_LENGTH, clean_query, normalise_label
from vocab.store import ReadStore
from vocab.vendor_terms import PRODUCT_WORDS, numbers, pieces, spells, tail_words

__all__ = ["JUSTIFICATION", "MAPPED_AT", "Aligner", "Alignment", "Candidate"]

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
MAPPED_AT = 0.5  # a term whose best candidate is below this is reported unmapped
SHOWN_FROM = 0.3  # candidates below this are not shown
LEXICAL_SURE = 0.75  # a label candidate this good is not second-guessed by meaning evidence
PIECES_AGREE_BONUS = 1.04  # an acronym and its expansion in parentheses name the same concept
INSIDE_ONLY = 0.98  # a concept only the parenthesised part names ranks below the head's
UNSUPPORTED_CAP = 0.45  # a weak label match that nothing else supports (`_supported`)
SIMILARITY_REASONS = ("lexical similarity", "word forms")
MAX_TERMS = 10_000
CANDIDATE_LIMIT = 3


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

    def __init__(self, index: LabelIndex, meaning: MeaningIndex | None = None) -> None:
        self.index = index
        self.meaning = meaning

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
        candidates, status = self.propose(text, community)
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

    def propose(self, text: str, community: str | None) -> tuple[list[Candidate], str]:
        """Return candidates for a term, best first, and the status they imply, from its
        pieces' labels and, when no label answers confidently, from meaning evidence."""
        parts = pieces(text)
        found: dict[str, Candidate] = {}
        source: dict[str, str] = {}  # the piece each label candidate was found for
        head = ""  # the text outside parentheses, when the term has a parenthesised part
        held: set[str] = set()  # another sense of an acronym its expansion spells out
        for piece in parts:
            norm = normalise_label(piece.text)
            if not norm:
                continue
            candidates, status = self.candidates(norm, community)
            if piece.role == "outside":
                head = norm
            elif piece.role == "inside" and head and status == "mapped":
                candidates = [_beside_head(c, norm, head, found) for c in candidates]
                held |= {c.row.id for c in candidates if c.confidence == UNSUPPORTED_CAP}
            for candidate in candidates:
                source.setdefault(candidate.row.id, norm)
            if status == "ambiguous" and len(parts) == 1:
                return candidates, status
            tail = tail_words(norm)
            if tail and status == "mapped":
                candidates = [qualifier_only(c, tail) for c in candidates]
            for candidate in candidates if status == "mapped" else []:
                known = found.get(candidate.row.id)
                if known is not None:  # two pieces name it: an acronym and its expansion
                    best = max(candidate, known, key=lambda c: c.confidence)
                    candidate = scaled(best, PIECES_AGREE_BONUS, best.predicate, best.reason)
                found[candidate.row.id] = candidate
        ranked = sorted(found.values(), key=lambda c: (-c.confidence, c.row.pref_label))
        ranked = self._same_numbers(ranked, text)
        if self.meaning is None or not parts or (ranked and ranked[0].confidence >= LEXICAL_SURE):
            return self._supported(ranked, source), "mapped"
        words = [w for piece in parts for w in normalise_label(piece.text).split()]
        texts = [piece.text for piece in parts]
        found = {c.row.id: c for c in arbitrate(self.meaning, self.index, ranked, texts, words)}
        found = {c.row.id: c for c in self._supported(list(found.values()), source)}
        # meaning evidence for a concept whose label match was unsupported comes from the
        # same shared word (its vector, its definition's bm25): it cannot lift it again
        doubted = {i for i, c in found.items() if c.confidence == UNSUPPORTED_CAP}
        for candidate in meaning_candidates(self.meaning, self.index, texts, words, 3):
            current = found.get(candidate.row.id)
            if candidate.row.id in doubted:
                continue
            if current is None or candidate.confidence > current.confidence:
                found[candidate.row.id] = candidate
        ranked = self._same_numbers(list(found.values()), text)
        ranked = [_held(c) if c.row.id in held else c for c in ranked]
        if len(parts) == 1:
            ranked = head_first(ranked, normalise_label(parts[0].text), MAPPED_AT)
        return sorted(ranked, key=lambda c: (-c.confidence, c.row.pref_label)), "mapped"

    def _same_numbers(self, candidates: list[Candidate], text: str) -> list[Candidate]:
        """Return the candidates, each whose labels carry numbers none of which the term
        carries held at UNSUPPORTED_CAP: a term with its own number ("ISO/IEC 27001
        certified") names another standard, version or rule than a label with another
        number ("ISO/IEC 22989"), however close their words or meaning."""
        ours = numbers(text)
        if not ours:
            return candidates
        out = []
        for c in candidates:
            theirs = {
                n for lb in self.index.of_concept(c.row.concept) for n in numbers(lb.row.text)
            }
            if theirs and not theirs & ours and c.confidence > UNSUPPORTED_CAP:
                c = Candidate(c.row, c.predicate, UNSUPPORTED_CAP, c.reason)
            out.append(c)
        return sorted(out, key=lambda c: (-c.confidence, c.row.pref_label))

    def _supported(self, candidates: list[Candidate], source: dict[str, str]) -> list[Candidate]:
        """Return the candidates, best first, each weak label match that nothing supports
        held below MAPPED_AT.

        A weak match (`qualifiers_to_check`) is supported when the concept's texts hold
        one of the term's other words; failing that, a match through a shared word still
        stands if each other word is one the vocabulary's texts use somewhere (an
        in-domain qualifier: "fracture detection"), but not a word-form match alone
        ("screen" for "screening") or a term with a word the vocabulary never uses
        ("airport baggage screening").
        """
        store = self.index.store
        out = []
        for c in candidates:
            norm = source.get(c.row.id)
            if norm and c.reason in SIMILARITY_REASONS and c.confidence > UNSUPPORTED_CAP:
                extra, others, shared = qualifiers_to_check(norm, c.row.norm)
                if (
                    extra
                    and not store.texts_holding(others, [c.row.concept], prefix=True)
                    and (not shared or any(not _used(store, w) for w in extra))
                ):
                    c = Candidate(c.row, c.predicate, UNSUPPORTED_CAP, c.reason)
            out.append(c)
        return sorted(out, key=lambda c: (-c.confidence, c.row.pref_label))

    def candidates(self, norm: str, community: str | None) -> tuple[list[Candidate], str]:
        """Return label candidates best first and the status they imply (mapped or ambiguous)."""
        key = norm.replace(" ", "")
        exact = self.index.by_key.get(key)
        if exact:
            return self._exact(exact, community)
        core = [w for w in norm.split() if w not in PRODUCT_WORDS]
        if core and len(core) < len(norm.split()):
            stripped = self.index.by_key.get("".join(core))
            if stripped:
                found, status = self._exact(stripped, community)
                closer = [
                    scaled(
                        c,
                        PRODUCT_WORDS_CONFIDENCE / EXACT_CONFIDENCE[LabelKind.PREF],
                        MatchKind.CLOSE,
                        "synonym",
                    )
                    for c in found
                ]
                return closer, status
        return similar(self.index, norm, community), "mapped"

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


def _beside_head(
    candidate: Candidate, norm: str, head: str, found: dict[str, Candidate]
) -> Candidate:
    """Return a candidate found for a parenthesised part, weighed against the head outside.

    The head names the thing and the parenthesised part qualifies it ("Post-market
    monitoring plan (AI Act)"), so a concept that only the part names ranks below the
    head's. When the head spells the part out ("Privacy-enhancing technologies (PETs)"),
    an acronym whose concept the head does not name is another sense of those letters
    (positron emission tomography): it is held below MAPPED_AT."""
    if candidate.row.id in found:
        return candidate
    if candidate.row.kind is LabelKind.ACRONYM and spells(norm, head):
        return Candidate(candidate.row, candidate.predicate, UNSUPPORTED_CAP, candidate.reason)
    return scaled(candidate, INSIDE_ONLY, candidate.predicate, candidate.reason)


def _held(candidate: Candidate) -> Candidate:
    value = min(candidate.confidence, UNSUPPORTED_CAP)
    return Candidate(candidate.row, candidate.predicate, value, candidate.reason)


def _used(store: ReadStore, stem_: str) -> bool:
    """True if some concept's texts hold a word starting with this stem."""
    return bool(store.texts_holding([stem_], None, prefix=True))


def group_by_status(alignments: list[Alignment]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for a in alignments:
        counts[a.status] += 1
    return dict(counts)
