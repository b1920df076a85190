"""Months, quarters and windows.

A window is a closed range of calendar months ``[start, end]``; each month is
represented by the Timestamp of its first day. Movements are counted in every
month of the window; MRR *at start* is the opening balance, i.e. the closing
MRR of the month before ``start``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

_QUARTER_RE = re.compile(r"^(\d{4})-?Q([1-4])$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Window:
    """Closed range of months ``[start, end]``, both first-of-month Timestamps."""

    start: pd.Timestamp
    end: pd.Timestamp

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window end {self.end:%Y-%m} is before its start {self.start:%Y-%m}")

    @property
    def opening_month(self) -> pd.Timestamp:
        """The month whose closing MRR is the window's MRR at start."""
        return self.start - pd.DateOffset(months=1)

    @property
    def months(self) -> pd.DatetimeIndex:
        """Every month in the window, first days, in order."""
        return pd.date_range(self.start, self.end, freq="MS")

    @property
    def label(self) -> str:
        """``2026-Q3`` for a calendar quarter, else ``2026-01..2026-06``."""
        quarter = _as_quarter_label(self)
        return quarter or f"{self.start:%Y-%m}..{self.end:%Y-%m}"

    def previous(self) -> Window:
        """The window of the same length just before this one."""
        n = len(self.months)
        return Window(self.start - pd.DateOffset(months=n), self.start - pd.DateOffset(months=1))


def month_start(value: object) -> pd.Timestamp:
    """First day of the month that ``value`` (date or ``YYYY-MM``) falls in."""
    ts = pd.Timestamp(value)
    return pd.Timestamp(year=ts.year, month=ts.month, day=1)


def parse_month(text: str) -> pd.Timestamp:
    """Parse ``YYYY-MM`` into the first day of that month.

    >>> parse_month("2026-03")
    Timestamp('2026-03-01 00:00:00')
    """
    match = _MONTH_RE.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"{text!r} is not a month; use YYYY-MM, e.g. 2026-03")
    return pd.Timestamp(year=int(match.group(1)), month=int(match.group(2)), day=1)


def parse_quarter(text: str) -> Window:
    """Parse ``YYYY-Qn`` into the window of its three months.

    >>> parse_quarter("2026-Q3").label
    '2026-Q3'
    >>> parse_quarter("2026-Q3").start
    Timestamp('2026-07-01 00:00:00')
    """
    match = _QUARTER_RE.match(text.strip().upper())
    if not match:
        raise ValueError(f"{text!r} is not a quarter; use YYYY-Qn, e.g. 2026-Q3")
    year, q = int(match.group(1)), int(match.group(2))
    start = pd.Timestamp(year=year, month=3 * q - 2, day=1)
    return Window(start, start + pd.DateOffset(months=2))


def quarter_of(month: pd.Timestamp) -> Window:
    """The calendar quarter that ``month`` falls in."""
    month = month_start(month)
    return parse_quarter(f"{month.year}-Q{(month.month - 1) // 3 + 1}")


def quarter_label(month: pd.Timestamp) -> str:
    """``YYYY-Qn`` of the quarter that ``month`` falls in."""
    month = pd.Timestamp(month)
    return f"{month.year}-Q{(month.month - 1) // 3 + 1}"


def last_complete_quarter(last_month: pd.Timestamp) -> Window:
    """The latest calendar quarter whose months all lie on or before ``last_month``."""
    quarter = quarter_of(last_month)
    if quarter.end <= month_start(last_month):
        return quarter
    return quarter.previous()


def quarters_ending(window: Window, count: int) -> list[Window]:
    """``count`` consecutive calendar quarters ending with the one holding ``window.end``."""
    quarters = [quarter_of(window.end)]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters


def _as_quarter_label(window: Window) -> str | None:
    quarter = quarter_of(window.start)
    if quarter.start == window.start and quarter.end == window.end:
        return quarter_label(window.start)
    return None
