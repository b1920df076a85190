"""The board report and deck as a board member reads them (the 2026-Q3 sample, en and sv).

Each test guards a class of fault a reading found: code words in tables and notes,
a risk table cut without a follow-on slide, charts without axis titles or with an
axis that flattens the line, notes written as debug output, dates in two formats,
an unexplained AUC.
"""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from lxml import etree
from pptx import Presentation

from reports.documents.leadership.board_deck import render_board_deck
from reports.documents.leadership.board_report import build_board_report_context, render_board_report
from reports.render.formatting import format_date
from tests.reports.pdf_text import pdf_text
from tests.reports.printed_numbers import shape_texts

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
CODE_WORDS = re.compile(r"p0p1|\w_\w|\[|\]|\((?:nrr|grr|nps|lost_mrr|mrr_end)\)")
STAGE_DIRECTIONS = ("Facts, then options", "flagged: .", "n < 30 flagged")


_MADE: dict[tuple[str, int, str], object] = {}


def _once(kind: str, run, locale: str, make):
    key = (kind, id(run), locale)
    if key not in _MADE:
        _MADE[key] = make()
    return _MADE[key]


def _context(run, locale):
    return _once("context", run, locale, lambda: build_board_report_context(run, locale=locale))


def _deck(run, locale):
    context = _context(run, locale)
    return _once(
        "deck",
        run,
        locale,
        lambda: Presentation(io.BytesIO(render_board_deck(run, locale=locale, context=context))),
    )


