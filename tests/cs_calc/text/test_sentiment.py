from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from cs_calc.text.sentiment import label_sentiment, score_english, score_sentiment, score_swedish

LABELLED = Path(__file__).resolve().parents[2] / "data" / "nps_labelled.csv"
VADER = SentimentIntensityAnalyzer()


@pytest.mark.parametrize(
    "text",
    [
        "Support is amazing, they always reply within the hour",
        "Very intuitive and easy to use, love it",
        "Not bad at all, we're happy",
    ],
)
def test_clear_english_praise_is_positive(text):
    assert score_english(text) > 0.3


@pytest.mark.parametrize(
    "text",
    [
        "Terrible support, nobody answers and I hate it",
        "The app is not good, constant crashes and frustrating bugs",
        "Way too expensive and the onboarding was a disaster",
    ],
)
def test_clear_english_complaints_are_negative(text):
    assert score_english(text) < -0.3


@pytest.mark.parametrize(
    "text",
    [
        "Supporten är fantastisk och väldigt snabb",
        "Introduktionen gick jättebra, vi är supernöjda",
        "Inga problem alls, stabilt och pålitligt",  # negated "problem" turns positive
        "Priset är lite högt men produkten är grym",  # the clause after "men" weighs more
        "Kan varmt rekommenderas!",
    ],
)
def test_clear_swedish_praise_is_positive(text):
    assert score_swedish(text) > 0.3


@pytest.mark.parametrize(
    "text",
    [
        "Supporten är usel och svarar aldrig",
        "Appen fungerar inte",  # negation after the verb
        "Inte bra alls, väldigt krångligt",
        "Bra produkt men supporten är katastrofal",
        "Alldeles för dyrt och segt",
        "Jättedålig dokumentation",  # intensifying compound prefix
    ],
)
def test_clear_swedish_complaints_are_negative(text):
    assert score_swedish(text) < -0.3


def test_swedish_without_sentiment_words_is_neutral():
    assert score_swedish("Vi har ett möte på tisdag om rapporterna") == 0.0
    assert score_swedish("") == 0.0


def test_swedish_idiom_inte_minst_is_not_a_negation():
    assert score_swedish("Bra verktyg, inte minst rapporterna är bra") > 0.5


def _labelled_english() -> list[str]:
    with LABELLED.open(encoding="utf-8") as handle:
        return [row["comment"] for row in csv.DictReader(handle) if row["language"] == "en"]


def test_english_scores_equal_vader_on_the_labelled_comments():
    texts = [*_labelled_english(), "GREAT job Anna!!", "at least it works", "no good or bad?"]
    ours = np.array([score_english(text) for text in texts])
    vader = np.array([VADER.polarity_scores(text)["compound"] for text in texts])
    np.testing.assert_array_equal(ours, vader)


# Words that exercise VADER's rules: boosters, negations, "but", "least",
# "kind of", idioms, caps and punctuation.
_VADER_TEXT = (
    "good bad great terrible love hate no not never isn't without doubt so this but "
    "very extremely slightly kind of sort least at the shit bomb yeah right kiss death "
    "support slow fast GOOD BAD VERY ok :) :( ! ? !! ?? nor or cut mustard don't"
)
_VADER_WORDS = _VADER_TEXT.split()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_VADER_WORDS), min_size=1, max_size=12))
def test_english_port_matches_vader_on_rule_heavy_text(words):
    text = " ".join(words)
    assert score_english(text) == VADER.polarity_scores(text)["compound"]


def test_english_port_matches_vader_on_random_sentences():
    rng = random.Random(5)
    vocabulary = [*_VADER_WORDS, "the", "product", "team", "Anna", "onboarding", "is", "was"]
    for _ in range(500):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 20)))
        assert score_english(text) == VADER.polarity_scores(text)["compound"], text


def test_english_emoji_goes_through_vader_itself():
    assert score_english("Love it 😍") == VADER.polarity_scores("Love it 😍")["compound"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.sampled_from(["en", "sv", None, "de"]))
def test_scores_stay_between_minus_one_and_one(text, language):
    score = score_sentiment([text], [language])
    assert score.dtype == np.float64
    assert -1.0 <= score[0] <= 1.0


def test_score_sentiment_handles_missing_and_unsupported():
    scores = score_sentiment(
        ["Love it", None, float("nan"), "  ", "Riktigt dåligt", "Sehr gut", "Love it"],
        ["en", "en", "sv", "en", "sv", "de", None],
    )
    assert scores[0] > 0.5
    assert scores[1:4].tolist() == [0.0, 0.0, 0.0]
    assert scores[4] < -0.3
    assert scores[5] == 0.0  # German: no scorer
    assert scores[6] == scores[0]  # language guessed as English


def test_score_sentiment_empty_and_length_mismatch():
    assert score_sentiment([], []).shape == (0,)
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        score_sentiment(["a", "b"], ["en"])


def test_label_sentiment_uses_the_0_05_band():
    labels = label_sentiment(np.array([0.05, 0.0499, 0.0, -0.0499, -0.05, 0.9]))
    assert labels.tolist() == [
        "positive",
        "neutral",
        "neutral",
        "neutral",
        "negative",
        "positive",
    ]
