"""The Swedish leadership documents define their figures in Swedish (the 2026-Q3 sample).

A Swedish board member or CFO reads the definitions appendix of the board report, its deck,
the churn-reason report and the cost-to-retain summary in the document's language: every
metric's Swedish glossary label and definition is printed, the registry's English is not.
"""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from reports.documents.definitions import glossary_entry
from reports.documents.leadership import board_report, churn_report, cost_to_retain
from reports.documents.leadership.board_deck import render_board_deck
from reports.documents.leadership.board_report import build_board_report_context, render_board_report
from reports.documents.leadership.churn_report import render_churn_report
from reports.documents.leadership.cost_to_retain import render_cost_to_retain
from tests.reports.pdf_text import pdf_text

START = 40
"""Characters of a definition's start looked for in the document (its line wraps later)."""


def _words(text: str) -> str:
    return " ".join(text.split())


def _board_pdf(run) -> str:
    context = build_board_report_context(run, locale="sv")
    return _words(pdf_text(render_board_report(run, locale="sv", context=context)))


def _board_deck(run) -> str:
    """The text of the deck's "Definitioner (1/2)" … slides."""
    prs = Presentation(io.BytesIO(render_board_deck(run, locale="sv")))
    slides = [
        " ".join(shape.text_frame.text for shape in s.shapes if shape.has_text_frame) for s in prs.slides
    ]
    return _words(" ".join(text for text in slides if "Definitioner" in text))


DOCUMENTS = {
    "board report": (board_report.METRICS, _board_pdf),
    "board deck": (board_report.METRICS, _board_deck),
    "churn report": (
        churn_report.METRICS,
        lambda run: _words(pdf_text(render_churn_report(run, locale="sv"))),
    ),
    "cost to retain": (
        cost_to_retain.METRICS,
        lambda run: _words(pdf_text(render_cost_to_retain(run, locale="sv"))),
    ),
}


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_definition_reads_swedish(sample_run, document):
    metrics, render = DOCUMENTS[document]
    text = render(sample_run)
    problems = []
    for name in metrics:
        sv, en = glossary_entry(name, "sv"), glossary_entry(name, "en")
        if sv.text == en.text:
            problems.append(f"{name}: no Swedish definition in the catalogue")
        if _words(sv.label) not in text:
            problems.append(f"{name}: Swedish label {sv.label!r} not printed")
        if _words(sv.text)[:START] not in text:
            problems.append(f"{name}: Swedish definition {sv.text[:START]!r}… not printed")
        if _words(en.text)[:START] in text:
            problems.append(f"{name}: English definition {en.text[:START]!r}… printed")
    assert not problems, "\n".join(problems)
