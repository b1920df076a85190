"""The metric registry: one id, label, unit, period, definition and computing function per figure.

Every figure a csreports document shows (the QBR decks, the churn report, the
cost-to-retain summary, the NPS digest, the board report and the weekly
email) has one :class:`Metric` in :data:`METRICS`. Where two legitimate
definitions exist (logos lost at the window's end vs accounts that cancelled
during it; NRR of the window vs NRR over the trailing 12 months; at-risk
accounts in the weekly email vs renewal risk in the board report; lost MRR by
reason vs the churned and contraction MRR of the bridge) they are two ids
with two different labels.

``compute`` names the one ``cs_calc`` function that computes the figure.
``computed_outside`` lists the document code that still computes the figure
itself today (``path.py:function``); those computations are to move into
``cs_calc``. A metric with no ``cs_calc`` function yet has ``compute=None``
and is always listed there.

:func:`glossary_markdown` renders the documentation's metrics glossary
(``docs/metrics.md``, generated when the site is built); every document's
definitions appendix takes its words from the same entries
(:mod:`reports.documents.definitions`). ``python -m cs_calc.definitions
--markdown`` prints the glossary; ``--update-readme PATH`` rewrites the block
between the glossary markers of a Markdown file. That command is the only
place this module touches a file; everything else here is pure.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from cs_calc import (
    DEFINITIONS_VERSION,
    account_activity,
    account_facts,
    churn,
    churn_analysis,
    costs,
    health,
    leadership,
    leadership_metrics,
    nps,
    nps_analysis,
    nps_digest,
    nps_digest_metrics,
    retention,
    signals,
    weekly,
)
from cs_calc.text import sentiment, themes

UNITS: Mapping[str, str] = MappingProxyType(
    {
        "money_mrr": "money per month (MRR)",
        "money_arr": "money per year (ARR = MRR × 12)",
        "money": "money, total over the period",
        "fraction": "fraction",
        "count": "count",
        "ratio": "ratio",
        "score": "score 0–100",
        "score_points": "points of the 0–100 health score",
        "nps": "NPS points, −100 to 100",
        "days": "days",
        "hours": "hours",
        "kpi": "the unit of the weekly KPI it belongs to (its group)",
        "csat": "CSAT 1–5",
        "sentiment": "sentiment −1 to 1",
        "weight": "ranking weight (MRR × multipliers)",
        "signal": "the unit of the alert or upsell signal it belongs to (its group)",
        "factor": "the unit of the health score factor it belongs to (its group)",
        "plan_kpi": "the unit of the success-plan KPI it belongs to (its objective's)",
        "answer": "survey answer, 0–10",
    }
)
"""Unit id → the unit in words."""

PERIODS: Mapping[str, str] = MappingProxyType(
    {
        "window": "the document's window",
        "quarter": "each calendar quarter",
        "trailing_12_months": "the trailing 12 months",
        "as_of": "as of the window's end",
        "per_week": "the email's week",
    }
)
"""Period id → what the figure covers, in words.

``window``: the document's months ``[start, end]`` (a quarter unless chosen
otherwise). ``quarter``: each calendar quarter as its own window (trends).
``trailing_12_months``: the 12 months ending with the latest month.
``as_of``: a point in time, the first day after the window (or the week's
Sunday), e.g. health or renewals in the next N days. ``per_week``: the weekly
email's ISO week, Monday to Sunday.
"""

DIMENSIONS: Mapping[str, str] = MappingProxyType(
    {
        "all": "the whole portfolio",
        "segment": "service tier (configs/segments.yaml)",
        "region": "region",
        "csm": "CSM book of business",
        "cohort": "quarter of the account's start_date",
        "tenure": "first year (the account started less than 12 months before the window's opening month) "
        "or tenured",
        "quarter": "calendar quarter",
        "month": "month",
        "week": "ISO week",
        "kpi": "weekly email KPI, by its metric id",
        "movement": "MRR movement: new, expansion, reactivation, contraction, churn or net",
        "account": "one account",
        "tier": "the account's plan",
        "reason": "churn reason",
        "churn_type": "full or partial churn",
        "avoidability": "avoidable, unavoidable or vague reason",
        "competitor": "competitor named at churn",
        "replaced_by": "what replaced the product",
        "band": "health band",
        "theme": "NPS comment theme",
        "category": "promoter, passive or detractor",
        "product_area": "product area of a feature request",
        "topic": "emerging comment topic",
        "function": "cost function",
        "signal": "alert or upsell signal",
        "priority": "ticket priority",
        "objective": "success-plan objective of one account",
        "factor": "health score factor",
        "response": "one survey response, by its response id",
        "component": "NRR component: renewed, expansion, contraction or churn",
        "segment/component": "an NRR component of one segment",
        "csm/component": "an NRR component of one CSM book",
    }
)
"""Breakdown id → what a group of it is."""

DOCUMENTS: Mapping[str, str] = MappingProxyType(
    {
        "metrics_csv": "portfolio.csv (csreports metrics)",
        "qbr": "QBR deck and leave-behind",
        "board_report": "board report (PDF and PPTX)",
        "churn_report": "churn-reason report",
        "cost_to_retain": "cost-to-retain summary",
        "nps_digest": "NPS theme digest",
        "weekly_email": "weekly leadership email",
    }
)

TOPICS: tuple[str, ...] = (
    "Revenue and retention",
    "Churn reasons",
    "Cost to retain and coverage",
    "Health and risk",
    "NPS and comments",
    "Account activity (QBR)",
    "Weekly email",
)
"""Glossary sections, in the order the glossary prints them."""

_ID_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@dataclass(frozen=True)
class Metric:
    """One figure a document shows: what it is, in which unit, over which period, and who computes it.

    ``unit`` is a key of :data:`UNITS`, ``period`` of :data:`PERIODS`,
    ``dimensions`` keys of :data:`DIMENSIONS`, ``topic`` one of
    :data:`TOPICS` and ``documents`` keys of :data:`DOCUMENTS`.

    >>> m = metric("nrr")
    >>> m.label, m.short_label, m.unit, m.period
    ('Net revenue retention', 'NRR', 'fraction', 'window')
    >>> m.compute_ref
    'cs_calc.retention.summarise_retention'
    """

    id: str
    label: str
    unit: str
    period: str
    definition: str
    compute: Callable[..., object] | None
    topic: str
    dimensions: tuple[str, ...] = ("all",)
    short_label: str = ""
    documents: tuple[str, ...] = ()
    computed_outside: tuple[str, ...] = ()
    """Document code that computes the figure itself today, ``path.py:function``."""
    summary: str = ""
    """The definition as a reader outside the CS team needs it (a customer reading a QBR): one
    line that starts with the figure's name as documents print it; ``""`` when no such
    document defines the figure."""

    @property
    def compute_ref(self) -> str:
        """``module.function`` of :attr:`compute`; ``""`` when no ``cs_calc`` function computes it yet."""
        if self.compute is None:
            return ""
        return f"{self.compute.__module__}.{self.compute.__qualname__}"

    @property
    def display_label(self) -> str:
        """The label with its short form when that is not part of it, e.g. ``Net revenue retention (NRR)``."""
        if not self.short_label or self.short_label.lower() in self.label.lower():
            return self.label
        return f"{self.label} ({self.short_label})"


_RETENTION = "all segment region csm cohort tenure quarter"
"""The breakdowns of ``portfolio.csv`` retention figures."""


def _m(
    topic: str,
    metric_id: str,
    label: str,
    unit: str,
    period: str,
    compute: Callable[..., object] | None,
    *,
    text: str,
    docs: str,
    dims: str = "all",
    short: str = "",
    outside: str | tuple[str, ...] = (),
    summary: str = "",
) -> Metric:
    """One registry entry; ``dims`` and ``docs`` are space-separated keys."""
    return Metric(
        id=metric_id,
        label=label,
        unit=unit,
        period=period,
        definition=text,
        compute=compute,
        topic=topic,
        dimensions=tuple(dims.split()),
        short_label=short,
        documents=tuple(docs.split()),
        computed_outside=(outside,) if isinstance(outside, str) else outside,
        summary=summary,
    )


def _registry(*entries: Metric) -> Mapping[str, Metric]:
    by_id: dict[str, Metric] = {}
    for entry in entries:
        if entry.id in by_id:
            raise ValueError(f"metric id {entry.id!r} is registered twice")
        by_id[entry.id] = entry
    return MappingProxyType(by_id)


_REV, _CHURN, _COST, _HEALTH, _NPS, _QBR, _WEEK = TOPICS

_WEEK_OVER_WEEK: tuple[tuple[str, bool], ...] = (
    ("weekly_p0_tickets", True),
    ("weekly_tickets", True),
    ("median_first_response_hours", False),
    ("median_resolution_hours", False),
    ("weekly_active_users", True),
    ("weekly_logins", True),
    ("weekly_nps_responses", True),
    ("weekly_arr", True),
    ("weekly_mrr", True),
    ("weekly_new_customers", True),
    ("weekly_expansion_mrr", True),
    ("weekly_contraction_mrr", True),
    ("weekly_churned_mrr", True),
    ("weekly_churn_events", True),
    ("nrr_12m", False),
    ("grr_12m", False),
)
"""The weekly email's table KPIs whose change on the previous week it prints: (id, whether
the relative change is printed too, as it is for counts and money)."""


def _week_over_week(metrics: Mapping[str, Metric]) -> tuple[Metric, ...]:
    """``<id>_change`` (and ``<id>_change_pct``) for each KPI of :data:`_WEEK_OVER_WEEK`."""
    entries = []
    for base_id, relative in _WEEK_OVER_WEEK:
        base = metrics[base_id]
        points = " (fraction points, printed as percentage points)" if base.unit == "fraction" else ""
        entries.append(
            _m(
                _WEEK,
                f"{base_id}_change",
                f"{base.label}: change on the previous week",
                base.unit,
                "per_week",
                weekly.compute_weekly_kpis,
                docs="weekly_email",
                text=f"{base.label} − the same figure of the previous ISO week{points}; empty when either "
                "is empty.",
            )
        )
        if relative:
            entries.append(
                _m(
                    _WEEK,
                    f"{base_id}_change_pct",
                    f"{base.label}: relative change on the previous week",
                    "fraction",
                    "per_week",
                    weekly.compute_weekly_kpis,
                    docs="weekly_email",
                    text=f"{base.label}: (this week − the previous ISO week) ÷ the previous week; empty "
                    "when the previous week is 0 or empty.",
                )
            )
    return tuple(entries)


_QUARTER_OVER_QUARTER: tuple[str, ...] = (
    "arr_end",
    "nrr",
    "grr",
    "logo_churn",
    "recurring_revenue",
    "cs_cost",
    "retention_cost",
    "cost_to_retain",
    "allocated_cost_to_retain",
    "cost_per_retained_arr_dollar",
    "cs_roi",
)
"""The leadership documents' figures whose change on the previous quarter they print."""


