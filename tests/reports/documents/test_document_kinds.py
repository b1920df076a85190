"""The document registry drives the CLI, the demo, job files and batch dispatch; global options
reach every document, before or after the command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.batch.job import JobError, parse_job
from reports.cli import cli
from reports.data.settings import load_settings
from reports.documents.kinds import DOCUMENT_KINDS, KINDS, batch_kinds, demo_kinds, document_kind
from reports.resources import bundled_configs_dir
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
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('reports.cli.commands.')"
        " and m != 'reports.cli.commands.global_options' and m != 'reports.cli.commands.run'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    help_text, loaded = out.rsplit("LOADED", 1)
    commands = help_text[help_text.index("Commands:") :]
    for kind in DOCUMENT_KINDS:
        assert f"  {kind.name} " in commands and kind.description in commands, kind.name
    assert loaded.strip() == "[]"
    assert set(cli.list_commands(None)) == {  # type: ignore[arg-type]
        *KINDS,
        *(
            "accounts",
            "approve",
            "deliver",
            "demo",
            "hold",
            "metrics",
            "review",
            "run",
            "sample-data",
            "template",
            "validate",
        ),
    }


def test_every_kind_loads_its_command_and_declares_its_renderers() -> None:
    for kind in DOCUMENT_KINDS:
        assert kind.load_command().name == kind.name
        assert cli.get_command(None, kind.name) is kind.load_command()  # type: ignore[arg-type]
        assert (kind.demo is not None) == kind.in_demo, kind.name
        assert kind.single is not None or kind.name == "qbr", kind.name  # QBRs render per account
    with pytest.raises(ValueError, match=r"unknown document kind 'memo' \(one of qbr, churn-report, "):
        document_kind("memo")


def test_demo_steps_are_the_metrics_then_the_registry() -> None:
    from reports.cli.demo import demo_steps

    assert [name for name, _step in demo_steps()] == ["metrics", *(k.name for k in demo_kinds())]


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


def test_global_options_work_after_the_command(tiny_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["metrics", "--data", str(tiny_dir), "--quarter", "2026-Q3", "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m" / "portfolio.csv").is_file()

    result = runner.invoke(
        cli, ["sample-data", "--out", str(tmp_path / "big"), "--accounts", "5", "--months", "3"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "big" / "accounts.csv").is_file() and not (tmp_path / "out").exists()

    result = runner.invoke(
        cli,
        [
            "--out",
            str(tmp_path / "q"),
            "qbr",
            "--data",
            str(tiny_dir),
            "--account",
            "A5",
            "--quarter",
            "2026-Q3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "q" / "a5-epsilon-sa.pptx").is_file()


def test_templates_after_a_document_command_reach_its_pdf(
    tiny_dir: Path, tmp_path: Path, marker_templates: Path
) -> None:
    out = tmp_path / "out"
    args = ["churn-report", "--quarter", "2026-Q3", "--templates", str(marker_templates), "--out", str(out)]
    result = CliRunner().invoke(cli, ["--data", str(tiny_dir), *args])
    assert result.exit_code == 0, result.output
    text = pdf_text((out / "churn-report-2026-q3.pdf").read_bytes())
    assert CHURN_MARKER in text and BASE_MARKER in text


def test_templates_reach_a_batch_single(tiny_dir: Path, tmp_path: Path, marker_templates: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(f"data: {tiny_dir}\nperiod: 2026-Q3\ndocuments: [churn-report]\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["run", str(job), "--workers", "1", "--templates", str(marker_templates), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert CHURN_MARKER in pdf_text((out / "leadership" / "churn-report-2026-q3.pdf").read_bytes())


def test_the_same_option_twice_with_different_values_is_a_usage_error(tiny_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--out", str(tmp_path / "a"), "validate", "--data", str(tiny_dir), "--out", str(tmp_path / "b")]
    )
    assert result.exit_code == 1
    assert (
        f"Error: --out is given before and after the command with different values "
        f"({tmp_path / 'a'} and {tmp_path / 'b'}); give it once"
    ) in result.output
    same = CliRunner().invoke(cli, ["--data", str(tiny_dir), "validate", "--data", str(tiny_dir)])
    assert same.exit_code == 0, same.output


@pytest.mark.parametrize("flag", ["--config", "--templates", "--data"])
@pytest.mark.parametrize("after", [False, True])
def test_a_folder_that_does_not_exist_is_one_line_and_exit_1(tmp_path: Path, flag: str, after: bool) -> None:
    missing = tmp_path / "missing"
    args = ["validate", flag, str(missing)] if after else [flag, str(missing), "validate"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output == f"Error: {flag} folder {missing} does not exist\n"


def test_demo_passes_templates_and_config_to_every_document(tmp_path: Path, marker_templates: Path) -> None:
    """The one test that runs the whole demo (the bundled sample): options after the command."""
    config = tmp_path / "config"
    config.mkdir()
    email_yaml = (bundled_configs_dir() / "email.yaml").read_text(encoding="utf-8")
    (config / "email.yaml").write_text(email_yaml.replace("ceo@example.com", "marker-ceo@example.com"))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["demo", "--out", str(out), "--templates", str(marker_templates), "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    paths = {d["path"] for d in manifest["documents"]}
    assert {"metrics/portfolio.csv", "metrics/accounts.csv", "metrics/movements.csv"} <= paths
    for document in manifest["documents"]:
        assert document["status"] == "ok", document
        assert (out / document["path"]).is_file()
    pdfs = sorted(p for p in paths if p.endswith(".pdf"))
    assert {p.split("/")[0] for p in pdfs} == {"qbr", "leadership", "nps"}
    for path in pdfs:
        assert BASE_MARKER in pdf_text((out / path).read_bytes()), path
    [churn] = [p for p in pdfs if "churn-report" in p]
    assert CHURN_MARKER in pdf_text((out / churn).read_bytes())
    [text] = [p for p in paths if p.startswith("email/") and p.endswith(".txt")]
    assert EMAIL_MARKER in (out / text).read_text(encoding="utf-8")
    [eml] = [p for p in paths if p.endswith(".eml") and p.startswith("email/")]
    assert "marker-ceo@example.com" in (out / eml).read_text(encoding="utf-8")
