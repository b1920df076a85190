"""The closing appendix of every leadership document: definitions and data provenance.

Every number in the churn report, the cost-to-retain summary and the board
report shows one of the metrics of the registry (:data:`cs_calc.definitions.METRICS`).
:data:`GLOSSARY` is derived from it, so a document's definitions appendix says
exactly what the README glossary says and cannot drift from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from cs_calc import DEFINITIONS_VERSION
from cs_calc.definitions import METRICS, metric
from reports.render.formatting import format_number

if TYPE_CHECKING:
    from reports.pipeline import RunContext

GLOSSARY: Mapping[str, str] = MappingProxyType({m.id: m.glossary_line() for m in METRICS.values()})
"""Metric id → its appendix line (label, unit, period and definition), from the registry."""


@dataclass(frozen=True)
class Definition:
    """One glossary line in the appendix: the metric's id, its line and its label in words."""

    metric: str
    definition: str
    label: str = ""


def definition_of(name: str) -> Definition:
    """The appendix line of metric ``name`` (a registry id or an alias; unknown names raise KeyError)."""
    entry = metric(name)
    return Definition(entry.id, GLOSSARY[entry.id], entry.display_label)


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


def build_provenance(run: RunContext, metrics: Sequence[str], locale: str = "en") -> Provenance:
    """Provenance of ``run`` with the glossary lines of ``metrics`` (registry ids; unknown names raise KeyError)."""
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
        definitions=tuple(definition_of(name) for name in metrics),
    )
