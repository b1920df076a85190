"""rows_where: the same rows whether the frames share an index (by position) or not (by label)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cs_calc.selection import rows_where


def test_rows_by_position_and_by_label_agree() -> None:
    mrr = pd.DataFrame({"2026-07": [10.0, 0.0, 30.0], "2026-08": [11.0, 0.0, 31.0]}, index=["A", "B", "C"])
    paying = pd.Series([True, False, True], index=["A", "B", "C"])
    pd.testing.assert_frame_equal(rows_where(mrr, paying), mrr.loc[["A", "C"]])
    shuffled = mrr.loc[["C", "B", "A"]]  # the same accounts in another order: looked up by label
    pd.testing.assert_frame_equal(rows_where(shuffled, paying), mrr.loc[["A", "C"]])
    bands = pd.Series(["green", "red"], index=["C", "A"])  # B missing, order differs
    assert rows_where(bands, paying).to_dict() == {"A": "red", "C": "green"}


def test_labels_the_values_lack_give_nan() -> None:
    scores = pd.Series([0.9], index=["A"])
    mask = pd.Series([True, True, False], index=["A", "Z", "B"])
    picked = rows_where(scores, mask)
    assert picked.index.tolist() == ["A", "Z"]
    assert picked["A"] == 0.9 and np.isnan(picked["Z"])
