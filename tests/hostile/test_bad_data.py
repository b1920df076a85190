"""Hostile and faulty data exports: one line per problem, exit 1, nothing written, never a traceback.

Each test breaks a copy of the bundled sample the way a real export (or a
tester) did, then runs the real CLI, ``csreports validate`` and a document
command (``board-report``), and pins the lines printed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reports.cli import cli

COMMANDS = (["validate"], ["board-report", "--quarter", "2026-Q3"])


def _edit(path: Path, edits: dict[tuple[int, str], str]) -> None:
    """Set cells by (1-based data row, column)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    for (row, column), value in edits.items():
        rows[row - 1][column] = value
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _replace_header(path: Path, header: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(f"{header}\n{lines[1]}", encoding="utf-8")


def _invoke(data: Path | str, out: Path, command: list[str]) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), "--out", str(out), *command])


def _refused(data: Path | str, tmp_path: Path, commands=COMMANDS) -> list[str]:
    """Run each command on ``data``: exit 1, no crash, nothing written, the same lines. Those lines."""
    outputs = []
    for command in commands:
        out = tmp_path / "out"
        result = _invoke(data, out, command)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit), repr(result.exception)  # not a crash
        assert "Traceback" not in result.output
        assert not out.exists(), f"{command} wrote {sorted(out.rglob('*'))}"
        outputs.append(result.output.splitlines())
    assert all(lines == outputs[0] for lines in outputs), outputs
    return outputs[0]


def _accepted(data: Path | str, tmp_path: Path) -> None:
    result = _invoke(data, tmp_path / "out", ["validate"])
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- 7. a period without data


@pytest.mark.parametrize(
    ("quarter", "line"),
    [
        (
            "1999-Q1",
            "Error: period 1999-Q1 ends before the first month of MRR data (2024-08); "
            "the data covers 2024-08 to 2026-10",
        ),
        (
            "2031-Q2",
            "Error: period 2031-Q2 ends after the last month of MRR data (2026-10); "
            "the data covers 2024-08 to 2026-10",
        ),
    ],
)
def test_a_period_outside_the_data_is_refused_naming_the_months_covered(sample_copy, tmp_path, quarter, line):
    names = ("board-report", "churn-report", "nps-digest", "metrics")
    commands = [[name, "--quarter", quarter] for name in names]
    commands.append(["qbr", "--quarter", quarter, "--account", "A-00001"])
    assert _refused(sample_copy, tmp_path, commands=commands) == [line]
