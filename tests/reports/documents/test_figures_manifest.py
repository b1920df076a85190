"""Every figure a leadership document shows: one value per key, the registry's value, printed as recorded."""

from __future__ import annotations

import pytest

from cs_calc.definitions import metric
from reports.documents.leadership.board_report import build_board_report_context, render_board_report
from reports.documents.leadership.churn_report import build_churn_report_context, render_churn_report
from reports.documents.leadership.cost_to_retain import build_cost_to_retain_context, render_cost_to_retain
from reports.output.figures import conflicting_figures, figure_records
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


def _pptx_text(path) -> str:
    from pptx import Presentation

    deck = Presentation(str(path))
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return " ".join(" ".join(parts).split())


@pytest.fixture(scope="module")
def leadership_out(tmp_path_factory):
    from click.testing import CliRunner

    from reports.cli import cli

    out = tmp_path_factory.mktemp("leadership")
    for command in ("board-report", "churn-report", "cost-to-retain"):
        result = CliRunner().invoke(cli, ["--out", str(out / command), command])
        assert result.exit_code == 0, result.output
    return out


def test_manifests_record_the_figures_each_file_prints(leadership_out):
    import json

    documents = {}
    for manifest_path in sorted(leadership_out.glob("*/manifest.json")):
        for entry in json.loads(manifest_path.read_text())["documents"]:
            path = manifest_path.parent / entry["path"]
            if path.suffix == ".csv":
                assert "figures" not in entry
                continue
            figures = entry["figures"]
            assert figures, entry["path"]
            if path.suffix == ".pdf":
                text = " ".join(pdf_text(path.read_bytes()).split())
            else:
                text = _pptx_text(path)
            missing = [f["shown"] for f in figures if f["shown"] not in text]
            assert not missing, (entry["path"], missing[:5])
            for figure in figures:
                assert metric(figure["id"]).id == figure["id"], figure  # a canonical registry id
            documents[str(path.relative_to(leadership_out))] = figures
    assert len(documents) == 4  # board PDF and PPTX, churn PDF, cost-to-retain PDF
    assert conflicting_figures(documents) == []
