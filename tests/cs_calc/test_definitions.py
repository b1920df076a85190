"""The metric registry: one entry per figure, sound entries, and the glossaries generated from it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from cs_calc import definitions
from cs_calc.definitions import (
    ALIASES,
    METRICS,
    PERIODS,
    UNITS,
    check_registry,
    glossary_block,
    glossary_markdown,
    metric,
    metrics_of,
    replace_glossary_block,
)
from reports.documents.leadership import board_report, churn_report, cost_to_retain
from reports.documents.leadership.provenance import build_provenance, definition_of

ROOT = Path(__file__).resolve().parents[2]


def test_the_registry_has_no_problem():
    assert check_registry() == []


def test_every_compute_is_a_function_defined_in_a_cs_calc_module():
    for m in METRICS.values():
        if m.compute is None:
            assert m.computed_outside, m.id
            continue
        assert inspect.isfunction(m.compute), m.id
        module = inspect.getmodule(m.compute)
        assert module is not None and module.__name__.startswith("cs_calc."), m.id
        assert getattr(module, m.compute.__name__) is m.compute, m.id
        assert m.compute_ref == f"{module.__name__}.{m.compute.__name__}"


def test_ids_and_labels_are_unique_and_entries_complete():
    assert list(METRICS) == [m.id for m in METRICS.values()]
    labels = [m.label for m in METRICS.values()]
    assert len(labels) == len(set(labels))
    for m in METRICS.values():
        assert m.definition.strip() and m.label.strip(), m.id
        assert m.unit in UNITS and m.period in PERIODS, m.id
        assert m.documents, m.id


def test_two_definitions_get_two_ids_and_two_labels():
    pairs = [
        ("logos_lost", "logos_churned_in_period"),
        ("nrr", "nrr_12m"),
        ("grr", "grr_12m"),
        ("renewal_risk", "at_risk_accounts"),
        ("lost_mrr", "churned_mrr"),
        ("new_mrr", "weekly_new_mrr"),
        ("nps", "weekly_nps"),
        ("nps", "nps_12m"),
    ]
    for one, other in pairs:
        assert metric(one).label != metric(other).label
    assert metric("nrr_12m").period == "trailing_12_months"
    assert metric("nrr").period == "window"
    assert metric("weekly_new_mrr").period == "per_week"


def test_every_portfolio_csv_metric_is_registered(sample_run):
    for name in sorted(set(sample_run.metrics.portfolio["metric"])):
        assert name in METRICS, name
        assert "metrics_csv" in METRICS[name].documents, name


def test_every_id_the_leadership_documents_pass_is_registered():
    for ids in (board_report.METRICS, churn_report.METRICS, cost_to_retain.METRICS, ("nps",)):
        for name in ids:
            assert metric(name).id in METRICS, name


def test_unknown_id_names_close_matches():
    with pytest.raises(KeyError, match="did you mean 'logo_churn'"):
        metric("logo_churm")
    with pytest.raises(KeyError, match="unknown metric 'zzz'"):
        metric("zzz")


def test_aliases_resolve_to_their_metric():
    for old, new in ALIASES.items():
        assert metric(old) is METRICS[new]
        assert old not in METRICS


def test_metrics_of_a_document_keep_glossary_order():
    ids = [m.id for m in metrics_of("weekly_email")]
    assert "nrr_12m" in ids and "at_risk_accounts" in ids
    with pytest.raises(KeyError, match="unknown document"):
        metrics_of("memo")


def test_the_docs_glossary_is_generated_from_the_registry():
    """``docs/metrics.md`` holds only a marker; ``docs/gen_pages.py`` puts the registry's glossary there
    when the site is built, so the published glossary cannot differ from the registry."""
    page = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    generator = (ROOT / "docs" / "gen_pages.py").read_text(encoding="utf-8")
    assert page.count("<!-- generated: glossary -->") == 1
    assert '"metrics.md": ("<!-- generated: glossary -->", glossary_markdown)' in generator
    assert "| Net revenue retention (NRR)<br>`nrr` |" in glossary_markdown()


def test_glossary_lists_every_metric_with_its_function():
    text = glossary_markdown()
    for m in METRICS.values():
        assert f"`{m.id}`" in text, m.id
        if m.compute is not None:
            assert f"`{m.compute_ref}`" in text, m.id
    assert glossary_markdown() == text  # deterministic


def test_replace_glossary_block_needs_the_markers():
    with pytest.raises(ValueError, match="glossary:start"):
        replace_glossary_block("no markers here")


def _registry_words(m):
    unit = UNITS[m.unit]
    return f"{unit[0].upper()}{unit[1:]}; {PERIODS[m.period]}. {m.definition}"


def test_provenance_glossary_equals_the_registry():
    for m in METRICS.values():
        entry = definition_of(m.id)
        assert (entry.label, entry.definition, entry.text) == (
            m.display_label,
            _registry_words(m),
            m.definition,
        )
    line = definition_of("lost_logos")
    assert line.metric == "logos_churned_in_period"
    assert line.label == "Accounts cancelled"


def test_build_provenance_takes_the_documents_ids(tiny_run):
    provenance = build_provenance(tiny_run, churn_report.METRICS)
    assert [d.metric for d in provenance.definitions] == [metric(n).id for n in churn_report.METRICS]
    assert all(d.definition == _registry_words(metric(d.metric)) for d in provenance.definitions)
    with pytest.raises(KeyError):
        build_provenance(tiny_run, ("no_such_metric",))


def test_the_regenerate_command_rewrites_only_the_block(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# T\n\n<!-- glossary:start -->\nold\n<!-- glossary:end -->\n\nrest\n", encoding="utf-8"
    )
    assert definitions.main(["--update-readme", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# T\n\n<!-- glossary:start -->\n") and text.endswith(
        "<!-- glossary:end -->\n\nrest\n"
    )
    assert glossary_block(text) == glossary_markdown()
    assert "updated" in capsys.readouterr().out
