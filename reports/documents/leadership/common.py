"""Pieces the three leadership documents share: KPI tiles, labels, provenance, rendering.

Context builders pick numbers from :class:`~reports.pipeline.RunContext`; the
helpers here never compute a metric. Every KPI names the glossary metric it
shows (:mod:`reports.documents.definitions`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from reports.output.figures import Figure
from reports.output.files import safe_slug
from reports.render.charts import ChartSpec, DataLabel, chart_svg, data_labels, describe_chart
from reports.render.formatting import (
    clean_text,
    format_delta,
    format_money,
    format_number,
    format_pct,
    format_pp,
    format_quarter,
    is_missing,
)
from reports.render.pdf import PdfSettings, TocEntry, render_pdf

if TYPE_CHECKING:
    from reports.data.branding import Branding
    from reports.pipeline import RunContext

Kind = Literal["money", "pct", "number", "decimal", "ratio", "text"]
"""How a value prints: money, a percentage, a whole number, a number with one decimal, a ratio ("6.0×")."""


def described(help_text: str, **kwargs: Any) -> Any:
    """A dataclass field with a ``help`` text (every context field has one; a test checks)."""
    return dataclasses.field(metadata={"help": help_text}, **kwargs)


@dataclasses.dataclass(frozen=True)
class Kpi:
    """One KPI tile: a raw value, how to format it, its change and the metric it shows."""

    label: str
    value: Any
    kind: Kind
    metric: str
    delta: float | None = None
    delta_kind: Literal["money", "pp", "number", "ratio", "decimal"] = "pp"
    #: True when a rise is good (colours the delta).
    higher_is_better: bool = True
    note: str = ""
    #: The figure's id in the metric registry when it is not ``metric`` (e.g. ARR shown
    #: for the glossary's ``mrr_end``); recorded in the manifest's figures.
    figure: str | None = None
    #: The breakdown and group of the figure when the tile shows one group (e.g. a share).
    dimension: str = "all"
    group: str = "all"
    #: The registry id of ``delta`` (e.g. ``nrr_qoq_change``); a delta without one is not printed.
    delta_figure: str = ""

    @property
    def figure_id(self) -> str:
        return self.figure or self.metric


FigureColumns = Sequence[tuple[str, str, Kind]]
"""(column of a table row, registry id of its figure, how the document prints it)."""


class FigureRecorder:
    """The figures a leadership document prints, each with the text the document prints for it.

    Figures default to the document's ``period`` and the whole portfolio; a
    missing value (printed as a dash) is not recorded.
    """

    def __init__(self, period: str, locale: str, currency: str) -> None:
        self.period, self.locale, self.currency = period, locale, currency
        self.figures: list[Figure] = []

    def add(
        self,
        figure_id: str,
        value: Any,
        kind: Kind,
        *,
        period: str | None = None,
        dimension: str = "all",
        group: str = "all",
        account_id: str | None = None,
    ) -> None:
        self.printed(
            figure_id,
            value,
            fmt(value, kind, self.locale, self.currency),
            period=period,
            dimension=dimension,
            group=group,
            account_id=account_id,
        )

    def printed(
        self,
        figure_id: str,
        value: Any,
        shown: str,
        *,
        period: str | None = None,
        dimension: str = "all",
        group: str = "all",
        account_id: str | None = None,
    ) -> str:
        """Record ``value`` printed as ``shown`` (unless missing); returns ``shown``."""
        if not is_missing(value):
            self.figures.append(
                Figure(figure_id, period or self.period, value, shown, dimension, group, account_id)
            )
        return shown

    def show(self, figure_id: str, value: Any, kind: Kind, **key: Any) -> str:
        """``value`` as the document prints it (:func:`fmt`), recorded; ``key``: period, dimension, group, account_id."""
        return self.printed(figure_id, value, fmt(value, kind, self.locale, self.currency), **key)

    def show_delta(self, figure_id: str, value: Any, kind: str, **key: Any) -> str:
        """A change as the document prints it (:func:`fmt_delta`: ``pp``, ``money``, ``ratio`` or ``number``), recorded."""
        return self.printed(figure_id, value, fmt_delta(value, kind, self.locale, self.currency), **key)

    def chart(self, chart: Chart, figures: Sequence[tuple[str, dict[str, Any]] | None]) -> None:
        """The values ``chart`` prints on its bars (:attr:`Chart.labels`), one (registry id, key) per
        label in drawing order; a label given None is not a figure of its own."""
        for label, figure in zip(chart.labels, figures, strict=True):
            if figure is not None:
                figure_id, key = figure
                self.printed(figure_id, key.pop("value", label.value), label.text, **key)

    def kpis(self, kpis: Sequence[Kpi]) -> None:
        """The KPI tiles' values (text tiles aside) and their changes."""
        for k in kpis:
            if k.kind != "text":
                self.add(k.figure_id, k.value, k.kind, dimension=k.dimension, group=k.group)
            if k.delta_figure and k.delta is not None:
                self.show_delta(k.delta_figure, k.delta, k.delta_kind, dimension=k.dimension, group=k.group)

    def rows(
        self,
        rows: Iterable[Mapping[str, Any]],
        columns: FigureColumns,
        *,
        dimension: str = "all",
        group_key: str | None = None,
        period_key: str | None = None,
    ) -> None:
        """``columns`` of every table row; the row's ``group_key`` names its group and its
        ``period_key`` its period (a trend's quarter) when given."""
        for row in rows:
            group = str(row[group_key]) if group_key else "all"
            period = str(row[period_key]) if period_key else None
            for column, figure_id, kind in columns:
                self.add(figure_id, row[column], kind, period=period, dimension=dimension, group=group)


