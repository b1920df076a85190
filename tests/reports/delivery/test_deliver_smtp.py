"""``csreports deliver`` against a real SMTP server (aiosmtpd on 127.0.0.1) with 1,000 accounts.

The data is the sample generator's, 1,000 accounts (``reports.data.sample_data``), each
account's name carrying a canary (``ZQ<account id>ZQ``) and each contact a unique address
under its account's own domain. Two Upmarket accounts get real PDF leave-behinds rendered
by ``csreports qbr``; every other account gets small stand-in files written into OUT (a
customer "PDF" carrying the account's canary, and an internal one) and recorded through
:class:`reports.output.manifest.Manifest` with the account's headline figures. Then the
Upmarket segment is approved (internal files too), two of its accounts held, and the run
delivered with the server answering 451 after some messages, and delivered again.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from collections import Counter

import pandas as pd
import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.data.sample_data import SampleSpec, generate_sample, write_sample
from reports.delivery.config import DeliveryConfig
from reports.delivery.run import DeliveryOptions, deliver
from reports.documents.email.send import SmtpSettings
from reports.output.manifest import Manifest
from reports.review.decide import choose_files, decide
from reports.review.log import ReviewLog
from reports.review.manifest_file import read_run
from tests.reports.local_servers import free_port

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

pytestmark = pytest.mark.slow
CANARY = re.compile(r"ZQ(A-\d+)ZQ")
EVIL = "evil@evil.example"


class Server:
    """Accepts mail; while ``failing_after`` is set, answers DATA with 451 once that many were taken."""

    def __init__(self) -> None:
        self.failing_after: int | None = None
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.failing_after is not None and len(self.messages) >= self.failing_after:
            return "451 4.3.0 Try again later"
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture(scope="module")
def server():  # type: ignore[no-untyped-def]
    recorder = Server()
    port = free_port()
    controller = aiosmtpd_controller.Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, SmtpSettings("127.0.0.1", port, "none", "qbr@vendor.example")
    finally:
        controller.stop()


def _tables() -> dict[str, pd.DataFrame]:
    tables = generate_sample(SampleSpec(accounts=1000, months=12, seed=11, usage_frequency="monthly"))
    accounts = tables["accounts"]
    accounts["name"] = [f"{n} ZQ{a}ZQ" for n, a in zip(accounts["name"], accounts["account_id"], strict=True)]
    contacts = tables["contacts"]
    contacts["email"] = [
        f"{c.lower()}@{a.lower()}.example"
        for c, a in zip(contacts["contact_id"], contacts["account_id"], strict=True)
    ]
    return tables


@pytest.fixture(scope="module")
def book(tmp_path_factory):  # type: ignore[no-untyped-def]
    """(data folder, OUT, tables, the two really rendered account ids, the hostile account id)."""
    root = tmp_path_factory.mktemp("deliver")
    tables = _tables()
    accounts = tables["accounts"]
    upmarket = accounts.loc[accounts["segment"] == "Upmarket", "account_id"].tolist()
    real, hostile = upmarket[:2], upmarket[5]
    # A name and a contact that try to inject a header.
    accounts.loc[accounts["account_id"] == hostile, "name"] = f"Evil\r\nBcc: {EVIL} ZQ{hostile}ZQ"
    first = tables["contacts"].index[(tables["contacts"]["account_id"] == hostile)][0]
    tables["contacts"].loc[first, ["name", "status", "email_opt_out", "is_primary"]] = [
        f"Mallory\r\nBcc: {EVIL}",
        "active",
        False,
        True,
    ]
    data = root / "data"
    write_sample(tables, data)
    out = root / "out"
    args = ["--data", str(data), "--out", str(out), "qbr", "--format", "pdf"]
    result = CliRunner().invoke(cli, [*args, *(x for a in real for x in ("--account", a))])
    assert result.exit_code == 0, result.output
    rendered = read_run(out).entries
    manifest = Manifest(out, run={"command": "qbr", "period": "2026-Q3", "source": str(data)})
    manifest.entries.extend(rendered)
    for row in accounts.itertuples(index=False):
        about = {"account_name": row.name, "segment": row.segment, "csm_id": row.csm_id, "locale": "en"}
        figures = [
            {"id": "active_users", "value": 10, "shown": "10", "account_id": row.account_id},
            {"id": "active_users_change", "value": 0.1, "shown": "+10.0%", "account_id": row.account_id},
        ]
        for audience in ("customer", "internal") if row.account_id not in real else ("internal",):
            stem = f"{row.account_id.lower()}" + ("-internal" if audience == "internal" else "")
            path = out / f"{stem}.pdf"
            path.write_bytes(f"%PDF-1.4 stand-in {audience} {row.name}\n".encode())
            manifest.add_file(
                "qbr-pdf",
                path,
                account_id=row.account_id,
                figures=figures,
                about=about | {"audience": audience},
            )
    manifest.write()
    run = read_run(out)
    decide(run, choose_files(run.files, segment="upmarket"), "approved", by="Anna")
    held = upmarket[2:4]
    decide(
        read_run(out),
        choose_files(read_run(out).files, accounts=held),
        "held",
        by="Anna",
        reason="renewal call",
    )
    return data, out, tables, real, hostile, held


def _options(settings: SmtpSettings, **kw) -> DeliveryOptions:  # type: ignore[no-untyped-def]
    return DeliveryOptions(mode="send", smtp=settings, rate_per_minute=0, attempts=2, retry_delay=0, **kw)


def _parts(raw: bytes) -> tuple[email.message.EmailMessage, str, list[tuple[str, bytes]]]:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = "".join(part.get_content() for part in msg.walk() if part.get_content_maintype() == "text")
    files = [(p.get_filename(), p.get_payload(decode=True)) for p in msg.iter_attachments()]
    return msg, text, files


def test_approved_accounts_get_their_own_document_once_across_a_failing_server(book, server):
    _data, out, tables, real, hostile, held = book
    recorder, settings = server
    config = DeliveryConfig()
    contacts = tables["contacts"]
    accounts = tables["accounts"].set_index("account_id")
    upmarket = set(accounts.index[accounts["segment"] == "Upmarket"])

    recorder.failing_after = 40
    first = deliver(out, config, tables, _options(settings), echo=lambda _line: None)
    assert first.exit_code == 3 and first.stopped.startswith("SMTP server")
    assert first.count("sent") == 40 and len(recorder.messages) == 40
    report = pd.read_csv(out / "delivery-report.csv", dtype=str, keep_default_na=False)
    assert (report["status"] == "not sent").sum() == len(report) - 40 - (report["status"] == "failed").sum()
    ledger_lines = (out / "delivery-ledger.jsonl").read_text().splitlines()
    assert len(ledger_lines) == 40

    recorder.failing_after = None
    second = deliver(out, config, tables, _options(settings), echo=lambda _line: None)
    assert second.count("not sent") == 0
    third = deliver(out, config, tables, _options(settings), echo=lambda _line: None)
    assert third.outcomes == [] and len(recorder.messages) == 40 + second.count("sent")

    received: Counter[str] = Counter()
    per_account: dict[str, list[str]] = {}
    for rcpt_tos, raw in recorder.messages:
        msg, text, files = _parts(raw)
        account = str(msg["X-CSReports-Account"])
        assert account in upmarket and account not in held
        per_account.setdefault(account, []).extend(rcpt_tos)
        received.update(rcpt_tos)
        # Only this account's contacts, never an opted-out or departed one, never the injected address.
        own = contacts[contacts["account_id"] == account].set_index("email")
        for address in rcpt_tos:
            assert address in own.index, (account, address)
            assert own.loc[address, "status"] == "active" and not own.loc[address, "email_opt_out"]
        assert EVIL not in rcpt_tos and "Bcc" not in msg  # a name with CR/LF stays a quoted display name
        assert {str(a.addr_spec) for a in msg["To"].addresses} == set(rcpt_tos)
        assert 1 <= len(rcpt_tos) <= config.max_recipients
        # Headers and parts.
        assert msg["Reply-To"] and msg["From"] and msg["Date"] and msg["Message-ID"].startswith("<qbr.")
        assert msg.get_content_type() == "multipart/mixed"
        assert [p.get_content_type() for p in msg.walk()][:4] == [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
        ]
        assert len(files) == 1 and files[0][0].endswith(".pdf")
        assert "<script" not in text.lower()
        # Canaries: only this account's, in the subject, the text and the attachment.
        found = set(CANARY.findall(str(msg["Subject"]) + text + files[0][1].decode("latin-1")))
        assert found <= {account}, (account, found)
        if account not in real:
            assert found == {account}
            assert "Active users, on average: 10 (+10.0% vs last quarter)." in text
            assert files[0][1] == (out / f"{account.lower()}.pdf").read_bytes()
        else:
            assert files[0][1].startswith(b"%PDF") and b"stand-in" not in files[0][1]
    # Every recipient got exactly one message.
    assert max(received.values()) == 1
    # Every approved, not held account with an eligible contact got exactly one message.
    assert len(per_account) == len(recorder.messages)
    reviews = ReviewLog.load(out)
    run = read_run(out)
    for entry in run.files:
        status = reviews.status_of(entry.path, entry.sha256)
        if entry.audience == "internal":
            assert status in ("approved", "held", "draft"), entry.path  # never sent
            continue
        if entry.account_id in held:
            assert status == "held"
        elif entry.account_id not in upmarket:
            assert status == "draft"
        else:
            assert status in ("sent", "failed"), (entry.path, status)
            assert (status == "sent") == (entry.account_id in per_account)
    failed = [o for o in second.outcomes if o.status == "failed"]
    assert all("no contact to send to" in o.error for o in failed)
    assert set(real) <= set(per_account) and hostile in per_account
    report = pd.read_csv(out / "delivery-report.csv", dtype=str, keep_default_na=False)
    assert set(report["status"]) <= {"sent", "failed"}
    assert json.loads((out / "manifest.json").read_text())["documents"]


def test_the_cli_sends_nothing_more_after_everything_went(book, server, monkeypatch):
    data, out, *_ = book
    _recorder, settings = server
    monkeypatch.setenv("CSREPORTS_SMTP_HOST", settings.host)
    monkeypatch.setenv("CSREPORTS_SMTP_PORT", str(settings.port))
    monkeypatch.setenv("CSREPORTS_SMTP_SECURITY", "none")
    monkeypatch.setenv("CSREPORTS_MAIL_FROM", settings.mail_from)
    result = CliRunner().invoke(cli, ["--data", str(data), "deliver", str(out), "--send"])
    assert result.exit_code == 0, result.output
    assert "nothing to deliver" in result.output and "internal" in result.output
