"""The weekly email's context: the run's weekly figures, formatted and arranged, plus narrative.

:func:`build_weekly_context` picks the week's figures, computed once per run
and week by :meth:`reports.pipeline.RunContext.weekly` (:mod:`cs_calc.weekly`),
into one documented dataclass, :class:`WeeklyContext`, that both the HTML and
the text template read. Numbers are formatted here once (so the subject, HTML
and text agree) and each printed number is recorded in ``figures`` (the
subject's in ``subject_figures``) with its metric id and the text as printed;
no metric is computed here. Highlights and lowlights are generated from the
targets in ``configs/email.yaml`` and week-over-week changes; blockers, asks,
next week and OKR status come from the CS leader's notes file (``--notes``),
and read "none this week" when absent.

Every word comes from the message catalogue (:mod:`reports.render.catalogue`)
in ``email.yaml``'s ``locale``: sentences are catalogue templates with named
placeholders (``{count}``, ``{mrr}``) filled with the formatted figures, counts
through ``ngettext``; words kept in tables are marked ``N_``/``NP_`` for
extraction and translated where they are printed.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from cs_calc.definitions import metric
from cs_calc.periods import Window
from cs_calc.weekly import (
    GREEN_AT_RISK_ALERTS,
    AtRiskAccount,
    IsoWeek,
    TargetStatus,
    TrendPoint,
    WeeklyKpis,
)
from reports.data.branding import Branding
from reports.data.config_check import read_config_file
from reports.data.config_schema import WeeklyNotesFile
from reports.documents.audience import describe_data_source
from reports.documents.email.config import EmailConfig, load_email_config
from reports.errors import ConfigError
from reports.output.figures import Figure, as_of_period
from reports.pipeline import RunContext
from reports.render.catalogue import N_, NP_, translations
from reports.render.charts import BarChartSpec, ChartSpec, ComboChartSpec
from reports.render.formatting import (
    clean_text,
    format_date,
    format_date_range,
    format_delta,
    format_money,
    format_month,
    format_number,
    format_pct,
    format_pp,
    format_window,
)

NONE_THIS_WEEK = N_("none this week")
OKR_STATUSES = {
    "on_track": NP_("okr status", "On track"),
    "at_risk": NP_("okr status", "At risk"),
    "off_track": NP_("okr status", "Off track"),
    "done": NP_("okr status", "Done"),
}
"""OKR status -> its words in English (translated with ``pgettext("okr status", ...)``)."""


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


def _lines(items: list[str | None]) -> tuple[str, ...]:
    return tuple(clean_text(item).strip() for item in items if item is not None and item.strip())


def load_notes(path: Path | None, week: IsoWeek) -> WeeklyNotes:
    """Read a notes file; ``None`` gives empty notes. A ``week:`` other than ``week`` is an error.

    The file is checked against :class:`reports.data.config_schema.WeeklyNotesFile`
    first: one ConfigError lists every problem, a line each.
    """
    if path is None:
        return WeeklyNotes()
    notes = read_config_file(Path(path), WeeklyNotesFile)
    where = str(path)
    if notes.week is not None and notes.week.strip().upper() != week.label:
        raise ConfigError(
            f"{where}: the notes are for {notes.week} but the email is for {week.label}; "
            "update the notes (or their 'week:') first"
        )
    okrs = tuple(
        OkrItem(
            objective=clean_text(okr.objective).strip(),
            status=okr.status,
            status_label=OKR_STATUSES[okr.status],
            note=clean_text(okr.note).strip(),
        )
        for okr in notes.okrs
    )
    lists = {key: _lines(getattr(notes, key)) for key in _NOTE_LISTS}
    return WeeklyNotes(week=week.label, okrs=okrs, source=where, **lists)


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class KpiRow:
    """One metric line: value, week-over-week change and target status, formatted."""

    key: str = _help("The WeekSnapshot field, e.g. 'nrr_12m'.")
    label: str = _help("What the number is, with its unit where needed.")
    value: float = _help("The raw number (reporting currency, fraction or count).")
    value_text: str = _help("The value formatted for reading.")
    wow_text: str = _help(
        "Change vs the previous week in words and arrow, e.g. '▼ down 15 (-19.0%)'; '' when unchanged "
        "(the section's note says so once)."
    )
    tone: str = _help("good, bad or neutral: whether the change is welcome (for colour only).")
    target_text: str = _help(
        "Target and status, e.g. '≥ 100.0%: ✗ missed' (the gap is in the lowlights); ''."
    )
    target_met: bool | None = _help("True met, False missed, None no target or no value.")
    note: str = _help("A short qualifier (e.g. the MRR month); may be empty.")


@dataclass(frozen=True)
class KpiSection:
    title: str = _help("Section heading.")
    rows: tuple[KpiRow, ...] = _help("Its metric lines, leading indicators first.")
    note: str = _help(
        "Said once under the table, e.g. which rows are unchanged from the week before; may be empty."
    )


@dataclass(frozen=True)
class AccountRow:
    """A line of the renewals or at-risk table, formatted."""

    name: str = _help("Account name (cleaned of control characters).")
    account_id: str = _help("Account id.")
    segment: str = _help("Service tier.")
    mrr_text: str = _help("MRR in the MRR month.")
    health_text: str = _help("Health band in words with the score, e.g. 'Red 37'.")
    health_band: str = _help("red, yellow, green or '' (for colour only).")
    detail: str = _help(
        "At risk: why (red health, the alerts that fired, MRR lost in 3 months); renewals: the date and days left."
    )
    renewal_text: str = _help("Renewal date, or '–'.")


@dataclass(frozen=True)
class ChartRef:
    """An inline chart: drawn by the renderer as PNG, referenced as ``cid:``."""

    cid: str = _help("Content-ID without brackets, e.g. 'activity.2026-W43@csreports'.")
    filename: str = _help("File name of the PNG part.")
    alt: str = _help("Alt text describing the chart's data.")
    spec: ChartSpec = _help("The chart's data and labels (reports.render.charts).")  # noqa: RUF009
    width_px: int = _help("Displayed width in CSS pixels.")
    height_px: int = _help("Displayed height in CSS pixels.")


@dataclass(frozen=True)
class WeeklyContext:
    """Everything the weekly email templates show; strings are cleaned, HTML-escaped by the template."""

    week: str = _help("ISO week label, e.g. '2026-W43'.")
    week_range: str = _help("The week's dates in the locale's interval form, e.g. 'Oct 19 – 25, 2026'.")
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
    health_date: str = _help(
        "Date the health scores are as of (data through it), e.g. 'Oct 31, 2026'; the health "
        "columns name it, since a QBR of an earlier quarter shows the score as of that quarter's end."
    )
    renewals_title: str = _help("Heading of the renewals table with its horizon.")
    renewals_summary: str = _help("Count and MRR of renewals due, by health band.")
    renewal_rows: tuple[AccountRow, ...] = _help("Renewals due that are not green, largest MRR first.")
    at_risk_summary: str = _help("Count and MRR of every at-risk account.")
    at_risk_rule: str = _help("The at-risk rule in one sentence, as the email states it.")
    at_risk_rows: tuple[AccountRow, ...] = _help("At-risk accounts, largest MRR at risk first, with why.")
    charts: tuple[ChartRef, ...] = _help("One or two inline trend charts.")
    none_text: str = _help("What an empty narrative section says.")
    provenance: Mapping[str, str] = _help("Data period, source, definitions version, inputs hash.")
    kpis: WeeklyKpis = _help("The raw numbers (cs_calc.weekly), for tests and custom templates.")  # noqa: RUF009
    figures: tuple[Figure, ...] = _help(
        "Every number the body prints (HTML and text alike), with its registry id and text as printed."
    )
    subject_figures: tuple[Figure, ...] = _help(
        "The numbers the subject line prints; the same key has the same value as in the body."
    )
    locale: str = field(default="en", metadata={"help": "Language of the email's words (email.yaml locale)."})
    brand: Branding = field(
        default_factory=Branding,
        metadata={"help": "Logo and colours (branding.yaml); the logo is attached as cid:logo@csreports."},
    )


_LABELS = {
    "p0_tickets": N_("P0 tickets"),
    "tickets": N_("Tickets opened"),
    "median_first_response_hours": N_("Median first response (hours)"),
    "median_resolution_hours": N_("Median resolution (hours)"),
    "active_users": N_("Active users"),
    "logins": N_("Logins"),
    "nps_responses": N_("NPS responses"),
    "nps": N_("NPS (this week's responses)"),
    "arr": N_("ARR"),
    "mrr": N_("MRR"),
    "new_customers_total": N_("New customers"),
    "expansion_mrr": N_("Expansion MRR this week"),
    "churned_mrr": N_("Churned MRR this week"),
    "contraction_mrr": N_("Contraction MRR this week"),
    "churn_events": N_("Churn events (effective this week)"),
    "nrr_12m": N_("NRR (trailing 12 months)"),
    "grr_12m": N_("GRR (trailing 12 months)"),
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
    "champion_left": NP_("alert", "champion left"),
    "power_user_left": NP_("alert", "power user left"),
    "usage_drop": NP_("alert", "usage drop"),
    "p0_ticket": NP_("alert", "P0 ticket"),
    "detractor": NP_("alert", "detractor"),
    "renewal_risk": NP_("alert", "renewal soon, not green"),
}
_BANDS = {
    "red": NP_("health band", "Red"),
    "yellow": NP_("health band", "Yellow"),
    "green": NP_("health band", "Green"),
    "": NP_("health band", "Unknown"),
}

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        N_("Support and activity (leading indicators)"),
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
        N_("Revenue and retention"),
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


_IDS = {
    "p0_tickets": "weekly_p0_tickets",
    "tickets": "weekly_tickets",
    "median_first_response_hours": "median_first_response_hours",
    "median_resolution_hours": "median_resolution_hours",
    "active_users": "weekly_active_users",
    "logins": "weekly_logins",
    "nps_responses": "weekly_nps_responses",
    "nps": "weekly_nps",
    "arr": "weekly_arr",
    "mrr": "weekly_mrr",
    "paying_accounts": "weekly_paying_accounts",
    "new_customers_total": "weekly_new_customers",
    "new_mrr": "weekly_new_mrr",
    "expansion_mrr": "weekly_expansion_mrr",
    "contraction_mrr": "weekly_contraction_mrr",
    "churned_mrr": "weekly_churned_mrr",
    "churn_events": "weekly_churn_events",
    "churn_events_lost_mrr": "weekly_churn_events_lost_mrr",
    "nrr_12m": "nrr_12m",
    "grr_12m": "grr_12m",
}
"""WeekSnapshot field -> its id in the metric registry (:mod:`cs_calc.definitions`)."""


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

    def money(self, value: float, compact: bool = False) -> str:
        return format_money(value, self.currency, self.locale, compact=compact)


class _Writer:
    """Formats the week's figures and records each one it prints as a :class:`Figure`.

    Every number of the email goes through here, so ``figures`` lists exactly
    what is printed, with the text as printed and the registry id. Periods
    follow :mod:`reports.output.figures`: the ISO week for per-week figures, the
    12-month window's label for trailing figures, the week's last day for
    as-of figures (health: the last day of its data).
    """

    def __init__(self, kpis: WeeklyKpis, fmt: _Fmt, window: Window, health_as_of: pd.Timestamp):
        self.kpis, self.fmt = kpis, fmt
        self.tr = translations(fmt.locale)
        self.periods = {
            "per_week": kpis.week.label,
            "trailing_12_months": window.label,
            "as_of": as_of_period(kpis.week.end_exclusive),
        }
        self.health_period = as_of_period(health_as_of)
        self.figures: list[Figure] = []

    def record(
        self,
        figure_id: str,
        value: float | int | None,
        shown: str,
        *,
        period: str | None = None,
        dimension: str = "all",
        group: str = "all",
        account_id: str | None = None,
    ) -> str:
        """Record one printed figure; returns ``shown`` so it can be printed where it is recorded."""
        period = period or self.periods[metric(figure_id).period]
        self.figures.append(Figure(figure_id, period, value, shown, dimension, group, account_id))
        return shown

    def kpi(self, key: str, value: float | None = None) -> str:
        """The week's value of KPI ``key`` (a WeekSnapshot field), formatted and recorded."""
        value = getattr(self.kpis.current, key) if value is None else value
        return self.record(_IDS[key], value, self.fmt.value(key, value))

    def money(self, figure_id: str, value: float, *, compact: bool = False, **where: Any) -> str:
        return self.record(figure_id, value, self.fmt.money(value, compact), **where)

    def count(self, figure_id: str, value: int, **where: Any) -> str:
        return self.record(figure_id, value, format_number(value, self.fmt.locale), **where)

    def wow(self, key: str) -> tuple[str, str]:
        """('▲ up 12 (+18.8%)' style text, tone) of KPI ``key``; the change and relative change recorded."""
        cur, prev = float(getattr(self.kpis.current, key)), float(getattr(self.kpis.previous, key))
        tr = self.tr
        if math.isnan(cur) or math.isnan(prev):
            return tr.gettext("no comparison"), "neutral"
        delta, rate = self.kpis.change[key], self.kpis.change_rate[key]
        change = self.fmt.change(key, delta)
        if delta == 0 or not any(ch in "123456789" for ch in change):
            return "", "neutral"
        moved = (
            tr.pgettext("week over week", "up {change}")
            if delta > 0
            else tr.pgettext("week over week", "down {change}")
        ).format(change=change.lstrip("+-"))
        text = "▲ " if delta > 0 else "▼ "
        text += self.record(f"{_IDS[key]}_change", delta, moved)
        if _KIND.get(key, "count") in ("count", "money") and not math.isnan(rate):
            pct = format_delta(rate, "pct", locale=self.fmt.locale)
            text += f" ({self.record(f'{_IDS[key]}_change_pct', rate, pct)})"
        better = _HIGHER_IS_BETTER.get(key)
        tone = "neutral" if better is None else ("good" if (delta > 0) == better else "bad")
        return text, tone

    def target(self, status: TargetStatus, *, gap: bool = True) -> str:
        """'Target ≥ 100.0%: ✗ missed by 4.6 pp' style text; bounds and a missed gap recorded.

        ``gap=False`` gives the short form of the KPI tables, '≥ 100.0%: ✗ missed': the gap is said
        once, in the lowlights.
        """
        key, target = status.target.kpi, status.target
        where = {"dimension": "kpi", "group": _IDS[key]}
        bounds = []
        if target.minimum is not None:
            shown = f"≥ {self.fmt.value(key, target.minimum)}"
            bounds.append(self.record("weekly_target_min", target.minimum, shown, **where))
        if target.maximum is not None:
            shown = f"≤ {self.fmt.value(key, target.maximum)}"
            bounds.append(self.record("weekly_target_max", target.maximum, shown, **where))
        tr = self.tr
        head = (
            tr.gettext("{minimum} and {maximum}").format(minimum=bounds[0], maximum=bounds[1])
            if len(bounds) == 2
            else "".join(bounds)
        )
        if gap:
            head = tr.gettext("Target {bounds}").format(bounds=head)
        if status.met is None:
            return tr.gettext("{target}: no value").format(target=head)
        if status.met:
            return tr.gettext("{target}: ✓ met").format(target=head)
        if not gap:
            return tr.gettext("{target}: ✗ missed").format(target=head)
        missed = tr.gettext("missed by {gap}").format(gap=self.fmt.change(key, abs(status.gap)).lstrip("+"))
        return f"{head}: ✗ {self.record('weekly_target_gap', status.gap, missed, **where)}"

    def health(self, account_id: str, band: str, score: float) -> str:
        """Band in words with the score, e.g. 'Red 37'; the score recorded per account."""
        label = self.tr.pgettext("health band", _BANDS[band]) if band in _BANDS else band.title()
        shown = label if score is None or math.isnan(score) else f"{label} {score:.0f}"
        where: dict[str, Any] = {"dimension": "account", "group": account_id, "account_id": account_id}
        return self.record("health_score", score, shown, period=self.health_period, **where)

    def days_to_renewal(self, account_id: str, days: int) -> str:
        """Days from the week's last day to an account's renewal, recorded per account."""
        where: dict[str, Any] = {"dimension": "account", "group": account_id, "account_id": account_id}
        return self.count("weekly_days_to_renewal", days, **where)

    def account_mrr(self, account_id: str, mrr: float) -> str:
        where: dict[str, Any] = {"dimension": "account", "group": account_id, "account_id": account_id}
        return self.money("weekly_mrr", mrr, **where)


