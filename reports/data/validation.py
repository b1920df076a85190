"""Check raw tables against the data contract and return typed tables.

Two passes, both collecting every problem before raising once:

1. *Parsing*: each value is converted to its column's type (dates, months,
   numbers, integers, booleans, periods); a value that does not parse is a
   problem on its row, and so is a number that is not finite (``inf``,
   ``1e400``) and a date outside 1900–2199. Time zones are converted to UTC
   and dropped, so every timestamp is naive; a date in the year 9999 in an
   open-ended column (``renewal_date``) means none. Binary data is refused
   per column.
2. *Rules* (pandera): required values present, ranges, allowed values, unique
   keys, months on the first day, rows pointing at known accounts.

Every message is bounded: values and names are shortened
(:func:`~reports.data.loading.quote`) and each rule lists at most
:data:`MAX_ROWS_PER_RULE` rows per column before summarising the rest.

Then dataset-wide rules: currencies against ``fx_rates``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from reports.data.config_schema import address_problem
from reports.data.contract import (
    EARLIEST_DATE,
    KIND_WORDS,
    LATEST_DATE,
    OPEN_ENDED_YEAR,
    TABLES,
    ColumnSpec,
    TableSpec,
)
from reports.data.dataset import Dataset
from reports.data.loading import RawTable, RawTables, list_columns, quote, shorten
from reports.errors import DataError, DataProblem

MAX_ROWS_PER_RULE = 20
"""Rows listed for one rule in one column before the rest are summarised."""

_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}
_PERIOD_RE = re.compile(r"^\d{4}-(Q[1-4]|(0[1-9]|1[0-2]))$")
_EARLIEST = pd.Timestamp(EARLIEST_DATE)
_LATEST = pd.Timestamp(LATEST_DATE) + pd.Timedelta(days=1)  # the whole last day
_LARGEST_WHOLE = 2**53
"""Whole numbers above this lose digits as floats and cannot be told apart."""

_Problems = list[tuple[pd.Series, str]]
"""(mask of rows, message) pairs: what did not parse, and why."""


@dataclass(frozen=True)
class ValidationSettings:
    """Allowed values that come from configs rather than the contract."""

    segments: tuple[str, ...]
    regions: tuple[str, ...]
    reporting_currency: str = "USD"


def validate_tables(raw: RawTables, settings: ValidationSettings) -> Dataset:
    """Validate and type every table; raise DataError listing all problems."""
    problems: list[DataProblem] = list(raw.problems)
    typed: dict[str, pd.DataFrame] = {}
    unparsed: dict[str, dict[str, set[int]]] = {}
    for spec in TABLES:
        table = raw.tables.get(spec.name)
        if table is None:
            if spec.required and spec.name not in raw.refused:
                problems.append(DataProblem(spec.name, None, None, "required table is missing"))
            typed[spec.name] = _empty_frame(spec)
            continue
        frame, table_problems, unparsed[spec.name] = _parse_table(table, spec)
        problems.extend(table_problems)
        typed[spec.name] = frame

    # Without a readable accounts table every row would point at an unknown
    # account: that is one problem, already reported, not thousands.
    accounts = raw.tables.get("accounts")
    account_ids = (
        typed["accounts"]["account_id"].dropna()
        if accounts is not None and "account_id" in accounts.frame.columns
        else None
    )
    csm_ids = typed["csms"]["csm_id"].dropna() if len(typed["csms"]) else None
    for spec in TABLES:
        table = raw.tables.get(spec.name)
        if table is None or any(c not in table.frame.columns for c in spec.required_columns):
            continue  # a missing table or required column is reported already
        schema = _rules_schema(spec, settings, account_ids, csm_ids)
        problems.extend(_run_schema(schema, typed[spec.name], table, unparsed[spec.name]))
        if spec.unique:
            key = ", ".join(spec.unique)
            problems.extend(_duplicate_problems(typed[spec.name], list(spec.unique), table.origin, key))
    problems.extend(_currency_problems(raw, typed, settings))
    if problems:
        raise DataError(problems)
    return Dataset.from_tables(typed, source=raw.source)


def _empty_frame(spec: TableSpec) -> pd.DataFrame:
    return pd.DataFrame({c.name: _empty_series(c) for c in spec.columns})


def _empty_series(column: ColumnSpec) -> pd.Series:
    dtype = {
        "date": "datetime64[ns]",
        "datetime": "datetime64[ns]",
        "month": "datetime64[ns]",
        "float": "float64",
        "int": "Int64",
        "bool": "boolean",
    }.get(column.kind, "object")
    return pd.Series([], dtype=dtype)


def _parse_table(
    table: RawTable, spec: TableSpec
) -> tuple[pd.DataFrame, list[DataProblem], dict[str, set[int]]]:
    """Typed frame, parse problems, and per column the rows that did not parse."""
    frame = table.frame.copy()
    problems: list[DataProblem] = []
    unparsed: dict[str, set[int]] = {}
    for column in spec.columns:
        if column.name not in frame.columns:
            if column.required:
                suggestion = _did_you_mean(column.name, frame.columns)
                existing = list_columns(list(frame.columns))
                problems.append(
                    DataProblem(
                        table.origin,
                        None,
                        column.name,
                        f"required column is missing{suggestion} (columns found: {existing})",
                    )
                )
            frame[column.name] = _empty_series(column).reindex(frame.index)
            continue
        values = frame[column.name]
        binary = _binary_rows(values)
        if binary.any():
            rows = np.flatnonzero(binary.to_numpy())
            problems.append(
                DataProblem(
                    table.origin,
                    None,
                    column.name,
                    f"holds binary data ({len(rows):,} rows, the first is row {rows[0] + 1}); "
                    f"expected {KIND_WORDS[column.kind]}",
                )
            )
            values = values.where(~binary)
        parsed, refusals = _parse_column(values, column)
        frame[column.name] = parsed
        refused = binary.to_numpy(dtype=bool).copy()
        for mask, message in refusals:
            refused |= mask.to_numpy(dtype=bool)
            problems.extend(
                _rows_problems(
                    table.origin, column.name, mask, frame_values=table.frame[column.name], message=message
                )
            )
        unparsed[column.name] = {int(i) for i in values.index[refused]}
    return frame, problems, unparsed


def _binary_rows(values: pd.Series) -> pd.Series:
    """Mask of the values that are bytes (SQLite BLOBs, Parquet binary columns)."""
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) not in ("bytes", "mixed"):
        return pd.Series(False, index=values.index)
    return values.map(lambda v: isinstance(v, bytes | bytearray | memoryview)).astype(bool)


def _parse_message(column: ColumnSpec) -> str:
    return {
        "date": "is not a date (use YYYY-MM-DD)",
        "datetime": "is not a date-time (use ISO 8601, e.g. 2026-03-01T14:05:00)",
        "month": "is not a month (use the first day, YYYY-MM-01)",
        "float": "is not a number",
        "int": "is not a whole number",
        "bool": "is not true or false",
        "period": "is not a period (use YYYY-Qn or YYYY-MM)",
    }.get(column.kind, "is not valid text")


def _parse_column(values: pd.Series, column: ColumnSpec) -> tuple[pd.Series, _Problems]:
    """Convert ``values`` to the column's type; return (parsed, masks of the rows refused and why).

    A refused value is missing in the parsed column.
    """
    present = values.notna()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        text = values.astype("string").str.strip()
        present = present & (text != "").fillna(False).astype(bool)
    else:
        text = values
    kind = column.kind
    if kind == "str":
        # Through a Categorical, so repeated values (account ids in millions of
        # usage rows) share one string object instead of one each.
        shared = np.asarray(pd.Categorical(text.where(present)).astype(object))
        parsed = pd.Series(
            np.where(present.to_numpy(dtype=bool), shared, None),  # type: ignore[call-overload]
            index=values.index,
            dtype=object,
        )
        return parsed, []
    if kind in ("date", "datetime", "month"):
        return _parse_dates(values, text, present, column)
    if kind in ("float", "int"):
        return _parse_numbers(text, present, column)
    if kind == "bool":
        lowered = text.astype("string").str.lower()
        parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
        parsed[lowered.isin(_TRUE).fillna(False)] = True
        parsed[lowered.isin(_FALSE).fillna(False)] = False
        return parsed, [((present & parsed.isna()).astype(bool), _parse_message(column))]
    if kind == "period":
        as_text = text.astype("string").str.upper()
        ok = as_text.str.match(_PERIOD_RE).fillna(False).astype(bool)
        parsed = as_text.astype(object).where(ok & present, None)
        return parsed, [((present & ~ok).astype(bool), _parse_message(column))]
    raise ValueError(f"unknown column kind {kind!r}")  # pragma: no cover - the contract's kinds only


def _parse_numbers(text: pd.Series, present: pd.Series, column: ColumnSpec) -> tuple[pd.Series, _Problems]:
    """Numbers: finite, and whole for ``int`` columns (ranges are the rules' job)."""
    number = pd.to_numeric(text.where(present), errors="coerce").astype("float64")
    unparsed = (present & number.isna()).astype(bool)
    infinite = (number.notna() & ~np.isfinite(number)).astype(bool)
    number = number.where(~infinite)
    problems: _Problems = [(infinite, "is not a finite number (infinite or too large)")]
    if column.kind == "int":
        unparsed |= (number.notna() & (number != np.floor(number))).astype(bool)
        huge = (number.abs() > _LARGEST_WHOLE).astype(bool)
        number = number.where(~unparsed & ~huge)
        problems.append((huge, "is too large for a whole number"))
        return number.round().astype("Int64"), [(unparsed, _parse_message(column)), *problems]
    return number, [(unparsed, _parse_message(column)), *problems]


def _parse_dates(
    values: pd.Series, text: pd.Series, present: pd.Series, column: ColumnSpec
) -> tuple[pd.Series, _Problems]:
    """Dates and date-times: naive, in UTC when the data gave a zone, within the accepted years.

    A timestamp with an offset (``+05:00``, ``Z``) is converted to UTC and
    the zone dropped; one without is taken as it is, so the rest of
    csreports only sees naive timestamps. In an ``open_ended`` column a date
    in the year 9999 is read as empty; elsewhere a date outside
    1900-01-01 … 2199-12-31 is refused.
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        parsed = values.dt.tz_convert(None) if values.dt.tz is not None else values
    else:
        if not pd.api.types.is_string_dtype(text.dtype):  # numbers where a date belongs
            text = text.astype("string")
        parsed = pd.to_datetime(text.where(present), errors="coerce", format="ISO8601", utc=True)
        parsed = parsed.dt.tz_convert(None)
    unparsed = (present & parsed.isna()).astype(bool)
    far = (parsed.notna() & ((parsed < _EARLIEST) | (parsed >= _LATEST))).astype(bool)
    hint = ""
    if column.open_ended:
        none = (parsed.notna() & (parsed.dt.year == OPEN_ENDED_YEAR)).astype(bool)
        far &= ~none
        parsed = parsed.where(~none)
        hint = f"; for none, leave it empty or use {OPEN_ENDED_YEAR}-12-31"
    parsed = parsed.where(~far).astype("datetime64[ns]")
    if column.kind != "datetime":
        parsed = parsed.dt.normalize()
    return parsed, [
        (unparsed, _parse_message(column)),
        (far, f"is outside the dates csreports reads ({EARLIEST_DATE} to {LATEST_DATE}){hint}"),
    ]


def _rules_schema(
    spec: TableSpec,
    settings: ValidationSettings,
    account_ids: pd.Series | None,
    csm_ids: pd.Series | None,
) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {}
    for column in spec.columns:
        checks: list[pa.Check] = []
        if column.minimum is not None and column.minimum_excluded:
            checks.append(
                pa.Check.gt(
                    column.minimum, error=f"is not above {column.minimum:g} (must be > {column.minimum:g})"
                )
            )
        elif column.minimum is not None:
            checks.append(
                pa.Check.ge(
                    column.minimum, error=f"is below {column.minimum:g} (must be >= {column.minimum:g})"
                )
            )
        if column.maximum is not None:
            checks.append(
                pa.Check.le(
                    column.maximum, error=f"is above {column.maximum:g} (must be <= {column.maximum:g})"
                )
            )
        allowed = _allowed_values(spec, column, settings)
        if allowed:
            checks.append(pa.Check.isin(allowed, error=f"is not one of {', '.join(map(repr, allowed))}"))
        if column.email:
            checks.append(
                pa.Check(
                    lambda value: address_problem(str(value)) is None,
                    element_wise=True,
                    ignore_na=True,
                    error="is not an e-mail address (expected name@domain)",
                )
            )
        if column.kind == "month":
            checks.append(
                pa.Check(lambda s: s.dt.day == 1, element_wise=False, error="is not the first day of a month")
            )
        if column.name == "account_id" and spec.references_accounts and account_ids is not None:
            checks.append(_known_values_check(account_ids, "is not an account_id in accounts"))
        if spec.name == "accounts" and column.name == "csm_id" and csm_ids is not None:
            checks.append(_known_values_check(csm_ids, "is not a csm_id in csms"))
        columns[column.name] = pa.Column(
            nullable=not column.required,
            checks=checks,
            required=False,
            coerce=False,
        )
    # Unique keys are checked by _duplicate_problems: pandas' duplicated() on
    # millions of object rows is several times slower than factorised codes.
    return pa.DataFrameSchema(columns, name=spec.name, strict=False)


def _known_values_check(known: pd.Series, error: str) -> pa.Check:
    """Values must be among ``known`` (missing values are left to the nullable rule).

    A closure over an Index, not ``Check.isin(set)``: pandera deep-copies
    check arguments, which for 100k ids costs seconds per column.
    """
    index = pd.Index(known.unique())
    return pa.Check(lambda s: s.isin(index) | s.isna(), element_wise=False, error=error)


def _allowed_values(spec: TableSpec, column: ColumnSpec, settings: ValidationSettings) -> tuple[str, ...]:
    if spec.name == "accounts" and column.name == "segment":
        return settings.segments
    if spec.name == "accounts" and column.name == "region":
        return settings.regions
    return column.allowed


def _run_schema(
    schema: pa.DataFrameSchema, frame: pd.DataFrame, table: RawTable, unparsed: dict[str, set[int]]
) -> list[DataProblem]:
    """Rule problems of the typed ``frame``, leaving out rows whose value already failed to parse."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        failures = errors.failure_cases
        rows = pd.to_numeric(failures["index"], errors="coerce")
        already = np.zeros(len(failures), dtype=bool)
        for column, refused in unparsed.items():
            if refused:
                in_column = (failures["column"] == column).to_numpy(dtype=bool)
                already |= in_column & rows.isin(list(refused)).to_numpy(dtype=bool)
        return _problems_from_failures(failures[~already], frame, table)
    return []


def _problems_from_failures(
    failures: pd.DataFrame, frame: pd.DataFrame, table: RawTable
) -> list[DataProblem]:
    """One problem per failing row (up to :data:`MAX_ROWS_PER_RULE` per rule), quoting the value as written."""
    origin = table.origin
    problems: list[DataProblem] = []
    for (_context, column, check), group in failures.groupby(
        ["schema_context", "column", "check"], sort=False, dropna=False
    ):
        indexes = [int(i) for i in group["index"].dropna().unique()]
        message = "is empty but required" if check == "not_nullable" else str(check)
        shown = indexes[:MAX_ROWS_PER_RULE]
        for index in shown:
            source = table.frame if column in table.frame.columns else frame
            value = source.at[index, column] if column in source.columns else None
            text = message if check == "not_nullable" else f"{_show(value)} {message}"
            problems.append(DataProblem(origin, index + 1, str(column), text))
        if len(indexes) > len(shown):
            problems.append(
                DataProblem(
                    origin,
                    None,
                    str(column),
                    f"{len(indexes) - len(shown)} more rows where the value {message}",
                )
            )
    return problems


def _duplicate_problems(frame: pd.DataFrame, columns: list[str], origin: str, key: str) -> list[DataProblem]:
    """One problem per row repeating an earlier row's ``columns`` (rows with a missing key part are skipped)."""
    group = _key_codes(frame, columns)
    duplicated = pd.Series(group).duplicated(keep="first").to_numpy() & (group >= 0)
    if not duplicated.any():
        return []
    first_row = pd.Series(np.arange(len(group))).groupby(group).first()
    indexes = np.flatnonzero(duplicated)
    problems = []
    for position in indexes[:MAX_ROWS_PER_RULE]:
        index = frame.index[position]
        shown = ", ".join(_show(v) for v in frame.loc[index, columns])
        first = int(frame.index[first_row[group[position]]]) + 1
        problems.append(
            DataProblem(origin, int(index) + 1, key, f"duplicate {key} {shown} (first seen on row {first})")
        )
    if len(indexes) > MAX_ROWS_PER_RULE:
        problems.append(
            DataProblem(origin, None, key, f"{len(indexes) - MAX_ROWS_PER_RULE} more duplicate rows")
        )
    return problems


def _key_codes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One int64 code per row for the combination of ``columns``; -1 where any part is missing."""
    combined = np.zeros(len(frame), dtype="int64")
    missing = np.zeros(len(frame), dtype=bool)
    for column in columns:
        codes, uniques = pd.factorize(frame[column])
        missing |= codes < 0
        combined = combined * (len(uniques) + 1) + (codes + 1)
        combined, _ = pd.factorize(combined)  # keep the key small so it cannot overflow
    return np.where(missing, -1, combined)


def _rows_problems(
    origin: str, column: str, bad: pd.Series, *, frame_values: pd.Series, message: str
) -> list[DataProblem]:
    indexes = list(bad.index[bad.to_numpy()])
    problems = [
        DataProblem(origin, int(i) + 1, column, f"{_show(frame_values.at[i])} {message}")
        for i in indexes[:MAX_ROWS_PER_RULE]
    ]
    if len(indexes) > MAX_ROWS_PER_RULE:
        problems.append(
            DataProblem(
                origin,
                None,
                column,
                f"{len(indexes) - MAX_ROWS_PER_RULE} more rows where the value {message}",
            )
        )
    return problems


def _currency_problems(
    raw: RawTables, typed: dict[str, pd.DataFrame], settings: ValidationSettings
) -> list[DataProblem]:
    accounts = typed["accounts"]
    origin = raw.tables["accounts"].origin if "accounts" in raw.tables else "accounts"
    used = sorted(set(accounts["currency"].dropna()) - {settings.reporting_currency})
    if not used or "fx_rates" in raw.refused:  # a refused fx_rates is reported already
        return []
    rates = typed["fx_rates"]
    if rates.empty:
        return [
            DataProblem(
                origin,
                None,
                "currency",
                f"accounts use {', '.join(used)} besides the reporting currency "
                f"{settings.reporting_currency} and there is no fx_rates table "
                "(add fx_rates, or set reporting_currency in configs/metrics.yaml)",
            )
        ]
    problems = []
    mrr = typed["mrr"].merge(accounts[["account_id", "currency"]], on="account_id", how="left")
    needed = mrr.loc[mrr["currency"].isin(used), ["month", "currency"]].drop_duplicates()
    have = rates[["month", "currency"]].drop_duplicates()
    missing = needed.merge(have, how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"].sort_values(["currency", "month"])
    fx_origin = raw.tables["fx_rates"].origin
    for row in missing.head(MAX_ROWS_PER_RULE).itertuples():
        problems.append(
            DataProblem(
                fx_origin,
                None,
                "rate_to_reporting",
                f"no rate for {shorten(str(row.currency))} in {row.month:%Y-%m}, used by MRR rows",
            )
        )
    if len(missing) > MAX_ROWS_PER_RULE:
        problems.append(
            DataProblem(
                fx_origin,
                None,
                "rate_to_reporting",
                f"{len(missing) - MAX_ROWS_PER_RULE} more months and currencies without a rate",
            )
        )
    return problems


def _did_you_mean(name: str, candidates: Iterable[object]) -> str:
    """``; did you mean 'x'?`` naming the closest column, compared without case; or nothing."""
    by_lower = {str(c).strip().lower(): str(c) for c in candidates}
    close = difflib.get_close_matches(name, list(by_lower), n=1)
    return f"; did you mean {quote(by_lower[close[0]])}?" if close else ""


def _show(value: object) -> str:
    """A value as a message quotes it, on one line and shortened."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "''"
    if isinstance(value, pd.Timestamp):
        return repr(value.strftime("%Y-%m-%d"))
    if isinstance(value, float) and value.is_integer():
        return repr(str(int(value)))
    return quote(str(value))
