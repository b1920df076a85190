"""One account's QBR figures, computed from that account's own rows: :class:`AccountFacts`.

A QBR shows one account. Its figures come from three places, each computed
once:

- portfolio metrics of the run (MRR at start and end of the window from
  ``per_account_retention``, the health row): read, never recomputed;
- the run's NPS comments, tagged once for every account by
  :func:`tag_comments_by_account` (themes and :func:`comment_tone`);
- the account's rows (usage, tickets, NPS, success plans, contacts, signals),
  computed here per account with the array functions of
  :mod:`cs_calc.account_activity`. A batch renders thousands of decks, and
  pandas operations on a handful of rows cost far more than the arithmetic,
  so columns are read once as NumPy arrays or Python lists and figures only
  some slides need are computed on first use.

Money is in the reporting currency (MRR per month, ARR = MRR × 12); changes
and rates are fractions, not percent. No file, network or template I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from cs_calc.account_activity import (
    ThemeMentions,
    TicketStats,
    comment_tone,
    monthly_ticket_counts,
    monthly_values,
    nps_by_quarter,
    nps_per_period,
    quarter_bounds,
    ticket_stats_of,
    top_themes,
)
from cs_calc.periods import Window, quarters_ending

if TYPE_CHECKING:
    pass

Bounds = tuple[np.datetime64, np.datetime64]
"""``[start, end_exclusive)`` as ``datetime64[ns]``."""

ACHIEVED = "achieved"
ON_TRACK_STATUSES = ("on_track", "achieved")
"""Success-plan statuses that count as on track (and whose KPI gains count as value delivered)."""


# --------------------------------------------------------------------------- periods


class PeriodSettings(NamedTuple):
    """How far back the QBR looks (``configs/qbr.yaml`` thresholds)."""

    usage_months: int = 12
    """Months of the adoption chart, ending with the window's last month."""
    support_months: int = 6
    """Months of the support chart, ending with the window's last month."""
    nps_quarters: int = 6
    """Quarters of the NPS-over-time chart, ending with the window's."""
    verbatim_days: int = 365
    """Comments of this many days before ``as_of`` are quoted and counted for themes."""


@dataclass(frozen=True, eq=False)
class AccountPeriods:
    """The months and periods an account review looks at; months are first-of-month Timestamps."""

    window: Window
    previous: Window
    """The window of the same length just before ``window`` (for changes on the previous window)."""
    as_of: pd.Timestamp
    """The first day after the window: events before it count."""
    as_of_ns: np.datetime64
    window_start_ns: np.datetime64
    usage_months: tuple[pd.Timestamp, ...]
    """The months of the adoption chart, ending with the window's last month."""
    usage_months_ns: np.ndarray
    window_positions: tuple[int | None, ...]
    """Where each month of ``window`` sits in ``usage_months`` (None: outside)."""
    previous_positions: tuple[int | None, ...]
    support_months: tuple[pd.Timestamp, ...]
    """The months of the support chart, ending with the window's last month."""
    support_months_ns: np.ndarray
    nps_quarters: tuple[Window, ...]
    """The quarters of the NPS-over-time chart, ending with the window's."""
    nps_quarter_labels: tuple[str, ...]
    """``2026-Q3`` … of ``nps_quarters``."""
    nps_quarter_bounds: tuple[Bounds, ...]
    nps_year: Window
    """From the month a year before ``as_of`` to the window's end (trailing 12 months NPS)."""
    nps_year_label: str
    nps_year_bounds: Bounds
    verbatims_since_ns: np.datetime64
    """Comments from this time on (up to ``as_of``) are quoted."""
    quarter_label: str
    """``2026-Q3`` for a calendar-quarter window, else ``2026-01..2026-06``."""


def _positions(months: tuple[pd.Timestamp, ...], wanted: pd.DatetimeIndex) -> tuple[int | None, ...]:
    where = {month: i for i, month in enumerate(months)}
    return tuple(where.get(month) for month in wanted)


