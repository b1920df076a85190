"""The weekly email's context: numbers from :mod:`cs_calc.weekly` plus narrative.

:func:`build_weekly_context` picks the week's KPIs into one documented
dataclass, :class:`WeeklyContext`, that both the HTML and the text template
read. Numbers are formatted here once (so the subject, HTML and text agree);
no metric is computed here. Highlights and lowlights are generated from the
targets in ``configs/email.yaml`` and week-over-week changes; blockers,
asks, next week and OKR status come from the CS leader's notes file
(``--notes``), and read "none this week" when absent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cs_calc.periods import Window
from cs_calc.weekly import (
    IsoWeek,
    TargetStatus,
    WeeklyKpis,
    compute_weekly_kpis,
    data_end,
    last_week_with_data,
    target_statuses,
    week_has_data,
)
from reports.charts import BarChartSpec, ChartSpec, ComboChartSpec
from reports.config import check_keys, load_yaml_file
from reports.email.config import EmailConfig, load_email_config
from reports.errors import ConfigError, CsReportsError
from reports.formatting import (
    clean_text,
    format_date,
    format_delta,
    format_money,
    format_month,
    format_number,
    format_pct,
    format_pp,
)
from reports.pipeline import RunContext

NONE_THIS_WEEK = "none this week"
OKR_STATUSES = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track", "done": "Done"}


def _help(text: str) -> Any:
    return field(metadata={"help": text})


# --------------------------------------------------------------------------- notes


@dataclass(frozen=True)
class OkrItem:
    objective: str = _help("The objective, as the CS leader wrote it.")
    status: str = _help("on_track, at_risk, off_track or done.")
    status_label: str = _help("Status in words: 'On track', 'At risk', ...")
    note: str = _help("One line of context; may be empty.")


@dataclass(frozen=True)
class WeeklyNotes:
    """The CS leader's notes for one week (``configs/weekly_notes.example.yaml``)."""

    week: str | None = None
    highlights: tuple[str, ...] = ()
    lowlights: tuple[str, ...] = ()
    blockers: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    next_week: tuple[str, ...] = ()
    okrs: tuple[OkrItem, ...] = ()
    source: str = ""


_NOTE_LISTS = ("highlights", "lowlights", "blockers", "asks", "next_week")


def _lines(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str) or not isinstance(raw, list):
        raise ConfigError(f"{where}: must be a list of lines")
    return tuple(clean_text(item).strip() for item in raw if item is not None and str(item).strip())


def load_notes(path: Path | None, week: IsoWeek) -> WeeklyNotes:
    """Read a notes file; ``None`` gives empty notes. A ``week:`` other than ``week`` is an error."""
    if path is None:
        return WeeklyNotes()
    raw = load_yaml_file(Path(path))
    where = str(path)
    check_keys(raw, {"week", "okrs", *_NOTE_LISTS}, where)
    if raw.get("week") is not None and str(raw["week"]).strip().upper() != week.label:
        raise ConfigError(
            f"{where}: the notes are for {raw['week']} but the email is for {week.label}; "
            "update the notes (or their 'week:') first"
        )
    okrs = []
    for i, item in enumerate(raw.get("okrs") or [], start=1):
        if not isinstance(item, Mapping):
            raise ConfigError(f"{where}, okrs item {i}: must be a mapping with objective, status, note")
        check_keys(item, {"objective", "status", "note"}, f"{where}, okrs item {i}")
        status = str(item.get("status") or "").strip()
        if status not in OKR_STATUSES:
            raise ConfigError(
                f"{where}, okrs item {i}, key 'status': {status!r} is not one of {', '.join(OKR_STATUSES)}"
            )
        okrs.append(
            OkrItem(
                objective=clean_text(item.get("objective")).strip(),
                status=status,
                status_label=OKR_STATUSES[status],
                note=clean_text(item.get("note")).strip(),
            )
        )
    lists = {key: _lines(raw.get(key), f"{where}, key {key!r}") for key in _NOTE_LISTS}
    return WeeklyNotes(week=week.label, okrs=tuple(okrs), source=where, **lists)


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class KpiRow:
    """One metric line: value, week-over-week change and target status, formatted."""

    key: str = _help("The WeekSnapshot field, e.g. 'nrr_12m'.")
    label: str = _help("What the number is, with its unit where needed.")
    value: float = _help("The raw number (reporting currency, fraction or count).")
    value_text: str = _help("The value formatted for reading.")
    wow_text: str = _help("Change vs the previous week in words and arrow, e.g. '▼ down 15 (-19.0%)'.")
    tone: str = _help("good, bad or neutral: whether the change is welcome (for colour only).")
    target_text: str = _help("Target and status in words, e.g. 'Target ≥ 100.0%: missed by 4.6 pp'; ''.")
    target_met: bool | None = _help("True met, False missed, None no target or no value.")
    note: str = _help("A short qualifier (e.g. the MRR month); may be empty.")