def _alert_text(out: _Writer, account: AtRiskAccount, signal: str, value: float) -> str:
    """One alert of an at-risk account in words, its number recorded (signal values as of the health
    score's data, days to renewal from the week's last day)."""
    locale = out.fmt.locale
    where: dict[str, Any] = {"dimension": "signal", "group": signal, "account_id": account.account_id}

    def shown(text: str) -> str:
        return out.record("signal_value", value, text, period=out.health_period, **where)

    tr = out.tr
    if signal == "usage_drop":
        return tr.gettext("usage drop ({share} active users)").format(
            share=shown(format_pct(value, locale, digits=0))
        )
    if signal == "detractor":
        return tr.gettext("detractor (NPS {score})").format(score=shown(format_number(value, locale)))
    if signal in ("p0_ticket", "champion_left", "power_user_left") and value > 1:
        count = shown(format_number(value, locale))
        if signal == "p0_ticket":
            return tr.ngettext("{count} P0 ticket", "{count} P0 tickets", int(value)).format(count=count)
        if signal == "champion_left":
            return tr.ngettext("{count} champion left", "{count} champions left", int(value)).format(
                count=count
            )
        return tr.ngettext("{count} power user left", "{count} power users left", int(value)).format(
            count=count
        )
    days = account.days_to_renewal
    if signal == "renewal_risk" and days is not None:
        account_key: dict[str, Any] = {
            "dimension": "account",
            "group": account.account_id,
            "account_id": account.account_id,
        }
        count = out.record("weekly_days_to_renewal", days, format_number(abs(days), locale), **account_key)
        if days >= 0:
            return tr.ngettext(
                "renewal in {count} day, not green", "renewal in {count} days, not green", days
            ).format(count=count)
        return tr.ngettext(
            "renewal {count} day ago, not green", "renewal {count} days ago, not green", abs(days)
        ).format(count=count)
    if signal in _ALERTS:
        return tr.pgettext("alert", _ALERTS[signal])
    return signal.replace("_", " ")


