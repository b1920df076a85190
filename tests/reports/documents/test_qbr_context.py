from __future__ import annotations

import dataclasses
import io
import pickle

import pytest
from pptx import Presentation

from cs_calc.definitions import METRICS
from reports.documents.definitions import summary_line
from reports.documents.qbr.config import QbrConfig, qbr_config_from_mapping
from reports.documents.qbr.context import QbrContext, account_data, build_qbr_context
from reports.documents.qbr.render_pptx import render_qbr_pptx
from reports.documents.qbr.slides_appendix import CUSTOMER_DEFINED_METRICS, INTERNAL_DEFINED_METRICS
from reports.errors import ConfigError
from reports.resources import bundled_templates_dir

STRATEGIC = "A-00140"


@pytest.fixture(scope="module")
def data(sample_run):
    return account_data(sample_run, STRATEGIC)


def test_every_context_field_has_help():
    missing = [f.name for f in dataclasses.fields(QbrContext) if not f.metadata.get("help")]
    assert missing == []


def test_account_data_holds_only_that_account_and_pickles(data):
    assert data.account_id == STRATEGIC
    for name, frame in data.tables.items():
        assert set(frame["account_id"]) <= {STRATEGIC}, name
    assert set(data.signals["account_id"]) <= {STRATEGIC}
    assert set(data.comment_tags) <= set(data.tables["nps"]["response_id"])
    assert set(data.theme_labels) == {t for tags in data.comment_tags.values() for t in tags.themes}
    restored = pickle.loads(pickle.dumps(data))
    assert restored.account_id == STRATEGIC
    assert len(pickle.dumps(data)) < 200_000


def test_high_touch_deck_for_strategic(data):
    ctx = build_qbr_context(data, audience="customer", locale="en", config=QbrConfig())
    keys = [s.key for s in ctx.slides]
    assert ctx.deck_kind == "high_touch"
    assert keys[:3] == ["title", "agenda", "executive_summary"]
    assert "risks_opportunities" not in keys
    assert keys[-1] == "appendix"
    assert all(s.notes for s in ctx.slides)


def test_internal_adds_health_and_risks(data):
    ctx = build_qbr_context(data, audience="internal", locale="en", config=QbrConfig())
    assert ctx.kpis[0].label == "Health score"
    assert ctx.slide("risks_opportunities") is not None


def test_customer_context_has_no_health(data):
    ctx = build_qbr_context(data, audience="customer", locale="en", config=QbrConfig())
    text = repr(ctx).lower()
    assert "health" not in text
    assert ctx.upsell == ()


def test_notes_narrate_numbers_in_swedish(data):
    ctx = build_qbr_context(data, audience="customer", locale="sv", config=QbrConfig())
    adoption = ctx.slide("adoption")
    assert adoption.notes.startswith("Aktiva användare ")
    assert "K3 2026" in ctx.quarter


def test_digital_deck_has_four_to_six_slides(sample_run):
    ctx = build_qbr_context(account_data(sample_run, "A-00001"), audience="customer", config=QbrConfig())
    assert ctx.deck_kind == "digital"
    assert 4 <= len(ctx.slides) <= 6


def test_bad_audience_is_refused(data):
    with pytest.raises(ValueError, match="audience 'boss'"):
        build_qbr_context(data, audience="boss", config=QbrConfig())


def test_config_rejects_unknown_keys_and_slides():
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        qbr_config_from_mapping({"colour": 1})
    with pytest.raises(ConfigError, match="unknown slide 'pie'"):
        qbr_config_from_mapping({"decks": {"digital": ["title", "pie"]}})
    with pytest.raises(ConfigError, match="not a deck kind"):
        qbr_config_from_mapping({"deck_by_segment": {"Scaled": "tiny"}})
    with pytest.raises(ConfigError, match="unknown key 'nope'"):
        qbr_config_from_mapping({"thresholds": {"nope": 1}})
    assert qbr_config_from_mapping({}).deck_kind("Upmarket") == "high_touch"


@pytest.mark.parametrize("locale", ["en", "sv"])
def test_appendix_defines_the_figures_in_the_registrys_words(data, locale):
    """The appendix prints each figure's reader's summary from the registry, translated for sv."""
    for audience, defined in (
        ("customer", CUSTOMER_DEFINED_METRICS),
        ("internal", CUSTOMER_DEFINED_METRICS + INTERNAL_DEFINED_METRICS),
    ):
        ctx = build_qbr_context(data, audience=audience, locale=locale, config=QbrConfig())
        bullets = list(ctx.slide("appendix").bullets)
        assert bullets == [summary_line(metric_id, locale) for metric_id in defined]
        english = [METRICS[metric_id].summary for metric_id in defined]
        if locale == "en":
            assert bullets == english
        else:
            assert not set(bullets) & set(english)
        pptx = Presentation(io.BytesIO(render_qbr_pptx(ctx, bundled_templates_dir() / "qbr" / "qbr.pptx")))
        shown = " ".join(shape.text_frame.text for shape in pptx.slides[-1].shapes if shape.has_text_frame)
        assert all(bullet in shown for bullet in bullets)
