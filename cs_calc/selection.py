"""Picking accounts' rows by a mask over another frame's accounts."""

from __future__ import annotations

from typing import TypeVar

import pandas as pd

Rows = TypeVar("Rows", pd.Series, pd.DataFrame)


def rows_where(values: Rows, mask: pd.Series) -> Rows:
    """The rows of ``values`` labelled as ``mask``'s True entries, in ``mask``'s order.

    Labels ``values`` lacks give NaN rows. When both share one index (the
    usual case: frames of the same accounts) rows are picked by position,
    with no label lookup over every account.
    """
    chosen = mask.to_numpy(dtype=bool)
    if values.index.equals(mask.index):
        return values[chosen]
    return values.reindex(mask.index[chosen])
