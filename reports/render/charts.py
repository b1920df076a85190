"""Print-ready charts: matplotlib figures rendered to SVG strings or PNG bytes.

A chart spec is a frozen dataclass of data and labels only (no XML, no
styling); the functions here draw it with one house style: the Okabe–Ito
colour-blind-safe palette, Liberation Sans (the PDFs' text font, so charts
and text are one family; DejaVu Sans, shipped with matplotlib, where it is
not installed), a left-aligned title, axis labels that carry
units and locale-aware tick labels from :mod:`reports.render.formatting`.

The SVG output is deterministic (fixed hash salt, no date, no creator) and
accessible: the root ``<svg>`` has ``role="img"`` and ``aria-label``, and
its first children are ``<title>`` and ``<desc>`` (the spec's description,
or one written from the data when the spec has none). PNG output (for
email) has an opaque white background so it reads in dark-mode clients.

Figures are plain :class:`matplotlib.figure.Figure` objects, never
registered with pyplot, so nothing accumulates across thousands of calls.
Drawing holds a module lock: matplotlib's settings are process-global.
"""

from __future__ import annotations

import base64
import io
import math
import pickle
import re
import textwrap
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, cast
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from babel.numbers import format_compact_currency
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import findfont, get_font
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from reports.render.formatting import (
    clean_text,
    format_delta,
    format_money,
    format_number,
    format_pct,
)
from reports.render.heap import new_objects_only

ValueKind = Literal["money", "pct", "number"]

#: Okabe & Ito (2008) palette, ordered for contrast on white; yellow comes last.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#000000",  # black
    "#F0E442",  # yellow
)
_INCREASE, _DECREASE, _TOTAL = "#009E73", "#D55E00", "#0072B2"
_INK, _MUTED, _GRID = "#1f2933", "#52606d", "#e4e7eb"

_RC: dict[str, Any] = {
    "svg.hashsalt": "csreports",
    "svg.fonttype": "none",
    "font.family": ["Liberation Sans", "DejaVu Sans"],
    "font.size": 8,
    "text.color": _INK,
    "axes.labelsize": 8,
    "axes.labelcolor": _MUTED,
    "axes.edgecolor": "#9aa5b1",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=OKABE_ITO),
    "grid.color": _GRID,
    "grid.linewidth": 0.6,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "xtick.color": _MUTED,
    "ytick.color": _MUTED,
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "lines.linewidth": 1.8,
    "axes.unicode_minus": False,
}
_SVG_METADATA = {"Date": None, "Creator": None}
_PNG_METADATA = {"Software": None}
_LOCK = threading.Lock()
#: Space kept free around the chart's content, in points.
_PAD = 4.0
#: Pickled blank figure per size (see _blank_figure).
_BLANK_FIGURES: dict[tuple[float, float], bytes] = {}
_MAX_X_TICKS = 12
_NICE_STEPS = [1, 2, 2.5, 5, 10]
_SVG_ROOT = re.compile(r"<svg\b[^>]*>")
#: What a draw function returns: each value (y) axis it drew and how its ticks are formatted.
_ValueAxes = list[tuple[Any, ValueKind]]


def _freeze_series(
    owner: str, name: str, series: Mapping[str, Sequence[Any]], length: int | None
) -> Mapping[str, tuple[float, ...]]:
    frozen: dict[str, tuple[float, ...]] = {}
    for label, values in series.items():
        numbers = tuple(_to_float(v) for v in values)
        if length is not None and len(numbers) != length:
            raise ValueError(
                f"{owner}.{name}[{label!r}]: {len(numbers)} values for {length} x labels "
                "(each series needs one value per x label)."
            )
        frozen[str(label)] = numbers
    return MappingProxyType(frozen)


def _frozen(series: Mapping[str, Sequence[float | None]]) -> Mapping[str, tuple[float, ...]]:
    """A spec's series as ``__post_init__`` left them: tuples of floats, NaN for a gap."""
    return cast(Mapping[str, tuple[float, ...]], series)


def _to_float(value: Any) -> float:
    if value is None:
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan  # pd.NA and friends
    return number


def _check_kind(owner: str, name: str, kind: str) -> None:
    if kind not in ("money", "pct", "number"):
        raise ValueError(f"{owner}.{name}: {kind!r} is not one of 'money', 'pct', 'number'.")


