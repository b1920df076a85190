"""The closing appendix of every leadership document: definitions and data provenance.

Internal documents (churn report, cost to retain, NPS digest) show the full provenance with the
source in words; the board report shows only the period and "Data through …"
(:meth:`Provenance.board_mapping`).

Every number in the churn report, the cost-to-retain summary and the board
report shows one of the metrics of the registry (:data:`cs_calc.definitions.METRICS`).
The appendix entries come from it (:mod:`reports.documents.definitions`), so a
document's definitions appendix says exactly what the metrics glossary (docs/metrics.md) says and
cannot drift from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cs_calc import DEFINITIONS_VERSION
from reports.documents.audience import data_through, describe_data_source
from reports.documents.definitions import Definition, glossary_entry
from reports.render.catalogue import NP_, translations
from reports.render.formatting import format_number, format_window

if TYPE_CHECKING:
    from reports.pipeline import RunContext


def definition_of(name: str, locale: str = "en") -> Definition:
    """The appendix entry of metric ``name`` (a registry id or an alias; unknown names raise KeyError)
    in ``locale``: the leadership documents print their definitions in the document's language."""
    return glossary_entry(name, locale)


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
    data_through: str = ""
    """"Data through Sep 30, 2026": all a board reader is told about the data."""

    def as_mapping(self, locale: str) -> dict[str, str]:
        """Label → value for ``base/report.html``'s closing block."""
        labels = _labels(locale)
        return {
            labels["period"]: self.period,
            labels["source"]: self.source,
            labels["definitions"]: self.definitions_version,
            labels["currency"]: self.reporting_currency,
            labels["rows"]: self.row_counts,
            labels["hash"]: self.inputs_hash,
        }

    def board_mapping(self, locale: str) -> dict[str, str]:
        """The board's closing block: the period and "Data through …" (no source, version, row counts
        or hash, which the internal documents and ``manifest.json`` keep)."""
        labels = _labels(locale)
        return {labels["period"]: self.period, labels["through"]: self.data_through}


_LABELS = {
    "period": NP_("provenance", "Data period"),
    "source": NP_("provenance", "Data source"),
    "definitions": NP_("provenance", "Definitions version"),
    "currency": NP_("provenance", "Reporting currency"),
    "rows": NP_("provenance", "Row counts"),
    "hash": NP_("provenance", "Inputs hash"),
    "through": NP_("provenance", "Data"),
}
"""The provenance block's labels in English (``msgctxt`` ``provenance``)."""


_TABLE_WORDS = {
    "accounts": NP_("data table rows", "accounts"),
    "mrr": NP_("data table rows", "MRR months"),
    "usage": NP_("data table rows", "usage rows"),
    "tickets": NP_("data table rows", "support tickets"),
    "nps": NP_("data table rows", "NPS responses"),
    "churn_events": NP_("data table rows", "cancellations"),
    "contacts": NP_("data table rows", "contacts"),
    "csms": NP_("data table rows", "CSMs"),
    "costs": NP_("data table rows", "cost lines"),
    "success_plans": NP_("data table rows", "success-plan goals"),
}
"""Each data table's rows in words, for the row counts of the provenance (``msgctxt``
``data table rows``)."""


def _labels(locale: str) -> dict[str, str]:
    words = translations(locale)
    return {key: words.pgettext("provenance", message) for key, message in _LABELS.items()}


def build_provenance(run: RunContext, metrics: Sequence[str], locale: str = "en") -> Provenance:
    """Provenance of ``run`` with the glossary lines of ``metrics`` (registry ids; unknown names raise KeyError).

    The source is described in words (:func:`describe_data_source`: no install path, database host
    or password); ``manifest.json`` keeps it in full."""
    words = translations(locale)
    tables = {key: words.pgettext("data table rows", message) for key, message in _TABLE_WORDS.items()}
    counts = ", ".join(
        f"{tables.get(name, name.replace('_', ' '))} {format_number(rows, locale)}"
        for name, rows in run.dataset.row_counts.items()
        if rows
    )
    window = run.window
    period = format_window(window.label, window.start, window.end, locale)
    return Provenance(
        period=period,
        source=describe_data_source(str(run.provenance["source"]), locale),
        definitions_version=str(run.provenance.get("definitions_version", DEFINITIONS_VERSION)),
        inputs_hash=str(run.provenance["inputs_hash"]),
        row_counts=counts,
        reporting_currency=run.metrics.reporting_currency,
        definitions=tuple(definition_of(name, locale) for name in metrics),
        data_through=data_through((window.end + pd.offsets.MonthEnd(0)).date(), locale),
    )
