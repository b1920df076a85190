"""People and signals: the customer's team (customer deck), stakeholder coverage and the
risks-and-opportunities slide (internal deck)."""

from __future__ import annotations

import pandas as pd

from cs_calc.account_facts import ContactRow
from reports.documents.qbr.context_types import Slide, Table, capped_rows, listed
from reports.documents.qbr.deck_inputs import DeckInputs
from reports.documents.qbr.wording import is_true, text


def _by_status_then_id(contacts: list[ContactRow]) -> list[ContactRow]:
    """Active before left (status order), champions, power users and economic buyers before
    everyone else, then by contact id; missing values last."""

    def key(contact: ContactRow) -> tuple:
        status, contact_id = contact.status, contact.contact_id
        no_status, no_id = pd.isna(status), pd.isna(contact_id)
        key_role = any(
            is_true(v) for v in (contact.is_champion, contact.is_power_user, contact.is_economic_buyer)
        )
        return (no_status, "" if no_status else status, not key_role, no_id, "" if no_id else contact_id)

    return sorted(contacts, key=key)


def _engagement(deck: DeckInputs, contact: ContactRow) -> str:
    """A contact's part in the customer's own words: sponsor, day-to-day contact, key user or member."""
    for flag, key in (
        (contact.is_economic_buyer, "eng_sponsor"),
        (contact.is_champion, "eng_contact"),
        (contact.is_power_user, "eng_key_user"),
    ):
        if is_true(flag):
            return deck.p(key)
    return deck.p("eng_team")


def _team_lead(deck: DeckInputs, active: list[ContactRow]) -> str:
    """Who sponsors the programme and who leads it day to day, by name, in one sentence; when one
    of them is missing, the sentence asks to agree who (as the next steps do)."""

    def first(flag: str) -> str:
        return next((text(c.name) for c in active if is_true(getattr(c, flag)) and text(c.name)), "")

    sponsor, contact = first("is_economic_buyer"), first("is_champion")
    if sponsor and contact and sponsor != contact:
        return deck.p("team_lead_both", sponsor=sponsor, contact=contact)
    if sponsor:
        return deck.p("team_lead_sponsor", sponsor=sponsor)
    if contact:
        return deck.p("team_lead_contact", contact=contact)
    return deck.p("team_lead_none")


def team_slide(deck: DeckInputs) -> Slide | None:
    """The customer's team as the customer would describe it: name, role and engagement of each
    active contact (nobody who left, no coverage flags); None without active contacts."""
    active = [c for c in _by_status_then_id(deck.facts.contacts) if c.status != "left"]
    if not active:
        return None
    rows = tuple((text(c.name), text(c.role), _engagement(deck, c)) for c in active)
    shown_rows, _ = capped_rows(rows, (None,) * len(rows), deck.more_rows)
    names = listed([f"{name} ({role})" for name, role, _ in rows], deck.more_items)
    return Slide(
        key="stakeholders",
        title=deck.p("team"),
        lead=_team_lead(deck, active),
        table=Table(
            columns=(deck.p("col_name"), deck.p("col_role"), deck.p("col_engagement")),
            rows=shown_rows,
            widths=(3.2, 3.2, 3.0),
        ),
        notes=deck.p("n_team", names=", ".join(names)),
    )


def stakeholder_slide(deck: DeckInputs) -> Slide | None:
    """The internal deck: every contact with role, champion / power user / economic buyer flags and
    status, and who left; the customer deck: :func:`team_slide`. None without contacts."""
    contacts = deck.facts.contacts
    if not contacts:
        return None
    if not deck.internal:
        return team_slide(deck)
    yes, no = deck.p("yes"), deck.p("no")
    rows: list[tuple[str, ...]] = []
    status: list[str | None] = []
    left_texts = []
    for c in _by_status_then_id(contacts):
        flags = [is_true(v) for v in (c.is_champion, c.is_power_user, c.is_economic_buyer)]
        if c.status == "left":
            when = deck.words.date(c.changed_at)
            state = deck.p("left_on", date=when)
            left_texts.append(deck.p("who_left", name=text(c.name), role=text(c.role), date=when))
            status.append("red")
        else:
            state = deck.p("active")
            status.append(None)
        rows.append((text(c.name), text(c.role), *(yes if f else no for f in flags), state))
    active = deck.facts.active_contacts

    def covered(flag: str) -> str:
        has = any(is_true(getattr(c, flag)) for c in active)
        return deck.p("covered") if has else deck.p("not_covered")

    coverage = deck.p(
        "coverage",
        champion=covered("is_champion"),
        power=covered("is_power_user"),
        buyer=covered("is_economic_buyer"),
    )
    shown_rows, shown_status = capped_rows(tuple(rows), tuple(status), deck.more_rows)
    return Slide(
        key="stakeholders",
        title=deck.p("stakeholders"),
        table=Table(
            columns=(
                deck.p("col_name"),
                deck.p("col_role"),
                deck.p("col_champion"),
                deck.p("col_power_user"),
                deck.p("col_buyer"),
                deck.p("col_status"),
            ),
            rows=shown_rows,
            widths=(2.6, 2.6, 1.3, 1.4, 1.9, 1.8),
            status=shown_status,
            status_column=5,
        ),
        bullets=(coverage,),
        notes=deck.p("n_stakeholders", coverage=coverage, left=" ".join(listed(left_texts, deck.more_items))),
    )


def risks_slide(deck: DeckInputs) -> Slide:
    """Alerts (left) and upsell signals (right) in words; internal decks only."""
    risks = deck.signal_texts("alert", "risks_opportunities.bullets") or (deck.p("no_risks"),)
    chances = deck.signal_texts("upsell", "risks_opportunities.side") or (deck.p("no_opportunities"),)
    return Slide(
        key="risks_opportunities",
        title=deck.p("risks_opportunities"),
        bullets=risks,
        bullets_title=deck.p("risks"),
        side=chances,
        side_title=deck.p("opportunities"),
        notes=deck.p("n_risks", risks=" ".join(risks), opportunities=" ".join(chances)),
    )
