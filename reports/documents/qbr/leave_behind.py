"""The QBR leave-behind: a two-page PDF summary of the same :class:`QbrContext`.

Rendered with the shared PDF pipeline (:mod:`reports.render.pdf`) from
``templates/qbr/leave_behind.html``; charts are SVG from :mod:`reports.render.charts`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reports.data.branding import Branding
from reports.documents.audience import describe_data_source, internal_mark, internal_title
from reports.documents.qbr.config import SLIDES
from reports.documents.qbr.context import ChartData, QbrContext
from reports.documents.qbr.customer_check import check_customer_context
from reports.documents.qbr.phrases import phrase
from reports.output.figures import Figure
from reports.render.charts import BarChartSpec, ChartSpec, ComboChartSpec, LineChartSpec, chart_svg
from reports.render.pdf import PdfSettings, render_pdf


def _svg(chart: ChartData | None, title: str, locale: str) -> str | None:
    if chart is None:
        return None
    common: dict[str, Any] = {
        "title": title,
        "y_label": chart.value_title,
        "x_labels": chart.categories,
        "series": chart.series,
        "locale": locale,
        "description": chart.description,
        "size": (6.7, 2.3),
    }
    spec: ChartSpec
    if chart.kind == "combo":
        spec = ComboChartSpec(
            **common, lines=chart.lines, value_format2=chart.line_kind, y2_label=chart.line_title
        )
    elif chart.kind == "line":
        spec = LineChartSpec(**common)
    else:
        spec = BarChartSpec(**common, stacked=chart.stacked)
    return chart_svg(spec)


PRINTED_PLACES = frozenset(
    {
        "executive_summary.tiles",
        "executive_summary.title",
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
the tiles, the summary's title and sentences, the adoption and support commentary, the tables, and the first lines of
the voice of the customer, which start with the quarter's NPS and the themes)."""


def leave_behind_figures(context: QbrContext) -> tuple[Figure, ...]:
    """The figures of ``context`` the leave-behind prints (a subset of the deck's)."""
    return tuple(
        figure
        for figure, where in zip(context.figures, context.figure_places, strict=True)
        if where in PRINTED_PLACES
    )


_PROVENANCE_LABELS = ("label_period", "label_source", "label_definitions", "label_hash")
"""The phrases labelling the internal provenance block: period, source, definitions version, inputs hash."""


def _provenance(context: QbrContext) -> dict[str, str]:
    """The closing block: for the customer the one "Data through …" line (no source, hash or
    tool); for the internal reader period, source in words, definitions version and inputs hash."""
    if context.audience != "internal":
        return {}
    prov = context.provenance
    labels = [phrase(context.locale, key) for key in _PROVENANCE_LABELS]
    source = prov.get("source", "")
    values = (
        context.quarter,
        describe_data_source(source, context.locale) if source else "",
        prov.get("definitions_version", ""),
        prov.get("inputs_hash", ""),
    )
    return dict(zip(labels, values, strict=True))


def leave_behind_context(context: QbrContext) -> dict[str, Any]:
    """Template variables: the context plus SVG charts of the adoption and support slides, the
    provenance for the audience and, for an internal leave-behind, the INTERNAL marking."""
    slides = {key: None for key in SLIDES} | {s.key: s for s in context.slides}
    adoption, support = slides.get("adoption"), slides.get("support")
    internal = context.audience == "internal"
    return {
        "qbr": context,
        "slides": slides,
        "adoption_svg": _svg(adoption.chart, adoption.title, context.locale) if adoption else None,
        "support_svg": _svg(support.chart, support.title, context.locale) if support else None,
        "provenance": _provenance(context),
        "data_line": "" if internal else context.provenance_text,
        "internal_mark": internal_mark(context.locale) if internal else "",
    }


def leave_behind_title(context: QbrContext) -> str:
    """ "Acme: Q3 2026", and " — INTERNAL" after it for the internal audience (PDF <title> and heading)."""
    title = f"{context.account_name}: {context.quarter}"
    return internal_title(title) if context.audience == "internal" else title


def render_leave_behind(
    context: QbrContext, *, templates_dir: Path | None = None, branding: Branding | None = None
) -> bytes:
    """PDF bytes of the leave-behind; deterministic for the same context.

    A customer leave-behind is checked first (:func:`check_customer_context`); an internal one says
    INTERNAL in its title, at the top and bottom of every page. The running header names the
    customer; ``branding`` gives the logo and colours.
    """
    check_customer_context(context, f"{context.account_name} QBR leave-behind")
    brand = branding or Branding()
    settings = PdfSettings(
        generated_on=context.generated_on,
        locale=context.locale,
        title=leave_behind_title(context),
        author=context.csm_name,
        subject=phrase(context.locale, "pdf_subject"),
        company=context.account_name,
        period_label=context.quarter,
        logo_data_uri=brand.logo_data_uri,
        primary=brand.primary,
        accent=brand.accent,
    )
    dirs = (templates_dir,) if templates_dir else ()
    return render_pdf(
        "qbr/leave_behind.html", leave_behind_context(context), settings=settings, template_dirs=dirs
    )
