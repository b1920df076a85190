"""Inputs hashes, stray temp files and the resume check, without rendering anything."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import numpy as np
import pandas as pd

from reports.batch.hashing import inputs_hash
from reports.batch.resume import clean_partials, reusable
from reports.qbr.context import account_data


def test_slice_hash_is_stable_and_sensitive(sample_run) -> None:
    data = account_data(sample_run, str(sample_run.dataset.tables["accounts"]["account_id"].iloc[0]))
    assert inputs_hash(data) == inputs_hash(pickle.loads(pickle.dumps(data)))
    usage = data.tables["usage"].copy()
    usage.loc[usage.index[0], "value"] = usage["value"].iloc[0] + 1
    changed = type(data)(**{**data.__dict__, "tables": {**data.tables, "usage": usage}})
    assert inputs_hash(changed) != inputs_hash(data)
    assert inputs_hash(pd.Series([1.0, float("nan")])) == inputs_hash(pd.Series([1.0, float("nan")]))


def test_clean_partials_removes_only_temp_files(tmp_path: Path) -> None:
    (tmp_path / "qbr").mkdir()
    keep = [tmp_path / "qbr" / "a.pptx", tmp_path / "qbr" / "part.pptx", tmp_path / "manifest.json"]
    gone = [tmp_path / "qbr" / ".a.pptx.x1y2.part", tmp_path / ".b.k3.part.pdf"]
    for path in keep + gone:
        path.write_bytes(b"x")
    assert clean_partials(tmp_path) == 2
    assert all(p.exists() for p in keep) and not any(p.exists() for p in gone)


def test_reusable_needs_matching_entry_file_and_digest(tmp_path: Path) -> None:
    (tmp_path / "a.pptx").write_bytes(b"deck")
    entry = {
        "document": "qbr-pptx",
        "status": "ok",
        "path": "a.pptx",
        "account_id": "A-1",
        "sha256": hashlib.sha256(b"deck").hexdigest(),
        "inputs_hash": "h",
    }
    [carried] = reusable([entry], tmp_path, {"a.pptx"})
    assert (carried.status, carried.path, carried.inputs_hash) == ("skipped", "a.pptx", "h")
    assert reusable(None, tmp_path) is None
    assert reusable([entry], tmp_path, {"b.pptx"}) is None
    assert reusable([{**entry, "status": "failed"}], tmp_path) is None
    (tmp_path / "a.pptx").write_bytes(b"edited")
    assert reusable([entry], tmp_path) is None
    (tmp_path / "a.pptx").unlink()
    assert reusable([entry], tmp_path) is None


def test_integer_row_labels_are_left_out_other_indexes_count() -> None:
    rows = pd.DataFrame({"account_id": ["A", "A"], "value": [1.0, 2.0]})
    moved = rows.set_axis([17, 18])  # the same rows cut from further down the table
    assert inputs_hash(rows) == inputs_hash(moved)
    months = pd.Series([1.0, 2.0], index=pd.date_range("2026-01-01", periods=2, freq="MS"))
    assert inputs_hash(months) != inputs_hash(
        months.set_axis(pd.date_range("2025-01-01", periods=2, freq="MS"))
    )
    assert inputs_hash(rows) != inputs_hash(rows.iloc[::-1].reset_index(drop=True))  # order counts


def test_every_column_kind_is_hashed_by_value() -> None:
    frame = pd.DataFrame(
        {
            "text": ["a", None],
            "when": pd.to_datetime(["2026-01-01", None]),
            "count": pd.array([1, None], dtype="Int64"),
            "flag": pd.array([True, None], dtype="boolean"),
            "label": pd.array(["x", None], dtype="string"),
            "kind": pd.Categorical(["p", "q"]),
        }
    )
    assert inputs_hash(frame) == inputs_hash(frame.copy())
    for column, value in [("text", "b"), ("when", pd.Timestamp("2026-01-02")), ("count", 0), ("flag", False)]:
        changed = frame.copy()
        changed.loc[1, column] = value
        assert inputs_hash(changed) != inputs_hash(frame), column
    assert inputs_hash(frame) != inputs_hash(frame.astype({"count": "float64"}))


def test_large_arrays_are_hashed_whole() -> None:
    values = np.arange(5000, dtype=float)
    changed = values.copy()
    changed[2500] = -1
    assert inputs_hash(values) != inputs_hash(changed)  # repr() would elide the middle
    objects = np.array([str(v) for v in range(5000)], dtype=object)
    other = objects.copy()
    other[2500] = "x"
    assert inputs_hash(objects) != inputs_hash(other)
