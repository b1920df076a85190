"""board-report (PDF + PPTX) on the fixture (tests/fixtures/leadership/).

Q3 2026: MRR 5600 -> 4900 (ARR $58,800); bridge +100 new, +200 expansion, −200
contraction, −800 churn; NRR 85.7%, GRR 82.1%, logo churn 40.0% (2 of 5).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pypdf import PdfReader

from reports.cli import cli
from reports.documents.leadership.board_deck import render_board_deck
from reports.documents.leadership.board_report import build_board_report_context
from reports.pipeline import prepare_run
from tests.reports.pdf_text import pdf_text

FIXTURE = Path(__file__).parents[2] / "fixtures" / "leadership"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("board")
    result = CliRunner().invoke(
        cli, ["--data", str(FIXTURE), "--out", str(out), "board-report", "--quarter", "2026-Q3"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_pdf_figures_and_structure(out):
    path = out / "board-report-2026-q3.pdf"
    text = pdf_text(path.read_bytes())
    for figure in ("$58,800", "$5,600", "$4,900", "85.7%", "82.1%", "40.0%", "$1,000", "19.6%"):
        assert figure in text, figure
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    titles = [i.title for i in PdfReader(path).outline if not isinstance(i, list)]
    for title in ("ARR, NRR and GRR", "MRR bridge", "Top churn reasons", "Definitions"):
        assert title in titles


def test_deck_has_native_charts_and_notes(out):
    prs = Presentation(out / "board-report-2026-q3.pptx")
    slides = list(prs.slides)
    assert len(slides) >= 10
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in slides)
    charts = [sh for s in slides for sh in s.shapes if sh.has_chart]
    assert len(charts) >= 5
    combo = charts[0].chart._chartSpace.xml
    assert "<c:barChart>" in combo and "<c:lineChart>" in combo


def test_deck_is_deterministic_and_escapes():
    run = prepare_run(FIXTURE, quarter="2026-Q3")
    context = build_board_report_context(run)
    first = render_board_deck(run, context=context)
    assert render_board_deck(run, context=context) == first


@pytest.mark.slow
@pytest.mark.libreoffice
def test_deck_opens_in_libreoffice(out, tmp_path):
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out / "board-report-2026-q3.pptx"),
        ],
        capture_output=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "board-report-2026-q3.pdf"
    assert len(PdfReader(pdf).pages) >= 10
    assert "$58,800" in pdf_text(pdf.read_bytes())
