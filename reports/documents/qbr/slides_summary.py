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
    if not deck.internal:  # the users tile is recorded only where it is printed
        users = Kpi(
            deck.p("kpi_users"),
            fig(where, "active_users", facts.active_users, w.count(facts.active_users)),
            with_change(deck, where, "kpi_users_detail", "active_users_change", facts.active_users_change),
        )
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
    items = [
        deck.p(s.key) if s.key == "executive_summary" else s.title
        for s in slides
        if s.key not in ("title", "appendix")
    ]
    return Slide(
        key="agenda",
        title=deck.p("agenda"),
        bullets=tuple(items),
        notes=deck.p("n_agenda", items="; ".join(items)),
    )


STEADY = 0.005
"""A change in active users under half a percent either way reads as "held steady" (as in the notes)."""


def _users_clause(deck: DeckInputs, where: str) -> str:
    """ "Active users fell 10.3%" / "rose 4.0%" / "held steady", the change as the tile prints it
    (one decimal, without its sign); "" without a change to compare."""
    change = deck.facts.active_users_change
    if missing(change):
        return ""
    if abs(change) < STEADY:
        return deck.p("headline_users_held")
    shown = deck.figure(where, "active_users_change", change, deck.words.pct(abs(change), 1))
    return deck.p("headline_users_rose" if change > 0 else "headline_users_fell", change=shown)


def _goals_clause(deck: DeckInputs, where: str) -> str:
    """ "1 of 2 goals met", "all 3 goals met", "no goal met", "the goal was met"; "" without goals."""
    w, facts = deck.words, deck.facts
    met, total = facts.goals_met, len(facts.goals)
    if not total:
        return ""
    if total == 1:
        return deck.p("headline_goal_met" if met else "headline_goal_missed")
    total_shown = deck.figure(where, "goals_due", total, w.count(total))
    if met == total:
        return deck.p("headline_goals_all", total=total_shown)
    if met == 0:
        return deck.p("headline_goals_none", total=total_shown)
    return deck.p("headline_goals", met=deck.figure(where, "goals_met", met, w.count(met)), total=total_shown)


def summary_title(deck: DeckInputs) -> str:
    """The point of the quarter as the summary slide's title: the change in active users and the
    goals met ("Active users fell 10.3%; 1 of 2 goals met"); the topic when neither is known."""
    where = "executive_summary.title"
    users, goals = _users_clause(deck, where), _goals_clause(deck, where)
    if users and goals:
        return deck.p("headline_users_goals", users=users, goals=goals)
    if users:
        return deck.p("headline_users_quarter", users=users, quarter=deck.quarter)
    if goals:
        return deck.p("headline_goals_quarter", goals=goals, quarter=deck.quarter)
    return deck.p("executive_summary")


def _arr_takeaway(deck: DeckInputs, where: str) -> str:
    """What happened to the subscription and what it means, from the tile's ARR and MRR change."""
    w, facts = deck.words, deck.facts
    arr = deck.figure(
        where, "arr_end", facts.arr_end, w.money(facts.arr_end, compact=facts.arr_end >= 1_000_000)
    )
    change = facts.mrr_change
    if missing(change):
        return deck.p("take_arr_new", arr=arr)
    if w.delta_pct(change) == deck.p("unchanged"):
        return deck.p("take_arr_flat", arr=arr)
    shown = deck.figure(where, "mrr_change", change, w.pct(abs(change), 1))
    return deck.p("take_arr_up" if change > 0 else "take_arr_down", arr=arr, change=shown)


