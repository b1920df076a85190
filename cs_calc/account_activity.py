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

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_calc.nps import compute_nps, responses_in
from cs_calc.periods import Window

PRIORITIES = ("P0", "P1", "P2", "P3")


def _month_starts(dates: np.ndarray) -> np.ndarray:
    """First-of-month ``datetime64[ns]`` of each date (NaT stays NaT)."""
    return dates.astype("datetime64[M]").astype("datetime64[ns]")


def _month_keys(months: pd.DatetimeIndex) -> list[int]:
    return months.to_numpy(dtype="datetime64[ns]").astype("int64").tolist()


def _kahan_add(total: float, compensation: float, value: float) -> tuple[float, float]:
    """One step of the compensated sum pandas' grouped ``mean``/``sum`` use (same results)."""
    y = value - compensation
    t = total + y
    compensation = t - total - y
    if compensation != compensation:
        compensation = 0.0
    return t, compensation


def monthly_usage(usage: pd.DataFrame, metric: str, months: pd.DatetimeIndex, how: str = "mean") -> pd.Series:
    """``metric`` per month over ``months`` (NaN where no rows).

    >>> u = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-02-02"]),
    ...     "metric": "active_users", "value": [10.0, 20.0, 30.0]})
    >>> monthly_usage(u, "active_users", pd.date_range("2026-01-01", periods=3, freq="MS")).tolist()
    [15.0, 30.0, nan]
    """
    if how not in ("mean", "sum", "last"):
        raise KeyError(how)
    selected = (usage["metric"] == metric).to_numpy(dtype=bool)
    if not selected.any():
        return pd.Series(np.nan, index=months, dtype="float64")
    dates = usage["date"].to_numpy(dtype="datetime64[ns]")[selected]
    values = usage["value"].to_numpy(dtype="float64", na_value=np.nan)[selected]
    order = np.argsort(dates, kind="stable")  # NaT sorts last and has no month
    month_of = _month_starts(dates[order]).astype("int64").tolist()
    ordered = values[order].tolist()
    wanted = {m: i for i, m in enumerate(_month_keys(months))}
    nat = np.datetime64("NaT", "ns").astype("int64")
    # per month: [sum, compensation, count, last non-null, seen]
    acc: dict[int, list] = {}
    for month, value in zip(month_of, ordered, strict=True):
        if month == nat:
            continue
        slot = acc.setdefault(month, [0.0, 0.0, 0, math.nan])
        if value == value:
            slot[0], slot[1] = _kahan_add(slot[0], slot[1], value)
            slot[2] += 1
            slot[3] = value
    out = np.full(len(months), np.nan)
    for month, (total, _comp, count, last) in acc.items():
        position = wanted.get(month)
        if position is None:
            continue
        if how == "sum":
            out[position] = total
        elif how == "mean":
            out[position] = total / count if count else math.nan
        else:
            out[position] = last
    return pd.Series(out, index=months, dtype="float64", name="value")


def tickets_by_month(tickets: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    """Tickets created per month (rows) and priority (columns P0–P3), zeros where none."""
    if tickets.empty:
        return pd.DataFrame(0, index=months, columns=list(PRIORITIES))
    month_of = _month_starts(tickets["created_at"].to_numpy(dtype="datetime64[ns]")).astype("int64").tolist()
    priorities = tickets["priority"].tolist()
    rows = {m: i for i, m in enumerate(_month_keys(months))}
    columns = {p: j for j, p in enumerate(PRIORITIES)}
    counts = np.zeros((len(months), len(PRIORITIES)), dtype="int64")
    for month, priority in zip(month_of, priorities, strict=True):
        if priority is None or priority is pd.NA or (isinstance(priority, float) and priority != priority):
            priority = "P3"
        row, col = rows.get(month), columns.get(priority)
        if row is not None and col is not None:
            counts[row, col] += 1
    return pd.DataFrame(
        counts,
        index=months,
        columns=pd.Index(list(PRIORITIES), name="priority"),
    )


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
    created = tickets["created_at"]
    when = created.to_numpy()
    mask = (when >= start.to_datetime64()) & (when < end_exclusive.to_datetime64())
    if not mask.any():
        return TicketStats(0, 0, float("nan"), float("nan"), 0)
    hours = (tickets["resolved_at"][mask] - created[mask]).dt.total_seconds() / 3600
    csat = tickets["csat"][mask].dropna().astype("float64")
    return TicketStats(
        tickets=int(mask.sum()),
        p0=int((tickets["priority"].to_numpy()[mask] == "P0").sum()),
        median_hours_to_resolve=float(hours.median()) if hours.notna().any() else float("nan"),
        csat=float(csat.mean()) if len(csat) else float("nan"),
        csat_responses=len(csat),
    )


def _nps_of(keys: list[tuple], scores: list[float], contacts: list) -> tuple[float, int]:
    """NPS and responses of the rows given, counting each contact's latest response once.

    Same rules as :func:`cs_calc.nps.compute_nps`: the latest response per
    contact by ``(responded_at, response_id)``, ties to the later row; rows
    without a contact each count.
    """
    latest: dict = {}
    counted: list[float] = []
    for key, score, contact in zip(keys, scores, contacts, strict=True):
        if contact is None:
            counted.append(score)
        else:
            previous = latest.get(contact)
            if previous is None or key >= previous[0]:
                latest[contact] = (key, score)
    counted.extend(score for _key, score in latest.values())
    if not counted:
        return float("nan"), 0
    promoters = sum(1 for v in counted if v >= 9)
    detractors = sum(1 for v in counted if not v >= 7)
    return 100.0 * (promoters - detractors) / len(counted), len(counted)


def nps_by_quarter(nps: pd.DataFrame, quarters: Sequence[Window]) -> pd.DataFrame:
    """NPS (−100 to 100) and responses per quarter label; NaN NPS where no responses."""
    when = nps["responded_at"].to_numpy(dtype="datetime64[ns]")
    scores = nps["score"].to_numpy(dtype="float64").tolist()
    contacts = [None if pd.isna(c) else c for c in nps["contact_id"].tolist()]
    ids = nps["response_id"].tolist()
    if any(pd.isna(i) for i in ids):  # the fast path orders ids as strings
        return _nps_by_quarter_frames(nps, quarters)
    stamps = when.astype("int64").tolist()
    rows = []
    for quarter in quarters:
        after = quarter.end + pd.DateOffset(months=1)
        lo, hi = np.datetime64(quarter.start, "ns"), np.datetime64(after, "ns")
        inside = np.flatnonzero((when >= lo) & (when < hi)).tolist()
        nps_value, responses = _nps_of(
            [(stamps[i], ids[i]) for i in inside],
            [scores[i] for i in inside],
            [contacts[i] for i in inside],
        )
        rows.append((quarter.label, nps_value, responses))
    return pd.DataFrame(rows, columns=["quarter", "nps", "responses"]).set_index("quarter")


def _nps_by_quarter_frames(nps: pd.DataFrame, quarters: Sequence[Window]) -> pd.DataFrame:
    rows = []
    for quarter in quarters:
        after = quarter.end + pd.DateOffset(months=1)
        result = compute_nps(responses_in(nps, quarter.start, after))
        if result.empty:
            rows.append((quarter.label, float("nan"), 0))
        else:
            rows.append((quarter.label, float(result["nps"].iloc[0]), int(result["responses"].iloc[0])))
    return pd.DataFrame(rows, columns=["quarter", "nps", "responses"]).set_index("quarter")
