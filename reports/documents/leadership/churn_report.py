"""Churn-reason report: lost MRR and logos by reason, segment, region, tenure and quarter.

:func:`build_churn_report_context` arranges ``run.metrics.lost_mrr`` (one row
per churn or contraction movement, already attributed to a reason by
:mod:`cs_calc.churn`) with the breakdowns of :mod:`cs_calc.churn_analysis`;
:func:`render_churn_report` turns it into PDF bytes with
``templates/churn/report.html``.

Every number it prints is in :attr:`ChurnReportContext.figures`. Besides the
registry's breakdowns, a listed movement's lost MRR is keyed by its account
(``dimension="account"``) with the movement's month as its period
(``2026-09``); the reason × segment table by ``reason/segment`` and
``<reason>/<segment>``; what a list leaves out by ``<reason>, not listed`` (or
``vague, not listed``); the summary's remainder row by ``other reasons``.
"""

# ruff: noqa: RUF009  (described() wraps dataclasses.field with a help text)
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from reports.documents.leadership.common import (
    Chart,
    FigureColumns,
    FigureRecorder,
    Kpi,
    described,
    document_stem,
    make_chart,
    portfolio_value,
    quarter_name,
    reason_labels_in,
    render_document,
    report_date,
    text,
    toc,
)
from reports.documents.leadership.provenance import Definition, build_provenance
from reports.output.figures import Figure
from reports.render.catalogue import N_, NP_, translations
from reports.render.charts import BarChartSpec
from reports.render.locales import check_locale
from reports.render.pdf import TocEntry

if TYPE_CHECKING:
    from reports.pipeline import RunContext

TOP_REASONS_FOR_VERBATIMS = 3
REASON_FIGURES: FigureColumns = (
    ("lost_mrr", "lost_mrr", "money"),
    ("share", "lost_mrr_share", "pct"),
    ("lost_logos", "logos_churned_in_period", "number"),
)
"""Column of a reasons row, the registry id of its figure, and how it is printed."""
SUMMARY_REASONS = 6
"""Reasons listed one per row in the summary table; the rest are summed as one row."""
TOP_REASONS_IN_TREND = 3
APPENDIX_ROWS_PER_REASON = 25
"""Movements listed per reason in the appendix, largest first; all of them go to the CSV."""
VAGUE_LISTED = 25
"""Movements named in the "needs a real reason" callout, largest first."""

LABELS: dict[str, str] = {
    "title": N_("Churn-reason report"),
    "summary": N_("Summary"),
    "reasons": N_("Lost MRR by reason"),
    "breakdowns": N_("By segment, region and tenure"),
    "trend": N_("Trend"),
    "competitors": N_("Competitors and replacements"),
    "verbatims": N_("Verbatims"),
    "accounts": N_("Accounts behind the numbers"),
    "definitions": N_("Definitions"),
    "lost_mrr": N_("Lost MRR"),
    "lost_logos": N_("Accounts cancelled"),
    "lost_arr": N_("Lost ARR (MRR × 12)"),
    "avoidable": N_("Avoidable"),
    "unavoidable": N_("Unavoidable"),
    "vague": N_("Needs a real reason"),
    "full": N_("Full churn"),
    "partial": N_("Partial churn (contraction)"),
    "full_short": N_("Full"),
    "partial_short": N_("Partial"),
    "first_year": N_("First year"),
    "tenured": N_("Tenured"),
    "none": N_("None named"),
    "other": N_("Other reasons"),
    "share_of_lost": N_("of lost MRR"),
    "prev": N_("vs previous quarter"),
    "reason": N_("Reason"),
    "share": N_("Share"),
    "total": N_("Total"),
    "moves": N_("Movements"),
    "flags": N_("Flags"),
    "account": NP_("customer", "Account"),
    "month": N_("Month"),
    "type": N_("Type"),
    "segment": N_("Segment"),
    "region": N_("Region"),
    "tenure": N_("Tenure"),
    "quarter": N_("Quarter"),
    "competitor": N_("Competitor"),
    "replaced": N_("Replaced by"),
    "lost_mrr_per_quarter": N_("Lost MRR per quarter"),
}
"""Label key -> its English words; :func:`churn_labels` gives them in a locale."""

