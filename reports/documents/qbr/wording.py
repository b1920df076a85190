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

from reports.documents.qbr.phrases import phrase, plural_phrase
from reports.render.formatting import (
    MISSING,
    clean_text,
    format_date,
    format_delta,
    format_money,
    format_month,
    format_number,
    format_pct,
    format_pp,
    format_quarter,
    is_missing,
    rounds_to_zero,
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
_pp = lru_cache(maxsize=_CACHE, typed=True)(format_pp)
_delta = lru_cache(maxsize=_CACHE, typed=True)(format_delta)
_date = lru_cache(maxsize=_CACHE, typed=True)(format_date)
_month = lru_cache(maxsize=_CACHE, typed=True)(format_month)
_quarter = lru_cache(maxsize=256, typed=True)(format_quarter)


_COUNT_WORDS = (
    "users",
    "user",
    "seats",
    "licences",
    "licenses",
    "tickets",
    "accounts",
    "customers",
    "people",
    "employees",
    "reps",
    "members",
    "integrations",
    "användare",
    "licenser",
    "ärenden",
    "kunder",
    "anställda",
)
"""Words that make a success-plan KPI a count ("Weekly active users", "Seats in use")."""


def kpi_unit(kpi: Any) -> str:
    """What a success-plan KPI measures, read from its name: "percent" (the name has "%" or
    "percent"), "count" (it names people or things, :data:`_COUNT_WORDS`) or "value" (anything
    else: hours, days, money)."""
    name = text(kpi).lower()
    if "%" in name or "percent" in name or "procent" in name:
        return "percent"
    words = set(name.replace("-", " ").replace("/", " ").split())
    return "count" if words & set(_COUNT_WORDS) else "value"


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
    """Phrases from the message catalogue (:mod:`reports.documents.qbr.phrases`) and values formatted for ``locale``; money in ``currency``."""

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

    def count(self, value: Any) -> str:
        """A count (or an average of counts) as a whole number with grouping ("3,001")."""
        return MISSING if is_missing(value) else _number(value, self.locale, 0)

    def pl(self, key: str, count: Any, **values: Any) -> str:
        """The phrase ``key`` for ``count`` by the locale's plural forms (``npgettext``); a phrase
        without plural forms as :meth:`p`."""
        return plural_phrase(self.locale, key, count, **values)

    def pp(self, delta_fraction: Any, digits: int = 1) -> str:
        """A change between two rates (fractions) in percentage points ("+20.4 pp"); "unchanged"
        when it rounds to zero."""
        if is_missing(delta_fraction):
            return MISSING
        if rounds_to_zero(delta_fraction, digits + 2):
            return self.p("unchanged")
        return _pp(delta_fraction, self.locale, digits)

    def pct(self, fraction: Any, digits: int = 1) -> str:
        """A fraction (not percent) as a percentage."""
        return MISSING if is_missing(fraction) else _pct(fraction, self.locale, digits)

    def delta_pct(self, fraction: Any, digits: int | None = None) -> str:
        """A change (a fraction) as a signed percentage ("+4.2%"); "unchanged" when it rounds to
        zero at ``digits`` (default 1) decimals, never "0.0%"."""
        if is_missing(fraction):
            return MISSING
        if rounds_to_zero(fraction, (1 if digits is None else digits) + 2):
            return self.p("unchanged")
        return _delta(fraction, "pct", "USD", self.locale, digits)

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
        pct = self.pct(abs(fraction), 1)  # as precise as the tile and the summary
        return self.p("rose" if fraction > 0 else "fell", pct=pct), pct

    def value(self, value: Any, kpi: Any = None) -> str:
        """A KPI value of a success plan: whole when whole or when the KPI is a count
        (:func:`kpi_unit`), else one decimal."""
        number = num(value)
        if missing(number):
            return MISSING
        whole = number == int(number) or kpi_unit(kpi) == "count"
        return self.number(number, 0 if whole else 1)

    def status(self, value: Any) -> str:
        """A success-plan status in words ("On track"); unknown statuses as written."""
        key = text(value)
        return self.p(f"status_{key}") if key in STATUS_BAND else key
