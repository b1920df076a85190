"""Emerging topics in NPS comments: TF-IDF + NMF topics that no theme of the taxonomy names.

Offline and deterministic for a given ``random_state``. The topics are fitted
on the quarter's comments only; the previous quarter's comments and the
baseline's (the quarters before that) are projected onto the same model, so
each topic has a share in every period. A topic is named by a phrase its
comments actually use (:func:`topic_label`), never by a list of its terms.
:func:`cs_calc.nps_digest.find_emerging_topics` keeps the new and growing ones.
"""

from __future__ import annotations

import math
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from cs_calc.text.themes import ThemeTaxonomy, keyword_matcher
from cs_calc.text.tokens import (
    STOPWORDS,
    detect_language,
    tokenise,
)

NEW_TOPIC_MAX_SHARE = 0.01
"""A topic is new when its share of comments was at most this (1 %) in every comparison period.

Below it the topic was absent or negligible before: a few older comments that
happen to share a word with the topic land on it however new the topic is.
"""

LABEL_MAX_WORDS = 6
"""Longest label, in words."""

LABEL_MIN_COMMENTS = 2
"""A label phrase must occur in at least this many different comments (distinct texts) of the topic."""

LABEL_COMMENTS = 400
"""The topic's strongest comments (distinct texts) that label candidates are read from."""


@dataclass(frozen=True)
class EmergingTheme:
    """An NMF topic over comments, with its size now and in the comparison periods.

    ``label``: the topic's most representative phrase (see
    :func:`topic_label`), words separated by single spaces, as written in the
    first of ``examples`` that uses it (capitals included). ``top_terms``: the highest-loading single
    words of the topic. ``size_current``: current comments whose strongest
    topic this is (weight ≥ ``min_topic_weight``); ``size_previous`` and
    ``size_baseline``: the same for the previous quarter's and the baseline's
    comments projected onto the same fitted model. Shares are fractions (not
    percent) of each period's non-empty comments; NaN for a period without
    comments. ``new``: at most :data:`NEW_TOPIC_MAX_SHARE` in every
    comparison period with comments (the previous quarter must have some)
    and grown by ``min_growth_ratio``. ``growing``: not new, and the share
    grew at least ``min_growth_ratio`` times against the previous quarter.
    Both need ``size_current`` ≥ ``min_size``. ``examples``: distinct
    current comments, those using the label first, strongest first.
    """

    label: str
    top_terms: tuple[str, ...]
    size_current: int
    size_previous: int
    share_current: float
    share_previous: float
    growing: bool
    examples: tuple[str, ...]
    new: bool = False
    size_baseline: int = 0
    share_baseline: float = float("nan")

    @property
    def emerging(self) -> bool:
        """New or growing."""
        return self.new or self.growing


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


# A word as written (letters and digits, joined by inner hyphens or apostrophes),
# and a run of such words separated by whitespace only: a phrase never spans
# punctuation ("people out, SSO needs" gives "people out" and "sso needs").
_WORD = r"[^\W_]+(?:['’-][^\W_]+)*"
_RUN = re.compile(rf"{_WORD}(?:\s+{_WORD})*")
# What a quote leaves out or rewrites: email addresses (redacted) and characters XML forbids.
_UNQUOTED = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def phrase_key(text: str) -> str:
    """``text`` lower case with whitespace runs made single spaces, to compare phrases with.

    >>> phrase_key("  Invoice   export\\nto our ")
    'invoice export to our'
    """
    return " ".join(text.lower().split())


def as_written(phrase: str, texts: Iterable[str]) -> str:
    """``phrase`` with the capitals of its first occurrence in ``texts`` ("SSO", "Azure AD").

    Whitespace inside stays single spaces; ``phrase`` itself when no text has it.

    >>> as_written("login loop with azure ad", ["The SSO login loop with  Azure AD is blocking"])
    'login loop with Azure AD'
    """
    pattern = re.compile(r"\s+".join(re.escape(word) for word in phrase.split()), re.IGNORECASE)
    for text in texts:
        found = pattern.search(text)
        if found:
            return " ".join(found.group(0).split())
    return phrase


