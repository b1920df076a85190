"""Every metric of a window, computed once, for the whole portfolio.

:func:`compute_portfolio_metrics` is what each run calls before any document
is rendered; documents only pick from its result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cs_calc import DEFINITIONS_VERSION
from cs_calc.churn import ChurnTaxonomy, attribute_lost_mrr
from cs_calc.costs import CostToRetain, compute_cost_to_retain, csm_book_costs, csm_coverage
from cs_calc.health import HealthBacktest, HealthConfig, HealthTables, backtest_health, compute_health
from cs_calc.leadership import health_distribution, health_movement, trend_ending_with
from cs_calc.mrr import classify_mrr_movements, mrr_matrix, to_reporting_currency
from cs_calc.nps import compute_nps, responses_in
from cs_calc.periods import Window, quarter_label, quarters_ending
from cs_calc.retention import RETENTION_COLUMNS, account_retention, summarise_retention
from cs_calc.signals import SignalConfig, detect_signals

TREND_QUARTERS = 8
"""Calendar quarters in :attr:`PortfolioMetrics.quarterly_trend` (the leadership documents show up to 8)."""
DIMENSIONS = ("all", "segment", "region", "csm", "cohort", "tenure", "quarter")


@dataclass(frozen=True)
class MetricSettings:
    """Definitions switches and thresholds that shape the numbers."""

    health: HealthConfig
    churn_taxonomy: ChurnTaxonomy
    reporting_currency: str = "USD"
    count_reactivation_in_nrr: bool = False
    signals: SignalConfig = field(default_factory=SignalConfig)
    coverage_targets: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PortfolioMetrics:
    """The metrics of one window; money in the reporting currency, rates as fractions."""

    window: Window
    as_of: pd.Timestamp
    """First day after the window: health and signals use data before it."""
    definitions_version: str
    reporting_currency: str
    matrix: pd.DataFrame
    """Account × month MRR (reporting currency) over all months of data."""
    movements: pd.DataFrame
    """All MRR movements (``classify_mrr_movements``), every month of data."""
    per_account_retention: pd.DataFrame
    portfolio: pd.DataFrame
    """Long format: ``metric, dimension, group, value``."""
    accounts: pd.DataFrame
    """One row per account: ids, segment, csm, MRR, health, trend, alerts."""
    health: pd.DataFrame
    signals: pd.DataFrame
    nps_by_segment: pd.DataFrame
    nps_by_quarter: pd.DataFrame
    cost: CostToRetain
    cost_by_segment: pd.DataFrame
    coverage: pd.DataFrame
    lost_mrr: pd.DataFrame
    """One row per churn/contraction movement in the window, with its reason."""
    backtest: HealthBacktest
    quarterly_trend: pd.DataFrame
    """Retention and cost to retain for the :data:`TREND_QUARTERS` calendar quarters ending with
    the window, oldest first (:func:`cs_calc.leadership.trend_ending_with`); the window's own row
    holds the figures above. Quarters before the first month of data are left out."""
    health_bands: pd.DataFrame
    """Paying accounts and ARR per health band at the window's end (:func:`cs_calc.leadership.health_distribution`)."""
    health_moves: pd.DataFrame
    """Paying accounts by previous × current health band (:func:`cs_calc.leadership.health_movement`)."""


def account_groups(accounts: pd.DataFrame, window: Window) -> dict[str, pd.Series]:
    """Group label per ``account_id`` for each breakdown dimension but ``quarter``.

    ``cohort`` is the quarter of ``start_date``; ``tenure`` is ``first_year``
    when the account started less than 12 months before the window's opening
    month, else ``tenured``.
    """
    info = accounts.set_index("account_id")
    first_year = info["start_date"] > window.opening_month - pd.DateOffset(months=12)
    return {
        "segment": info["segment"],
        "region": info["region"],
        "csm": info["csm_id"],
        "cohort": info["start_date"].map(lambda d: quarter_label(d) if pd.notna(d) else None),
        "tenure": pd.Series(np.where(first_year, "first_year", "tenured"), index=info.index),
    }


