"""What a QBR shows, for one account: :class:`AccountData` in, :class:`QbrContext` out.

:func:`account_data` cuts one account's rows out of a run (small and
picklable, so a batch worker receives only this). :func:`build_qbr_context`
arranges those rows and the metrics cs_calc computed into slides of text,
tables and chart data, already formatted for the locale, plus the speaker
notes narrating the numbers. The PPTX renderer, the PDF leave-behind and the
follow-up email all read the same :class:`QbrContext`; none computes a metric.

Audience: with ``audience="customer"`` nothing internal enters the context
(health score, band, drivers, alerts, upsell signals, prep notes), so no
renderer can leak it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from cs_calc.account_activity import PRIORITIES, monthly_usage, nps_by_quarter, ticket_stats, tickets_by_month
from cs_calc.periods import Window, quarters_ending
from reports.formatting import (
    clean_text,
    format_date,
    format_delta,
    format_money,
    format_month,
    format_number,
    format_pct,
    format_quarter,
)
from reports.health_words import driver_sentences
from reports.qbr.config import INTERNAL_SLIDES, QbrConfig
from reports.qbr.phrases import phrase

Audience = Literal["customer", "internal"]
AUDIENCES = ("customer", "internal")
_TABLES = ("usage", "tickets", "nps", "contacts", "success_plans", "churn_events")
_OPEN = ("on_track", "at_risk", "off_track")
_PRIORITY_ACCENT = {"P0": 4, "P1": 2, "P2": 1, "P3": 5}
_STATUS_BAND = {
    "achieved": "green",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "missed": "red",
}


@dataclass(frozen=True)
class AccountData:
    """One account's rows of every table and metric frame, plus run-level constants."""

    account: Mapping[str, Any]
    """The ``accounts`` row."""
    csm: Mapping[str, Any]
    """The ``csms`` row of the account's CSM; empty when unknown."""
    mrr: pd.Series
    """MRR per month (reporting currency), all months of data."""
    retention: Mapping[str, Any]
    """The account's row of ``per_account_retention`` (mrr_start, mrr_end …); empty if none."""
    health: Mapping[str, Any]
    """The account's row of ``metrics.health``; empty if none."""
    signals: pd.DataFrame
    tables: Mapping[str, pd.DataFrame]
    """usage, tickets, nps, contacts, success_plans, churn_events: this account's rows only."""
    window: Window
    as_of: pd.Timestamp
    definitions_version: str
    reporting_currency: str
    provenance: Mapping[str, str]

    @property
    def account_id(self) -> str:
        return str(self.account["account_id"])


