"""The languages csreports writes documents in: one list, one check."""

from __future__ import annotations

LOCALES: tuple[str, ...] = ("en", "sv")
"""Babel locales every document kind is written in ("en" English, "sv" Swedish)."""


def check_locale(locale: str) -> str:
    """``locale`` if csreports writes documents in it, else ValueError naming the ones it does.

    >>> check_locale("sv")
    'sv'
    >>> check_locale("de")
    Traceback (most recent call last):
    ValueError: locale 'de' is not one of 'en', 'sv'
    """
    if locale not in LOCALES:
        raise ValueError(f"locale {locale!r} is not one of {', '.join(map(repr, LOCALES))}")
    return locale
