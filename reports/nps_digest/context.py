"""Everything the NPS theme digest prints, picked from a run and the theme engine.

:func:`build_nps_digest_context` reads the taxonomy (``nps_themes.yaml``) and
the hand corrections (``nps_overrides.yaml``) through
``run.settings.config_dirs`` (the user's ``--config`` folder first), tags the
comments of the quarter and the five before it with
:func:`cs_calc.nps_themes.tag_comments`, and arranges the figures of
:mod:`cs_calc.nps_digest` into :class:`NpsDigestContext`. No metric is
computed here; numbers stay raw and the template formats them.

Verbatims are cleaned (:func:`reports.formatting.clean_text`), email
addresses inside them are replaced by ``[email]`` and they are attributed by
the contact's role and the account's segment only — never a name or email.
The template autoescapes them, so ``<script>`` or ``{{ 7*7 }}`` print as written.
"""

# ruff: noqa: RUF009  (described() wraps dataclasses.field with a help text)
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from typing import Any

import pandas as pd

from cs_calc.nps import LOW_N_THRESHOLD, nps_category
from cs_calc.nps_analysis import rank_feature_requests
from cs_calc.nps_digest import (
    DIMENSIONS,
    EmergingTopic,
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
from cs_calc.nps_themes import (
    ThemeTaxonomy,
    flag_score_sentiment_mismatch,
    tag_comments,
)
from cs_calc.periods import Window, quarters_ending
from reports import nps_config
from reports.errors import ConfigError, CsReportsError
from reports.leadership.common import Chart, check_locale, described, quarter_name, text, toc
from reports.leadership.provenance import Definition, build_provenance
from reports.nps_digest.charts import digest_charts
from reports.nps_digest.labels import DEFINITIONS, LABELS
from reports.nps_digest.narrative import write_narrative
from reports.pdf import TocEntry

TREND_QUARTERS = 8
BASELINE_QUARTERS = 4
VERBATIMS_PER_THEME = 4
REQUEST_QUOTES = 6
MISMATCH_QUOTES = 6
THEMES_MOVING = 3


class UnknownSegmentError(CsReportsError, ValueError):
    """``--segment`` names no segment of ``configs/segments.yaml``."""


@dataclasses.dataclass(frozen=True)
class Verbatim:
    """One quoted comment and who said it (role and segment, never a name)."""

    response_id: str = described("Survey response id (the key of nps_overrides.yaml).")
    quote: str = described("The comment as written, cleaned, email addresses replaced by [email].")
    role: str = described("The contact's role, or 'Unknown role'.")
    segment: str = described("The account's segment.")
    score: int = described("The 0–10 score given with the comment.")
    category: str = described("promoter, passive or detractor.")
    themes: tuple[str, ...] = described("Theme labels in the document's language.")
    overridden: bool = described("True when nps_overrides.yaml set the themes.")


@dataclasses.dataclass(frozen=True)
class ThemePage:
    """One taxonomy theme: its figures and representative verbatims."""

    theme: str = described("Theme id from nps_themes.yaml.")
    label: str = described("Theme label in the document's language.")
    figures: dict[str, Any] = described("The theme's row of cs_calc.nps_digest.theme_table (raw numbers).")
    verbatims: list[Verbatim] = described("Detractor, promoter and passive quotes in turn.")


@dataclasses.dataclass(frozen=True)
class NpsDigestContext:
    """Everything ``templates/nps_digest/report.html`` prints; numbers raw, text cleaned."""

    locale: str = described("Babel locale of the document, en or sv.")
    currency: str = described("Reporting currency (ISO 4217) of every amount (MRR per month).")
    period: str = described("Quarter label, e.g. 2026-Q3.")
    period_name: str = described("Quarter as printed, e.g. 'Q3 2026' or 'K3 2026'.")
    previous_name: str = described("The previous quarter as printed.")
    segment: str | None = described("Segment the digest is restricted to, or None for all.")
    T: dict[str, str] = described("Labels in the document's language.")
    low_n_threshold: int = described("Responses below which an NPS is flagged low n (30).")
    overall: dict[str, Any] = described(
        "The quarter overall: responses, promoters, passives, detractors, nps, low_n, *_share (fractions)."
    )
    previous: dict[str, Any] = described("The same for the previous quarter (nps NaN without responses).")
    nps_change: float = described("NPS now − NPS in the previous quarter, in NPS points (NaN if unknown).")
    response_rate: dict[str, Any] = described(
        "responding_contacts, active_contacts, rate (fraction), responses_without_contact."
    )
    detractor_mrr: float = described("MRR at quarter end of accounts with a detractor response.")
    detractor_accounts: int = described("Accounts with a detractor response in the quarter.")
    narrative: list[str] = described(
        "Summary sentences written from the numbers, in the document's language."
    )
    trend: list[dict[str, Any]] = described("NPS, n and mix per quarter, oldest first (up to 8 quarters).")
    moved: list[dict[str, Any]] = described(
        "NPS change per segment: weights, NPS before/now, mix_effect, score_effect, contribution (points)."
    )
    moved_total: dict[str, float] = described("Sum of mix_effect, score_effect and contribution.")
    moved_by: str = described("Dimension of moved: segment, or region when the digest is one segment's.")
    themes: list[dict[str, Any]] = described(
        "Per theme (taxonomy order): mentions, share_current/previous, change, shares among promoters/"
        "passives/detractors, detractor_change, detractor_accounts, mrr_at_risk, mean_sentiment, label."
    )
    themes_up: list[dict[str, Any]] = described("Up to 3 themes whose share of comments rose most.")
    themes_down: list[dict[str, Any]] = described("Up to 3 themes whose share of comments fell most.")
    theme_quarters: list[str] = described("Quarter names of theme_history columns, oldest first.")
    theme_history: list[dict[str, Any]] = described("Per theme: label and share of comments per quarter.")
    theme_pages: list[ThemePage] = described("Themes named this quarter, most mentioned first.")
    emerging: list[dict[str, Any]] = described(
        "Growing topics outside the taxonomy: phrases, comments, share_current/previous/baseline, growing, "
        "new, examples (texts) and quotes (the same comments as attributed Verbatims)."
    )
    commented: int = described("Responses with a non-empty comment in the quarter.")
    requests: list[dict[str, Any]] = described(
        "Feature requests per area: label, requests, accounts, mrr, weight (rank_feature_requests)."
    )
    request_quotes: list[Verbatim] = described("Feature-request comments of the highest-weighted areas.")
    breakdowns: list[dict[str, Any]] = described(
        "Per dimension (segment, region, tier, tenure, csm): title and rows of nps_breakdown with a label."
    )
    low_n_groups: list[dict[str, Any]] = described(
        "Groups in breakdowns flagged low n (dimension, label, n)."
    )
    mismatches: list[Verbatim] = described(
        "Promoters with negative comments and detractors with clearly positive."
    )
    mismatch_count: int = described("How many responses flag_score_sentiment_mismatch flagged.")
    overrides_applied: int = described("Responses of the quarter whose themes nps_overrides.yaml set.")
    charts: dict[str, Chart] = described("SVG charts: trend, bridge, themes.")
    contents: list[TocEntry] = described(
        "Table of contents, printed after the one-page summary (not 'sections', which base/report.html "
        "would print before it)."
    )
    provenance: dict[str, str] = described("Closing block: period, source, version, row counts, hash.")
    definitions: tuple[Definition, ...] = described("Glossary lines for every figure shown.")


# --------------------------------------------------------------------------- configs


def load_taxonomy(run: Any) -> ThemeTaxonomy:
    """The theme taxonomy from ``nps_themes.yaml`` (user --config folder first)."""
    return nps_config.load_taxonomy(run.settings.config_dirs)


def load_overrides(run: Any) -> dict[str, list[str]]:
    """Response id → theme ids from ``nps_overrides.yaml`` (``{}`` when the file lists none)."""
    return nps_config.load_overrides(run.settings.config_dirs)


def resolve_segment(segment: str | None, known: Sequence[str]) -> str | None:
    """The configured spelling of ``segment`` (case-insensitive), or raise one line listing the known ones."""
    if segment is None:
        return None
    by_lower = {name.lower(): name for name in known}
    if segment.lower() in by_lower:
        return by_lower[segment.lower()]
    close = difflib.get_close_matches(segment.lower(), list(by_lower), n=1, cutoff=0.5)
    hint = f"; did you mean {by_lower[close[0]]!r}?" if close else ""
    raise UnknownSegmentError(f"unknown segment {segment!r} (known: {', '.join(known)}){hint}")


# --------------------------------------------------------------------------- helpers


def _in(frame: pd.DataFrame, window: Window) -> pd.DataFrame:
    when = frame["responded_at"]
    return frame[(when >= window.start) & (when < window.end + pd.DateOffset(months=1))]


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


class _Quoter:
    """Turns tagged response rows into :class:`Verbatim` (role + segment, no names)."""

    def __init__(self, contacts: pd.DataFrame, segments: pd.Series, theme_label: dict[str, str], T: dict):
        self.roles = contacts.set_index("contact_id")["role"]
        self.segments = segments
        self.theme_label = theme_label
        self.T = T

    def __call__(self, rows: pd.DataFrame) -> list[Verbatim]:
        quotes = []
        for r in rows.to_dict("records"):
            role = self.roles.get(r["contact_id"]) if isinstance(r["contact_id"], str) else None
            quotes.append(
                Verbatim(
                    response_id=text(r["response_id"]),
                    quote=redact_emails(text(r["comment"])),
                    role=redact_emails(text(role)) or self.T["unknown_role"],
                    segment=text(self.segments.get(r["account_id"])),
                    score=int(r["score"]),
                    category=str(nps_category(pd.Series([r["score"]])).iloc[0]),
                    themes=tuple(self.theme_label.get(t, t) for t in r["themes"]),
                    overridden=bool(r["overridden"]),
                )
            )
        return quotes


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.to_dict("records")]


