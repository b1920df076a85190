"""churn-report on the hand-checked fixture (tests/fixtures/leadership/, worked out in
tests/cs_calc/test_churn_analysis.py): lost MRR $1,000 = competitor $500 (50.0%) +
unclassified $300 (30.0%) + price/budget $200 (20.0%); 2 lost logos; avoidable 70.0%.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from reports.cli import cli
from reports.documents.leadership.churn_report import (
    ChurnReportContext,
    build_churn_report_context,
    render_churn_report,
)
from reports.pipeline import prepare_run
from tests.reports.pdf_text import pdf_text

FIXTURE = Path(__file__).parents[2] / "fixtures" / "leadership"


@pytest.fixture(scope="module")
def run():
    return prepare_run(FIXTURE, quarter="2026-Q3")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("churn")
    result = CliRunner().invoke(
        cli, ["--data", str(FIXTURE), "--out", str(out), "churn-report", "--quarter", "2026-Q3"]
    )
    assert result.exit_code == 0, result.output
    return (out / "churn-report-2026-q3.pdf").read_bytes()


def test_figures_match_hand_computed_fixture(pdf):
    text = pdf_text(pdf)
    for figure in ("$1,000", "$500", "$300", "$200", "50.0%", "30.0%", "20.0%", "70.0%", "$12,000"):
        assert figure in text, figure
    assert "Moved to a competitor" in text and "Unclassified" in text and "Rival" in text
    assert "Too expensive for a team of four." in text


def test_data_text_is_literal(pdf):
    text = pdf_text(pdf)
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text
    assert "../../etc/passwd" in text


def test_pdf_is_valid_with_toc_and_pages(pdf, tmp_path):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3  # sections flow on; none starts a near-empty page
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for title in ("Lost MRR by reason", "Trend", "Verbatims", "Accounts behind the numbers", "Definitions"):
        assert title in titles
    assert reader.metadata.title == "Churn-reason report — Q3 2026"
    if shutil.which("qpdf"):
        path = tmp_path / "churn.pdf"
        path.write_bytes(pdf)
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


def test_same_inputs_same_bytes(run, pdf):
    assert render_churn_report(run) == pdf


def test_swedish_and_letter(run):
    data = render_churn_report(run, locale="sv", page_size="Letter")
    text = pdf_text(data)
    assert "1\u00a0000\u00a0US$" in text or "1 000 US$" in text
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert round(float(box.width)) == 612


def test_every_context_field_is_documented(run):
    context = build_churn_report_context(run)
    assert isinstance(context, ChurnReportContext)
    assert all(f.metadata.get("help") for f in dataclasses.fields(ChurnReportContext))
    assert sum(r["lost_mrr"] for r in context.reasons) == context.total_lost_mrr == 1000.0


def test_period_by_start_end(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "--data",
            str(FIXTURE),
            "--out",
            str(tmp_path),
            "churn-report",
            "--start",
            "2026-08",
            "--end",
            "2026-09",
        ],
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(next(tmp_path.glob("churn-report-*.pdf")).read_bytes())
    assert "$700" in text  # A2 500 (Aug) + A3 200 (Sep); A6 churned in July


def test_bad_quarter_is_a_usage_error():
    result = CliRunner().invoke(cli, ["--data", str(FIXTURE), "churn-report", "--quarter", "2026-Q9"])
    assert result.exit_code != 0


def test_appendix_lists_the_largest_per_reason_and_points_to_the_csv(monkeypatch):
    import reports.documents.leadership.churn_report as churn

    run = prepare_run(None)  # the bundled sample: 22 movements, 9 of them price / budget
    monkeypatch.setattr(churn, "APPENDIX_ROWS_PER_REASON", 3)
    context = build_churn_report_context(run)
    lost = run.metrics.lost_mrr
    assert context.movements == len(lost) == sum(g.movements for g in context.appendix)
    for group in context.appendix:
        amounts = [r["lost_mrr"] for r in group.rows]
        assert len(amounts) == min(3, group.movements) and amounts == sorted(amounts, reverse=True)
        assert group.more == group.movements - len(amounts)
        assert sum(amounts) + group.more_mrr == pytest.approx(group.lost_mrr)
    assert sum(g.lost_mrr for g in context.appendix) == pytest.approx(context.total_lost_mrr)
    price = next(g for g in context.appendix if g.reason_label.startswith("Price"))
    text = " ".join(pdf_text(render_churn_report(run, context=context)).split())
    assert f"… and {price.more} more" in text
    assert "churn-report-2026-q3-accounts.csv" in text
    assert f"All {context.movements} movements of the period are in" in text


def test_csv_beside_the_pdf_has_every_movement_and_is_escaped(run, tmp_path, monkeypatch):
    import csv

    import reports.documents.leadership.churn_report as churn

    table = churn.churn_accounts_table(run)
    table.loc[0, "name"] = '=HYPERLINK("http://x")'
    monkeypatch.setattr(churn, "churn_accounts_table", lambda _run: table)
    result = CliRunner().invoke(
        cli, ["--data", str(FIXTURE), "--out", str(tmp_path), "churn-report", "--quarter", "2026-Q3"]
    )
    assert result.exit_code == 0, result.output
    assert "churn-report-2026-q3-accounts.csv" in result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "churn-report-2026-q3-accounts.csv").read_text())))
    assert len(rows) == len(run.metrics.lost_mrr) == 3
    assert [float(r["lost_mrr"]) for r in rows] == [500.0, 300.0, 200.0]
    assert rows[0]["name"] == '\'=HYPERLINK("http://x")'
    assert (
        rows[0]["reason_detail"].startswith("Switched to <script>")
        and "{{ 7*7 }}" in rows[0]["reason_detail"]
    )
    assert {r["churn_type"] for r in rows} == {"full", "partial"}


def test_swedish_report_names_the_reasons_in_swedish(sample_run):
    text = " ".join(pdf_text(render_churn_report(sample_run, locale="sv")).split())
    assert "Svag användning / introduktion" in text and "Pris / budget (låg avkastning)" in text
    assert "Poor adoption" not in text and "Price / budget" not in text
    english = " ".join(pdf_text(render_churn_report(sample_run)).split())
    assert "Poor adoption / onboarding" in english and "Svag användning" not in english


def test_a_reason_named_in_english_only_keeps_its_english_name():
    from cs_calc.churn import churn_taxonomy_from_mapping

    taxonomy = churn_taxonomy_from_mapping(
        {"reasons": {"price": {"label": {"en": "Price", "sv": "Pris"}}, "bug": {"label": "Bugs"}, "x": {}}}
    )
    assert taxonomy.labels_in("sv") == {
        "Price": "Pris",
        "Bugs": "Bugs",
        "x": "x",
        "Unclassified": "Oklassificerad",
    }
    assert taxonomy.labels_in("en")["Price"] == "Price"
