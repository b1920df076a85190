"""Weekly leadership KPIs for one ISO week, with week-over-week deltas and targets.

A week is an ISO week, Monday 00:00 to the next Monday 00:00 (exclusive), on
the calendar dates of the data (timestamps in the data are taken as they are;
no time-zone conversion). Money is in the reporting currency of the MRR
matrix; rates are fractions, not percent; durations are hours.

Definitions (``week`` = the ISO week reported, ``W`` its days Monday..Sunday):

- *MRR month*: MRR is monthly data, so the MRR that stands for a week is the
  MRR of the calendar month containing the week's last day (Sunday). ``mrr`` is
  the total of that month; ``arr`` = 12 × ``mrr``. The previous week's figures
  use its own MRR month, so the week-over-week MRR delta is zero unless the
  two weeks end in different months.
- *Expansion / contraction / churn / new MRR this week*: MRR movements
  (:mod:`cs_calc.mrr`) whose month's first day falls in ``W``; zero in weeks
  that contain no first-of-month. *Churn events this week*: rows of
  ``churn_events`` with ``effective_date`` in ``W`` (count and ``lost_mrr``).
  ``month_*`` fields give the movements of the MRR month as a whole.
- *New customers*: accounts whose ``start_date`` falls in ``W``, per segment.
- *NRR / GRR trailing 12 months*: :func:`cs_calc.retention.compute_retention`
  over the 12 months ending with the MRR month (MRR at start = the month
  before those 12).
- *Tickets*: tickets with ``created_at`` in ``W`` (all, and priority P0).
  *Median first response* (hours): ``first_response_at - created_at`` over
  tickets created in ``W`` that have a response. *Median resolution* (hours):
  ``resolved_at - created_at`` over tickets resolved in ``W``. NaN when none.
- *Active users / logins*: usage rows are weekly, dated Mondays; the week's
  figure sums over accounts the rows dated in ``W`` (for ``active_users`` the
  mean of an account's rows in ``W``, for ``logins`` their sum). NaN when the
  usage table has no row in ``W``.
- *NPS this week*: responses with ``responded_at`` in ``W``
  (:func:`cs_calc.nps.compute_nps`; NaN score when there are none).
- *Renewals due*: accounts paying in the MRR month whose ``renewal_date`` is
  after the week's Sunday and at most ``renewal_days`` (105) days after it.
- *At risk*: accounts paying in the MRR month that are red; or yellow (or
  without a health score) with at least one ``alert`` in ``signals``
  (:mod:`cs_calc.signals`) dated on or before the week's Sunday (undated
  alerts count); or green with one of :data:`GREEN_AT_RISK_ALERTS` (a champion
  or power user left, usage dropped), the alerts a green score can lag behind.
  Ranked by MRR at risk (the account's MRR in the MRR month), largest first.
  *Share of MRR at risk*: their MRR ÷ the MRR of the MRR month (NaN when that
  is 0). *MRR change over 3 months* of an at-risk account: its MRR in the MRR
  month − its MRR three months before (0 when it did not pay then; NaN when the
  data does not reach back that far).
- *Week-over-week change*: ``current - previous`` of each KPI (in the KPI's
  unit; rates in fraction points), and the relative change
  ``(current - previous) / |previous|`` (a fraction; NaN when the previous
  value is 0 or missing).
- *Targets*: each configured :class:`Target` judged against the week's value
  (:func:`compare_to_target`).

Everything is computed once per run and week by
:meth:`reports.pipeline.RunContext.weekly`; the email only arranges it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_calc.nps import compute_nps, responses_in
from cs_calc.periods import Window
from cs_calc.retention import compute_retention
from cs_calc.signals import RENEWAL_WINDOW_DAYS

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week: ``year`` is the ISO year, ``week`` 1..52 or 53.

    >>> w = IsoWeek.parse("2026-W43")
    >>> w.label, f"{w.start:%Y-%m-%d}", f"{w.end:%Y-%m-%d}"
    ('2026-W43', '2026-10-19', '2026-10-25')
    """

    year: int
    week: int

    def __post_init__(self) -> None:
        weeks_in_year = dt.date(self.year, 12, 28).isocalendar().week
        if not 1 <= self.week <= weeks_in_year:
            raise ValueError(
                f"{self.year}-W{self.week:02d} does not exist: {self.year} has {weeks_in_year} weeks"
            )

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """Parse ``YYYY-Www`` (e.g. ``2026-W47``)."""
        match = _WEEK_RE.match(str(text).strip().upper())
        if not match:
            raise ValueError(f"{text!r} is not an ISO week; use YYYY-Www, e.g. 2026-W47")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: dt.date | pd.Timestamp) -> IsoWeek:
        """The ISO week that ``day`` falls in."""
        iso = pd.Timestamp(day).isocalendar()
        return cls(iso[0], iso[1])

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def start(self) -> pd.Timestamp:
        """Monday 00:00 of the week."""
        return pd.Timestamp(dt.date.fromisocalendar(self.year, self.week, 1))

    @property
    def end(self) -> pd.Timestamp:
        """Sunday (the date; the week runs until the next Monday 00:00)."""
        return self.start + pd.Timedelta(days=6)

    @property
    def end_exclusive(self) -> pd.Timestamp:
        return self.start + pd.Timedelta(days=7)

    @property
    def mrr_month(self) -> pd.Timestamp:
        """First day of the month containing the week's Sunday."""
        return pd.Timestamp(year=self.end.year, month=self.end.month, day=1)

    @property
    def trailing_12_months(self) -> Window:
        """The 12 months ending with :attr:`mrr_month`: the window of the week's NRR, GRR and health.

        >>> IsoWeek.parse("2026-W43").trailing_12_months.label
        '2025-11..2026-10'
        """
        return Window(self.mrr_month - pd.DateOffset(months=11), self.mrr_month)

    def previous(self, n: int = 1) -> IsoWeek:
        """The week ``n`` weeks earlier."""
        return IsoWeek.containing(self.start - pd.Timedelta(weeks=n))

    def __str__(self) -> str:
        return self.label


