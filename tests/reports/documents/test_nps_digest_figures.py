"""Every number the NPS digest prints: a registry id, one value per key, as printed, in the manifest.

Also the digest's money is its own quarter's: a run whose window is not the
digest's quarter still values detractors at the quarter's last month
(worked out by hand in tests/fixtures/nps_digest/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cs_calc.definitions import METRICS
from cs_calc.periods import parse_quarter
from reports.cli import cli
from reports.documents.leadership.board_report import build_board_report_context
from reports.documents.nps_digest.context import build_nps_digest_context
from reports.documents.nps_digest.render import render_nps_digest
from reports.output.figures import conflicting_figures, figure_records
from reports.pipeline import prepare_run
from tests.reports.pdf_text import pdf_text

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "nps_digest"


def flat(text: str) -> str:
    """Whitespace (line breaks, no-break spaces) collapsed to one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module", params=["en", "sv"])
def digest(request, sample_run):
    return build_nps_digest_context(sample_run, quarter_window=sample_run.window, locale=request.param)


def test_every_figure_id_is_a_canonical_registry_id(digest):
    ids = {f.id for f in digest.figures}
    assert ids - set(METRICS) == set()
    for figure_id in ids:
        assert "nps_digest" in METRICS[figure_id].documents, figure_id


def test_the_digest_records_every_kind_of_number_it_prints(digest):
    ids = {f.id for f in digest.figures}
    expected = {
        "nps",
        "nps_change",
        "nps_responses",
        "nps_comments",
        "promoter_share",
        "passive_share",
        "detractor_share",
        "response_rate",
        "detractor_mrr",
        "detractor_accounts",
        "nps_mix_effect",
        "nps_score_effect",
        "nps_change_contribution",
        "theme_mentions",
        "theme_share",
        "theme_share_change",
        "theme_detractor_share",
        "mrr_at_risk",
        "sentiment",
        "sentiment_mismatches",
        "feature_requests",
        "feature_request_weight",
    }
    assert expected <= ids, sorted(expected - ids)


def test_emerging_topics_are_recorded_under_their_printed_names(sample_run):
    # The sample's Q3 has no new or growing topic (they were as common in Q2); Q2 has.
    spring = build_nps_digest_context(sample_run, quarter_window=parse_quarter("2026-Q2"), locale="en")
    assert spring.emerging
    recorded = {f.group for f in spring.figures if f.id == "emerging_topic_share"}
    assert recorded == {t["label"] for t in spring.emerging}
    comments = {f.group: f.value for f in spring.figures if f.id == "emerging_topic_comments"}
    assert comments == {t["label"]: t["comments"] for t in spring.emerging}


def test_one_key_one_value_within_the_digest(digest):
    assert conflicting_figures({"digest": [f.as_record() for f in digest.figures]}) == []


def test_one_key_one_value_against_the_board_report(digest, sample_run):
    board = build_board_report_context(sample_run, locale=digest.locale)
    records = {"digest": figure_records(digest.figures), "board": figure_records(board.figures)}
    assert conflicting_figures(records) == []
    key = ("nps", "2026-Q3", "all", "all", None)
    ours = {f.key: f.value for f in digest.figures}
    theirs = {f.key: f.value for f in board.figures}
    assert ours[key] == pytest.approx(theirs[key])
    assert ours[key] == pytest.approx(float(sample_run.metrics.nps_by_quarter.loc["2026-Q3", "nps"]))


def test_a_segment_digest_never_collides_with_the_whole_portfolio(sample_run, digest):
    scaled = build_nps_digest_context(
        sample_run, quarter_window=sample_run.window, segment="Scaled", locale=digest.locale
    )
    records = {"all": figure_records(digest.figures), "Scaled": figure_records(scaled.figures)}
    assert conflicting_figures(records) == []
    assert all(f.dimension.startswith("segment") for f in scaled.figures)
    nps = {f.key: f.value for f in scaled.figures}[("nps", "2026-Q3", "segment", "Scaled", None)]
    assert nps == pytest.approx(
        {f.key: f.value for f in digest.figures}[("nps", "2026-Q3", "segment", "Scaled", None)]
    )


