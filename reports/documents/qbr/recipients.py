"""Who the QBR follow-up email is addressed to: the account's contacts chosen by role.

``configs/qbr.yaml`` names the roles (``follow_up_to``, default champion and
economic buyer). A contact is chosen when their status is not ``left``, they
hold one of the roles and their address is a valid e-mail address; the list is
ordered by the roles' order, then by contact id, each address once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from reports.documents.email.config import check_address
from reports.errors import ConfigError
from reports.render.formatting import clean_text

FOLLOW_UP_ROLES: tuple[str, ...] = ("champion", "economic_buyer", "power_user")
"""Roles a contact can hold (the ``is_<role>`` columns of ``contacts``)."""

DEFAULT_FOLLOW_UP_TO: tuple[str, ...] = ("champion", "economic_buyer")
"""The follow-up goes to the people who drive and sign off the plan."""


@dataclass(frozen=True)
class Recipient:
    """One addressee of the follow-up: display name and checked address."""

    name: str
    email: str

    @property
    def first_name(self) -> str:
        """The name's first word ('Maria' of 'Maria Patel'); the e-mail's local part without a name."""
        words = self.name.split()
        return words[0] if words else self.email.partition("@")[0]


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return False if pd.isna(value) else bool(value)


def follow_up_recipients(
    contacts: pd.DataFrame, roles: Sequence[str] = DEFAULT_FOLLOW_UP_TO
) -> tuple[Recipient, ...]:
    """The active contacts holding one of ``roles``, with valid e-mail addresses.

    >>> frame = pd.DataFrame({
    ...     "contact_id": ["C1", "C2", "C3"], "name": ["Chen Li", "Maria Patel", "Ana Berg"],
    ...     "email": ["chen@x.example", "maria@x.example", "not an address"],
    ...     "is_champion": [False, True, True], "is_power_user": [False, False, False],
    ...     "is_economic_buyer": [True, False, False], "status": ["active", "active", "active"]})
    >>> [r.first_name for r in follow_up_recipients(frame)]
    ['Maria', 'Chen']
    """
    if contacts is None or contacts.empty or "email" not in contacts:
        return ()
    active = contacts[contacts["status"].astype(object) != "left"].sort_values("contact_id", kind="stable")
    chosen: list[Recipient] = []
    seen: set[str] = set()
    for role in roles:
        column = f"is_{role}"
        if column not in active:
            continue
        for row in active[active[column].map(_flag)].itertuples(index=False):
            raw = "" if pd.isna(row.email) else str(row.email)
            try:
                address = check_address(raw, "email")
            except ConfigError:
                continue
            if address.lower() in seen:
                continue
            seen.add(address.lower())
            name = "" if pd.isna(row.name) else clean_text(str(row.name)).strip()
            chosen.append(Recipient(name, address))
    return tuple(chosen)
