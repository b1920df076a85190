"""Leadership figures on the hand-checked fixture in tests/fixtures/leadership/.

Fixture (USD MRR, months 2026-03..2026-09; Q3 opening month is 2026-06):
  A1 1000 -> 1200 from Aug (expansion 200)      A4 3000 flat (Strategic)
  A2 500, churns in Aug (competitor, first year) A5 new in Aug at 100
  A3 800 -> 600 in Sep (partial, "too expensive") A6 300, churns in Jul (no event)
Q3: MRR at start 5600 (A1+A2+A3+A4+A6); at end 4900; starting accounts keep
  1200 + 600 + 3000 = 4800 -> NRR 4800/5600 = 85.714%; GRR (1000+600+3000)/5600
  = 82.143%; logo churn 2/5 = 40%.
  Components: renewed 4600, expansion 200, contraction 200, churn 800 (300+500).
Q2: everything flat -> NRR 100%, revenue 3 × 5600 = 16800, CS cost 2800 ->
  simple cost to retain 16.667%. Q3 revenue 5300 + 5100 + 4900 = 15300, CS cost
  3000 -> 19.608%; QoQ +2.941 pp. Retention cost 3000 + 0.1 × 2000 = 3200.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cs_calc.leadership import (
    health_distribution,
    health_movement,
    nrr_components,
    quarter_over_quarter,
    quarterly_trend,
    renewal_risks,
)
from cs_calc.periods import parse_quarter, quarters_ending
from reports.pipeline import prepare_run

FIXTURE = Path(__file__).parents[1] / "fixtures" / "leadership"


@pytest.fixture(scope="module")
def run():
    return prepare_run(FIXTURE, quarter="2026-Q3")


def test_quarterly_trend_matches_hand_figures_and_run_metrics(run):
    m = run.metrics
    trend = quarterly_trend(m.matrix, run.dataset.tables["costs"], quarters_ending(m.window, 4))
    # 2025-Q4 and 2026-Q1 open before the first month of data: left out.
    assert trend["quarter"].tolist() == ["2026-Q2", "2026-Q3"]
    q2, q3 = trend.iloc[0], trend.iloc[1]
    assert q2["nrr"] == 1.0 and q2["recurring_revenue"] == 16800.0 and q2["cs_cost"] == 2800.0
    assert q3["mrr_start"] == 5600.0 and q3["mrr_end"] == 4900.0 and q3["arr_end"] == 58800.0
    assert q3["nrr"] == pytest.approx(4800 / 5600)
    assert q3["grr"] == pytest.approx(4600 / 5600)
    assert q3["logo_churn"] == pytest.approx(0.4)
    assert q3["retention_cost"] == 3200.0
    # Same definitions as the run: the window's row equals the run's figures.
    assert q3["simple_cost_to_retain"] == pytest.approx(m.cost.simple_cost_to_retain)
    assert q3["allocated_cost_to_retain"] == pytest.approx(m.cost.allocated_cost_to_retain)
    deltas = quarter_over_quarter(trend, ["simple_cost_to_retain", "nrr"])
    assert deltas["simple_cost_to_retain"] == pytest.approx(3000 / 15300 - 2800 / 16800)
    assert deltas["nrr"] == pytest.approx(4800 / 5600 - 1)


def test_nrr_components_add_up(run):
    parts = nrr_components(run.metrics.per_account_retention)
    row = parts.loc["all"]
    assert row[["renewed_mrr", "expansion_mrr", "contraction_mrr", "churn_mrr"]].tolist() == [
        4600.0,
        200.0,
        200.0,
        800.0,
    ]
    assert row["renewed_mrr"] + row["contraction_mrr"] + row["churn_mrr"] == row["mrr_start"]
    assert row["renewed_mrr"] + row["expansion_mrr"] == row["retained_mrr"]
    assert row["nrr"] == pytest.approx(4800 / 5600)
    assert (row["accounts_start"], row["accounts_renewed"], row["accounts_churned"]) == (5, 3, 2)
    by_csm = nrr_components(
        run.metrics.per_account_retention, run.dataset.tables["accounts"].set_index("account_id")["csm_id"]
    )
    # C1: A1, A2, A3, A6 -> start 2600, kept 1800; C2: A4 3000 kept 3000.
    assert by_csm.loc["C1", "retained_mrr"] == 1800.0 and by_csm.loc["C2", "nrr"] == 1.0


def test_nrr_components_match_portfolio_on_sample(sample_run):
    parts = nrr_components(sample_run.metrics.per_account_retention).loc["all"]
    p = sample_run.metrics.portfolio
    value = p[(p["dimension"] == "all")].set_index("metric")["value"]
    assert parts["nrr"] == pytest.approx(value["nrr"])
    assert parts["grr"] == pytest.approx(value["grr"])


def test_health_distribution_and_movement(run):
    m = run.metrics
    mrr_end = m.per_account_retention["mrr_end"]
    dist = health_distribution(m.health, mrr_end).set_index("band")
    assert dist["accounts"].sum() == 4  # A1, A3, A4, A5 pay at end
    assert dist["arr"].sum() == 4900 * 12
    assert dist.loc["red", "accounts"] == 1 and dist.loc["red", "arr"] == 600 * 12  # A3
    move = health_movement(m.health, mrr_end, run.settings.metrics.health)
    assert move.loc["total", "total"] == 4
    assert move.loc["green", "red"] == 1  # A3 was 75.5 (green), now 33.1 (red)


def test_renewal_risks_orders_by_arr():
    accounts = pd.DataFrame(
        {
            "account_id": ["a", "b", "c", "d"],
            "name": ["A", "B", "C", "D"],
            "segment": "S",
            "csm_id": "x",
            "renewal_date": pd.to_datetime(["2026-10-05", "2026-12-31", "2027-01-01", "2026-11-01"]),
            "mrr_end": [100.0, 300.0, 900.0, 500.0],
            "health_score": [40.0, 60.0, 30.0, 90.0],
            "health_band": ["red", "yellow", "red", "green"],
            "health_drivers": "",
            "alerts": "",
        }
    )
    risks = renewal_risks(accounts, parse_quarter("2026-Q4"))
    # c renews after the quarter; d is green.
    assert risks["account_id"].tolist() == ["b", "a"]
    assert risks["arr"].tolist() == [3600.0, 1200.0]
