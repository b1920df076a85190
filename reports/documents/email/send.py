"""Send a message over SMTP with settings from the environment only.

Settings come from ``CSREPORTS_SMTP_HOST``, ``CSREPORTS_SMTP_PORT``,
``CSREPORTS_SMTP_USER``, ``CSREPORTS_SMTP_PASSWORD``,
``CSREPORTS_SMTP_SECURITY`` (``starttls`` default, ``ssl``, ``none``) and
``CSREPORTS_MAIL_FROM``, or from a ``KEY=VALUE`` file the user points to
(``--env-file``; its values win over the process environment). There is
no way to pass them on the command line, and none is read from ``configs/``.

Transient failures (connection errors, timeouts, 4xx replies) are retried
with exponential backoff; permanent ones (5xx, authentication refused) raise
:class:`SendError` at once. When the server accepts some recipients and
refuses others, the message is delivered and the refusals are returned.

One message opens and closes its own connection; many (``csreports deliver``)
share one :class:`SmtpSession`, which connects on first use and again after
the server dropped the connection.
"""

from __future__ import annotations

import base64
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from reports.documents.email.config import check_address
from reports.errors import ConfigError, SendError

ENV_KEYS = (
    "CSREPORTS_SMTP_HOST",
    "CSREPORTS_SMTP_PORT",
    "CSREPORTS_SMTP_USER",
    "CSREPORTS_SMTP_PASSWORD",
    "CSREPORTS_SMTP_SECURITY",
    "CSREPORTS_MAIL_FROM",
)
SECURITY_MODES = ("starttls", "ssl", "none")
_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
_sleep = time.sleep  # replaced in tests


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    mail_from: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SendResult:
    accepted: tuple[str, ...]
    refused: Mapping[str, str]
    """Recipient -> "code message" for each the server refused."""
    attempts: int


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines (``export`` prefix, quotes and ``#`` comments allowed) of a .env file.

    Only ``CSREPORTS_*`` keys are kept; an unknown ``CSREPORTS_`` key is an error (a typo).
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    values: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("export "):
            stripped = stripped[len("export ") :].lstrip()
        key, sep, value = stripped.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise ConfigError(f"{path}, line {number}: expected KEY=VALUE")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        if key.startswith("CSREPORTS_"):
            if key not in ENV_KEYS:
                raise ConfigError(
                    f"{path}, line {number}: unknown key {key!r} (allowed: {', '.join(ENV_KEYS)})"
                )
            values[key] = value
    return values


def load_smtp_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> SmtpSettings:
    """SMTP settings from ``environ`` (default ``os.environ``) overlaid with ``env_file``."""
    values = {k: v for k, v in (os.environ if environ is None else environ).items() if k in ENV_KEYS}
    if env_file is not None:
        values.update(read_env_file(env_file))
    problems = []
    host = values.get("CSREPORTS_SMTP_HOST", "").strip()
    if not host:
        problems.append("CSREPORTS_SMTP_HOST is not set")
    security = (values.get("CSREPORTS_SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SECURITY_MODES:
        problems.append(f"CSREPORTS_SMTP_SECURITY is {security!r}, not one of {', '.join(SECURITY_MODES)}")
        security = "starttls"
    port_text = (values.get("CSREPORTS_SMTP_PORT") or "").strip()
    port = _DEFAULT_PORTS[security]
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            problems.append(f"CSREPORTS_SMTP_PORT is {port_text!r}, not a port number")
        else:
            port = int(port_text)
    mail_from = (values.get("CSREPORTS_MAIL_FROM") or "").strip()
    if not mail_from:
        problems.append("CSREPORTS_MAIL_FROM is not set")
    user = values.get("CSREPORTS_SMTP_USER") or None
    password = values.get("CSREPORTS_SMTP_PASSWORD") or None
    if bool(user) != bool(password):
        problems.append("set both CSREPORTS_SMTP_USER and CSREPORTS_SMTP_PASSWORD, or neither")
    if problems:
        where = f" (environment and {env_file})" if env_file else " (environment)"
        raise ConfigError("SMTP settings incomplete" + where + ": " + "; ".join(problems))
    mail_from = check_address(mail_from, "CSREPORTS_MAIL_FROM")
    return SmtpSettings(host, port, security, mail_from, user, password)


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(exc, OSError | TimeoutError)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "all recipients refused: " + ", ".join(
            f"{addr} ({code} {_text(msg)})" for addr, (code, msg) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; a user or password beyond ASCII goes as UTF-8 over AUTH PLAIN (RFC 4616), which
    :meth:`smtplib.SMTP.login` cannot send."""
    if user.isascii() and password.isascii():
        client.login(user, password)
        return
    if "plain" not in client.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPAuthenticationError(
            504, b"the server offers no AUTH PLAIN, which a user or password beyond ASCII needs"
        )
    token = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, reply = client.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _connect(settings: SmtpSettings, timeout: float) -> smtplib.SMTP:
    """A connected, greeted (and, as configured, encrypted and logged-in) client."""
    context = ssl.create_default_context()
    if settings.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    try:
        client.ehlo()
        if settings.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if settings.user:
            _login(client, settings.user, settings.password or "")
    except BaseException:
        _close(client)
        raise
    return client


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _deliver_once(
    msg: EmailMessage, settings: SmtpSettings, recipients: Sequence[str], timeout: float
) -> dict:
    client = _connect(settings, timeout)
    try:
        return client.send_message(msg, from_addr=settings.mail_from, to_addrs=list(recipients))
    finally:
        _close(client)


class SmtpSession:
    """One connection to the SMTP server for many messages (``with SmtpSession(settings) as s``).

    Connects on the first message; after any failure the connection is closed and the next
    message (or retry) connects afresh, so a server restarted mid-run is simply reconnected to.
    """

    def __init__(self, settings: SmtpSettings, timeout: float = 30.0):
        self.settings = settings
        self.timeout = timeout
        self._client: smtplib.SMTP | None = None

    def send(self, msg: EmailMessage, recipients: Sequence[str]) -> dict:
        """Hand ``msg`` to the server; the recipients it refused (smtplib's mapping)."""
        if self._client is None:
            self._client = _connect(self.settings, self.timeout)
        try:
            return self._client.send_message(
                msg, from_addr=self.settings.mail_from, to_addrs=list(recipients)
            )
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            _close(client)

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def send_message(
    msg: EmailMessage,
    settings: SmtpSettings,
    recipients: Sequence[str],
    *,
    attempts: int = 4,
    base_delay: float = 2.0,
    timeout: float = 30.0,
    sleep: Callable[[float], None] | None = None,
    log: Callable[[str], None] = lambda _line: None,
    session: SmtpSession | None = None,
) -> SendResult:
    """Deliver ``msg`` to ``recipients``; retry transient failures with backoff (2 s, 4 s, 8 s ...).

    With ``session``, the message goes over that session's connection (``settings`` must be
    its settings). Raises :class:`SendError` with a one-line reason on a permanent failure
    or when ``attempts`` are used up (then ``transient`` is true).
    """
    where = f"{settings.host}:{settings.port}"
    for attempt in range(1, attempts + 1):
        try:
            if session is not None:
                refused_raw = session.send(msg, recipients)
            else:
                refused_raw = _deliver_once(msg, settings, recipients, timeout)
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(
                f"SMTP server {where} refused the login for {settings.user!r}: {_describe(exc)} "
                "(check CSREPORTS_SMTP_USER / CSREPORTS_SMTP_PASSWORD); nothing was sent"
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            if not _is_transient(exc):
                raise SendError(
                    f"SMTP server {where} refused the message: {_describe(exc)}; nothing was sent"
                ) from exc
            if attempt == attempts:
                raise SendError(
                    f"SMTP server {where} still failing after {attempts} attempts: {_describe(exc)}; "
                    "nothing was sent",
                    transient=True,
                ) from exc
            delay = base_delay * 2 ** (attempt - 1)
            log(f"attempt {attempt} failed ({_describe(exc)}); retrying in {delay:g} s")
            (sleep or _sleep)(delay)
            continue
        refused = {addr: f"{code} {_text(text)}" for addr, (code, text) in refused_raw.items()}
        accepted = tuple(r for r in recipients if r not in refused)
        return SendResult(accepted=accepted, refused=refused, attempts=attempt)
    raise AssertionError("unreachable")  # pragma: no cover
