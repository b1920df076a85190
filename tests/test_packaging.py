"""A plain `pip install .` (a wheel) carries the templates, configs, sample data and sentiment model."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_install_finds_its_bundled_files(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            str(ROOT),
            "-w",
            str(wheels),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("csreports-*.whl"))
    with zipfile.ZipFile(wheel) as archive:  # the build hook trained (or found) the English model
        assert "cs_calc/text/english_sentiment.json" in archive.namelist()
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True, capture_output=True
    )
    probe = subprocess.run(
        [
            python,
            "-c",
            "import reports.resources as r; print(r.bundled_templates_dir()); print(r.bundled_configs_dir()); print(r.sample_data_dir())",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    for line in probe.stdout.split():
        path = Path(line)
        assert str(env_dir) in line, line
        assert path.is_dir() and any(path.iterdir()), line
    assert (Path(probe.stdout.split()[0]) / "qbr" / "qbr.pptx").is_file()
    result = subprocess.run(
        [env_dir / "bin" / "csreports", "validate"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "follows the data contract" in result.stdout
    swedish = subprocess.run(
        [
            python,
            "-c",
            "from reports.documents.definitions import summary_line; print(summary_line('csat', 'sv'))",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert swedish.stdout.startswith("CSAT: genomsnittligt betyg"), (
        "the message catalogue is not in the wheel"
    )
