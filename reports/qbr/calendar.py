"""The months and periods a QBR looks at, worked out once per run (every deck shares them).

:func:`deck_calendar` turns the run's window, ``as_of`` and the deck
thresholds into month lists and ``[start, end)`` bounds as ``datetime64[ns]``,
ready for the array functions of :mod:`cs_calc.account_activity`;
:func:`month_labels` formats a month list for a locale. Both are memoised.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from cs_calc.account_activity import quarter_bounds
from cs_calc.periods import Window, quarters_ending
from reports.formatting import format_month
from reports.qbr.config import QbrThresholds

Bounds = tuple[np.datetime64, np.datetime64]
"""``[start, end_exclusive)`` as ``datetime64[ns]``."""


@dataclass(frozen=True, eq=False)
class DeckCalendar:
    """The periods of one run's decks; months are first-of-month Timestamps."""

    window: Window
    previous: Window
    """The window of the same length just before ``window`` (for QoQ)."""
    as_of: pd.Timestamp
    """The first day after the window: events before it count."""
    as_of_ns: np.datetime64
    window_start_ns: np.datetime64
    opening_month: pd.Timestamp
    """The month whose closing MRR is the MRR at the window's start."""
    usage_months: tuple[pd.Timestamp, ...]
    """The months of the adoption chart, ending with the window's last month."""
    usage_months_ns: np.ndarray
    window_positions: tuple[int | None, ...]
    """Where each month of ``window`` sits in ``usage_months`` (None: outside)."""
    previous_positions: tuple[int | None, ...]
    support_months: tuple[pd.Timestamp, ...]
    """The months of the support chart, ending with the window's last month."""
    support_months_ns: np.ndarray
    nps_quarters: tuple[Window, ...]
    """The quarters of the NPS-over-time chart, ending with the window's."""
    nps_quarter_labels: tuple[str, ...]
    """``2026-Q3`` … of ``nps_quarters``."""
    nps_quarter_bounds: tuple[Bounds, ...]
    nps_year: Window
    """From the month a year before ``as_of`` to the window's end (the NPS tile)."""
    nps_year_label: str
    nps_year_bounds: Bounds
    verbatims_since_ns: np.datetime64
    """Comments from this time on (up to ``as_of``) are quoted."""
    quarter_label: str
    """``2026-Q3`` for a calendar-quarter window, else ``2026-01..2026-06``."""


def _positions(months: tuple[pd.Timestamp, ...], wanted: pd.DatetimeIndex) -> tuple[int | None, ...]:
    where = {month: i for i, month in enumerate(months)}
    return tuple(where.get(month) for month in wanted)


@lru_cache(maxsize=64)
def deck_calendar(window: Window, as_of: pd.Timestamp, thresholds: QbrThresholds) -> DeckCalendar:
    """The :class:`DeckCalendar` of a run (memoised: decks of one run share it)."""
    previous = window.previous()
    usage_months = pd.date_range(end=window.end, periods=thresholds.usage_months, freq="MS")
    support_months = pd.date_range(end=window.end, periods=thresholds.support_months, freq="MS")
    quarters = tuple(quarters_ending(window, thresholds.nps_quarters))
    year_ago = as_of - pd.Timedelta(days=365)
    nps_year = Window(year_ago.to_period("M").to_timestamp(), window.end)
    usage_tuple = tuple(usage_months)
    return DeckCalendar(
        window=window,
        previous=previous,
        as_of=as_of,
        as_of_ns=np.datetime64(as_of, "ns"),
        window_start_ns=np.datetime64(window.start, "ns"),
        opening_month=window.start - pd.DateOffset(months=1),
        usage_months=usage_tuple,
        usage_months_ns=usage_months.to_numpy(dtype="datetime64[ns]"),
        window_positions=_positions(usage_tuple, window.months),
        previous_positions=_positions(usage_tuple, previous.months),
        support_months=tuple(support_months),
        support_months_ns=support_months.to_numpy(dtype="datetime64[ns]"),
        nps_quarters=quarters,
        nps_quarter_labels=tuple(q.label for q in quarters),
        nps_quarter_bounds=tuple(quarter_bounds(quarters)),
        nps_year=nps_year,
        nps_year_label=nps_year.label,
        nps_year_bounds=quarter_bounds([nps_year])[0],
        verbatims_since_ns=np.datetime64(as_of - pd.Timedelta(days=thresholds.verbatim_days), "ns"),
        quarter_label=window.label,
    )


@lru_cache(maxsize=256)
def month_labels(months: tuple[pd.Timestamp, ...], locale: str) -> tuple[str, ...]:
    """Each month formatted for ``locale`` ("Sep 2026", Swedish "sep. 2026")."""
    return tuple(format_month(month, locale) for month in months)
