"""The closing slide: definitions of the numbers and where the data came from."""

from __future__ import annotations

from reports.documents.definitions import summary_line
from reports.documents.qbr.context_types import Slide
from reports.documents.qbr.deck_inputs import DeckInputs
from reports.render.formatting import clean_text


def provenance_text(deck: DeckInputs) -> str:
    """Data period, source, definitions version and inputs hash on one line."""
    prov = deck.data.provenance
    return deck.p(
        "provenance",
        period=prov.get("period", ""),
        source=clean_text(prov.get("source", "")),
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
    """Definitions (health only for the internal audience), provenance and the generation date."""
    defined = CUSTOMER_DEFINED_METRICS + (INTERNAL_DEFINED_METRICS if deck.internal else ())
    definitions = [summary_line(metric_id, deck.locale) for metric_id in defined]
    return Slide(
        key="appendix",
        title=deck.p("appendix"),
        bullets=tuple(definitions),
        side=(provenance_text(deck), deck.p("generated", date=deck.words.date(deck.periods.as_of))),
        notes=deck.p("n_appendix"),
    )