_CONTEXTS = {"account": "customer"}
"""The ``msgctxt`` of labels marked ``NP_`` (the Swedish report says 'Kund', the email 'Konto')."""


def churn_labels(locale: str) -> dict[str, str]:
    """The report's fixed words in ``locale`` (English where the catalogue has no translation)."""
    words = translations(locale)
    return {
        key: words.pgettext(_CONTEXTS[key], message) if key in _CONTEXTS else words.gettext(message)
        for key, message in LABELS.items()
    }


METRICS = ("lost_mrr", "lost_logos", "churned_mrr", "contraction_mrr", "logo_churn")


@dataclasses.dataclass(frozen=True)
class VerbatimPage:
    """The notes behind one of the top reasons."""

    reason_label: str
    lost_mrr: float
    rows: list[dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class AppendixGroup:
    """The movements behind one reason's total: the largest ones, and what is left out."""

    reason_label: str
    lost_mrr: float
    movements: int
    #: The reason's code (its group in the manifest's figures).
    reason: str
    #: At most :data:`APPENDIX_ROWS_PER_REASON` movements, largest first.
    rows: list[dict[str, Any]]
    #: Movements (and their lost MRR) not listed in the PDF; they are in the CSV.
    more: int
    more_mrr: float


@dataclasses.dataclass(frozen=True)
class ChurnReportContext:
    """Everything ``templates/churn/report.html`` prints; numbers raw, text cleaned."""

    locale: str = described("Babel locale of the document, en or sv.")
    currency: str = described("Reporting currency (ISO 4217) of every amount.")
    period: str = described("Window label, e.g. 2026-Q3 or 2026-01..2026-06.")
    period_name: str = described("Window as printed, e.g. 'Q3 2026'.")
    T: dict[str, str] = described("Labels in the document's language.")
    kpis: list[Kpi] = described("Summary tiles: lost MRR, lost logos, avoidable and vague shares.")
    narrative: list[str] = described("Sentences written from the numbers, in the document's language.")
    total_lost_mrr: float = described("lost_mrr: churned + contraction MRR in the window.")
    total_lost_logos: int = described("lost_logos: accounts fully churned in the window.")
    reasons: list[dict[str, Any]] = described("lost_mrr and lost_logos per reason, largest first.")
    avoidability: list[dict[str, Any]] = described("lost_mrr split avoidable / unavoidable / vague.")
    churn_types: list[dict[str, Any]] = described("lost_mrr split full vs partial churn.")
    segment_columns: list[str] = described("Segments, in config order, as columns of by_segment.")
    by_segment: list[dict[str, Any]] = described("lost_mrr per reason × segment, with a total row.")
    by_region: list[dict[str, Any]] = described("lost_mrr and lost_logos per region.")
    by_tenure: list[dict[str, Any]] = described("lost_mrr and lost_logos, first-year vs tenured.")
    trend: list[dict[str, Any]] = described("lost_mrr per quarter (full, partial, logos), last 8 quarters.")
    competitors: list[dict[str, Any]] = described("lost_mrr and lost_logos per competitor named.")
    replaced_by: list[dict[str, Any]] = described("lost_mrr per replacement (competitor, manual, nothing).")
    vague_accounts: list[dict[str, Any]] = described(
        "The largest movements whose reason is vague or missing (at most VAGUE_LISTED)."
    )
    vague_count: int = described("Movements whose reason is vague or missing, all of them.")
    vague_mrr: float = described("lost_mrr of the movements whose reason is vague or missing.")
    verbatim_pages: list[VerbatimPage] = described("A page of notes per top reason.")
    movements: int = described("Lost-MRR movements (churn and contraction) in the window.")
    appendix: list[AppendixGroup] = described(
        "The accounts behind each reason's total, largest first, at most APPENDIX_ROWS_PER_REASON each."
    )
    appendix_rows: int = described("Most movements listed per reason in the appendix.")
    accounts_csv: str = described("File name of the CSV with every movement, written beside the PDF.")
    charts: dict[str, Chart] = described("SVG charts: reasons, trend.")
    sections: list[TocEntry] = described("Table of contents.")
    provenance: dict[str, str] = described("Closing block: period, source, version, row counts, hash.")
    definitions: tuple[Definition, ...] = described("Glossary lines for every metric shown.")
    summary_reasons: int = described("Reasons the summary table lists one per row.")
    other_reasons: dict[str, Any] | None = described(
        "The reasons after the first summary_reasons, summed (reasons, lost_mrr, share, lost_logos); None without."
    )
    vague_more: int = described("Movements needing a real reason that the callout does not name.")
    vague_more_mrr: float = described("Their lost MRR.")
    figures: list[Figure] = described("Every figure the report prints, for the manifest.")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.to_dict("records")]


