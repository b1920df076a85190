"""The figures of the quarterly NPS theme digest, computed once per quarter and segment of a run.

:func:`compute_nps_digest_metrics` takes the contract's ``nps`` responses,
their comment tags (:func:`cs_calc.text.themes.tag_comments`, computed once
per run for every response), the account tables and the digest quarter's
account metrics, and computes everything the digest shows: NPS and its mix
per quarter and per group, the response rate, what moved the score, theme
shares and the MRR behind them, emerging topics, feature requests and the
comments it quotes. The digest's PDF and its comments CSV only select,
format and arrange :class:`NpsDigestMetrics`.

Units as in :mod:`cs_calc.nps_digest`: NPS −100 to 100 and its changes in
NPS points; shares are fractions (0.25 = 25 %), not percent; money is MRR per
month in the reporting currency **in the digest quarter's last month** (not
the run's window's, when the two differ).

Quoted text (verbatims, the CSV's comments and contact roles) is made safe to
print here: characters XML 1.0 forbids are dropped and email addresses are
replaced by ``[email]`` (:func:`quotable_text`). People are described by
role and their account's segment only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from cs_calc.nps import nps_category
from cs_calc.nps_analysis import rank_feature_requests
from cs_calc.nps_digest import (
    EmergingTopic,
    ResponseRate,
    compute_response_rate,
    decompose_nps_change,
    digest_groups,
    find_emerging_topics,
    mrr_of_detractors,
    nps_breakdown,
    nps_by_quarters,
    pick_verbatims,
    redact_emails,
    renewal_inputs,
    theme_table,
)
from cs_calc.periods import Window, quarters_ending
from cs_calc.text.themes import ThemeTaxonomy, flag_score_sentiment_mismatch, sentiment_evidence

TREND_QUARTERS = 8
"""Quarters of the NPS trend, ending with the digest quarter."""
BASELINE_QUARTERS = 4
"""Quarters before the previous one that emerging topics are compared with ("the year before")."""
HISTORY_QUARTERS = 4
"""Quarters of the theme-share history table, ending with the digest quarter."""
VERBATIMS_PER_THEME = 4
REQUEST_QUOTES = 6
REQUEST_AREAS_QUOTED = 3
"""Feature-request comments are quoted from the this many highest-weighted areas."""
MISMATCH_QUOTES = 6
THEMES_MOVING = 3
"""Themes listed as named more often and named less often."""
TIER_ORDER = ("Team", "Business", "Enterprise")
"""Plans (the ``tier`` breakdown) in the order the digest lists them; others follow sorted."""
TENURE_ORDER = ("first_year", "tenured")

QUOTE_COLUMNS = (
    "response_id",
    "account_id",
    "quote",
    "role",
    "segment",
    "score",
    "category",
    "themes",
    "overridden",
)
"""Columns of a frame of quoted comments (:func:`quote_rows`)."""

COMMENT_COLUMNS = (
    "response_id",
    "responded_at",
    "account_id",
    "segment",
    "region",
    "role",
    "score",
    "category",
    "language",
    "themes",
    "product_area",
    "is_feature_request",
    "sentiment",
    "sentiment_label",
    "score_sentiment_mismatch",
    "overridden",
    "comment",
)
"""Columns of :attr:`NpsDigestMetrics.comments`."""


@dataclass(frozen=True)
class NpsDigestMetrics:
    """Everything the NPS digest of one quarter (and optionally one segment) shows, raw.

    Frames keep the columns of the :mod:`cs_calc.nps_digest` function that
    made them; quoted rows have :data:`QUOTE_COLUMNS`.
    """

    quarter: Window
    """The digest's calendar quarter."""
    previous_quarter: Window
    baseline: Window
    """The :data:`BASELINE_QUARTERS` quarters before the previous one (emerging topics' "year before")."""
    segment: str | None
    """The segment every figure is restricted to, or None for all accounts."""
    trend: pd.DataFrame
    """:func:`~cs_calc.nps_digest.nps_by_quarters` for the :data:`TREND_QUARTERS` quarters ending with
    :attr:`quarter` (index quarter label, oldest first)."""
    overall: Mapping[str, Any]
    """The quarter's row of :attr:`trend`: responses, promoters, passives, detractors, nps, low_n, *_share."""
    previous: Mapping[str, Any]
    """The previous quarter's row of :attr:`trend` (nps NaN without responses)."""
    nps_change: float
    """NPS now − NPS of the previous quarter, in NPS points (NaN when either is unknown)."""
    breakdown: pd.DataFrame
    """:func:`~cs_calc.nps_digest.nps_breakdown` of the quarter by segment, region, tier, tenure, csm."""
    response_rate: ResponseRate
    detractor_accounts: int
    """Accounts with a detractor response counted for NPS in the quarter."""
    detractor_mrr: float
    """Their MRR in the quarter's last month."""
    commented: int
    """Responses of the quarter with a non-empty comment."""
    overrides_applied: int
    """Responses of the quarter whose themes ``nps_overrides.yaml`` set."""
    themes: pd.DataFrame
    """:func:`~cs_calc.nps_digest.theme_table` of the quarter against the previous one, taxonomy order;
    ``mrr_at_risk`` is MRR in the quarter's last month."""
    themes_up: tuple[str, ...]
    """Up to :data:`THEMES_MOVING` named themes whose share of comments rose most, largest rise first."""
    themes_down: tuple[str, ...]
    """Up to :data:`THEMES_MOVING` named themes whose share fell most, largest fall first."""
    theme_history: pd.DataFrame
    """Share of comments naming each theme (rows, taxonomy order) per quarter (columns, oldest first,
    :data:`HISTORY_QUARTERS`)."""
    theme_verbatims: Mapping[str, pd.DataFrame]
    """Per theme named in the quarter, most mentioned first: up to :data:`VERBATIMS_PER_THEME` quotes
    (:func:`~cs_calc.nps_digest.pick_verbatims`)."""
    emerging: tuple[EmergingTopic, ...]
    """:func:`~cs_calc.nps_digest.find_emerging_topics`, ``examples`` made quotable (:func:`quotable_text`)."""
    emerging_quotes: tuple[pd.DataFrame, ...]
    """Per emerging topic, its examples as quoted rows."""
    requests: pd.DataFrame
    """:func:`~cs_calc.nps_analysis.rank_feature_requests` (MRR in the quarter's last month, renewal
    days from the day after the quarter)."""
    request_quotes: pd.DataFrame
    """Feature-request comments of the :data:`REQUEST_AREAS_QUOTED` highest-weighted areas."""
    mismatch_count: int
    """Responses of the quarter :func:`~cs_calc.text.themes.flag_score_sentiment_mismatch` flags."""
    mismatch_quotes: pd.DataFrame
    """Flagged comments quoted (:data:`QUOTE_COLUMNS`) plus ``evidence``: the clause that carries
    the comment's sentiment (:func:`~cs_calc.text.themes.sentiment_evidence`), quotable."""
    moved_by: str
    """``segment``, or ``region`` when the digest is one segment's (its segment split says nothing)."""
    moved: pd.DataFrame
    """:func:`~cs_calc.nps_digest.decompose_nps_change` of the quarter against the previous one."""
    moved_total: Mapping[str, float]
    """Sums of :attr:`moved`'s ``mix_effect``, ``score_effect`` and ``contribution`` (NPS points;
    the contributions sum to :attr:`nps_change`)."""
    comments: pd.DataFrame
    """The quarter's responses with a comment, :data:`COMMENT_COLUMNS`, sorted by ``responded_at`` then
    ``response_id``: tags, category, mismatch flag; comment and role quotable."""


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile(r"\r\n?")


