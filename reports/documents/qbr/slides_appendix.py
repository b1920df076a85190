"""The closing slide: definitions of the numbers and where the data came from."""

from __future__ import annotations

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


def appendix_slide(deck: DeckInputs) -> Slide:
    """Definitions (health only for the internal audience), provenance and the generation date."""
    definitions = [
        deck.p("def_arr", currency=deck.currency),
        deck.p("def_mrr_change"),
        deck.p("def_users"),
        deck.p("def_seats"),
        deck.p("def_nps"),
        deck.p("def_support"),
    ]
    if deck.internal:
        definitions.append(deck.p("def_health"))
    return Slide(
        key="appendix",
        title=deck.p("appendix"),
        bullets=tuple(definitions),
        side=(provenance_text(deck), deck.p("generated", date=deck.words.date(deck.periods.as_of))),
        notes=deck.p("n_appendix"),
    )
