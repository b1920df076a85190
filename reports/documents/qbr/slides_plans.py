"""Goals and plans: last quarter's goals, success-plan progress, next steps and next quarter's goals."""

from __future__ import annotations

from collections.abc import Sequence

from reports.documents.qbr.context_types import MAX_TABLE_ROWS, NextStep, Slide, Table, capped_rows, listed
from reports.documents.qbr.deck_inputs import DeckInputs
from reports.documents.qbr.slides_summary import goals_sentence
from reports.documents.qbr.wording import STATUS_BAND, missing, num, text


def printed_rows(rows: tuple[tuple[str, ...], ...], source: Sequence[object]) -> int:
    """How many of ``source``'s rows a table capped by :func:`capped_rows` prints (its last row may
    count the rest instead)."""
    return len(source) if len(rows) == len(source) else len(rows) - 1


def goals_slide(deck: DeckInputs) -> Slide | None:
    """Objectives due this quarter, met or missed; None when none was due."""
    goals = deck.facts.goals
    if not goals:
        return None
    w = deck.words
    rows: tuple[tuple[str, ...], ...] = tuple(
        (
            text(g.objective),
            text(g.kpi),
            w.value(g.target, g.kpi),
            w.value(g.current, g.kpi),
            w.status(g.status),
        )
        for g in goals
    )
    rows, status = capped_rows(rows, tuple(STATUS_BAND.get(str(g.status)) for g in goals), deck.more_rows)
    where = "goals_review.table"
    for g in goals[: printed_rows(rows, goals)]:
        deck.plan_value(where, "plan_target", g.objective, g.kpi, g.target)
        deck.plan_value(where, "plan_current", g.objective, g.kpi, g.current)
    missed = listed([text(g.objective) for g in goals if g.status != "achieved"], deck.more_items)
    missed_text = deck.p("n_goals_missed", items="; ".join(missed)) if missed else ""
    return Slide(
        key="goals_review",
        title=deck.p("goals_review"),
        table=Table(
            columns=(
                deck.p("col_goal"),
                deck.p("col_kpi"),
                deck.p("col_target"),
                deck.p("col_result"),
                deck.p("col_status"),
            ),
            rows=rows,
            widths=(4.0, 3.0, 1.2, 1.2, 1.4),
            status=status,
            status_column=4,
        ),
        bullets=(goals_sentence(deck, "goals_review.bullets"),),
        notes=deck.p("n_goals", goals=goals_sentence(deck, "goals_review.notes"), missed=missed_text),
    )


def plan_slide(deck: DeckInputs) -> Slide | None:
    """Open objectives with baseline, target, current value and status; None when none is open."""
    plans = deck.facts.open_plans
    if not plans:
        return None
    w = deck.words
    rows: tuple[tuple[str, ...], ...] = tuple(
        (
            text(r.objective),
            text(r.kpi),
            w.value(r.baseline, r.kpi),
            w.value(r.target, r.kpi),
            w.value(r.current, r.kpi),
            w.status(r.status),
        )
        for r in plans
    )
    rows, status = capped_rows(rows, tuple(STATUS_BAND.get(str(r.status)) for r in plans), deck.more_rows)
    where = "success_plan.table"
    for r in plans[: printed_rows(rows, plans)]:
        deck.plan_value(where, "plan_baseline", r.objective, r.kpi, r.baseline)
        deck.plan_value(where, "plan_target", r.objective, r.kpi, r.target)
        deck.plan_value(where, "plan_current", r.objective, r.kpi, r.current)
    facts, notes = deck.facts, "success_plan.notes"
    counts = {
        name: deck.figure(notes, f"plans_{name}", value, w.count(value), period=deck.as_of_period)
        for name, value in (
            ("open", len(plans)),
            ("on_track", facts.plans_on_track),
            ("behind", facts.plans_behind),
        )
    }
    return Slide(
        key="success_plan",
        title=deck.p("success_plan"),
        table=Table(
            columns=(
                deck.p("col_goal"),
                deck.p("col_kpi"),
                deck.p("col_baseline"),
                deck.p("col_target"),
                deck.p("col_current"),
                deck.p("col_status"),
            ),
            rows=rows,
            widths=(3.6, 2.8, 1.2, 1.2, 1.2, 1.4),
            status=status,
            status_column=5,
        ),
        notes=w.pl(
            "n_plan",
            len(plans),
            n=counts["open"],
            on_track=counts["on_track"],
            behind=counts["behind"],
        ),
    )


