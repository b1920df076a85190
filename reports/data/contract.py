"""The input data contract: tables, columns, types and rules.

This is the single description of what csreports reads; the loader, the
validator and the sample-data generator all follow it, and the documentation's
data-contract page is generated from it (:func:`contract_markdown`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["str", "date", "datetime", "month", "float", "int", "bool", "period"]

DEFAULT_SEGMENTS = ("Starter", "Scaled", "Upmarket", "Strategic")
DEFAULT_REGIONS = ("NAM", "LATAM", "EMEA", "JAPAC")
TICKET_PRIORITIES = ("P0", "P1", "P2", "P3")
CHURN_TYPES = ("full", "partial")
CONTACT_STATUSES = ("active", "left")
COST_FUNCTIONS = ("cs", "support", "customer_marketing", "rnd", "billing", "other")
PLAN_STATUSES = ("not_started", "on_track", "at_risk", "off_track", "achieved", "missed")

EARLIEST_DATE = "1900-01-01"
"""Dates and date-times before this day are refused (a typo or a placeholder such as 1677-01-01)."""
LATEST_DATE = "2199-12-31"
"""Dates and date-times after this day are refused, except in ``open_ended`` columns."""
OPEN_ENDED_YEAR = 9999
"""In an ``open_ended`` column a date in this year (9999-12-31, the usual marker) means "none"."""
MAX_AMOUNT = 1e15
"""The largest money amount or measured value accepted: far above any real figure, far below overflow."""
MAX_RATE = 1e9
"""The largest exchange rate accepted (reporting-currency units per unit)."""

KIND_WORDS: dict[str, str] = {
    "str": "text",
    "date": "a date",
    "datetime": "a date-time",
    "month": "a date",
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "period": "a period as text",
}
"""What a value of each column kind is, for messages: ``expected a number``."""


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its type, whether it must be present and filled, and its rule."""

    name: str
    kind: ColumnKind
    required: bool = False
    description: str = ""
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    minimum_excluded: bool = False
    """True when the minimum itself is refused: rates are > 0, not >= 0."""
    open_ended: bool = False
    """A date in :data:`OPEN_ENDED_YEAR` (9999-12-31) means no date and is read as empty."""
    email: bool = False
    """Values are bare e-mail addresses (``name@domain``): documents put them in mail headers."""


@dataclass(frozen=True)
class TableSpec:
    """One table of the contract."""

    name: str
    required: bool
    columns: tuple[ColumnSpec, ...]
    description: str = ""
    unique: tuple[str, ...] = ()
    """Columns that together identify a row (checked for duplicates)."""
    references_accounts: bool = True
    """Whether ``account_id`` must name a row of ``accounts``."""

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


