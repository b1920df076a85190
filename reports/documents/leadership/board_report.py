"""Quarterly board report: one context read by both the PDF and the PPTX deck.

:func:`build_board_report_context` picks the window's metrics from ``run``
(portfolio retention, MRR bridge, NPS by quarter, health, backtest, cost,
lost MRR by reason) and the trends of :mod:`cs_calc.leadership`;
highlights, lowlights and asks are sentences written from those numbers.
"""

# ruff: noqa: RUF009  (described() wraps dataclasses.field with a help text)
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cs_calc.nps import LOW_N_THRESHOLD
from reports.documents.leadership.churn_report import REASON_FIGURES
from reports.documents.leadership.common import (
    Chart,
    FigureColumns,
    FigureRecorder,
    Kpi,
    described,
    fmt,
    make_chart,
    portfolio_values,
    quarter_name,
    reason_labels_in,
    render_document,
    report_date,
    text,
    toc,
)
from reports.documents.leadership.provenance import Definition, build_provenance
from reports.output.figures import Figure, as_of_period
from reports.render.catalogue import N_, NP_, translations
from reports.render.charts import BarChartSpec, ComboChartSpec, LineChartSpec, WaterfallSpec
from reports.render.formatting import format_month_range, format_number, format_pct, format_pp
from reports.render.health_words import driver_words, top_drivers
from reports.render.locales import check_locale
from reports.render.pdf import TocEntry

if TYPE_CHECKING:
    from cs_calc.leadership_metrics import LeadershipMetrics
    from reports.pipeline import RunContext

TREND_QUARTERS = 8
TOP_REASONS = 5
TOP_RISKS = 10
DRIVERS_SHOWN = 2
METRICS = (
    "mrr_end",
    "nrr",
    "grr",
    "logo_churn",
    "new_mrr",
    "expansion_mrr",
    "reactivation_mrr",
    "contraction_mrr",
    "churned_mrr",
    "lost_mrr",
    "health_score",
    "health_backtest",
    "nps",
    "renewal_risk",
    "cost_to_retain",
    "allocated_cost_to_retain",
    "cs_roi",
)

LABELS: dict[str, str] = {
    "title": N_("Quarterly board report"),
    "arr": N_("ARR"),
    "nrr": N_("NRR"),
    "grr": N_("GRR"),
    "cap_retention": N_("ARR (12 × MRR at quarter end), NRR and GRR of each quarter"),
    "cap_logos": N_("Logo churn rate of each quarter"),
    "cap_waterfall": N_(
        "MRR at start, then new, expansion, reactivation, contraction and churned MRR, to MRR at end"
    ),
    "cap_nps": N_("NPS of each quarter; the table gives the number of responses"),
    "cap_health": N_("ARR of paying accounts in each health band"),
    "cap_backtest": N_("Share of the accounts in each band that churned in the following quarter"),
    "logo_churn": N_("Logo churn"),
    "nps": N_("NPS"),
    "ctr": N_("CS cost / revenue"),
    "retention": N_("ARR, NRR and GRR"),
    "waterfall": N_("MRR bridge"),
    "logos": N_("Logo churn"),
    "health": N_("Health distribution and movement"),
    "nps_trend": N_("NPS trend"),
    "reasons": N_("Top churn reasons"),
    "risks": N_("Top risks: renewing next quarter"),
    "cost": N_("Cost to retain"),
    "backtest": N_("Does the health score predict churn?"),
    "hla": N_("Highlights, lowlights and asks"),
    "highlights": NP_("board report", "Highlights"),
    "lowlights": NP_("board report", "Lowlights"),
    "asks": N_("Asks"),
    "definitions": N_("Definitions"),
    "quarter": N_("Quarter"),
    "start": N_("MRR at start"),
    "end": N_("MRR at end"),
    "new": N_("New"),
    "expansion": N_("Expansion"),
    "reactivation": N_("Reactivation"),
    "contraction": N_("Contraction"),
    "churn": N_("Churn"),
    "accounts_start": N_("Accounts at start"),
    "accounts_end": N_("Accounts at end"),
    "logos_lost": N_("Accounts lost (paying at start, not at end)"),
    "band": N_("Band"),
    "accounts": N_("Accounts"),
    "share": N_("Share"),
    "previous": N_("Previous band"),
    "total": N_("Total"),
    "responses": N_("Responses (n)"),
    "reason": N_("Reason"),
    "lost_mrr": N_("Lost MRR"),
    "lost_logos": N_("Accounts cancelled"),
    "account": NP_("customer", "Account"),
    "segment": N_("Segment"),
    "renewal": N_("Renewal"),
    "health_score": N_("Health"),
    "drivers": N_("Drivers"),
    "churn_rate": N_("Churn rate"),
    "churned": N_("Churned"),
    "auc": N_("AUC"),
    "vs_prev": N_("vs previous quarter"),
    "red": N_("Red"),
    "yellow": N_("Yellow"),
    "green": N_("Green"),
    "unknown": N_("Unknown"),
    "value": N_("Value"),
    "allocated": N_("Allocated cost to retain"),
    "roi": N_("CS ROI"),
    "none": N_("None."),
    "measure": N_("Measure"),
    "chart_retention": N_("ARR at quarter end ({currency}) with net and gross revenue retention (%)"),
    "chart_health": N_("ARR by health band ({currency})"),
    "chart_backtest": N_("Churned next quarter, by band"),
    "churned_axis_short": N_("Churned (%)"),
    "logo_axis_short": N_("Logo churn (%)"),
    "increase": N_("Increase"),
    "decrease": N_("Decrease"),
    "vs_prev_short": N_("Change on previous quarter"),
    "backtest_quarters": N_("Quarters tested"),
    "ctr_long": N_("CS cost as a share of recurring revenue"),
    "roi_long": N_("Revenue retained as a multiple of retention cost"),
    "quarter_axis": N_("Quarter"),
    "nps_axis": N_("NPS (score from −100 to 100)"),
    "arr_axis": N_("ARR ({currency})"),
    "mrr_axis": N_("MRR ({currency})"),
    "rates_axis": N_("NRR and GRR (%)"),
    "logo_axis": N_("Logo churn (% of paying accounts)"),
    "churn_rate_axis": N_("Accounts that churned next quarter (%)"),
    "lost_axis": N_("Lost MRR ({currency})"),
    "band_axis": N_("Health band"),
    "reason_axis": N_("Churn reason"),
    "few_responses": N_("fewer than {threshold} responses"),
    "cs_cost": N_("CS cost"),
    "revenue": NP_("board report", "Recurring revenue"),
}
"""Label key -> its English words; :func:`board_labels` gives them in a locale."""

