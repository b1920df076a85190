"""Chart specs as native chart XML (``c:chartSpace``) plus the workbook behind them.

:class:`reports.render.pptx.writer.SlideDraft` stores both as the chart's parts.
Series colours are theme references (``accent1`` … ``accent6``), so a
restyled template recolours every chart; nothing here names an RGB colour.

- line and bar charts: one plot, category axis at the bottom, value axis
  with light gridlines and the spec's number format;
- combo: bars on the primary axes plus a ``c:lineChart`` on a secondary
  pair of axes (value axis on the right);
- waterfall: stacked bars whose first series ("Base") has no fill, no line
  and no legend entry; totals ``accent1``, increases ``accent3``,
  decreases ``accent4``.

The embedded workbook holds every series (bars first), so the user edits
them all in one sheet; the chart's ``c:externalData`` points at
relationship ``rId1``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reports.render.pptx.chartspec import (
    BarChart,
    ChartSpec,
    ComboChart,
    LineChart,
    WaterfallChart,
    _CategorySpec,
)
from reports.render.pptx.xlsx import chart_workbook, column_letter
from reports.render.pptx.xmltext import NS_A, NS_C, NS_R, XML_DECLARATION, attr, text

_CAT_AX, _VAL_AX, _CAT_AX2, _VAL_AX2 = "100001", "100002", "100003", "100004"
_TOTAL, _INCREASE, _DECREASE = 1, 3, 4
_LINE_WIDTH_EMU = 28_575  # 2.25 pt

Column = tuple[str, Sequence[float | None], str]
"""(series name, values, Excel number format code)."""


def _fill(accent: int) -> str:
    return f'<a:solidFill><a:schemeClr val="accent{accent}"/></a:solidFill>'


THEME_FONT = '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/>'
"""The master's body font: chart text is set in it, like the slides' text (a chart that names no
font is drawn in the viewer's default, e.g. Liberation Sans in LibreOffice)."""


def _txpr(size_pt: float, *, bold: bool = False, end: bool = False) -> str:
    b = ' b="1"' if bold else ""
    end_para = f'<a:endParaRPr lang="en-US">{THEME_FONT}</a:endParaRPr>' if end else ""
    return (
        f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{round(size_pt * 100)}"{b}>'
        f"{THEME_FONT}</a:defRPr></a:pPr>{end_para}</a:p></c:txPr>"
    )


def _refs(col: int, name: str, categories: Sequence[str], values: Sequence[float | None], fmt: str) -> tuple:
    letter, n = column_letter(col), len(categories)
    tx = (
        f'<c:tx><c:strRef><c:f>Sheet1!${letter}$1</c:f><c:strCache><c:ptCount val="1"/>'
        f'<c:pt idx="0"><c:v>{text(name)}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
    )
    cat_pts = "".join(f'<c:pt idx="{i}"><c:v>{text(c)}</c:v></c:pt>' for i, c in enumerate(categories))
    cat = (
        f'<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${n + 1}</c:f><c:strCache><c:ptCount val="{n}"/>'
        f"{cat_pts}</c:strCache></c:strRef></c:cat>"
    )
    val_pts = "".join(
        f'<c:pt idx="{i}"><c:v>{float(v)!r}</c:v></c:pt>' for i, v in enumerate(values) if v is not None
    )
    val = (
        f"<c:val><c:numRef><c:f>Sheet1!${letter}$2:${letter}${n + 1}</c:f><c:numCache>"
        f'<c:formatCode>{text(fmt)}</c:formatCode><c:ptCount val="{n}"/>{val_pts}</c:numCache></c:numRef></c:val>'
    )
    return tx, cat, val


def _labels(fmt: str, size_pt: float, position: str = "") -> str:
    where = f'<c:dLblPos val="{position}"/>' if position else ""
    return (
        f'<c:dLbls><c:numFmt formatCode="{attr(fmt)}" sourceLinked="0"/>{_txpr(size_pt)}{where}'
        '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
    )


def _bar_series(index: int, column: Column, categories: Sequence[str], fill: str, labels: str = "") -> str:
    name, values, fmt = column
    tx, cat, val = _refs(index + 1, name, categories, values, fmt)
    return (
        f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>{tx}<c:spPr>{fill}</c:spPr>'
        f'<c:invertIfNegative val="0"/>{labels}{cat}{val}</c:ser>'
    )


def _line_series(index: int, column: Column, categories: Sequence[str], accent: int, markers: bool) -> str:
    name, values, fmt = column
    tx, cat, val = _refs(index + 1, name, categories, values, fmt)
    marker = (
        f'<c:marker><c:symbol val="circle"/><c:size val="6"/><c:spPr>{_fill(accent)}'
        f"<a:ln>{_fill(accent)}</a:ln></c:spPr></c:marker>"
        if markers
        else '<c:marker><c:symbol val="none"/></c:marker>'
    )
    return (
        f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>{tx}'
        f'<c:spPr><a:ln w="{_LINE_WIDTH_EMU}">{_fill(accent)}</a:ln></c:spPr>{marker}{cat}{val}'
        '<c:smooth val="0"/></c:ser>'
    )


def _bar_plot(series: str, *, stacked: bool, gap: int, overlap: int, labels: str, axes: tuple) -> str:
    grouping = "stacked" if stacked else "clustered"
    return (
        f'<c:barChart><c:barDir val="col"/><c:grouping val="{grouping}"/><c:varyColors val="0"/>{series}'
        f'{labels}<c:gapWidth val="{gap}"/><c:overlap val="{overlap}"/>'
        f'<c:axId val="{axes[0]}"/><c:axId val="{axes[1]}"/></c:barChart>'
    )


def _line_plot(series: str, axes: tuple) -> str:
    return (
        f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}<c:marker val="1"/>'
        f'<c:axId val="{axes[0]}"/><c:axId val="{axes[1]}"/></c:lineChart>'
    )


