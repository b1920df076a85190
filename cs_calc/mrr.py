"""MRR as an account × month matrix, and its month-to-month movements.

Movements compare each month m with m−1 for one account:

- ``new``: 0 → >0 and the account never paid before;
- ``reactivation``: 0 → >0 and the account paid before;
- ``expansion``: an increase while paying in both months;
- ``contraction``: a decrease that stays above 0;
- ``churn``: >0 → 0.

Amounts are signed changes in MRR (reporting currency): new, reactivation and
expansion are positive, contraction and churn negative. For every window the
movements sum exactly to MRR(end) − MRR(opening month).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MOVEMENT_KINDS = ("new", "expansion", "reactivation", "contraction", "churn")


def to_reporting_currency(
    mrr: pd.DataFrame,
    accounts: pd.DataFrame,
    fx_rates: pd.DataFrame,
    reporting_currency: str,
) -> pd.DataFrame:
    """MRR rows converted to the reporting currency.

    Rows of accounts whose ``currency`` is empty or equals
    ``reporting_currency`` are unchanged; others are multiplied by
    ``fx_rates.rate_to_reporting`` for their month and currency.

    Returns a copy of ``mrr`` with ``mrr`` in the reporting currency.
    """
    currency = mrr["account_id"].map(accounts.set_index("account_id")["currency"])
    foreign = currency.notna() & (currency != reporting_currency)
    if not foreign.any():
        return mrr.copy()
    rates = fx_rates.set_index(["month", "currency"])["rate_to_reporting"]
    keys = pd.MultiIndex.from_arrays([mrr.loc[foreign, "month"], currency[foreign]])
    converted = mrr.copy()
    converted.loc[foreign, "mrr"] = mrr.loc[foreign, "mrr"].to_numpy() * rates.reindex(keys).to_numpy()
    return converted


def mrr_matrix(mrr: pd.DataFrame, months: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Pivot MRR rows into accounts (index) × months (columns), missing = 0.

    ``months`` defaults to every month from the first to the last in ``mrr``;
    months outside it are dropped. Duplicate (account, month) rows are summed.

    >>> rows = pd.DataFrame({"account_id": ["a", "a"], "mrr": [10.0, 12.0],
    ...     "month": pd.to_datetime(["2026-01-01", "2026-03-01"])})
    >>> mrr_matrix(rows).to_numpy().tolist()
    [[10.0, 0.0, 12.0]]
    """
    if months is None:
        if mrr.empty:
            months = pd.DatetimeIndex([])
        else:
            months = pd.date_range(mrr["month"].min(), mrr["month"].max(), freq="MS")
    accounts = pd.Index(sorted(mrr["account_id"].unique()), name="account_id")
    col = months.get_indexer(mrr["month"])
    row = accounts.get_indexer(mrr["account_id"])
    keep = col >= 0
    values = np.zeros((len(accounts), len(months)), dtype="float64")
    np.add.at(values, (row[keep], col[keep]), mrr["mrr"].to_numpy(dtype="float64")[keep])
    return pd.DataFrame(values, index=accounts, columns=months)


def movement_matrices(matrix: pd.DataFrame, paid_earlier: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Signed movement amounts per kind, same shape as ``matrix``.

    Column 0 (the first month) has no movements: it is the opening balance.
    ``paid_earlier`` (one bool per row) says which accounts paid in some
    month *before* the matrix's first column; pass it when ``matrix`` is a
    slice of the account's history, so a return after a gap is classified
    against the whole history (``reactivation``), never as ``new``. Without
    it the matrix is taken to start at the beginning of the data.

    >>> months = pd.date_range("2026-02-01", periods=3, freq="MS")
    >>> sliced = pd.DataFrame([[0.0, 0.0, 50.0]], index=["a"], columns=months)
    >>> float(movement_matrices(sliced)["new"].sum()), float(movement_matrices(sliced)["reactivation"].sum())
    (50.0, 0.0)
    >>> float(movement_matrices(sliced, np.array([True]))["reactivation"].sum())
    50.0
    """
    values = matrix.to_numpy(dtype="float64")
    previous = np.zeros_like(values)
    previous[:, 1:] = values[:, :-1]
    paying, was_paying = values > 0, previous > 0
    paid_before = np.zeros_like(paying)
    if values.shape[1] > 1:
        paid_before[:, 1:] = np.maximum.accumulate(paying, axis=1)[:, :-1]
    if paid_earlier is not None:
        paid_before |= np.asarray(paid_earlier, dtype=bool)[:, None]
    change = values - previous
    starts = paying & ~was_paying
    kinds = {
        "new": starts & ~paid_before,
        "reactivation": starts & paid_before,
        "expansion": paying & was_paying & (change > 0),
        "contraction": paying & was_paying & (change < 0),
        "churn": ~paying & was_paying,
    }
    result = {}
    for kind, mask in kinds.items():
        mask = mask.copy()
        if mask.shape[1]:
            mask[:, 0] = False
        result[kind] = np.where(mask, change, 0.0)
    return result


def classify_mrr_movements(mrr: pd.DataFrame) -> pd.DataFrame:
    """One row per non-zero movement: ``account_id, month, movement, amount``.

    ``amount`` is the signed change in MRR (reporting currency). The first
    month of ``mrr`` is the opening balance and carries no movements. Empty
    input gives an empty frame with those columns.
    """
    matrix = mrr_matrix(mrr)
    frames = []
    for kind, amounts in movement_matrices(matrix).items():
        rows, cols = np.nonzero(amounts)
        if len(rows) == 0:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "account_id": matrix.index.to_numpy()[rows],
                    "month": matrix.columns.to_numpy()[cols],
                    "movement": kind,
                    "amount": amounts[rows, cols],
                }
            )
        )
    if not frames:
        return pd.DataFrame(
            {
                "account_id": pd.Series([], dtype=object),
                "month": pd.Series([], dtype="datetime64[ns]"),
                "movement": pd.Series([], dtype=object),
                "amount": pd.Series([], dtype="float64"),
            }
        )
    movements = pd.concat(frames, ignore_index=True)
    order = pd.Categorical(movements["movement"], categories=MOVEMENT_KINDS, ordered=True)
    return (
        movements.assign(_order=order)
        .sort_values(["account_id", "month", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
