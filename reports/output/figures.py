"""The figures a document shows, as recorded in its ``manifest.json`` entry.

Every number a document prints is one :class:`Figure`: which metric
(an id of :mod:`cs_calc.definitions`), over which period, for which group or
account, its raw value and the text exactly as printed. Recording them lets
a run prove that one figure has one value in every document
(``tests/reports/documents/test_figures_manifest.py``) and lets a reader trace any
printed number back to its definition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from reports.render.formatting import is_missing


@dataclass(frozen=True)
class Figure:
    """One printed figure.

    ``value`` is the raw number (money in the reporting currency, rates as
    fractions); ``shown`` is the text the document prints for it.
    """

    id: str
    period: str
    value: float | int | str | None
    shown: str
    dimension: str = "all"
    group: str = "all"
    account_id: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str | None]:
        """What identifies the figure across documents: same key, same value."""
        return (self.id, self.period, self.dimension, self.group, self.account_id)

    def as_record(self) -> dict[str, Any]:
        """The ``figures`` entry of the manifest (``account_id`` only when per account)."""
        record: dict[str, Any] = {
            "id": self.id,
            "period": self.period,
            "dimension": self.dimension,
            "group": self.group,
            "value": None if is_missing(self.value) else _plain(self.value),
            "shown": self.shown,
        }
        if self.account_id is not None:
            record["account_id"] = self.account_id
        return record


def as_of_period(as_of: Any) -> str:
    """The ``period`` of an as-of figure: the last day of data before ``as_of`` (ISO date).

    Window, quarter and trailing-12-month figures use the window's label
    (``2026-Q3``, ``2025-10..2026-09``); weekly figures the ISO week
    (``2026-W43``).

    >>> as_of_period(pd.Timestamp("2026-10-01"))
    '2026-09-30'
    """
    return (pd.Timestamp(as_of) - pd.Timedelta(days=1)).strftime("%Y-%m-%d")


def _plain(value: Any) -> Any:
    """A JSON-friendly scalar: numpy numbers become Python ints and floats."""
    if isinstance(value, bool | str):
        return value
    number = float(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def figure_records(figures: Iterable[Figure]) -> list[dict[str, Any]]:
    """Manifest records of ``figures`` in order, a figure printed twice alike listed once.

    A figure printed in two ways (``$23,180`` in a table, ``+$23.2K`` on a
    chart) keeps a record per way, so every printed text is traced to its
    figure. A key shown with two different values keeps both records, so
    :func:`conflicting_figures` reports the contradiction rather than the
    manifest hiding it.

    >>> a = Figure("nps", "2026-Q3", 50, "50")
    >>> len(figure_records([a, a])), len(figure_records([a, Figure("nps", "2026-Q3", 25, "25")]))
    (1, 2)
    >>> len(figure_records([a, Figure("nps", "2026-Q3", 50, "+50")]))
    2
    """
    records: dict[tuple[Any, ...], dict[str, Any]] = {}
    for figure in figures:
        record = figure.as_record()
        records.setdefault((*figure.key, repr(record["value"]), figure.shown), record)
    return list(records.values())


def conflicting_figures(documents: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[str]:
    """Keys shown with two different values, within or across documents, one line each.

    ``documents`` maps a document's path to its manifest ``figures`` records.

    >>> a = [{"id": "nrr", "period": "2026-Q3", "dimension": "all", "group": "all", "value": 0.97}]
    >>> b = [{"id": "nrr", "period": "2026-Q3", "dimension": "all", "group": "all", "value": 0.95}]
    >>> conflicting_figures({"board.pdf": a, "email.eml": b})
    ['nrr 2026-Q3 all/all: 0.97 in board.pdf, 0.95 in email.eml']
    """
    values: dict[tuple[Any, ...], tuple[Any, str]] = {}
    problems = []
    for document, records in documents.items():
        for record in records:
            key = (
                record["id"],
                record["period"],
                record.get("dimension", "all"),
                record.get("group", "all"),
                record.get("account_id"),
            )
            value = record["value"]
            if key not in values:
                values[key] = (value, document)
                continue
            first, where = values[key]
            if not _same(first, value):
                account = f" account {key[4]}" if key[4] is not None else ""
                problems.append(
                    f"{key[0]} {key[1]} {key[2]}/{key[3]}{account}: {first} in {where}, {value} in {document}"
                )
    return problems


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return a == b