def _scaling(value_range: tuple[float | None, float | None] | None) -> str:
    bounds = ""
    if value_range is not None:
        low, high = value_range
        bounds = (f'<c:max val="{float(high)!r}"/>' if high is not None else "") + (
            f'<c:min val="{float(low)!r}"/>' if low is not None else ""
        )
    return f'<c:scaling><c:orientation val="minMax"/>{bounds}</c:scaling>'


def _axis_title(title: str, size_pt: float, *, vertical: bool) -> str:
    """A ``c:title`` for an axis (rotated for a vertical axis); empty for no title."""
    if not title:
        return ""
    rotation = ' rot="-5400000" vert="horz"' if vertical else ""
    size = round(size_pt * 100)
    return (
        f'<c:title><c:tx><c:rich><a:bodyPr{rotation}/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}" b="0">'
        f'{THEME_FONT}</a:defRPr></a:pPr><a:r><a:rPr lang="en-US" sz="{size}" b="0">{THEME_FONT}</a:rPr>'
        f'<a:t>{text(title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
    )


def _primary_axes(
    fmt: str,
    value_range: tuple[float | None, float | None] | None = None,
    *,
    value_title: str = "",
    category_title: str = "",
    font_pt: float = 12,
) -> str:
    return (
        f'<c:catAx><c:axId val="{_CAT_AX}"/>{_scaling(None)}<c:delete val="0"/><c:axPos val="b"/>'
        f"{_axis_title(category_title, font_pt, vertical=False)}"
        '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
        f'<c:spPr><a:ln><a:solidFill><a:schemeClr val="tx1"/></a:solidFill></a:ln></c:spPr>'
        f'<c:crossAx val="{_VAL_AX}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="{_VAL_AX}"/>{_scaling(value_range)}<c:delete val="0"/><c:axPos val="l"/>'
        '<c:majorGridlines><c:spPr><a:ln><a:solidFill><a:schemeClr val="bg2"/></a:solidFill></a:ln>'
        f"</c:spPr></c:majorGridlines>{_axis_title(value_title, font_pt, vertical=True)}"
        f'<c:numFmt formatCode="{attr(fmt)}" sourceLinked="0"/>'
        '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:spPr><a:ln><a:noFill/></a:ln></c:spPr><c:crossAx val="{_CAT_AX}"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/></c:valAx>'
    )


def _secondary_axes(fmt: str, *, title: str = "", font_pt: float = 12) -> str:
    return (
        f'<c:catAx><c:axId val="{_CAT_AX2}"/>{_scaling(None)}<c:delete val="1"/><c:axPos val="b"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:crossAx val="{_VAL_AX2}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="{_VAL_AX2}"/>{_scaling(None)}<c:delete val="0"/><c:axPos val="r"/>'
        f"{_axis_title(title, font_pt, vertical=True)}"
        f'<c:numFmt formatCode="{attr(fmt)}" sourceLinked="0"/><c:majorTickMark val="out"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:crossAx val="{_CAT_AX2}"/><c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>'
    )


def _chart_space(
    plot_area: str, *, title: str, legend: bool, font_pt: float, hidden_entry: bool = False
) -> str:
    if title:
        head = (
            f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr sz="{round((font_pt + 2) * 100)}" '
            f'b="1">{THEME_FONT}</a:rPr><a:t>{text(title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/>'
            "</c:title>"
            '<c:autoTitleDeleted val="0"/>'
        )
    else:
        # LibreOffice shows an automatic title when autoTitleDeleted is absent.
        head = '<c:autoTitleDeleted val="1"/>'
    legend_xml = ""
    if legend:
        entry = '<c:legendEntry><c:idx val="0"/><c:delete val="1"/></c:legendEntry>' if hidden_entry else ""
        legend_xml = f'<c:legend><c:legendPos val="b"/>{entry}<c:overlay val="0"/>{_txpr(font_pt)}</c:legend>'
    return (
        f'{XML_DECLARATION}<c:chartSpace xmlns:c="{NS_C}" xmlns:a="{NS_A}" xmlns:r="{NS_R}">'
        f'<c:date1904 val="0"/><c:roundedCorners val="0"/><c:chart>{head}<c:plotArea><c:layout/>{plot_area}'
        f'</c:plotArea>{legend_xml}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f'{_txpr(font_pt, end=True)}<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>"
    )


