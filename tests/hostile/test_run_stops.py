"""Stopping ``csreports run``: no process outlives it, finished work is recorded, resume redoes nothing twice.

Real processes: the run is started with ``python -m``-style subprocesses in
their own session, stopped with ``kill -9`` (the run alone, as an OOM killer
would) or SIGTERM (as a scheduler would), and the session is then searched
for anything still alive.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reports.batch.journal import read_done
from reports.batch.lifeline import process_alive
from reports.batch.singles import can_fork

pytestmark = pytest.mark.skipif(not can_fork() or not Path("/proc").is_dir(), reason="Linux processes")

ACCOUNTS = 240


@pytest.fixture(scope="module")
def big_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reports.data.sample_data import SampleSpec, generate_sample, write_sample

    folder = tmp_path_factory.mktemp("stop-data")
    write_sample(generate_sample(SampleSpec(accounts=ACCOUNTS, months=15, usage_frequency="monthly")), folder)
    return folder


def _job(folder: Path, data: Path) -> Path:
    job = folder / "job.yaml"
    job.write_text(
        f"data: {data}\nout: out\ndocuments:\n  - kind: weekly-email\n"
        "  - kind: qbr\n    deck: digital\n    output: 'qbr/{segment}/{slug}.pptx'\n"
    )
    return job


def _start(job: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-c",
        "from reports.cli import main; main()",
        "run",
        str(job),
        "--workers",
        "2",
    ]
    return subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def _wait_for_progress(process: subprocess.Popen, out: Path, rendered: int = 10) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if _manifest(out)["run"]["batch"]["rendered"] >= rendered:
                return
        except (OSError, ValueError, KeyError):
            pass
        assert process.poll() is None, "the run ended before it could be stopped"
        time.sleep(0.05)
    pytest.fail("no progress in the manifest")


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(int(entry))
    return alive


def _wait_until_gone(sid: int, seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and _session(sid):
        time.sleep(0.1)
    return _session(sid)


def _recorded(out: Path) -> dict[str, str]:
    """Path → inputs hash of the files the stopped run recorded as done (manifest or journal)."""
    entries = [*_manifest(out)["documents"], *read_done(out)]
    return {d["path"]: d["inputs_hash"] for d in entries if d.get("status") == "ok"}


def _tasks(recorded: dict[str, str]) -> int:
    """Documents (tasks) behind the recorded files: the weekly email's three files are one."""
    return len(set(recorded.values()))


def _resume(job: Path) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from reports.cli import main; main()",
            "run",
            str(job),
            "--workers",
            "2",
            "--resume",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return _manifest(job.parent / "out")


def test_kill_9_of_the_run_takes_its_workers_and_loses_no_finished_deck(
    tmp_path: Path, big_data: Path
) -> None:
    job = _job(tmp_path, big_data)
    out = tmp_path / "out"
    process = _start(job)
    try:
        _wait_for_progress(process, out)
        assert len(_session(process.pid)) >= 3  # the run, its forkserver and workers
        os.kill(process.pid, signal.SIGKILL)  # the run alone
        process.communicate()
        left = _wait_until_gone(process.pid)
    finally:
        for pid in _session(process.pid):
            os.kill(pid, signal.SIGKILL)
    assert left == [], "processes outlived the killed run"
    files = {str(p.relative_to(out)) for p in out.rglob("*.pptx")}
    time.sleep(1)
    assert {str(p.relative_to(out)) for p in out.rglob("*.pptx")} == files  # nobody writes any more
    recorded = _recorded(out)
    assert {p for p in recorded if p.endswith(".pptx")} == files  # every deck on disk is on record
    batch = _resume(job)["run"]["batch"]
    assert batch["reused"] == _tasks(recorded) and batch["rendered"] == batch["planned"] - _tasks(recorded)
    assert not (out / ".csreports-journal").exists()


def test_sigterm_stops_like_ctrl_c(tmp_path: Path, big_data: Path) -> None:
    job = _job(tmp_path, big_data)
    out = tmp_path / "out"
    process = _start(job)
    try:
        _wait_for_progress(process, out)
        process.send_signal(signal.SIGTERM)
        _stdout, stderr = process.communicate(timeout=120)
        left = _wait_until_gone(process.pid)
    finally:
        for pid in _session(process.pid):
            os.kill(pid, signal.SIGKILL)
    assert process.returncode == 143, stderr.decode()[-2000:]
    assert "Interrupted (SIGTERM)." in stderr.decode()
    assert "Run again with --resume" in stderr.decode()
    assert left == []
    assert not process_alive(process.pid)
    stopped = _manifest(out)
    assert stopped["run"]["batch"]["status"] == "interrupted"
    recorded = _recorded(out)
    assert {str(p.relative_to(out)) for p in out.rglob("*.pptx")} <= set(recorded)
    batch = _resume(job)["run"]["batch"]
    assert batch["status"] == "complete"
    assert batch["reused"] == _tasks(recorded) and batch["rendered"] == batch["planned"] - _tasks(recorded)