def _pdf(run, locale):
    context = _context(run, locale)
    return _once(
        "pdf",
        run,
        locale,
        lambda: " ".join(pdf_text(render_board_report(run, locale=locale, context=context)).split()),
    )


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def _charts(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                yield slide, etree.fromstring(shape.chart.part.blob)


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_no_code_words_in_deck_text_notes_or_pdf(sample_run, locale):
    prs = _deck(sample_run, locale)
    for number, slide in enumerate(prs.slides, start=1):
        for text in [*shape_texts(slide), _notes(slide)]:
            assert not CODE_WORDS.search(text), (number, text)
    pdf = _pdf(sample_run, locale)
    main = pdf[: pdf.rfind(_context(sample_run, locale).T["definitions"])]  # the registry's glossary aside
    assert not CODE_WORDS.search(main), CODE_WORDS.search(main)


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_notes_are_written_for_the_presenter(sample_run, locale):
    for number, slide in enumerate(_deck(sample_run, locale).slides, start=1):
        notes = _notes(slide)
        assert len(notes.split()) >= 12, (number, notes)
        assert not any(d in notes for d in STAGE_DIRECTIONS), (number, notes)
        assert not re.search(r"\([a-z_]+\)", notes), (number, notes)
    if locale == "sv":
        english = ("Why it matters", "Ask the board", "The bars are", "The line is")
        notes = " ".join(_notes(s) for s in _deck(sample_run, locale).slides)
        assert not [w for w in english if w in notes]


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_risk_drivers_and_the_risk_count_read_as_sentences(sample_run, locale):
    c = _context(sample_run, locale)
    assert c.risks and all(r["drivers"] and "_" not in r["drivers"] for r in c.risks)
    count = "41"
    assert c.risk_summary.startswith(count) and c.risk_summary.rstrip().endswith(".")
    assert "·" not in c.risk_summary
    assert " ".join(c.risk_summary.split()) in _pdf(sample_run, locale)
    assert c.risk_count > len(c.risks) and f"{len(c.risks)} " in c.risk_summary  # says the list is cut


def test_the_risk_table_continues_on_a_follow_on_slide(sample_run):
    c = _context(sample_run, "en")
    many = [
        {**r, "account_id": f"{r['account_id']}-{i}", "name": f"{r['name']} {chr(65 + i)}"}
        for i in range(3)
        for r in c.risks
    ]
    prs = Presentation(io.BytesIO(render_board_deck(sample_run, context=dataclasses.replace(c, risks=many))))
    title = f"{c.T['risks']} ({c.next_period_name})"
    slides = [s for s in prs.slides if shape_texts(s) and shape_texts(s)[0].startswith(title)]
    assert len(slides) >= 2
    pages = len(slides)
    assert [shape_texts(s)[0] for s in slides] == [f"{title} ({n}/{pages})" for n in range(1, pages + 1)]
    shown = [
        cell.text
        for s in slides
        for shape in s.shapes
        if shape.has_table
        for row in list(shape.table.rows)[1:]
        for cell in list(row.cells)[:1]
    ]
    assert shown == [r["name"] for r in many]


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_deck_dates_are_formatted_like_the_pdfs(sample_run, locale):
    c = _context(sample_run, locale)
    texts = " ".join(t for s in _deck(sample_run, locale).slides for t in shape_texts(s))
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", texts)
    pdf = _pdf(sample_run, locale)
    for r in c.risks:
        date = format_date(r["renewal_date"], locale)
        assert date in texts and date in pdf, date


def test_every_chart_has_axis_titles_and_an_honest_scale(sample_run):
    charts = list(_charts(_deck(sample_run, "en")))
    assert len(charts) >= 7
    nps_title = _context(sample_run, "en").T["nps_trend"]
    seen_waterfall = seen_nps = False
    for slide, chart in charts:
        value_axes = [ax for ax in chart.iter(f"{C}valAx") if ax.find(f"{C}delete").get("val") == "0"]
        assert value_axes and all(ax.find(f"{C}title") is not None for ax in value_axes)
        waterfall = any(s.findtext(f"{C}tx//{C}v") == "Base" for s in chart.iter(f"{C}ser"))
        if waterfall:
            seen_waterfall = True
            assert value_axes[0].find(f"{C}scaling/{C}min").get("val") == "0.0"
            assert chart.find(f".//{C}legend") is None
        else:
            cat = [ax for ax in chart.iter(f"{C}catAx") if ax.find(f"{C}delete").get("val") == "0"]
            assert all(ax.find(f"{C}title") is not None for ax in cat)
        if shape_texts(slide)[0] == nps_title:
            seen_nps = True
            scaling = value_axes[0].find(f"{C}scaling")
            bounds = (float(scaling.find(f"{C}min").get("val")), float(scaling.find(f"{C}max").get("val")))
            assert bounds != (-100.0, 100.0)
            assert bounds[1] - bounds[0] <= 60
    assert seen_waterfall and seen_nps


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_waterfall_steps_name_their_amounts(sample_run, locale):
    c = _context(sample_run, locale)
    for _slide, chart in _charts(_deck(sample_run, locale)):
        if any(s.findtext(f"{C}tx//{C}v") == "Base" for s in chart.iter(f"{C}ser")):
            labels = [v.text for v in chart.find(f".//{C}cat").iter(f"{C}v")]
            assert any(c.T["new"] in label and "23" in label for label in labels), labels
            break
    else:
        pytest.fail("no waterfall")


@pytest.mark.parametrize(("locale", "share"), [("en", "89%"), ("sv", "89\u00a0%")])
def test_auc_is_explained_in_words(sample_run, locale, share):
    c = _context(sample_run, locale)
    assert share in c.auc_sentence and "AUC" in c.auc_sentence
    deck = " ".join(t for s in _deck(sample_run, locale).slides for t in shape_texts(s))
    for text in (" ".join(deck.split()), _pdf(sample_run, locale)):
        assert " ".join(c.auc_sentence.split()) in text


@pytest.mark.parametrize(
    ("locale", "months"), [("en", "July – September 2026"), ("sv", "juli–september 2026")]
)
def test_title_slide_names_the_period_in_words(sample_run, locale, months):
    first = _deck(sample_run, locale).slides[0]
    assert any(months in t for t in shape_texts(first))
    assert not any("2026-07" in t for t in shape_texts(first))


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_first_content_slide_says_each_kpi_in_a_sentence(sample_run, locale):
    c = _context(sample_run, locale)
    assert set(c.takeaways) == {"arr", "nrr", "grr", "logo", "nps", "ctr"}
    glance = " ".join(shape_texts(_deck(sample_run, locale).slides[1]))
    for sentence in c.takeaways.values():
        assert sentence.endswith(".") and sentence in glance
    for line in c.highlights + c.lowlights + c.asks:
        assert line.endswith(".") and not re.search(r"\(\S+; \S+\)|\(n = ", line), line


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_no_near_empty_slides(sample_run, locale):
    for number, slide in enumerate(_deck(sample_run, locale).slides, start=1):
        if number == 1:
            continue
        words = sum(len(t.split()) for t in shape_texts(slide))
        has_chart = any(sh.has_chart for sh in slide.shapes)
        assert has_chart or words >= 40, (number, shape_texts(slide)[:1], words)
        assert not any(t.endswith("…") for t in shape_texts(slide)), number


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_nps_quarters_with_few_responses_are_marked_on_the_axis_and_in_the_notes(locale):
    from pathlib import Path

    from reports.pipeline import prepare_run

    run = prepare_run(Path(__file__).parents[2] / "fixtures" / "leadership", quarter="2026-Q3")
    c = build_board_report_context(run, locale=locale)
    assert c.nps and all(r["low_n"] for r in c.nps)
    prs = Presentation(io.BytesIO(render_board_deck(run, locale=locale, context=c)))
    for slide, chart in _charts(prs):
        if shape_texts(slide)[0] == c.T["nps_trend"]:
            labels = [v.text for v in chart.find(f".//{C}cat").iter(f"{C}v")]
            assert all("30" in label for label in labels), labels
            assert "30" in _notes(slide)
            break
    else:
        pytest.fail("no NPS slide")
