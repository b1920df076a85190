"""One account's slice of a run: :class:`AccountData`, cut out by :class:`AccountIndex`.

The index groups a run's tables by account once; :meth:`AccountIndex.account_data`
then only looks rows up, so the parent process of a batch spends well under a
millisecond per account. An :class:`AccountData` holds that account's rows
and nothing of any other account; it is small and pickles quickly, since a
batch sends it to a worker process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cs_calc.periods import Window
from reports.qbr.comment_themes import CommentTags, tag_run_comments

TABLES = ("usage", "tickets", "nps", "contacts", "success_plans", "churn_events")
"""The contract tables an :class:`AccountData` carries, as this account's rows."""


@dataclass(frozen=True)
class AccountData:
    """One account's rows of every table and metric frame, plus run-level constants."""

    account: Mapping[str, Any]
    """The ``accounts`` row."""
    csm: Mapping[str, Any]
    """The ``csms`` row of the account's CSM; empty when unknown."""
    mrr: pd.Series
    """MRR per month (reporting currency), all months of data."""
    retention: Mapping[str, Any]
    """The account's row of ``per_account_retention`` (mrr_start, mrr_end …); empty if none."""
    health: Mapping[str, Any]
    """The account's row of ``metrics.health``; empty if none."""
    signals: pd.DataFrame
    tables: Mapping[str, pd.DataFrame]
    """usage, tickets, nps, contacts, success_plans, churn_events: this account's rows only."""
    window: Window
    as_of: pd.Timestamp
    definitions_version: str
    reporting_currency: str
    provenance: Mapping[str, str]
    comment_tags: Mapping[str, CommentTags] = field(default_factory=dict)
    """Themes and tone of this account's NPS comments before ``as_of`` that name a theme,
    by response id (the run's comments are tagged once, in the parent)."""
    theme_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Language -> display label of each theme named in ``comment_tags``."""

    @property
    def account_id(self) -> str:
        return str(self.account["account_id"])


class _RowsByAccount:
    """A table's rows grouped by ``account_id``: slices of one copy ordered by account.

    Each account's slice holds its rows in table order with their original
    index labels, as a ``groupby("account_id")`` group would. When every
    account's rows are already contiguous the table itself is sliced, no copy.
    """

    def __init__(self, frame: pd.DataFrame):
        self.empty = frame.iloc[0:0]
        self.ranges: dict[str, tuple[int, int]] = {}
        self.frame = frame
        if frame.empty:
            return
        codes, keys = pd.factorize(frame["account_id"], sort=False)
        if (codes < 0).any() or (np.diff(codes) < 0).any():
            order = np.argsort(codes, kind="stable")
            order = order[codes[order] >= 0]  # rows without an account belong to none
            self.frame = frame.take(order)
            codes = codes[order]
        counts = np.bincount(codes, minlength=len(keys)).tolist()
        starts = np.concatenate([[0], np.cumsum(counts)]).tolist()
        self.ranges = {
            str(key): (start, start + count)
            for key, start, count in zip(keys.tolist(), starts, counts, strict=False)
            if count
        }

    def rows(self, account_id: str) -> pd.DataFrame:
        """The rows of ``account_id`` (an empty frame with the table's columns when none)."""
        span = self.ranges.get(account_id)
        return self.empty if span is None else self.frame.iloc[span[0] : span[1]]


class _RecordsById:
    """A frame's rows as ``{column: value}`` dicts by index label, read column by column once."""

    def __init__(self, frame: pd.DataFrame):
        self.columns = list(frame.columns)
        self.values = [frame.iloc[:, j].tolist() for j in range(frame.shape[1])]
        self.position = {label: i for i, label in enumerate(frame.index.tolist())}

    def get(self, label: Any) -> dict[str, Any] | None:
        """The row of ``label`` as a dict (values boxed as Python scalars), or None."""
        try:
            i = self.position.get(label)
        except TypeError:  # unhashable label
            return None
        if i is None:
            return None
        return {column: values[i] for column, values in zip(self.columns, self.values, strict=True)}


class AccountIndex:
    """A run's tables grouped by account once, so cutting out each account is cheap."""

    def __init__(self, run: Any):
        tables = run.dataset.tables
        metrics = run.metrics
        self.run = run
        self.accounts = _RecordsById(tables["accounts"].set_index("account_id", drop=False))
        csms = tables["csms"]
        self.csms = _RecordsById(csms.set_index("csm_id", drop=False)) if not csms.empty else None
        self.tables = {name: _RowsByAccount(tables[name]) for name in TABLES}
        self.signals = _RowsByAccount(metrics.signals)
        self.retention = _RecordsById(metrics.per_account_retention)
        self.health = _RecordsById(metrics.health)
        matrix = metrics.matrix
        self._mrr_rows = {label: i for i, label in enumerate(matrix.index.tolist())}
        self._mrr_values = matrix.to_numpy()
        self._mrr_months = matrix.columns
        self._provenance = dict(run.provenance)
        self.comment_tags = tag_run_comments(run)

    def _mrr(self, account_id: str) -> pd.Series:
        row = self._mrr_rows.get(account_id)
        if row is None:
            return pd.Series(dtype=float)
        return pd.Series(self._mrr_values[row].copy(), index=self._mrr_months, name=account_id)

    def account_data(self, account_id: str) -> AccountData:
        """The :class:`AccountData` of ``account_id``; an unknown id raises ``CsReportsError``."""
        from reports.errors import CsReportsError

        account = self.accounts.get(account_id)
        if account is None:
            raise CsReportsError(f"account {account_id!r} is not in the accounts table")
        metrics = self.run.metrics
        csm = (self.csms.get(account.get("csm_id")) if self.csms is not None else None) or {}
        comment_tags, theme_labels = self.comment_tags.for_account(account_id)
        return AccountData(
            account=account,
            csm=csm,
            mrr=self._mrr(account_id),
            retention=self.retention.get(account_id) or {},
            health=self.health.get(account_id) or {},
            signals=self.signals.rows(account_id),
            tables={name: self.tables[name].rows(account_id) for name in TABLES},
            window=metrics.window,
            as_of=metrics.as_of,
            definitions_version=metrics.definitions_version,
            reporting_currency=metrics.reporting_currency,
            provenance=dict(self._provenance),
            comment_tags=comment_tags,
            theme_labels=theme_labels,
        )


_INDEX_CACHE: dict[int, AccountIndex] = {}


def account_data(run: Any, account_id: str) -> AccountData:
    """One account's :class:`AccountData` from a :class:`reports.pipeline.RunContext`."""
    index = _INDEX_CACHE.get(id(run))
    if index is None or index.run is not run:
        _INDEX_CACHE.clear()
        index = _INDEX_CACHE[id(run)] = AccountIndex(run)
    return index.account_data(account_id)