_LOSS_FIGURES: FigureColumns = (
    ("lost_mrr", "lost_mrr", "money"),
    ("lost_logos", "logos_churned_in_period", "number"),
)
_LOSS_AND_SHARE_FIGURES: FigureColumns = (*_LOSS_FIGURES, ("share", "lost_mrr_share", "pct"))
_AVOIDABILITY_FIGURES: FigureColumns = (
    ("lost_mrr", "lost_mrr", "money"),
    ("share", "lost_mrr_share", "pct"),
)
_TREND_FIGURES: FigureColumns = (
    ("lost_mrr", "lost_mrr", "money"),
    ("lost_logos", "logos_churned_in_period", "number"),
)


def _breakdown_figures(
    rec: FigureRecorder, breakdowns: dict[str, pd.DataFrame], trend_rows: Sequence[dict[str, Any]]
) -> list[Figure]:
    """Lost MRR, cancelled accounts (and shares where printed) of each breakdown table, and the
    quarterly trend table (full, partial and total lost MRR, cancellations), as the PDF prints them."""
    for dimension, frame in breakdowns.items():
        columns = _LOSS_AND_SHARE_FIGURES if dimension in ("region", "tenure") else _LOSS_FIGURES
        rec.rows(frame.to_dict("records"), columns, dimension=dimension, group_key="group")
    rec.rows(trend_rows, _TREND_FIGURES, period_key="quarter")
    for churn_type in ("full", "partial"):
        column: FigureColumns = ((f"{churn_type}_mrr", "lost_mrr", "money"),)
        rec.rows(
            [{**r, "churn_type": churn_type} for r in trend_rows],
            column,
            dimension="churn_type",
            group_key="churn_type",
            period_key="quarter",
        )
    return rec.figures


def _table_figures(
    rec: FigureRecorder,
    avoid: pd.DataFrame,
    other: dict[str, Any] | None,
    segment_rows: Sequence[dict[str, Any]],
    segments: Sequence[str],
    label_code: dict[str, str],
    total: float,
    movements: int,
) -> None:
    """The summary's other and total rows, the avoidability table, the reason × segment table and the
    movement counts."""
    if other is not None:
        key = {"dimension": "reason", "group": "other reasons"}
        rec.add("lost_mrr", other["lost_mrr"], "money", **key)
        rec.add("lost_mrr_share", other["share"], "pct", **key)
        rec.add("logos_churned_in_period", other["lost_logos"], "number", **key)
    if total:
        rec.add("lost_mrr_share", 1.0, "pct")
    rec.add("lost_mrr_movements", movements, "number")
    avoid_rows = avoid.to_dict("records")
    rec.rows(avoid_rows, _AVOIDABILITY_FIGURES, dimension="avoidability", group_key="group")
    vague = [r for r in avoid_rows if r["group"] == "vague" and r["movements"]]  # the callout's count
    rec.rows(
        vague, (("movements", "lost_mrr_movements", "number"),), dimension="avoidability", group_key="group"
    )
    for row in segment_rows:
        reason = "all" if row["is_total"] else label_code.get(row["label"], row["label"])
        for segment, amount in zip(segments, row["amounts"], strict=True):
            if reason == "all":
                rec.add("lost_mrr", amount, "money", dimension="segment", group=str(segment))
            else:
                rec.add("lost_mrr", amount, "money", dimension="reason/segment", group=f"{reason}/{segment}")
        if reason == "all":
            rec.add("lost_mrr", row["total"], "money")
        else:
            rec.add("lost_mrr", row["total"], "money", dimension="reason", group=reason)


def _movement_figures(rec: FigureRecorder, rows: Sequence[dict[str, Any]]) -> None:
    """Each listed movement's lost MRR: per account, its period the movement's month."""
    for row in rows:
        account = str(row["account_id"])
        month = pd.Timestamp(row["month"]).strftime("%Y-%m")
        rec.add(
            "lost_mrr",
            row["lost_mrr"],
            "money",
            period=month,
            dimension="account",
            group=account,
            account_id=account,
        )


