"""The weekly email's context, HTML, text and message for the bundled sample (2026-W43)."""

from __future__ import annotations

import email
import email.policy
import re
import shutil

import pytest
from click.testing import CliRunner

from cs_calc.weekly import IsoWeek
from reports.cli import cli
from reports.documents.email.config import email_config_from_mapping, load_email_config
from reports.documents.email.context import (
    NONE_THIS_WEEK,
    WeeklyContext,
    build_weekly_context,
    load_notes,
)
from reports.documents.email.message import build_message, clean_header, message_bytes
from reports.documents.email.render import check_email_html, preview_html, render_email
from reports.documents.email.send import load_smtp_settings, read_env_file
from reports.errors import ConfigError, RenderError
from reports.pipeline import RunContext
from reports.render.formatting import format_money, format_pct
from reports.resources import bundled_configs_dir
from tests.reports.local_servers import chromium

WEEK = IsoWeek.parse("2026-W43")
NOTES = bundled_configs_dir() / "weekly_notes.example.yaml"


@pytest.fixture(scope="module")
def week_run(sample_run):  # type: ignore[no-untyped-def]
    return RunContext.for_week(sample_run.dataset, sample_run.settings, WEEK)


@pytest.fixture(scope="module")
def context(week_run) -> WeeklyContext:  # type: ignore[no-untyped-def]
    return build_weekly_context(week_run, WEEK, notes=load_notes(NOTES, WEEK))


@pytest.fixture(scope="module")
def rendered(context):  # type: ignore[no-untyped-def]
    return render_email(context)


def _message(rendered, **overrides):  # type: ignore[no-untyped-def]
    config = load_email_config()
    kwargs = dict(
        week=WEEK,
        sender_address="cs@example.com",
        sender_name=config.sender_name,
        recipients=["cfo@example.com"],
        zone=config.zone,
    )
    kwargs.update(overrides)
    return build_message(rendered, **kwargs)


def test_every_context_field_is_documented() -> None:
    import dataclasses

    for field in dataclasses.fields(WeeklyContext):
        assert field.metadata.get("help"), field.name


def test_html_is_mail_safe(rendered) -> None:  # type: ignore[no-untyped-def]
    html = rendered.html
    assert "<script" not in html.lower()
    assert not re.search(r"https?://", html)
    assert "<style" not in html  # inlined
    widths = [int(w) for w in re.findall(r'width="(\d+)"', html)]
    assert widths and max(widths) <= 640
    assert all(int(w) <= 640 for w in re.findall(r"width:\s*(\d+)px", html))
    for cid in re.findall(r'src="cid:([^"]+)"', html):
        assert cid in {image.cid for image in rendered.images}
    assert all(re.search(r'<img[^>]+alt="[^"]{20,}"', html) for _ in rendered.images)


def test_html_safety_check_refuses_bad_templates() -> None:
    with pytest.raises(RenderError, match="script"):
        check_email_html("<p onclick=x>hi</p>")
    with pytest.raises(RenderError, match="remote resource"):
        check_email_html('<img src="https://tracker.example/p.gif">')
    with pytest.raises(RenderError, match="700 px wide"):
        check_email_html('<table width="700"></table>')


def test_text_version_has_the_figures_and_no_links(context, rendered) -> None:  # type: ignore[no-untyped-def]
    text, kpis = rendered.text, context.kpis
    assert not re.search(r"https?://|www\.|://", text)
    assert text.index("HIGHLIGHTS") < text.index("AT-RISK ACCOUNTS")
    for figure in (
        format_money(kpis.current.mrr),
        format_pct(kpis.current.nrr_12m),
        f"{kpis.at_risk_count} accounts at risk",
        str(kpis.current.tickets),
        kpis.at_risk[0].name,
    ):
        assert figure in text
    assert "<Product issue> still blocks <Customer>'s rollout" in text  # from the notes, as written
    # Deltas carry words and arrows, not colour alone: tickets this week vs last,
    # worked out from the two snapshots.
    now, before = kpis.current.tickets, kpis.previous.tickets
    assert now != before
    word = "▲ up" if now > before else "▼ down"
    assert f"{word} {abs(now - before)} ({(now - before) / before:+.1%})" in text


def test_empty_narrative_reads_none_this_week(week_run) -> None:  # type: ignore[no-untyped-def]
    ctx = build_weekly_context(week_run, WEEK)
    text = render_email(ctx).text
    assert ctx.blockers == () and ctx.asks == ()
    assert text.count(f"({NONE_THIS_WEEK})") >= 3


def test_notes_for_another_week_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="the notes are for 2026-W43 but the email is for 2026-W44"):
        load_notes(NOTES, IsoWeek.parse("2026-W44"))
    bad = tmp_path / "notes.yaml"
    bad.write_text("blokers: [x]\n")
    with pytest.raises(ConfigError, match="unknown key 'blokers'"):
        load_notes(bad, WEEK)


def test_config_errors_name_the_key() -> None:
    with pytest.raises(ConfigError, match="unknown key 'recipient'"):
        email_config_from_mapping({"recipient": ["a@example.com"]})
    with pytest.raises(ConfigError, match=r"\{revenue\} is not a subject field"):
        email_config_from_mapping({"subject": "CS {revenue}"})
    with pytest.raises(ConfigError, match="not an IANA time zone"):
        email_config_from_mapping({"time_zone": "Mars/Olympus"})
    with pytest.raises(ConfigError, match="is not an e-mail address"):
        email_config_from_mapping({"recipients": ["cfo@example.com\r\nBcc: x@evil.example"]})
    with pytest.raises(ConfigError, match="unknown KPI 'nrr'"):
        email_config_from_mapping({"targets": {"nrr": {"min": 1}}})


