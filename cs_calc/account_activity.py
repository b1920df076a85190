"""One account's activity by month: usage, tickets and NPS, for account reviews.

Pure functions over one account's rows of the contract tables (they also
work on many accounts' rows, summing across them). Months are first-of-month
Timestamps; a window's ends are both included.

- :func:`monthly_usage`: a usage metric per month, aggregated ``mean`` (e.g.
  weekly active users -> the month's mean), ``sum`` (events) or ``last``
  (seats purchased at month end). Months without rows are NaN.
- :func:`tickets_by_month`: ticket counts per month and priority.
- :func:`ticket_stats`: count, P0 count, median hours to resolve and mean
  CSAT of tickets created in ``[start, end_exclusive)``.
- :func:`nps_by_quarter`: NPS and response count per quarter (``compute_nps``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_calc.nps import compute_nps, responses_in
from cs_calc.periods import Window

PRIORITIES = ("P0", "P1", "P2", "P3")


def monthly_usage(usage: pd.DataFrame, metric: str, months: pd.DatetimeIndex, how: str = "mean") -> pd.Series:
    """``metric`` per month over ``months`` (NaN where no rows).

    >>> u = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-02-02"]),
    ...     "metric": "active_users", "value": [10.0, 20.0, 30.0]})
    >>> monthly_usage(u, "active_users", pd.date_range("2026-01-01", periods=3, freq="MS")).tolist()
    [15.0, 30.0, nan]
    """
    rows = usage[usage["metric"] == metric]
    if rows.empty:
        return pd.Series(np.nan, index=months, dtype="float64")
    month = rows["date"].dt.to_period("M").dt.to_timestamp()
    ordered = rows.assign(month=month).sort_values("date", kind="stable")
    grouped = ordered.groupby("month")["value"]
    values = {"mean": grouped.mean, "sum": grouped.sum, "last": grouped.last}[how]()
    values.index = pd.DatetimeIndex(values.index)
    return values.reindex(months).astype("float64")


def tickets_by_month(tickets: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    """Tickets created per month (rows) and priority (columns P0–P3), zeros where none."""
    if tickets.empty:
        return pd.DataFrame(0, index=months, columns=list(PRIORITIES))
    month = tickets["created_at"].dt.to_period("M").dt.to_timestamp()
    table = pd.crosstab(month, tickets["priority"].fillna("P3"))
    table.index = pd.DatetimeIndex(table.index)
    return table.reindex(index=months, columns=list(PRIORITIES), fill_value=0).astype("int64")


@dataclass(frozen=True)
class TicketStats:
    """Tickets created in a period: counts, median hours to resolve, mean CSAT (1–5)."""

    tickets: int
    p0: int
    median_hours_to_resolve: float
    """Over resolved tickets; NaN when none is resolved."""
    csat: float
    """Mean of the CSAT answers (1–5); NaN when none."""
    csat_responses: int


def ticket_stats(tickets: pd.DataFrame, start: pd.Timestamp, end_exclusive: pd.Timestamp) -> TicketStats:
    """Stats of tickets with ``start <= created_at < end_exclusive``; empty input gives zeros and NaN."""
    rows = tickets[(tickets["created_at"] >= start) & (tickets["created_at"] < end_exclusive)]
    hours = (rows["resolved_at"] - rows["created_at"]).dt.total_seconds() / 3600
    csat = rows["csat"].dropna().astype("float64")
    return TicketStats(
        tickets=len(rows),
        p0=int((rows["priority"] == "P0").sum()),
        median_hours_to_resolve=float(hours.median()) if hours.notna().any() else float("nan"),
        csat=float(csat.mean()) if len(csat) else float("nan"),
        csat_responses=len(csat),
    )


def nps_by_quarter(nps: pd.DataFrame, quarters: Sequence[Window]) -> pd.DataFrame:
    """NPS (−100 to 100) and responses per quarter label; NaN NPS where no responses."""
    rows = []
    for quarter in quarters:
        after = quarter.end + pd.DateOffset(months=1)
        result = compute_nps(responses_in(nps, quarter.start, after))
        if result.empty:
            rows.append((quarter.label, float("nan"), 0))
        else:
            rows.append((quarter.label, float(result["nps"].iloc[0]), int(result["responses"].iloc[0])))
    return pd.DataFrame(rows, columns=["quarter", "nps", "responses"]).set_index("quarter")
