"""``csreports template check``: a usable master is described, anything else is one line per problem."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from reports.cli import cli
from reports.render.pptx import template_check
from reports.render.pptx.template_check import OLE_SIGNATURE, check_template, read_presentation, theme_fonts

ROOT = Path(__file__).resolve().parents[3]
QBR = ROOT / "templates" / "qbr" / "qbr.pptx"


def _run(*args: str):
    return CliRunner().invoke(cli, ["template", "check", *args], catch_exceptions=False)


@pytest.fixture
def fonts(monkeypatch):
    """fontconfig knows Carlito but not Calibri, whatever this machine has."""
    monkeypatch.setattr(template_check, "installed_families", lambda: frozenset({"carlito", "dejavu sans"}))


def test_bundled_master(fonts):
    result = _run(str(QBR))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Slide size: 16:9, 13.33 x 7.50 in (12191695 x 6858000 EMU); 1 slide master" in lines
    assert "  chart        'Chart' (named 'Chart')" in lines
    assert "               content 457200, 1234440, 11277295, 4983480" in lines
    assert "Inferred from placeholders: none (every layout is named)" in lines
    assert "Missing: blank (optional)" in lines
    assert "Theme fonts:" in lines
    assert "  headings Calibri: not installed; text is measured with " in result.output
    assert "  body     Calibri: not installed; text is measured with " in result.output


def test_default_template_with_german_names_and_a_potx(tmp_path, fonts):
    prs = Presentation()
    for layout in prs.slide_layouts:
        if layout.name == "Title Slide":
            layout._element.cSld.set("name", "Titelfolie")
        if layout.name == "Title and Content":
            layout._element.cSld.set("name", "Titel und Inhalt")
    pptx = tmp_path / "corporate.pptx"
    prs.save(str(pptx))
    potx = tmp_path / "corporate.potx"
    with zipfile.ZipFile(pptx) as src, zipfile.ZipFile(potx, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            dst.writestr(info, data)
    for path in (pptx, potx):
        result = _run(str(path))
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert "Slide size: 4:3, 10.00 x 7.50 in (9144000 x 6858000 EMU); 1 slide master" in lines
        assert "  title        'Titelfolie' (inferred: has centred title + subtitle)" in lines
        assert "  content      'Titel und Inhalt' (inferred: has title + content)" in lines
        assert "Inferred from placeholders: title, section, content, chart, table, kpi" in lines
        assert "Missing: none" in lines


def test_corrupt_zip(tmp_path):
    data = QBR.read_bytes()
    path = tmp_path / "cut.pptx"
    path.write_bytes(data[: len(data) // 2])
    result = _run(str(path))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {path}: it is a damaged zip package (cut short or corrupt); copy or export it again"
    )


def test_zip_with_a_damaged_member(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    path = tmp_path / "empty.pptx"
    path.write_bytes(out.getvalue())
    result = _run(str(path))
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "python-pptx cannot open it as a presentation" in result.output


def test_text_file_renamed_pptx(tmp_path):
    path = tmp_path / "notes.pptx"
    path.write_text("Quarterly review, to do\n", encoding="utf-8")
    result = _run(str(path))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {path}: it is not a .pptx or .potx (not a zip package)"


def test_encrypted_ole_file(tmp_path):
    path = tmp_path / "protected.pptx"
    path.write_bytes(OLE_SIGNATURE + bytes(504))
    result = _run(str(path))
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Error: {path}: it is an OLE compound file, not a .pptx: a password-protected")


def test_master_without_required_layouts(tmp_path):
    prs = Presentation()
    layouts = prs.slide_masters[0].slide_layouts
    for layout in list(layouts):
        if layout.name not in {"Blank", "Title Only"}:
            layouts.remove(layout)
    path = tmp_path / "thin.pptx"
    prs.save(str(path))
    report = check_template(path)
    assert [p.split(": ")[1] for p in report.problems] == [
        "no layout for title slides (title slide)",
        "no layout for content slides (title and content (agenda, bullets))",
        "no layout for two_content slides (two contents side by side)",
        "no layout for chart slides (title and chart)",
        "no layout for table slides (title and table)",
        "no layout for kpi slides (KPI tiles)",
    ]
    result = _run(str(path))
    assert result.exit_code == 1
    assert "  title_only   'Title Only' (named 'Title Only')" in result.output


def test_theme_fonts_and_their_substitutes(monkeypatch):
    prs = read_presentation(QBR.read_bytes())
    assert theme_fonts(prs) == {"major": "Calibri", "minor": "Calibri"}
    monkeypatch.setattr(template_check, "installed_families", lambda: frozenset({"calibri"}))
    assert template_check.font_status("major", "Calibri").installed is True
    monkeypatch.setattr(template_check, "installed_families", lambda: None)
    assert template_check.font_status("minor", "Calibri").installed is None


def test_package_without_a_slide_master(tmp_path):
    prs = Presentation()
    id_list = prs.part._element.sldMasterIdLst
    for master_id in list(id_list):
        id_list.remove(master_id)
    path = tmp_path / "masterless.pptx"
    prs.save(str(path))
    result = _run(str(path))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {path}: has no slide master, so no layouts to build slides from"
    )


def _thin_master(folder: Path) -> Path:
    """A templates folder whose QBR master has only blank and title-only layouts."""
    prs = Presentation()
    layouts = prs.slide_masters[0].slide_layouts
    for layout in list(layouts):
        if layout.name not in {"Blank", "Title Only"}:
            layouts.remove(layout)
    path = folder / "templates" / "qbr" / "qbr.pptx"
    path.parent.mkdir(parents=True)
    prs.save(str(path))
    return path


def test_a_qbr_run_on_an_unusable_master_stops_before_any_deck(tmp_path):
    master = _thin_master(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["qbr", "--segment", "Strategic", "--templates", str(tmp_path / "templates"), "--out", str(out)]
    )
    assert result.exit_code != 0
    lines = [line.removeprefix("Error: ") for line in result.output.strip().splitlines()]
    assert len(lines) == 6 and all(line.startswith(f"{master}: no layout for ") for line in lines)
    assert not out.exists() or not any(out.iterdir())  # not one deck, not even a manifest of failures


def test_a_job_on_an_unusable_master_stops_at_planning(tmp_path):
    master = _thin_master(tmp_path)
    job = tmp_path / "job.yaml"
    job.write_text("documents:\n  - kind: qbr\n    accounts:\n      segment: [Strategic]\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["--templates", str(tmp_path / "templates"), "run", str(job), "--out", str(out)]
    )
    assert result.exit_code != 0
    assert f"{master}: no layout for kpi slides (KPI tiles)" in result.output
    assert not list(out.rglob("*.pptx"))
