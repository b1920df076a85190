"""The message catalogue: current translations for every extracted and appendix message, nothing stale,
and a language added as a .po file only."""

from __future__ import annotations

import re
import shutil

import pytest

from cs_calc.definitions import METRICS
from reports.data.config_check import parse_config
from reports.data.config_schema import EmailFile
from reports.documents import translations as update_command
from reports.documents.definitions import glossary_entry, summary_line
from reports.documents.translations import (
    catalogue_messages,
    extracted_messages,
    translated_appendix_messages,
    updated_catalogue,
)
from reports.errors import ConfigError
from reports.render import catalogue
from reports.render.catalogue import catalogue_locales, load_catalogue, translate, translations


@pytest.mark.parametrize("locale", catalogue_locales()[1:])
def test_every_appendix_message_has_a_current_translation(locale):
    po = load_catalogue(locale)
    problems = []
    for context, text in translated_appendix_messages():
        entry = po.get(text, context=context)
        if entry is None:
            problems.append(f"{context}: no translation of the current English {text!r}")
        elif entry.fuzzy or not entry.string:
            problems.append(f"{context}: translation marked for review or empty")
    assert not problems, "run python -m reports.documents.translations, then translate:\n" + (
        "\n".join(problems)
    )


@pytest.mark.parametrize("locale", catalogue_locales()[1:])
def test_the_catalogue_holds_no_message_nothing_prints(locale):
    used = {(context, text[0] if isinstance(text, tuple) else text) for context, text in catalogue_messages()}
    stale = [
        (m.context, m.id)
        for m in load_catalogue(locale)
        if m.id and (m.context, m.id[0] if isinstance(m.id, tuple) else m.id) not in used
    ]
    assert stale == []


@pytest.mark.parametrize("locale", ["sv", "de"])
def test_every_extracted_message_has_a_current_translation(locale):
    """Babel's extraction (babel.cfg: the Python code and the Jinja templates), run here, finds no
    message without a reviewed translation: a new English word fails the build until translated."""
    po = load_catalogue(locale)
    problems = []
    for (context, text), where in extracted_messages():
        singular = text[0] if isinstance(text, tuple) else text
        entry = po.get(singular, context=context)
        strings = (
            entry.string
            if entry is not None and isinstance(entry.string, tuple)
            else [getattr(entry, "string", "")]
        )
        if entry is None:
            problems.append(f"{where}: {context or ''} {text!r} is not in the catalogue")
        elif entry.fuzzy or not all(strings):
            problems.append(f"{where}: {context or ''} {text!r} is untranslated or marked for review")
    assert not problems, "run python -m reports.documents.translations, then translate:\n" + "\n".join(
        problems
    )


def test_extraction_finds_the_email_and_its_templates():
    files = {where for _message, where in extracted_messages()}
    assert {"reports/documents/email/context.py", "templates/email/weekly.html.j2"} <= files
    messages = dict(extracted_messages())
    assert (None, ("{count} account at risk ({mrr} MRR)", "{count} accounts at risk ({mrr} MRR)")) in messages
    assert ("okr status", "At risk") in messages  # msgctxt: not the accounts' "at risk"


def test_plurals_follow_the_locale_and_fuzzy_or_missing_entries_print_english(tmp_path, monkeypatch):
    t = translations("de")
    assert (
        t.ngettext("{count} P0 ticket this week", "{count} P0 tickets this week", 1)
        == "{count} P0-Ticket diese Woche"
    )
    assert (
        t.ngettext("{count} P0 ticket this week", "{count} P0 tickets this week", 3)
        == "{count} P0-Tickets diese Woche"
    )
    assert t.pgettext("okr status", "At risk") == "Gefährdet"
    assert t.gettext("no such message") == "no such message"
    po = tmp_path / "de" / "LC_MESSAGES" / "csreports.po"
    po.parent.mkdir(parents=True)
    po.write_text('#, fuzzy\nmsgid "Asks"\nmsgstr "Bitten"\n', encoding="utf-8")
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path)
    assert translations("de").gettext("Asks") == "Asks"


def test_a_locale_added_as_a_po_file_only_is_available(tmp_path, monkeypatch):
    """Adding a language touches no Python: its .po file makes it a catalogue locale, and the
    email accepts it (see also tests/reports/documents/test_email_locales.py)."""
    shutil.copytree(catalogue.LOCALE_DIR, tmp_path / "locale")
    po = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "csreports.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Asks"\nmsgstr "Demandes"\n', encoding="utf-8"
    )
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path / "locale")
    assert catalogue_locales() == ("en", "de", "fr", "sv")
    assert translations("fr").gettext("Asks") == "Demandes"
    assert parse_config(EmailFile, {"locale": "fr"}, "email.yaml").locale == "fr"
    with pytest.raises(ConfigError, match="'xx'"):
        parse_config(EmailFile, {"locale": "xx"}, "email.yaml")


def test_a_changed_english_text_falls_back_to_english_and_is_marked_for_review(tmp_path, monkeypatch):
    shutil.copytree(catalogue.LOCALE_DIR, tmp_path / "locale")
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path / "locale")
    messages = translated_appendix_messages()
    context, old = next(m for m in messages if m[0] == "csat (summary)")
    new = old.replace("rated tickets", "rated support tickets")
    assert translate("sv", new, context) == new  # the Swedish of the old text is not used for the new one
    updated = updated_catalogue("sv", [(c, new if c == context else t) for c, t in messages])
    entry = updated.get(new, context=context)
    assert entry.fuzzy and entry.string == load_catalogue("sv").get(old, context=context).string


def test_fuzzy_entries_are_not_printed(tmp_path, monkeypatch):
    po = tmp_path / "sv" / "LC_MESSAGES" / "csreports.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgctxt "c"\nmsgid "Reviewed"\nmsgstr "Granskad"\n\n'
        '#, fuzzy\nmsgctxt "c"\nmsgid "English"\nmsgstr "Svenska"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path)
    load_catalogue.cache_clear()
    try:
        assert translate("sv", "Reviewed", "c") == "Granskad"
        assert translate("sv", "English", "c") == "English"
        assert translate("sv", "Reviewed", "other context") == "Reviewed"
    finally:
        load_catalogue.cache_clear()


def test_update_command_leaves_a_complete_catalogue_unchanged(tmp_path, monkeypatch, capsys):
    shutil.copytree(catalogue.LOCALE_DIR, tmp_path / "locale")
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path / "locale")
    before = {p: p.read_bytes() for p in (tmp_path / "locale").rglob("*.po")}
    assert update_command.main([]) == 0
    catalogue.load_catalogue.cache_clear()
    assert {p: p.read_bytes() for p in before} == before
    out = capsys.readouterr().out
    # Every catalogue is complete, German included: a missing or fuzzy message in any language fails.
    for locale in catalogue_locales()[1:]:
        assert re.search(rf"/{locale}/LC_MESSAGES/csreports.po: \d+ messages, 0 to translate or review", out)


def test_swedish_appendix_entries_are_swedish_and_english_ones_are_the_registry():
    assert summary_line("csat") == METRICS["csat"].summary
    assert summary_line("csat", "sv").startswith("CSAT: genomsnittligt betyg")
    entry = glossary_entry("mrr_at_risk", "sv")
    assert entry.label == "Kritikernas MRR per tema"
    assert entry.definition.startswith("Belopp per månad (MRR); dokumentets period. MRR i")
    english = glossary_entry("mrr_at_risk")
    assert english.text == METRICS["mrr_at_risk"].definition
