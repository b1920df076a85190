"""``--resume`` reuses only files inside ``--out``; a manifest edited to point elsewhere is re-rendered."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.batch.resume import reusable
from reports.cli import cli
from tests.reports.batch.test_batch_singles import write_job


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def finished(tmp_path: Path, batch_data_dir: Path) -> Path:
    job = write_job(tmp_path, batch_data_dir, singles="  - kind: weekly-email\n", ids="[A-00001]")
    result = CliRunner().invoke(cli, ["run", str(job), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_absolute_paths_outside_out_are_not_reused(finished: Path, tmp_path: Path) -> None:
    out = finished / "out"
    elsewhere = tmp_path / "elsewhere"
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["documents"]:
        real = out / entry["path"]
        copy = elsewhere / Path(entry["path"]).name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real, copy)
        real.unlink()
        entry["path"] = str(copy)
    (out / "manifest.json").write_text(json.dumps(manifest))
    result = CliRunner().invoke(cli, ["run", str(finished / "job.yaml"), "--workers", "1", "--resume"])
    assert result.exit_code == 0, result.output
    after = json.loads((out / "manifest.json").read_text())
    assert after["run"]["batch"]["reused"] == 0
    assert after["run"]["batch"]["rendered"] == after["run"]["batch"]["planned"]
    for entry in after["documents"]:
        assert not Path(entry["path"]).is_absolute()
        assert (out / entry["path"]).is_file()


def test_parent_paths_and_symlinks_out_of_the_folder_are_not_reused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside.pptx"
    outside.write_bytes(b"deck")
    (out / "link.pptx").symlink_to(outside)
    inside = out / "deck.pptx"
    inside.write_bytes(b"deck")
    digest = _sha(outside)

    def entry(path: str) -> list[dict]:
        return [{"document": "qbr-pptx", "status": "ok", "path": path, "sha256": digest, "inputs_hash": "h"}]

    assert reusable(entry("../outside.pptx"), out) is None
    assert reusable(entry(str(outside)), out) is None
    assert reusable(entry("link.pptx"), out) is None
    assert reusable(entry(""), out) is None
    assert reusable([{**entry("deck.pptx")[0], "path": 7}], out) is None
    carried = reusable(entry("deck.pptx"), out)
    assert carried is not None and carried[0].path == "deck.pptx"