@lru_cache(maxsize=64)
def account_periods(window: Window, as_of: pd.Timestamp, settings: PeriodSettings) -> AccountPeriods:
    """The :class:`AccountPeriods` of a run (memoised: every account of a run shares them).

    >>> p = account_periods(Window(pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-01")),
    ...     pd.Timestamp("2026-10-01"), PeriodSettings())
    >>> p.window_positions, p.nps_year_label, p.quarter_label
    ((9, 10, 11), '2025-10..2026-09', '2026-Q3')
    """
    previous = window.previous()
    usage_months = pd.date_range(end=window.end, periods=settings.usage_months, freq="MS")
    support_months = pd.date_range(end=window.end, periods=settings.support_months, freq="MS")
    quarters = tuple(quarters_ending(window, settings.nps_quarters))
    year_ago = as_of - pd.Timedelta(days=365)
    nps_year = Window(year_ago.to_period("M").to_timestamp(), window.end)
    usage_tuple = tuple(usage_months)
    return AccountPeriods(
        window=window,
        previous=previous,
        as_of=as_of,
        as_of_ns=np.datetime64(as_of, "ns"),
        window_start_ns=np.datetime64(window.start, "ns"),
        usage_months=usage_tuple,
        usage_months_ns=usage_months.to_numpy(dtype="datetime64[ns]"),
        window_positions=_positions(usage_tuple, window.months),
        previous_positions=_positions(usage_tuple, previous.months),
        support_months=tuple(support_months),
        support_months_ns=support_months.to_numpy(dtype="datetime64[ns]"),
        nps_quarters=quarters,
        nps_quarter_labels=tuple(q.label for q in quarters),
        nps_quarter_bounds=tuple(quarter_bounds(quarters)),
        nps_year=nps_year,
        nps_year_label=nps_year.label,
        nps_year_bounds=quarter_bounds([nps_year])[0],
        verbatims_since_ns=np.datetime64(as_of - pd.Timedelta(days=settings.verbatim_days), "ns"),
        quarter_label=window.label,
    )


# --------------------------------------------------------------------------- comment tags


class CommentTags(NamedTuple):
    """What the theme engine found in one NPS comment."""

    themes: tuple[str, ...]
    """Theme ids, sorted (never empty: comments naming no theme are not kept)."""
    tone: str
    """positive, neutral or negative (:func:`cs_calc.account_activity.comment_tone` of the
    response's score and the comment's sentiment)."""


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _has_text(comment: object) -> bool:
    """True when ``comment`` is text with something left once XML-illegal characters are dropped."""
    return isinstance(comment, str) and bool(_XML_ILLEGAL.sub("", comment).strip())


def tag_comments_by_account(
    nps: pd.DataFrame, tagged: pd.DataFrame, as_of: pd.Timestamp
) -> dict[str, dict[str, CommentTags]]:
    """Account id -> response id -> :class:`CommentTags` for comments responded before ``as_of``.

    ``tagged`` is :func:`cs_calc.text.themes.tag_comments` of ``nps`` (same
    index; the run tags every comment once and this only groups the rows).
    Responses without comment text and comments that name no theme are left
    out. The tone combines the response's score and the comment's sentiment
    (:func:`comment_tone`). Empty input gives ``{}``.
    """
    if nps.empty or "comment" not in nps.columns:
        return {}
    has_text = np.fromiter((_has_text(c) for c in nps["comment"].tolist()), dtype=bool, count=len(nps))
    keep = has_text & (nps["responded_at"] < as_of).to_numpy()
    if not keep.any():
        return {}
    tagged = tagged.loc[keep]
    by_account: dict[str, dict[str, CommentTags]] = {}
    for account_id, response_id, score, themes, sentiment in zip(
        nps.loc[keep, "account_id"].tolist(),
        tagged["response_id"].tolist(),
        nps.loc[keep, "score"].to_numpy(dtype="float64", na_value=np.nan).tolist(),
        tagged["themes"].tolist(),
        tagged["sentiment_label"].tolist(),
        strict=True,
    ):
        if themes:
            by_account.setdefault(str(account_id), {})[str(response_id)] = CommentTags(
                tuple(themes), comment_tone(score, str(sentiment))
            )
    return by_account


# --------------------------------------------------------------------------- rows


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


class ValueDelivered(NamedTuple):
    """A success-plan KPI of an objective on track or achieved, against its baseline."""

    objective: Any
    kpi: Any
    baseline: float
    current: float
    change: float
    """``current / baseline - 1``, a fraction."""
    points: float = math.nan
    """:func:`value_delivered_points`: the change in fraction points, for a KPI kept in percent."""


# --------------------------------------------------------------------------- figure functions


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _flag(value: Any) -> bool:
    """A contact flag (True, False or missing) as a bool; missing is False."""
    return False if value is None or pd.isna(value) else bool(value)


def relative_change(new: float, old: float) -> float:
    """``new / old - 1`` as a fraction (MRR change, active users or key feature events vs the previous
    window); NaN when either is missing or ``old`` is 0.

    >>> relative_change(110.0, 100.0), relative_change(5.0, 0.0)
    (0.10000000000000009, nan)
    """
    new, old = _num(new), _num(old)
    if math.isnan(new) or math.isnan(old) or old == 0:
        return math.nan
    return new / old - 1


