"""The follow-up email draft (.eml) sent 1–2 days after the QBR.

Addressed to the account's contacts chosen by role (``follow_up_to`` in
``configs/qbr.yaml``; active, with valid addresses) with the CSM on Cc, it
greets them by first name and lists the deck's next steps as plain sentences
with owner and date; for a healthy account it adds an ask for a reference or
the upsell signal found. Built with
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
from collections.abc import Iterable
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from reports.documents.email.config import check_address
from reports.documents.email.message import clean_header, named_address
from reports.documents.qbr.context import QbrContext
from reports.documents.qbr.context_types import MAX_TABLE_ROWS, listed
from reports.documents.qbr.customer_check import check_customer_context
from reports.documents.qbr.phrases import phrase
from reports.documents.qbr.recipients import Recipient
from reports.errors import ConfigError, DataError, DataProblem
from reports.render.formatting import clean_text, format_number


def _t(context: QbrContext, key: str, **values: object) -> str:
    """The follow-up's phrase ``key`` (``followup_<key>`` in the message catalogue) in the deck's locale."""
    return phrase(context.locale, f"followup_{key}", **values)


def _names(names: list[str], word_and: str) -> str:
    """'Maria', 'Maria and Chen', 'Maria, Chen and Ana'.

    >>> _names(["Maria", "Chen", "Ana"], "and")
    'Maria, Chen and Ana'
    """
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word_and} {names[-1]}"


def hello(locale: str, recipients: Iterable[Recipient]) -> str:
    """'Hello Maria and Chen,' by the recipients' first names (each once), in ``locale``; 'Hello,'
    without any. The follow-up draft and the delivered QBR greet alike."""
    names = list(dict.fromkeys(r.first_name for r in recipients))
    if not names:
        return phrase(locale, "followup_hello_nobody")
    return phrase(locale, "followup_hello", names=_names(names, phrase(locale, "followup_and")))


def greeting(context: QbrContext) -> str:
    """The draft's greeting of its addressees (:func:`hello`)."""
    return hello(context.locale, context.follow_up_to)


def _lower_first(action: str) -> str:
    """The action as the middle of a sentence: 'Agree goals' -> 'agree goals'; 'ERP go-live' stays."""
    first = action.split(" ", 1)[0]
    return action if first.isupper() or not first[:1].isupper() else action[:1].lower() + action[1:]


def step_sentences(context: QbrContext) -> list[str]:
    """The deck's next steps (the same list, cut after MAX_TABLE_ROWS) as plain sentences:
    'Maria Patel: connect the ERP integration by 1 Apr 2027.'

    A sentence gets the action both mid-sentence (``{action}``, its first word lower-cased unless
    an acronym) and as the table lists it (``{action_as_listed}``): a language that capitalises
    nouns (German) writes the latter."""
    joint = phrase(context.locale, "owner_joint")
    steps = [
        _t(
            context,
            "together" if s.owner == joint else "step",
            owner=s.owner,
            action=_lower_first(s.action).rstrip("."),
            action_as_listed=s.action.rstrip("."),
            due=s.due,
        )
        for s in context.next_steps
    ]
    return listed(
        steps, lambda n: _t(context, "more", n=format_number(n, context.locale)), limit=MAX_TABLE_ROWS
    )


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
    return named_address(clean_text(context.csm_name), address)


def followup_lines(context: QbrContext) -> tuple[str, list[str], list[str]]:
    """Subject, intro lines (greeting, blank, thanks) and the rest: the next steps, a blank line, extras.

    The steps are the deck's (:func:`step_sentences`); a reference ask adds the first upsell signal.
    Their numbers are :attr:`QbrContext.followup_figures`.
    """
    steps = step_sentences(context) or [_t(context, "none")]
    extra = []
    if context.reference_ask:
        extra.append(_t(context, "reference"))
        if context.upsell:
            extra.append(_t(context, "upsell", signal=context.upsell[0]))
    return (
        _t(context, "subject", quarter=context.quarter),
        [greeting(context), "", _t(context, "thanks")],
        [*steps, "", *extra],
    )


def _addresses(context: QbrContext) -> list[Address]:
    return [named_address(r.name, r.email) for r in context.follow_up_to]


def render_followup(context: QbrContext) -> bytes:
    """The .eml draft as bytes (no Date-dependent content beyond the deck date).

    The draft goes to the customer, so it is made from the customer context only and checked
    like a customer deck (:func:`check_customer_context`), whichever deck it accompanies.
    """
    if context.audience != "customer":
        raise ValueError("the follow-up email goes to the customer: render it from the customer context")
    check_customer_context(context, f"{context.account_name} QBR follow-up email")
    bye = _t(context, "bye")
    subject, intro, rest = followup_lines(context)
    goals = rest[: rest.index("")]
    extras = [line for line in rest[len(goals) :] if line]
    message = EmailMessage(policy=SMTP)
    message["Subject"] = clean_header(subject)
    from_address = sender(context)
    if from_address is not None:
        message["From"] = from_address
    to = _addresses(context)
    if to:
        message["To"] = to
    if from_address is not None:
        message["Cc"] = from_address
    message["X-CSReports-Account"] = clean_header(context.account_id)
    message["Date"] = format_datetime(dt.datetime.combine(context.generated_on, dt.time(9, 0), dt.UTC))
    message["X-Unsent"] = "1"
    signature = clean_text(context.csm_name)
    closing = [*extras, ""] if extras else []
    text = "\n".join([*intro, "", *(f"- {g}" for g in goals), "", *closing, bye, signature]) + "\n"
    message.set_content(text)
    esc = html.escape
    body = (
        f"<p>{esc(intro[0])}</p><p>{esc(intro[2])}</p><ul>"
        + "".join(f"<li>{esc(g)}</li>" for g in goals)
        + "</ul>"
        + "".join(f"<p>{esc(e)}</p>" for e in extras)
        + f"<p>{esc(bye)}<br>{esc(signature)}</p>"
    )
    message.add_alternative(f"<!DOCTYPE html><html><body>{body}</body></html>", subtype="html")
    message.set_boundary("csreports-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24])
    return bytes(message)
