"""One account's QBR figures (cs_calc.account_facts), checked by hand on small tables."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from cs_calc.account_activity import nps_by_quarter
from cs_calc.account_facts import (
    AccountFacts,
    PeriodSettings,
    account_periods,
    days_to_renewal,
    goals_met,
    plans_on_track,
    relative_change,
    value_delivered,
    window_average,
)
from reports.documents.qbr.calendar import month_labels
from reports.documents.qbr.context import account_data


@pytest.fixture(scope="module")
def data(sample_run):
    return account_data(sample_run, "A-00140")


def _facts(data, **tables) -> AccountFacts:
    changed = dataclasses.replace(data, tables={**data.tables, **tables})
    return AccountFacts(
        changed.tables,
        window=data.window,
        as_of=data.as_of,
        settings=PeriodSettings(),
        retention=data.retention,
        renewal_date=data.account.get("renewal_date"),
        signals=data.signals,
        comment_tags=data.comment_tags,
    )


def test_calendar_of_a_quarter(data):
    cal = account_periods(data.window, data.as_of, PeriodSettings())
    assert cal.quarter_label == "2026-Q3" and cal.as_of == pd.Timestamp("2026-10-01")
    assert cal.usage_months[0] == pd.Timestamp("2025-10-01") and len(cal.usage_months) == 12
    assert cal.window_positions == (9, 10, 11) and cal.previous_positions == (6, 7, 8)
    assert cal.nps_quarter_labels == ("2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
    assert cal.nps_year_label == "2025-10..2026-09"
    assert month_labels(cal.support_months, "sv")[-1] == "sep. 2026"


def test_quarter_totals_are_means_of_monthly_means(data):
    # Active users: July 10 and 20 (mean 15), August 30, September none -> quarter mean 22.5.
    # Key feature events sum over the quarter: 5 + 7 = 12; nothing before -> NaN.
    usage = pd.DataFrame(
        {
            "account_id": "A-00140",
            "date": pd.to_datetime(["2026-07-06", "2026-07-13", "2026-08-03", "2026-07-01", "2026-09-28"]),
            "metric": [
                "active_users",
                "active_users",
                "active_users",
                "key_feature_events",
                "key_feature_events",
            ],
            "value": [10.0, 20.0, 30.0, 5.0, 7.0],
        }
    )
    facts = _facts(data, usage=usage)
    assert facts.active_users == 22.5
    assert facts.key_feature_events == 12.0
    assert math.isnan(facts.key_feature_events_change)  # nothing the quarter before
    assert all(math.isnan(v) for v in facts.usage["seats"])


def test_goals_and_open_objectives_by_due_date_then_objective(data):
    plans = pd.DataFrame(
        {
            "account_id": "A-00140",
            "objective": ["b", "a", "c", "d", "e"],
            "kpi": None,
            "baseline": 1.0,
            "target": 2.0,
            "current": 1.5,
            "due_date": pd.to_datetime(["2026-08-01", "2026-08-01", "2026-06-30", None, "2026-12-01"]),
            "status": "on_track",
            "owner": "csm",
        }
    )
    facts = _facts(data, success_plans=plans)
    # Due in the quarter (before as_of 2026-10-01): a and b, same day, by objective; c is before it.
    assert [g.objective for g in facts.goals] == ["a", "b"]
    # Open: due on or after as_of, those without a date last.
    assert [g.objective for g in facts.open_plans] == ["e", "d"]


def test_nps_with_a_missing_response_id_uses_the_table_rules(data):
    nps = data.tables["nps"].copy()
    nps.loc[nps.index[0], "response_id"] = None
    facts = _facts(data, nps=nps)
    table = nps_by_quarter(nps, list(facts.periods.nps_quarters))
    assert [p.label for p in facts.nps_history] == table.index.tolist()
    assert [p.responses for p in facts.nps_history] == table["responses"].tolist()
    got, expected = [p.nps for p in facts.nps_history], table["nps"].tolist()
    assert all((a != a and b != b) or a == b for a, b in zip(got, expected, strict=True))


def test_mrr_comes_from_the_runs_per_account_retention(data, sample_run):
    facts = _facts(data)
    row = sample_run.metrics.per_account_retention.loc["A-00140"]
    assert facts.mrr_end == row["mrr_end"] and facts.mrr_start == row["mrr_start"]
    assert facts.arr_end == 12 * row["mrr_end"]
    assert facts.mrr_change == pytest.approx(row["mrr_end"] / row["mrr_start"] - 1)


def test_goals_met_and_plans_on_track_count_statuses(data):
    plans = pd.DataFrame(
        {
            "account_id": "A-00140",
            "objective": ["a", "b", "c", "d"],
            "kpi": "Weekly users",
            "baseline": [100.0, 100.0, 0.0, 50.0],
            "target": 200.0,
            "current": [130.0, 90.0, 10.0, 75.0],
            "due_date": pd.to_datetime(["2026-08-01", "2026-09-01", "2026-12-01", "2027-01-01"]),
            "status": ["achieved", "missed", "on_track", "at_risk"],
            "owner": "csm",
        }
    )
    facts = _facts(data, success_plans=plans)
    # Due in Q3: a (achieved) and b (missed) -> 1 of 2 met. Open: c (on track), d (at risk) -> 1.
    assert (facts.goals_met, len(facts.goals), facts.plans_on_track) == (1, 2, 1)
    # Value delivered: a +30 % (achieved); b missed, c has a 0 baseline, d is at risk.
    assert [(v.objective, round(v.change, 6)) for v in facts.value_delivered] == [("a", 0.3)]


def test_figure_functions_edge_cases():
    assert math.isnan(relative_change(1.0, 0.0)) and math.isnan(relative_change(float("nan"), 1.0))
    assert window_average([float("nan")] * 3, [0, 1, None]) != window_average([1.0], [0])
    assert math.isnan(window_average([1.0, 2.0], [None]))
    assert days_to_renewal(None, pd.Timestamp("2026-10-01")) != days_to_renewal(
        None, pd.Timestamp("2026-10-01")
    )
    assert days_to_renewal(pd.Timestamp("2026-09-01"), pd.Timestamp("2026-10-01")) == -30.0
    assert goals_met([]) == 0 and plans_on_track([]) == 0
    assert math.isnan(value_delivered(float("nan"), 1.0, "achieved"))
