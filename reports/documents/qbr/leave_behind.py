"""The QBR leave-behind: a two-page PDF summary of the same :class:`QbrContext`.

Rendered with the shared PDF pipeline (:mod:`reports.render.pdf`) from
``templates/qbr/leave_behind.html``; charts are SVG from :mod:`reports.render.charts`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reports.documents.qbr.config import SLIDES
from reports.documents.qbr.context import ChartData, QbrContext
from reports.output.figures import Figure
from reports.render.charts import BarChartSpec, ChartSpec, ComboChartSpec, LineChartSpec, chart_svg
from reports.render.pdf import PdfSettings, render_pdf


def _svg(chart: ChartData | None, title: str, locale: str) -> str | None:
    if chart is None:
        return None
    common: dict[str, Any] = {
        "title": title,
        "y_label": "",
        "x_labels": chart.categories,
        "series": chart.series,
        "locale": locale,
        "description": chart.description,
        "size": (6.7, 2.3),
    }
    spec: ChartSpec
    if chart.kind == "combo":
        spec = ComboChartSpec(**common, lines=chart.lines, value_format2=chart.line_kind)
    elif chart.kind == "line":
        spec = LineChartSpec(**common)
    else:
        spec = BarChartSpec(**common, stacked=chart.stacked)
    return chart_svg(spec)


PRINTED_PLACES = frozenset(
    {
        "executive_summary.tiles",
        "executive_summary.bullets",
        "adoption.side",
        "next_steps.table",
        "goals_review.table",
        "success_plan.table",
        "support.side",
        "support.bullets",
        "voice_of_customer.side",
        "voice_of_customer.bullets",
    }
)
"""Where on the deck's slides a figure also appears in the leave-behind (``templates/qbr/leave_behind.html``:
the tiles, the summary's sentences, the adoption and support commentary, the tables, and the first lines of
the voice of the customer, which start with the quarter's NPS and the themes)."""


def leave_behind_figures(context: QbrContext) -> tuple[Figure, ...]:
    """The figures of ``context`` the leave-behind prints (a subset of the deck's)."""
    return tuple(
        figure
        for figure, where in zip(context.figures, context.figure_places, strict=True)
        if where in PRINTED_PLACES
    )


def leave_behind_context(context: QbrContext) -> dict[str, Any]:
    """Template variables: the context plus SVG charts of the adoption and support slides."""
    slides = {key: None for key in SLIDES} | {s.key: s for s in context.slides}
    adoption, support = slides.get("adoption"), slides.get("support")
    return {
        "qbr": context,
        "slides": slides,
        "adoption_svg": _svg(adoption.chart, adoption.title, context.locale) if adoption else None,
        "support_svg": _svg(support.chart, support.title, context.locale) if support else None,
        "provenance": {
            "Period": context.provenance.get("period", ""),
            "Source": context.provenance.get("source", ""),
            "Definitions": context.provenance.get("definitions_version", ""),
            "Inputs hash": context.provenance.get("inputs_hash", ""),
        },
    }


def render_leave_behind(context: QbrContext, *, templates_dir: Path | None = None) -> bytes:
    """PDF bytes of the leave-behind; deterministic for the same context."""
    settings = PdfSettings(
        generated_on=context.generated_on,
        locale=context.locale,
        title=f"{context.account_name}: {context.quarter}",
        author=context.csm_name,
        subject="Quarterly business review",
        company=context.account_name,
        period_label=context.quarter,
    )
    dirs = (templates_dir,) if templates_dir else ()
    return render_pdf(
        "qbr/leave_behind.html", leave_behind_context(context), settings=settings, template_dirs=dirs
    )
