"""``python -m reports.documents.translations``: bring every locale's catalogue up to date.

The messages are those the translated definitions appendices print (the QBR
deck's reader's summaries, the glossaries of the NPS digest and of the leadership
documents: board report, churn report, cost to retain), taken from the metric
registry. New messages are added untranslated, changed ones keep their old
translation marked fuzzy (not printed until a translator reviews it), unused
ones are dropped. ``tests/reports/render/test_catalogue.py`` fails until every
message has a reviewed translation.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from reports.documents.definitions import appendix_messages
from reports.documents.leadership import board_report, churn_report, cost_to_retain
from reports.documents.nps_digest.context import DIGEST_DEFINED_DIMENSIONS, DIGEST_DEFINED_METRICS
from reports.documents.qbr.slides_appendix import CUSTOMER_DEFINED_METRICS, INTERNAL_DEFINED_METRICS
from reports.render.catalogue import catalogue_path, load_catalogue, read_catalogue
from reports.render.locales import LOCALES


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


def updated_catalogue(locale: str, messages: Sequence[tuple[str, str]]) -> Catalog:
    """The catalogue of ``locale`` updated to ``messages``: new ones added untranslated, changed
    ones matched to their old translation and marked fuzzy, unused ones made obsolete."""
    template = Catalog(locale=None, domain="csreports")
    for context, text in dict.fromkeys(messages):
        template.add(text, context=context)
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
    """Write the appendix messages into every translated locale's ``.po`` file."""
    argparse.ArgumentParser(
        prog="python -m reports.documents.translations", description=main.__doc__
    ).parse_args(argv)
    messages = list(dict.fromkeys(translated_appendix_messages()))
    for locale in LOCALES:
        if locale == "en":
            continue
        catalogue = updated_catalogue(locale, messages)
        path = catalogue_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po:
            write_po(po, catalogue, width=100, ignore_obsolete=True, sort_by_file=False)
        load_catalogue.cache_clear()
        untranslated = sum(1 for m in catalogue if m.id and (m.fuzzy or not m.string))
        print(f"{path}: {len(messages)} messages, {untranslated} to translate or review")
    return 0


if __name__ == "__main__":
    sys.exit(main())
