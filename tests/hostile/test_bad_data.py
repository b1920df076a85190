"""Hostile and faulty data exports: one line per problem, exit 1, nothing written, never a traceback.

Each test breaks a copy of the bundled sample the way a real export (or a
tester) did, then runs the real CLI, ``csreports validate`` and a document
command (``board-report``), and pins the lines printed.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from reports.cli import cli
from reports.data.settings import load_settings
from reports.pipeline import load_dataset

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


# ---------------------------------------------------------------- 1. numbers: finite and in range


def test_non_finite_and_impossible_numbers_are_refused_with_row_and_column(sample_copy, tmp_path):
    _edit(sample_copy / "mrr.csv", {(1, "mrr"): "inf", (2, "mrr"): "1e400", (3, "mrr"): "2e15"})
    _edit(sample_copy / "tickets.csv", {(1, "csat"): "-inf", (2, "csat"): "0"})
    _edit(sample_copy / "nps.csv", {(1, "score"): "1e30"})
    _edit(sample_copy / "success_plans.csv", {(1, "target"): "NaN", (2, "current"): "-1e400"})
    _edit(sample_copy / "accounts.csv", {(1, "currency"): "SEK"})
    months = sorted(pd.read_csv(sample_copy / "mrr.csv")["month"].unique())
    rates = [f"{month},SEK,{0 if month == months[0] else 0.095}" for month in months]
    (sample_copy / "fx_rates.csv").write_text("month,currency,rate_to_reporting\n" + "\n".join(rates) + "\n")

    assert _refused(sample_copy, tmp_path) == [
        "Error: 9 problems in the input data",
        "mrr.csv, row 1, column 'mrr': 'inf' is not a finite number (infinite or too large)",
        "mrr.csv, row 2, column 'mrr': '1e400' is not a finite number (infinite or too large)",
        "tickets.csv, row 1, column 'csat': '-inf' is not a finite number (infinite or too large)",
        "nps.csv, row 1, column 'score': '1e30' is too large for a whole number",
        "success_plans.csv, row 1, column 'target': 'NaN' is not a number",
        "success_plans.csv, row 2, column 'current': '-1e400' is not a finite number (infinite or too large)",
        "mrr.csv, row 3, column 'mrr': '2e15' is above 1e+15 (must be <= 1e+15)",
        "tickets.csv, row 2, column 'csat': '0' is below 1 (must be >= 1)",
        "fx_rates.csv, row 1, column 'rate_to_reporting': '0' is not above 0 (must be > 0)",
    ]


# ---------------------------------------------------------------- 2. dates real exports contain


def test_far_dates_are_refused_per_column_and_every_other_problem_is_listed(sample_copy, tmp_path):
    _edit(
        sample_copy / "accounts.csv",
        {
            (1, "renewal_date"): "9999-12-31",
            (2, "start_date"): "1677-01-01",
            (3, "renewal_date"): "2999-12-31",
        },
    )
    _edit(sample_copy / "tickets.csv", {(1, "created_at"): "2262-04-12T00:00:00", (2, "priority"): "P9"})
    _edit(sample_copy / "contacts.csv", {(1, "changed_at"): "0001-01-01"})

    assert _refused(sample_copy, tmp_path) == [
        "Error: 5 problems in the input data",
        "accounts.csv, row 2, column 'start_date': '1677-01-01' is outside the dates csreports reads "
        "(1900-01-01 to 2199-12-31)",
        "accounts.csv, row 3, column 'renewal_date': '2999-12-31' is outside the dates csreports reads "
        "(1900-01-01 to 2199-12-31); for none, leave it empty or use 9999-12-31",
        "tickets.csv, row 1, column 'created_at': '2262-04-12T00:00:00' is outside the dates csreports "
        "reads (1900-01-01 to 2199-12-31)",
        "contacts.csv, row 1, column 'changed_at': '0001-01-01' is outside the dates csreports reads "
        "(1900-01-01 to 2199-12-31)",
        "tickets.csv, row 2, column 'priority': 'P9' is not one of 'P0', 'P1', 'P2', 'P3'",
    ]


def test_open_ended_renewal_means_no_renewal_date(sample_copy, tmp_path):
    _edit(
        sample_copy / "accounts.csv", {(1, "renewal_date"): "9999-12-31", (2, "renewal_date"): "9999-01-01"}
    )
    _accepted(sample_copy, tmp_path)
    accounts = load_dataset(sample_copy, load_settings()).tables["accounts"]
    assert accounts["renewal_date"].iloc[:2].isna().all()
    assert accounts["renewal_date"].dtype == "datetime64[ns]"
    result = _invoke(sample_copy, tmp_path / "out", ["board-report", "--quarter", "2026-Q3"])
    assert result.exit_code == 0, result.output


def test_time_zones_are_converted_to_utc_and_dropped(sample_copy, tmp_path):
    _edit(
        sample_copy / "tickets.csv",
        {
            (1, "created_at"): "2024-08-01T04:31:00+05:00",
            (1, "resolved_at"): "2024-08-08T01:06:00Z",
            (2, "created_at"): "2024-08-01T08:14:00-03:00",
        },
    )
    _edit(sample_copy / "nps.csv", {(1, "responded_at"): "2024-08-27T23:30:00-05:00"})
    _accepted(sample_copy, tmp_path)
    tables = load_dataset(sample_copy, load_settings()).tables
    tickets = tables["tickets"]
    assert tickets["created_at"].dtype == "datetime64[ns]"  # naive, as the rest of csreports expects
    assert tickets["created_at"].iloc[0] == pd.Timestamp("2024-07-31 23:31")
    assert tickets["created_at"].iloc[1] == pd.Timestamp("2024-08-01 11:14")
    row_3 = pd.read_csv(sample_copy / "tickets.csv")["created_at"].iloc[2]
    assert tickets["created_at"].iloc[2] == pd.Timestamp(row_3)  # no zone given: taken as it is
    assert tickets["resolved_at"].iloc[0] == pd.Timestamp("2024-08-08 01:06")
    assert tables["nps"]["responded_at"].iloc[0] == pd.Timestamp("2024-08-28")  # 04:30 UTC
    result = _invoke(sample_copy, tmp_path / "out", ["board-report", "--quarter", "2026-Q3"])
    assert result.exit_code == 0, result.output


def test_zoned_timestamps_from_parquet_are_converted_to_utc(sample_copy, tmp_path):
    tickets = pd.read_csv(sample_copy / "tickets.csv", dtype=str, keep_default_na=False, na_values=[""])
    created = pd.to_datetime(tickets["created_at"]).dt.tz_localize("Asia/Kolkata")
    tickets["created_at"] = created
    tickets.to_parquet(sample_copy / "tickets.parquet", index=False)
    (sample_copy / "tickets.csv").unlink()
    _accepted(sample_copy, tmp_path)
    loaded = load_dataset(sample_copy, load_settings()).tables["tickets"]["created_at"]
    assert loaded.iloc[0] == pd.Timestamp("2024-07-31 23:01")  # 04:31 in India is 23:01 UTC


# ---------------------------------------------------------------- 3. garbage: fast, short messages


def test_a_50_mb_one_line_garbage_file_fails_in_seconds_with_a_short_message(sample_copy, tmp_path):
    rng = random.Random(42)
    chunk = "".join(rng.choice('abc,,,; "x') for _ in range(1_000_000))
    with open(sample_copy / "mrr.csv", "w", encoding="utf-8") as handle:
        for _ in range(50):
            handle.write(chunk)
    started = time.perf_counter()
    lines = _refused(sample_copy, tmp_path)
    assert time.perf_counter() - started < 30
    assert lines == [
        "Error: 1 problem in the input data",
        "mrr.csv: has no line break in its first 65,536 bytes, so its first line is not a header row "
        "naming the columns; is it a CSV export?",
    ]


def test_binary_and_non_utf8_files_are_named(sample_copy, tmp_path):
    (sample_copy / "usage.csv").write_bytes(bytes(range(256)) * 1000)
    (sample_copy / "nps.csv").write_bytes(
        "response_id,account_id,comment\nR1,A-00001,caf\xe9\n".encode("latin-1")
    )
    assert _refused(sample_copy, tmp_path) == [
        "Error: 2 problems in the input data",
        "usage.csv: holds binary data, not CSV text (save the table as UTF-8 CSV)",
        "nps.csv: is not UTF-8 text (byte 0xe9 on line 2); save the table as UTF-8 CSV",
    ]


def test_absurd_headers_and_huge_values_give_bounded_messages(sample_copy, tmp_path):
    (sample_copy / "csms.csv").write_text(",".join(f"c{i}" for i in range(5_000)) + "\n")
    _edit(sample_copy / "accounts.csv", {(1, "start_date"): "x" * 100_000, (2, "segment"): "bad\nline"})
    usage = (sample_copy / "usage.csv").read_text().splitlines()
    broken = [usage[0], *(line.rsplit(",", 1)[0] + ",-1" for line in usage[1:31]), *usage[31:]]
    (sample_copy / "usage.csv").write_text("\n".join(broken) + "\n")

    lines = _refused(sample_copy, tmp_path)
    assert lines[:4] == [
        "Error: 24 problems in the input data",
        "csms.csv: has 5,000 columns, more than the 1,000 csreports reads; is it an export of the csms "
        "table (csm_id, name, email, team, region, fully_loaded_annual_cost)?",
        "accounts.csv, row 1, column 'start_date': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' "
        "(100,000 characters) is not a date (use YYYY-MM-DD)",
        "accounts.csv, row 2, column 'segment': 'bad\\nline' is not one of 'Starter', 'Scaled', 'Upmarket', "
        "'Strategic'",
    ]
    assert lines[-1] == "usage.csv, column 'value': 10 more rows where the value is below 0 (must be >= 0)"
    assert max(map(len, lines)) < 300


# ---------------------------------------------------------------- 4. column names


@pytest.mark.parametrize(
    ("header", "line"),
    [
        (
            "account_id,month,mrr, mrr",
            "mrr.csv, column 'mrr': is named 2 times in the header ('mrr', ' mrr'); keep one",
        ),
        (
            "account_id,month,mrr,mrr",
            "mrr.csv, column 'mrr': is named 2 times in the header ('mrr', 'mrr'); keep one",
        ),
        (
            "account_id,month,MRR,Mrr ",
            "mrr.csv, column 'mrr': is named 2 times in the header ('MRR', 'Mrr '); keep one",
        ),
    ],
)
def test_a_column_named_twice_is_refused(sample_copy, tmp_path, header, line):
    text = (sample_copy / "mrr.csv").read_text().splitlines()
    (sample_copy / "mrr.csv").write_text("\n".join([header, *(f"{row},1" for row in text[1:])]) + "\n")
    assert _refused(sample_copy, tmp_path) == ["Error: 1 problem in the input data", line]


def test_header_case_and_surrounding_spaces_are_normalised(sample_copy, tmp_path):
    header = (sample_copy / "accounts.csv").read_text().split("\n", 1)[0]
    _replace_header(sample_copy / "accounts.csv", header.replace("account_id,", " Account_ID ,", 1))
    _replace_header(sample_copy / "mrr.csv", "ACCOUNT_ID,Month,MRR")
    _accepted(sample_copy, tmp_path)


def test_a_misspelt_column_suggests_the_right_one(sample_copy, tmp_path):
    _replace_header(sample_copy / "mrr.csv", " Acount_ID,month,mrr")
    assert _refused(sample_copy, tmp_path) == [
        "Error: 1 problem in the input data",
        "mrr.csv, column 'account_id': required column is missing; did you mean 'Acount_ID'? "
        "(columns found: Acount_ID, month, mrr)",
    ]


# ---------------------------------------------------------------- 5. binary columns


def _sample_to_sqlite(folder: Path, path: Path) -> str:
    with sqlite3.connect(path) as connection:
        for csv_file in sorted(folder.glob("*.csv")):
            frame = pd.read_csv(csv_file, dtype=str, keep_default_na=False, na_values=[""])
            frame.to_sql(csv_file.stem, connection, index=False)
    return f"sqlite:///{path}"


def test_sqlite_blob_columns_are_refused(sample_copy, tmp_path):
    url = _sample_to_sqlite(sample_copy, tmp_path / "cs.db")
    with sqlite3.connect(tmp_path / "cs.db") as connection:
        connection.execute("ALTER TABLE mrr RENAME TO mrr_text")
        connection.execute("CREATE TABLE mrr (account_id TEXT, month TEXT, mrr BLOB, note BLOB)")
        connection.execute(
            "INSERT INTO mrr SELECT account_id, month, CAST(mrr AS BLOB), X'00FF' FROM mrr_text"
        )
        connection.execute("UPDATE nps SET comment = X'FFFE00' WHERE rowid = 3")
    assert _refused(url, tmp_path) == [
        "Error: 2 problems in the input data",
        "table nps, column 'comment': holds binary data or text that is not UTF-8; expected text",
        "table mrr, column 'mrr': holds binary data (6,481 rows, the first is row 1); expected a number",
    ]


def test_parquet_binary_columns_are_refused(sample_copy, tmp_path):
    accounts = pd.read_csv(sample_copy / "accounts.csv", dtype=str, keep_default_na=False, na_values=[""])
    table = pa.Table.from_pandas(accounts, preserve_index=False)
    names = pa.array([b"\xff" + n.encode() for n in accounts["name"]], type=pa.binary())
    table = table.set_column(table.schema.get_field_index("name"), "name", names)
    pq.write_table(table.replace_schema_metadata(None), sample_copy / "accounts.parquet")
    (sample_copy / "accounts.csv").unlink()
    assert _refused(sample_copy, tmp_path) == [
        "Error: 1 problem in the input data",
        "accounts.parquet, column 'name': holds binary data (Parquet type binary); expected text",
    ]


# ---------------------------------------------------------------- 6. database URLs

_EXPECTED_URL = (
    "(expected dialect+driver://user:password@host:port/database, "
    "e.g. postgresql+psycopg://reader@db.internal:5432/cs or sqlite:///cs.db)"
)


@pytest.mark.parametrize(
    ("url", "line"),
    [
        ("://cs:s3cret-pw@x", f"Error: --data '://cs:***@x' is not a valid database URL {_EXPECTED_URL}"),
        (
            "postgresql://cs:s3cret-pw@db:abc/cs",
            f"Error: --data 'postgresql://cs:***@db:abc/cs' is not a valid database URL {_EXPECTED_URL}",
        ),
        (
            "postgresql://cs:s3cret-pw@[::1",
            f"Error: --data 'postgresql://cs:***@[::1' is not a valid database URL {_EXPECTED_URL}",
        ),
        (
            "postgresql://cs:s3cret@pw@db/cs",
            "Error: --data 'postgresql://cs:***@db/cs' is not a valid database URL: it has more than one '@' "
            "(write an '@' inside a user name or password as %40)",
        ),
    ],
)
def test_a_malformed_database_url_is_one_line_without_the_password(tmp_path, url, line):
    assert _refused(url, tmp_path) == [line]
    assert "s3cret" not in line


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _refused("sqlite:///missing.db", tmp_path) == [
        "Error: --data 'sqlite:///missing.db': the SQLite file missing.db does not exist "
        "(csreports reads a database; it never creates one)"
    ]
    assert not (tmp_path / "missing.db").exists()


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
