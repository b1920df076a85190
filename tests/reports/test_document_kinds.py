"""The document registry drives the CLI, the demo, job files and batch dispatch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.batch.job import JobError, parse_job
from reports.cli import cli
from reports.document_kinds import DOCUMENT_KINDS, KINDS, batch_kinds, document_kind
from reports.settings import load_settings
from tests.reports.pdf_text import pdf_text

CHURN_MARKER = "CHURN-TEMPLATE-MARKER-7781"
BASE_MARKER = "BASE-TEMPLATE-MARKER-4409"
EMAIL_MARKER = "EMAIL-TEMPLATE-MARKER-1066"


@pytest.fixture
def marker_templates(tmp_path: Path) -> Path:
    """A --templates folder: the churn report, every PDF's base layout and the email text, each marked."""
    folder = tmp_path / "templates"
    (folder / "churn").mkdir(parents=True)
    (folder / "churn" / "report.html").write_text(
        '{% extends "default:churn/report.html" %}\n'
        f"{{% block summary %}}<p>{CHURN_MARKER}</p>{{{{ super() }}}}{{% endblock %}}\n"
    )
    (folder / "base").mkdir()
    (folder / "base" / "report.html").write_text(
        '{% extends "default:base/report.html" %}\n'
        f"{{% block appendix %}}{{{{ super() }}}}<p>{BASE_MARKER}</p>{{% endblock %}}\n"
    )
    (folder / "email").mkdir()
    (folder / "email" / "weekly.txt.j2").write_text(
        f'{{% include "default:email/weekly.txt.j2" %}}\n{EMAIL_MARKER}\n'
    )
    return folder


def test_help_lists_every_registered_kind_without_importing_it() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from reports.cli import cli\n"
        "print(CliRunner().invoke(cli, ['--help']).output)\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('reports.commands.')"
        " and m != 'reports.commands.global_options' and m != 'reports.commands.run'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    help_text, loaded = out.rsplit("LOADED", 1)
    commands = help_text[help_text.index("Commands:") :]
    for kind in DOCUMENT_KINDS:
        assert f"  {kind.name} " in commands and kind.description in commands, kind.name
    assert loaded.strip() == "[]"
    assert set(cli.list_commands(None)) == {  # type: ignore[arg-type]
        *KINDS,
        *("demo", "metrics", "run", "sample-data", "validate"),
    }


def test_every_kind_loads_its_command_and_declares_its_renderers() -> None:
    for kind in DOCUMENT_KINDS:
        assert kind.load_command().name == kind.name
        assert cli.get_command(None, kind.name) is kind.load_command()  # type: ignore[arg-type]
        assert (kind.demo is not None) == kind.in_demo, kind.name
        assert kind.single is not None or kind.name == "qbr", kind.name  # QBRs render per account
    with pytest.raises(ValueError, match=r"unknown document kind 'memo' \(one of qbr, churn-report, "):
        document_kind("memo")


def test_job_validation_names_the_registry_kinds_and_options() -> None:
    settings = load_settings()
    raw = {
        "documents": [
            {"kind": "newsletter"},
            {"kind": "weekly-email", "locale": "sv"},
            {"kind": "nps-digest", "formats": ["pdf", "pptx"]},
        ]
    }
    with pytest.raises(JobError) as caught:
        parse_job(raw, Path("j.yaml"), settings)
    names = ", ".join(kind.name for kind in batch_kinds())
    weekly = ", ".join(("kind", *KINDS["weekly-email"].job_options))
    assert str(caught.value).splitlines()[1:] == [
        f"j.yaml: documents[0].kind: unknown document kind 'newsletter' (allowed: {names})",
        f"j.yaml: documents[1].locale: unknown key (allowed: {weekly})",
        "j.yaml: documents[2].formats: ['pdf', 'pptx']: give a list of pdf, csv",
    ]
    job = parse_job({"documents": ["nps-digest", "churn-report"]}, Path("j.yaml"), settings)
    assert [(d.kind, d.formats, d.folder) for d in job.documents] == [
        ("nps-digest", ("pdf",), "nps"),
        ("churn-report", (), "leadership"),
    ]


def test_templates_reach_a_batch_single(tiny_dir: Path, tmp_path: Path, marker_templates: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(f"data: {tiny_dir}\nperiod: 2026-Q3\ndocuments: [churn-report]\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["--templates", str(marker_templates), "--out", str(out), "run", str(job), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert CHURN_MARKER in pdf_text((out / "leadership" / "churn-report-2026-q3.pdf").read_bytes())