def _tag(run: Any, responses: pd.DataFrame, taxonomy: ThemeTaxonomy, overrides: dict) -> pd.DataFrame:
    try:
        tags = tag_comments(responses, taxonomy, overrides)
    except ValueError as exc:
        raise ConfigError(f"{run.settings.config_dirs.find('nps_overrides.yaml')}: {exc}") from exc
    return responses.join(tags.drop(columns=["response_id"]).rename(columns={"language": "language_found"}))


def tag_quarter(run: Any, *, quarter_window: Window, segment: str | None = None) -> pd.DataFrame:
    """The quarter's responses (of ``segment``'s accounts) with the engine's tags, overrides applied.

    Columns: the ``nps`` table's, then ``language_found``, ``themes``,
    ``product_area``, ``is_feature_request``, ``sentiment``,
    ``sentiment_label``, ``overridden`` (see :func:`cs_calc.nps_themes.tag_comments`).
    """
    segment = resolve_segment(segment, run.settings.segment_names)
    nps = run.dataset.tables["nps"]
    if segment is not None:
        accounts = run.dataset.tables["accounts"]
        nps = nps[nps["account_id"].isin(accounts.loc[accounts["segment"] == segment, "account_id"])]
    return _tag(run, _in(nps, quarter_window), load_taxonomy(run), load_overrides(run))


