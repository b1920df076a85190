"""The QBR follow-up email as the customer reads it: addressed by role, greeted by name, the deck's steps.

The .eml is parsed with the email package, as a mail client would.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

import pandas as pd
import pytest

from reports.documents.qbr.config import load_qbr_config, qbr_config_from_mapping
from reports.documents.qbr.context import account_data, build_qbr_context
from reports.documents.qbr.followup import render_followup
from reports.documents.qbr.recipients import follow_up_recipients
from reports.errors import ConfigError

ACCOUNTS = [("A-00004", "en"), ("A-00004", "sv"), ("A-00140", "en"), ("A-00001", "sv")]


def _parse(blob: bytes) -> EmailMessage:
    message = email.message_from_bytes(blob, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture(scope="module", params=ACCOUNTS, ids=["-".join(a) for a in ACCOUNTS])
def followup(request, sample_run):  # type: ignore[no-untyped-def]
    account_id, locale = request.param
    config = load_qbr_config(sample_run.settings.config_dirs)
    data = account_data(sample_run, account_id)
    context = build_qbr_context(data, audience="customer", locale=locale, config=config)
    return data, context, _parse(render_followup(context))


def test_addressed_to_active_champions_and_economic_buyers_with_the_csm_on_cc(followup) -> None:  # type: ignore[no-untyped-def]
    data, context, message = followup
    contacts = data.tables["contacts"]
    active = contacts[contacts["status"] != "left"]
    wanted = active[active["is_champion"].astype(bool) | active["is_economic_buyer"].astype(bool)]
    to = [a.addr_spec for a in message["To"].addresses]
    assert to and sorted(to) == sorted(wanted["email"])
    assert not set(to) & set(contacts.loc[contacts["status"] == "left", "email"])
    cc = [a.addr_spec for a in message["Cc"].addresses]
    assert cc == [context.csm_email] == [a.addr_spec for a in message["From"].addresses]


def test_greets_the_addressees_by_first_name(followup) -> None:  # type: ignore[no-untyped-def]
    _data, context, message = followup
    text = message.get_body(("plain",)).get_content()
    first = [a.display_name.split()[0] for a in message["To"].addresses]
    word = " och " if context.locale == "sv" else " and "
    names = first[0] if len(first) == 1 else ", ".join(first[:-1]) + word + first[-1]
    hello = "Hej" if context.locale == "sv" else "Hello"
    assert text.splitlines()[0] == f"{hello} {names},"


def test_lists_the_decks_next_steps_with_owners_and_dates_in_plain_sentences(followup) -> None:  # type: ignore[no-untyped-def]
    _data, context, message = followup
    text = message.get_body(("plain",)).get_content()
    lines = [line[2:] for line in text.splitlines() if line.startswith("- ")]
    rows = context.slide("next_steps").table.rows
    assert len(lines) == len(rows)
    for line, (action, owner, due) in zip(lines, rows, strict=True):
        assert line.endswith(f"{due}."), line
        assert action[1:].rstrip(".") in line, (action, line)
        assert line.startswith(f"{owner}: ") or line.split(":")[0] in ("Together", "Tillsammans")
    for body in (text, message.get_body(("html",)).get_content()):
        assert not re.search(r"\([^()]*\([^()]*\)[^()]*\)|\) \(", body), body
        assert "%:" not in body


def test_roles_come_from_qbr_yaml_and_bad_roles_are_refused() -> None:
    contacts = pd.DataFrame(
        {
            "contact_id": ["C1", "C2", "C3", "C4"],
            "name": ["Chen Li", "Maria Patel", "Ana Berg", "Old Friend"],
            "email": ["chen@x.example", "maria@x.example", "ana@", "old@x.example"],
            "is_champion": [False, True, True, True],
            "is_power_user": [True, False, False, False],
            "is_economic_buyer": [True, False, False, False],
            "status": ["active", "active", "active", "left"],
        }
    )
    assert [r.email for r in follow_up_recipients(contacts)] == ["maria@x.example", "chen@x.example"]
    assert [r.email for r in follow_up_recipients(contacts, ("power_user",))] == ["chen@x.example"]
    assert qbr_config_from_mapping({"follow_up_to": ["power_user"]}).follow_up_to == ("power_user",)
    with pytest.raises(ConfigError, match="follow_up_to"):
        qbr_config_from_mapping({"follow_up_to": ["sponsor"]})


def test_german_steps_keep_the_action_as_the_deck_lists_it(sample_run) -> None:  # type: ignore[no-untyped-def]
    """German capitalises nouns: a step is not lower-cased to fit mid-sentence, owner and date lead.

    (The QBR refuses --locale de until every document kind speaks German; the builders take it.)
    """
    config = load_qbr_config(sample_run.settings.config_dirs)
    context = build_qbr_context(
        account_data(sample_run, "A-00140"), audience="customer", locale="de", config=config
    )
    text = _parse(render_followup(context)).get_body(("plain",)).get_content()
    assert text.startswith("Hallo ")
    lines = [line[2:] for line in text.splitlines() if line.startswith("- ")]
    rows = context.slide("next_steps").table.rows
    assert lines and len(lines) == len(rows)
    for line, (action, owner, due) in zip(lines, rows, strict=True):
        assert line == f"{owner} bis zum {due}: {action.rstrip('.')}.", line  # owner: a name or "Gemeinsam"