def _by_account(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    if frame.empty:
        return {}
    return {str(key): rows for key, rows in frame.groupby("account_id", sort=False)}


class AccountIndex:
    """A run's tables grouped by account once, so cutting out each account is cheap."""

    def __init__(self, run: Any):
        tables = run.dataset.tables
        metrics = run.metrics
        self.run = run
        self.accounts = tables["accounts"].set_index("account_id", drop=False)
        self.csms = tables["csms"].set_index("csm_id", drop=False) if not tables["csms"].empty else None
        self.groups = {name: _by_account(tables[name]) for name in _TABLES}
        self.empty = {name: tables[name].iloc[0:0] for name in _TABLES}
        self.signals = _by_account(metrics.signals)
        self.empty_signals = metrics.signals.iloc[0:0]

    def account_data(self, account_id: str) -> AccountData:
        from reports.errors import CsReportsError

        if account_id not in self.accounts.index:
            raise CsReportsError(f"account {account_id!r} is not in the accounts table")
        metrics = self.run.metrics
        account = self.accounts.loc[account_id].to_dict()
        csm: dict[str, Any] = {}
        if self.csms is not None and account.get("csm_id") in self.csms.index:
            csm = self.csms.loc[account["csm_id"]].to_dict()
        mrr = metrics.matrix.loc[account_id] if account_id in metrics.matrix.index else pd.Series(dtype=float)
        retention = metrics.per_account_retention
        health = metrics.health
        return AccountData(
            account=account,
            csm=csm,
            mrr=mrr.copy(),
            retention=retention.loc[account_id].to_dict() if account_id in retention.index else {},
            health=health.loc[account_id].to_dict() if account_id in health.index else {},
            signals=self.signals.get(account_id, self.empty_signals),
            tables={name: self.groups[name].get(account_id, self.empty[name]) for name in _TABLES},
            window=metrics.window,
            as_of=metrics.as_of,
            definitions_version=metrics.definitions_version,
            reporting_currency=metrics.reporting_currency,
            provenance=dict(self.run.provenance),
        )


_INDEX_CACHE: dict[int, AccountIndex] = {}


def account_data(run: Any, account_id: str) -> AccountData:
    """One account's :class:`AccountData` from a :class:`reports.pipeline.RunContext`."""
    index = _INDEX_CACHE.get(id(run))
    if index is None or index.run is not run:
        _INDEX_CACHE.clear()
        index = _INDEX_CACHE[id(run)] = AccountIndex(run)
    return index.account_data(account_id)


# --------------------------------------------------------------------------- context types


@dataclass(frozen=True)
class Kpi:
    """A KPI tile: label, formatted value, one line of detail; ``status`` a band colour or None."""

    label: str
    value: str
    detail: str = ""
    status: str | None = None


@dataclass(frozen=True)
class Table:
    """A table: header, rows of formatted cells, a status (band colour) per row, relative widths."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    status: tuple[str | None, ...] = ()
    status_column: int | None = None
    """Index of the column whose cell is coloured by the row's status."""


@dataclass(frozen=True)
class ChartData:
    """Data of one chart: ``kind`` line, bar (``stacked``) or combo (bars + ``lines`` on a right axis)."""

    kind: Literal["line", "bar", "combo"]
    categories: tuple[str, ...]
    series: Mapping[str, tuple[float | None, ...]]
    value_kind: Literal["number", "money", "pct"] = "number"
    lines: Mapping[str, tuple[float | None, ...]] = field(default_factory=dict)
    line_kind: Literal["number", "money", "pct"] = "number"
    stacked: bool = False
    description: str = ""
    """Alt text."""
    accents: tuple[int, ...] = ()
    """Theme accent (1–6) per series; empty for the default order."""
    value_range: tuple[float, float] | None = None
    """Fixed value-axis range, e.g. (-100, 100) for NPS."""


@dataclass(frozen=True)
class Slide:
    """One slide's content; the renderer picks the layout from what is filled."""

    key: str
    title: str
    notes: str
    """Speaker notes: a short narrative of the numbers."""
    bullets: tuple[str, ...] = ()
    side: tuple[str, ...] = ()
    """Commentary beside a chart, or the right column."""
    side_title: str = ""
    bullets_title: str = ""
    kpis: tuple[Kpi, ...] = ()
    table: Table | None = None
    chart: ChartData | None = None
    subtitle: str = ""
    meta: tuple[str, ...] = ()


@dataclass(frozen=True)
class NextStep:
    """An agreed action: what, who, by when (formatted)."""

    action: str
    owner: str
    due: str


@dataclass(frozen=True)
class QbrContext:
    """Everything one QBR shows, formatted for ``locale`` and filtered for ``audience``."""

    account_id: str = field(metadata={"help": "The account's id."})
    account_name: str = field(metadata={"help": "The account's name, cleaned of XML-illegal characters."})
    segment: str = field(metadata={"help": "Account segment (tier)."})
    deck_kind: str = field(metadata={"help": "high_touch or digital, from configs/qbr.yaml."})
    audience: str = field(metadata={"help": "customer (safe to show) or internal."})
    locale: str = field(metadata={"help": "Babel locale of every formatted value (en, sv)."})
    quarter: str = field(metadata={"help": "The review period, formatted ('Q3 2026')."})
    generated_on: dt.date = field(metadata={"help": "Date on the deck: the first day after the window."})
    csm_name: str = field(metadata={"help": "The account's CSM, or '' when unknown."})
    csm_email: str = field(metadata={"help": "The CSM's email address, or ''."})
    kpis: tuple[Kpi, ...] = field(metadata={"help": "Executive-summary tiles."})
    slides: tuple[Slide, ...] = field(metadata={"help": "Slides in order; those without data are left out."})
    next_steps: tuple[NextStep, ...] = field(metadata={"help": "Recommendations with owners and dates."})
    next_goals: tuple[NextStep, ...] = field(
        metadata={"help": "Goals for next quarter (open success-plan objectives) with owners and dates."}
    )
    reference_ask: bool = field(
        metadata={"help": "True when the follow-up may ask for a reference (band per config)."}
    )
    upsell: tuple[str, ...] = field(metadata={"help": "Upsell signals in words (empty for the customer)."})
    provenance: Mapping[str, str] = field(
        metadata={"help": "period, source, definitions_version, inputs_hash."}
    )
    provenance_text: str = field(metadata={"help": "The provenance as one formatted line."})

    def slide(self, key: str) -> Slide | None:
        return next((s for s in self.slides if s.key == key), None)


# --------------------------------------------------------------------------- helpers


def _num(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def _missing(value: Any) -> bool:
    return math.isnan(_num(value))


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    return clean_text(str(value)).strip()


def _change(new: float, old: float) -> float:
    if _missing(new) or _missing(old) or old == 0:
        return math.nan
    return new / old - 1


def _change_phrase(locale: str, fraction: float) -> str:
    if _missing(fraction) or abs(fraction) < 0.005:
        return phrase(locale, "held")
    pct = format_pct(abs(fraction), locale, 0)
    return phrase(locale, "rose" if fraction > 0 else "fell", pct=pct)


def _kpi_value(value: float, locale: str, digits: int = 1) -> str:
    if _missing(value):
        return "–"
    return format_number(value, locale, 0 if abs(value) >= 100 or value == int(value) else digits)


class _Builder:
    def __init__(self, data: AccountData, audience: str, locale: str, config: QbrConfig):
        if audience not in AUDIENCES:
            raise ValueError(f"audience {audience!r} is not one of {', '.join(AUDIENCES)}")
        self.d = data
        self.audience = audience
        self.internal = audience == "internal"
        self.locale = locale
        self.config = config
        self.t = config.thresholds
        self.currency = data.reporting_currency
        self.window = data.window
        self.as_of = data.as_of
        self.previous = data.window.previous()
        self.quarter = (
            format_quarter(data.window.label, locale) if "Q" in data.window.label else data.window.label
        )
        self.name = _text(data.account.get("name")) or data.account_id
        self.csm_name = _text(data.csm.get("name"))
        self.tables = data.tables
        self._contacts = data.tables["contacts"]
        self._owners_cache: tuple[str, str] | None = None
        self._ticket_stats: Any = None
        self._signal_texts: dict[str, tuple[str, ...]] = {}

    def ticket_stats(self) -> Any:
        """Tickets created in the window up to ``as_of`` (computed once per deck)."""
        if self._ticket_stats is None:
            self._ticket_stats = ticket_stats(self.tables["tickets"], self.window.start, self.as_of)
        return self._ticket_stats

    def p(self, key: str, **values: Any) -> str:
        return phrase(self.locale, key, **values)

    def money(self, value: float) -> str:
        return format_money(value, self.currency, self.locale)

    def date(self, value: Any) -> str:
        return format_date(value, self.locale, "medium")

    # ---------------------------------------------------------------- numbers

    def mrr_numbers(self) -> tuple[float, float]:
        months = self.d.mrr
        end = _num(months.get(self.window.end, math.nan)) if len(months) else math.nan
        opening = self.window.start - pd.DateOffset(months=1)
        start = _num(months.get(opening, math.nan)) if len(months) else math.nan
        return end, start

    def usage_months(self) -> pd.DatetimeIndex:
        return pd.date_range(end=self.window.end, periods=self.t.usage_months, freq="MS")

    def usage(self) -> dict[str, pd.Series]:
        months = self.usage_months()
        usage = self.tables["usage"]
        return {
            "users": monthly_usage(usage, "active_users", months, "mean"),
            "events": monthly_usage(usage, "key_feature_events", months, "sum"),
            "seats": monthly_usage(usage, "seats_purchased", months, "last"),
        }

    def quarter_mean(self, series: pd.Series, window: Window, how: str = "mean") -> float:
        values = series.reindex(window.months)
        if values.isna().all():
            return math.nan
        return float(values.sum() if how == "sum" else values.mean())

    def days_to_renewal(self) -> float:
        renewal = self.d.account.get("renewal_date")
        if renewal is None or pd.isna(renewal):
            return math.nan
        return float((pd.Timestamp(renewal) - self.as_of).days)

    # ---------------------------------------------------------------- slides

    def build(self) -> QbrContext:
        mrr_end, mrr_start = self.mrr_numbers()
        usage = self.usage()
        users_now = self.quarter_mean(usage["users"], self.window)
        users_before = self.quarter_mean(usage["users"], self.previous)
        renewal_days = self.days_to_renewal()
        nps_history = nps_by_quarter(self.tables["nps"], quarters_ending(self.window, self.t.nps_quarters))
        year_ago = self.as_of - pd.Timedelta(days=365)
        nps_year = nps_by_quarter(
            self.tables["nps"], [Window(year_ago.to_period("M").to_timestamp(), self.window.end)]
        )
        mrr_change = _change(mrr_end, mrr_start)
        kpis = self.kpis(mrr_end, mrr_change, users_now, users_before, renewal_days, nps_year)
        plans = self.tables["success_plans"]
        due = plans["due_date"]
        goals = plans[(due >= self.window.start) & (due < self.as_of)].sort_values(["due_date", "objective"])
        open_plans = plans[(due >= self.as_of) | due.isna()].sort_values(["due_date", "objective"])
        steps = self.next_steps(goals, open_plans, usage, renewal_days)

        builders = {
            "title": lambda: self.title_slide(),
            "executive_summary": lambda: self.summary_slide(
                kpis, mrr_end, mrr_change, users_now, users_before, renewal_days, goals
            ),
            "goals_review": lambda: self.goals_slide(goals),
            "success_plan": lambda: self.plan_slide(open_plans),
            "adoption": lambda: self.adoption_slide(usage, users_now, users_before, plans),
            "support": lambda: self.support_slide(),
            "voice_of_customer": lambda: self.voc_slide(nps_history),
            "stakeholders": lambda: self.stakeholder_slide(),
            "risks_opportunities": lambda: self.risks_slide(),
            "next_steps": lambda: self.steps_slide(steps),
            "appendix": lambda: self.appendix_slide(),
        }
        wanted = self.config.slides(self.d.account.get("segment"))
        slides: list[Slide] = []
        for key in wanted:
            if key in INTERNAL_SLIDES and not self.internal:
                continue
            if key == "agenda":
                continue  # filled in once the other slides are known
            slide = builders[key]()
            if slide is not None:
                slides.append(slide)
        if "agenda" in wanted:
            items = [s.title for s in slides if s.key not in ("title", "appendix")]
            agenda = Slide(
                key="agenda",
                title=self.p("agenda"),
                bullets=tuple(items),
                notes=self.p("n_agenda", items="; ".join(items)),
            )
            slides.insert(1 if slides and slides[0].key == "title" else 0, agenda)

        band = str(self.d.health.get("health_band", "unknown"))
        upsell = self.signal_texts("upsell") if self.internal else ()
        prov = self.d.provenance
        return QbrContext(
            account_id=self.d.account_id,
            account_name=self.name,
            segment=_text(self.d.account.get("segment")),
            deck_kind=self.config.deck_kind(self.d.account.get("segment")),
            audience=self.audience,
            locale=self.locale,
            quarter=self.quarter,
            generated_on=self.as_of.date(),
            csm_name=self.csm_name,
            csm_email=_text(self.d.csm.get("email")),
            kpis=kpis,
            slides=tuple(slides),
            next_steps=steps,
            next_goals=self.next_goals(open_plans),
            reference_ask=band == self.t.reference_ask_band,
            upsell=upsell,
            provenance=dict(prov),
            provenance_text=self.provenance_text(),
        )

    def provenance_text(self) -> str:
        prov = self.d.provenance
        return self.p(
            "provenance",
            period=prov.get("period", ""),
            source=clean_text(prov.get("source", "")),
            version=prov.get("definitions_version", ""),
            hash=prov.get("inputs_hash", ""),
        )

    def kpis(
        self,
        mrr_end: float,
        mrr_change: float,
        users_now: float,
        users_before: float,
        renewal_days: float,
        nps_year: pd.DataFrame,
    ) -> tuple[Kpi, ...]:
        arr = Kpi(
            self.p("kpi_arr"),
            format_money(mrr_end * 12, self.currency, self.locale, compact=mrr_end * 12 >= 1_000_000),
            self.p(
                "kpi_arr_detail",
                mrr=self.money(mrr_end),
                change=format_delta(mrr_change, "pct", locale=self.locale),
            ),
        )
        users = Kpi(
            self.p("kpi_users"),
            _kpi_value(users_now, self.locale),
            self.p(
                "kpi_users_detail",
                change=format_delta(_change(users_now, users_before), "pct", locale=self.locale),
            ),
        )
        renewal_date = self.d.account.get("renewal_date")
        if _missing(renewal_days):
            renewal = Kpi(self.p("kpi_renewal"), "–", self.p("kpi_renewal_none"))
        else:
            renewal = Kpi(
                self.p("kpi_renewal"),
                self.date(renewal_date),
                self.p("kpi_renewal_detail", days=int(renewal_days)),
            )
        row = nps_year.iloc[0]
        nps = Kpi(
            self.p("kpi_nps"),
            "–" if _missing(row["nps"]) else format_number(row["nps"], self.locale, 0),
            self.p("kpi_nps_detail", n=int(row["responses"])),
        )
        if not self.internal:
            return (arr, users, renewal, nps)
        health = self.d.health
        band = str(health.get("health_band", "unknown"))
        score = _num(health.get("health_score"))
        tile = Kpi(
            self.p("kpi_health"),
            "–" if _missing(score) else format_number(score, self.locale, 0),
            self.p(
                "kpi_health_detail",
                band=self.p(f"band_{band}"),
                trend=self.p(f"trend_{health.get('trend', 'stable')}"),
            ),
            status=band if band in ("green", "yellow", "red") else None,
        )
        return (tile, arr, renewal, nps)

    def title_slide(self) -> Slide:
        meta = [self.p("prepared_by", csm=self.csm_name or "–", date=self.date(self.as_of))]
        if self.internal:
            meta.append(self.p("internal_banner"))
        return Slide(
            key="title",
            title=self.name,
            subtitle=self.p("subtitle", quarter=self.quarter),
            meta=tuple(meta),
            notes=self.p("n_title", quarter=self.quarter, name=self.name).replace("..", "."),
        )

    def summary_slide(
        self,
        kpis: tuple[Kpi, ...],
        mrr_end: float,
        mrr_change: float,
        users_now: float,
        users_before: float,
        renewal_days: float,
        goals: pd.DataFrame,
    ) -> Slide:
        mrr_text = self.p(
            "mrr_sentence",
            mrr=self.money(mrr_end),
            change=format_delta(mrr_change, "pct", locale=self.locale),
            arr=self.money(mrr_end * 12),
        )
        users_text = ""
        if not _missing(users_now):
            users_text = self.p(
                "users_sentence",
                users=_kpi_value(users_now, self.locale),
                quarter=self.quarter,
                change=format_delta(_change(users_now, users_before), "pct", locale=self.locale),
            )
        renewal_text = ""
        if not _missing(renewal_days):
            renewal_text = self.p(
                "renewal_sentence", date=self.date(self.d.account.get("renewal_date")), days=int(renewal_days)
            )
        bullets = [mrr_text, users_text]
        if len(goals):
            met = int((goals["status"] == "achieved").sum())
            bullets.append(self.p("goals_sentence", met=met, total=len(goals)))
        stats = self.ticket_stats()
        bullets.append(
            self.p("tickets_sentence", tickets=stats.tickets, p0=stats.p0)
            if stats.tickets
            else self.p("no_tickets")
        )
        bullets.append(renewal_text)
        notes = self.p("n_summary", mrr=mrr_text, users=users_text, renewal=renewal_text)
        if self.internal:
            health = self.d.health
            drivers = "; ".join(driver_sentences(health, self.locale)) or "–"
            score = _num(health.get("health_score"))
            health_text = self.p(
                "health_sentence",
                score="–" if _missing(score) else format_number(score, self.locale, 0),
                band=self.p(f"band_{health.get('health_band', 'unknown')}"),
                trend=self.p(f"trend_{health.get('trend', 'stable')}"),
                drivers=drivers,
            )
            bullets.insert(0, health_text)
            notes = f"{health_text} {notes}"
        return Slide(
            key="executive_summary",
            title=self.p("executive_summary"),
            kpis=kpis,
            bullets=tuple(b for b in bullets if b),
            notes=" ".join(notes.split()),
        )

    def _status(self, value: Any) -> str:
        key = _text(value)
        return self.p(f"status_{key}") if key in _STATUS_BAND else key

    def _value(self, value: Any) -> str:
        number = _num(value)
        return (
            "–" if _missing(number) else format_number(number, self.locale, 0 if number == int(number) else 1)
        )

    def goals_slide(self, goals: pd.DataFrame) -> Slide | None:
        if goals.empty:
            return None
        rows = tuple(
            (
                _text(r.objective),
                _text(r.kpi),
                self._value(r.target),
                self._value(r.current),
                self._status(r.status),
            )
            for r in goals.itertuples()
        )
        met = int((goals["status"] == "achieved").sum())
        missed = [
            _text(o) for o, s in zip(goals["objective"], goals["status"], strict=False) if s != "achieved"
        ]
        missed_text = self.p("n_goals_missed", items="; ".join(missed)) if missed else ""
        return Slide(
            key="goals_review",
            title=self.p("goals_review"),
            table=Table(
                columns=(
                    self.p("col_goal"),
                    self.p("col_kpi"),
                    self.p("col_target"),
                    self.p("col_result"),
                    self.p("col_status"),
                ),
                rows=rows,
                widths=(4.0, 3.0, 1.2, 1.2, 1.4),
                status=tuple(_STATUS_BAND.get(str(s)) for s in goals["status"]),
                status_column=4,
            ),
            bullets=(self.p("goals_sentence", met=met, total=len(goals)),),
            notes=self.p("n_goals", met=met, total=len(goals), missed=missed_text),
        )

    def plan_slide(self, plans: pd.DataFrame) -> Slide | None:
        if plans.empty:
            return None
        rows = tuple(
            (
                _text(r.objective),
                _text(r.kpi),
                self._value(r.baseline),
                self._value(r.target),
                self._value(r.current),
                self._status(r.status),
            )
            for r in plans.itertuples()
        )
        on_track = int(plans["status"].isin(["on_track", "achieved"]).sum())
        return Slide(
            key="success_plan",
            title=self.p("success_plan"),
            table=Table(
                columns=(
                    self.p("col_goal"),
                    self.p("col_kpi"),
                    self.p("col_baseline"),
                    self.p("col_target"),
                    self.p("col_current"),
                    self.p("col_status"),
                ),
                rows=rows,
                widths=(3.6, 2.8, 1.2, 1.2, 1.2, 1.4),
                status=tuple(_STATUS_BAND.get(str(s)) for s in plans["status"]),
                status_column=5,
            ),
            notes=self.p("n_plan", n=len(plans), on_track=on_track, behind=len(plans) - on_track),
        )

    def adoption_slide(
        self, usage: dict[str, pd.Series], users_now: float, users_before: float, plans: pd.DataFrame
    ) -> Slide | None:
        users, events, seats = usage["users"], usage["events"], usage["seats"]
        if users.isna().all() and events.isna().all():
            return None
        months = users.index
        categories = tuple(format_month(m, self.locale) for m in months)

        def values(series: pd.Series) -> tuple[float | None, ...]:
            return tuple(None if pd.isna(v) else round(float(v), 1) for v in series)

        chart = ChartData(
            kind="combo",
            categories=categories,
            series={self.p("series_events"): values(events)},
            lines={self.p("series_users"): values(users)},
            description=self.p("chart_adoption_alt", first=categories[0], last=categories[-1]),
        )
        side: list[str] = []
        last_users = users.dropna().iloc[-1] if users.notna().any() else math.nan
        last_seats = seats.dropna().iloc[-1] if seats.notna().any() else math.nan
        utilisation = last_users / last_seats if not _missing(last_seats) and last_seats else math.nan
        seats_text = ""
        if not _missing(utilisation) and not _missing(last_seats):
            seats_text = self.p(
                "seat_util",
                value=format_pct(utilisation, self.locale, 0),
                users=format_number(last_users, self.locale, 0),
                seats=format_number(last_seats, self.locale, 0),
            )
            side.append(seats_text)
        events_now = self.quarter_mean(events, self.window, "sum")
        events_before = self.quarter_mean(events, self.previous, "sum")
        if not _missing(events_now):
            side.append(
                self.p(
                    "feature_change",
                    value=format_number(events_now, self.locale, 0),
                    change=format_delta(_change(events_now, events_before), "pct", locale=self.locale),
                )
            )
        for row in plans.itertuples():
            baseline, current = _num(row.baseline), _num(row.current)
            if (
                _missing(baseline)
                or _missing(current)
                or baseline == 0
                or row.status not in ("achieved", "on_track")
            ):
                continue
            side.append(
                self.p(
                    "value_delivered",
                    kpi=_text(row.kpi),
                    current=self._value(current),
                    baseline=self._value(baseline),
                    change=format_delta(current / baseline - 1, "pct", locale=self.locale, digits=0),
                )
            )
            if len(side) >= 4:
                break
        notes = self.p(
            "n_adoption",
            users_phrase=_change_phrase(self.locale, _change(users_now, users_before)),
            users=_kpi_value(users_now, self.locale),
            seats=seats_text,
        )
        return Slide(
            key="adoption", title=self.p("adoption"), chart=chart, side=tuple(side), notes=notes.strip()
        )

    def support_slide(self) -> Slide | None:
        tickets = self.tables["tickets"]
        months = pd.date_range(end=self.window.end, periods=self.t.support_months, freq="MS")
        by_month = tickets_by_month(tickets, months)
        stats = self.ticket_stats()
        title = self.p("support")
        if int(by_month.to_numpy().sum()) == 0:
            message = self.p("no_tickets_period", months=self.t.support_months)
            return Slide(key="support", title=title, bullets=(self.p("no_tickets"), message), notes=message)
        categories = tuple(format_month(m, self.locale) for m in months)
        used = [p for p in PRIORITIES if by_month[p].sum() > 0]
        chart = ChartData(
            kind="bar",
            categories=categories,
            series={p: tuple(float(v) for v in by_month[p]) for p in used},
            accents=tuple(_PRIORITY_ACCENT[p] for p in used),
            stacked=True,
            description=self.p("chart_support_alt", first=categories[0], last=categories[-1]),
        )
        side = [
            self.p("tickets_sentence", tickets=stats.tickets, p0=stats.p0)
            if stats.tickets
            else self.p("no_tickets")
        ]
        hours = (
            "–"
            if _missing(stats.median_hours_to_resolve)
            else format_number(stats.median_hours_to_resolve, self.locale, 1)
        )
        if stats.tickets:
            side.append(self.p("median_resolve", hours=hours))
        side.append(
            self.p("csat", csat=format_number(stats.csat, self.locale, 1), n=stats.csat_responses)
            if stats.csat_responses
            else self.p("csat_none")
        )
        return Slide(
            key="support",
            title=title,
            chart=chart,
            side=tuple(side),
            notes=self.p("n_support", tickets=side[0], hours=hours),
        )

    def voc_slide(self, history: pd.DataFrame) -> Slide | None:
        nps = self.tables["nps"]
        since = self.as_of - pd.Timedelta(days=self.t.verbatim_days)
        recent = nps[(nps["responded_at"] >= since) & (nps["responded_at"] < self.as_of)]
        answered = history[history["responses"] > 0]
        if recent.empty and answered.empty:
            return None
        commented = recent[recent["comment"].map(lambda c: bool(_text(c))).astype(bool)]
        commented = commented.sort_values(["responded_at", "response_id"], ascending=[False, True])
        roles = (
            self._contacts.set_index("contact_id")["role"]
            if not self._contacts.empty
            else pd.Series(dtype=object)
        )
        verbatims = []
        for row in commented.head(self.t.verbatims).itertuples():
            role = _text(roles.get(row.contact_id)) if row.contact_id in roles.index else ""
            verbatims.append(
                self.p(
                    "verbatim",
                    comment=_text(row.comment),
                    role=role or "–",
                    date=format_month(row.responded_at, self.locale),
                )
            )
        current = history.iloc[-1]
        nps_text = (
            self.p(
                "nps_latest",
                quarter=self.quarter,
                nps=format_number(current["nps"], self.locale, 0),
                n=int(current["responses"]),
            )
            if current["responses"] > 0
            else self.p("nps_none")
        )
        side = (nps_text, *(verbatims or [self.p("no_verbatims")]))
        chart = None
        if len(answered) >= 2:
            labels = tuple(format_quarter(q, self.locale) for q in history.index)
            chart = ChartData(
                kind="line",
                categories=labels,
                series={
                    self.p("series_nps"): tuple(
                        None if pd.isna(v) else round(float(v), 1) for v in history["nps"]
                    )
                },
                description=self.p("chart_nps_alt", first=labels[0], last=labels[-1]),
                value_range=(-100.0, 100.0),
            )
        return Slide(
            key="voice_of_customer",
            title=self.p("voice_of_customer"),
            chart=chart,
            side=side if chart is not None else (),
            bullets=() if chart is not None else side,
            notes=self.p("n_voc", nps=nps_text, verbatims=" ".join(verbatims[:1])),
        )

    def stakeholder_slide(self) -> Slide | None:
        contacts = self._contacts
        if contacts.empty:
            return None
        contacts = contacts.sort_values(["status", "contact_id"])
        yes, no = self.p("yes"), self.p("no")
        rows, status = [], []
        left_texts = []
        for r in contacts.itertuples():
            flags = [
                bool(v) if not pd.isna(v) else False
                for v in (r.is_champion, r.is_power_user, r.is_economic_buyer)
            ]
            if r.status == "left":
                when = self.date(r.changed_at) if not pd.isna(r.changed_at) else "–"
                state = self.p("left_on", date=when)
                left_texts.append(self.p("who_left", name=_text(r.name), role=_text(r.role), date=when))
                status.append("red")
            else:
                state = self.p("active")
                status.append(None)
            rows.append((_text(r.name), _text(r.role), *(yes if f else no for f in flags), state))
        active = contacts[contacts["status"] != "left"]

        def covered(column: str) -> str:
            has = bool(active[column].fillna(False).astype(bool).any())
            return self.p("covered") if has else self.p("not_covered")

        coverage = self.p(
            "coverage",
            champion=covered("is_champion"),
            power=covered("is_power_user"),
            buyer=covered("is_economic_buyer"),
        )
        return Slide(
            key="stakeholders",
            title=self.p("stakeholders"),
            table=Table(
                columns=(
                    self.p("col_name"),
                    self.p("col_role"),
                    self.p("col_champion"),
                    self.p("col_power_user"),
                    self.p("col_buyer"),
                    self.p("col_status"),
                ),
                rows=tuple(rows),
                widths=(2.6, 2.6, 1.3, 1.4, 1.9, 1.8),
                status=tuple(status),
                status_column=5,
            ),
            bullets=(coverage,),
            notes=self.p("n_stakeholders", coverage=coverage, left=" ".join(left_texts)),
        )

    def signal_texts(self, kind: str) -> tuple[str, ...]:
        cached = self._signal_texts.get(kind)
        if cached is None:
            cached = self._signal_texts[kind] = self._make_signal_texts(kind)
        return cached

    def _make_signal_texts(self, kind: str) -> tuple[str, ...]:
        signals = self.d.signals
        texts = []
        for row in signals[signals["kind"] == kind].itertuples():
            value = _num(row.value)
            if row.signal in ("usage_drop", "usage_growth", "seats_full"):
                shown = format_pct(abs(value), self.locale, 0)
            else:
                shown = format_number(value, self.locale, 0)
            texts.append(self.p(f"signal_{row.signal}", value=shown))
        return tuple(texts)

    def risks_slide(self) -> Slide:
        risks = self.signal_texts("alert") or (self.p("no_risks"),)
        chances = self.signal_texts("upsell") or (self.p("no_opportunities"),)
        return Slide(
            key="risks_opportunities",
            title=self.p("risks_opportunities"),
            bullets=risks,
            bullets_title=self.p("risks"),
            side=chances,
            side_title=self.p("opportunities"),
            notes=self.p("n_risks", risks=" ".join(risks), opportunities=" ".join(chances)),
        )

    def _owners(self) -> tuple[str, str]:
        if self._owners_cache is None:
            self._owners_cache = self._find_owners()
        return self._owners_cache

    def _find_owners(self) -> tuple[str, str]:
        contacts = self._contacts
        customer = self.p("owner_customer")
        if not contacts.empty:
            champs = contacts[
                (contacts["status"] != "left") & contacts["is_champion"].fillna(False).astype(bool)
            ]
            if not champs.empty:
                customer = _text(champs.sort_values("contact_id")["name"].iloc[0]) or customer
        return (self.csm_name or "CSM"), customer

    def _owner(self, value: Any) -> str:
        csm, customer = self._owners()
        key = _text(value).lower()
        if key == "csm":
            return csm
        if key == "customer":
            return customer
        return self.p("owner_joint")

    def next_steps(
        self, goals: pd.DataFrame, open_plans: pd.DataFrame, usage: dict[str, pd.Series], renewal_days: float
    ) -> tuple[NextStep, ...]:
        csm, _customer = self._owners()
        due = lambda days: self.date(self.as_of + pd.Timedelta(days=days))  # noqa: E731
        steps = [NextStep(self.p("step_goals"), self.p("owner_joint"), due(14))]
        for row in open_plans[open_plans["status"].isin(["at_risk", "off_track"])].itertuples():
            steps.append(
                NextStep(
                    self.p("step_recover", objective=_text(row.objective)), self._owner(row.owner), due(21)
                )
            )
        for row in goals[goals["status"] == "missed"].itertuples():
            steps.append(
                NextStep(
                    self.p("step_reset", objective=_text(row.objective)), self._owner(row.owner), due(30)
                )
            )
        utilisation = _num(self.d.health.get("input_seat_utilisation"))
        if not _missing(utilisation):
            if utilisation >= self.t.seat_utilisation_high:
                steps.append(
                    NextStep(
                        self.p("step_licences", value=format_pct(utilisation, self.locale, 0)), csm, due(30)
                    )
                )
            elif utilisation < self.t.adoption_low:
                steps.append(
                    NextStep(
                        self.p("step_enable", value=format_pct(utilisation, self.locale, 0)), csm, due(30)
                    )
                )
        if not _missing(renewal_days) and 0 <= renewal_days <= 180:
            steps.append(
                NextStep(
                    self.p("step_renewal", date=self.date(self.d.account.get("renewal_date"))), csm, due(30)
                )
            )
        contacts = self._contacts
        if not contacts.empty:
            active = contacts[contacts["status"] != "left"]
            if not active["is_champion"].fillna(False).astype(bool).any():
                steps.append(NextStep(self.p("step_champion"), csm, due(45)))
        steps.append(NextStep(self.p("step_next_qbr"), self.p("owner_joint"), due(91)))
        return tuple(steps)

    def next_goals(self, open_plans: pd.DataFrame) -> tuple[NextStep, ...]:
        goals = []
        for row in open_plans.itertuples():
            target = self._value(row.target)
            kpi = _text(row.kpi)
            action = f"{_text(row.objective)} ({kpi}: {target})" if kpi else _text(row.objective)
            goals.append(
                NextStep(
                    action,
                    self._owner(row.owner),
                    self.date(row.due_date) if not pd.isna(row.due_date) else "–",
                )
            )
        return tuple(goals)

    def steps_slide(self, steps: tuple[NextStep, ...]) -> Slide:
        return Slide(
            key="next_steps",
            title=self.p("next_steps"),
            table=Table(
                columns=(self.p("col_action"), self.p("col_owner"), self.p("col_due")),
                rows=tuple((s.action, s.owner, s.due) for s in steps),
                widths=(7.0, 2.6, 1.8),
            ),
            notes=self.p("n_next", items="; ".join(f"{s.action} ({s.owner}, {s.due})" for s in steps[:4])),
        )

    def appendix_slide(self) -> Slide:
        definitions = [
            self.p("def_arr", currency=self.currency),
            self.p("def_mrr_change"),
            self.p("def_users"),
            self.p("def_seats"),
            self.p("def_nps"),
            self.p("def_support"),
        ]
        if self.internal:
            definitions.append(self.p("def_health"))
        return Slide(
            key="appendix",
            title=self.p("appendix"),
            bullets=tuple(definitions),
            side=(self.provenance_text(), self.p("generated", date=self.date(self.as_of))),
            notes=self.p("n_appendix"),
        )


def build_qbr_context(
    data: AccountData, *, audience: str = "customer", locale: str = "en", config: QbrConfig
) -> QbrContext:
    """The QBR of one account for ``audience`` ("customer" or "internal") in ``locale``.

    Money is in the run's reporting currency; "QoQ" compares the window
    with the window before it. Slides whose data is missing are left out
    (goals, success plan, adoption, voice of the customer, stakeholders) or
    say so plainly (support: "No support tickets this quarter.").
    """
    return _Builder(data, audience, locale, config).build()