@dataclass(frozen=True, kw_only=True)
class _ChartSpec:
    #: Chart title, shown top left.
    title: str
    #: Y axis label with its unit, e.g. "MRR (USD)" or "NRR (%)".
    y_label: str
    #: How values and y ticks are formatted: "money" (in ``currency``),
    #: "pct" (values are fractions, not percent) or "number".
    value_format: ValueKind = "number"
    currency: str = "USD"
    locale: str = "en"
    #: Alt text (SVG ``<desc>``); written from the data when empty.
    description: str = ""
    #: Figure size in inches (width, height); 6.7 in fits an A4 or Letter text column.
    size: tuple[float, float] = (6.7, 3.0)

    def _check(self) -> None:
        _check_kind(type(self).__name__, "value_format", self.value_format)


@dataclass(frozen=True, kw_only=True)
class _SeriesChartSpec(_ChartSpec):
    #: Category labels along the x axis (months, segments, quarters).
    x_labels: Sequence[str]
    #: Series name -> one value per x label; None or NaN leaves a gap.
    series: Mapping[str, Sequence[float | None]]
    #: Optional x axis label (the categories usually explain themselves).
    x_label: str = ""

    def __post_init__(self) -> None:
        self._check()
        object.__setattr__(self, "x_labels", tuple(str(x) for x in self.x_labels))
        object.__setattr__(
            self,
            "series",
            _freeze_series(type(self).__name__, "series", self.series, len(self.x_labels)),
        )
        if not self.series:
            raise ValueError(f"{type(self).__name__}.series: empty (give at least one series).")


@dataclass(frozen=True, kw_only=True)
class LineChartSpec(_SeriesChartSpec):
    """A line per series over ordered categories (usually months)."""

    markers: bool = True


@dataclass(frozen=True, kw_only=True)
class BarChartSpec(_SeriesChartSpec):
    """Bars per category: grouped side by side, or stacked."""

    stacked: bool = False
    #: Print each bar's value above it (best for a dozen bars or fewer).
    data_labels: bool = False


@dataclass(frozen=True, kw_only=True)
class ComboChartSpec(_SeriesChartSpec):
    """Bars on the left axis (``series``) and lines on a right axis (``lines``)."""

    #: Line series name -> one value per x label, drawn against ``y2_label``.
    lines: Mapping[str, Sequence[float | None]] = field(default_factory=dict)
    y2_label: str = ""
    value_format2: ValueKind = "pct"

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_kind("ComboChartSpec", "value_format2", self.value_format2)
        object.__setattr__(
            self, "lines", _freeze_series("ComboChartSpec", "lines", self.lines, len(self.x_labels))
        )
        if not self.lines:
            raise ValueError("ComboChartSpec.lines: empty (use BarChartSpec for bars only).")


@dataclass(frozen=True, kw_only=True)
class WaterfallSpec(_ChartSpec):
    """A bridge from a starting total through signed steps to the ending total.

    The ending bar is drawn at ``start_value`` plus the steps; give the steps
    exactly as computed (e.g. MRR movements, which sum to the change in MRR).
    """

    start_label: str
    start_value: float
    #: Step label -> signed change, in order (e.g. "New": 12000, "Churn": -8000).
    steps: Mapping[str, float]
    end_label: str

    def __post_init__(self) -> None:
        self._check()
        steps = {str(label): _to_float(value) for label, value in self.steps.items()}
        object.__setattr__(self, "steps", MappingProxyType(steps))
        object.__setattr__(self, "start_value", _to_float(self.start_value))
        if not self.steps:
            raise ValueError("WaterfallSpec.steps: empty (give at least one step).")


ChartSpec = LineChartSpec | BarChartSpec | ComboChartSpec | WaterfallSpec


# --------------------------------------------------------------------------- formatting


def _value_formatter(kind: ValueKind, spec: _ChartSpec, compact: bool = True) -> Callable[[float], str]:
    if kind == "money":
        return lambda v: format_money(v, spec.currency, spec.locale, compact=compact)
    if kind == "pct":
        return lambda v: format_pct(v, spec.locale, digits=1)
    return lambda v: format_number(v, spec.locale, digits=0 if abs(v) >= 10 else 1)


@dataclass(frozen=True)
class DataLabel:
    """A value a chart prints on its bars: where (category, series), the value and the text."""

    category: str
    series: str
    value: float
    text: str


