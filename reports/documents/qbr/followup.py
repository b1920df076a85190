"""The follow-up email draft (.eml) sent 1–2 days after the QBR.

Holds next quarter's goals with owners and dates and, for a healthy account,
an ask for a reference or the upsell signal found. Built with
:class:`email.message.EmailMessage` and the SMTP policy. Header values from
data go through :func:`~reports.documents.email.message.clean_header` (no
line breaks, so no header can be injected), and the sender is one
:class:`~email.headerregistry.Address` built from the CSM's name and a checked
address: a name like ``Eve <eve@evil.example>, Bob`` stays a quoted display
name, never a second address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from reports.documents.email.config import check_address
from reports.documents.email.message import clean_header
from reports.documents.qbr.context import QbrContext
from reports.documents.qbr.context_types import MAX_TABLE_ROWS, listed
from reports.documents.qbr.phrases import language
from reports.errors import ConfigError, DataError, DataProblem
from reports.render.formatting import clean_text, format_number

_TEXT = {
    "en": {
        "subject": "Follow-up: our {quarter} business review",
        "hello": "Hello,",
        "thanks": "Thank you for the business review. Here are the goals we agreed for next quarter:",
        "none": "We will confirm next quarter's goals together shortly.",
        "reference": "You have had a strong quarter with us. Would you be open to being a reference customer?",
        "upsell": "We also noticed: {signal} Happy to talk about options.",
        "bye": "Best regards,",
        "more": "… and {n} more in the success plan",
    },
    "sv": {
        "subject": "Uppföljning: vår kvartalsgenomgång {quarter}",
        "hello": "Hej,",
        "thanks": "Tack för kvartalsgenomgången. Här är målen vi kom överens om för nästa kvartal:",
        "none": "Vi bekräftar nästa kvartals mål tillsammans inom kort.",
        "reference": "Ni har haft ett starkt kvartal med oss. Skulle ni kunna tänka er att vara referenskund?",
        "upsell": "Vi såg också: {signal} Vi pratar gärna om alternativ.",
        "bye": "Vänliga hälsningar,",
        "more": "… och {n} till i framgångsplanen",
    },
}


def sender(context: QbrContext) -> Address | None:
    """The CSM as the draft's From (None without an address); a bad address is a DataError."""
    if not context.csm_email:
        return None
    try:
        address = check_address(context.csm_email, "email")
    except ConfigError:
        problem = (
            f"{clean_header(context.csm_email, 80)!r} is not an e-mail address (the CSM of this account)"
        )
        raise DataError([DataProblem("csms", None, "email", problem)]) from None
    local, _, domain = address.partition("@")
    return Address(display_name=clean_header(clean_text(context.csm_name), 78), username=local, domain=domain)


def followup_lines(context: QbrContext) -> tuple[str, list[str], list[str]]:
    """Subject, intro lines and goal lines of the draft.

    The goals are next quarter's (each with its KPI's target), else the next steps; a reference ask
    adds the first upsell signal. Their numbers are :attr:`QbrContext.followup_figures`.
    """
    t = _TEXT[language(context.locale)]
    goals = [f"{g.action} ({g.owner}, {g.due})" for g in context.next_goals] or [
        f"{s.action} ({s.owner}, {s.due})" for s in context.next_steps
    ]
    goals = listed(
        goals, lambda n: t["more"].format(n=format_number(n, context.locale)), limit=MAX_TABLE_ROWS
    )
    extra = []
    if context.reference_ask:
        extra.append(t["reference"])
        if context.upsell:
            extra.append(t["upsell"].format(signal=context.upsell[0]))
    return t["subject"].format(quarter=context.quarter), [t["hello"], "", t["thanks"]], [*goals, "", *extra]


def render_followup(context: QbrContext) -> bytes:
    """The .eml draft as bytes (no Date-dependent content beyond the deck date)."""
    t = _TEXT[language(context.locale)]
    subject, intro, rest = followup_lines(context)
    goals = rest[: rest.index("")]
    extras = [line for line in rest[len(goals) :] if line]
    message = EmailMessage(policy=SMTP)
    message["Subject"] = clean_header(subject)
    from_address = sender(context)
    if from_address is not None:
        message["From"] = from_address
    message["X-CSReports-Account"] = clean_header(context.account_id)
    message["Date"] = format_datetime(dt.datetime.combine(context.generated_on, dt.time(9, 0), dt.UTC))
    message["X-Unsent"] = "1"
    signature = clean_text(context.csm_name)
    text = "\n".join([*intro, "", *(f"- {g}" for g in goals), "", *extras, "", t["bye"], signature]) + "\n"
    message.set_content(text)
    esc = html.escape
    body = (
        f"<p>{esc(intro[0])}</p><p>{esc(intro[2])}</p><ul>"
        + "".join(f"<li>{esc(g)}</li>" for g in goals)
        + "</ul>"
        + "".join(f"<p>{esc(e)}</p>" for e in extras)
        + f"<p>{esc(t['bye'])}<br>{esc(signature)}</p>"
    )
    message.add_alternative(f"<!DOCTYPE html><html><body>{body}</body></html>", subtype="html")
    message.set_boundary("csreports-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24])
    return bytes(message)
