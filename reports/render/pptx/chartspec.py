"""Data-only chart specs: categories, values and a number format, no XML and no colours.

:mod:`reports.render.pptx.chartxml` turns a spec into a native chart part and its
embedded workbook. Number formats are Excel format codes built from the
locale's Babel patterns (currency symbol and its side, the space before "%"
in Swedish); the separators shown are the viewer's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.numbers import get_currency_symbol

from reports.render.formatting import clean_text

ValueKind = Literal["number", "money", "pct"]


@dataclass(frozen=True)
class NumberFormat:
    """How values show on axes and labels: ``kind`` plus locale and currency.

    ``kind`` is "number", "money" (amounts in ``currency``) or "pct" (values
    are fractions, not percent). ``digits`` is the number of decimals.
    """

    kind: ValueKind = "number"
    locale: str = "en"
    currency: str = "USD"
    digits: int = 0

    @property
    def code(self) -> str:
        """The Excel number format code, e.g. ``"$"#,##0`` or ``0.0" "%``."""
        return excel_number_format(self.kind, self.locale, self.currency, self.digits)


@lru_cache(maxsize=64)
def excel_number_format(kind: str, locale: str, currency: str = "USD", digits: int = 0) -> str:
    """An Excel/OOXML number format code for ``kind`` in ``locale``.

    >>> excel_number_format("money", "en", "USD")
    '"$"#,##0'
    >>> excel_number_format("pct", "sv", digits=1)
    '0.0"\\xa0"%'
    >>> excel_number_format("number", "en", digits=2)
    '#,##0.00'
    """
    decimals = "." + "0" * digits if digits > 0 else ""
    loc = Locale.parse(locale)
    if kind == "pct":
        pattern = loc.percent_formats[None].pattern
        space = "\u00a0" if "\u00a0%" in pattern or " %" in pattern else ""
        return f'0{decimals}"{space}"%' if space else f"0{decimals}%"
    number = f"#,##0{decimals}"
    if kind == "number":
        return number
    if kind != "money":
        raise ValueError(f"number format kind {kind!r} is not one of 'number', 'money', 'pct'")
    symbol = get_currency_symbol(currency, locale).replace('"', "")
    pattern = loc.currency_formats["standard"].pattern.split(";")[0]
    before = pattern.index("¤") < pattern.index("#") if "#" in pattern else True
    spaced = "\u00a0¤" in pattern or " ¤" in pattern or "¤\u00a0" in pattern
    gap = "\u00a0" if spaced else ""
    return f'"{symbol}{gap}"{number}' if before else f'{number}"{gap}{symbol}"'


def _freeze(series: Mapping[str, Sequence[float | None]], n: int, owner: str) -> Mapping[str, tuple]:
    frozen = {}
    for name, values in series.items():
        row = tuple(
            None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values
        )
        if len(row) != n:
            raise ValueError(f"{owner}: series {name!r} has {len(row)} values for {n} categories")
        frozen[clean_text(name)] = row
    return frozen


@dataclass(frozen=True, kw_only=True)
class _CategorySpec:
    #: Category labels (x axis), already formatted for the locale ("Sep 2026").
    categories: Sequence[str]
    #: Series name -> one value per category; None leaves a gap.
    series: Mapping[str, Sequence[float | None]]
    number_format: NumberFormat = field(default_factory=NumberFormat)
    #: Chart title shown above the plot; empty for none (the slide title usually says it).
    title: str = ""
    legend: bool = True
    #: Font size of axis labels and legend, in points.
    font_size_pt: float = 12
    #: Theme accent number (1–6) per series, in order; default accent 1, 2, 3 …
    accents: Sequence[int] = ()
    #: Fixed value-axis range ``(minimum, maximum)``, e.g. (-100, 100) for NPS; None is automatic.
    value_range: tuple[float, float] | None = None
    #: Title of the value axis, with its unit ("MRR (USD)"); empty for none.
    value_title: str = ""
    #: Title of the category axis ("Quarter"); empty for none.
    category_title: str = ""

    def __post_init__(self) -> None:
        if any(not 1 <= a <= 6 for a in self.accents):
            raise ValueError(f"{type(self).__name__}.accents: theme accents are numbered 1 to 6")
        object.__setattr__(self, "categories", tuple(clean_text(c) for c in self.categories))
        object.__setattr__(self, "series", _freeze(self.series, len(self.categories), type(self).__name__))
        if not self.series or not self.categories:
            raise ValueError(f"{type(self).__name__}: needs at least one category and one series")

    @property
    def has_data(self) -> bool:
        return any(v is not None for values in self.series.values() for v in values)