def candidate_phrases(text: str, max_words: int = LABEL_MAX_WORDS) -> set[str]:
    """Phrases of 2 to ``max_words`` words that occur verbatim (case aside) in ``text``.

    None starts or ends with a stopword or a number, and none spans
    punctuation or an email address.

    >>> sorted(candidate_phrases("Okta keeps logging people out, SSO needs work.", 2))
    ['keeps logging', 'logging people', 'needs work', 'okta keeps', 'sso needs']
    """
    found: set[str] = set()
    for run in _RUN.findall(_UNQUOTED.sub(" | ", text.lower())):
        words = run.split()
        edge_ok = [_edge_word_ok(word) for word in words]
        for start in range(len(words)):
            if not edge_ok[start]:
                continue
            for end in range(start + 2, min(len(words), start + max_words) + 1):
                if edge_ok[end - 1]:
                    found.add(" ".join(words[start:end]))
    return found


def _edge_word_ok(word: str) -> bool:
    tokens = tokenise(word)
    return bool(tokens) and all(
        t not in _TOPIC_STOPWORDS and not t.isdigit() for t in (tokens[0], tokens[-1])
    )


def _phrase_terms(phrase: str) -> list[str]:
    """The phrase's TF-IDF terms: its words and word pairs once stopwords are gone."""
    words = [t for t in tokenise(phrase) if t not in _TOPIC_STOPWORDS and len(t) > 1 and not t.isdigit()]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def topic_label(
    texts: Mapping[str, float],
    vocabulary: Mapping[str, int],
    loadings: np.ndarray,
    *,
    min_comments: int = LABEL_MIN_COMMENTS,
    max_words: int = LABEL_MAX_WORDS,
) -> str:
    """The phrase that best names a topic, as written in its comments (lower case).

    ``texts``: the topic's comments (distinct texts) → weight (their summed
    topic weight); ``loadings``: the topic's NMF component over
    ``vocabulary`` (TF-IDF terms → column). Candidates are
    :func:`candidate_phrases` found in at least ``min_comments`` of the
    texts; each scores the summed weight of the texts using it × the summed
    loadings of its terms (:func:`_phrase_terms`) on the topic, so a phrase
    wins by being both common in the topic and made of its words. Ties go to
    the longer phrase, then alphabetical order. When no phrase is shared,
    the best phrase of the strongest comment; failing that, its first word.
    """
    used: dict[str, float] = defaultdict(float)
    uses: dict[str, int] = defaultdict(int)
    strongest = max(texts, key=lambda t: (texts[t], t), default="")
    for text, weight in texts.items():
        for phrase in candidate_phrases(text, max_words):
            used[phrase] += weight
            uses[phrase] += 1

    def relevance(phrase: str) -> float:
        return float(sum(loadings[vocabulary[t]] for t in _phrase_terms(phrase) if t in vocabulary))

    def best(phrases: Iterable[str], weight: Mapping[str, float]) -> str | None:
        scored = [(weight[p] * relevance(p), len(p.split()), p) for p in phrases]
        scored = [s for s in scored if s[0] > 0]
        if not scored:
            return None
        return min(scored, key=lambda s: (-s[0], -s[1], s[2]))[2]

    shared = best((p for p in used if uses[p] >= min_comments), used)
    if shared is not None:
        return shared
    own = best(candidate_phrases(strongest, max_words), defaultdict(lambda: 1.0))
    if own is not None:
        return own
    words = [run.split() for run in _RUN.findall(strongest.lower())]
    return words[0][0] if words else ""


def _top_words(terms: np.ndarray, loadings: np.ndarray, count: int) -> tuple[str, ...]:
    """The highest-loading single words (no word pairs), strongest first."""
    picked: list[str] = []
    for index in np.argsort(-loadings, kind="stable"):
        if loadings[index] <= 0 or len(picked) >= count:
            break
        term = str(terms[index])
        if " " not in term:
            picked.append(term)
    return tuple(picked)


def _grew(share_current: float, share_before: float, ratio: float) -> bool:
    """``share_current`` ≥ ``ratio`` × ``share_before``, float noise aside (0.15 vs 1.5 × 0.1)."""
    return share_current >= ratio * share_before * (1 - 1e-9)


