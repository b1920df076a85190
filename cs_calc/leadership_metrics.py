"""The figures of the leadership documents, computed once per run from its portfolio metrics.

The board report, the churn report and the cost-to-retain summary show
breakdowns of the window's lost MRR, the NRR of the starting accounts split
into components, the renewals at risk next quarter and the change of each
trend figure on the previous quarter. :func:`compute_leadership_metrics`
computes all of them once; the documents only select and arrange them, so a
figure two documents share is the same number in both.

Money is in the reporting currency (MRR per month unless named ARR); rates
and shares are fractions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from cs_calc.churn import ChurnTaxonomy
from cs_calc.churn_analysis import (
    avoidability_summary,
    lost_by,
    lost_by_reason,
    lost_mrr_trend,
    reason_crosstab,
    verbatims,
)
from cs_calc.leadership import nrr_components, quarter_over_quarter, renewal_risks
from cs_calc.periods import Window, quarters_ending
from cs_calc.portfolio import TREND_QUARTERS, PortfolioMetrics

TREND_CHANGE_COLUMNS = (
    "arr_end",
    "nrr",
    "grr",
    "logo_churn",
    "recurring_revenue",
    "cs_cost",
    "retention_cost",
    "simple_cost_to_retain",
    "allocated_cost_to_retain",
    "cost_per_retained_arr_dollar",
    "cs_roi",
)
"""Columns of :attr:`PortfolioMetrics.quarterly_trend` whose change on the previous quarter is kept."""

VERBATIMS_PER_REASON = 12
"""Churn notes kept per reason, largest lost MRR first."""


@dataclass(frozen=True)
class ChurnBreakdowns:
    """The window's lost MRR (churned + contraction movements, attributed to reasons), broken down.

    Every frame has ``lost_mrr`` (sum of the movements' lost MRR) and
    ``lost_logos`` (accounts with a full churn in the window) per row.
    """

    lost_mrr: float
    """Total lost MRR of the window."""
    lost_arr: float
    """``lost_mrr`` × 12."""
    lost_mrr_change: float
    """Lost MRR of the window's quarter minus the quarter before (NaN without both in :attr:`trend`)."""
    accounts_cancelled: int
    """Distinct accounts whose MRR went to zero in the window (even if they came back)."""
    by_reason: pd.DataFrame
    """:func:`cs_calc.churn_analysis.lost_by_reason`: per reason, largest first, with ``share``."""
    avoidability: pd.DataFrame
    """Avoidable, unavoidable and vague (needs a real reason): rows sum to the total."""
    by_type: pd.DataFrame
    """Full and partial churn."""
    reason_by_segment: pd.DataFrame
    """Lost MRR per reason (rows) and segment (columns, plus ``total``)."""
    by_region: pd.DataFrame
    by_tenure: pd.DataFrame
    """First-year and tenured accounts."""
    by_competitor: pd.DataFrame
    by_replaced_by: pd.DataFrame
    trend: pd.DataFrame
    """Per quarter (up to :data:`~cs_calc.portfolio.TREND_QUARTERS`, after the first month of
    data): ``quarter, full_mrr, partial_mrr, lost_mrr, lost_logos`` and lost MRR per reason code."""
    verbatims: Mapping[str, pd.DataFrame]
    """Per reason code, up to :data:`VERBATIMS_PER_REASON` churn notes, largest first."""


@dataclass(frozen=True)
class LeadershipMetrics:
    """What the leadership documents show beyond :class:`~cs_calc.portfolio.PortfolioMetrics`."""

    churn: ChurnBreakdowns
    trend_change: Mapping[str, float]
    """Window's quarter minus the quarter before, for :data:`TREND_CHANGE_COLUMNS` (NaN when the
    window is not the trend's last quarter or there is no quarter before it)."""
    next_quarter: Window
    """The calendar quarter after the window (its renewals are the risks)."""
    renewal_risks: pd.DataFrame
    """Paying accounts renewing in :attr:`next_quarter` with a red or yellow band, largest ARR first
    (:func:`cs_calc.leadership.renewal_risks`, all of them)."""
    renewal_risk_arr: float
    """ARR of :attr:`renewal_risks` (the sum)."""
    renewal_risk_accounts: int
    """Number of :attr:`renewal_risks`."""
    nrr_components: pd.DataFrame
    """NRR of the starting accounts as renewed, expansion, contraction and churn (net per account
    over the window, :func:`cs_calc.leadership.nrr_components`); one row, ``all``."""
    nrr_components_by_segment: pd.DataFrame
    nrr_components_by_csm: pd.DataFrame
    nps_change: float
    """NPS of the window's last quarter minus the quarter before (points; NaN without both)."""


def next_quarter(window: Window) -> Window:
    """The three months after ``window``'s last month.

    >>> next_quarter(Window(pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-01"))).label
    '2026-Q4'
    """
    start = window.end + pd.DateOffset(months=1)
    return Window(start, start + pd.DateOffset(months=2))


def _trend_change(metrics: PortfolioMetrics) -> dict[str, float]:
    trend = metrics.quarterly_trend
    if not len(trend) or trend.iloc[-1]["quarter"] != metrics.window.label:
        return {c: float("nan") for c in TREND_CHANGE_COLUMNS}
    return quarter_over_quarter(trend, [c for c in TREND_CHANGE_COLUMNS if c in trend.columns])


def compute_churn_breakdowns(
    metrics: PortfolioMetrics,
    tables: Mapping[str, pd.DataFrame],
    taxonomy: ChurnTaxonomy,
    segments: Sequence[str],
    regions: Sequence[str],
) -> ChurnBreakdowns:
    """Break the window's lost MRR (:attr:`PortfolioMetrics.lost_mrr`) down every way the churn report shows."""
    lost = metrics.lost_mrr
    first_month = metrics.matrix.columns.min()
    quarters = [q for q in quarters_ending(metrics.window, TREND_QUARTERS) if q.start > first_month]
    by_reason = lost_by_reason(lost, taxonomy)
    trend = lost_mrr_trend(metrics.movements, tables["churn_events"], tables["accounts"], taxonomy, quarters)
    change = (
        float(trend["lost_mrr"].iloc[-1] - trend["lost_mrr"].iloc[-2]) if len(trend) >= 2 else float("nan")
    )
    return ChurnBreakdowns(
        lost_mrr=float(lost["lost_mrr"].sum()),
        lost_arr=float(lost["lost_mrr"].sum()) * 12,
        lost_mrr_change=change,
        accounts_cancelled=int(lost.loc[lost["churn_type"] == "full", "account_id"].nunique()),
        by_reason=by_reason,
        avoidability=avoidability_summary(lost),
        by_type=lost_by(lost, "churn_type", ["full", "partial"]),
        reason_by_segment=reason_crosstab(lost, "segment", list(segments)),
        by_region=lost_by(lost, "region", list(regions)),
        by_tenure=lost_by(lost, "tenure", ["first_year", "tenured"]),
        by_competitor=lost_by(lost, "competitor"),
        by_replaced_by=lost_by(lost, "replaced_by"),
        trend=trend,
        verbatims={
            str(code): verbatims(lost, code, limit=VERBATIMS_PER_REASON) for code in by_reason["reason"]
        },
    )


def compute_leadership_metrics(
    metrics: PortfolioMetrics,
    tables: Mapping[str, pd.DataFrame],
    *,
    taxonomy: ChurnTaxonomy,
    segments: Sequence[str],
    regions: Sequence[str],
) -> LeadershipMetrics:
    """Every leadership figure of ``metrics``' window that the portfolio metrics do not already hold."""
    info = tables["accounts"].set_index("account_id")
    per_account = metrics.per_account_retention
    following = next_quarter(metrics.window)
    risks = renewal_risks(metrics.accounts, following, limit=None)
    return LeadershipMetrics(
        churn=compute_churn_breakdowns(metrics, tables, taxonomy, segments, regions),
        trend_change=_trend_change(metrics),
        next_quarter=following,
        renewal_risks=risks,
        renewal_risk_arr=float(risks["arr"].sum()),
        renewal_risk_accounts=len(risks),
        nrr_components=nrr_components(per_account),
        nrr_components_by_segment=nrr_components(per_account, info["segment"]),
        nrr_components_by_csm=nrr_components(per_account, info["csm_id"]),
        nps_change=_nps_change(metrics.nps_by_quarter),
    )


def _nps_change(nps_by_quarter: pd.DataFrame) -> float:
    if len(nps_by_quarter) < 2:
        return float("nan")
    return float(nps_by_quarter["nps"].iloc[-1] - nps_by_quarter["nps"].iloc[-2])
