"""Goals and plans: last quarter's goals, success-plan progress, next steps and next quarter's goals."""

from __future__ import annotations

from reports.documents.qbr.context_types import NextStep, Slide, Table, capped_rows, listed
from reports.documents.qbr.deck_inputs import DeckInputs
from reports.documents.qbr.slides_summary import goals_sentence
from reports.documents.qbr.wording import STATUS_BAND, missing, num, text


def goals_slide(deck: DeckInputs) -> Slide | None:
    """Objectives due this quarter, met or missed; None when none was due."""
    goals = deck.facts.goals
    if not goals:
        return None
    w = deck.words
    rows: tuple[tuple[str, ...], ...] = tuple(
        (text(g.objective), text(g.kpi), w.value(g.target), w.value(g.current), w.status(g.status))
        for g in goals
    )
    rows, status = capped_rows(rows, tuple(STATUS_BAND.get(str(g.status)) for g in goals), deck.more_rows)
    met = deck.facts.goals_met
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
        notes=deck.p("n_goals", met=met, total=len(goals), missed=missed_text),
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
            w.value(r.baseline),
            w.value(r.target),
            w.value(r.current),
            w.status(r.status),
        )
        for r in plans
    )
    rows, status = capped_rows(rows, tuple(STATUS_BAND.get(str(r.status)) for r in plans), deck.more_rows)
    on_track = deck.facts.plans_on_track
    deck.figure("success_plan.notes", "plans_on_track", on_track, str(on_track), period=deck.as_of_period)
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
        notes=deck.p("n_plan", n=len(plans), on_track=on_track, behind=len(plans) - on_track),
    )


def next_steps(deck: DeckInputs) -> tuple[NextStep, ...]:
    """Recommended actions with owners and due dates (days after ``as_of``).

    Always: agree goals (14 days) and the next review (91). Then: a recovery
    plan per open objective at risk or off track, a new target per missed
    goal, licences or enablement by seat utilisation, renewal planning within
    180 days of renewal, and finding a champion when no active contact is one.
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
    if not missing(utilisation) and (utilisation >= t.seat_utilisation_high or utilisation < t.adoption_low):
        shown = deck.figure(
            "next_steps.table",
            "seat_utilisation",
            utilisation,
            deck.words.pct(utilisation, 0),
            period=deck.as_of_period,
        )
        key = "step_licences" if utilisation >= t.seat_utilisation_high else "step_enable"
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
    if facts.contacts and not facts.has_active_champion:
        steps.append(NextStep(deck.p("step_champion"), csm, deck.due(45)))
    steps.append(NextStep(deck.p("step_next_qbr"), deck.p("owner_joint"), deck.due(91)))
    return tuple(steps)


def next_goals(deck: DeckInputs) -> tuple[NextStep, ...]:
    """Next quarter's goals: the open objectives (with KPI and target), owners and due dates."""
    goals = []
    for row in deck.facts.open_plans:
        target = deck.words.value(row.target)
        kpi = text(row.kpi)
        action = f"{text(row.objective)} ({kpi}: {target})" if kpi else text(row.objective)
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
        table=Table(
            columns=(deck.p("col_action"), deck.p("col_owner"), deck.p("col_due")),
            rows=rows,
            widths=(7.0, 2.6, 1.8),
        ),
        notes=deck.p("n_next", items="; ".join(f"{s.action} ({s.owner}, {s.due})" for s in steps[:4])),
    )
