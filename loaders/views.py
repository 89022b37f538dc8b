"""The public JSON of concepts, lookups, searches, alignments and translations.

The keys are the public contract (`docs/api.md`), in SKOS names; both edges (HTTP and the
CLI's `--json`) send exactly these.
"""

from __future__ import annotations

from typing import Any

from loaders.terminal import heading
from vocab.align import Alignment, group_by_status
from vocab.lookup import LookupHit, LookupResult
from vocab.model import Concept, LabelKind, LangText, MatchKind, NoteKind, SourceInfo
from vocab.search_hits import SearchHit
from vocab.store import ConceptRef
from vocab.translate import Translation
from vocab.vocabulary import Vocabulary


def _lang_map(texts: tuple[LangText, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in texts:
        out.setdefault(t.lang, t.text)
    return out


def _ref(uri: str, refs: dict[str, ConceptRef]) -> dict[str, Any]:
    ref = refs.get(uri)
    return {"uri": uri, "id": ref.id if ref else None, "prefLabel": ref.pref_label if ref else None}


def concept_json(
    vocabulary: Vocabulary, concept: Concept, top_of: str | None = None
) -> dict[str, Any]:
    """Return the JSON of a concept: labels with their communities, relations with labels."""
    linked = concept.broader + concept.narrower + concept.related + concept.replaced_by
    refs = vocabulary.refs(linked)

    def labels(kind: LabelKind) -> list[dict[str, Any]]:
        return [
            {"label": lb.text, "lang": lb.lang, "usage": list(lb.usage)}
            for lb in concept.labels_of(kind)
        ]

    return {
        "uri": concept.uri,
        "id": concept.id,
        "prefLabel": {lb.lang: lb.text for lb in concept.labels_of(LabelKind.PREF)},
        "altLabel": labels(LabelKind.ALT),
        "hiddenLabel": labels(LabelKind.HIDDEN),
        "acronym": list(concept.acronyms),
        "labels": [
            {"label": lb.text, "lang": lb.lang, "type": lb.kind.value, "usage": list(lb.usage)}
            for lb in concept.labels
            if lb.kind is not LabelKind.HIDDEN
        ],
        "definition": _lang_map(concept.definitions),
        "plainDefinition": _lang_map(concept.plain_definitions),
        "usageWarning": _lang_map(
            tuple(LangText(n.text, n.lang) for n in concept.notes if n.kind is NoteKind.WARNING)
        ),
        "notes": [
            {"type": n.kind.value, "text": n.text, "lang": n.lang}
            for n in concept.notes
            if n.kind is not NoteKind.WARNING
        ],
        "broader": [_ref(u, refs) for u in concept.broader],
        "narrower": [_ref(u, refs) for u in concept.narrower],
        "related": [_ref(u, refs) for u in concept.related],
        **{kind.value: list(concept.matches(kind)) for kind in MatchKind},
        "status": concept.status.value,
        "replacedBy": [_ref(u, refs) for u in concept.replaced_by],
        "source": list(concept.sources) + [c.text for c in concept.citations],
        "page": list(concept.pages),
        "sources": [
            *(source_json(b, "source") for b in vocabulary.cited(concept.sources)),
            *(source_json(b, "page") for b in vocabulary.cited(concept.pages)),
        ],
        "notation": list(concept.notations),
        "inScheme": list(concept.in_schemes),
        "topConceptOf": top_of,
        "collections": [
            {"uri": c.uri, "id": c.id, "prefLabel": c.label()}
            for c in vocabulary.collections_of(concept)
        ],
        "created": concept.created,
        "modified": concept.modified,
    }


def source_json(described: SourceInfo, kind: str) -> dict[str, str]:
    """Return a cited address with what is known of it ('' where unknown); `kind` is
    `source` (dct:source) or `page` (foaf:page, the body's or standard's web page)."""
    return {
        "iri": described.iri,
        "kind": kind,
        "title": described.title,
        "citation": described.citation,
        "publisher": described.publisher,
        "year": described.year,
    }


def hit_json(ref_row: LookupHit | SearchHit) -> dict[str, Any]:
    row = ref_row.row
    return {"uri": row.uri, "id": row.id, "prefLabel": row.pref_label, "matched": ref_row.matched}


def search_json(query: str, hits: list[SearchHit]) -> dict[str, Any]:
    return {
        "query": query,
        "results": [
            {
                **hit_json(h),
                "match_type": h.match_type.value,
                "score": round(h.score, 3),
                "status": h.row.status.value,
                "usage": list(h.row.shown_usage),
            }
            for h in hits
        ],
    }


def lookup_json(vocabulary: Vocabulary, result: LookupResult) -> dict[str, Any]:
    def sense(hit: LookupHit) -> dict[str, Any]:
        record = vocabulary.record(hit.row.id)
        concept = record.concept
        return {
            **hit_json(hit),
            "heading": heading(hit, concept, result.query),
            "tier": hit.tier,
            "acronym": list(concept.acronyms),
            "definition": concept.definition(),
            "field": list(vocabulary.fields(concept)),
            "usage": list(hit.row.shown_usage),
            "status": concept.status.value,
            "replacedBy": [
                _ref(u, vocabulary.refs(concept.replaced_by)) for u in concept.replaced_by
            ],
        }

    return {
        "query": result.query,
        "ambiguous": result.ambiguous,
        "results": [sense(h) for h in result.hits],
        "otherSenses": [sense(h) for h in result.other_senses],
    }


def candidates_json(alignment: Alignment) -> list[dict[str, Any]]:
    return [
        {
            "uri": c.row.uri,
            "id": c.row.id,
            "prefLabel": c.row.pref_label,
            "predicate": f"skos:{c.predicate.value}",
            "confidence": c.confidence,
            "matched": c.matched,
            "usage": list(c.usage),
            "reason": c.reason,
            "justification": c.justification,
        }
        for c in alignment.candidates
    ]


def alignment_json(alignments: list[Alignment], community: str | None) -> dict[str, Any]:
    return {
        "community": community,
        "summary": {"terms": len(alignments), **group_by_status(alignments)},
        "results": [
            {
                "row": a.row,
                "term": a.term,
                "status": a.status,
                "note": a.note,
                "candidates": candidates_json(a),
            }
            for a in alignments
        ],
    }


def translation_json(translation: Translation, source: str | None) -> dict[str, Any]:
    return {
        "term": translation.term,
        "to": translation.to,
        "from": source,
        "result": translation.result,
        "warning": translation.warning,
        "matches": [
            {
                "relationship": m.relationship,
                "concept": {"uri": m.row.uri, "id": m.row.id, "prefLabel": m.row.pref_label},
                "matched": m.row.shown,
                "labels": [{"label": label, "usage": list(usage)} for label, usage in m.labels],
                "confidence": m.confidence,
                "note": m.note,
            }
            for m in translation.matches
        ],
    }


def suggest_json(query: str, hits: list[SearchHit]) -> dict[str, Any]:
    """Return completions for search-as-you-type: the label that matched and its communities."""
    return {
        "query": query,
        "suggestions": [
            {
                "label": h.matched,
                "prefLabel": h.row.pref_label,
                "id": h.row.id,
                "uri": h.row.uri,
                "match_type": h.match_type.value,
                "kind": h.row.kind.value,
                "usage": list(h.row.shown_usage),
            }
            for h in hits
        ],
    }
