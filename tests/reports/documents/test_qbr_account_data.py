"""The account slice: what AccountIndex cuts out equals a plain pandas selection of that account."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reports.documents.qbr.account_data import TABLES, AccountIndex, _RowsByAccount
from reports.errors import CsReportsError


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


def assert_same_data(left, right) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(left.tables[name], right.tables[name])
    pd.testing.assert_frame_equal(left.signals, right.signals)
    pd.testing.assert_series_equal(left.mrr, right.mrr)
    for field in ("account", "csm", "retention", "health", "provenance", "comment_tags", "theme_labels"):
        assert getattr(left, field) == getattr(right, field), field
    assert (left.window, left.as_of, left.reporting_currency) == (
        right.window,
        right.as_of,
        right.reporting_currency,
    )


def test_packed_accounts_unpack_to_their_own_slices(sample_run, index):
    # Out of table order, so rows are gathered rather than sliced; one account asked for twice.
    ids = ["A-00140", "A-00001", "A-00399", "A-00002", "A-00140"]
    packed = index.account_slices(ids)
    assert len(packed) == len(ids)
    for i, account_id in enumerate(ids):
        assert_same_data(packed.account_data(i), index.account_data(account_id))
    for name in TABLES:
        frame, offsets = packed.frames[name]
        assert set(frame["account_id"]) <= set(ids)  # nothing of any other account travels
        assert offsets[-1] == len(frame)


def test_packed_neighbours_are_sliced_not_copied(index):
    usage = index.tables["usage"]
    first, second = sorted(usage.ranges, key=lambda a: usage.ranges[a])[:2]
    frame, offsets = usage.pack([first, second])
    assert offsets == (0, *(usage.ranges[a][1] - usage.ranges[first][0] for a in (first, second)))
    assert frame.index.equals(usage.frame.index[: offsets[-1]])
    assert np.shares_memory(frame["value"].to_numpy(), usage.frame["value"].to_numpy())


def test_an_account_without_mrr_unpacks_to_an_empty_series(sample_run, monkeypatch):
    index = AccountIndex(sample_run)
    monkeypatch.delitem(index._mrr_rows, "A-00002")
    packed = index.account_slices(["A-00001", "A-00002"])
    assert packed.account_data(1).mrr.empty
    pd.testing.assert_series_equal(packed.account_data(0).mrr, sample_run.metrics.matrix.loc["A-00001"])


def test_pack_keeps_accounts_without_rows():
    frame = pd.DataFrame(
        {"account_id": ["b", "a", None, "b", "a", "c"], "value": [1, 2, 3, 4, 5, 6]},
        index=[10, 11, 12, 13, 14, 15],
    )
    rows = _RowsByAccount(frame)
    packed, offsets = rows.pack(["c", "zzz", "b"])
    assert offsets == (0, 1, 1, 3)
    assert packed["value"].tolist() == [6, 1, 4] and packed.index.tolist() == [15, 10, 13]
    # Grouped in id order, accounts next to each other by id are one slice of the grouped copy.
    neighbours, offsets = rows.pack(["a", "b"])
    assert offsets == (0, 2, 4) and neighbours.index.tolist() == [11, 14, 10, 13]
    assert np.shares_memory(neighbours["value"].to_numpy(), rows.frame["value"].to_numpy())
    empty, offsets = rows.pack(["zzz"])
    assert empty.empty and offsets == (0, 0) and list(empty.columns) == ["account_id", "value"]


def test_packing_refuses_an_unknown_account(index):
    with pytest.raises(CsReportsError, match="'nope' is not in the accounts table"):
        index.account_slices(["A-00001", "nope"])