C = ColumnSpec

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "accounts",
        True,
        (
            C("account_id", "str", True, "Unique account identifier."),
            C("name", "str", True, "Customer name as shown in documents."),
            C("segment", "str", description="Service tier.", allowed=DEFAULT_SEGMENTS),
            C("region", "str", description="Sales region.", allowed=DEFAULT_REGIONS),
            C("industry", "str", description="Industry, free text."),
            C("csm_id", "str", description="Owning CSM; must exist in `csms` when that table is given."),
            C("plan", "str", description="Product plan, free text."),
            C("start_date", "date", True, "First day as a customer."),
            C(
                "renewal_date",
                "date",
                description="Next contract renewal; 9999-12-31 means none.",
                open_ended=True,
            ),
            C("currency", "str", description="ISO 4217 code of the account's money columns."),
            C("parent_account_id", "str", description="Parent account for hierarchies."),
        ),
        "One row per customer account.",
        unique=("account_id",),
        references_accounts=False,
    ),
    TableSpec(
        "mrr",
        True,
        (
            C("account_id", "str", True),
            C("month", "month", True, "First day of the month."),
            C(
                "mrr",
                "float",
                True,
                "Monthly recurring revenue, account currency.",
                minimum=0,
                maximum=MAX_AMOUNT,
            ),
        ),
        "Monthly recurring revenue per account and month; annual contracts normalised to monthly.",
        unique=("account_id", "month"),
    ),
    TableSpec(
        "usage",
        False,
        (
            C("account_id", "str", True),
            C("date", "date", True, "Day the value was measured (daily, weekly or monthly rows)."),
            C("metric", "str", True, "e.g. active_users, logins, key_feature_events, seats_purchased."),
            C("value", "float", True, minimum=0, maximum=MAX_AMOUNT),
        ),
        "Product usage measurements.",
        unique=("account_id", "date", "metric"),
    ),
    TableSpec(
        "tickets",
        False,
        (
            C("ticket_id", "str", True),
            C("account_id", "str", True),
            C("created_at", "datetime", True),
            C("resolved_at", "datetime"),
            C("first_response_at", "datetime"),
            C("priority", "str", allowed=TICKET_PRIORITIES),
            C("category", "str"),
            C("csat", "int", minimum=1, maximum=5),
        ),
        "Support tickets.",
        unique=("ticket_id",),
    ),
    TableSpec(
        "nps",
        False,
        (
            C("response_id", "str", True),
            C("account_id", "str", True),
            C("contact_id", "str"),
            C("responded_at", "date", True),
            C("score", "int", True, "Integer 0–10.", minimum=0, maximum=10),
            C("comment", "str"),
            C("language", "str", description="ISO 639-1 code of the comment, e.g. en, sv."),
        ),
        "NPS survey responses.",
        unique=("response_id",),
    ),
    TableSpec(
        "churn_events",
        False,
        (
            C("account_id", "str", True),
            C("effective_date", "date", True),
            C("type", "str", allowed=CHURN_TYPES),
            C("reason_code", "str", description="Code from configs/churn_reasons.yaml."),
            C("reason_detail", "str", description="Free-text notes."),
            C("competitor", "str"),
            C("replaced_by", "str", description="competitor, manual process or nothing."),
            C("lost_mrr", "float", minimum=0, maximum=MAX_AMOUNT),
        ),
        "Cancellations (full) and downgrades (partial) with reasons.",
    ),
    TableSpec(
        "contacts",
        False,
        (
            C("contact_id", "str", True),
            C("account_id", "str", True),
            C("name", "str"),
            C("email", "str", email=True),
            C("role", "str"),
            C("is_champion", "bool"),
            C("is_power_user", "bool"),
            C("is_economic_buyer", "bool"),
            C("status", "str", allowed=CONTACT_STATUSES),
            C("changed_at", "date", description="When the status last changed."),
            C(
                "email_opt_out",
                "bool",
                description="true: the contact asked for no e-mail; csreports deliver never writes to them.",
            ),
            C(
                "is_primary",
                "bool",
                description="The account's main contact for its business reviews (usually one per account).",
            ),
        ),
        "People at customer accounts.",
        unique=("contact_id",),
    ),
    TableSpec(
        "csms",
        False,
        (
            C("csm_id", "str", True),
            C("name", "str", True),
            C("email", "str", email=True),
            C("team", "str"),
            C("region", "str"),
            C("fully_loaded_annual_cost", "float", minimum=0, maximum=MAX_AMOUNT),
        ),
        "Customer Success Managers.",
        unique=("csm_id",),
        references_accounts=False,
    ),
    TableSpec(
        "costs",
        False,
        (
            C("period", "period", True, "YYYY-Qn or YYYY-MM."),
            C("function", "str", True, allowed=COST_FUNCTIONS),
            C("amount", "float", True, "Reporting currency.", minimum=0, maximum=MAX_AMOUNT),
            C("allocated_to_retention", "float", description="Fraction 0–1.", minimum=0, maximum=1),
        ),
        "Costs per function and period, in the reporting currency.",
        unique=("period", "function"),
        references_accounts=False,
    ),
    TableSpec(
        "success_plans",
        False,
        (
            C("account_id", "str", True),
            C("objective", "str", True),
            C("kpi", "str"),
            C("baseline", "float", minimum=-MAX_AMOUNT, maximum=MAX_AMOUNT),
            C("target", "float", minimum=-MAX_AMOUNT, maximum=MAX_AMOUNT),
            C("current", "float", minimum=-MAX_AMOUNT, maximum=MAX_AMOUNT),
            C("due_date", "date"),
            C("status", "str", allowed=PLAN_STATUSES),
            C("owner", "str"),
        ),
        "Customer goals agreed in success plans.",
    ),
    TableSpec(
        "fx_rates",
        False,
        (
            C("month", "month", True),
            C("currency", "str", True),
            C(
                "rate_to_reporting",
                "float",
                True,
                "Reporting currency per unit.",
                minimum=0,
                maximum=MAX_RATE,
                minimum_excluded=True,
            ),
        ),
        "Monthly exchange rates, needed when accounts use several currencies.",
        unique=("month", "currency"),
        references_accounts=False,
    ),
)

TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}


# --------------------------------------------------------------------------- documentation

_KIND_NAMES: dict[str, str] = {
    "str": "text",
    "date": "date",
    "datetime": "date-time",
    "month": "date (a month)",
    "float": "number",
    "int": "whole number",
    "bool": "true/false",
    "period": "period",
}


def _number(value: float) -> str:
    return f"{value:g}"


def column_rule(table: TableSpec, column: ColumnSpec) -> str:
    """The rule and meaning of one column, in words, as the documentation prints it.

    >>> column_rule(TABLES_BY_NAME["nps"], TABLES_BY_NAME["nps"].column("score"))
    'Integer 0–10. Range 0 to 10.'
    >>> column_rule(TABLES_BY_NAME["mrr"], TABLES_BY_NAME["mrr"].column("account_id"))
    'An account of `accounts`.'
    """
    words = [column.description] if column.description else []
    if table.unique == (column.name,) and "nique" not in column.description:
        words.append("Unique.")
    if column.name == "account_id" and table.references_accounts:
        words.append("An account of `accounts`.")
    if column.allowed:
        values = ", ".join(f"`{value}`" for value in column.allowed)
        if column.allowed in (DEFAULT_SEGMENTS, DEFAULT_REGIONS):
            words.append(f"One of {values} by default; the list is set in `segments.yaml`.")
        else:
            words.append(f"One of {values}.")
    low, high = column.minimum, column.maximum
    if low is not None and high is not None and -low == high:
        pass  # a signed amount: any finite number
    elif low is not None and high in (None, MAX_AMOUNT, MAX_RATE):
        words.append(f"{'Above' if column.minimum_excluded else 'At least'} {_number(low)}.")
    elif low is not None and high is not None:
        words.append(f"Range {_number(low)} to {_number(high)}.")
    if column.email:
        words.append("An e-mail address (`name@domain`).")
    return " ".join(words)


def contract_markdown(tables: tuple[TableSpec, ...] = TABLES) -> str:
    """The data contract as Markdown: one section and table per table of :data:`TABLES`.

    The documentation's data-contract page is generated from this at build time, so the page
    and the loader, validator and sample generator cannot disagree.

    >>> text = contract_markdown()
    >>> "### `mrr` (required)" in text and "| `mrr` | number | yes |" in text
    True
    """
    parts = []
    for table in tables:
        lines = [f"### `{table.name}` ({'required' if table.required else 'optional'})", ""]
        intro = table.description
        if len(table.unique) > 1:
            keys = ", ".join(f"`{name}`" for name in table.unique)
            intro += f" One row per {keys}."
        if intro:
            lines += [intro.strip(), ""]
        lines += ["| column | type | required | rule / meaning |", "|---|---|---|---|"]
        for column in table.columns:
            rule = column_rule(table, column).replace("|", "\\|")
            required = "yes" if column.required else ""
            lines.append(f"| `{column.name}` | {_KIND_NAMES[column.kind]} | {required} | {rule} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