def data_labels(spec: ChartSpec) -> tuple[DataLabel, ...]:
    """Every value ``spec`` prints on its bars, in drawing order, with the text drawn.

    A waterfall labels its start, each signed step (compact money) and its end,
    the end being the start plus the steps; a bar chart with ``data_labels``
    each bar (a gap drawn as 0). Other charts print none. Documents record
    these texts with the figures they show, so a chart's "+$23.2K" is traced
    like the table's "$23,180".

    >>> spec = WaterfallSpec(title="MRR", y_label="MRR", value_format="money", start_label="Start",
    ...                      start_value=1000, steps={"New": 250, "Churn": -50}, end_label="End")
    >>> [label.text for label in data_labels(spec)]
    ['$1,000', '+$250', '-$50', '$1,200']
    """
    if isinstance(spec, WaterfallSpec):
        full = _value_formatter(spec.value_format, spec, compact=False)
        running = 0.0 if math.isnan(spec.start_value) else spec.start_value
        labels = [DataLabel(spec.start_label, "", running, full(running))]
        for category, delta in spec.steps.items():
            value = 0.0 if math.isnan(delta) else delta
            shown = format_delta(
                value, spec.value_format, spec.currency, spec.locale, compact=spec.value_format == "money"
            )
            labels.append(DataLabel(category, "", value, shown))
            running += value
        labels.append(DataLabel(spec.end_label, "", running, full(running)))
        return tuple(labels)
    if isinstance(spec, BarChartSpec) and spec.data_labels:
        fmt = _value_formatter(spec.value_format, spec)
        return tuple(
            DataLabel(category, name, value, fmt(0.0 if math.isnan(value) else value))
            for name, values in _frozen(spec.series).items()
            for category, value in zip(spec.x_labels, values, strict=True)
        )
    return ()


def _decimals_needed(values: Sequence[float], scale: float) -> int:
    """Fewest decimals (0-3) that show every ``value * scale`` exactly."""
    for digits in range(4):
        if all(abs(v * scale - round(v * scale, digits)) < 1e-9 * max(1.0, abs(v * scale)) for v in values):
            return digits
    return 3


