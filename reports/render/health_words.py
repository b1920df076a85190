"""Health-score drivers in words, from the raw factor inputs cs_calc computed.

``cs_calc.health`` ranks drivers by name; this module says what each one
means for the account ("No login for 45 days"), in English or Swedish.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from reports.render.formatting import format_number, format_pct

_WORDS = {
    "en": {
        "usage_up": "Active users up {pct} on the previous 90 days",
        "usage_down": "Active users down {pct} on the previous 90 days",
        "usage_flat": "Active users level with the previous 90 days",
        "seats": "Seat utilisation at {pct}",
        "login_recent": "Logins in the last day",
        "login_days": "Last login {days} days ago",
        "login_none": "No login in the last year",
        "tickets_none": "No P0/P1 tickets in the last 90 days",
        "tickets_one": "1 P0/P1 ticket in the last 90 days",
        "tickets_many": "{count} P0/P1 tickets in the last 90 days",
        "nps": "Average NPS score {score} over 12 months",
        "champion_yes": "An active champion",
        "champion_no": "No active champion",
        "renewal": "Renewal in {days} days",
        "usage_trend_none": "No active-user trend (no usage data)",
        "seat_utilisation_none": "Seat utilisation unknown (no seat data)",
        "login_recency_none": "No login data",
        "support_p0p1_none": "No support ticket data",
        "nps_none": "No NPS response in 12 months",
        "champion_present_none": "Champion unknown (no contact data)",
        "renewal_proximity_none": "No renewal date",
        "other": "Other health factor",
    },
    "sv": {
        "usage_up": "Aktiva användare upp {pct} mot föregående 90 dagar",
        "usage_down": "Aktiva användare ned {pct} mot föregående 90 dagar",
        "usage_flat": "Aktiva användare oförändrade mot föregående 90 dagar",
        "seats": "Licensutnyttjande {pct}",
        "login_recent": "Inloggningar senaste dygnet",
        "login_days": "Senaste inloggning för {days} dagar sedan",
        "login_none": "Ingen inloggning på ett år",
        "tickets_none": "Inga P0/P1-ärenden de senaste 90 dagarna",
        "tickets_one": "1 P0/P1-ärende de senaste 90 dagarna",
        "tickets_many": "{count} P0/P1-ärenden de senaste 90 dagarna",
        "nps": "Genomsnittligt NPS-betyg {score} de senaste 12 månaderna",
        "champion_yes": "En aktiv champion",
        "champion_no": "Ingen aktiv champion",
        "renewal": "Förnyelse om {days} dagar",
        "usage_trend_none": "Ingen trend för aktiva användare (ingen användningsdata)",
        "seat_utilisation_none": "Licensutnyttjande okänt (ingen licensdata)",
        "login_recency_none": "Ingen inloggningsdata",
        "support_p0p1_none": "Ingen data om supportärenden",
        "nps_none": "Inget NPS-svar på 12 månader",
        "champion_present_none": "Champion okänd (ingen kontaktdata)",
        "renewal_proximity_none": "Inget förnyelsedatum",
        "other": "Annan hälsofaktor",
    },
}


def driver_sentence(factor: str, value: float, locale: str = "en") -> str:
    """One driver in words, from its raw input (units as in ``cs_calc.health.FACTOR_UNITS``).

    >>> driver_sentence("login_recency", 45.0)
    'Last login 45 days ago'
    >>> driver_sentence("usage_trend", -0.234)
    'Active users down 23.4% on the previous 90 days'
    >>> driver_sentence("champion_present", 0.0, "sv")
    'Ingen aktiv champion'
    """
    return driver_words(factor, value, locale)[0]


def driver_words(factor: str, value: float, locale: str = "en") -> tuple[str, str]:
    """One driver in words and the number it prints ("" when it prints none).

    >>> driver_words("support_p0p1", 2.0)
    ('2 P0/P1 tickets in the last 90 days', '2')
    >>> driver_words("login_recency", 0.0)
    ('Logins in the last day', '')
    >>> driver_words("nps", float("nan"))
    ('No NPS response in 12 months', '')
    """
    words = _WORDS.get(locale, _WORDS["en"])
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return words.get(f"{factor}_none", words["other"]), ""
    if factor == "usage_trend":
        if abs(value) < 0.005:
            return words["usage_flat"], ""
        key = "usage_up" if value > 0 else "usage_down"
        pct = format_pct(abs(value), locale)
        return words[key].format(pct=pct), pct
    if factor == "seat_utilisation":
        pct = format_pct(value, locale, digits=0)
        return words["seats"].format(pct=pct), pct
    if factor == "login_recency":
        if value <= 1:
            return words["login_recent"], ""
        if value >= 365:
            return words["login_none"], ""
        days = format_number(value, locale)
        return words["login_days"].format(days=days), days
    if factor == "support_p0p1":
        count = int(value)
        key = "tickets_none" if count == 0 else "tickets_one" if count == 1 else "tickets_many"
        shown = format_number(count, locale)
        return words[key].format(count=shown), "" if count == 0 else shown
    if factor == "nps":
        score = format_number(value, locale, digits=1)
        return words["nps"].format(score=score), score
    if factor == "champion_present":
        return words["champion_yes" if value >= 1 else "champion_no"], ""
    if factor == "renewal_proximity":
        days = format_number(value, locale)
        return words["renewal"].format(days=days), days
    return words["other"], ""


def top_drivers(health: Mapping[str, object], limit: int = 3) -> list[tuple[str, float]]:
    """The account's top drivers, strongest first, each with its raw input (NaN when missing).

    ``health`` is one row of ``PortfolioMetrics.health`` (``drivers`` tuple and
    ``input_<factor>`` values).
    """
    drivers: Sequence[str] = health.get("drivers") or ()  # type: ignore[assignment]
    return [(f, float(health.get(f"input_{f}", math.nan))) for f in drivers[:limit]]  # type: ignore[arg-type]


def driver_sentences(health: Mapping[str, object], locale: str = "en", limit: int = 3) -> list[str]:
    """The account's top drivers in words, strongest first (:func:`top_drivers`)."""
    return [driver_sentence(f, v, locale) for f, v in top_drivers(health, limit)]
