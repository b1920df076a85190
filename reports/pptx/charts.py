"""Native, editable PowerPoint charts from data-only specs.

A spec (:class:`LineChart`, :class:`BarChart`, :class:`ComboChart`,
:class:`WaterfallChart`) holds categories, values and a number format, no
XML and no colours. :func:`add_chart` draws it as a real chart part with an
embedded workbook, so the user edits the data in PowerPoint or LibreOffice.
Series colours are theme references (``accent1`` … ``accent6``), so a
restyled template recolours every chart. Number formats are Excel format
codes built from the locale's Babel patterns (currency symbol and its side,
the space before "%" in Swedish); the separators shown are the viewer's.

The combo chart (bars plus lines on a secondary axis) has no python-pptx
API: it is drawn as a bar chart of all series, then the line series are
moved into a ``c:lineChart`` on a second pair of axes in the chart XML.
The waterfall is a stacked bar chart with an invisible base series.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.numbers import get_currency_symbol
from lxml import etree
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import ColorFormat
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.util import Emu, Pt

from reports.formatting import clean_text

ValueKind = Literal["number", "money", "pct"]

ACCENTS = (
    MSO_THEME_COLOR.ACCENT_1,
    MSO_THEME_COLOR.ACCENT_2,
    MSO_THEME_COLOR.ACCENT_3,
    MSO_THEME_COLOR.ACCENT_4,
    MSO_THEME_COLOR.ACCENT_5,
    MSO_THEME_COLOR.ACCENT_6,
)
_INCREASE, _DECREASE, _TOTAL = MSO_THEME_COLOR.ACCENT_3, MSO_THEME_COLOR.ACCENT_4, MSO_THEME_COLOR.ACCENT_1
_SECOND_CAT_AX, _SECOND_VAL_AX = "50000001", "50000002"


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

    Drawn as stacked bars whose first series ("Base") is invisible. The end
    bar is ``start_value`` plus the steps. The running total must stay at or
    above zero (true for MRR bridges); steps are in the units of
    ``number_format`` (e.g. money in the reporting currency).
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


def _chart_data(categories: Sequence[str], series: Mapping[str, Sequence], fmt: str) -> CategoryChartData:
    data = CategoryChartData(number_format=fmt)
    data.categories = list(categories)
    for name, values in series.items():
        data.add_series(name, list(values), number_format=fmt)
    return data


def _place(slide: Slide, chart_type: XL_CHART_TYPE, data: CategoryChartData, target: object) -> GraphicFrame:
    """Insert into a chart placeholder, or at a ``(x, y, cx, cy)`` box in EMU."""
    if isinstance(target, tuple):
        x, y, cx, cy = target
        return slide.shapes.add_chart(chart_type, Emu(x), Emu(y), Emu(cx), Emu(cy), data)
    return target.insert_chart(chart_type, data)  # type: ignore[attr-defined]


def _theme(color: ColorFormat, theme_color: MSO_THEME_COLOR) -> None:
    color.theme_color = theme_color


def _unsigned_axis_ids(chart: Chart) -> None:
    """python-pptx writes negative axis ids; the schema wants unsignedInt, so wrap them."""
    for element in chart._chartSpace.iter(qn("c:axId"), qn("c:crossAx")):
        value = int(element.get("val"))
        if value < 0:
            element.set("val", str(value & 0xFFFFFFFF))


def _style(chart: Chart, spec_title: str, legend: bool, font_size: float, fmt: str) -> None:
    _unsigned_axis_ids(chart)
    chart.font.size = Pt(font_size)
    if spec_title:
        chart.has_title = True
        chart.chart_title.text_frame.text = clean_text(spec_title)
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(font_size + 2)
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.bold = True
    else:
        chart.has_title = False
        # LibreOffice shows an automatic title when autoTitleDeleted is absent.
        chart._chartSpace.chart.get_or_add_autoTitleDeleted().set("val", "1")
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(font_size)
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.theme_color = MSO_THEME_COLOR.BACKGROUND_2
    value_axis.tick_labels.number_format = fmt
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.format.line.fill.background()
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    chart.category_axis.format.line.color.theme_color = MSO_THEME_COLOR.TEXT_1


def _accents(spec: _CategorySpec) -> tuple[MSO_THEME_COLOR, ...]:
    return tuple(ACCENTS[a - 1] for a in spec.accents) + ACCENTS if spec.accents else ACCENTS


def _range(chart: Chart, value_range: tuple[float, float] | None) -> None:
    if value_range is not None:
        chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = value_range


def _colour_bars(plot_series: Sequence, colours: Sequence[MSO_THEME_COLOR]) -> None:
    for series, colour in zip(plot_series, colours, strict=False):
        series.format.fill.solid()
        _theme(series.format.fill.fore_color, colour)
        series.invert_if_negative = False


def _colour_lines(plot_series: Sequence, colours: Sequence[MSO_THEME_COLOR], markers: bool) -> None:
    for series, colour in zip(plot_series, colours, strict=False):
        series.smooth = False
        series.format.line.width = Pt(2.25)
        _theme(series.format.line.color, colour)
        if markers:
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 6
            series.marker.format.fill.solid()
            _theme(series.marker.format.fill.fore_color, colour)
            _theme(series.marker.format.line.color, colour)
        else:
            series.marker.style = XL_MARKER_STYLE.NONE


def add_line_chart(slide: Slide, spec: LineChart, target: object) -> GraphicFrame:
    """A native line chart; ``target`` is a chart placeholder or an EMU box ``(x, y, cx, cy)``."""
    data = _chart_data(spec.categories, spec.series, spec.number_format.code)
    kind = XL_CHART_TYPE.LINE_MARKERS if spec.markers else XL_CHART_TYPE.LINE
    frame = _place(slide, kind, data, target)
    chart = frame.chart
    _style(chart, spec.title, spec.legend, spec.font_size_pt, spec.number_format.code)
    _colour_lines(chart.plots[0].series, _accents(spec), spec.markers)
    _range(chart, spec.value_range)
    return frame


def add_bar_chart(slide: Slide, spec: BarChart, target: object) -> GraphicFrame:
    """A native clustered or stacked column chart; ``target`` as in :func:`add_line_chart`."""
    data = _chart_data(spec.categories, spec.series, spec.number_format.code)
    kind = XL_CHART_TYPE.COLUMN_STACKED if spec.stacked else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = _place(slide, kind, data, target)
    chart = frame.chart
    _style(chart, spec.title, spec.legend, spec.font_size_pt, spec.number_format.code)
    plot = chart.plots[0]
    plot.gap_width = 60 if spec.stacked else 80
    plot.overlap = 100 if spec.stacked else -10
    _colour_bars(plot.series, _accents(spec))
    _range(chart, spec.value_range)
    if spec.data_labels:
        plot.has_data_labels = True
        plot.data_labels.number_format = spec.number_format.code
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.font.size = Pt(spec.font_size_pt - 1)
    return frame


def _c(tag: str, **attrs: str) -> etree._Element:
    element = OxmlElement(f"c:{tag}")
    for key, value in attrs.items():
        element.set(key, value)
    return element


def _secondary_axes(plot_area: etree._Element, fmt: str) -> None:
    cat = _c("catAx")
    for child in (
        _c("axId", val=_SECOND_CAT_AX),
        _scaling(),
        _c("delete", val="1"),
        _c("axPos", val="b"),
        _c("majorTickMark", val="none"),
        _c("minorTickMark", val="none"),
        _c("tickLblPos", val="nextTo"),
        _c("crossAx", val=_SECOND_VAL_AX),
        _c("crosses", val="autoZero"),
        _c("auto", val="1"),
        _c("lblAlgn", val="ctr"),
        _c("lblOffset", val="100"),
        _c("noMultiLvlLbl", val="0"),
    ):
        cat.append(child)
    val = _c("valAx")
    for child in (
        _c("axId", val=_SECOND_VAL_AX),
        _scaling(),
        _c("delete", val="0"),
        _c("axPos", val="r"),
        _c("numFmt", formatCode=fmt, sourceLinked="0"),
        _c("majorTickMark", val="out"),
        _c("minorTickMark", val="none"),
        _c("tickLblPos", val="nextTo"),
        _c("crossAx", val=_SECOND_CAT_AX),
        _c("crosses", val="max"),
        _c("crossBetween", val="between"),
    ):
        val.append(child)
    last_axis = plot_area.findall(qn("c:valAx"))[-1]
    last_axis.addnext(cat)
    cat.addnext(val)


def _scaling() -> etree._Element:
    scaling = _c("scaling")
    scaling.append(_c("orientation", val="minMax"))
    return scaling


def add_combo_chart(slide: Slide, spec: ComboChart, target: object) -> GraphicFrame:
    """Bars on the primary axis and lines on a secondary (right) axis, one native chart.

    The embedded workbook holds every series, bars first, so the user edits
    them all in one sheet. ``target`` as in :func:`add_line_chart`.
    """
    bar_fmt, line_fmt = spec.number_format.code, spec.line_format.code
    data = CategoryChartData(number_format=bar_fmt)
    data.categories = list(spec.categories)
    for name, values in spec.series.items():
        data.add_series(name, list(values), number_format=bar_fmt)
    for name, values in spec.lines.items():
        data.add_series(name, list(values), number_format=line_fmt)
    kind = XL_CHART_TYPE.COLUMN_STACKED if spec.stacked else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = _place(slide, kind, data, target)
    chart = frame.chart
    # Style first: python-pptx's value_axis is the *second* valAx once there are two.
    _style(chart, spec.title, spec.legend, spec.font_size_pt, bar_fmt)
    plot_area = chart._chartSpace.chart.plotArea
    bar_chart = plot_area.find(qn("c:barChart"))
    line_chart = _c("lineChart")
    line_chart.append(_c("grouping", val="standard"))
    line_chart.append(_c("varyColors", val="0"))
    bar_series = bar_chart.findall(qn("c:ser"))
    for ser in bar_series[len(spec.series) :]:
        invert = ser.find(qn("c:invertIfNegative"))
        if invert is not None:
            ser.remove(invert)
        ser.append(_c("smooth", val="0"))
        line_chart.append(ser)
    line_chart.append(_c("marker", val="1"))
    line_chart.append(_c("axId", val=_SECOND_CAT_AX))
    line_chart.append(_c("axId", val=_SECOND_VAL_AX))
    bar_chart.addnext(line_chart)
    _secondary_axes(plot_area, line_fmt)
    bars, lines = chart.plots[0], chart.plots[1]
    bars.gap_width = 60
    bars.overlap = 100 if spec.stacked else -10
    _colour_bars(bars.series, ACCENTS)
    _colour_lines(lines.series, ACCENTS[len(spec.series) :] or ACCENTS, markers=True)
    return frame


def add_waterfall_chart(slide: Slide, spec: WaterfallChart, target: object) -> GraphicFrame:
    """A waterfall (bridge) as stacked columns over an invisible base series.

    The base series stays in the workbook (named "Base") so edits keep
    working; it has no fill, no line and no legend entry. Totals use
    ``accent1``, increases ``accent3`` and decreases ``accent4``.
    """
    categories, bars = spec.bars()
    names = {"base": "Base", **{k: clean_text(v) for k, v in spec.labels.items()}}
    series = {names[key]: values for key, values in bars.items()}
    fmt = spec.number_format.code
    data = _chart_data(categories, series, fmt)
    frame = _place(slide, XL_CHART_TYPE.COLUMN_STACKED, data, target)
    chart = frame.chart
    _style(chart, spec.title, True, spec.font_size_pt, fmt)
    plot = chart.plots[0]
    plot.gap_width = 50
    plot.overlap = 100
    base, *visible = plot.series
    base.format.fill.background()
    base.format.line.fill.background()
    _colour_bars(visible, (_TOTAL, _INCREASE, _DECREASE))
    plot.has_data_labels = False
    for ser_index, ser in enumerate(plot.series):
        if ser_index == 0:
            continue
        ser.data_labels.show_value = True
        ser.data_labels.number_format = fmt
        ser.data_labels.number_format_is_linked = False
        ser.data_labels.font.size = Pt(spec.font_size_pt - 1)
    # Hide the base series' legend entry.
    legend = chart.legend._element
    entry = _c("legendEntry")
    entry.append(_c("idx", val="0"))
    entry.append(_c("delete", val="1"))
    legend.insert(1, entry)
    return frame


def add_chart(slide: Slide, spec: ChartSpec, target: object) -> GraphicFrame:
    """Draw any spec; ``target`` is a chart placeholder or an EMU box ``(x, y, cx, cy)``."""
    if isinstance(spec, ComboChart):
        return add_combo_chart(slide, spec, target)
    if isinstance(spec, LineChart):
        return add_line_chart(slide, spec, target)
    if isinstance(spec, BarChart):
        return add_bar_chart(slide, spec, target)
    if isinstance(spec, WaterfallChart):
        return add_waterfall_chart(slide, spec, target)
    raise TypeError(f"not a chart spec: {type(spec).__name__}")
