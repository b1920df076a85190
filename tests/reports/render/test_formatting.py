"""reports/render/formatting.py: exact strings per locale, missing values, clean_text."""

from __future__ import annotations

import datetime as dt
import doctest
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from reports.render import formatting
from reports.render.formatting import (
    FILTERS,
    clean_text,
    format_count,
    format_date,
    format_delta,
    format_money,
    format_month,
    format_number,
    format_pct,
    format_pp,
    format_quarter,
    plural_category,
    rounds_to_zero,
)

NBSP = "\xa0"


def test_docstring_examples():
    result = doctest.testmod(formatting)
    assert result.attempted >= 27  # three examples per public function
    assert result.failed == 0


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((12345,), {}, "$12,345"),
        ((12345.678,), {}, "$12,346"),  # 1,000 or more: whole units
        ((999.5,), {}, "$999.50"),  # below 1,000: cents unless whole
        ((999,), {}, "$999"),
        ((0.5,), {}, "$0.50"),
        ((-12345,), {}, "-$12,345"),
        ((2.005,), {}, "$2.01"),  # half-up on the decimal value, not the binary float
        ((1234567,), {"compact": True}, "$1.2M"),
        ((1250000,), {"compact": True}, "$1.3M"),
        ((-1250000,), {"compact": True}, "-$1.3M"),
        ((12345,), {"compact": True}, "$12.3K"),
        ((999,), {"compact": True}, "$999"),
        ((999950,), {"compact": True}, "$1M"),
        ((12345, "EUR", "sv"), {}, f"12{NBSP}345{NBSP}€"),
        ((12345, "USD", "sv"), {}, f"12{NBSP}345{NBSP}US$"),
        ((1234567, "SEK", "sv"), {}, f"1{NBSP}234{NBSP}567{NBSP}kr"),
        ((1234567, "SEK", "sv"), {"compact": True}, f"1,2{NBSP}mn{NBSP}kr"),
        ((99.5, "SEK", "sv"), {}, f"99,50{NBSP}kr"),
        ((999.5, "JPY"), {}, "¥1,000"),  # yen has no decimals
        ((Decimal("1000.50"),), {}, "$1,001"),
        ((np.int64(5000),), {}, "$5,000"),
    ],
)
def test_format_money(args, kwargs, expected):
    assert format_money(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0.1234,), "12.3%"),
        ((0.1234, "sv"), f"12,3{NBSP}%"),
        ((1.041, "en", 1), "104.1%"),
        ((0.00125, "en", 2), "0.13%"),
        ((1, "en", 0), "100%"),
        ((-0.0005,), "-0.1%"),
        ((-0.0004,), "0.0%"),  # rounds to zero: no minus sign
        ((np.float32(0.25),), "25.0%"),
    ],
)
def test_format_pct(args, expected):
    assert format_pct(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0.012,), "+1.2 pp"),
        ((-0.012,), "-1.2 pp"),
        ((-0.0345, "sv"), "-3,5 p.e."),
        ((0.0,), "0.0 pp"),
        ((0.00004,), "0.0 pp"),
        ((0.01234, "en", 2), "+1.23 pp"),
    ],
)
def test_format_pp(args, expected):
    assert format_pp(*args) == expected


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((1234567.5,), {}, "1,234,568"),
        ((2.5,), {}, "3"),
        ((-1234.25, "sv"), {"digits": 1}, f"-1{NBSP}234,3"),
        ((0.5,), {"digits": 2}, "0.50"),
    ],
)
def test_format_number(args, kwargs, expected):
    assert format_number(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((1234.4,), {}, "+$1,234"),
        ((-1234.4,), {}, "-$1,234"),
        ((0,), {}, "$0"),
        ((0.0004,), {}, "$0"),
        ((1234567,), {"compact": True}, "+$1.2M"),
        ((12.5, "money", "USD", "sv"), {}, f"+12,50{NBSP}US$"),
        ((0.052, "pct"), {}, "+5.2%"),
        ((-0.052, "pct", "USD", "sv"), {}, f"-5,2{NBSP}%"),
        ((0.052, "pct"), {"digits": 0}, "+5%"),
        ((3, "number"), {}, "+3"),
        ((-1234, "number", "USD", "sv"), {}, f"-1{NBSP}234"),
        ((0.4, "number"), {}, "0"),
    ],
)
def test_format_delta(args, kwargs, expected):
    assert format_delta(*args, **kwargs) == expected


