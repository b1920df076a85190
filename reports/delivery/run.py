"""One delivery run: plan, compose, then print (dry run), write ``.eml`` files or send.

Sending goes over one SMTP connection (:class:`~reports.documents.email.send.SmtpSession`)
at most ``rate_per_minute`` messages a minute. After the server accepts a message, the
ledger line is written (:class:`~reports.delivery.ledger.DeliveryLedger`), then each
attached file's review becomes ``sent`` (a file left out for size: ``failed``, with the
reason). A message the server refuses for good (5xx) or an account that cannot be sent
(no recipient, no CSM address, too large) makes its files ``failed`` with the reason; they
are not tried again until approved again. When the server stays unreachable or answers
"try later" through every retry, the run stops sending: that message and the rest stay
approved and are sent by the next run. The ledger line is synced before the next message;
review lines are appended in batches (every :data:`REVIEW_BATCH` messages and at the end,
also after Ctrl-C): a run killed in between leaves files the ledger records as sent but
the log as approved, and the next run records them as sent without sending them again.
``OUT/delivery-report.csv`` (account, recipients,
message id, status, error) is written atomically at the end, also after Ctrl-C.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reports.delivery.compose import Composer
from reports.delivery.config import DeliveryConfig
from reports.delivery.ledger import DeliveryLedger, delivery_lock
from reports.delivery.plan import Delivery, Plan, plan_deliveries
from reports.documents.email.message import message_bytes
from reports.documents.email.send import SmtpSession, SmtpSettings, send_message
from reports.errors import CsReportsError, RenderError, SendError
from reports.output.files import path_inside, write_bytes_atomic
from reports.review.log import Review, ReviewLog, now_utc
from reports.review.manifest_file import read_run

REPORT_NAME = "delivery-report.csv"
REPORT_COLUMNS = (
    "account_id",
    "account_name",
    "locale",
    "recipients",
    "message_id",
    "status",
    "error",
    "files",
)
MODES = ("dry-run", "eml", "send")
REVIEW_BATCH = 200
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Outcome:
    """What became of one planned message (a row of the delivery report)."""

    delivery: Delivery
    status: str
    """``sent``, ``failed``, ``not sent`` (server unavailable or interrupted: the next run sends it),
    ``written`` (an .eml) or ``dry run``."""
    message_id: str = ""
    error: str = ""

    def row(self) -> dict[str, str]:
        d = self.delivery
        return {
            "account_id": d.account_id,
            "account_name": d.account_name,
            "locale": d.locale,
            "recipients": "; ".join(r.email for r in d.recipients),
            "message_id": self.message_id,
            "status": self.status,
            "error": self.error,
            "files": "; ".join(a.name for a in d.files),
        }


@dataclass
class DeliveryResult:
    plan: Plan
    outcomes: list[Outcome] = field(default_factory=list)
    stopped: str = ""
    """Why sending stopped early (the server's last answer), or empty."""
    report: Path | None = None

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        """0 when every message went (or would go) out, 3 when some failed or were not sent."""
        return 3 if any(o.status in ("failed", "not sent") for o in self.outcomes) else 0


class RateLimit:
    """At most ``per_minute`` calls of :meth:`wait` a minute (0: no limit), evenly spaced."""

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self._next = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self._next > now:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


@dataclass
class DeliveryOptions:
    mode: str
    """One of :data:`MODES`."""
    eml_dir: Path | None = None
    smtp: SmtpSettings | None = None
    rate_per_minute: int | None = None
    """Overrides ``delivery.yaml``'s ``rate_per_minute``."""
    limit: int | None = None
    """Send at most this many messages this run."""
    accounts: Sequence[str] = ()
    by: str = "csreports deliver"
    template_dirs: Sequence[Path] = ()
    company: str = ""
    accent: str = "#0072B2"
    attempts: int = 4
    retry_delay: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


def _reviews(delivery: Delivery, files, status: str, by: str, reason: str) -> list[Review]:
    at = now_utc()
    return [Review(str(a.entry.path), str(a.entry.sha256), status, by, at, reason) for a in files]


def _describe(delivery: Delivery) -> str:
    to = ", ".join(f"{r.name} <{r.email}>" if r.name else r.email for r in delivery.recipients) or "nobody"
    files = ", ".join(f"{a.name} ({max(1, round(a.size / 1024))} KB)" for a in delivery.attachments) or "none"
    line = f"{delivery.account_id} {delivery.account_name} ({delivery.locale}) -> {to}; attach: {files}"
    if delivery.left_out:
        line += "; left out for size: " + ", ".join(a.name for a in delivery.left_out)
    return line


def deliver(
    out_dir: Path,
    config: DeliveryConfig,
    tables: Mapping[str, pd.DataFrame],
    options: DeliveryOptions,
    echo: Callable[[str], None] = print,
) -> DeliveryResult:
    """Deliver the approved customer QBR files of ``out_dir`` as ``options.mode`` says."""
    if options.mode not in MODES:
        raise CsReportsError(f"unknown delivery mode {options.mode!r}")
    if options.mode == "send" and options.smtp is None:
        raise CsReportsError("sending needs SMTP settings")
    run = read_run(out_dir)
    with delivery_lock(run.out_dir):
        reviews = ReviewLog.load(run.out_dir)
        ledger = DeliveryLedger.load(run.out_dir)
        plan = plan_deliveries(run, reviews, ledger.sent, config, tables, accounts=options.accounts)
        result = DeliveryResult(plan)
        writing = options.mode != "dry-run"
        if writing and plan.reconciled:
            reviews.append(
                Review(
                    str(e.path),
                    str(e.sha256),
                    "sent",
                    options.by,
                    now_utc(),
                    "message " + str(ledger.sent[(str(e.path), str(e.sha256))]["message_id"]),
                )
                for e in plan.reconciled
            )
        todo = plan.deliveries if options.limit is None else plan.deliveries[: options.limit]
        composer = Composer(
            config, company=options.company, accent=options.accent, template_dirs=options.template_dirs
        )
        limit = RateLimit(
            config.rate_per_minute if options.rate_per_minute is None else options.rate_per_minute,
            options.clock,
            options.sleep,
        )
        session = SmtpSession(options.smtp) if options.mode == "send" and options.smtp else None
        pending: list[Review] = []
        try:
            for delivery in todo:
                outcome = _one(delivery, options, composer, limit, session, ledger, pending, result, echo)
                result.outcomes.append(outcome)
                if len(pending) >= REVIEW_BATCH:
                    reviews.append(pending)
                    pending.clear()
        finally:
            if session is not None:
                session.close()
            reviews.append(pending)
            done = {id(o.delivery) for o in result.outcomes}
            for delivery in todo:
                if id(delivery) not in done:
                    result.outcomes.append(Outcome(delivery, "not sent", error="interrupted before sending"))
            if writing:
                result.report = write_report(run.out_dir, result.outcomes)
                run.write(reviews)
    return result


def _one(
    delivery: Delivery,
    options: DeliveryOptions,
    composer: Composer,
    limit: RateLimit,
    session: SmtpSession | None,
    ledger: DeliveryLedger,
    reviews: list[Review],
    result: DeliveryResult,
    echo: Callable[[str], None],
) -> Outcome:
    sending = options.mode == "send"
    if result.stopped:
        return Outcome(delivery, "not sent", error=f"not tried: {result.stopped}")
    if delivery.problem:
        if sending:
            reviews.extend(_reviews(delivery, delivery.files, "failed", options.by, delivery.problem))
        if options.mode == "dry-run":
            echo(f"{delivery.account_id} {delivery.account_name}: cannot be sent: {delivery.problem}")
        return Outcome(delivery, "failed", error=delivery.problem)
    try:
        msg = composer.compose(delivery)
    except (RenderError, CsReportsError, OSError) as exc:
        reason = f"the message could not be made: {exc}"
        if sending:
            reviews.extend(_reviews(delivery, delivery.files, "failed", options.by, reason))
        return Outcome(delivery, "failed", error=reason)
    message_id = str(msg["Message-ID"])
    if options.mode == "dry-run":
        echo(_describe(delivery))
        return Outcome(delivery, "dry run", message_id)
    if options.mode == "eml":
        assert options.eml_dir is not None
        name = f"{delivery.attachments[0].path.stem}.eml"
        write_bytes_atomic(path_inside(options.eml_dir, name), message_bytes(msg))
        return Outcome(delivery, "written", message_id)
    assert options.smtp is not None
    addresses = [r.email for r in delivery.recipients]
    limit.wait()
    try:
        sent = send_message(
            msg,
            options.smtp,
            addresses,
            attempts=options.attempts,
            base_delay=options.retry_delay,
            sleep=options.sleep,
            session=session,
            log=lambda line: echo(f"  {delivery.account_id}: {line}"),
        )
    except SendError as exc:
        if exc.transient:
            result.stopped = str(exc)
            echo(f"stopped sending: {exc}; run the same command again to send the rest")
            return Outcome(delivery, "not sent", message_id, str(exc))
        reviews.extend(_reviews(delivery, delivery.files, "failed", options.by, str(exc)))
        return Outcome(delivery, "failed", message_id, str(exc))
    ledger.record(
        account_id=delivery.account_id,
        files=[(str(a.entry.path), str(a.entry.sha256)) for a in delivery.attachments],
        message_id=message_id,
        recipients=sent.accepted,
        refused=sent.refused,
    )
    to = ", ".join(sent.accepted)
    records = _reviews(delivery, delivery.attachments, "sent", options.by, f"message {message_id} to {to}")
    if delivery.left_out:
        records += _reviews(
            delivery,
            delivery.left_out,
            "failed",
            options.by,
            f"too large to attach (max_message_mb); message {message_id} asked the customer to reply for it",
        )
    reviews.extend(records)
    refused = "; ".join(f"{a}: {why}" for a, why in sent.refused.items())
    return Outcome(delivery, "sent", message_id, f"refused {refused}" if refused else "")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_report(out_dir: Path, outcomes: Sequence[Outcome]) -> Path:
    """``delivery-report.csv``: one row per planned message, written atomically."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for outcome in outcomes:
        writer.writerow({k: _cell(v) for k, v in outcome.row().items()})
    path = Path(out_dir) / REPORT_NAME
    write_bytes_atomic(path, buffer.getvalue().encode("utf-8"))
    return path
