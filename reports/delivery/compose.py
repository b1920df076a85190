"""The QBR delivery email of one account, as an ``EmailMessage``.

Structure::

    multipart/mixed
      multipart/alternative
        text/plain     (email/qbr_delivery.txt.j2)
        text/html      (email/qbr_delivery.html.j2, autoescaped)
      application/pdf  (the leave-behind) and/or the PPTX deck, as attachments

Every word comes from the message catalogue in the account's language
(:func:`reports.documents.qbr.phrases.phrase`): the greeting by the recipients'
first names, the quarter, two or three headline figures exactly as the attached
document prints them (read from its manifest ``figures``, never computed again),
a note for each document left out for size, and the CSM's signature. The
templates are rendered in the same sandboxed, strict environment as every other
template (:func:`reports.render.pdf.make_environment`).

Headers: ``From`` is the CSM (or the fixed sender of ``delivery.yaml``), ``Reply-To``
always the CSM, ``To`` only the account's chosen contacts, ``Date`` and a
``Message-ID`` derived from the account, its files' sha256 and the recipients, so
the same delivery always has the same id. Header values from data pass
:func:`~reports.documents.email.message.clean_header` (a name with CR/LF cannot start a
header) and every address :func:`~reports.documents.email.config.check_address`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from reports.delivery.config import DeliveryConfig
from reports.delivery.plan import Delivery, travelling_size
from reports.documents.email.config import check_address
from reports.documents.email.message import clean_header, named_address
from reports.documents.email.render import check_email_html
from reports.documents.qbr.followup import hello
from reports.documents.qbr.phrases import phrase
from reports.errors import RenderError
from reports.render.formatting import clean_text, format_number, format_quarter
from reports.render.pdf import make_environment, render_html

HTML_TEMPLATE = "email/qbr_delivery.html.j2"
TEXT_TEMPLATE = "email/qbr_delivery.txt.j2"
MAX_HIGHLIGHTS = 3

_MIME = {
    "qbr-pdf": ("application", "pdf"),
    "qbr-pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_DOCUMENT_NAME = {"qbr-pdf": "delivery_doc_leave_behind", "qbr-pptx": "delivery_doc_deck"}


def _first(figures: Sequence[Mapping[str, Any]], figure_id: str) -> Mapping[str, Any] | None:
    """The first record of ``figure_id`` that has a value (as the document printed it first)."""
    for record in figures:
        if record.get("id") == figure_id and record.get("value") is not None and record.get("shown"):
            return record
    return None


def highlights(figures: Sequence[Mapping[str, Any]] | None, locale: str) -> list[str]:
    """Up to three headline sentences from a document's manifest ``figures``, their numbers as printed.

    >>> highlights([{"id": "active_users", "value": 19.2, "shown": "19"},
    ...             {"id": "active_users_change", "value": -0.066, "shown": "-6.6%"}], "en")
    ['Active users, on average: 19 (-6.6% vs last quarter).']
    """
    figures = figures or []
    shown = {
        key: _first(figures, key)
        for key in (
            "active_users",
            "active_users_change",
            "seat_utilisation",
            "latest_active_users",
            "latest_seats",
            "key_feature_events",
            "key_feature_events_change",
            "nps_12m",
        )
    }

    def text(key: str) -> str:
        record = shown[key]
        return str(record["shown"]) if record else ""

    lines = []
    if shown["active_users"]:
        if shown["active_users_change"]:
            lines.append(
                phrase(
                    locale, "delivery_users", value=text("active_users"), change=text("active_users_change")
                )
            )
        else:
            lines.append(phrase(locale, "delivery_users_new", value=text("active_users")))
    if shown["seat_utilisation"] and shown["latest_active_users"] and shown["latest_seats"]:
        lines.append(
            phrase(
                locale,
                "seat_util",
                value=text("seat_utilisation"),
                users=text("latest_active_users"),
                seats=text("latest_seats"),
            )
        )
    if shown["key_feature_events"]:
        if shown["key_feature_events_change"]:
            lines.append(
                phrase(
                    locale,
                    "feature_change",
                    value=text("key_feature_events"),
                    change=text("key_feature_events_change"),
                )
            )
        else:
            lines.append(phrase(locale, "feature_change_new", value=text("key_feature_events")))
    if shown["nps_12m"]:
        lines.append(phrase(locale, "delivery_nps", value=text("nps_12m")))
    return lines[:MAX_HIGHLIGHTS]


def _address(name: str, email: str, where: str) -> Address:
    return named_address(clean_text(name), check_address(email, where))


@dataclass(frozen=True)
class EmailTexts:
    """What the templates lay out, every word already in the account's language."""

    locale: str
    subject: str
    greeting: str
    intro: str
    highlights_title: str
    highlights: tuple[str, ...]
    notes: tuple[str, ...]
    reply: str
    bye: str
    signature: str
    company: str
    accent: str