def window_average(series: Sequence[float], positions: Sequence[int | None], how: str = "mean") -> float:
    """A monthly usage series over a window: the mean of its months with data, or their ``sum``.

    ``series`` holds one value per month (NaN: no rows that month),
    ``positions`` the window's months in it (None: outside the series). NaN
    when no month of the window has data; ``sum`` skips NaN as pandas does.

    >>> window_average([1.0, 10.0, float("nan"), 20.0], [1, 2, 3]), window_average([1.0, 2.0], [0, 1], "sum")
    (15.0, 3.0)
    """
    values = [math.nan if i is None else series[i] for i in positions]
    present = [v for v in values if v == v]
    if not present:
        return math.nan
    array = np.array(values, dtype="float64")
    total = float(np.where(np.isnan(array), 0.0, array).sum())
    return total if how == "sum" else total / len(present)


def days_to_renewal(renewal_date: Any, as_of: pd.Timestamp) -> float:
    """Days from ``as_of`` (the first day after the window) to the renewal date; negative when
    overdue, NaN without a renewal date.

    >>> days_to_renewal(pd.Timestamp("2026-12-31"), pd.Timestamp("2026-10-01"))
    91.0
    """
    if renewal_date is None or pd.isna(renewal_date):
        return math.nan
    return float((pd.Timestamp(renewal_date) - as_of).days)


def _by_due_then_objective(rows: list[PlanRow]) -> list[PlanRow]:
    """Sorted by due date then objective, missing values last, ties in table order."""

    def key(row: PlanRow) -> tuple:
        due, objective = row.due_date, row.objective
        no_due, no_objective = pd.isna(due), pd.isna(objective)
        return (no_due, 0 if no_due else due.value, no_objective, "" if no_objective else objective)

    return sorted(rows, key=key)


def goals_due(plans: Sequence[PlanRow], start: pd.Timestamp, as_of: pd.Timestamp) -> list[PlanRow]:
    """Objectives due from the window's first day ``start`` up to ``as_of`` (exclusive), by due date
    then objective (missing last, ties in table order). No plans give ``[]``."""
    due = [r for r in plans if not pd.isna(r.due_date) and start <= r.due_date < as_of]
    return _by_due_then_objective(due)


def open_objectives(plans: Sequence[PlanRow], as_of: pd.Timestamp) -> list[PlanRow]:
    """Objectives due on or after ``as_of`` or without a due date, by due date then objective."""
    return _by_due_then_objective([r for r in plans if pd.isna(r.due_date) or r.due_date >= as_of])


def goals_met(statuses: Sequence[Any]) -> int:
    """Goals (objectives due in the window) whose status is ``achieved``.

    >>> goals_met(["achieved", "missed", "achieved"])
    2
    """
    return sum(1 for s in statuses if s == ACHIEVED)


def plans_on_track(statuses: Sequence[Any]) -> int:
    """Open objectives whose status is ``on_track`` or ``achieved``.

    >>> plans_on_track(["on_track", "at_risk", "achieved", None])
    2
    """
    return sum(1 for s in statuses if s in ON_TRACK_STATUSES)


def plans_behind(statuses: Sequence[Any]) -> int:
    """Open objectives not on track: at risk, off track or without a known status.

    >>> plans_behind(["on_track", "at_risk", "achieved", None])
    2
    """
    return len(statuses) - plans_on_track(statuses)


def value_delivered(baseline: float, current: float, status: Any) -> float:
    """``current / baseline - 1`` of a success-plan KPI whose objective is achieved or on track, a
    fraction; NaN for another status, a missing value or a baseline of 0.

    >>> value_delivered(100.0, 130.0, "on_track"), value_delivered(100.0, 130.0, "at_risk")
    (0.30000000000000004, nan)
    """
    baseline, current = _num(baseline), _num(current)
    if math.isnan(baseline) or math.isnan(current) or baseline == 0 or status not in ON_TRACK_STATUSES:
        return math.nan
    return current / baseline - 1


def value_delivered_points(baseline: float, current: float, status: Any) -> float:
    """``(current - baseline) / 100`` of a success-plan KPI kept in percent (its name says "%"),
    whose objective is achieved or on track: the change in fraction points, printed as percentage
    points; NaN for another status or a missing value. A baseline of 0 is allowed.

    >>> round(value_delivered_points(70.0, 90.4, "achieved"), 3)
    0.204
    >>> value_delivered_points(0.0, 76.9, "on_track")
    0.769
    >>> value_delivered_points(70.0, 90.4, "missed")
    nan
    """
    baseline, current = _num(baseline), _num(current)
    if math.isnan(baseline) or math.isnan(current) or status not in ON_TRACK_STATUSES:
        return math.nan
    return (current - baseline) / 100


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


