"""Every number the weekly email prints is a recorded figure: registry id, one value per key, printed as recorded.

Hand-checked week: the tiny fixture's 2026-W36 (Mon 2026-08-31 .. Sun 2026-09-06);
its Sunday is in September, so its MRR month is 2026-09 and the week before
(W35, Aug 24..30) uses 2026-08.

- MRR 2026-09 = A1 150 + A2 1,500 + A3 300 + A5 3,200 = 5,150 (A4 stopped in July);
  ARR = 61,800. MRR 2026-08 = 120 + 1,500 + 300 = 1,920 (A5 paid nothing in August).
  ARR change = (5,150 - 1,920) × 12 = 38,760; relative change 3,230 / 1,920.
- Movements of 2026-09 (dated 09-01, inside W36): expansion A1 +30, reactivation
  A5 +3,200 (it paid before); net +3,230.
- Renewals due within 105 days after 09-06 (to 12-20): A2 (11-15, 1,500 MRR);
  A4 renews 12-01 but pays nothing in September; A5 renews 2027-01-01, 117 days out.
- NPS responses in W36: R4 (09-01, score 9): 1 response, NPS 100.
- NRR and GRR over 2025-10..2026-09 open in 2025-09, before the data: empty.
"""

from __future__ import annotations

import email
import email.policy
import html
import json
import math

import pytest
from click.testing import CliRunner

from cs_calc.definitions import METRICS, metric
from cs_calc.weekly import IsoWeek
from reports.cli import cli
from reports.cli.commands.weekly_email import email_figures
from reports.documents.email.context import build_weekly_context, load_notes
from reports.documents.email.render import render_email
from reports.errors import CsReportsError
from reports.output.figures import conflicting_figures
from reports.pipeline import PeriodError, RunContext, prepare_run
from reports.resources import bundled_configs_dir

WEEK = IsoWeek.parse("2026-W43")
TINY_WEEK = IsoWeek.parse("2026-W36")
NOTES = bundled_configs_dir() / "weekly_notes.example.yaml"


