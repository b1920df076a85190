"""Every number the NPS digest prints, as a :class:`~reports.output.figures.Figure` for the manifest.

Ids are those of :mod:`cs_calc.definitions`; ``shown`` is formatted exactly
as ``templates/nps_digest/report.html`` formats the value. Periods are
quarter labels (``2026-Q3``; the previous quarter's figures carry its label,
the emerging topics' "year before" the baseline window's label).

A digest restricted to one segment records its overall figures under
``dimension="segment", group=<segment>`` and a breakdown inside it under
``segment/<dimension>`` and ``<segment>/<group>``, so that its keys never
collide with the whole portfolio's. The what-moved totals (mix effect,
score effect, contribution) depend on the split they sum over, so they are
keyed by it: ``dimension=<segment or region>, group="all"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cs_calc.nps_digest_metrics import NpsDigestMetrics
from reports.documents.leadership.common import Chart
from reports.documents.nps_digest.narrative import prints_unsigned_change
from reports.output.figures import Figure
from reports.render.formatting import (
    format_delta,
    format_money,
    format_number,
    format_pct,
    format_pp,
    is_missing,
)

MIX = (("promoter_share", "promoters"), ("passive_share", "passives"), ("detractor_share", "detractors"))
"""Mix share id and count column of each NPS category."""

THEME_FIGURES = (
    ("theme_mentions", "mentions", "count", "current"),
    ("theme_share", "share_current", "pct", "current"),
    ("theme_share", "share_previous", "pct", "previous"),
    ("theme_share_change", "change", "pp", "current"),
    ("theme_detractor_share", "detractors_share", "pct", "current"),
    ("theme_detractor_share", "detractors_share_previous", "pct", "previous"),
    ("theme_detractor_share_change", "detractor_change", "pp", "current"),
    ("theme_passive_share", "passives_share", "pct", "current"),
    ("theme_promoter_share", "promoters_share", "pct", "current"),
    ("theme_detractor_accounts", "detractor_accounts", "count", "current"),
    ("mrr_at_risk", "mrr_at_risk", "money", "current"),
    ("sentiment", "mean_sentiment", "sentiment", "current"),
)
"""Registry id, theme_table column, format and period (this quarter or the previous) of each theme figure."""

TOTALS = (
    ("nps_mix_effect", "mix_effect"),
    ("nps_score_effect", "score_effect"),
    ("nps_change_contribution", "contribution"),
)
"""Registry id and column of the totals row of the what-moved table."""

REQUEST_FIGURES = (
    ("feature_requests", "requests", "count"),
    ("feature_request_accounts", "accounts", "count"),
    ("feature_request_mrr", "mrr", "money"),
    ("feature_request_weight", "weight", "count"),
)


def _formatters(locale: str, currency: str) -> dict[str, Callable[[Any], str]]:
    """Format name → formatter, as the template's macros format each kind of number."""
    return {
        "nps": lambda v: format_number(v, locale, 1),
        "points": lambda v: format_delta(v, "number", currency, locale, 1),
        "size": lambda v: format_number(abs(v), locale, 1),
        "count": lambda v: format_number(v, locale),
        "pct": lambda v: format_pct(v, locale),
        "pct0": lambda v: format_pct(v, locale, 0),
        "pp": lambda v: format_pp(v, locale),
        "money": lambda v: format_money(v, currency, locale),
        "sentiment": lambda v: format_number(v, locale, 2),
    }


class _Recorder:
    """Collects figures of one digest, scoping their keys to its segment."""

    def __init__(self, segment: str | None, formats: Mapping[str, Callable[[Any], str]]):
        self.segment = segment
        self.formats = formats
        self.figures: list[Figure] = []

    def scope(self, dimension: str, group: str) -> tuple[str, str]:
        if self.segment is None or dimension == "segment":
            return dimension, group
        if dimension == "all":
            return "segment", self.segment
        return f"segment/{dimension}", f"{self.segment}/{group}"

    def add(
        self, figure_id: str, period: str, value: Any, kind: str, dimension: str = "all", group: str = "all"
    ) -> None:
        """Record ``value`` unless it is missing (printed as a dash, not a number)."""
        if is_missing(value):
            return
        if kind in ("count",) and float(value).is_integer():
            value = int(value)
        dimension, group = self.scope(dimension, str(group))
        self.figures.append(Figure(figure_id, period, value, self.formats[kind](value), dimension, group))


