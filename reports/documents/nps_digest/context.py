"""Everything the NPS theme digest prints, arranged from the run's digest figures.

:func:`build_nps_digest_context` reads :meth:`reports.pipeline.RunContext.nps_digest`
(every figure of the quarter, computed once per run by
:func:`cs_calc.nps_digest_metrics.compute_nps_digest_metrics` from the run's
comment tags) and arranges it into :class:`NpsDigestContext`: labels in the
document's language, rows in print order, quotes attributed. No metric is
computed here; numbers stay raw and the template formats them.
:attr:`NpsDigestContext.figures` records every number printed, with the text
as printed (:mod:`reports.documents.nps_digest.figures`).

Verbatims arrive cleaned with email addresses replaced by ``[email]`` and
are attributed by the contact's role and the account's segment only — never
a name or email. The template autoescapes them, so ``<script>`` or
``{{ 7*7 }}`` print as written.
"""

# ruff: noqa: RUF009  (described() wraps dataclasses.field with a help text)
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from cs_calc.nps import LOW_N_THRESHOLD
from cs_calc.nps_digest import DIMENSIONS
from cs_calc.nps_digest_metrics import NpsDigestMetrics
from cs_calc.periods import Window
from reports.documents.definitions import Definition, dimension_entry, glossary_entry
from reports.documents.leadership.common import Chart, described, quarter_name, text, toc
from reports.documents.leadership.provenance import build_provenance
from reports.documents.nps_digest.charts import digest_charts
from reports.documents.nps_digest.figures import bridge_chart_figures, digest_figures
from reports.documents.nps_digest.labels import digest_labels
from reports.documents.nps_digest.narrative import write_narrative
from reports.errors import UnknownSegmentError
from reports.output.figures import Figure
from reports.render.catalogue import translations
from reports.render.formatting import format_number
from reports.render.locales import check_locale
from reports.render.pdf import TocEntry

if TYPE_CHECKING:
    from reports.pipeline import RunContext

DIGEST_DEFINED_METRICS: tuple[str, ...] = (
    "nps",
    "response_rate",
    "nps_change_contribution",
    "nps_mix_effect",
    "nps_score_effect",
    "theme_share",
    "theme_detractor_share",
    "mrr_at_risk",
    "emerging_topic_share",
    "feature_request_weight",
    "sentiment",
    "sentiment_mismatches",
)
"""Registry ids the digest's definitions appendix explains, in the order it prints them."""

DIGEST_DEFINED_DIMENSIONS: tuple[str, ...] = ("tenure",)
"""Breakdowns the appendix explains."""


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
    evidence: str = described(
        "For a score that disagrees with its comment: the clause that carries the comment's sentiment."
    )


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
    low_n_threshold: int = described(
        "Responses below which an NPS is flagged low n (cs_calc.nps.LOW_N_THRESHOLD)."
    )
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
    detractor_accounts_note: str = described("'61 accounts with a detractor', in the document's language.")
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
        "New or growing topics outside the taxonomy: label (a phrase quoted in examples), comments, "
        "share_current/previous/baseline, new, growing (exactly one is true), examples (texts) and quotes "
        "(the same comments as attributed Verbatims)."
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
    figures: list[Figure] = described(
        "Every number printed: registry id, period, group, raw value and the text as printed."
    )


# --------------------------------------------------------------------------- segment


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


def digest_of(run: RunContext, *, quarter_window: Window, segment: str | None = None) -> NpsDigestMetrics:
    """The run's digest figures of ``quarter_window`` for ``segment`` (resolved first), computed once per run."""
    return run.nps_digest(quarter_window, resolve_segment(segment, run.settings.segment_names))


# --------------------------------------------------------------------------- helpers


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.to_dict("records")]


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _verbatims(rows: pd.DataFrame, theme_label: Mapping[str, str], T: Mapping[str, str]) -> list[Verbatim]:
    """Quoted rows (cs_calc.nps_digest_metrics.QUOTE_COLUMNS) as :class:`Verbatim`, in order."""
    return [
        Verbatim(
            response_id=text(r["response_id"]),
            quote=text(r["quote"]),
            role=text(r["role"]) or T["unknown_role"],
            segment=text(r["segment"]),
            score=int(r["score"]),
            category=str(r["category"]),
            themes=tuple(theme_label.get(t, t) for t in r["themes"]),
            overridden=bool(r["overridden"]),
            evidence=text(r.get("evidence") or ""),
        )
        for r in rows.to_dict("records")
    ]


# --------------------------------------------------------------------------- builder