@dataclass(frozen=True)
class KpiSection:
    title: str = _help("Section heading.")
    rows: tuple[KpiRow, ...] = _help("Its metric lines, leading indicators first.")


@dataclass(frozen=True)
class AccountRow:
    """A line of the renewals or at-risk table, formatted."""

    name: str = _help("Account name (cleaned of control characters).")
    account_id: str = _help("Account id.")
    segment: str = _help("Service tier.")
    mrr_text: str = _help("MRR in the MRR month.")
    health_text: str = _help("Health band in words with the score, e.g. 'Red 37'.")
    health_band: str = _help("red, yellow, green or '' (for colour only).")
    detail: str = _help("At risk: the alerts that fired; renewals: the renewal date and days left.")
    renewal_text: str = _help("Renewal date, or '–'.")


@dataclass(frozen=True)
class ChartRef:
    """An inline chart: drawn by the renderer as PNG, referenced as ``cid:``."""

    cid: str = _help("Content-ID without brackets, e.g. 'activity.2026-W43@csreports'.")
    filename: str = _help("File name of the PNG part.")
    alt: str = _help("Alt text describing the chart's data.")
    spec: ChartSpec = _help("The chart's data and labels (reports.charts).")  # noqa: RUF009
    width_px: int = _help("Displayed width in CSS pixels.")
    height_px: int = _help("Displayed height in CSS pixels.")


@dataclass(frozen=True)
class WeeklyContext:
    """Everything the weekly email templates show; strings are cleaned, HTML-escaped by the template."""

    week: str = _help("ISO week label, e.g. '2026-W43'.")
    week_range: str = _help("The week's dates, e.g. 'Oct 19 – Oct 25, 2026'.")
    company: str = _help("Company name from the config.")
    subject: str = _help("Subject line (header-cleaned later by the message builder).")
    headline: tuple[str, ...] = _help("Two to four headline figures, each a short phrase, ARR first.")
    sections: tuple[KpiSection, ...] = _help("Metric tables: activity and support first, then revenue.")
    new_customers_text: str = _help("New customers per segment, e.g. 'Scaled 2, Upmarket 1' or 'none'.")
    month_text: str = _help("MRR movements of the whole MRR month so far, in words.")
    highlights: tuple[str, ...] = _help("Generated good news, then the notes' own highlights.")
    lowlights: tuple[str, ...] = _help("Generated bad news, then the notes' own lowlights.")
    blockers: tuple[str, ...] = _help("From the notes; empty means 'none this week'.")
    asks: tuple[str, ...] = _help("From the notes; empty means 'none this week'.")
    next_week: tuple[str, ...] = _help("From the notes; empty means 'none this week'.")
    okrs: tuple[OkrItem, ...] = _help("OKR status from the notes.")
    target_rows: tuple[KpiRow, ...] = _help("The KPIs that have targets, with their status.")
    health_date: str = _help(
        "Date the health scores are as of (data through it), e.g. 'Oct 31, 2026'; the health "
        "columns name it, since a QBR of an earlier quarter shows the score as of that quarter's end."
    )
    renewals_title: str = _help("Heading of the renewals table with its horizon.")
    renewals_summary: str = _help("Count and MRR of renewals due, by health band.")
    renewal_rows: tuple[AccountRow, ...] = _help("Renewals due that are not green, largest MRR first.")
    at_risk_summary: str = _help("Count and MRR of every at-risk account.")
    at_risk_rows: tuple[AccountRow, ...] = _help("At-risk accounts, largest MRR first, with alerts.")
    charts: tuple[ChartRef, ...] = _help("One or two inline trend charts.")
    none_text: str = _help("What an empty narrative section says.")
    provenance: Mapping[str, str] = _help("Data period, source, definitions version, inputs hash.")
    kpis: WeeklyKpis = _help("The raw numbers (cs_calc.weekly), for tests and custom templates.")  # noqa: RUF009


