"""Read the contract's tables from a folder of CSV/Parquet files or a SQL database.

Loading only reads; it does not judge. Every table comes back as it was
stored (CSV as text), with the name of where it came from so that the
validator can point at ``mrr.csv row 18``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reports.data.contract import TABLES
from reports.errors import DataError, DataProblem

_SUFFIXES = (".csv", ".csv.gz", ".parquet")


@dataclass(frozen=True)
class RawTable:
    """One table as read, before validation."""

    name: str
    origin: str
    """How messages name it: ``mrr.csv``, ``mrr.parquet`` or ``table mrr``."""
    frame: pd.DataFrame


@dataclass(frozen=True)
class RawTables:
    """Every contract table found at a source, keyed by table name."""

    source: str
    tables: dict[str, RawTable]


def is_database_url(source: str | Path) -> bool:
    """True for SQLAlchemy URLs such as ``sqlite:///x.db`` or ``postgresql+psycopg://…``."""
    return "://" in str(source)


def load_tables(source: str | Path) -> RawTables:
    """Read all contract tables from a folder or a database URL."""
    if is_database_url(source):
        return _load_database(str(source))
    return _load_folder(Path(source))


def describe_source(source: str | Path) -> str:
    """The source as it may be shown in documents: a URL without its password."""
    if is_database_url(source):
        from sqlalchemy.engine import make_url

        return make_url(str(source)).render_as_string(hide_password=True)
    return str(Path(source))


def _load_folder(folder: Path) -> RawTables:
    if not folder.is_dir():
        raise DataError([DataProblem(str(folder), None, None, "is not a folder of CSV or Parquet files")])
    tables: dict[str, RawTable] = {}
    problems: list[DataProblem] = []
    for spec in TABLES:
        found = [folder / f"{spec.name}{suffix}" for suffix in _SUFFIXES]
        found = [path for path in found if path.is_file()]
        if len(found) > 1:
            names = ", ".join(path.name for path in found)
            problems.append(DataProblem(spec.name, None, None, f"found in several files ({names}); keep one"))
            continue
        if not found:
            continue
        path = found[0]
        try:
            frame = _read_file(path)
        except (OSError, ValueError, pd.errors.ParserError) as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            problems.append(DataProblem(path.name, None, None, f"cannot be read: {first_line}"))
            continue
        tables[spec.name] = RawTable(spec.name, path.name, frame)
    if problems:
        raise DataError(problems)
    return RawTables(str(folder), tables)


def _read_file(path: Path) -> pd.DataFrame:
    if path.name.endswith(".parquet"):
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.reset_index(drop=True)


def _load_database(url: str) -> RawTables:
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import SQLAlchemyError

    shown = describe_source(url)
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise DataError([DataProblem(shown, None, None, f"cannot open database: {exc}")]) from exc
    tables: dict[str, RawTable] = {}
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            for spec in TABLES:
                if spec.name not in present:
                    continue
                frame = pd.read_sql_table(spec.name, connection)
                frame.columns = [str(c).strip() for c in frame.columns]
                tables[spec.name] = RawTable(spec.name, f"table {spec.name}", frame)
    except SQLAlchemyError as exc:
        message = str(exc).strip().splitlines()[0]
        raise DataError([DataProblem(shown, None, None, f"cannot read database: {message}")]) from exc
    finally:
        engine.dispose()
    return RawTables(shown, tables)
