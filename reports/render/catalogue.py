"""The message catalogue: gettext ``.po`` files per locale, read with Babel.

Documents are written in English; a translation lives in
``reports/locale/<locale>/LC_MESSAGES/csreports.po`` (one domain,
``csreports``), where each message's ``msgid`` is the English text exactly as
csreports prints it and ``msgctxt`` says where it is used (for definitions:
``"<metric id> (glossary)"`` or ``"<metric id> (summary)"``; for document words
where one English word has two meanings, e.g. ``"okr status"``). The messages
come from two sources, merged by ``python -m reports.documents.translations``:
Babel's extraction over ``reports/`` and ``templates/`` (``babel.cfg``) and the
metric registry's definitions.

Code asks for words through :func:`translations` (a gettext object per locale,
compiled from the ``.po`` in memory once per process: no ``.mo`` is committed)
or :func:`translate` (the definitions appendices). A missing, empty or fuzzy
entry prints the English. When the English text changes, the old translation
no longer matches and the English is printed until a translator updates it;
``tests/reports/render/test_catalogue.py`` fails on that, on fuzzy entries and
on entries nothing uses any more.

A locale is available as soon as its ``.po`` file exists
(:func:`catalogue_locales`); no Python names it.
"""

from __future__ import annotations

import re
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
"""``reports/locale``: one ``<locale>/LC_MESSAGES/csreports.po`` per translated locale."""

DOMAIN = "csreports"


_LOCALE_ID = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")
"""A Babel locale identifier as a folder name: ``de``, ``pt_BR`` (never a path)."""


def language_of(locale: str) -> str:
    """The language of ``locale`` ("sv" of "sv_SE" or "sv-SE"), as config labels are keyed.

    >>> language_of("sv_SE"), language_of("de-AT"), language_of("en")
    ('sv', 'de', 'en')
    """
    return str(locale).replace("-", "_").split("_")[0].lower()


def catalogue_path(locale: str) -> Path:
    """The ``.po`` file of ``locale`` (which need not exist: English has none).

    >>> catalogue_path("../x")
    Traceback (most recent call last):
    ValueError: locale '../x' is not a locale identifier such as 'de' or 'pt_BR'
    """
    if not _LOCALE_ID.fullmatch(locale):
        raise ValueError(f"locale {locale!r} is not a locale identifier such as 'de' or 'pt_BR'")
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_locales() -> tuple[str, ...]:
    """English, then every locale with a ``.po`` file under :data:`LOCALE_DIR`, sorted.

    Adding a language is adding its file: nothing in Python lists the locales the catalogue has.
    """
    found = sorted(
        path.parent.parent.name
        for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
        if _LOCALE_ID.fullmatch(path.parent.parent.name)
    )
    return ("en", *(locale for locale in found if locale != "en"))


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


def N_(message: str) -> str:
    """Mark ``message`` for extraction where it is kept in a table; translate it where printed."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` with its ``msgctxt`` for extraction; printed via ``pgettext(context, message)``."""
    del context
    return message


def NNP_(context: str, singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message with its ``msgctxt`` for extraction where it is kept in a table; printed via
    ``npgettext(context, singular, plural, n)``."""
    del context
    return singular, plural


class Words:
    """The gettext calls of one locale, typed: ``gettext``, ``ngettext``, ``pgettext``, ``npgettext``.

    Extraction (``babel.cfg``) finds the calls by these names, so code writes
    ``words.ngettext("{count} account", "{count} accounts", n).format(count=shown)``.
    """

    def __init__(self, gnu: Translations):
        self._gnu = gnu

    def gettext(self, message: str) -> str:
        return str(self._gnu.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(self._gnu.ngettext(singular, plural, n))

    def pgettext(self, context: str, message: str) -> str:
        return str(self._gnu.pgettext(context, message))

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return str(self._gnu.npgettext(context, singular, plural, n))


def translations(locale: str) -> Words:
    """The words of ``locale``: ``gettext``, ``ngettext``, ``pgettext``, ``npgettext``.

    Built from the ``.po`` file (compiled in memory with Babel, once per process and locale
    folder); a missing, empty or fuzzy entry gives the English, with English plural rules.

    >>> t = translations("sv")
    >>> t.ngettext("{count} P0 ticket this week", "{count} P0 tickets this week", 2).format(count=2)
    '2 P0-ärenden denna vecka'
    >>> translations("sv").pgettext("okr status", "At risk")
    'I riskzonen'
    """
    return _translations(LOCALE_DIR, locale)


@cache
def _translations(folder: Path, locale: str) -> Words:
    del folder  # part of the cache key: tests point LOCALE_DIR at a copy
    if _LOCALE_ID.fullmatch(locale) is None:
        locale = language_of(locale)
    if "_" in locale and not catalogue_path(locale).is_file():
        locale = locale.split("_")[0]  # sv_SE: the Swedish catalogue
    buffer = BytesIO()
    write_mo(buffer, read_catalogue(locale), use_fuzzy=False)
    buffer.seek(0)
    return Words(Translations(buffer, domain=DOMAIN))
