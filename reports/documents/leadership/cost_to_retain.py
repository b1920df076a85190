"""CFO cost-to-retain summary: a one-page summary plus detail, and the CSV behind every figure.

:func:`build_cost_to_retain_context` picks ``run.metrics.cost``,
``cost_by_segment``, ``coverage``, ``per_account_retention`` and the tenure
rows of ``run.metrics.portfolio``, plus the quarterly trend and NRR components
of :mod:`cs_calc.leadership`. :func:`render_cost_to_retain` renders
``templates/cost_to_retain/report.html``; :func:`cost_to_retain_tables` gives
the tables written as CSV.
"""

# ruff: noqa: RUF009  (described() wraps dataclasses.field with a help text)
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from reports.documents.leadership.common import (
    Chart,
    FigureColumns,
    FigureRecorder,
    Kpi,
    described,
    fmt,
    fmt_delta,
    make_chart,
    portfolio_values,
    quarter_name,
    render_document,
    report_date,
    text,
    toc,
)
from reports.documents.leadership.provenance import Definition, build_provenance
from reports.output.figures import Figure
from reports.render.charts import LineChartSpec, WaterfallSpec
from reports.render.locales import check_locale
from reports.render.pdf import TocEntry

if TYPE_CHECKING:
    from reports.pipeline import RunContext

TREND_QUARTERS = 4
CS_COST_BAND = (0.05, 0.15)
"""The common range of CS cost as a share of revenue (fractions)."""

METRICS = (
    "cost_to_retain",
    "allocated_cost_to_retain",
    "cost_per_retained_arr_dollar",
    "cs_roi",
    "nrr",
    "grr",
    "logo_churn",
    "nrr_components",
    "coverage_vs_target",
    "csm_book_cost_to_retain",
)

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Cost to retain",
        "summary_h": "Summary for the CFO",
        "cost": "Cost to retain",
        "nrr": "NRR components",
        "coverage": "CSM coverage and book cost",
        "tenure": "First-year vs tenured retention",
        "trend": "Quarter over quarter",
        "definitions": "Definitions",
        "simple": "CS cost / revenue",
        "allocated": "Allocated cost to retain",
        "per_dollar": "Cost per retained ARR $",
        "roi": "CS ROI",
        "nrr_k": "NRR",
        "grr_k": "GRR",
        "band": "common band 5–15%",
        "vs_prev": "vs previous quarter",
        "function": "Function",
        "amount": "Cost",
        "fraction": "Allocated to retention",
        "retention_cost": "Retention cost",
        "total": "Total",
        "segment": "Segment",
        "csm": "CSM book",
        "start": "MRR at start",
        "renewed": "Renewed",
        "expansion": "Expansion",
        "contraction": "Net contraction",
        "churn": "Net churn",
        "retained": "MRR at end",
        "accounts": "Accounts",
        "csms": "CSMs",
        "per_csm": "Accounts per CSM",
        "target": "Target",
        "vs_target": "vs target",
        "csm_cost": "CSM cost",
        "revenue": "Recurring revenue",
        "book_ctr": "CSM cost / revenue",
        "quarter": "Quarter",
        "cs_cost": "CS cost",
        "logo_churn": "Logo churn",
        "first_year": "First year",
        "tenured": "Tenured",
        "accounts_start": "Accounts at start",
        "roi_unit": "revenue retained per $1 of retention cost",
        "per_dollar_unit": "retention cost per $1 of retained ARR",
    },
    "sv": {
        "title": "Kostnad för att behålla kunder",
        "summary_h": "Sammanfattning för CFO",
        "cost": "Kostnad för att behålla",
        "nrr": "NRR-komponenter",
        "coverage": "CSM-täckning och kostnad per portfölj",
        "tenure": "Första året mot äldre kunder",
        "trend": "Kvartal för kvartal",
        "definitions": "Definitioner",
        "simple": "CS-kostnad / intäkt",
        "allocated": "Fördelad kostnad",
        "per_dollar": "Kostnad per behållen ARR-dollar",
        "roi": "CS-avkastning",
        "nrr_k": "NRR",
        "grr_k": "GRR",
        "band": "vanligt intervall 5–15 %",
        "vs_prev": "mot föregående kvartal",
        "function": "Funktion",
        "amount": "Kostnad",
        "fraction": "Andel för att behålla",
        "retention_cost": "Kostnad att behålla",
        "total": "Totalt",
        "segment": "Segment",
        "csm": "CSM-portfölj",
        "start": "MRR vid start",
        "renewed": "Förnyat",
        "expansion": "Expansion",
        "contraction": "Nettominskning",
        "churn": "Nettochurn",
        "retained": "MRR vid slut",
        "accounts": "Kunder",
        "csms": "CSM:er",
        "per_csm": "Kunder per CSM",
        "target": "Mål",
        "vs_target": "mot mål",
        "csm_cost": "CSM-kostnad",
        "revenue": "Återkommande intäkt",
        "book_ctr": "CSM-kostnad / intäkt",
        "quarter": "Kvartal",
        "cs_cost": "CS-kostnad",
        "logo_churn": "Kundchurn",
        "first_year": "Första året",
        "tenured": "Äldre kunder",
        "accounts_start": "Kunder vid start",
        "roi_unit": "behållen intäkt per krona kostnad",
        "per_dollar_unit": "kostnad per behållen ARR-enhet",
    },
}


