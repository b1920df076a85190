from __future__ import annotations

import math

import pandas as pd

from cs_calc.account_activity import monthly_usage, nps_by_quarter, ticket_stats, tickets_by_month
from cs_calc.periods import parse_quarter

MONTHS = pd.date_range("2026-07-01", periods=3, freq="MS")


def test_monthly_usage_mean_sum_last():
    usage = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-07-06", "2026-07-13", "2026-08-03", "2026-08-10"]),
            "metric": "active_users",
            "value": [10.0, 20.0, 30.0, 50.0],
        }
    )
    assert monthly_usage(usage, "active_users", MONTHS, "mean").tolist()[:2] == [15.0, 40.0]
    assert monthly_usage(usage, "active_users", MONTHS, "sum").tolist()[:2] == [30.0, 80.0]
    assert monthly_usage(usage, "active_users", MONTHS, "last").tolist()[:2] == [20.0, 50.0]
    assert math.isnan(monthly_usage(usage, "active_users", MONTHS).iloc[2])
    assert monthly_usage(usage, "logins", MONTHS).isna().all()


def _tickets() -> pd.DataFrame:
    # Two July tickets (P0 resolved in 2 h, P2 in 10 h), one August P2 still open.
    return pd.DataFrame(
        {
            "ticket_id": ["t1", "t2", "t3"],
            "created_at": pd.to_datetime(["2026-07-01 08:00", "2026-07-02 08:00", "2026-08-05 09:00"]),
            "resolved_at": pd.to_datetime(["2026-07-01 10:00", "2026-07-02 18:00", None]),
            "priority": ["P0", "P2", "P2"],
            "csat": pd.array([5, None, 3], dtype="Int64"),
        }
    )


def test_tickets_by_month_counts_priorities():
    table = tickets_by_month(_tickets(), MONTHS)
    assert table.loc["2026-07-01"].tolist() == [1, 0, 1, 0]
    assert table.loc["2026-09-01"].sum() == 0


def test_ticket_stats():
    stats = ticket_stats(_tickets(), pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-01"))
    assert (stats.tickets, stats.p0, stats.csat_responses) == (3, 1, 2)
    assert stats.median_hours_to_resolve == 6.0
    assert stats.csat == 4.0
    empty = ticket_stats(_tickets().iloc[0:0], pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-01"))
    assert empty.tickets == 0 and math.isnan(empty.csat)


def test_nps_by_quarter():
    nps = pd.DataFrame(
        {
            "response_id": ["r1", "r2"],
            "account_id": "a",
            "contact_id": [None, None],
            "responded_at": pd.to_datetime(["2026-07-10", "2026-08-10"]),
            "score": [10, 3],
        }
    )
    table = nps_by_quarter(nps, [parse_quarter("2026-Q2"), parse_quarter("2026-Q3")])
    assert table.loc["2026-Q3"].tolist() == [0.0, 2]
    assert table.loc["2026-Q2", "responses"] == 0