_CONTEXTS = {
    "highlights": "board report",
    "lowlights": "board report",
    "revenue": "board report",
    "account": "customer",
}
"""The ``msgctxt`` of the labels marked ``NP_``: the board report's Swedish words differ from the
email's for the same English ('Höjdpunkter', not 'Medgångar'), and 'Account' is a customer."""


def board_labels(locale: str) -> dict[str, str]:
    """The board report's and deck's fixed words in ``locale`` (English without a translation)."""
    words = translations(locale)
    labels = {
        key: words.pgettext(_CONTEXTS[key], message) if key in _CONTEXTS else words.gettext(message)
        for key, message in LABELS.items()
    }
    return labels | {"low_n": f"n < {LOW_N_THRESHOLD}"}


@dataclasses.dataclass(frozen=True)
class BoardReportContext:
    """Everything the board PDF and deck show; numbers raw, text cleaned."""

    locale: str = described("Babel locale, en or sv.")
    currency: str = described("Reporting currency of every amount.")
    period: str = described("Window label, e.g. 2026-Q3.")
    period_name: str = described("Window as printed, e.g. 'Q3 2026'.")
    next_period_name: str = described("The quarter after the window (renewals at risk).")
    T: dict[str, str] = described("Labels in the document's language.")
    kpis: list[Kpi] = described("Summary tiles: ARR, NRR, GRR, logo churn, NPS, cost to retain.")
    period_words: str = described("The window's months in words, e.g. 'July – September 2026'.")
    takeaways: dict[str, str] = described(
        "One sentence per headline KPI (arr, nrr, grr, logo, nps, ctr): what happened to it this quarter."
    )
    highlights: list[str] = described("Good news written from the numbers.")
    lowlights: list[str] = described("Bad news written from the numbers.")
    asks: list[str] = described("What the CS leader asks the board for, from the numbers.")
    auc_sentence: str = described("What the backtest's AUC means, in a sentence with the AUC.")
    risk_summary: str = described(
        "How many accounts at risk renew next quarter, and their ARR, in a sentence."
    )
    reasons_lead: str = described("The largest churn reason and its share of lost MRR, in a sentence.")
    cost_lead: list[str] = described(
        "CS cost against revenue, and what retention spending kept, in sentences."
    )
    nps_range: tuple[float, float] = described("NPS axis range fitted to the quarters' scores (tens).")
    trend: list[dict[str, Any]] = described("quarterly_trend: ARR, NRR, GRR, logo churn per quarter.")
    bridge: dict[str, float] = described("MRR bridge of the window from run.metrics.portfolio.")
    health_bands: list[dict[str, Any]] = described("health_distribution of paying accounts at end.")
    health_moves: list[dict[str, Any]] = described("health_movement: previous band × current band counts.")
    nps: list[dict[str, Any]] = described("run.metrics.nps_by_quarter: NPS and n per quarter.")
    reasons: list[dict[str, Any]] = described("Top lost_mrr reasons of the window.")
    lost_mrr: float = described("lost_mrr of the window (churned + contraction).")
    risks: list[dict[str, Any]] = described("renewal_risks: largest at-risk ARR renewing next quarter.")
    risk_arr: float = described("Total ARR of all at-risk accounts renewing next quarter.")
    risk_count: int = described("Number of at-risk accounts renewing next quarter.")
    cost: dict[str, float] = described("run.metrics.cost ratios and amounts.")
    backtest: list[dict[str, Any]] = described("Backtest churn rate per band (run.metrics.backtest).")
    backtest_auc: float = described("AUC of the health score against next-quarter churn.")
    backtest_quarters: list[str] = described("Quarters pooled in the backtest.")
    charts: dict[str, Chart] = described("SVG charts for the PDF.")
    sections: list[TocEntry] = described("Table of contents.")
    provenance: dict[str, str] = described("Closing block: period, source, version, row counts, hash.")
    definitions: tuple[Definition, ...] = described("Glossary lines for every metric shown.")
    backtest_period: str = described("``period`` of the backtest's figures: its first..last quarter.")
    figures: list[Figure] = described("Every figure the PDF prints (tiles, sentences, tables, chart labels).")
    bullet_figures: list[Figure] = described(
        "The figures the highlights, lowlights and asks print (the PDF and the deck both print them)."
    )


