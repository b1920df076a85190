"""Net and gross revenue retention, logo churn and the MRR bridge over a window.

Definitions (window = months ``[start, end]``; money in the reporting currency):

- *MRR at start* is the opening balance: the MRR of the month before
  ``start``. *Starting accounts* are those paying then.
- ``nrr`` = MRR at end of the starting accounts ÷ their MRR at start.
  New accounts are excluded. A starting account that churned inside the
  window and came back (a reactivation) counts as churned, with 0 at end,
  unless ``count_reactivation_in_nrr`` is set (``configs/metrics.yaml``).
- ``grr`` = Σ min(MRR at end, MRR at start) over starting accounts ÷ MRR at
  start, with the same reactivation rule. Never above 1.
- ``arr_end`` = ``mrr_end`` × 12.
- ``logos_lost`` = starting accounts not paying at end (a count);
  ``logo_churn`` = ``logos_lost`` ÷ starting accounts.
- The bridge: ``new_mrr + expansion_mrr + reactivation_mrr − contraction_mrr −
  churned_mrr = mrr_end − mrr_start`` for every group, where
  ``contraction_mrr`` and ``churned_mrr`` are positive amounts.

Rates are fractions (1.05 = 105%); NaN where there is nothing at start.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cs_calc.mrr import movement_matrices
from cs_calc.periods import Window

RETENTION_COLUMNS = (
    "accounts_start",
    "accounts_end",
    "accounts_retained",
    "logos_lost",
    "mrr_start",
    "mrr_end",
    "arr_end",
    "retained_mrr",
    "new_mrr",
    "expansion_mrr",
    "reactivation_mrr",
    "contraction_mrr",
    "churned_mrr",
    "nrr",
    "grr",
    "logo_churn",
)


def window_slice(matrix: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Columns opening month..end of ``matrix``; months before the data are 0.

    Raises ValueError when the window ends after the last month of data.
    """
    if len(matrix.columns) == 0 or window.end > matrix.columns.max():
        last = "no MRR data" if len(matrix.columns) == 0 else f"{matrix.columns.max():%Y-%m}"
        raise ValueError(f"window {window.label} ends after the last month of MRR data ({last})")
    months = pd.date_range(window.opening_month, window.end, freq="MS")
    return matrix.reindex(columns=months, fill_value=0.0)


def paid_before_month(matrix: pd.DataFrame, month: pd.Timestamp) -> np.ndarray:
    """Per row of ``matrix``: did the account pay in any month before ``month``?

    >>> months = pd.date_range("2026-01-01", periods=3, freq="MS")
    >>> m = pd.DataFrame([[5.0, 0, 0], [0, 0, 7]], index=["a", "b"], columns=months)
    >>> paid_before_month(m, months[2]).tolist()
    [True, False]
    """
    earlier = matrix.columns < month
    if not earlier.any():
        return np.zeros(len(matrix), dtype=bool)
    return (matrix.to_numpy(dtype="float64")[:, earlier] > 0).any(axis=1)


def account_retention(
    matrix: pd.DataFrame, window: Window, *, count_reactivation_in_nrr: bool = False
) -> pd.DataFrame:
    """Per-account figures behind retention: one row per account in ``matrix``.

    Columns: ``mrr_start, mrr_end, retained_mrr, grr_mrr, is_start, is_end,
    new_mrr, expansion_mrr, reactivation_mrr, contraction_mrr, churned_mrr``.
    Movements are classified against the account's whole history in
    ``matrix``, as in ``movements.csv``: an account that paid before the
    window, stopped and returns inside it is a reactivation, not new.
    ``retained_mrr`` and ``grr_mrr`` are 0 for accounts not paying at start.
    """
    sliced = window_slice(matrix, window)
    values = sliced.to_numpy(dtype="float64")
    start, end = values[:, 0], values[:, -1]
    is_start, is_end = start > 0, end > 0
    moves = movement_matrices(sliced, paid_before_month(matrix, window.opening_month))
    dropped_out = (values[:, 1:] <= 0).any(axis=1) if values.shape[1] > 1 else np.zeros(len(values), bool)
    counted_end = end if count_reactivation_in_nrr else np.where(dropped_out, 0.0, end)
    retained = np.where(is_start, counted_end, 0.0)
    return pd.DataFrame(
        {
            "mrr_start": start,
            "mrr_end": end,
            "retained_mrr": retained,
            "grr_mrr": np.where(is_start, np.minimum(retained, start), 0.0),
            "is_start": is_start,
            "is_end": is_end,
            "new_mrr": moves["new"].sum(axis=1),
            "expansion_mrr": moves["expansion"].sum(axis=1),
            "reactivation_mrr": moves["reactivation"].sum(axis=1),
            "contraction_mrr": -moves["contraction"].sum(axis=1),
            "churned_mrr": -moves["churn"].sum(axis=1),
        },
        index=matrix.index,
    )


def summarise_retention(per_account: pd.DataFrame, groups: pd.Series | None = None) -> pd.DataFrame:
    """Retention per group from :func:`account_retention` rows.

    ``groups`` maps ``account_id`` to a group label; accounts without one are
    grouped as ``"(none)"``. Without ``groups`` there is one row, ``"all"``.
    Returns one row per group (index ``group``) with :data:`RETENTION_COLUMNS`.
    """
    frame = per_account.assign(
        accounts_start=per_account["is_start"].astype(int),
        accounts_end=per_account["is_end"].astype(int),
        accounts_retained=(per_account["is_start"] & per_account["is_end"]).astype(int),
    )
    frame = frame.drop(columns=["is_start", "is_end"])
    if groups is None:  # one group; integer keys spare hashing a label per account
        sums = frame.groupby(np.zeros(len(frame), dtype=np.int8)).sum()
        sums.index = pd.Index(["all"] * len(sums), dtype=object, name="group")
    else:
        labels = groups.reindex(frame.index).astype(object).where(lambda s: s.notna(), "(none)")
        sums = frame.groupby(labels.rename("group")).sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        sums["nrr"] = np.where(sums["mrr_start"] > 0, sums["retained_mrr"] / sums["mrr_start"], np.nan)
        sums["grr"] = np.where(sums["mrr_start"] > 0, sums["grr_mrr"] / sums["mrr_start"], np.nan)
        sums["logos_lost"] = sums["accounts_start"] - sums["accounts_retained"]
        sums["arr_end"] = sums["mrr_end"] * 12
        sums["logo_churn"] = np.where(
            sums["accounts_start"] > 0, 1 - sums["accounts_retained"] / sums["accounts_start"], np.nan
        )
    return sums[list(RETENTION_COLUMNS)]


def compute_retention(
    matrix: pd.DataFrame,
    window: Window,
    groups: pd.Series | None = None,
    *,
    count_reactivation_in_nrr: bool = False,
) -> pd.DataFrame:
    """NRR, GRR, logo churn and the MRR bridge for ``window``, per group.

    >>> months = pd.date_range("2026-01-01", periods=4, freq="MS")
    >>> m = pd.DataFrame([[100.0, 100, 120, 130], [50, 50, 0, 0]], index=["a", "b"], columns=months)
    >>> r = compute_retention(m, Window(months[1], months[3]))
    >>> round(float(r.loc["all", "nrr"]), 4), round(float(r.loc["all", "grr"]), 4)
    (0.8667, 0.6667)
    """
    per_account = account_retention(matrix, window, count_reactivation_in_nrr=count_reactivation_in_nrr)
    return summarise_retention(per_account, groups)