def quotable_text(value: object) -> str:
    """Text fit to quote: characters XML 1.0 forbids dropped, newlines unified, trimmed, emails redacted.

    The characters are dropped before the email addresses are looked for, so
    an address with a control character inside is still found. None and NaN
    give ``""``.

    >>> quotable_text("  write to kim\\x00@alpha.example\\r\\n ")
    'write to [email]'
    >>> quotable_text(float("nan"))
    ''
    >>> quotable_text(7)
    '7'
    """
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    text = value if isinstance(value, str) else str(value)
    return redact_emails(_NEWLINES.sub("\n", _XML_ILLEGAL.sub("", text)).strip())


def quote_rows(tagged: pd.DataFrame, roles: pd.Series, segments: pd.Series) -> pd.DataFrame:
    """Tagged responses as quotes (:data:`QUOTE_COLUMNS`), in the order given.

    ``roles`` maps ``contact_id`` → role and ``segments`` ``account_id`` →
    segment. ``quote`` and ``role`` are :func:`quotable_text`; a response
    without a known contact has role ``""``. ``category`` is the score's NPS
    category. Empty input gives an empty frame with the columns.

    >>> t = pd.DataFrame({"response_id": ["R1"], "account_id": ["A"], "contact_id": ["K"], "score": [3],
    ...     "comment": ["mail kim@a.example"], "themes": [("pricing",)], "overridden": [False]})
    >>> row = quote_rows(t, pd.Series({"K": "CFO"}), pd.Series({"A": "Scaled"})).iloc[0]
    >>> row["quote"], row["role"], row["segment"], int(row["score"]), row["category"]
    ('mail [email]', 'CFO', 'Scaled', 3, 'detractor')
    """
    if tagged.empty:
        return pd.DataFrame(columns=list(QUOTE_COLUMNS))
    roles = roles[~roles.index.duplicated()]
    contact = tagged["contact_id"]
    role = contact.map(lambda c: roles.get(c) if isinstance(c, str) else None)
    return pd.DataFrame(
        {
            "response_id": tagged["response_id"].map(quotable_text),
            "account_id": tagged["account_id"].astype(str),
            "quote": tagged["comment"].map(quotable_text),
            "role": role.map(quotable_text),
            "segment": tagged["account_id"].map(segments).map(quotable_text),
            "score": tagged["score"].astype(int),
            "category": nps_category(tagged["score"]),
            "themes": tagged["themes"].map(tuple),
            "overridden": tagged["overridden"].astype(bool),
        },
        index=tagged.index,
    )[list(QUOTE_COLUMNS)]


