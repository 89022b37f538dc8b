"""Alignment of vendor terms and translation between communities (the core)."""

from __future__ import annotations

import pytest

from bench.alignment import evaluate, load_cases
from loaders.sssom import alignment_sssom
from tests.conftest import BASE
from vocab.align import MAPPED_AT
from vocab.errors import InvalidInput
from vocab.model import MatchKind
from vocab.vocabulary import Vocabulary


def best(
    vocabulary: Vocabulary, term: str, community: str | None = "industry"
) -> tuple[str, str, str]:
    result = vocabulary.align([term], community=community)[0]
    assert result.best is not None, result
    return result.best.row.pref_label, result.best.predicate.value, result.status


@pytest.mark.parametrize(
    ("term", "label", "predicate"),
    [
        ("Auto-segmentation", "auto-contouring", "exactMatch"),
        ("AI-powered auto-contouring software", "auto-contouring", "closeMatch"),
        ("recall", "sensitivity", "exactMatch"),
        ("Worklist prioritization", "computer-aided triage and notification", "exactMatch"),
        ("machin learning", "machine learning", "exactMatch"),
        ("Lung nodule CADe", "computer-aided detection", "broadMatch"),
        ("Deep-learning based CT reconstruction", "deep learning reconstruction", "broadMatch"),
    ],
)
def test_terms_map_with_the_right_predicate(
    shipped: Vocabulary, term: str, label: str, predicate: str
) -> None:
    assert best(shipped, term)[:2] == (label, predicate)


@pytest.mark.parametrize("term", ["Single sign-on", "Dark mode", "Invoice", "Keyboard shortcuts"])
def test_terms_without_a_good_candidate_stay_unmapped(shipped: Vocabulary, term: str) -> None:
    result = shipped.align([term])[0]
    assert result.status == "unmapped"
    assert result.best is None


def test_a_false_friend_is_resolved_by_the_callers_community(shipped: Vocabulary) -> None:
    assert best(shipped, "validation", "industry")[0] == "tuning set"
    assert best(shipped, "validation", "regulatory")[0] == "validation"
    assert best(shipped, "precision", "industry")[0] == "positive predictive value"


def test_an_unresolved_ambiguity_lists_every_sense(shipped: Vocabulary) -> None:
    result = shipped.align(["CT"], community=None)[0]
    assert result.status == "ambiguous"
    assert {c.row.pref_label for c in result.candidates} == {
        "computed tomography",
        "clinical trial",
    }


def test_each_candidate_says_what_matched_who_uses_it_and_why(shipped: Vocabulary) -> None:
    candidate = shipped.align(["recall"])[0].candidates[0]
    assert candidate.matched == "recall"
    assert "industry" in candidate.usage
    assert candidate.reason == "synonym"
    assert candidate.justification == "semapv:LexicalMatching"
    assert 0 <= candidate.confidence <= 1


def test_rows_keep_their_order_and_report_duplicates_and_bad_rows(shipped: Vocabulary) -> None:
    results = shipped.align(["recall", "Recall", "\x00\x01", "x" * 300, "AUROC"])
    assert [r.status for r in results] == ["mapped", "duplicate", "invalid", "invalid", "mapped"]
    assert results[1].note == "Same term as row 1."
    assert [r.row for r in results] == [1, 2, 3, 4, 5]


def test_too_many_terms_are_refused(shipped: Vocabulary) -> None:
    with pytest.raises(InvalidInput, match="10,000"):
        shipped.align(["a"] * 10_001)


def test_unknown_community_is_refused(shipped: Vocabulary) -> None:
    with pytest.raises(InvalidInput, match="Unknown community"):
        shipped.align(["recall"], community="vendors")


