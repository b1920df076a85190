"""Emerging topics in NPS comments: TF-IDF + NMF topics that no theme of the taxonomy names.

Offline and deterministic for a given ``random_state``; the digest compares a
quarter's topics with the previous quarter's and the year before
(:func:`cs_calc.nps_digest.find_emerging_topics`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_calc.text.themes import ThemeTaxonomy, keyword_matcher
from cs_calc.text.tokens import (
    STOPWORDS,
    detect_language,
    tokenise,
)


@dataclass(frozen=True)
class EmergingTheme:
    """An NMF topic over comments, with its size now and in the previous period.

    ``size_current``: current comments whose strongest topic this is (weight ≥
    ``min_topic_weight``); ``size_previous``: the same for previous-period
    comments projected onto the same fitted model. Shares are fractions (not
    percent) of each period's non-empty comments. ``growing``: share grew by
    at least ``min_growth_ratio`` (or from zero) and ``size_current`` ≥
    ``min_size``. ``examples``: distinct current comments with the highest weight.
    """

    label: str
    top_terms: tuple[str, ...]
    size_current: int
    size_previous: int
    share_current: float
    share_previous: float
    growing: bool
    examples: tuple[str, ...]


_TOPIC_STOPWORDS = frozenset().union(*STOPWORDS.values())


def _topic_document(text: str, taxonomy: ThemeTaxonomy, languages: frozenset[str]) -> str:
    """The comment's words minus stopwords and anything the taxonomy names (``languages``: the taxonomy's)."""
    tokens = tokenise(text)
    language = detect_language(tokens)
    if language is None:
        return ""
    named = keyword_matcher(taxonomy, language).matched_positions(tokens) if language in languages else set()
    kept = [
        token
        for position, token in enumerate(tokens)
        if position not in named and token not in _TOPIC_STOPWORDS and len(token) > 1 and not token.isdigit()
    ]
    return " ".join(kept)


def _topic_documents(texts: Sequence[str], taxonomy: ThemeTaxonomy) -> list[str]:
    """:func:`_topic_document` of each text, each distinct text worked out once."""
    languages = frozenset(taxonomy.languages)
    documents: dict[str, str] = {}
    for text in texts:
        if text not in documents:
            documents[text] = _topic_document(text, taxonomy, languages)
    return [documents[text] for text in texts]


def _assign_topics(weights: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    if weights.shape[0] == 0:
        return np.zeros(0, dtype=int), np.zeros(0)
    best = weights.argmax(axis=1)
    best_weight = weights[np.arange(weights.shape[0]), best]
    return np.where(best_weight >= threshold, best, -1), best_weight


def _pick_terms(terms: np.ndarray, loadings: np.ndarray, count: int) -> tuple[str, ...]:
    """Highest-loading terms; a word pair replaces its own words ("sso login", not "sso")."""
    picked: list[str] = []
    for index in np.argsort(-loadings, kind="stable"):
        if loadings[index] <= 0 or len(picked) >= count:
            break
        term = str(terms[index])
        words = term.split()
        if any(set(words) <= set(chosen.split()) for chosen in picked):
            continue
        if len(words) > 1:
            picked = [chosen for chosen in picked if chosen not in words]
        picked.append(term)
    return tuple(picked)


def discover_emerging_themes(
    current: pd.Series,
    previous: pd.Series,
    *,
    taxonomy: ThemeTaxonomy,
    n_topics: int = 6,
    top_terms: int = 5,
    examples: int = 3,
    random_state: int = 0,
) -> list[EmergingTheme]:
    """Topics in this period's comments that the taxonomy does not name.

    Stopwords (en + sv) and every word the taxonomy's keywords match are
    removed; TF-IDF over words and word pairs (seen in ≥ 2 comments) of the
    distinct comments with two or more words left is factorised with NMF
    (``n_topics``, deterministic for ``random_state``), then every comment
    is projected onto the topics.
    ``previous`` comments are projected onto the same model to size the topic
    then. Growth thresholds come from ``taxonomy.emerging``. Returns topics
    with at least one current comment, growing ones first, then by
    ``size_current`` descending. Fewer than ``min_comments`` non-empty current
    comments, or nothing left after removing named words, gives ``[]``.
    """
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    settings = taxonomy.emerging
    current_texts = [t for t in current.dropna().astype(str) if t.strip()]
    previous_texts = [t for t in previous.dropna().astype(str) if t.strip()]
    if len(current_texts) < max(settings.min_comments, 2) or n_topics < 1:
        return []
    current_docs = _topic_documents(current_texts, taxonomy)
    previous_docs = _topic_documents(previous_texts, taxonomy)
    vectoriser = TfidfVectorizer(
        tokenizer=str.split,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
    )
    # Fit on distinct comments with two or more content words: repeated
    # one-word leftovers ("great") would otherwise claim whole topics.
    fit_docs = sorted({doc for doc in current_docs if len(set(doc.split())) >= 2})
    try:
        fit_matrix = vectoriser.fit_transform(fit_docs)
    except ValueError:  # empty vocabulary: every word was a stopword or named
        return []
    n_components = min(n_topics, *fit_matrix.shape)
    model = NMF(n_components=n_components, init="nndsvda", random_state=random_state, max_iter=1000)
    with warnings.catch_warnings():
        # A not-quite-converged factorisation still ranks terms and comments.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(fit_matrix)
        current_weights = model.transform(vectoriser.transform(current_docs))
        previous_weights = (
            model.transform(vectoriser.transform(previous_docs))
            if previous_docs
            else np.zeros((0, n_components))
        )
    scale = np.linalg.norm(model.components_, axis=1)
    scale[scale == 0] = 1.0
    current_weights = current_weights * scale
    previous_weights = previous_weights * scale
    components = model.components_ / scale[:, None]
    current_topic, current_strength = _assign_topics(current_weights, settings.min_topic_weight)
    previous_topic, _ = _assign_topics(previous_weights, settings.min_topic_weight)
    terms = vectoriser.get_feature_names_out()

    topics: list[EmergingTheme] = []
    for topic in range(n_components):
        members = np.flatnonzero(current_topic == topic)
        if members.size == 0:
            continue
        size_previous = int((previous_topic == topic).sum())
        share_current = members.size / len(current_texts)
        share_previous = size_previous / len(previous_texts) if previous_texts else 0.0
        grew = share_previous == 0 or share_current / share_previous >= settings.min_growth_ratio
        ranked = members[np.argsort(-current_strength[members], kind="stable")]
        example_texts = tuple(dict.fromkeys(current_texts[i] for i in ranked))[:examples]
        picked = _pick_terms(terms, components[topic], top_terms)
        if not picked:
            continue
        topics.append(
            EmergingTheme(
                label=", ".join(picked),
                top_terms=picked,
                size_current=int(members.size),
                size_previous=size_previous,
                share_current=share_current,
                share_previous=share_previous,
                growing=bool(grew and members.size >= settings.min_size),
                examples=example_texts,
            )
        )
    topics.sort(key=lambda theme: (not theme.growing, -theme.size_current, theme.label))
    return topics
