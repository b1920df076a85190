"""Read the contract's tables from a folder of CSV/Parquet files or a SQL database.

Loading only reads; it does not judge values. Every table comes back as it
was stored (CSV as text), with the name of where it came from so that the
validator can point at ``mrr.csv row 18``. What loading does refuse is what
cannot be a table at all, before pandas spends time on it: a first line too
long to be a header (a one-line garbage file), binary or non-UTF-8 files,
absurd column counts and columns named twice. Column names are normalised:
surrounding spaces are dropped and a contract column is recognised in any
case (`` Account_ID`` is ``account_id``).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from reports.data.contract import KIND_WORDS, TABLES, TableSpec
from reports.errors import DataError, DataProblem, DataSourceError

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlalchemy.engine import URL, Connection

_SUFFIXES = (".csv", ".csv.gz", ".parquet")

MAX_HEADER_BYTES = 65_536
"""A CSV whose first line is longer than this is not a table (a header row is a few hundred bytes)."""
MAX_COLUMNS = 1_000
"""More columns than this in one table is not an export of the contract's tables."""
MAX_SHOWN_CHARS = 60
"""Characters of a value or column name that a message shows before cutting it short."""
MAX_SHOWN_COLUMNS = 20
"""Column names a message lists before summarising the rest."""
_URL_EXAMPLE = "e.g. postgresql+psycopg://reader@db.internal:5432/cs or sqlite:///cs.db"


@dataclass(frozen=True)
class RawTable:
    """One table as read, before validation."""

    name: str
    origin: str
    """How messages name it: ``mrr.csv``, ``mrr.parquet`` or ``table mrr``."""
    frame: pd.DataFrame


@dataclass(frozen=True)
class RawTables:
    """Every contract table found at a source, keyed by table name.

    A table found but refused (unreadable, garbage, columns named twice) is
    not in ``tables``; its name is in ``refused`` and why in ``problems``,
    which the validator reports together with every other problem.
    """

    source: str
    tables: dict[str, RawTable]
    problems: tuple[DataProblem, ...] = ()
    refused: frozenset[str] = frozenset()


class _Unreadable(Exception):
    """A file that is not a table; the message completes ``mrr.csv: …``."""