@pytest.mark.parametrize(
    ("term", "to", "label"),
    [
        ("recall", "clinical", "sensitivity"),
        ("sensitivity", "industry", "recall"),
        ("PPV", "industry", "precision"),
        ("auto-segmentation", "clinical", "auto-contouring"),
    ],
)
def test_translate_gives_the_communitys_label(
    shipped: Vocabulary, term: str, to: str, label: str
) -> None:
    translation = shipped.translate(term, to)
    assert translation.result
    assert label in [text for text, _ in translation.matches[0].labels]
    assert translation.matches[0].relationship == "equivalent"


def test_translate_validation_set_warns_about_validation(shipped: Vocabulary) -> None:
    translation = shipped.translate("validation set", "clinical")
    assert translation.matches[0].row.pref_label == "tuning set"
    assert translation.warning and "validation" in translation.warning


def test_translate_a_false_friend_lists_both_senses_with_a_warning(shipped: Vocabulary) -> None:
    translation = shipped.translate("validation", "clinical")
    assert {m.row.pref_label for m in translation.matches} == {"validation", "tuning set"}
    assert "different concepts in different communities" in (translation.warning or "")


def test_translate_an_unknown_term_has_no_result(shipped: Vocabulary) -> None:
    assert not shipped.translate("dark mode", "clinical").result


def test_alignment_quality_meets_the_bar_on_our_test_set(shipped: Vocabulary) -> None:
    quality = evaluate(shipped, load_cases())
    assert quality.cases >= 150
    assert quality.precision >= 0.9
    assert quality.recall >= 0.8
    confident = quality.bands[(0.9, 1.01)]
    assert sum(confident) / len(confident) >= 0.9
    # 23 of 26 since the second edition added near neighbours of three out-of-domain terms
    # ("screening", "data controller", next to "deployer"), which word-form matching
    # (screen/screening, control/controller, deployment/deployer) now reaches
    assert quality.kept_unmapped / quality.should_not_map >= 0.85


@pytest.mark.parametrize("term", ["recall", "dark mode"])
def test_mapped_threshold_separates_answers_from_non_answers(
    shipped: Vocabulary, term: str
) -> None:
    [result] = shipped.align([term])
    assert (result.best is not None) == bool(
        result.candidates and result.candidates[0].confidence >= MAPPED_AT
    )


def test_predicates_are_skos_mapping_properties(shipped: Vocabulary) -> None:
    predicates = {
        c.predicate for r in shipped.align([c.term for c in load_cases()]) for c in r.candidates
    }
    assert predicates <= set(MatchKind)


@pytest.mark.parametrize(
    ("term", "label"),
    [
        ("SaMD (Software as a Medical Device)", "software as a medical device"),
        ("No continuous learning (locked)", "locked algorithm"),
        ("Overfitted model", "overfitting"),
        ("De-identifies scans before upload", "de-identification"),
        ("Generalises to unseen hospitals", "generalisability"),
    ],
)
def test_product_wording_maps_to_the_concept_it_names(
    shipped: Vocabulary, term: str, label: str
) -> None:
    assert best(shipped, term)[0] == label


def test_a_negated_term_never_maps_to_what_it_negates(shipped: Vocabulary) -> None:
    result = shipped.align(["No continuous learning"])[0]
    assert "adaptive algorithm" not in [c.row.pref_label for c in result.candidates]


def test_a_term_found_by_meaning_says_so_in_its_justification(meaning: Vocabulary) -> None:
    result = meaning.align(["Scan that uses a strong magnet and radio waves"])[0]
    assert result.status == "mapped"
    candidate = result.candidates[0]
    assert candidate.reason in ("semantic similarity", "definition")
    assert candidate.justification in (
        "semapv:SemanticSimilarityThresholdMatching",
        "semapv:LexicalSimilarityThresholdMatching",
    )
    table = alignment_sssom([result], base=BASE, set_id=f"{BASE}/align#test").decode()
    assert f"\t{candidate.justification}\t" in table


@pytest.fixture(scope="module")
def meaning(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    from tests.conftest import FIXTURES, build_vocabulary

    return build_vocabulary(FIXTURES / "meaning.ttl", tmp_path_factory.mktemp("m") / "v.db")