def test_message_structure_and_reproducible_eml(rendered) -> None:  # type: ignore[no-untyped-def]
    first, second = message_bytes(_message(rendered)), message_bytes(_message(rendered))
    assert first == second
    msg = email.message_from_bytes(first, policy=email.policy.default)
    assert [p.get_content_type() for p in msg.walk()][:4] == [
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
    ]
    assert msg["Date"] == "Fri, 30 Oct 2026 07:00:00 +0100"  # the Friday after W43, Stockholm
    assert re.fullmatch(r"<2026-W43\.[0-9a-f]{24}@example\.com>", msg["Message-ID"])
    assert b"\r\n" in first  # CRLF line ends


def test_header_injection_is_impossible(rendered) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    evil = dataclasses.replace(rendered, subject="CS weekly\r\nBcc: x@evil.example\nX-Evil: 1")
    raw = message_bytes(_message(evil, sender_name="Acme\r\nBcc: y@evil.example"))
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert not re.search(rb"^(Bcc|X-Evil):", headers, re.MULTILINE)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Bcc"] is None
    assert msg["Subject"] == "CS weekly Bcc: x@evil.example X-Evil: 1"
    with pytest.raises(ConfigError):
        _message(rendered, recipients=["cfo@example.com\r\nBcc: z@evil.example"])
    assert clean_header("a\u2028b\x00c\u202ed") == "a bcd"


def test_smtp_settings_come_from_the_environment_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = load_smtp_settings(
        {"CSREPORTS_SMTP_HOST": "mail.example.com", "CSREPORTS_MAIL_FROM": "cs@example.com"}
    )
    assert (settings.port, settings.security, settings.user) == (587, "starttls", None)
    with pytest.raises(ConfigError, match="CSREPORTS_SMTP_HOST is not set"):
        load_smtp_settings({})
    env_file = tmp_path / ".env"
    env_file.write_text("CSREPORTS_SMTP_PASWORD=x\n")
    with pytest.raises(ConfigError, match="unknown key 'CSREPORTS_SMTP_PASWORD'"):
        read_env_file(env_file)
    assert "password" not in repr(
        load_smtp_settings(
            {
                "CSREPORTS_SMTP_HOST": "h",
                "CSREPORTS_MAIL_FROM": "a@b.example",
                "CSREPORTS_SMTP_USER": "u",
                "CSREPORTS_SMTP_PASSWORD": "s3cret",
            }
        )
    ).replace("password=", "")


@pytest.fixture
def fast_cli(monkeypatch, week_run):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("reports.pipeline.load_dataset", lambda data, settings: week_run.dataset)
    monkeypatch.setattr(
        "reports.cli.commands.weekly_email._run_for", lambda dataset, settings, week: week_run
    )


def test_cli_rejects_secrets_and_bad_combinations() -> None:
    runner = CliRunner()
    for option in ("--password", "--smtp-password", "--user", "--smtp-host"):
        result = runner.invoke(cli, ["weekly-email", option, "x"])
        assert result.exit_code != 0
        assert "No such option" in result.output
    result = runner.invoke(cli, ["weekly-email", "--send", "--dry-run"])
    assert result.exit_code != 0 and "--send and --dry-run cannot be combined" in result.output
    result = runner.invoke(cli, ["weekly-email", "--force"])
    assert result.exit_code != 0 and "--force only applies with --send" in result.output


def test_cli_week_without_data_names_the_last_week() -> None:
    # Without --week the command picks 2026-W43 itself (tests/reports/cli/test_cli_polish.py).
    result = CliRunner().invoke(cli, ["weekly-email", "--dry-run", "--week", "2026-W47"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: no data for week 2026-W47: the data ends 2026-10-31; "
        "the last complete week with data is 2026-W43 (try --week 2026-W43)"
    )


def test_cli_dry_run_prints_subject_recipients_and_text(fast_cli, rendered) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        cli,
        ["weekly-email", "--week", "2026-W43", "--dry-run", "--to", "a@example.com", "--notes", str(NOTES)],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Subject: {rendered.subject}"
    assert "To: a@example.com" in lines
    assert rendered.text in result.output


def test_cli_writes_html_text_and_eml(fast_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["--out", str(tmp_path), "weekly-email", "--week", "2026-W43"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "email").iterdir())
    assert names == ["weekly-2026-w43.eml", "weekly-2026-w43.html", "weekly-2026-w43.txt"]
    assert (tmp_path / "manifest.json").exists()
    eml_dir = tmp_path / "eml"
    result = CliRunner().invoke(cli, ["weekly-email", "--week", "2026-W43", "--eml", str(eml_dir)])
    assert result.exit_code == 0, result.output
    assert (eml_dir / "weekly-2026-w43.eml").read_bytes() == (
        tmp_path / "email" / "weekly-2026-w43.eml"
    ).read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_chromium_renders_the_email(rendered, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "email.html"
    page.write_text(preview_html(rendered), encoding="utf-8")
    shot = tmp_path / "email.png"
    chromium(f"--screenshot={shot}", "--window-size=700,2400", page.as_uri(), profile=tmp_path / "profile")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000


def test_demo_step_writes_the_last_data_week(week_run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from reports.documents.kinds import KINDS
    from reports.output.manifest import Manifest

    manifest = Manifest(tmp_path)
    KINDS["weekly-email"].render_demo(week_run, tmp_path, manifest)
    assert not manifest.failed
    assert sorted(e.path for e in manifest.entries) == [
        "email/weekly-2026-w43.eml",
        "email/weekly-2026-w43.html",
        "email/weekly-2026-w43.txt",
    ]
