"""The demo's documents, rendered once per test session and language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.cli import cli


@pytest.fixture(scope="session")
def demo_in(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``csreports demo --locale LOCALE`` into a folder of its own, run on first use; its folder."""
    rendered: dict[str, Path] = {}

    def render(locale: str) -> Path:
        if locale not in rendered:
            out = tmp_path_factory.mktemp(f"demo-{locale}")
            result = CliRunner().invoke(
                cli, ["demo", "--locale", locale, "--out", str(out)], catch_exceptions=False
            )
            assert result.exit_code == 0, result.output
            rendered[locale] = out
        return rendered[locale]

    return render
