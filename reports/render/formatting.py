"""Locale-aware formatting of numbers, money, rates and dates for documents.

Every Jinja environment (PDF and email) registers :data:`FILTERS`, so a
template writes ``{{ account.mrr|format_money("USD", locale) }}``. The values
come from ``cs_calc`` unformatted: rates are fractions, money is in the named
currency. Babel supplies the locale rules; ``en`` and ``sv`` are the locales
the bundled templates use, but any locale Babel knows works.

Missing values (None, NaN, NaT, ``pd.NA``) format as an en dash, "–".
Rounding is half-up on the decimal value (2.5 -> 3), not banker's rounding.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_interval as _babel_format_interval
from babel.dates import format_skeleton as _babel_format_skeleton
from babel.dates import get_quarter_names
from babel.numbers import format_compact_currency as _babel_compact_currency
from babel.numbers import format_currency as _babel_format_currency
from babel.numbers import format_decimal as _babel_format_decimal
from babel.numbers import format_percent as _babel_format_percent
from babel.numbers import get_currency_precision

from reports.render.catalogue import translations

MISSING = "–"
"""What every formatter returns for a missing value (an en dash)."""

# XML 1.0 allows #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n?")
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_INTEGER_PART = re.compile(r"[#0,]*0(?:\.[0#]+)?")


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and ``pd.NA`` (anything not equal to itself)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # pd.NA refuses to be a bool
        return True


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    else:
        # repr of a float is its shortest round-trip form: 0.1 -> "0.1", not 0.1000000000000000055…
        text = repr(float(value)) if isinstance(value, float) else str(value)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"cannot format {value!r}: not a number") from None
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r}: not a finite number")
    return number


def _round(value: Decimal, digits: int) -> Decimal:
    """Round half-up to ``digits`` decimals; a result of zero loses its sign."""
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


@lru_cache(maxsize=256)
def _pattern(locale: str, kind: str, digits: int) -> str:
    """The locale's own number pattern with exactly ``digits`` decimals."""
    loc = Locale.parse(locale)
    if kind == "percent":
        base = loc.percent_formats[None].pattern
    elif kind == "currency":
        base = loc.currency_formats["standard"].pattern
    else:
        base = loc.decimal_formats[None].pattern
    fraction = "." + "0" * digits if digits > 0 else ""

    def fix(part: str) -> str:
        return _INTEGER_PART.sub(lambda m: m.group(0).split(".")[0] + fraction, part, count=1)

    return ";".join(fix(part) for part in base.split(";"))


def _signed(formatted_abs: str, formatted: str, value: Decimal) -> str:
    if value > 0:
        return "+" + formatted_abs
    return formatted


def _money_digits(amount: Decimal, currency: str) -> int:
    if abs(amount) >= 1000 or amount == amount.to_integral_value():
        return 0
    return get_currency_precision(currency)


