"""What a QBR shows, as plain data: :class:`QbrContext` and the slides, tables and charts in it.

Every value is already formatted for the deck's locale and filtered for its
audience; the PPTX renderer, the PDF leave-behind and the follow-up email
read these classes and compute nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from reports.documents.qbr.recipients import Recipient
from reports.output.figures import Figure


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


MAX_TABLE_ROWS = 24
"""Rows a deck or leave-behind table shows at most (two slides); the rest are counted in a last row."""

MAX_LISTED = 5
"""Names a sentence lists at most (missed goals, people who left); the rest are counted."""


def capped_rows(
    rows: tuple[tuple[str, ...], ...], status: tuple[str | None, ...], more: Callable[[int], str]
) -> tuple[tuple[tuple[str, ...], ...], tuple[str | None, ...]]:
    """``rows`` and their ``status`` cut to :data:`MAX_TABLE_ROWS`: the first rows, then one row
    whose first cell is ``more(n)``, ``n`` the number of rows left out.

    >>> more = "… and {} more".format
    >>> rows, status = capped_rows(tuple((str(i), "x") for i in range(30)), (None,) * 30, more)
    >>> len(rows), rows[-1], status[-1]
    (24, ('… and 7 more', ''), None)
    """
    if len(rows) <= MAX_TABLE_ROWS:
        return rows, status
    keep = MAX_TABLE_ROWS - 1
    more_row = (more(len(rows) - keep), *("",) * (len(rows[0]) - 1))
    return (*rows[:keep], more_row), (*status[:keep], None)


def listed(items: list[str], more: Callable[[int], str], limit: int = MAX_LISTED) -> list[str]:
    """``items`` cut to ``limit`` (:data:`MAX_LISTED`), then ``more(n)`` for the ``n`` left out.

    >>> listed(["a", "b"], "{} more".format), listed(list("abcdefg"), "{} more".format)
    (['a', 'b'], ['a', 'b', 'c', 'd', 'e', '2 more'])
    """
    if len(items) <= limit:
        return items
    return [*items[:limit], more(len(items) - limit)]


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
    """Fixed value-axis range, e.g. (-40, 100) for NPS fitted to its points."""
    value_title: str = ""
    """Title of the (left) value axis, naming what is counted ("Tickets")."""
    category_title: str = ""
    """Title of the category axis ("Month")."""
    line_title: str = ""
    """Title of the right-hand axis of a combo chart's lines ("Active users")."""
    note: str = ""
    """What a marked category means ("* Too few responses …"); printed beside the chart only."""


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
    lead: str = ""
    """One sentence above a table saying what it asks of the reader."""


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
    figures: tuple[Figure, ...] = field(
        default=(),
        metadata={
            "help": "Every number the deck prints (registry id, period, account, raw value, text as printed)."
        },
    )
    figure_places: tuple[str, ...] = field(
        default=(),
        metadata={
            "help": "Where each of ``figures`` is printed: ``slide_key.part`` (tiles, bullets, side, table, notes)."
        },
    )

    followup_figures: tuple[Figure, ...] = field(
        default=(),
        metadata={
            "help": "Every number the follow-up email prints: its next steps' (the deck's) and the upsell "
            "signal's."
        },
    )
    follow_up_to: tuple[Recipient, ...] = field(
        default=(),
        metadata={
            "help": "Addressees of the follow-up email: active contacts with the roles of qbr.yaml's "
            "follow_up_to and a valid e-mail address."
        },
    )

    def slide(self, key: str) -> Slide | None:
        return next((s for s in self.slides if s.key == key), None)
