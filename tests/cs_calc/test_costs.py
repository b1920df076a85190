from __future__ import annotations

import pytest


def test_tiny_cost_to_retain_by_hand(tiny_run):
    cost = tiny_run.metrics.cost
    # Recurring revenue Jul-Sep, all accounts: 5420 + 1920 + 5150 = 12490.
    assert cost.recurring_revenue == 12490
    # From accounts paying in June (A1, A2, A4, A5): 5120 + 1620 + 4850 = 11590.
    assert cost.revenue_retained == 11590
    # Q3 costs (Q2's 99999 is outside): cs 3000 (fraction empty -> 1.0),
    # support 1000 x 0.5, rnd 4000 x 0.1, billing (2026-07) 100 x 0.2 -> 3920.
    assert cost.cs_cost == 3000
    assert cost.retention_cost == pytest.approx(3920)
    assert cost.simple_cost_to_retain == pytest.approx(3000 / 12490)
    assert cost.allocated_cost_to_retain == pytest.approx(3920 / 11590)
    # Retained MRR at end 1650 -> ARR 19800.
    assert cost.cost_per_retained_arr_dollar == pytest.approx(3920 / 19800)
    assert cost.cs_roi == pytest.approx(11590 / 3920)


def test_tiny_csm_book_costs_by_segment(tiny_run):
    by_segment = tiny_run.metrics.cost_by_segment.set_index("group")
    # C1 (120k/yr -> 30k a quarter) owns A1, A3 (Scaled) and A4 (Starter, no Q3 revenue):
    # all of C1's revenue is Scaled, so Scaled carries 30000 over revenue 390 + 900 = 1290.
    assert by_segment.loc["Scaled", "csm_cost"] == pytest.approx(30000)
    assert by_segment.loc["Scaled", "cost_to_retain"] == pytest.approx(30000 / 1290)
    # C2 (160k -> 40k) owns A2 and A5, both Upmarket: revenue 5000 + 6200 = 11200.
    assert by_segment.loc["Upmarket", "cost_to_retain"] == pytest.approx(40000 / 11200)


def test_tiny_coverage_counts_paying_accounts_per_csm(tiny_run):
    coverage = tiny_run.metrics.coverage.set_index("group")
    # Paying in September: A1, A3 (Scaled, C1), A2, A5 (Upmarket, C2).
    assert coverage.loc["Scaled", "accounts_per_csm"] == 2
    assert coverage.loc["Scaled", "coverage_vs_target"] == pytest.approx(2 / 1200)
    assert coverage.loc["Upmarket", "accounts"] == 2
