"""`csreports metrics` and `sample-data` end to end (the demo: test_document_kinds.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from cs_calc import DEFINITIONS_VERSION
from reports.cli import cli


def test_metrics_writes_the_three_tables_with_hand_checked_numbers(tiny_dir, tmp_path):
    out = tmp_path / "m"
    result = CliRunner().invoke(
        cli, ["--data", str(tiny_dir), "--out", str(out), "metrics", "--start", "2026-07", "--end", "2026-09"]
    )
    assert result.exit_code == 0, result.output
    portfolio = pd.read_csv(out / "portfolio.csv")
    assert list(portfolio.columns) == ["metric", "dimension", "group", "value", "definitions_version"]
    assert set(portfolio["dimension"]) == {"all", "segment", "region", "csm", "cohort", "tenure", "quarter"}
    value = portfolio.set_index(["metric", "dimension", "group"])["value"]
    assert value[("nrr", "all", "all")] == pytest.approx(1650 / 5150)
    assert value[("grr", "quarter", "2026-Q3")] == pytest.approx(1600 / 5150)
    assert value[("nps", "all", "all")] == 20
    assert value[("cost_to_retain", "all", "all")] == pytest.approx(3000 / 12490)
    assert (portfolio["definitions_version"] == DEFINITIONS_VERSION).all()

    accounts = pd.read_csv(out / "accounts.csv").set_index("account_id")
    assert accounts.loc["A5", "mrr_start"] == 3000 and accounts.loc["A5", "mrr_end"] == 3200
    assert {"health_score", "health_band", "health_trend", "alerts"} <= set(accounts.columns)
    movements = pd.read_csv(out / "movements.csv")
    assert list(movements.columns[:4]) == ["account_id", "month", "movement", "amount"]
    assert movements["amount"].sum() == 0  # 5150 at start and at end
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["definitions_version"] == DEFINITIONS_VERSION
    assert [d["path"] for d in manifest["documents"]] == ["portfolio.csv", "accounts.csv", "movements.csv"]


def test_metrics_parquet_has_the_same_numbers(tiny_dir, tmp_path):
    runner = CliRunner()
    for fmt in ("csv", "parquet"):
        result = runner.invoke(
            cli,
            [
                "--data",
                str(tiny_dir),
                "--out",
                str(tmp_path / fmt),
                "metrics",
                "--quarter",
                "2026-Q3",
                "--format",
                fmt,
            ],
        )
        assert result.exit_code == 0, result.output
    csv = pd.read_csv(tmp_path / "csv" / "portfolio.csv")
    parquet = pd.read_parquet(tmp_path / "parquet" / "portfolio.parquet")
    pd.testing.assert_series_equal(csv["value"], parquet["value"], check_exact=False, rtol=1e-9)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["metrics", "--quarter", "2026-Q7"], "'2026-Q7' is not a quarter; use YYYY-Qn"),
        (["metrics", "--start", "2026-07"], "--start and --end go together"),
        (
            ["metrics", "--quarter", "2027-Q1"],
            "period 2027-Q1 ends after the last month of MRR data (2026-09)",
        ),
        (
            ["--data", "/nonexistent/folder", "validate"],
            "Error: --data folder /nonexistent/folder does not exist",
        ),
    ],
)
def test_bad_usage_is_one_line_and_exit_1(tiny_dir, tmp_path, args, message):
    result = CliRunner().invoke(cli, ["--data", str(tiny_dir), "--out", str(tmp_path / "o"), *args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert not (tmp_path / "o").exists()


def test_sample_data_is_deterministic_and_valid(tmp_path):
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(
            cli,
            [
                "--out",
                str(tmp_path / name),
                "sample-data",
                "--accounts",
                "60",
                "--months",
                "14",
                "--seed",
                "7",
            ],
        )
        assert result.exit_code == 0, result.output
    for path in sorted((tmp_path / "a").glob("*.csv")):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
    result = runner.invoke(cli, ["--data", str(tmp_path / "a"), "validate"])
    assert result.exit_code == 0, result.output


def test_document_commands_load_when_asked_for() -> None:
    # Workers of `csreports run` import the console script's module again: it must stay light.
    code = (
        "import sys, reports.cli as c\n"
        "heavy = [m for m in ('reports.cli.commands.qbr', 'reports.documents.email.context', 'weasyprint', 'reports.pipeline')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
        "print(c.cli.get_command(None, 'board-report').name, 'reports.cli.commands.board_report' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "board-report True"]
