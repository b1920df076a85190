"""The README documents what the product does: every metric, command, config file and table."""

from __future__ import annotations

import re
from pathlib import Path

from reports.cli import cli
from reports.data.contract import TABLES
from reports.resources import bundled_configs_dir

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_portfolio_metric_is_in_the_glossary(tiny_run):
    glossary = README[README.index("## Glossary") :]
    for metric in sorted(set(tiny_run.metrics.portfolio["metric"])):
        assert f"`{metric}`" in glossary, metric


def test_every_command_is_documented():
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        assert f"`{name}" in README, name


def test_every_config_file_is_documented():
    for path in sorted(bundled_configs_dir().glob("*.yaml")):
        assert path.name in README or path.stem in README, path.name


def test_every_contract_table_and_column_is_documented():
    contract = README[README.index("<!-- contract:start -->") : README.index("<!-- contract:end -->")]
    for table in TABLES:
        assert re.search(rf"\| \**{table.name}\** \|", contract), table.name
        for column in table.columns:
            assert column.name in contract, f"{table.name}.{column.name}"


def test_quickstart_and_ci_run_the_same_test_command():
    test_command = 'pip install -e ".[test]" && pytest'
    assert f"```bash\n{test_command}\n```" in README
    assert "```bash\npip install . && csreports demo\n```" in README
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