@dataclass(frozen=True, kw_only=True)
class LineChart(_CategorySpec):
    """A line per series over ordered categories (usually months)."""

    markers: bool = True


@dataclass(frozen=True, kw_only=True)
class BarChart(_CategorySpec):
    """Vertical bars per category: clustered side by side, or ``stacked``."""

    stacked: bool = False
    data_labels: bool = False


@dataclass(frozen=True, kw_only=True)
class ComboChart(_CategorySpec):
    """Bars (``series``, left axis) plus lines (``lines``, right secondary axis).

    Typical use: MRR bars per quarter with NRR as a line. ``lines`` values
    are formatted with ``line_format`` (e.g. percent) on the right axis.
    """

    lines: Mapping[str, Sequence[float | None]]
    line_format: NumberFormat = field(default_factory=lambda: NumberFormat("pct"))
    stacked: bool = False
    #: Title of the right-hand (line) axis, with its unit ("NRR, GRR (%)"); empty for none.
    line_title: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "lines", _freeze(self.lines, len(self.categories), "ComboChart.lines"))
        if not self.lines:
            raise ValueError("ComboChart.lines: empty (use BarChart for bars only)")
        overlap = set(self.lines) & set(self.series)
        if overlap:
            raise ValueError(f"ComboChart: series names used twice: {sorted(overlap)}")


@dataclass(frozen=True, kw_only=True)
class WaterfallChart:
    """A bridge from a starting total through signed steps to the ending total.

    Drawn as stacked bars whose first series ("Base") is invisible, on a
    value axis that starts at zero so no step looks larger than it is. The
    end bar is ``start_value`` plus the steps. The running total must stay at
    or above zero (true for MRR bridges); steps are in the units of
    ``number_format`` (e.g. money in the reporting currency). Only the two
    totals carry data labels (inside their bars); a step's amount belongs in
    its label ("New +$23,180"), because a label on a thin step bar would sit
    over its neighbours. Colours say total, increase or decrease, so there is
    no legend unless ``legend`` asks for one.
    """

    start_label: str
    start_value: float
    #: Step label -> signed change, in order (e.g. "Expansion": 1200, "Churn": -800).
    steps: Mapping[str, float]
    end_label: str
    number_format: NumberFormat = field(default_factory=NumberFormat)
    title: str = ""
    #: Legend entry names of the visible series, in the deck's language.
    labels: Mapping[str, str] = field(
        default_factory=lambda: {"total": "Total", "increase": "Increase", "decrease": "Decrease"}
    )
    font_size_pt: float = 12
    legend: bool = False
    #: Title of the value axis, with its unit ("MRR (USD)"); empty for none.
    value_title: str = ""

    def bars(self) -> tuple[tuple[str, ...], dict[str, list[float | None]]]:
        """Categories and the four stacked series: base, total, increase, decrease."""
        categories = [clean_text(self.start_label)]
        base: list[float | None] = [None]
        total: list[float | None] = [float(self.start_value)]
        up: list[float | None] = [None]
        down: list[float | None] = [None]
        running = float(self.start_value)
        for label, change in self.steps.items():
            change = float(change)
            categories.append(clean_text(label))
            after = running + change
            if after < 0 or running < 0:
                raise ValueError(f"WaterfallChart: running total goes below zero at step {label!r}")
            base.append(min(running, after))
            total.append(None)
            up.append(change if change > 0 else None)
            down.append(-change if change < 0 else None)
            running = after
        categories.append(clean_text(self.end_label))
        base.append(None)
        total.append(running)
        up.append(None)
        down.append(None)
        return tuple(categories), {"base": base, "total": total, "increase": up, "decrease": down}


ChartSpec = LineChart | BarChart | ComboChart | WaterfallChart