@dataclasses.dataclass(frozen=True)
class CostToRetainContext:
    """Everything ``templates/cost_to_retain/report.html`` prints; numbers raw."""

    locale: str = described("Babel locale, en or sv.")
    currency: str = described("Reporting currency of every amount.")
    period: str = described("Window label, e.g. 2026-Q3.")
    period_name: str = described("Window as printed, e.g. 'Q3 2026'.")
    T: dict[str, str] = described("Labels in the document's language.")
    kpis: list[Kpi] = described("Summary tiles with quarter-over-quarter deltas.")
    narrative: list[str] = described("A short paragraph written from the numbers.")
    cost: dict[str, float] = described("run.metrics.cost: revenue, costs and the four ratios.")
    in_band: bool = described("True when CS cost / revenue lies in the common 5–15% band.")
    by_function: list[dict[str, Any]] = described("Cost, allocated fraction and retention cost per function.")
    components_all: dict[str, float] = described("nrr_components of the whole book.")
    components_by_segment: list[dict[str, Any]] = described("nrr_components per segment.")
    components_by_csm: list[dict[str, Any]] = described("nrr_components per CSM book.")
    coverage: list[dict[str, Any]] = described("Accounts per CSM vs tier targets (coverage_vs_target).")
    book_costs: list[dict[str, Any]] = described("CSM cost / revenue per segment (csm_book_cost_to_retain).")
    tenure: list[dict[str, Any]] = described("NRR, GRR and logo churn, first-year vs tenured.")
    trend: list[dict[str, Any]] = described("quarterly_trend: cost and retention, last 4 quarters.")
    deltas: dict[str, float] = described("Quarter-over-quarter change of the trend's columns.")
    charts: dict[str, Chart] = described("SVG charts: NRR bridge, cost trend.")
    tables: dict[str, pd.DataFrame] = described("The table behind every figure, written as CSV.")
    sections: list[TocEntry] = described("Table of contents.")
    provenance: dict[str, str] = described("Closing block: period, source, version, row counts, hash.")
    definitions: tuple[Definition, ...] = described("Glossary lines for every metric shown.")
    figures: list[Figure] = described("Every figure of the KPI tiles (and reasons table), for the manifest.")


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.to_dict("records")]


_COST_FIGURES: FigureColumns = (
    ("recurring_revenue", "recurring_revenue", "money"),
    ("cs_cost", "cs_cost", "money"),
    ("revenue_retained", "revenue_retained", "money"),
    ("retention_cost", "retention_cost", "money"),
)
_TENURE_FIGURES: FigureColumns = (
    ("accounts_start", "accounts_start", "number"),
    ("mrr_start", "mrr_start", "money"),
    ("nrr", "nrr", "pct"),
    ("grr", "grr", "pct"),
    ("logo_churn", "logo_churn", "pct"),
)
_SEGMENT_FIGURES: FigureColumns = (
    ("mrr_start", "mrr_start", "money"),
    ("nrr", "nrr", "pct"),
    ("grr", "grr", "pct"),
)
_TREND_FIGURES: FigureColumns = (
    ("recurring_revenue", "recurring_revenue", "money"),
    ("cs_cost", "cs_cost", "money"),
    ("retention_cost", "retention_cost", "money"),
    ("simple_cost_to_retain", "cost_to_retain", "pct"),
    ("allocated_cost_to_retain", "allocated_cost_to_retain", "pct"),
    ("cs_roi", "cs_roi", "ratio"),
    ("nrr", "nrr", "pct"),
    ("grr", "grr", "pct"),
)


