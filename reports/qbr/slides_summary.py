"""The opening slides: title, agenda, executive summary and its KPI tiles."""

from __future__ import annotations

import pandas as pd

from reports.health_words import driver_sentences
from reports.qbr.context_types import Kpi, Slide
from reports.qbr.deck_inputs import DeckInputs
from reports.qbr.wording import change, missing, num


def kpi_tiles(deck: DeckInputs) -> tuple[Kpi, ...]:
    """ARR, active users, renewal and NPS; the internal deck leads with health instead of users."""
    w, facts = deck.words, deck.facts
    mrr_end, mrr_start = facts.mrr_end_start
    arr = Kpi(
        deck.p("kpi_arr"),
        w.money(mrr_end * 12, compact=mrr_end * 12 >= 1_000_000),
        deck.p("kpi_arr_detail", mrr=w.money(mrr_end), change=w.delta_pct(change(mrr_end, mrr_start))),
    )
    users_now = facts.quarter_total("users")
    users_before = facts.quarter_total("users", previous=True)
    users = Kpi(
        deck.p("kpi_users"),
        w.kpi_value(users_now),
        deck.p("kpi_users_detail", change=w.delta_pct(change(users_now, users_before))),
    )
    renewal_days = facts.renewal_days
    if missing(renewal_days):
        renewal = Kpi(deck.p("kpi_renewal"), "–", deck.p("kpi_renewal_none"))
    else:
        renewal = Kpi(
            deck.p("kpi_renewal"),
            w.date(deck.data.account.get("renewal_date")),
            deck.p("kpi_renewal_detail", days=int(renewal_days)),
        )
    year = facts.nps_year
    nps = Kpi(
        deck.p("kpi_nps"),
        "–" if missing(year.nps) else w.number(year.nps, 0),
        deck.p("kpi_nps_detail_one" if year.responses == 1 else "kpi_nps_detail", n=year.responses),
    )
    if not deck.internal:
        return (arr, users, renewal, nps)
    health = deck.data.health
    band = str(health.get("health_band", "unknown"))
    score = num(health.get("health_score"))
    tile = Kpi(
        deck.p("kpi_health"),
        "–" if missing(score) else w.number(score, 0),
        deck.p(
            "kpi_health_detail",
            band=deck.p(f"band_{band}"),
            trend=deck.p(f"trend_{health.get('trend', 'stable')}"),
            date=w.date(deck.data.as_of - pd.Timedelta(days=1)),
        ),
        status=band if band in ("green", "yellow", "red") else None,
    )
    return (tile, arr, renewal, nps)


def title_slide(deck: DeckInputs) -> Slide:
    """Account name, quarter, who prepared it and when (and the internal banner)."""
    meta = [deck.p("prepared_by", csm=deck.csm_name or "–", date=deck.words.date(deck.calendar.as_of))]
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
    w, facts = deck.words, deck.facts
    mrr_end, mrr_start = facts.mrr_end_start
    mrr_text = deck.p(
        "mrr_sentence",
        mrr=w.money(mrr_end),
        change=w.delta_pct(change(mrr_end, mrr_start)),
        arr=w.money(mrr_end * 12),
    )
    users_now = facts.quarter_total("users")
    users_text = ""
    if not missing(users_now):
        users_text = deck.p(
            "users_sentence",
            users=w.kpi_value(users_now),
            quarter=deck.quarter,
            change=w.delta_pct(change(users_now, facts.quarter_total("users", previous=True))),
        )
    renewal_days = facts.renewal_days
    renewal_text = ""
    if not missing(renewal_days):
        renewal_text = deck.p(
            "renewal_sentence", date=w.date(deck.data.account.get("renewal_date")), days=int(renewal_days)
        )
    bullets = [mrr_text, users_text]
    goals = facts.goals
    if goals:
        met = sum(1 for g in goals if g.status == "achieved")
        bullets.append(deck.p("goals_sentence", met=met, total=len(goals)))
    stats = facts.ticket_stats
    bullets.append(
        deck.p("tickets_sentence", tickets=stats.tickets, p0=stats.p0)
        if stats.tickets
        else deck.p("no_tickets")
    )
    bullets.append(renewal_text)
    notes = deck.p("n_summary", mrr=mrr_text, users=users_text, renewal=renewal_text)
    if deck.internal:
        health = deck.data.health
        drivers = "; ".join(driver_sentences(health, deck.locale)) or "–"
        score = num(health.get("health_score"))
        health_text = deck.p(
            "health_sentence",
            score="–" if missing(score) else w.number(score, 0),
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
