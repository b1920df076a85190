"""Every figure a QBR prints is recorded: a registry id, one value per key, printed as recorded,
equal to the run's metrics, and listed in the manifest of ``csreports qbr`` and of a ``run`` job."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from cs_calc.definitions import metric
from cs_calc.nps import compute_nps, responses_in
from reports.cli import cli
from reports.documents.qbr.config import load_qbr_config
from reports.documents.qbr.context import account_data, build_qbr_context
from reports.documents.qbr.followup import render_followup
from reports.documents.qbr.leave_behind import leave_behind_figures, render_leave_behind
from reports.documents.qbr.render_pptx import render_qbr_pptx
from reports.documents.qbr.run import find_template
from reports.output.figures import conflicting_figures
from tests.reports.batch.test_batch_run import manifest, write_job
from tests.reports.pdf_text import pdf_text
from tests.reports.printed_numbers import appendix_texts, document_text, uncovered_numbers

DECKS = [
    ("A-00140", "customer", "en"),  # Strategic: high-touch deck, goals, plans, themes
    ("A-00249", "internal", "sv"),  # Strategic, many NPS responses, internal in Swedish
    ("A-00001", "customer", "sv"),  # Scaled: digital deck
    ("A-00004", "internal", "en"),  # Upmarket: high-touch, internal
]


@pytest.fixture(scope="module", params=DECKS, ids=["-".join(d) for d in DECKS])
def deck(request, sample_run):
    account_id, audience, locale = request.param
    config = load_qbr_config(sample_run.settings.config_dirs)
    data = account_data(sample_run, account_id)
    return build_qbr_context(data, audience=audience, locale=locale, config=config)


def _pptx_text(blob: bytes) -> str:
    """Every shape's text frame, every table cell and the notes of every slide, whitespace collapsed."""
    parts = []
    for slide in Presentation(io.BytesIO(blob)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return _flat(" ".join(parts))


def _flat(text: str) -> str:
    """Whitespace collapsed to single spaces (no-break spaces too, as text extraction gives them)."""
    return " ".join(text.split())


def test_every_id_is_a_registry_id_and_every_figure_is_the_accounts(deck):
    assert deck.figures and len(deck.figures) == len(deck.figure_places)
    for figure in deck.figures:
        assert metric(figure.id).id == figure.id
        assert figure.account_id == deck.account_id


def test_one_key_one_value_within_a_deck(deck):
    assert conflicting_figures({"deck": [f.as_record() for f in deck.figures]}) == []


def test_tile_and_voice_of_the_customer_nps_are_two_figures(deck, sample_run):
    """The tile's NPS (12 months, or only its response count when too few) and the quarter's NPS."""
    ids = {f.id: f.period for f in deck.figures}
    assert ids["nps_12m_responses"] == "2025-10..2026-09"
    if "nps_12m" in ids:
        assert ids["nps_12m"] == "2025-10..2026-09"
    if "nps" in ids:
        assert ids["nps"] == sample_run.window.label


def test_every_figure_is_printed_in_the_deck(deck, sample_run):
    template = find_template(deck.segment, None)
    text = _pptx_text(render_qbr_pptx(deck, template))
    missing = [f for f in deck.figures if _flat(f.shown) not in text]
    assert not missing, missing[:5]


def test_the_leave_behind_prints_its_figures(deck):
    figures = leave_behind_figures(deck)
    assert figures and set(figures) <= set(deck.figures)
    text = _flat(pdf_text(render_leave_behind(deck)))
    missing = [f for f in figures if _flat(f.shown) not in text]
    assert not missing, missing[:5]


def test_every_number_the_deck_and_leave_behind_print_is_recorded(deck, tmp_path):
    """Every number on the slides, in the notes and in the leave-behind is a recorded figure (or no figure:
    a date, the appendix's definitions, the provenance line); English and Swedish, both audiences."""
    template = find_template(deck.segment, None)
    allowed = [*appendix_texts(), *(str(v) for v in deck.provenance.values())]
    files = {
        "deck.pptx": (render_qbr_pptx(deck, template), deck.figures),
        "leave-behind.pdf": (render_leave_behind(deck), leave_behind_figures(deck)),
    }
    problems = []
    for name, (blob, figures) in files.items():
        path = tmp_path / name
        path.write_bytes(blob)
        problems += [
            f"{name}: {u}"
            for u in uncovered_numbers(document_text(path), [f.shown for f in figures], allowed)
        ]
    assert not problems, "\n".join(problems)


def test_the_follow_up_email_prints_only_its_recorded_figures(deck, tmp_path):
    """The follow-up's steps (their KPI targets) are :attr:`followup_figures`; the draft goes to
    the customer, so only a customer context makes one."""
    if deck.audience != "customer":
        with pytest.raises(ValueError, match="render it from the customer context"):
            render_followup(deck)
        return
    path = tmp_path / "follow-up.eml"
    path.write_bytes(render_followup(deck))
    text = document_text(path)
    assert all(_flat(f.shown) in text for f in deck.followup_figures)
    assert uncovered_numbers(text, [f.shown for f in deck.followup_figures]) == []
    for figure in deck.followup_figures:
        assert figure.id in ("plan_target", "seat_utilisation", "signal_value"), figure


def test_values_equal_the_runs_metrics_and_tables(deck, sample_run):
    account_id = deck.account_id
    by_id = {f.id: f for f in deck.figures}
    retention = sample_run.metrics.per_account_retention.loc[account_id]
    assert by_id["arr_end"].value == 12 * retention["mrr_end"]
    assert by_id["mrr_end"].value == retention["mrr_end"]
    nps = sample_run.dataset.tables["nps"]
    mine = nps[nps["account_id"] == account_id]
    start = "2025-10-01"
    expected = compute_nps(responses_in(mine, start, "2026-10-01"))
    assert by_id["nps_12m_responses"].value == int(expected["responses"].iloc[0])
    if "nps_12m" in by_id:  # the tile prints a score only from nps_min_responses responses
        assert by_id["nps_12m"].value == pytest.approx(float(expected["nps"].iloc[0]))
    tickets = sample_run.dataset.tables["tickets"]
    created = tickets.loc[tickets["account_id"] == account_id, "created_at"]
    in_quarter = int(((created >= "2026-07-01") & (created < "2026-10-01")).sum())
    if "tickets" in by_id:
        assert by_id["tickets"].value == in_quarter
    else:
        assert in_quarter == 0
    health = sample_run.metrics.health.loc[account_id]
    if "seat_utilisation" in by_id:
        assert by_id["seat_utilisation"].value == pytest.approx(health["input_seat_utilisation"])
    if deck.audience == "internal":
        assert by_id["health_score"].value == pytest.approx(health["health_score"])
    else:
        assert "health_score" not in by_id


def _entries_with_figures(out: Path) -> list[dict]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [d for d in data["documents"] if d.get("figures")]


def test_the_qbr_command_records_the_figures(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["--out", str(out), "qbr", "--account", "A-00140", "--format", "pptx,pdf"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    entries = {e["document"]: e for e in _entries_with_figures(out)}
    assert set(entries) == {"qbr-pptx", "qbr-pdf"}
    deck, pdf = entries["qbr-pptx"]["figures"], entries["qbr-pdf"]["figures"]
    assert {r["account_id"] for r in deck} == {"A-00140"}
    assert {(r["id"], r["period"], r["group"]) for r in pdf} <= {
        (r["id"], r["period"], r["group"]) for r in deck
    }
    assert conflicting_figures({"pptx": deck, "pdf": pdf}) == []
    arr = next(r for r in deck if r["id"] == "arr_end")
    assert set(arr) == {"id", "period", "dimension", "group", "account_id", "value", "shown"}


def test_a_run_job_records_the_figures_of_every_deck_and_resume_keeps_them(tmp_path, batch_data_dir):
    job = write_job(tmp_path, batch_data_dir)
    result = CliRunner().invoke(cli, ["run", str(job), "--workers", "1"])
    assert result.exit_code == 0, result.output
    documents = manifest(tmp_path / "out")["documents"]
    decks = [d for d in documents if d["document"] == "qbr-pptx"]
    assert decks and all(d.get("figures") for d in decks)
    for entry in decks:
        assert {r["account_id"] for r in entry["figures"]} == {entry["account_id"]}
        assert all(metric(r["id"]).id == r["id"] for r in entry["figures"])
    assert conflicting_figures({d["path"]: d["figures"] for d in decks}) == []
    again = CliRunner().invoke(cli, ["run", str(job), "--workers", "1", "--resume"])
    assert again.exit_code == 0, again.output
    reused = {d["path"]: d for d in manifest(tmp_path / "out")["documents"] if d["document"] == "qbr-pptx"}
    assert {d["status"] for d in reused.values()} == {"skipped"}
    assert all(reused[d["path"]]["figures"] == d["figures"] for d in decks)