def _cost_figures(
    rec: FigureRecorder,
    cost: dict[str, Any],
    tenure: Sequence[dict[str, Any]],
    by_segment: Sequence[dict[str, Any]],
    coverage: Sequence[dict[str, Any]],
    book: Sequence[dict[str, Any]],
    trend: Sequence[dict[str, Any]],
) -> list[Figure]:
    """The revenue/cost row, the tenure, segment, coverage and trend tables, as the PDF prints them
    (the KPI tiles are already in ``rec``)."""
    rec.rows([cost], _COST_FIGURES)
    rec.rows(tenure, _TENURE_FIGURES, dimension="tenure", group_key="group")
    rec.rows(by_segment, _SEGMENT_FIGURES, dimension="segment", group_key="group")
    rec.rows(
        coverage,
        (("coverage_vs_target", "coverage_vs_target", "pct"),),
        dimension="segment",
        group_key="group",
    )
    rec.rows(
        book, (("cost_to_retain", "csm_book_cost_to_retain", "pct"),), dimension="segment", group_key="group"
    )
    rec.rows(trend, _TREND_FIGURES, period_key="quarter")
    return rec.figures


def build_cost_to_retain_context(run: RunContext, *, locale: str = "en") -> CostToRetainContext:
    """Arrange the cost-to-retain figures of ``run`` (no metric of the window is recomputed)."""
    locale = check_locale(locale)
    T = LABELS[locale]
    m = run.metrics
    tables = run.dataset.tables
    currency = m.reporting_currency
    cost = m.cost
    period_name = quarter_name(m.window.label, locale)

    trend = m.quarterly_trend.tail(TREND_QUARTERS).reset_index(drop=True)
    deltas = dict(run.leadership.trend_change)

    components_all = run.leadership.nrr_components
    comp_all = components_all.iloc[0].to_dict()
    by_segment = run.leadership.nrr_components_by_segment
    order = {s: i for i, s in enumerate(run.settings.segment_names)}
    by_segment = by_segment.loc[sorted(by_segment.index, key=lambda g: (order.get(g, 99), g))]
    by_csm = run.leadership.nrr_components_by_csm
    csm_names = tables["csms"].set_index("csm_id")["name"] if len(tables["csms"]) else pd.Series(dtype=object)
    by_csm = by_csm.sort_values("mrr_start", ascending=False, kind="stable")
    by_csm.insert(0, "csm_name", [text(csm_names.get(g, g)) for g in by_csm.index])

    coverage = m.coverage.copy()
    coverage["_o"] = coverage["group"].map(lambda g: order.get(g, 99))
    coverage = coverage.sort_values("_o", kind="stable").drop(columns="_o")
    book = m.cost_by_segment.copy()
    book["_o"] = book["group"].map(lambda g: order.get(g, 99))
    book = book.sort_values("_o", kind="stable").drop(columns="_o")

    tenure_metrics = ("accounts_start", "mrr_start", "nrr", "grr", "logo_churn")
    tenure = [
        {"group": group, "label": T[group], **portfolio_values(run, tenure_metrics, "tenure", group)}
        for group in ("first_year", "tenured")
    ]

    nrr, grr = portfolio_values(run, ("nrr", "grr")).values()
    kpis = [
        Kpi(
            T["simple"],
            cost.simple_cost_to_retain,
            "pct",
            "cost_to_retain",
            deltas["simple_cost_to_retain"],
            "pp",
            False,
            T["band"],
        ),
        Kpi(
            T["allocated"],
            cost.allocated_cost_to_retain,
            "pct",
            "allocated_cost_to_retain",
            deltas["allocated_cost_to_retain"],
            "pp",
            False,
        ),
        Kpi(
            T["per_dollar"],
            cost.cost_per_retained_arr_dollar,
            "money",
            "cost_per_retained_arr_dollar",
            None,
            "money",
            False,
        ),
        Kpi(T["roi"], cost.cs_roi, "ratio", "cs_roi", deltas["cs_roi"], "ratio", True, T["roi_unit"]),
        Kpi(f"{T['nrr_k']}, {period_name}", nrr, "pct", "nrr", deltas["nrr"], "pp", True),
        Kpi(f"{T['grr_k']}, {period_name}", grr, "pct", "grr", deltas["grr"], "pp", True),
    ]
    cost_dict = {
        f.name: getattr(cost, f.name)
        for f in dataclasses.fields(cost)
        if f.name not in ("cost_by_function", "window")
    }
    low, high = CS_COST_BAND
    in_band = low <= cost.simple_cost_to_retain <= high

    trend_rows = _rows(trend)
    for row in trend_rows:
        row["quarter_name"] = quarter_name(row["quarter"], locale)

    charts = _charts(comp_all, trend, T, locale, currency)
    csv_tables = {
        "summary": pd.DataFrame([{"metric": k.metric, "label": k.label, "value": k.value} for k in kpis]),
        "cost_by_function": cost.cost_by_function,
        "nrr_components_all": components_all.reset_index(),
        "nrr_components_by_segment": by_segment.reset_index(),
        "nrr_components_by_csm": by_csm.reset_index(),
        "coverage": coverage,
        "csm_book_costs": book,
        "tenure_retention": pd.DataFrame(tenure).drop(columns="label"),
        "quarterly_trend": trend,
    }
    provenance = build_provenance(run, METRICS, locale)
    recorder = FigureRecorder(m.window.label, locale, currency)
    recorder.kpis(kpis)
    return CostToRetainContext(
        figures=_cost_figures(
            recorder,
            cost_dict,
            tenure,
            _rows(by_segment.reset_index()),
            _rows(coverage),
            _rows(book),
            trend_rows,
        ),
        locale=locale,
        currency=currency,
        period=m.window.label,
        period_name=period_name,
        T=T,
        kpis=kpis,
        narrative=_narrative(
            locale, cost, in_band, nrr, grr, deltas, comp_all, tenure, currency, period_name
        ),
        cost=cost_dict,
        in_band=in_band,
        by_function=_rows(cost.cost_by_function),
        components_all=comp_all,
        components_by_segment=_rows(by_segment.reset_index()),
        components_by_csm=_rows(by_csm.reset_index()),
        coverage=_rows(coverage),
        book_costs=_rows(book),
        tenure=tenure,
        trend=trend_rows,
        deltas=deltas,
        charts=charts,
        tables=csv_tables,
        sections=toc(
            [
                ("nrr", T["nrr"]),
                ("coverage", T["coverage"]),
                ("tenure", T["tenure"]),
                ("trend", T["trend"]),
                ("definitions", T["definitions"]),
            ]
        ),
        provenance=provenance.as_mapping(locale),
        definitions=provenance.definitions,
    )


