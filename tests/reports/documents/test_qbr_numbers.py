"""Numbers a QBR reader can take at face value: counts whole, averages labelled, changes of
percentages in points, a zero change "unchanged", NPS with its n and never a headline from too
few responses, plurals chosen by count (no "(s)"), thousands grouped; English and Swedish."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

import pytest

from reports.documents.qbr.config import load_qbr_config
from reports.documents.qbr.context import account_data, build_qbr_context
from reports.documents.qbr.context_types import QbrContext, Slide
from reports.documents.qbr.slides_summary import goals_sentence, tickets_sentence
from reports.documents.qbr.wording import Words, kpi_unit

ACCOUNTS = 40
"""The first accounts of the sample whose decks are read (every segment, goals, plans, tickets)."""

NBSP = "\xa0"


def _texts(slide: Slide) -> list[str]:
    parts = [slide.title, slide.notes, *slide.bullets, *slide.side, *slide.meta]
    parts += [f"{k.label} {k.value} {k.detail}" for k in slide.kpis]
    if slide.table is not None:
        parts += [" | ".join(row) for row in slide.table.rows]
    return parts


def _deck_text(deck: QbrContext) -> str:
    """Every slide's text but the appendix (definitions and provenance, with its inputs hash)."""
    return "\n".join(t for slide in deck.slides if slide.key != "appendix" for t in _texts(slide))


@pytest.fixture(scope="module", params=["en", "sv"])
def decks(request, sample_run) -> dict[str, str]:
    config = load_qbr_config(sample_run.settings.config_dirs)
    ids = sorted(sample_run.dataset.tables["accounts"]["account_id"])[:ACCOUNTS]
    texts = {}
    for account_id in ids:
        data = account_data(sample_run, account_id)
        for audience in ("customer", "internal"):
            deck = build_qbr_context(data, audience=audience, locale=request.param, config=config)
            texts[f"{account_id}-{audience}-{request.param}"] = _deck_text(deck)
    return texts


def _found(decks: dict[str, str], pattern: str) -> list[str]:
    rx = re.compile(pattern)
    return [f"{name}: {m.group(0)!r}" for name, text in decks.items() for m in rx.finditer(text)]


def test_no_count_of_users_has_decimals(decks):
    assert _found(decks, r"\d+[.,]\d+\s(?:active|weekly|aktiva) (?:users|användare)") == []


def test_the_active_users_tile_says_it_is_an_average(decks):
    assert _found(decks, r"(?:Active users|Aktiva användare) \d") == []


def test_no_plural_is_patched_with_s(decks):
    assert _found(decks, r"\(s\)|\(er\)|\(ar\)") == []


def test_no_singular_count_takes_a_plural_noun(decks):
    bad = r"(?<![\w/,.])(?<!\d\s)1 (?:ratings|responses|mentions|tickets|support tickets|goals|objectives are)\b"
    assert _found(decks, bad) == []
    assert _found(decks, r"\b(?:0|1) of 1 goals|\b[01] av 1 mål") == []


def test_a_zero_change_reads_unchanged(decks):
    assert _found(decks, r"(?<![\d.,])[+-]?0[.,]0\s?%") == []


def test_large_numbers_are_grouped(decks):
    # Five or more digits in a row are never a year or a date: they are a count or an amount printed
    # without its thousands separator.
    assert _found(decks, r"(?<![\d,.\-])\d{5,}(?![\d])") == []


def test_nps_tile_shows_its_responses(decks):
    for name, text in decks.items():
        tile = re.search(r"NPS, (?:last 12 months|senaste 12 mån\.) (\S+) (.+)", text)
        assert tile is not None, name
        score, detail = tile.groups()
        assert re.match(
            r"\d[\d,\s]* (?:response|responses|svar)$|(?:Too few responses|För få svar) \(\d+\)$", detail
        ), (
            name,
            detail,
        )
        if detail.startswith(("Too few", "För få")):
            assert score == "–", (name, score)


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_nps_tile_under_the_minimum_is_no_headline(sample_run, locale):
    config = load_qbr_config(sample_run.settings.config_dirs)
    data = account_data(sample_run, "A-00140")  # 4 responses in the last 12 months
    deck = build_qbr_context(data, audience="customer", locale=locale, config=config)
    tile = deck.slide("executive_summary").kpis[-1]
    too_few = {"en": "Too few responses (4)", "sv": "För få svar (4)"}[locale]
    assert (tile.value, tile.detail) == ("–", too_few)
    assert "nps_12m" not in {f.id for f in deck.figures}

    lowered = dataclasses.replace(
        config, thresholds=dataclasses.replace(config.thresholds, nps_min_responses=4)
    )
    deck = build_qbr_context(data, audience="customer", locale=locale, config=lowered)
    tile = deck.slide("executive_summary").kpis[-1]
    assert re.fullmatch(r"-?\d+", tile.value)
    assert tile.detail == {"en": "4 responses", "sv": "4 svar"}[locale]


@pytest.mark.parametrize(
    ("locale", "fraction", "expected"),
    [
        ("en", 0.0, "unchanged"),
        ("en", 0.00004, "unchanged"),
        ("sv", 0.0, "oförändrad"),
        ("en", 0.052, "+5.2%"),
        ("sv", -0.052, f"-5,2{NBSP}%"),
    ],
)
def test_a_change_rounding_to_zero_reads_unchanged(locale, fraction, expected):
    assert Words(locale, "USD").delta_pct(fraction) == expected