def _compact_digits(values: Sequence[float]) -> int | None:
    """Decimals (1 or 2) of the thousands group that show every value exactly, or None."""
    for digits in (1, 2):
        scale = 10**digits
        exact = True
        for value in values:
            if abs(value) < 1000:
                continue
            group = 1000.0 ** ((len(str(int(abs(value)))) - 1) // 3)
            scaled = value / group * scale
            exact = exact and abs(scaled - round(scaled)) < 1e-9 * max(1.0, abs(scaled))
        if exact:
            return digits
    return None


def _tick_labels(kind: ValueKind, spec: _ChartSpec, ticks: Sequence[float]) -> list[str]:
    """Labels for ``ticks`` that are exact for all of them ($1.25M is not shown as $1.3M)."""
    if kind == "money":
        digits = _compact_digits(ticks)
        return [
            format_money(v, spec.currency, spec.locale)
            if digits is None or abs(v) < 1000
            else format_compact_currency(v, spec.currency, locale=spec.locale, fraction_digits=digits)
            for v in ticks
        ]
    if kind == "pct":
        digits = _decimals_needed(ticks, 100.0)
        return [format_pct(v, spec.locale, digits=digits) for v in ticks]
    digits = _decimals_needed(ticks, 1.0)
    return [format_number(v, spec.locale, digits=digits) for v in ticks]


def _fix_value_ticks(axis: Any, kind: ValueKind, spec: _ChartSpec) -> None:
    """Place and label the value axis's ticks once, from its final view limits.

    The same ticks matplotlib's ``MaxNLocator`` would choose, labelled from the
    full tick list, then fixed: the layout pass and the drawing reuse them
    instead of locating and formatting again on every size query.
    """
    low, high = sorted(axis.get_view_interval())
    ticks = [float(t) for t in MaxNLocator(nbins=6, steps=_NICE_STEPS).tick_values(low, high)]
    labels = _tick_labels(kind, spec, ticks)
    slack = (high - low) * 1e-10
    kept = [(t, label) for t, label in zip(ticks, labels, strict=True) if low - slack <= t <= high + slack]
    axis.set_ticks([t for t, _ in kept], labels=[label for _, label in kept])


def _wrap(label: str, width: int) -> str:
    return "\n".join(textwrap.wrap(clean_text(label), width=width)) or label


# --------------------------------------------------------------------------- drawing


def _blank_figure(size: tuple[float, float]) -> Figure:
    """A new figure of ``size`` inches with one empty plot in the house style.

    Building a plot (axes, spines, axis objects) is a good part of drawing a
    small chart, so the first figure of each size is kept pickled and every
    chart of that size starts from a copy of it (figures pickle with all
    their state; nothing is read from outside the process). Call it inside
    ``rc_context(_RC)``.
    """
    blob = _BLANK_FIGURES.get(size)
    if blob is None:
        fig = Figure(figsize=size)
        ax = fig.add_subplot()
        ax.tick_params(axis="both", length=0, pad=4)
        ax.margins(x=0.02)
        blob = _BLANK_FIGURES[size] = pickle.dumps(fig, protocol=pickle.HIGHEST_PROTOCOL)
    return pickle.loads(blob)  # bytes made above, in this process


def _new_figure(spec: _ChartSpec) -> tuple[Figure, Any, Any]:
    """A figure with one plot and the spec's title; returns the figure, the plot and the title."""
    width, height = spec.size
    fig = _blank_figure((width, height))
    ax = fig.axes[0]
    title = fig.suptitle(
        clean_text(spec.title),
        x=_PAD / 72 / spec.size[0],
        ha="left",
        va="top",
        fontsize=10,
        fontweight="bold",
    )
    ax.set_ylabel(clean_text(spec.y_label))
    return fig, ax, title


_HEIGHT_METRICS: dict[tuple[Any, ...], tuple[float | None, float | None, float | None]] = {}


def _font_height_metrics(
    key: tuple[Any, ...], size: float, prop: Any
) -> tuple[float | None, float | None, float | None]:
    """Ascent, descent, line gap in points at 72 dpi, as ``matplotlib.text.Text._get_layout`` computes them."""
    cached = _HEIGHT_METRICS.get((key, size))
    if cached is not None:
        return cached
    font = get_font(findfont(prop))
    metrics: tuple[float | None, float | None, float | None] = (None, None, None)
    for table_name, gap, ascent, descent in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table: Any = font.get_sfnt_table(table_name)  # type: ignore[call-overload]  # stubs list literals
        if table is None:
            continue
        head: Any = font.get_sfnt_table("head")
        scale = 1 / head["unitsPerEm"] * size
        metrics = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
        break
    _HEIGHT_METRICS[(key, size)] = metrics
    return metrics


class _SvgRenderer(RendererSVG):
    """matplotlib's SVG renderer, placing every text where matplotlib laid it out.

    For a one-line text matplotlib writes its anchor point plus
    ``text-anchor="middle"``/``"end"``, leaving the viewer to measure it
    again; WeasyPrint then draws each such text in a group of its own. Given
    no text object, the renderer writes the position of the text's start,
    from matplotlib's own layout (in the same font), as for multi-line text.
    """

    def _get_font_height_metrics(self, prop: Any) -> tuple[float | None, float | None, float | None]:
        # matplotlib's text layout asks the renderer for a font's ascent, descent and line gap
        # (a hook its PDF/PS backends use) and otherwise reads them from the font's tables for
        # every text, every time; these are the same numbers, read once per font and size.
        return _font_height_metrics(
            (
                tuple(prop.get_family()),
                prop.get_style(),
                prop.get_variant(),
                prop.get_weight(),
                prop.get_stretch(),
                prop.get_file(),
            ),
            prop.get_size_in_points(),
            prop,
        )

    def draw_text(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=None)


def _fit_axes(fig: Figure, title: Any, axes: Sequence[Any], renderer: Any) -> None:
    """Place the plot so title, legend, labels and tick labels fit the figure with ``_PAD`` around.

    A constrained layout for one plot, measured once: how far each axes'
    decorations (tick and axis labels, the legend) reach outside it, with
    ``get_tightbbox`` on ``renderer``, the renderer that then draws the
    figure (its text metrics are cached). The plot shrinks by that much; the
    decorations keep their distance to its edges. Labels on bars sit at data
    coordinates, so they move with the plot's size, as do the first and last
    category labels: these are measured again after each move until all fit.
    Bars, lines and grid are clipped to the plot; spines stay within the padding.
    """
    width, height = fig.bbox.width, fig.bbox.height
    pad = _PAD * fig.dpi / 72
    title.set_y(1 - pad / height)
    top_limit = title.get_window_extent(renderer).y0 - pad if title.get_text() else height - pad
    box = axes[0].bbox.frozen()
    # At a fixed distance from the plot's edges: y tick labels and y labels (left, and
    # right on a twin axis), the x axis' depth below the plot, the legend above it.
    parts = [box, *(ax.yaxis.get_tightbbox(renderer) for ax in axes)]
    x_axis = axes[0].xaxis.get_tightbbox(renderer)
    if x_axis is not None:
        parts.append(Bbox.from_extents(box.x0, x_axis.y0, box.x1, x_axis.y1))
    parts += [legend.get_window_extent(renderer) for ax in axes if (legend := ax.get_legend()) is not None]
    decorations = Bbox.union([p for p in parts if p is not None])
    # At data coordinates, so they move with the plot: outer category labels, value labels.
    ticks = [label for label in axes[0].xaxis.get_ticklabels() if label.get_visible() and label.get_text()]
    labels = [*ticks[:1], *ticks[-1:], *(text for ax in axes for text in ax.texts if text.get_visible())]
    for _ in range(4):
        tight = Bbox.union([decorations, *(label.get_window_extent(renderer) for label in labels)])
        over = (pad - tight.x0, tight.x1 - (width - pad), pad - tight.y0, tight.y1 - top_limit)
        if max(abs(o) for o in over) <= 0.25:
            return
        moved = Bbox.from_extents(box.x0 + over[0], box.y0 + over[2], box.x1 - over[1], box.y1 - over[3])
        for ax in axes:
            ax.set_position(
                [
                    moved.x0 / width,
                    moved.y0 / height,
                    max(moved.width, 1.0) / width,
                    max(moved.height, 1.0) / height,
                ]
            )
        decorations = Bbox.from_extents(
            decorations.x0 + moved.x0 - box.x0,
            decorations.y0 + moved.y0 - box.y0,
            decorations.x1 + moved.x1 - box.x1,
            decorations.y1 + moved.y1 - box.y1,
        )
        box = moved


def _set_categories(ax: Any, labels: Sequence[str], x_label: str = "") -> None:
    n = len(labels)
    every = max(1, math.ceil(n / _MAX_X_TICKS))
    width = max(6, int(90 / min(n, _MAX_X_TICKS)))
    ax.set_xticks(list(range(0, n, every)))
    ax.set_xticklabels([_wrap(labels[i], width) for i in range(0, n, every)])
    if x_label:
        ax.set_xlabel(clean_text(x_label))


def _legend(ax: Any, handles: list[Any], labels: list[str]) -> None:
    """Legend in one row between the title and the plot (none for a single series)."""
    if len(labels) < 2:
        return
    ax.legend(
        handles,
        [clean_text(label) for label in labels],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=min(len(labels), 5),
        borderaxespad=0.3,
        handlelength=1.4,
        columnspacing=1.4,
    )


def _draw_lines(
    ax: Any,
    x_labels: Sequence[str],
    series: Mapping[str, tuple[float, ...]],
    markers: bool,
    colors: Sequence[str],
) -> list[Any]:
    handles = []
    for i, (_name, values) in enumerate(series.items()):
        (line,) = ax.plot(
            range(len(x_labels)),
            values,
            color=colors[i % len(colors)],
            marker="o" if markers else None,
            markersize=3.2,
            solid_capstyle="round",
        )
        handles.append(line)
    return handles


def _draw_line(fig: Figure, ax: Any, spec: LineChartSpec) -> _ValueAxes:
    handles = _draw_lines(ax, spec.x_labels, _frozen(spec.series), spec.markers, OKABE_ITO)
    _set_categories(ax, spec.x_labels, spec.x_label)
    _legend(ax, handles, list(spec.series))
    return [(ax.yaxis, spec.value_format)]


def _bar_positions(n_series: int, stacked: bool) -> tuple[float, list[float]]:
    if stacked or n_series == 1:
        return 0.62, [0.0] * n_series
    width = 0.8 / n_series
    return width, [(i - (n_series - 1) / 2) * width for i in range(n_series)]


def _draw_bars(ax: Any, spec: _SeriesChartSpec, stacked: bool) -> list[Any]:
    n = len(spec.x_labels)
    width, offsets = _bar_positions(len(spec.series), stacked)
    bottoms_pos = [0.0] * n
    bottoms_neg = [0.0] * n
    handles = []
    for i, (_name, values) in enumerate(_frozen(spec.series).items()):
        xs = [x + offsets[i] for x in range(n)]
        clean = [0.0 if math.isnan(v) else v for v in values]
        if stacked:
            bottom = [bottoms_neg[j] if v < 0 else bottoms_pos[j] for j, v in enumerate(clean)]
            for j, v in enumerate(clean):
                if v < 0:
                    bottoms_neg[j] += v
                else:
                    bottoms_pos[j] += v
        else:
            bottom = [0.0] * n
        bars = ax.bar(
            xs,
            clean,
            width=width,
            bottom=bottom,
            color=OKABE_ITO[i % len(OKABE_ITO)],
            edgecolor="white",
            linewidth=0.5,
        )
        handles.append(bars)
    ax.axhline(0, color="#9aa5b1", linewidth=0.8)
    return handles


def _draw_bar(fig: Figure, ax: Any, spec: BarChartSpec) -> _ValueAxes:
    handles = _draw_bars(ax, spec, spec.stacked)
    if spec.data_labels:
        texts = [label.text for label in data_labels(spec)]
        n = len(spec.x_labels)
        for i, bars in enumerate(handles):
            ax.bar_label(bars, labels=texts[i * n : (i + 1) * n], padding=2, fontsize=7, color=_INK)
    _set_categories(ax, spec.x_labels, spec.x_label)
    _legend(ax, handles, list(spec.series))
    return [(ax.yaxis, spec.value_format)]


def _draw_combo(fig: Figure, ax: Any, spec: ComboChartSpec) -> _ValueAxes:
    bars = _draw_bars(ax, spec, stacked=False)
    ax2 = ax.twinx()
    ax2.spines["right"].set_visible(True)
    ax2.spines["top"].set_visible(False)
    ax2.grid(False)
    ax2.tick_params(axis="y", length=0, pad=4)
    ax2.set_ylabel(clean_text(spec.y2_label))
    line_colors = OKABE_ITO[len(spec.series) :] + OKABE_ITO[: len(spec.series)]
    lines = _draw_lines(ax2, spec.x_labels, _frozen(spec.lines), True, line_colors)
    if spec.value_format2 in ("number", "money"):
        # A count or an amount on the right axis starts at zero, like the bars: a line of active
        # users on a 1,200–1,500 axis would show a 5 % dip as a collapse. Rates (NRR near 100 %)
        # keep a fitted axis.
        values = [v for series in spec.lines.values() for v in series if v is not None and not math.isnan(v)]
        if values and min(values) >= 0:
            ax2.set_ylim(bottom=0.0)
    _set_categories(ax, spec.x_labels, spec.x_label)
    _legend(ax, [*bars, *lines], [*spec.series, *spec.lines])
    return [(ax.yaxis, spec.value_format), (ax2.yaxis, spec.value_format2)]


def _draw_waterfall(fig: Figure, ax: Any, spec: WaterfallSpec) -> _ValueAxes:
    labels = [spec.start_label, *spec.steps, spec.end_label]
    # Totals in full: compact ($1.3M) can make different totals look equal (see data_labels).
    texts = [label.text for label in data_labels(spec)]
    running = 0.0 if math.isnan(spec.start_value) else spec.start_value
    heights, bottoms, colors = [running], [0.0], [_TOTAL]
    for delta in spec.steps.values():
        value = 0.0 if math.isnan(delta) else delta
        bottoms.append(running if value >= 0 else running + value)
        heights.append(abs(value))
        colors.append(_INCREASE if value >= 0 else _DECREASE)
        running += value
    heights.append(running)
    bottoms.append(0.0)
    colors.append(_TOTAL)

    xs = list(range(len(labels)))
    bars = ax.bar(xs, heights, bottom=bottoms, width=0.62, color=colors, linewidth=0)
    ax.bar_label(bars, labels=texts, padding=2, fontsize=7, color=_INK)
    # Connectors: each bar's top (or bottom for decreases) to the next bar.
    level = spec.start_value
    for i, delta in enumerate([*spec.steps.values(), 0.0]):
        ax.plot(
            [i + 0.31, i + 0.69],
            [level, level],
            color="#9aa5b1",
            linewidth=0.7,
            linestyle=(0, (2, 2)),
        )
        level += 0.0 if math.isnan(delta) else delta
    ax.axhline(0, color="#9aa5b1", linewidth=0.8)
    top = max(b + h for b, h in zip(bottoms, heights, strict=True))
    ax.set_ylim(min(0.0, *bottoms), top * 1.12 if top > 0 else 1.0)
    _set_categories(ax, labels)
    return [(ax.yaxis, spec.value_format)]


_DRAW: dict[type, Callable[[Figure, Any, Any], _ValueAxes]] = {
    LineChartSpec: _draw_line,
    BarChartSpec: _draw_bar,
    ComboChartSpec: _draw_combo,
    WaterfallSpec: _draw_waterfall,
}


# --------------------------------------------------------------------------- alt text


def _range_text(values: Sequence[float], fmt: Callable[[float], str]) -> str:
    present = [v for v in values if not math.isnan(v)]
    if not present:
        return "no data"
    return f"from {fmt(present[0])} to {fmt(present[-1])} (low {fmt(min(present))}, high {fmt(max(present))})"


def describe_chart(spec: ChartSpec) -> str:
    """The alt text for ``spec``: its description, or one written from the data (English)."""
    if spec.description:
        return clean_text(spec.description)
    fmt = _value_formatter(spec.value_format, spec, compact=False)
    if isinstance(spec, WaterfallSpec):
        steps = "; ".join(
            f"{label} {format_delta(v, spec.value_format, spec.currency, spec.locale)}"
            for label, v in spec.steps.items()
        )
        end = spec.start_value + sum(v for v in spec.steps.values() if not math.isnan(v))
        text = (
            f"Waterfall chart of {spec.y_label}: {spec.start_label} {fmt(spec.start_value)}; "
            f"{steps}; {spec.end_label} {fmt(end)}."
        )
        return clean_text(text)
    kind = {LineChartSpec: "Line chart", ComboChartSpec: "Bar and line chart"}.get(
        type(spec), "Stacked bar chart" if getattr(spec, "stacked", False) else "Bar chart"
    )
    span = (
        f"{spec.x_labels[0]} to {spec.x_labels[-1]}"
        if len(spec.x_labels) > 1
        else spec.x_labels[0]
        if spec.x_labels
        else "no categories"
    )
    parts = [f"{kind} of {spec.y_label}, {span}."]
    parts += [f"{name}: {_range_text(values, fmt)}." for name, values in _frozen(spec.series).items()]
    if isinstance(spec, ComboChartSpec):
        fmt2 = _value_formatter(spec.value_format2, spec, compact=False)
        parts += [
            f"{name} ({spec.y2_label}): {_range_text(values, fmt2)}."
            for name, values in _frozen(spec.lines).items()
        ]
    return clean_text(" ".join(parts))


# --------------------------------------------------------------------------- output


def _render(spec: ChartSpec, fmt: Literal["svg", "png"], dpi: int) -> bytes:
    draw = _DRAW.get(type(spec))
    if draw is None:
        raise TypeError(f"not a chart spec: {type(spec).__name__}")
    with _LOCK, matplotlib.rc_context(_RC), new_objects_only():  # type: ignore[arg-type]
        fig, ax, title = _new_figure(spec)
        value_axes = draw(fig, ax, spec)
        for axis, kind in value_axes:
            _fix_value_ticks(axis, kind, spec)
        axes = [axis.axes for axis, _ in value_axes]
        if fmt == "svg":
            # What savefig(format="svg") does, with the renderer that measured the layout.
            fig.dpi = 72
            out = io.StringIO()
            renderer = _SvgRenderer(fig.bbox.width, fig.bbox.height, out, metadata=_SVG_METADATA)
            _fit_axes(fig, title, axes, renderer)
            fig.draw(renderer)
            renderer.finalize()
            return out.getvalue().encode("utf-8")
        fig.dpi = dpi
        _fit_axes(fig, title, axes, FigureCanvasAgg(fig).get_renderer())
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata=_PNG_METADATA)
        return buffer.getvalue()


