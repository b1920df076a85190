"""Which messages a delivery run sends: approved customer files grouped per account.

From a run's ``manifest.json`` and review log, a file is a candidate when it is one of the
documents ``delivery.yaml`` attaches, written for the customer (``audience: customer``;
internal files are never delivered) and approved as it is now (same sha256, and the file on
disk still has it). Candidates are grouped per account and language into one
:class:`Delivery` each; its recipients come from the account's contacts
(:func:`reports.documents.qbr.recipients.delivery_recipients`), its sender and Reply-To from
its CSM. A file the delivery ledger already records is not sent again: its review is
brought up to ``sent`` instead.

Attachments are added in ``attach`` order while their size as they travel (base64) stays
within ``max_message_mb``; one that would pass it is left out and named in the message (the
customer replies for it). When the first attachment alone passes the cap, or the account has
no recipient or no CSM address, the :class:`Delivery` carries the ``problem`` and is not sent.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from reports.delivery.config import DeliveryConfig
from reports.documents.email.config import check_address
from reports.documents.qbr.recipients import Recipient, delivery_recipients
from reports.errors import ConfigError, CsReportsError
from reports.output.files import sha256_file
from reports.output.manifest import ManifestEntry
from reports.review.log import ReviewLog
from reports.review.manifest_file import RunFiles


def travelling_size(size: int) -> int:
    """Bytes a file of ``size`` bytes takes in a message: base64, lines of 76 characters plus CRLF.

    >>> travelling_size(3_000_000)
    4105264
    """
    encoded = 4 * math.ceil(size / 3)
    return encoded + 2 * math.ceil(encoded / 76)


@dataclass(frozen=True)
class Attachment:
    """One approved file of the account, as it goes into the message."""

    entry: ManifestEntry
    path: Path
    size: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Delivery:
    """One message: an account's approved customer files in one language, and who gets them."""

    account_id: str
    account_name: str
    locale: str
    quarter: str
    """The run's period label (``2026-Q3``)."""
    attachments: list[Attachment]
    left_out: list[Attachment] = field(default_factory=list)
    """Approved files over the size cap: named in the message, not attached."""
    recipients: tuple[Recipient, ...] = ()
    csm_name: str = ""
    csm_email: str = ""
    problem: str = ""
    """Why the message cannot be sent (no recipient, no CSM address, too large); empty: it can."""

    @property
    def files(self) -> list[Attachment]:
        return [*self.attachments, *self.left_out]


