"""cost-to-retain on the fixture (tests/fixtures/leadership/; see tests/cs_calc/test_leadership.py).

Q3 2026: recurring revenue 5300 + 5100 + 4900 = $15,300; CS cost $3,000 -> 19.6%
(Q2: 2800 / 16800 = 16.7%, so +2.9 pp); retention cost 3000 + 10% × 2000 = $3,200;
revenue retained 15300 − A5's 200 = $15,100 -> allocated 21.2%; ROI 15100 / 3200 = 4.7×;
cost per retained ARR dollar 3200 / (4800 × 12) = $0.06. NRR 85.7%, GRR 82.1%;
components renewed $4,600, expansion $200, contraction $200, churn $800.
"""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from reports.cli import cli
from tests.reports.pdf_text import pdf_text

FIXTURE = Path(__file__).parents[2] / "fixtures" / "leadership"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ctr")
    result = CliRunner().invoke(
        cli, ["--data", str(FIXTURE), "--out", str(out), "cost-to-retain", "--quarter", "2026-Q3"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_figures(out):
    text = pdf_text((out / "cost-to-retain-2026-q3.pdf").read_bytes())
    for figure in (
        "$15,300",
        "$3,000",
        "19.6%",
        "+2.9 pp",
        "$3,200",
        "$15,100",
        "21.2%",
        "4.7×",
        "$0.06",
        "85.7%",
        "82.1%",
        "$4,600",
        "$800",
        "16.7%",
    ):
        assert figure in text, figure


def test_pdf_valid_and_structured(out):
    path = out / "cost-to-retain-2026-q3.pdf"
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    reader = PdfReader(path)
    titles = [i.title for i in reader.outline if not isinstance(i, list)]
    for title in ("NRR components", "CSM coverage and book cost", "Quarter over quarter", "Definitions"):
        assert title in titles


def test_csv_behind_every_figure_is_escaped(out):
    folder = out / "cost-to-retain-2026-q3"
    names = {p.stem for p in folder.glob("*.csv")}
    assert {
        "summary",
        "cost_by_function",
        "nrr_components_by_segment",
        "nrr_components_by_csm",
        "coverage",
        "csm_book_costs",
        "tenure_retention",
        "quarterly_trend",
    } <= names
    rows = list(csv.DictReader(io.StringIO((folder / "nrr_components_by_csm.csv").read_text())))
    assert {r["csm_name"] for r in rows} == {"Carl Berg", "'=Eve Ek"}
    trend = list(csv.DictReader(io.StringIO((folder / "quarterly_trend.csv").read_text())))
    assert [r["quarter"] for r in trend] == ["2026-Q2", "2026-Q3"]
    assert float(trend[-1]["simple_cost_to_retain"]) == pytest.approx(3000 / 15300)


def test_manifest_and_determinism(out, tmp_path):
    assert (out / "manifest.json").is_file()
    result = CliRunner().invoke(
        cli, ["--data", str(FIXTURE), "--out", str(tmp_path), "cost-to-retain", "--quarter", "2026-Q3"]
    )
    assert result.exit_code == 0, result.output
    for path in out.rglob("*.*"):
        if path.name != "manifest.json":
            assert (tmp_path / path.relative_to(out)).read_bytes() == path.read_bytes(), path.name


def test_trend_the_documents_read_equals_computing_every_quarter():
    """The run's stored trend (own quarter from the window's figures) equals computing each quarter."""
    import pandas as pd

    from cs_calc.leadership import quarterly_trend
    from cs_calc.periods import quarters_ending
    from reports.pipeline import prepare_run

    run = prepare_run(FIXTURE, quarter="2026-Q3")
    stored = run.metrics.quarterly_trend
    quarters = [q for q in quarters_ending(run.window, len(stored)) if q.label in set(stored["quarter"])]
    computed = quarterly_trend(run.metrics.matrix, run.dataset.tables["costs"], quarters)
    pd.testing.assert_frame_equal(stored.reset_index(drop=True), computed, check_exact=True)
    bimonthly = prepare_run(FIXTURE, start="2026-08", end="2026-09")  # not a quarter: all computed
    stored = bimonthly.metrics.quarterly_trend
    quarters = quarters_ending(bimonthly.window, len(stored))
    computed = quarterly_trend(bimonthly.metrics.matrix, bimonthly.dataset.tables["costs"], quarters)
    pd.testing.assert_frame_equal(stored.reset_index(drop=True), computed, check_exact=True)
    # the last quarter is not the window, so there is no change "on the previous quarter" to show
    assert bimonthly.leadership.trend_change["nrr"] != bimonthly.leadership.trend_change["nrr"]  # NaN
