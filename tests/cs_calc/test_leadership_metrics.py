"""The leadership figures of the tiny dataset's 2026-Q3, worked out by hand.

Opening month June: A1 100, A2 2000, A4 50, A5 3000 (A3 starts in July).
Movements in Q3: A1 +20 Jul, +30 Sep; A2 -500 Aug; A3 new 300 Jul; A4 churn -50
Jul; A5 churn -3000 Aug, reactivation 3200 Sep.
"""

from __future__ import annotations

import pytest


def test_lost_mrr_and_the_two_logo_counts(tiny_run):
    churn = tiny_run.leadership.churn
    # contraction 500 (A2) + churn 50 (A4) + 3000 (A5)
    assert churn.lost_mrr == 3550
    # A4 and A5 went to zero in the quarter, A5 came back: two cancellations ...
    assert churn.accounts_cancelled == 2
    # ... but only A4 was paying at start and not at end
    portfolio = tiny_run.metrics.portfolio
    logos_lost = portfolio.loc[
        (portfolio["metric"] == "logos_lost") & (portfolio["dimension"] == "all"), "value"
    ].item()
    assert logos_lost == 1
    assert churn.by_type.set_index("group").loc["full", "lost_mrr"] == 3050
    assert churn.by_type.set_index("group").loc["partial", "lost_mrr"] == 500
    assert churn.by_reason["lost_mrr"].sum() == pytest.approx(3550)


def test_nrr_components_of_the_starting_accounts(tiny_run):
    row = tiny_run.leadership.nrr_components.loc["all"]
    # A1 100 -> 150; A2 2000 -> 1500; A4 50 -> 0; A5 3000 -> 0 counted (dropped out in August)
    assert row["mrr_start"] == 5150
    assert row["renewed_mrr"] == 1600  # 100 + 1500
    assert row["expansion_mrr"] == 50
    assert row["contraction_mrr"] == 500
    assert row["churn_mrr"] == 3050
    assert row["nrr"] == pytest.approx(1650 / 5150)


def test_renewals_at_risk_are_next_quarters(tiny_run):
    lead = tiny_run.leadership
    assert lead.next_quarter.label == "2026-Q4"
    renewals = lead.renewal_risks
    # A2 renews 2026-11-15 and A4 2026-12-01, but A4 pays nothing at the end of Q3
    assert "A4" not in set(renewals["account_id"])
    assert set(renewals["account_id"]) <= {"A2"}


def test_computed_once_per_run(tiny_run):
    assert tiny_run.leadership is tiny_run.leadership
