"""Click parameter types for periods, so bad values fail with a usage message."""

from __future__ import annotations

import re

import click

from cs_calc.periods import parse_month, parse_quarter


class QuarterType(click.ParamType):
    """``YYYY-Qn``, e.g. ``2026-Q3``."""

    name = "quarter"

    def convert(self, value, param, ctx):
        try:
            return parse_quarter(str(value)).label
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class MonthType(click.ParamType):
    """``YYYY-MM``, e.g. ``2026-03``."""

    name = "month"

    def convert(self, value, param, ctx):
        try:
            return f"{parse_month(str(value)):%Y-%m}"
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class WeekType(click.ParamType):
    """ISO week ``YYYY-Www``, e.g. ``2026-W47``."""

    name = "week"
    _re = re.compile(r"^(\d{4})-W(\d{2})$")

    def convert(self, value, param, ctx):
        match = self._re.match(str(value).strip().upper())
        if not match or not 1 <= int(match.group(2)) <= 53:
            self.fail(f"{value!r} is not an ISO week; use YYYY-Www, e.g. 2026-W47", param, ctx)
        return f"{match.group(1)}-W{match.group(2)}"


QUARTER = QuarterType()
MONTH = MonthType()
WEEK = WeekType()
