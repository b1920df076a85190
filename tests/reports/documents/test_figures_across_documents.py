"""One figure, one value, in every document of a run: the demo on the sample and on 2,000 generated accounts.

Every document entry of the demo's ``manifest.json`` lists the figures it
prints. Across all documents of a run, one key (id, period, dimension,
group, account) has one value; each value equals ``portfolio.csv``'s where
that file has the metric; each id is a registry id; and each ``shown`` text
is in the document as its reader gets it (PDF text, slide and notes text,
the email's text part). The other way round, every number a document prints
is one of its recorded figures, or one of the few kinds of number that are
not figures (:mod:`tests.reports.printed_numbers`).
"""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cs_calc.definitions import metric
from reports.cli import cli
from reports.output.figures import conflicting_figures
from reports.resources import bundled_configs_dir
from tests.reports.pdf_text import pdf_text
from tests.reports.printed_numbers import (
    NOT_FIGURES,
    NUMBER,
    appendix_texts,
    document_text,
    run_texts,
    uncovered_numbers,
    written_texts,
)

pytestmark = pytest.mark.slow

DOCUMENTS_WITH_FIGURES = {
    "board-report",
    "churn-report",
    "cost-to-retain",
    "weekly-email",
    "qbr-pptx",
    "qbr-pdf",
    "nps-digest",
}
"""Document kinds whose every file (but data CSVs) must list its figures."""


def _demo(args: list[str]) -> Path:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return Path(args[args.index("--out") + 1])


@pytest.fixture(scope="module", params=["sample", "generated"])
def demo_out(request, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp(f"demo-{request.param}")
    if request.param == "sample":
        return _demo(["--out", str(root / "out"), "demo"])
    data = root / "data"
    result = CliRunner().invoke(cli, ["--out", str(data), "sample-data", "--accounts", "2000", "--seed", "7"])
    assert result.exit_code == 0, result.output
    return _demo(["--data", str(data), "--out", str(root / "out"), "demo"])


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        text = pdf_text(path.read_bytes())
    elif path.suffix == ".pptx":
        from pptx import Presentation

        parts = []
        for slide in Presentation(str(path)).slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    parts.append(shape.text_frame.text)
                if shape.has_table:
                    parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
            if slide.has_notes_slide:
                parts.append(slide.notes_slide.notes_text_frame.text)
        text = " ".join(parts)
    elif path.suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        text = f"{message['Subject']} {body.get_content() if body else ''}"
    else:
        text = path.read_text(encoding="utf-8")
    return " ".join(text.split())  # every kind of space (no-break ones in sv numbers too) as one


def _entries(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text())["documents"]


def test_one_key_one_value_across_every_document(demo_out):
    documents = {e["path"]: e["figures"] for e in _entries(demo_out) if e.get("figures")}
    assert documents
    assert conflicting_figures(documents) == []


def test_listed_kinds_record_figures_in_every_file(demo_out):
    for entry in _entries(demo_out):
        kind = entry["document"]
        if kind in DOCUMENTS_WITH_FIGURES and not entry["path"].endswith(".csv"):
            assert entry.get("figures"), entry["path"]


def test_each_shown_text_is_in_its_document_and_each_id_is_registered(demo_out):
    for entry in _entries(demo_out):
        figures = entry.get("figures")
        if not figures:
            continue
        text = _text(demo_out / entry["path"])
        missing = [f["shown"] for f in figures if " ".join(f["shown"].split()) not in text]
        assert not missing, (entry["path"], missing[:5])
        for figure in figures:
            assert metric(figure["id"]).id == figure["id"], (entry["path"], figure)


def test_values_equal_portfolio_csv(demo_out):
    portfolio = pd.read_csv(demo_out / "metrics" / "portfolio.csv", keep_default_na=False)
    run = json.loads((demo_out / "manifest.json").read_text())["run"]
    values = {
        (row.metric, run["period"], row.dimension, str(row.group)): float(row.value)
        for row in portfolio.itertuples()
        if row.value != ""
    }
    checked = 0
    for entry in _entries(demo_out):
        for figure in entry.get("figures") or ():
            key = (figure["id"], figure["period"], figure["dimension"], figure["group"])
            if figure.get("account_id") is None and key in values and figure["value"] is not None:
                assert figure["value"] == pytest.approx(values[key], rel=1e-9, abs=1e-9), (
                    entry["path"],
                    figure,
                )
                checked += 1
    assert checked >= 10


def test_every_number_a_document_prints_is_a_recorded_figure(demo_out):
    """The manifest accounts for every number a reader sees: each is inside a recorded ``shown`` text.

    Not figures, and so not recorded: dates, quarter and week labels, page
    numbers, chart axis ticks and the others of ``NOT_FIGURES``; the
    definitions appendix (the registry's words); the run's provenance, account
    and CSM ids and file names; the lines the CS leader writes in the weekly
    notes. Data files (CSV) are not documents and are not read.
    """
    allowed = [
        *appendix_texts(),
        *run_texts(demo_out),
        *written_texts(bundled_configs_dir() / "weekly_notes.example.yaml"),
    ]
    problems = []
    checked: dict[str, int] = {}
    for entry in _entries(demo_out):
        if entry["path"].endswith(".csv") or entry["document"].startswith("metrics:"):
            continue
        shown = [f["shown"] for f in entry.get("figures") or ()]
        text = document_text(demo_out / entry["path"])
        for number in uncovered_numbers(text, shown, allowed):
            problems.append(f"{entry['path']} ({entry['document']}): {number}")
        checked[entry["document"]] = checked.get(entry["document"], 0) + len(NUMBER.findall(text))
    # Every kind was read, and read as text with numbers in it (not an empty extraction).
    assert set(checked) >= DOCUMENTS_WITH_FIGURES | {"qbr-follow-up"}, checked
    assert all(count >= 10 for count in checked.values()), checked
    reasons = "; ".join(reason for reason, _pattern in NOT_FIGURES)
    assert not problems, (
        f"{len(problems)} printed numbers are not recorded as figures. Record each where the document "
        f"formats it (its manifest 'figures' entry, with a registry id), or, if it is no figure, teach "
        f"tests/reports/printed_numbers.py why (now: {reasons}).\n" + "\n".join(problems[:40])
    )


@pytest.mark.parametrize("command", ["churn-report", "cost-to-retain", "board-report"])
def test_swedish_leadership_documents_print_only_recorded_figures(command, tmp_path):
    """The demo writes the leadership documents in English; their Swedish versions are checked here."""
    out = _demo(["--out", str(tmp_path / "out"), command, "--locale", "sv"])
    allowed = [*appendix_texts(), *run_texts(out)]
    problems = []
    for entry in _entries(out):
        if entry["path"].endswith(".csv"):
            continue
        shown = [f["shown"] for f in entry.get("figures") or ()]
        problems += [
            f"{entry['path']}: {u}"
            for u in uncovered_numbers(document_text(out / entry["path"]), shown, allowed)
        ]
    assert _entries(out) and not problems, "\n".join(problems[:40])