def build_nps_digest_context(
    run: RunContext, *, quarter_window: Window, segment: str | None = None, locale: str = "en"
) -> NpsDigestContext:
    """Arrange the NPS digest of ``quarter_window`` (one calendar quarter) for the template.

    ``segment`` restricts every figure to that segment's accounts (raises
    :class:`UnknownSegmentError` for a name not in ``configs/segments.yaml``).
    Raises :class:`~reports.errors.ConfigError` for a bad taxonomy or override file.
    """
    locale = check_locale(locale)
    T = digest_labels(locale)
    segment = resolve_segment(segment, run.settings.segment_names)
    d = run.nps_digest(quarter_window, segment)
    currency = run.metrics.reporting_currency
    taxonomy = run.nps_taxonomy
    theme_label = {t.group_id: text(t.label(locale)) for t in taxonomy.themes}
    area_label = {a.group_id: text(a.label(locale)) for a in taxonomy.product_areas}
    period_name = quarter_name(d.quarter.label, locale)
    previous_name = quarter_name(d.previous_quarter.label, locale)
    overall, prev_row = dict(d.overall), dict(d.previous)

    themes = d.themes.assign(label=d.themes["theme"].map(theme_label))
    theme_rows = _records(themes)
    by_theme = {r["theme"]: r for r in theme_rows}
    themes_up = [by_theme[t] for t in d.themes_up]
    themes_down = [by_theme[t] for t in d.themes_down]
    history_qs = list(d.theme_history.columns)
    theme_history = [
        {"label": theme_label[t], "shares": [float(v) for v in d.theme_history.loc[t]]}
        for t in taxonomy.theme_ids
    ]
    pages = [
        ThemePage(theme, theme_label[theme], dict(by_theme[theme]), _verbatims(rows, theme_label, T))
        for theme, rows in d.theme_verbatims.items()
    ]
    emerging = [
        dataclasses.asdict(t)
        | {
            "label": text(t.label),
            "examples": [text(e) for e in t.examples],
            "quotes": _verbatims(quotes, theme_label, T),
        }
        for t, quotes in zip(d.emerging, d.emerging_quotes, strict=True)
    ]
    request_rows = _records(d.requests)
    for row in request_rows:
        key = row["request"]
        row["label"] = (
            area_label.get(key) or theme_label.get(key) or (T["general"] if key == "general" else text(key))
        )

    moved_total = dict(d.moved_total)
    breakdowns, low_n_groups = _breakdowns(d.breakdown, run, T)
    trend_rows = [
        {"quarter": q, "quarter_name": quarter_name(q, locale), **row}
        for q, row in d.trend.iterrows()
        if row["responses"] > 0
    ]
    charts = digest_charts(
        trend_rows=trend_rows,
        moved=d.moved,
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
        moved_by=d.moved_by,
        currency=currency,
        period_name=period_name,
        previous_name=previous_name,
        overall=overall,
        previous=prev_row,
        moved=d.moved,
        moved_total=d.moved_total,
        nps_change=d.nps_change,
        themes=themes,
        emerging=d.emerging,
        rate=d.response_rate,
        detractor_mrr=d.detractor_mrr,
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
    definitions = tuple(glossary_entry(metric_id, locale) for metric_id in DIGEST_DEFINED_METRICS) + tuple(
        dimension_entry(dimension, locale) for dimension in DIGEST_DEFINED_DIMENSIONS
    )
    return NpsDigestContext(
        locale=locale,
        currency=currency,
        period=d.quarter.label,
        period_name=period_name,
        previous_name=previous_name,
        segment=segment,
        T=T,
        low_n_threshold=LOW_N_THRESHOLD,
        overall=overall,
        previous=prev_row,
        nps_change=d.nps_change,
        response_rate=dataclasses.asdict(d.response_rate),
        detractor_mrr=d.detractor_mrr,
        detractor_accounts=d.detractor_accounts,
        detractor_accounts_note=translations(locale)
        .ngettext(
            "{count} account with a detractor", "{count} accounts with a detractor", int(d.detractor_accounts)
        )
        .format(count=format_number(d.detractor_accounts, locale)),
        narrative=narrative,
        trend=trend_rows,
        moved=_records(d.moved),
        moved_total=moved_total,
        moved_by=d.moved_by,
        themes=theme_rows,
        themes_up=themes_up,
        themes_down=themes_down,
        theme_quarters=[quarter_name(q, locale) for q in history_qs],
        theme_history=theme_history,
        theme_pages=pages,
        emerging=emerging,
        commented=d.commented,
        requests=request_rows,
        request_quotes=_verbatims(d.request_quotes, theme_label, T),
        breakdowns=breakdowns,
        low_n_groups=low_n_groups,
        mismatches=_verbatims(d.mismatch_quotes, theme_label, T),
        mismatch_count=d.mismatch_count,
        overrides_applied=d.overrides_applied,
        charts=charts,
        contents=contents,
        provenance=provenance.as_mapping(locale),
        definitions=definitions,
        figures=[
            *digest_figures(d, request_rows, locale=locale, currency=currency),
            *bridge_chart_figures(
                d,
                charts.get("bridge"),
                {T["mix_effect"]: "nps_mix_effect", T["score_effect"]: "nps_score_effect"},
            ),
        ],
    )


def _breakdowns(
    breakdown: pd.DataFrame, run: RunContext, T: dict[str, str]
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
