"""Churn breakdowns on the fixture in tests/fixtures/leadership/ (see test_leadership.py).

Q3 lost MRR = 1000: A6 full 300 (no churn event -> unclassified, tenured),
A2 full 500 (competitor "Rival", first year), A3 partial 200 (free text
"Too expensive..." -> price_budget by keyword, tenured). Lost logos 2.
Avoidable 700 (competitor + price), vague 300 (unclassified).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cs_calc.churn_analysis import (
    avoidability_summary,
    lost_by,
    lost_by_reason,
    lost_mrr_trend,
    reason_crosstab,
    verbatims,
)
from cs_calc.periods import quarters_ending
from reports.pipeline import prepare_run

FIXTURE = Path(__file__).parents[1] / "fixtures" / "leadership"


@pytest.fixture(scope="module")
def run():
    return prepare_run(FIXTURE, quarter="2026-Q3")


def _lost_total(run) -> float:
    p = run.metrics.portfolio
    value = p[p["dimension"] == "all"].set_index("metric")["value"]
    return float(value["churned_mrr"] + value["contraction_mrr"])


def test_reasons_sum_to_lost_mrr(run):
    lost = run.metrics.lost_mrr
    reasons = lost_by_reason(lost, run.settings.metrics.churn_taxonomy)
    assert reasons[["reason", "lost_mrr", "lost_logos"]].values.tolist() == [
        ["competitor", 500.0, 1],
        ["unclassified", 300.0, 1],
        ["price_budget", 200.0, 0],
    ]
    assert reasons["lost_mrr"].sum() == _lost_total(run) == 1000.0
    assert reasons["share"].sum() == pytest.approx(1.0)


def test_reasons_sum_to_lost_mrr_on_sample(sample_run):
    sample = sample_run
    reasons = lost_by_reason(sample.metrics.lost_mrr, sample.settings.metrics.churn_taxonomy)
    assert reasons["lost_mrr"].sum() == pytest.approx(_lost_total(sample), abs=1e-6)
    for column in ("segment", "region", "tenure", "churn_type", "competitor"):
        assert lost_by(sample.metrics.lost_mrr, column)["lost_mrr"].sum() == pytest.approx(
            _lost_total(sample), abs=1e-6
        )


def test_breakdowns(run):
    lost = run.metrics.lost_mrr
    tenure = lost_by(lost, "tenure", ["first_year", "tenured"])
    assert tenure[["group", "lost_mrr", "lost_logos"]].values.tolist() == [
        ["first_year", 500.0, 1],
        ["tenured", 500.0, 1],
    ]
    kinds = lost_by(lost, "churn_type", ["full", "partial"])
    assert kinds["lost_mrr"].tolist() == [800.0, 200.0]
    competitors = lost_by(lost, "competitor")
    assert competitors[["group", "lost_mrr"]].values.tolist() == [["(none)", 500.0], ["Rival", 500.0]]
    avoid = avoidability_summary(lost)
    assert avoid[["group", "lost_mrr"]].values.tolist() == [
        ["avoidable", 700.0],
        ["unavoidable", 0.0],
        ["vague", 300.0],
    ]
    table = reason_crosstab(lost, "segment", ["Starter", "Scaled", "Upmarket", "Strategic"])
    assert table.loc["total", "Scaled"] == 1000.0 and table.loc["total", "Strategic"] == 0.0
    assert table.loc["total", "total"] == 1000.0


def test_trend_and_verbatims(run):
    m = run.metrics
    t = run.dataset.tables
    trend = lost_mrr_trend(
        m.movements,
        t["churn_events"],
        t["accounts"],
        run.settings.metrics.churn_taxonomy,
        quarters_ending(m.window, 2),
    )
    assert trend[["quarter", "lost_mrr", "full_mrr", "partial_mrr", "lost_logos"]].values.tolist() == [
        ["2026-Q2", 0.0, 0.0, 0.0, 0],
        ["2026-Q3", 1000.0, 800.0, 200.0, 2],
    ]
    assert trend.iloc[1]["competitor"] == 500.0
    words = verbatims(m.lost_mrr, "competitor")
    assert words["reason_detail"].tolist()[0].startswith("Switched to <script>")