_TREND_FIGURES: FigureColumns = (
    ("arr_end", "arr_end", "money"),
    ("nrr", "nrr", "pct"),
    ("grr", "grr", "pct"),
    ("accounts_start", "accounts_start", "number"),
    ("logos_lost", "logos_lost", "number"),
    ("logo_churn", "logo_churn", "pct"),
)
_BRIDGE: FigureColumns = tuple(
    (c, c, "money")
    for c in (
        "mrr_start",
        "new_mrr",
        "expansion_mrr",
        "reactivation_mrr",
        "contraction_mrr",
        "churned_mrr",
        "mrr_end",
    )
)
_BAND_FIGURES: FigureColumns = (
    ("accounts", "health_band_accounts", "number"),
    ("arr", "health_band_arr", "money"),
    ("share_arr", "health_band_arr_share", "pct"),
)
_COST_FIGURES: FigureColumns = (
    ("simple_cost_to_retain", "cost_to_retain", "pct"),
    ("allocated_cost_to_retain", "allocated_cost_to_retain", "pct"),
    ("cs_roi", "cs_roi", "ratio"),
)
_NPS_FIGURES: FigureColumns = (("nps", "nps", "decimal"), ("responses", "nps_responses", "number"))
_BACKTEST_FIGURES: FigureColumns = (
    ("accounts", "health_backtest_accounts", "number"),
    ("churned", "health_backtest_churned", "number"),
    ("churn_rate", "health_backtest", "pct"),
)


def _pdf_figures(
    rec: FigureRecorder,
    trend_rows: Sequence[dict[str, Any]],
    reasons: Sequence[dict[str, Any]],
    bridge: dict[str, float],
    bands: Sequence[dict[str, Any]],
    nps_rows: Sequence[dict[str, Any]],
    risks: Sequence[dict[str, Any]],
    cost: dict[str, float],
    lead: LeadershipMetrics,
    as_of: str,
) -> list[Figure]:
    """What the PDF prints: KPI tiles (already in ``rec``), the quarterly trend, the bridge, health
    bands, NPS per quarter, the reasons table, the cost table and the renewal risks."""
    rec.rows(trend_rows, _TREND_FIGURES, period_key="quarter")
    rec.rows([bridge], _BRIDGE)
    rec.rows(
        [{**r, "as_of": as_of} for r in bands],
        _BAND_FIGURES,
        dimension="band",
        group_key="band",
        period_key="as_of",
    )
    rec.rows([r for r in nps_rows if r["responses"]], _NPS_FIGURES, period_key="quarter")
    rec.rows(reasons, REASON_FIGURES, dimension="reason", group_key="reason")
    rec.rows([cost], _COST_FIGURES)
    rec.add("renewal_risk_accounts", lead.renewal_risk_accounts, "number", period=as_of)
    rec.add("renewal_risk", lead.renewal_risk_arr, "money", period=as_of)
    for row in risks:
        account = str(row["account_id"])
        where = {"period": as_of, "dimension": "account", "group": account, "account_id": account}
        rec.add("renewal_risk", row["arr"], "money", **where)
        rec.add("health_score", row["health_score"], "number", **where)
        record_drivers(rec, row, as_of)
    return rec.figures


def record_drivers(rec: FigureRecorder, row: dict[str, Any], as_of: str) -> None:
    """The numbers a risk row's drivers print (each the raw input of a health factor)."""
    account = str(row["account_id"])
    for factor, value, shown in row["driver_figures"]:
        rec.printed(
            "health_factor_input",
            value,
            shown,
            period=as_of,
            dimension="factor",
            group=factor,
            account_id=account,
        )


def nps_axis_range(scores: Sequence[float]) -> tuple[float, float]:
    """An NPS axis fitted to ``scores``: padded by 5 points and widened to tens, within −100 … 100.

    >>> nps_axis_range([2.2, 15.7])
    (-10.0, 30.0)
    >>> nps_axis_range([])
    (-100.0, 100.0)
    """
    values = [s for s in scores if s == s]
    if not values:
        return (-100.0, 100.0)
    low = max(-100.0, math.floor((min(values) - 5) / 10) * 10)
    high = min(100.0, math.ceil((max(values) + 5) / 10) * 10)
    return (float(low), float(high))


def _health_figures(
    rec: FigureRecorder,
    moves: Sequence[dict[str, Any]],
    backtest: Sequence[dict[str, Any]],
    auc: float,
    backtest_period: str,
    as_of: str,
) -> None:
    """The health-movement matrix (previous band → band now, totals included) and the backtest table."""
    for row in moves:
        for current, count in zip(row["current"], row["counts"], strict=True):
            rec.add(
                "health_band_moves",
                count,
                "number",
                period=as_of,
                dimension="band",
                group=f"{row['band']}→{current}",
            )
    rec.rows(
        [{**r, "period": backtest_period} for r in backtest],
        _BACKTEST_FIGURES,
        dimension="band",
        group_key="band",
        period_key="period",
    )
    rec.printed("health_backtest_auc", auc, fmt_auc(auc, rec.locale), period=backtest_period)


