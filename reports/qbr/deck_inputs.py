"""What every slide builder of one deck reads: :class:`DeckInputs`.

One account's :class:`~reports.qbr.account_facts.AccountFacts`, the run's
:class:`~reports.qbr.calendar.DeckCalendar`, :class:`~reports.qbr.wording.Words`
in the deck's locale, the audience and the QBR config, plus the few things
several slides share (owners of next steps, signals in words).
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Any

import pandas as pd

from reports.qbr.account_data import AccountData
from reports.qbr.account_facts import AccountFacts, is_true
from reports.qbr.calendar import deck_calendar
from reports.qbr.config import QbrConfig
from reports.qbr.wording import Words, num, text

AUDIENCES = ("customer", "internal")
_PERCENT_SIGNALS = ("usage_drop", "usage_growth", "seats_full")


@lru_cache(maxsize=256)
def _days_after(day: pd.Timestamp, days: int) -> pd.Timestamp:
    return day + pd.Timedelta(days=days)


class DeckInputs:
    """One deck's account facts, words, audience and config; ``audience`` is customer or internal."""

    def __init__(self, data: AccountData, audience: str, locale: str, config: QbrConfig):
        if audience not in AUDIENCES:
            raise ValueError(f"audience {audience!r} is not one of {', '.join(AUDIENCES)}")
        self.data = data
        self.audience = audience
        self.internal = audience == "internal"
        self.locale = locale
        self.config = config
        self.t = config.thresholds
        self.calendar = deck_calendar(data.window, data.as_of, config.thresholds)
        self.facts = AccountFacts(data, self.calendar)
        self.words = Words(locale, data.reporting_currency)
        self.currency = data.reporting_currency
        label = self.calendar.quarter_label
        self.quarter = self.words.quarter(label) if "Q" in label else label
        """The review period formatted ("Q3 2026")."""
        self.name = text(data.account.get("name")) or data.account_id
        self.csm_name = text(data.csm.get("name"))
        self._signal_texts: dict[str, tuple[str, ...]] = {}

    def p(self, key: str, **values: Any) -> str:
        """The phrase ``key`` in the deck's locale."""
        return self.words.p(key, **values)

    def due(self, days: int) -> str:
        """The date ``days`` after ``as_of``, formatted."""
        return self.words.date(_days_after(self.calendar.as_of, days))

    @cached_property
    def owners(self) -> tuple[str, str]:
        """Who owns actions: the CSM's name (or "CSM") and the customer's active champion (or sponsor)."""
        customer = self.p("owner_customer")
        champions = [c for c in self.facts.active_contacts if is_true(c.is_champion)]
        if champions:
            first = min(
                champions,
                key=lambda c: (pd.isna(c.contact_id), "" if pd.isna(c.contact_id) else c.contact_id),
            )
            customer = text(first.name) or customer
        return (self.csm_name or "CSM"), customer

    def owner(self, value: Any) -> str:
        """A plan's ``owner`` (csm, customer, anything else: joint) as a name."""
        csm, customer = self.owners
        key = text(value).lower()
        if key == "csm":
            return csm
        if key == "customer":
            return customer
        return self.p("owner_joint")

    def signal_texts(self, kind: str) -> tuple[str, ...]:
        """The account's ``alert`` or ``upsell`` signals in words, in table order."""
        cached = self._signal_texts.get(kind)
        if cached is None:
            texts = []
            for signal in self.facts.signals(kind):
                value = num(signal.value)
                if signal.signal in _PERCENT_SIGNALS:
                    shown = self.words.pct(abs(value), 0)
                else:
                    shown = self.words.number(value, 0)
                texts.append(self.p(f"signal_{signal.signal}", value=shown))
            cached = self._signal_texts[kind] = tuple(texts)
        return cached