def format_money(value: Any, currency: str = "USD", locale: str = "en", compact: bool = False) -> str:
    """Format an amount of money in ``currency`` (ISO 4217 code) for ``locale``.

    Amounts of 1,000 or more (either sign) are rounded to whole units; smaller
    amounts keep the currency's decimals unless they are whole. ``compact``
    abbreviates amounts of 1,000 or more to one decimal ("$1.2M").

    >>> format_money(12345.4)
    '$12,345'
    >>> format_money(1_234_567, compact=True)
    '$1.2M'
    >>> format_money(12345, "USD", "sv")
    '12\\xa0345\\xa0US$'
    >>> format_money(214_970, compact=True, locale="de")
    '215.000\\xa0$'
    """
    if is_missing(value):
        return MISSING
    amount = _to_decimal(value)
    if compact and abs(amount) >= 1000:
        # Round half-up to one decimal of the thousands group Babel will use.
        group = Decimal(1000) ** ((len(str(int(abs(amount)))) - 1) // 3)
        amount = _round(amount / group * 10, 0) * group / 10
        text = _babel_compact_currency(amount, currency, locale=locale, fraction_digits=1)
        if not re.search(r"\d{4}", text):
            return text
        # The locale does not abbreviate this size (German thousands: CLDR's "0"), and Babel then
        # prints the digits ungrouped ("215000 $"): the full amount, grouped, reads as intended.
    digits = _money_digits(amount, currency)
    amount = _round(amount, digits)
    return _babel_format_currency(
        amount,
        currency,
        format=_pattern(locale, "currency", digits),
        locale=locale,
        currency_digits=False,
    )


def format_pct(fraction: Any, locale: str = "en", digits: int = 1) -> str:
    """Format a fraction (not percent) as a percentage with ``digits`` decimals.

    >>> format_pct(0.1234)
    '12.3%'
    >>> format_pct(0.1234, "sv")
    '12,3\\xa0%'
    >>> format_pct(1.05, digits=0)
    '105%'
    """
    if is_missing(fraction):
        return MISSING
    value = _round(_to_decimal(fraction), digits + 2)
    return _babel_format_percent(value, format=_pattern(locale, "percent", digits), locale=locale)


def format_pp(delta_fraction: Any, locale: str = "en", digits: int = 1) -> str:
    """Format a change between two rates in percentage points, with its sign.

    ``delta_fraction`` is the difference of two fractions (0.012 is 1.2 pp).
    Zero after rounding has no sign.

    >>> format_pp(0.012)
    '+1.2 pp'
    >>> format_pp(-0.0345, "sv")
    '-3,5 p.e.'
    >>> format_pp(0.00004)
    '0.0 pp'
    """
    if is_missing(delta_fraction):
        return MISSING
    points = _round(_to_decimal(delta_fraction) * 100, digits)
    # Translators: the unit of a change in a percentage, "percentage points" (+2.0 pp).
    unit = translations(locale).pgettext("unit", "pp")
    return f"{_format_fixed(points, locale, digits, signed=True)} {unit}"


def _format_fixed(value: Decimal, locale: str, digits: int, signed: bool = False) -> str:
    pattern = _pattern(locale, "decimal", digits)
    text = _babel_format_decimal(value, format=pattern, locale=locale)
    if signed:
        return _signed(_babel_format_decimal(abs(value), format=pattern, locale=locale), text, value)
    return text


def format_number(value: Any, locale: str = "en", digits: int = 0) -> str:
    """Format a plain number with grouping and exactly ``digits`` decimals.

    >>> format_number(1234567)
    '1,234,567'
    >>> format_number(1234.5, "sv", digits=1)
    '1\\xa0234,5'
    >>> format_number(float("nan"))
    '–'
    """
    if is_missing(value):
        return MISSING
    return _format_fixed(_round(_to_decimal(value), digits), locale, digits)


def format_count(value: Any, locale: str = "en") -> str:
    """Format a count (people, seats, tickets, responses) as a whole number with grouping.

    A fractional input is rounded half-up: a count never prints decimals. An
    average of counts is a count too when printed; its label says "on average".

    >>> format_count(3001)
    '3,001'
    >>> format_count(54.6, "sv")
    '55'
    >>> format_count(12345, "sv")
    '12\\xa0345'
    """
    return format_number(value, locale, 0)


def plural_category(count: Any, locale: str = "en") -> str:
    """The CLDR plural category ("one", "other", …) of ``count`` in ``locale``, by Babel's rules.

    A phrase is chosen by it, never patched with "(s)". Missing counts are "other".

    >>> plural_category(1)
    'one'
    >>> plural_category(0, "sv")
    'other'
    >>> plural_category(1.0, "sv")
    'one'
    """
    if is_missing(count):
        return "other"
    number = _to_decimal(count)
    if number == number.to_integral_value():  # 1.0 from a float column is the count 1
        number = number.to_integral_value()
    return str(Locale.parse(locale).plural_form(number))


def rounds_to_zero(value: Any, digits: int) -> bool:
    """True when ``value`` prints as zero with ``digits`` decimals (half-up); False when missing.

    A change that rounds to zero reads "unchanged", not "0.0%".

    >>> rounds_to_zero(0.0004, 3)
    True
    >>> rounds_to_zero(-0.0005, 3)
    False
    >>> rounds_to_zero(None, 1)
    False
    """
    if is_missing(value):
        return False
    return _round(_to_decimal(value), digits) == 0


def format_delta(
    value: Any,
    kind: Literal["money", "pct", "number"] = "money",
    currency: str = "USD",
    locale: str = "en",
    digits: int | None = None,
    compact: bool = False,
) -> str:
    """Format a change with an explicit sign ("+" when above zero).

    ``kind`` is "money" (in ``currency``), "pct" (a fraction, shown as percent;
    use :func:`format_pp` for a change between two rates) or "number".
    ``digits`` defaults to the kind's usual precision (money: see
    :func:`format_money`; pct: 1; number: 0). Zero after rounding has no sign.

    >>> format_delta(1234.4)
    '+$1,234'
    >>> format_delta(-0.052, kind="pct")
    '-5.2%'
    >>> format_delta(0, kind="number")
    '0'
    """
    if is_missing(value):
        return MISSING
    amount = _to_decimal(value)
    if kind == "money":
        rounded = _round(amount, _money_digits(amount, currency))
        text = format_money(rounded, currency, locale, compact=compact)
        positive = format_money(abs(rounded), currency, locale, compact=compact)
        return _signed(positive, text, rounded)
    if kind == "pct":
        d = 1 if digits is None else digits
        rounded = _round(amount, d + 2)
        return _signed(format_pct(abs(rounded), locale, d), format_pct(rounded, locale, d), rounded)
    if kind == "number":
        d = 0 if digits is None else digits
        return _format_fixed(_round(amount, d), locale, d, signed=True)
    raise ValueError(f"format_delta: kind {kind!r} is not one of 'money', 'pct', 'number'.")


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ValueError(f"cannot format {value!r} as a date (expected YYYY-MM-DD)") from None
    raise ValueError(f"cannot format {value!r} as a date (expected a date or YYYY-MM-DD)")


def format_date(value: Any, locale: str = "en", format: str = "medium") -> str:
    """Format a date (``date``, ``datetime``, Timestamp or "YYYY-MM-DD").

    ``format`` is "short", "medium", "long", "full" or a CLDR pattern.

    >>> import datetime as dt
    >>> format_date(dt.date(2026, 9, 3))
    'Sep 3, 2026'
    >>> format_date("2026-09-03", "sv")
    '3 sep. 2026'
    >>> format_date(None)
    '–'
    """
    if is_missing(value):
        return MISSING
    day = _to_date(value)
    if isinstance(day, dt.datetime):
        day = day.date()
    return _babel_format_date(day, format=format, locale=locale)


def format_date_range(start: Any, end: Any, locale: str = "en", skeleton: str = "yMMMd") -> str:
    """A span of dates in the locale's words, sharing what the two ends share.

    ``skeleton`` is a CLDR skeleton: "yMMMd" for days, "yMMM" for months.

    >>> import datetime as dt
    >>> format_date_range(dt.date(2026, 10, 19), dt.date(2026, 10, 25))
    'Oct 19\u2009–\u200925, 2026'
    >>> format_date_range(dt.date(2026, 7, 1), dt.date(2026, 9, 30), "sv", "yMMM")
    'juli–sep. 2026'
    """
    first, last = _to_date(start), _to_date(end)
    if isinstance(first, dt.datetime):
        first = first.date()
    if isinstance(last, dt.datetime):
        last = last.date()
    return _babel_format_interval(first, last, skeleton, locale=locale)


def format_window(label: str, start: Any, end: Any, locale: str = "en") -> str:
    """A reporting window in words: the quarter and its months, or just the months.

    ``start`` and ``end`` are the first and last day (or month) of the window.

    >>> import datetime as dt
    >>> format_window("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    'Q3 2026 (Jul\u2009–\u2009Sep 2026)'
    >>> format_window("2025-11..2026-10", dt.date(2025, 11, 1), dt.date(2026, 10, 31), "sv")
    'nov. 2025–okt. 2026'
    """
    months = format_date_range(start, end, locale, "yMMM")
    try:
        return f"{format_quarter(label, locale)} ({months})"
    except ValueError:
        return months


def format_month(value: Any, locale: str = "en") -> str:
    """Format the month of a date, abbreviated, with its year.

    >>> import datetime as dt
    >>> format_month(dt.date(2026, 9, 1))
    'Sep 2026'
    >>> format_month(dt.date(2026, 9, 1), "sv")
    'sep. 2026'
    >>> format_month("2026-12-01")
    'Dec 2026'
    """
    if is_missing(value):
        return MISSING
    day = _to_date(value)
    if isinstance(day, dt.datetime):
        day = day.date()
    return _babel_format_skeleton("yMMM", day, locale=locale)


def format_month_range(start: Any, end: Any, locale: str = "en") -> str:
    """The months from ``start`` to ``end`` in words, as a reader names a period.

    >>> format_month_range("2026-07-01", "2026-09-01")
    'July – September 2026'
    >>> format_month_range("2026-07-01", "2026-09-01", "sv")
    'juli–september 2026'
    >>> format_month_range("2026-09-01", "2026-09-30")
    'September 2026'
    """
    if is_missing(start) or is_missing(end):
        return MISSING
    return format_date_range(start, end, locale, "yMMMM").replace("\u2009", " ")


def format_quarter(label: Any, locale: str = "en") -> str:
    """Turn a quarter label "2026-Q3" (or "2026Q3") into "Q3 2026".

    The quarter abbreviation follows the locale (Swedish "K3 2026").

    >>> format_quarter("2026-Q3")
    'Q3 2026'
    >>> format_quarter("2026q1", "sv")
    'K1 2026'
    >>> format_quarter(None)
    '–'
    """
    if is_missing(label):
        return MISSING
    match = _QUARTER.match(str(label))
    if match is None:
        raise ValueError(f"format_quarter: {label!r} is not a quarter label (expected e.g. '2026-Q3')")
    year, quarter = match.group(1), int(match.group(2))
    name = get_quarter_names("abbreviated", context="format", locale=locale)[quarter]
    return f"{name} {year}"


def clean_text(value: Any) -> str:
    """Make data text safe for XML: drop characters XML 1.0 forbids, unify newlines.

    Removes C0 controls other than tab, newline and carriage return, lone
    surrogates, U+FFFE and U+FFFF; turns "\\r\\n" and "\\r" into "\\n". None
    gives "". Other values are converted with ``str``.

    >>> clean_text("ok\\x00\\x1b[0m")
    'ok[0m'
    >>> clean_text("a\\r\\nb\\rc")
    'a\\nb\\nc'
    >>> clean_text(None)
    ''
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _NEWLINES.sub("\n", _XML_ILLEGAL.sub("", text))


FILTERS: dict[str, Callable[..., str]] = {
    "format_money": format_money,
    "format_pct": format_pct,
    "format_pp": format_pp,
    "format_number": format_number,
    "format_count": format_count,
    "format_delta": format_delta,
    "format_date": format_date,
    "format_month": format_month,
    "format_quarter": format_quarter,
    "clean_text": clean_text,
}
"""Template filters shared by every Jinja environment (PDF and email)."""