def _charts(out: _Writer) -> tuple[ChartRef, ...]:
    kpis, tr = out.kpis, out.tr
    labels = [tr.pgettext("chart axis", "W{week:02d}").format(week=p.week.week) for p in kpis.trend]
    span = tr.gettext("{first} to {last}").format(
        first=kpis.trend[0].week.label, last=kpis.trend[-1].week.label
    )
    activity = ComboChartSpec(
        title=tr.gettext("Weekly logins and active users"),
        y_label=tr.gettext("Logins per week"),
        x_labels=labels,
        series={tr.gettext("Logins"): [p.logins for p in kpis.trend]},
        lines={tr.gettext("Active users"): [p.active_users for p in kpis.trend]},
        y2_label=tr.gettext("Active users"),
        value_format2="number",
        size=(6.0, 2.3),
        locale=out.fmt.locale,
    )
    tickets = BarChartSpec(
        title=tr.gettext("Tickets opened per week"),
        y_label=tr.gettext("Tickets"),
        x_labels=labels,
        series={
            "P1–P3": [p.tickets - p.p0_tickets for p in kpis.trend],
            "P0": [p.p0_tickets for p in kpis.trend],
        },
        stacked=True,
        data_labels=False,
        size=(6.0, 2.0),
        locale=out.fmt.locale,
    )

    def point(figure_id: str, p: TrendPoint, value: float) -> str:
        return out.record(figure_id, value, format_number(value, out.fmt.locale), period=p.week.label)

    def alt_activity() -> str:
        first, last = kpis.trend[0], kpis.trend[-1]
        return tr.gettext(
            "Logins and active users per week, {span}: logins from {first_logins} to {last_logins}, "
            "active users from {first_users} to {last_users}."
        ).format(
            span=span,
            first_logins=point("weekly_logins", first, first.logins),
            last_logins=point("weekly_logins", last, last.logins),
            first_users=point("weekly_active_users", first, first.active_users),
            last_users=point("weekly_active_users", last, last.active_users),
        )

    def alt_tickets() -> str:
        counts = ", ".join(
            f"{label} {point('weekly_tickets', p, p.tickets)} "
            f"({point('weekly_p0_tickets', p, p.p0_tickets)} P0)"
            for label, p in zip(labels, kpis.trend, strict=True)
        )
        return tr.gettext("Tickets opened per week, {span}: {counts}.").format(span=span, counts=counts)

    week = kpis.week.label
    return (
        ChartRef(f"activity.{week}@csreports", f"activity-{week}.png", alt_activity(), activity, 600, 230),
        ChartRef(f"tickets.{week}@csreports", f"tickets-{week}.png", alt_tickets(), tickets, 600, 200),
    )