def _titles(spec: _CategorySpec) -> dict:
    return {
        "value_title": spec.value_title,
        "category_title": spec.category_title,
        "font_pt": spec.font_size_pt,
    }


def _accents(spec: _CategorySpec) -> tuple[int, ...]:
    return (*spec.accents, 1, 2, 3, 4, 5, 6)


def _columns(series: Mapping[str, Sequence[float | None]], fmt: str) -> list[Column]:
    return [(name, values, fmt) for name, values in series.items()]


def chart_columns(spec: ChartSpec) -> tuple[Sequence[str], list[Column]]:
    """Categories and the workbook columns of ``spec``, in sheet order (bars, then lines)."""
    if isinstance(spec, WaterfallChart):
        categories, bars = spec.bars()
        names = {"base": "Base", **dict(spec.labels)}
        fmt = spec.number_format.code
        return categories, [(names[key], values, fmt) for key, values in bars.items()]
    columns = _columns(spec.series, spec.number_format.code)
    if isinstance(spec, ComboChart):
        columns += _columns(spec.lines, spec.line_format.code)
    return spec.categories, columns


def chart_xml(spec: ChartSpec) -> str:
    """The chart part's XML for ``spec``."""
    categories, columns = chart_columns(spec)
    if isinstance(spec, WaterfallChart):
        fmt = spec.number_format.code
        fills = ("<a:noFill/><a:ln><a:noFill/></a:ln>", _fill(_TOTAL), _fill(_INCREASE), _fill(_DECREASE))
        total_labels = _labels(fmt, spec.font_size_pt - 1, position="inEnd")
        series = "".join(
            _bar_series(i, column, categories, fill, total_labels if i == 1 else "")
            for i, (column, fill) in enumerate(zip(columns, fills, strict=True))
        )
        plot = _bar_plot(series, stacked=True, gap=50, overlap=100, labels="", axes=(_CAT_AX, _VAL_AX))
        axes = _primary_axes(fmt, (0, None), value_title=spec.value_title, font_pt=spec.font_size_pt)
        return _chart_space(
            plot + axes,
            title=spec.title,
            legend=spec.legend,
            font_pt=spec.font_size_pt,
            hidden_entry=True,
        )
    fmt = spec.number_format.code
    accents = _accents(spec)
    if isinstance(spec, LineChart):
        series = "".join(
            _line_series(i, column, categories, accents[i % len(accents)], spec.markers)
            for i, column in enumerate(columns)
        )
        plot = _line_plot(series, (_CAT_AX, _VAL_AX))
        area = plot + _primary_axes(fmt, spec.value_range, **_titles(spec))
    elif isinstance(spec, ComboChart):
        n_bars = len(spec.series)
        bars = "".join(
            _bar_series(i, column, categories, _fill(i % 6 + 1)) for i, column in enumerate(columns[:n_bars])
        )
        lines = "".join(
            _line_series(i, column, categories, i % 6 + 1, True)
            for i, column in enumerate(columns[n_bars:], start=n_bars)
        )
        overlap = 100 if spec.stacked else -10
        area = (
            _bar_plot(bars, stacked=spec.stacked, gap=60, overlap=overlap, labels="", axes=(_CAT_AX, _VAL_AX))
            + _line_plot(lines, (_CAT_AX2, _VAL_AX2))
            + _primary_axes(fmt, spec.value_range, **_titles(spec))
            + _secondary_axes(spec.line_format.code, title=spec.line_title, font_pt=spec.font_size_pt)
        )
    elif isinstance(spec, BarChart):
        series = "".join(
            _bar_series(i, column, categories, _fill(accents[i % len(accents)]))
            for i, column in enumerate(columns)
        )
        labels = _labels(fmt, spec.font_size_pt - 1) if spec.data_labels else ""
        gap, overlap = (60, 100) if spec.stacked else (80, -10)
        plot = _bar_plot(
            series, stacked=spec.stacked, gap=gap, overlap=overlap, labels=labels, axes=(_CAT_AX, _VAL_AX)
        )
        area = plot + _primary_axes(fmt, spec.value_range, **_titles(spec))
    else:
        raise TypeError(f"not a chart spec: {type(spec).__name__}")
    return _chart_space(area, title=spec.title, legend=spec.legend, font_pt=spec.font_size_pt)


def chart_workbook_for(spec: ChartSpec) -> bytes:
    """The .xlsx embedded behind ``spec``'s chart."""
    categories, columns = chart_columns(spec)
    return chart_workbook(categories, columns)
