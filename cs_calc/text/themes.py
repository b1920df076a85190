"""Themes, product areas and feature requests in NPS comments, offline.

A :class:`ThemeTaxonomy` (parsed from ``configs/nps_themes.yaml`` by
:func:`taxonomy_from_mapping`; the caller reads the file) names each theme's
keywords per language. :func:`tag_comments` finds them through stemming
(:class:`cs_calc.text.tokens.KeywordMatcher`) and scores sentiment;
:func:`cs_calc.text.topics.discover_emerging_themes` finds what the taxonomy
does not name.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from cs_calc.nps import PASSIVE_FROM, PROMOTER_FROM
from cs_calc.text.sentiment import explain_sentiment, label_sentiment, score_sentiment
from cs_calc.text.tokens import (
    SNOWBALL_ALGORITHMS,
    KeywordMatcher,
    detect_language,
    tokenise,
)

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUEST_LABEL = "request"
TAGGED_COLUMNS = (
    "response_id",
    "language",
    "themes",
    "product_area",
    "is_feature_request",
    "sentiment",
    "sentiment_label",
    "overridden",
)
"""Columns of :func:`tag_comments` output, in order."""


# --------------------------------------------------------------------------
# Taxonomy
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class KeywordGroup:
    """A theme or product area: an id, display labels and keywords per language.

    ``labels``, ``keywords`` and ``excluded`` are ``(language, value)`` pairs so
    the dataclass stays hashable; use :meth:`label` and :meth:`keywords_for`.
    """

    group_id: str
    labels: tuple[tuple[str, str], ...] = ()
    keywords: tuple[tuple[str, tuple[str, ...]], ...] = ()
    excluded: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def label(self, language: str = "en") -> str:
        """Display label in ``language``, else English, else the id."""
        labels = dict(self.labels)
        return labels.get(language) or labels.get("en") or self.group_id

    def keywords_for(self, language: str) -> tuple[str, ...]:
        """Keywords for ``language``; ``()`` when it has none."""
        return dict(self.keywords).get(language, ())


@dataclass(frozen=True)
class EmergingThemeSettings:
    """When :func:`discover_emerging_themes` calls a topic growing.

    ``min_growth_ratio``: share_current ÷ share_previous must be at least this
    (a topic absent before counts as infinite growth). ``min_size``: comments
    in the current period. ``min_comments``: fewer non-empty comments than this
    in the current period give no topics. ``min_topic_weight``: a comment's
    weight on its strongest topic (0 to ~1, TF-IDF scale) needed to count.
    """

    min_growth_ratio: float = 1.5
    min_size: int = 5
    min_comments: int = 20
    min_topic_weight: float = 0.1


@dataclass(frozen=True)
class ThemeTaxonomy:
    """Themes, product areas, feature-request phrases and emerging-theme settings."""

    themes: tuple[KeywordGroup, ...]
    product_areas: tuple[KeywordGroup, ...] = ()
    feature_request_phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    emerging: EmergingThemeSettings = field(default_factory=EmergingThemeSettings)

    @property
    def theme_ids(self) -> tuple[str, ...]:
        """Theme ids in file order."""
        return tuple(theme.group_id for theme in self.themes)

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages that have any keyword or phrase, sorted."""
        found = {lang for group in self.themes + self.product_areas for lang, _ in group.keywords}
        found |= {lang for lang, _ in self.feature_request_phrases}
        return tuple(sorted(found))


_TOP_KEYS = ("themes", "product_areas", "feature_request_phrases", "emerging_themes")
_GROUP_KEYS = ("label", "keywords", "exclude")
_EMERGING_FIELDS = {
    "min_growth_ratio": float,
    "min_size": int,
    "min_comments": int,
    "min_topic_weight": float,
}


