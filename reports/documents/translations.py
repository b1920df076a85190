"""``python -m reports.documents.translations``: bring every locale's catalogue up to date.

The messages come from two sources, written into one domain (``csreports``):

* Babel's extraction (``babel.cfg``, the same as ``pybabel extract -F babel.cfg``)
  over the Python code under ``reports/`` and the Jinja templates under
  ``templates/``: every ``_``/``gettext``/``ngettext``/``pgettext``/``npgettext``
  call, ``{% trans %}`` block and ``N_``/``NP_`` mark;
* the messages the translated definitions appendices print (the QBR deck's
  reader's summaries, the glossaries of the NPS digest and of the leadership
  documents: board report, churn report, cost to retain), taken from the metric
  registry.

Every locale with a ``.po`` file is updated (``reports/locale/<locale>/LC_MESSAGES``;
create an empty one, or use ``--add LOCALE``, to start a language). New messages
are added untranslated, changed ones keep their old translation marked fuzzy
(not printed until a translator reviews it), unused ones are dropped.
``tests/reports/render/test_catalogue.py`` fails until every message has a
reviewed translation.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from reports.documents.definitions import appendix_messages
from reports.documents.leadership import board_report, churn_report, cost_to_retain
from reports.documents.nps_digest.context import DIGEST_DEFINED_DIMENSIONS, DIGEST_DEFINED_METRICS
from reports.documents.qbr.slides_appendix import CUSTOMER_DEFINED_METRICS, INTERNAL_DEFINED_METRICS
from reports.render import catalogue as _catalogue
from reports.render.catalogue import catalogue_locales, catalogue_path, load_catalogue, read_catalogue

ROOT = Path(__file__).resolve().parents[2]
"""The project folder: ``babel.cfg``, ``reports/`` and ``templates/``."""

KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2), "NNP_": ((1, "c"), 2, 3)}
"""Babel's keywords (``_``, ``gettext``, ``ngettext``, ``pgettext``, ``npgettext``, ``N_``), ``NP_`` and
``NNP_`` (as babel.cfg says, for a Babel that does not read keywords from it)."""

Message = tuple[str | None, str | tuple[str, str]]
"""(msgctxt, msgid) or (msgctxt, (singular, plural))."""


def translated_appendix_messages() -> list[tuple[str, str]]:
    """Every message of the appendices written in every locale (the QBR deck's, the NPS digest's
    and the leadership documents')."""
    glossary = dict.fromkeys(
        DIGEST_DEFINED_METRICS + board_report.METRICS + churn_report.METRICS + cost_to_retain.METRICS
    )
    return appendix_messages(
        glossary=glossary,
        summaries=CUSTOMER_DEFINED_METRICS + INTERNAL_DEFINED_METRICS,
        dimensions=DIGEST_DEFINED_DIMENSIONS,
    )


def extracted_messages(root: Path = ROOT) -> list[tuple[Message, str]]:
    """Every message Babel's extraction finds under ``root`` as ``babel.cfg`` says, with the file
    (relative to ``root``) it is in; in file order, each message once."""
    with (root / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    found: dict[Message, str] = {}
    for filename, _lineno, text, _comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS
    ):
        singular_plural = (str(text[0]), str(text[1])) if isinstance(text, (tuple, list)) else None
        message: Message = (context, singular_plural or str(text))
        found.setdefault(message, filename)
    return list(found.items())


def catalogue_messages() -> list[Message]:
    """Every message the catalogue holds: the extracted ones, then the appendices'."""
    return list(
        dict.fromkeys([m for m, _file in extracted_messages()] + list(translated_appendix_messages()))
    )


def updated_catalogue(
    locale: str, messages: Sequence[Message], locations: dict[Message, str] | None = None
) -> Catalog:
    """The catalogue of ``locale`` updated to ``messages``: new ones added untranslated, changed
    ones matched to their old translation and marked fuzzy, unused ones made obsolete."""
    template = Catalog(locale=None, domain="csreports")
    locations = locations or {}
    for message in dict.fromkeys(messages):
        context, text = message
        where: list[tuple[str, int]] = [(locations[message], None)] if message in locations else []  # type: ignore[list-item]  # a file without a line: stable across edits
        template.add(text, context=context, locations=where)
    catalogue = read_catalogue(locale)
    created = catalogue.creation_date
    catalogue.update(template, no_fuzzy_matching=False)
    catalogue.creation_date = created
    catalogue.project, catalogue.version = "csreports", ""
    catalogue.language_team = catalogue.last_translator = "csreports"
    catalogue.msgid_bugs_address = ""
    catalogue.header_comment = f"# csreports documents in {Locale.parse(locale).english_name}."
    catalogue.fuzzy = False
    return catalogue


def main(argv: Sequence[str] | None = None) -> int:
    """Write the extracted and the appendix messages into every translated locale's ``.po`` file."""
    parser = argparse.ArgumentParser(
        prog="python -m reports.documents.translations", description=main.__doc__
    )
    parser.add_argument(
        "--add", metavar="LOCALE", action="append", default=[], help="start a catalogue for LOCALE, e.g. fr"
    )
    args = parser.parse_args(argv)
    extracted = extracted_messages()
    locations = dict(extracted)
    messages = list(dict.fromkeys([m for m, _file in extracted] + list(translated_appendix_messages())))
    for locale in dict.fromkeys([*catalogue_locales(), *args.add]):
        if locale == "en":
            continue
        Locale.parse(locale)  # an unknown locale fails before a file is written
        catalogue = updated_catalogue(locale, messages, locations)
        path = catalogue_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po:
            write_po(po, catalogue, width=100, ignore_obsolete=True, sort_by_file=False, include_lineno=False)
        load_catalogue.cache_clear()
        _catalogue._translations.cache_clear()
        untranslated = sum(1 for m in catalogue if m.id and (m.fuzzy or not m.string))
        print(f"{path}: {len(messages)} messages, {untranslated} to translate or review")
    return 0


if __name__ == "__main__":
    sys.exit(main())
