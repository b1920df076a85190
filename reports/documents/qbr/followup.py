"""The follow-up email draft (.eml) sent 1–2 days after the QBR.

Holds next quarter's goals with owners and dates and, for a healthy account,
an ask for a reference or the upsell signal found. Built with
:class:`email.message.EmailMessage` and the SMTP policy; every header value
that comes from data has CR and LF removed, so no header can be injected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from reports.documents.qbr.context import QbrContext
from reports.documents.qbr.phrases import language
from reports.render.formatting import clean_text

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")

_TEXT = {
    "en": {
        "subject": "Follow-up: our {quarter} business review",
        "hello": "Hello,",
        "thanks": "Thank you for the business review. Here are the goals we agreed for next quarter:",
        "none": "We will confirm next quarter's goals together shortly.",
        "reference": "You have had a strong quarter with us. Would you be open to being a reference customer?",
        "upsell": "We also noticed: {signal} Happy to talk about options.",
        "bye": "Best regards,",
    },
    "sv": {
        "subject": "Uppföljning: vår kvartalsgenomgång {quarter}",
        "hello": "Hej,",
        "thanks": "Tack för kvartalsgenomgången. Här är målen vi kom överens om för nästa kvartal:",
        "none": "Vi bekräftar nästa kvartals mål tillsammans inom kort.",
        "reference": "Ni har haft ett starkt kvartal med oss. Skulle ni kunna tänka er att vara referenskund?",
        "upsell": "Vi såg också: {signal} Vi pratar gärna om alternativ.",
        "bye": "Vänliga hälsningar,",
    },
}


def header_safe(value: object) -> str:
    """``value`` as one header line: CR/LF and other line breaks become spaces."""
    return _LINE_BREAKS.sub(" ", clean_text(str(value))).strip()


def followup_lines(context: QbrContext) -> tuple[str, list[str], list[str]]:
    """Subject, intro lines and goal lines of the draft.

    The goals are next quarter's (each with its KPI's target), else the next steps; a reference ask
    adds the first upsell signal. Their numbers are :attr:`QbrContext.followup_figures`.
    """
    t = _TEXT[language(context.locale)]
    goals = [f"{g.action} ({g.owner}, {g.due})" for g in context.next_goals] or [
        f"{s.action} ({s.owner}, {s.due})" for s in context.next_steps
    ]
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
    goals = [line for line in rest if line][: len(context.next_goals) or len(context.next_steps)]
    extras = [line for line in rest if line][len(goals) :]
    message = EmailMessage(policy=SMTP)
    message["Subject"] = header_safe(subject)
    if context.csm_email:
        sender = (
            f"{header_safe(context.csm_name)} <{header_safe(context.csm_email)}>"
            if context.csm_name
            else header_safe(context.csm_email)
        )
        message["From"] = sender
    message["X-CSReports-Account"] = header_safe(context.account_id)
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
