"""The QBR follow-up draft's From comes from csms.csv: one address, always, or a clear refusal."""

from __future__ import annotations

import email
import email.policy
import json

import pandas as pd
from click.testing import CliRunner

from reports.cli import cli

ACCOUNT = "A-00140"  # CSM-STR-01
OTHER = "A-00227"  # CSM-UPM-01


def _set_csm(data, csm_id, **values):
    csms = pd.read_csv(data / "csms.csv", dtype=str, keep_default_na=False)
    for column, value in values.items():
        csms.loc[csms["csm_id"] == csm_id, column] = value
    csms.to_csv(data / "csms.csv", index=False)


def _follow_up(data, out, *accounts):
    args = ["--data", str(data)] if data is not None else []
    args += ["--out", str(out), "qbr", "--format", "pptx", "--follow-up"]
    for account in accounts:
        args += ["--account", account]
    return CliRunner().invoke(cli, args)


def _from_header(out):
    eml = next(out.glob("a-00140-*-follow-up.eml")).read_bytes()
    message = email.message_from_bytes(eml, policy=email.policy.default)
    return message, message["From"]


def test_a_name_with_addresses_in_it_stays_one_display_name(sample_copy, tmp_path):
    _set_csm(sample_copy, "CSM-STR-01", name="Eve <eve@evil.example>, Bob")
    result = _follow_up(sample_copy, tmp_path / "out", ACCOUNT)
    assert result.exit_code == 0, result.output
    message, sender = _from_header(tmp_path / "out")
    assert len(sender.addresses) == 1
    assert sender.addresses[0].addr_spec != "eve@evil.example"
    assert sender.addresses[0].display_name == "Eve <eve@evil.example>, Bob"
    assert "Bcc" not in message


def test_line_breaks_in_the_name_cannot_add_a_header_or_a_group(sample_copy, tmp_path):
    _set_csm(sample_copy, "CSM-STR-01", name="Eve\r\nBcc: spy@evil.example\r\n:;")
    result = _follow_up(sample_copy, tmp_path / "out", ACCOUNT)
    assert result.exit_code == 0, result.output
    message, sender = _from_header(tmp_path / "out")
    assert "Bcc" not in message
    assert len(sender.addresses) == 1 and not sender.groups[0].display_name
    assert sender.addresses[0].addr_spec.endswith("@lumio.example")


def test_an_address_that_is_not_one_is_refused_by_validation(sample_copy, tmp_path):
    _set_csm(sample_copy, "CSM-STR-01", email="not an address")
    out = tmp_path / "out"
    result = _follow_up(sample_copy, out, ACCOUNT, OTHER)
    assert result.exit_code == 1, result.output
    assert "csms.csv, row" in result.output
    assert "column 'email': 'not an address' is not an e-mail address (expected name@domain)" in result.output
    assert not out.exists()


def test_a_bad_address_that_reaches_the_draft_fails_that_account_only(monkeypatch, tmp_path):
    """Validation refuses such data; should one slip through, the draft still refuses it."""
    import dataclasses

    from reports.documents.qbr import followup

    calls = []
    real = followup.render_followup

    def with_bad_address(context):
        calls.append(context.account_id)
        if context.account_id == ACCOUNT:
            context = dataclasses.replace(context, csm_email="Eve <eve@evil.example>")
        return real(context)

    monkeypatch.setattr(followup, "render_followup", with_bad_address)
    out = tmp_path / "out"
    result = _follow_up(None, out, ACCOUNT, OTHER)
    assert result.exit_code == 3, result.output
    assert "csms, column 'email': 'Eve <eve@evil.example>' is not an e-mail address" in result.output
    assert not list(out.glob("a-00140-*")) and list(out.glob("a-00227-*-follow-up.eml"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["account_id"] for e in manifest["documents"] if e["status"] == "failed"] == [ACCOUNT]
    assert ACCOUNT in calls
