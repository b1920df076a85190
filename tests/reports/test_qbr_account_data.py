"""The account slice: what AccountIndex cuts out equals a plain pandas selection of that account."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.errors import CsReportsError
from reports.qbr.account_data import TABLES, AccountIndex, _RowsByAccount


@pytest.fixture(scope="module")
def index(sample_run) -> AccountIndex:
    return AccountIndex(sample_run)


def test_slices_equal_the_rows_of_each_account(sample_run, index):
    tables = sample_run.dataset.tables
    for account_id in ("A-00001", "A-00140", "A-00399"):
        data = index.account_data(account_id)
        for name in TABLES:
            expected = tables[name][tables[name]["account_id"] == account_id]
            pd.testing.assert_frame_equal(data.tables[name], expected)
        signals = sample_run.metrics.signals
        pd.testing.assert_frame_equal(data.signals, signals[signals["account_id"] == account_id])


def test_rows_and_metrics_equal_loc(sample_run, index):
    m = sample_run.metrics
    accounts = sample_run.dataset.tables["accounts"].set_index("account_id", drop=False)
    data = index.account_data("A-00140")
    assert data.account == accounts.loc["A-00140"].to_dict()
    assert data.health == m.health.loc["A-00140"].to_dict()
    assert data.retention == m.per_account_retention.loc["A-00140"].to_dict()
    pd.testing.assert_series_equal(data.mrr, m.matrix.loc["A-00140"])
    assert data.csm["csm_id"] == data.account["csm_id"]


def test_rows_not_grouped_by_account_keep_table_order_and_labels():
    frame = pd.DataFrame(
        {"account_id": ["b", "a", None, "b", "a", "c"], "value": [1, 2, 3, 4, 5, 6]},
        index=[10, 11, 12, 13, 14, 15],
    )
    rows = _RowsByAccount(frame)
    for key, group in frame.groupby("account_id"):
        pd.testing.assert_frame_equal(rows.rows(key), group)
    assert rows.rows("zzz").empty and list(rows.rows("zzz").columns) == ["account_id", "value"]


def test_unknown_account_is_refused(index):
    with pytest.raises(CsReportsError, match="'nope' is not in the accounts table"):
        index.account_data("nope")
