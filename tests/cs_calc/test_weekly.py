"""Weekly KPIs on a four-account fixture whose numbers are worked out by hand.

Week reported: 2026-W40 (Mon 2026-09-28 .. Sun 2026-10-04). Its Sunday is in
October, so its MRR month is 2026-10; the previous week, 2026-W39
(2026-09-21 .. 09-27), uses 2026-09.

MRR (2025-09 .. 2026-10): A 100 until 2026-09, 150 in 2026-10 (expansion 50);
C 200 throughout; D 80 until 2026-09, 0 in 2026-10 (churn 80); B new in
2026-10 at 300. September total 380, October total 650.
The movements of 2026-10 are dated 2026-10-01, inside W40: new 300,
expansion 50, churn 80. W39 contains no first-of-month: all zero.

NRR 12 months for W40: window 2025-11..2026-10, opening 2025-10 = A100 + C200 +
D80 = 380; end = A150 + C200 + D0 = 350 -> NRR 350/380; GRR = (100+200+0)/380.
For W39: window 2025-10..2026-09: 380 at both ends -> NRR = GRR = 1.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from cs_calc.mrr import classify_mrr_movements, mrr_matrix
from cs_calc.weekly import (
    GREEN_AT_RISK_ALERTS,
    IsoWeek,
    Target,
    compare_to_target,
    compute_weekly_kpis,
    data_end,
    is_at_risk,
    last_complete_week,
    last_week_with_data,
    target_statuses,
    week_has_data,
)

T = pd.Timestamp


def _mrr() -> pd.DataFrame:
    months = pd.date_range("2025-09-01", "2026-10-01", freq="MS")
    rows = []
    for month in months:
        october = month == T("2026-10-01")
        rows.append(("A", month, 150.0 if october else 100.0))
        rows.append(("C", month, 200.0))
        if not october:
            rows.append(("D", month, 80.0))
        else:
            rows.append(("B", month, 300.0))
    return pd.DataFrame(rows, columns=["account_id", "month", "mrr"])


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    accounts = pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "name": ["Alpha", "Beta", "Gamma", "Delta"],
            "segment": ["Scaled", "Upmarket", "Scaled", "Starter"],
            "start_date": [T("2025-01-10"), T("2026-09-29"), T("2024-05-01"), T("2025-06-01")],
            "renewal_date": [T("2026-12-01"), T("2027-10-20"), T("2026-11-15"), T("2026-10-20")],
        }
    )
    tickets = pd.DataFrame(
        {
            "ticket_id": ["T1", "T2", "T3", "T4"],
            "account_id": ["A", "C", "C", "A"],
            "created_at": [
                T("2026-09-29 08:00"),
                T("2026-10-01 09:00"),
                T("2026-09-20 00:00"),
                T("2026-09-22 10:00"),
            ],
            "first_response_at": [
                T("2026-09-29 10:00"),
                T("2026-10-01 13:00"),
                pd.NaT,
                T("2026-09-22 11:00"),
            ],
            "resolved_at": [T("2026-09-30 08:00"), pd.NaT, T("2026-10-02 00:00"), T("2026-09-22 12:00")],
            "priority": ["P0", "P2", "P1", "P3"],
        }
    )
    usage = pd.DataFrame(
        {
            "account_id": ["A", "A", "C", "C", "A", "A", "C", "C"],
            "date": [T("2026-09-28")] * 4 + [T("2026-09-21")] * 4,
            "metric": ["active_users", "logins"] * 4,
            "value": [10.0, 50.0, 20.0, 70.0, 8.0, 40.0, 20.0, 60.0],
        }
    )
    nps = pd.DataFrame(
        {
            "response_id": ["R1", "R2"],
            "account_id": ["A", "C"],
            "contact_id": ["K1", "K2"],
            "responded_at": [T("2026-09-30"), T("2026-10-04")],
            "score": [10, 3],
        }
    )
    churn = pd.DataFrame({"account_id": ["D"], "effective_date": [T("2026-10-01")], "lost_mrr": [80.0]})
    return {
        "accounts": accounts,
        "mrr": _mrr(),
        "tickets": tickets,
        "usage": usage,
        "nps": nps,
        "churn_events": churn,
    }


@pytest.fixture(scope="module")
def kpis(tables):  # type: ignore[no-untyped-def]
    health = pd.DataFrame(
        {"health_score": [80.0, 60.0, 30.0], "health_band": ["green", "yellow", "red"]},
        index=pd.Index(["A", "B", "C"], name="account_id"),
    )
    signals = pd.DataFrame(
        {
            "account_id": ["A", "A", "B", "C", "D"],
            "kind": ["alert", "alert", "upsell", "alert", "alert"],
            "signal": ["usage_drop", "detractor", "promoter", "renewal_risk", "champion_left"],
            "value": [-0.3, 2.0, 10.0, 42.0, 1.0],
            "date": [pd.NaT, T("2026-10-10"), T("2026-09-30"), pd.NaT, T("2026-09-01")],
        }
    )
    return compute_weekly_kpis(
        tables,
        mrr_matrix(tables["mrr"]),
        classify_mrr_movements(tables["mrr"]),
        health,
        signals,
        IsoWeek.parse("2026-W40"),
        segments=("Starter", "Scaled", "Upmarket", "Strategic"),
        trend_weeks=3,
    )


def test_iso_week_boundaries_and_parsing() -> None:
    week = IsoWeek.parse("2026-w53")
    assert (f"{week.start:%Y-%m-%d}", f"{week.end:%Y-%m-%d}") == ("2026-12-28", "2027-01-03")
    assert week.mrr_month == T("2027-01-01")
    assert IsoWeek.parse("2027-W01").previous() == week
    assert IsoWeek.containing(dt.date(2027, 1, 1)) == week
    with pytest.raises(ValueError, match="2025 has 52 weeks"):
        IsoWeek.parse("2025-W53")
    with pytest.raises(ValueError, match="not an ISO week"):
        IsoWeek.parse("2026-47")


def test_last_complete_week_is_the_week_before_today() -> None:
    assert last_complete_week(dt.date(2026, 11, 27)).label == "2026-W47"  # a Friday
    assert last_complete_week(dt.date(2026, 11, 22)).label == "2026-W46"  # a Sunday: W47 not over
    assert last_complete_week(dt.date(2026, 11, 23)).label == "2026-W47"  # the Monday after


def test_weeks_with_data_end_with_the_last_mrr_month(tables) -> None:  # type: ignore[no-untyped-def]
    assert data_end(tables) == T("2026-10-31")
    # W44 runs 2026-10-26 .. 11-01, past the data; W43 (10-19 .. 10-25) is the last complete one.
    assert last_week_with_data(tables) == IsoWeek.parse("2026-W43")
    assert week_has_data(tables, IsoWeek.parse("2026-W40"))
    assert not week_has_data(tables, IsoWeek.parse("2026-W44"))
    assert not week_has_data(tables, IsoWeek.parse("2025-W35"))  # before the first MRR month


def test_mrr_arr_and_movements(kpis) -> None:  # type: ignore[no-untyped-def]
    cur, prev = kpis.current, kpis.previous
    assert (cur.mrr_month, prev.mrr_month) == (T("2026-10-01"), T("2026-09-01"))
    assert (cur.mrr, cur.arr, cur.paying_accounts) == (650.0, 7800.0, 3)
    assert (prev.mrr, prev.arr) == (380.0, 4560.0)
    assert kpis.delta("arr") == 7800.0 - 4560.0
    assert (cur.new_mrr, cur.expansion_mrr, cur.contraction_mrr, cur.churned_mrr) == (300.0, 50.0, 0.0, 80.0)
    assert (prev.new_mrr, prev.expansion_mrr, prev.churned_mrr) == (0.0, 0.0, 0.0)
    assert (cur.churn_events, cur.churn_events_lost_mrr) == (1, 80.0)
    assert kpis.month_movements.net_new_mrr == 300 + 50 - 80


def test_new_customers_per_segment(kpis) -> None:  # type: ignore[no-untyped-def]
    assert dict(kpis.current.new_customers) == {"Starter": 0, "Scaled": 0, "Upmarket": 1, "Strategic": 0}
    assert kpis.current.new_customers_total == 1
    assert kpis.previous.new_customers_total == 0


def test_trailing_twelve_month_retention(kpis) -> None:  # type: ignore[no-untyped-def]
    assert kpis.current.nrr_12m == pytest.approx(350 / 380)
    assert kpis.current.grr_12m == pytest.approx(300 / 380)
    assert (kpis.previous.nrr_12m, kpis.previous.grr_12m) == (1.0, 1.0)


def test_tickets_and_response_times(kpis) -> None:  # type: ignore[no-untyped-def]
    cur, prev = kpis.current, kpis.previous
    # Created in W40: T1 (P0, first response 2 h) and T2 (P2, 4 h): median 3 h.
    assert (cur.tickets, cur.p0_tickets, cur.median_first_response_hours) == (2, 1, 3.0)
    # Resolved in W40: T1 after 24 h and T3 (created in W38) after 288 h: median 156 h.
    assert cur.median_resolution_hours == 156.0
    assert (
        prev.tickets,
        prev.p0_tickets,
        prev.median_first_response_hours,
        prev.median_resolution_hours,
    ) == (
        1,
        0,
        1.0,
        2.0,
    )


def test_usage_and_nps(kpis) -> None:  # type: ignore[no-untyped-def]
    assert (kpis.current.active_users, kpis.current.logins) == (30.0, 120.0)
    assert (kpis.previous.active_users, kpis.previous.logins) == (28.0, 100.0)
    # One promoter (10), one detractor (3): NPS 50 - 50 = 0; none the week before.
    assert (kpis.current.nps_responses, kpis.current.nps) == (2, 0.0)
    assert kpis.previous.nps_responses == 0 and math.isnan(kpis.previous.nps)
    assert [p.week.label for p in kpis.trend] == ["2026-W38", "2026-W39", "2026-W40"]
    assert math.isnan(kpis.trend[0].active_users)  # no usage row dated in W38
    assert [(p.tickets, p.p0_tickets) for p in kpis.trend] == [(1, 0), (1, 0), (2, 1)]


def test_renewals_due_in_the_next_105_days(kpis) -> None:  # type: ignore[no-untyped-def]
    # Week ends 2026-10-04; D renews 10-20 but pays nothing in October; B renews in 2027-10.
    assert [(r.account_id, r.days_to_renewal, r.mrr, r.health_band) for r in kpis.renewals] == [
        ("C", 42, 200.0, "red"),
        ("A", 58, 150.0, "green"),
    ]
    assert kpis.renewals_mrr == 350.0


def test_at_risk_is_largest_mrr_first_with_alerts_up_to_the_week(kpis) -> None:  # type: ignore[no-untyped-def]
    # A's detractor alert is dated after the week; D pays nothing; B only has an upsell signal.
    assert [(a.account_id, a.mrr, a.alerts) for a in kpis.at_risk] == [
        ("C", 200.0, (("renewal_risk", 42.0),)),
        ("A", 150.0, (("usage_drop", -0.3),)),
    ]
    assert (kpis.at_risk_count, kpis.at_risk_mrr) == (2, 350.0)


def test_targets() -> None:
    assert compare_to_target(Target("nrr_12m", minimum=1.0), 0.97).met is False
    assert compare_to_target(Target("p0_tickets", maximum=0), 0).met is True
    assert compare_to_target(Target("p0_tickets", maximum=0), 2).gap == 2
    assert compare_to_target(Target("nps", minimum=30), float("nan")).met is None


def test_target_statuses_reads_the_snapshot(kpis) -> None:  # type: ignore[no-untyped-def]
    statuses = target_statuses(kpis.current, [Target("nrr_12m", minimum=0.9), Target("tickets", maximum=1)])
    assert [(s.target.kpi, s.met) for s in statuses] == [("nrr_12m", True), ("tickets", False)]
    with pytest.raises(ValueError, match="not a numeric weekly KPI"):
        target_statuses(kpis.current, [Target("new_customers", minimum=1)])


def test_at_risk_rule_red_always_yellow_with_an_alert_green_only_with_a_leading_alert(tables) -> None:  # type: ignore[no-untyped-def]
    # A green with only a detractor (not at risk), B yellow without an alert (not at risk), C red without an
    # alert (at risk), and the same A with a champion gone (at risk, only that alert named).
    health = pd.DataFrame(
        {"health_score": [80.0, 60.0, 30.0], "health_band": ["green", "yellow", "red"]},
        index=pd.Index(["A", "B", "C"], name="account_id"),
    )

    def at_risk(signals: list[tuple[str, str]]) -> list[tuple[str, tuple[str, ...], float]]:
        frame = pd.DataFrame(
            {
                "account_id": [a for a, _ in signals],
                "kind": "alert",
                "signal": [s for _, s in signals],
                "value": 1.0,
                "date": pd.NaT,
            }
        )
        result = compute_weekly_kpis(
            tables,
            mrr_matrix(tables["mrr"]),
            classify_mrr_movements(tables["mrr"]),
            health,
            frame,
            IsoWeek.parse("2026-W40"),
            trend_weeks=1,
        )
        return [(a.account_id, tuple(s for s, _ in a.alerts), a.mrr_change_3m) for a in result.at_risk]

    # C paid 200 in 2026-07 and in 2026-10: unchanged over 3 months.
    assert at_risk([("A", "detractor")]) == [("C", (), 0.0)]
    assert at_risk([("A", "detractor"), ("A", "champion_left"), ("B", "p0_ticket")]) == [
        ("B", ("p0_ticket",), 300.0),
        ("C", (), 0.0),
        ("A", ("champion_left",), 50.0),
    ]


def test_is_at_risk_names_the_rule() -> None:
    assert [
        is_at_risk(band, alerts)
        for band, alerts in [
            ("red", []),
            ("yellow", []),
            ("yellow", ["detractor"]),
            ("", ["p0_ticket"]),
            ("green", ["detractor", "p0_ticket", "renewal_risk"]),
            *[("green", [a]) for a in GREEN_AT_RISK_ALERTS],
        ]
    ] == [True, False, True, True, False, True, True, True]