def fmt_auc(auc: float, locale: str) -> str:
    """The backtest's AUC as printed: two decimals ("0.89")."""
    return format_number(auc, locale, digits=2)


def _chart_figures(
    rec: FigureRecorder,
    charts: dict[str, Chart],
    bridge: dict[str, float],
    bands: Sequence[dict[str, Any]],
    backtest: Sequence[dict[str, Any]],
    backtest_period: str,
    as_of: str,
) -> None:
    """The values the charts print on their bars: the bridge's steps, ARR per band, churn rate per band."""
    if "waterfall" in charts:
        rec.chart(charts["waterfall"], [(c, {"value": bridge[c]}) for c, _, _ in _BRIDGE])
    if "health" in charts:
        band_key = {"period": as_of, "dimension": "band"}
        rec.chart(charts["health"], [("health_band_arr", {**band_key, "group": r["band"]}) for r in bands])
    if "backtest" in charts:
        key = {"period": backtest_period, "dimension": "band"}
        rec.chart(charts["backtest"], [("health_backtest", {**key, "group": r["band"]}) for r in backtest])


def build_board_report_context(run: RunContext, *, locale: str = "en") -> BoardReportContext:
    """Arrange the board figures of ``run`` (no metric of the window is recomputed)."""
    locale = check_locale(locale)
    T = board_labels(locale)
    m = run.metrics
    currency = m.reporting_currency
    period_name = quarter_name(m.window.label, locale)
    lead = run.leadership
    next_name = quarter_name(lead.next_quarter.label, locale)

    trend = m.quarterly_trend.tail(TREND_QUARTERS)
    cols = ["arr_end", "nrr", "grr", "logo_churn", "simple_cost_to_retain"]
    deltas = {c: lead.trend_change[c] for c in cols} | {"nps": lead.nps_change}
    trend_rows = [dict(r) for r in trend.to_dict("records")]
    for row in trend_rows:
        row["quarter_name"] = quarter_name(row["quarter"], locale)

    value = portfolio_values(
        run,
        (
            *cols[1:4],
            "mrr_start",
            "mrr_end",
            "arr_end",
            "new_mrr",
            "expansion_mrr",
            "reactivation_mrr",
            "contraction_mrr",
            "churned_mrr",
            "nps",
            "nps_responses",
        ),
    )
    nps_q = m.nps_by_quarter.reset_index().rename(columns={"index": "quarter", "group": "quarter"})
    nps_rows = []
    for r in nps_q.to_dict("records"):
        name = quarter_name(str(r["quarter"]), locale)
        flag = f"\n({T['few_responses'].format(threshold=LOW_N_THRESHOLD)})" if r["low_n"] else ""
        nps_rows.append({**r, "quarter_name": name, "axis_label": name + flag})
    nps_delta = lead.nps_change

    kpis = [
        Kpi(
            T["arr"],
            value["arr_end"],
            "money",
            "mrr_end",
            deltas["arr_end"],
            "money",
            True,
            T["vs_prev"],
            figure="arr_end",
            delta_figure="arr_end_qoq_change",
        ),
        Kpi(
            f"{T['nrr']}, {period_name}",
            value["nrr"],
            "pct",
            "nrr",
            deltas["nrr"],
            "pp",
            True,
            delta_figure="nrr_qoq_change",
        ),
        Kpi(
            f"{T['grr']}, {period_name}",
            value["grr"],
            "pct",
            "grr",
            deltas["grr"],
            "pp",
            True,
            delta_figure="grr_qoq_change",
        ),
        Kpi(
            f"{T['logo_churn']}, {period_name}",
            value["logo_churn"],
            "pct",
            "logo_churn",
            deltas["logo_churn"],
            "pp",
            False,
            delta_figure="logo_churn_qoq_change",
        ),
        Kpi(
            T["nps"],
            value["nps"],
            "decimal",  # one decimal, as the NPS digest prints it
            "nps",
            nps_delta,
            "decimal",
            True,
            f"n = {fmt(value['nps_responses'], 'number', locale)}",
            delta_figure="nps_change",
        ),
        Kpi(
            T["ctr"],
            m.cost.simple_cost_to_retain,
            "pct",
            "cost_to_retain",
            deltas["simple_cost_to_retain"],
            "pp",
            False,
            delta_figure="cost_to_retain_qoq_change",
        ),
    ]

    dist = m.health_bands
    dist_rows = [{**r, "label": T[r["band"]]} for r in dist.to_dict("records")]
    moves = m.health_moves
    move_rows = []
    for band, row in moves.iterrows():
        move_rows.append(
            {
                "band": band,
                "label": T.get(band, T["total"]),
                "counts": [int(v) for v in row],
                "current": [str(c) for c in moves.columns],
            }
        )

    reasons = reason_labels_in(lead.churn.by_reason, run.settings.metrics.churn_taxonomy, locale)
    reason_rows = [
        {**r, "reason_label": text(r["reason_label"])} for r in reasons.head(TOP_REASONS).to_dict("records")
    ]
    lost_total = lead.churn.lost_mrr

    all_risks = lead.renewal_risks
    risks = []
    for r in all_risks.head(TOP_RISKS).to_dict("records"):
        health = m.health.loc[r["account_id"]].to_dict() if r["account_id"] in m.health.index else {}
        drivers = [(f, v, *driver_words(f, v, locale)) for f, v in top_drivers(health, DRIVERS_SHOWN)]
        risks.append(
            {
                "account_id": text(r["account_id"]),
                "name": text(r["name"]),
                "segment": text(r["segment"]),
                "renewal_date": r["renewal_date"],
                "arr": float(r["arr"]),
                "health_score": float(r["health_score"]),
                "health_band": str(r["health_band"]),
                "band_label": T.get(str(r["health_band"]), str(r["health_band"])),
                "drivers": "; ".join(sentence for _, _, sentence, _ in drivers),
                "driver_figures": [(f, v, shown) for f, v, _, shown in drivers if shown],
            }
        )

    bt = m.backtest
    backtest = [
        {"band": b, "label": T.get(str(b), str(b)), **{k: float(v) for k, v in row.items()}}
        for b, row in bt.by_band.iterrows()
    ]
    cost = {
        "simple_cost_to_retain": m.cost.simple_cost_to_retain,
        "allocated_cost_to_retain": m.cost.allocated_cost_to_retain,
        "cs_roi": m.cost.cs_roi,
        "cs_cost": m.cost.cs_cost,
        "retention_cost": m.cost.retention_cost,
        "recurring_revenue": m.cost.recurring_revenue,
        "revenue_retained": m.cost.revenue_retained,
        "cost_per_retained_arr_dollar": m.cost.cost_per_retained_arr_dollar,
        "delta_simple": deltas["simple_cost_to_retain"],
    }
    bridge = {
        k: value[k]
        for k in (
            "mrr_start",
            "new_mrr",
            "expansion_mrr",
            "reactivation_mrr",
            "contraction_mrr",
            "churned_mrr",
            "mrr_end",
        )
    }
    as_of = as_of_period(m.as_of)
    backtest_period = f"{bt.quarters[0]}..{bt.quarters[-1]}" if bt.quarters else m.window.label
    bullet_rec = FigureRecorder(m.window.label, locale, currency)
    said = _sentences(
        bullet_rec,
        value,
        deltas,
        trend_rows,
        nps_rows,
        reason_rows,
        lost_total,
        (lead.renewal_risk_accounts, lead.renewal_risk_arr, len(risks)),
        dist,
        (float(bt.auc), backtest_period),
        (period_name, next_name),
        cost,
        as_of,
    )
    charts = _charts(T, locale, currency, period_name, trend, bridge, nps_rows, dist_rows, backtest)
    provenance = build_provenance(run, METRICS, locale)
    pdf_rec = FigureRecorder(m.window.label, locale, currency)
    pdf_rec.kpis(kpis)
    pdf_rec.add("nps_responses", value["nps_responses"], "number")
    figures = _pdf_figures(
        pdf_rec,
        trend_rows,
        reason_rows,
        bridge,
        dist_rows,
        nps_rows,
        risks,
        cost,
        lead,
        as_of,
    )
    _health_figures(pdf_rec, move_rows, backtest, float(bt.auc), backtest_period, as_of)
    _chart_figures(pdf_rec, charts, bridge, dist_rows, backtest, backtest_period, as_of)
    pdf_rec.add("lost_mrr", lost_total, "money")
    return BoardReportContext(
        figures=figures + bullet_rec.figures,
        bullet_figures=bullet_rec.figures,
        backtest_period=backtest_period,
        locale=locale,
        currency=currency,
        period=m.window.label,
        period_name=period_name,
        next_period_name=next_name,
        T=T,
        kpis=kpis,
        period_words=format_month_range(m.window.start, m.window.end, locale),
        takeaways=said.takeaways,
        highlights=said.highlights,
        lowlights=said.lowlights,
        asks=said.asks,
        auc_sentence=said.auc,
        risk_summary=said.risk_summary,
        reasons_lead=said.reasons_lead,
        cost_lead=said.cost_lead,
        nps_range=nps_axis_range([r["nps"] for r in nps_rows]),
        trend=trend_rows,
        bridge=bridge,
        health_bands=dist_rows,
        health_moves=move_rows,
        nps=nps_rows,
        reasons=reason_rows,
        lost_mrr=lost_total,
        risks=risks,
        risk_arr=lead.renewal_risk_arr,
        risk_count=lead.renewal_risk_accounts,
        cost=cost,
        backtest=backtest,
        backtest_auc=float(bt.auc),
        backtest_quarters=[quarter_name(q, locale) for q in bt.quarters],
        charts=charts,
        sections=toc(
            [
                ("retention", T["retention"]),
                ("waterfall", T["waterfall"]),
                ("health", T["health"]),
                ("nps", T["nps_trend"]),
                ("reasons", T["reasons"]),
                ("risks", T["risks"]),
                ("cost", T["cost"]),
                ("backtest", T["backtest"]),
                ("definitions", T["definitions"]),
            ]
        ),
        provenance=provenance.board_mapping(locale),
        definitions=provenance.definitions,
    )


