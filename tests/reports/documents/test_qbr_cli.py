from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from pptx import Presentation

from reports.cli import cli
from reports.cli.commands.qbr import parse_formats
from reports.documents.email.message import clean_header


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory) -> Path:
    """The sample with hostile account names: path traversal, markup, CR/LF."""
    import shutil

    from reports.resources import sample_data_dir

    target = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(sample_data_dir(), target)
    accounts = pd.read_csv(target / "accounts.csv", dtype=str, keep_default_na=False)
    accounts.loc[accounts["account_id"] == "A-00001", "name"] = "../../etc/passwd"
    accounts.loc[accounts["account_id"] == "A-00002", "name"] = (
        "<script>alert(1)</script>\r\nBcc: x@evil.example"
    )
    accounts.to_csv(target / "accounts.csv", index=False)
    return target


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_formats_are_checked():
    assert parse_formats("pptx, pdf,pptx") == ("pptx", "pdf")
    with pytest.raises(click.BadParameter):
        parse_formats("docx")


def test_header_values_lose_line_breaks():
    assert clean_header("a\r\nBcc: x@y\u2028z") == "a Bcc: x@y z"


def test_qbr_writes_decks_pdf_follow_up_and_manifest(tmp_path, hostile_data):
    out = tmp_path / "out"
    result = _run(
        "--data",
        str(hostile_data),
        "--out",
        str(out),
        "qbr",
        "--account",
        "A-00001",
        "--account",
        "A-00002",
        "--format",
        "pptx,pdf",
        "--follow-up",
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "manifest.json" in names
    assert "a-00001-etc-passwd.pptx" in names
    assert "a-00002-script-alert-1-script-bcc-x-evil-example.pptx" in names
    assert all((out / n).resolve().parent == out.resolve() for n in names)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"] == {"ok": 6, "failed": 0, "skipped": 0}
    eml = next(out.glob("a-00002*.eml")).read_bytes()
    message = email.message_from_bytes(eml, policy=email.policy.default)
    assert "Bcc" not in message
    assert all("\n" not in v and "\r" not in v for v in message.values())
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html


def test_one_failed_account_exits_3_and_others_render(tmp_path, monkeypatch):
    import reports.documents.qbr.run as run_module

    real = run_module.build_qbr_context

    def flaky(data, **kwargs):
        if data.account_id == "A-00002":
            raise ValueError("boom")
        return real(data, **kwargs)

    monkeypatch.setattr(run_module, "build_qbr_context", flaky)
    out = tmp_path / "out"
    result = _run("--out", str(out), "qbr", "--account", "A-00001", "--account", "A-00002")
    assert result.exit_code == 3, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    failed = [d for d in manifest["documents"] if d["status"] == "failed"]
    assert [(d["account_id"], d["error"]) for d in failed] == [("A-00002", "ValueError: boom")]
    assert len(list(out.glob("a-00001-*.pptx"))) == 1


def test_unknown_account_and_no_selection_exit_1(tmp_path):
    result = _run("--out", str(tmp_path), "qbr", "--account", "A-99999")
    assert result.exit_code == 1
    assert "unknown account id(s): A-99999" in result.output
    result = _run("--out", str(tmp_path), "qbr")
    assert result.exit_code != 0
    assert "--account, --segment or --csm" in result.output


def test_user_template_overrides_the_bundled_master(tmp_path):
    from reports.documents.qbr.run import find_template
    from reports.resources import bundled_templates_dir

    user = tmp_path / "templates" / "qbr"
    user.mkdir(parents=True)
    bundled = bundled_templates_dir() / "qbr" / "qbr.pptx"
    assert find_template("Strategic", tmp_path / "templates") == bundled
    (user / "qbr-strategic.pptx").write_bytes(bundled.read_bytes())
    assert find_template("Strategic", tmp_path / "templates") == user / "qbr-strategic.pptx"
    assert find_template("Scaled", tmp_path / "templates") == bundled
    out = tmp_path / "out"
    result = _run(
        "--templates", str(tmp_path / "templates"), "--out", str(out), "qbr", "--segment", "Strategic"
    )
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.pptx"))) == 2


def test_english_and_swedish_decks_of_one_account_are_two_files(tmp_path):
    out = tmp_path / "out"
    for extra in ([], ["--locale", "sv"], ["--audience", "internal", "--locale", "sv"]):
        result = CliRunner().invoke(cli, ["qbr", "--account", "A-00140", "--out", str(out), *extra])
        assert result.exit_code == 0, result.output
    decks = sorted(p.name for p in out.glob("*.pptx"))
    assert decks == [
        "a-00140-aurora-retail-inc-internal-sv.pptx",
        "a-00140-aurora-retail-inc-sv.pptx",
        "a-00140-aurora-retail-inc.pptx",
    ]
    titles = {name: Presentation(str(out / name)).slides[2].shapes.title.text_frame.text for name in decks}
    assert titles["a-00140-aurora-retail-inc.pptx"] != titles["a-00140-aurora-retail-inc-sv.pptx"]


def test_a_segment_is_its_paying_customers_and_a_churned_account_is_rendered_only_by_name(tmp_path):
    """A-00009 (Scaled) churned before 2026-Q3 ended: a QBR programme by segment must not reach it."""
    from reports.pipeline import prepare_run

    metrics = prepare_run(None).metrics.accounts
    scaled = metrics[metrics["segment"] == "Scaled"]
    churned = sorted(scaled.loc[scaled["mrr_end"] <= 0, "account_id"])
    assert "A-00009" in churned
    out = tmp_path / "segment"
    result = CliRunner().invoke(
        cli, ["--out", str(out), "qbr", "--segment", "Scaled"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert f"Left out {len(churned)} account(s) without MRR at the end of 2026-Q3" in result.output
    rendered = {e["account_id"] for e in json.loads((out / "manifest.json").read_text())["documents"]}
    assert len(rendered) == len(scaled) - len(churned) and not rendered & set(churned)
    named = CliRunner().invoke(cli, ["--out", str(tmp_path / "named"), "qbr", "--account", "A-00009"])
    assert named.exit_code == 0 and "Left out" not in named.output
    assert len(list((tmp_path / "named").glob("*.pptx"))) == 1
    job = tmp_path / "job.yaml"
    job.write_text("documents:\n  - kind: qbr\n    accounts:\n      segment: [Scaled]\n", encoding="utf-8")
    ran = CliRunner().invoke(cli, ["run", str(job), "--out", str(tmp_path / "job")], catch_exceptions=False)
    assert ran.exit_code == 0, ran.output
    in_job = {
        e["account_id"] for e in json.loads((tmp_path / "job" / "manifest.json").read_text())["documents"]
    }
    assert in_job == rendered
