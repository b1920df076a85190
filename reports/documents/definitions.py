"""Definitions appendices, generated from the metric registry in the document's language.

Every document that defines its figures takes the words from
:mod:`cs_calc.definitions`: internal documents print the glossary entry (label,
unit, period and definition, as the metrics glossary does), customer decks
print the metric's one-line :attr:`~cs_calc.definitions.Metric.summary`.
Translations come from the message catalogue (:mod:`reports.render.catalogue`),
keyed by the English text, so a changed definition cannot keep an outdated
translation. ``python -m reports.documents.translations`` adds new and changed
messages to every catalogue (changed ones marked fuzzy for a translator).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cs_calc.definitions import DIMENSIONS, PERIODS, UNITS, metric
from reports.render.catalogue import translate


@dataclass(frozen=True)
class Definition:
    """One entry of a definitions appendix, in the document's language.

    ``metric`` is the registry id (or the breakdown's), ``label`` the figure's name,
    ``text`` the definition alone and ``definition`` the unit and period followed by it.
    """

    metric: str
    label: str
    definition: str
    text: str = ""


def _label_message(metric_id: str) -> tuple[str, str]:
    return f"{metric_id} (label)", metric(metric_id).display_label


def _definition_messages(metric_id: str) -> list[tuple[str, str]]:
    entry = metric(metric_id)
    return [
        (f"{entry.id} (definition)", entry.definition),
        ("unit", UNITS[entry.unit]),
        ("period", PERIODS[entry.period]),
    ]


def _summary_message(metric_id: str) -> tuple[str, str]:
    entry = metric(metric_id)
    if not entry.summary:
        raise ValueError(f"metric {entry.id!r} has no reader's summary in cs_calc/definitions.py")
    return f"{entry.id} (summary)", entry.summary


def _dimension_messages(dimension: str) -> tuple[tuple[str, str], tuple[str, str]]:
    label = dimension.replace("_", " ").capitalize()
    return (f"{dimension} (dimension label)", label), (f"{dimension} (dimension)", DIMENSIONS[dimension])


def _translated(locale: str, message: tuple[str, str]) -> str:
    context, text = message
    return translate(locale, text, context)


def glossary_entry(metric_id: str, locale: str = "en") -> Definition:
    """The glossary entry of ``metric_id`` (a registry id or alias) in ``locale``.

    >>> d = glossary_entry("grr")
    >>> d.label, d.definition.split(";")[0]
    ('Gross revenue retention (GRR)', 'Fraction')
    """
    label = _translated(locale, _label_message(metric_id))
    text, unit, period = (_translated(locale, m) for m in _definition_messages(metric_id))
    return Definition(metric(metric_id).id, label, f"{unit[:1].upper()}{unit[1:]}; {period}. {text}", text)


def dimension_entry(dimension: str, locale: str = "en") -> Definition:
    """The appendix entry of a breakdown (a key of :data:`cs_calc.definitions.DIMENSIONS`)."""
    label, text = (_translated(locale, m) for m in _dimension_messages(dimension))
    return Definition(dimension, label, text, text)


def summary_line(metric_id: str, locale: str = "en") -> str:
    """The one-line definition of ``metric_id`` for readers outside the CS team, in ``locale``.

    >>> summary_line("seat_utilisation")
    'Seat utilisation: the latest active users ÷ the seats purchased.'
    """
    return _translated(locale, _summary_message(metric_id))


def appendix_messages(
    glossary: Iterable[str] = (), summaries: Iterable[str] = (), dimensions: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(context, English text) of every message the given appendix entries print."""
    messages: list[tuple[str, str]] = []
    for metric_id in glossary:
        messages += [_label_message(metric_id), *_definition_messages(metric_id)]
    messages += [_summary_message(metric_id) for metric_id in summaries]
    for dimension in dimensions:
        messages += list(_dimension_messages(dimension))
    return messages
