"""Same label, same number: the figures the sample's documents showed under one label with two values.

Each case was a contradiction a reader found between or within documents
for 2026-Q3; the label now names the figure's definition or period, and a
label shared by two documents carries one value.
"""

from __future__ import annotations

import pytest

from reports.documents.email.context import build_weekly_context
from reports.documents.leadership.board_report import build_board_report_context
from reports.documents.leadership.churn_report import build_churn_report_context
from reports.documents.leadership.cost_to_retain import build_cost_to_retain_context


@pytest.fixture(scope="module")
def documents(sample_run):
    return {
        "board": build_board_report_context(sample_run),
        "churn": build_churn_report_context(sample_run),
        "cost": build_cost_to_retain_context(sample_run),
    }


def test_every_kpi_label_has_one_value_across_the_leadership_documents(documents):
    seen: dict[str, tuple[str, float]] = {}
    for name, context in documents.items():
        for kpi in context.kpis:
            if kpi.label in seen:
                other, value = seen[kpi.label]
                assert kpi.value == pytest.approx(value), (kpi.label, name, other)
            seen[kpi.label] = (name, kpi.value)


def test_retention_kpis_name_their_quarter(documents):
    for name in ("board", "cost"):
        labels = {k.metric: k.label for k in documents[name].kpis}
        assert labels["nrr"] == "NRR, Q3 2026", name
        assert labels["grr"] == "GRR, Q3 2026", name


def test_two_logo_counts_carry_two_labels(documents, sample_run):
    board, churn = documents["board"], documents["churn"]
    net_label = board.T["logos_lost"]
    cancelled_label = board.T["lost_logos"]
    assert net_label != cancelled_label
    assert churn.T["lost_logos"] == cancelled_label
    # accounts paying at start and not at end, 2026-Q3
    quarter = board.trend[-1]
    per_account = sample_run.metrics.per_account_retention
    net = int((per_account["is_start"] & ~per_account["is_end"]).sum())
    assert quarter["logos_lost"] == net
    # accounts with a full churn in the quarter: the churn report's total, and the
    # board's reasons table counts the same accounts
    movements = sample_run.metrics.movements
    window = sample_run.window
    in_window = movements[(movements["month"] >= window.start) & (movements["month"] <= window.end)]
    cancelled = in_window.loc[in_window["movement"] == "churn", "account_id"].nunique()
    assert churn.total_lost_logos == cancelled
    assert net != cancelled  # the sample has both kinds, which is why one label could not serve


def test_bridge_movements_and_net_components_are_labelled_apart(documents):
    board, cost = documents["board"], documents["cost"]
    assert {board.T["churn"], board.T["contraction"]}.isdisjoint({cost.T["churn"], cost.T["contraction"]})


def test_weekly_email_names_the_period_of_its_nrr_and_the_date_of_its_health(sample_run):
    from cs_calc.weekly import last_week_with_data
    from reports.documents.email.render import render_email

    week = last_week_with_data(sample_run.dataset.tables)
    context = build_weekly_context(sample_run, week)
    assert "trailing 12 months" in context.subject
    rendered = render_email(context)
    assert f"Health on {context.health_date}" in rendered.html
    assert f"health on {context.health_date}" in rendered.text
    assert context.health_date.endswith("2026")


def test_another_windows_metrics_are_computed_once_per_run(sample_run, monkeypatch):
    import reports.pipeline as pipeline
    from cs_calc.weekly import last_week_with_data

    calls = []
    real = pipeline.compute_portfolio_metrics
    monkeypatch.setattr(pipeline, "compute_portfolio_metrics", lambda *a: calls.append(a) or real(*a))
    run = pipeline.RunContext(sample_run.dataset, sample_run.settings, sample_run.metrics)
    week = last_week_with_data(run.dataset.tables)
    first = build_weekly_context(run, week)
    second = build_weekly_context(run, week)
    assert len(calls) == 1
    assert calls[0][1] == week.trailing_12_months
    assert first.kpis.at_risk_count == second.kpis.at_risk_count
    assert run.metrics_for(run.window) is run.metrics
