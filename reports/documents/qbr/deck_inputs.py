"""What every slide builder of one deck reads: :class:`DeckInputs`.

One account's figures (:class:`cs_calc.account_facts.AccountFacts`, computed in
``cs_calc`` from the account's rows and the run's metrics; the slides only
read them), its :class:`~cs_calc.account_facts.AccountPeriods`,
:class:`~reports.documents.qbr.wording.Words` in the deck's locale, the audience and the
QBR config, plus the few things several slides share (owners of next steps,
signals in words) and the record of every figure the deck prints
(:meth:`DeckInputs.figure`).
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Any

import pandas as pd

from cs_calc.account_facts import AccountFacts, PeriodSettings
from reports.documents.qbr.account_data import AccountData
from reports.documents.qbr.config import QbrConfig, QbrThresholds
from reports.documents.qbr.wording import Words, is_true, num, text
from reports.output.figures import Figure, as_of_period

AUDIENCES = ("customer", "internal")
_PERCENT_SIGNALS = ("usage_drop", "usage_growth", "seats_full")


@lru_cache(maxsize=64)
def _period_settings(thresholds: QbrThresholds) -> PeriodSettings:
    return PeriodSettings(
        usage_months=thresholds.usage_months,
        support_months=thresholds.support_months,
        nps_quarters=thresholds.nps_quarters,
        verbatim_days=thresholds.verbatim_days,
    )


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
        self.facts = AccountFacts(
            data.tables,
            window=data.window,
            as_of=data.as_of,
            settings=_period_settings(config.thresholds),
            retention=data.retention,
            renewal_date=data.account.get("renewal_date"),
            signals=data.signals,
            comment_tags=data.comment_tags,
        )
        self.periods = self.facts.periods
        self.words = Words(locale, data.reporting_currency)
        self.currency = data.reporting_currency
        label = self.periods.quarter_label
        self.quarter = self.words.quarter(label) if "Q" in label else label
        """The review period formatted ("Q3 2026")."""
        self.window_period = label
        """``period`` of the deck's window figures (the window's label, ``2026-Q3``)."""
        self.as_of_period = as_of_period(data.as_of)
        """``period`` of its as-of figures (the last day of data, ``2026-09-30``)."""
        self.figures: list[tuple[str, Figure]] = []
        """Every figure printed so far, with where: ``slide_key.part`` (tiles, bullets, side, table, notes)."""
        self.name = text(data.account.get("name")) or data.account_id
        self.csm_name = text(data.csm.get("name"))
        self._signal_texts: dict[str, tuple[str, ...]] = {}

    def p(self, key: str, **values: Any) -> str:
        """The phrase ``key`` in the deck's locale."""
        return self.words.p(key, **values)

    def more_rows(self, n: int) -> str:
        """The last row of a table cut short: "… and 2,976 more"."""
        return self.p("more_rows", n=self.words.number(n, 0))

    def more_items(self, n: int) -> str:
        """The end of a list cut short in a sentence: "and 12 more"."""
        return self.p("more_items", n=self.words.number(n, 0))

    def due(self, days: int) -> str:
        """The date ``days`` after ``as_of``, formatted."""
        return self.words.date(_days_after(self.periods.as_of, days))

    def figure(
        self,
        where: str,
        figure_id: str,
        value: Any,
        shown: str,
        *,
        period: str | None = None,
        dimension: str = "account",
        group: str | None = None,
    ) -> str:
        """Record that the deck prints ``value`` as ``shown`` at ``where``; returns ``shown``.

        ``figure_id`` is a :mod:`cs_calc.definitions` id; ``period`` defaults
        to the window's label. Per-account figures have dimension ``account``
        and the account id as group, unless a finer ``dimension`` is given.
        """
        account_id = self.data.account_id
        self.figures.append(
            (
                where,
                Figure(
                    figure_id,
                    period or self.window_period,
                    value,
                    shown,
                    dimension,
                    account_id if group is None else group,
                    account_id,
                ),
            )
        )
        return shown

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