_LABELS = {
    "p0_tickets": "P0 tickets",
    "tickets": "Tickets opened",
    "median_first_response_hours": "Median first response (hours)",
    "median_resolution_hours": "Median resolution (hours)",
    "active_users": "Active users",
    "logins": "Logins",
    "nps_responses": "NPS responses",
    "nps": "NPS (this week's responses)",
    "arr": "ARR",
    "mrr": "MRR",
    "new_customers_total": "New customers",
    "expansion_mrr": "Expansion MRR this week",
    "churned_mrr": "Churned MRR this week",
    "contraction_mrr": "Contraction MRR this week",
    "churn_events": "Churn events (effective this week)",
    "nrr_12m": "NRR, trailing 12 months",
    "grr_12m": "GRR, trailing 12 months",
}
_KIND = {
    "arr": "money",
    "mrr": "money",
    "expansion_mrr": "money",
    "churned_mrr": "money",
    "contraction_mrr": "money",
    "new_mrr": "money",
    "churn_events_lost_mrr": "money",
    "nrr_12m": "rate",
    "grr_12m": "rate",
    "median_first_response_hours": "hours",
    "median_resolution_hours": "hours",
    "nps": "score",
}
_HIGHER_IS_BETTER = {
    "arr": True,
    "mrr": True,
    "new_customers_total": True,
    "new_mrr": True,
    "expansion_mrr": True,
    "nrr_12m": True,
    "grr_12m": True,
    "active_users": True,
    "logins": True,
    "nps": True,
    "paying_accounts": True,
    "p0_tickets": False,
    "tickets": False,
    "median_first_response_hours": False,
    "median_resolution_hours": False,
    "churned_mrr": False,
    "contraction_mrr": False,
    "churn_events": False,
    "churn_events_lost_mrr": False,
}
_ALERTS = {
    "champion_left": "champion left",
    "power_user_left": "power user left",
    "usage_drop": "usage drop",
    "p0_ticket": "P0 ticket",
    "detractor": "detractor",
    "renewal_risk": "renewal soon, not green",
}
_BANDS = {"red": "Red", "yellow": "Yellow", "green": "Green", "": "Unknown"}

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Support and activity (leading indicators)",
        (
            "p0_tickets",
            "tickets",
            "median_first_response_hours",
            "median_resolution_hours",
            "active_users",
            "logins",
            "nps_responses",
        ),
    ),
    (
        "Revenue and retention",
        (
            "arr",
            "mrr",
            "new_customers_total",
            "expansion_mrr",
            "contraction_mrr",
            "churned_mrr",
            "churn_events",
            "nrr_12m",
            "grr_12m",
        ),
    ),
)


class _Fmt:
    """Formatting of one kind of KPI in one currency and locale."""

    def __init__(self, currency: str, locale: str):
        self.currency, self.locale = currency, locale

    def value(self, key: str, value: float) -> str:
        kind = _KIND.get(key, "count")
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        if kind == "money":
            compact = key in ("arr",)
            return format_money(value, self.currency, self.locale, compact=compact)
        if kind == "rate":
            return format_pct(value, self.locale)
        if kind == "hours":
            return format_number(value, self.locale, digits=1)
        if kind == "score":
            return format_number(value, self.locale, digits=0)
        return format_number(value, self.locale)

    def change(self, key: str, delta: float) -> str:
        kind = _KIND.get(key, "count")
        if kind == "money":
            return format_delta(delta, "money", self.currency, self.locale, compact=abs(delta) >= 100_000)
        if kind == "rate":
            return format_pp(delta, self.locale)
        if kind == "hours":
            return format_delta(delta, "number", locale=self.locale, digits=1) + " h"
        return format_delta(delta, "number", locale=self.locale)

    def wow(self, key: str, current: float, previous: float) -> tuple[str, str]:
        """('▲ up 12 (+18.8%)' style text, tone)."""
        if any(v is None or math.isnan(float(v)) for v in (current, previous)):
            return "no comparison", "neutral"
        delta = float(current) - float(previous)
        change = self.change(key, delta)
        if delta == 0 or not any(ch in "123456789" for ch in change):
            return "■ no change", "neutral"
        word = "▲ up" if delta > 0 else "▼ down"
        text = f"{word} {change.lstrip('+-')}"
        if _KIND.get(key, "count") in ("count", "money") and previous:
            text += f" ({format_delta(delta / abs(previous), 'pct', locale=self.locale)})"
        better = _HIGHER_IS_BETTER.get(key)
        tone = "neutral" if better is None else ("good" if (delta > 0) == better else "bad")
        return text, tone

    def target(self, key: str, status: TargetStatus) -> str:
        target = status.target
        bounds = []
        if target.minimum is not None:
            bounds.append(f"≥ {self.value(key, target.minimum)}")
        if target.maximum is not None:
            bounds.append(f"≤ {self.value(key, target.maximum)}")
        head = f"Target {' and '.join(bounds)}"
        if status.met is None:
            return f"{head}: no value"
        if status.met:
            return f"{head}: ✓ met"
        return f"{head}: ✗ missed by {self.change(key, abs(status.gap)).lstrip('+')}"


