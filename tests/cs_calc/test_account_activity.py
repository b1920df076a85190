from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cs_calc.account_activity import (
    comment_tone,
    monthly_ticket_counts,
    monthly_usage,
    monthly_values,
    nps_by_quarter,
    nps_per_period,
    quarter_bounds,
    ticket_stats,
    tickets_by_month,
    top_themes,
)
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


def _random_usage(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    days = rng.integers(0, 400, rows)
    values = rng.normal(100, 40, rows).round(rng.integers(0, 4))
    values[rng.random(rows) < 0.1] = np.nan
    dates = pd.Timestamp("2025-08-01") + pd.to_timedelta(days, unit="D")
    return pd.DataFrame({"date": dates, "metric": "active_users", "value": values})


@pytest.mark.parametrize("seed", range(20))
def test_monthly_values_equal_a_pandas_groupby(seed):
    # Same floats as pandas (compensated sums), any row order, months outside the data NaN.
    rng = np.random.default_rng(seed)
    usage = _random_usage(rng, int(rng.integers(1, 120)))
    months = pd.date_range("2025-07-01", periods=16, freq="MS")
    month_of = usage["date"].dt.to_period("M").dt.to_timestamp()
    grouped = usage.sort_values("date", kind="stable").groupby(month_of)["value"]
    expected = {
        "mean": grouped.mean().reindex(months),
        "sum": grouped.sum().reindex(months),
        "last": grouped.last().reindex(months),
    }
    dates = usage["date"].to_numpy(dtype="datetime64[ns]")
    values = usage["value"].to_numpy(dtype="float64")
    for how, series in expected.items():
        got = monthly_values(dates, values, months.to_numpy(), how)
        assert [float(v).hex() for v in got] == [float(v).hex() for v in series], how


def test_monthly_values_skips_nat_and_follows_the_months_given():
    dates = np.array(["2026-07-03", "NaT", "2026-08-01", "2026-08-20"], dtype="datetime64[ns]")
    values = np.array([1.0, 99.0, 2.0, 4.0])
    months = np.array(["2026-08-01", "2026-07-01"], dtype="datetime64[ns]")
    assert monthly_values(dates, values, months, "sum").tolist() == [6.0, 1.0]
    assert monthly_values(dates, values, months, "last").tolist() == [4.0, 1.0]
    empty = np.array([], dtype="datetime64[ns]")
    assert np.isnan(monthly_values(empty, np.array([]), months)).all()


def test_monthly_ticket_counts_treat_missing_priority_as_p3():
    created = np.array(["2026-07-01", "2026-07-15", "2026-08-02", "2026-06-30"], dtype="datetime64[ns]")
    counts = monthly_ticket_counts(created, ["P1", None, "P9", "P0"], MONTHS.to_numpy())
    # P9 is not a priority; the June ticket is before the months asked for.
    assert counts.tolist() == [[0, 1, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0]]


def _same(a: float, b: float) -> bool:
    """Equal floats, or both NaN."""
    return (a != a and b != b) or a == b


@pytest.mark.parametrize("seed", range(10))
def test_ticket_stats_equal_pandas(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    created = pd.Timestamp("2026-06-01") + pd.to_timedelta(rng.integers(0, 150 * 24 * 60, n), unit="min")
    resolved = created + pd.to_timedelta(rng.integers(1, 10_000, n), unit="min")
    resolved = resolved.where(rng.random(n) > 0.3)
    tickets = pd.DataFrame(
        {
            "created_at": created,
            "resolved_at": resolved,
            "priority": rng.choice(["P0", "P1", "P2", "P3"], n),
            "csat": pd.array(np.where(rng.random(n) > 0.5, rng.integers(1, 6, n), -1), dtype="Int64"),
        }
    )
    tickets.loc[tickets["csat"] < 0, "csat"] = pd.NA
    start, end = pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-01")
    inside = tickets[(tickets["created_at"] >= start) & (tickets["created_at"] < end)]
    hours = (inside["resolved_at"] - inside["created_at"]).dt.total_seconds() / 3600
    stats = ticket_stats(tickets, start, end)
    assert stats.tickets == len(inside)
    assert stats.p0 == int((inside["priority"] == "P0").sum())
    assert stats.csat_responses == int(inside["csat"].notna().sum())
    assert _same(stats.median_hours_to_resolve, hours.median())
    assert _same(stats.csat, inside["csat"].astype("float64").mean())


def test_nps_per_period_counts_each_contacts_latest_response():
    # c1 answers 3 then 10 in Q3 (only the 10 counts); two anonymous answers 9 and 6 each count:
    # promoters 2 (10, 9), detractors 1 (6) of 3 -> NPS 33.3. In Q2 only c1's 3: NPS -100.
    when = np.array(
        ["2026-05-02", "2026-07-10", "2026-08-10", "2026-08-11", "2026-09-30"], dtype="datetime64[ns]"
    )
    ids = ["r0", "r1", "r2", "r3", "r4"]
    contacts = ["c1", "c1", "c1", None, None]
    scores = np.array([3.0, 3.0, 10.0, 9.0, 6.0])
    periods = quarter_bounds([parse_quarter("2026-Q2"), parse_quarter("2026-Q3"), parse_quarter("2026-Q4")])
    result = nps_per_period(when, ids, contacts, scores, periods)
    assert result[0] == (-100.0, 1)
    assert result[1] == (pytest.approx(100 / 3), 3)
    assert math.isnan(result[2][0]) and result[2][1] == 0


def test_comment_tone_lets_either_signal_say_negative():
    assert comment_tone(6, "positive") == "negative"  # "Support got slow" from a detractor
    assert comment_tone(10, "negative") == "negative"  # a promoter's complaint
    assert comment_tone(10, "neutral") == "positive"
    assert comment_tone(7, "positive") == "positive"
    assert comment_tone(8, "neutral") == "neutral"
    assert comment_tone(float("nan"), "neutral") == "neutral"


def test_top_themes_rank_by_mentions_and_tell_the_tone():
    # pricing: 3 comments, 2 negative -> negative; support: 1 + 1 -> mixed; reporting: 1 neutral.
    themes = [("pricing",), ("pricing", "support"), ("pricing",), ("support",), (), ("reporting",)]
    tones = ["negative", "negative", "positive", "positive", "negative", "neutral"]
    top = top_themes(themes, tones, limit=3)
    assert [(t.theme, t.mentions, t.positive, t.negative, t.tone) for t in top] == [
        ("pricing", 3, 1, 2, "negative"),
        ("support", 2, 1, 1, "mixed"),
        ("reporting", 1, 0, 0, "neutral"),
    ]
    assert [t.theme for t in top_themes(themes, tones, limit=1)] == ["pricing"]
    assert top_themes([(), ()], ["positive", "negative"]) == []
