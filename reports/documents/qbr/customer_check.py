"""The last gate before a customer QBR document is written: every text of the context is checked.

The slide builders already build different slides per audience (no health, risks, coverage flags,
people who left or source details for the customer); this check makes a mistake in them fail
loudly instead of reaching the customer.
"""

from __future__ import annotations

from collections.abc import Iterator

from reports.documents.audience import check_customer_texts
from reports.documents.qbr.context_types import QbrContext, Slide
from reports.documents.qbr.phrases import internal_fragments


def _slide_texts(slide: Slide) -> Iterator[str]:
    yield from (slide.title, slide.subtitle, slide.notes, slide.bullets_title, slide.side_title)
    yield from slide.meta
    yield from slide.bullets
    yield from slide.side
    for kpi in slide.kpis:
        yield from (kpi.label, kpi.value, kpi.detail)
    if slide.table is not None:
        yield from slide.table.columns
        for row in slide.table.rows:
            yield from row
    if slide.chart is not None:
        yield slide.chart.description
        yield from slide.chart.categories
        yield from slide.chart.series
        yield from slide.chart.lines


def context_texts(context: QbrContext) -> Iterator[str]:
    """Every text a deck, leave-behind or follow-up of ``context`` can print."""
    for slide in context.slides:
        yield from _slide_texts(slide)
    for kpi in context.kpis:
        yield from (kpi.label, kpi.value, kpi.detail)
    for step in (*context.next_steps, *context.next_goals):
        yield from (step.action, step.owner, step.due)
    yield context.provenance_text
    yield from context.upsell


def check_customer_context(context: QbrContext, document: str) -> None:
    """Raise :class:`~reports.documents.audience.CustomerContentError` when ``context`` is for the
    customer and any of its texts holds a path, URL, hash, tool name or internal wording; an internal
    context passes. ``document`` names the file in the message."""
    if context.audience == "internal":
        return
    texts = list(context_texts(context))
    if context.upsell:
        texts.append("upsell signals present")
    check_customer_texts(
        document,
        texts,
        allowed=(context.account_name, context.csm_name),
        fragments=internal_fragments(context.locale),
    )