def at_risk_rule(locale: str = "en") -> str:
    """The at-risk rule of :func:`cs_calc.weekly.is_at_risk` in one sentence, as the email states it."""
    tr = translations(locale)
    names = [tr.pgettext("alert", _ALERTS[a]) for a in GREEN_AT_RISK_ALERTS]
    either = (
        tr.gettext("{alerts} or {last}").format(alerts=", ".join(names[:-1]), last=names[-1])
        if len(names) > 1
        else names[0]
    )
    return tr.gettext(
        "An account is at risk when its health is red, yellow with any alert, or green with a "
        "{alerts} alert; listed by MRR at risk, largest first."
    ).format(alerts=either)


def _at_risk_why(out: _Writer, a: AtRiskAccount) -> str:
    """Why an account is at risk: red health without an alert, each alert, and MRR lost in 3 months."""
    reasons = [_alert_text(out, a, s, v) for s, v in a.alerts]
    if not reasons:
        reasons.append(out.tr.gettext("red health, no alert"))
    if a.mrr_change_3m < 0:
        where: dict[str, Any] = {"dimension": "account", "group": a.account_id, "account_id": a.account_id}
        lost = out.record("at_risk_mrr_change_3m", a.mrr_change_3m, out.fmt.money(-a.mrr_change_3m), **where)
        reasons.append(out.tr.gettext("MRR down {amount} over 3 months").format(amount=lost))
    return "; ".join(reasons)


