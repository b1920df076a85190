"""The message catalogue: current translations for every appendix message, nothing stale."""

from __future__ import annotations

import shutil

import pytest

from cs_calc.definitions import METRICS
from reports.documents import translations
from reports.documents.definitions import glossary_entry, summary_line
from reports.documents.translations import translated_appendix_messages, updated_catalogue
from reports.render import catalogue
from reports.render.catalogue import load_catalogue, translate
from reports.render.locales import LOCALES

TRANSLATED = [locale for locale in LOCALES if locale != "en"]


@pytest.mark.parametrize("locale", TRANSLATED)
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


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_catalogue_holds_no_message_nothing_prints(locale):
    used = set(translated_appendix_messages())
    stale = [(m.context, m.id) for m in load_catalogue(locale) if m.id and (m.context, m.id) not in used]
    assert stale == []


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
    assert translations.main([]) == 0
    catalogue.load_catalogue.cache_clear()
    assert {p: p.read_bytes() for p in before} == before
    assert "0 to translate or review" in capsys.readouterr().out


def test_swedish_appendix_entries_are_swedish_and_english_ones_are_the_registry():
    assert summary_line("csat") == METRICS["csat"].summary
    assert summary_line("csat", "sv").startswith("CSAT: genomsnittligt betyg")
    entry = glossary_entry("mrr_at_risk", "sv")
    assert entry.label == "Kritikernas MRR per tema"
    assert entry.definition.startswith("Belopp per månad (MRR); dokumentets period. MRR i")
    english = glossary_entry("mrr_at_risk")
    assert english.text == METRICS["mrr_at_risk"].definition
