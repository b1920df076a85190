"""CFO cost-to-retain summary: a one-page summary plus detail, and the CSV behind every figure.

:func:`build_cost_to_retain_context` picks ``run.metrics.cost``,
``cost_by_segment``, ``coverage``, ``per_account_retention`` and the tenure
rows of ``run.metrics.portfolio``, plus the quarterly trend and NRR components
of :mod:`cs_calc.leadership`. :func:`render_cost_to_retain` renders
``templates/cost_to_retain/report.html``; :func:`cost_to_retain_tables` gives
the tables written as CSV.

Every number it prints is in :attr:`CostToRetainContext.figures`; the NRR
components are keyed by component (``renewed``, ``expansion``,
``contraction``, ``churn``), per segment or CSM book as
``<segment>/<component>`` under ``segment/component`` (``csm/component``).
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
from reports.render.catalogue import N_, NP_, translations
from reports.render.charts import LineChartSpec, WaterfallSpec
from reports.render.formatting import format_pct
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

LABELS: dict[str, str] = {
    "title": NP_("document title", "Cost to retain"),
    "cap_bridge": N_(
        "MRR of the accounts paying at start: at start, then expansion, net contraction and net churn, to MRR at end"
    ),
    "cap_trend": N_(
        "Cost to retain of each quarter: simple (CS cost ÷ recurring revenue) and allocated (retention cost ÷ revenue retained)"
    ),
    "summary_h": N_("Summary for the CFO"),
    "cost": N_("Cost to retain"),
    "nrr": N_("NRR components"),
    "coverage": N_("CSM coverage and book cost"),
    "tenure": N_("First-year vs tenured retention"),
    "trend": N_("Quarter over quarter"),
    "definitions": N_("Definitions"),
    "simple": N_("CS cost / revenue"),
    "allocated": N_("Allocated cost to retain"),
    "per_dollar": N_("Cost per retained ARR $"),
    "roi": N_("CS ROI"),
    "nrr_k": N_("NRR"),
    "grr_k": N_("GRR"),
    "band": N_("common band 5–15%"),
    "vs_prev": N_("vs previous quarter"),
    "function": N_("Function"),
    "amount": N_("Cost"),
    "fraction": N_("Allocated to retention"),
    "retention_cost": N_("Retention cost"),
    "total": N_("Total"),
    "segment": N_("Segment"),
    "csm": N_("CSM book"),
    "start": N_("MRR at start"),
    "renewed": N_("Renewed"),
    "expansion": N_("Expansion"),
    "contraction": N_("Net contraction"),
    "churn": N_("Net churn"),
    "retained": N_("MRR at end"),
    "accounts": N_("Accounts"),
    "csms": N_("CSMs"),
    "per_csm": N_("Accounts per CSM"),
    "target": N_("Target"),
    "vs_target": N_("vs target"),
    "csm_cost": N_("CSM cost"),
    "revenue": N_("Recurring revenue"),
    "book_ctr": N_("CSM cost / revenue"),
    "quarter": N_("Quarter"),
    "cs_cost": N_("CS cost"),
    "logo_churn": N_("Logo churn"),
    "first_year": N_("First year"),
    "tenured": N_("Tenured"),
    "accounts_start": N_("Accounts at start"),
    "roi_unit": N_("revenue retained per $1 of retention cost"),
    "per_dollar_unit": N_("retention cost per $1 of retained ARR"),
    "function_cs": NP_("cost function", "Customer Success"),
    "function_support": NP_("cost function", "Support"),
    "function_customer_marketing": NP_("cost function", "Customer marketing"),
    "function_rnd": NP_("cost function", "R&D"),
    "function_billing": NP_("cost function", "Billing"),
    "function_other": NP_("cost function", "Other"),
    "revenue_retained": N_("Revenue retained"),
    "trend_title": N_("CS cost / revenue / Allocated cost to retain (%)"),
}
"""Label key -> its English words; :func:`cost_to_retain_labels` gives them in a locale."""


_CONTEXTS = {"title": "document title"} | {
    key: "cost function" for key in LABELS if key.startswith("function_")
}
"""The ``msgctxt`` of the labels marked ``NP_``: the title (Swedish: '... kunder') is longer than the
section heading, and the ``function_*`` labels name a cost function."""


def cost_to_retain_labels(locale: str) -> dict[str, str]:
    """The document's fixed words in ``locale`` (English where the catalogue has no translation)."""
    words = translations(locale)
    return {
        key: words.pgettext(_CONTEXTS[key], message) if key in _CONTEXTS else words.gettext(message)
        for key, message in LABELS.items()
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
_COVERAGE_FIGURES: FigureColumns = (
    ("accounts", "csm_book_accounts", "number"),
    ("csms", "csm_count", "number"),
    ("accounts_per_csm", "accounts_per_csm", "decimal"),
    ("target_accounts_per_csm", "coverage_target", "number"),
    ("coverage_vs_target", "coverage_vs_target", "pct"),
)
_BOOK_FIGURES: FigureColumns = (
    ("csm_cost", "csm_book_cost", "money"),
    ("recurring_revenue", "recurring_revenue", "money"),
    ("cost_to_retain", "csm_book_cost_to_retain", "pct"),
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


_FUNCTION_FIGURES: FigureColumns = (
    ("amount", "cost_amount", "money"),
    ("retention_cost", "retention_cost", "money"),
)
_COMPONENTS = ("renewed", "expansion", "contraction", "churn")
_TREND_CHANGES = {
    "recurring_revenue": ("recurring_revenue_qoq_change", "money"),
    "cs_cost": ("cs_cost_qoq_change", "money"),
    "retention_cost": ("retention_cost_qoq_change", "money"),
    "simple_cost_to_retain": ("cost_to_retain_qoq_change", "pp"),
    "allocated_cost_to_retain": ("allocated_cost_to_retain_qoq_change", "pp"),
    "cs_roi": ("cs_roi_qoq_change", "ratio"),
    "nrr": ("nrr_qoq_change", "pp"),
    "grr": ("grr_qoq_change", "pp"),
}
"""Column of the trend's change row → registry id of the change it prints and how it is printed."""


def _component_figures(
    rec: FigureRecorder,
    comp_all: dict[str, Any],
    by_segment: Sequence[dict[str, Any]],
    by_csm: Sequence[dict[str, Any]],
) -> None:
    """The NRR components tables: per segment and CSM book, and their total row."""
    rows = [("all", "all", comp_all), *(("segment", str(r["group"]), r) for r in by_segment)]
    rows += [("csm", str(r["group"]), r) for r in by_csm]
    for dimension, group, row in rows:
        key = {"dimension": dimension, "group": group}
        rec.add("mrr_start", row["mrr_start"], "money", **key)
        rec.add("retained_mrr", row["retained_mrr"], "money", **key)
        rec.add("nrr", row["nrr"], "pct", **key)
        rec.add("grr", row["grr"], "pct", **key)
        for component in _COMPONENTS:
            parts = (
                {"dimension": "component", "group": component}
                if dimension == "all"
                else {"dimension": f"{dimension}/component", "group": f"{group}/{component}"}
            )
            rec.add("nrr_components", row[f"{component}_mrr"], "money", **parts)


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
    rec.rows(coverage, _COVERAGE_FIGURES, dimension="segment", group_key="group")
    rec.rows(book, _BOOK_FIGURES, dimension="segment", group_key="group")
    rec.rows(trend, _TREND_FIGURES, period_key="quarter")
    return rec.figures


def build_cost_to_retain_context(run: RunContext, *, locale: str = "en") -> CostToRetainContext:
    """Arrange the cost-to-retain figures of ``run`` (no metric of the window is recomputed)."""
    locale = check_locale(locale)
    T = cost_to_retain_labels(locale)
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
            delta_figure="cost_to_retain_qoq_change",
        ),
        Kpi(
            T["allocated"],
            cost.allocated_cost_to_retain,
            "pct",
            "allocated_cost_to_retain",
            deltas["allocated_cost_to_retain"],
            "pp",
            False,
            delta_figure="allocated_cost_to_retain_qoq_change",
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
        Kpi(
            T["roi"],
            cost.cs_roi,
            "ratio",
            "cs_roi",
            deltas["cs_roi"],
            "ratio",
            True,
            T["roi_unit"],
            delta_figure="cs_roi_qoq_change",
        ),
        Kpi(
            f"{T['nrr_k']}, {period_name}",
            nrr,
            "pct",
            "nrr",
            deltas["nrr"],
            "pp",
            True,
            delta_figure="nrr_qoq_change",
        ),
        Kpi(
            f"{T['grr_k']}, {period_name}",
            grr,
            "pct",
            "grr",
            deltas["grr"],
            "pp",
            True,
            delta_figure="grr_qoq_change",
        ),
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
    narrative = _narrative(recorder, cost, in_band, nrr, grr, deltas, comp_all, tenure, period_name)
    recorder.kpis(kpis)
    by_function = _rows(cost.cost_by_function)
    figures = _cost_figures(
        recorder,
        cost_dict,
        tenure,
        _rows(by_segment.reset_index()),
        _rows(coverage),
        _rows(book),
        trend_rows,
    )
    _component_figures(recorder, comp_all, _rows(by_segment.reset_index()), _rows(by_csm.reset_index()))
    recorder.rows(by_function, _FUNCTION_FIGURES, dimension="function", group_key="function")
    for row in by_function:  # printed as a whole percentage
        share = row["allocated_to_retention"]
        shown = format_pct(share, locale, digits=0)
        recorder.printed(
            "cost_retention_share", share, shown, dimension="function", group=str(row["function"])
        )
    recorder.add("cost_amount", cost.total_cost, "money")
    for column, (figure_id, kind) in _TREND_CHANGES.items():
        recorder.show_delta(figure_id, deltas.get(column, float("nan")), kind)
    recorder.chart(
        charts["bridge"],
        [
            ("mrr_start", {"value": comp_all["mrr_start"]}),
            ("nrr_components", {"value": comp_all["churn_mrr"], "dimension": "component", "group": "churn"}),
            (
                "nrr_components",
                {"value": comp_all["contraction_mrr"], "dimension": "component", "group": "contraction"},
            ),
            (
                "nrr_components",
                {"value": comp_all["expansion_mrr"], "dimension": "component", "group": "expansion"},
            ),
            ("retained_mrr", {"value": comp_all["retained_mrr"]}),
        ],
    )
    return CostToRetainContext(
        figures=figures,
        locale=locale,
        currency=currency,
        period=m.window.label,
        period_name=period_name,
        T=T,
        kpis=kpis,
        narrative=narrative,
        cost=cost_dict,
        in_band=in_band,
        by_function=by_function,
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
    charts["bridge"] = make_chart(bridge, T["cap_bridge"])
    if len(trend):
        spec = LineChartSpec(
            title=T["trend_title"],
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
        charts["trend"] = make_chart(spec, T["cap_trend"])
    return charts


def _narrative(
    rec: FigureRecorder,
    cost: Any,
    in_band: bool,
    nrr: float,
    grr: float,
    deltas: dict[str, float],
    comp: dict[str, float],
    tenure: list[dict[str, Any]],
    period_name: str,
) -> list[str]:
    """The summary's sentences, each number recorded in ``rec`` as printed."""
    locale = rec.locale
    money = lambda figure_id, v, **key: rec.show(figure_id, v, "money", **key)  # noqa: E731
    pct = lambda figure_id, v, **key: rec.show(figure_id, v, "pct", **key)  # noqa: E731
    part = lambda component: rec.show(  # noqa: E731
        "nrr_components", comp[f"{component}_mrr"], "money", dimension="component", group=component
    )
    fy, ten = tenure
    cs_cost, ctr = money("cs_cost", cost.cs_cost), pct("cost_to_retain", cost.simple_cost_to_retain)
    revenue = money("recurring_revenue", cost.recurring_revenue)
    change = rec.show_delta("cost_to_retain_qoq_change", deltas["simple_cost_to_retain"], "pp")
    retention_cost, retained = (
        money("retention_cost", cost.retention_cost),
        money("revenue_retained", cost.revenue_retained),
    )
    allocated, roi = (
        pct("allocated_cost_to_retain", cost.allocated_cost_to_retain),
        rec.show("cs_roi", cost.cs_roi, "ratio"),
    )
    nrr_text, grr_text, start = pct("nrr", nrr), pct("grr", grr), money("mrr_start", comp["mrr_start"])
    renewed, expansion, contraction, churn = (part(c) for c in _COMPONENTS)
    fy_nrr = pct("nrr", fy["nrr"], dimension="tenure", group="first_year")
    ten_nrr = pct("nrr", ten["nrr"], dimension="tenure", group="tenured")
    words = translations(locale)
    if in_band:
        spend = words.gettext(
            "In {period} Customer Success cost {cs_cost}, {share} of {revenue} recurring revenue (inside the "
            "common 5–15% band; {change} on the previous quarter)."
        )
    elif cost.simple_cost_to_retain < CS_COST_BAND[0]:
        spend = words.gettext(
            "In {period} Customer Success cost {cs_cost}, {share} of {revenue} recurring revenue (below the "
            "common 5–15% band; {change} on the previous quarter)."
        )
    else:
        spend = words.gettext(
            "In {period} Customer Success cost {cs_cost}, {share} of {revenue} recurring revenue (above the "
            "common 5–15% band; {change} on the previous quarter)."
        )
    return [
        spend.format(period=period_name, cs_cost=cs_cost, share=ctr, revenue=revenue, change=change),
        words.gettext(
            "Adding the shares of support, R&D, customer marketing and billing that serve retention, we spent "
            "{retention_cost} to retain {retained} of revenue: {allocated}, a return of {roi}."
        ).format(retention_cost=retention_cost, retained=retained, allocated=allocated, roi=roi),
        words.gettext(
            "NRR was {nrr} and GRR {grr}: of {start} MRR at start, {renewed} renewed, {expansion} was added by "
            "expansion, {contraction} lost to net contraction and {churn} to net churn (each starting account "
            "compared between the quarter's start and end)."
        ).format(
            nrr=nrr_text,
            grr=grr_text,
            start=start,
            renewed=renewed,
            expansion=expansion,
            contraction=contraction,
            churn=churn,
        ),
        words.gettext(
            "First-year accounts kept {first_year} (NRR) against {tenured} for tenured accounts."
        ).format(first_year=fy_nrr, tenured=ten_nrr),
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
        branding=run.settings.branding,
        template_dirs=template_dirs,
    )
