"""The numbers a deck reads from one account's rows, checked by hand on small tables."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from cs_calc.account_activity import nps_by_quarter
from reports.qbr.account_facts import AccountFacts
from reports.qbr.calendar import deck_calendar, month_labels
from reports.qbr.config import QbrThresholds
from reports.qbr.context import account_data


@pytest.fixture(scope="module")
def data(sample_run):
    return account_data(sample_run, "A-00140")


def _facts(data, **tables) -> AccountFacts:
    changed = dataclasses.replace(data, tables={**data.tables, **tables})
    return AccountFacts(changed, deck_calendar(data.window, data.as_of, QbrThresholds()))


def test_calendar_of_a_quarter(data):
    cal = deck_calendar(data.window, data.as_of, QbrThresholds())
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
    assert facts.quarter_total("users") == 22.5
    assert facts.quarter_total("events", how="sum") == 12.0
    assert math.isnan(facts.quarter_total("events", previous=True, how="sum"))
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
    table = nps_by_quarter(nps, list(facts.calendar.nps_quarters))
    assert [p.label for p in facts.nps_history] == table.index.tolist()
    assert [p.responses for p in facts.nps_history] == table["responses"].tolist()
    got, expected = [p.nps for p in facts.nps_history], table["nps"].tolist()
    assert all((a != a and b != b) or a == b for a, b in zip(got, expected, strict=True))
