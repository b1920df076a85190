"""Portfolio figures leadership documents need beyond one window's metrics.

- :func:`quarterly_trend`: retention and cost to retain for each of the last
  N calendar quarters, with exactly the definitions of
  :mod:`cs_calc.retention` and :mod:`cs_calc.costs`;
  :func:`trend_ending_with` takes the row of the window itself from figures
  already computed for it.
- :func:`quarter_over_quarter`: change of chosen columns from one quarter to
  the next.
- :func:`nrr_components`: NRR split into renewed, expansion, contraction and
  churn dollars per group, so the parts add up to NRR exactly.
- :func:`health_distribution`, :func:`health_movement`: health bands of the
  paying book and how accounts moved between bands since the previous score.
- :func:`renewal_risks`: the largest at-risk ARR renewing in a coming period.

Money is in the reporting currency (ARR = MRR × 12); rates are fractions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cs_calc.costs import CostToRetain, compute_cost_to_retain
from cs_calc.health import BANDS, HealthConfig, band_scores
from cs_calc.periods import Window
from cs_calc.retention import RETENTION_COLUMNS, account_retention, summarise_retention
from cs_calc.selection import rows_where

TREND_COST_COLUMNS = (
    "recurring_revenue",
    "revenue_retained",
    "cs_cost",
    "retention_cost",
    "simple_cost_to_retain",
    "allocated_cost_to_retain",
    "cost_per_retained_arr_dollar",
    "cs_roi",
)
BAND_ORDER = (*BANDS, "unknown")


def quarterly_trend(
    matrix: pd.DataFrame,
    costs: pd.DataFrame,
    quarters: Sequence[Window],
    *,
    count_reactivation_in_nrr: bool = False,
) -> pd.DataFrame:
    """Retention and cost to retain per quarter, oldest first.

    Quarters whose opening month lies before the first month of ``matrix``
    are left out (there is no opening balance to measure from). Columns:
    ``quarter``, :data:`~cs_calc.retention.RETENTION_COLUMNS` (``arr_end`` = mrr_end × 12
    among them) and :data:`TREND_COST_COLUMNS` (see :mod:`cs_calc.costs`).

    >>> months = pd.date_range("2026-03-01", periods=7, freq="MS")
    >>> m = pd.DataFrame([[100.0] * 7, [50.0] * 4 + [0.0] * 3], index=["a", "b"], columns=months)
    >>> from cs_calc.periods import parse_quarter
    >>> t = quarterly_trend(m, pd.DataFrame(columns=["period", "function", "amount",
    ...     "allocated_to_retention"]), [parse_quarter("2026-Q2"), parse_quarter("2026-Q3")])
    >>> t[["quarter", "nrr", "logo_churn"]].round(4).values.tolist()
    [['2026-Q2', 1.0, 0.0], ['2026-Q3', 0.6667, 0.5]]
    """
    rows = []
    first = matrix.columns.min() if len(matrix.columns) else None
    for quarter in quarters:
        if first is None or quarter.opening_month < first:
            continue
        per_account = account_retention(matrix, quarter, count_reactivation_in_nrr=count_reactivation_in_nrr)
        summary = summarise_retention(per_account).iloc[0]
        revenue = matrix.reindex(columns=quarter.months, fill_value=0.0)
        cost = compute_cost_to_retain(costs, per_account, revenue, quarter)
        row = {"quarter": quarter.label, **{c: float(summary[c]) for c in RETENTION_COLUMNS}}
        row.update({c: float(getattr(cost, c)) for c in TREND_COST_COLUMNS})
        rows.append(row)
    columns = ["quarter", *RETENTION_COLUMNS, *TREND_COST_COLUMNS]
    return pd.DataFrame(rows, columns=columns)


def trend_ending_with(
    matrix: pd.DataFrame,
    costs: pd.DataFrame,
    quarters: Sequence[Window],
    window: Window,
    retention: Mapping[str, float],
    cost: CostToRetain,
    *,
    count_reactivation_in_nrr: bool = False,
) -> pd.DataFrame:
    """:func:`quarterly_trend` of ``quarters``, whose last row is ``window``'s own figures when it is the last quarter.

    ``retention`` (:data:`~cs_calc.retention.RETENTION_COLUMNS` of the whole
    portfolio) and ``cost`` are the window's figures, computed with the same
    definitions; they are used as they are rather than computed a second time.
    When ``window`` is not the last of ``quarters`` (a window that is not a
    calendar quarter), every row is computed.
    """
    options = {"count_reactivation_in_nrr": count_reactivation_in_nrr}
    if not quarters or quarters[-1] != window:
        return quarterly_trend(matrix, costs, quarters, **options)
    earlier = quarterly_trend(matrix, costs, quarters[:-1], **options)
    own = {"quarter": window.label, **{c: float(retention[c]) for c in RETENTION_COLUMNS}}
    own.update({c: float(getattr(cost, c)) for c in TREND_COST_COLUMNS})
    row = pd.DataFrame([own], columns=earlier.columns)
    return pd.concat([earlier, row], ignore_index=True) if len(earlier) else row


def quarter_over_quarter(trend: pd.DataFrame, columns: Sequence[str]) -> dict[str, float]:
    """Last row minus the row before it for each of ``columns`` (NaN with fewer than two rows).

    >>> t = pd.DataFrame({"nrr": [1.0, 0.95]})
    >>> round(quarter_over_quarter(t, ["nrr"])["nrr"], 4)
    -0.05
    """
    if len(trend) < 2:
        return {c: float("nan") for c in columns}
    last, before = trend.iloc[-1], trend.iloc[-2]
    return {c: float(last[c]) - float(before[c]) for c in columns}


def nrr_components(per_account: pd.DataFrame, groups: pd.Series | None = None) -> pd.DataFrame:
    """NRR of the starting accounts split into renewed, expansion, contraction and churn.

    Per starting account (paying in the opening month), comparing MRR at
    start with the MRR counted at end (``retained_mrr`` of
    :func:`cs_calc.retention.account_retention`):

    - ``renewed_mrr`` = min(start, end) (what GRR keeps);
    - ``expansion_mrr`` = end − start when above start;
    - ``contraction_mrr`` = start − end when 0 < end < start;
    - ``churn_mrr`` = start when nothing is counted at end.

    So ``mrr_start = renewed + contraction + churn`` and
    ``retained_mrr = renewed + expansion``; these are net changes per account
    over the window, not the monthly movements of the MRR bridge. Also
    ``accounts_start``, ``accounts_renewed``, ``accounts_churned``, ``nrr``,
    ``grr``. ``groups`` maps account_id to a label (missing: ``"(none)"``);
    without it there is one row, ``all``. Index: ``group``.

    >>> pa = pd.DataFrame({"mrr_start": [100.0, 50.0, 0.0], "retained_mrr": [120.0, 0.0, 0.0],
    ...     "is_start": [True, True, False]}, index=["a", "b", "c"])
    >>> nrr_components(pa).loc["all", ["renewed_mrr", "expansion_mrr", "churn_mrr", "nrr"]].tolist()
    [100.0, 20.0, 50.0, 0.8]
    """
    starting = per_account[per_account["is_start"]]
    start = starting["mrr_start"].astype("float64")
    end = starting["retained_mrr"].astype("float64")
    parts = pd.DataFrame(
        {
            "accounts_start": 1,
            "accounts_renewed": (end > 0).astype(int),
            "accounts_churned": (end <= 0).astype(int),
            "mrr_start": start,
            "renewed_mrr": np.minimum(start, end),
            "expansion_mrr": (end - start).clip(lower=0.0),
            "contraction_mrr": np.where((end > 0) & (end < start), start - end, 0.0),
            "churn_mrr": np.where(end <= 0, start, 0.0),
            "retained_mrr": end,
        },
        index=starting.index,
    )
    if groups is None:
        labels = pd.Series("all", index=parts.index)
    else:
        labels = groups.reindex(parts.index).astype(object).where(lambda s: s.notna(), "(none)")
    sums = parts.groupby(labels.rename("group")).sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        sums["nrr"] = np.where(sums["mrr_start"] > 0, sums["retained_mrr"] / sums["mrr_start"], np.nan)
        sums["grr"] = np.where(sums["mrr_start"] > 0, sums["renewed_mrr"] / sums["mrr_start"], np.nan)
    return sums


def band_of(scores: pd.Series, config: HealthConfig) -> pd.Series:
    """Band of each health score with the thresholds of ``config`` (NaN → ``unknown``).

    >>> from cs_calc.health import HealthConfig
    >>> band_of(pd.Series([10.0, 60.0, 80.0, None]), HealthConfig(factors={})).tolist()
    ['red', 'yellow', 'green', 'unknown']
    """
    return pd.Series(
        band_scores(scores.astype("float64").to_numpy(), config), index=scores.index, dtype=object
    )


def health_distribution(health: pd.DataFrame, mrr_end: pd.Series) -> pd.DataFrame:
    """Paying accounts (``mrr_end`` > 0) per health band, with their ARR.

    Columns: ``band, accounts, arr, share_accounts, share_arr`` (fractions),
    one row per band in red, yellow, green, unknown order (bands with no
    account are 0).
    """
    paying = mrr_end[mrr_end > 0]
    bands = rows_where(health["health_band"], mrr_end > 0).fillna("unknown")
    frame = pd.DataFrame({"band": bands, "arr": paying * 12})
    grouped = frame.groupby("band").agg(accounts=("arr", "size"), arr=("arr", "sum"))
    grouped = grouped.reindex(BAND_ORDER, fill_value=0)
    grouped["arr"] = grouped["arr"].astype("float64")
    total_accounts, total_arr = grouped["accounts"].sum(), grouped["arr"].sum()
    grouped["share_accounts"] = grouped["accounts"] / total_accounts if total_accounts else np.nan
    grouped["share_arr"] = grouped["arr"] / total_arr if total_arr else np.nan
    grouped.index.name = "band"
    return grouped.reset_index()


def health_movement(health: pd.DataFrame, mrr_end: pd.Series, config: HealthConfig) -> pd.DataFrame:
    """Paying accounts by previous band (rows) × current band (columns), with totals.

    The previous band is the band of ``previous_score`` (the score one trend
    period earlier) under today's thresholds; ``unknown`` when there was none.
    """
    paying = mrr_end > 0
    current = rows_where(health["health_band"], paying).fillna("unknown")
    previous = band_of(rows_where(health["previous_score"], paying), config)
    table = pd.crosstab(previous.rename("previous"), current.rename("current"))
    table = table.reindex(index=list(BAND_ORDER), columns=list(BAND_ORDER), fill_value=0)
    table["total"] = table.sum(axis=1)
    table.loc["total"] = table.sum(axis=0)
    table.columns.name = None
    return table.astype(int)


def renewal_risks(
    accounts: pd.DataFrame,
    period: Window,
    bands: Sequence[str] = ("red", "yellow"),
    limit: int | None = 10,
) -> pd.DataFrame:
    """Paying accounts renewing inside ``period`` whose health band is in ``bands``, largest ARR first.

    ``accounts`` is :attr:`cs_calc.portfolio.PortfolioMetrics.accounts`. A
    renewal date counts from the first day of ``period.start`` to the last day
    of ``period.end``. Columns: ``account_id, name, segment, csm_id,
    renewal_date, arr`` (mrr_end × 12), ``health_score, health_band,
    health_drivers, alerts``.
    """
    last_day = period.end + pd.offsets.MonthEnd(0)
    renewal = pd.to_datetime(accounts["renewal_date"])
    mask = (
        (accounts["mrr_end"] > 0)
        & renewal.between(period.start, last_day)
        & accounts["health_band"].isin(list(bands))
    )
    risks = accounts[mask].assign(arr=accounts["mrr_end"] * 12, renewal_date=renewal[mask])
    risks = risks.sort_values(["arr", "account_id"], ascending=[False, True], kind="stable")
    columns = [
        "account_id",
        "name",
        "segment",
        "csm_id",
        "renewal_date",
        "arr",
        "health_score",
        "health_band",
        "health_drivers",
        "alerts",
    ]
    risks = risks[columns].reset_index(drop=True)
    return risks if limit is None else risks.head(limit)
