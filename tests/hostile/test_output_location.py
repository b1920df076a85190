"""An output folder that cannot take the files: one line naming the path and the cause, no partial files.

Read-only and full file systems are real (a small tmpfs mounted for the
test, where the machine allows it) and also simulated by a writer that runs
out of space after a budget of bytes, so the batch workers can be given it.
"""

from __future__ import annotations

import errno
import functools
import io
import json
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from reports.batch.job import load_job
from reports.batch.plan import make_plan
from reports.batch.runner import EventLog, RunOptions, execute_plan
from reports.cli import cli
from reports.data.settings import load_settings
from reports.errors import OutputError
from reports.output import files
from reports.pipeline import prepare_run

COMMANDS = (
    ["qbr", "--account", "A-00140"],
    ["board-report"],
    ["nps-digest"],
    ["metrics"],
    ["weekly-email", "--week", "2026-W43"],
)


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def _error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    return lines[0]


def _no_partials(folder: Path) -> None:
    assert not [p for p in folder.rglob("*") if ".part" in p.name]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_out_path_that_is_a_file_is_one_line(tmp_path, command):
    out = tmp_path / "out"
    out.write_text("I am a file")
    result = _invoke("--out", str(out), *command)
    assert result.exit_code == 1  # a usage error, from the option's own check
    assert f"Error: Invalid value for '--out': Directory '{out}' is a file." in result.output


def test_an_out_path_below_a_file_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out"
    result = _invoke("--out", str(out), "board-report")
    assert result.exit_code == 1
    assert _error_line(result.output) == f"Error: cannot write {out}: Not a directory"


# --------------------------------------------------------------------------- real file systems


def _mount_tmpfs(folder: Path, size: str, *options: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    mount = ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    yield folder
    subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_read_only_file_system_is_one_line_before_any_work(small_disk):
    _mount_tmpfs(small_disk, "1m", "ro")
    for command in COMMANDS:
        result = _invoke("--out", str(small_disk / "out"), *command)
        assert result.exit_code == 1, result.output
        assert (
            _error_line(result.output) == f"Error: cannot write {small_disk / 'out'}: Read-only file system"
        )
    assert list(small_disk.iterdir()) == []


def test_a_disk_that_fills_up_stops_the_qbrs_with_one_line_and_no_partial_file(small_disk):
    _mount_tmpfs(small_disk, "400k")
    out = small_disk / "out"
    result = _invoke("--out", str(out), "qbr", "--segment", "Scaled", "--format", "pptx,pdf")
    assert result.exit_code in (1, 3), result.output
    assert "No space left on device" in result.output
    assert "Traceback" not in result.output
    _no_partials(out)
    decks = sorted(out.glob("*.pptx"))
    for deck in decks:  # what is there is whole
        Presentation(io.BytesIO(deck.read_bytes()))
        assert deck.with_suffix(".pdf").is_file()  # and an account's files come as a set


# --------------------------------------------------------------------------- a writer with a budget


class _Budget:
    """``os.fdopen`` for :mod:`reports.output.files` whose files fail with ENOSPC once ``left`` bytes are used."""

    def __init__(self, left: int):
        self.left = left

    def __call__(self, fd, mode="r", *args, **kwargs):
        return _LimitedFile(open(fd, mode, *args, **kwargs), self)


class _LimitedFile:
    def __init__(self, handle, budget: _Budget):
        self.handle, self.budget = handle, budget

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def write(self, data):
        if len(data) > self.budget.left:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.budget.left -= len(data)
        return self.handle.write(data)


def fill_disk_after(budget: int) -> None:
    """Worker setup: this process's writes run out of space after ``budget`` bytes."""
    files.os.fdopen = _Budget(budget)  # type: ignore[attr-defined]


def test_a_full_disk_in_the_qbr_command_stops_and_the_manifest_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(files.os, "fdopen", _Budget(250_000))
    out = tmp_path / "out"
    result = _invoke("--out", str(out), "qbr", "--segment", "Scaled", "--format", "pptx")
    assert result.exit_code == 3, result.output
    assert "No space left on device" in result.output
    assert "account(s) not rendered; the output folder takes no more files" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert [d["status"] for d in manifest["documents"]][-1] == "failed"
    assert manifest["counts"]["failed"] == 1  # it stopped rather than failing every account
    _no_partials(out)
    for deck in out.glob("*.pptx"):
        Presentation(io.BytesIO(deck.read_bytes()))


def test_when_not_even_the_manifest_fits_it_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(files.os, "fdopen", _Budget(0))
    out = tmp_path / "out"
    result = _invoke("--out", str(out), "qbr", "--account", "A-00140")
    assert result.exit_code == 1, result.output
    assert (
        result.output.splitlines()[-1]
        == f"Error: cannot write {out / 'manifest.json'}: No space left on device"
    )
    _no_partials(out)


def test_a_full_disk_stops_a_batch_run_and_the_manifest_names_the_failure(tmp_path, batch_data_dir):
    job_file = tmp_path / "job.yaml"
    job_file.write_text(
        f"data: {batch_data_dir}\nout: out\ndocuments:\n  - kind: qbr\n    deck: digital\n"
        "    output: 'qbr/{segment}/{slug}.pptx'\n"
    )
    job = load_job(job_file, load_settings())
    run = prepare_run(job.data, quarter=job.period)
    out = tmp_path / "out"
    plan = make_plan(job, run, out)
    options = RunOptions(workers=2, progress=False, worker_setup=functools.partial(fill_disk_after, 400_000))
    lines: list[str] = []
    summary = execute_plan(plan, options, log=EventLog(write=lines.append))
    assert summary.exit_code == 3
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["batch"]["status"] == "failed"
    failed = [d for d in manifest["documents"] if d["status"] == "failed"]
    assert failed and all("No space left on device" in d["error"] for d in failed)
    assert manifest["run"]["batch"]["rendered"] + len(failed) < plan.total  # it stopped, not failed each deck
    assert any('"event": "stopped"' in line for line in lines)
    _no_partials(out)


def test_a_folder_the_job_needs_is_a_file(tmp_path, batch_data_dir):
    job_file = tmp_path / "job.yaml"
    job_file.write_text(
        f"data: {batch_data_dir}\nout: out\ndocuments:\n  - kind: qbr\n    deck: digital\n"
        "    output: 'qbr/{segment}/{slug}.pptx'\n"
    )
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "qbr").write_text("a file where a folder belongs")
    result = _invoke("run", str(job_file), "--workers", "1")
    assert result.exit_code == 3, result.output
    assert "Not a directory" in result.output and "Traceback" not in result.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["run"]["batch"]["status"] == "failed"
    assert manifest["run"]["batch"]["failed"] >= 1


def test_output_error_keeps_the_path_and_cause():
    error = OutputError(Path("out/x.pptx"), OSError(errno.EROFS, "Read-only file system"))
    assert str(error) == "cannot write out/x.pptx: Read-only file system" and error.stops_run
    assert not OutputError("n", OSError(errno.ENAMETOOLONG, "File name too long")).stops_run
