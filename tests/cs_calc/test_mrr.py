from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_calc.mrr import classify_mrr_movements, mrr_matrix, to_reporting_currency


def _rows(data: dict[str, list[float]], start: str = "2026-01-01") -> pd.DataFrame:
    months = pd.date_range(start, periods=len(next(iter(data.values()))), freq="MS")
    return pd.DataFrame(
        [
            {"account_id": account, "month": month, "mrr": value}
            for account, values in data.items()
            for month, value in zip(months, values, strict=True)
            if value
        ]
    )


def test_each_kind_of_movement_is_classified():
    # a: 100 -> 120 expansion, -> 0 churn, -> 80 reactivation, -> 60 contraction
    # b: absent in Jan, 50 in Feb = new
    movements = classify_mrr_movements(_rows({"a": [100, 120, 0, 80, 60], "b": [0, 50, 50, 50, 50]}))
    got = [(r.account_id, f"{r.month:%m}", r.movement, r.amount) for r in movements.itertuples()]
    assert got == [
        ("a", "02", "expansion", 20.0),
        ("a", "03", "churn", -120.0),
        ("a", "04", "reactivation", 80.0),
        ("a", "05", "contraction", -20.0),
        ("b", "02", "new", 50.0),
    ]


def test_first_month_is_the_opening_balance_without_movements():
    movements = classify_mrr_movements(_rows({"a": [100, 100]}))
    assert movements.empty
    assert list(movements.columns) == ["account_id", "month", "movement", "amount"]


def test_one_month_account_and_empty_input():
    assert classify_mrr_movements(_rows({"a": [100]})).empty
    empty = pd.DataFrame({"account_id": [], "month": pd.to_datetime([]), "mrr": []})
    assert classify_mrr_movements(empty).empty
    assert mrr_matrix(empty).shape == (0, 0)


def test_account_that_churns_and_returns_is_reactivation_not_new():
    # "anchor" makes January the first month of data, so "a" starts in February.
    movements = classify_mrr_movements(_rows({"anchor": [1, 1, 1, 1, 1], "a": [0, 10, 0, 0, 10]}))
    assert movements["movement"].tolist() == ["new", "churn", "reactivation"]


def test_tiny_fixture_movements_by_hand(tiny_run):
    # Window 2026-Q3 (Jul-Sep), see tests/fixtures/tiny/mrr.csv:
    # A1 +20 Jul, +30 Sep expansion; A2 -500 Aug contraction; A3 +300 Jul new;
    # A4 -50 Jul churn; A5 -3000 Aug churn, +3200 Sep reactivation.
    m = tiny_run.metrics.movements
    q3 = m[m["month"] >= "2026-07-01"]
    assert q3.groupby("movement")["amount"].sum().to_dict() == {
        "churn": -3050.0,
        "contraction": -500.0,
        "expansion": 50.0,
        "new": 300.0,
        "reactivation": 3200.0,
    }


def test_foreign_currency_rows_are_converted_with_the_months_rate():
    mrr = _rows({"a": [100, 100], "b": [10, 10]})
    accounts = pd.DataFrame({"account_id": ["a", "b"], "currency": ["USD", "SEK"]})
    fx = pd.DataFrame(
        {
            "month": pd.to_datetime(["2026-01-01", "2026-02-01"]),
            "currency": ["SEK", "SEK"],
            "rate_to_reporting": [0.1, 0.2],
        }
    )
    converted = to_reporting_currency(mrr, accounts, fx, "USD")
    assert converted.sort_values(["account_id", "month"])["mrr"].tolist() == [100.0, 100.0, 1.0, 2.0]


mrr_paths = st.dictionaries(
    st.sampled_from(list("abcdef")),
    st.lists(st.sampled_from([0.0, 0.0, 5.0, 10.0, 12.5, 100.0, 250.0]), min_size=6, max_size=6),
    min_size=1,
)


@settings(max_examples=60, deadline=None)
@given(mrr_paths)
def test_movements_sum_exactly_to_the_change_in_total_mrr(paths):
    rows = _rows(paths)
    if rows.empty:
        return
    matrix = mrr_matrix(rows, pd.date_range("2026-01-01", periods=6, freq="MS"))
    movements = classify_mrr_movements(rows)
    first_month, last_month = rows["month"].min(), rows["month"].max()
    total = matrix.sum(axis=0).loc[:last_month]
    expected = total.loc[last_month] - total.loc[first_month]
    assert np.isclose(movements["amount"].sum(), expected)
    # Every month's movements add up to that month's change too.
    per_month = movements.groupby("month")["amount"].sum().reindex(total.index, fill_value=0.0)
    change = total.diff().fillna(0.0)
    change[total.index <= first_month] = 0.0
    assert np.allclose(per_month.to_numpy(), change.to_numpy())
