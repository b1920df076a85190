"""The opening slides: title, agenda, executive summary and its KPI tiles."""

from __future__ import annotations

import pandas as pd

from reports.documents.qbr.context_types import Kpi, Slide
from reports.documents.qbr.deck_inputs import DeckInputs
from reports.documents.qbr.wording import missing, num
from reports.render.health_words import driver_words, top_drivers


def _health_score(deck: DeckInputs, where: str) -> str:
    score = num(deck.data.health.get("health_score"))
    shown = "–" if missing(score) else deck.words.number(score, 0)
    return deck.figure(where, "health_score", score, shown, period=deck.as_of_period)


def _drivers(deck: DeckInputs, where: str) -> list[str]:
    """The health score's top drivers in words, each number recorded as the factor's input."""
    sentences = []
    for factor, value in top_drivers(deck.data.health):
        sentence, shown = driver_words(factor, value, deck.locale)
        if shown:
            deck.figure(
                where,
                "health_factor_input",
                value,
                shown,
                period=deck.as_of_period,
                dimension="factor",
                group=factor,
            )
        sentences.append(sentence)
    return sentences


def with_change(deck: DeckInputs, where: str, key: str, figure_id: str, change: float, **values: str) -> str:
    """The phrase ``key`` with its ``change`` (a fraction) recorded as ``figure_id``; the phrase
    ``key_new`` without it when there is no earlier period to compare with, never "(– QoQ)"."""
    if missing(change):
        return deck.p(f"{key}_new", **values)
    return deck.p(key, change=deck.figure(where, figure_id, change, deck.words.delta_pct(change)), **values)


def kpi_tiles(deck: DeckInputs) -> tuple[Kpi, ...]:
    """ARR, active users, renewal and NPS; the internal deck leads with health instead of users."""
    w, facts, fig = deck.words, deck.facts, deck.figure
    where = "executive_summary.tiles"
    arr_end = facts.arr_end
    arr = Kpi(
        deck.p("kpi_arr"),
        fig(where, "arr_end", arr_end, w.money(arr_end, compact=arr_end >= 1_000_000)),
        with_change(
            deck,
            where,
            "kpi_arr_detail",
            "mrr_change",
            facts.mrr_change,
            mrr=fig(where, "mrr_end", facts.mrr_end, w.money(facts.mrr_end)),
        ),
    )
    users = Kpi(
        deck.p("kpi_users"),
        fig(where, "active_users", facts.active_users, w.count(facts.active_users)),
        with_change(deck, where, "kpi_users_detail", "active_users_change", facts.active_users_change),
    )
    renewal_days = facts.days_to_renewal
    if missing(renewal_days):
        renewal = Kpi(deck.p("kpi_renewal"), "–", deck.p("kpi_renewal_none"))
    else:
        days = int(renewal_days)
        renewal = Kpi(
            deck.p("kpi_renewal"),
            w.date(deck.data.account.get("renewal_date")),
            deck.p(
                "kpi_renewal_detail",
                days=fig(where, "days_to_renewal", days, w.count(days), period=deck.as_of_period),
            ),
        )
    nps = nps_tile(deck, where)
    if not deck.internal:
        return (arr, users, renewal, nps)
    health = deck.data.health
    band = str(health.get("health_band", "unknown"))
    tile = Kpi(
        deck.p("kpi_health"),
        _health_score(deck, where),
        deck.p(
            "kpi_health_detail",
            band=deck.p(f"band_{band}"),
            trend=deck.p(f"trend_{health.get('trend', 'stable')}"),
            date=w.date(deck.data.as_of - pd.Timedelta(days=1)),
        ),
        status=band if band in ("green", "yellow", "red") else None,
    )
    return (tile, arr, renewal, nps)


def nps_tile(deck: DeckInputs, where: str) -> Kpi:
    """NPS of the last 12 months with its number of responses; under the configured
    ``nps_min_responses`` the tile shows no score, only "Too few responses (n)"."""
    w, fig = deck.words, deck.figure
    year = deck.facts.nps_year
    period = deck.periods.nps_year_label
    n = fig(where, "nps_12m_responses", year.responses, w.count(year.responses), period=period)
    if year.responses < deck.t.nps_min_responses or missing(year.nps):
        return Kpi(deck.p("kpi_nps"), "–", deck.p("kpi_nps_too_few", n=n))
    return Kpi(
        deck.p("kpi_nps"),
        fig(where, "nps_12m", year.nps, w.number(year.nps, 0), period=period),
        w.pl("kpi_nps_detail", year.responses, n=n),
    )


