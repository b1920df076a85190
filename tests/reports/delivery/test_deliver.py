"""``csreports deliver`` without a server: what is chosen, refused, capped, and how it reads."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.delivery.config import DeliveryConfig
from reports.delivery.run import DeliveryOptions, RateLimit, deliver
from reports.errors import CsReportsError
from reports.output.manifest import Manifest
from reports.review.decide import choose_files, decide
from reports.review.manifest_file import read_run


def _tables(locale_names: bool = False) -> dict[str, pd.DataFrame]:
    contacts = pd.DataFrame(
        {
            "contact_id": ["C1", "C2", "C3", "C4", "C5"],
            "account_id": ["A1", "A1", "A1", "A2", "A2"],
            "name": ["Maria Patel", "Gone Person", "Quiet Person", "Åsa Berg", "Chen Li"],
            "email": [
                "maria@a1.example",
                "gone@a1.example",
                "quiet@a1.example",
                "asa@a2.example",
                "chen@a2.example",
            ],
            "role": ["VP", "CFO", "CFO", "CFO", "COO"],
            "is_champion": [True, True, True, False, True],
            "is_economic_buyer": [False, True, True, True, False],
            "is_power_user": [False] * 5,
            "is_primary": [True, False, False, True, False],
            "email_opt_out": [False, False, True, False, False],
            "status": ["active", "left", "active", "active", "active"],
        }
    )
    csms = pd.DataFrame({"csm_id": ["S1"], "name": ["Sam Csm"], "email": ["sam@vendor.example"]})
    return {"contacts": contacts, "csms": csms}


def _out(tmp_path: Path, *, internal_only: bool = False, big: int = 0) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    manifest = Manifest(out, run={"command": "qbr", "period": "2026-Q3"})
    figures = [
        {"id": "active_users", "value": 19.2, "shown": "19"},
        {"id": "nps_12m", "value": 40, "shown": "40"},
    ]
    for account, name, locale in (("A1", "Acme", "en"), ("A2", "Bolaget AB", "sv")):
        about = {"account_name": name, "segment": "Scaled", "csm_id": "S1", "locale": locale}
        audiences = ("internal",) if internal_only else ("customer", "internal")
        for audience in audiences:
            pdf = out / f"{account}-{audience}.pdf"
            pdf.write_bytes(b"%PDF-1.4 " + account.encode() + b" " * big)
            manifest.add_file(
                "qbr-pdf", pdf, account_id=account, figures=figures, about=about | {"audience": audience}
            )
        deck = out / f"{account}.pptx"
        deck.write_bytes(b"PK deck " + account.encode() + b" " * (3 * big))
        manifest.add_file(
            "qbr-pptx", deck, account_id=account, figures=figures, about=about | {"audience": "customer"}
        )
    manifest.write()
    run = read_run(out)
    decide(run, choose_files(run.files, everything=True), "approved", by="Anna")
    return out


def test_dry_run_shows_recipients_and_writes_nothing(tmp_path):
    out = _out(tmp_path)
    before = sorted(p.name for p in out.iterdir())
    lines: list[str] = []
    result = deliver(out, DeliveryConfig(), _tables(), DeliveryOptions(mode="dry-run"), echo=lines.append)
    assert result.exit_code == 0 and result.plan.skipped["internal"] == 2
    assert lines == [
        "A1 Acme (en) -> Maria Patel <maria@a1.example>; attach: A1-customer.pdf (1 KB)",
        "A2 Bolaget AB (sv) -> Åsa Berg <asa@a2.example>, Chen Li <chen@a2.example>; attach: A2-customer.pdf (1 KB)",
    ]
    assert sorted(p.name for p in out.iterdir() if p.name != ".delivery.lock") == before


def test_only_internal_documents_are_refused(tmp_path):
    out = _out(tmp_path, internal_only=True)
    with pytest.raises(CsReportsError, match="internal documents are never sent"):
        deliver(out, DeliveryConfig(), _tables(), DeliveryOptions(mode="dry-run"))


def test_eml_in_the_account_language_with_both_documents(tmp_path):
    out = _out(tmp_path)
    config = DeliveryConfig(attach=("leave_behind", "deck"))
    result = deliver(out, config, _tables(), DeliveryOptions(mode="eml", eml_dir=tmp_path / "eml"))
    assert result.count("written") == 2 and (out / "delivery-report.csv").is_file()
    raw = (tmp_path / "eml" / "A2-customer.eml").read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = msg.get_body(("plain",)).get_content()
    assert msg["Subject"] == "Bolaget AB: er affärsgenomgång för K3 2026"
    assert text.startswith("Hej Åsa och Chen,") and "NPS de senaste 12 månaderna: 40." in text
    assert text.rstrip().endswith("Sam Csm")
    assert msg["Reply-To"].addresses[0].addr_spec == "sam@vendor.example"
    assert msg["Content-Language"] == "sv"
    assert [p.get_filename() for p in msg.iter_attachments()] == ["A2-customer.pdf", "A2.pptx"]
    assert "A1" not in raw.decode("latin-1").replace("A1-", "")  # nothing of the other account


def test_an_attachment_over_the_cap_is_left_out_and_named_and_a_first_one_fails(tmp_path):
    out = _out(tmp_path, big=400_000)
    config = DeliveryConfig(attach=("leave_behind", "deck"), max_message_mb=1)
    lines: list[str] = []
    deliver(out, config, _tables(), DeliveryOptions(mode="dry-run"), echo=lines.append)
    assert lines[0].endswith("left out for size: A1.pptx")
    result = deliver(out, config, _tables(), DeliveryOptions(mode="eml", eml_dir=tmp_path / "eml"))
    msg = email.message_from_bytes(
        (tmp_path / "eml" / "A1-customer.eml").read_bytes(), policy=email.policy.default
    )
    text = msg.get_body(("plain",)).get_content()
    assert "The presentation (PowerPoint), 1.6 MB, is too large to attach" in " ".join(text.split())
    small = DeliveryConfig(attach=("deck",), max_message_mb=1)
    result = deliver(out, small, _tables(), DeliveryOptions(mode="dry-run"), echo=lambda _l: None)
    assert result.exit_code == 3 and "over the 1 MB cap" in result.outcomes[0].error


def test_a_fixed_sender_keeps_the_csm_as_reply_to(tmp_path):
    out = _out(tmp_path)
    config = DeliveryConfig(sender="success@vendor.example", sender_name="Vendor Success")
    deliver(out, config, _tables(), DeliveryOptions(mode="eml", eml_dir=tmp_path / "eml"))
    msg = email.message_from_bytes(
        (tmp_path / "eml" / "A1-customer.eml").read_bytes(), policy=email.policy.default
    )
    assert str(msg["From"]) == "Vendor Success <success@vendor.example>"
    assert str(msg["Reply-To"]) == "Sam Csm <sam@vendor.example>"
    assert str(msg["To"]) == "Maria Patel <maria@a1.example>"  # not the departed, not the opted out


def test_rate_limit_spaces_messages():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limit = RateLimit(120, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        limit.wait()
    assert slept == [0.5, 0.5]
    RateLimit(0, clock=lambda: 0.0, sleep=sleep).wait()
    assert len(slept) == 2


def test_cli_modes_are_exclusive_and_required(tmp_path):
    out = _out(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["deliver", str(out)])
    assert result.exit_code == 1 and "choose --dry-run" in result.output
    result = runner.invoke(cli, ["deliver", str(out), "--dry-run", "--send"])
    assert result.exit_code == 1 and "cannot be combined" in result.output
    result = runner.invoke(cli, ["deliver", str(out), "--send"], env={"CSREPORTS_SMTP_HOST": ""})
    assert result.exit_code == 1 and "SMTP settings incomplete" in result.output


def test_a_stopped_run_says_once_how_many_accounts_wait_and_names_failures_up_to_a_limit():
    from types import SimpleNamespace

    from reports.cli.commands.deliver import MAX_FAILED_LINES, problem_lines

    def outcome(n: int, status: str, error: str):
        return SimpleNamespace(status=status, error=error, delivery=SimpleNamespace(account_id=f"A-{n:05d}"))

    failed = [outcome(n, "failed", "no contact to send to") for n in range(MAX_FAILED_LINES + 3)]
    waiting = [outcome(n, "not sent", "SMTP server still failing") for n in range(400)]
    lines = problem_lines([*failed, outcome(999, "sent", ""), *waiting])
    assert lines[0] == "  failed: A-00000: no contact to send to"
    assert lines[MAX_FAILED_LINES] == "  … and 3 more failed (see delivery-report.csv)"
    assert lines[-1] == (
        "  not sent: 400 account(s), still approved: SMTP server still failing; run the same command again to send them"
    )
    assert len(lines) == MAX_FAILED_LINES + 2
