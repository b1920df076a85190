"""What a QBR shows, for one account: :class:`AccountData` in, :class:`QbrContext` out.

:func:`account_data` cuts one account's rows out of a run (small and
picklable, so a batch worker receives only this). :func:`build_qbr_context`
arranges those rows and the metrics cs_calc computed into slides of text,
tables and chart data, already formatted for the locale, plus the speaker
notes narrating the numbers. The PPTX renderer, the PDF leave-behind and the
follow-up email all read the same :class:`QbrContext`; none computes a metric.

Audience: with ``audience="customer"`` nothing internal enters the context
(health score, band, drivers, alerts, upsell signals, prep notes), so no
renderer can leak it.

The work is split by job: :mod:`~reports.documents.qbr.account_data` (the slice and
the index), :mod:`~reports.documents.qbr.context_types` (the dataclasses),
:class:`cs_calc.account_facts.AccountFacts` (the account's numbers, computed
in ``cs_calc``; the slides only read them), :mod:`~reports.documents.qbr.wording`
(formatted values and phrases) and one ``slides_*`` module per group of
slides.

Every number a slide prints is recorded as it is formatted
(:meth:`~reports.documents.qbr.deck_inputs.DeckInputs.figure`) into
:attr:`QbrContext.figures`, with a registry id, its period, the account and
the text exactly as printed; ``manifest.json`` lists them per document. The
follow-up email's (next quarter's goals with their targets, or the next steps,
and the upsell sentence) are :attr:`QbrContext.followup_figures`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from reports.documents.qbr.account_data import AccountData, AccountIndex, account_data
from reports.documents.qbr.config import INTERNAL_SLIDES, QbrConfig
from reports.documents.qbr.context_types import ChartData, Kpi, NextStep, QbrContext, Slide, Table
from reports.documents.qbr.deck_inputs import AUDIENCES, DeckInputs
from reports.documents.qbr.recipients import follow_up_recipients
from reports.documents.qbr.slides_activity import adoption_slide, support_slide
from reports.documents.qbr.slides_appendix import appendix_slide, provenance_text
from reports.documents.qbr.slides_people import risks_slide, stakeholder_slide
from reports.documents.qbr.slides_plans import (
    FOLLOW_UP_STEPS,
    goals_slide,
    next_goals,
    next_steps,
    plan_slide,
    steps_slide,
)
from reports.documents.qbr.slides_summary import agenda_slide, kpi_tiles, summary_slide, title_slide
from reports.documents.qbr.slides_voice import voc_slide
from reports.documents.qbr.wording import text

__all__ = [
    "AUDIENCES",
    "AccountData",
    "AccountIndex",
    "Audience",
    "ChartData",
    "Kpi",
    "NextStep",
    "QbrContext",
    "Slide",
    "Table",
    "account_data",
    "build_qbr_context",
]

Audience = Literal["customer", "internal"]

FOLLOW_UP_EXTRAS = "follow_up.extras"
"""Where the follow-up email's upsell sentence records its number (it prints no slide)."""


def build_qbr_context(
    data: AccountData, *, audience: str = "customer", locale: str = "en", config: QbrConfig
) -> QbrContext:
    """The QBR of one account for ``audience`` ("customer" or "internal") in ``locale``.

    Money is in the run's reporting currency; "QoQ" compares the window
    with the window before it. Slides whose data is missing are left out
    (goals, success plan, adoption, support without tickets, voice of the
    customer, stakeholders): a slide saying only "no data" would be near-empty.
    """
    deck = DeckInputs(data, audience, locale, config)
    kpis = kpi_tiles(deck)
    steps = next_steps(deck)
    builders: dict[str, Callable[[], Slide | None]] = {
        "title": lambda: title_slide(deck),
        "executive_summary": lambda: summary_slide(deck, kpis),
        "goals_review": lambda: goals_slide(deck),
        "success_plan": lambda: plan_slide(deck),
        "adoption": lambda: adoption_slide(deck),
        "support": lambda: support_slide(deck),
        "voice_of_customer": lambda: voc_slide(deck),
        "stakeholders": lambda: stakeholder_slide(deck),
        "risks_opportunities": lambda: risks_slide(deck),
        "next_steps": lambda: steps_slide(deck, steps),
        "appendix": lambda: appendix_slide(deck),
    }
    segment = data.account.get("segment")
    wanted = config.slides(segment)
    slides: list[Slide] = []
    for key in wanted:
        if key in INTERNAL_SLIDES and not deck.internal:
            continue
        if key == "agenda":
            continue  # filled in once the other slides are known
        slide = builders[key]()
        if slide is not None:
            slides.append(slide)
    if "agenda" in wanted:
        slides.insert(1 if slides and slides[0].key == "title" else 0, agenda_slide(deck, slides))

    goals = next_goals(deck)
    band = str(data.health.get("health_band", "unknown"))
    reference_ask = band == deck.t.reference_ask_band
    upsell = deck.signal_lines("upsell") if deck.internal else ()
    if reference_ask and upsell:
        deck.signal_figure(FOLLOW_UP_EXTRAS, upsell[0])
    shown = {s.key for s in slides}
    printed = [(where, f) for where, f in deck.figures if where.partition(".")[0] in shown]
    follow_up = (FOLLOW_UP_STEPS, FOLLOW_UP_EXTRAS)
    return QbrContext(
        account_id=data.account_id,
        account_name=deck.name,
        segment=text(segment),
        deck_kind=config.deck_kind(segment),
        audience=audience,
        locale=locale,
        quarter=deck.quarter,
        generated_on=data.as_of.date(),
        csm_name=deck.csm_name,
        csm_email=text(data.csm.get("email")),
        kpis=kpis,
        slides=tuple(slides),
        next_steps=steps,
        next_goals=goals,
        reference_ask=reference_ask,
        upsell=tuple(line.text for line in upsell),
        provenance=dict(data.provenance),
        provenance_text=provenance_text(deck),
        figures=tuple(figure for _where, figure in printed),
        figure_places=tuple(where for where, _figure in printed),
        followup_figures=tuple(figure for where, figure in deck.figures if where in follow_up),
        follow_up_to=follow_up_recipients(data.tables.get("contacts"), config.follow_up_to),
    )


def customer_view(context: QbrContext, data: AccountData, config: QbrConfig) -> QbrContext:
    """``context`` itself when it is the customer's, else the customer's QBR of the same account
    and locale: what the follow-up email, which goes to the customer, is made from."""
    if context.audience == "customer":
        return context
    return build_qbr_context(data, audience="customer", locale=context.locale, config=config)
