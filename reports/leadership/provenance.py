"""The closing appendix of every leadership document: definitions and data provenance.

Every number in the churn report, the cost-to-retain summary and the board
report shows one of the metrics in :data:`GLOSSARY` (the names are those of
``portfolio.csv`` written by ``csreports metrics`` where the metric is there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cs_calc import DEFINITIONS_VERSION
from reports.formatting import format_number

GLOSSARY: dict[str, str] = {
    "mrr_start": "MRR at start: closing MRR of the month before the period (opening balance).",
    "mrr_end": "MRR at end: MRR of the last month of the period; ARR = MRR × 12.",
    "new_mrr": "MRR of accounts that paid for the first time in the period.",
    "expansion_mrr": "Increases in MRR of accounts paying in both months, summed month by month.",
    "reactivation_mrr": "MRR of accounts that paid before, stopped, and paid again.",
    "contraction_mrr": "Decreases in MRR that stay above zero (partial churn), summed month by month.",
    "churned_mrr": "MRR of accounts whose MRR went to zero (full churn).",
    "lost_mrr": "Churned plus contraction MRR in the period, one row per movement, attributed to "
    "one churn reason; reason totals sum exactly to it.",
    "lost_logos": "Distinct accounts with a full churn in the period.",
    "nrr": "Net revenue retention: MRR at end of the accounts paying at start ÷ their MRR at start "
    "(expansion, contraction and churn included; new accounts excluded; a reactivated account "
    "counts as churned).",
    "grr": "Gross revenue retention: Σ min(MRR at end, MRR at start) over accounts paying at start "
    "÷ MRR at start. Never above 100%.",
    "logo_churn": "Accounts paying at start and not at end ÷ accounts paying at start.",
    "nrr_components": "NRR split per starting account, start vs end of the period: renewed = min(start, "
    "end); expansion = end − start above start; contraction = start − end when end > 0; churn = "
    "start when end = 0. Renewed + contraction + churn = MRR at start.",
    "cost_to_retain": "Simple cost to retain: CS cost ÷ recurring revenue (Σ MRR over the period's "
    "months). Also CS cost as a share of revenue (commonly 5–15%).",
    "allocated_cost_to_retain": "Σ cost × allocated_to_retention over functions ÷ revenue retained "
    "(Σ MRR over the period's months of accounts paying at start).",
    "cost_per_retained_arr_dollar": "Retention cost ÷ (retained MRR at end × 12).",
    "cs_roi": "Revenue retained ÷ retention cost.",
    "coverage_vs_target": "Paying accounts per CSM ÷ the tier's target accounts per CSM (above 1 = "
    "stretched).",
    "csm_book_cost_to_retain": "CSM fully loaded cost for the period, spread over tiers by each CSM's "
    "revenue, ÷ the tier's recurring revenue.",
    "health_score": "0–100 weighted health score (configs/health.yaml); bands red/yellow/green.",
    "health_backtest": "Score at the start of each past quarter vs logo churn in it: churn rate per "
    "band and AUC (probability a churned account scored lower than a retained one).",
    "nps": "% promoters (9–10) − % detractors (0–6), latest response per contact; n < 30 is flagged.",
    "renewal_risk": "Paying accounts renewing next quarter with a red or yellow health band, by ARR.",
}


@dataclass(frozen=True)
class Definition:
    """One glossary line in the appendix."""

    metric: str
    definition: str


@dataclass(frozen=True)
class Provenance:
    """Where the numbers come from; rendered as the closing block of each document."""

    period: str
    source: str
    definitions_version: str
    inputs_hash: str
    row_counts: str
    reporting_currency: str
    definitions: tuple[Definition, ...]

    def as_mapping(self, locale: str) -> dict[str, str]:
        """Label → value for ``base/report.html``'s closing block."""
        labels = _LABELS.get(locale, _LABELS["en"])
        return {
            labels["period"]: self.period,
            labels["source"]: self.source,
            labels["definitions"]: self.definitions_version,
            labels["currency"]: self.reporting_currency,
            labels["rows"]: self.row_counts,
            labels["hash"]: self.inputs_hash,
        }


_LABELS = {
    "en": {
        "period": "Data period",
        "source": "Data source",
        "definitions": "Definitions version",
        "currency": "Reporting currency",
        "rows": "Row counts",
        "hash": "Inputs hash",
    },
    "sv": {
        "period": "Dataperiod",
        "source": "Datakälla",
        "definitions": "Definitionsversion",
        "currency": "Rapportvaluta",
        "rows": "Antal rader",
        "hash": "Indatahash",
    },
}


def build_provenance(run: Any, metrics: Sequence[str], locale: str = "en") -> Provenance:
    """Provenance of ``run`` with the glossary lines of ``metrics`` (unknown names raise KeyError)."""
    counts = ", ".join(
        f"{name} {format_number(rows, locale)}" for name, rows in run.dataset.row_counts.items() if rows
    )
    window = run.window
    period = f"{run.provenance['period']} ({window.start:%Y-%m} – {window.end:%Y-%m})"
    return Provenance(
        period=period,
        source=str(run.provenance["source"]),
        definitions_version=str(run.provenance.get("definitions_version", DEFINITIONS_VERSION)),
        inputs_hash=str(run.provenance["inputs_hash"]),
        row_counts=counts,
        reporting_currency=run.metrics.reporting_currency,
        definitions=tuple(Definition(name, GLOSSARY[name]) for name in metrics),
    )