def last_complete_week(today: dt.date) -> IsoWeek:
    """The last ISO week that ended before ``today`` (the week before today's).

    >>> last_complete_week(dt.date(2026, 11, 27)).label
    '2026-W47'
    """
    return IsoWeek.containing(today).previous()


def data_end(tables: Mapping[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The last day the data covers: the last day of the last MRR month (None without MRR)."""
    months = tables["mrr"]["month"]
    if months.empty or pd.isna(months.max()):
        return None
    return months.max() + pd.offsets.MonthEnd(0)


def data_start(tables: Mapping[str, pd.DataFrame]) -> pd.Timestamp | None:
    months = tables["mrr"]["month"]
    return None if months.empty or pd.isna(months.min()) else months.min()


def week_has_data(tables: Mapping[str, pd.DataFrame], week: IsoWeek) -> bool:
    """True when the week lies inside the months the MRR data covers, both ends included."""
    first, last = data_start(tables), data_end(tables)
    return first is not None and last is not None and week.start >= first and week.end <= last


def last_week_with_data(tables: Mapping[str, pd.DataFrame]) -> IsoWeek | None:
    """The last ISO week that :func:`week_has_data` (its Sunday on or before :func:`data_end`)."""
    last = data_end(tables)
    if last is None:
        return None
    week = IsoWeek.containing(last)
    if week.end > last:
        week = week.previous()
    return week if week_has_data(tables, week) else None


class WeekOutsideDataError(ValueError):
    """A week the data does not cover; the message names the last week that it does."""


def check_week_in_data(tables: Mapping[str, pd.DataFrame], week: IsoWeek) -> None:
    """Raise :class:`WeekOutsideDataError` when ``week`` lies outside the MRR data.

    The message names where the data ends and the last complete week with
    data, e.g. ``no data for week 2026-W47: the data ends 2026-10-31; the last
    complete week with data is 2026-W43 (try --week 2026-W43)``.
    """
    if week_has_data(tables, week):
        return
    last, end = last_week_with_data(tables), data_end(tables)
    ends = f"the data ends {end:%Y-%m-%d}" if end is not None else "there is no MRR data"
    hint = f"; the last complete week with data is {last.label} (try --week {last.label})" if last else ""
    raise WeekOutsideDataError(f"no data for week {week.label}: {ends}{hint}")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class WeekSnapshot:
    """The KPIs of one week; money in the reporting currency, rates as fractions."""

    week: IsoWeek
    mrr_month: pd.Timestamp
    mrr: float
    arr: float
    paying_accounts: int
    new_customers: Mapping[str, int]
    """Accounts whose start_date is in the week, per segment (every configured segment listed)."""
    new_customers_total: int
    new_mrr: float
    expansion_mrr: float
    contraction_mrr: float
    """Positive amount."""
    churned_mrr: float
    """Positive amount."""
    churn_events: int
    churn_events_lost_mrr: float
    nrr_12m: float
    grr_12m: float
    tickets: int
    p0_tickets: int
    median_first_response_hours: float
    median_resolution_hours: float
    active_users: float
    logins: float
    nps_responses: int
    nps: float
    """-100..100; NaN without responses."""


@dataclass(frozen=True)
class MonthMovements:
    """MRR movements of one whole month (positive amounts)."""

    month: pd.Timestamp
    new_mrr: float
    expansion_mrr: float
    reactivation_mrr: float
    contraction_mrr: float
    churned_mrr: float

    @property
    def net_new_mrr(self) -> float:
        return (
            self.new_mrr
            + self.expansion_mrr
            + self.reactivation_mrr
            - self.contraction_mrr
            - self.churned_mrr
        )


@dataclass(frozen=True)
class TrendPoint:
    """One week of the activity trend."""

    week: IsoWeek
    active_users: float
    logins: float
    tickets: int
    p0_tickets: int


@dataclass(frozen=True)
class Renewal:
    """An account renewing within the renewal window after the week."""

    account_id: str
    name: str
    segment: str
    renewal_date: pd.Timestamp
    days_to_renewal: int
    """Days from the week's Sunday."""
    mrr: float
    health_score: float
    health_band: str
    """red, yellow, green or "" when unknown."""


@dataclass(frozen=True)
class AtRiskAccount:
    """A paying account at risk: red, yellow with an alert, or green with a :data:`GREEN_AT_RISK_ALERTS` alert."""

    account_id: str
    name: str
    segment: str
    mrr: float
    health_score: float
    health_band: str
    renewal_date: pd.Timestamp | None
    alerts: tuple[tuple[str, float], ...]
    """(signal, value) pairs, e.g. ("usage_drop", -0.31); see :mod:`cs_calc.signals`."""
    days_to_renewal: int | None = None
    """Days from the week's Sunday to the renewal date (negative when past); None without a date."""
    mrr_change_3m: float = math.nan
    """MRR in the MRR month − MRR three months before (reporting currency; NaN without that month)."""


GREEN_AT_RISK_ALERTS: tuple[str, ...] = ("champion_left", "power_user_left", "usage_drop")
"""The alerts that put a green account at risk: a score built on past usage lags behind these.

A green account with only a detractor response, a P0 ticket or a renewal coming up
is not at risk; a yellow one with any alert is, and a red one always is.
"""


def is_at_risk(health_band: str, alerts: Sequence[str]) -> bool:
    """Whether an account of ``health_band`` with ``alerts`` (signal names) is at risk.

    >>> is_at_risk("red", []), is_at_risk("yellow", ["detractor"]), is_at_risk("yellow", [])
    (True, True, False)
    >>> is_at_risk("green", ["detractor"]), is_at_risk("green", ["champion_left"])
    (False, True)
    """
    if health_band == "red":
        return True
    if health_band == "green":
        return any(a in GREEN_AT_RISK_ALERTS for a in alerts)
    return bool(alerts)


@dataclass(frozen=True)
class Target:
    """A KPI target: ``minimum`` (at least) and/or ``maximum`` (at most)."""

    kpi: str
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class TargetStatus:
    """How a KPI stands against its target; ``gap`` = value - bound (signed, the KPI's unit)."""

    target: Target
    value: float
    met: bool | None
    """None when the value is missing (NaN)."""
    gap: float


HEALTH_BANDS: tuple[str, ...] = ("red", "yellow", "green", "")
"""Health bands in the order the email lists them; ``""`` is an account without a score."""


@dataclass(frozen=True)
class BandTotal:
    """Renewals due of one health band: how many accounts and their MRR (reporting currency)."""

    band: str
    """red, yellow, green or "" (no health score)."""
    accounts: int
    mrr: float


@dataclass(frozen=True)
class WeeklyOptions:
    """How the week's figures are chosen (``configs/email.yaml``); hashable, so runs cache by it."""

    trend_weeks: int = 8
    """Weeks in the activity trend, ending with the week."""
    renewal_days: int = RENEWAL_WINDOW_DAYS
    """Renewals due: renewal date at most this many days after the week's Sunday."""
    at_risk_limit: int = 10
    """At-risk accounts listed (all are counted)."""
    targets: tuple[Target, ...] = ()
    """Targets judged against the week's values."""


@dataclass(frozen=True)
class WeeklyKpis:
    """Everything the weekly email reports, as raw numbers."""

    week: IsoWeek
    current: WeekSnapshot
    previous: WeekSnapshot
    month_movements: MonthMovements
    trend: tuple[TrendPoint, ...]
    """Oldest first, ending with ``week``."""
    renewals: tuple[Renewal, ...]
    """Soonest first."""
    renewals_mrr: float
    at_risk: tuple[AtRiskAccount, ...]
    """Largest MRR first, at most ``at_risk_limit`` (the rule: :func:`is_at_risk`)."""
    at_risk_count: int
    at_risk_mrr: float
    """MRR of every at-risk account, not only those listed."""
    at_risk_mrr_share: float
    """``at_risk_mrr`` ÷ ``current.mrr``, a fraction; NaN when the MRR is 0 or missing."""
    renewals_by_band: tuple[BandTotal, ...]
    """Renewals due per health band, in :data:`HEALTH_BANDS` order, bands without renewals left out."""
    change: Mapping[str, float]
    """Per :data:`KPI_FIELDS`: ``current - previous`` in the KPI's unit (NaN when either is NaN)."""
    change_rate: Mapping[str, float]
    """Per :data:`KPI_FIELDS`: ``change / |previous|``, a fraction (NaN when previous is 0 or NaN)."""
    targets: tuple[TargetStatus, ...]
    """The week's value against each target of :attr:`WeeklyOptions.targets`, in their order."""

    def delta(self, kpi: str) -> float:
        """``current.kpi - previous.kpi`` (NaN when either is NaN)."""
        return self.change[kpi]

    def band(self, band: str) -> BandTotal:
        """The renewals due of ``band`` (zero accounts when none)."""
        return next((b for b in self.renewals_by_band if b.band == band), BandTotal(band, 0, 0.0))


# --------------------------------------------------------------------------- computing


def _in_week(values: pd.Series, week: IsoWeek) -> pd.Series:
    return (values >= week.start) & (values < week.end_exclusive)


def _median_hours(delta: pd.Series) -> float:
    hours = delta.dropna().dt.total_seconds() / 3600.0
    return float(hours.median()) if len(hours) else math.nan


def _usage_in_week(usage: pd.DataFrame, week: IsoWeek, metric: str, how: str) -> float:
    rows = usage[(usage["metric"] == metric) & _in_week(usage["date"], week)]
    if rows.empty:
        return math.nan
    per_account = rows.groupby("account_id")["value"].agg(how)
    return float(per_account.sum())


def _ticket_counts(tickets: pd.DataFrame, week: IsoWeek) -> tuple[int, int]:
    created = tickets[_in_week(tickets["created_at"], week)]
    return len(created), int((created["priority"].astype(object) == "P0").sum())


def _snapshot(
    tables: Mapping[str, pd.DataFrame],
    matrix: pd.DataFrame,
    movements: pd.DataFrame,
    week: IsoWeek,
    segments: Sequence[str],
    count_reactivation_in_nrr: bool,
) -> WeekSnapshot:
    month = week.mrr_month
    if month in matrix.columns:
        column = matrix[month]
        mrr, paying = float(column.sum()), int((column > 0).sum())
    else:
        mrr, paying = math.nan, 0

    accounts = tables["accounts"]
    started = accounts[_in_week(accounts["start_date"], week)]
    counts = started["segment"].astype(object).fillna("(none)").value_counts()
    new_customers = {str(s): int(counts.get(s, 0)) for s in segments}
    for extra in sorted(set(counts.index) - set(segments)):
        new_customers[str(extra)] = int(counts[extra])

    moved = movements[_in_week(movements["month"], week)]
    by_kind = moved.groupby("movement")["amount"].sum()

    churn = tables["churn_events"]
    churned = churn[_in_week(churn["effective_date"], week)]
    lost = pd.to_numeric(churned["lost_mrr"], errors="coerce") if "lost_mrr" in churned else pd.Series([])

    window = Window(month - pd.DateOffset(months=11), month)
    if month in matrix.columns:
        retention = compute_retention(matrix, window, count_reactivation_in_nrr=count_reactivation_in_nrr)
        nrr, grr = float(retention.loc["all", "nrr"]), float(retention.loc["all", "grr"])
    else:
        nrr = grr = math.nan

    tickets = tables["tickets"]
    total, p0 = _ticket_counts(tickets, week)
    created = tickets[_in_week(tickets["created_at"], week)]
    if "first_response_at" in tickets:
        first_response = _median_hours(created["first_response_at"] - created["created_at"])
    else:
        first_response = math.nan
    resolved = tickets[_in_week(tickets["resolved_at"], week)]
    resolution = _median_hours(resolved["resolved_at"] - resolved["created_at"])

    usage = tables["usage"]
    responses = responses_in(tables["nps"], week.start, week.end_exclusive)
    nps_frame = compute_nps(responses)
    n_responses = int(nps_frame["responses"].sum()) if not nps_frame.empty else 0
    nps = float(nps_frame.loc["all", "nps"]) if n_responses else math.nan

    return WeekSnapshot(
        week=week,
        mrr_month=month,
        mrr=mrr,
        arr=12.0 * mrr,
        paying_accounts=paying,
        new_customers=new_customers,
        new_customers_total=len(started),
        new_mrr=float(by_kind.get("new", 0.0)),
        expansion_mrr=float(by_kind.get("expansion", 0.0)),
        contraction_mrr=0.0 - float(by_kind.get("contraction", 0.0)),
        churned_mrr=0.0 - float(by_kind.get("churn", 0.0)),
        churn_events=len(churned),
        churn_events_lost_mrr=float(lost.fillna(0).sum()),
        nrr_12m=nrr,
        grr_12m=grr,
        tickets=total,
        p0_tickets=p0,
        median_first_response_hours=first_response,
        median_resolution_hours=resolution,
        active_users=_usage_in_week(usage, week, "active_users", "mean"),
        logins=_usage_in_week(usage, week, "logins", "sum"),
        nps_responses=n_responses,
        nps=nps,
    )


def _month_movements(movements: pd.DataFrame, month: pd.Timestamp) -> MonthMovements:
    amounts = movements[movements["month"] == month].groupby("movement")["amount"].sum()
    return MonthMovements(
        month=month,
        new_mrr=float(amounts.get("new", 0.0)),
        expansion_mrr=float(amounts.get("expansion", 0.0)),
        reactivation_mrr=float(amounts.get("reactivation", 0.0)),
        contraction_mrr=0.0 - float(amounts.get("contraction", 0.0)),
        churned_mrr=0.0 - float(amounts.get("churn", 0.0)),
    )


def _health_of(health: pd.DataFrame, account_id: str) -> tuple[float, str]:
    if account_id in health.index:
        row = health.loc[account_id]
        band = row.get("health_band")
        return float(row.get("health_score", math.nan)), "" if pd.isna(band) else str(band)
    return math.nan, ""


def _renewals(
    accounts: pd.DataFrame, paying: pd.Series, health: pd.DataFrame, week: IsoWeek, days: int
) -> list[Renewal]:
    renewal = accounts["renewal_date"]
    due = accounts[(renewal > week.end) & (renewal <= week.end + pd.Timedelta(days=days))]
    rows = []
    for record in due.itertuples(index=False):
        mrr = float(paying.get(record.account_id, 0.0))
        if mrr <= 0:
            continue
        score, band = _health_of(health, record.account_id)
        rows.append(
            Renewal(
                account_id=str(record.account_id),
                name=str(record.name),
                segment="" if pd.isna(record.segment) else str(record.segment),
                renewal_date=pd.Timestamp(record.renewal_date),
                days_to_renewal=int((pd.Timestamp(record.renewal_date) - week.end).days),
                mrr=mrr,
                health_score=score,
                health_band=band,
            )
        )
    rows.sort(key=lambda r: (r.renewal_date, -r.mrr, r.account_id))
    return rows


def _at_risk(
    accounts: pd.DataFrame,
    paying: pd.Series,
    before: pd.Series | None,
    health: pd.DataFrame,
    signals: pd.DataFrame,
    week: IsoWeek,
) -> list[AtRiskAccount]:
    """Paying accounts :func:`is_at_risk` decides are at risk; ``before`` is MRR three months earlier."""
    alerts = signals[(signals["kind"] == "alert") & (signals["date"].isna() | (signals["date"] <= week.end))]
    by_account = {str(a): g for a, g in alerts.groupby("account_id", sort=True)}
    info = accounts.set_index("account_id")
    rows = []
    for account_id, value in paying.items():
        mrr = float(value)
        if mrr <= 0 or account_id not in info.index:
            continue
        group = by_account.get(str(account_id))
        fired = (
            ()
            if group is None
            else tuple(
                (str(s), float(v)) for s, v in sorted(zip(group["signal"], group["value"], strict=True))
            )
        )
        score, band = _health_of(health, account_id)
        if not is_at_risk(band, [s for s, _ in fired]):
            continue
        if band == "green":
            fired = tuple(a for a in fired if a[0] in GREEN_AT_RISK_ALERTS)
        record = info.loc[account_id]
        renewal = None if pd.isna(record.get("renewal_date")) else pd.Timestamp(record.get("renewal_date"))
        change = math.nan if before is None else mrr - float(before.get(account_id, 0.0))
        rows.append(
            AtRiskAccount(
                account_id=str(account_id),
                name=str(record["name"]),
                segment="" if pd.isna(record["segment"]) else str(record["segment"]),
                mrr=mrr,
                health_score=score,
                health_band=band,
                renewal_date=renewal,
                alerts=fired,
                days_to_renewal=None if renewal is None else int((renewal - week.end).days),
                mrr_change_3m=change,
            )
        )
    rows.sort(key=lambda r: (-r.mrr, r.account_id))
    return rows


def compute_weekly_kpis(
    tables: Mapping[str, pd.DataFrame],
    matrix: pd.DataFrame,
    movements: pd.DataFrame,
    health: pd.DataFrame,
    signals: pd.DataFrame,
    week: IsoWeek,
    *,
    segments: Sequence[str] = (),
    trend_weeks: int = 8,
    renewal_days: int = RENEWAL_WINDOW_DAYS,
    at_risk_limit: int = 10,
    count_reactivation_in_nrr: bool = False,
    targets: Sequence[Target] = (),
) -> WeeklyKpis:
    """The weekly KPIs of ``week`` and of the week before (definitions: module docstring).

    ``matrix`` is account × month MRR and ``movements`` the output of
    :func:`cs_calc.mrr.classify_mrr_movements` (both in the reporting
    currency); ``health`` is indexed by ``account_id`` with ``health_score``
    and ``health_band``; ``signals`` has :data:`cs_calc.signals.SIGNAL_COLUMNS`.
    ``segments`` lists the segments that always appear in ``new_customers``;
    ``targets`` are judged against the week's values (:attr:`WeeklyKpis.targets`).
    """
    if trend_weeks < 1:
        raise ValueError(f"trend_weeks must be at least 1, not {trend_weeks}")

    def snap(w: IsoWeek) -> WeekSnapshot:
        return _snapshot(tables, matrix, movements, w, segments, count_reactivation_in_nrr)

    current, previous = snap(week), snap(week.previous())
    trend = []
    for back in range(trend_weeks - 1, -1, -1):
        w = week.previous(back) if back else week
        total, p0 = _ticket_counts(tables["tickets"], w)
        trend.append(
            TrendPoint(
                week=w,
                active_users=_usage_in_week(tables["usage"], w, "active_users", "mean"),
                logins=_usage_in_week(tables["usage"], w, "logins", "sum"),
                tickets=total,
                p0_tickets=p0,
            )
        )
    month = week.mrr_month
    paying = matrix[month] if month in matrix.columns else pd.Series(dtype="float64")
    paying = paying[paying > 0]
    accounts = tables["accounts"]
    renewals = _renewals(accounts, paying, health, week, renewal_days)
    earlier = month - pd.DateOffset(months=3)
    before = matrix[earlier].fillna(0.0) if earlier in matrix.columns else None
    at_risk = _at_risk(accounts, paying, before, health, signals, week)
    at_risk_mrr = float(sum(r.mrr for r in at_risk))
    change, change_rate = _changes(current, previous)
    return WeeklyKpis(
        week=week,
        current=current,
        previous=previous,
        month_movements=_month_movements(movements, month),
        trend=tuple(trend),
        renewals=tuple(renewals),
        renewals_mrr=float(sum(r.mrr for r in renewals)),
        at_risk=tuple(at_risk[: max(at_risk_limit, 0)]),
        at_risk_count=len(at_risk),
        at_risk_mrr=at_risk_mrr,
        at_risk_mrr_share=at_risk_mrr / current.mrr if current.mrr else math.nan,
        renewals_by_band=_by_band(renewals),
        change=change,
        change_rate=change_rate,
        targets=target_statuses(current, targets),
    )


def _by_band(renewals: Sequence[Renewal]) -> tuple[BandTotal, ...]:
    totals = []
    for band in HEALTH_BANDS:
        chosen = [r for r in renewals if r.health_band == band]
        if chosen:
            totals.append(BandTotal(band, len(chosen), float(sum(r.mrr for r in chosen))))
    return tuple(totals)


def _changes(current: WeekSnapshot, previous: WeekSnapshot) -> tuple[dict[str, float], dict[str, float]]:
    """Week-over-week change and relative change of every KPI (see the module docstring)."""
    change, rate = {}, {}
    for kpi in KPI_FIELDS:
        now, before = float(getattr(current, kpi)), float(getattr(previous, kpi))
        delta = now - before
        change[kpi] = delta
        rate[kpi] = delta / abs(before) if before and not math.isnan(before) else math.nan
    return change, rate


def compare_to_target(target: Target, value: float) -> TargetStatus:
    """Whether ``value`` meets ``target``; ``gap`` is measured from the bound it is judged by.

    >>> compare_to_target(Target("nrr_12m", minimum=1.0), 0.97).met
    False
    >>> round(compare_to_target(Target("nrr_12m", minimum=1.0), 0.97).gap, 2)
    -0.03
    >>> compare_to_target(Target("p0_tickets", maximum=0), 0).met
    True
    """
    value = float(value)
    if math.isnan(value):
        return TargetStatus(target, value, None, math.nan)
    if target.minimum is not None and value < target.minimum:
        return TargetStatus(target, value, False, value - target.minimum)
    if target.maximum is not None and value > target.maximum:
        return TargetStatus(target, value, False, value - target.maximum)
    bound = target.minimum if target.minimum is not None else target.maximum
    return TargetStatus(target, value, True, value - bound if bound is not None else 0.0)


def target_statuses(snapshot: WeekSnapshot, targets: Sequence[Target]) -> tuple[TargetStatus, ...]:
    """:func:`compare_to_target` for each target whose ``kpi`` is a field of ``snapshot``."""
    out = []
    for target in targets:
        value = getattr(snapshot, target.kpi, None)
        if value is None or isinstance(value, Mapping):
            raise ValueError(f"target for {target.kpi!r}: not a numeric weekly KPI")
        out.append(compare_to_target(target, float(np.float64(value))))
    return tuple(out)


KPI_FIELDS: tuple[str, ...] = tuple(
    name
    for name, spec in WeekSnapshot.__dataclass_fields__.items()
    if name not in ("week", "mrr_month", "new_customers")
)
"""Names of the numeric KPIs of :class:`WeekSnapshot` (valid target keys)."""