def _in(frame: pd.DataFrame, window: Window) -> pd.DataFrame:
    when = frame["responded_at"]
    return frame[(when >= window.start) & (when < window.end + pd.DateOffset(months=1))]


def _has_text(comments: pd.Series) -> pd.Series:
    return comments.map(lambda v: isinstance(v, str) and bool(v.strip())).astype(bool)


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _moving(themes: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    named = themes[themes["mentions"] > 0].dropna(subset=["change"])
    ranked = named.sort_values(["change", "theme"], kind="stable")
    up = ranked[ranked["change"] > 0].iloc[::-1].head(THEMES_MOVING)
    down = ranked[ranked["change"] < 0].head(THEMES_MOVING)
    return tuple(up["theme"]), tuple(down["theme"])


def _comments_frame(
    current: pd.DataFrame, roles: pd.Series, accounts: pd.DataFrame, mismatch: pd.Series
) -> pd.DataFrame:
    has_text = _has_text(current["comment"])
    rows = current[has_text.to_numpy()]
    flags = mismatch[has_text.to_numpy()]
    info = accounts.set_index("account_id")
    quotes = quote_rows(rows, roles, info["segment"])
    frame = pd.DataFrame(
        {
            "response_id": rows["response_id"].astype(str),
            "responded_at": rows["responded_at"],
            "account_id": rows["account_id"].astype(str),
            "segment": rows["account_id"].map(info["segment"]),
            "region": rows["account_id"].map(info["region"]),
            "role": quotes["role"],
            "score": rows["score"].astype(int),
            "category": quotes["category"],
            "language": rows["language_found"].astype(object).fillna(""),
            "themes": rows["themes"].map(tuple),
            "product_area": rows["product_area"].astype(object).fillna(""),
            "is_feature_request": rows["is_feature_request"].astype(bool),
            "sentiment": rows["sentiment"].astype("float64"),
            "sentiment_label": rows["sentiment_label"],
            "score_sentiment_mismatch": flags.to_numpy(dtype=bool),
            "overridden": rows["overridden"].astype(bool),
            "comment": quotes["quote"],
        },
        index=rows.index,
    )
    return frame.sort_values(["responded_at", "response_id"], kind="stable").reset_index(drop=True)[
        list(COMMENT_COLUMNS)
    ]


def compute_nps_digest_metrics(
    responses: pd.DataFrame,
    tags: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame],
    quarter_accounts: pd.DataFrame,
    matrix: pd.DataFrame,
    quarter: Window,
    *,
    taxonomy: ThemeTaxonomy,
    segment: str | None = None,
    segments: Sequence[str] = (),
    regions: Sequence[str] = (),
) -> NpsDigestMetrics:
    """Every figure of the NPS digest of ``quarter`` (a calendar quarter), for ``segment`` or all accounts.

    ``responses`` is the contract's ``nps`` table and ``tags`` its
    :func:`~cs_calc.text.themes.tag_comments` output (same index, every
    response tagged once per run). ``tables`` holds the contract's
    ``accounts`` and ``contacts``. ``quarter_accounts`` is
    :attr:`cs_calc.portfolio.PortfolioMetrics.accounts` **of** ``quarter``
    (``mrr_end`` = MRR in the quarter's last month, health at its end), so
    detractor MRR, MRR at risk and feature-request weights are the
    quarter's even when the run reports on another window. ``matrix`` is the
    account × month MRR matrix (paying accounts for the response rate).
    ``segments`` and ``regions`` order the breakdowns. Responses of accounts
    outside ``segment`` (or missing from ``accounts``) are left out.
    """
    accounts = tables["accounts"]
    contacts = tables["contacts"]
    if segment is not None:
        accounts = accounts[accounts["segment"] == segment]
    account_ids = set(accounts["account_id"])

    quarters = quarters_ending(quarter, max(TREND_QUARTERS, BASELINE_QUARTERS + 2, HISTORY_QUARTERS))
    previous_q, current_q = quarters[-2], quarters[-1]
    baseline_qs = quarters[-2 - BASELINE_QUARTERS : -2]
    baseline = Window(baseline_qs[0].start, baseline_qs[-1].end)

    tagged_all = responses.join(
        tags.drop(columns=["response_id"]).rename(columns={"language": "language_found"})
    )
    tagged_all = tagged_all[tagged_all["account_id"].isin(account_ids)]
    tagged_span = _in(tagged_all, Window(baseline_qs[0].start, current_q.end))
    current = _in(tagged_span, current_q)
    previous = _in(tagged_span, previous_q)
    before = _in(tagged_span, baseline)

    groups = digest_groups(accounts, current_q)
    order = {
        "segment": [s for s in segments if segment is None or s == segment],
        "region": list(regions),
        "tenure": list(TENURE_ORDER),
        "tier": list(TIER_ORDER),
    }
    breakdown = nps_breakdown(current, groups, order)
    trend = nps_by_quarters(tagged_all, quarters[-TREND_QUARTERS:])
    overall = trend.loc[current_q.label].to_dict()
    prev_row = trend.loc[previous_q.label].to_dict()

    months = matrix.reindex(columns=current_q.months, fill_value=0.0)
    paying = [a for a in months.index[(months > 0).any(axis=1)] if a in account_ids]
    rate = compute_response_rate(current, contacts, paying, current_q)

    quarter_accounts = quarter_accounts[quarter_accounts["account_id"].isin(account_ids)]
    account_mrr = quarter_accounts[["account_id", "mrr_end"]].rename(columns={"mrr_end": "mrr"})
    detractor_accounts, detractor_mrr = mrr_of_detractors(current, account_mrr)

    themes = theme_table(current, previous, account_mrr, taxonomy.theme_ids)
    themes_up, themes_down = _moving(themes)
    history_qs = quarters[-HISTORY_QUARTERS:]
    theme_history = pd.DataFrame(
        {
            q.label: theme_table(_in(tagged_span, q), _in(tagged_span, q), account_mrr, taxonomy.theme_ids)
            .set_index("theme")["share_current"]
            .astype("float64")
            for q in history_qs
        }
    )

    roles = contacts.set_index("contact_id")["role"]
    segment_of = tables["accounts"].set_index("account_id")["segment"]
    named = themes[themes["mentions"] > 0].sort_values(
        ["mentions", "theme"], ascending=[False, True], kind="stable"
    )
    theme_verbatims = {
        theme: quote_rows(pick_verbatims(current, theme, VERBATIMS_PER_THEME), roles, segment_of)
        for theme in named["theme"]
    }

    topics = find_emerging_topics(
        current["comment"], previous["comment"], before["comment"], taxonomy=taxonomy
    )
    first_with_text = current.drop_duplicates("comment").set_index("comment", drop=False)
    emerging_quotes = tuple(
        quote_rows(
            first_with_text.loc[[e for e in t.examples if e in first_with_text.index]], roles, segment_of
        ).reset_index(drop=True)
        for t in topics
    )
    emerging = tuple(replace(t, examples=tuple(quotable_text(e) for e in t.examples)) for t in topics)

    as_of = current_q.end + pd.DateOffset(months=1)
    requests = rank_feature_requests(current, renewal_inputs(quarter_accounts, as_of))
    top_areas = set(requests["request"].head(REQUEST_AREAS_QUOTED))
    asking = current[current["is_feature_request"].astype(bool)]
    asking = asking[
        asking["product_area"].astype(object).isin(top_areas)
        | asking["themes"].map(lambda t: bool(set(t) & top_areas))
    ]
    request_quotes = quote_rows(pick_verbatims(asking, None, REQUEST_QUOTES), roles, segment_of)

    flags = flag_score_sentiment_mismatch(
        current["score"], current["sentiment"], current["comment"], current["language_found"]
    )
    mismatched = pick_verbatims(current[flags.to_numpy()], None, MISMATCH_QUOTES)
    mismatch_quotes = quote_rows(mismatched, roles, segment_of)
    mismatch_quotes["evidence"] = [
        quotable_text(sentiment_evidence(text, language if isinstance(language, str) else None, value)[0])
        for text, language, value in zip(
            mismatched["comment"], mismatched["language_found"], mismatched["sentiment"], strict=True
        )
    ]

    moved_by = "segment" if segment is None else "region"
    moved = decompose_nps_change(current, previous, groups[moved_by], order[moved_by])

    return NpsDigestMetrics(
        quarter=current_q,
        previous_quarter=previous_q,
        baseline=baseline,
        segment=segment,
        trend=trend,
        overall=overall,
        previous=prev_row,
        nps_change=_float(overall.get("nps")) - _float(prev_row.get("nps")),
        breakdown=breakdown,
        response_rate=rate,
        detractor_accounts=detractor_accounts,
        detractor_mrr=detractor_mrr,
        commented=int(_has_text(current["comment"]).sum()),
        overrides_applied=int(current["overridden"].astype(bool).sum()),
        themes=themes,
        themes_up=themes_up,
        themes_down=themes_down,
        theme_history=theme_history,
        theme_verbatims=theme_verbatims,
        emerging=emerging,
        emerging_quotes=emerging_quotes,
        requests=requests,
        request_quotes=request_quotes,
        mismatch_count=int(flags.sum()),
        mismatch_quotes=mismatch_quotes,
        moved_by=moved_by,
        moved=moved,
        moved_total={c: float(moved[c].sum()) for c in ("mix_effect", "score_effect", "contribution")},
        comments=_comments_frame(current, roles, tables["accounts"], flags),
    )