#: SVG properties matplotlib writes in ``style`` that are also presentation attributes.
_PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-opacity",
        "opacity",
        "clip-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "text-anchor",
    }
)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_DEFAULT_STYLE = re.compile(r'\s*<defs>\s*<style type="text/css">\*\{([^}<]*)\}</style>\s*</defs>')
_NOOP_ROTATE = re.compile(r' transform="rotate\(-?0 [-+0-9.e]+ [-+0-9.e]+\)"')
_TEXT_AT = re.compile(r'<text( [^<>]*?)? transform="translate\(([-+0-9.e]+) ([-+0-9.e]+)\)"')
_STYLED_TAG = re.compile(r'<([A-Za-z][\w:]*)([^<>]*?) style="([^"<>]*)"([^<>]*?)(/?)>')
_GROUP = re.compile(r"<g\b([^<>]*?)(/?)>|</g>")
_ID = re.compile(r' id="[^"]*"')
_ATTRIBUTE_NAME = re.compile(r'([\w:-]+)="')
_BETWEEN_TAGS = re.compile(r">\s+<")


def _declarations(style: str) -> list[tuple[str, str]]:
    pairs = []
    for part in style.split(";"):
        name, colon, value = part.partition(":")
        if colon:
            pairs.append((name.strip(), value.strip()))
    return pairs


