"""One account's slice of a run: :class:`AccountData`, cut out by :class:`AccountIndex`.

The index groups a run's tables by account once; :meth:`AccountIndex.account_data`
then only looks rows up, so the parent process of a batch spends well under a
millisecond per account. An :class:`AccountData` holds that account's rows
and nothing of any other account.

A batch sends a few accounts to a worker at a time, all rendered by that
worker: :meth:`AccountIndex.account_slices` packs them as one frame per
table (:class:`AccountSlices`), since pickling and unpickling a pandas frame
costs about the same for 3 rows as for 30. The worker unpacks each
account's :class:`AccountData`, equal to the one ``account_data`` cuts.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cs_calc.account_facts import CommentTags
from cs_calc.periods import Window
from reports.documents.qbr.comment_themes import tag_run_comments

if TYPE_CHECKING:
    from reports.pipeline import RunContext

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
    """A table's rows grouped by ``account_id``: slices of one copy ordered by account id.

    Each account's slice holds its rows in table order with their original
    index labels, as a ``groupby("account_id")`` group would. When the table
    is already ordered by account id it is sliced, not copied. Ordered by id,
    the rows of accounts that follow each other in a batch (which renders
    accounts by id) are one slice too.
    """

    def __init__(self, frame: pd.DataFrame):
        self.empty = frame.iloc[0:0]
        self.ranges: dict[str, tuple[int, int]] = {}
        self.frame = frame
        if frame.empty:
            return
        codes, keys = pd.factorize(frame["account_id"], sort=True)
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

    def pack(self, account_ids: Sequence[str]) -> tuple[pd.DataFrame, tuple[int, ...]]:
        """The rows of ``account_ids``, account after account, and where each account's rows start.

        The offsets have one more entry than ``account_ids``: account ``i``
        owns rows ``offsets[i]:offsets[i + 1]``. Accounts whose rows follow
        each other in the table are sliced, not copied.
        """
        spans = [self.ranges.get(account_id, (0, 0)) for account_id in account_ids]
        offsets = np.concatenate([[0], np.cumsum([end - start for start, end in spans])]).tolist()
        present = [span for span in spans if span[1] > span[0]]
        if not present:
            return self.empty, tuple(offsets)
        if all(a[1] == b[0] for a, b in itertools.pairwise(present)):
            return self.frame.iloc[present[0][0] : present[-1][1]], tuple(offsets)
        positions = np.concatenate([np.arange(start, end) for start, end in present])
        return self.frame.take(positions), tuple(offsets)


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


@dataclass(frozen=True)
class AccountSlices:
    """Several accounts' :class:`AccountData`, packed to travel together: one frame per table.

    Made by :meth:`AccountIndex.account_slices`; :meth:`account_data` unpacks
    account ``i`` (in the order asked for). Holds the rows of these accounts
    only.
    """

    heads: tuple[Mapping[str, Any], ...]
    """Per account: its ``AccountData`` fields that are not frames or series."""
    mrr: np.ndarray
    """One row per account: MRR per month (reporting currency); NaN rows where ``mrr_known`` is False."""
    mrr_known: tuple[bool, ...]
    mrr_months: pd.Index
    frames: Mapping[str, tuple[pd.DataFrame, tuple[int, ...]]]
    """``signals`` and each of :data:`TABLES`: the accounts' rows and each account's first row."""
    constants: Mapping[str, Any]
    """window, as_of, definitions_version, reporting_currency: the same for every account of a run."""

    def __len__(self) -> int:
        return len(self.heads)

    def _rows(self, name: str, i: int) -> pd.DataFrame:
        frame, offsets = self.frames[name]
        if len(self.heads) == 1:
            return frame
        return frame.iloc[offsets[i] : offsets[i + 1]]

    def account_data(self, i: int) -> AccountData:
        """The :class:`AccountData` of the ``i``-th account."""
        head = self.heads[i]
        if self.mrr_known[i]:
            mrr = pd.Series(
                self.mrr[i].copy(), index=self.mrr_months, name=str(head["account"]["account_id"])
            )
        else:
            mrr = pd.Series(dtype=float)
        return AccountData(
            **head,
            mrr=mrr,
            signals=self._rows("signals", i),
            tables={name: self._rows(name, i) for name in TABLES},
            **self.constants,
        )


class AccountIndex:
    """A run's tables grouped by account once, so cutting out each account is cheap."""

    def __init__(self, run: RunContext):
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
        self._mrr_nan = np.full(len(matrix.columns), np.nan)
        self._provenance = dict(run.provenance)
        self.comment_tags = tag_run_comments(run)

    def _head(self, account_id: str) -> dict[str, Any]:
        from reports.errors import CsReportsError

        account = self.accounts.get(account_id)
        if account is None:
            raise CsReportsError(f"account {account_id!r} is not in the accounts table")
        csm = (self.csms.get(account.get("csm_id")) if self.csms is not None else None) or {}
        comment_tags, theme_labels = self.comment_tags.for_account(account_id)
        return {
            "account": account,
            "csm": csm,
            "retention": self.retention.get(account_id) or {},
            "health": self.health.get(account_id) or {},
            "provenance": dict(self._provenance),
            "comment_tags": comment_tags,
            "theme_labels": theme_labels,
        }

    def account_slices(self, account_ids: Sequence[str]) -> AccountSlices:
        """The data of ``account_ids``, packed; an unknown id raises ``CsReportsError``."""
        heads = tuple(self._head(account_id) for account_id in account_ids)
        rows = [self._mrr_rows.get(account_id) for account_id in account_ids]
        known = tuple(row is not None for row in rows)
        mrr = np.stack([self._mrr_nan if row is None else self._mrr_values[row] for row in rows])
        groups = {"signals": self.signals, **self.tables}
        metrics = self.run.metrics
        return AccountSlices(
            heads=heads,
            mrr=mrr,
            mrr_known=known,
            mrr_months=self._mrr_months,
            frames={name: group.pack(account_ids) for name, group in groups.items()},
            constants={
                "window": metrics.window,
                "as_of": metrics.as_of,
                "definitions_version": metrics.definitions_version,
                "reporting_currency": metrics.reporting_currency,
            },
        )

    def account_data(self, account_id: str) -> AccountData:
        """The :class:`AccountData` of ``account_id``; an unknown id raises ``CsReportsError``."""
        return self.account_slices([account_id]).account_data(0)


_INDEX_CACHE: dict[int, AccountIndex] = {}


def account_data(run: RunContext, account_id: str) -> AccountData:
    """One account's :class:`AccountData` from a :class:`reports.pipeline.RunContext`."""
    index = _INDEX_CACHE.get(id(run))
    if index is None or index.run is not run:
        _INDEX_CACHE.clear()
        index = _INDEX_CACHE[id(run)] = AccountIndex(run)
    return index.account_data(account_id)
