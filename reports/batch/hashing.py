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
account's slice (about 50 columns) takes about a millisecond, mostly
per-column overhead; :class:`FrameRows` gives the bytes of any row range of
one frame after a single pass over its columns, so the accounts packed in one
frame are hashed for a third of that (:mod:`reports.batch.slice_hash`). A
column's canonical bytes are defined once, by :class:`ColumnRows`, for a whole
column and for any range of it alike.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


class ColumnRows:
    """The canonical bytes of one column's values (a numpy array or a pandas extension array), for
    any range ``values[start:stop]``, from one pass over ``values``.

    Numbers, datetimes and masks are their raw bytes (NaN canonicalised, NA as 0 behind a mask),
    text and other objects the ``repr`` of the values as a list; a header names the kind and dtype
    and, for all but plain object arrays, the number of values.
    """

    def __init__(self, values: Any):
        self.head = b""
        self.counted = True
        """Whether the head is followed by the number of values (all but plain object arrays)."""
        self.fixed: list[tuple[bytes, int]] = []
        """Fixed-width parts: the whole column's bytes and the width of one value, fed as a range."""
        self.items: list[bytes] | None = None
        """``repr`` of each value, fed as ``[a, b]`` (the ``repr`` of the range as a list)."""
        self.codes: ColumnRows | None = None
        self.tail = b""
        if isinstance(values, np.ndarray):
            kind = values.dtype.kind
            if kind in "fc":
                nan = np.isnan(values)
                if nan.any():
                    values = np.where(nan, np.nan, values)  # one NaN bit pattern
            if kind in "biumMfc":
                self.head = b"A" + values.dtype.str.encode()
                self._fixed(values)
            else:
                self.head, self.counted = b"O", False
                self.items = [repr(v).encode() for v in values.tolist()]
            return
        dtype = values.dtype
        self.head = b"E" + str(dtype).encode()
        if hasattr(values, "asi8"):
            self._fixed(values.asi8)
        elif isinstance(values, pd.Categorical):
            self.codes = ColumnRows(np.asarray(values.codes))
            self.tail = canonical_bytes(np.asarray(values.categories))
        elif isinstance(getattr(dtype, "numpy_dtype", None), np.dtype) and dtype.numpy_dtype.kind in "biuf":
            numpy_dtype = dtype.numpy_dtype
            self._fixed(np.asarray(values.isna(), dtype=bool))
            self._fixed(values.to_numpy(dtype=numpy_dtype, na_value=numpy_dtype.type(0)))
        else:
            self.items = [repr(v).encode() for v in values.tolist()]

    def _fixed(self, values: np.ndarray) -> None:
        self.fixed.append((np.ascontiguousarray(values).tobytes(), values.dtype.itemsize))

    def rows(self, start: int, stop: int) -> list[bytes]:
        """The parts fed for ``values[start:stop]``, in order."""
        parts = [self.head, b"%d:" % (stop - start)] if self.counted else [self.head]
        parts += [data[start * width : stop * width] for data, width in self.fixed]
        if self.items is not None:
            parts += [b"[", b", ".join(self.items[start:stop]), b"]"]
        if self.codes is not None:
            parts += self.codes.rows(start, stop)
        parts.append(self.tail)
        return parts


def _feed_array(digest: Any, values: Any) -> None:
    """One column's values: a numpy array or a pandas extension array."""
    for part in ColumnRows(values).rows(0, len(values)):
        digest.update(part)


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


@dataclasses.dataclass(frozen=True)
class Canonical:
    """A value already in canonical form (:func:`canonical_bytes`): hashed as the value it was made from."""

    data: bytes


def _feed(digest: Any, value: Any) -> None:
    kind = type(value)
    if kind in _SCALARS:  # the common case first: cells of the account's row dicts
        digest.update(b"V" + repr(value).encode())
    elif kind is Canonical:
        digest.update(value.data)
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


class _Collect:
    """Stands in for a sha256 object and keeps what it is fed."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def update(self, data: bytes) -> None:
        self.parts.append(data)


def canonical_bytes(value: Any) -> bytes:
    """The bytes :func:`inputs_hash` feeds sha256 for ``value``; ``Canonical(canonical_bytes(v))`` hashes as ``v``.

    >>> inputs_hash(Canonical(canonical_bytes({"a": [1, 2.5]}))) == inputs_hash({"a": [1, 2.5]})
    True
    """
    collected = _Collect()
    _feed(collected, value)
    return b"".join(collected.parts)


def index_bytes(index: pd.Index) -> bytes:
    """The bytes a Series or frame with this index is fed for it (after its values)."""
    collected = _Collect()
    _feed_index(collected, index)
    return b"".join(collected.parts)


class FrameRows:
    """Canonical bytes of row ranges of one frame, from one pass over each column.

    ``rows(start, stop)`` is ``canonical_bytes(frame.iloc[start:stop])``, at a
    small fraction of its cost when one frame holds the rows of many accounts:
    the per-column work (reading values, ``repr`` of text) is done once.
    """

    def __init__(self, frame: pd.DataFrame):
        self.width = frame.shape[1]
        self.names = repr(list(map(str, frame.columns))).encode()
        self.columns = [ColumnRows(values) for values in _frame_columns(frame)]
        index = frame.index
        self.levels: list[ColumnRows] = []
        if index.dtype.kind in "iu":
            self.index_head = b"I-"
            return
        self.index_head = b"I" + repr(list(map(str, index.names))).encode()
        if isinstance(index, pd.MultiIndex):
            self.levels = [ColumnRows(index.get_level_values(i).array) for i in range(index.nlevels)]
        else:
            self.levels = [ColumnRows(index.array)]

    def rows(self, start: int, stop: int) -> bytes:
        """``canonical_bytes(frame.iloc[start:stop])``."""
        parts = [b"F%d:%d" % (stop - start, self.width), self.names]
        for column in self.columns:
            parts += column.rows(start, stop)
        parts.append(self.index_head)
        for level in self.levels:
            parts += level.rows(start, stop)
        return b"".join(parts)


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