def _users_takeaway(deck: DeckInputs, where: str) -> str:
    """Active users: the change and what to do about it, with the seat utilisation the adoption
    slide shows (enablement when low or falling, a licence review when nearly full)."""
    w, facts, t = deck.words, deck.facts, deck.t
    if missing(facts.active_users):
        return ""
    users = deck.figure(where, "active_users", facts.active_users, w.count(facts.active_users))
    utilisation = num(deck.data.health.get("input_seat_utilisation"))
    change = facts.active_users_change
    if missing(utilisation):
        action = deck.p("take_users_do_none")
    else:
        seats = deck.figure(
            where, "seat_utilisation", utilisation, w.pct(utilisation, 0), period=deck.as_of_period
        )
        if utilisation >= t.seat_utilisation_high:
            action = deck.p("take_users_do_full", seats=seats)
        elif utilisation < t.adoption_low or (not missing(change) and change < 0):
            action = deck.p("take_users_do_enable", seats=seats)
        else:
            action = deck.p("take_users_do_keep", seats=seats)
    if missing(change):
        return deck.p("take_users_new", users=users, action=action)
    if abs(change) < STEADY:
        return deck.p("take_users_held", users=users, action=action)
    shown = deck.figure(where, "active_users_change", change, w.pct(abs(change), 1))
    key = "take_users_rose" if change > 0 else "take_users_fell"
    return deck.p(key, users=users, change=shown, action=action)


def _renewal_takeaway(deck: DeckInputs, where: str) -> str:
    """The renewal date and whether to start planning it (within 180 days, as the next steps do)."""
    days_left = deck.facts.days_to_renewal
    if missing(days_left):
        return deck.p("take_renewal_none")
    days = int(days_left)
    date = deck.words.date(deck.data.account.get("renewal_date"))
    shown = deck.figure(where, "days_to_renewal", days, deck.words.count(days), period=deck.as_of_period)
    return deck.p("take_renewal_soon" if 0 <= days <= 180 else "take_renewal_later", date=date, days=shown)


def _nps_takeaway(deck: DeckInputs, where: str) -> str:
    """The 12-month NPS and what it asks for; under ``nps_min_responses`` no score, a request for
    more feedback."""
    w = deck.words
    year = deck.facts.nps_year
    period = deck.periods.nps_year_label
    n = deck.figure(where, "nps_12m_responses", year.responses, w.count(year.responses), period=period)
    if year.responses < deck.t.nps_min_responses or missing(year.nps):
        return w.pl("take_nps_few", year.responses, n=n) if year.responses else deck.p("take_nps_zero")
    nps = deck.figure(where, "nps_12m", year.nps, w.number(year.nps, 0), period=period)
    return deck.p("take_nps_good" if year.nps > 0 else "take_nps_low", nps=nps, n=n)


def summary_slide(deck: DeckInputs, kpis: tuple[Kpi, ...]) -> Slide:
    """The tiles plus one takeaway sentence per tile (what happened, what it means or what to do),
    under a title that states the quarter's point (:func:`summary_title`)."""
    where = "executive_summary.bullets"
    takeaways = {
        "arr": _arr_takeaway(deck, where),
        "users": "" if deck.internal else _users_takeaway(deck, where),
        "renewal": _renewal_takeaway(deck, where),
        "nps": _nps_takeaway(deck, where),
    }
    order = ("arr", "users", "renewal", "nps")
    notes_parts: list[str] = []
    if deck.internal:
        health = deck.data.health
        drivers = "; ".join(_drivers(deck, where)) or "–"
        takeaways["health"] = deck.p(
            "health_sentence",
            score=_health_score(deck, where),
            band=deck.p(f"band_{health.get('health_band', 'unknown')}"),
            trend=deck.p(f"trend_{health.get('trend', 'stable')}"),
            drivers=drivers,
        )
        order = ("health", "arr", "renewal", "nps")
        notes_parts.append(_users_takeaway(deck, "executive_summary.notes"))
    bullets = tuple(takeaways[key] for key in order if takeaways[key])
    notes = deck.p("n_summary", mrr=" ".join(bullets), users=" ".join(notes_parts), renewal="")
    return Slide(
        key="executive_summary",
        title=summary_title(deck),
        kpis=kpis,
        bullets=bullets,
        notes=" ".join(notes.split()),
    )


def goals_sentence(deck: DeckInputs, where: str) -> str:
    """The goals sentence: "1 of 3 goals due this quarter were met.", "All 2 goals …", "None of the 2
    goals …" or, for one goal, "The one goal due this quarter was (not) met."; the account must have
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
        return deck.p("tickets_sentence_a_p0", tickets=tickets)
    p0 = deck.figure(where, "p0_tickets", stats.p0, w.count(stats.p0))
    return w.pl("tickets_sentence", stats.tickets, tickets=tickets, p0=p0)
