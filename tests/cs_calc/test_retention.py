from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_calc.periods import Window, parse_quarter
from cs_calc.retention import compute_retention

Q3 = parse_quarter("2026-Q3")


def _value(run, metric, dimension="all", group="all"):
    p = run.metrics.portfolio
    row = p[(p["metric"] == metric) & (p["dimension"] == dimension) & (p["group"] == group)]
    assert len(row) == 1, (metric, dimension, group)
    return float(row["value"].iloc[0])


def test_tiny_portfolio_retention_by_hand(tiny_run):
    # Opening month June: A1 100 + A2 2000 + A4 50 + A5 3000 = 5150 (A3 not yet paying).
    # September: A1 150, A2 1500, A3 300, A4 0, A5 3200 = 5150.
    assert _value(tiny_run, "mrr_start") == 5150
    assert _value(tiny_run, "mrr_end") == 5150
    # NRR: starting accounts at end; A5 churned in August and came back, so by
    # default it counts as churned: (150 + 1500 + 0 + 0) / 5150.
    assert _value(tiny_run, "nrr") == pytest.approx(1650 / 5150)
    # GRR: min(150,100) + min(1500,2000) + 0 + 0 = 1600.
    assert _value(tiny_run, "grr") == pytest.approx(1600 / 5150)
    # Logo churn: 4 starting accounts, A4 not paying in September -> 1/4.
    assert _value(tiny_run, "logo_churn") == pytest.approx(0.25)
    # Bridge: 300 new + 50 expansion + 3200 reactivation - 500 contraction - 3050 churn = 0.
    assert _value(tiny_run, "new_mrr") == 300
    assert _value(tiny_run, "expansion_mrr") == 50
    assert _value(tiny_run, "reactivation_mrr") == 3200
    assert _value(tiny_run, "contraction_mrr") == 500
    assert _value(tiny_run, "churned_mrr") == 3050


def test_tiny_retention_by_segment_and_tenure(tiny_run):
    # Scaled: A1 100 -> 150 (A3 is new): NRR 1.5, GRR capped at 1.0.
    assert _value(tiny_run, "nrr", "segment", "Scaled") == pytest.approx(1.5)
    assert _value(tiny_run, "grr", "segment", "Scaled") == pytest.approx(1.0)
    # Upmarket: A2 2000 -> 1500, A5 3000 -> churned: 1500 / 5000.
    assert _value(tiny_run, "nrr", "segment", "Upmarket") == pytest.approx(0.3)
    # Starter: A4 50 -> 0.
    assert _value(tiny_run, "logo_churn", "segment", "Starter") == 1.0
    # Tenure at the opening month (June 2026): A1 started 2025-01 -> tenured;
    # A3 started 2026-05 -> first year but not paying at start.
    assert _value(tiny_run, "mrr_start", "tenure", "tenured") == 5150
    assert _value(tiny_run, "new_mrr", "tenure", "first_year") == 300
    # CSM books: C1 holds A1, A3, A4 -> start 150, retained 150 + 0 = 150.
    assert _value(tiny_run, "nrr", "csm", "C1") == pytest.approx(150 / 150)


def test_reactivation_switch_counts_the_returning_account():
    months = pd.date_range("2026-06-01", periods=4, freq="MS")
    # Same as A2 + A5 of the tiny fixture.
    matrix = pd.DataFrame(
        [[2000.0, 2000, 1500, 1500], [3000, 3000, 0, 3200]], index=["A2", "A5"], columns=months
    )
    default = compute_retention(matrix, Q3).loc["all"]
    switched = compute_retention(matrix, Q3, count_reactivation_in_nrr=True).loc["all"]
    assert default["nrr"] == pytest.approx(1500 / 5000)
    # With the switch: (1500 + 3200) / 5000, GRR caps A5 at 3000: (1500 + 3000) / 5000.
    assert switched["nrr"] == pytest.approx(4700 / 5000)
    assert switched["grr"] == pytest.approx(4500 / 5000)
    # Logo churn is defined on paying at end, the same either way.
    assert default["logo_churn"] == switched["logo_churn"] == 0.0


def test_zero_starting_mrr_gives_nan_rates_not_errors():
    months = pd.date_range("2026-06-01", periods=4, freq="MS")
    matrix = pd.DataFrame([[0.0, 10, 10, 10]], index=["new"], columns=months)
    result = compute_retention(matrix, Q3).loc["all"]
    assert np.isnan(result["nrr"]) and np.isnan(result["grr"]) and np.isnan(result["logo_churn"])
    assert result["new_mrr"] == 10


def test_window_before_the_data_counts_mrr_as_new_and_after_the_data_fails():
    months = pd.date_range("2026-07-01", periods=3, freq="MS")
    matrix = pd.DataFrame([[10.0, 10, 10]], index=["a"], columns=months)
    assert compute_retention(matrix, Q3).loc["all", "new_mrr"] == 10
    with pytest.raises(ValueError, match="ends after the last month"):
        compute_retention(matrix, parse_quarter("2026-Q4"))


values = st.sampled_from([0.0, 0.0, 1.0, 10.0, 35.5, 100.0, 1000.0])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(values, min_size=5, max_size=5), min_size=1, max_size=8), st.booleans())
def test_retention_invariants(rows, switch):
    months = pd.date_range("2026-05-01", periods=5, freq="MS")
    matrix = pd.DataFrame(rows, index=[f"a{i}" for i in range(len(rows))], columns=months)
    window = Window(pd.Timestamp("2026-06-01"), pd.Timestamp("2026-09-01"))
    r = compute_retention(matrix, window, count_reactivation_in_nrr=switch).loc["all"]
    bridge = (
        r["new_mrr"] + r["expansion_mrr"] + r["reactivation_mrr"] - r["contraction_mrr"] - r["churned_mrr"]
    )
    assert bridge == pytest.approx(r["mrr_end"] - r["mrr_start"])
    if r["mrr_start"] > 0:
        assert 0.0 <= r["grr"] <= 1.0 + 1e-12
        assert r["grr"] <= r["nrr"] + 1e-12
        assert 0.0 <= r["logo_churn"] <= 1.0


def test_return_after_a_gap_before_the_window_is_a_reactivation():
    # Account "r" paid 80 in March-April, nothing in May-July, 90 from August.
    # For 2026-Q3 (opening month June) it starts at 0 and returns in August:
    # it paid before, so the 90 is reactivation, not new, as in classify_mrr_movements.
    months = pd.date_range("2026-03-01", "2026-09-01", freq="MS")
    matrix = pd.DataFrame([[80.0, 80, 0, 0, 0, 90, 90]], index=["r"], columns=months)
    result = compute_retention(matrix, Q3)
    assert float(result.loc["all", "new_mrr"]) == 0
    assert float(result.loc["all", "reactivation_mrr"]) == 90
    assert float(result.loc["all", "accounts_start"]) == 0
