from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_calc.nps import LOW_N_THRESHOLD, compute_nps, latest_per_contact, nps_category


def test_categories_at_the_boundaries():
    assert nps_category(pd.Series([0, 6, 7, 8, 9, 10])).tolist() == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]


def test_tiny_nps_by_hand(tiny_run):
    # Q3 responses (tests/fixtures/tiny/nps.csv), latest per contact:
    # K1: R2 (6, replaces R1's 10); K2: R3 9; K3: R4 9; no contact: R5 3, R6 10.
    # R7 (June) is outside the window.
    # n = 5, promoters 3 (R3, R4, R6), detractors 2 (R2, R5): NPS = 100 * (3 - 2) / 5 = 20.
    p = tiny_run.metrics.portfolio
    nps = p[(p.metric == "nps") & (p.dimension == "all")]["value"].item()
    n = p[(p.metric == "nps_responses") & (p.dimension == "all")]["value"].item()
    assert (nps, n) == (20.0, 5.0)
    by_segment = tiny_run.metrics.nps_by_segment
    # Scaled: only A1's R2 (6) -> -100. Upmarket: 9, 9, 3, 10 -> 100 * (3 - 1) / 4 = 50.
    assert by_segment.loc["Scaled", "nps"] == -100.0
    assert by_segment.loc["Upmarket", "nps"] == 50.0
    assert bool(by_segment.loc["Upmarket", "low_n"]) is True


def test_latest_response_per_contact_wins_and_anonymous_responses_all_count():
    responses = pd.DataFrame(
        {
            "response_id": ["1", "2", "3", "4"],
            "account_id": ["a"] * 4,
            "contact_id": ["k", "k", None, None],
            "responded_at": pd.to_datetime(["2026-07-01", "2026-08-01", "2026-07-01", "2026-07-02"]),
            "score": [10, 0, 9, 9],
        }
    )
    kept = latest_per_contact(responses)
    assert sorted(kept["response_id"]) == ["2", "3", "4"]


def test_low_n_flag_uses_the_threshold():
    responses = pd.DataFrame(
        {
            "response_id": [str(i) for i in range(LOW_N_THRESHOLD)],
            "account_id": "a",
            "contact_id": None,
            "responded_at": pd.Timestamp("2026-07-01"),
            "score": 10,
        }
    )
    assert not compute_nps(responses).loc["all", "low_n"]
    assert compute_nps(responses.iloc[:-1]).loc["all", "low_n"]


def test_empty_responses_give_an_empty_frame():
    empty = pd.DataFrame(columns=["response_id", "account_id", "contact_id", "responded_at", "score"])
    assert compute_nps(empty).empty


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=50))
def test_nps_is_between_minus_100_and_100(scores):
    responses = pd.DataFrame(
        {
            "response_id": [str(i) for i in range(len(scores))],
            "account_id": "a",
            "contact_id": None,
            "responded_at": pd.Timestamp("2026-07-01"),
            "score": scores,
        }
    )
    result = compute_nps(responses).loc["all"]
    assert -100 <= result["nps"] <= 100
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    assert result["nps"] == pytest.approx(100 * (promoters - detractors) / len(scores))
