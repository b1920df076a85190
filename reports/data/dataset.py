"""The validated, typed input tables of one run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from reports.data.contract import TABLES
from reports.output.files import unique_slugs


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
    def account_slugs(self) -> dict[str, str]:
        """Account id -> the slug its files are named by: ``safe_slug(id, name)``, unique.

        Accounts whose slugs collide (``A/1`` and ``A-1`` with one name) get a
        short hash of their id appended (:func:`~reports.output.files.unique_slugs`),
        computed over every account so a file name never depends on which
        accounts a run selected.
        """
        accounts = self.tables["accounts"]
        ids = [str(a) for a in accounts["account_id"]]
        names = accounts["name"] if "name" in accounts else [None] * len(ids)
        parts = [(i, None if n is None or n != n else n) for i, n in zip(ids, names, strict=True)]
        return dict(zip(ids, unique_slugs(ids, parts), strict=True))

    @cached_property
    def account_id_slugs(self) -> dict[str, str]:
        """Account id -> ``safe_slug(id)``, made unique the same way as :attr:`account_slugs`."""
        ids = [str(a) for a in self.tables["accounts"]["account_id"]]
        return dict(zip(ids, unique_slugs(ids, [(i,) for i in ids]), strict=True))

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
