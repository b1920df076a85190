"""``csreports weekly-email --send`` against a real SMTP server in-process (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cs_calc.weekly import IsoWeek
from reports.cli import cli
from reports.documents.email.context import build_weekly_context
from reports.pipeline import RunContext
from reports.render.formatting import format_money, format_pct
from tests.reports.local_servers import free_port

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult  # noqa: E402

pytestmark = pytest.mark.slow
WEEK = "2026-W43"


class Recorder:
    """Accepts mail; optionally fails DATA a number of times first, or refuses some recipients."""

    def __init__(self, fail_data: int = 0, refuse_prefix: str | None = None):
        self.fail_data = fail_data
        self.refuse_prefix = refuse_prefix
        self.data_calls = 0
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_prefix and address.startswith(self.refuse_prefix):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_calls += 1
        if self.data_calls <= self.fail_data:
            return "451 4.3.0 Try again later"
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp_server(request):  # type: ignore[no-untyped-def]
    """Start a server with ``Recorder(**param)``; yields (recorder, port)."""
    options = dict(getattr(request, "param", {}) or {})
    refuse_login = options.pop("refuse_login", False)
    accept_password = options.pop("accept_password", None)
    recorder = Recorder(**options)
    port = free_port()
    kwargs = {}
    if refuse_login:
        kwargs = {
            "authenticator": lambda *args: AuthResult(success=False, handled=False),
            "auth_require_tls": False,
        }
    if accept_password is not None:
        expected = accept_password.encode("utf-8")

        def check(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
            return AuthResult(success=getattr(auth_data, "password", None) == expected, handled=False)

        kwargs = {"authenticator": check, "auth_require_tls": False}
    controller = aiosmtpd_controller.Controller(recorder, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


@pytest.fixture
def env(monkeypatch, smtp_server):  # type: ignore[no-untyped-def]
    _recorder, port = smtp_server
    for key in ("CSREPORTS_SMTP_USER", "CSREPORTS_SMTP_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("CSREPORTS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CSREPORTS_SMTP_PORT", str(port))
    monkeypatch.setenv("CSREPORTS_SMTP_SECURITY", "none")
    monkeypatch.setenv("CSREPORTS_MAIL_FROM", "cs-weekly@example.com")
    sleeps: list[float] = []
    monkeypatch.setattr("reports.documents.email.send._sleep", sleeps.append)
    return sleeps


def _send(tmp_path: Path, *extra: str):  # type: ignore[no-untyped-def]
    args = ["--out", str(tmp_path / "out"), "weekly-email", "--week", WEEK, "--send"]
    args += ["--to", "cfo@example.com", "--to", "ceo@example.com", "--state", str(tmp_path / "state"), *extra]
    return CliRunner().invoke(cli, args)


def _ledger(tmp_path: Path) -> dict:
    path = tmp_path / "state" / "weekly-email-ledger.json"
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.fixture(scope="module")
def week_run(sample_run):  # type: ignore[no-untyped-def]
    return RunContext.for_week(sample_run.dataset, sample_run.settings, IsoWeek.parse(WEEK))


@pytest.fixture(autouse=True)
def _reuse_metrics(monkeypatch, week_run):  # type: ignore[no-untyped-def]
    """Each CLI run would load the sample and compute its metrics again; reuse them (same numbers)."""
    monkeypatch.setattr("reports.pipeline.load_dataset", lambda data, settings: week_run.dataset)
    monkeypatch.setattr(
        "reports.cli.commands.weekly_email._run_for", lambda dataset, settings, week: week_run
    )


@pytest.fixture(scope="module")
def context(week_run):  # type: ignore[no-untyped-def]
    return build_weekly_context(week_run, IsoWeek.parse(WEEK))


def test_message_arrives_with_both_parts_and_resolvable_images(tmp_path, smtp_server, env, context) -> None:  # type: ignore[no-untyped-def]
    recorder, _port = smtp_server
    result = _send(tmp_path)
    assert result.exit_code == 0, result.output
    assert "Sent 2026-W43 to 2 of 2 recipients" in result.output
    assert len(recorder.messages) == 1
    rcpts, raw = recorder.messages[0]
    assert sorted(rcpts) == ["ceo@example.com", "cfo@example.com"]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    assert "2026-W43" in msg["Subject"] and "$5.8M" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    images = {
        part["Content-ID"].strip("<>"): part for part in msg.walk() if part.get_content_maintype() == "image"
    }
    cids = re.findall(r'src="cid:([^"]+)"', html)
    assert cids and set(cids) == set(images)
    for part in images.values():
        assert part.get_content_type() == "image/png"
        assert part.get_content().startswith(b"\x89PNG")
    # The figures in the email are the computed ones.
    kpis = context.kpis
    for figure in (
        format_money(kpis.current.mrr),
        format_pct(kpis.current.nrr_12m),
        format_pct(kpis.current.grr_12m),
        f"{kpis.at_risk_count} accounts at risk",
        kpis.at_risk[0].name,
    ):
        assert figure in text
        assert figure in html
    # The ledger records the send.
    entries = _ledger(tmp_path)["entries"]
    assert [e["week"] for e in entries.values()] == [WEEK]


def test_second_run_is_a_no_op_unless_forced(tmp_path, smtp_server, env) -> None:  # type: ignore[no-untyped-def]
    recorder, _port = smtp_server
    assert _send(tmp_path).exit_code == 0
    again = _send(tmp_path)
    assert again.exit_code == 0, again.output
    assert "Already sent 2026-W43" in again.output
    assert len(recorder.messages) == 1
    # Another recipient list is another ledger key.
    other = CliRunner().invoke(
        cli,
        [
            "--out",
            str(tmp_path / "out"),
            "weekly-email",
            "--week",
            WEEK,
            "--send",
            "--to",
            "coo@example.com",
            "--state",
            str(tmp_path / "state"),
        ],
    )
    assert other.exit_code == 0, other.output
    forced = _send(tmp_path, "--force")
    assert forced.exit_code == 0, forced.output
    assert len(recorder.messages) == 3


@pytest.mark.parametrize("smtp_server", [{"fail_data": 2}], indirect=True)
def test_transient_failures_are_retried_and_deliver_once(tmp_path, smtp_server, env) -> None:  # type: ignore[no-untyped-def]
    recorder, _port = smtp_server
    result = _send(tmp_path)
    assert result.exit_code == 0, result.output
    assert recorder.data_calls == 3
    assert len(recorder.messages) == 1
    assert env == [2.0, 4.0]  # exponential backoff between the three attempts
    assert "451" in result.output


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("smtp_server", [{"refuse_login": True}], indirect=True)
def test_refused_login_exits_non_zero_and_leaves_the_ledger(tmp_path, smtp_server, env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    recorder, _port = smtp_server
    monkeypatch.setenv("CSREPORTS_SMTP_USER", "cs-bot")
    monkeypatch.setenv("CSREPORTS_SMTP_PASSWORD", "wrong")
    result = _send(tmp_path)
    assert result.exit_code != 0
    assert "refused the login for 'cs-bot': 535" in result.output
    assert "wrong" not in result.output  # the password is never echoed
    assert recorder.messages == []
    assert _ledger(tmp_path) == {}
    assert env == []  # a permanent failure is not retried


@pytest.mark.parametrize("smtp_server", [{"refuse_prefix": "ceo@"}], indirect=True)
def test_partial_recipient_refusal_is_reported(tmp_path, smtp_server, env) -> None:  # type: ignore[no-untyped-def]
    recorder, _port = smtp_server
    result = _send(tmp_path)
    assert result.exit_code == 3, result.output
    assert "Sent 2026-W43 to 1 of 2 recipients" in result.output
    assert "Refused: ceo@example.com (550 5.1.1 No such user)" in result.output
    assert [rcpts for rcpts, _ in recorder.messages] == [["cfo@example.com"]]
    (entry,) = _ledger(tmp_path)["entries"].values()
    assert entry["refused"] == {"ceo@example.com": "550 5.1.1 No such user"}


def test_env_file_supplies_the_settings(tmp_path, smtp_server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    recorder, port = smtp_server
    for key in ("HOST", "PORT", "USER", "PASSWORD", "SECURITY"):
        monkeypatch.delenv(f"CSREPORTS_SMTP_{key}", raising=False)
    monkeypatch.delenv("CSREPORTS_MAIL_FROM", raising=False)
    env_file = tmp_path / "smtp.env"
    env_file.write_text(
        f"# test settings\nCSREPORTS_SMTP_HOST=127.0.0.1\nexport CSREPORTS_SMTP_PORT={port}\n"
        'CSREPORTS_SMTP_SECURITY="none"\nCSREPORTS_MAIL_FROM=cs@example.com\n'
    )
    result = _send(tmp_path, "--env-file", str(env_file))
    assert result.exit_code == 0, result.output
    assert len(recorder.messages) == 1


@pytest.mark.parametrize("smtp_server", [{"accept_password": "lösenord-ÅÄÖ-€"}], indirect=True)
def test_a_password_beyond_ascii_logs_in_and_sends(tmp_path, smtp_server, env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    recorder, _port = smtp_server
    monkeypatch.setenv("CSREPORTS_SMTP_USER", "cs-bot")
    monkeypatch.setenv("CSREPORTS_SMTP_PASSWORD", "lösenord-ÅÄÖ-€")
    result = _send(tmp_path)
    assert result.exit_code == 0, result.output
    assert len(recorder.messages) == 1


@pytest.mark.parametrize("smtp_server", [{"accept_password": "lösenord"}], indirect=True)
def test_a_wrong_password_beyond_ascii_is_a_refused_login(tmp_path, smtp_server, env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    recorder, _port = smtp_server
    monkeypatch.setenv("CSREPORTS_SMTP_USER", "cs-bot")
    monkeypatch.setenv("CSREPORTS_SMTP_PASSWORD", "fel-lösenord")
    result = _send(tmp_path)
    assert result.exit_code == 1, result.output
    assert "refused the login for 'cs-bot': 535" in result.output
    assert "lösenord" not in result.output
    assert recorder.messages == []
