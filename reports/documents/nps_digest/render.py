"""Render the NPS theme digest to PDF with the shared pipeline (``reports.render.pdf``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reports.documents.leadership.common import report_date
from reports.documents.nps_digest.context import NpsDigestContext, build_nps_digest_context
from reports.render.pdf import PdfSettings, render_pdf

if TYPE_CHECKING:
    from reports.pipeline import RunContext

TEMPLATE = "nps_digest/report.html"


def render_nps_digest(
    run: RunContext,
    *,
    context: NpsDigestContext | None = None,
    locale: str = "en",
    segment: str | None = None,
    page_size: str = "A4",
    generated_on: dt.date | None = None,
    template_dirs: Sequence[Path] = (),
) -> bytes:
    """The digest of ``run.window`` as PDF bytes (same inputs give the same bytes).

    ``generated_on`` defaults to the day after the run's window (no clock is read).
    """
    context = context or build_nps_digest_context(
        run, quarter_window=run.window, segment=segment, locale=locale
    )
    title = f"{context.T['title']} — {context.period_name}"
    if context.segment:
        title += f" — {context.segment}"
    settings = PdfSettings(
        generated_on=generated_on or report_date(run),
        page_size=page_size,  # type: ignore[arg-type]
        locale=context.locale,
        title=title,
        author=run.settings.branding.company_name,
        subject=context.T["title"],
        period_label=context.period_name,
        **run.settings.branding.pdf_fields(),
    )
    return render_pdf(TEMPLATE, context, settings=settings, template_dirs=template_dirs)