def _group_rows(frame: pd.DataFrame, names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    rows = []
    for r in frame.to_dict("records"):
        label = str(r["group"])
        rows.append({**r, "label": (names or {}).get(label, text(label))})
    return rows


def build_churn_report_context(run: RunContext, *, locale: str = "en") -> ChurnReportContext:
    """Arrange the churn figures of ``run`` for the report (no metric is recomputed)."""
    locale = check_locale(locale)
    T = churn_labels(locale)
    m = run.metrics
    taxonomy = run.settings.metrics.churn_taxonomy
    currency = m.reporting_currency
    lost = reason_labels_in(m.lost_mrr, taxonomy, locale)
    churn = run.leadership.churn
    total = churn.lost_mrr
    reasons = reason_labels_in(churn.by_reason, taxonomy, locale)
    logos = churn.accounts_cancelled
    avoid = churn.avoidability
    kinds = churn.by_type
    segments = list(run.settings.segment_names)
    crosstab = reason_labels_in(churn.reason_by_segment, taxonomy, locale)
    by_region = churn.by_region
    by_tenure = churn.by_tenure
    competitors = churn.by_competitor
    replaced = churn.by_replaced_by
    trend = churn.trend

    names = {
        "full": T["full"],
        "partial": T["partial"],
        "first_year": T["first_year"],
        "tenured": T["tenured"],
        "avoidable": T["avoidable"],
        "unavoidable": T["unavoidable"],
        "vague": T["vague"],
        "(none)": T["none"],
    }
    share = avoid.set_index("group")["share"]
    kpis = [
        Kpi(T["lost_mrr"], total, "money", "lost_mrr", higher_is_better=False),
        Kpi(T["lost_arr"], churn.lost_arr, "money", "lost_mrr", higher_is_better=False, figure="lost_arr"),
        Kpi(
            T["lost_logos"],
            logos,
            "number",
            "lost_logos",
            higher_is_better=False,
            figure="logos_churned_in_period",
        ),
        Kpi(
            T["avoidable"],
            share.get("avoidable", float("nan")),
            "pct",
            "lost_mrr",
            note=T["share_of_lost"],
            figure="lost_mrr_share",
            dimension="avoidability",
            group="avoidable",
        ),
        Kpi(
            T["vague"],
            share.get("vague", float("nan")),
            "pct",
            "lost_mrr",
            note=T["share_of_lost"],
            figure="lost_mrr_share",
            dimension="avoidability",
            group="vague",
        ),
    ]
    if len(trend) >= 2:
        delta = churn.lost_mrr_change
        kpis[0] = dataclasses.replace(
            kpis[0], delta=delta, delta_kind="money", note=T["prev"], delta_figure="lost_mrr_qoq_change"
        )

    reason_rows = _records(reasons)
    for row in reason_rows:
        row["reason_label"] = text(row["reason_label"])
    top_codes = [r["reason"] for r in reason_rows[:TOP_REASONS_FOR_VERBATIMS]]
    pages = []
    for code in top_codes:
        rows = _records(churn.verbatims[code])
        for row in rows:
            for key in ("name", "reason_detail", "competitor", "replaced_by", "account_id"):
                row[key] = text(row[key])
        label = next(r["reason_label"] for r in reason_rows if r["reason"] == code)
        amount = next(r["lost_mrr"] for r in reason_rows if r["reason"] == code)
        pages.append(VerbatimPage(label, amount, rows))

    ordered = _largest_first(lost)
    appendix = _appendix(ordered, reason_rows, T, names)
    vague = ordered[ordered["vague"].astype(bool)]
    vague_accounts = [_movement_row(r, T, names) for r in vague.head(VAGUE_LISTED).to_dict("records")]
    vague_more = vague.iloc[len(vague_accounts) :]
    rest = reason_rows[SUMMARY_REASONS:]
    other = (
        {
            "reasons": len(rest),
            "lost_mrr": sum(r["lost_mrr"] for r in rest),
            "share": sum(r["share"] for r in rest),
            "lost_logos": sum(r["lost_logos"] for r in rest),
        }
        if rest
        else None
    )

    segment_rows = []
    for label, values in crosstab.iterrows():
        segment_rows.append(
            {
                "label": text(label),
                "amounts": [float(values[s]) for s in segments],
                "total": float(values["total"]),
                "is_total": label == "total",
            }
        )

    trend_rows = _records(trend[["quarter", "lost_mrr", "full_mrr", "partial_mrr", "lost_logos"]])
    for row in trend_rows:
        row["quarter_name"] = quarter_name(row["quarter"], locale)

    period_name = quarter_name(m.window.label, locale)
    charts = _charts(reasons, trend, taxonomy, T, locale, currency, period_name)
    sections = toc(
        [
            ("reasons", T["reasons"]),
            ("breakdowns", T["breakdowns"]),
            ("trend", T["trend"]),
            ("competitors", T["competitors"]),
            ("verbatims", T["verbatims"]),
            ("accounts", T["accounts"]),
            ("definitions", T["definitions"]),
        ]
    )
    provenance = build_provenance(run, METRICS, locale)
    rec = FigureRecorder(m.window.label, locale, currency)
    narrative = _narrative(run, rec, total, logos, reasons, share, by_tenure, trend, period_name)
    rec.kpis(kpis)
    rec.rows(
        reason_rows,
        (*REASON_FIGURES, ("movements", "lost_mrr_movements", "number")),
        dimension="reason",
        group_key="reason",
    )
    figures = _breakdown_figures(
        rec,
        {
            "churn_type": kinds,
            "region": by_region,
            "tenure": by_tenure,
            "competitor": competitors,
            "replaced_by": replaced,
        },
        trend_rows,
    )
    label_code = {r["reason_label"]: r["reason"] for r in reason_rows}
    _table_figures(rec, avoid, other, segment_rows, segments, label_code, total, len(lost))
    movements_shown = [*vague_accounts, *(row for page in pages for row in page.rows)]
    movements_shown += [row for group in appendix for row in group.rows]
    _movement_figures(rec, movements_shown)
    for group in appendix:
        rec.add(
            "lost_mrr",
            group.more_mrr if group.more else float("nan"),
            "money",
            dimension="reason",
            group=f"{group.reason}, not listed",
        )
        rec.add(
            "lost_mrr_movements",
            group.more if group.more else float("nan"),
            "number",
            dimension="reason",
            group=f"{group.reason}, not listed",
        )
    if len(vague_more):
        vague_key = {"dimension": "avoidability", "group": "vague, not listed"}
        rec.add("lost_mrr", float(vague_more["lost_mrr"].sum()), "money", **vague_key)
        rec.add("lost_mrr_movements", len(vague_more), "number", **vague_key)
    if "reasons" in charts:
        rec.chart(
            charts["reasons"],
            [("lost_mrr", {"dimension": "reason", "group": r["reason"]}) for r in reason_rows],
        )
    return ChurnReportContext(
        figures=figures,
        other_reasons=other,
        vague_more=len(vague_more),
        vague_more_mrr=float(vague_more["lost_mrr"].sum()),
        summary_reasons=SUMMARY_REASONS,
        locale=locale,
        currency=currency,
        period=m.window.label,
        period_name=period_name,
        T=T,
        kpis=kpis,
        narrative=narrative,
        total_lost_mrr=total,
        total_lost_logos=logos,
        reasons=reason_rows,
        avoidability=_group_rows(avoid, names),
        churn_types=_group_rows(kinds, names),
        segment_columns=segments,
        by_segment=segment_rows,
        by_region=_group_rows(by_region, names),
        by_tenure=_group_rows(by_tenure, names),
        trend=trend_rows,
        competitors=_group_rows(competitors, names),
        replaced_by=_group_rows(replaced, names),
        vague_accounts=vague_accounts,
        vague_count=len(vague),
        vague_mrr=float(avoid.set_index("group").loc["vague", "lost_mrr"]),
        verbatim_pages=pages,
        movements=len(lost),
        appendix=appendix,
        appendix_rows=APPENDIX_ROWS_PER_REASON,
        accounts_csv=accounts_csv_name(run, locale),
        charts=charts,
        sections=sections,
        provenance=provenance.as_mapping(locale),
        definitions=provenance.definitions,
    )


def _largest_first(lost: pd.DataFrame) -> pd.DataFrame:
    return lost.sort_values(["lost_mrr", "account_id"], ascending=[False, True], kind="stable")


def _movement_row(r: dict[str, Any], T: dict[str, str], names: dict[str, str]) -> dict[str, Any]:
    return {
        "account_id": text(r["account_id"]),
        "name": text(r["name"]),
        "month": r["month"],
        "churn_type": T["full_short"] if r["churn_type"] == "full" else T["partial_short"],
        "reason_label": text(r["reason_label"]),
        "segment": text(r["segment"]),
        "region": text(r["region"]),
        "tenure": names.get(r["tenure"], r["tenure"]),
        "lost_mrr": float(r["lost_mrr"]),
        "vague": bool(r["vague"]),
    }


def _appendix(
    ordered: pd.DataFrame, reason_rows: list[dict[str, Any]], T: dict[str, str], names: dict[str, str]
) -> list[AppendixGroup]:
    """Per reason (in the order of the reasons table), its largest movements and what is left out."""
    by_reason = {code: group for code, group in ordered.groupby("reason", sort=False)}
    groups = []
    for reason in reason_rows:
        group = by_reason.get(reason["reason"])
        if group is None or group.empty:
            continue
        shown = group.head(APPENDIX_ROWS_PER_REASON)
        groups.append(
            AppendixGroup(
                reason_label=reason["reason_label"],
                lost_mrr=float(group["lost_mrr"].sum()),
                movements=len(group),
                reason=str(reason["reason"]),
                rows=[_movement_row(r, T, names) for r in shown.to_dict("records")],
                more=len(group) - len(shown),
                more_mrr=float(group["lost_mrr"].iloc[len(shown) :].sum()),
            )
        )
    return groups


def accounts_csv_name(run: RunContext, locale: str = "en") -> str:
    """``churn-report-2026-q3-accounts.csv``: the CSV of every movement, beside the PDF."""
    return f"{document_stem('churn-report', run, locale)}-accounts.csv"


ACCOUNTS_CSV_COLUMNS = (
    "account_id",
    "name",
    "month",
    "quarter",
    "churn_type",
    "lost_mrr",
    "reason",
    "reason_label",
    "avoidable",
    "vague",
    "segment",
    "region",
    "tenure",
    "competitor",
    "replaced_by",
    "reason_detail",
)


def churn_accounts_table(run: RunContext) -> pd.DataFrame:
    """Every lost-MRR movement of the window, largest first: the appendix in full, for the CSV.

    One row per churn or contraction movement (``run.metrics.lost_mrr``);
    ``lost_mrr`` in the reporting currency, ``month`` its first day. Write it
    through :func:`reports.output.files.spreadsheet_safe`.
    """
    lost = _largest_first(run.metrics.lost_mrr)
    table = lost[[c for c in ACCOUNTS_CSV_COLUMNS if c in lost.columns]].reset_index(drop=True)
    if "month" in table.columns:
        table["month"] = pd.to_datetime(table["month"]).dt.strftime("%Y-%m-%d")
    return table


def _charts(
    reasons: pd.DataFrame,
    trend: pd.DataFrame,
    taxonomy: Any,
    T: dict[str, str],
    locale: str,
    currency: str,
    period_name: str,
) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    if len(reasons):
        labels = [text(r) for r in reasons["reason_label"]]
        spec = BarChartSpec(
            title=f"{T['lost_mrr']} — {period_name}",
            y_label=f"{T['lost_mrr']} ({currency})",
            value_format="money",
            currency=currency,
            locale=locale,
            x_labels=labels,
            series={T["lost_mrr"]: reasons["lost_mrr"].tolist()},
            data_labels=True,
            size=(6.7, 3.1),
        )
        charts["reasons"] = make_chart(spec, f"{T['lost_mrr']}, {currency}")
    if len(trend):
        totals = {r.code: float(trend[r.code].sum()) for r in taxonomy.reasons}
        top = [c for c, v in sorted(totals.items(), key=lambda kv: -kv[1]) if v > 0][:TOP_REASONS_IN_TREND]
        by_code = taxonomy.by_code()
        series = {_short(by_code[c].label_in(locale)): trend[c].tolist() for c in top}
        rest = trend["lost_mrr"] - sum((trend[c] for c in top), pd.Series(0.0, index=trend.index))
        if (rest.abs() > 1e-9).any() or not series:
            series[T["other"]] = rest.round(6).tolist()
        spec = BarChartSpec(
            title=f"{T['lost_mrr']} ({currency})",
            y_label=f"{T['lost_mrr']} ({currency})",
            value_format="money",
            currency=currency,
            locale=locale,
            x_labels=[quarter_name(q, locale) for q in trend["quarter"]],
            series=series,
            stacked=True,
            size=(6.7, 3.2),
        )
        charts["trend"] = make_chart(spec, f"{T['lost_mrr_per_quarter']}, {currency}")
    return charts


def _short(label: str) -> str:
    """'Poor adoption / onboarding' -> 'Poor adoption', for chart legends."""
    return label.split(" / ")[0].split(" (")[0]


def _narrative(
    run: RunContext,
    rec: FigureRecorder,
    total: float,
    logos: int,
    reasons: pd.DataFrame,
    share: pd.Series,
    by_tenure: pd.DataFrame,
    trend: pd.DataFrame,
    period_name: str,
) -> list[str]:
    """The summary's sentences, each number recorded in ``rec`` as printed."""
    locale = rec.locale
    money = lambda figure_id, v, **key: rec.show(figure_id, v, "money", **key)  # noqa: E731
    pct = lambda v, dimension, group: rec.show("lost_mrr_share", v, "pct", dimension=dimension, group=group)  # noqa: E731
    words = translations(locale)
    sentences: list[str] = []
    if total <= 0:
        return [words.gettext("No MRR was lost in {period}.").format(period=period_name)]
    top = reasons.iloc[0]
    lost = money("lost_mrr", total)
    churned = money("churned_mrr", portfolio_value(run, "churned_mrr"))
    contraction = money("contraction_mrr", portfolio_value(run, "contraction_mrr"))
    accounts = rec.show("logos_churned_in_period", logos, "number")
    top_share = pct(top["share"], "reason", str(top["reason"]))
    avoidable = pct(share.get("avoidable", 0.0), "avoidability", "avoidable")
    vague = pct(share.get("vague", 0.0), "avoidability", "vague")
    first_year = pct(
        float(by_tenure.set_index("group")["share"].get("first_year", 0.0)), "tenure", "first_year"
    )
    sentences.append(
        words.ngettext(
            "In {period} we lost {lost} of MRR: {churned} from full churn ({count} account) and "
            "{contraction} from contraction.",
            "In {period} we lost {lost} of MRR: {churned} from full churn ({count} accounts) and "
            "{contraction} from contraction.",
            int(logos),
        ).format(period=period_name, lost=lost, churned=churned, count=accounts, contraction=contraction)
    )
    # {reason} is the reason as the tables print it, {reason_lowercase} in lower case.
    sentences.append(
        words.gettext("The largest reason was {reason_lowercase}, at {share} of lost MRR.").format(
            reason=text(top["reason_label"]),
            reason_lowercase=text(top["reason_label"]).lower(),
            share=top_share,
        )
    )
    sentences.append(
        words.gettext(
            "{avoidable} was avoidable; {vague} has a vague reason or none and needs a real one."
        ).format(avoidable=avoidable, vague=vague)
    )
    sentences.append(
        words.gettext("First-year accounts made up {share} of lost MRR.").format(share=first_year)
    )
    if len(trend) >= 2:
        quarter = str(trend.iloc[-2]["quarter"])
        before = money("lost_mrr", float(trend.iloc[-2]["lost_mrr"]), period=quarter)
        delta = rec.show_delta("lost_mrr_qoq_change", run.leadership.churn.lost_mrr_change, "money")
        previous = quarter_name(quarter, locale)
        sentences.append(
            words.gettext("In {previous} lost MRR was {before} ({change}).").format(
                previous=previous, before=before, change=delta
            )
        )
    return sentences


def render_churn_report(
    run: RunContext,
    *,
    locale: str = "en",
    page_size: str = "A4",
    generated_on: dt.date | None = None,
    template_dirs: Sequence[Path] = (),
    context: ChurnReportContext | None = None,
) -> bytes:
    """The churn-reason report of ``run`` as PDF bytes."""
    context = context or build_churn_report_context(run, locale=locale)
    return render_document(
        "churn/report.html",
        context,
        page_size=page_size,
        generated_on=generated_on or report_date(run),
        branding=run.settings.branding,
        template_dirs=template_dirs,
    )