def plan_rows(plans: pd.DataFrame) -> list[PlanRow]:
    """An account's ``success_plans`` rows in table order, KPI baseline, target and current value as
    numbers in the KPI's own unit (NaN when missing or not a number). No rows give ``[]``.

    >>> frame = pd.DataFrame({"objective": ["Go live"], "kpi": ["Orders synced %"], "baseline": [0],
    ...                       "target": ["95"], "current": [None]})
    >>> row = plan_rows(frame)[0]
    >>> row.objective, row.baseline, row.target, math.isnan(row.current), row.status
    ('Go live', 0.0, 95.0, True, None)
    """
    if plans.empty:
        return []
    rows = _row_values(plans, PlanRow._fields)
    return [PlanRow(o, k, _num(b), _num(t), _num(c), d, s, w) for o, k, b, t, c, d, s, w in rows]


def _dates(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype="datetime64[ns]")


def _floats(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype="float64", na_value=np.nan)


# --------------------------------------------------------------------------- the facts


_USAGE = (
    ("users", "active_users", "mean"),
    ("events", "key_feature_events", "sum"),
    ("seats", "seats_purchased", "last"),
)


class AccountFacts:
    """One account's QBR figures for one run's periods, computed on first use from its rows.

    ``tables`` holds this account's rows of usage, tickets, nps, contacts and
    success_plans; ``retention`` its row of ``per_account_retention``
    (``mrr_start``, ``mrr_end``; empty when none); ``signals`` its rows of
    the run's signals; ``comment_tags`` the tags of its comments by response
    id (:func:`tag_comments_by_account`, run once per run). Pure: reading an
    attribute never touches a file.
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        *,
        window: Window,
        as_of: pd.Timestamp,
        settings: PeriodSettings,
        retention: Mapping[str, Any],
        renewal_date: Any,
        signals: pd.DataFrame,
        comment_tags: Mapping[str, CommentTags],
    ):
        self.tables = tables
        self.periods = account_periods(window, as_of, settings)
        self.retention = retention
        self.renewal_date = renewal_date
        self._signal_frame = signals
        self.comment_tags = comment_tags

    # ------------------------------------------------------------------ MRR and renewal

    @cached_property
    def mrr_end(self) -> float:
        """MRR in the window's last month (``per_account_retention``); NaN when the account has none."""
        return _num(self.retention.get("mrr_end", math.nan))

    @cached_property
    def mrr_start(self) -> float:
        """MRR in the month before the window (the opening balance); NaN when none."""
        return _num(self.retention.get("mrr_start", math.nan))

    @cached_property
    def arr_end(self) -> float:
        """ARR at the window's end: :attr:`mrr_end` × 12."""
        return self.mrr_end * 12

    @cached_property
    def mrr_change(self) -> float:
        """MRR at end ÷ MRR at start − 1 (:func:`relative_change`)."""
        return relative_change(self.mrr_end, self.mrr_start)

    @cached_property
    def days_to_renewal(self) -> float:
        """:func:`days_to_renewal` from ``as_of``; NaN without a renewal date."""
        return days_to_renewal(self.renewal_date, self.periods.as_of)

    # ------------------------------------------------------------------ usage

    @cached_property
    def _usage_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        usage = self.tables["usage"]
        return _dates(usage, "date"), usage["metric"].to_numpy(dtype=object), _floats(usage, "value")

    @cached_property
    def usage(self) -> dict[str, list[float]]:
        """``users`` (mean active users), ``events`` (key feature events, sum) and ``seats``
        (seats purchased, last) per month of ``periods.usage_months``; NaN where no rows."""
        months = self.periods.usage_months_ns
        if self.tables["usage"].empty:
            nothing = [math.nan] * len(months)
            return {"users": nothing, "events": list(nothing), "seats": list(nothing)}
        dates, metric, values = self._usage_columns
        result = {}
        for key, name, how in _USAGE:
            selected = metric == name
            result[key] = monthly_values(dates[selected], values[selected], months, how).tolist()
        return result

    @cached_property
    def active_users(self) -> float:
        """Mean active users over the window's months with data; NaN without any."""
        return window_average(self.usage["users"], self.periods.window_positions)

    @cached_property
    def active_users_previous(self) -> float:
        return window_average(self.usage["users"], self.periods.previous_positions)

    @cached_property
    def active_users_change(self) -> float:
        """Active users vs the previous window, a fraction."""
        return relative_change(self.active_users, self.active_users_previous)

    @cached_property
    def key_feature_events(self) -> float:
        """Key feature events summed over the window; NaN without any month of data."""
        return window_average(self.usage["events"], self.periods.window_positions, "sum")

    @cached_property
    def key_feature_events_change(self) -> float:
        """Key feature events vs the previous window, a fraction."""
        before = window_average(self.usage["events"], self.periods.previous_positions, "sum")
        return relative_change(self.key_feature_events, before)

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
        p = self.periods
        return ticket_stats_of(created, resolved, priorities, csat, p.window_start_ns, p.as_of_ns)

    @cached_property
    def tickets_by_month(self) -> np.ndarray:
        """Tickets per month of ``periods.support_months`` (rows) and priority P0–P3 (columns)."""
        created, _resolved, priorities, _csat = self._ticket_columns
        return monthly_ticket_counts(created, priorities.tolist(), self.periods.support_months_ns)

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
        """NPS per quarter of ``periods.nps_quarters``; the last is the window's quarter."""
        p = self.periods
        return self._nps(list(p.nps_quarters), list(p.nps_quarter_labels), list(p.nps_quarter_bounds))

    @cached_property
    def nps_year(self) -> NpsPoint:
        """NPS over the trailing 12 months (``periods.nps_year``)."""
        p = self.periods
        return self._nps([p.nps_year], [p.nps_year_label], [p.nps_year_bounds])[0]

    @cached_property
    def comments(self) -> list[Comment]:
        """Responses from ``periods.verbatims_since_ns`` up to ``as_of``, in table order."""
        nps = self.tables["nps"]
        when = _dates(nps, "responded_at")
        p = self.periods
        inside = np.flatnonzero((when >= p.verbatims_since_ns) & (when < p.as_of_ns))
        if not len(inside):
            return []
        columns = [nps[name].tolist() for name in ("response_id", "contact_id", "responded_at", "comment")]
        return [Comment(*(column[i] for column in columns)) for i in inside.tolist()]

    def top_themes(self, limit: int) -> list[ThemeMentions]:
        """The ``limit`` themes named most in the comments of :attr:`comments` that have text, with
        their tone; ``[]`` when no comment there names a theme."""
        tags = self.comment_tags
        found = [tags.get(str(c.response_id)) for c in self.comments if _has_text(c.comment)]
        named = [tag for tag in found if tag is not None]
        return top_themes([t.themes for t in named], [t.tone for t in named], limit)

    # ------------------------------------------------------------------ success plans

    @cached_property
    def plans(self) -> list[PlanRow]:
        """The success-plan rows in table order (:func:`plan_rows`)."""
        return plan_rows(self.tables["success_plans"])

    @cached_property
    def goals(self) -> list[PlanRow]:
        """Objectives due from the window's start up to ``as_of``, by due date then objective."""
        return goals_due(self.plans, self.periods.window.start, self.periods.as_of)

    @cached_property
    def goals_met(self) -> int:
        """:func:`goals_met` of :attr:`goals`."""
        return goals_met([g.status for g in self.goals])

    @cached_property
    def open_plans(self) -> list[PlanRow]:
        """Objectives due on or after ``as_of`` or without a due date, by due date then objective."""
        return open_objectives(self.plans, self.periods.as_of)

    @cached_property
    def plans_on_track(self) -> int:
        """:func:`plans_on_track` of :attr:`open_plans`."""
        return plans_on_track([r.status for r in self.open_plans])

    @cached_property
    def plans_behind(self) -> int:
        """:func:`plans_behind` of :attr:`open_plans`."""
        return plans_behind([r.status for r in self.open_plans])

    @cached_property
    def value_delivered(self) -> list[ValueDelivered]:
        """Every success-plan KPI with a :func:`value_delivered`, in table order."""
        found = []
        for row in self.plans:
            change = value_delivered(row.baseline, row.current, row.status)
            if change == change:
                points = value_delivered_points(row.baseline, row.current, row.status)
                found.append(
                    ValueDelivered(row.objective, row.kpi, row.baseline, row.current, change, points)
                )
        return found

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
        return any(_flag(c.is_champion) for c in self.active_contacts)

    def signals(self, kind: str) -> list[Signal]:
        """The account's signals of ``kind`` (alert or upsell), in table order."""
        return [s for s in self._signals if s.kind == kind]

    @cached_property
    def _signals(self) -> list[Signal]:
        signals = self._signal_frame
        if signals.empty:
            return []
        return [
            Signal(kind, signal, _num(value))
            for kind, signal, value in zip(
                signals["kind"].tolist(), signals["signal"].tolist(), signals["value"].tolist(), strict=True
            )
        ]