def shorten(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` as a message shows it on one line: at most ``limit`` characters, then ``…`` and the length.

    Line breaks and other control characters are shown escaped (``\\n``).

    >>> shorten("A-00001")
    'A-00001'
    >>> shorten("x" * 100, 5)
    'xxxxx… (100 characters)'
    """
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:limit])
    return shown if len(text) <= limit else f"{shown}… ({len(text):,} characters)"


def quote(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` quoted as a message shows a value: its repr, cut at ``limit`` characters.

    >>> quote("bad\\nline")
    "'bad\\\\nline'"
    >>> quote("x" * 100, 5)
    "'xxxxx…' (100 characters)"
    """
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit] + '…'!r} ({len(text):,} characters)"


def list_columns(names: Sequence[object]) -> str:
    """Column names for a message: each shortened, the first :data:`MAX_SHOWN_COLUMNS`, then a count.

    >>> list_columns(["account", "month", "mrr"])
    'account, month, mrr'
    """
    shown = ", ".join(shorten(str(n)) for n in names[:MAX_SHOWN_COLUMNS])
    more = len(names) - MAX_SHOWN_COLUMNS
    return f"{shown} and {more:,} more" if more > 0 else shown


def normalise_columns(
    names: Sequence[object], spec: TableSpec, origin: str
) -> tuple[list[str], list[DataProblem]]:
    """Column names with surrounding spaces dropped and contract names in lower case; problems.

    Refuses more than :data:`MAX_COLUMNS` columns and names that are the same
    after normalising (``mrr`` and `` mrr``, or ``mrr`` twice): which one
    holds the figures is a guess csreports does not make.
    """
    if len(names) > MAX_COLUMNS:
        expected = ", ".join(spec.column_names)
        return [], [
            DataProblem(
                origin,
                None,
                None,
                f"has {len(names):,} columns, more than the {MAX_COLUMNS:,} csreports reads; "
                f"is it an export of the {spec.name} table ({expected})?",
            )
        ]
    known = set(spec.column_names)
    normalised = []
    for position, name in enumerate(names):
        text = str(name).strip()
        if not text:  # an unnamed column (a trailing comma): named as pandas names it
            text = f"Unnamed: {position}"
        normalised.append(text.lower() if text.lower() in known else text)
    seen: dict[str, list[str]] = {}
    for raw, name in zip(names, normalised, strict=True):
        seen.setdefault(name, []).append(str(raw))
    problems = [
        DataProblem(
            origin,
            None,
            shorten(name),
            f"is named {len(spellings)} times in the header "
            f"({', '.join(quote(s) for s in spellings)}); keep one",
        )
        for name, spellings in seen.items()
        if len(spellings) > 1
    ]
    return normalised, problems


def is_database_url(source: str | Path) -> bool:
    """True for SQLAlchemy URLs such as ``sqlite:///x.db`` or ``postgresql+psycopg://…``."""
    return "://" in str(source)


def load_tables(source: str | Path) -> RawTables:
    """Read all contract tables from a folder or a database URL.

    Raises :class:`DataSourceError` or :class:`DataError` when the source
    itself cannot be read; a table that cannot be read is left out and its
    problems are in :attr:`RawTables.problems`.
    """
    if is_database_url(source):
        return _load_database(str(source))
    return _load_folder(Path(source))


def mask_url(text: str) -> str:
    """``text`` with the password of a URL-like string replaced by ``***``, even when it does not parse.

    Everything between the user name and the last ``@`` is the password;
    ``password=`` query values are masked too.

    >>> mask_url("postgresql://cs:p@ss@db/cs")
    'postgresql://cs:***@db/cs'
    >>> mask_url("://cs:pw@x")
    '://cs:***@x'
    >>> mask_url("sqlite:///cs.db")
    'sqlite:///cs.db'
    """
    masked = re.sub(r"^([^/]*://[^:/@?#]*:)[^/]*@(?=[^@]*$)", r"\1***@", text)
    if masked == text:  # a password may hold '/' too: mask up to the last '@'
        masked = re.sub(r"^([^/]*://[^:/@?#]*:).*@(?=[^@]*$)", r"\1***@", text)
    return re.sub(r"(?i)((?:password|pwd)=)[^&#]*", r"\1***", masked)


def parse_database_url(source: str) -> URL:
    """The SQLAlchemy URL of ``source``; :class:`DataSourceError` (password masked) when it is none.

    A SQLite file must exist: SQLite would otherwise create an empty one.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(source)
    except (ArgumentError, ValueError, TypeError) as exc:
        # The parser's own words may quote part of the password: never shown.
        raise DataSourceError(
            f"--data {quote(mask_url(source), 200)} is not a valid database URL "
            f"(expected dialect+driver://user:password@host:port/database, {_URL_EXAMPLE})"
        ) from exc
    address = source.split("://", 1)[-1].split("?", 1)[0]
    if url.password is not None and address.count("@") > 1:  # cs:p@ss@host parses as host ss@host
        raise DataSourceError(
            f"--data {quote(mask_url(source), 200)} is not a valid database URL: it has more than one '@' "
            "(write an '@' inside a user name or password as %40)"
        )
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        in_memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
        if not in_memory and not database.startswith("file:"):
            path = Path(database)
            shown = _render(url)
            if not path.exists():
                raise DataSourceError(
                    f"--data {quote(shown, 200)}: the SQLite file {shorten(database)} does not exist "
                    "(csreports reads a database; it never creates one)"
                )
            if not path.is_file():
                raise DataSourceError(
                    f"--data {quote(shown, 200)}: {shorten(database)} is a folder, not a SQLite file"
                )
    return url


def describe_source(source: str | Path) -> str:
    """The source as it may be shown in documents: a URL without its password."""
    if is_database_url(source):
        from sqlalchemy.engine import make_url

        try:
            return _render(make_url(str(source)))
        except Exception:  # an unparseable URL is still shown, masked
            return mask_url(str(source))
    return str(Path(source))


def _render(url: URL) -> str:
    return mask_url(url.render_as_string(hide_password=True))


def _load_folder(folder: Path) -> RawTables:
    if not folder.is_dir():
        raise DataError([DataProblem(str(folder), None, None, "is not a folder of CSV or Parquet files")])
    tables: dict[str, RawTable] = {}
    problems: list[DataProblem] = []
    refused: set[str] = set()
    for spec in TABLES:
        found = [folder / f"{spec.name}{suffix}" for suffix in _SUFFIXES]
        found = [path for path in found if path.is_file()]
        if len(found) > 1:
            names = ", ".join(path.name for path in found)
            problems.append(DataProblem(spec.name, None, None, f"found in several files ({names}); keep one"))
            refused.add(spec.name)
            continue
        if not found:
            continue
        path = found[0]
        refused.add(spec.name)  # until it is read
        try:
            frame, header_problems = _read_file(path, spec)
        except _Unreadable as exc:
            problems.append(DataProblem(path.name, None, None, str(exc)))
            continue
        except UnicodeDecodeError:
            problems.append(DataProblem(path.name, None, None, _not_utf8_file(path)))
            continue
        except (OSError, ValueError, pd.errors.ParserError) as exc:
            problems.append(DataProblem(path.name, None, None, f"cannot be read: {_first_line(exc)}"))
            continue
        if header_problems:
            problems.extend(header_problems)
            continue
        refused.discard(spec.name)
        tables[spec.name] = RawTable(spec.name, path.name, frame)
    return RawTables(str(folder), tables, tuple(problems), frozenset(refused))


def _read_file(path: Path, spec: TableSpec) -> tuple[pd.DataFrame, list[DataProblem]]:
    """The file's table with normalised column names, or the header's problems (then nothing is read)."""
    if path.name.endswith(".parquet"):
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        names, problems = normalise_columns(schema.names, spec, path.name)
        if problems:
            return pd.DataFrame(), problems
        problems = _binary_fields(schema, names, spec, path.name)
        if problems:
            return pd.DataFrame(), problems
        frame = pd.read_parquet(path)
    else:
        names, problems = normalise_columns(_csv_header(path), spec, path.name)
        if problems:
            return pd.DataFrame(), problems
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    if len(frame.columns) != len(names):  # pragma: no cover - the reader saw another header
        names, problems = normalise_columns(list(frame.columns), spec, path.name)
        if problems:
            return pd.DataFrame(), problems
    frame.columns = names
    return frame.reset_index(drop=True), []


def _csv_header(path: Path) -> list[str]:
    """The column names of a CSV's first row, read from at most :data:`MAX_HEADER_BYTES` bytes."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        head = handle.read(MAX_HEADER_BYTES + 1)
    if b"\x00" in head:
        raise _Unreadable("holds binary data, not CSV text (save the table as UTF-8 CSV)")
    end = head.find(b"\n")
    if end < 0 and len(head) > MAX_HEADER_BYTES:
        raise _Unreadable(
            f"has no line break in its first {MAX_HEADER_BYTES:,} bytes, so its first line is not "
            "a header row naming the columns; is it a CSV export?"
        )
    line = head if end < 0 else head[:end]
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Unreadable(_not_utf8(exc)) from exc
    row = next(csv.reader(io.StringIO(text)), [])
    return row


def _not_utf8(exc: UnicodeDecodeError, line: int = 1) -> str:
    byte = exc.object[exc.start : exc.start + 1].hex()
    return f"is not UTF-8 text (byte 0x{byte} on line {line:,}); save the table as UTF-8 CSV"


def _not_utf8_file(path: Path) -> str:
    """:func:`_not_utf8` for the first byte of ``path`` that is not UTF-8, found line by line."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return _not_utf8(exc, number)
    return "is not UTF-8 text; save the table as UTF-8 CSV"  # pragma: no cover - pandas saw a bad byte


def _binary_fields(schema: pa.Schema, names: list[str], spec: TableSpec, origin: str) -> list[DataProblem]:
    """Contract columns that a Parquet schema stores as binary (pandas would hand over bytes, or fail)."""
    import pyarrow as pa

    problems = []
    for field, name in zip(schema, names, strict=True):
        binary = pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type)
        if (binary or pa.types.is_fixed_size_binary(field.type)) and name in spec.column_names:
            expected = KIND_WORDS[spec.column(name).kind]
            problems.append(
                DataProblem(
                    origin, None, name, f"holds binary data (Parquet type {field.type}); expected {expected}"
                )
            )
    return problems


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return shorten(text.splitlines()[0], 200) if text else type(exc).__name__


def _read_sql_by_column(
    connection: Connection, spec: TableSpec, origin: str
) -> tuple[pd.DataFrame | None, list[DataProblem]]:
    """After a failed read: which contract columns cannot be read (a BLOB in a TEXT column, say).

    Returns the table without the unreadable columns when they are all
    extra columns (those are ignored anyway), else None and one problem per
    unreadable contract column.
    """
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    readable, problems = [], []
    try:
        columns = [str(c["name"]) for c in inspect(connection).get_columns(spec.name)]
    except SQLAlchemyError:
        return None, []
    for column in columns:
        try:
            pd.read_sql_table(spec.name, connection, columns=[column])
        except (SQLAlchemyError, ValueError, TypeError):
            name = column.strip().lower()
            if name in spec.column_names:
                expected = KIND_WORDS[spec.column(name).kind]
                problems.append(
                    DataProblem(
                        origin,
                        None,
                        name,
                        f"holds binary data or text that is not UTF-8; expected {expected}",
                    )
                )
            continue
        readable.append(column)
    if problems or not readable:
        return None, problems
    return pd.read_sql_table(spec.name, connection, columns=readable), []


def _load_database(source: str) -> RawTables:
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import SQLAlchemyError

    url = parse_database_url(source)
    shown = _render(url)

    def scrub(exc: BaseException) -> str:
        """The error's first line without the password (drivers should not quote it; never trusted)."""
        message = _first_line(exc)
        password = str(url.password or "")
        return message.replace(password, "***") if len(password) >= 4 else message

    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise DataError([DataProblem(shown, None, None, f"cannot open database: {scrub(exc)}")]) from exc
    tables: dict[str, RawTable] = {}
    problems: list[DataProblem] = []
    refused: set[str] = set()
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            for spec in TABLES:
                if spec.name not in present:
                    continue
                origin = f"table {spec.name}"
                try:
                    frame = pd.read_sql_table(spec.name, connection)
                except (SQLAlchemyError, ValueError, TypeError) as exc:
                    frame, column_problems = _read_sql_by_column(connection, spec, origin)
                    if frame is None:
                        problems.extend(
                            column_problems
                            or [DataProblem(origin, None, None, f"cannot be read: {scrub(exc)}")]
                        )
                        refused.add(spec.name)
                        continue
                names, header_problems = normalise_columns(list(frame.columns), spec, origin)
                if header_problems:
                    problems.extend(header_problems)
                    refused.add(spec.name)
                    continue
                frame.columns = names
                tables[spec.name] = RawTable(spec.name, origin, frame)
    except SQLAlchemyError as exc:
        raise DataError([DataProblem(shown, None, None, f"cannot read database: {scrub(exc)}")]) from exc
    finally:
        engine.dispose()
    return RawTables(shown, tables, tuple(problems), frozenset(refused))