def discover_emerging_themes(
    current: pd.Series,
    previous: pd.Series,
    *,
    taxonomy: ThemeTaxonomy,
    baseline: pd.Series | None = None,
    n_topics: int = 6,
    top_terms: int = 5,
    examples: int = 3,
    random_state: int = 0,
) -> list[EmergingTheme]:
    """Topics in this period's comments that the taxonomy does not name.

    Stopwords (every supported language) and every word the taxonomy's
    keywords match are removed; TF-IDF over words and word pairs (seen in
    ≥ 2 comments) of the distinct comments with two or more words left is
    factorised with NMF (``n_topics``, deterministic for ``random_state``),
    then every comment is projected onto the topics. ``previous`` (the
    previous quarter) and ``baseline`` (the quarters before it; None: not
    compared) are projected onto the same model to size the topic then.
    Thresholds come from ``taxonomy.emerging`` (see :class:`EmergingTheme`
    for ``new`` and ``growing``). Returns topics with at least one current
    comment: new ones first, then growing ones, then the rest, each by
    ``size_current`` descending. Fewer than ``min_comments`` non-empty
    current comments, or nothing left after removing named words, gives ``[]``.
    """
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    settings = taxonomy.emerging
    current_texts = _texts(current)
    previous_texts = _texts(previous)
    baseline_texts = _texts(baseline) if baseline is not None else []
    if len(current_texts) < max(settings.min_comments, 2) or n_topics < 1:
        return []
    current_docs = _topic_documents(current_texts, taxonomy)
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
    scale = np.linalg.norm(model.components_, axis=1)
    scale[scale == 0] = 1.0
    components = model.components_ / scale[:, None]

    def assigned(docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        if not docs:
            return np.zeros(0, dtype=int), np.zeros(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            weights = model.transform(vectoriser.transform(docs)) * scale
        return _assign_topics(weights, settings.min_topic_weight)

    current_topic, current_strength = assigned(current_docs)
    previous_topic, _ = assigned(_topic_documents(previous_texts, taxonomy))
    baseline_topic, _ = assigned(_topic_documents(baseline_texts, taxonomy))
    terms = vectoriser.get_feature_names_out()
    vocabulary = {str(term): column for column, term in enumerate(terms)}

    topics: list[EmergingTheme] = []
    for topic in range(n_components):
        members = np.flatnonzero(current_topic == topic)
        if members.size == 0:
            continue
        ranked = members[np.argsort(-current_strength[members], kind="stable")]
        weight_of: dict[str, float] = defaultdict(float)
        for i in ranked:
            weight_of[current_texts[i]] += float(current_strength[i])
        distinct = list(weight_of)
        label = topic_label(
            {text: weight_of[text] for text in distinct[:LABEL_COMMENTS]}, vocabulary, components[topic]
        )
        if not label:
            continue
        example_texts = tuple(
            sorted(distinct, key=lambda t: label not in phrase_key(t))[:examples]  # stable: strongest first
        )
        label = as_written(label, example_texts)
        size_current = int(members.size)
        size_previous = int((previous_topic == topic).sum())
        size_baseline = int((baseline_topic == topic).sum())
        share_current = size_current / len(current_texts)
        share_previous = _share(size_previous, previous_texts)
        share_baseline = _share(size_baseline, baseline_texts) if baseline is not None else math.nan
        before = [s for s in (share_previous, share_baseline) if not math.isnan(s)]
        big_enough = size_current >= settings.min_size and not math.isnan(share_previous)
        new = (
            big_enough
            and all(s <= NEW_TOPIC_MAX_SHARE for s in before)
            and _grew(share_current, max(before), settings.min_growth_ratio)
        )
        growing = big_enough and not new and _grew(share_current, share_previous, settings.min_growth_ratio)
        topics.append(
            EmergingTheme(
                label=label,
                top_terms=_top_words(terms, components[topic], top_terms),
                size_current=size_current,
                size_previous=size_previous,
                share_current=share_current,
                share_previous=share_previous,
                growing=bool(growing),
                examples=example_texts,
                new=bool(new),
                size_baseline=size_baseline,
                share_baseline=share_baseline,
            )
        )
    topics.sort(key=lambda t: (not t.new, not t.growing, -t.size_current, t.label))
    return topics


def _texts(comments: pd.Series) -> list[str]:
    return [t for t in comments.dropna().astype(str) if t.strip()]


def _share(size: int, texts: Sequence[str]) -> float:
    return size / len(texts) if texts else math.nan
