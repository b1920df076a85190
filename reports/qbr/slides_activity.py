"""Adoption and support: the monthly usage and ticket charts with their commentary."""

from __future__ import annotations

import math

from cs_calc.account_activity import PRIORITIES
from reports.qbr.calendar import month_labels
from reports.qbr.context_types import ChartData, Slide
from reports.qbr.deck_inputs import DeckInputs
from reports.qbr.wording import change, missing, num, text

_PRIORITY_ACCENT = {"P0": 4, "P1": 2, "P2": 1, "P3": 5}
_VALUE_STATUSES = ("achieved", "on_track")


def _chart_values(values: list[float]) -> tuple[float | None, ...]:
    return tuple(None if v != v else round(float(v), 1) for v in values)


def _last_present(values: list[float]) -> float:
    return next((v for v in reversed(values) if v == v), math.nan)


def adoption_slide(deck: DeckInputs) -> Slide | None:
    """Active users (line) and key feature events (bars) per month, seat utilisation and value
    delivered against baselines; None when the account has no usage in the chart's months."""
    w, facts = deck.words, deck.facts
    usage = facts.usage
    users, events, seats = usage["users"], usage["events"], usage["seats"]
    if all(v != v for v in users) and all(v != v for v in events):
        return None
    categories = month_labels(deck.calendar.usage_months, deck.locale)
    chart = ChartData(
        kind="combo",
        categories=categories,
        series={deck.p("series_events"): _chart_values(events)},
        lines={deck.p("series_users"): _chart_values(users)},
        description=deck.p("chart_adoption_alt", first=categories[0], last=categories[-1]),
    )
    side: list[str] = []
    last_users, last_seats = _last_present(users), _last_present(seats)
    utilisation = last_users / last_seats if not missing(last_seats) and last_seats else math.nan
    seats_text = ""
    if not missing(utilisation) and not missing(last_seats):
        seats_text = deck.p(
            "seat_util",
            value=w.pct(utilisation, 0),
            users=w.number(last_users, 0),
            seats=w.number(last_seats, 0),
        )
        side.append(seats_text)
    events_now = facts.quarter_total("events", how="sum")
    events_before = facts.quarter_total("events", previous=True, how="sum")
    if not missing(events_now):
        side.append(
            deck.p(
                "feature_change",
                value=w.number(events_now, 0),
                change=w.delta_pct(change(events_now, events_before)),
            )
        )
    for row in facts.plans:
        baseline, current = num(row.baseline), num(row.current)
        if missing(baseline) or missing(current) or baseline == 0 or row.status not in _VALUE_STATUSES:
            continue
        side.append(
            deck.p(
                "value_delivered",
                kpi=text(row.kpi),
                current=w.value(current),
                baseline=w.value(baseline),
                change=w.delta_pct(current / baseline - 1, digits=0),
            )
        )
        if len(side) >= 4:
            break
    users_now = facts.quarter_total("users")
    notes = deck.p(
        "n_adoption",
        users_phrase=w.change_phrase(change(users_now, facts.quarter_total("users", previous=True))),
        users=w.kpi_value(users_now),
        seats=seats_text,
    )
    return Slide(key="adoption", title=deck.p("adoption"), chart=chart, side=tuple(side), notes=notes.strip())


def support_slide(deck: DeckInputs) -> Slide:
    """Tickets per month by priority (stacked), count, P0s, median time to resolve and CSAT;
    says so plainly when there were no tickets in the chart's months."""
    w, facts, t = deck.words, deck.facts, deck.t
    by_month = facts.tickets_by_month
    title = deck.p("support")
    if int(by_month.sum()) == 0:
        message = deck.p("no_tickets_period", months=t.support_months)
        return Slide(key="support", title=title, bullets=(deck.p("no_tickets"), message), notes=message)
    categories = month_labels(deck.calendar.support_months, deck.locale)
    totals = by_month.sum(axis=0).tolist()
    used = [j for j, _p in enumerate(PRIORITIES) if totals[j] > 0]
    chart = ChartData(
        kind="bar",
        categories=categories,
        series={PRIORITIES[j]: tuple(float(v) for v in by_month[:, j].tolist()) for j in used},
        accents=tuple(_PRIORITY_ACCENT[PRIORITIES[j]] for j in used),
        stacked=True,
        description=deck.p("chart_support_alt", first=categories[0], last=categories[-1]),
    )
    stats = facts.ticket_stats
    side = [
        deck.p("tickets_sentence", tickets=stats.tickets, p0=stats.p0)
        if stats.tickets
        else deck.p("no_tickets")
    ]
    hours = "–" if missing(stats.median_hours_to_resolve) else w.number(stats.median_hours_to_resolve, 1)
    if stats.tickets:
        side.append(deck.p("median_resolve", hours=hours))
    side.append(
        deck.p("csat", csat=w.number(stats.csat, 1), n=stats.csat_responses)
        if stats.csat_responses
        else deck.p("csat_none")
    )
    return Slide(
        key="support",
        title=title,
        chart=chart,
        side=tuple(side),
        notes=deck.p("n_support", tickets=side[0], hours=hours),
    )