def run_for_week(run: RunContext, week: IsoWeek) -> RunContext:
    """``run`` with metrics whose window is the 12 months ending the week's MRR month.

    Health and signals are then as of the first day after that month. Raises
    :class:`CsReportsError` naming the last week with data when ``week`` has none.
    """
    tables = run.dataset.tables
    check_week_has_data(tables, week)
    window = metrics_window(week)
    if run.window == window:
        return run
    return dataclasses.replace(run, metrics=run.metrics_for(window))


def metrics_window(week: IsoWeek) -> Window:
    """The 12 months ending the week's MRR month: the window of the weekly email's metrics."""
    return Window(week.mrr_month - pd.DateOffset(months=11), week.mrr_month)


def check_week_has_data(tables: Mapping[str, pd.DataFrame], week: IsoWeek) -> None:
    """Raise CsReportsError naming the last week with data when ``week`` lies outside the data."""
    if week_has_data(tables, week):
        return
    last, end = last_week_with_data(tables), data_end(tables)
    ends = f"the data ends {end:%Y-%m-%d}" if end is not None else "there is no MRR data"
    hint = f"; the last complete week with data is {last.label} (try --week {last.label})" if last else ""
    raise CsReportsError(f"no data for week {week.label}: {ends}{hint}")


def _alert_text(signal: str, value: float, renewal: pd.Timestamp | None, week: IsoWeek, locale: str) -> str:
    if signal == "usage_drop":
        return f"usage drop ({format_pct(value, locale, digits=0)} active users)"
    if signal == "detractor":
        return f"detractor (NPS {int(value)})"
    if signal == "p0_ticket":
        return "P0 ticket" if value <= 1 else f"{int(value)} P0 tickets"
    if signal in ("champion_left", "power_user_left") and value > 1:
        return f"{int(value)} {_ALERTS[signal].replace(' left', 's left')}"
    if signal == "renewal_risk" and renewal is not None:
        days = (renewal - week.end).days
        when = f"in {days} day{'s' if days != 1 else ''}" if days >= 0 else f"{-days} days ago"
        return f"renewal {when}, not green"
    return _ALERTS.get(signal, signal.replace("_", " "))


def _health_text(band: str, score: float) -> str:
    label = _BANDS.get(band, band.title())
    return label if score is None or math.isnan(score) else f"{label} {score:.0f}"


