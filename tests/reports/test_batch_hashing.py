"""Inputs hashes, stray temp files and the resume check, without rendering anything."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pandas as pd

from reports.batch.hashing import inputs_hash
from reports.batch.runner import clean_partials, reusable
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
