"""A user's template folder can never read a file outside itself, whatever links it holds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.render.template_files import (
    ConfinedFileSystemLoader,
    TemplateOutsideFolder,
    find_template_file,
)

CANARY = "CANARY-7f3a-secret-line"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every template folder, standing in for /etc/passwd."""
    path = tmp_path / "elsewhere" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"root:x:0:0:{CANARY}\n")
    return path


def _all_output_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_loader_refuses_a_symlink_out_of_the_folder(tmp_path, secret):
    folder = tmp_path / "templates"
    folder.mkdir()
    os.symlink(secret, folder / "leak.txt")
    (folder / "page.html").write_text('{% include "leak.txt" %}')
    env = jinja2.Environment(loader=ConfinedFileSystemLoader([str(folder)]))
    with pytest.raises(TemplateOutsideFolder, match=r"'leak.txt' in .* resolves to a file outside"):
        env.get_template("page.html").render()


def test_loader_refuses_a_symlinked_subfolder_out_of_the_folder(tmp_path, secret):
    folder = tmp_path / "templates"
    folder.mkdir()
    os.symlink(secret.parent, folder / "partials")
    env = jinja2.Environment(loader=ConfinedFileSystemLoader([str(folder)]))
    with pytest.raises(TemplateOutsideFolder):
        env.get_template("partials/secret.txt")


def test_loader_follows_a_symlink_that_stays_inside(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "real.html").write_text("hello {{ name }}")
    os.symlink(folder / "real.html", folder / "alias.html")
    env = jinja2.Environment(loader=ConfinedFileSystemLoader([str(folder)]))
    assert env.get_template("alias.html").render(name="there") == "hello there"


def test_loader_refuses_a_symlink_that_was_swapped_after_loading(tmp_path, secret):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "real.html").write_text("fine")
    os.symlink(folder / "real.html", folder / "page.html")
    env = jinja2.Environment(loader=ConfinedFileSystemLoader([str(folder)]), auto_reload=True)
    assert env.get_template("page.html").render() == "fine"
    (folder / "page.html").unlink()
    os.symlink(secret, folder / "page.html")
    with pytest.raises(TemplateOutsideFolder):
        env.get_template("page.html").render()


def test_pptx_master_symlinked_out_of_the_folder_is_refused(tmp_path, secret):
    folder = tmp_path / "templates" / "qbr"
    folder.mkdir(parents=True)
    os.symlink(secret, folder / "qbr.pptx")
    with pytest.raises(TemplateOutsideFolder, match=r"qbr/qbr\.pptx"):
        find_template_file(["qbr/qbr.pptx"], [tmp_path / "templates"])


def _leaky_templates(tmp_path: Path, secret: Path, name: str) -> Path:
    folder = tmp_path / "templates"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(secret, folder / "leak.txt")
    (folder / name).write_text('{% include "leak.txt" %}')
    return folder


def test_churn_report_with_a_leaking_include_fails_and_writes_no_pdf(tmp_path, secret, tiny_dir):
    templates = _leaky_templates(tmp_path, secret, "churn/report.html")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["--data", str(tiny_dir), "--templates", str(templates), "--out", str(out), "churn-report"],
    )
    assert result.exit_code in (1, 3), result.output
    assert "leak.txt" in result.output and "outside" in result.output
    assert not list(out.rglob("*.pdf"))
    assert CANARY.encode() not in _all_output_bytes(out)
    if (out / "manifest.json").exists():
        manifest = json.loads((out / "manifest.json").read_text())
        assert [d["status"] for d in manifest["documents"]] == ["failed"]


def test_weekly_email_with_a_leaking_include_fails_and_writes_nothing(tmp_path, secret):
    templates = _leaky_templates(tmp_path, secret, "email/weekly.html.j2")
    out = tmp_path / "out"
    eml = tmp_path / "eml"
    result = CliRunner().invoke(
        cli,
        [
            "--templates",
            str(templates),
            "--out",
            str(out),
            "weekly-email",
            "--week",
            "2026-W43",
            "--eml",
            str(eml),
        ],
    )
    assert result.exit_code != 0, result.output
    assert "leak.txt" in result.output and "outside" in result.output
    assert CANARY not in result.output
    for folder in (out, eml):
        if folder.exists():
            assert CANARY.encode() not in _all_output_bytes(folder)
            assert not list(folder.rglob("*.eml"))


def test_qbr_with_a_master_symlinked_outside_fails(tmp_path, secret, tiny_dir):
    folder = tmp_path / "templates" / "qbr"
    folder.mkdir(parents=True)
    os.symlink(secret, folder / "qbr.pptx")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "--data",
            str(tiny_dir),
            "--templates",
            str(tmp_path / "templates"),
            "--out",
            str(out),
            "qbr",
            "--account",
            "A1",
        ],
    )
    assert result.exit_code != 0, result.output
    assert not list(out.rglob("*.pptx"))
    # the master is checked before any account: one line, and no run to record
    assert "outside" in result.output and "Traceback" not in result.output
    assert not (out / "manifest.json").exists()
