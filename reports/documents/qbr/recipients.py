"""Who the QBR follow-up email and the delivered QBR are addressed to: the account's contacts.

``configs/qbr.yaml`` names the roles (``follow_up_to``, default champion and
economic buyer). A contact is chosen when their status is not ``left``, they
hold one of the roles and their address is a valid e-mail address; the list is
ordered by the roles' order, then by contact id, each address once.

A delivered QBR (``configs/delivery.yaml``, :func:`delivery_recipients`) goes by
the same rule to contacts with the preferred flags (``primary`` first by
default), then job titles, capped at ``max_recipients``; a contact who opted
out of e-mail (``email_opt_out``) is never chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    return _chosen(active, [active[f"is_{role}"].map(_flag) for role in roles if f"is_{role}" in active])


def delivery_recipients(
    contacts: pd.DataFrame | Sequence[Mapping[str, object]] | None,
    prefer: Sequence[str],
    titles: Sequence[str] = (),
    limit: int | None = None,
) -> tuple[Recipient, ...]:
    """The contacts a delivered QBR goes to: not ``left``, not opted out of e-mail, with a valid
    address; those with the first flag of ``prefer`` (``is_<flag>``) first, then the next flag,
    then those whose job title is one of ``titles`` (case aside), at most ``limit``.

    ``contacts`` is one account's rows, as a frame or as records (``frame.to_dict("records")``,
    which a run over thousands of accounts makes once).

    >>> frame = pd.DataFrame({
    ...     "contact_id": ["C1", "C2", "C3", "C4"], "name": ["Chen Li", "Maria Patel", "Ana Berg", "Bo Ek"],
    ...     "email": ["chen@x.example", "maria@x.example", "ana@x.example", "bo@x.example"],
    ...     "role": ["CFO", "VP", "CFO", "CFO"], "is_primary": [False, True, False, True],
    ...     "is_champion": [True, True, False, False], "email_opt_out": [False, False, False, True],
    ...     "status": ["active", "active", "active", "active"]})
    >>> [r.first_name for r in delivery_recipients(frame, ["primary", "champion"], ["cfo"], 3)]
    ['Maria', 'Chen', 'Ana']
    """
    if contacts is None:
        return ()
    rows = contacts.to_dict("records") if isinstance(contacts, pd.DataFrame) else list(contacts)
    active = sorted(
        (
            r
            for r in rows
            if r.get("status") != "left" and not _flag(r.get("email_opt_out", False)) and r.get("email")
        ),
        key=lambda r: str(r.get("contact_id")),
    )
    wanted = [t.strip().casefold() for t in titles]
    tests = [lambda r, f=f"is_{flag}": _flag(r.get(f, False)) for flag in prefer]
    tests += [lambda r, t=title: _text(r.get("role")).casefold() == t for title in wanted]
    chosen: list[Recipient] = []
    seen: set[str] = set()
    for test in tests:
        for row in active:
            if limit is not None and len(chosen) >= limit:
                return tuple(chosen)
            if not test(row):
                continue
            try:
                address = check_address(_text(row.get("email")), "email")
            except ConfigError:
                continue
            if address.lower() in seen:
                continue
            seen.add(address.lower())
            chosen.append(Recipient(clean_text(_text(row.get("name"))).strip(), address))
    return tuple(chosen)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def _chosen(active: pd.DataFrame, masks: Sequence[pd.Series]) -> tuple[Recipient, ...]:
    """The rows of ``active`` each mask selects, mask by mask, valid addresses only, each once."""
    chosen: list[Recipient] = []
    seen: set[str] = set()
    for mask in masks:
        for row in active[mask.astype(bool)].itertuples(index=False):
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
