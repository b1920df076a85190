"""Inputs hashes, stray temp files and the resume check, without rendering anything."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reports.batch.hashing import Canonical, FrameRows, canonical_bytes, inputs_hash
from reports.batch.resume import clean_partials, reusable
from reports.batch.slice_hash import SliceHashes, account_slice_hash
from reports.documents.qbr.context import AccountIndex, account_data


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


def every_kind_of_column() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": ["a", None, "c'", "dé"],
            "when": pd.to_datetime(["2026-01-01", None, "2026-02-01", "2026-03-01"]),
            "count": pd.array([1, None, 3, 4], dtype="Int64"),
            "flag": pd.array([True, None, False, True], dtype="boolean"),
            "label": pd.array(["x", None, "y", "z"], dtype="string"),
            "kind": pd.Categorical(["p", "q", "p", "r"]),
            "amount": [1.0, np.nan, -0.0, np.inf],
            "small": np.array([1.0, np.nan, 2, 3], dtype="float32"),
            "n": [1, 2, 3, 4],
            "mixed": np.array([1, "a", None, 2.5], dtype=object),
            "gap": pd.to_timedelta([1, 2, None, 4], unit="D"),
            "month": pd.period_range("2026-01", periods=4, freq="M"),
        },
        index=[5, 6, 7, 8],
    )


@pytest.mark.parametrize("index", [None, "when", ["text", "n"]])
def test_frame_rows_feed_what_each_range_alone_feeds(index) -> None:
    frame = every_kind_of_column()
    if index is not None:
        frame = frame.set_index(index)
    rows = FrameRows(frame)
    for start in range(len(frame) + 1):
        for stop in range(start, len(frame) + 1):
            assert rows.rows(start, stop) == canonical_bytes(frame.iloc[start:stop]), (start, stop)
    assert inputs_hash(Canonical(rows.rows(1, 3))) == inputs_hash(frame.iloc[1:3])
    assert rows.rows(0, 2) != rows.rows(1, 3)


def test_packed_slice_hashes_equal_each_account_hashed_alone(sample_run, monkeypatch) -> None:
    index = AccountIndex(sample_run)
    ids = sorted(sample_run.dataset.tables["accounts"]["account_id"].astype(str))
    monkeypatch.delitem(index._mrr_rows, ids[3])  # an account without MRR travels as an empty series
    for chosen in (ids[:32], [ids[200], ids[7], ids[3], ids[7]], [ids[5]]):  # sliced, gathered, alone
        packed = index.account_slices(chosen)
        hashes = SliceHashes(packed)
        for i, account_id in enumerate(chosen):
            data = packed.account_data(i)
            assert (
                hashes.slice_hash(i, data)
                == account_slice_hash(data)
                == account_slice_hash(index.account_data(account_id))
            ), account_id
    packed = index.account_slices(ids[:2])
    assert SliceHashes(packed).slice_hash(0, packed.account_data(0)) != account_slice_hash(
        packed.account_data(1)
    )


def test_a_chunk_that_cannot_be_hashed_whole_is_hashed_account_by_account(
    sample_run, tmp_path: Path, monkeypatch
) -> None:
    from reports.batch import worker
    from reports.batch.job import parse_job
    from reports.batch.plan import make_plan

    ids = sorted(sample_run.dataset.tables["accounts"]["account_id"].astype(str))[:3]
    spec = {"kind": "qbr", "deck": "digital", "accounts": {"ids": ids}}
    plan = make_plan(
        parse_job({"documents": [spec]}, tmp_path / "j.yaml", sample_run.settings), sample_run, tmp_path
    )
    [chunk] = plan.qbr_chunks(3)

    def hashes() -> list[str | None]:
        results = worker.run_qbr_chunk(chunk, plan.shared)
        assert not any(result.error for result in results)
        return [result.inputs_hash for result in results]

    whole = hashes()
    monkeypatch.setattr(SliceHashes, "slice_hash", lambda self, i, data: 1 / 0)
    assert hashes() == whole
    monkeypatch.setattr(SliceHashes, "__init__", lambda self, slices: 1 / 0)
    assert hashes() == whole
    assert len(set(whole)) == 3
