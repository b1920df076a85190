"""Health-score drivers in words, from the raw factor inputs cs_calc computed.

``cs_calc.health`` ranks drivers by name; this module says what each one
means for the account ("No login for 45 days"), in the document's language (message context "health driver").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from reports.render.catalogue import NNP_, NP_, translations
from reports.render.formatting import format_number, format_pct

_CONTEXT = "health driver"
"""The message context of every driver phrase (written out in each mark, where extraction reads it)."""

_PHRASES = {
    "usage_up": NP_("health driver", "Active users up {pct} on the previous 90 days"),
    "usage_down": NP_("health driver", "Active users down {pct} on the previous 90 days"),
    "usage_flat": NP_("health driver", "Active users level with the previous 90 days"),
    "seats": NP_("health driver", "Seat utilisation at {pct}"),
    "login_recent": NP_("health driver", "Logins in the last day"),
    "login_days": NP_("health driver", "Last login {days} days ago"),
    "login_none": NP_("health driver", "No login in the last year"),
    "tickets_none": NP_("health driver", "No P0/P1 tickets in the last 90 days"),
    "nps": NP_("health driver", "Average NPS score {score} over 12 months"),
    "champion_yes": NP_("health driver", "An active champion"),
    "champion_no": NP_("health driver", "No active champion"),
    "renewal": NP_("health driver", "Renewal in {days} days"),
    "usage_trend_none": NP_("health driver", "No active-user trend (no usage data)"),
    "seat_utilisation_none": NP_("health driver", "Seat utilisation unknown (no seat data)"),
    "login_recency_none": NP_("health driver", "No login data"),
    "support_p0p1_none": NP_("health driver", "No support ticket data"),
    "nps_none": NP_("health driver", "No NPS response in 12 months"),
    "champion_present_none": NP_("health driver", "Champion unknown (no contact data)"),
    "renewal_proximity_none": NP_("health driver", "No renewal date"),
    "other": NP_("health driver", "Other health factor"),
}
"""Each driver phrase in English, keyed by what it says; translated with context "health driver"."""

_TICKETS = NNP_(
    "health driver", "{count} P0/P1 ticket in the last 90 days", "{count} P0/P1 tickets in the last 90 days"
)


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
    words = translations(locale)

    def phrase(key: str, **fields: str) -> str:
        return words.pgettext(_CONTEXT, _PHRASES[key]).format(**fields)

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return phrase(f"{factor}_none" if f"{factor}_none" in _PHRASES else "other"), ""
    if factor == "usage_trend":
        if abs(value) < 0.005:
            return phrase("usage_flat"), ""
        pct = format_pct(abs(value), locale)
        return phrase("usage_up" if value > 0 else "usage_down", pct=pct), pct
    if factor == "seat_utilisation":
        pct = format_pct(value, locale, digits=0)
        return phrase("seats", pct=pct), pct
    if factor == "login_recency":
        if value <= 1:
            return phrase("login_recent"), ""
        if value >= 365:
            return phrase("login_none"), ""
        days = format_number(value, locale)
        return phrase("login_days", days=days), days
    if factor == "support_p0p1":
        count = int(value)
        if count == 0:
            return phrase("tickets_none"), ""
        shown = format_number(count, locale)
        return words.npgettext(_CONTEXT, *_TICKETS, count).format(count=shown), shown
    if factor == "nps":
        score = format_number(value, locale, digits=1)
        return phrase("nps", score=score), score
    if factor == "champion_present":
        return phrase("champion_yes" if value >= 1 else "champion_no"), ""
    if factor == "renewal_proximity":
        days = format_number(value, locale)
        return phrase("renewal", days=days), days
    return phrase("other"), ""


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
