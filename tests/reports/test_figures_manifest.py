"""Every figure a leadership document shows: one value per key, the registry's value, printed as recorded."""

from __future__ import annotations

import pytest

from reports.figures import conflicting_figures, figure_records
from reports.leadership.board_report import build_board_report_context, render_board_report
from reports.leadership.churn_report import build_churn_report_context, render_churn_report
from reports.leadership.cost_to_retain import build_cost_to_retain_context, render_cost_to_retain
from tests.reports.pdf_text import pdf_text

BUILDERS = {
    "board": (build_board_report_context, render_board_report),
    "churn": (build_churn_report_context, render_churn_report),
    "cost": (build_cost_to_retain_context, render_cost_to_retain),
}


@pytest.fixture(scope="module", params=["en", "sv"])
def documents(request, sample_run):
    locale = request.param
    return {name: build(sample_run, locale=locale) for name, (build, _render) in BUILDERS.items()}


def test_one_key_one_value_across_documents(documents):
    records = {name: figure_records(context.figures) for name, context in documents.items()}
    assert all(records.values())
    assert conflicting_figures(records) == []


def test_window_figures_equal_portfolio_csv(documents, sample_run):
    portfolio = sample_run.metrics.portfolio
    overall = portfolio[(portfolio["dimension"] == "all") & (portfolio["group"] == "all")]
    values = dict(zip(overall["metric"], overall["value"], strict=True))
    values["arr_end"] = values["mrr_end"] * 12
    checked = 0
    for context in documents.values():
        for figure in context.figures:
            if figure.period == sample_run.window.label and figure.dimension == "all" and figure.id in values:
                assert figure.value == pytest.approx(values[figure.id]), figure
                checked += 1
    assert checked >= 8


def test_quarter_rows_of_the_trend_equal_the_window(documents, sample_run):
    board = documents["board"]
    by_key = {f.key: f.value for f in board.figures}
    for figure_id in ("nrr", "grr", "logo_churn", "arr_end"):
        assert by_key[(figure_id, sample_run.window.label, "all", "all", None)] is not None


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_recorded_figure_is_printed(name, sample_run):
    build, render = BUILDERS[name]
    context = build(sample_run)
    text = " ".join(pdf_text(render(sample_run, context=context)).split())
    missing = [f for f in context.figures if f.shown not in text]
    assert not missing, missing[:5]
