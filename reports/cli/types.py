"""Click parameter types for periods, so bad values fail with a usage message.

Each shows its format as the option's metavar in ``--help``
(``--quarter YYYY-Qn``), so every command states the format it takes.
"""

from __future__ import annotations

import click

from cs_calc.periods import parse_month, parse_quarter
from cs_calc.weekly import IsoWeek
from reports.render.locales import LOCALES


class QuarterType(click.ParamType):
    """``YYYY-Qn``, e.g. ``2026-Q3``."""

    name = "quarter"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "YYYY-Qn"

    def convert(self, value, param, ctx):
        try:
            return parse_quarter(str(value)).label
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class MonthType(click.ParamType):
    """``YYYY-MM``, e.g. ``2026-03``."""

    name = "month"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "YYYY-MM"

    def convert(self, value, param, ctx):
        try:
            return f"{parse_month(str(value)):%Y-%m}"
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class WeekType(click.ParamType):
    """ISO week ``YYYY-Www``, e.g. ``2026-W47`` (parsed by :meth:`cs_calc.weekly.IsoWeek.parse`)."""

    name = "week"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "YYYY-Www"

    def convert(self, value, param, ctx):
        try:
            return IsoWeek.parse(str(value)).label
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


QUARTER = QuarterType()
MONTH = MonthType()
WEEK = WeekType()
LOCALE = click.Choice(list(LOCALES))
"""The ``--locale`` choice of every document command."""


def examples(*lines: str) -> str:
    """A command's help epilog: ``Examples:`` and one command line per ``lines`` item, unwrapped.

    >>> print(examples("csreports demo"))
    \b
    Examples:
      csreports demo
    """
    return "\n".join(("\b", "Examples:", *(f"  {line}" for line in lines)))