def _quarter_over_quarter(metrics: Mapping[str, Metric]) -> tuple[Metric, ...]:
    """``<id>_qoq_change`` for each figure of :data:`_QUARTER_OVER_QUARTER`."""
    entries = []
    for base_id in _QUARTER_OVER_QUARTER:
        base = metrics[base_id]
        points = " (fraction points, printed as percentage points)" if base.unit == "fraction" else ""
        entries.append(
            _m(
                base.topic,
                f"{base_id}_qoq_change",
                f"{base.label}: change on the previous quarter",
                base.unit,
                "window",
                leadership.quarter_over_quarter,
                docs="board_report cost_to_retain",
                text=f"{base.label} of the window − the same figure of the calendar quarter before it{points}; "
                "empty when the window is not a calendar quarter or the quarter before has no figure.",
            )
        )
    return tuple(entries)


# fmt: off
METRICS: Mapping[str, Metric] = _registry(
    # ------------------------------------------------------------------ revenue and retention
    _m(_REV, "mrr_start", "MRR at start", "money_mrr", "window",
       retention.summarise_retention, dims=_RETENTION + " account",
       docs="metrics_csv board_report cost_to_retain qbr",
       text="Σ MRR in the month before the window (the opening balance), so that the movements of the "
            "window add up to MRR at end − MRR at start and consecutive quarters chain."),
    _m(_REV, "mrr_end", "MRR at end", "money_mrr", "window",
       retention.summarise_retention, dims=_RETENTION + " account", docs="metrics_csv board_report qbr",
       text="Σ MRR in the window's last month."),
    _m(_REV, "arr_end", "ARR at end", "money_arr", "window",
       retention.summarise_retention, dims="all quarter account",
       docs="metrics_csv board_report cost_to_retain qbr", short="ARR",
       text="MRR at end × 12.",
       summary="ARR: 12 × MRR in the last month of the period."),
    _m(_REV, "mrr_change", "MRR change over the window", "fraction", "window",
       account_facts.relative_change, dims="account", docs="qbr",
       text="MRR at end ÷ MRR at start − 1 of one account; empty when nothing was paid at start.",
       summary="MRR change: MRR in the last month of the period vs MRR in the month before it."),
    _m(_REV, "accounts_start", "Paying accounts at start", "count", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv board_report cost_to_retain",
       text="Accounts with MRR above 0 in the month before the window."),
    _m(_REV, "accounts_end", "Paying accounts at end", "count", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv board_report",
       text="Accounts with MRR above 0 in the window's last month."),
    _m(_REV, "accounts_retained", "Accounts retained", "count", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv",
       text="Accounts paying both at start and at end, whatever happened in between."),
    _m(_REV, "retained_mrr", "Retained MRR", "money_mrr", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv",
       text="MRR at end of the accounts paying at start (the numerator of NRR); a starting account that "
            "churned inside the window and came back counts 0 unless reactivations are counted in NRR "
            "(configs/metrics.yaml)."),
    _m(_REV, "new_mrr", "New MRR", "money_mrr", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv board_report",
       text="MRR of accounts going from 0 to above 0 that never paid before, summed month by month over "
            "the window."),
    _m(_REV, "expansion_mrr", "Expansion MRR", "money_mrr", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv board_report",
       text="Increases in MRR of accounts paying in both months, summed month by month over the window."),
    _m(_REV, "reactivation_mrr", "Reactivation MRR", "money_mrr", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv board_report",
       text="MRR of accounts going from 0 to above 0 that paid before (judged against the account's whole"
            " history), summed month by month over the window."),
    _m(_REV, "contraction_mrr", "Contraction MRR", "money_mrr", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv board_report churn_report",
       text="Decreases in MRR that stay above 0 (partial churn), a positive amount, summed month by month"
            " over the window."),
    _m(_REV, "churned_mrr", "Churned MRR", "money_mrr", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv board_report churn_report",
       text="MRR of accounts going from above 0 to 0 (full churn), a positive amount, summed month by "
            "month over the window. New + expansion + reactivation − contraction − churned = MRR at end −"
            " MRR at start, exactly."),
    _m(_REV, "nrr", "Net revenue retention", "fraction", "window",
       retention.summarise_retention, dims=_RETENTION,
       docs="metrics_csv board_report cost_to_retain", short="NRR",
       text="MRR at end of the accounts paying at start ÷ their MRR at start. Expansion, contraction and "
            "churn are in; new accounts are out; a starting account that churned inside the window and "
            "came back counts as churned unless reactivations are counted in NRR (a setting). Empty when nothing was "
            "paid at start."),
    _m(_REV, "grr", "Gross revenue retention", "fraction", "window",
       retention.summarise_retention, dims=_RETENTION,
       docs="metrics_csv board_report cost_to_retain", short="GRR",
       text="Σ min(MRR at end, MRR at start) over the accounts paying at start ÷ their MRR at start, with"
            " the reactivation rule of NRR; never above 1. Empty when nothing was paid at start."),
    _m(_REV, "logo_churn", "Logo churn rate", "fraction", "window",
       retention.summarise_retention, dims=_RETENTION,
       docs="metrics_csv board_report cost_to_retain churn_report", short="Logo churn",
       text="Accounts paying at start and not at end ÷ accounts paying at start. An account that "
            "cancelled and came back inside the window is not counted. Empty when no account paid at "
            "start."),
    _m(_REV, "logos_lost", "Accounts lost (paying at start, not at end)", "count", "window",
       retention.summarise_retention, dims=_RETENTION, docs="metrics_csv board_report",
       text="Accounts paying at start and not at end: accounts at start − accounts retained, the "
            "numerator of the logo churn rate. Compare accounts that cancelled in the period."),
    _m(_REV, "nrr_components", "NRR components", "money_mrr", "window",
       leadership.nrr_components, dims="component segment/component csm/component", docs="cost_to_retain",
       text="NRR split per starting account, start vs end of the window: renewed = min(start, end); "
            "expansion = end − start above start; contraction = start − end when end is above 0; churn = "
            "start when end is 0. Renewed + contraction + churn = MRR at start; renewed + expansion = "
            "retained MRR. Net changes per account, not the monthly movements of the MRR bridge."),
    _m(_REV, "nrr_12m", "NRR, trailing 12 months", "fraction", "trailing_12_months",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Net revenue retention over the 12 months ending with the month that contains the week's last"
            " day (MRR at start = the month before those 12), with the definition of NRR."),
    _m(_REV, "grr_12m", "GRR, trailing 12 months", "fraction", "trailing_12_months",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Gross revenue retention over the 12 months ending with the month that contains the week's "
            "last day, with the definition of GRR."),
    # ------------------------------------------------------------------ churn reasons
    _m(_CHURN, "lost_mrr", "Lost MRR by churn reason", "money_mrr", "window",
       churn.summarise_lost_mrr,
       dims="all reason churn_type avoidability segment region tenure competitor replaced_by quarter account",
       docs="board_report churn_report",
       text="Churn and contraction movements of the window, one row per movement, each attributed to one "
            "churn reason: the account's churn event nearest in time (within 45 days), its reason code or"
            " a keyword rule on its notes, else unclassified. Nothing is dropped, so reasons sum exactly "
            "to churned MRR + contraction MRR. Tenure here is judged at each movement's month."),
    _m(_CHURN, "lost_mrr_movements", "Lost-MRR movements", "count", "window",
       churn.summarise_lost_mrr, dims="all reason avoidability", docs="churn_report",
       text="Churn and contraction movements of the window behind lost MRR (one per account and month), "
            "per reason or avoidability and in total."),
    _m(_CHURN, "lost_mrr_qoq_change", "Lost MRR: change on the previous quarter", "money_mrr", "window",
       leadership_metrics.compute_churn_breakdowns, docs="churn_report",
       text="Lost MRR of the window's quarter − lost MRR of the quarter before it; empty with fewer than "
            "two quarters of history."),
    _m(_CHURN, "lost_arr", "Lost ARR by churn reason", "money_arr", "window",
       leadership_metrics.compute_churn_breakdowns, docs="churn_report",
       text="Lost MRR by churn reason × 12."),
    _m(_CHURN, "lost_mrr_share", "Share of lost MRR", "fraction", "window",
       churn_analysis.lost_by, dims="reason avoidability churn_type segment region tenure competitor replaced_by",
       docs="board_report churn_report",
       text="A group's lost MRR ÷ the window's lost MRR (e.g. the share of a reason, of avoidable reasons"
            " or of first-year accounts); the groups of one breakdown sum to 1. Empty when nothing was "
            "lost."),
    _m(_CHURN, "logos_churned_in_period", "Accounts cancelled", "count", "window",
       leadership_metrics.compute_churn_breakdowns,
       dims="all reason churn_type segment region tenure competitor replaced_by quarter",
       docs="board_report churn_report",
       text="Distinct accounts with a full churn (MRR going to 0) in the window, even if they paid again "
            "later in it. Compare logos lost (paying at start, not at end)."),
    # ------------------------------------------------------------------ cost to retain and coverage
    _m(_COST, "cost_to_retain", "Simple cost to retain", "fraction", "window",
       costs.compute_cost_to_retain, dims="all quarter",
       docs="metrics_csv board_report cost_to_retain", short="Cost to retain",
       text="CS cost in the window ÷ recurring revenue (Σ MRR over the window's months, all accounts); "
            "also CS cost as a share of revenue (commonly 5–15 %). Per segment, see CSM book cost to "
            "retain."),
    _m(_COST, "allocated_cost_to_retain", "Allocated cost to retain", "fraction", "window",
       costs.compute_cost_to_retain, dims="all quarter", docs="metrics_csv board_report cost_to_retain",
       text="Σ cost × its share allocated to retention over all functions in the window ÷ revenue retained (Σ MRR "
            "over the window's months of the accounts paying at start). A missing fraction counts as 1 "
            "for cs and 0 for other functions."),
    _m(_COST, "cost_per_retained_arr_dollar", "Cost per retained ARR dollar", "ratio", "window",
       costs.compute_cost_to_retain, dims="all quarter", docs="board_report cost_to_retain",
       text="Retention cost ÷ (retained MRR at end × 12)."),
    _m(_COST, "cs_roi", "CS return on retention cost", "ratio", "window",
       costs.compute_cost_to_retain, dims="all quarter", docs="board_report cost_to_retain", short="CS ROI",
       text="Revenue retained ÷ retention cost."),
    _m(_COST, "cs_cost", "CS cost", "money", "window",
       costs.compute_cost_to_retain, dims="all quarter", docs="board_report cost_to_retain",
       text="Costs of function cs whose period (quarter or month) lies inside the window."),
    _m(_COST, "retention_cost", "Retention cost", "money", "window",
       costs.compute_cost_to_retain, dims="all function quarter", docs="board_report cost_to_retain",
       text="Σ amount × allocated_to_retention of the costs inside the window, per function and in total."),
    _m(_COST, "cost_amount", "Cost by function", "money", "window",
       costs.compute_cost_to_retain, dims="all function", docs="cost_to_retain",
       text="Amount of the costs whose period lies inside the window, per function and in total."),
    _m(_COST, "cost_retention_share", "Share of a function's cost serving retention", "fraction", "window",
       costs.compute_cost_to_retain, dims="function", docs="cost_to_retain",
       text="A function's retention cost ÷ its cost in the window: the allocated_to_retention of its "
            "cost rows, weighted by amount (a missing one counts as 1 for cs and 0 for other functions)."),
    _m(_COST, "recurring_revenue", "Recurring revenue", "money", "window",
       costs.compute_cost_to_retain, dims="all segment quarter", docs="board_report cost_to_retain",
       text="Σ MRR over the window's months, all accounts; per segment (the CSM books' revenue, "
            "cs_calc.costs.csm_book_costs) the segment's accounts."),
    _m(_COST, "revenue_retained", "Revenue retained", "money", "window",
       costs.compute_cost_to_retain, dims="all quarter", docs="board_report cost_to_retain",
       text="Σ MRR over the window's months of the accounts paying at start."),
    _m(_COST, "csm_book_cost_to_retain", "CSM book cost to retain", "fraction", "window",
       costs.csm_book_costs, dims="segment", docs="cost_to_retain metrics_csv",
       text="CSMs' fully loaded cost for the window (annual cost × months ÷ 12), spread over segments by "
            "the recurring revenue of each CSM's book, ÷ the segment's recurring revenue."),
    _m(_COST, "csm_book_cost", "CSM cost by segment", "money", "window",
       costs.csm_book_costs, dims="segment", docs="cost_to_retain",
       text="CSMs' fully loaded cost for the window, spread over segments by the recurring revenue of "
            "each CSM's book."),
    _m(_COST, "csm_book_accounts", "Paying accounts in CSM books", "count", "as_of",
       costs.csm_coverage, dims="segment", docs="cost_to_retain",
       text="Accounts paying in the window's last month, per segment (the numerator of paying accounts "
            "per CSM)."),
    _m(_COST, "csm_count", "CSMs owning paying accounts", "count", "as_of",
       costs.csm_coverage, dims="segment", docs="cost_to_retain",
       text="Distinct CSMs owning an account paying in the window's last month, per segment; a CSM counts "
            "once in every segment where they own one."),
    _m(_COST, "coverage_target", "Target paying accounts per CSM", "ratio", "as_of",
       costs.csm_coverage, dims="segment", docs="cost_to_retain",
       text="The accounts per CSM set for the segment (its tier's target); empty without one."),
    _m(_COST, "accounts_per_csm", "Paying accounts per CSM", "ratio", "as_of",
       costs.csm_coverage, dims="segment", docs="cost_to_retain",
       text="Accounts paying in the window's last month ÷ distinct CSMs owning them, per segment; a CSM "
            "counts once in every segment where they own a paying account."),
    _m(_COST, "coverage_vs_target", "CSM coverage vs target", "ratio", "as_of",
       costs.csm_coverage, dims="segment", docs="cost_to_retain",
       text="Paying accounts per CSM ÷ the segment's target (accounts per CSM set for the segment); "
            "above 1 means stretched."),
    # ------------------------------------------------------------------ health and risk
    _m(_HEALTH, "health_score", "Health score", "score", "as_of",
       health.compute_health, dims="account", docs="board_report qbr weekly_email",
       text="Weighted mean of factor scores (weights set in the health configuration), each factor mapping its raw input to "
            "0–100 by linear interpolation; a factor without data is left out and its weight spread over "
            "the rest. Bands: red below 50, yellow below 75, green from 75. Drivers: the factors with the"
            " largest weight × distance from 50. Empty (band unknown) without any factor. Factors: "
            "usage trend (mean active users, last 90 days vs the 90 before), seat utilisation, login "
            "recency (days, at most 365), P0 and P1 tickets in 90 days, mean NPS score over 365 days, "
            "an active champion, days to renewal.",
       summary="Health score (internal): 0–100, a weighted mean of usage, seats, logins, tickets, NPS, "
            "champion and renewal scores; red below 50, yellow below 75, green from 75."),
    _m(_HEALTH, "health_factor_input", "Health score factor input", "factor", "as_of",
       health.health_inputs, dims="account factor", docs="qbr",
       text="The raw input of one factor of an account's health score, from data before the first day "
            "after the window, in the factor's unit: usage_trend, the change in mean active users (a "
            "fraction, last 90 days vs the 90 before); seat_utilisation, latest active users ÷ latest "
            "seats (a fraction); login_recency, days since the last day with logins (at most 365); "
            "support_p0p1, P0 and P1 tickets opened in the last 90 days; nps, the mean NPS score (0–10) "
            "over 365 days; champion_present, 1 with an active champion, else 0; renewal_proximity, days "
            "to renewal (0 when past). Documents print it in the score's drivers."),
    _m(_HEALTH, "health_trend_points", "Health score change over 3 months", "score_points", "as_of",
       health.compute_health, dims="account", docs="qbr",
       text="Health score now − the score 3 months earlier; within ±5 points the trend is stable, without"
            " an earlier score it is new."),
    _m(_HEALTH, "health_band_accounts", "Paying accounts per health band", "count", "as_of",
       leadership.health_distribution, dims="band", docs="board_report",
       text="Accounts paying in the window's last month, per health band (red, yellow, green, unknown)."),
    _m(_HEALTH, "health_band_arr", "ARR per health band", "money_arr", "as_of",
       leadership.health_distribution, dims="band", docs="board_report",
       text="ARR (MRR at end × 12) of the paying accounts in each health band."),
    _m(_HEALTH, "health_band_arr_share", "Share of ARR per health band", "fraction", "as_of",
       leadership.health_distribution, dims="band", docs="board_report",
       text="ARR of a band's paying accounts ÷ ARR of all paying accounts; empty when nothing is paid."),
    _m(_HEALTH, "health_band_moves", "Accounts moving between health bands", "count", "as_of",
       leadership.health_movement, dims="band", docs="board_report",
       text="Paying accounts by the band of their score 3 months earlier (under today's thresholds) × "
            "their band now, with totals."),
    _m(_HEALTH, "health_backtest", "Churn rate per health band, backtest", "fraction", "quarter",
       health.backtest_health, dims="band", docs="board_report",
       text="For each of the last 4 quarters: accounts paying before it, scored with data before it; "
            "churned when they pay nothing in its last month. Churned ÷ scored accounts per band, pooled "
            "over the quarters."),
    _m(_HEALTH, "health_backtest_accounts", "Accounts scored in the health backtest", "count", "quarter",
       health.backtest_health, dims="band", docs="board_report",
       text="For each of the backtest's quarters, the accounts paying before it, by the band of the score "
            "they had then; summed over the quarters (an account counts once per quarter)."),
    _m(_HEALTH, "health_backtest_churned", "Accounts churned in the health backtest", "count", "quarter",
       health.backtest_health, dims="band", docs="board_report",
       text="Of the accounts scored in the health backtest, those paying nothing in the quarter's last "
            "month, by band, summed over the quarters."),
    _m(_HEALTH, "health_backtest_auc", "Health score predictive power (AUC)", "fraction", "quarter",
       health.backtest_health, docs="board_report",
       text="Over the backtest's quarters, the probability that a churned account scored lower than a "
            "retained one (ties count half); 0.5 is chance, 1 perfect; empty without both outcomes."),
    _m(_HEALTH, "renewal_risk", "ARR renewing next quarter at risk", "money_arr", "as_of",
       leadership_metrics.compute_leadership_metrics, dims="all account", docs="board_report",
       text="ARR (MRR at end × 12) of the paying accounts whose renewal date falls in the quarter after "
            "the window and whose health band is red or yellow. Compare accounts with a risk alert in the"
            " weekly email."),
    _m(_HEALTH, "renewal_risk_accounts", "Renewals next quarter at risk", "count", "as_of",
       leadership_metrics.compute_leadership_metrics, docs="board_report",
       text="Paying accounts whose renewal date falls in the quarter after the window and whose health "
            "band is red or yellow."),
    _m(_HEALTH, "alerts", "Risk alerts", "count", "as_of",
       signals.detect_signals, dims="account signal", docs="qbr",
       text="Alerts of an account in the 90 days before the window's end: champion or power user left, "
            "usage drop (active users −25 % or worse), P0 ticket, detractor response, renewal within 105 "
            "days while not green."),
    _m(_HEALTH, "upsell_signals", "Upsell signals", "count", "as_of",
       signals.detect_signals, dims="account signal", docs="qbr",
       text="Upsell signals of an account: seat utilisation 90 % or more, active users +20 % or more, "
            "promoter response in the last 90 days."),
    _m(_HEALTH, "signal_value", "Value behind a risk alert or upsell signal", "signal", "as_of",
       signals.detect_signals, dims="account signal", docs="qbr weekly_email",
       text="The number behind one alert or upsell signal of an account, in the signal's own unit: "
            "champion_left and power_user_left, the contacts who left; usage_drop and usage_growth, the "
            "change in mean active users (a fraction, last 90 days vs the 90 before); p0_ticket, the P0 "
            "tickets opened in the last 90 days; detractor, the lowest score of the last 90 days (0–6); "
            "renewal_risk, the days to renewal; seats_full, the seat utilisation (a fraction); promoter, "
            "the highest score of the last 90 days (9–10)."),
    # ------------------------------------------------------------------ nps and comments
    _m(_NPS, "nps", "Net Promoter Score", "nps", "window",
       nps.compute_nps, dims="all segment region csm tenure tier quarter account",
       docs="metrics_csv board_report nps_digest qbr", short="NPS",
       text="% promoters (9–10) − % detractors (0–6) of the responses in the window, only each contact's "
            "latest response counting (responses without a contact each count); fewer than 30 responses "
            "is flagged low n. Empty without responses.",
       summary="NPS: % promoters (scores 9–10) − % detractors (0–6) of the period's survey responses, "
            "latest response per person."),
    _m(_NPS, "nps_responses", "NPS responses", "count", "window",
       nps.compute_nps, dims="all segment region csm tenure tier quarter account",
       docs="metrics_csv board_report nps_digest qbr",
       text="Responses counted for NPS in the window (latest per contact)."),
    _m(_NPS, "nps_12m", "NPS, trailing 12 months", "nps", "trailing_12_months",
       account_activity.nps_per_period, dims="account", docs="qbr",
       text="NPS of one account's responses in the 12 months ending with the window's last month, latest "
            "response per contact.",
       summary="NPS, last 12 months: the same, over the responses of the 12 months up to the period's "
            "end."),
    _m(_NPS, "nps_12m_responses", "NPS responses, trailing 12 months", "count", "trailing_12_months",
       account_activity.nps_per_period, dims="account", docs="qbr",
       text="Responses of one account counted for its trailing 12 months NPS (latest per contact)."),
    _m(_NPS, "promoter_share", "Promoter share", "fraction", "window",
       nps_digest.nps_breakdown, dims="all segment region csm tenure tier quarter", docs="nps_digest",
       text="Promoters (9–10) ÷ responses counted for NPS (latest per contact); with the passive and "
            "detractor shares it sums to 1."),
    _m(_NPS, "passive_share", "Passive share", "fraction", "window",
       nps_digest.nps_breakdown, dims="all segment region csm tenure tier quarter", docs="nps_digest",
       text="Passives (7–8) ÷ responses counted for NPS (latest per contact)."),
    _m(_NPS, "detractor_share", "Detractor share", "fraction", "window",
       nps_digest.nps_breakdown, dims="all segment region csm tenure tier quarter", docs="nps_digest",
       text="Detractors (0–6) ÷ responses counted for NPS (latest per contact)."),
    _m(_NPS, "nps_promoters", "Promoters", "count", "window",
       nps_digest.nps_by_quarters, dims="all quarter", docs="nps_digest",
       text="Responses counted for NPS (latest per contact) with a score of 9 or 10."),
    _m(_NPS, "nps_passives", "Passives", "count", "window",
       nps_digest.nps_by_quarters, dims="all quarter", docs="nps_digest",
       text="Responses counted for NPS (latest per contact) with a score of 7 or 8."),
    _m(_NPS, "nps_detractors", "Detractors", "count", "window",
       nps_digest.nps_by_quarters, dims="all quarter", docs="nps_digest",
       text="Responses counted for NPS (latest per contact) with a score from 0 to 6."),
    _m(_NPS, "nps_change", "NPS change since the previous quarter", "nps", "quarter",
       nps_digest_metrics.compute_nps_digest_metrics, docs="nps_digest board_report",
       text="NPS of the quarter − NPS of the quarter before, in NPS points; empty when either quarter has "
            "no responses. The mix and score effects split it exactly."),
    _m(_NPS, "nps_mix_effect", "NPS change from the response mix", "nps", "quarter",
       nps_digest.decompose_nps_change, dims="all segment region", docs="nps_digest",
       text="Per group (segment, or region in a one-segment digest): (its share of the responses now − "
            "before) × its NPS before (0 when it had no responses before); the total is the sum over "
            "groups."),
    _m(_NPS, "nps_score_effect", "NPS change from scores within groups", "nps", "quarter",
       nps_digest.decompose_nps_change, dims="all segment region", docs="nps_digest",
       text="Per group: its share of the responses now × (its NPS now − its NPS before); the total is the "
            "sum over groups."),
    _m(_NPS, "nps_change_contribution", "Contribution to the NPS change", "nps", "quarter",
       nps_digest.decompose_nps_change, dims="all segment region", docs="nps_digest",
       text="A group's mix effect + score effect; over all groups it sums to the change in NPS."),
    _m(_NPS, "response_rate", "NPS response rate", "fraction", "window",
       nps_digest.compute_response_rate, docs="nps_digest",
       text="Distinct contacts who answered in the window ÷ contacts of paying accounts who were "
            "reachable in it (status active, or left on or after its first day). Empty without such "
            "contacts."),
    _m(_NPS, "nps_responding_contacts", "Contacts who answered the survey", "count", "window",
       nps_digest.compute_response_rate, docs="nps_digest",
       text="Distinct reachable contacts with at least one response in the window (numerator of the "
            "response rate)."),
    _m(_NPS, "nps_reachable_contacts", "Contacts who could answer the survey", "count", "window",
       nps_digest.compute_response_rate, docs="nps_digest",
       text="Contacts of accounts paying in the window (MRR above 0 in one of its months) whose status is "
            "active or who left on or after its first day (denominator of the response rate)."),
    _m(_NPS, "detractor_accounts", "Accounts with a detractor response", "count", "window",
       nps_digest.mrr_of_detractors, docs="nps_digest",
       text="Distinct accounts with a detractor response (0–6) among the responses counted for NPS."),
    _m(_NPS, "detractor_mrr", "MRR of accounts with a detractor response", "money_mrr", "window",
       nps_digest.mrr_of_detractors, docs="nps_digest",
       text="MRR in the last month of the digest's quarter of the accounts with a detractor response (the "
            "quarter's own MRR, also when the run reports on another window)."),
    _m(_NPS, "nps_comments", "Responses with a comment", "count", "window",
       nps_digest_metrics.compute_nps_digest_metrics, docs="nps_digest",
       text="Responses in the window whose comment is not empty."),
    _m(_NPS, "theme_mentions", "Comments naming a theme", "count", "window",
       nps_digest.theme_table, dims="theme", docs="nps_digest",
       text="Responses in the window whose comment names the theme (keywords of configs/nps_themes.yaml "
            "or a hand override)."),
    _m(_NPS, "theme_share", "Share of comments naming a theme", "fraction", "window",
       nps_digest.theme_table, dims="theme quarter", docs="nps_digest",
       text="Responses with a comment naming the theme ÷ responses with a comment, per quarter."),
    _m(_NPS, "theme_share_change", "Change in the share of comments naming a theme", "fraction",
       "quarter", nps_digest.theme_table, dims="theme", docs="nps_digest",
       text="Share of comments naming the theme in the quarter − in the quarter before, printed in "
            "percentage points."),
    _m(_NPS, "theme_detractor_share", "Share of detractor comments naming a theme", "fraction", "window",
       nps_digest.theme_table, dims="theme quarter", docs="nps_digest",
       text="Detractor responses with a comment naming the theme ÷ detractor responses with a comment."),
    _m(_NPS, "theme_detractor_share_change", "Change in the share of detractor comments naming a theme",
       "fraction", "quarter", nps_digest.theme_table, dims="theme", docs="nps_digest",
       text="Share of detractor comments naming the theme in the quarter − in the quarter before, printed "
            "in percentage points."),
    _m(_NPS, "theme_passive_share", "Share of passive comments naming a theme", "fraction", "window",
       nps_digest.theme_table, dims="theme", docs="nps_digest",
       text="Passive responses with a comment naming the theme ÷ passive responses with a comment."),
    _m(_NPS, "theme_promoter_share", "Share of promoter comments naming a theme", "fraction", "window",
       nps_digest.theme_table, dims="theme", docs="nps_digest",
       text="Promoter responses with a comment naming the theme ÷ promoter responses with a comment."),
    _m(_NPS, "theme_detractor_accounts", "Detractor accounts naming a theme", "count", "window",
       nps_digest.theme_table, dims="theme", docs="nps_digest",
       text="Distinct accounts with a detractor whose comment names the theme."),
    _m(_NPS, "mrr_at_risk", "Detractor MRR naming a theme", "money_mrr", "window",
       nps_digest.theme_table, dims="theme", docs="nps_digest",
       text="MRR in the last month of the digest's quarter of the detractor accounts whose comments name "
            "the theme; an account counts once per theme."),
    _m(_NPS, "response_score", "Score of a quoted response", "answer", "window",
       nps_digest_metrics.quote_rows, dims="response", docs="nps_digest",
       text="The 0–10 answer given with a comment the digest quotes, as the survey recorded it."),
    _m(_NPS, "sentiment", "Comment sentiment", "sentiment", "window",
       sentiment.score_sentiment, dims="theme", docs="nps_digest",
       text="Tone of a comment from −1 (negative) to 1 (positive): for English a model trained on labelled "
            "public reviews and tweets, averaged with VADER for a comment of up to 300 characters; for "
            "Swedish and German a lexicon with VADER's rules; per theme the mean over its comments."),
    _m(_NPS, "sentiment_mismatches", "Scores that disagree with the comment", "count", "window",
       themes.flag_score_sentiment_mismatch, docs="nps_digest",
       text="Promoters with a clearly negative comment plus detractors with a clearly positive one; a "
            "comment with a clause that pulls the other way is mixed and not counted."),
    _m(_NPS, "emerging_topics", "Emerging topics", "count", "window",
       nps_digest.find_emerging_topics, docs="nps_digest",
       text="Topics outside the taxonomy that are new this quarter or grew against the previous "
            "quarter (see the share of comments on an emerging topic)."),
    _m(_NPS, "emerging_topic_comments", "Comments on an emerging topic", "count", "window",
       nps_digest.find_emerging_topics, dims="topic", docs="nps_digest",
       text="Comments of the window whose strongest topic is the emerging topic."),
    _m(_NPS, "emerging_topic_share", "Share of comments on an emerging topic", "fraction", "window",
       nps_digest.find_emerging_topics, dims="topic quarter", docs="nps_digest",
       text="Comments whose strongest topic (TF-IDF and NMF over the comments without stopwords and "
            "taxonomy words) is the topic ÷ comments; new when it was at most 1 % in the previous quarter "
            "and in the four quarters before that (printed under that window's label) and grew 1.5× or "
            "more, else growing when it grew 1.5× or more against the previous quarter; a topic whose "
            "share fell or grew less is not listed. Named by the phrase its comments use most."),
    _m(_NPS, "feature_requests", "Feature request comments", "count", "window",
       nps_analysis.rank_feature_requests, dims="product_area", docs="nps_digest",
       text="Comments asking for a feature, per product area (else per theme, else general)."),
    _m(_NPS, "feature_request_accounts", "Accounts asking for a feature", "count", "window",
       nps_analysis.rank_feature_requests, dims="product_area", docs="nps_digest",
       text="Distinct accounts with a feature request comment, per product area."),
    _m(_NPS, "feature_request_mrr", "MRR of accounts asking for a feature", "money_mrr", "window",
       nps_analysis.rank_feature_requests, dims="product_area", docs="nps_digest",
       text="Σ MRR in the last month of the digest's quarter of the distinct accounts asking, per product "
            "area."),
    _m(_NPS, "feature_request_weight", "Feature request revenue weight", "weight", "window",
       nps_analysis.rank_feature_requests, dims="product_area", docs="nps_digest",
       text="Σ over the distinct accounts asking of MRR × urgency (2 when renewal is 180 days away or "
            "less) × (1 + (100 − health score) ÷ 100); for ranking only."),
    _m(_NPS, "recent_theme_mentions", "Recent comments naming a theme", "count", "as_of",
       account_activity.top_themes, dims="account theme", docs="qbr",
       text="An account's comments of the last verbatim_days days (configs/qbr.yaml) naming the theme, "
            "with their prevailing tone."),
    # ------------------------------------------------------------------ account activity (qbr)
    _m(_QBR, "active_users", "Active users", "count", "window",
       account_facts.window_average, dims="account month", docs="qbr",
       text="Mean of an account's active_users rows per month; for the window, the mean of its months "
            "with data.",
       summary="Active users: the weekly active-user counts averaged per month, then over the period's "
            "months."),
    _m(_QBR, "active_users_change", "Active users change vs the previous window", "fraction", "window",
       account_facts.relative_change, dims="account", docs="qbr",
       text="Active users of the window ÷ active users of the window of the same length before it − 1; "
            "empty when either is empty or the earlier one is 0."),
    _m(_QBR, "key_feature_events", "Key feature events", "count", "window",
       account_facts.window_average, dims="account month", docs="qbr",
       text="Sum of an account's key_feature_events rows per month and over the window's months."),
    _m(_QBR, "key_feature_events_change", "Key feature events change vs the previous window", "fraction",
       "window", account_facts.relative_change, dims="account", docs="qbr",
       text="Key feature events of the window ÷ those of the window of the same length before it − 1; "
            "empty when either is empty or the earlier one is 0."),
    _m(_QBR, "seat_utilisation", "Seat utilisation", "fraction", "as_of",
       health.health_inputs, dims="account", docs="qbr",
       text="Latest active users ÷ latest seats purchased of an account, from rows before the first day "
            "after the window (the health score's input); empty without seats.",
       summary="Seat utilisation: the latest active users ÷ the seats purchased."),
    _m(_QBR, "latest_active_users", "Active users counted for seat utilisation", "count", "as_of",
       health.health_inputs, dims="account", docs="qbr",
       text="The latest active_users row of an account before the first day after the window: the "
            "numerator of seat utilisation; empty without one."),
    _m(_QBR, "latest_seats", "Seats purchased", "count", "as_of",
       health.health_inputs, dims="account", docs="qbr",
       text="The latest seats_purchased row of an account before the first day after the window: the "
            "denominator of seat utilisation; empty without one."),
    _m(_QBR, "days_to_renewal", "Days to renewal", "days", "as_of",
       account_facts.days_to_renewal, dims="account", docs="qbr",
       text="Renewal date − the first day after the window, in whole days; negative when overdue, empty "
            "without a renewal date."),
    _m(_QBR, "tickets", "Tickets opened", "count", "window",
       account_activity.ticket_stats_of, dims="account month priority", docs="qbr",
       text="Tickets of an account created from the window's first day up to its end, and per month and "
            "priority for the support chart."),
    _m(_QBR, "p0_tickets", "P0 tickets opened", "count", "window",
       account_activity.ticket_stats_of, dims="account", docs="qbr",
       text="Tickets of priority P0 of an account created in the window."),
    _m(_QBR, "median_hours_to_resolve", "Median time to resolve", "hours", "window",
       account_activity.ticket_stats_of, dims="account", docs="qbr",
       text="Median of resolved_at − created_at over an account's tickets created in the window and "
            "resolved; empty when none is resolved.",
       summary="Time to resolve: median time from a ticket's creation to its resolution, over the "
            "period's resolved tickets."),
    _m(_QBR, "csat", "Average CSAT", "csat", "window",
       account_activity.ticket_stats_of, dims="account", docs="qbr",
       text="Mean csat (1–5) of an account's tickets created in the window that have one.",
       summary="CSAT: the average rating (1–5) of the period's rated tickets."),
    _m(_QBR, "csat_responses", "CSAT ratings", "count", "window",
       account_activity.ticket_stats_of, dims="account", docs="qbr",
       text="An account's tickets created in the window with a csat rating."),
    _m(_QBR, "goals_due", "Goals due in the window", "count", "window",
       account_facts.goals_due, dims="account", docs="qbr",
       text="Success-plan objectives of an account due from the window's first day to its end."),
    _m(_QBR, "goals_met", "Goals met", "count", "window",
       account_facts.goals_met, dims="account", docs="qbr",
       text="Goals due in the window whose status is achieved."),
    _m(_QBR, "plans_open", "Open objectives", "count", "as_of",
       account_facts.open_objectives, dims="account", docs="qbr",
       text="Success-plan objectives of an account due after the window or without a due date."),
    _m(_QBR, "plans_behind", "Open objectives behind plan", "count", "as_of",
       account_facts.plans_behind, dims="account", docs="qbr",
       text="Open objectives whose status is not on_track or achieved (at risk, off track or unknown)."),
    _m(_QBR, "plans_on_track", "Open objectives on track", "count", "as_of",
       account_facts.plans_on_track, dims="account", docs="qbr",
       text="Success-plan objectives due after the window (or without a due date) whose status is "
            "on_track or achieved."),
    _m(_QBR, "value_delivered", "Success-plan KPI change vs baseline", "fraction", "as_of",
       account_facts.value_delivered, dims="account objective", docs="qbr",
       text="current ÷ baseline − 1 of a success-plan KPI whose objective is achieved or on track; empty "
            "without both values or with a baseline of 0."),
    _m(_QBR, "value_delivered_points", "Success-plan KPI change vs baseline, in points", "fraction",
       "as_of", account_facts.value_delivered_points, dims="account objective", docs="qbr",
       text="(current − baseline) ÷ 100 of a success-plan KPI kept in percent (its name has “%”) whose "
            "objective is achieved or on track, in fraction points, printed as percentage points; the "
            "QBR prints it instead of the relative change for such KPIs."),
    _m(_QBR, "plan_baseline", "Success-plan KPI baseline", "plan_kpi", "as_of",
       account_facts.plan_rows, dims="account objective", docs="qbr",
       text="The baseline of a success-plan objective's KPI as the success_plans table records it, in "
            "the KPI's own unit."),
    _m(_QBR, "plan_target", "Success-plan KPI target", "plan_kpi", "as_of",
       account_facts.plan_rows, dims="account objective", docs="qbr",
       text="The target of a success-plan objective's KPI as the success_plans table records it, in the "
            "KPI's own unit."),
    _m(_QBR, "plan_current", "Success-plan KPI value now", "plan_kpi", "as_of",
       account_facts.plan_rows, dims="account objective", docs="qbr",
       text="The latest value of a success-plan objective's KPI as the success_plans table records it, "
            "in the KPI's own unit (the result of a goal due in the window)."),
    # ------------------------------------------------------------------ weekly email
    _m(_WEEK, "weekly_mrr", "MRR of the week's month", "money_mrr", "per_week",
       weekly.compute_weekly_kpis, dims="all account", docs="weekly_email",
       text="Σ MRR of the calendar month containing the week's last day (MRR is monthly), so it changes "
            "week over week only when the two weeks end in different months; per account in the at-risk "
            "and renewals tables."),
    _m(_WEEK, "weekly_arr", "ARR of the week's month", "money_arr", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="MRR of the week's month × 12."),
    _m(_WEEK, "weekly_paying_accounts", "Paying accounts in the week's month", "count", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Accounts with MRR above 0 in the month containing the week's last day."),
    _m(_WEEK, "weekly_new_customers", "New customers this week", "count", "per_week",
       weekly.compute_weekly_kpis, dims="all segment", docs="weekly_email",
       text="Accounts whose start_date falls in the week, per segment and in total."),
    _m(_WEEK, "weekly_new_mrr", "New MRR this week", "money_mrr", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="New MRR movements whose month's first day falls in the week; 0 in weeks without a first of "
            "the month."),
    _m(_WEEK, "weekly_expansion_mrr", "Expansion MRR this week", "money_mrr", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Expansion MRR movements whose month's first day falls in the week."),
    _m(_WEEK, "weekly_contraction_mrr", "Contraction MRR this week", "money_mrr", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Contraction MRR movements (a positive amount) whose month's first day falls in the week."),
    _m(_WEEK, "weekly_churned_mrr", "Churned MRR this week", "money_mrr", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Churn MRR movements (a positive amount) whose month's first day falls in the week."),
    _m(_WEEK, "weekly_churn_events", "Churn events effective this week", "count", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Rows of churn_events whose effective_date falls in the week."),
    _m(_WEEK, "weekly_churn_events_lost_mrr", "MRR lost in churn events effective this week", "money_mrr", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Σ lost_mrr as recorded on the churn events effective in the week (not the MRR movements)."),
    _m(_WEEK, "month_mrr_movements", "MRR movements of the week's month", "money_mrr", "per_week",
       weekly.compute_weekly_kpis, dims="movement", docs="weekly_email",
       text="New, expansion, reactivation, contraction and churned MRR of the whole month containing the "
            "week's last day, and net new MRR = new + expansion + reactivation − contraction − churned."),
    _m(_WEEK, "weekly_tickets", "Tickets opened this week", "count", "per_week",
       weekly.compute_weekly_kpis, dims="all week", docs="weekly_email",
       text="Tickets whose created_at falls in the week, all priorities; per week for the trend chart."),
    _m(_WEEK, "weekly_p0_tickets", "P0 tickets opened this week", "count", "per_week",
       weekly.compute_weekly_kpis, dims="all week", docs="weekly_email",
       text="Tickets of priority P0 created in the week; per week for the trend chart."),
    _m(_WEEK, "median_first_response_hours", "Median first response this week", "hours", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Median of first_response_at − created_at over the tickets created in the week that have a "
            "response; empty when none."),
    _m(_WEEK, "median_resolution_hours", "Median resolution time this week", "hours", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Median of resolved_at − created_at over the tickets resolved in the week; empty when none."),
    _m(_WEEK, "weekly_active_users", "Active users this week", "count", "per_week",
       weekly.compute_weekly_kpis, dims="all week", docs="weekly_email",
       text="Σ over accounts of the mean of their active_users rows dated in the week; empty when the "
            "usage table has no row in it."),
    _m(_WEEK, "weekly_logins", "Logins this week", "count", "per_week",
       weekly.compute_weekly_kpis, dims="all week", docs="weekly_email",
       text="Σ of the logins rows dated in the week; empty when the usage table has no row in it."),
    _m(_WEEK, "weekly_nps", "NPS of this week's responses", "nps", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="NPS of the responses dated in the week, latest per contact; empty without responses."),
    _m(_WEEK, "weekly_nps_responses", "NPS responses this week", "count", "per_week",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="Responses dated in the week counted for NPS (latest per contact)."),
    _m(_WEEK, "renewals_due", "Renewals due in the renewal window", "count", "as_of",
       weekly.compute_weekly_kpis, dims="all band", docs="weekly_email",
       text="Accounts paying in the week's month whose renewal date is after the week's last day and at "
            "most renewal_days (105) days after it, per health band and in total."),
    _m(_WEEK, "renewals_due_mrr", "MRR of renewals due in the renewal window", "money_mrr", "as_of",
       weekly.compute_weekly_kpis, dims="all band", docs="weekly_email",
       text="MRR in the week's month of the renewals due, per health band and in total."),
    _m(_WEEK, "weekly_days_to_renewal", "Days to renewal after the week", "days", "as_of",
       weekly.compute_weekly_kpis, dims="account", docs="weekly_email",
       text="Renewal date − the week's last day (Sunday), in whole days, of an account listed as at risk "
            "or renewing; negative when the date has passed. Compare days to renewal in the QBR, counted "
            "from the first day after its window."),
    _m(_WEEK, "at_risk_accounts", "Accounts at risk", "count", "as_of",
       weekly.compute_weekly_kpis, dims="all account", docs="weekly_email",
       text="Accounts paying in the week's month that are red; or yellow (or without a health score) "
            "with at least one alert dated on or before the week's last day (undated alerts count); or "
            "green with a champion left, power user left or usage drop alert. Whatever their renewal "
            "date. Compare renewal risk in the board report."),
    _m(_WEEK, "at_risk_mrr", "MRR at risk", "money_mrr", "as_of",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="MRR in the week's month of every account at risk, not only those listed."),
    _m(_WEEK, "at_risk_mrr_share", "Share of MRR at risk", "fraction", "as_of",
       weekly.compute_weekly_kpis, docs="weekly_email",
       text="MRR of the accounts at risk ÷ MRR of the week's month; empty when that is 0."),
    _m(_WEEK, "at_risk_mrr_change_3m", "MRR change over 3 months of an account at risk", "money_mrr",
       "as_of", weekly.compute_weekly_kpis, dims="account", docs="weekly_email",
       text="An at-risk account's MRR in the week's month − its MRR three months before (0 when it did "
            "not pay then); printed as 'MRR down …' when negative, otherwise not shown."),
    _m(_WEEK, "weekly_target_min", "At-least target of a weekly KPI", "kpi", "per_week",
       weekly.compute_weekly_kpis, dims="kpi", docs="weekly_email",
       text="The minimum a KPI should reach, from the targets of the email configuration (min), in the "
            "KPI's unit (rates as fractions, times in hours)."),
    _m(_WEEK, "weekly_target_max", "At-most target of a weekly KPI", "kpi", "per_week",
       weekly.compute_weekly_kpis, dims="kpi", docs="weekly_email",
       text="The maximum a KPI should stay under, from the targets of the email configuration (max), in "
            "the KPI's unit."),
    _m(_WEEK, "weekly_target_gap", "Distance of a weekly KPI from its target", "kpi", "per_week",
       weekly.compute_weekly_kpis, dims="kpi", docs="weekly_email",
       text="The week's value − the bound it misses (or, when met, the minimum, else the maximum), in the "
            "KPI's unit (rates in fraction points, printed as percentage points); printed when missed."),
)
# fmt: on
METRICS = _registry(*METRICS.values(), *_week_over_week(METRICS), *_quarter_over_quarter(METRICS))
"""Every figure a document shows, by id, in glossary order."""

ALIASES: Mapping[str, str] = MappingProxyType({"lost_logos": "logos_churned_in_period"})
"""Names documents still use → the registry id (to be replaced by the id in the documents)."""


def metric(metric_id: str) -> Metric:
    """The registered :class:`Metric` of ``metric_id`` (or of an :data:`ALIASES` name).

    Raises KeyError naming the closest ids.

    >>> metric("lost_logos").id
    'logos_churned_in_period'
    >>> metric("nrr_12").label
    Traceback (most recent call last):
    ...
    KeyError: "unknown metric 'nrr_12'; did you mean 'nrr_12m', 'grr_12m', 'nrr'?"
    """
    found = METRICS.get(ALIASES.get(metric_id, metric_id))
    if found is not None:
        return found
    close = difflib.get_close_matches(metric_id, [*METRICS, *ALIASES], n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else f" (known: {len(METRICS)} ids)"
    raise KeyError(f"unknown metric {metric_id!r}{hint}")


def metrics_of(document: str) -> tuple[Metric, ...]:
    """The metrics ``document`` (a key of :data:`DOCUMENTS`) shows, in glossary order.

    >>> [m.id for m in metrics_of("churn_report")][:3]
    ['contraction_mrr', 'churned_mrr', 'logo_churn']
    """
    if document not in DOCUMENTS:
        raise KeyError(f"unknown document {document!r} (known: {', '.join(DOCUMENTS)})")
    return tuple(m for m in METRICS.values() if document in m.documents)


def computed_outside_cs_calc() -> tuple[Metric, ...]:
    """The metrics some document still computes itself, in glossary order."""
    return tuple(m for m in METRICS.values() if m.computed_outside)


# --------------------------------------------------------------------------- glossary


GLOSSARY_START = "<!-- glossary:start -->"
GLOSSARY_END = "<!-- glossary:end -->"

_PREAMBLE = """\
Definitions version **`{version}`**, written into every
output (CSV column `definitions_version`, `manifest.json`, each document's provenance block).
Rates are fractions (1.05 = 105 %); money is in the reporting currency. "Computed by" names the
one `cs_calc` function behind each figure, and any document code that still computes it itself.
Every document's definitions appendix prints these entries (the QBR deck a one-line summary
written for customers); their translations are in `reports/locale/<locale>/LC_MESSAGES/csreports.po`,
brought up to date with `python -m reports.documents.translations`.

**Window.** A period is a closed range of months `[start, end]` (e.g. `--quarter 2026-Q3` =
July–September). Movements are counted in every month of the window. *MRR at start* is the
opening balance: the MRR of the month **before** `start` (June for Q3), so that movements in
the window add up to MRR at end − MRR at start, and consecutive quarters chain.

**Periods.** *window*: the document's window; *quarter*: each calendar quarter as its own
window (trends); *trailing 12 months*: the 12 months ending with the latest month; *as of*: a
point in time, the first day after the window (or the week's last day for the weekly email);
*week*: the weekly email's ISO week, Monday to Sunday. A label names its period when it is not
the document's own.

**Breakdowns** (`portfolio.csv` column `dimension`): `all`, `segment`, `region`, `csm` (book of
business), `cohort` (quarter of `start_date`), `tenure` (`first_year` if the account started
less than 12 months before the window's opening month, else `tenured`), `quarter` (each
calendar quarter inside the window, as its own window).

Switch in `configs/metrics.yaml`: `count_reactivation_in_nrr: true` counts the end MRR of a
starting account that churned and came back inside the window in NRR and GRR, as some vendors
publish it. Default `false`."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def glossary_markdown(metrics: Iterable[Metric] | None = None, *, version: str = DEFINITIONS_VERSION) -> str:
    """The glossary as Markdown: a preamble, then one table per topic.

    Columns: metric (label and id), unit, period, breakdowns, definition,
    computed by (``module.function``, or the document code that computes it
    until it moves into ``cs_calc``). Deterministic: the same registry gives
    the same text.

    >>> text = glossary_markdown([metric("grr")])
    >>> "| Gross revenue retention (GRR)<br>`grr` | fraction | the document's window |" in text
    True
    >>> text.count("### ")
    1
    """
    chosen = list(METRICS.values() if metrics is None else metrics)
    parts = [_PREAMBLE.format(version=version)]
    for topic in TOPICS:
        rows = [m for m in chosen if m.topic == topic]
        if not rows:
            continue
        parts.append(f"### {topic}")
        lines = [
            "| metric | unit | period | breakdowns | definition | computed by |",
            "|---|---|---|---|---|---|",
        ]
        for m in rows:
            places = ", ".join(f"`{place}`" for place in m.computed_outside)
            if m.compute is None:
                by = f"not yet in `cs_calc`; today {places}"
            else:
                by = f"`{m.compute_ref}`" + (f"; today also {places}" if places else "")
            cells = (
                f"{m.display_label}<br>`{m.id}`",
                UNITS[m.unit],
                PERIODS[m.period],
                ", ".join(m.dimensions),
                m.definition,
                by,
            )
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        parts.append("\n".join(lines))
    if ALIASES:
        names = ", ".join(f"`{old}` → `{new}`" for old, new in ALIASES.items())
        parts.append(f"Older names still accepted: {names}.")
    return "\n\n".join(parts) + "\n"


def replace_glossary_block(readme: str, glossary: str | None = None) -> str:
    """``readme`` with the text between :data:`GLOSSARY_START` and :data:`GLOSSARY_END` replaced.

    Raises ValueError when the markers are missing or out of order.

    >>> replace_glossary_block("a\\n<!-- glossary:start -->\\nold\\n<!-- glossary:end -->\\nb", "new\\n")
    'a\\n<!-- glossary:start -->\\nnew\\n<!-- glossary:end -->\\nb'
    """
    start, end = readme.find(GLOSSARY_START), readme.find(GLOSSARY_END)
    if start < 0 or end < start:
        raise ValueError(f"the text has no {GLOSSARY_START} … {GLOSSARY_END} block")
    body = glossary_markdown() if glossary is None else glossary
    head = readme[: start + len(GLOSSARY_START)]
    return f"{head}\n{body}{readme[end:]}"


def glossary_block(readme: str) -> str:
    """The text between the glossary markers of ``readme`` (without the newline after the start marker)."""
    start, end = readme.find(GLOSSARY_START), readme.find(GLOSSARY_END)
    if start < 0 or end < start:
        raise ValueError(f"the text has no {GLOSSARY_START} … {GLOSSARY_END} block")
    return readme[start + len(GLOSSARY_START) : end].removeprefix("\n")


def check_registry(metrics: Mapping[str, Metric] = METRICS) -> list[str]:
    """Every problem of the registry in one list (empty when sound): ids, labels, units, periods,
    breakdowns, topics, documents and compute references.

    >>> check_registry()
    []
    """
    problems = []
    labels: dict[str, str] = {}
    for key, m in metrics.items():
        where = f"metric {key!r}"
        if key != m.id or not _ID_RE.match(m.id):
            problems.append(f"{where}: id must be snake_case and equal its key")
        for label in {m.label, m.short_label} - {""}:
            if label in labels and labels[label] != m.id:
                problems.append(f"{where}: label {label!r} is also the label of {labels[label]!r}")
            labels[label] = m.id
        if "_" in m.label or not m.label[:1].isupper():
            problems.append(f"{where}: label {m.label!r} must be words starting with a capital")
        if m.unit not in UNITS:
            problems.append(f"{where}: unit {m.unit!r} is not one of {', '.join(UNITS)}")
        if m.period not in PERIODS:
            problems.append(f"{where}: period {m.period!r} is not one of {', '.join(PERIODS)}")
        if m.topic not in TOPICS:
            problems.append(f"{where}: topic {m.topic!r} is not one of {', '.join(TOPICS)}")
        problems += [f"{where}: unknown breakdown {d!r}" for d in m.dimensions if d not in DIMENSIONS]
        problems += [f"{where}: unknown document {d!r}" for d in m.documents if d not in DOCUMENTS]
        if not m.definition.strip() or not m.documents:
            problems.append(f"{where}: needs a definition and the documents that show it")
        if m.compute is None and not m.computed_outside:
            problems.append(f"{where}: without a cs_calc function it must say where it is computed today")
        if m.compute is not None and not (
            callable(m.compute)
            and m.compute.__module__.startswith("cs_calc.")
            and "." not in m.compute.__qualname__
        ):
            problems.append(f"{where}: compute must be a module-level function of cs_calc")
    problems += [f"alias {a!r} shadows a metric id" for a in ALIASES if a in metrics]
    problems += [f"alias {a!r} points at unknown {t!r}" for a, t in ALIASES.items() if t not in metrics]
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cs_calc.definitions --markdown`` prints the glossary; ``--update-readme PATH``
    rewrites the marked block of that Markdown file."""
    parser = argparse.ArgumentParser(prog="python -m cs_calc.definitions", description=main.__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--markdown", action="store_true", help="print the glossary as Markdown")
    group.add_argument("--update-readme", metavar="PATH", type=Path, help="rewrite the glossary block")
    args = parser.parse_args(argv)
    if args.markdown:
        sys.stdout.write(glossary_markdown())
        return 0
    path: Path = args.update_readme
    before = path.read_text(encoding="utf-8")
    after = replace_glossary_block(before)
    if after != before:
        path.write_text(after, encoding="utf-8")
    print(f"{path}: glossary {'updated' if after != before else 'already up to date'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
