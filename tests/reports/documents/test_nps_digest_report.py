"""The NPS digest end to end: CLI, PDF text, CSV, overrides, locales, determinism.

The fixture's numbers are worked out in tests/fixtures/nps_digest/README.md.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cs_calc.periods import Window
from reports.cli import cli
from reports.documents.definitions import dimension_entry, glossary_entry
from reports.documents.nps_digest.context import (
    DIGEST_DEFINED_DIMENSIONS,
    DIGEST_DEFINED_METRICS,
    NpsDigestContext,
    Verbatim,
    build_nps_digest_context,
    resolve_segment,
)
from tests.reports.pdf_text import pdf_text

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "nps_digest"
EMAILS = (
    "kim@alpha.example",
    "kai@beta.example",
    "kit@beta.example",
    "gus@gamma.example",
    "eve@epsilon.example",
)


def run_cli(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def flat(text: str) -> str:
    """Whitespace (line breaks, no-break spaces) collapsed to one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The fixture rendered once per format and locale (and the English PDF twice)."""
    out = tmp_path_factory.mktemp("nps")
    base = ["--data", str(FIXTURE), "--out", str(out)]
    run_cli(*base, "nps-digest", "--quarter", "2026-Q3")
    (out / "nps-digest-2026-q3.pdf").rename(out / "first.pdf")
    run_cli(*base, "nps-digest", "--quarter", "2026-Q3")
    run_cli(*base, "nps-digest", "--quarter", "2026-Q3", "--locale", "sv")
    run_cli(*base, "nps-digest", "--quarter", "2026-Q3", "--format", "csv")
    return out


@pytest.fixture(scope="module")
def en_text(out) -> str:
    return flat(pdf_text((out / "nps-digest-2026-q3.pdf").read_bytes()))


@pytest.fixture(scope="module")
def sv_text(out) -> str:
    return flat(pdf_text((out / "nps-digest-2026-q3-sv.pdf").read_bytes()))


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_pdf_shows_the_hand_worked_numbers(en_text):
    assert (
        "NPS in Q3 2026 was 12.5 from 8 responses (50.0% promoters, 12.5% passives, 37.5% detractors)"
        in en_text
    )
    assert "up 12.5 points from 0.0 in Q2 2026" in en_text
    for figure in ("28.6%", "66.7%", "33.3%", "$3,350", "$3,200", "83.3%", "5 of 6 active contacts"):
        assert figure in en_text, figure
    # what moved: mix +25.0 and score -12.5 points sum to the change
    assert "+25.0" in en_text and "-12.5" in en_text and "+37.5" in en_text and "-50.0" in en_text
    for theme in ("Support", "Pricing", "Reporting", "Onboarding", "Usability"):
        assert theme in en_text


def test_low_n_warning_is_shown(en_text):
    assert "Low n: n = 8" in en_text
    assert "Fewer than 30 responses" in en_text


def test_comment_text_is_literal_and_emails_never_appear(out, en_text):
    assert "<script>alert(1)</script>" in en_text
    assert "{{ 7*7 }}" in en_text
    assert "49" not in en_text.split("{{ 7*7 }}")[0][-20:]
    assert "mail me at [email]" in en_text
    assert "boss@epsilon.example" not in en_text
    csv_text = (out / "nps-digest-2026-q3-comments.csv").read_text(encoding="utf-8")
    for email in (*EMAILS, "boss@epsilon.example"):
        assert email not in en_text and email not in csv_text, email
    for name in ("Kim One", "Eve Five"):
        assert name not in en_text and name not in csv_text


def test_verbatims_are_attributed_by_role_and_segment(en_text):
    assert "Marketing Manager · Upmarket · score 2" in en_text
    assert "VP Customer Success · Scaled · score 6" in en_text


def test_swedish_locale(sv_text):
    assert (
        "NPS för K3 2026 var 12,5 från 8 svar (50,0 % promotorer, 12,5 % passiva, 37,5 % kritiker)" in sv_text
    )
    assert "28,6 %" in sv_text and "3 350 US$" in sv_text
    assert "Vad som flyttade poängen" in sv_text and "Få svar: n = 8" in sv_text
    assert "Bra rapporter" in sv_text


def test_same_inputs_give_the_same_bytes(out):
    assert (out / "first.pdf").read_bytes() == (out / "nps-digest-2026-q3.pdf").read_bytes()


def test_csv_has_the_tagged_comments(out):
    rows = read_csv(out / "nps-digest-2026-q3-comments.csv")
    assert [r["response_id"] for r in rows] == ["R1", "R5", "R8", "R9", "R2", "R4", "R10"]
    by_id = {r["response_id"]: r for r in rows}
    assert by_id["R9"]["themes"] == "pricing;support"
    assert by_id["R9"]["category"] == "detractor" and by_id["R9"]["role"] == "Marketing Manager"
    assert by_id["R4"]["language"] == "sv" and by_id["R4"]["themes"] == "reporting"
    assert by_id["R10"]["role"] == "" and by_id["R10"]["overridden"] == "False"
    assert "contact_id" not in rows[0] and "email" not in rows[0]


def test_an_override_changes_the_themes_on_rerun(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "nps_overrides.yaml").write_text(
        "overrides:\n  R10: [documentation]\n  R9: []\n", encoding="utf-8"
    )
    run_cli(
        "--data",
        str(FIXTURE),
        "--config",
        str(config),
        "--out",
        str(tmp_path),
        "nps-digest",
        "--quarter",
        "2026-Q3",
        "--format",
        "csv",
    )
    rows = {r["response_id"]: r for r in read_csv(tmp_path / "nps-digest-2026-q3-comments.csv")}
    assert rows["R10"]["themes"] == "documentation" and rows["R10"]["overridden"] == "True"
    assert rows["R9"]["themes"] == "" and rows["R9"]["overridden"] == "True"
    assert rows["R8"]["overridden"] == "False"


def test_a_bad_override_names_the_file_and_the_theme(tmp_path):
    (tmp_path / "nps_overrides.yaml").write_text("overrides:\n  R10: [pricng]\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "--data",
            str(FIXTURE),
            "--config",
            str(tmp_path),
            "--out",
            str(tmp_path),
            "nps-digest",
            "--quarter",
            "2026-Q3",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 1
    assert "nps_overrides.yaml" in result.output and "did you mean 'pricing'?" in result.output


def test_unknown_segment_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(
        cli, ["--data", str(FIXTURE), "--out", str(tmp_path), "nps-digest", "--segment", "Enterprize"]
    )
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: unknown segment 'Enterprize' (known: Starter, Scaled, Upmarket, Strategic)"
    )
    assert resolve_segment("upmarket", ("Scaled", "Upmarket")) == "Upmarket"


def test_every_context_field_has_help():
    for cls in (NpsDigestContext, Verbatim):
        for f in dataclasses.fields(cls):
            assert f.metadata.get("help"), f"{cls.__name__}.{f.name}"


def _badges_match_shares(topic: dict) -> None:
    """NEW: at most 1 % before; GROWING: 1.5× the previous quarter's share; never both."""
    assert topic["new"] != topic["growing"], topic["label"]
    if topic["new"]:
        assert topic["share_previous"] <= 0.01 and not topic["share_baseline"] > 0.01
    assert topic["share_current"] >= 1.5 * topic["share_previous"] * (1 - 1e-9)


