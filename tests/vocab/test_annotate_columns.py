"""The annotator's fast paths keep what it computed before them: tokens as columns, written
words' keys and stems kept between texts, and word-profile dot products summed in a fixed
order."""

from __future__ import annotations

import random

import pytest

import vocab.annotate_text as annotate_text
import vocab.annotate_words as annotate_words
from vocab.annotate_text import Segment, tokenise, word_keys
from vocab.annotate_words import STOP, WeightedStems, dot, stem, token_stems

TEXT = "The CT-guided ½ dose was 2.5 Gy. Next, the OAR's contour."
# (key, surface, start, end, segment, sentence, hyphen_before), as the tokeniser gave them
# before it kept tokens as columns
EXPECTED = [
    ("the", "The", 0, 3, 0, 0, False),
    ("ct", "CT", 4, 6, 0, 0, False),
    ("guided", "guided", 7, 13, 0, 0, True),
    ("1", "½", 14, 15, 0, 0, False),  # one written word, two keys: the hyphen on neither
    ("2", "½", 14, 15, 0, 0, False),
    ("dose", "dose", 16, 20, 0, 0, False),
    ("was", "was", 21, 24, 0, 0, False),
    ("2", "2", 25, 26, 0, 0, False),
    ("5", "5", 27, 28, 0, 0, False),
    ("gy", "Gy", 29, 31, 0, 0, False),
    ("next", "Next", 33, 37, 0, 1, False),
    ("the", "the", 39, 42, 0, 1, False),
    ("oar", "OAR's", 43, 48, 0, 1, False),
    ("contour", "contour", 49, 56, 0, 1, False),
]


def test_tokens_are_columns_that_agree_with_their_token_view() -> None:
    tokens = tokenise(TEXT)
    columns = (
        tokens.keys,
        tokens.surfaces,
        tokens.starts,
        tokens.ends,
        tokens.segments,
        tokens.sentences,
        tokens.hyphens,
    )
    assert list(zip(*columns, strict=True)) == EXPECTED
    view = [
        (t.key, t.surface, t.start, t.end, t.segment, t.sentence, t.hyphen_before) for t in tokens
    ]
    assert view == EXPECTED
    assert tokens[3].surface == "½" and [t.key for t in tokens[3:5]] == ["1", "2"]


def test_segments_of_a_block_continue_a_sentence_and_a_new_block_starts_one() -> None:
    text = "First block ends here"
    tokens = tokenise(text, [Segment(0, 5, 0), Segment(6, 11, 0), Segment(12, 21, 1)])
    assert tokens.keys == ["first", "block", "end", "here"]
    assert tokens.segments == [0, 1, 2, 2]
    assert tokens.sentences == [0, 0, 1, 1]


def test_the_kept_keys_of_written_words_stay_right_when_the_store_is_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(annotate_text, "SURFACE_CACHE", 3)  # replaced after every few words
    texts = ["Tumors and CTs", "the tumours, ½ and EI's", TEXT, "Tumors and CTs again"]
    for text in texts * 2:
        tokens = tokenise(text)
        expected = [
            key
            for surface in dict.fromkeys(zip(tokens.starts, tokens.surfaces, strict=True))
            for key in (
                word_keys(surface[1][:-2]) if surface[1] == "EI's" else word_keys(surface[1])
            )
        ]
        assert tokens.keys == expected


def test_a_dot_product_of_stem_weights_is_the_full_sum_bit_for_bit() -> None:
    rng = random.Random(5)
    stems = [f"s{k}" for k in range(60)]
    for _ in range(300):
        context = {s: rng.random() * 3 for s in rng.sample(stems, rng.randint(0, 30))}
        profile = {s: rng.random() * 5 for s in rng.sample(stems, rng.randint(0, 40))}
        order = WeightedStems(context, 1.0)
        full = sum(v * profile.get(w, 0.0) for w, v in context.items())
        assert dot(context, profile, order) == full


def test_the_kept_stems_of_word_keys_stay_right_when_the_store_is_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(annotate_words, "STEM_CACHE", 2)
    for keys in (["the", "segmentation", "of", "x"], ["segments", "tumour", "a"], ["tumour"]) * 2:
        expected = [None if k in STOP or len(k) < 2 else stem(k) for k in keys]
        assert token_stems(keys) == expected
