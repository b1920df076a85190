from __future__ import annotations

import pandas as pd
import pytest

from cs_calc.periods import Window, last_complete_quarter, parse_month, parse_quarter, quarters_ending


def test_quarter_parsing_and_labels():
    q = parse_quarter("2026-q3")
    assert (q.start, q.end, q.label) == (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-01"), "2026-Q3")
    assert q.opening_month == pd.Timestamp("2026-06-01")
    assert q.previous().label == "2026-Q2"
    assert [w.label for w in quarters_ending(q, 3)] == ["2026-Q1", "2026-Q2", "2026-Q3"]


def test_bad_periods_say_what_is_expected():
    with pytest.raises(ValueError, match=r"'2026-Q5' is not a quarter; use YYYY-Qn"):
        parse_quarter("2026-Q5")
    with pytest.raises(ValueError, match=r"'2026-13' is not a month; use YYYY-MM"):
        parse_month("2026-13")
    with pytest.raises(ValueError, match="before its start"):
        Window(pd.Timestamp("2026-05-01"), pd.Timestamp("2026-04-01"))


def test_last_complete_quarter():
    assert last_complete_quarter(pd.Timestamp("2026-10-01")).label == "2026-Q3"
    assert last_complete_quarter(pd.Timestamp("2026-09-01")).label == "2026-Q3"
    assert Window(parse_month("2026-01"), parse_month("2026-05")).label == "2026-01..2026-05"