def _charts(kpis: WeeklyKpis) -> tuple[ChartRef, ...]:
    labels = [f"W{p.week.week:02d}" for p in kpis.trend]
    span = f"{kpis.trend[0].week.label} to {kpis.trend[-1].week.label}"
    activity = ComboChartSpec(
        title="Weekly logins and active users",
        y_label="Logins per week",
        x_labels=labels,
        series={"Logins": [p.logins for p in kpis.trend]},
        lines={"Active users": [p.active_users for p in kpis.trend]},
        y2_label="Active users",
        value_format2="number",
        size=(6.0, 2.3),
    )
    tickets = BarChartSpec(
        title="Tickets opened per week",
        y_label="Tickets",
        x_labels=labels,
        series={
            "P1–P3": [p.tickets - p.p0_tickets for p in kpis.trend],
            "P0": [p.p0_tickets for p in kpis.trend],
        },
        stacked=True,
        data_labels=False,
        size=(6.0, 2.0),
    )

    def alt_activity() -> str:
        first, last = kpis.trend[0], kpis.trend[-1]
        return (
            f"Logins and active users per week, {span}: logins from {format_number(first.logins)} "
            f"to {format_number(last.logins)}, active users from {format_number(first.active_users)} "
            f"to {format_number(last.active_users)}."
        )

    def alt_tickets() -> str:
        counts = ", ".join(f"{p.week.label[-3:]} {p.tickets} ({p.p0_tickets} P0)" for p in kpis.trend)
        return f"Tickets opened per week, {span}: {counts}."

    week = kpis.week.label
    return (
        ChartRef(f"activity.{week}@csreports", f"activity-{week}.png", alt_activity(), activity, 600, 230),
        ChartRef(f"tickets.{week}@csreports", f"tickets-{week}.png", alt_tickets(), tickets, 600, 200),
    )


def _account_rows_at_risk(kpis: WeeklyKpis, fmt: _Fmt) -> tuple[AccountRow, ...]:
    rows = []
    for a in kpis.at_risk:
        alerts = "; ".join(_alert_text(s, v, a.renewal_date, kpis.week, fmt.locale) for s, v in a.alerts)
        rows.append(
            AccountRow(
                name=clean_text(a.name),
                account_id=clean_text(a.account_id),
                segment=clean_text(a.segment),
                mrr_text=format_money(a.mrr, fmt.currency, fmt.locale),
                health_text=_health_text(a.health_band, a.health_score),
                health_band=a.health_band,
                detail=alerts,
                renewal_text=format_date(a.renewal_date, fmt.locale) if a.renewal_date is not None else "–",
            )
        )
    return tuple(rows)


def _renewal_parts(kpis: WeeklyKpis, fmt: _Fmt, limit: int) -> tuple[str, tuple[AccountRow, ...]]:
    renewals = kpis.renewals
    if not renewals:
        return "No renewals due.", ()
    parts = []
    for band in ("red", "yellow", "green", ""):
        chosen = [r for r in renewals if r.health_band == band]
        if chosen:
            mrr = format_money(sum(r.mrr for r in chosen), fmt.currency, fmt.locale)
            parts.append(f"{_BANDS[band]} {len(chosen)} ({mrr})")
    total = format_money(kpis.renewals_mrr, fmt.currency, fmt.locale)
    summary = f"{len(renewals)} accounts, {total} MRR: " + ", ".join(parts) + "."
    not_green = sorted(
        (r for r in renewals if r.health_band != "green"), key=lambda r: (-r.mrr, r.account_id)
    )
    rows = tuple(
        AccountRow(
            name=clean_text(r.name),
            account_id=clean_text(r.account_id),
            segment=clean_text(r.segment),
            mrr_text=format_money(r.mrr, fmt.currency, fmt.locale),
            health_text=_health_text(r.health_band, r.health_score),
            health_band=r.health_band,
            detail=(
                f"{format_date(r.renewal_date, fmt.locale)} "
                f"(in {r.days_to_renewal} day{'s' if r.days_to_renewal != 1 else ''})"
            ),
            renewal_text=format_date(r.renewal_date, fmt.locale),
        )
        for r in not_green[:limit]
    )
    return summary, rows


def _narrative(
    kpis: WeeklyKpis, statuses: Sequence[TargetStatus], config: EmailConfig, fmt: _Fmt
) -> tuple[list[str], list[str]]:
    cur, prev = kpis.current, kpis.previous
    highs: list[str] = []
    lows: list[str] = []
    for status in statuses:
        key = status.target.kpi
        label = _LABELS.get(key, key.replace("_", " "))
        text = f"{label}: {fmt.value(key, status.value)} — {fmt.target(key, status)}"
        if status.met is True:
            highs.append(text)
        elif status.met is False:
            lows.append(text)
    if cur.new_customers_total:
        highs.append(f"{cur.new_customers_total} new customers ({_new_customers_text(cur.new_customers)})")
    if cur.expansion_mrr > 0:
        highs.append(f"Expansion this week: {fmt.change('expansion_mrr', cur.expansion_mrr)} MRR")
    for key in ("active_users", "logins", "tickets"):
        now, before = getattr(cur, key), getattr(prev, key)
        if math.isnan(now) or math.isnan(before) or not before:
            continue
        change = (now - before) / before
        if abs(change) >= config.activity_change_threshold:
            wow, tone = fmt.wow(key, now, before)
            (highs if tone == "good" else lows).append(f"{_LABELS[key]} {wow} week over week")
    if cur.churn_events:
        lost = format_money(cur.churn_events_lost_mrr, fmt.currency, fmt.locale)
        lows.append(f"{cur.churn_events} churn events effective this week ({lost} MRR lost)")
    red = [r for r in kpis.renewals if r.health_band == "red"]
    if red:
        mrr = format_money(sum(r.mrr for r in red), fmt.currency, fmt.locale)
        lows.append(f"{len(red)} red accounts renew in the next {config.renewal_days} days ({mrr} MRR)")
    return highs, lows