PHRASES: dict[str, str] = {
    "arr_up": N_("ARR rose {change} on the previous quarter to {value}."),
    "arr_down": N_("ARR fell {change} on the previous quarter to {value}."),
    "arr_flat": N_("ARR was unchanged on the previous quarter at {value}."),
    "nrr_up": N_("Net revenue retention (NRR) rose {change} to {value}."),
    "nrr_down": N_("Net revenue retention (NRR) fell {change} to {value}."),
    "nrr_flat": N_("Net revenue retention (NRR) was unchanged at {value}."),
    "grr_up": N_("Gross revenue retention (GRR) rose {change} to {value}."),
    "grr_down": N_("Gross revenue retention (GRR) fell {change} to {value}."),
    "grr_flat": N_("Gross revenue retention (GRR) was unchanged at {value}."),
    "logo_up": N_(
        "Logo churn rose {change} to {value}: {lost} of the {start} accounts paying at the start of the quarter no longer paid at its end."
    ),
    "logo_down": N_(
        "Logo churn fell {change} to {value}: {lost} of the {start} accounts paying at the start of the quarter no longer paid at its end."
    ),
    "logo_flat": N_(
        "Logo churn was unchanged at {value}: {lost} of the {start} accounts paying at the start of the quarter no longer paid at its end."
    ),
    "nps_up": N_("NPS rose {change} points to {value}, from {n} survey responses."),
    "nps_down": N_("NPS fell {change} points to {value}, from {n} survey responses."),
    "nps_flat": N_("NPS was unchanged at {value}, from {n} survey responses."),
    "nps_low_n": N_("Fewer than {threshold} responses: read it with care."),
    "ctr_within": N_("CS cost was {value} of recurring revenue, within the common band of 5–15%."),
    "ctr_above": N_("CS cost was {value} of recurring revenue, above the common band of 5–15%."),
    "ctr_below": N_("CS cost was {value} of recurring revenue, below the common band of 5–15%."),
    "auc_good": N_(
        "The health score predicts churn: an account that churned scored lower than one that stayed {share} of the time ({auc_name} {auc})."
    ),
    "auc_weak": N_(
        "The health score predicts churn only weakly: an account that churned scored lower than one that stayed {share} of the time ({auc_name} {auc})."
    ),
    "lost": N_("{lost} of MRR was lost; the largest reason was {reason_lowercase} ({share} of it)."),
    "red": N_("{share} of ARR sits with accounts whose health is red."),
    "ask_reason": N_(
        "Back a programme against {reason_lowercase}, the reason behind {lost} of MRR lost this quarter."
    ),
    "ask_budget": N_("Review the CS budget: CS cost is {value} of revenue (common band 5–15%)."),
    "risk_summary_none": N_("No account with a red or yellow health band renews in {quarter}."),
    "risk_listed": N_("The largest {shown} are listed."),
    "reasons_lead": N_("{reason} caused {share} of the MRR lost in {quarter}."),
    "cost_return": N_(
        "Counting every function's share of keeping customers, retention cost {cost} kept {retained} of revenue: {roi} its cost."
    ),
    "cost_lead_within": N_(
        "CS cost {cs_cost} was {ctr} of the quarter's recurring revenue ({revenue}), within the common band of 5–15%."
    ),
    "cost_lead_above": N_(
        "CS cost {cs_cost} was {ctr} of the quarter's recurring revenue ({revenue}), above the common band of 5–15%."
    ),
    "cost_lead_below": N_(
        "CS cost {cs_cost} was {ctr} of the quarter's recurring revenue ({revenue}), below the common band of 5–15%."
    ),
}
"""Sentences of the board report and deck (English; translated with ``gettext``). Numbers are filled
in as printed and recorded; ``{reason_lowercase}`` is ``{reason}`` in lower case."""


