"""Portfolio-wide documents in a batch run: rendered alongside the QBR decks, isolated, resumable.

A 40-account generated dataset; the weekly email and cost-to-retain are the
quickest portfolio-wide documents, and three digital decks run beside them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.batch.job import load_job
from reports.batch.plan import make_plan
from reports.batch.runner import EventLog, RunOptions, execute_plan
from reports.batch.singles import can_fork
from reports.cli import cli
from reports.pipeline import prepare_run

pytestmark = pytest.mark.skipif(not can_fork(), reason="single documents render in forked processes")


def write_job(
    folder: Path,
    batch_data_dir: Path,
    singles: str = "  - kind: weekly-email\n  - kind: cost-to-retain\n",
    ids: str = "[A-00001, A-00002, A-00003]",
) -> Path:
    job = folder / "job.yaml"
    job.write_text(
        f"data: {batch_data_dir}\nout: out\ndocuments:\n{singles}"
        f"  - kind: qbr\n    deck: digital\n    accounts: {{ids: {ids}}}\n"
    )
    return job


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def without_durations(payload: dict) -> list[dict]:
    return [{k: v for k, v in d.items() if k != "duration_s"} for d in payload["documents"]]


@pytest.fixture(scope="module")
def forked(tmp_path_factory: pytest.TempPathFactory, batch_data_dir: Path) -> Path:
    """A CLI run: the two single documents render in a forked process while the decks render."""
    folder = tmp_path_factory.mktemp("forked")
    result = CliRunner().invoke(cli, ["run", str(write_job(folder, batch_data_dir)), "--workers", "2"])
    assert result.exit_code == 0, result.output
    return folder


def test_alongside_gives_the_same_files_and_manifest_as_rendering_them_first(
    forked: Path, tmp_path: Path
) -> None:
    from reports.data.settings import load_settings

    job = load_job(forked / "job.yaml", load_settings())
    run = prepare_run(job.data, quarter=job.period)
    plan = make_plan(job, run, tmp_path / "out")
    options = RunOptions(workers=1, progress=False, singles_forked=False)  # the previous behaviour
    summary = execute_plan(plan, options, log=EventLog(write=lambda line: None))
    assert summary.exit_code == 0
    inline, alongside = manifest(tmp_path / "out"), manifest(forked / "out")
    assert without_durations(inline) == without_durations(alongside)
    assert [d["document"] for d in alongside["documents"][:3]] == ["weekly-email"] * 3
    assert {d["document"] for d in alongside["documents"]} == {
        "weekly-email",
        "cost-to-retain",
        "qbr-pptx",
    }
    assert alongside["run"]["batch"] == inline["run"]["batch"] | {"status": "complete"}
    for entry in alongside["documents"]:
        assert (forked / "out" / entry["path"]).read_bytes() == (
            tmp_path / "out" / entry["path"]
        ).read_bytes()


def test_resume_reuses_single_documents(forked: Path) -> None:
    result = CliRunner().invoke(cli, ["run", str(forked / "job.yaml"), "--workers", "2", "--resume"])
    assert result.exit_code == 0, result.output
    assert manifest(forked / "out")["run"]["batch"] == {
        "status": "complete",
        "planned": 5,
        "rendered": 0,
        "reused": 5,
        "failed": 0,
    }


def test_a_failing_leadership_document_is_isolated(
    tmp_path: Path, batch_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reports.documents.leadership.output as leadership

    original = leadership.write_document

    def planted(document: str, *args: object, **kwargs: object) -> object:
        if document == "cost-to-retain":
            raise RuntimeError("planted")
        return original(document, *args, **kwargs)

    monkeypatch.setattr(leadership, "write_document", planted)  # the forked process inherits it
    result = CliRunner().invoke(cli, ["run", str(write_job(tmp_path, batch_data_dir)), "--workers", "2"])
    assert result.exit_code == 3, result.output
    assert "failed: -: cost-to-retain: RuntimeError: planted" in result.output
    payload = manifest(tmp_path / "out")
    assert payload["run"]["batch"] == {
        "status": "failed",
        "planned": 5,
        "rendered": 4,
        "reused": 0,
        "failed": 1,
    }
    [failed] = [d for d in payload["documents"] if d["status"] == "failed"]
    assert failed["document"] == "cost-to-retain" and failed["inputs_hash"]
    assert "Traceback (most recent call last)" in failed["traceback"]
    assert sorted(d["document"] for d in payload["documents"] if d["status"] == "ok") == [
        *["qbr-pptx"] * 3,
        *["weekly-email"] * 3,
    ]


def test_a_process_that_dies_fails_only_its_documents(
    tmp_path: Path, batch_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reports.batch.singles as singles

    def crash(task: object, *args: object) -> object:
        os._exit(7)  # like a segfault in a renderer

    monkeypatch.setattr(singles, "render_single", crash)
    job = write_job(tmp_path, batch_data_dir, "  - kind: weekly-email\n", "[A-00001, A-00002]")
    result = CliRunner().invoke(cli, ["run", str(job), "--workers", "2"])
    assert result.exit_code == 3, result.output
    payload = manifest(tmp_path / "out")
    assert [(d["document"], d["status"]) for d in payload["documents"]] == [
        ("weekly-email", "failed"),
        ("qbr-pptx", "ok"),
        ("qbr-pptx", "ok"),
    ]
    assert payload["documents"][0]["error"] == "the process rendering it died (exit code 7)"


def test_batch_follow_ups_record_the_figures_the_qbr_command_records(
    tmp_path: Path, batch_data_dir: Path
) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(
        f"data: {batch_data_dir}\nout: out\ndocuments:\n  - kind: qbr\n    deck: high_touch\n"
        "    follow_up: true\n    accounts: {ids: [A-00001, A-00002, A-00003]}\n"
    )
    assert CliRunner().invoke(cli, ["run", str(job), "--workers", "1"]).exit_code == 0
    batch = {
        d["account_id"]: d.get("figures")
        for d in manifest(tmp_path / "out")["documents"]
        if d["document"] == "qbr-follow-up"
    }
    single = tmp_path / "single"
    args = ["--data", str(batch_data_dir), "--out", str(single), "qbr", "--format", "pptx", "--follow-up"]
    for account in batch:
        args += ["--account", account]
    assert CliRunner().invoke(cli, args).exit_code == 0
    alone = {
        d["account_id"]: d.get("figures")
        for d in manifest(single)["documents"]
        if d["document"] == "qbr-follow-up"
    }
    assert len(batch) == 3 and batch == alone
    assert any(batch.values())  # some follow-up prints a goal's target or an upsell figure
