from __future__ import annotations

import pandas as pd
import pytest

from cs_calc.churn import UNCLASSIFIED, attribute_lost_mrr, summarise_lost_mrr


def test_tiny_lost_mrr_is_attributed_to_reasons_by_hand(tiny_run):
    lost = tiny_run.metrics.lost_mrr
    # A4 full churn 50 (price_budget); A5 full churn 3000 with free text
    # "switched to Rival Corp" -> competitor by keyword; A2 contraction 500 (no_budget).
    by_reason = lost.groupby("reason")["lost_mrr"].sum().to_dict()
    assert by_reason == {"competitor": 3000.0, "no_budget": 500.0, "price_budget": 50.0}
    assert lost.loc[lost.reason == "no_budget", "vague"].item()
    assert lost.loc[lost.reason == "competitor", "avoidable"].item()
    assert lost.loc[lost.reason == "competitor", "competitor"].item() == "Rival Corp"
    # Totals equal the churn + contraction of the window exactly.
    assert lost["lost_mrr"].sum() == 3050 + 500


def test_summary_counts_logos_only_for_full_churn(tiny_run):
    summary = summarise_lost_mrr(tiny_run.metrics.lost_mrr, ["churn_type"]).set_index("churn_type")
    assert summary.loc["full", "lost_mrr"] == 3050 and summary.loc["full", "lost_logos"] == 2
    assert summary.loc["partial", "lost_mrr"] == 500 and summary.loc["partial", "lost_logos"] == 0


def test_movement_without_an_event_is_unclassified_not_dropped(tiny_run):
    taxonomy = tiny_run.settings.metrics.churn_taxonomy
    no_events = tiny_run.dataset.tables["churn_events"].iloc[0:0]
    lost = attribute_lost_mrr(
        tiny_run.metrics.movements,
        no_events,
        tiny_run.dataset.tables["accounts"],
        taxonomy,
        tiny_run.window,
    )
    assert set(lost["reason"]) == {UNCLASSIFIED}
    assert lost["lost_mrr"].sum() == 3550


def test_sample_reason_totals_sum_exactly_to_lost_mrr(sample_run):
    metrics = sample_run.metrics
    p = metrics.portfolio
    all_ = p[p.dimension == "all"].set_index("metric")["value"]
    expected = all_["churned_mrr"] + all_["contraction_mrr"]
    by_reason = summarise_lost_mrr(metrics.lost_mrr, ["reason"])
    assert by_reason["lost_mrr"].sum() == pytest.approx(expected, abs=1e-9)
    assert pd.notna(metrics.lost_mrr["reason"]).all()