@dataclasses.dataclass(frozen=True)
class _Sentences:
    takeaways: dict[str, str]
    highlights: list[str]
    lowlights: list[str]
    asks: list[str]
    auc: str
    risk_summary: str
    reasons_lead: str
    cost_lead: list[str]


def _direction(change: float, digits_zero: bool) -> str:
    """``up``, ``down`` or ``flat`` for a change as printed (``flat`` when it prints as zero)."""
    if digits_zero or change == 0:
        return "flat"
    return "up" if change > 0 else "down"


def _sentences(
    rec: FigureRecorder,
    value: dict[str, float],
    deltas: dict[str, float],
    trend_rows: list[dict[str, Any]],
    nps_rows: list[dict[str, Any]],
    reasons: list[dict[str, Any]],
    lost_total: float,
    risks: tuple[int, float, int],
    dist: pd.DataFrame,
    backtest: tuple[float, str],
    names: tuple[str, str],
    cost: dict[str, float],
    as_of: str,
) -> _Sentences:
    """Every sentence of the report, every number recorded in ``rec`` as the sentence prints it.

    ``takeaways`` say what happened to each headline KPI, one sentence each; ``highlights`` and
    ``lowlights`` sort those sentences (and a few more) into good and bad news.
    """
    locale = rec.locale
    words = translations(locale)
    P = {key: words.gettext(message) for key, message in PHRASES.items()}
    T = board_labels(locale)
    period_name, next_name = names
    money = lambda figure_id, v, **key: rec.show(figure_id, v, "money", **key)  # noqa: E731
    pct = lambda figure_id, v, **key: rec.show(figure_id, v, "pct", **key)  # noqa: E731
    takeaways: dict[str, str] = {}
    high: list[str] = []
    low: list[str] = []
    asks: list[str] = []

    def kpi(key: str, change: float, shown_change: str, good_when_up: bool, **values: str) -> None:
        if change != change:
            return
        direction = _direction(change, not any(ch.isdigit() and ch != "0" for ch in shown_change))
        line = P[f"{key}_{direction}"].format(change=shown_change, **values)
        takeaways[key] = line
        good = direction == "flat" or (direction == "up") == good_when_up
        (high if good else low).append(line)

    d_arr = deltas["arr_end"]
    kpi(
        "arr",
        d_arr,
        rec.printed("arr_end_qoq_change", d_arr, fmt(abs(d_arr), "money", locale, rec.currency)),
        True,
        value=money("arr_end", value["arr_end"]),
    )
    for key in ("nrr", "grr"):
        d = deltas[key]
        kpi(
            key,
            d,
            rec.printed(f"{key}_qoq_change", d, format_pp(abs(d), locale).lstrip("+")),
            True,
            value=pct(key, value[key]),
        )
    if trend_rows:
        last = trend_rows[-1]
        quarter = {"period": str(last["quarter"])}
        d = deltas["logo_churn"]
        kpi(
            "logo",
            d,
            rec.printed("logo_churn_qoq_change", d, format_pp(abs(d), locale).lstrip("+")),
            False,
            value=pct("logo_churn", last["logo_churn"], **quarter),
            lost=rec.show("logos_lost", last["logos_lost"], "number", **quarter),
            start=rec.show("accounts_start", last["accounts_start"], "number", **quarter),
        )
    if len(nps_rows) >= 2:
        d = deltas["nps"]
        last = nps_rows[-1]
        quarter = {"period": str(last["quarter"])}
        kpi(
            "nps",
            d,
            rec.printed("nps_change", d, fmt(abs(d), "decimal", locale), **quarter),
            True,
            value=rec.show("nps", last["nps"], "decimal", **quarter),
            n=rec.show("nps_responses", last["responses"], "number", **quarter),
        )
        if last["low_n"] and "nps" in takeaways:
            flagged = f"{takeaways['nps']} {P['nps_low_n'].format(threshold=LOW_N_THRESHOLD)}"
            for lines in (high, low):
                if lines and lines[-1] == takeaways["nps"]:
                    lines[-1] = flagged
            takeaways["nps"] = flagged
    ctr = cost["simple_cost_to_retain"]
    if ctr == ctr:
        band = "within" if 0.05 <= ctr <= 0.15 else "above" if ctr > 0.15 else "below"
        line = P[f"ctr_{band}"].format(value=pct("cost_to_retain", ctr))
        takeaways["ctr"] = line
        (high if band == "within" else low).append(line)

    auc, backtest_period = backtest
    auc_line = ""
    if auc == auc:
        over = {"period": backtest_period}
        auc_line = P["auc_good" if auc >= 0.7 else "auc_weak"].format(
            share=rec.printed("health_backtest_auc", auc, format_pct(auc, locale, digits=0), **over),
            auc_name=T["auc"],
            auc=rec.printed("health_backtest_auc", auc, fmt_auc(auc, locale), **over),
        )
        (high if auc >= 0.7 else low).append(auc_line)

    reasons_lead = ""
    if reasons and lost_total > 0:
        top = reasons[0]
        reason = {"dimension": "reason", "group": str(top["reason"])}
        share = pct("lost_mrr_share", top["share"], **reason)
        low.append(
            P["lost"].format(
                lost=money("lost_mrr", lost_total),
                reason=top["reason_label"],
                reason_lowercase=top["reason_label"].lower(),
                share=share,
            )
        )
        reasons_lead = P["reasons_lead"].format(reason=top["reason_label"], share=share, quarter=period_name)
        avoidable = [r for r in reasons if r["avoidable"] and not r["vague"]]
        if avoidable:
            a = avoidable[0]
            a_lost = money("lost_mrr", a["lost_mrr"], dimension="reason", group=str(a["reason"]))
            asks.append(
                P["ask_reason"].format(
                    reason=a["reason_label"], reason_lowercase=a["reason_label"].lower(), lost=a_lost
                )
            )

    risk_accounts, risk_arr, listed = risks
    at = {"period": as_of}
    if risk_accounts:
        count = rec.show("renewal_risk_accounts", risk_accounts, "number", **at)
        arr_at_risk = money("renewal_risk", risk_arr, **at)
        asks.append(
            words.ngettext(
                "Name an executive sponsor for the one at-risk renewal in {quarter}, worth {arr} ARR.",
                "Name an executive sponsor for each of the {count} at-risk renewals in {quarter}, worth {arr} ARR.",
                int(risk_accounts),
            ).format(count=count, quarter=next_name, arr=arr_at_risk)
        )
        risk_summary = words.ngettext(
            "One account with a red or yellow health band renews in {quarter}, carrying {arr} ARR.",
            "{count} accounts with a red or yellow health band renew in {quarter}, carrying {arr} ARR.",
            int(risk_accounts),
        ).format(count=count, quarter=next_name, arr=arr_at_risk)
        if risk_accounts > listed:
            risk_summary = f"{risk_summary} {P['risk_listed'].format(shown=listed)}"
    else:
        risk_summary = P["risk_summary_none"].format(quarter=next_name)

    red = dist.set_index("band")
    if red.loc["red", "accounts"] > 0:
        share = pct(
            "health_band_arr_share", red.loc["red", "share_arr"], period=as_of, dimension="band", group="red"
        )
        low.append(P["red"].format(share=share))

    cost_lead = []
    if ctr == ctr and not 0.05 <= ctr <= 0.15:
        asks.append(P["ask_budget"].format(value=pct("cost_to_retain", ctr)))
    if ctr == ctr:
        cost_lead = [
            P[f"cost_lead_{band}"].format(
                cs_cost=money("cs_cost", cost["cs_cost"]),
                ctr=pct("cost_to_retain", ctr),
                revenue=money("recurring_revenue", cost["recurring_revenue"]),
            ),
            P["cost_return"].format(
                cost=money("retention_cost", cost["retention_cost"]),
                retained=money("revenue_retained", cost["revenue_retained"]),
                roi=rec.show("cs_roi", cost["cs_roi"], "ratio"),
            ),
        ]
    return _Sentences(takeaways, high, low, asks, auc_line, risk_summary, reasons_lead, cost_lead)


