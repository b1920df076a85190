"""The weekly email read as the leadership team reads it (bundled sample, 2026-W43).

An at-risk list a CS leader would defend, each figure said once with its period, subject and body in
agreement, and no notes that state facts unless the CS leader passes them.
"""

from __future__ import annotations

import re

import pytest

from cs_calc.weekly import GREEN_AT_RISK_ALERTS, IsoWeek
from reports.documents.email.context import WeeklyContext, at_risk_rule, build_weekly_context
from reports.documents.email.render import render_email
from reports.pipeline import RunContext

WEEK = IsoWeek.parse("2026-W43")


@pytest.fixture(scope="module")
def week_run(sample_run):  # type: ignore[no-untyped-def]
    return RunContext.for_week(sample_run.dataset, sample_run.settings, WEEK)


@pytest.fixture(scope="module")
def context(week_run) -> WeeklyContext:  # type: ignore[no-untyped-def]
    return build_weekly_context(week_run, WEEK)


@pytest.fixture(scope="module")
def text(context) -> str:  # type: ignore[no-untyped-def]
    return render_email(context).text


def test_the_largest_red_shrinking_account_is_listed_and_no_green_without_its_alert(
    week_run, context
) -> None:  # type: ignore[no-untyped-def]
    kpis = context.kpis
    metrics = week_run.weekly_metrics(WEEK)
    matrix, month = metrics.matrix, WEEK.mrr_month
    earlier = matrix.columns[matrix.columns.get_loc(month) - 3]
    paying = matrix[matrix[month] > 0]
    band = metrics.health["health_band"].reindex(paying.index)
    shrinking = paying[(band == "red") & (paying[month] < paying[earlier])]
    largest = shrinking[month].idxmax()
    assert largest in {a.account_id for a in kpis.at_risk}
    assert largest in {row.account_id for row in context.at_risk_rows}
    listed = next(a for a in kpis.at_risk if a.account_id == largest)
    assert listed.mrr_change_3m < 0
    row = next(r for r in context.at_risk_rows if r.account_id == largest)
    assert "MRR down" in row.detail

    for account in kpis.at_risk:
        if account.health_band == "green":
            assert account.alerts and all(s in GREEN_AT_RISK_ALERTS for s, _ in account.alerts)
    assert [a.mrr for a in kpis.at_risk] == sorted((a.mrr for a in kpis.at_risk), reverse=True)
    assert kpis.at_risk_count >= len(kpis.at_risk)


def test_the_rule_is_stated_once_in_one_sentence(context, text) -> None:  # type: ignore[no-untyped-def]
    rule = at_risk_rule()
    assert rule.count(".") == 1 and rule.endswith(".")
    assert " ".join(text.split()).count(rule) == 1
    assert "champion left" in rule and "largest first" in rule


def test_nrr_and_grr_carry_their_period_and_the_miss_is_said_once(context, text) -> None:  # type: ignore[no-untyped-def]
    flat = " ".join(text.split())
    assert "trailing 12 months" in context.subject
    printed = re.findall(r"\b[NG]RR\b[^.;%]{0,40}?\d+\.\d%", flat)
    assert len(printed) >= 4, printed
    assert all("trailing 12 months" in shown for shown in printed), printed
    assert flat.count("missed by 4.6 pp") == 1
    assert "no change" not in flat


def test_subject_and_body_agree(context, text) -> None:  # type: ignore[no-untyped-def]
    subject = {f.id: f.shown for f in context.subject_figures}
    body = {}
    for figure in context.figures:
        if figure.dimension == "all":
            body.setdefault(figure.id, set()).add(figure.shown)
    for figure_id, shown in subject.items():
        assert shown in body.get(figure_id, set()), (figure_id, shown, body.get(figure_id))
    assert f"{context.kpis.at_risk_count} accounts at risk" in context.subject
    assert f"{context.kpis.at_risk_count} accounts at risk" in text


def test_unchanged_rows_say_so_once(context) -> None:  # type: ignore[no-untyped-def]
    revenue = context.sections[-1]
    unchanged = [row for row in revenue.rows if not row.wow_text]
    assert unchanged, "the sample week ends in the same month as the week before"
    assert "unchanged" in revenue.note.lower()
    assert all("no change" not in row.wow_text for s in context.sections for row in s.rows)


def test_without_notes_the_email_states_no_facts_of_its_own(context) -> None:  # type: ignore[no-untyped-def]
    assert context.blockers == context.asks == context.next_week == ()
    assert context.okrs == ()
    assert not any("Strategic accounts" in line for line in (*context.highlights, *context.lowlights))
