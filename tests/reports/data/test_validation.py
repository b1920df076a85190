"""`csreports validate` on a broken copy of the sample lists every planted problem."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.data.loading import load_tables
from reports.data.settings import load_settings
from reports.data.validation import validate_tables
from reports.errors import DataError


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


def _problems(folder: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        validate_tables(load_tables(folder), load_settings().validation)
    return [str(p) for p in caught.value.problems]


def test_every_planted_problem_is_reported_with_table_row_and_column(sample_copy):
    _edit(
        sample_copy / "mrr.csv",
        {
            (2, "mrr"): "-12",
            (3, "month"): "2025-05-15",
            (4, "month"): "May 2025",
            (5, "account_id"): "A-99999",
            (6, "mrr"): "lots",
        },
    )
    _edit(
        sample_copy / "accounts.csv",
        {
            (3, "segment"): "scaled",
            (4, "start_date"): "2025-02-30",
            (5, "name"): "",
            (6, "currency"): "SEK",
        },
    )
    with open(sample_copy / "accounts.csv", "a", encoding="utf-8") as handle:
        handle.write("A-00001,Copy of Riverside,Scaled,NAM,,,,2025-03-26,,USD,\n")
    _edit(sample_copy / "nps.csv", {(1, "score"): "11", (2, "score"): "ten"})
    _edit(sample_copy / "tickets.csv", {(1, "priority"): "P5", (2, "csat"): "6"})
    _edit(
        sample_copy / "contacts.csv",
        {(1, "is_champion"): "maybe", (2, "email_opt_out"): "sometimes", (3, "is_primary"): "2"},
    )
    _edit(sample_copy / "costs.csv", {(1, "period"): "2026-Q5", (2, "allocated_to_retention"): "1.5"})

    problems = _problems(sample_copy)
    expected = [
        "mrr.csv, row 2, column 'mrr': '-12' is below 0 (must be >= 0)",
        "mrr.csv, row 3, column 'month': '2025-05-15' is not the first day of a month",
        "mrr.csv, row 4, column 'month': 'May 2025' is not a month (use the first day, YYYY-MM-01)",
        "mrr.csv, row 5, column 'account_id': 'A-99999' is not an account_id in accounts",
        "mrr.csv, row 6, column 'mrr': 'lots' is not a number",
        "accounts.csv, row 401, column 'account_id': duplicate account_id 'A-00001' (first seen on row 1)",
        "accounts.csv, row 3, column 'segment': 'scaled' is not one of 'Starter', 'Scaled', 'Upmarket', 'Strategic'",
        "accounts.csv, row 4, column 'start_date': '2025-02-30' is not a date (use YYYY-MM-DD)",
        "accounts.csv, row 5, column 'name': is empty but required",
        "nps.csv, row 1, column 'score': '11' is above 10 (must be <= 10)",
        "nps.csv, row 2, column 'score': 'ten' is not a whole number",
        "tickets.csv, row 1, column 'priority': 'P5' is not one of 'P0', 'P1', 'P2', 'P3'",
        "tickets.csv, row 2, column 'csat': '6' is above 5 (must be <= 5)",
        "contacts.csv, row 1, column 'is_champion': 'maybe' is not true or false",
        "contacts.csv, row 2, column 'email_opt_out': 'sometimes' is not true or false",
        "contacts.csv, row 3, column 'is_primary': '2' is not true or false",
        "costs.csv, row 1, column 'period': '2026-Q5' is not a period (use YYYY-Qn or YYYY-MM)",
        "costs.csv, row 2, column 'allocated_to_retention': '1.5' is above 1 (must be <= 1)",
    ]
    for line in expected:
        assert line in problems, f"missing: {line}\ngot:\n" + "\n".join(problems)
    assert any(
        p.startswith("accounts.csv, column 'currency': accounts use SEK besides the reporting currency USD")
        for p in problems
    )
    assert len(problems) == len(expected) + 1, "\n".join(problems)


def test_missing_table_and_column_are_named(sample_copy):
    (sample_copy / "accounts.csv").unlink()
    text = (sample_copy / "mrr.csv").read_text().replace("account_id,month,mrr", "account,month,mrr", 1)
    (sample_copy / "mrr.csv").write_text(text)
    problems = _problems(sample_copy)
    assert "accounts: required table is missing" in problems
    assert (
        "mrr.csv, column 'account_id': required column is missing; did you mean 'account'? "
        "(columns found: account, month, mrr)"
    ) in problems


def test_duplicate_composite_keys_point_at_the_first_row(sample_copy):
    lines = (sample_copy / "mrr.csv").read_text().splitlines()
    (sample_copy / "mrr.csv").write_text("\n".join([*lines, lines[1]]) + "\n")
    problems = _problems(sample_copy)
    row = len(lines)  # data rows = lines - header; the copy is the next one
    assert problems == [
        f"mrr.csv, row {row}, column 'account_id, month': duplicate account_id, month "
        f"'A-00001', '2025-03-01' (first seen on row 1)"
    ]


def test_many_bad_rows_are_summarised_after_twenty(sample_copy):
    text = (sample_copy / "mrr.csv").read_text().splitlines()
    broken = [text[0]] + [line.rsplit(",", 1)[0] + ",-1" for line in text[1:26]] + text[26:]
    (sample_copy / "mrr.csv").write_text("\n".join(broken) + "\n")
    problems = _problems(sample_copy)
    assert len(problems) == 21
    assert problems[-1] == "mrr.csv, column 'mrr': 5 more rows where the value is below 0 (must be >= 0)"


def test_cli_validate_lists_problems_and_exits_1(sample_copy):
    _edit(sample_copy / "nps.csv", {(3, "score"): "-1"})
    result = CliRunner().invoke(cli, ["--data", str(sample_copy), "validate"])
    assert result.exit_code == 1
    assert "Error: 1 problem in the input data" in result.output
    assert "nps.csv, row 3, column 'score': '-1' is below 0 (must be >= 0)" in result.output


def test_cli_validate_accepts_the_sample():
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "follows the data contract" in result.output
    assert "accounts 400" in result.output


def test_other_commands_refuse_invalid_data_and_write_nothing(sample_copy, tmp_path):
    _edit(sample_copy / "mrr.csv", {(1, "mrr"): "-5"})
    out = tmp_path / "out"
    for command in (["metrics"], ["demo"]):
        result = CliRunner().invoke(cli, ["--data", str(sample_copy), "--out", str(out), *command])
        assert result.exit_code == 1, result.output
        assert "mrr.csv, row 1, column 'mrr': '-5' is below 0" in result.output
        assert not out.exists()


def test_fx_rates_make_mixed_currencies_valid_and_missing_months_are_named(sample_copy):
    _edit(sample_copy / "accounts.csv", {(1, "currency"): "SEK"})
    (sample_copy / "fx_rates.csv").write_text("month,currency,rate_to_reporting\n2025-03-01,SEK,0.095\n")
    problems = _problems(sample_copy)
    assert (
        problems[0]
        == "fx_rates.csv, column 'rate_to_reporting': no rate for SEK in 2025-04, used by MRR rows"
    )


def test_every_number_column_declares_its_range():
    from reports.data.contract import TABLES

    for table in TABLES:
        for column in table.columns:
            if column.kind in ("float", "int"):
                assert column.minimum is not None and column.maximum is not None, (
                    f"{table.name}.{column.name}"
                )
