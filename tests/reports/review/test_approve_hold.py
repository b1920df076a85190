"""``csreports approve`` and ``hold``: decisions recorded per file as it is, shown in manifest.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.review.log import REVIEW_LOG, Review, ReviewLog

AURORA, WILLOW = "A-00140", "A-00249"  # the sample's two Strategic accounts


def _cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _reviews(out: Path) -> dict[str, dict | None]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {e["path"]: e.get("review") for e in manifest["documents"] if e.get("path")}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rendered")
    result = _cli("--out", str(out), "qbr", "--segment", "Strategic", "--format", "pptx,pdf")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def run(rendered, tmp_path) -> Path:
    """A fresh copy of the Strategic run, without decisions."""
    out = tmp_path / "run"
    out.mkdir()
    for path in rendered.iterdir():
        (out / path.name).write_bytes(path.read_bytes())
    return out


def test_approving_a_segment_records_who_and_when_for_each_file(run):
    result = _cli("approve", str(run), "--segment", "strategic", "--by", "Anna Silva")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Approved 4 file(s) of 2 account(s) in {run}."
    reviews = _reviews(run)
    assert len(reviews) == 4 and all(
        r["status"] == "approved" and r["by"] == "Anna Silva" for r in reviews.values()
    )
    assert all(r["at"].endswith("Z") for r in reviews.values())
    lines = (run / REVIEW_LOG).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and {json.loads(line)["path"] for line in lines} == set(reviews)
    again = _cli("approve", str(run), "--all", "--by", "Anna Silva")
    assert "4 file(s) were approved already." in again.output
    assert len((run / REVIEW_LOG).read_text(encoding="utf-8").splitlines()) == 4  # nothing appended


def test_hold_needs_a_reason_and_wins_over_an_earlier_approval(run):
    assert _cli("approve", str(run), "--all", "--by", "Anna").exit_code == 0
    missing = CliRunner().invoke(cli, ["hold", str(run), "--account", AURORA])
    assert missing.exit_code != 0 and "--reason" in missing.output
    result = _cli("hold", str(run), "--account", AURORA, "--reason", "renewal call first", "--by", "Lee")
    assert result.exit_code == 0, result.output
    reviews = _reviews(run)
    aurora = {p: r for p, r in reviews.items() if p.startswith("a-00140")}
    assert len(aurora) == 2
    assert all(
        r == {"status": "held", "by": "Lee", "at": r["at"], "reason": "renewal call first"}
        for r in aurora.values()
    )
    assert all(r["status"] == "approved" for p, r in reviews.items() if p.startswith("a-00249"))


def test_a_file_rendered_again_with_new_content_is_a_draft_again(run):
    assert _cli("approve", str(run), "--all", "--by", "Anna").exit_code == 0
    same = _cli("--out", str(run), "qbr", "--account", WILLOW, "--format", "pptx,pdf")
    assert same.exit_code == 0
    assert all(r and r["status"] == "approved" for r in _reviews(run).values())  # same bytes: still approved
    changed = _cli(
        "--out", str(run), "qbr", "--account", WILLOW, "--quarter", "2026-Q2", "--format", "pptx,pdf"
    )
    assert changed.exit_code == 0
    assert all(r is None for r in _reviews(run).values())  # the manifest now lists the Q2 files: drafts


def test_a_file_edited_after_the_run_is_refused_until_rendered_again(run):
    deck = next(run.glob("a-00140*.pptx"))
    deck.write_bytes(deck.read_bytes() + b"\0")
    result = _cli("approve", str(run), "--account", AURORA)
    assert result.exit_code == 1
    refused = [line for line in result.output.splitlines() if "not approved" in line]
    assert refused == [
        f"{deck}: not approved: changed since the run wrote it; render it again (qbr --update-from keeps edits)"
    ]
    assert _reviews(run)[deck.name] is None


def test_a_sent_file_is_neither_approved_nor_held_again(run):
    entry = next(
        e
        for e in json.loads((run / "manifest.json").read_text())["documents"]
        if e["path"].startswith("a-00249")
    )
    ReviewLog.load(run).append(
        [Review(entry["path"], entry["sha256"], "sent", "csreports deliver", "2026-12-01T09:00:00Z")]
    )
    result = _cli("hold", str(run), "--account", WILLOW, "--reason", "too late")
    assert result.exit_code == 1
    assert f"{run / entry['path']}: not held: already sent" in result.output


def test_choices_that_match_nothing_say_so_in_one_line(run):
    for args, message in [
        (["--account", "A-99999"], "the run has no file of account(s) A-99999"),
        (["--segment", "Enterprise"], "segment 'Enterprise' is not one of the run's: Strategic"),
        (["--csm", "CSM-NOPE"], "no file of the run matches the choice"),
        ([], "choose files with --account, --segment, --csm or --all"),
    ]:
        result = CliRunner().invoke(cli, ["approve", str(run), *args])
        assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output


def test_a_damaged_review_log_is_named_with_its_line(run):
    assert _cli("approve", str(run), "--all").exit_code == 0
    log = run / REVIEW_LOG
    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text("\n".join([lines[0], "{not json", *lines[1:]]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["approve", str(run), "--all"])
    assert result.exit_code != 0 and f"{log}: line 2 is not a review" in result.output
    # a last line cut short by an interruption is skipped, the decisions before it stand
    log.write_text("\n".join([*lines, '{"path": "a-']) + "\n", encoding="utf-8")
    assert (
        ReviewLog.load(run).status_of(json.loads(lines[0])["path"], json.loads(lines[0])["sha256"])
        == "approved"
    )
