"""The validated, typed input tables of one run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from reports.contract import TABLES


@dataclass(frozen=True, eq=False)
class Dataset:
    """Every contract table, typed; optional tables that were absent are empty.

    ``source`` names where the data came from (a folder or a database URL
    without its password).
    """

    tables: dict[str, pd.DataFrame]
    source: str

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame], *, source: str) -> Dataset:
        return cls(dict(tables), source)

    @property
    def row_counts(self) -> dict[str, int]:
        """Rows per table, in contract order."""
        return {spec.name: len(self.tables[spec.name]) for spec in TABLES}

    @cached_property
    def input_hash(self) -> str:
        """Short SHA-256 over every table's content (12 hex digits)."""
        digest = hashlib.sha256()
        for spec in TABLES:
            frame = self.tables[spec.name]
            digest.update(spec.name.encode())
            digest.update(",".join(map(str, frame.columns)).encode())
            if len(frame):
                hashed = pd.util.hash_pandas_object(frame, index=False)
                digest.update(hashed.to_numpy().tobytes())
        return digest.hexdigest()[:12]
