"""The languages csreports writes documents in: one list, one check."""

from __future__ import annotations

from reports.render.catalogue import catalogue_locales

LOCALES: tuple[str, ...] = catalogue_locales()
"""Babel locales every document kind is written in, as found at start-up: English and each
locale with a catalogue (``reports/locale/<locale>/LC_MESSAGES/csreports.po``; "de" German, "sv"
Swedish). No Python lists them: adding a language is adding its ``.po`` file."""


def check_locale(locale: str) -> str:
    """``locale`` if csreports writes documents in it, else ValueError naming the ones it does.

    >>> check_locale("sv")
    'sv'
    >>> check_locale("fi")
    Traceback (most recent call last):
    ValueError: locale 'fi' is not one of 'en', 'de', 'sv'
    """
    known = catalogue_locales()  # looked up now: a .po file added since start-up counts
    if locale not in known:
        raise ValueError(f"locale {locale!r} is not one of {', '.join(map(repr, known))}")
    return locale
