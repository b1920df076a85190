"""The weekly email in Swedish and German: every word from the catalogue, no English sentence left,
and a language added as a .po file only renders without touching Python."""

from __future__ import annotations

import shutil
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from cs_calc.weekly import IsoWeek
from reports.cli import cli
from reports.documents.email.config import email_config_from_mapping, load_email_config
from reports.documents.email.context import WeeklyContext, build_weekly_context
from reports.documents.email.render import RenderedEmail, render_email
from reports.pipeline import RunContext
from reports.render import catalogue
from tests.reports.reading import KEPT_WORDS, LOANWORDS, WORD, word_runs

WEEK = IsoWeek.parse("2026-W43")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "title")
        self.parts.extend(value or "" for name, value in attrs if name == "alt")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _visible(rendered: RenderedEmail) -> str:
    parser = _Text()
    parser.feed(rendered.html)
    return "\n".join([rendered.subject, rendered.text, *parser.parts])


@pytest.fixture(scope="module")
def week_run(sample_run):
    return RunContext.for_week(sample_run.dataset, sample_run.settings, WEEK)


def _context(week_run, locale: str) -> WeeklyContext:
    return build_weekly_context(week_run, WEEK, config=replace(load_email_config(), locale=locale))


@pytest.fixture(scope="module")
def emails(week_run):
    contexts = {locale: _context(week_run, locale) for locale in ("en", "sv", "de")}
    return contexts, {locale: render_email(context) for locale, context in contexts.items()}


def _data_words(context: WeeklyContext) -> set[str]:
    """Words that are data, not prose: account names and ids, segments, company, versions."""
    data = [context.company, context.provenance["definitions_version"], context.provenance["inputs_hash"]]
    for row in (*context.at_risk_rows, *context.renewal_rows):
        data += [row.name, row.account_id, row.segment]
    data += list(context.kpis.current.new_customers)
    return {w.lower() for text in data for w in WORD.findall(text)}


def _phrases(text: str, skip: set[str]) -> set[tuple[str, ...]]:
    """Every run of three words of a line that are neither data nor kept words, lower-cased."""
    return {run for run in word_runs(text) if not set(run) <= skip}


@pytest.mark.parametrize("locale", ["sv", "de"])
def test_no_english_sentence_in_the_translated_email(emails, locale):
    """No run of three English words of the English email (beyond names, numbers and data) appears
    in the Swedish or German one: subject, text part, HTML text and chart alt texts alike."""
    contexts, rendered = emails
    skip = KEPT_WORDS | LOANWORDS[locale] | _data_words(contexts["en"])
    english = _phrases(_visible(rendered["en"]), skip)
    translated = _phrases(_visible(rendered[locale]), skip)
    assert english, "the English email has prose to compare"
    assert sorted(" ".join(run) for run in english & translated) == []


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "sv",
            [
                "Konton i riskzonen",
                "VECKA 2026-W43 (19–25 okt. 2026)",
                "Denna vecka",
                "inget den här veckan",
                "konton i riskzonen",
            ],
        ),
        (
            "de",
            [
                "Gefährdete Accounts",
                "WOCHE 2026-W43 (19.–25. Okt. 2026)",
                "Diese Woche",
                "diese Woche keine",
                "gefährdete Accounts",
            ],
        ),
    ],
)
def test_the_email_speaks_the_locale_with_its_number_formats(emails, locale, words):
    contexts, rendered = emails
    text = _visible(rendered[locale])
    for word in words:
        assert word in text
    assert f'lang="{locale}"' in rendered[locale].html
    assert contexts[locale].charts[0].spec.locale == locale
    count = contexts[locale].kpis.at_risk_count
    assert (
        f"{count} {'konton i riskzonen' if locale == 'sv' else 'gefährdete Accounts'}"
        in rendered[locale].subject
    )
    assert "5,8" in contexts[locale].headline[0]  # Babel's decimal comma, not a hand-made one


def test_every_printed_figure_of_the_german_email_is_in_its_text(emails):
    contexts, rendered = emails
    text = " ".join(_visible(rendered["de"]).split())
    missing = [f.shown for f in contexts["de"].figures if " ".join(f.shown.split()) not in text]
    assert missing == []


def test_email_yaml_locale_de_is_accepted_and_unknown_ones_named():
    assert email_config_from_mapping({"locale": "de"}).locale == "de"
    with pytest.raises(Exception, match="'fr'"):
        email_config_from_mapping({"locale": "fr"})


def test_a_language_added_as_a_po_file_renders_the_email(week_run, tmp_path, monkeypatch):
    """A French catalogue dropped into the locale folder: email.yaml accepts `locale: fr`, its words
    are French where translated, English (never an error) where not, numbers in French format."""
    shutil.copytree(catalogue.LOCALE_DIR, tmp_path / "locale")
    po = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "csreports.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Asks"\nmsgstr "Demandes"\n\n'
        'msgid "{count} account at risk ({mrr} MRR)"\nmsgid_plural "{count} accounts at risk ({mrr} MRR)"\n'
        'msgstr[0] "{count} compte à risque ({mrr} de MRR)"\nmsgstr[1] "{count} comptes à risque ({mrr} de MRR)"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path / "locale")
    config = replace(email_config_from_mapping({"locale": "fr"}), recipients=())
    context = build_weekly_context(week_run, WEEK, config=config)
    rendered = render_email(context)
    assert "DEMANDES" in rendered.text and "Demandes" in rendered.html
    assert f"{context.kpis.at_risk_count} comptes à risque (" in context.headline[2]
    assert "Next week" in rendered.html  # untranslated: the English
    assert "5,8" in context.headline[0]


def test_weekly_email_locale_option_overrides_email_yaml(emails, week_run, monkeypatch):
    monkeypatch.setattr("reports.pipeline.load_dataset", lambda data, settings: week_run.dataset)
    monkeypatch.setattr(
        "reports.cli.commands.weekly_email._run_for", lambda dataset, settings, week: week_run
    )
    _contexts, rendered = emails
    args = ["weekly-email", "--week", "2026-W43", "--dry-run", "--to", "a@example.com"]
    result = CliRunner().invoke(cli, [*args, "--locale", "de"])
    assert result.exit_code == 0, result.output
    subject = result.output.splitlines()[0]
    assert subject.split() == f"Subject: {rendered['de'].subject}".split()  # the header has plain spaces
    assert rendered["de"].text in result.output
    result = CliRunner().invoke(cli, [*args, "--locale", "xx"])
    assert result.exit_code != 0 and "'xx' is not one of 'en', 'de', 'sv'" in result.output
