"""Two accounts whose names slug alike never share a file, in ``qbr`` or in ``run``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from pptx import Presentation

from reports.cli import cli
from reports.output.files import unique_slugs

RENAMED = {"A1": "A/1", "A3": "A-1"}
"""Tiny-dataset ids replaced by two that slug alike; both accounts are also named 'Acme'."""


@pytest.fixture
def colliding_data(tmp_path: Path, tiny_dir: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(tiny_dir, target)
    for csv in target.glob("*.csv"):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        if "account_id" in frame:
            frame["account_id"] = frame["account_id"].replace(RENAMED)
            if csv.name == "accounts.csv":
                frame.loc[frame["account_id"].isin(RENAMED.values()), "name"] = "Acme"
            frame.to_csv(csv, index=False)
    return target


def _deck_text(path: Path) -> str:
    deck = Presentation(str(path))
    return "\n".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
    )


def test_unique_slugs_suffix_only_the_colliding_keys():
    slugs = unique_slugs(["A/1", "A-1", "B"], [("A/1", "Acme"), ("A-1", "Acme"), ("B", "Beta")])
    assert slugs[2] == "b-beta"
    assert slugs[0] != slugs[1]
    assert all(s.startswith("a-1-acme-") and len(s) == len("a-1-acme-") + 8 for s in slugs[:2])


def test_qbr_writes_one_deck_per_account_when_slugs_collide(tmp_path, colliding_data):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["--data", str(colliding_data), "--out", str(out), "qbr", "--account", "A/1", "--account", "A-1"],
    )
    assert result.exit_code == 0, result.output
    decks = sorted(out.glob("*.pptx"))
    assert len(decks) == 2, decks
    manifest = json.loads((out / "manifest.json").read_text())
    by_account = {d["account_id"]: d for d in manifest["documents"]}
    assert set(by_account) == {"A/1", "A-1"}
    assert by_account["A/1"]["path"] != by_account["A-1"]["path"]
    for entry in by_account.values():
        assert (out / entry["path"]).is_file()
    # each file holds its own account: the two accounts' MRR differs, so the decks do too
    assert _deck_text(out / by_account["A/1"]["path"]) != _deck_text(out / by_account["A-1"]["path"])


def test_file_name_does_not_depend_on_the_selection(tmp_path, colliding_data):
    alone, both = tmp_path / "alone", tmp_path / "both"
    base = ["--data", str(colliding_data)]
    CliRunner().invoke(cli, [*base, "--out", str(alone), "qbr", "--account", "A-1"], catch_exceptions=False)
    CliRunner().invoke(
        cli,
        [*base, "--out", str(both), "qbr", "--account", "A-1", "--account", "A/1"],
        catch_exceptions=False,
    )
    (single,) = json.loads((alone / "manifest.json").read_text())["documents"]
    paired = {
        d["account_id"]: d["path"] for d in json.loads((both / "manifest.json").read_text())["documents"]
    }
    assert single["path"] == paired["A-1"]


def test_batch_run_writes_both_accounts(tmp_path, colliding_data):
    job = tmp_path / "job.yaml"
    job.write_text(
        "documents:\n  - kind: qbr\n    formats: [pptx]\n    accounts:\n      ids: ['A/1', 'A-1']\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["--data", str(colliding_data), "--out", str(out), "run", str(job), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    paths = [d["path"] for d in manifest["documents"] if d.get("account_id") in RENAMED.values()]
    assert len(paths) == 2 and len(set(paths)) == 2
    assert all((out / p).is_file() for p in paths)