def compute_portfolio_metrics(
    tables: Mapping[str, pd.DataFrame], window: Window, settings: MetricSettings
) -> PortfolioMetrics:
    """Compute every metric for ``window`` from validated contract tables."""
    accounts = tables["accounts"]
    mrr = to_reporting_currency(tables["mrr"], accounts, tables["fx_rates"], settings.reporting_currency)
    matrix = mrr_matrix(mrr).reindex(accounts["account_id"].sort_values().to_numpy(), fill_value=0.0)
    matrix.index.name = "account_id"
    movements = classify_mrr_movements(mrr)
    per_account = account_retention(
        matrix, window, count_reactivation_in_nrr=settings.count_reactivation_in_nrr
    )
    groups = account_groups(accounts, window)
    as_of = window.end + pd.DateOffset(months=1)

    overall = summarise_retention(per_account)
    long_rows = [_long(overall, "all")]
    for dimension, labels in groups.items():
        long_rows.append(_long(summarise_retention(per_account, labels), dimension))
    for quarter in _quarters_inside(window):
        quarterly = summarise_retention(
            account_retention(matrix, quarter, count_reactivation_in_nrr=settings.count_reactivation_in_nrr)
        )
        long_rows.append(_long(quarterly.rename(index={"all": quarter.label}), "quarter"))

    responses = responses_in(tables["nps"], window.start, as_of)
    nps_all = compute_nps(responses)
    nps_by_segment = compute_nps(responses, groups["segment"])
    for dimension, frame in (("all", nps_all), ("segment", nps_by_segment)):
        long_rows.append(
            _long(frame[["nps", "responses"]].rename(columns={"responses": "nps_responses"}), dimension)
        )
    for dimension in ("region", "csm", "tenure"):
        by = compute_nps(responses, groups[dimension])
        long_rows.append(
            _long(by[["nps", "responses"]].rename(columns={"responses": "nps_responses"}), dimension)
        )
    nps_by_quarter = _nps_by_quarter(tables["nps"], window)

    revenue = matrix.reindex(columns=window.months, fill_value=0.0)
    cost = compute_cost_to_retain(tables["costs"], per_account, revenue, window)
    long_rows.append(
        _long(
            pd.DataFrame(
                {
                    "cost_to_retain": [cost.simple_cost_to_retain],
                    "allocated_cost_to_retain": [cost.allocated_cost_to_retain],
                },
                index=["all"],
            ),
            "all",
        )
    )
    if tables["csms"].empty:
        cost_by_segment = pd.DataFrame(columns=["group", "csm_cost", "recurring_revenue", "cost_to_retain"])
    else:
        cost_by_segment = csm_book_costs(accounts, tables["csms"], revenue, window, "segment")
        long_rows.append(_long(cost_by_segment.set_index("group")[["cost_to_retain"]], "segment"))
    paying_at_end = per_account.index[per_account["is_end"]]
    coverage = csm_coverage(accounts, paying_at_end, dict(settings.coverage_targets))

    health_tables = HealthTables(
        accounts=accounts,
        usage=tables["usage"],
        tickets=tables["tickets"],
        nps=tables["nps"],
        contacts=tables["contacts"],
    )
    health = compute_health(health_tables, as_of, settings.health)
    signals = detect_signals(
        health, tables["contacts"], tables["tickets"], tables["nps"], as_of, settings.signals
    )
    backtest_starts = [q.start for q in quarters_ending(window, settings.health.backtest_quarters)]
    backtest = backtest_health(health_tables, matrix, backtest_starts, settings.health)

    lost = attribute_lost_mrr(movements, tables["churn_events"], accounts, settings.churn_taxonomy, window)
    trend = trend_ending_with(
        matrix,
        tables["costs"],
        trend_quarters(window),
        window,
        {c: float(overall.loc["all", c]) if len(overall) else float("nan") for c in RETENTION_COLUMNS},
        cost,
        count_reactivation_in_nrr=settings.count_reactivation_in_nrr,
    )
    mrr_end = per_account["mrr_end"]
    portfolio = pd.concat(long_rows, ignore_index=True)
    return PortfolioMetrics(
        window=window,
        as_of=as_of,
        definitions_version=DEFINITIONS_VERSION,
        reporting_currency=settings.reporting_currency,
        matrix=matrix,
        movements=movements,
        per_account_retention=per_account,
        portfolio=portfolio,
        accounts=_account_table(accounts, per_account, health, signals),
        health=health,
        signals=signals,
        nps_by_segment=nps_by_segment,
        nps_by_quarter=nps_by_quarter,
        cost=cost,
        cost_by_segment=cost_by_segment,
        coverage=coverage,
        lost_mrr=lost,
        backtest=backtest,
        quarterly_trend=trend,
        health_bands=health_distribution(health, mrr_end),
        health_moves=health_movement(health, mrr_end, settings.health),
    )


