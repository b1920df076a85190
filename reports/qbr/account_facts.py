"""The numbers one QBR needs from one account's rows, computed once per deck.

:class:`AccountFacts` reads the columns it needs from the account's small
tables as NumPy arrays or Python lists and computes with the array functions of
:mod:`cs_calc.account_activity`: pandas operations on a handful of rows cost
far more than the arithmetic. Facts only some slides need are computed on
first use. Money is in the reporting currency; changes are fractions.
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from cs_calc.account_activity import (
    ThemeMentions,
    TicketStats,
    monthly_ticket_counts,
    monthly_values,
    nps_by_quarter,
    nps_per_period,
    ticket_stats_of,
    top_themes,
)
from cs_calc.periods import Window
from reports.qbr.account_data import AccountData
from reports.qbr.calendar import DeckCalendar
from reports.qbr.wording import num, text


class PlanRow(NamedTuple):
    """One ``success_plans`` row; KPI values are numbers (NaN when missing)."""

    objective: Any
    kpi: Any
    baseline: float
    target: float
    current: float
    due_date: Any
    """Timestamp or NaT."""
    status: Any
    owner: Any


class ContactRow(NamedTuple):
    """One ``contacts`` row; flags are True, False or missing."""

    contact_id: Any
    name: Any
    role: Any
    is_champion: Any
    is_power_user: Any
    is_economic_buyer: Any
    status: Any
    changed_at: Any


class NpsPoint(NamedTuple):
    """NPS (−100 to 100, NaN without responses) and responses counted in one period."""

    label: str
    nps: float
    responses: int


class Comment(NamedTuple):
    """An NPS response with its comment, for quoting."""

    response_id: Any
    contact_id: Any
    responded_at: pd.Timestamp
    comment: Any


class Signal(NamedTuple):
    """An alert or upsell signal: ``kind`` (alert, upsell), ``signal`` name and its value."""

    kind: Any
    signal: Any
    value: float


def _row_values(frame: pd.DataFrame, names: tuple[str, ...]) -> list[tuple]:
    """The rows of a small frame as tuples of ``names`` (None for a column the frame lacks).

    One conversion of the whole frame to Python objects is cheaper than
    reading the columns one by one.
    """
    values = frame.to_numpy(dtype=object)
    columns = list(frame.columns)
    picked = [
        values[:, columns.index(name)].tolist() if name in columns else [None] * len(frame) for name in names
    ]
    return list(zip(*picked, strict=True))


def _dates(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype="datetime64[ns]")


def _floats(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype="float64", na_value=np.nan)


def is_true(value: Any) -> bool:
    """A contact flag (True, False or missing) as a bool; missing is False."""
    return False if pd.isna(value) else bool(value)


def _sum_skipping_nan(values: list[float]) -> float:
    """Sum as pandas ``Series.sum`` gives it (NaN skipped, NumPy's summation order)."""
    array = np.array(values, dtype="float64")
    return float(np.where(np.isnan(array), 0.0, array).sum())


class AccountFacts:
    """Numbers and rows of one account for one run's :class:`DeckCalendar`."""

    def __init__(self, data: AccountData, calendar: DeckCalendar):
        self.data = data
        self.calendar = calendar
        self.tables = data.tables
        self._quarter_totals: dict[tuple[str, bool, str], float] = {}

    # ------------------------------------------------------------------ MRR and renewal

    @cached_property
    def mrr_end_start(self) -> tuple[float, float]:
        """MRR at the window's end and at its start (the month before), reporting currency."""
        months = self.data.mrr
        if not len(months):
            return math.nan, math.nan
        return num(months.get(self.calendar.window.end, math.nan)), num(
            months.get(self.calendar.opening_month, math.nan)
        )

    @cached_property
    def renewal_days(self) -> float:
        """Days from ``as_of`` to the renewal date (negative when past); NaN without one."""
        renewal = self.data.account.get("renewal_date")
        if renewal is None or pd.isna(renewal):
            return math.nan
        return float((pd.Timestamp(renewal) - self.calendar.as_of).days)

    # ------------------------------------------------------------------ usage

    @cached_property
    def usage(self) -> dict[str, list[float]]:
        """``users`` (mean active users), ``events`` (key feature events, sum) and ``seats``
        (seats purchased, last) per month of ``calendar.usage_months``; NaN where no rows."""
        usage = self.tables["usage"]
        months = self.calendar.usage_months_ns
        if usage.empty:
            nothing = [math.nan] * len(months)
            return {"users": nothing, "events": list(nothing), "seats": list(nothing)}
        dates = _dates(usage, "date")
        metric = usage["metric"].to_numpy(dtype=object)
        values = _floats(usage, "value")
        result = {}
        for key, name, how in (
            ("users", "active_users", "mean"),
            ("events", "key_feature_events", "sum"),
            ("seats", "seats_purchased", "last"),
        ):
            selected = metric == name
            result[key] = monthly_values(dates[selected], values[selected], months, how).tolist()
        return result

    def quarter_total(self, key: str, previous: bool = False, how: str = "mean") -> float:
        """Mean (or ``sum``) of a usage series over the window (or the one before); NaN if no data."""
        cached = self._quarter_totals.get((key, previous, how))
        if cached is None:
            cached = self._quarter_totals[(key, previous, how)] = self._quarter_total(key, previous, how)
        return cached

    def _quarter_total(self, key: str, previous: bool, how: str) -> float:
        positions = self.calendar.previous_positions if previous else self.calendar.window_positions
        series = self.usage[key]
        values = [math.nan if i is None else series[i] for i in positions]
        present = [v for v in values if v == v]
        if not present:
            return math.nan
        total = _sum_skipping_nan(values)
        return total if how == "sum" else total / len(present)

    # ------------------------------------------------------------------ tickets

    @cached_property
    def _ticket_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        tickets = self.tables["tickets"]
        return (
            _dates(tickets, "created_at"),
            _dates(tickets, "resolved_at"),
            tickets["priority"].to_numpy(dtype=object),
            _floats(tickets, "csat"),
        )

    @cached_property
    def ticket_stats(self) -> TicketStats:
        """Tickets created from the window's start up to ``as_of``."""
        created, resolved, priorities, csat = self._ticket_columns
        return ticket_stats_of(
            created, resolved, priorities, csat, self.calendar.window_start_ns, self.calendar.as_of_ns
        )

    @cached_property
    def tickets_by_month(self) -> np.ndarray:
        """Tickets per month of ``calendar.support_months`` (rows) and priority P0–P3 (columns)."""
        created, _resolved, priorities, _csat = self._ticket_columns
        return monthly_ticket_counts(created, priorities.tolist(), self.calendar.support_months_ns)

    # ------------------------------------------------------------------ NPS

    def _nps(self, windows: list[Window], labels: list[str], bounds: list) -> list[NpsPoint]:
        nps = self.tables["nps"]
        ids = nps["response_id"].tolist()
        if any(pd.isna(i) for i in ids):  # the array function orders ids as strings
            table = nps_by_quarter(nps, windows)
            return [
                NpsPoint(label, float(value), int(n))
                for label, value, n in zip(
                    labels, table["nps"].tolist(), table["responses"].tolist(), strict=True
                )
            ]
        contacts = [None if pd.isna(c) else c for c in nps["contact_id"].tolist()]
        results = nps_per_period(
            _dates(nps, "responded_at"), ids, contacts, nps["score"].to_numpy(dtype="float64"), bounds
        )
        return [NpsPoint(label, value, n) for label, (value, n) in zip(labels, results, strict=True)]

    @cached_property
    def nps_history(self) -> list[NpsPoint]:
        """NPS per quarter of ``calendar.nps_quarters``."""
        c = self.calendar
        return self._nps(list(c.nps_quarters), list(c.nps_quarter_labels), list(c.nps_quarter_bounds))

    @cached_property
    def nps_year(self) -> NpsPoint:
        """NPS over the last twelve months (``calendar.nps_year``)."""
        c = self.calendar
        return self._nps([c.nps_year], [c.nps_year_label], [c.nps_year_bounds])[0]

    @cached_property
    def comments(self) -> list[Comment]:
        """Responses from ``calendar.verbatims_since_ns`` up to ``as_of``, in table order."""
        nps = self.tables["nps"]
        when = _dates(nps, "responded_at")
        inside = np.flatnonzero((when >= self.calendar.verbatims_since_ns) & (when < self.calendar.as_of_ns))
        if not len(inside):
            return []
        columns = [nps[name].tolist() for name in ("response_id", "contact_id", "responded_at", "comment")]
        return [Comment(*(column[i] for column in columns)) for i in inside.tolist()]

    def top_themes(self, limit: int) -> list[ThemeMentions]:
        """The ``limit`` themes named most in the comments of :attr:`comments` (the verbatims'
        window), with their tone; ``[]`` when no comment there names a theme."""
        tags = self.data.comment_tags
        found = [tags.get(str(c.response_id)) for c in self.comments if text(c.comment)]
        named = [tag for tag in found if tag is not None]
        return top_themes([t.themes for t in named], [t.tone for t in named], limit)

    # ------------------------------------------------------------------ success plans

    @cached_property
    def plans(self) -> list[PlanRow]:
        """The success-plan rows in table order."""
        plans = self.tables["success_plans"]
        if plans.empty:
            return []
        rows = _row_values(plans, PlanRow._fields)
        return [PlanRow(o, k, num(b), num(t), num(c), d, s, w) for o, k, b, t, c, d, s, w in rows]

    @staticmethod
    def _by_due_then_objective(rows: list[PlanRow]) -> list[PlanRow]:
        """Sorted by due date then objective, missing values last, ties in table order."""

        def key(row: PlanRow) -> tuple:
            due, objective = row.due_date, row.objective
            no_due, no_objective = pd.isna(due), pd.isna(objective)
            return (no_due, 0 if no_due else due.value, no_objective, "" if no_objective else objective)

        return sorted(rows, key=key)

    @cached_property
    def goals(self) -> list[PlanRow]:
        """Objectives due from the window's start up to ``as_of``, by due date then objective."""
        start, as_of = self.calendar.window.start, self.calendar.as_of
        due = [r for r in self.plans if not pd.isna(r.due_date) and start <= r.due_date < as_of]
        return self._by_due_then_objective(due)

    @cached_property
    def open_plans(self) -> list[PlanRow]:
        """Objectives due on or after ``as_of`` or without a due date, by due date then objective."""
        as_of = self.calendar.as_of
        rows = [r for r in self.plans if pd.isna(r.due_date) or r.due_date >= as_of]
        return self._by_due_then_objective(rows)

    # ------------------------------------------------------------------ contacts and signals

    @cached_property
    def contacts(self) -> list[ContactRow]:
        """The contact rows in table order."""
        contacts = self.tables["contacts"]
        if contacts.empty:
            return []
        return [ContactRow(*values) for values in _row_values(contacts, ContactRow._fields)]

    @cached_property
    def active_contacts(self) -> list[ContactRow]:
        """Contacts whose status is not ``left``."""
        return [c for c in self.contacts if c.status != "left"]

    @cached_property
    def has_active_champion(self) -> bool:
        return any(is_true(c.is_champion) for c in self.active_contacts)

    def signals(self, kind: str) -> list[Signal]:
        """The account's signals of ``kind`` (alert or upsell), in table order."""
        return [s for s in self._signals if s.kind == kind]

    @cached_property
    def _signals(self) -> list[Signal]:
        signals = self.data.signals
        if signals.empty:
            return []
        return [
            Signal(kind, signal, num(value))
            for kind, signal, value in zip(
                signals["kind"].tolist(), signals["signal"].tolist(), signals["value"].tolist(), strict=True
            )
        ]
