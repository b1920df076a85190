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

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import pandas as pd

from cs_calc.account_facts import AccountFacts, PeriodSettings
from reports.documents.qbr.account_data import AccountData
from reports.documents.qbr.config import QbrConfig, QbrThresholds
from reports.documents.qbr.wording import Words, is_true, missing, num, text
from reports.output.figures import Figure, as_of_period

AUDIENCES = ("customer", "internal")
_PERCENT_SIGNALS = ("usage_drop", "usage_growth", "seats_full")
_WORDLESS_SIGNALS = ("champion_left", "power_user_left")
"""Signals whose sentence prints no number ("Champion left in the last 90 days.")."""


@dataclass(frozen=True)
class SignalLine:
    """One alert or upsell signal in words, with the number it prints (``shown`` "" when none)."""

    signal: str
    text: str
    value: float
    shown: str


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
        self._signal_lines: dict[str, tuple[SignalLine, ...]] = {}

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

    def plan_value(self, where: str, figure_id: str, objective: Any, kpi: Any, value: Any) -> str:
        """A success-plan KPI value (``plan_baseline``, ``plan_target``, ``plan_current``) as printed,
        recorded per objective (or per KPI when the objective has no name)."""
        shown = self.words.value(value, kpi)
        if not missing(num(value)):
            self.figure(
                where,
                figure_id,
                num(value),
                shown,
                period=self.as_of_period,
                dimension="objective",
                group=text(objective) or text(kpi),
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

    def signal_lines(self, kind: str) -> tuple[SignalLine, ...]:
        """The account's ``alert`` or ``upsell`` signals in words, in table order (not recorded)."""
        cached = self._signal_lines.get(kind)
        if cached is None:
            lines = []
            for signal in self.facts.signals(kind):
                name, value = str(signal.signal), num(signal.value)
                if name in _WORDLESS_SIGNALS:
                    shown = ""
                elif name in _PERCENT_SIGNALS:
                    shown = self.words.pct(abs(value), 0)
                else:
                    shown = self.words.number(value, 0)
                words = self.words.pl(f"signal_{name}", value, value=shown)  # "1 P0 ticket", "3 P0 tickets"
                lines.append(SignalLine(name, words, value, shown))
            cached = self._signal_lines[kind] = tuple(lines)
        return cached

    def signal_figure(self, where: str, line: SignalLine) -> str:
        """Record that ``line`` is printed at ``where`` (its number, if it prints one); returns its text."""
        if line.shown:
            self.figure(
                where,
                "signal_value",
                line.value,
                line.shown,
                period=self.as_of_period,
                dimension="signal",
                group=line.signal,
            )
        return line.text

    def signal_texts(self, kind: str, where: str) -> tuple[str, ...]:
        """The account's ``alert`` or ``upsell`` signals in words, in table order, recorded as printed at ``where``."""
        return tuple(self.signal_figure(where, line) for line in self.signal_lines(kind))