def test_every_shown_text_is_in_the_pdf(digest, sample_run):
    text = flat(pdf_text(render_nps_digest(sample_run, context=digest)))
    missing = [f for f in digest.figures if flat(f.shown) not in text]
    assert not missing, missing[:5]


def test_nps_digest_writes_its_figures_into_the_manifest(tmp_path):
    result = CliRunner().invoke(
        cli, ["--data", str(FIXTURE), "--out", str(tmp_path), "nps-digest", "--quarter", "2026-Q3"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    [entry] = [e for e in manifest["documents"] if e["document"] == "nps-digest"]
    by_key: dict = {}
    shown: dict = {}
    for f in entry["figures"]:  # a figure printed two ways is listed once per way; the first is the tile's
        key = (f["id"], f["period"], f["dimension"], f["group"])
        by_key.setdefault(key, f)
        shown.setdefault(key, []).append(f["shown"])
    # The fixture's hand-worked numbers (tests/fixtures/nps_digest/README.md).
    assert {k: v for k, v in by_key[("nps", "2026-Q3", "all", "all")].items() if k != "id"} == {
        "period": "2026-Q3",
        "dimension": "all",
        "group": "all",
        "value": 12.5,
        "shown": "12.5",
    }
    assert by_key[("nps", "2026-Q2", "all", "all")]["value"] == 0
    assert shown[("nps_change", "2026-Q3", "all", "all")] == ["+12.5", "12.5"]  # tile; "up 12.5 points"
    assert by_key[("response_rate", "2026-Q3", "all", "all")]["shown"] == "83.3%"
    assert by_key[("detractor_mrr", "2026-Q3", "all", "all")]["value"] == 3350
    assert by_key[("mrr_at_risk", "2026-Q3", "theme", "support")]["shown"] == "$3,350"
    assert by_key[("theme_share", "2026-Q3", "theme", "pricing")]["shown"] == "28.6%"
    assert by_key[("nps_mix_effect", "2026-Q3", "segment", "all")]["shown"] == "+25.0"
    assert by_key[("nps_score_effect", "2026-Q3", "segment", "Upmarket")]["shown"] == "-50.0"


def test_the_csv_lists_no_figures(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "--data",
            str(FIXTURE),
            "--out",
            str(tmp_path),
            "nps-digest",
            "--quarter",
            "2026-Q3",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [e.get("figures") for e in manifest["documents"]] == [None]


def test_detractor_mrr_is_the_digest_quarters_not_the_runs_window():
    """Run window Q2, digest Q3: detractors A1 and A5 are valued at September (A1 150 + A5 3,200 =
    3,350), not at June, the run's window end (100 + 3,000 = 3,100). Support is named by A1 and A5
    (3,350), pricing by A5 alone (3,200; June would give 3,000)."""
    run = prepare_run(FIXTURE, quarter="2026-Q2")
    q3 = parse_quarter("2026-Q3")
    context = build_nps_digest_context(run, quarter_window=q3)
    assert context.detractor_accounts == 2
    assert context.detractor_mrr == pytest.approx(3350.0)
    at_risk = {r["theme"]: r["mrr_at_risk"] for r in context.themes}
    assert at_risk["support"] == pytest.approx(3350.0)
    assert at_risk["pricing"] == pytest.approx(3200.0)
    values = {f.key: f.value for f in context.figures}
    assert values[("detractor_mrr", "2026-Q3", "all", "all", None)] == pytest.approx(3350.0)


def test_detractor_mrr_of_an_earlier_quarter_is_that_quarters():
    """Run window Q3, digest Q2: the one detractor (R7, A1) is valued at June, 100 (not September's 150)."""
    run = prepare_run(FIXTURE, quarter="2026-Q3")
    context = build_nps_digest_context(run, quarter_window=parse_quarter("2026-Q2"))
    assert (context.detractor_accounts, context.detractor_mrr) == (1, pytest.approx(100.0))


def test_the_digest_is_computed_once_per_run_and_quarter(sample_run):
    first = sample_run.nps_digest(sample_run.window)
    assert sample_run.nps_digest(sample_run.window) is first
    assert sample_run.nps_digest(sample_run.window, "Scaled") is not first
    tags = sample_run.comment_tags
    assert tags.index.equals(sample_run.dataset.tables["nps"].index)
    assert sample_run.comment_tags is tags
