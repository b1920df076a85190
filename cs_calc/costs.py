"""Cost to retain, CS efficiency and CSM coverage for a window.

Money is in the reporting currency; rates are fractions.

- ``recurring_revenue``: Σ MRR over the window's months, all accounts.
- ``revenue_retained``: Σ MRR over the window's months of the accounts that
  were paying at the start (opening month).
- ``cs_cost``: costs of function ``cs`` in the window.
- ``retention_cost``: Σ over functions of amount × ``allocated_to_retention``
  (a missing fraction counts as 1 for ``cs`` and 0 for other functions).
- ``simple_cost_to_retain`` = cs_cost ÷ recurring_revenue (also "CS cost as a
  share of revenue", commonly 5–15%).
- ``allocated_cost_to_retain`` = retention_cost ÷ revenue_retained.
- ``cost_per_retained_arr_dollar`` = retention_cost ÷ (retained MRR at end × 12).
- ``cs_roi`` = revenue_retained ÷ retention_cost.

Costs given per quarter (``YYYY-Qn``) count when the quarter lies inside the
window; monthly costs (``YYYY-MM``) when the month does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_calc.periods import Window, parse_month, parse_quarter
from cs_calc.selection import rows_where


@dataclass(frozen=True)
class CostToRetain:
    """Portfolio cost-to-retain figures for one window (see module docs)."""

    window: str
    recurring_revenue: float
    revenue_retained: float
    cs_cost: float
    retention_cost: float
    simple_cost_to_retain: float
    allocated_cost_to_retain: float
    cost_per_retained_arr_dollar: float
    cs_roi: float
    cost_by_function: pd.DataFrame
    """``function, amount, allocated_to_retention, retention_cost``."""
    total_cost: float = 0.0
    """Amount of every cost inside the window, all functions (the function table's total)."""


def costs_in_window(costs: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Cost rows whose period (quarter or month) lies inside ``window``."""
    if costs.empty:
        return costs

    def inside(period: str) -> bool:
        span = parse_quarter(period) if "Q" in period else Window(parse_month(period), parse_month(period))
        return span.start >= window.start and span.end <= window.end

    return costs[costs["period"].map(inside)]


def compute_cost_to_retain(
    costs: pd.DataFrame, per_account: pd.DataFrame, months_revenue: pd.DataFrame, window: Window
) -> CostToRetain:
    """Cost to retain for ``window``.

    ``per_account`` is :func:`cs_calc.retention.account_retention` output for
    the window; ``months_revenue`` is the account × month MRR matrix sliced to
    the window's months (without the opening month).
    """
    selected = costs_in_window(costs, window)
    fraction = selected["allocated_to_retention"].astype("float64")
    default = np.where(selected["function"] == "cs", 1.0, 0.0)
    fraction = fraction.fillna(pd.Series(default, index=selected.index))
    by_function = (
        selected.assign(_fraction=fraction, retention_cost=selected["amount"] * fraction)
        .groupby("function")
        .agg(amount=("amount", "sum"), retention_cost=("retention_cost", "sum"))
        .reset_index()
    )
    by_function["allocated_to_retention"] = np.where(
        by_function["amount"] > 0, by_function["retention_cost"] / by_function["amount"], np.nan
    )
    recurring = float(months_revenue.to_numpy().sum())
    retained_revenue = float(rows_where(months_revenue, per_account["is_start"]).to_numpy().sum())
    cs_cost = float(by_function.loc[by_function["function"] == "cs", "amount"].sum())
    retention_cost = float(by_function["retention_cost"].sum())
    retained_arr = float(per_account["retained_mrr"].sum()) * 12
    return CostToRetain(
        window=window.label,
        recurring_revenue=recurring,
        revenue_retained=retained_revenue,
        cs_cost=cs_cost,
        retention_cost=retention_cost,
        simple_cost_to_retain=_ratio(cs_cost, recurring),
        allocated_cost_to_retain=_ratio(retention_cost, retained_revenue),
        cost_per_retained_arr_dollar=_ratio(retention_cost, retained_arr),
        cs_roi=_ratio(retained_revenue, retention_cost),
        cost_by_function=by_function[["function", "amount", "allocated_to_retention", "retention_cost"]],
        total_cost=float(by_function["amount"].sum()),
    )


def csm_book_costs(
    accounts: pd.DataFrame,
    csms: pd.DataFrame,
    months_revenue: pd.DataFrame,
    window: Window,
    group: str = "segment",
) -> pd.DataFrame:
    """CSM cost and revenue per group (e.g. segment), from each CSM's book.

    A CSM's cost for the window is ``fully_loaded_annual_cost × months ÷ 12``,
    spread over groups in proportion to the recurring revenue of the CSM's
    accounts in each group. Returns ``group, csm_cost, recurring_revenue,
    cost_to_retain`` (fraction), one row per group.
    """
    months = len(window.months)
    revenue = months_revenue.sum(axis=1).rename("revenue")
    book = (
        accounts.set_index("account_id")[["csm_id", group]].join(revenue, how="left").fillna({"revenue": 0.0})
    )
    by_group = book.groupby(group, dropna=False)["revenue"].sum()
    csm_share = book.groupby(["csm_id", group], dropna=False)["revenue"].sum()
    csm_total = csm_share.groupby(level=0).transform("sum")
    share = (csm_share / csm_total.where(csm_total > 0)).fillna(0.0)
    cost = csms.set_index("csm_id")["fully_loaded_annual_cost"].astype("float64") * months / 12
    allocated = (share * share.index.get_level_values(0).map(cost).to_numpy()).groupby(level=1).sum()
    result = pd.DataFrame({"csm_cost": allocated, "recurring_revenue": by_group}).fillna(0.0)
    result["cost_to_retain"] = np.where(
        result["recurring_revenue"] > 0, result["csm_cost"] / result["recurring_revenue"], np.nan
    )
    result.index.name = "group"
    return result.reset_index()


def csm_coverage(
    accounts: pd.DataFrame, paying: pd.Index, targets: dict[str, float], group: str = "segment"
) -> pd.DataFrame:
    """Paying accounts per CSM by group against the tier's target ratio.

    A CSM counts once in every group where they own a paying account.
    Returns ``group, accounts, csms, accounts_per_csm, target_accounts_per_csm,
    coverage_vs_target`` (accounts_per_csm ÷ target; above 1 means stretched).
    """
    book = accounts[accounts["account_id"].isin(paying)]
    grouped = book.groupby(group, dropna=False).agg(
        accounts=("account_id", "size"), csms=("csm_id", "nunique")
    )
    grouped["accounts_per_csm"] = grouped["accounts"] / grouped["csms"].where(grouped["csms"] > 0)
    grouped["target_accounts_per_csm"] = grouped.index.map(lambda g: targets.get(g, np.nan))
    grouped["coverage_vs_target"] = grouped["accounts_per_csm"] / grouped["target_accounts_per_csm"]
    grouped.index.name = "group"
    return grouped.reset_index()


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")