def _account_rows_at_risk(out: _Writer) -> tuple[AccountRow, ...]:
    kpis, locale = out.kpis, out.fmt.locale
    rows = []
    for a in kpis.at_risk:
        alerts = _at_risk_why(out, a)
        rows.append(
            AccountRow(
                name=clean_text(a.name),
                account_id=clean_text(a.account_id),
                segment=clean_text(a.segment),
                mrr_text=out.account_mrr(a.account_id, a.mrr),
                health_text=out.health(a.account_id, a.health_band, a.health_score),
                health_band=a.health_band,
                detail=alerts,
                renewal_text=format_date(a.renewal_date, locale) if a.renewal_date is not None else "–",
            )
        )
    return tuple(rows)


def _renewal_parts(out: _Writer, limit: int) -> tuple[str, tuple[AccountRow, ...]]:
    kpis, locale, tr = out.kpis, out.fmt.locale, out.tr
    renewals = kpis.renewals
    if not renewals:
        return tr.gettext("No renewals due."), ()
    parts = []
    for band in kpis.renewals_by_band:
        where: dict[str, Any] = {"dimension": "band", "group": band.band or "unknown"}
        count = out.count("renewals_due", band.accounts, **where)
        mrr = out.money("renewals_due_mrr", band.mrr, **where)
        parts.append(f"{tr.pgettext('health band', _BANDS[band.band])} {count} ({mrr})")
    count = out.count("renewals_due", len(renewals))
    total = out.money("renewals_due_mrr", kpis.renewals_mrr)
    summary = tr.ngettext(
        "{count} account, {mrr} MRR: {bands}.", "{count} accounts, {mrr} MRR: {bands}.", len(renewals)
    ).format(count=count, mrr=total, bands=", ".join(parts))
    not_green = sorted(
        (r for r in renewals if r.health_band != "green"), key=lambda r: (-r.mrr, r.account_id)
    )
    rows = tuple(
        AccountRow(
            name=clean_text(r.name),
            account_id=clean_text(r.account_id),
            segment=clean_text(r.segment),
            mrr_text=out.account_mrr(r.account_id, r.mrr),
            health_text=out.health(r.account_id, r.health_band, r.health_score),
            health_band=r.health_band,
            detail=tr.ngettext(
                "{date} (in {count} day)", "{date} (in {count} days)", r.days_to_renewal
            ).format(
                date=format_date(r.renewal_date, locale),
                count=out.days_to_renewal(r.account_id, r.days_to_renewal),
            ),
            renewal_text=format_date(r.renewal_date, locale),
        )
        for r in not_green[:limit]
    )
    return summary, rows