def _charts(
    T: dict[str, str],
    locale: str,
    currency: str,
    period_name: str,
    trend: pd.DataFrame,
    bridge: dict[str, float],
    nps_rows: list[dict[str, Any]],
    dist_rows: list[dict[str, Any]],
    backtest: list[dict[str, Any]],
) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    quarters = [quarter_name(q, locale) for q in trend["quarter"]]
    if len(trend):
        charts["retention"] = make_chart(
            ComboChartSpec(
                title=T["chart_retention"].format(currency=currency),
                y_label=f"{T['arr']} ({currency})",
                value_format="money",
                currency=currency,
                locale=locale,
                x_labels=quarters,
                series={T["arr"]: trend["arr_end"].tolist()},
                lines={T["nrr"]: trend["nrr"].tolist(), T["grr"]: trend["grr"].tolist()},
                y2_label=T["rates_axis"],
                size=(6.7, 2.9),
            ),
            T["cap_retention"],
        )
        charts["logos"] = make_chart(
            LineChartSpec(
                title=T["logos"],
                y_label=T["logo_axis_short"],
                value_format="pct",
                locale=locale,
                x_labels=quarters,
                series={T["logo_churn"]: trend["logo_churn"].tolist()},
                size=(6.7, 2.2),
            ),
            T["cap_logos"],
        )
    charts["waterfall"] = make_chart(
        WaterfallSpec(
            title=f"{T['waterfall']} — {period_name} ({currency})",
            y_label=f"MRR ({currency})",
            value_format="money",
            currency=currency,
            locale=locale,
            start_label=T["start"],
            start_value=bridge["mrr_start"],
            steps={
                T["new"]: bridge["new_mrr"],
                T["expansion"]: bridge["expansion_mrr"],
                T["reactivation"]: bridge["reactivation_mrr"],
                T["contraction"]: -bridge["contraction_mrr"],
                T["churn"]: -bridge["churned_mrr"],
            },
            end_label=T["end"],
            size=(6.7, 2.8),
        ),
        T["cap_waterfall"],
    )
    if nps_rows:
        charts["nps"] = make_chart(
            LineChartSpec(
                title=T["nps_trend"],
                y_label=T["nps_axis"],
                value_format="number",
                locale=locale,
                x_labels=[r["axis_label"] for r in nps_rows],
                series={T["nps"]: [r["nps"] for r in nps_rows]},
                size=(6.7, 2.2),
            ),
            T["cap_nps"],
        )
    charts["health"] = make_chart(
        BarChartSpec(
            title=T["chart_health"].format(currency=currency),
            y_label=f"{T['arr']} ({currency})",
            value_format="money",
            currency=currency,
            locale=locale,
            x_labels=[r["label"] for r in dist_rows],
            series={T["arr"]: [r["arr"] for r in dist_rows]},
            data_labels=True,
            size=(3.3, 2.3),
        ),
        T["cap_health"],
    )
    if backtest:
        charts["backtest"] = make_chart(
            BarChartSpec(
                title=T["chart_backtest"],
                y_label=T["churned_axis_short"],
                value_format="pct",
                locale=locale,
                x_labels=[r["label"] for r in backtest],
                series={T["churn_rate"]: [r["churn_rate"] for r in backtest]},
                data_labels=True,
                size=(3.3, 2.3),
            ),
            T["cap_backtest"],
        )
    return charts


def render_board_report(
    run: RunContext,
    *,
    locale: str = "en",
    page_size: str = "A4",
    generated_on: dt.date | None = None,
    template_dirs: Sequence[Path] = (),
    context: BoardReportContext | None = None,
) -> bytes:
    """The board report of ``run`` as PDF bytes."""
    context = context or build_board_report_context(run, locale=locale)
    return render_document(
        "board/report.html",
        context,
        page_size=page_size,
        generated_on=generated_on or report_date(run),
        branding=run.settings.branding,
        template_dirs=template_dirs,
    )
