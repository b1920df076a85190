"""The message catalogue: gettext ``.po`` files per locale, read with Babel.

Documents are written in English; a translation lives in
``reports/locale/<locale>/LC_MESSAGES/csreports.po``, where each message's
``msgid`` is the English text exactly as csreports prints it and
``msgctxt`` says where it is used (for definitions: ``"<metric id>
(glossary)"`` or ``"<metric id> (summary)"``). When the English text changes,
the old translation no longer matches and the English is printed until a
translator updates it; ``tests/reports/render/test_catalogue.py`` fails on
that, on fuzzy entries and on entries nothing uses any more.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from reports.render.locales import check_locale

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
"""``reports/locale``: one ``<locale>/LC_MESSAGES/csreports.po`` per translated locale."""

DOMAIN = "csreports"


def catalogue_path(locale: str) -> Path:
    """The ``.po`` file of ``locale`` (which need not exist: English has none)."""
    return LOCALE_DIR / check_locale(locale) / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(locale: str) -> Catalog:
    """The catalogue of ``locale`` as its file holds it now; an empty one for English or a locale
    without a file."""
    path = catalogue_path(locale)
    if locale == "en" or not path.is_file():
        return Catalog(locale=locale, domain=DOMAIN)
    with path.open("rb") as po:
        return read_po(po, locale=locale, domain=DOMAIN)


@cache
def load_catalogue(locale: str) -> Catalog:
    """:func:`read_catalogue`, read once per process (documents only look messages up)."""
    return read_catalogue(locale)


def translate(locale: str, message: str, context: str | None = None) -> str:
    """``message`` (English) in ``locale``; the English when no current translation exists.

    Fuzzy entries (marked for review after the English changed) are not used.

    >>> translate("en", "Net revenue retention")
    'Net revenue retention'
    """
    entry = load_catalogue(locale).get(message, context=context)
    if entry is None or entry.fuzzy or not isinstance(entry.string, str) or not entry.string:
        return message
    return entry.string