def _narrative(out: _Writer, config: EmailConfig) -> tuple[list[str], list[str]]:
    kpis, tr = out.kpis, out.tr
    cur = kpis.current
    highs: list[str] = []
    lows: list[str] = []
    for status in kpis.targets:
        key = status.target.kpi
        if key == "nrr_12m":
            continue  # the headline says it
        label = tr.gettext(_LABELS[key]) if key in _LABELS else key.replace("_", " ")
        text = f"{label}: {out.kpi(key, status.value)} — {out.target(status)}"
        if status.met is True:
            highs.append(text)
        elif status.met is False:
            lows.append(text)
    if cur.new_customers_total:
        highs.append(
            tr.ngettext(
                "{count} new customer ({segments})",
                "{count} new customers ({segments})",
                cur.new_customers_total,
            ).format(count=out.kpi("new_customers_total"), segments=_new_customers_text(out))
        )
    if cur.expansion_mrr > 0:
        shown = out.record(
            "weekly_expansion_mrr", cur.expansion_mrr, out.fmt.change("expansion_mrr", cur.expansion_mrr)
        )
        highs.append(tr.gettext("Expansion this week: {mrr} MRR").format(mrr=shown))
    for key in ("active_users", "logins", "tickets"):
        rate = kpis.change_rate[key]
        if math.isnan(rate) or abs(rate) < config.activity_change_threshold:
            continue
        wow, tone = out.wow(key)
        (highs if tone == "good" else lows).append(
            tr.gettext("{label} {change} week over week").format(label=tr.gettext(_LABELS[key]), change=wow)
        )
    if cur.churn_events:
        lost = out.money("weekly_churn_events_lost_mrr", cur.churn_events_lost_mrr)
        lows.append(
            tr.ngettext(
                "{count} churn event effective this week ({mrr} MRR lost)",
                "{count} churn events effective this week ({mrr} MRR lost)",
                cur.churn_events,
            ).format(count=out.kpi("churn_events"), mrr=lost)
        )
    red = kpis.band("red")
    if red.accounts:
        where: dict[str, Any] = {"dimension": "band", "group": "red"}
        count = out.count("renewals_due", red.accounts, **where)
        mrr = out.money("renewals_due_mrr", red.mrr, **where)
        lows.append(
            tr.ngettext(
                "{count} red account renews in the next {days} days ({mrr} MRR)",
                "{count} red accounts renew in the next {days} days ({mrr} MRR)",
                red.accounts,
            ).format(count=count, days=config.renewal_days, mrr=mrr)
        )
    return highs, lows


def _new_customers_text(out: _Writer) -> str:
    parts = [
        f"{segment} {out.count('weekly_new_customers', count, dimension='segment', group=segment)}"
        for segment, count in out.kpis.current.new_customers.items()
        if count
    ]
    return ", ".join(parts) if parts else out.tr.pgettext("new customers", "none")


_SUBJECT_FIGURES = {
    "arr": "weekly_arr",
    "mrr": "weekly_mrr",
    "arr_delta": "weekly_arr_change",
    "nrr": "nrr_12m",
    "grr": "grr_12m",
    "at_risk_count": "at_risk_accounts",
}
"""Subject fields that are figures -> their registry ids."""


def _arr_change_text(out: _Writer) -> str:
    """ARR's week-over-week change as the subject and the headline print it: 'unchanged' or '+$12K'."""
    delta = out.kpis.change["arr"]
    if math.isnan(delta):
        return out.tr.gettext("no comparison")
    text = out.fmt.change("arr", delta)
    return out.tr.gettext("unchanged") if delta == 0 or not any(ch in "123456789" for ch in text) else text


def _subject(config: EmailConfig, out: _Writer) -> tuple[str, list[Figure]]:
    """The subject line and the figures it shows (recorded apart from the body's)."""
    kpis, fmt = out.kpis, out.fmt
    cur = kpis.current
    arr_delta = kpis.change["arr"]
    values = {
        "week": kpis.week.label,
        "week_start": f"{kpis.week.start:%Y-%m-%d}",
        "week_end": f"{kpis.week.end:%Y-%m-%d}",
        "arr": fmt.value("arr", cur.arr),
        "mrr": fmt.value("mrr", cur.mrr),
        "arr_delta": _arr_change_text(out),
        "nrr": fmt.value("nrr_12m", cur.nrr_12m),
        "grr": fmt.value("grr_12m", cur.grr_12m),
        "at_risk_count": str(kpis.at_risk_count),
        "company": config.company,
    }
    raw = {
        "arr": cur.arr,
        "mrr": cur.mrr,
        "arr_delta": arr_delta,
        "nrr": cur.nrr_12m,
        "grr": cur.grr_12m,
        "at_risk_count": kpis.at_risk_count,
    }
    template = config.subject or out.tr.ngettext(  # email.yaml sets none: the email's language
        "CS weekly {week}: ARR {arr} ({arr_delta} WoW), NRR {nrr} (trailing 12 months), {at_risk_count} account at risk",
        "CS weekly {week}: ARR {arr} ({arr_delta} WoW), NRR {nrr} (trailing 12 months), {at_risk_count} accounts at risk",
        kpis.at_risk_count,
    )
    used = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
    subject_out = copy.copy(out)
    subject_out.figures = []
    for name in sorted(used & set(_SUBJECT_FIGURES), key=list(_SUBJECT_FIGURES).index):
        subject_out.record(_SUBJECT_FIGURES[name], raw[name], values[name])
    return template.format(**values), subject_out.figures


