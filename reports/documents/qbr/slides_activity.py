"""Adoption and support: the monthly usage and ticket charts with their commentary."""

from __future__ import annotations

from cs_calc.account_activity import PRIORITIES
from cs_calc.account_facts import ValueDelivered
from reports.documents.qbr.calendar import month_labels
from reports.documents.qbr.context_types import ChartData, Slide
from reports.documents.qbr.deck_inputs import DeckInputs
from reports.documents.qbr.slides_summary import tickets_sentence, with_change
from reports.documents.qbr.wording import kpi_unit, missing, num, text

_PRIORITY_ACCENT = {"P0": 4, "P1": 2, "P2": 1, "P3": 5}


def _chart_values(values: list[float]) -> tuple[float | None, ...]:
    return tuple(None if v != v else round(float(v), 1) for v in values)


def _value_change(deck: DeckInputs, where: str, row: ValueDelivered) -> str:
    """The change of a success-plan KPI since its baseline: in percentage points when the KPI is
    itself a percentage ("+20.4 pp"), else relative ("+73%"); "unchanged" when it rounds to zero."""
    group = text(row.objective) or text(row.kpi)
    if kpi_unit(row.kpi) == "percent":
        return deck.figure(
            where,
            "value_delivered_points",
            row.points,
            deck.words.pp(row.points),
            period=deck.as_of_period,
            dimension="objective",
            group=group,
        )
    return deck.figure(
        where,
        "value_delivered",
        row.change,
        deck.words.delta_pct(row.change, digits=0),
        period=deck.as_of_period,
        dimension="objective",
        group=group,
    )


def adoption_slide(deck: DeckInputs) -> Slide | None:
    """Active users (line) and key feature events (bars) per month, seat utilisation and value
    delivered against baselines; None when the account has no usage in the chart's months."""
    w, facts = deck.words, deck.facts
    users, events = facts.usage["users"], facts.usage["events"]
    if all(v != v for v in users) and all(v != v for v in events):
        return None
    categories = month_labels(deck.periods.usage_months, deck.locale)
    chart = ChartData(
        kind="combo",
        categories=categories,
        series={deck.p("series_events"): _chart_values(events)},
        lines={deck.p("series_users"): _chart_values(users)},
        description=deck.p("chart_adoption_alt", first=categories[0], last=categories[-1]),
        value_title=deck.p("axis_events"),
        line_title=deck.p("axis_users"),
        category_title=deck.p("axis_month"),
    )
    side: list[str] = []
    where = "adoption.side"
    seats_text = ""
    health = deck.data.health
    utilisation = num(health.get("input_seat_utilisation"))
    if not missing(utilisation):
        seat_users, seats = num(health.get("latest_active_users")), num(health.get("latest_seats"))
        seats_text = deck.p(
            "seat_util",
            value=deck.figure(
                where, "seat_utilisation", utilisation, w.pct(utilisation, 0), period=deck.as_of_period
            ),
            users=deck.figure(
                where, "latest_active_users", seat_users, w.number(seat_users, 0), period=deck.as_of_period
            ),
            seats=deck.figure(where, "latest_seats", seats, w.number(seats, 0), period=deck.as_of_period),
        )
        side.append(seats_text)
    event_total = facts.key_feature_events
    if not missing(event_total):
        side.append(
            with_change(
                deck,
                where,
                "feature_change",
                "key_feature_events_change",
                facts.key_feature_events_change,
                value=deck.figure(where, "key_feature_events", event_total, w.count(event_total)),
            )
        )
    for row in facts.value_delivered:
        if len(side) >= 4:
            break
        side.append(
            deck.p(
                "value_delivered",
                kpi=text(row.kpi),
                current=deck.plan_value(where, "plan_current", row.objective, row.kpi, row.current),
                baseline=deck.plan_value(where, "plan_baseline", row.objective, row.kpi, row.baseline),
                change=_value_change(deck, where, row),
            )
        )
    notes_at = "adoption.notes"
    users_phrase, change = w.change_phrase(facts.active_users_change)
    if change:
        deck.figure(notes_at, "active_users_change", facts.active_users_change, change)
    notes = deck.p(
        "n_adoption_new" if missing(facts.active_users_change) else "n_adoption",
        users_phrase=users_phrase,
        users=deck.figure(notes_at, "active_users", facts.active_users, w.count(facts.active_users)),
        seats=seats_text,
    )
    return Slide(key="adoption", title=deck.p("adoption"), chart=chart, side=tuple(side), notes=notes.strip())


def support_slide(deck: DeckInputs) -> Slide | None:
    """Tickets per month by priority (stacked), count, P0s, median time to resolve and CSAT;
    None when there were no tickets in the chart's months (a slide saying only "no tickets" would
    be near-empty)."""
    w, facts = deck.words, deck.facts
    by_month = facts.tickets_by_month
    title = deck.p("support")
    if int(by_month.sum()) == 0:
        return None
    categories = month_labels(deck.periods.support_months, deck.locale)
    totals = by_month.sum(axis=0).tolist()
    used = [j for j, _p in enumerate(PRIORITIES) if totals[j] > 0]
    chart = ChartData(
        kind="bar",
        categories=categories,
        series={PRIORITIES[j]: tuple(float(v) for v in by_month[:, j].tolist()) for j in used},
        accents=tuple(_PRIORITY_ACCENT[PRIORITIES[j]] for j in used),
        stacked=True,
        description=deck.p("chart_support_alt", first=categories[0], last=categories[-1]),
        value_title=deck.p("axis_tickets"),
        category_title=deck.p("axis_month"),
    )
    stats = facts.ticket_stats
    where = "support.side"
    side = [tickets_sentence(deck, where)]
    hours = "–"
    if not missing(stats.median_hours_to_resolve):
        hours = deck.figure(
            where,
            "median_hours_to_resolve",
            stats.median_hours_to_resolve,
            w.number(stats.median_hours_to_resolve, 1),
        )
    if stats.tickets:
        side.append(deck.p("median_resolve", hours=hours))
    side.append(
        w.pl(
            "csat",
            stats.csat_responses,
            csat=deck.figure(where, "csat", stats.csat, w.number(stats.csat, 1)),
            n=deck.figure(where, "csat_responses", stats.csat_responses, w.count(stats.csat_responses)),
        )
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
