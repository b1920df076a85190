"""``csreports run``: failure isolation, kill -9 then --resume, determinism across executors.

A 40-account generated dataset (monthly usage) and digital decks keep it fast.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.batch.job import parse_job
from reports.batch.journal import read_done
from reports.batch.plan import make_plan
from reports.batch.runner import EventLog, RunOptions, execute_plan
from reports.cli import cli
from reports.documents.qbr.context import AccountIndex
from reports.pipeline import prepare_run

ACCOUNTS = 40  # in batch_data_dir (tests/conftest.py)


@pytest.fixture(scope="module")
def customers(batch_data_dir: Path) -> int:
    """How many of the dataset's accounts pay at the end of the period: the ones a job selecting by
    filters renders (the others churned)."""
    from reports.pipeline import prepare_run

    metrics = prepare_run(batch_data_dir).metrics.accounts
    assert len(metrics) == ACCOUNTS
    return int((metrics["mrr_end"] > 0).sum())


def write_job(folder: Path, batch_data_dir: Path, extra: str = "") -> Path:
    job = folder / "job.yaml"
    job.write_text(
        f"data: {batch_data_dir}\nout: out\ndocuments:\n  - kind: qbr\n    deck: digital\n"
        f"    output: 'qbr/{{segment}}/{{slug}}.pptx'\n{extra}"
    )
    return job


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def digests(out: Path) -> dict[str, str]:
    return {d["path"]: d["sha256"] for d in manifest(out)["documents"] if d["status"] in ("ok", "skipped")}


def parts(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if ".part" in p.name]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, batch_data_dir: Path) -> Path:
    """An uninterrupted local run over all accounts: the outputs every other run must equal."""
    folder = tmp_path_factory.mktemp("reference")
    result = CliRunner().invoke(cli, ["run", str(write_job(folder, batch_data_dir)), "--workers", "2"])
    assert result.exit_code == 0, result.output
    return folder / "out"


def test_reference_run_manifest(reference: Path, customers: int) -> None:
    payload = manifest(reference)
    assert 0 < customers < ACCOUNTS  # the dataset has churned accounts, and a job leaves them out
    assert payload["run"]["batch"] == {
        "status": "complete",
        "planned": customers,
        "rendered": customers,
        "reused": 0,
        "failed": 0,
    }
    files = sorted(p for p in reference.rglob("*.pptx"))
    assert len(files) == customers == len(digests(reference))
    assert all(d["inputs_hash"] and d["account_id"] for d in payload["documents"])
    assert {p.parent.name for p in files} <= {"starter", "scaled", "upmarket", "strategic"}
    assert not parts(reference)


def breaking(bad: str):
    """``AccountIndex.account_slices`` whose data for account ``bad`` cannot be rendered (no health row)."""
    original = AccountIndex.account_slices

    def broken(self, account_ids):
        slices = original(self, account_ids)
        heads = tuple({**h, "health": None} if h["account"]["account_id"] == bad else h for h in slices.heads)
        return dataclasses.replace(slices, heads=heads)

    return broken


def test_planted_failure_is_isolated_and_exits_3(
    tmp_path: Path, batch_data_dir: Path, reference: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = sorted(manifest(reference)["documents"], key=lambda d: d["account_id"])[:5]
    chosen = [d["account_id"] for d in ids]
    bad = chosen[2]
    monkeypatch.setattr(AccountIndex, "account_slices", breaking(bad))
    job = write_job(tmp_path, batch_data_dir, f"    accounts: {{ids: [{', '.join(chosen)}]}}\n")
    result = CliRunner().invoke(cli, ["run", str(job), "--workers", "2"])
    assert result.exit_code == 3, result.output
    assert f"failed: {bad}: qbr: AttributeError" in result.output
    payload = manifest(tmp_path / "out")
    assert payload["run"]["batch"]["failed"] == 1 and payload["run"]["batch"]["rendered"] == 4
    [failed] = [d for d in payload["documents"] if d["status"] == "failed"]
    assert failed["account_id"] == bad
    assert failed["error"].startswith("AttributeError")
    assert "Traceback (most recent call last)" in failed["traceback"]
    assert "build_qbr_context" in failed["traceback"]
    good = {d["path"]: d["sha256"] for d in payload["documents"] if d["status"] == "ok"}
    assert len(good) == 4 and all(reference_sha == digests(reference)[p] for p, reference_sha in good.items())


def test_a_bad_account_inside_a_chunk_fails_alone(
    tmp_path: Path, batch_data_dir: Path, reference: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = sorted(d["account_id"] for d in manifest(reference)["documents"])[:8]
    unrenderable, unpackable = chosen[2], chosen[5]
    original = AccountIndex.account_slices

    def broken(self, account_ids):
        slices = original(self, account_ids)
        heads = []
        for head in slices.heads:
            if head["account"]["account_id"] == unrenderable:
                head = {**head, "health": None}
            elif head["account"]["account_id"] == unpackable:
                head = {key: value for key, value in head.items() if key != "csm"}
            heads.append(head)
        return dataclasses.replace(slices, heads=tuple(heads))

    monkeypatch.setattr(AccountIndex, "account_slices", broken)
    run = prepare_run(batch_data_dir)
    spec = {
        "kind": "qbr",
        "deck": "digital",
        "output": "qbr/{segment}/{slug}.pptx",
        "accounts": {"ids": chosen},
    }
    plan = make_plan(
        parse_job({"documents": [spec]}, tmp_path / "job.yaml", run.settings), run, tmp_path / "out"
    )
    options = RunOptions(workers=1, chunk_size=8, progress=False)  # all 8 accounts travel in one chunk
    summary = execute_plan(plan, options, log=EventLog(write=lambda line: None))
    assert (summary.rendered, summary.failed) == (6, 2)
    errors = {
        d["account_id"]: d["error"]
        for d in manifest(tmp_path / "out")["documents"]
        if d["status"] == "failed"
    }
    assert errors[unrenderable].startswith("AttributeError") and errors[unpackable].startswith("TypeError")
    good = digests(tmp_path / "out")
    assert len(good) == 6 and all(sha == digests(reference)[path] for path, sha in good.items())


def test_fail_fast_stops_submitting(
    tmp_path: Path, batch_data_dir: Path, reference: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = sorted(d["account_id"] for d in manifest(reference)["documents"])[:12]
    monkeypatch.setattr(AccountIndex, "account_slices", breaking(chosen[0]))
    job = write_job(tmp_path, batch_data_dir, f"    accounts: {{ids: [{', '.join(chosen)}]}}\n")
    result = CliRunner().invoke(cli, ["run", str(job), "--workers", "1", "--fail-fast"])
    assert result.exit_code == 3, result.output
    batch = manifest(tmp_path / "out")["run"]["batch"]
    assert batch["status"] == "failed" and batch["failed"] == 1
    assert batch["rendered"] + batch["failed"] < len(chosen)


def test_kill_9_then_resume_gives_the_identical_set_without_duplicate_work(
    tmp_path: Path, batch_data_dir: Path, reference: Path, customers: int
) -> None:
    job = write_job(tmp_path, batch_data_dir)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-c",
        "from reports.cli import main; main()",
        "run",
        str(job),
        "--workers",
        "2",
    ]
    process = subprocess.Popen(
        command, start_new_session=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            try:
                if manifest(out)["run"]["batch"]["rendered"] >= 5:
                    break
            except (OSError, ValueError, KeyError):
                pass
            assert process.poll() is None, "the run ended before it could be killed"
            time.sleep(0.1)
        else:
            pytest.fail("no progress in the manifest")
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, like a crash
        process.wait()
    killed = manifest(out)
    assert killed["run"]["batch"]["status"] == "running"
    # finished decks are on record in the manifest or, if it was not rewritten since, the journal
    recorded = {d["path"] for d in [*killed["documents"], *read_done(out)] if d.get("status") == "ok"}
    done_before = len(recorded)
    assert 5 <= killed["run"]["batch"]["rendered"] <= done_before < customers
    # a half-written temp file, as a crash mid-write would leave
    (out / "qbr" / ".stray.pptx.abc123.part").write_bytes(b"half")

    result = CliRunner().invoke(cli, ["run", str(job), "--workers", "2", "--resume"])
    assert result.exit_code == 0, result.output
    batch = manifest(out)["run"]["batch"]
    assert batch["reused"] == done_before
    assert batch["rendered"] == customers - done_before  # nothing rendered twice
    assert digests(out) == digests(reference)
    assert not parts(out)

    again = CliRunner().invoke(cli, ["run", str(job), "--workers", "2", "--resume"])
    assert again.exit_code == 0, again.output
    assert manifest(out)["run"]["batch"] == {
        "status": "complete",
        "planned": customers,
        "rendered": 0,
        "reused": customers,
        "failed": 0,
    }


def test_resume_redoes_a_changed_or_tampered_file(
    tmp_path: Path, batch_data_dir: Path, reference: Path
) -> None:
    job = write_job(tmp_path, batch_data_dir, "    accounts: {segment: [Starter]}\n")
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(job), "--workers", "1"]).exit_code == 0
    out = tmp_path / "out"
    first = digests(out)
    victim = out / sorted(first)[0]
    victim.write_bytes(b"edited by hand")
    stray = out / "qbr" / "starter" / "not-in-manifest.pptx"
    stray.write_bytes(b"x")
    result = runner.invoke(cli, ["run", str(job), "--workers", "1", "--resume"])
    assert result.exit_code == 0, result.output
    batch = manifest(out)["run"]["batch"]
    assert (batch["rendered"], batch["reused"]) == (1, len(first) - 1)
    assert digests(out) == first


@pytest.mark.slow
def test_dask_local_gives_byte_identical_decks(tmp_path: Path, batch_data_dir: Path, reference: Path) -> None:
    job = write_job(tmp_path, batch_data_dir)
    result = CliRunner().invoke(cli, ["run", str(job), "--workers", "2", "--executor", "dask-local"])
    assert result.exit_code == 0, result.output
    assert manifest(tmp_path / "out")["run"]["executor"] == "dask-local"
    assert digests(tmp_path / "out") == digests(reference)
