"""``csreports qbr --update-from``: a deck the CSM edited, regenerated with changed data.

The CSM's edits are made with python-pptx (and once through a LibreOffice
round trip) on the 2026-Q2 deck of A-00140; the update renders 2026-Q3,
whose numbers differ, and every edit must survive while every number
csreports owns is the fresh render's.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from reports.cli import cli
from reports.render.pptx.marks import parse_mark

ACCOUNT = "A-00140"
DECK = "a-00140-aurora-retail-inc.pptx"
SOFFICE = shutil.which("soffice")


def _qbr(out: Path, quarter: str, *extra: str):
    return CliRunner().invoke(
        cli,
        ["--out", str(out), "qbr", "--account", ACCOUNT, "--quarter", quarter, *extra],
        catch_exceptions=False,
    )


def _keys(prs) -> list[str | None]:
    out = []
    for slide in prs.slides:
        marks = [parse_mark(shape.name) for shape in slide.shapes]
        out.append(next((m[1] for m in marks if m is not None), None))
    return out


def _slide(prs, key: str):
    return prs.slides[_keys(prs).index(key)]


def _shape(slide, slot: str):
    return next(s for s in slide.shapes if (parse_mark(s.name) or (s.name,))[0] == slot)


def _chart_values(slide) -> list[str]:
    chart = next(s for s in slide.shapes if s.has_chart).chart
    return re.findall(r"<c:v>([^<]*)</c:v>", chart.part.blob.decode())


def _table_cells(slide) -> list[str]:
    table = next(s for s in slide.shapes if s.has_table).table
    return [cell.text for row in table.rows for cell in row.cells]


def _png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(data, "PNG")
    data.seek(0)
    return data


def _edit(path: Path) -> None:
    """What a CSM does: a slide of their own (text box, picture) after the adoption slide, the voice of
    the customer slide deleted, the team and next steps swapped, the summary's commentary rewritten,
    speaker notes typed and a text box added on the adoption slide."""
    prs = Presentation(path)
    ids = prs.slides._sldIdLst
    own = prs.slides.add_slide(_slide(prs, "adoption").slide_layout)
    for placeholder in list(own.placeholders):
        placeholder._element.getparent().remove(placeholder._element)
    own.shapes.add_textbox(
        Inches(1), Inches(1), Inches(4), Inches(1)
    ).text_frame.text = "Project Phoenix rollout"
    own.shapes.add_picture(_png(), Inches(1), Inches(3), Inches(1), Inches(1))
    mine = ids[-1]
    ids.remove(mine)
    ids[_keys(prs).index("adoption")].addnext(mine)
    gone = ids[_keys(prs).index("voice_of_customer")]
    prs.part.drop_rel(gone.rId)
    ids.remove(gone)
    keys = _keys(prs)
    team, steps = ids[keys.index("stakeholders")], ids[keys.index("next_steps")]
    ids.remove(steps)
    team.addprevious(steps)
    _shape(
        _slide(prs, "executive_summary"), "Commentary"
    ).text_frame.text = "Our own summary: Aurora is doing great."
    adoption = _slide(prs, "adoption")
    adoption.notes_slide.notes_text_frame.text = "Ask about the Q4 rollout."
    adoption.shapes.add_textbox(Inches(1), Inches(6), Inches(3), Inches(0.5)).text_frame.text = "CSM remark"
    prs.save(path)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    """The 2026-Q2 deck edited by the CSM, and a fresh 2026-Q3 deck to compare with."""
    root = tmp_path_factory.mktemp("update")
    assert _qbr(root / "old", "2026-Q2").exit_code == 0
    assert _qbr(root / "fresh", "2026-Q3").exit_code == 0
    original = root / "original"
    shutil.copytree(root / "old", original)
    _edit(root / "old" / DECK)
    return {"root": root, "old": root / "old", "fresh": root / "fresh", "original": original}


def _check_updated(updated, fresh, original, *, notes: bool = True) -> None:
    keys = _keys(updated)
    # the CSM's slide order, their own slide after adoption, the deleted slide still gone
    assert keys[keys.index("adoption") + 1] is None
    own = updated.slides[keys.index("adoption") + 1]
    assert "Project Phoenix rollout" in [s.text_frame.text for s in own.shapes if s.has_text_frame]
    assert any(s.shape_type == 13 for s in own.shapes)  # the picture
    assert "voice_of_customer" not in keys
    assert keys.index("next_steps") < keys.index("stakeholders")
    # new in this render: goals and plan share a slide, after the summary; the old success plan slide is gone
    assert keys[keys.index("executive_summary") + 1] == "goals_review"
    assert "success_plan" not in keys
    # the CSM's text kept
    summary = _slide(updated, "executive_summary")
    assert "Our own summary: Aurora is doing great." in [
        s.text_frame.text for s in summary.shapes if s.has_text_frame
    ]
    adoption = _slide(updated, "adoption")
    assert "CSM remark" in [s.text_frame.text for s in adoption.shapes if s.has_text_frame]
    if notes:
        assert adoption.notes_slide.notes_text_frame.text == "Ask about the Q4 rollout."
    # the numbers refreshed: a KPI tile, a chart's values, a table's cells
    old_kpi = _shape(_slide(original, "executive_summary"), "KPI 2").text_frame.text
    new_kpi = _shape(_slide(fresh, "executive_summary"), "KPI 2").text_frame.text
    assert old_kpi != new_kpi
    assert _shape(summary, "KPI 2").text_frame.text == new_kpi
    assert _chart_values(_slide(original, "adoption")) != _chart_values(_slide(fresh, "adoption"))
    assert _chart_values(adoption) == _chart_values(_slide(fresh, "adoption"))
    assert _table_cells(_slide(original, "next_steps")) != _table_cells(_slide(fresh, "next_steps"))
    assert _table_cells(_slide(updated, "next_steps")) == _table_cells(_slide(fresh, "next_steps"))
    assert _slide(updated, "support").notes_slide.notes_text_frame.text == (
        _slide(fresh, "support").notes_slide.notes_text_frame.text
    )


def test_update_keeps_edits_and_refreshes_numbers(decks, tmp_path):
    out = tmp_path / "new"
    result = _qbr(out, "2026-Q3", "--update-from", str(decks["old"]))
    assert result.exit_code == 0, result.output
    assert f"kept edits: {DECK}: 2" in result.output
    assert "1 deck(s) updated, 0 new, 0 written fresh" in result.output
    updated = Presentation(out / DECK)
    _check_updated(updated, Presentation(decks["fresh"] / DECK), Presentation(decks["original"] / DECK))
    update = json.loads((out / "manifest.json").read_text())["documents"][0]["update"]
    assert update["status"] == "updated"
    assert {
        "slide": "executive_summary",
        "shape": "Commentary",
        "text": "Our own summary: Aurora is doing great.",
    } in (update["kept_edits"])
    assert {"slide": "adoption", "shape": "notes", "text": "Ask about the Q4 rollout."} in update[
        "kept_edits"
    ]
    again = tmp_path / "again"
    assert _qbr(again, "2026-Q3", "--update-from", str(decks["old"])).exit_code == 0
    assert (again / DECK).read_bytes() == (out / DECK).read_bytes()  # deterministic


def test_update_in_place_reads_the_old_deck_first(decks, tmp_path):
    folder = tmp_path / "decks"
    shutil.copytree(decks["old"], folder)
    result = _qbr(folder, "2026-Q3", "--update-from", str(folder))
    assert result.exit_code == 0, result.output
    _check_updated(
        Presentation(folder / DECK),
        Presentation(decks["fresh"] / DECK),
        Presentation(decks["original"] / DECK),
    )
    assert not list(folder.glob("*.part"))


def test_updating_an_updated_deck_keeps_the_edits_again(decks, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert _qbr(first, "2026-Q3", "--update-from", str(decks["old"])).exit_code == 0
    result = _qbr(second, "2026-Q3", "--update-from", str(first))
    assert result.exit_code == 0, result.output
    _check_updated(
        Presentation(second / DECK),
        Presentation(decks["fresh"] / DECK),
        Presentation(decks["original"] / DECK),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"PK\x03\x04 cut short", "is not a readable .pptx"), (None, "is not a deck csreports wrote")],
)
def test_a_file_not_ours_gives_one_line_and_a_fresh_deck(decks, tmp_path, content, message):
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    if content is None:
        Presentation().save(earlier / DECK)
    else:
        (earlier / DECK).write_bytes(content)
    out = tmp_path / "out"
    result = _qbr(out, "2026-Q3", "--update-from", str(earlier))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if message in line]
    assert len(lines) == 1 and str(earlier / DECK) in lines[0] and "wrote a fresh deck" in lines[0]
    assert "Traceback" not in result.output
    assert (out / DECK).read_bytes() == (decks["fresh"] / DECK).read_bytes()
    assert "0 deck(s) updated, 0 new, 1 written fresh" in result.output


def test_another_accounts_deck_under_this_accounts_name_is_never_merged(decks, tmp_path):
    """A CSM who saved Willow's edited deck under Aurora's file name gets Aurora's fresh deck: no
    slide, text or note of Willow's reaches it."""
    other = tmp_path / "other"
    result = CliRunner().invoke(
        cli,
        ["--out", str(other), "qbr", "--account", "A-00249", "--quarter", "2026-Q2"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    prs = Presentation(next(other.glob("*.pptx")))
    box = prs.slides[1].shapes.add_textbox(Inches(1), Inches(6), Inches(4), Inches(0.5))
    box.text_frame.text = "Willow Textil: their price increase"
    prs.save(earlier / DECK)
    out = tmp_path / "out"
    result = _qbr(out, "2026-Q3", "--update-from", str(earlier))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "was written for account A-00249" in line]
    assert len(lines) == 1 and "not account A-00140" in lines[0] and "wrote a fresh deck" in lines[0]
    assert (out / DECK).read_bytes() == (decks["fresh"] / DECK).read_bytes()
    assert "Willow" not in " ".join(
        s.text_frame.text
        for slide in Presentation(out / DECK).slides
        for s in slide.shapes
        if s.has_text_frame
    )


def test_a_deck_never_seen_is_written_fresh_quietly(decks, tmp_path):
    (tmp_path / "empty").mkdir()
    result = _qbr(tmp_path / "out", "2026-Q3", "--update-from", str(tmp_path / "empty"))
    assert result.exit_code == 0, result.output
    assert "0 deck(s) updated, 1 new, 0 written fresh" in result.output
    assert "wrote a fresh deck" not in result.output
    assert (tmp_path / "out" / DECK).read_bytes() == (decks["fresh"] / DECK).read_bytes()


def test_update_from_a_missing_folder_is_one_line(tmp_path):
    result = CliRunner().invoke(
        cli,
        ["--out", str(tmp_path / "o"), "qbr", "--account", ACCOUNT, "--update-from", str(tmp_path / "nope")],
    )
    assert result.exit_code != 0
    assert "no such folder" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_update_after_a_libreoffice_round_trip(decks, tmp_path):
    converted = tmp_path / "lo"
    converted.mkdir()
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--convert-to",
            "pptx:Impress MS PowerPoint 2007 XML",
            "--outdir",
            str(converted),
            str(decks["old"] / DECK),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    round_trip = Presentation(converted / DECK)
    assert not any(
        s.name.startswith("Commentary") for s in round_trip.slides[2].shapes
    )  # LibreOffice renamed it
    out = tmp_path / "out"
    result = _qbr(out, "2026-Q3", "--update-from", str(converted))
    assert result.exit_code == 0, result.output
    updated = Presentation(out / DECK)
    _check_updated(updated, Presentation(decks["fresh"] / DECK), Presentation(decks["original"] / DECK))
    update = json.loads((out / "manifest.json").read_text())["documents"][0]["update"]
    assert [e["shape"] for e in update["kept_edits"] if e["slide"] == "executive_summary"] == ["Commentary"]
