"""Ranked search: labels first (exact > acronym > synonym > prefix > fuzzy), then meaning.

Stages run cheapest first, against indexes; the fuzzy stage runs only when no exact or
prefix stage found anything, and the meaning stages only when no label answers
confidently:

1. exact: the normalised compact key equals a label's (index lookup);
2. initials: a short one-word query is looked up among the initials of labels of several
   words (`RT` for "radiologic technologist": an acronym's senses that record none);
   prefix: a label's key starts with the query's (index range scan), or every query word
   starts a word of the label, in any order (FTS5 prefix query);
3. fuzzy: each query word is corrected to words of visible labels found through a
   deletion index (`vocab.typo_index`), ranked with rapidfuzz (most similar, then
   commonest); the corrected label is looked up by its key, FTS5 finds labels holding the
   corrected words in any order, and rapidfuzz ranks those few hundred candidates; small
   stores also compare the whole query with every label;
4. meaning (`vocab.meaning`): the query's content words against every concept's labels,
   definitions, plain definitions, scope notes and examples (`definition`; at most about
   `vocab.meaning.SCORED_TEXTS` texts scored, those holding its rarest words), and its
   vector against the concept vectors (`semantic`); every candidate of these stages and
   of the prefix and fuzzy ones is scored on all its evidence (`vocab.rerank`), under the
   exact, acronym and synonym hits, which stay first. A label answer with fewer than
   three hits that is not a preferred label is followed by the concepts whose texts hold
   every word of the query (`definition`), under the label hits.

Each hit says how it matched (`match_type`) and which label matched (the preferred label
for a meaning hit).

A caller may follow the stages a search reaches (`STAGE_HOOK`, set by
`Vocabulary.search(on_stage=...)`): `label` when a search is computed, then `fuzzy` and
`meaning` when it goes on to them. The HTTP edge counts them and charges its rate limit
there; a hook that raises stops the search.
"""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from vocab import rerank
from vocab.meaning import MeaningIndex
from vocab.model import LabelKind, MatchType
from vocab.morphology import content_words
from vocab.normalize import clean_query, normalise_label
from vocab.search_hits import (
    FUZZY_CUTOFF,
    Scorer,
    SearchHit,
    exact,
    fuzzy,
    initials,
    prefix,
    rank,
    word_prefix,
)
from vocab.search_tables import LabelReads, SearchTables
from vocab.store import LabelRow, ReadStore
from vocab.typo_index import query_variants

# --- ranking policy ---------------------------------------------------------------------
WEAK_WORD_PREFIX = (
    0.68  # word-prefix hits below this ("F-scre" ~ "fluoroscopic screening") still try fuzzy
)
WORD_CUTOFF = 75  # least similarity for correcting a query word
WORD_CANDIDATES = 4  # corrections tried per query word
MIN_FUZZY_WORD = 4  # shorter words are not corrected (typos in "CT" are other acronyms)
CANDIDATE_LIMIT = 300  # labels read from an index per stage
CORRECTED_KEY_WIDTH = 2  # best corrections per word combined into whole corrected labels
CORRECTED_KEYS = 16  # corrected labels looked up by key, at most
INITIALS_MIN, INITIALS_MAX = 2, 6  # a query this long may be an acronym of a label
FULL_SCAN_MAX_LABELS = 20_000  # stores up to this size also fuzzy-compare every label,
# and search them from memory (`vocab.search_tables`)
STAGE_HOOK: ContextVar[Callable[[str], None] | None] = ContextVar("search_stage", default=None)
# Meaning stages: run when the lexical stages found no exact label, no label the query
# starts, and nothing scoring CONFIDENT; their rankings and the lexical one are fused.
CONFIDENT = 0.7  # a lexical hit this good answers the query on its own
CLOSE_SPELLING = 75  # ... and so does one whose whole label is this close (rapidfuzz ratio)
TYPO_EDITS = 2  # ... if each word it lacks is this many edits from a label word at most
PINNED = frozenset({MatchType.EXACT, MatchType.ACRONYM, MatchType.SYNONYM})  # stay first
MEANING_CANDIDATES = 50  # concepts read from each meaning stage
LEXICAL_CANDIDATES = 30  # best prefix and fuzzy hits reranked with them
SEMANTIC_ALONE = 0.55  # least cosine similarity to show a concept no other stage found
FEW_HITS = 3  # a label answer with fewer hits is followed by concepts whose texts hold it
FILL_SHARE = 0.5  # ... whose bm25 is at least this share of the best such concept's
MEANING_BASE, MEANING_SPAN = 0.3, 0.5  # reranked hits score base + span * share of the most


