"""One account with thousands of success plans and contacts still gets a deck of a few slides."""

from __future__ import annotations

import email
import email.policy
import io
import subprocess
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from pptx import Presentation

from reports.cli import cli
from reports.documents.qbr.context_types import MAX_TABLE_ROWS

ACCOUNT = "A-00140"
MANY = 3_000


def _grow(data: Path) -> None:
    plans = pd.read_csv(data / "success_plans.csv", dtype=str, keep_default_na=False)
    first = plans[plans["account_id"] == ACCOUNT].iloc[0]
    extra = pd.DataFrame([first] * MANY).reset_index(drop=True)
    extra["objective"] = [f"Objective {i}: shorten the planning cycle" for i in range(MANY)]
    later = extra.index % 2 == 1  # half were due this quarter, half are open and behind
    extra.loc[later, "due_date"] = "2027-03-31"
    extra.loc[later, "status"] = "at_risk"
    pd.concat([plans, extra]).to_csv(data / "success_plans.csv", index=False)
    contacts = pd.read_csv(data / "contacts.csv", dtype=str, keep_default_na=False)
    person = contacts[contacts["account_id"] == ACCOUNT].iloc[0]
    extra = pd.DataFrame([person] * MANY).reset_index(drop=True)
    extra["contact_id"] = [f"CX{i:05d}" for i in range(MANY)]
    extra["name"] = [f"Person {i}" for i in range(MANY)]
    extra["email"] = [f"p{i}@customer.example" for i in range(MANY)]
    pd.concat([contacts, extra]).to_csv(data / "contacts.csv", index=False)


def test_thousands_of_rows_become_two_slides_and_a_count(sample_copy, tmp_path):
    _grow(sample_copy)
    out = tmp_path / "out"
    args = ["--data", str(sample_copy), "--out", str(out), "qbr", "--account", ACCOUNT]
    args += ["--audience", "internal", "--format", "pptx,pdf", "--follow-up"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    deck = Presentation(io.BytesIO(next(out.glob("*.pptx")).read_bytes()))
    assert len(deck.slides) <= 16
    rows = [
        [cell.text for cell in row.cells]
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in list(shape.table.rows)[1:]
    ]
    assert sum(r[0].startswith("Objective ") for r in rows) < 2 * MAX_TABLE_ROWS
    assert any(r[0].startswith("… and 2,9") and r[0].endswith(" more") for r in rows)
    assert sum(r[0].startswith("Person ") for r in rows) < MAX_TABLE_ROWS
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    assert len(notes) < 20_000
    pages = subprocess.run(["pdfinfo", str(next(out.glob("*.pdf")))], capture_output=True, text=True).stdout
    assert int(pages.split("Pages:")[1].split()[0]) <= 4
    message = email.message_from_bytes(next(out.glob("*.eml")).read_bytes(), policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    assert text.count("Objective ") <= MAX_TABLE_ROWS
    assert "more in the success plan" in text
    assert "champion" not in text.lower()  # the draft is the customer's, even beside an internal deck