# --------------------------------------------------------------------------- builder


def build_nps_digest_context(
    run: Any, *, quarter_window: Window, segment: str | None = None, locale: str = "en"
) -> NpsDigestContext:
    """Arrange the NPS digest of ``quarter_window`` (one calendar quarter) for the template.

    ``segment`` restricts every figure to that segment's accounts (raises
    :class:`UnknownSegmentError` for a name not in ``configs/segments.yaml``).
    Raises :class:`~reports.errors.ConfigError` for a bad taxonomy or override file.
    """
    locale = check_locale(locale)
    T = LABELS[locale]
    segment = resolve_segment(segment, run.settings.segment_names)
    tables = run.dataset.tables
    accounts = tables["accounts"]
    if segment is not None:
        accounts = accounts[accounts["segment"] == segment]
    account_ids = set(accounts["account_id"])
    currency = run.metrics.reporting_currency
    taxonomy = load_taxonomy(run)
    overrides = load_overrides(run)
    theme_label = {t.group_id: text(t.label(locale)) for t in taxonomy.themes}
    area_label = {a.group_id: text(a.label(locale)) for a in taxonomy.product_areas}

    quarters = quarters_ending(quarter_window, max(TREND_QUARTERS, BASELINE_QUARTERS + 2))
    previous_q, current_q = quarters[-2], quarters[-1]
    baseline_qs = quarters[-2 - BASELINE_QUARTERS : -2]
    nps_all = tables["nps"]
    nps_all = nps_all[nps_all["account_id"].isin(account_ids)]
    span = Window(baseline_qs[0].start, current_q.end)
    in_span = _in(nps_all, span)
    tagged_all = _tag(run, in_span, taxonomy, overrides)
    current = _in(tagged_all, current_q)
    previous = _in(tagged_all, previous_q)
    baseline = pd.concat([_in(tagged_all, q) for q in baseline_qs])

    groups = digest_groups(accounts, current_q)
    segments_order = [s for s in run.settings.segment_names if segment is None or s == segment]
    order = {
        "segment": segments_order,
        "region": list(run.settings.regions),
        "tenure": ["first_year", "tenured"],
        "tier": ["Team", "Business", "Enterprise"],
    }
    breakdown = nps_breakdown(current, groups, order)
    trend = nps_by_quarters(nps_all, quarters[-TREND_QUARTERS:])
    prev_row = trend.loc[previous_q.label].to_dict()
    overall = trend.loc[current_q.label].to_dict()
    nps_change = _float(overall.get("nps")) - _float(prev_row.get("nps"))

    matrix = run.metrics.matrix.reindex(columns=current_q.months, fill_value=0.0)
    paying = [a for a in matrix.index[(matrix > 0).any(axis=1)] if a in account_ids]
    rate = compute_response_rate(current, tables["contacts"], paying, current_q)

    metrics_accounts = run.metrics.accounts[run.metrics.accounts["account_id"].isin(account_ids)]
    account_mrr = metrics_accounts[["account_id", "mrr_end"]].rename(columns={"mrr_end": "mrr"})
    detractor_accounts, detractor_mrr = mrr_of_detractors(current, account_mrr)

    themes = theme_table(current, previous, account_mrr, taxonomy.theme_ids)
    themes["label"] = themes["theme"].map(theme_label)
    theme_rows = _records(themes)
    named = themes[themes["mentions"] > 0]
    ranked_change = named.dropna(subset=["change"]).sort_values(["change", "theme"], kind="stable")
    themes_up = _records(ranked_change[ranked_change["change"] > 0].iloc[::-1].head(THEMES_MOVING))
    themes_down = _records(ranked_change[ranked_change["change"] < 0].head(THEMES_MOVING))

    history_qs = quarters[-4:]
    history = {
        q.label: theme_table(_in(tagged_all, q), _in(tagged_all, q), account_mrr, taxonomy.theme_ids)
        for q in history_qs
    }
    theme_history = [
        {
            "label": theme_label[t],
            "shares": [float(history[q.label].set_index("theme").at[t, "share_current"]) for q in history_qs],
        }
        for t in taxonomy.theme_ids
    ]

    quote = _Quoter(tables["contacts"], tables["accounts"].set_index("account_id")["segment"], theme_label, T)
    pages = []
    for r in named.sort_values(["mentions", "theme"], ascending=[False, True], kind="stable").to_dict(
        "records"
    ):
        picked = pick_verbatims(current, r["theme"], VERBATIMS_PER_THEME)
        pages.append(ThemePage(r["theme"], theme_label[r["theme"]], dict(r), quote(picked)))

    emerging_topics: list[EmergingTopic] = find_emerging_topics(
        current["comment"], previous["comment"], baseline["comment"], taxonomy=taxonomy
    )
    first_with_text = current.drop_duplicates("comment").set_index("comment", drop=False)
    emerging = [
        dataclasses.asdict(t)
        | {
            "phrases": [text(p) for p in t.phrases],
            "examples": [redact_emails(text(e)) for e in t.examples],
            "quotes": quote(first_with_text.loc[[e for e in t.examples if e in first_with_text.index]]),
        }
        for t in emerging_topics
    ]

    as_of = current_q.end + pd.DateOffset(months=1)
    requests = rank_feature_requests(current, renewal_inputs(metrics_accounts, as_of))
    request_rows = _records(requests)
    for row in request_rows:
        key = row["request"]
        row["label"] = (
            area_label.get(key) or theme_label.get(key) or (T["general"] if key == "general" else text(key))
        )
    top_areas = [r["request"] for r in request_rows[:3]]
    asking = current[current["is_feature_request"].astype(bool)]
    asking = asking[
        asking["product_area"].astype(object).isin(top_areas)
        | asking["themes"].map(lambda t: bool(set(t) & set(top_areas)))
    ]
    request_quotes = quote(pick_verbatims(asking, None, REQUEST_QUOTES))

    flags = flag_score_sentiment_mismatch(current["score"], current["sentiment"])
    mismatched = current[flags.to_numpy()]
    mismatches = quote(pick_verbatims(mismatched, None, MISMATCH_QUOTES))

    # With one segment selected, the segment split says nothing: split by region instead.
    moved_by = "segment" if segment is None else "region"
    moved = decompose_nps_change(current, previous, groups[moved_by], order[moved_by])
    moved_total = {k: float(moved[k].sum()) for k in ("mix_effect", "score_effect", "contribution")}

    breakdowns, low_n_groups = _breakdowns(breakdown, run, T)
    period_name = quarter_name(current_q.label, locale)
    previous_name = quarter_name(previous_q.label, locale)
    trend_rows = [
        {"quarter": q, "quarter_name": quarter_name(q, locale), **row}
        for q, row in trend.iterrows()
        if row["responses"] > 0
    ]
    charts = digest_charts(
        trend_rows=trend_rows,
        moved=moved,
        themes=themes,
        previous_nps=_float(prev_row.get("nps")),
        current_nps=_float(overall.get("nps")),
        previous_name=previous_name,
        period_name=period_name,
        T=T,
        locale=locale,
    )
    narrative = write_narrative(
        locale=locale,
        moved_by=T[moved_by].lower(),
        currency=currency,
        period_name=period_name,
        previous_name=previous_name,
        overall=overall,
        previous=prev_row,
        moved=moved,
        themes=themes,
        emerging=emerging_topics,
        rate=rate,
        detractor_mrr=detractor_mrr,
        low_n_groups=low_n_groups,
    )
    contents = toc(
        [
            ("moved", T["moved"]),
            ("themes", T["themes"]),
            ("theme-pages", T["theme_pages"]),
            ("emerging", T["emerging"]),
            ("requests", T["requests"]),
            ("segments", T["segments"]),
            ("mismatches", T["mismatches"]),
            ("definitions", T["definitions"]),
        ]
    )
    provenance = build_provenance(run, ("nps",), locale)
    definitions = tuple(Definition(name, line) for name, line in DEFINITIONS[locale].items())
    return NpsDigestContext(
        locale=locale,
        currency=currency,
        period=current_q.label,
        period_name=period_name,
        previous_name=previous_name,
        segment=segment,
        T=T,
        low_n_threshold=LOW_N_THRESHOLD,
        overall=overall,
        previous=prev_row,
        nps_change=nps_change,
        response_rate=dataclasses.asdict(rate),
        detractor_mrr=detractor_mrr,
        detractor_accounts=detractor_accounts,
        narrative=narrative,
        trend=trend_rows,
        moved=_records(moved),
        moved_total=moved_total,
        moved_by=moved_by,
        themes=theme_rows,
        themes_up=themes_up,
        themes_down=themes_down,
        theme_quarters=[quarter_name(q.label, locale) for q in history_qs],
        theme_history=theme_history,
        theme_pages=pages,
        emerging=emerging,
        commented=int(current["comment"].map(lambda v: isinstance(v, str) and bool(v.strip())).sum()),
        requests=request_rows,
        request_quotes=request_quotes,
        breakdowns=breakdowns,
        low_n_groups=low_n_groups,
        mismatches=mismatches,
        mismatch_count=int(flags.sum()),
        overrides_applied=int(current["overridden"].sum()),
        charts=charts,
        contents=contents,
        provenance=provenance.as_mapping(locale),
        definitions=definitions,
    )


def _breakdowns(
    breakdown: pd.DataFrame, run: Any, T: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    csm_names = run.dataset.tables["csms"].set_index("csm_id")["name"]
    names = {"first_year": T["first_year"], "tenured": T["tenured"]}
    sections = []
    low_n = []
    for dimension in DIMENSIONS:
        rows = _records(breakdown[breakdown["dimension"] == dimension])
        for row in rows:
            group = row["group"]
            label = names.get(group, group)
            if dimension == "csm" and group in csm_names.index:
                label = f"{text(csm_names[group])} ({group})"
            row["label"] = text(label)
            if row["low_n"]:
                low_n.append(
                    {
                        "dimension": T[dimension],
                        "label": row["label"],
                        "responses": row["responses"],
                        "nps": row["nps"],
                    }
                )
        sections.append({"dimension": dimension, "title": T[dimension], "rows": rows})
    return sections, low_n