def _flat(text: str) -> str:
    """Whitespace collapsed, so a figure the text version wraps across lines still reads as printed."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def tiny_week_run(tiny_dir) -> RunContext:  # type: ignore[no-untyped-def]
    return prepare_run(tiny_dir, quarter="2026-Q3")


@pytest.fixture(scope="module", params=["sample", "tiny"])
def emailed(request, sample_run, tiny_week_run):  # type: ignore[no-untyped-def]
    """(context, rendered) of the sample's W43 with the example notes, and of the tiny fixture's W36."""
    if request.param == "sample":
        context = build_weekly_context(sample_run, WEEK, notes=load_notes(NOTES, WEEK))
    else:
        context = build_weekly_context(tiny_week_run, TINY_WEEK)
    return context, render_email(context)


@pytest.fixture(scope="module")
def tiny_context(tiny_week_run):  # type: ignore[no-untyped-def]
    return build_weekly_context(tiny_week_run, TINY_WEEK)


def _values(figures) -> dict:  # type: ignore[no-untyped-def]
    return {f.key: f.value for f in figures}


def test_every_id_is_a_canonical_registry_id_of_the_email(emailed) -> None:  # type: ignore[no-untyped-def]
    context, _ = emailed
    assert len(context.figures) > 40 and context.subject_figures
    for figure in (*context.figures, *context.subject_figures):
        assert figure.id in METRICS, figure  # the id itself, not an alias
        entry = metric(figure.id)
        assert "weekly_email" in entry.documents, figure
        assert figure.dimension in entry.dimensions, figure
        # Per account: the account itself, or one of its alerts.
        assert (figure.account_id is not None) == (figure.dimension in ("account", "signal")), figure


def test_one_key_one_value_in_the_body_and_the_subject(emailed) -> None:  # type: ignore[no-untyped-def]
    context, _ = emailed
    body = [f.as_record() for f in context.figures]
    subject = [f.as_record() for f in context.subject_figures]
    assert conflicting_figures({"body": body, "subject": subject}) == []
    # Every figure of the subject is in the body too, so the two are compared, not only recorded.
    assert {f.key for f in context.subject_figures} <= {f.key for f in context.figures}


def test_every_figure_is_printed_in_the_text_and_the_html_part(emailed) -> None:  # type: ignore[no-untyped-def]
    context, rendered = emailed
    text, page = _flat(rendered.text), _flat(html.unescape(rendered.html))
    missing_text = [f for f in context.figures if _flat(f.shown) not in text]
    missing_html = [f for f in context.figures if _flat(f.shown) not in page]
    assert not missing_text, missing_text[:5]
    assert not missing_html, missing_html[:5]
    subject = _flat(context.subject)
    assert all(_flat(f.shown) in subject for f in context.subject_figures)


def test_the_kpi_tables_and_headline_are_recorded(emailed) -> None:  # type: ignore[no-untyped-def]
    context, _ = emailed
    ids = {f.id for f in context.figures}
    for figure_id in (
        "weekly_arr",
        "weekly_arr_change",
        "weekly_mrr",
        "weekly_p0_tickets",
        "weekly_tickets",
        "nrr_12m",
        "grr_12m",
        "at_risk_accounts",
        "at_risk_mrr",
        "at_risk_mrr_share",
        "renewals_due",
        "renewals_due_mrr",
        "month_mrr_movements",
        "health_score",
    ):
        assert figure_id in ids, figure_id
    shown_rows = {row.value_text for section in context.sections for row in section.rows}
    assert shown_rows <= {f.shown for f in context.figures}
    accounts = {f.account_id for f in context.figures if f.account_id}
    listed = {row.account_id for row in (*context.at_risk_rows, *context.renewal_rows)}
    assert accounts == listed


def test_tiny_week_values_are_the_hand_checked_ones(tiny_context, tiny_week_run) -> None:  # type: ignore[no-untyped-def]
    values = _values(tiny_context.figures)
    week, t12, as_of = "2026-W36", "2025-10..2026-09", "2026-09-06"
    assert values[("weekly_mrr", week, "all", "all", None)] == 5150
    assert values[("weekly_arr", week, "all", "all", None)] == 61_800
    assert values[("weekly_arr_change", week, "all", "all", None)] == 38_760
    assert values[("weekly_arr_change_pct", week, "all", "all", None)] == pytest.approx(3230 / 1920)
    assert values[("weekly_mrr_change", week, "all", "all", None)] == 3230
    movements = {
        group: values[("month_mrr_movements", week, "movement", group, None)]
        for group in ("new", "expansion", "reactivation", "contraction", "churn", "net")
    }
    assert movements == {
        "new": 0,
        "expansion": 30,
        "reactivation": 3200,
        "contraction": 0,
        "churn": 0,
        "net": 3230,
    }
    assert values[("weekly_expansion_mrr", week, "all", "all", None)] == 30
    assert values[("renewals_due", as_of, "all", "all", None)] == 1
    assert values[("renewals_due_mrr", as_of, "all", "all", None)] == 1500
    assert values[("weekly_mrr", week, "account", "A2", "A2")] == 1500
    assert values[("weekly_nps_responses", week, "all", "all", None)] == 1
    assert values[("weekly_nps", week, "all", "all", None)] == 100
    assert math.isnan(values[("nrr_12m", t12, "all", "all", None)])
    at_risk_mrr = values[("at_risk_mrr", as_of, "all", "all", None)]
    assert values[("at_risk_mrr_share", as_of, "all", "all", None)] == pytest.approx(at_risk_mrr / 5150)
    health = tiny_week_run.weekly_metrics(TINY_WEEK).health
    band = health.loc["A2", "health_band"]
    assert values[("renewals_due", as_of, "band", band, None)] == 1
    assert values[("health_score", "2026-09-30", "account", "A2", "A2")] == health.loc["A2", "health_score"]
    shown = {(f.id, f.group): f.shown for f in tiny_context.figures}
    assert shown[("weekly_arr", "all")] == "$61.8K"
    assert shown[("weekly_arr_change", "all")] == "up $38,760"
    assert shown[("weekly_mrr", "A2")] == "$1,500"


def test_the_run_computes_a_week_once(sample_run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import reports.pipeline as pipeline

    calls = []
    real = pipeline.compute_weekly_kpis
    monkeypatch.setattr(pipeline, "compute_weekly_kpis", lambda *a, **k: calls.append(a) or real(*a, **k))
    run = RunContext(sample_run.dataset, sample_run.settings, sample_run.metrics)
    first = build_weekly_context(run, WEEK)
    second = build_weekly_context(run, WEEK)
    assert len(calls) == 1
    assert first.kpis is second.kpis
    assert first.figures == second.figures


def test_a_week_outside_the_data_names_the_last_week(sample_run) -> None:  # type: ignore[no-untyped-def]
    message = (
        "no data for week 2026-W47: the data ends 2026-10-31; "
        "the last complete week with data is 2026-W43 (try --week 2026-W43)"
    )
    with pytest.raises(PeriodError) as raised:
        sample_run.weekly(IsoWeek.parse("2026-W47"))
    assert str(raised.value) == message and isinstance(raised.value, CsReportsError)
    with pytest.raises(PeriodError, match="try --week 2026-W43"):
        RunContext.for_week(sample_run.dataset, sample_run.settings, IsoWeek.parse("2026-W47"))


@pytest.fixture(scope="module")
def command_eml(tmp_path_factory):  # type: ignore[no-untyped-def]
    """``csreports weekly-email --week 2026-W43 --eml DIR``, run for real: (DIR, manifest)."""
    folder = tmp_path_factory.mktemp("eml")
    result = CliRunner().invoke(cli, ["weekly-email", "--week", WEEK.label, "--eml", str(folder)])
    assert result.exit_code == 0, result.output
    return folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_the_command_manifest_lists_the_figures(command_eml, sample_run) -> None:  # type: ignore[no-untyped-def]
    folder, manifest = command_eml
    (entry,) = manifest["documents"]
    assert entry["path"] == "weekly-2026-w43.eml" and entry["status"] == "ok"
    context = build_weekly_context(sample_run, WEEK)
    assert entry["figures"] == json.loads(json.dumps(email_figures(context)))
    # A key is listed once per way it is printed ("no change" in the body, "±0" in the subject), with one value.
    printed = [
        (r["id"], r["period"], r["dimension"], r["group"], r.get("account_id"), r["shown"])
        for r in entry["figures"]
    ]
    assert len(printed) == len(set(printed))
    assert conflicting_figures({"email": entry["figures"]}) == []
    message = email.message_from_bytes((folder / entry["path"]).read_bytes(), policy=email.policy.default)
    text = _flat(message.get_body(("plain",)).get_content())
    body = {(*f.key, f.shown) for f in context.figures}
    for record, key in zip(entry["figures"], printed, strict=True):
        if key in body:
            assert _flat(record["shown"]) in text, record
    subject = str(message["Subject"])
    assert all(f.shown in subject for f in context.subject_figures)


def test_the_demo_email_equals_the_command_email(command_eml, sample_run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from reports.documents.kinds import KINDS
    from reports.output.manifest import Manifest

    _folder, command = command_eml
    manifest = Manifest(tmp_path)
    assert sample_run.window.label == "2026-Q3"  # the demo's run has the quarter's window, not the week's
    KINDS["weekly-email"].render_demo(sample_run, tmp_path, manifest)
    assert not manifest.failed
    demo = {entry.path: entry.figures for entry in manifest.entries}
    assert set(demo) == {f"email/weekly-2026-w43.{suffix}" for suffix in ("eml", "html", "txt")}
    figures = command["documents"][0]["figures"]
    body = json.loads(json.dumps(email_figures(build_weekly_context(sample_run, WEEK), subject=False)))
    for path, records in demo.items():  # the HTML and text files have no subject line
        assert json.loads(json.dumps(records)) == (figures if path.endswith(".eml") else body), path
