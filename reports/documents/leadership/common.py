"""Pieces the three leadership documents share: KPI tiles, labels, provenance, rendering.

Context builders pick numbers from :class:`~reports.pipeline.RunContext`; the
helpers here never compute a metric. Every KPI names the glossary metric it
shows (:data:`reports.documents.leadership.provenance.GLOSSARY`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from reports.output.figures import Figure
from reports.output.files import safe_slug
from reports.render.charts import ChartSpec, chart_svg, describe_chart
from reports.render.formatting import (
    clean_text,
    format_delta,
    format_money,
    format_number,
    format_pct,
    format_pp,
    format_quarter,
)
from reports.render.pdf import PdfSettings, TocEntry, render_pdf

if TYPE_CHECKING:
    from reports.pipeline import RunContext

Kind = Literal["money", "pct", "number", "ratio", "text"]
COMPANY = {"en": "Customer Success", "sv": "Customer Success"}


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
    delta_kind: Literal["money", "pp", "number", "ratio"] = "pp"
    #: True when a rise is good (colours the delta).
    higher_is_better: bool = True
    note: str = ""
    #: The figure's id in the metric registry when it is not ``metric`` (e.g. ARR shown
    #: for the glossary's ``mrr_end``); recorded in the manifest's figures.
    figure: str | None = None
    #: The breakdown and group of the figure when the tile shows one group (e.g. a share).
    dimension: str = "all"
    group: str = "all"

    @property
    def figure_id(self) -> str:
        return self.figure or self.metric


def kpi_figures(kpis: Sequence[Kpi], period: str, locale: str, currency: str) -> list[Figure]:
    """The figures the KPI tiles show, with the text each tile prints."""
    return [
        Figure(k.figure_id, period, k.value, fmt(k.value, k.kind, locale, currency), k.dimension, k.group)
        for k in kpis
        if k.kind != "text"
    ]


@dataclasses.dataclass(frozen=True)
class Chart:
    """A rendered chart: SVG text, its alt text and the glossary metric behind it."""

    svg: str
    alt: str
    caption: str


def make_chart(spec: ChartSpec, caption: str) -> Chart:
    """Draw ``spec`` as SVG with its alt text."""
    return Chart(svg=chart_svg(spec), alt=describe_chart(spec), caption=caption)


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
    return text(value)


def fmt_delta(value: Any, kind: str, locale: str, currency: str = "USD") -> str:
    if kind == "pp":
        return format_pp(value, locale)
    if kind == "ratio":
        return f"{format_delta(value, 'number', currency, locale, digits=1)}×"
    return format_delta(value, kind, currency, locale)  # type: ignore[arg-type]


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
        author=COMPANY[context.locale],
        subject=title,
        company=COMPANY[context.locale],
        period_label=context.period_name,
    )
    return render_pdf(template, context, settings=settings, template_dirs=template_dirs)
