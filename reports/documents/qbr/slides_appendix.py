"""The closing slide: definitions of the numbers and what data they come from.

A customer deck says only what period its data covers ("Data through Sep 30, 2026"); an internal
deck adds the source (in words, never a path or a database host), the definitions version and the
inputs hash, so a CSM can trace a number.
"""

from __future__ import annotations

import pandas as pd

from reports.documents.audience import data_through, describe_data_source
from reports.documents.definitions import summary_line
from reports.documents.qbr.context_types import Slide
from reports.documents.qbr.deck_inputs import DeckInputs
from reports.render.formatting import clean_text


def provenance_text(deck: DeckInputs) -> str:
    """The data line of the deck: "Data through …" for the customer; for the internal audience the
    data period, source, definitions version and inputs hash on one line."""
    last_day = (deck.periods.as_of - pd.Timedelta(days=1)).date()
    if not deck.internal:
        return data_through(last_day, deck.locale)
    prov = deck.data.provenance
    source = prov.get("source", "")
    return deck.p(
        "provenance",
        period=prov.get("period", ""),
        source=clean_text(describe_data_source(source, deck.locale)) if source else "",
        version=prov.get("definitions_version", ""),
        hash=prov.get("inputs_hash", ""),
    )


CUSTOMER_DEFINED_METRICS: tuple[str, ...] = (
    "arr_end",
    "mrr_change",
    "active_users",
    "seat_utilisation",
    "nps",
    "nps_12m",
    "median_hours_to_resolve",
    "csat",
)
"""Registry ids the appendix defines in every deck, with their reader's summary."""

INTERNAL_DEFINED_METRICS: tuple[str, ...] = ("health_score",)
"""Registry ids the appendix defines in the internal deck only."""


def appendix_slide(deck: DeckInputs) -> Slide:
    """Definitions (health only for the internal audience) and the data line; the internal deck
    adds the generation date."""
    defined = CUSTOMER_DEFINED_METRICS + (INTERNAL_DEFINED_METRICS if deck.internal else ())
    definitions = [summary_line(metric_id, deck.locale) for metric_id in defined]
    side: tuple[str, ...] = (provenance_text(deck),)
    if deck.internal:
        side += (deck.p("generated", date=deck.words.date(deck.periods.as_of)),)
    return Slide(
        key="appendix",
        title=deck.p("appendix"),
        bullets=tuple(definitions),
        side=side,
        notes=deck.p("n_appendix"),
    )
