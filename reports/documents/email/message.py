"""Build the weekly email as a standards-compliant ``EmailMessage``.

Structure::

    multipart/alternative
      text/plain                (the link-free text version)
      multipart/related
        text/html               (references the charts as cid:...)
        image/png  (inline, Content-ID <...>)  one per chart

Every header value that comes from data or config (subject, display names)
goes through :func:`clean_header`: CR, LF, other control characters and
Unicode line/paragraph separators are removed, so no value can start a new
header (no ``\\r\\nBcc: ...`` injection). Addresses must match a strict
pattern (:func:`reports.documents.email.config.check_address`).

The Message-ID is ``<{week}.{hash}@{domain}>`` where ``hash`` is the SHA-256
of the content (subject, text, HTML, images, sender, recipients); the Date is
the Friday 07:00 after the week in the configured time zone unless a date is
passed. The same inputs therefore give a byte-identical ``.eml``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import cast
from zoneinfo import ZoneInfo

from cs_calc.weekly import IsoWeek
from reports.documents.email.config import check_address
from reports.documents.email.render import RenderedEmail

MAX_HEADER_CHARS = 200


def clean_header(value: object, max_chars: int = MAX_HEADER_CHARS) -> str:
    """A single-line header value: control and line-separator characters removed, spaces collapsed.

    >>> clean_header("Q3 report\\r\\nBcc: x@evil.example")
    'Q3 report Bcc: x@evil.example'
    >>> clean_header("a\\u2028b\\x00c")
    'a bc'
    """
    text = "" if value is None else str(value)
    chars = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\r\n\t\u2028\u2029\x85\x0b\x0c":
            chars.append(" ")
        elif category in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            continue
        else:
            chars.append(ch)
    collapsed = re.sub(r"\s+", " ", "".join(chars)).strip()
    return collapsed[:max_chars].rstrip()


def named_address(name: object, address: str) -> Address:
    """``address`` (already checked) with ``name`` as its display name, cleaned for a header."""
    local, _, domain = address.partition("@")
    return Address(display_name=clean_header(name, 78), username=local, domain=domain)


def scheduled_date(week: IsoWeek, zone: ZoneInfo) -> dt.datetime:
    """The Friday 07:00 (in ``zone``) after the week: the scheduled send time, aware."""
    friday = (week.end + dt.timedelta(days=5)).date()
    return dt.datetime.combine(friday, dt.time(7, 0), tzinfo=zone)


def content_hash(rendered: RenderedEmail, sender: str, recipients: Sequence[str]) -> str:
    """SHA-256 (hex) of everything that makes the message."""
    digest = hashlib.sha256()
    for part in (rendered.subject, rendered.text, rendered.html, sender, "\n".join(recipients)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for image in rendered.images:
        digest.update(image.cid.encode("utf-8") + b"\0" + image.png + b"\0")
    return digest.hexdigest()


def build_message(
    rendered: RenderedEmail,
    *,
    week: IsoWeek,
    sender_address: str,
    sender_name: str,
    recipients: Sequence[str],
    zone: ZoneInfo,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """The complete message (headers, text, HTML, inline PNGs); see the module docstring."""
    sender_address = check_address(sender_address, "sender address (CSREPORTS_MAIL_FROM)")
    recipients = [check_address(r, "recipient") for r in recipients]
    if not recipients:
        raise ValueError("the weekly email needs at least one recipient")
    digest = content_hash(rendered, sender_address, recipients)
    domain = sender_address.rsplit("@", 1)[1]

    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = clean_header(rendered.subject)
    msg["From"] = named_address(sender_name, sender_address)
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(date or scheduled_date(week, zone))
    msg["Message-ID"] = f"<{week.label}.{digest[:24]}@{domain}>"
    msg["X-CSReports-Week"] = week.label
    msg["Auto-Submitted"] = "auto-generated"

    msg.set_content(rendered.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="quoted-printable")
    html_part = cast(EmailMessage, msg.get_payload()[1])  # type: ignore[index]  # multipart: a list
    for image in rendered.images:
        html_part.add_related(
            image.png,
            maintype="image",
            subtype=image.subtype,
            cid=f"<{image.cid}>",
            filename=image.filename,
            disposition="inline",
        )
    # Make the boundaries deterministic: derived from the content hash, not random.
    for i, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"==csreports-{digest[:16]}-{i}==")
    return msg


def message_bytes(msg: EmailMessage) -> bytes:
    """The message as RFC 5322 bytes (CRLF line ends), as written to a ``.eml`` file."""
    return msg.as_bytes(policy=policy.SMTP)