@dataclass
class Plan:
    """What a delivery run found: messages to send, files already sent, what it skipped and why."""

    deliveries: list[Delivery]
    reconciled: list[ManifestEntry] = field(default_factory=list)
    """Approved files the ledger says were sent (a run stopped before recording it): now ``sent``."""
    skipped: Counter[str] = field(default_factory=Counter)
    """Reason -> number of files: ``internal``, ``draft``, ``held``, ``sent``, ``failed``, ``changed``."""


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def plan_deliveries(
    run: RunFiles,
    reviews: ReviewLog,
    sent: Mapping[tuple[str, str], Any],
    config: DeliveryConfig,
    tables: Mapping[str, pd.DataFrame],
    *,
    accounts: Sequence[str] = (),
) -> Plan:
    """The messages of a delivery run (see the module docstring).

    ``sent`` maps ``(path, sha256)`` of files the delivery ledger records as sent. ``accounts``
    limits the run to these account ids. Raises :class:`CsReportsError` when the documents to
    deliver are all internal, or an account id is not in the run.
    """
    chosen = [e for e in run.files if e.document in config.documents]
    if accounts:
        known = {e.account_id for e in chosen}
        unknown = sorted(set(accounts) - known)
        if unknown:
            raise CsReportsError(f"the run has no document to deliver of account(s) {', '.join(unknown)}")
        chosen = [e for e in chosen if e.account_id in accounts]
    if not chosen:
        kinds = ", ".join(config.attach)
        raise CsReportsError(
            f"{run.out_dir} has no QBR files to deliver ({kinds}, as {config.source} attaches); "
            "render them with csreports qbr --format pptx,pdf"
        )
    customer = [e for e in chosen if e.audience == "customer"]
    if not customer:
        raise CsReportsError(
            f"{run.out_dir}: every document to deliver is internal (audience: internal); internal "
            "documents are never sent to customers: render the customer version (--audience customer)"
        )
    plan = Plan(deliveries=[])
    plan.skipped["internal"] = len(chosen) - len(customer)
    groups: dict[tuple[str, str], list[Attachment]] = {}
    for entry in customer:
        status = reviews.status_of(entry.path, entry.sha256)
        key = (str(entry.path), str(entry.sha256))
        if status == "approved" and key in sent:
            plan.reconciled.append(entry)
            continue
        if status != "approved":
            plan.skipped[status] += 1
            continue
        path = run.out_dir / str(entry.path)
        try:
            changed = sha256_file(path) != entry.sha256
        except OSError:
            changed = True
        if changed:
            plan.skipped["changed"] += 1
            continue
        groups.setdefault((str(entry.account_id), str(entry.locale or "en")), []).append(
            Attachment(entry, path, path.stat().st_size)
        )
    contacts = _by_account(tables.get("contacts"))
    csms = _csms(tables.get("csms"))
    order = {kind: i for i, kind in enumerate(config.documents)}
    period = str(run.run.get("period") or "")
    for (account_id, locale), files in groups.items():
        files.sort(key=lambda a: (order[a.entry.document], a.name))
        first = files[0].entry
        delivery = Delivery(
            account_id=account_id,
            account_name=_text(first.account_name) or account_id,
            locale=locale,
            quarter=period,
            attachments=[],
        )
        total = 0
        for attachment in files:
            size = travelling_size(attachment.size)
            if total + size <= config.max_bytes:
                delivery.attachments.append(attachment)
                total += size
            else:
                delivery.left_out.append(attachment)
        if not delivery.attachments:
            big = files[0]
            delivery.problem = (
                f"{big.name} is {_mb(travelling_size(big.size))} MB as attached, over the "
                f"{config.max_message_mb:g} MB cap (max_message_mb in {config.source}); send it by hand "
                "or raise the cap"
            )
        delivery.recipients = delivery_recipients(
            contacts.get(account_id), config.prefer, config.roles, config.max_recipients
        )
        csm_name, csm_email = csms.get(_text(first.csm_id), ("", ""))
        delivery.csm_name, delivery.csm_email = csm_name, csm_email
        if not delivery.problem and not delivery.recipients:
            delivery.problem = (
                "no contact to send to: none is active, not opted out of e-mail, with a valid address "
                f"and one of {', '.join(config.prefer + config.roles)} (recipients in {config.source})"
            )
        if not delivery.problem and not csm_email:
            delivery.problem = (
                f"the account's CSM ({_text(first.csm_id) or 'none'}) has no valid e-mail address in csms, "
                "so the customer's reply would reach nobody"
            )
        plan.deliveries.append(delivery)
    plan.deliveries.sort(key=lambda d: (d.account_id, d.locale))
    return plan


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _by_account(contacts: pd.DataFrame | None) -> dict[str, list[dict[str, Any]]]:
    """Account id -> its contacts as records (made once: a frame per account is slow by thousands)."""
    found: dict[str, list[dict[str, Any]]] = {}
    if contacts is None or contacts.empty:
        return found
    for record in contacts.to_dict("records"):
        found.setdefault(str(record.get("account_id")), []).append(record)
    return found


def _csms(csms: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    """CSM id -> (name, checked address or '')."""
    if csms is None or csms.empty:
        return {}
    found = {}
    for row in csms.itertuples(index=False):
        email = _text(getattr(row, "email", ""))
        try:
            email = check_address(email, "email") if email else ""
        except ConfigError:
            email = ""
        found[_text(row.csm_id)] = (_text(row.name), email)
    return found