def _charts(
    comp: dict[str, float], trend: pd.DataFrame, T: dict[str, str], locale: str, currency: str
) -> dict[str, Chart]:
    charts = {}
    bridge = WaterfallSpec(
        title=f"{T['nrr']} ({currency})",
        y_label=f"MRR ({currency})",
        value_format="money",
        currency=currency,
        locale=locale,
        start_label=T["start"],
        start_value=comp["mrr_start"],
        steps={
            T["churn"]: -comp["churn_mrr"],
            T["contraction"]: -comp["contraction_mrr"],
            T["expansion"]: comp["expansion_mrr"],
        },
        end_label=T["retained"],
        size=(6.7, 2.8),
    )
    charts["bridge"] = make_chart(bridge, "nrr_components: MRR at start → MRR at end of starting accounts")
    if len(trend):
        spec = LineChartSpec(
            title=f"{T['simple']} / {T['allocated']} (%)",
            y_label="%",
            value_format="pct",
            locale=locale,
            x_labels=[quarter_name(q, locale) for q in trend["quarter"]],
            series={
                T["simple"]: trend["simple_cost_to_retain"].tolist(),
                T["allocated"]: trend["allocated_cost_to_retain"].tolist(),
            },
            size=(6.7, 2.6),
        )
        charts["trend"] = make_chart(spec, "cost_to_retain, allocated_cost_to_retain per quarter")
    return charts