class Composer:
    """Builds the messages of one delivery run (templates loaded once)."""

    def __init__(
        self,
        config: DeliveryConfig,
        *,
        company: str = "",
        accent: str = "#0072B2",
        template_dirs: Sequence[Path] = (),
    ):
        self.config = config
        self.company = clean_text(config.company or company).strip()
        self.accent = accent
        self.html_env = make_environment(template_dirs)
        self.text_env = make_environment(template_dirs)
        self.text_env.autoescape = False

    def texts(self, delivery: Delivery) -> EmailTexts:
        """The words of ``delivery``'s message, in its language."""
        locale = delivery.locale
        quarter = format_quarter(delivery.quarter, locale) if delivery.quarter else ""
        account = clean_text(delivery.account_name)
        csm = clean_text(delivery.csm_name)
        template = self.config.subject.get(locale)
        fields = {"account": account, "quarter": quarter, "csm": csm, "company": self.company}
        subject = template.format(**fields) if template else phrase(locale, "delivery_subject", **fields)
        greeting = hello(locale, delivery.recipients)
        figures = delivery.attachments[0].entry.figures if delivery.attachments else None
        notes = tuple(
            phrase(
                locale,
                "delivery_too_large",
                document=phrase(locale, _DOCUMENT_NAME[a.entry.document]),
                size=format_number(travelling_size(a.size) / (1024 * 1024), locale, 1),
            )
            for a in delivery.left_out
        )
        return EmailTexts(
            locale=locale,
            subject=clean_header(subject),
            greeting=greeting,
            intro=phrase(locale, "delivery_intro", quarter=quarter),
            highlights_title=phrase(locale, "delivery_highlights"),
            highlights=tuple(highlights(figures, locale)),
            notes=notes,
            reply=phrase(locale, "delivery_reply"),
            bye=phrase(locale, "followup_bye"),
            signature=csm,
            company=self.company,
            accent=self.accent,
        )

    def compose(self, delivery: Delivery, *, date: dt.datetime | None = None) -> EmailMessage:
        """The complete message of ``delivery`` (which must have no ``problem``)."""
        if delivery.problem:
            raise ValueError(f"{delivery.account_id}: {delivery.problem}")
        texts = self.texts(delivery)
        html = render_html(HTML_TEMPLATE, texts, env=self.html_env)
        text = render_html(TEXT_TEMPLATE, texts, env=self.text_env)
        try:
            check_email_html(html)
        except RenderError as exc:
            raise RenderError(str(exc).replace("weekly email", "QBR delivery email")) from None
        text = "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"
        csm = _address(delivery.csm_name, delivery.csm_email, f"{delivery.account_id}: CSM e-mail")
        if self.config.sender == "csm":
            sender = csm
        else:
            sender = _address(self.config.sender_name or delivery.csm_name, self.config.sender, "sender")
        to = [
            _address(r.name, r.email, f"{delivery.account_id}: contact e-mail") for r in delivery.recipients
        ]
        msg = EmailMessage(policy=policy.SMTP)
        msg["Subject"] = texts.subject
        msg["From"] = sender
        msg["Reply-To"] = csm
        msg["To"] = to
        msg["Date"] = format_datetime(date or dt.datetime.now(dt.UTC))
        msg["Message-ID"] = message_id(delivery, sender.domain)
        msg["X-CSReports-Account"] = clean_header(delivery.account_id, 80)
        msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
        for attachment in delivery.attachments:
            maintype, subtype = _MIME[attachment.entry.document]
            msg.add_attachment(
                attachment.path.read_bytes(), maintype=maintype, subtype=subtype, filename=attachment.name
            )
        msg["Content-Language"] = clean_header(delivery.locale, 20)  # after the parts: set_content drops it
        digest = message_id(delivery, "x")[5:21]
        for i, part in enumerate(msg.walk()):
            if part.is_multipart():
                part.set_boundary(f"==csreports-{digest}-{i}==")
        return msg


def message_id(delivery: Delivery, domain: str) -> str:
    """``<qbr.{hash}@{domain}>``: the hash of the account, its files' sha256 and the recipients."""
    digest = hashlib.sha256()
    for part in (
        delivery.account_id,
        delivery.locale,
        *(str(a.entry.sha256) for a in delivery.files),
        *(r.email.lower() for r in delivery.recipients),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    return f"<qbr.{digest.hexdigest()[:32]}@{domain}>"
