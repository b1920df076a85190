"""The words and formatted values of a QBR deck: :class:`Words` for one locale.

Formatting goes through :mod:`reports.render.formatting` (Babel); the results are
memoised per process, since a batch formats the same months, dates and many
of the same numbers in every deck. Missing values (None, NaN, NaT, ``pd.NA``)
format as "–" without reaching the cache.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import pandas as pd

from reports.documents.qbr.phrases import phrase
from reports.render.formatting import (
    MISSING,
    clean_text,
    format_date,
    format_delta,
    format_money,
    format_month,
    format_number,
    format_pct,
    format_quarter,
    is_missing,
)

STATUS_BAND = {
    "achieved": "green",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "missed": "red",
}
"""Band colour of each success-plan status."""

_CACHE = 16_384

_money = lru_cache(maxsize=_CACHE, typed=True)(format_money)
_pct = lru_cache(maxsize=_CACHE, typed=True)(format_pct)
_number = lru_cache(maxsize=_CACHE, typed=True)(format_number)
_delta = lru_cache(maxsize=_CACHE, typed=True)(format_delta)
_date = lru_cache(maxsize=_CACHE, typed=True)(format_date)
_month = lru_cache(maxsize=_CACHE, typed=True)(format_month)
_quarter = lru_cache(maxsize=256, typed=True)(format_quarter)


def num(value: Any) -> float:
    """``value`` as a float; NaN when it is missing or not a number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def is_true(value: Any) -> bool:
    """A contact flag (True, False or missing) as a bool; missing is False."""
    return False if value is None or pd.isna(value) else bool(value)


def missing(value: Any) -> bool:
    """True when ``value`` is not a number (None, NaN, NaT, ``pd.NA``, text)."""
    return math.isnan(num(value))


def text(value: Any) -> str:
    """Data text cleaned for XML and stripped; "" for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    return clean_text(str(value)).strip()


class Words:
    """Phrases (:mod:`reports.documents.qbr.phrases`) and values formatted for ``locale``; money in ``currency``."""

    def __init__(self, locale: str, currency: str):
        self.locale = locale
        self.currency = currency

    def p(self, key: str, **values: Any) -> str:
        """The phrase ``key`` with ``values`` filled in."""
        return phrase(self.locale, key, **values)

    def money(self, value: Any, compact: bool = False) -> str:
        """An amount in the reporting currency."""
        return MISSING if is_missing(value) else _money(value, self.currency, self.locale, compact)

    def number(self, value: Any, digits: int = 0) -> str:
        return MISSING if is_missing(value) else _number(value, self.locale, digits)

    def pct(self, fraction: Any, digits: int = 1) -> str:
        """A fraction (not percent) as a percentage."""
        return MISSING if is_missing(fraction) else _pct(fraction, self.locale, digits)

    def delta_pct(self, fraction: Any, digits: int | None = None) -> str:
        """A change (a fraction) as a signed percentage ("+4.2%")."""
        return MISSING if is_missing(fraction) else _delta(fraction, "pct", "USD", self.locale, digits)

    def date(self, value: Any) -> str:
        """A date, medium length ("Sep 3, 2026")."""
        return MISSING if is_missing(value) else _date(value, self.locale, "medium")

    def month(self, value: Any) -> str:
        """The month of a date with its year ("Sep 2026")."""
        return MISSING if is_missing(value) else _month(value, self.locale)

    def quarter(self, label: str) -> str:
        """A quarter label "2026-Q3" as "Q3 2026" (Swedish "K3 2026")."""
        return _quarter(label, self.locale)

    def change_phrase(self, fraction: float) -> tuple[str, str]:
        """ "rose 4%", "fell 4%" or "held steady" (under half a percent either way), with the
        percentage it prints ("" for "held steady")."""
        if missing(fraction) or abs(fraction) < 0.005:
            return self.p("held"), ""
        pct = self.pct(abs(fraction), 0)
        return self.p("rose" if fraction > 0 else "fell", pct=pct), pct

    def kpi_value(self, value: float, digits: int = 1) -> str:
        """A tile value: whole from 100 up or when whole, else ``digits`` decimals; "–" when missing."""
        if missing(value):
            return MISSING
        return self.number(value, 0 if abs(value) >= 100 or value == int(value) else digits)

    def value(self, value: Any) -> str:
        """A KPI value of a success plan: whole when whole, else one decimal."""
        number = num(value)
        return MISSING if missing(number) else self.number(number, 0 if number == int(number) else 1)

    def status(self, value: Any) -> str:
        """A success-plan status in words ("On track"); unknown statuses as written."""
        key = text(value)
        return self.p(f"status_{key}") if key in STATUS_BAND else key