def _new_customers_text(per_segment: Mapping[str, int]) -> str:
    parts = [f"{segment} {count}" for segment, count in per_segment.items() if count]
    return ", ".join(parts) if parts else "none"


def _subject(config: EmailConfig, kpis: WeeklyKpis, fmt: _Fmt) -> str:
    cur = kpis.current
    arr_delta = kpis.delta("arr")
    values = {
        "week": kpis.week.label,
        "week_start": f"{kpis.week.start:%Y-%m-%d}",
        "week_end": f"{kpis.week.end:%Y-%m-%d}",
        "arr": fmt.value("arr", cur.arr),
        "mrr": fmt.value("mrr", cur.mrr),
        "arr_delta": "±0" if arr_delta == 0 else fmt.change("arr", arr_delta),
        "nrr": fmt.value("nrr_12m", cur.nrr_12m),
        "grr": fmt.value("grr_12m", cur.grr_12m),
        "at_risk_count": str(kpis.at_risk_count),
        "company": config.company,
    }
    return config.subject.format(**values)


def build_weekly_context(
    run: RunContext,
    week: IsoWeek | str,
    *,
    config: EmailConfig | None = None,
    notes: WeeklyNotes | None = None,
) -> WeeklyContext:
    """The weekly email's context for ``week`` (an :class:`IsoWeek` or ``"2026-W43"``).

    ``run`` may have any window: its metrics are recomputed for the 12
    months ending the week's MRR month when they differ (:func:`run_for_week`).
    ``config`` defaults to ``email.yaml`` from the run's config folders.
    """
    week = IsoWeek.parse(week) if isinstance(week, str) else week
    config = config or load_email_config(run.settings.config_dirs.user_dir)
    notes = notes or WeeklyNotes()
    run = run_for_week(run, week)
    metrics = run.metrics
    kpis = compute_weekly_kpis(
        run.dataset.tables,
        metrics.matrix,
        metrics.movements,
        metrics.health,
        metrics.signals,
        week,
        segments=run.settings.segment_names,
        trend_weeks=config.trend_weeks,
        renewal_days=config.renewal_days,
        at_risk_limit=config.at_risk_rows,
        count_reactivation_in_nrr=run.settings.metrics.count_reactivation_in_nrr,
    )
    fmt = _Fmt(metrics.reporting_currency, config.locale)
    cur, prev = kpis.current, kpis.previous
    statuses = {s.target.kpi: s for s in target_statuses(cur, config.targets)}

    def row(key: str) -> KpiRow:
        value = float(getattr(cur, key))
        wow, tone = fmt.wow(key, value, float(getattr(prev, key)))
        status = statuses.get(key)
        note = ""
        if key == "mrr":
            note = f"{format_month(cur.mrr_month, config.locale)} (month containing the week's end)"
        elif key == "nps_responses" and cur.nps_responses:
            note = f"NPS {fmt.value('nps', cur.nps)} from {cur.nps_responses} responses"
            if cur.nps_responses < 30:
                note += " (low n)"
        elif key == "churn_events" and cur.churn_events:
            note = f"{format_money(cur.churn_events_lost_mrr, fmt.currency, fmt.locale)} MRR lost"
        return KpiRow(
            key=key,
            label=_LABELS.get(key, key),
            value=value,
            value_text=fmt.value(key, value),
            wow_text=wow,
            tone=tone,
            target_text=fmt.target(key, status) if status else "",
            target_met=status.met if status else None,
            note=note,
        )

    sections = tuple(KpiSection(title, tuple(row(k) for k in keys)) for title, keys in SECTIONS)
    highs, lows = _narrative(kpis, list(statuses.values()), config, fmt)
    month = kpis.month_movements
    month_text = (
        f"{format_month(month.month, config.locale)} as a whole (MRR is monthly): "
        f"new {format_money(month.new_mrr, fmt.currency, fmt.locale)}, "
        f"expansion {format_money(month.expansion_mrr, fmt.currency, fmt.locale)}, "
        f"reactivation {format_money(month.reactivation_mrr, fmt.currency, fmt.locale)}, "
        f"contraction {format_money(month.contraction_mrr, fmt.currency, fmt.locale)}, "
        f"churn {format_money(month.churned_mrr, fmt.currency, fmt.locale)}; "
        f"net {format_delta(month.net_new_mrr, 'money', fmt.currency, fmt.locale)}."
    )
    renewals_summary, renewal_rows = _renewal_parts(kpis, fmt, config.renewal_rows)
    horizon = kpis.week.end + pd.Timedelta(days=config.renewal_days)
    at_risk_summary = (
        f"{kpis.at_risk_count} paying accounts with at least one alert, "
        f"{format_money(kpis.at_risk_mrr, fmt.currency, fmt.locale)} MRR "
        f"({format_pct(kpis.at_risk_mrr / cur.mrr if cur.mrr else math.nan, config.locale, digits=0)} of MRR)"
        + (
            f"; the largest {len(kpis.at_risk)} are listed."
            if kpis.at_risk_count > len(kpis.at_risk)
            else "."
        )
    )
    arr_wow, _ = fmt.wow("arr", cur.arr, prev.arr)
    nrr_status = statuses.get("nrr_12m")
    headline = (
        f"ARR {fmt.value('arr', cur.arr)} ({arr_wow.split(' ', 1)[1]} week over week)",
        f"NRR {fmt.value('nrr_12m', cur.nrr_12m)} trailing 12 months"
        + (f" ({fmt.target('nrr_12m', nrr_status).split(': ', 1)[1]} vs target)" if nrr_status else ""),
        f"{kpis.at_risk_count} accounts at risk "
        f"({format_money(kpis.at_risk_mrr, fmt.currency, fmt.locale, compact=True)} MRR)",
        f"{cur.p0_tickets} P0 ticket{'s' if cur.p0_tickets != 1 else ''} this week",
    )
    return WeeklyContext(
        week=kpis.week.label,
        week_range=(
            f"{format_date(kpis.week.start, config.locale, 'MMM d')} – "
            f"{format_date(kpis.week.end, config.locale, 'medium')}"
        ),
        company=clean_text(config.company),
        subject=_subject(config, kpis, fmt),
        headline=headline,
        sections=sections,
        new_customers_text=_new_customers_text(cur.new_customers),
        month_text=month_text,
        highlights=tuple(highs) + notes.highlights,
        lowlights=tuple(lows) + notes.lowlights,
        blockers=notes.blockers,
        asks=notes.asks,
        next_week=notes.next_week,
        okrs=notes.okrs,
        target_rows=tuple(row(s) for s in statuses),
        renewals_title=(
            f"Renewals due in the next {config.renewal_days} days (to {format_date(horizon, config.locale)})"
        ),
        health_date=format_date(metrics.as_of - pd.Timedelta(days=1), config.locale, "medium"),
        renewals_summary=renewals_summary,
        renewal_rows=renewal_rows,
        at_risk_summary=at_risk_summary,
        at_risk_rows=_account_rows_at_risk(kpis, fmt),
        charts=_charts(kpis),
        none_text=NONE_THIS_WEEK,
        provenance={
            "period": f"{kpis.week.label} ({kpis.week.start:%Y-%m-%d} to {kpis.week.end:%Y-%m-%d}); "
            f"MRR month {cur.mrr_month:%Y-%m}; metrics window {run.window.label}",
            "source": run.dataset.source,
            "definitions_version": metrics.definitions_version,
            "inputs_hash": run.dataset.input_hash,
        },
        kpis=kpis,
    )


def today_in(zone: Any) -> dt.date:
    """Today's date in ``zone`` (a ZoneInfo); tests replace this."""
    return dt.datetime.now(zone).date()
