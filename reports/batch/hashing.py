"""Stable content hashes of task inputs, the same in every process and on every run.

:func:`inputs_hash` walks DataFrames, Series, arrays, mappings, sequences,
dataclasses and scalars and feeds a canonical byte form of each into
sha256, so equal inputs give equal hashes regardless of pickling, dict
identity, string interning or process.

Pandas objects are hashed column by column: names, dtypes and values
(numbers, datetimes and masks as their raw bytes, NaN canonicalised; text
and other objects as the ``repr`` of their values). An integer index holds
row labels (positions in the full table an account's rows were cut from),
so it is left out: adding a row to one account changes no other account's
hash. Any other index (months, ids) is hashed like a column. Hashing one
account's slice (about 50 columns) takes well under a millisecond.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def _feed_array(digest: Any, values: Any) -> None:
    """One column's values: a numpy array or a pandas extension array."""
    if isinstance(values, np.ndarray):
        kind = values.dtype.kind
        if kind in "biumM":
            digest.update(b"A%s%d:" % (values.dtype.str.encode(), len(values)))
            digest.update(np.ascontiguousarray(values).tobytes())
            return
        if kind in "fc":
            nan = np.isnan(values)
            if nan.any():
                values = np.where(nan, np.nan, values)  # one NaN bit pattern
            digest.update(b"A%s%d:" % (values.dtype.str.encode(), len(values)))
            digest.update(np.ascontiguousarray(values).tobytes())
            return
        digest.update(b"O" + repr(values.tolist()).encode())
        return
    dtype = values.dtype
    digest.update(b"E" + str(dtype).encode() + b"%d:" % len(values))
    if hasattr(values, "asi8"):  # datetimes, timedeltas, periods: int64 with NaT as its minimum
        digest.update(np.ascontiguousarray(values.asi8).tobytes())
    elif isinstance(values, pd.Categorical):
        _feed_array(digest, np.asarray(values.codes))
        _feed_array(digest, np.asarray(values.categories))
    elif isinstance(getattr(dtype, "numpy_dtype", None), np.dtype) and dtype.numpy_dtype.kind in "biuf":
        numpy_dtype = dtype.numpy_dtype  # masked Int64 / boolean / Float64: mask, then values with NA as 0
        digest.update(np.asarray(values.isna(), dtype=bool).tobytes())
        digest.update(values.to_numpy(dtype=numpy_dtype, na_value=numpy_dtype.type(0)).tobytes())
    else:
        digest.update(repr(values.tolist()).encode())


def _frame_columns(frame: pd.DataFrame) -> list[Any]:
    """Every column's backing array, in order (through the block manager: 50x faster than ``items()``)."""
    manager = getattr(frame, "_mgr", None)
    get = getattr(manager, "iget_values", None)
    if get is None:  # pragma: no cover - other pandas internals
        return [column.array for _name, column in frame.items()]
    return [get(i) for i in range(frame.shape[1])]


def _feed_index(digest: Any, index: pd.Index) -> None:
    if index.dtype.kind in "iu":
        digest.update(b"I-")  # row labels: positions in the table the rows came from
        return
    digest.update(b"I" + repr(list(map(str, index.names))).encode())
    if isinstance(index, pd.MultiIndex):
        for level in range(index.nlevels):
            _feed_array(digest, index.get_level_values(level).array)
    else:
        _feed_array(digest, index.array)


_SCALARS = (str, int, bool, type(None))


def _feed(digest: Any, value: Any) -> None:
    kind = type(value)
    if kind in _SCALARS:  # the common case first: cells of the account's row dicts
        digest.update(b"V" + repr(value).encode())
    elif kind is float:
        digest.update(b"nan" if value != value else b"V" + repr(value).encode())
    elif isinstance(value, pd.DataFrame):
        digest.update(b"F%d:%d" % value.shape)
        digest.update(repr(list(map(str, value.columns))).encode())
        for column in _frame_columns(value):
            _feed_array(digest, column)
        _feed_index(digest, value.index)
    elif isinstance(value, pd.Series):
        digest.update(b"S" + repr(str(value.name)).encode())
        _feed_array(digest, value.array)
        _feed_index(digest, value.index)
    elif isinstance(value, pd.Index):
        digest.update(b"X")
        _feed_array(digest, value.array)
    elif isinstance(value, np.ndarray) and value.ndim == 1:
        _feed_array(digest, value)
    elif isinstance(value, np.ndarray):
        digest.update(b"N%r" % (value.shape,))
        _feed_array(digest, value.reshape(-1))
    elif isinstance(value, Mapping):
        digest.update(b"M%d" % len(value))
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(b"D" + type(value).__qualname__.encode())
        for item in dataclasses.fields(value):
            _feed(digest, item.name)
            _feed(digest, getattr(value, item.name))
    elif isinstance(value, list | tuple | frozenset | set):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        digest.update(b"L%d" % len(items))
        for item in items:
            _feed(digest, item)
    elif isinstance(value, bytes):
        digest.update(b"B%d:" % len(value) + value)
    elif isinstance(value, np.generic):
        _feed(digest, value.item())
    elif isinstance(value, float) and value != value:
        digest.update(b"nan")
    elif isinstance(value, Path):
        digest.update(b"P" + str(value).encode())
    else:
        digest.update(b"V" + repr(value).encode())


def inputs_hash(*parts: Any) -> str:
    """sha256 hex digest of ``parts`` in canonical form.

    >>> inputs_hash({"b": 1, "a": 2}) == inputs_hash({"a": 2, "b": 1})
    True
    >>> inputs_hash(pd.DataFrame({"x": [1]})) == inputs_hash(pd.DataFrame({"x": [2]}))
    False
    >>> len(inputs_hash("x"))
    64
    """
    digest = hashlib.sha256()
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()


def files_hash(folders: list[Path], pattern: str = "**/*") -> str:
    """sha256 over the relative names and bytes of every file under ``folders`` (missing ones skipped)."""
    digest = hashlib.sha256()
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