@pytest.mark.parametrize(
    ("locale", "points", "expected"),
    [
        ("en", 0.204, "+20.4 pp"),
        ("sv", 0.204, "+20,4 p.e."),
        ("en", 0.0, "unchanged"),
        ("en", -0.05, "-5.0 pp"),
    ],
)
def test_changes_of_percentages_are_in_points(locale, points, expected):
    assert Words(locale, "USD").pp(points) == expected


def test_a_percentage_kpi_changes_in_points_on_the_adoption_slide(sample_run):
    config = load_qbr_config(sample_run.settings.config_dirs)
    deck = build_qbr_context(
        account_data(sample_run, "A-00140"), audience="customer", locale="en", config=config
    )
    side = deck.slide("adoption").side
    assert "Forecast accuracy %: 90.4 vs baseline 70 (+20.4 pp)." in side
    assert not any("+29%" in line for line in side)
    recorded = {f.id: f for f in deck.figures}
    assert recorded["value_delivered_points"].shown == "+20.4 pp"
    assert recorded["value_delivered_points"].value == pytest.approx(0.204)


@pytest.mark.parametrize(
    ("kpi", "unit"),
    [
        ("Forecast accuracy %", "percent"),
        ("Orders synced automatically %", "percent"),
        ("Seats in use", "count"),
        ("Weekly active users", "count"),
        ("Open tickets", "count"),
        ("Hours spent per month", "value"),
        (None, "value"),
    ],
)
def test_kpi_unit_reads_the_name(kpi, unit):
    assert kpi_unit(kpi) == unit


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_a_count_kpi_prints_whole(locale):
    words = Words(locale, "USD")
    assert words.value(51.1, "Seats in use") == "51"
    assert words.value(197.3, "Weekly active users") == "197"
    assert words.value(11.7, "Hours spent per month") == ("11.7" if locale == "en" else "11,7")
    assert words.value(3001, "Seats in use") == ("3,001" if locale == "en" else f"3{NBSP}001")


def _stub(locale: str, **facts) -> SimpleNamespace:
    words = Words(locale, "USD")
    return SimpleNamespace(
        words=words,
        p=words.p,
        facts=SimpleNamespace(**facts),
        figure=lambda where, figure_id, value, shown, **kw: shown,
    )


@pytest.mark.parametrize(
    ("locale", "met", "total", "expected"),
    [
        ("en", 0, 1, "The one goal due this quarter was not met."),
        ("en", 1, 1, "The one goal due this quarter was met."),
        ("en", 1, 3, "1 of 3 goals due this quarter were met."),
        ("en", 0, 2, "None of the 2 goals due this quarter were met."),
        ("en", 2, 2, "All 2 goals due this quarter were met."),
        ("sv", 0, 1, "Det enda målet som förföll i kvartalet uppnåddes inte."),
        ("sv", 2, 2, "Alla 2 mål som förföll i kvartalet uppnåddes."),
        ("sv", 1, 3, "1 av 3 mål som förföll i kvartalet uppnåddes."),
        ("de", 0, 1, "Das in diesem Quartal fällige Ziel wurde nicht erreicht."),
        ("de", 2, 2, "Alle 2 in diesem Quartal fälligen Ziele wurden erreicht."),
        ("de", 1, 3, "1 von 3 in diesem Quartal fälligen Zielen erreicht."),
    ],
)
def test_goals_sentence_reads_by_count(locale, met, total, expected):
    deck = _stub(locale, goals_met=met, goals=[object()] * total)
    assert goals_sentence(deck, "x") == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("locale", "tickets", "p0", "expected"),
    [
        ("en", 1, 1, "1 support ticket this quarter, a P0."),
        ("en", 1, 0, "1 support ticket this quarter, not a P0."),
        ("en", 7, 0, "7 support tickets this quarter, none of them P0."),
        ("en", 3002, 2, "3,002 support tickets this quarter, 2 of them P0."),
        ("sv", 1, 0, "1 supportärende i kvartalet, inte P0."),
        ("sv", 3002, 1, f"3{NBSP}002 supportärenden i kvartalet, varav 1 P0."),
        ("de", 1, 1, "1 Support-Ticket in diesem Quartal, ein P0-Ticket."),
        ("de", 7, 0, "7 Support-Tickets in diesem Quartal, keines davon P0."),
        ("de", 3002, 2, "3.002 Support-Tickets in diesem Quartal, davon 2 P0."),
    ],
)
def test_tickets_sentence_reads_by_count(locale, tickets, p0, expected):
    deck = _stub(locale, ticket_stats=SimpleNamespace(tickets=tickets, p0=p0))
    assert tickets_sentence(deck, "x") == expected  # type: ignore[arg-type]


def test_a_change_without_an_earlier_period_is_left_out(decks):
    """A new account has no earlier quarter: the deck says so or leaves the change out, never "(– QoQ)"."""
    assert _found(decks, r"– (?:QoQ|vs last quarter|mot förra)") == []