def trend_quarters(window: Window) -> list[Window]:
    """The calendar quarters of :attr:`PortfolioMetrics.quarterly_trend`: the last
    :data:`TREND_QUARTERS` ending by the window's last month, oldest first."""
    return [q for q in quarters_ending(window, TREND_QUARTERS) if q.end <= window.end]


def _quarters_inside(window: Window) -> list[Window]:
    quarters = quarters_ending(window, 64)
    return [q for q in quarters if q.start >= window.start and q.end <= window.end]


def _nps_by_quarter(nps: pd.DataFrame, window: Window, count: int = 8) -> pd.DataFrame:
    frames = []
    for quarter in quarters_ending(window, count):
        after = quarter.end + pd.DateOffset(months=1)
        frame = compute_nps(responses_in(nps, quarter.start, after))
        frames.append(frame.rename(index={"all": quarter.label}))
    return pd.concat(frames) if frames else pd.DataFrame()


def _long(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=["metric", "dimension", "group", "value"])
    stacked = frame.astype("float64").copy()
    stacked.index = stacked.index.astype(str)
    stacked.index.name = "group"
    long = stacked.reset_index().melt(id_vars="group", var_name="metric", value_name="value")
    long["dimension"] = dimension
    return long[["metric", "dimension", "group", "value"]]


def _account_table(
    accounts: pd.DataFrame, per_account: pd.DataFrame, health: pd.DataFrame, signals: pd.DataFrame
) -> pd.DataFrame:
    info = accounts.set_index("account_id")
    alerts = _joined_signals(signals, "alert")
    upsell = _joined_signals(signals, "upsell")
    table = pd.DataFrame(
        {
            "name": info["name"],
            "segment": info["segment"],
            "region": info["region"],
            "csm_id": info["csm_id"],
            "mrr_start": per_account["mrr_start"].reindex(info.index),
            "mrr_end": per_account["mrr_end"].reindex(info.index),
            "health_score": health["health_score"].reindex(info.index),
            "health_band": health["health_band"].reindex(info.index),
            "health_trend": health["trend"].reindex(info.index),
            "health_drivers": _joined(health["drivers"].reindex(info.index)),
            "missing_factors": _joined(health["missing_factors"].reindex(info.index)),
            "alerts": alerts.reindex(info.index).fillna(""),
            "upsell_signals": upsell.reindex(info.index).fillna(""),
            "renewal_date": info["renewal_date"],
        }
    )
    table.index.name = "account_id"
    return table.reset_index()


def _joined(tuples: pd.Series) -> pd.Series:
    """``;``-joined text of each tuple, joining each distinct tuple once."""
    texts = {t: ";".join(t) for t in set(tuples.dropna())}
    return tuples.map(texts).fillna("")


def _joined_signals(signals: pd.DataFrame, kind: str) -> pd.Series:
    """Per account, its distinct signals of ``kind`` joined with ``;`` in name order."""
    chosen = signals.loc[signals["kind"] == kind, ["account_id", "signal"]].drop_duplicates()
    if chosen.empty:
        return pd.Series(dtype=object)
    chosen = chosen.sort_values(["account_id", "signal"], kind="stable")
    return chosen.groupby("account_id", sort=False)["signal"].agg(";".join)


__all__ = [
    "DIMENSIONS",
    "RETENTION_COLUMNS",
    "MetricSettings",
    "PortfolioMetrics",
    "compute_portfolio_metrics",
]