def digest_figures(
    d: NpsDigestMetrics, request_rows: Sequence[Mapping[str, Any]], *, locale: str, currency: str
) -> list[Figure]:
    """The digest's printed numbers: summary tiles, what moved, themes, topics, requests, breakdowns."""
    rec = _Recorder(d.segment, _formatters(locale, currency))
    now, before = d.quarter.label, d.previous_quarter.label
    overall, previous = d.overall, d.previous

    # Summary tiles (the narrative repeats some of these with the same values).
    rec.add("nps", now, overall.get("nps"), "nps")
    rec.add("nps_change", now, d.nps_change, "points")
    rec.add("nps_responses", now, overall.get("responses"), "count")
    rec.add("nps_comments", now, d.commented, "count")
    for share_id, count_column in MIX:
        rec.add(share_id, now, overall.get(share_id), "pct")  # the tile and the opening sentence
        rec.add(f"nps_{count_column}", now, overall.get(count_column), "count")
    if prints_unsigned_change(locale):  # e.g. the English sentence says "up 5.3 points", unsigned
        rec.add("nps_change", now, d.nps_change if d.nps_change else float("nan"), "size")
    rate = d.response_rate
    rec.add("response_rate", now, rate.rate, "pct")
    rec.add("nps_responding_contacts", now, rate.responding_contacts, "count")
    rec.add("nps_reachable_contacts", now, rate.active_contacts, "count")
    rec.add("detractor_mrr", now, d.detractor_mrr, "money")
    rec.add("detractor_accounts", now, d.detractor_accounts, "count")

    # What moved the score: per group, then the total row.
    for row in d.moved.to_dict("records"):
        group = str(row["group"])
        rec.add("nps_responses", before, row["responses_previous"], "count", d.moved_by, group)
        rec.add("nps_responses", now, row["responses_current"], "count", d.moved_by, group)
        rec.add("nps", before, row["nps_previous"], "nps", d.moved_by, group)
        rec.add("nps", now, row["nps_current"], "nps", d.moved_by, group)
        rec.add("nps_mix_effect", now, row["mix_effect"], "points", d.moved_by, group)
        rec.add("nps_score_effect", now, row["score_effect"], "points", d.moved_by, group)
        rec.add("nps_change_contribution", now, row["contribution"], "points", d.moved_by, group)
    rec.add("nps_responses", before, previous.get("responses"), "count")
    rec.add("nps", before, previous.get("nps"), "nps")
    if len(d.moved):  # the totals depend on the split, so they are keyed by it (group "all")
        for figure_id, column in TOTALS:
            rec.add(figure_id, now, d.moved_total[column], "points", d.moved_by, "all")

    # Themes: the table, the detractor table, the theme pages, and the share history.
    for row in d.themes.to_dict("records"):
        for figure_id, column, kind, when in THEME_FIGURES:
            rec.add(figure_id, now if when == "current" else before, row[column], kind, "theme", row["theme"])
    for quarter in d.theme_history.columns:
        for theme, share in d.theme_history[quarter].items():
            rec.add("theme_share", str(quarter), share, "pct", "theme", str(theme))

    # Emerging topics (grouped by their label as printed).
    if d.emerging:
        rec.add("emerging_topics", now, len(d.emerging), "count")
    for topic in d.emerging:
        group = topic.label
        rec.add("emerging_topic_comments", now, topic.comments, "count", "topic", group)
        rec.add("emerging_topic_share", now, topic.share_current, "pct", "topic", group)
        rec.add("emerging_topic_share", before, topic.share_previous, "pct", "topic", group)
        rec.add("emerging_topic_share", d.baseline.label, topic.share_baseline, "pct", "topic", group)

    # Feature requests.
    for row in request_rows:
        for figure_id, column, kind in REQUEST_FIGURES:
            rec.add(figure_id, now, row[column], kind, "product_area", str(row["request"]))

    # NPS, n and mix by segment, region, tier, tenure and CSM book.
    for row in d.breakdown.to_dict("records"):
        if row["dimension"] == "all":
            continue
        dimension, group = str(row["dimension"]), str(row["group"])
        rec.add("nps_responses", now, row["responses"], "count", dimension, group)
        rec.add("nps", now, row["nps"], "nps", dimension, group)
        for share_id, _count in MIX:
            rec.add(share_id, now, row[share_id], "pct", dimension, group)

    rec.add("sentiment_mismatches", now, d.mismatch_count, "count")

    # The score of every quoted comment (theme pages, emerging topics, requests, mismatches).
    quotes = [*d.theme_verbatims.values(), *d.emerging_quotes, d.request_quotes, d.mismatch_quotes]
    for frame in quotes:
        for response_id, score in zip(frame["response_id"], frame["score"], strict=True):
            rec.add("response_score", now, int(score), "count", "response", str(response_id))
    return rec.figures


def bridge_chart_figures(d: NpsDigestMetrics, chart: Chart | None, series: Mapping[str, str]) -> list[Figure]:
    """The values the what-moved chart prints on its bars, per group: ``series`` maps a series name to
    the registry id of its effect (``nps_mix_effect``, ``nps_score_effect``)."""
    if chart is None:
        return []
    rec = _Recorder(d.segment, {})
    columns = {"nps_mix_effect": "mix_effect", "nps_score_effect": "score_effect"}
    rows = {str(row["group"]): row for row in d.moved.to_dict("records")}
    for label in chart.labels:
        figure_id = series[label.series]
        dimension, group = rec.scope(d.moved_by, label.category)
        value = rows[label.category][columns[figure_id]]
        rec.figures.append(Figure(figure_id, d.quarter.label, value, label.text, dimension, group))
    return rec.figures