def test_format_delta_unknown_kind():
    with pytest.raises(ValueError) as info:
        format_delta(1, kind="ratio")
    assert str(info.value) == "format_delta: kind 'ratio' is not one of 'money', 'pct', 'number'."


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((dt.date(2026, 9, 3),), {}, "Sep 3, 2026"),
        ((dt.datetime(2026, 9, 3, 23, 59),), {}, "Sep 3, 2026"),
        ((pd.Timestamp("2026-09-03"), "sv"), {}, "3 sep. 2026"),
        (("2026-09-03", "sv"), {"format": "long"}, "3 september 2026"),
        ((dt.date(2026, 9, 3),), {"format": "short"}, "9/3/26"),
        ((dt.date(2026, 9, 3), "sv"), {"format": "yyyy-MM-dd"}, "2026-09-03"),
    ],
)
def test_format_date(args, kwargs, expected):
    assert format_date(*args, **kwargs) == expected


def test_format_date_rejects_garbage():
    with pytest.raises(ValueError) as info:
        format_date("next tuesday")
    assert str(info.value) == "cannot format 'next tuesday' as a date (expected YYYY-MM-DD)"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((dt.date(2026, 9, 1),), "Sep 2026"),
        ((dt.date(2026, 9, 1), "sv"), "sep. 2026"),
        ((pd.Timestamp("2026-05-01"), "sv"), "maj 2026"),
        (("2026-12-01",), "Dec 2026"),
    ],
)
def test_format_month(args, expected):
    assert format_month(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2026-Q3",), "Q3 2026"),
        (("2026q1",), "Q1 2026"),
        ((" 2026 - Q2 ",), "Q2 2026"),
        (("2026-Q4", "sv"), "K4 2026"),
    ],
)
def test_format_quarter(args, expected):
    assert format_quarter(*args) == expected


def test_format_quarter_rejects_bad_label():
    with pytest.raises(ValueError) as info:
        format_quarter("2026-Q5")
    assert str(info.value) == ("format_quarter: '2026-Q5' is not a quarter label (expected e.g. '2026-Q3')")


MISSING_VALUES = [None, float("nan"), np.nan, np.float64("nan"), pd.NA, pd.NaT, Decimal("NaN")]


@pytest.mark.parametrize("value", MISSING_VALUES, ids=repr)
@pytest.mark.parametrize(
    "formatter",
    [format_money, format_pct, format_pp, format_number, format_delta, format_date, format_month],
)
def test_missing_values_give_en_dash(formatter, value):
    assert formatter(value) == "–"


def test_format_quarter_missing():
    assert format_quarter(None) == "–"
    assert format_quarter(float("nan")) == "–"


@pytest.mark.parametrize("value", [float("inf"), -np.inf, "abc"])
def test_non_numbers_are_refused(value):
    with pytest.raises(ValueError, match="cannot format"):
        format_money(value)


def test_clean_text_removes_every_character_xml_forbids():
    forbidden = [chr(c) for c in range(0x20) if c not in (0x9, 0xA, 0xD)]
    forbidden += ["\ud800", "\udbff", "\udc00", "\udfff", "\ufffe", "\uffff"]
    allowed = "\t\n ~\x7f\x85\u00e9\u2028\ud7ff\ue000\ufffd\U00010000\U0010ffff"
    assert clean_text("".join(forbidden) + allowed) == allowed


def test_clean_text_normalises_newlines():
    assert clean_text("a\r\nb\rc\nd") == "a\nb\nc\nd"


@pytest.mark.parametrize(("value", "expected"), [(None, ""), (12, "12"), ("å\x00ä", "åä")])
def test_clean_text_values(value, expected):
    assert clean_text(value) == expected


def test_filters_dict():
    expected = {
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
    assert expected == FILTERS


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (54.6, "en", "55"),
        (9.9, "en", "10"),
        (3001, "en", "3,001"),
        (3002.4, "sv", f"3{NBSP}002"),
        (197.3, "sv", "197"),
        (None, "en", "–"),
    ],
)
def test_a_count_prints_whole_and_grouped(value, locale, expected):
    assert format_count(value, locale) == expected


@pytest.mark.parametrize(
    ("count", "locale", "expected"),
    [
        (1, "en", "one"),
        (1.0, "en", "one"),
        (0, "en", "other"),
        (2, "en", "other"),
        (1, "sv", "one"),
        (5, "sv", "other"),
    ],
)
def test_plural_category_follows_babel(count, locale, expected):
    assert plural_category(count, locale) == expected


def test_a_change_that_rounds_to_zero_is_zero():
    assert rounds_to_zero(0.0, 3)
    assert rounds_to_zero(-0.0004, 3)
    assert not rounds_to_zero(0.0005, 3)
    assert not rounds_to_zero(float("nan"), 3)
