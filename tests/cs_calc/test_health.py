from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cs_calc.health import (
    FactorConfig,
    HealthConfig,
    HealthTables,
    backtest_health,
    health_config_from_mapping,
    health_inputs,
    roc_auc_lower_predicts,
    score_health,
)

CONFIG = HealthConfig(
    factors={
        "seat_utilisation": FactorConfig(0.5, ((0.0, 0.0), (1.0, 100.0))),
        "nps": FactorConfig(0.25, ((0.0, 0.0), (10.0, 100.0))),
        "champion_present": FactorConfig(0.25, ((0.0, 0.0), (1.0, 100.0))),
    }
)


def test_weighted_score_band_and_drivers_by_hand():
    inputs = pd.DataFrame(
        {"seat_utilisation": [0.8, 0.2], "nps": [9.0, 3.0], "champion_present": [1.0, 0.0]},
        index=pd.Index(["good", "poor"], name="account_id"),
    )
    scored = score_health(inputs, CONFIG)
    # good: 0.5 * 80 + 0.25 * 90 + 0.25 * 100 = 87.5 -> green
    # poor: 0.5 * 20 + 0.25 * 30 + 0.25 * 0 = 17.5 -> red
    assert scored.loc["good", "health_score"] == pytest.approx(87.5)
    assert scored.loc["poor", "health_score"] == pytest.approx(17.5)
    assert scored["health_band"].tolist() == ["green", "red"]
    # Drivers: weight x |score - 50|. poor: seats 0.5*30=15, champion 0.25*50=12.5, nps 0.25*20=5.
    assert scored.loc["poor", "drivers"] == ("seat_utilisation", "champion_present", "nps")


def test_missing_factor_weight_is_redistributed_and_reported():
    inputs = pd.DataFrame(
        {"seat_utilisation": [0.6], "nps": [np.nan], "champion_present": [1.0]},
        index=pd.Index(["a"], name="account_id"),
    )
    scored = score_health(inputs, CONFIG)
    # (0.5 * 60 + 0.25 * 100) / 0.75 = 73.33
    assert scored.loc["a", "health_score"] == pytest.approx(55 / 0.75)
    assert scored.loc["a", "missing_factors"] == ("nps",)


def test_no_data_at_all_gives_unknown_band():
    inputs = pd.DataFrame(
        {"seat_utilisation": [np.nan], "nps": [np.nan], "champion_present": [np.nan]},
        index=pd.Index(["a"], name="account_id"),
    )
    scored = score_health(inputs, CONFIG)
    assert np.isnan(scored.loc["a", "health_score"])
    assert scored.loc["a", "health_band"] == "unknown"


def test_factor_interpolation_clamps_at_the_ends():
    factor = FactorConfig(1.0, ((0.0, 100.0), (30.0, 50.0), (60.0, 0.0)))
    assert factor.score(np.array([-5.0, 15.0, 45.0, 90.0])).tolist() == [100.0, 75.0, 25.0, 0.0]


def test_inputs_from_tables_only_use_data_before_as_of(tiny_run):
    tables = tiny_run.dataset.tables
    health_tables = HealthTables(
        tables["accounts"], tables["usage"], tables["tickets"], tables["nps"], tables["contacts"]
    )
    config = tiny_run.settings.metrics.health
    inputs = health_inputs(health_tables, pd.Timestamp("2026-10-01"), config)
    # NPS in the 365 days before Oct 1: A1 10, 6, 0 -> mean 16/3; A2 9, 9 -> 9.
    assert inputs.loc["A1", "nps"] == pytest.approx(16 / 3)
    assert inputs.loc["A2", "nps"] == pytest.approx(9.0)
    # K2 (A2's champion) left on 2026-09-10: no champion on Oct 1, but one on Sep 1.
    assert inputs.loc["A2", "champion_present"] == 0.0
    before = health_inputs(health_tables, pd.Timestamp("2026-09-01"), config)
    assert before.loc["A2", "champion_present"] == 1.0
    # Renewal proximity: A2 renews 2026-11-15 -> 45 days after Oct 1.
    assert inputs.loc["A2", "renewal_proximity"] == 45.0
    # No usage or tickets in the tiny dataset: those factors are missing, not zero.
    assert inputs["seat_utilisation"].isna().all()
    assert inputs["support_p0p1"].isna().all()


def test_seat_utilisation_is_the_latest_active_users_over_the_latest_seats(sample_run):
    health = sample_run.metrics.health
    usage = sample_run.dataset.tables["usage"]
    as_of = sample_run.metrics.as_of
    checked = 0
    for account_id in ("A-00001", "A-00140", "A-00222", "A-00399"):
        row = health.loc[account_id]
        if np.isnan(row["input_seat_utilisation"]):
            continue
        mine = usage[(usage["account_id"] == account_id) & (usage["date"] < as_of)]
        latest = {
            m: rows.sort_values("date", kind="stable")["value"].iloc[-1] for m, rows in mine.groupby("metric")
        }
        assert row["latest_active_users"] == latest["active_users"]
        assert row["latest_seats"] == latest["seats_purchased"]
        assert row["latest_active_users"] / row["latest_seats"] == pytest.approx(
            row["input_seat_utilisation"]
        )
        checked += 1
    assert checked >= 3


def test_auc_by_hand():
    # Churned scores 10 and 60; retained 20, 50, 90.
    # Pairs (churned lower than retained): 10<20,10<50,10<90, 60<90 -> 4 of 6.
    scores = np.array([10.0, 60.0, 20.0, 50.0, 90.0])
    churned = np.array([True, True, False, False, False])
    assert roc_auc_lower_predicts(scores, churned) == pytest.approx(4 / 6)


def test_backtest_on_the_sample_reports_bands_and_a_useful_auc(sample_run):
    backtest = sample_run.metrics.backtest
    assert backtest.quarters == ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
    assert backtest.accounts == int(backtest.by_band["accounts"].sum())
    rates = backtest.by_band["churn_rate"]
    # The sample's churners lose users first, so red churns more than green.
    assert rates["red"] > rates["green"]
    assert 0.6 < backtest.auc <= 1.0


def test_backtest_without_enough_history_is_empty(tiny_run):
    tables = tiny_run.dataset.tables
    health_tables = HealthTables(
        tables["accounts"], tables["usage"], tables["tickets"], tables["nps"], tables["contacts"]
    )
    result = backtest_health(
        health_tables, tiny_run.metrics.matrix, [pd.Timestamp("2020-01-01")], tiny_run.settings.metrics.health
    )
    assert result.accounts == 0 and np.isnan(result.auc)


def test_config_rejects_unknown_keys_and_factors():
    with pytest.raises(ValueError, match="unknown key 'weigth'"):
        health_config_from_mapping({"factors": {"nps": {"weigth": 1, "points": [[0, 0]]}}})
    with pytest.raises(ValueError, match="unknown factor 'vibes'"):
        health_config_from_mapping({"factors": {"vibes": {"weight": 1, "points": [[0, 0]]}}})