@dataclasses.dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG text, its alt text, its caption and the values it prints on its bars."""

    svg: str
    alt: str
    caption: str
    labels: tuple[DataLabel, ...] = ()


def make_chart(spec: ChartSpec, caption: str) -> Chart:
    """Draw ``spec`` as SVG with its alt text."""
    return Chart(svg=chart_svg(spec), alt=describe_chart(spec), caption=caption, labels=data_labels(spec))


def text(value: Any) -> str:
    """Data text made safe to print: None/NaN → "", XML-illegal characters dropped."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return clean_text(value).strip()


def fmt(value: Any, kind: Kind, locale: str, currency: str = "USD") -> str:
    """Format a value for a sentence or a tile."""
    if kind == "money":
        return format_money(value, currency, locale)
    if kind == "pct":
        return format_pct(value, locale)
    if kind == "ratio":
        return f"{format_number(value, locale, digits=1)}×"
    if kind == "number":
        return format_number(value, locale)
    if kind == "decimal":
        return format_number(value, locale, digits=1)
    return text(value)


def fmt_delta(value: Any, kind: str, locale: str, currency: str = "USD") -> str:
    if kind == "pp":
        return format_pp(value, locale)
    if kind == "ratio":
        return f"{format_delta(value, 'number', currency, locale, digits=1)}×"
    if kind == "decimal":
        return format_delta(value, "number", currency, locale, digits=1)
    return format_delta(value, kind, currency, locale)  # type: ignore[arg-type]


def reason_labels_in(frame: pd.DataFrame, taxonomy: Any, locale: str) -> pd.DataFrame:
    """``frame`` with its churn-reason names (a ``reason_label`` column or index) in ``locale``.

    ``cs_calc`` names reasons in English; ``churn_reasons.yaml`` may give each a name per
    language, which documents in that language print.
    """
    words = taxonomy.labels_in(locale)
    out = frame.copy()
    if "reason_label" in out.columns:
        out["reason_label"] = out["reason_label"].map(lambda label: words.get(label, label))
    if out.index.name == "reason_label":
        out.index = out.index.map(lambda label: words.get(label, label))
    return out


def quarter_name(label: str, locale: str) -> str:
    try:
        return format_quarter(label, locale)
    except ValueError:
        return label


def report_date(run: RunContext) -> dt.date:
    """The document date: the first day after the window (no clock is read)."""
    return pd.Timestamp(run.metrics.as_of).date()


def portfolio_value(run: RunContext, metric: str, dimension: str = "all", group: str = "all") -> float:
    """One value of ``run.metrics.portfolio`` (NaN when absent)."""
    return portfolio_values(run, (metric,), dimension, group)[metric]


def portfolio_values(
    run: RunContext, metrics: Sequence[str], dimension: str = "all", group: str = "all"
) -> dict[str, float]:
    """Several values of ``run.metrics.portfolio`` for one group, by metric (NaN when absent)."""
    p = run.metrics.portfolio
    hit = p[(p["dimension"] == dimension) & (p["group"] == group)]
    found = dict(zip(hit["metric"], hit["value"], strict=True))
    return {metric: float(found.get(metric, float("nan"))) for metric in metrics}


def document_stem(document: str, run: RunContext, locale: str) -> str:
    """``churn-report-2026-q3`` (``-sv`` appended for Swedish)."""
    parts = [document, run.window.label] + ([locale] if locale != "en" else [])
    return safe_slug(*parts)


def toc(entries: Sequence[tuple[str, str]]) -> list[TocEntry]:
    return [TocEntry(id=i, title=t) for i, t in entries]


def render_document(
    template: str,
    context: Any,
    *,
    page_size: str,
    generated_on: dt.date,
    branding: Branding,
    template_dirs: Sequence[Path] = (),
) -> bytes:
    """Render a leadership context to PDF bytes (deterministic for equal inputs).

    ``context`` carries ``T`` (its labels, with ``title``), ``locale`` and
    ``period_name``; they give the PDF's title, subject, author and running header.
    """
    title = context.T["title"]
    settings = PdfSettings(
        generated_on=generated_on,
        page_size=page_size,  # type: ignore[arg-type]
        locale=context.locale,
        title=f"{title} — {context.period_name}",
        author=branding.company_name,
        subject=title,
        period_label=context.period_name,
        **branding.pdf_fields(),
    )
    return render_pdf(template, context, settings=settings, template_dirs=template_dirs)