def next_steps(deck: DeckInputs) -> tuple[NextStep, ...]:
    """Recommended actions with owners and due dates (days after ``as_of``).

    Always: agree goals (14 days) and the next review (91). Then: a recovery
    plan per open objective at risk or off track, a new target per missed
    goal, licences or enablement by seat utilisation, renewal planning within
    180 days of renewal, and finding a champion when no active contact is one (the customer deck
    asks who leads the rollout day to day).
    """
    facts, t = deck.facts, deck.t
    csm, _customer = deck.owners
    steps = [NextStep(deck.p("step_goals"), deck.p("owner_joint"), deck.due(14))]
    for row in facts.open_plans:
        if row.status in ("at_risk", "off_track"):
            steps.append(
                NextStep(
                    deck.p("step_recover", objective=text(row.objective)), deck.owner(row.owner), deck.due(21)
                )
            )
    for row in facts.goals:
        if row.status == "missed":
            steps.append(
                NextStep(
                    deck.p("step_reset", objective=text(row.objective)), deck.owner(row.owner), deck.due(30)
                )
            )
    utilisation = num(deck.data.health.get("input_seat_utilisation"))
    seat_step = None
    if not missing(utilisation) and (utilisation >= t.seat_utilisation_high or utilisation < t.adoption_low):
        shown = deck.words.pct(utilisation, 0)
        key = "step_licences" if utilisation >= t.seat_utilisation_high else "step_enable"
        seat_step = len(steps)
        steps.append(NextStep(deck.p(key, value=shown), csm, deck.due(30)))
    renewal_days = facts.days_to_renewal
    if not missing(renewal_days) and 0 <= renewal_days <= 180:
        steps.append(
            NextStep(
                deck.p("step_renewal", date=deck.words.date(deck.data.account.get("renewal_date"))),
                csm,
                deck.due(30),
            )
        )
    if facts.contacts and not facts.has_active_champion:  # the customer hears the ask, not the label
        steps.append(
            NextStep(deck.p("step_champion" if deck.internal else "step_contact"), csm, deck.due(45))
        )
    steps.append(NextStep(deck.p("step_next_qbr"), deck.p("owner_joint"), deck.due(91)))
    if seat_step is not None:  # recorded where it is printed: the steps table and the follow-up's list
        table_rows = len(steps) if len(steps) <= MAX_TABLE_ROWS else MAX_TABLE_ROWS - 1
        for where, printed in (("next_steps.table", table_rows), (FOLLOW_UP_STEPS, MAX_TABLE_ROWS)):
            if seat_step < printed:
                deck.figure(
                    where,
                    "seat_utilisation",
                    utilisation,
                    deck.words.pct(utilisation, 0),
                    period=deck.as_of_period,
                )
    return tuple(steps)


NEXT_GOALS = "follow_up.goals"
"""Where next quarter's goals record their targets (the follow-up email prints them; no slide does)."""
FOLLOW_UP_STEPS = "follow_up.steps"
"""Where the next steps record their numbers as the follow-up email prints them (without goals)."""


def next_goals(deck: DeckInputs) -> tuple[NextStep, ...]:
    """Next quarter's goals: the open objectives (with KPI and target), owners and due dates.

    The follow-up email lists the first :data:`MAX_TABLE_ROWS`; their targets are recorded.
    """
    goals = []
    for i, row in enumerate(deck.facts.open_plans):
        kpi = text(row.kpi)
        action = text(row.objective)
        if kpi:
            target = deck.words.value(row.target, row.kpi)
            if i < MAX_TABLE_ROWS:
                target = deck.plan_value(NEXT_GOALS, "plan_target", row.objective, row.kpi, row.target)
            action = f"{action} ({kpi}: {target})"
        goals.append(NextStep(action, deck.owner(row.owner), deck.words.date(row.due_date)))
    return tuple(goals)


def steps_slide(deck: DeckInputs, steps: tuple[NextStep, ...]) -> Slide:
    """The next steps as a table of action, owner and due date."""
    rows, _status = capped_rows(
        tuple((s.action, s.owner, s.due) for s in steps), (None,) * len(steps), deck.more_rows
    )
    return Slide(
        key="next_steps",
        title=deck.p("next_steps"),
        lead=deck.p("next_steps_lead"),
        table=Table(
            columns=(deck.p("col_action"), deck.p("col_owner"), deck.p("col_due")),
            rows=rows,
            widths=(7.0, 2.6, 1.8),
        ),
        notes=deck.p("n_next", items="; ".join(f"{s.action} ({s.owner}, {s.due})" for s in steps[:4])),
    )