@dataclass(frozen=True)
class SearchFilters:
    """Optional restrictions: a community that uses the label, a collection, a language."""

    community: str | None = None
    members: frozenset[str] | None = None  # URIs of a collection's members
    lang: str | None = None
    include_deprecated: bool = False

    def accept(self, row: LabelRow) -> bool:
        if not self.include_deprecated and not row.is_active:
            return False
        if self.community and self.community not in row.usage:
            return False
        if self.members is not None and row.uri not in self.members:
            return False
        return not self.lang or row.lang.lower().startswith(self.lang.lower())


def _reached(stage: str) -> None:
    hook = STAGE_HOOK.get()
    if hook is not None:
        hook(stage)


class Searcher:
    """Search over one store; holds the label tables of a small store once loaded."""

    def __init__(self, store: ReadStore, meaning: MeaningIndex | None = None) -> None:
        self.store = store
        self.meaning = meaning if meaning is not None else MeaningIndex(store)
        self._lock = threading.Lock()
        self._loaded = False
        self._reads: LabelReads = store  # the store, or its tables held in memory
        self._tables: SearchTables | None = None  # held for a small store

    def search(
        self, text: str, *, limit: int = 10, filters: SearchFilters = SearchFilters()
    ) -> list[SearchHit]:
        """Return up to `limit` hits, best first. Raises InvalidInput for a bad query."""
        text = clean_query(text)
        norm = normalise_label(text)
        key = norm.replace(" ", "")
        if not key:
            return []
        _reached("label")
        self._load()
        reads = self._reads
        best: dict[int, SearchHit] = {}

        def consider(rows: list[LabelRow], score: Scorer) -> None:
            for row in rows:
                if filters.accept(row):
                    hit = score(row)
                    if hit and (row.concept not in best or rank(hit) < rank(best[row.concept])):
                        best[row.concept] = hit

        consider(reads.labels_with_key(key), exact)
        if len(best) >= limit:  # every prefix or fuzzy score is below every exact one
            return sorted(best.values(), key=rank)[:limit]
        if INITIALS_MIN <= len(key) <= INITIALS_MAX and " " not in norm and key.isalpha():
            # an acronym's other senses: labels it abbreviates that record no acronym
            consider(reads.labels_with_initials(key, limit), initials)
        consider(reads.labels_with_key_prefix(key, CANDIDATE_LIMIT), prefix(key, norm=norm))
        strong = bool(best)  # an exact or whole-label prefix hit answers the query
        words = norm.split()
        consider(
            reads.labels_with_words([[w] for w in words], prefix=True, limit=CANDIDATE_LIMIT),
            word_prefix(key, norm),
        )
        content = content_words(words)
        if len(content) < len(words):  # stop words never decide: "NEAR(machine learning)"
            consider(
                reads.labels_with_words([[w] for w in content], prefix=True, limit=CANDIDATE_LIMIT),
                word_prefix("".join(content), " ".join(content)),
            )
        if not strong and all(hit.score < WEAK_WORD_PREFIX for hit in best.values()):
            _reached("fuzzy")
            consider(self._fuzzy_candidates(words, key), fuzzy(norm, words))
        lexical = sorted(best.values(), key=rank)
        if (
            strong
            or (lexical and lexical[0].score >= CONFIDENT)
            or self._typo_of(norm, lexical[:10])
        ):
            if _few_and_not_named(lexical, limit):
                return lexical + self._texts_naming(
                    words, lexical, FEW_HITS - len(lexical), filters
                )
            return lexical[:limit]
        _reached("meaning")
        return self._with_meaning(text, words, lexical, limit, filters)

    # --- meaning stages -------------------------------------------------------------------

    def _with_meaning(
        self,
        text: str,
        words: list[str],
        lexical: list[SearchHit],
        limit: int,
        filters: SearchFilters,
    ) -> list[SearchHit]:
        """Return the pinned lexical hits, then every stage's candidates reranked
        (`vocab.rerank`) on all their evidence at once."""
        pinned = [hit for hit in lexical if hit.match_type in PINNED]
        taken = {hit.row.concept for hit in pinned}
        loose = {
            hit.row.concept: hit
            for hit in lexical[:LEXICAL_CANDIDATES]
            if hit.match_type not in PINNED and hit.row.concept not in taken
        }
        words = self.meaning.split_unknown(words)
        content = content_words(words)
        text_scores = dict(
            self.meaning.by_definition(self.meaning.text_words(words), MEANING_CANDIDATES)
        )
        query = self.meaning.query_vector(text)
        cosine: dict[int, float] = {}
        if query is not None:
            cosine = dict(self.meaning.nearest(query, MEANING_CANDIDATES))
            missing = [c for c in {*text_scores, *loose} if c not in cosine]
            cosine.update(self.meaning.similarities(query, missing))
        for concept in taken:
            text_scores.pop(concept, None)
            cosine.pop(concept, None)
        weights = rerank.weights(content)
        stems = rerank.stems_of(words)
        said, unknown = self.meaning.word_weights(content)
        lexical_scores = {
            c: hit.score
            * rerank.query_share(stems, rerank.stems_of(hit.row.norm.split()), said, unknown)
            for c, hit in loose.items()
        }
        scored = rerank.score(weights, text_scores, cosine, lexical_scores)
        shown = [
            s for s in scored if s.concept in loose or s.text > 0 or s.cosine >= SEMANTIC_ALONE
        ][: max(limit, rerank.LABELLED)]
        rows, labels = self._labels_of([s.concept for s in shown], filters)
        scored = rerank.with_labels(weights, shown, stems, labels, said)
        hits = list(pinned)
        for candidate in scored:
            if len(hits) >= limit:
                break
            value = round(MEANING_BASE + MEANING_SPAN * candidate.score / weights.most, 4)
            if candidate.concept in loose:
                found = loose[candidate.concept]
                hits.append(SearchHit(found.row, found.match_type, value))
            elif candidate.concept in rows:
                by_text = weights.text * candidate.text >= weights.meaning * candidate.cosine / 2
                how = MatchType.DEFINITION if by_text else MatchType.SEMANTIC
                hits.append(SearchHit(rows[candidate.concept], how, value))
        return hits

    def _texts_naming(
        self, words: list[str], lexical: list[SearchHit], count: int, filters: SearchFilters
    ) -> list[SearchHit]:
        """Return up to `count` concepts whose texts hold the query's words, under every
        label hit: a term answered by a label may name other concepts in their
        definitions ("sandbox": the AI Airlock is the MHRA's regulatory sandbox)."""
        taken = {hit.row.concept for hit in lexical}
        wanted = self.meaning.text_words(words)
        if not all(self.meaning.holds(w) for w in wanted if w):
            return []  # a word no text holds (a typo): no text holds every word
        found = self.meaning.by_definition(wanted, count + len(taken) + 1, every=True)
        found = [(c, s) for c, s in found if c not in taken]
        if not found:
            return []
        best = found[0][1]  # best first
        rows, _ = self._labels_of([c for c, _ in found], filters)
        hits = []
        for concept, relevance in found:
            if concept in rows and relevance >= FILL_SHARE * best:
                hits.append(
                    SearchHit(
                        rows[concept],
                        MatchType.DEFINITION,
                        round(MEANING_BASE * relevance / best, 4),
                    )
                )
        return hits[:count]

    def _labels_of(
        self, concepts: list[int], filters: SearchFilters
    ) -> tuple[dict[int, LabelRow], dict[int, list[list[str]]]]:
        """Return the label to show for each concept (its first label the filters accept)
        and the stems of the content words of each of its visible labels."""
        rows: dict[int, LabelRow] = {}
        stems: dict[int, list[list[str]]] = defaultdict(list)
        for row in self._reads.labels_of_concepts(concepts):
            if row.kind is LabelKind.HIDDEN:
                continue
            stems[row.concept].append(rerank.stems_of(row.norm.split()))
            if row.concept not in rows and filters.accept(row):
                rows[row.concept] = row
        return rows, stems

    def _typo_of(self, norm: str, hits: list[SearchHit]) -> bool:
        """True if a hit's whole label is a close spelling of the whole query (`_close`)
        and every query word the label lacks is a misspelling of one of its words
        (`_misspells`): a typo. "pretrained model" is close to the label "trained
        model", but "pretrained" is a word the texts use, three letters from "trained";
        "semantic segmentation" is close to "automatic segmentation", but "semantic" is
        far from "automatic": other things, for the meaning stages to find."""
        words = set(norm.split())
        return any(
            _close(norm, hit)
            and all(self._misspells(w, hit) for w in words - set(hit.row.norm.split()))
            for hit in hits
        )

    def _misspells(self, word: str, hit: SearchHit) -> bool:
        """True if `word` may be a misspelling of a word of the hit's label: one edit
        from it (an adjacent swap counts as one), or two from it and a word no concept
        text holds. One edit makes a typo even of a word the texts know by its stem
        ("fining", stem "fine", for "finding")."""
        edits = min(OSA.distance(word, w) for w in hit.row.norm.split())
        return edits <= 1 or (edits <= TYPO_EDITS and not self.meaning.holds(word))

    # --- fuzzy stage ----------------------------------------------------------------------

    def _fuzzy_candidates(self, words: list[str], key: str) -> list[LabelRow]:
        groups = [self._corrections(w) for w in words]
        rows: list[LabelRow] = []
        if all(groups):  # the corrected label itself, found by its key (index lookups)
            combos = itertools.product(*(g[:CORRECTED_KEY_WIDTH] for g in groups))
            keys = itertools.islice(combos, CORRECTED_KEYS)
            for corrected in dict.fromkeys("".join(combo) for combo in keys):
                if corrected != key:
                    rows += self._reads.labels_with_key(corrected)
        groups = [g for g in groups if g]
        if groups:  # labels holding a correction of every word, in any order
            found = self._reads.labels_with_words(groups, prefix=False, limit=CANDIDATE_LIMIT)
            if not found and len(groups) > 1:  # any corrected word, rather than all of them
                anyone = [[w for g in groups for w in g]]
                found = self._reads.labels_with_words(anyone, prefix=False, limit=CANDIDATE_LIMIT)
            rows += found
        if self._tables is not None:
            rows += self._tables.closest_labels(key, FUZZY_CUTOFF, CANDIDATE_LIMIT // 10)
        return list({id(row): row for row in rows}.values())  # a row again scores the same

    def _corrections(self, word: str) -> list[str]:
        """Return the words a query word may stand for: itself if a visible label holds it,
        else the nearest such words (most similar, then commonest) from the deletion
        index (`vocab.typo_index`), after itself if only hidden labels (known
        misspellings) hold it."""
        named = self._reads.words_named([word])
        if named and named[0].visible:
            return [word]
        itself = [word] if named else []
        if len(word) < MIN_FUZZY_WORD:
            return itself
        found_words = self._reads.words_sharing(sorted(query_variants(word)))
        pool = {w.word: w.visible for w in found_words}
        found = process.extract(  # words are normalised already: no processor
            word,
            list(pool),
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=WORD_CUTOFF,
            limit=WORD_CANDIDATES * 4,
        )
        found.sort(key=lambda f: (-f[1], -pool[f[0]]))
        return itself + [w for w, _, _ in found[:WORD_CANDIDATES]]

    def _load(self) -> None:
        """Hold the label tables in memory (`vocab.search_tables`), for a store small
        enough to compare each label with a query."""
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            if int(self.store.meta.get("labels", "0")) <= FULL_SCAN_MAX_LABELS:
                self._tables = SearchTables(self.store)
                self._reads = self._tables
            self._loaded = True


def _few_and_not_named(lexical: list[SearchHit], limit: int) -> bool:
    """True if a label answer has fewer than `FEW_HITS` hits, room for more, and is not a
    concept's preferred label: the name of a concept is answered by it alone, as fast as
    ever; an alternative label, an acronym or part of a label may also be what other
    concepts' texts call something ("sandbox", "NHS AI")."""
    return 0 < len(lexical) < min(FEW_HITS, limit) and lexical[0].match_type is not MatchType.EXACT


def _close(norm: str, hit: SearchHit) -> bool:
    """True if a hit's whole label is a close spelling of the whole query: as many words,
    and close letter by letter (a long query sharing one long word with a label is not a
    typo of it)."""
    return (
        hit.row.norm.count(" ") == norm.count(" ")
        and fuzz.ratio(norm, hit.row.norm, processor=None) >= CLOSE_SPELLING
    )