def _unknown_key_message(where: str, key: object, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{where}: unknown key {key!r} (allowed: {', '.join(allowed)}){hint}"


def _check_mapping(value: object, where: str, problems: list[str]) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(f"{where}: must be a mapping, got {type(value).__name__}")
        return {}
    return value


def _check_language(language: object, where: str, problems: list[str]) -> bool:
    if language in SNOWBALL_ALGORITHMS:
        return True
    problems.append(
        f"{where}: unknown key {language!r} (a language code; allowed: "
        f"{', '.join(sorted(SNOWBALL_ALGORITHMS))})"
    )
    return False


def _parse_word_lists(
    value: object, where: str, problems: list[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    parsed = []
    for language, words in _check_mapping(value, where, problems).items():
        if not _check_language(language, where, problems):
            continue
        if not isinstance(words, list) or not all(
            isinstance(word, str) and any(ch.isalnum() for ch in word) for word in words
        ):
            problems.append(f"{where}.{language}: must be a list of non-empty words or phrases")
            continue
        parsed.append((language, tuple(words)))
    return tuple(parsed)


def _parse_group(group_id: object, value: object, where: str, problems: list[str]) -> KeywordGroup:
    if not isinstance(group_id, str) or not _ID_RE.match(group_id):
        problems.append(f"{where}: id {group_id!r} must be lower-case letters, digits and '_'")
    body = _check_mapping(value, f"{where}.{group_id}", problems)
    for key in body:
        if key not in _GROUP_KEYS:
            problems.append(_unknown_key_message(f"{where}.{group_id}", key, _GROUP_KEYS))
    labels_value = body.get("label")
    labels: tuple[tuple[str, str], ...] = ()
    if isinstance(labels_value, str):
        labels = (("en", labels_value),)
    else:
        label_map = _check_mapping(labels_value, f"{where}.{group_id}.label", problems)
        labels = tuple(
            (lang, str(text))
            for lang, text in label_map.items()
            if _check_language(lang, f"{where}.{group_id}.label", problems)
        )
    keywords = _parse_word_lists(body.get("keywords"), f"{where}.{group_id}.keywords", problems)
    if not keywords:
        problems.append(f"{where}.{group_id}.keywords: needs a keyword list for one language")
    excluded = _parse_word_lists(body.get("exclude"), f"{where}.{group_id}.exclude", problems)
    return KeywordGroup(str(group_id), labels, keywords, excluded)


def taxonomy_from_mapping(mapping: Mapping[str, Any]) -> ThemeTaxonomy:
    """Parse the ``nps_themes.yaml`` structure into a :class:`ThemeTaxonomy`.

    Pure: the caller reads the YAML. Every problem is collected and raised
    once as ValueError, one per line, naming the key path, e.g.
    ``themes.pricing: unknown key 'keyword' (allowed: label, keywords, exclude);
    did you mean 'keywords'?``. ``themes`` is required; the other sections are
    optional (defaults: no product areas, no request phrases, default settings).
    """
    problems: list[str] = []
    top = _check_mapping(mapping, "nps_themes", problems)
    for key in top:
        if key not in _TOP_KEYS:
            problems.append(_unknown_key_message("nps_themes", key, _TOP_KEYS))
    themes_map = _check_mapping(top.get("themes"), "themes", problems)
    if not themes_map:
        problems.append("themes: at least one theme is required")
    themes = tuple(_parse_group(key, value, "themes", problems) for key, value in themes_map.items())
    areas_map = _check_mapping(top.get("product_areas"), "product_areas", problems)
    areas = tuple(_parse_group(key, value, "product_areas", problems) for key, value in areas_map.items())
    phrases = _parse_word_lists(top.get("feature_request_phrases"), "feature_request_phrases", problems)
    settings_map = _check_mapping(top.get("emerging_themes"), "emerging_themes", problems)
    settings: dict[str, Any] = {}
    for key, value in settings_map.items():
        kind = _EMERGING_FIELDS.get(key)
        if kind is None:
            problems.append(_unknown_key_message("emerging_themes", key, list(_EMERGING_FIELDS)))
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(f"emerging_themes.{key}: {value!r} must be a number >= 0")
        elif kind is int and value != int(value):
            problems.append(f"emerging_themes.{key}: {value!r} must be a whole number")
        else:
            settings[key] = kind(value)
    if problems:
        raise ValueError("invalid NPS theme taxonomy:\n" + "\n".join(problems))
    return ThemeTaxonomy(themes, areas, phrases, EmergingThemeSettings(**settings))


# --------------------------------------------------------------------------
# Tagging
# --------------------------------------------------------------------------


@lru_cache(maxsize=16)
def keyword_matcher(taxonomy: ThemeTaxonomy, language: str) -> KeywordMatcher:
    """The stemmed keyword matcher of ``taxonomy``'s themes and product areas in ``language`` (cached)."""
    keywords: list[tuple[str, str]] = []
    excluded: list[tuple[str, str]] = []
    for prefix, groups in (("theme:", taxonomy.themes), ("area:", taxonomy.product_areas)):
        for group in groups:
            label = prefix + group.group_id
            keywords += [(label, word) for word in group.keywords_for(language)]
            excluded += [(label, word) for word in dict(group.excluded).get(language, ())]
    phrases = dict(taxonomy.feature_request_phrases).get(language, ())
    keywords += [(_REQUEST_LABEL, phrase) for phrase in phrases]
    return KeywordMatcher(language, keywords, excluded)


def _normalise_language(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower().replace("_", "-").split("-")[0]


def _tag_text(
    text: str, language: str | None, matchers: Mapping[str, KeywordMatcher | None]
) -> tuple[str | None, tuple[str, ...], str | None, bool]:
    tokens = tokenise(text)
    language = language or detect_language(tokens)
    if not tokens or language is None:
        return language, (), None, False
    matcher = matchers.get(language)
    if matcher is None:
        return language, (), None, False
    found = matcher.find(tokens)
    themes = [label[6:] for label, (_, strong) in found.items() if strong and label[:6] == "theme:"]
    if not themes:  # weak keywords count only when no theme was named outright
        themes = [label[6:] for label in found if label[:6] == "theme:"]
    areas = [(pos, label[5:]) for label, (pos, _) in found.items() if label[:5] == "area:"]
    area = min(areas)[1] if areas else None
    return language, tuple(sorted(themes)), area, _REQUEST_LABEL in found


def _check_overrides(
    overrides: Mapping[str, Sequence[str]], taxonomy: ThemeTaxonomy
) -> dict[str, tuple[str, ...]]:
    known = taxonomy.theme_ids
    problems: list[str] = []
    checked: dict[str, tuple[str, ...]] = {}
    for response_id, themes in overrides.items():
        theme_list = [themes] if isinstance(themes, str) else list(themes or ())
        for theme in theme_list:
            if theme not in known:
                close = difflib.get_close_matches(str(theme), known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(
                    f"overrides, response {response_id!r}: theme {theme!r} is not in the "
                    f"taxonomy (themes: {', '.join(known)}){hint}"
                )
        checked[str(response_id)] = tuple(sorted(set(map(str, theme_list))))
    if problems:
        raise ValueError("\n".join(problems))
    return checked


def tag_comments(
    responses: pd.DataFrame,
    taxonomy: ThemeTaxonomy,
    overrides: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Themes, product area, feature-request flag and sentiment of each comment.

    ``responses`` needs ``response_id`` and ``comment`` (str or NA) and may
    have ``language`` ("en", "sv", "en-GB" …; NA or missing → guessed from
    stopwords). Returns one row per input row, same order and index, with
    :data:`TAGGED_COLUMNS`: ``themes`` a sorted tuple of theme ids (may be
    empty), ``product_area`` the first-named product area or NA,
    ``is_feature_request`` bool, ``sentiment`` -1.0 to 1.0, ``sentiment_label``
    positive/neutral/negative (±0.05), ``overridden`` True where ``overrides``
    (response_id → theme ids) replaced the themes. Empty/NA comments get no
    themes, neutral sentiment and (when not given) NA language.
    Raises ValueError for missing columns or override themes not in the taxonomy.
    """
    missing = [column for column in ("response_id", "comment") if column not in responses]
    if missing:
        raise ValueError(
            f"responses: column {missing[0]!r} is not found. Existing columns: "
            f"{', '.join(map(str, responses.columns))}"
        )
    checked_overrides = _check_overrides(overrides or {}, taxonomy)
    comments = responses["comment"].astype(object)
    comments = comments.where(comments.map(lambda v: isinstance(v, str)), "")
    languages = (
        responses["language"].map(_normalise_language)
        if "language" in responses
        else pd.Series(None, index=responses.index, dtype=object)
    )
    keys = comments + "\x1f" + languages.fillna("").astype(object)
    codes, unique_keys = pd.factorize(keys.to_numpy(dtype=object))
    uniques = [key.rsplit("\x1f", 1) for key in unique_keys]
    matchers = {lang: keyword_matcher(taxonomy, lang) for lang in taxonomy.languages}
    tagged = [_tag_text(text, lang or None, matchers) for text, lang in uniques]
    unique_languages = [row[0] for row in tagged]
    unique_sentiment = score_sentiment([text for text, _ in uniques], unique_languages)
    unique_sentiment[[not text.strip() for text, _ in uniques]] = 0.0

    themes = np.empty(len(tagged), dtype=object)
    themes[:] = [row[1] for row in tagged]
    result = pd.DataFrame(
        {
            "response_id": responses["response_id"].to_numpy(),
            "language": pd.array(np.array(unique_languages, dtype=object)[codes], dtype="string"),
            "themes": themes[codes],
            "product_area": pd.array(
                np.array([row[2] for row in tagged], dtype=object)[codes], dtype="string"
            ),
            "is_feature_request": np.array([row[3] for row in tagged], dtype=bool)[codes],
            "sentiment": unique_sentiment[codes],
        },
        index=responses.index,
    )
    result["sentiment_label"] = label_sentiment(result["sentiment"].to_numpy())
    override_ids = result["response_id"].astype(str).map(checked_overrides)
    result["overridden"] = override_ids.notna().to_numpy()
    if result["overridden"].any():
        result.loc[result["overridden"], "themes"] = override_ids[result["overridden"]]
    return result


MISMATCH_NEGATIVE_AT_MOST = -0.7
"""A promoter's comment must score at most this to be flagged (clearly negative)."""
MISMATCH_POSITIVE_AT_LEAST = 0.7
"""A detractor's comment must score at least this to be flagged (clearly positive)."""
CONTRARY_SHARE = 0.25
"""A clause pulling the other way with at least this share of the strongest clause's pull
makes a comment mixed ("Great product, but support never answers"): never flagged."""
EVIDENCE_CHARS = 140


def sentiment_evidence(comment: str, language: str | None, sentiment: float) -> tuple[str, bool]:
    """The clause that carries ``sentiment`` in ``comment``, and whether another clause pulls the other way.

    The evidence is the clause with the largest contribution in the sentiment's
    direction (:func:`cs_calc.text.sentiment.explain_sentiment`), cut to
    :data:`EVIDENCE_CHARS` characters; ``""`` when no clause pulls that way.
    The second value is True when some clause pulls against it with at least
    :data:`CONTRARY_SHARE` of that contribution.

    >>> sentiment_evidence("Renewal is coming up. The ERP sync fails every week, terrible", "en", -0.95)
    ('The ERP sync fails every week, terrible', False)
    >>> sentiment_evidence("Great support, love it. Terrible pricing though", "en", 0.78)
    ('Great support, love it', True)
    """
    direction = math.copysign(1.0, sentiment) if sentiment else 0.0
    clauses = explain_sentiment(comment, language) if direction else []
    along = [(text, value * direction) for text, value in clauses if value * direction > 0]
    if not along:
        return "", False
    text, strongest = max(along, key=lambda c: c[1])
    contrary = any(-value * direction >= CONTRARY_SHARE * strongest for _, value in clauses)
    if len(text) > EVIDENCE_CHARS:
        text = text[: EVIDENCE_CHARS - 1].rstrip() + "…"
    return text, contrary


def flag_score_sentiment_mismatch(
    scores: pd.Series,
    sentiment: pd.Series,
    comments: pd.Series | None = None,
    languages: pd.Series | None = None,
    *,
    negative_at_most: float = MISMATCH_NEGATIVE_AT_MOST,
    positive_at_least: float = MISMATCH_POSITIVE_AT_LEAST,
) -> pd.Series:
    """True where the NPS score and the comment's sentiment clearly disagree.

    A promoter (score 9–10) whose comment scores ≤ ``negative_at_most``, or a
    detractor (0–6) whose comment scores ≥ ``positive_at_least``. With
    ``comments`` (and ``languages``, aligned; missing ones are guessed), a
    comment with a clause that pulls the other way (:func:`sentiment_evidence`)
    is mixed, not a mismatch, and is not flagged; a flag is only worth a CSM's
    time on strong evidence. Passives, NA scores and NA sentiment are never
    flagged. Returns a bool Series aligned with ``scores``; empty input gives an
    empty Series.

    >>> flag_score_sentiment_mismatch(pd.Series([10, 3, 8]), pd.Series([-0.8, 0.8, -0.9])).tolist()
    [True, True, False]
    >>> flag_score_sentiment_mismatch(pd.Series([1]), pd.Series([0.8]),
    ...     pd.Series(["Great support, love it. Terrible pricing though"]), pd.Series(["en"])).tolist()
    [False]
    """
    score_values = pd.to_numeric(pd.Series(scores), errors="coerce").to_numpy(dtype=float)
    sentiment_values = pd.to_numeric(pd.Series(sentiment), errors="coerce").to_numpy(dtype=float)
    if len(score_values) != len(sentiment_values):
        raise ValueError(
            f"flag_score_sentiment_mismatch: {len(score_values)} scores but "
            f"{len(sentiment_values)} sentiment values"
        )
    promoter_negative = (score_values >= PROMOTER_FROM) & (sentiment_values <= negative_at_most)
    detractor_positive = (score_values < PASSIVE_FROM) & (sentiment_values >= positive_at_least)
    flags = promoter_negative | detractor_positive
    if comments is not None:
        texts = pd.Series(comments).to_numpy(dtype=object)
        langs = (
            pd.Series(languages).astype(object).to_numpy()
            if languages is not None
            else np.full(len(texts), None, dtype=object)
        )
        if len(texts) != len(flags) or len(langs) != len(flags):
            raise ValueError("flag_score_sentiment_mismatch: comments and languages must align with scores")
        for position in np.flatnonzero(flags):
            language = langs[position] if isinstance(langs[position], str) else None
            text = texts[position] if isinstance(texts[position], str) else ""
            _, contrary = sentiment_evidence(text, language, float(sentiment_values[position]))
            flags[position] = not contrary
    index = scores.index if isinstance(scores, pd.Series) else None
    return pd.Series(flags, index=index, dtype=bool)