def build_weekly_context(
    run: RunContext,
    week: IsoWeek | str,
    *,
    config: EmailConfig | None = None,
    notes: WeeklyNotes | None = None,
) -> WeeklyContext:
    """The weekly email's context for ``week`` (an :class:`IsoWeek` or ``"2026-W43"``).

    ``run`` may have any window: the figures are the run's
    (:meth:`RunContext.weekly`, over the 12 months ending the week's MRR
    month, computed once per run and week); this only selects, formats and
    arranges them, recording each printed number in ``figures``. ``config``
    defaults to ``email.yaml`` from the run's config folders.
    """
    week = IsoWeek.parse(week) if isinstance(week, str) else week
    config = config or load_email_config(run.settings.config_dirs.user_dir)
    if not config.company:  # email.yaml may name the company; branding.yaml does otherwise
        config = replace(config, company=run.settings.branding.company_name)
    notes = notes or WeeklyNotes()
    kpis = run.weekly(week, config.weekly_options)
    metrics = run.weekly_metrics(week)
    fmt = _Fmt(metrics.reporting_currency, config.locale)
    out = _Writer(kpis, fmt, metrics.window, metrics.as_of)
    tr = out.tr
    cur = kpis.current
    statuses = {s.target.kpi: s for s in kpis.targets}

    def row(key: str) -> KpiRow:
        value = float(getattr(cur, key))
        value_text = out.kpi(key, value)
        wow, tone = out.wow(key)
        status = statuses.get(key)
        note = ""
        if key == "mrr":
            note = tr.gettext("{month} (month containing the week's end)").format(
                month=format_month(cur.mrr_month, config.locale)
            )
        elif key == "nps_responses" and cur.nps_responses:
            nps, n = out.kpi("nps"), out.kpi("nps_responses")
            if cur.nps_responses < 30:
                note = tr.ngettext(
                    "NPS {nps} from {count} response (low n)",
                    "NPS {nps} from {count} responses (low n)",
                    cur.nps_responses,
                ).format(nps=nps, count=n)
            else:
                note = tr.ngettext(
                    "NPS {nps} from {count} response", "NPS {nps} from {count} responses", cur.nps_responses
                ).format(nps=nps, count=n)
        elif key == "churn_events" and cur.churn_events:
            note = tr.gettext("{mrr} MRR lost").format(
                mrr=out.money("weekly_churn_events_lost_mrr", cur.churn_events_lost_mrr)
            )
        return KpiRow(
            key=key,
            label=tr.gettext(_LABELS[key]) if key in _LABELS else key,
            value=value,
            value_text=value_text,
            wow_text=wow,
            tone=tone,
            target_text=out.target(status, gap=False) if status else "",
            target_met=status.met if status else None,
            note=note,
        )

    def section(title: str, keys: tuple[str, ...]) -> KpiSection:
        rows = tuple(row(k) for k in keys)
        same = [r.label for r in rows if not r.wow_text]
        note = ""
        if same and len(same) < len(rows):
            note = tr.gettext("Unchanged from the week before: {labels}.").format(labels=", ".join(same))
        elif same:
            note = tr.gettext("Every figure is unchanged from the week before.")
        if "mrr" in keys:
            monthly = tr.gettext(
                "MRR is monthly: ARR, MRR, NRR and GRR move when a week ends in a new month."
            )
            note = f"{note} {monthly}".strip()
        return KpiSection(tr.gettext(title), rows, note)

    sections = tuple(section(title, keys) for title, keys in SECTIONS)
    highs, lows = _narrative(out, config)
    month = kpis.month_movements

    def movement(group: str, value: float, text: str | None = None) -> str:
        shown = text if text is not None else fmt.money(value)
        return out.record("month_mrr_movements", value, shown, dimension="movement", group=group)

    month_text = tr.gettext(
        "{month} as a whole (MRR is monthly): new {new}, expansion {expansion}, "
        "reactivation {reactivation}, contraction {contraction}, churn {churn}; net {net}."
    ).format(
        month=format_month(month.month, config.locale),
        new=movement("new", month.new_mrr),
        expansion=movement("expansion", month.expansion_mrr),
        reactivation=movement("reactivation", month.reactivation_mrr),
        contraction=movement("contraction", month.contraction_mrr),
        churn=movement("churn", month.churned_mrr),
        net=movement(
            "net", month.net_new_mrr, format_delta(month.net_new_mrr, "money", fmt.currency, fmt.locale)
        ),
    )
    renewals_summary, renewal_rows = _renewal_parts(out, config.renewal_rows)
    horizon = kpis.week.end + pd.Timedelta(days=config.renewal_days)
    share = format_pct(kpis.at_risk_mrr_share, config.locale, digits=0)
    summary_values = {
        "count": out.count("at_risk_accounts", kpis.at_risk_count),
        "mrr": out.money("at_risk_mrr", kpis.at_risk_mrr),
        "share": out.record("at_risk_mrr_share", kpis.at_risk_mrr_share, share),
        "listed": format_number(len(kpis.at_risk), config.locale),
    }
    if kpis.at_risk_count > len(kpis.at_risk):
        at_risk_summary = tr.ngettext(
            "{count} account at risk, {mrr} MRR ({share} of MRR); the largest {listed} are listed.",
            "{count} accounts at risk, {mrr} MRR ({share} of MRR); the largest {listed} are listed.",
            kpis.at_risk_count,
        ).format(**summary_values)
    else:
        at_risk_summary = tr.ngettext(
            "{count} account at risk, {mrr} MRR ({share} of MRR).",
            "{count} accounts at risk, {mrr} MRR ({share} of MRR).",
            kpis.at_risk_count,
        ).format(**summary_values)
    arr_wow, _ = out.wow("arr")
    arr_change = (
        arr_wow.split(" ", 1)[1]
        if arr_wow.startswith(("▲", "▼"))
        else out.record("weekly_arr_change", kpis.change["arr"], _arr_change_text(out))
    )
    nrr_status = statuses.get("nrr_12m")
    p0 = out.kpi("p0_tickets")
    nrr = out.kpi("nrr_12m")
    headline = (
        tr.gettext("ARR {arr}, {change} week over week").format(arr=out.kpi("arr"), change=arr_change),
        tr.gettext("NRR (trailing 12 months) {nrr} — {target}").format(nrr=nrr, target=out.target(nrr_status))
        if nrr_status and nrr_status.met is not None
        else tr.gettext("NRR (trailing 12 months) {nrr}").format(nrr=nrr),
        tr.ngettext(
            "{count} account at risk ({mrr} MRR)", "{count} accounts at risk ({mrr} MRR)", kpis.at_risk_count
        ).format(
            count=out.count("at_risk_accounts", kpis.at_risk_count),
            mrr=out.money("at_risk_mrr", kpis.at_risk_mrr, compact=True),
        ),
        tr.ngettext(
            "{count} P0 ticket this week", "{count} P0 tickets this week", int(cur.p0_tickets)
        ).format(count=p0),
    )
    new_customers_text = _new_customers_text(out)
    at_risk_rows = _account_rows_at_risk(out)
    charts = _charts(out)
    subject, subject_figures = _subject(config, out)
    return WeeklyContext(
        brand=run.settings.branding,
        week=kpis.week.label,
        week_range=format_date_range(kpis.week.start, kpis.week.end, config.locale),
        company=clean_text(config.company),
        subject=subject,
        headline=headline,
        sections=sections,
        new_customers_text=new_customers_text,
        month_text=month_text,
        highlights=tuple(highs) + notes.highlights,
        lowlights=tuple(lows) + notes.lowlights,
        blockers=notes.blockers,
        asks=notes.asks,
        next_week=notes.next_week,
        okrs=tuple(
            replace(okr, status_label=tr.pgettext("okr status", OKR_STATUSES[okr.status]))
            if okr.status in OKR_STATUSES
            else okr
            for okr in notes.okrs
        ),
        renewals_title=tr.gettext("Renewals due in the next {days} days (to {date})").format(
            days=config.renewal_days, date=format_date(horizon, config.locale)
        ),
        health_date=format_date(metrics.as_of - pd.Timedelta(days=1), config.locale, "medium"),
        renewals_summary=renewals_summary,
        renewal_rows=renewal_rows,
        at_risk_summary=at_risk_summary,
        at_risk_rule=at_risk_rule(config.locale),
        at_risk_rows=at_risk_rows,
        charts=charts,
        none_text=tr.gettext(NONE_THIS_WEEK),
        provenance={
            "period": tr.gettext("{week} ({dates}); MRR month {month}; metrics window {window}").format(
                week=kpis.week.label,
                dates=format_date_range(kpis.week.start, kpis.week.end, config.locale),
                month=format_month(cur.mrr_month, config.locale),
                window=format_window(
                    metrics.window.label, metrics.window.start, metrics.window.end, config.locale
                ),
            ),
            "source": describe_data_source(run.dataset.source, config.locale),  # no path or host
            "definitions_version": metrics.definitions_version,
            "inputs_hash": run.dataset.input_hash,
        },
        kpis=kpis,
        figures=tuple(out.figures),
        subject_figures=tuple(subject_figures),
        locale=config.locale,
    )


def today_in(zone: Any) -> dt.date:
    """Today's date in ``zone`` (a ZoneInfo); tests replace this."""
    return dt.datetime.now(zone).date()
