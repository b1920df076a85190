"""Chart captions of the leadership documents and the NPS digest are words, never code names."""

from __future__ import annotations

import re

import pytest

from reports.documents.leadership.board_report import build_board_report_context
from reports.documents.leadership.churn_report import build_churn_report_context
from reports.documents.leadership.cost_to_retain import build_cost_to_retain_context
from reports.documents.nps_digest.context import build_nps_digest_context

CODE_NAME = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|\((?:nps|nrr|grr|lost_mrr)\)")


def _contexts(run, locale):
    yield "board report", build_board_report_context(run, locale=locale)
    yield "churn report", build_churn_report_context(run, locale=locale)
    yield "cost to retain", build_cost_to_retain_context(run, locale=locale)
    yield "NPS digest", build_nps_digest_context(run, quarter_window=run.window, locale=locale)


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_every_caption_is_in_words(sample_run, locale):
    captions = {}
    for document, context in _contexts(sample_run, locale):
        for key, chart in context.charts.items():
            captions[f"{document}: {key}"] = chart.caption
    assert len(captions) >= 10
    code_names = {where: caption for where, caption in captions.items() if CODE_NAME.search(caption)}
    assert code_names == {}
    assert all(caption.strip() for caption in captions.values())
    if locale == "sv":
        english = {"per quarter", "of each quarter", "Logo churn rate"}
        assert not [c for c in captions.values() if any(word in c for word in english)]
