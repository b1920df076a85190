from __future__ import annotations

import math

import pytest

from reports.render.health_words import driver_sentence, driver_sentences


@pytest.mark.parametrize(
    ("factor", "value", "locale", "expected"),
    [
        ("usage_trend", 0.18, "en", "Active users up 18.0% on the previous 90 days"),
        ("usage_trend", 0.001, "en", "Active users level with the previous 90 days"),
        ("seat_utilisation", 0.923, "en", "Seat utilisation at 92%"),
        ("login_recency", 0.0, "en", "Logins in the last day"),
        ("login_recency", 365.0, "en", "No login in the last year"),
        ("support_p0p1", 1.0, "en", "1 P0/P1 ticket in the last 90 days"),
        ("support_p0p1", 3.0, "sv", "3 P0/P1-ärenden de senaste 90 dagarna"),
        ("nps", 6.5, "sv", "Genomsnittligt NPS-betyg 6,5 de senaste 12 månaderna"),
        ("champion_present", 1.0, "en", "An active champion"),
        ("renewal_proximity", 45.0, "en", "Renewal in 45 days"),
    ],
)
def test_each_factor_reads_as_a_sentence(factor, value, locale, expected):
    assert driver_sentence(factor, value, locale) == expected


def test_top_drivers_of_a_health_row_in_order():
    row = {
        "drivers": ("champion_present", "login_recency"),
        "input_champion_present": 0.0,
        "input_login_recency": 45.0,
        "input_nps": math.nan,
    }
    assert driver_sentences(row) == ["No active champion", "Last login 45 days ago"]


def test_red_accounts_are_explained_by_what_pulls_them_down(sample_run):
    health = sample_run.metrics.health
    red = health[health["health_band"] == "red"]
    assert len(red)
    for _, row in red.iterrows():
        first = row["drivers"][0]
        assert row[f"score_{first}"] < 50, (row.name, row["drivers"])