def test_sample_digest_names_emerging_topics_by_quoted_phrases(sample_run):
    context = build_nps_digest_context(sample_run, quarter_window=sample_run.window, locale="en")
    # The sample's SSO and invoice topics were as common in Q2 as in Q3: not emerging in Q3.
    for topic in context.emerging:
        _badges_match_shares(topic)
    spring = Window(pd.Timestamp("2026-04-01"), pd.Timestamp("2026-06-01"))
    spring_context = build_nps_digest_context(sample_run, quarter_window=spring, locale="en")
    labels = [t["label"].lower() for t in spring_context.emerging]
    assert any("sso" in label or "okta" in label or "azure" in label for label in labels), labels
    for topic in spring_context.emerging:
        _badges_match_shares(topic)
        assert 2 <= len(topic["label"].split()) <= 6
        assert topic["quotes"] and all(q.quote in topic["examples"] for q in topic["quotes"])
        # the name is a phrase the first quoted comment uses, as written (spacing aside)
        assert topic["label"] in " ".join(topic["quotes"][0].quote.split()), topic
    assert context.overall["nps"] == pytest.approx(
        float(sample_run.metrics.nps_by_quarter.loc["2026-Q3", "nps"])
    )
    assert sum(r["contribution"] for r in context.moved) == pytest.approx(context.nps_change)


def test_definitions_appendix_is_the_registrys_in_each_language(en_text, sv_text):
    """Every defined figure's label and definition is printed, in Swedish in the Swedish digest."""
    for text, locale in ((en_text, "en"), (sv_text, "sv")):
        entries = [glossary_entry(m, locale) for m in DIGEST_DEFINED_METRICS]
        entries += [dimension_entry(d, locale) for d in DIGEST_DEFINED_DIMENSIONS]
        for entry in entries:
            assert entry.label in text, entry.label
            # the definition's first words survive line breaks inside a table cell
            assert " ".join(entry.text.split()[:4]) in text, entry.text
    assert glossary_entry("mrr_at_risk", "sv").label in sv_text
    assert glossary_entry("mrr_at_risk", "sv").label not in en_text


def test_a_flagged_comment_shows_the_clause_that_carries_it(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    with (data / "nps.csv").open("a", encoding="utf-8") as handle:
        # a promoter whose comment is clearly negative, and one whose comment is only mixed
        handle.write(
            'R12,A3,K4,2026-09-20,10,"Nice people. The app crashes daily, we lost data twice, awful",en\n'
        )
        handle.write('R13,A3,K4,2026-09-21,10,"Our CSM is fantastic. The app crashes daily, awful",en\n')
    run_cli("--data", str(data), "--out", str(tmp_path), "nps-digest", "--quarter", "2026-Q3")
    text = flat(pdf_text((tmp_path / "nps-digest-2026-q3.pdf").read_bytes()))
    section = text.split("Scores that disagree with the comment (")[-1].split("Definitions")[0]
    assert section.startswith("1)")
    assert "Nice people. The app crashes daily, we lost data twice, awful" in section
    assert "Evidence: “The app crashes daily, we lost data twice, awful”" in section
    assert "Our CSM is fantastic" not in section