def title_slide(deck: DeckInputs) -> Slide:
    """Account name, quarter, who prepared it and when (and the internal banner)."""
    meta = [deck.p("prepared_by", csm=deck.csm_name or "–", date=deck.words.date(deck.periods.as_of))]
    if deck.internal:
        meta.append(deck.p("internal_banner"))
    return Slide(
        key="title",
        title=deck.name,
        subtitle=deck.p("subtitle", quarter=deck.quarter),
        meta=tuple(meta),
        notes=deck.p("n_title", quarter=deck.quarter, name=deck.name).replace("..", "."),
    )


def agenda_slide(deck: DeckInputs, slides: list[Slide]) -> Slide:
    """The titles of the other slides (not the title or appendix), in order."""
    items = [s.title for s in slides if s.key not in ("title", "appendix")]
    return Slide(
        key="agenda",
        title=deck.p("agenda"),
        bullets=tuple(items),
        notes=deck.p("n_agenda", items="; ".join(items)),
    )


def summary_slide(deck: DeckInputs, kpis: tuple[Kpi, ...]) -> Slide:
    """The tiles plus MRR, users, goals, tickets and renewal in sentences (health first, internal)."""
    w, facts, fig = deck.words, deck.facts, deck.figure
    where = "executive_summary.bullets"
    mrr_text = with_change(
        deck,
        where,
        "mrr_sentence",
        "mrr_change",
        facts.mrr_change,
        mrr=fig(where, "mrr_end", facts.mrr_end, w.money(facts.mrr_end)),
        arr=fig(where, "arr_end", facts.arr_end, w.money(facts.arr_end)),
    )
    users_text = ""
    if not missing(facts.active_users):
        users_text = with_change(
            deck,
            where,
            "users_sentence",
            "active_users_change",
            facts.active_users_change,
            users=fig(where, "active_users", facts.active_users, w.count(facts.active_users)),
            quarter=deck.quarter,
        )
    renewal_days = facts.days_to_renewal
    renewal_text = ""
    if not missing(renewal_days):
        days = int(renewal_days)
        renewal_text = deck.p(
            "renewal_sentence",
            date=w.date(deck.data.account.get("renewal_date")),
            days=fig(where, "days_to_renewal", days, w.count(days), period=deck.as_of_period),
        )
    bullets = [mrr_text, users_text]
    if facts.goals:
        bullets.append(goals_sentence(deck, where))
    bullets.append(tickets_sentence(deck, where))
    bullets.append(renewal_text)
    notes = deck.p("n_summary", mrr=mrr_text, users=users_text, renewal=renewal_text)
    if deck.internal:
        health = deck.data.health
        drivers = "; ".join(_drivers(deck, where)) or "–"
        health_text = deck.p(
            "health_sentence",
            score=_health_score(deck, where),
            band=deck.p(f"band_{health.get('health_band', 'unknown')}"),
            trend=deck.p(f"trend_{health.get('trend', 'stable')}"),
            drivers=drivers,
        )
        bullets.insert(0, health_text)
        notes = f"{health_text} {notes}"
    return Slide(
        key="executive_summary",
        title=deck.p("executive_summary"),
        kpis=kpis,
        bullets=tuple(b for b in bullets if b),
        notes=" ".join(notes.split()),
    )


def goals_sentence(deck: DeckInputs, where: str) -> str:
    """The goals sentence: "1 of 3 goals due this quarter were met.", "All 2 goals …", "None of the 2
    goals …" or, for one goal, "The 1 goal due this quarter was (not) met."; the account must have
    goals due."""
    w, facts = deck.words, deck.facts
    met, total = facts.goals_met, len(facts.goals)
    total_shown = deck.figure(where, "goals_due", total, w.count(total))
    if met == total or met == 0:
        return w.pl("goals_all" if met else "goals_none", total, total=total_shown)
    return deck.p("goals_sentence", met=deck.figure(where, "goals_met", met, w.count(met)), total=total_shown)


def tickets_sentence(deck: DeckInputs, where: str) -> str:
    """Tickets opened in the window and how many were P0, or "No support tickets this quarter."."""
    w, stats = deck.words, deck.facts.ticket_stats
    if not stats.tickets:
        return deck.p("no_tickets")
    tickets = deck.figure(where, "tickets", stats.tickets, w.count(stats.tickets))
    if not stats.p0:
        return w.pl("tickets_sentence_no_p0", stats.tickets, tickets=tickets)
    if stats.tickets == 1:  # the one ticket is the P0: "a P0", no second number
        return w.pl("tickets_sentence", 1, tickets=tickets)
    p0 = deck.figure(where, "p0_tickets", stats.p0, w.count(stats.p0))
    return deck.p("tickets_sentence", tickets=tickets, p0=p0)