def _style_to_attributes(match: re.Match[str]) -> str:
    tag, before, style, after, close = match.groups()
    present = set(_ATTRIBUTE_NAME.findall(before + after))
    attributes, rest = [], []
    for name, value in _declarations(style):
        if name in _PRESENTATION and name not in present:
            attributes.append(f' {name}="{value}"')
            present.add(name)
        else:
            rest.append(f"{name}: {value}")
    kept = f' style="{"; ".join(rest)}"' if rest else ""
    return f"<{tag}{before}{''.join(attributes)}{kept}{after}{close}>"


def _flatten_groups(svg: str) -> str:
    """Drop group ids, empty groups, and groups left without attributes (their children stay)."""
    out: list[str] = []
    kept: list[bool] = []
    position = 0
    for match in _GROUP.finditer(svg):
        out.append(svg[position : match.start()])
        position = match.end()
        if match.group(0) == "</g>":
            if kept.pop():
                out.append("</g>")
            continue
        attributes = _ID.sub("", match.group(1))
        if match.group(2):  # <g .../>: draws nothing
            continue
        kept.append(bool(attributes.strip()))
        if kept[-1]:
            out.append(f"<g{attributes}>")
    out.append(svg[position:])
    return "".join(out)


def _lean_svg(svg: str) -> str:
    """The same drawing with fewer nodes and no CSS to parse, so PDF renderers draw it faster.

    matplotlib writes every artist in its own ``<g id=...>``, styles as
    ``style="fill: ...; stroke: ..."`` (a CSS parse per element in
    WeasyPrint), a ``*{...}`` stylesheet matched against every element, a
    no-op ``rotate(-0 ...)`` on each text and RDF metadata. Here styles
    become presentation attributes (the stylesheet's go on the root, where
    they are inherited), plain groups are unwrapped and the rest dropped.
    Clip paths, ids that are referenced (``<clipPath>``, marker ``<path>``)
    and all coordinates stay as matplotlib wrote them.
    """
    svg = _METADATA.sub("", svg, count=1)
    inherited = ""
    default = _DEFAULT_STYLE.search(svg)
    if default is not None:
        inherited = "".join(f' {name}="{value}"' for name, value in _declarations(default.group(1)))
        svg = svg[: default.start()] + svg[default.end() :]
    svg = _NOOP_ROTATE.sub("", svg)
    svg = _TEXT_AT.sub(lambda m: f'<text{m.group(1) or ""} x="{m.group(2)}" y="{m.group(3)}"', svg)
    svg = _STYLED_TAG.sub(_style_to_attributes, svg)
    svg = _flatten_groups(svg)
    svg = _BETWEEN_TAGS.sub(">\n<", svg)
    if inherited:
        svg = _SVG_ROOT.sub(lambda root: root.group(0)[:-1] + inherited + ">", svg, count=1)
    return svg


