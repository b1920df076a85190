"""Job files: every problem reported at once, one line each, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.batch.job import JobError, check_output_pattern, load_job, parse_job
from reports.batch.plan import output_path
from reports.cli import cli
from reports.data.settings import load_settings

CONFIGS = Path(__file__).resolve().parents[3] / "configs" / "jobs"


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def test_bundled_example_jobs_parse(settings) -> None:
    for name in ("quarterly-qbrs.yaml", "quarterly-leadership-pack.yaml", "weekly.yaml"):
        job = load_job(CONFIGS / name, settings)
        assert job.documents
        assert job.out is not None and job.out.is_absolute()
        assert job.data is None  # the bundled sample
    qbrs = load_job(CONFIGS / "quarterly-qbrs.yaml", settings)
    [qbr] = qbrs.documents
    assert (qbr.kind, qbr.deck, qbr.formats, qbr.accounts.segments) == (
        "qbr",
        "digital",
        ("pptx",),
        ("Scaled", "Starter"),
    )
    assert qbrs.period == "2026-Q3"


def test_every_problem_is_listed_naming_file_and_key(settings) -> None:
    raw = {
        "period": "2026-Q5",
        "colour": "blue",
        "documents": [
            {"kind": "qbrs"},
            {"kind": "qbr", "formats": "pptx,docx", "accounts": {"segment": "Enterprise", "region": "Mars"}},
            {"kind": "qbr", "output": "../escape/{slug}.pptx"},
            {"kind": "churn-report", "locale": "fi", "audiance": "x"},
            {"kind": "weekly-email", "week": "2026-47"},
        ],
    }
    with pytest.raises(JobError) as caught:
        parse_job(raw, Path("jobs/x.yaml"), settings)
    assert str(caught.value).splitlines() == [
        "10 problems in job file jobs/x.yaml; nothing was run:",
        "jobs/x.yaml: colour: unknown key (allowed: data, out, period, documents)",
        "jobs/x.yaml: period: '2026-Q5' is not a quarter; use YYYY-Qn, e.g. 2026-Q3",
        "jobs/x.yaml: documents[0].kind: unknown document kind 'qbrs' (did you mean 'qbr'?) "
        "(allowed: qbr, churn-report, cost-to-retain, nps-digest, board-report, weekly-email)",
        "jobs/x.yaml: documents[1].formats: 'pptx,docx': give a list of pptx, pdf",
        "jobs/x.yaml: documents[1].accounts.segment: unknown segment 'Enterprise' "
        "(known: Starter, Scaled, Upmarket, Strategic)",
        "jobs/x.yaml: documents[1].accounts.region: unknown region 'Mars' (known: NAM, LATAM, EMEA, JAPAC)",
        "jobs/x.yaml: documents[2].output: '../escape/{slug}.pptx' must stay inside 'out' "
        "(no '..' and not absolute)",
        "jobs/x.yaml: documents[3].audiance: unknown key (allowed: kind, locale, page_size, folder)",
        "jobs/x.yaml: documents[3].locale: locale 'fi' is not one of en, de, sv",
        "jobs/x.yaml: documents[4].week: '2026-47' is not an ISO week; use YYYY-Www, e.g. 2026-W47",
    ]


def test_did_you_mean_for_segment_case_and_typo(settings) -> None:
    with pytest.raises(JobError, match=r"unknown segment 'Scaeld' \(did you mean 'Scaled'\?\)"):
        parse_job(
            {"documents": [{"kind": "qbr", "accounts": {"segment": "Scaeld"}}]}, Path("j.yaml"), settings
        )
    job = parse_job(
        {"documents": [{"kind": "qbr", "accounts": {"segment": "scaled"}}]}, Path("j.yaml"), settings
    )
    assert job.documents[0].accounts.segments == ("Scaled",)


def test_missing_documents(settings) -> None:
    with pytest.raises(JobError) as caught:
        parse_job({}, Path("j.yaml"), settings)
    assert str(caught.value).splitlines()[1] == (
        "j.yaml: documents: missing or empty: list at least one of "
        "qbr, churn-report, cost-to-retain, nps-digest, board-report, weekly-email"
    )


def test_output_patterns() -> None:
    assert check_output_pattern("qbr/{segment}/{slug}.pptx") is None
    assert check_output_pattern("/tmp/{slug}.pptx") == "must stay inside 'out' (no '..' and not absolute)"
    assert check_output_pattern("qbr/{segmnt}/{slug}").startswith(
        "unknown placeholder {segmnt} (did you mean"
    )
    assert check_output_pattern("qbr/{segment}.pptx") == (
        "must contain {slug} or {account_id} so every account gets its own file"
    )
    values = {"segment": "scaled", "slug": "a-1-acme", "account_id": "a-1"}
    assert output_path("qbr/{segment}/{slug}.pptx", "qbr-pptx", values) == "qbr/scaled/a-1-acme.pptx"
    assert output_path("qbr/{segment}/{slug}", "qbr-pdf", values) == "qbr/scaled/a-1-acme.pdf"
    assert output_path("{account_id}.{ext}", "qbr-follow-up", values) == "a-1-follow-up.eml"


def test_cli_job_errors_exit_1_and_write_nothing(tmp_path: Path) -> None:
    job = tmp_path / "bad.yaml"
    job.write_text("out: result\ndocuments:\n  - kind: qbr\n    accounts: {segment: Gold}\n  - kind: nps\n")
    result = CliRunner().invoke(cli, ["run", str(job)])
    assert result.exit_code == 1, result.output
    assert f"{job}: documents[0].accounts.segment: unknown segment 'Gold'" in result.output
    assert f"{job}: documents[1].kind: unknown document kind 'nps'" in result.output
    assert not (tmp_path / "result").exists()


def test_cli_unknown_account_id_is_reported_before_any_output(tmp_path: Path) -> None:
    job = tmp_path / "ids.yaml"
    job.write_text("out: result\ndocuments:\n  - kind: qbr\n    accounts: {ids: [NOPE-1]}\n")
    result = CliRunner().invoke(cli, ["run", str(job)])
    assert result.exit_code == 1, result.output
    assert f"Error: {job}: documents[0].accounts.ids: unknown account id(s): NOPE-1" in result.output
    assert not (tmp_path / "result").exists()


def test_cli_scheduler_goes_with_dask(tmp_path: Path) -> None:
    job = tmp_path / "j.yaml"
    job.write_text("documents: [churn-report]\n")
    result = CliRunner().invoke(cli, ["run", str(job), "--executor", "dask"])
    assert result.exit_code == 1
    assert "--executor dask needs --scheduler tcp://HOST:PORT" in result.output


def test_yes_no_settings_and_folders_have_their_types(settings) -> None:
    job = {
        "data": 5,
        "out": ["a", "b"],
        "documents": [{"kind": "qbr", "follow_up": "false", "accounts": {"ids": ["A-00001"]}}],
    }
    with pytest.raises(JobError) as info:
        parse_job(job, Path("job.yaml"), settings)
    lines = str(info.value).splitlines()[1:]
    assert lines == [
        "job.yaml: data: must be a folder or database URL as text (got 5)",
        "job.yaml: out: must be a folder as text (got ['a', 'b'])",
        "job.yaml: documents[0].follow_up: must be true or false without quotes (got the text 'false')",
    ]
    parsed = parse_job(
        {"documents": [{"kind": "qbr", "follow_up": False, "accounts": {"ids": ["A-00001"]}}]},
        Path("job.yaml"),
        settings,
    )
    assert parsed.documents[0].follow_up is False
