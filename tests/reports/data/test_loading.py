"""The same tables load from CSV, Parquet, SQLite and PostgreSQL, with the same numbers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy

from reports.data.contract import TABLES_BY_NAME
from reports.data.loading import describe_source, load_tables, mask_url, normalise_columns
from reports.pipeline import prepare_run
from tests.reports.postgres_server import postgres_url


def _headline(run) -> dict[str, float]:
    p = run.metrics.portfolio
    all_ = p[p["dimension"] == "all"].set_index("metric")["value"]
    return {k: round(float(all_[k]), 9) for k in ("mrr_start", "mrr_end", "nrr", "grr", "logo_churn", "nps")}


def _copy_to_database(source: Path, url: str) -> None:
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        for path in sorted(source.glob("*.csv")):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
            # Store typed columns the way a warehouse would, not just text.
            for column in frame.columns:
                if column in {"mrr", "value", "amount", "lost_mrr"}:
                    frame[column] = pd.to_numeric(frame[column])
                if column in {"month", "start_date", "date", "responded_at"}:
                    frame[column] = pd.to_datetime(frame[column])
            frame.to_sql(path.stem, connection, index=False, if_exists="replace")
    engine.dispose()


@pytest.fixture(scope="module")
def csv_headline(tiny_dir) -> dict[str, float]:
    return _headline(prepare_run(tiny_dir, quarter="2026-Q3"))


def test_parquet_folder_gives_the_same_numbers(tiny_dir, tmp_path, csv_headline):
    for path in tiny_dir.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        frame.to_parquet(tmp_path / f"{path.stem}.parquet", index=False)
    assert _headline(prepare_run(tmp_path, quarter="2026-Q3")) == csv_headline


def test_sqlite_url_gives_the_same_numbers(tiny_dir, tmp_path, csv_headline):
    url = f"sqlite:///{tmp_path / 'cs.db'}"
    _copy_to_database(tiny_dir, url)
    assert _headline(prepare_run(url, quarter="2026-Q3")) == csv_headline


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_url_gives_the_same_numbers(tiny_dir, csv_headline):
    with postgres_url() as url:
        if url is None:
            if os.environ.get("CI"):
                pytest.fail("no PostgreSQL server could be started in CI")
            pytest.skip("no PostgreSQL server available on this machine")
        _copy_to_database(tiny_dir, url)
        run = prepare_run(url, quarter="2026-Q3")
        assert _headline(run) == csv_headline
        assert "postgresql+psycopg://" in run.dataset.source


def test_database_source_is_shown_without_password():
    shown = describe_source("postgresql+psycopg://cs:s3cret@db.internal:5432/cs")
    assert "s3cret" not in shown and "db.internal" in shown


def test_two_files_for_one_table_is_an_error(tiny_dir, tmp_path):
    shutil.copytree(tiny_dir, tmp_path / "d")
    pd.read_csv(tiny_dir / "mrr.csv").to_parquet(tmp_path / "d" / "mrr.parquet")
    raw = load_tables(tmp_path / "d")
    assert [str(p) for p in raw.problems] == ["mrr: found in several files (mrr.csv, mrr.parquet); keep one"]
    assert "mrr" not in raw.tables and "mrr" in raw.refused


def test_unreadable_database_is_one_clear_line(tmp_path):
    with pytest.raises(Exception, match="cannot"):
        load_tables("postgresql+psycopg://nobody@127.0.0.1:1/none")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://cs:s3cret@db.internal:5432/cs",
            "postgresql+psycopg://cs:***@db.internal:5432/cs",
        ),
        ("postgresql://cs:p@ss/w0rd@db:x/cs", "postgresql://cs:***@db:x/cs"),
        ("://cs:s3cret@x", "://cs:***@x"),
        ("postgresql://db/cs?user=cs&password=s3cret", "postgresql://db/cs?user=cs&password=***"),
        ("postgresql://reader@db/cs", "postgresql://reader@db/cs"),
        ("sqlite:///data/cs.db", "sqlite:///data/cs.db"),
    ],
)
def test_a_url_is_shown_with_its_password_masked_even_when_it_does_not_parse(url, shown):
    assert mask_url(url) == shown
    assert "s3cret" not in describe_source(url)


def test_header_names_are_trimmed_and_contract_names_lower_cased():
    names, problems = normalise_columns(
        [" Account_ID ", "Month", "MRR", "Note", ""], TABLES_BY_NAME["mrr"], "mrr.csv"
    )
    assert names == ["account_id", "month", "mrr", "Note", "Unnamed: 4"]
    assert problems == []


def test_a_column_count_beyond_reason_is_refused_before_reading():
    _names, problems = normalise_columns([f"c{i}" for i in range(1_001)], TABLES_BY_NAME["mrr"], "mrr.csv")
    assert [str(p) for p in problems] == [
        "mrr.csv: has 1,001 columns, more than the 1,000 csreports reads; "
        "is it an export of the mrr table (account_id, month, mrr)?"
    ]
