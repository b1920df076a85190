"""Shared fixtures: the tiny hand-checked dataset and the bundled sample, each built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reports.pipeline import RunContext, prepare_run
from reports.resources import sample_data_dir

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"


@pytest.fixture(scope="session")
def tiny_dir() -> Path:
    """Folder of the 5-account dataset whose numbers the tests work out by hand."""
    return TINY


@pytest.fixture(scope="session")
def tiny_run() -> RunContext:
    """Metrics of the tiny dataset for 2026-Q3."""
    return prepare_run(TINY, quarter="2026-Q3")


@pytest.fixture(scope="session")
def sample_run() -> RunContext:
    """Metrics of the bundled sample for its default quarter (2026-Q3)."""
    return prepare_run(None)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample, to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(sample_data_dir(), target)
    return target


@pytest.fixture(scope="session")
def batch_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated 40-account dataset (15 months, monthly usage) for batch runs; read it, never write it."""
    from reports.data.sample_data import SampleSpec, generate_sample, write_sample

    folder = tmp_path_factory.mktemp("batch-data")
    write_sample(generate_sample(SampleSpec(accounts=40, months=15, usage_frequency="monthly")), folder)
    return folder