def _accessible_svg(svg: str, title: str, desc: str) -> str:
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE
    root = _SVG_ROOT.match(svg)
    assert root is not None
    tag = root.group(0)[:-1] + f' role="img" aria-label={quoteattr(desc or title)}>'
    head = f"\n <title>{escape(title)}</title>\n <desc>{escape(desc)}</desc>"
    return tag + head + svg[root.end() :]


def chart_svg(spec: ChartSpec) -> str:
    """Draw any chart spec as an SVG document string (starts with ``<svg``)."""
    raw = _render(spec, "svg", 72).decode("utf-8")
    return _accessible_svg(_lean_svg(raw), clean_text(spec.title), describe_chart(spec))


def chart_png(spec: ChartSpec, dpi: int = 192) -> bytes:
    """Draw any chart spec as PNG bytes on white (192 dpi is sharp on HiDPI screens)."""
    return _render(spec, "png", dpi)


def line_chart(spec: LineChartSpec) -> str:
    """A line chart as an SVG string; see :func:`chart_png` for PNG."""
    return chart_svg(spec)


def bar_chart(spec: BarChartSpec) -> str:
    """A grouped or stacked bar chart as an SVG string."""
    return chart_svg(spec)


def waterfall_chart(spec: WaterfallSpec) -> str:
    """A waterfall (bridge) chart as an SVG string."""
    return chart_svg(spec)


def combo_bar_line_chart(spec: ComboChartSpec) -> str:
    """Bars on the left axis plus lines on a secondary right axis, as an SVG string."""
    return chart_svg(spec)


def svg_data_uri(svg: str) -> str:
    """A ``data:image/svg+xml;base64,...`` URI for ``<img src>`` in a PDF template."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
