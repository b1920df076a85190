"""``update_from:`` in a job file: each deck updated from the earlier one at the same relative path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pptx import Presentation

from reports.batch.job import JobError, parse_job
from reports.cli import cli
from reports.data.settings import load_settings
from reports.render.pptx.marks import parse_mark


def _job(folder: Path, period: str, update_from: str | None) -> Path:
    spec: dict = {"kind": "qbr", "accounts": {"ids": ["A-00140"]}, "output": "qbr/{slug}.{ext}"}
    if update_from is not None:
        spec["update_from"] = update_from
    path = folder / f"job-{period}.yaml"
    path.write_text(yaml.safe_dump({"out": "out", "period": period, "documents": [spec]}))
    return path


def test_update_from_must_be_an_existing_folder(tmp_path: Path) -> None:
    job = {"documents": [{"kind": "qbr", "update_from": "missing"}, {"kind": "qbr", "update_from": 3}]}
    with pytest.raises(JobError) as info:
        parse_job(job, tmp_path / "job.yaml", load_settings())
    lines = str(info.value).splitlines()[1:]
    assert lines[0].startswith(
        f"{tmp_path / 'job.yaml'}: documents[0].update_from: 'missing': no such folder"
    )
    assert lines[1].endswith("documents[1].update_from: must be a folder as text (got 3)")


def test_a_job_updates_the_decks_in_its_output_folder(tmp_path: Path) -> None:
    first = CliRunner().invoke(cli, ["run", str(_job(tmp_path, "2026-Q2", None)), "--workers", "1"])
    assert first.exit_code == 0, first.output
    deck = tmp_path / "out" / "qbr" / "a-00140-aurora-retail-inc.pptx"
    prs = Presentation(deck)
    summary = next(
        s
        for s in prs.slides
        if any((parse_mark(x.name) or ("", ""))[1] == "executive_summary" for x in s.shapes)
    )
    commentary = next(s for s in summary.shapes if s.name.startswith("Commentary"))
    commentary.text_frame.text = "Rewritten by the CSM."
    prs.save(deck)
    second = CliRunner().invoke(cli, ["run", str(_job(tmp_path, "2026-Q3", "out")), "--workers", "1"])
    assert second.exit_code == 0, second.output
    texts = [
        s.text_frame.text for slide in Presentation(deck).slides for s in slide.shapes if s.has_text_frame
    ]
    assert "Rewritten by the CSM." in texts
    assert any("2026-Q3" in t or "Q3 2026" in t for t in texts)
    entry = next(
        d for d in json.loads((tmp_path / "out" / "manifest.json").read_text())["documents"] if d.get("path")
    )
    assert entry["update"]["status"] == "updated"
    assert entry["update"]["kept_edits"] == [
        {"slide": "executive_summary", "shape": "Commentary", "text": "Rewritten by the CSM."}
    ]