def _narrative(
    locale: str,
    cost: Any,
    in_band: bool,
    nrr: float,
    grr: float,
    deltas: dict[str, float],
    comp: dict[str, float],
    tenure: list[dict[str, Any]],
    currency: str,
    period_name: str,
) -> list[str]:
    money = lambda v: fmt(v, "money", locale, currency)  # noqa: E731
    pct = lambda v: fmt(v, "pct", locale)  # noqa: E731
    pp = lambda v: fmt_delta(v, "pp", locale)  # noqa: E731
    fy, ten = tenure
    if locale == "sv":
        band = "inom" if in_band else ("under" if cost.simple_cost_to_retain < CS_COST_BAND[0] else "över")
        return [
            f"Under {period_name} kostade CS {money(cost.cs_cost)}, {pct(cost.simple_cost_to_retain)} av den "
            f"återkommande intäkten på {money(cost.recurring_revenue)} ({band} det vanliga intervallet 5–15 %; "
            f"{pp(deltas['simple_cost_to_retain'])} mot föregående kvartal).",
            f"Med delar av support, R&D, kundmarknadsföring och fakturering kostade det {money(cost.retention_cost)}"
            f" att behålla {money(cost.revenue_retained)} i intäkt: {pct(cost.allocated_cost_to_retain)}, "
            f"en avkastning på {fmt(cost.cs_roi, 'ratio', locale)}.",
            f"NRR var {pct(nrr)} och GRR {pct(grr)}: av {money(comp['mrr_start'])} MRR vid start förnyades "
            f"{money(comp['renewed_mrr'])}, {money(comp['expansion_mrr'])} tillkom som expansion, "
            f"{money(comp['contraction_mrr'])} försvann i nettominskning och {money(comp['churn_mrr'])} i nettochurn "
            "(varje startkund jämförd mellan kvartalets start och slut).",
            f"Kunder under första året behöll {pct(fy['nrr'])} (NRR) mot {pct(ten['nrr'])} för äldre kunder.",
        ]
    band = "inside" if in_band else ("below" if cost.simple_cost_to_retain < CS_COST_BAND[0] else "above")
    return [
        f"In {period_name} Customer Success cost {money(cost.cs_cost)}, {pct(cost.simple_cost_to_retain)} of "
        f"{money(cost.recurring_revenue)} recurring revenue ({band} the common 5–15% band; "
        f"{pp(deltas['simple_cost_to_retain'])} on the previous quarter).",
        f"Adding the shares of support, R&D, customer marketing and billing that serve retention, we spent "
        f"{money(cost.retention_cost)} to retain {money(cost.revenue_retained)} of revenue: "
        f"{pct(cost.allocated_cost_to_retain)}, a return of {fmt(cost.cs_roi, 'ratio', locale)}.",
        f"NRR was {pct(nrr)} and GRR {pct(grr)}: of {money(comp['mrr_start'])} MRR at start, "
        f"{money(comp['renewed_mrr'])} renewed, {money(comp['expansion_mrr'])} was added by expansion, "
        f"{money(comp['contraction_mrr'])} lost to net contraction and {money(comp['churn_mrr'])} to net churn "
        "(each starting account compared between the quarter's start and end).",
        f"First-year accounts kept {pct(fy['nrr'])} (NRR) against {pct(ten['nrr'])} for tenured accounts.",
    ]


def cost_to_retain_tables(context: CostToRetainContext) -> dict[str, pd.DataFrame]:
    """File stem → table behind a figure of the document (raw numbers, for CSV)."""
    return dict(context.tables)


def render_cost_to_retain(
    run: RunContext,
    *,
    locale: str = "en",
    page_size: str = "A4",
    generated_on: dt.date | None = None,
    template_dirs: Sequence[Path] = (),
    context: CostToRetainContext | None = None,
) -> bytes:
    """The cost-to-retain summary of ``run`` as PDF bytes."""
    context = context or build_cost_to_retain_context(run, locale=locale)
    return render_document(
        "cost_to_retain/report.html",
        context,
        page_size=page_size,
        generated_on=generated_on or report_date(run),
        template_dirs=template_dirs,
    )
