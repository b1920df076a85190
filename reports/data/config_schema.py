"""The schema of every config file: what each key may hold.

One pydantic model per file of ``configs/`` (:data:`SCHEMAS`), plus the
weekly email's notes (:class:`WeeklyNotesFile`, passed with ``--notes``).
Types are strict: a quoted ``"false"`` is text, not a boolean; ``"lots"``
is not a whole number, and neither is ``8.0``. Ranges, allowed values and
unknown keys are checked field by field; rules between keys
(:meth:`ConfigFile.rule_problems`) run once the types are right. Every
field has a description, so a configuration reference can be generated
from this module. :mod:`reports.data.config_check` reads the files and turns
the errors into one line per problem, naming the file and the key path.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable, Sequence
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from cs_calc.health import BANDS, FACTORS
from cs_calc.signals import RENEWAL_WINDOW_DAYS
from cs_calc.text.tokens import SNOWBALL_ALGORITHMS
from cs_calc.weekly import KPI_FIELDS, IsoWeek
from reports.render.catalogue import catalogue_locales
from reports.render.locales import LOCALES

# --------------------------------------------------------------------------- vocabulary

SlideName = Literal[
    "title",
    "agenda",
    "executive_summary",
    "goals_review",
    "success_plan",
    "adoption",
    "support",
    "voice_of_customer",
    "stakeholders",
    "risks_opportunities",
    "next_steps",
    "appendix",
]
SLIDES: tuple[str, ...] = get_args(SlideName)
"""Every QBR slide the renderer knows, by name, in the full deck's order."""


def _document_locale(value: str) -> str:
    """``value`` if the message catalogue has it (looked up now, so a new ``.po`` file is enough)."""
    allowed = catalogue_locales()
    if value not in allowed:
        raise ValueError(unknown_value(value, allowed, None))
    return value


OKR_STATUSES: tuple[str, ...] = ("on_track", "at_risk", "off_track", "done")
"""Statuses an OKR of the weekly notes may have."""

SUBJECT_FIELDS = (
    "week",
    "week_start",
    "week_end",
    "arr",
    "mrr",
    "arr_delta",
    "nrr",
    "grr",
    "at_risk_count",
    "company",
)
"""Placeholders the weekly email's ``subject`` may use."""

_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")

ID_CHARACTERS = "lower-case letters, digits and '_', starting with a letter"


def did_you_mean(value: object, options: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for the option closest to ``value``, or ``""``.

    >>> did_you_mean("weigth", ["weight", "points"])
    " (did you mean 'weight'?)"
    >>> did_you_mean("GREEN", ["red", "yellow", "green"])
    " (did you mean 'green'?)"
    >>> did_you_mean("nrr", ["mrr", "nrr_12m"])
    " (did you mean 'nrr_12m'?)"
    >>> did_you_mean("zzz", ["red"])
    ''
    """
    text = str(value)
    folded = {option.lower(): option for option in options}
    close = [folded[text.lower()]] if text.lower() in folded else []
    close = close or [option for option in options if text and option.startswith(text)]
    close = close or difflib.get_close_matches(text, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_value(value: object, options: Sequence[str], noun: str | None = None) -> str:
    """The message for a value outside ``options``, with a did-you-mean hint.

    >>> unknown_value("greeen", ("red", "yellow", "green"))
    "'greeen' is not one of red, yellow, green (did you mean 'green'?)"
    >>> unknown_value("pie", ("title", "agenda"), "slide")
    "unknown slide 'pie' (allowed: title, agenda)"
    """
    hint = did_you_mean(value, options)
    if noun:
        return f"unknown {noun} {value!r}{hint} (allowed: {', '.join(options)})"
    return f"{value!r} is not one of {', '.join(options)}{hint}"


def one_of(options: Sequence[str], noun: str | None = None) -> AfterValidator:
    """A validator that accepts only ``options`` (for text that names one of a known set)."""
    allowed = tuple(options)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(unknown_value(value, allowed, noun))
        return value

    return AfterValidator(check)


def _check(problem: Callable[[str], str | None]) -> AfterValidator:
    def check(value: str) -> str:
        message = problem(value)
        if message:
            raise ValueError(message)
        return value

    return AfterValidator(check)


def identifier_problem(value: str) -> str | None:
    """Why ``value`` cannot be an id (a theme, reason or area key), or None.

    >>> identifier_problem("price_budget") is None
    True
    >>> identifier_problem("Price budget")
    "'Price budget' must be lower-case letters, digits and '_', starting with a letter"
    """
    simple = all(ch.isalnum() or ch == "_" for ch in value)
    if simple and value[:1].isalpha() and value.isascii() and value == value.lower():
        return None
    return f"{value!r} must be {ID_CHARACTERS}"


def address_problem(value: str) -> str | None:
    """Why ``value`` is not a bare e-mail address (``name@domain``), or None.

    Deliberately strict: printable ASCII, no spaces, quotes, angle brackets or
    control characters (a header could be injected through them).

    >>> address_problem("cfo@example.com") is None
    True
    >>> address_problem("cfo@example.com\\r\\nBcc: x@evil.example")
    "'cfo@example.com\\\\r\\\\nBcc: x@evil.example' is not an e-mail address (expected name@domain)"
    """
    text = value.strip()
    if not _ADDRESS.match(text) or len(text) > 254:
        return f"{value!r} is not an e-mail address (expected name@domain)"
    return None


def subject_problem(subject: str) -> str | None:
    """Why ``subject`` is not a usable subject format, or None.

    >>> subject_problem("CS weekly {week}") is None
    True
    >>> subject_problem("CS {revenue}")
    '{revenue} is not a subject field (allowed: {week}, {week_start}, {week_end}, {arr}, {mrr}, {arr_delta}, {nrr}, {grr}, {at_risk_count}, {company})'
    """
    try:
        parsed = list(string.Formatter().parse(subject))
    except ValueError as exc:
        return f"{subject!r} is not a valid format ({exc}; write a literal brace as {{{{ or }}}})"
    for _literal, name, spec, conversion in parsed:
        if name is not None and (name not in SUBJECT_FIELDS or spec or conversion):
            return (
                f"{{{name}}} is not a subject field"
                f"{did_you_mean(name, SUBJECT_FIELDS)} (allowed: {', '.join('{' + f + '}' for f in SUBJECT_FIELDS)})"
            )
    return None


def time_zone_problem(zone: str) -> str | None:
    """Why ``zone`` is not an IANA time zone, or None."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{zone!r} is not an IANA time zone (e.g. Europe/Stockholm, America/New_York, UTC)"
    return None


def currency_problem(code: str) -> str | None:
    """Why ``code`` is not a three-letter ISO 4217 currency code, or None."""
    if len(code) == 3 and code.isascii() and code.isalpha() and code.isupper():
        return None
    return f"{code!r} is not a three-letter ISO 4217 currency code in capitals (e.g. USD, EUR, SEK)"


_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def colour_problem(colour: str) -> str | None:
    """Why ``colour`` is not a ``#RRGGBB`` hex colour, or None."""
    if _HEX_COLOUR.match(colour):
        return None
    return f"{colour!r} is not a colour written as #RRGGBB (e.g. '#1B365D')"


def week_problem(week: str) -> str | None:
    """Why ``week`` is not an ISO week such as 2026-W43, or None."""
    try:
        IsoWeek.parse(week.strip().upper())
    except ValueError as exc:
        return str(exc)
    return None


Identifier = Annotated[str, _check(identifier_problem)]
Text = Annotated[str, Field(min_length=1)]
Language = Annotated[str, one_of(tuple(SNOWBALL_ALGORITHMS), "language code")]


# --------------------------------------------------------------------------- base classes


def _is_section(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return get_origin(annotation) in (dict, list)


class ConfigModel(BaseModel):
    """A mapping in a config file: strict types, no unknown keys, frozen once read."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_section_means_defaults(cls, value: Any, info: ValidationInfo) -> Any:
        """A section written with nothing under it (``signals:``) keeps its defaults."""
        if value is None and info.field_name is not None:
            field = cls.model_fields[info.field_name]
            if not field.is_required() and _is_section(field.annotation):
                return field.get_default(call_default_factory=True)
        return value


class ConfigFile(ConfigModel):
    """The top level of one config file."""

    file_name: ClassVar[str] = ""
    """The file's name in a config folder (``health.yaml``)."""

    def rule_problems(self) -> list[tuple[str, str]]:
        """``(key path, message)`` for each rule between keys that the values break."""
        return []


# --------------------------------------------------------------------------- segments.yaml


class SegmentSpec(ConfigModel):
    """One service tier."""

    description: str = Field(default="", description="What the tier means, in a sentence.")
    accounts_per_csm: float | None = Field(
        default=None,
        gt=0,
        description="CSM coverage target: accounts one CSM owns in this tier (> 0); empty: no target.",
    )
    max_mrr: float | None = Field(
        default=None,
        gt=0,
        description="Highest MRR of the tier (reporting currency, > 0); empty for the top tier. "
        "Informational: no figure reads it yet.",
    )


class SegmentsFile(ConfigFile):
    """``segments.yaml``: the service tiers and regions the data may use."""

    file_name: ClassVar[str] = "segments.yaml"

    segments: dict[Text, SegmentSpec] = Field(
        min_length=1,
        description="Service tiers by name, smallest first; accounts.segment must be one of them.",
    )
    regions: list[Text] = Field(
        min_length=1, description="Regions accounts.region may use, e.g. [NAM, LATAM, EMEA, JAPAC]."
    )

    @field_validator("segments", mode="before")
    @classmethod
    def _bare_segment_is_empty(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {name: {} if spec is None else spec for name, spec in value.items()}
        return value

    def rule_problems(self) -> list[tuple[str, str]]:
        problems = []
        seen: dict[str, int] = {}
        for i, region in enumerate(self.regions):
            if region in seen:
                problems.append((f"regions[{i}]", f"{region!r} is listed twice (also at [{seen[region]}])"))
            seen.setdefault(region, i)
        return problems


# --------------------------------------------------------------------------- metrics.yaml


class SignalsSpec(ConfigModel):
    """Thresholds of the alerts and upsell signals."""

    lookback_days: int = Field(default=90, ge=1, description="Days back that alerts look for events (≥ 1).")
    usage_drop: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="Fall in mean active users that raises an alert: a fraction, 0.25 = down 25% or more.",
    )
    renewal_window_days: int = Field(
        default=RENEWAL_WINDOW_DAYS,
        ge=0,
        description="A renewal this many days ahead (or fewer) while not green is an alert.",
    )
    seat_utilisation_high: float = Field(
        default=0.9,
        gt=0,
        le=1,
        description="Seat utilisation (active users ÷ seats, a fraction) at or above which an upsell "
        "signal is raised.",
    )
    usage_growth: float = Field(
        default=0.2,
        gt=0,
        le=5,
        description="Growth in mean active users that is an expansion signal: a fraction, 0.2 = up 20%.",
    )


class MetricsFile(ConfigFile):
    """``metrics.yaml``: definition switches and alert thresholds."""

    file_name: ClassVar[str] = "metrics.yaml"

    reporting_currency: Annotated[str, _check(currency_problem)] = Field(
        default="USD", description="ISO 4217 code of the currency every portfolio figure is in."
    )
    count_reactivation_in_nrr: bool = Field(
        default=False,
        description="true: a starting account that churned and came back inside the window counts its "
        "end MRR in NRR and GRR; false (default): it counts as churned.",
    )
    signals: SignalsSpec = Field(default=SignalsSpec(), description="Alert and upsell thresholds.")


# --------------------------------------------------------------------------- health.yaml

FactorName = Annotated[str, one_of(FACTORS, "factor")]
Point = Annotated[list[float], Field(min_length=2, max_length=2)]


class FactorSpec(ConfigModel):
    """One health factor: its weight and the points it interpolates."""

    weight: float = Field(ge=0, description="Relative weight of the factor (≥ 0); weights need not sum to 1.")
    points: list[Point] = Field(
        min_length=1,
        description="[[input, score], ...]: inputs in increasing order, scores 0–100; "
        "inputs beyond the ends clamp.",
    )


class HealthBandsSpec(ConfigModel):
    """Where the score's bands start."""

    yellow_from: float = Field(
        default=50.0, ge=0, le=100, description="Scores at or above this (0–100) are yellow."
    )
    green_from: float = Field(
        default=75.0, ge=0, le=100, description="Scores at or above this (0–100) are green."
    )


class HealthMetricsSpec(ConfigModel):
    """Names of the usage metrics (usage.metric) the factors read."""

    active_users: Text = Field(default="active_users", description="usage.metric holding active users.")
    seats: Text = Field(default="seats_purchased", description="usage.metric holding seats purchased.")
    logins: Text = Field(default="logins", description="usage.metric holding logins.")


class HealthFile(ConfigFile):
    """``health.yaml``: the health score's factors, weights, bands and periods."""

    file_name: ClassVar[str] = "health.yaml"

    lookback_days: int = Field(
        default=90, ge=1, description="Recent period (days) for usage trend, tickets, signals."
    )
    trend_months: int = Field(
        default=3, ge=1, description="The trend compares with the score this many months earlier."
    )
    trend_stable_points: float = Field(
        default=5.0, ge=0, le=100, description="A change within ± this many points is a stable trend."
    )
    backtest_quarters: int = Field(
        default=4, ge=1, description="Past quarters used to test the score against churn."
    )
    bands: HealthBandsSpec = Field(default=HealthBandsSpec(), description="Where yellow and green start.")
    metrics: HealthMetricsSpec = Field(
        default=HealthMetricsSpec(), description="Usage metric names the factors read."
    )
    factors: dict[FactorName, FactorSpec] = Field(
        min_length=1, description=f"Factors of the score by name ({', '.join(FACTORS)})."
    )

    def rule_problems(self) -> list[tuple[str, str]]:
        problems = []
        if self.bands.green_from < self.bands.yellow_from:
            problems.append(
                (
                    "bands.green_from",
                    f"must be at or above yellow_from ({self.bands.yellow_from:g}) (got {self.bands.green_from:g})",
                )
            )
        if all(spec.weight == 0 for spec in self.factors.values()):
            problems.append(("factors", "every weight is 0; at least one must be above 0"))
        for name, spec in self.factors.items():
            inputs = [x for x, _ in spec.points]
            for i in range(1, len(inputs)):
                if inputs[i] < inputs[i - 1]:
                    problems.append(
                        (
                            f"factors.{name}.points[{i}]",
                            f"inputs must be in increasing order ({inputs[i]:g} comes after {inputs[i - 1]:g})",
                        )
                    )
            for i, (_, score) in enumerate(spec.points):
                if not 0 <= score <= 100:
                    problems.append(
                        (f"factors.{name}.points[{i}]", f"score must be from 0 to 100 (got {score:g})")
                    )
        return problems


# --------------------------------------------------------------------------- churn_reasons.yaml


class ChurnReasonSpec(ConfigModel):
    """One churn reason."""

    label: dict[Language, Text] = Field(
        default_factory=dict,
        description="Name shown in reports per language code, e.g. {en: Price / budget, sv: Pris / budget}; "
        "a single text is English; empty: the code.",
    )
    avoidable: bool = Field(default=False, description="true if CS or product could have prevented it.")
    vague: bool = Field(
        default=False, description="true if it is counted but flagged as needing a real reason."
    )
    keywords: list[Text] = Field(
        default_factory=list,
        description="Lower-case words or phrases that map free text to this reason (match at a word start).",
    )

    @field_validator("label", mode="before")
    @classmethod
    def _text_label_is_english(cls, value: Any) -> Any:
        return {"en": value} if isinstance(value, str) else value


class ChurnReasonsFile(ConfigFile):
    """``churn_reasons.yaml``: the churn-reason taxonomy."""

    file_name: ClassVar[str] = "churn_reasons.yaml"

    reasons: dict[Identifier, ChurnReasonSpec] = Field(
        min_length=1,
        description=f"Reasons by code ({ID_CHARACTERS}), in display order; churn_events.reason_code "
        "uses these codes.",
    )


# --------------------------------------------------------------------------- nps_themes.yaml


class KeywordGroupSpec(ConfigModel):
    """A theme or product area: labels and keywords per language."""

    label: dict[Language, Text] = Field(
        default_factory=dict,
        description="Display label per language code, e.g. {en: Pricing, sv: Pris}; a single text is English.",
    )
    keywords: dict[Language, list[Text]] = Field(
        min_length=1,
        description="Keywords and phrases per language code (see the file's header for the syntax).",
    )
    exclude: dict[Language, list[Text]] = Field(
        default_factory=dict, description="Words (or prefix*) per language that must not give the group."
    )

    @field_validator("label", mode="before")
    @classmethod
    def _text_label_is_english(cls, value: Any) -> Any:
        return {"en": value} if isinstance(value, str) else value


class EmergingThemesSpec(ConfigModel):
    """When a topic found without the taxonomy is called growing."""

    min_growth_ratio: float = Field(
        default=1.5,
        ge=1,
        description="Share this period ÷ share the period before must be at least this (≥ 1).",
    )
    min_size: int = Field(
        default=5, ge=1, description="Comments in the current period a growing topic needs."
    )
    min_comments: int = Field(
        default=20, ge=1, description="Fewer comments than this in a period: no topics at all."
    )
    min_topic_weight: float = Field(
        default=0.1, ge=0, le=1, description="Topic weight (0–1) a comment needs to count towards the topic."
    )


class NpsThemesFile(ConfigFile):
    """``nps_themes.yaml``: NPS comment themes, product areas and feature-request phrases."""

    file_name: ClassVar[str] = "nps_themes.yaml"

    themes: dict[Identifier, KeywordGroupSpec] = Field(
        min_length=1, description=f"Themes by id ({ID_CHARACTERS})."
    )
    product_areas: dict[Identifier, KeywordGroupSpec] = Field(
        default_factory=dict, description=f"Product areas by id ({ID_CHARACTERS})."
    )
    feature_request_phrases: dict[Language, list[Text]] = Field(
        default_factory=dict, description="Phrases per language that mark a comment as a feature request."
    )
    emerging_themes: EmergingThemesSpec = Field(
        default=EmergingThemesSpec(), description="When an emerging topic counts as growing."
    )


# --------------------------------------------------------------------------- nps_overrides.yaml


class NpsOverridesFile(ConfigFile):
    """``nps_overrides.yaml``: hand corrections to the themes of single NPS responses."""

    file_name: ClassVar[str] = "nps_overrides.yaml"

    overrides: dict[Text, list[Text]] = Field(
        default_factory=dict,
        description="Response id -> the theme ids (from nps_themes.yaml) it names instead of the "
        "engine's; [] for none.",
    )

    @field_validator("overrides", mode="before")
    @classmethod
    def _ids_and_single_themes(cls, value: Any) -> Any:
        """Numeric response ids are ids too; a single theme need not be in a list."""
        if not isinstance(value, dict):
            return value
        fixed = {}
        for key, themes in value.items():
            key = str(key) if isinstance(key, int) and not isinstance(key, bool) else key
            fixed[key] = [] if themes is None else [themes] if isinstance(themes, str) else themes
        return fixed


# --------------------------------------------------------------------------- qbr.yaml


class QbrThresholdsSpec(ConfigModel):
    """Numbers that shape the decks."""

    usage_months: int = Field(default=12, ge=1, description="Months of usage history in the adoption chart.")
    support_months: int = Field(default=6, ge=1, description="Months of tickets in the support chart.")
    nps_quarters: int = Field(default=6, ge=1, description="Quarters of NPS history.")
    verbatims: int = Field(
        default=3, ge=0, description="NPS comments quoted on the voice-of-the-customer slide."
    )
    verbatim_days: int = Field(default=365, ge=1, description="How many days back a quoted comment may be.")
    reference_ask_band: Annotated[str, one_of(BANDS)] = Field(
        default="green",
        description="The follow-up asks for a reference only from accounts in this health band.",
    )
    seat_utilisation_high: float = Field(
        default=0.9,
        gt=0,
        le=1,
        description="Seat utilisation (fraction) at or above which the deck suggests a licence review.",
    )
    adoption_low: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Seat utilisation (fraction) below which the deck suggests enablement.",
    )
    nps_min_responses: int = Field(
        default=5,
        ge=1,
        description="Fewest responses of the last 12 months for the NPS tile to show a score; below it the "
        "tile says too few responses (with their number).",
    )


_DEFAULT_DECKS: dict[str, list[str]] = {
    "high_touch": list(SLIDES),
    "digital": ["title", "executive_summary", "adoption", "support", "next_steps", "appendix"],
}


class QbrFile(ConfigFile):
    """``qbr.yaml``: which deck each segment gets and what is in it."""

    file_name: ClassVar[str] = "qbr.yaml"

    deck_by_segment: dict[Text, Text] = Field(
        default_factory=lambda: {
            "Strategic": "high_touch",
            "Upmarket": "high_touch",
            "Scaled": "digital",
            "Starter": "digital",
        },
        description="Deck kind per segment (segments.yaml); segments not listed get default_deck.",
    )
    default_deck: Text = Field(default="digital", description="Deck kind of segments not in deck_by_segment.")
    decks: dict[Text, Annotated[list[Annotated[str, one_of(SLIDES, "slide")]], Field(min_length=1)]] = Field(
        default_factory=lambda: {kind: list(slides) for kind, slides in _DEFAULT_DECKS.items()},
        min_length=1,
        description=f"Slides of each deck kind, in order ({', '.join(SLIDES)}).",
    )
    thresholds: QbrThresholdsSpec = Field(
        default=QbrThresholdsSpec(), description="Numbers that shape the decks."
    )
    follow_up_to: Annotated[
        list[Annotated[str, one_of(("champion", "economic_buyer", "power_user"), "role")]],
        Field(min_length=1),
    ] = Field(
        default_factory=lambda: ["champion", "economic_buyer"],
        description="Roles of the active contacts the follow-up email is addressed to (champion, "
        "economic_buyer, power_user), in order; the CSM is on Cc.",
    )

    def rule_problems(self) -> list[tuple[str, str]]:
        problems = []
        kinds = tuple(self.decks)
        chosen = {f"deck_by_segment.{segment}": kind for segment, kind in self.deck_by_segment.items()}
        chosen["default_deck"] = self.default_deck
        for key, kind in chosen.items():
            if kind not in kinds:
                hint = did_you_mean(kind, kinds)
                problems.append((key, f"{kind!r} is not a deck kind{hint} (decks has: {', '.join(kinds)})"))
        if self.thresholds.adoption_low >= self.thresholds.seat_utilisation_high:
            problems.append(
                (
                    "thresholds.adoption_low",
                    f"must be below seat_utilisation_high ({self.thresholds.seat_utilisation_high:g}) "
                    f"(got {self.thresholds.adoption_low:g})",
                )
            )
        return problems


# --------------------------------------------------------------------------- email.yaml


class TargetSpec(ConfigModel):
    """A weekly KPI target: at least ``min`` and/or at most ``max``."""

    min: float | None = Field(default=None, description="The KPI should be at least this (its unit).")
    max: float | None = Field(default=None, description="The KPI should be at most this (its unit).")


class EmailFile(ConfigFile):
    """``email.yaml``: the weekly email's recipients, wording, schedule zone and targets."""

    file_name: ClassVar[str] = "email.yaml"

    recipients: list[Annotated[str, _check(address_problem)]] = Field(
        default_factory=list, description="Addresses (name@domain) the email goes to; --to replaces them."
    )
    sender_name: str = Field(default="Customer Success", description="Display name in From:.")
    subject: Annotated[str, _check(subject_problem)] = Field(
        default="",
        description=f"Subject line; fields: {', '.join('{' + f + '}' for f in SUBJECT_FIELDS)}; "
        "empty: the standard subject in the email's language.",
    )
    company: str = Field(default="", description="Company name, for {company} and the footer.")
    time_zone: Annotated[str, _check(time_zone_problem)] = Field(
        default="UTC", description="IANA zone of the schedule (default week, .eml Date header)."
    )
    locale: Annotated[str, AfterValidator(_document_locale)] = Field(
        default="en",
        description=f"Language of the email ({', '.join(LOCALES)}, or any locale with a catalogue).",
    )
    state_dir: str = Field(default="", description="Folder of the send ledger; empty: <--out>/.state.")
    trend_weeks: int = Field(
        default=8, ge=2, description="Weeks of history in the activity trend charts (≥ 2)."
    )
    renewal_days: int = Field(
        default=RENEWAL_WINDOW_DAYS,
        ge=1,
        description="Renewals due within this many days after the week are listed.",
    )
    at_risk_rows: int = Field(default=10, ge=1, description="At most this many rows in the at-risk table.")
    renewal_rows: int = Field(default=8, ge=0, description="At most this many rows in the renewals table.")
    activity_change_threshold: float = Field(
        default=0.03,
        ge=0,
        le=1,
        description="Week-over-week change in active users or logins (a fraction, 0.03 = 3%) beyond "
        "which it is a highlight or lowlight.",
    )
    targets: dict[Annotated[str, one_of(KPI_FIELDS, "KPI")], TargetSpec] = Field(
        default_factory=dict, description="Targets per weekly KPI: {min: x} and/or {max: y}."
    )

    @field_validator("state_dir", mode="before")
    @classmethod
    def _empty_state_dir(cls, value: Any) -> Any:
        return "" if value is None else value

    def rule_problems(self) -> list[tuple[str, str]]:
        problems = []
        for kpi, target in self.targets.items():
            if target.min is None and target.max is None:
                problems.append((f"targets.{kpi}", "give min and/or max, e.g. {min: 1.0}"))
            elif target.min is not None and target.max is not None and target.min > target.max:
                problems.append((f"targets.{kpi}", f"min ({target.min:g}) is above max ({target.max:g})"))
        return problems


# --------------------------------------------------------------------------- delivery.yaml

DELIVERY_DOCUMENTS = ("leave_behind", "deck")
"""What ``csreports deliver`` can attach: the PDF leave-behind (``qbr-pdf``) and the PPTX deck (``qbr-pptx``)."""
RECIPIENT_FLAGS = ("primary", "champion", "economic_buyer", "power_user")
"""Contact flags (``contacts.is_<flag>``) the recipients rule can prefer."""
DELIVERY_SUBJECT_FIELDS = ("account", "quarter", "csm", "company")


def delivery_subject_problem(subject: str) -> str | None:
    """Why ``subject`` is not a usable delivery subject format, or None.

    >>> delivery_subject_problem("{account}: your {quarter} review") is None
    True
    >>> delivery_subject_problem("{acount} review")
    "{acount} is not a subject field (did you mean 'account'?) (allowed: {account}, {quarter}, {csm}, {company})"
    """
    try:
        parsed = list(string.Formatter().parse(subject))
    except ValueError as exc:
        return f"{subject!r} is not a valid format ({exc}; write a literal brace as {{{{ or }}}})"
    for _literal, name, spec, conversion in parsed:
        if name is not None and (name not in DELIVERY_SUBJECT_FIELDS or spec or conversion):
            allowed = ", ".join("{" + f + "}" for f in DELIVERY_SUBJECT_FIELDS)
            return f"{{{name}}} is not a subject field{did_you_mean(name, DELIVERY_SUBJECT_FIELDS)} (allowed: {allowed})"
    return None


def _sender_problem(value: str) -> str | None:
    return None if value == "csm" else address_problem(value)


class DeliveryRecipientsSpec(ConfigModel):
    """Which of an account's contacts a delivered QBR goes to."""

    prefer: Annotated[list[Annotated[str, one_of(RECIPIENT_FLAGS, "contact flag")]], Field(min_length=1)] = (
        Field(
            default_factory=lambda: ["primary", "champion", "economic_buyer", "power_user"],
            description=f"Contact flags in order of preference ({', '.join(RECIPIENT_FLAGS)}: the "
            "contacts' is_<flag> columns); contacts with the first flag come first.",
        )
    )
    roles: list[Text] = Field(
        default_factory=list,
        description="Job titles (contacts.role, case aside) tried after the flags, in order; e.g. CFO.",
    )
    max_recipients: int = Field(
        default=2, ge=1, le=20, description="At most this many contacts of one account on To:."
    )


class DeliveryFile(ConfigFile):
    """``delivery.yaml``: what csreports deliver sends to each approved customer account, to whom, from whom."""

    file_name: ClassVar[str] = "delivery.yaml"

    attach: Annotated[list[Annotated[str, one_of(DELIVERY_DOCUMENTS, "document")]], Field(min_length=1)] = (
        Field(
            default_factory=lambda: ["leave_behind"],
            description="Documents attached, most important first: leave_behind (PDF) and/or deck (PPTX).",
        )
    )
    max_message_mb: float = Field(
        default=10,
        gt=0,
        le=50,
        description="Size cap of one message's attachments in MB. An attachment that would pass it is "
        "left out and the message says to reply for it; an account whose first document alone passes "
        "it is not sent (failed, with the sizes).",
    )
    recipients: DeliveryRecipientsSpec = Field(
        default_factory=DeliveryRecipientsSpec, description="Which contacts receive the message."
    )
    sender: Annotated[str, _check(_sender_problem)] = Field(
        default="csm",
        description="From: csm (the account's CSM, csms.email) or a fixed address (name@domain). The CSM "
        "is always Reply-To.",
    )
    sender_name: str = Field(
        default="", description="Display name beside a fixed sender address; empty: the CSM's name."
    )
    rate_per_minute: int = Field(
        default=60, ge=0, description="Messages handed to the SMTP server per minute; 0: no limit."
    )
    subject: dict[
        Annotated[str, AfterValidator(_document_locale)], Annotated[str, _check(delivery_subject_problem)]
    ] = Field(
        default_factory=dict,
        description="Subject per language ({account}, {quarter}, {csm}, {company}); a language not "
        "listed gets the standard subject in that language.",
    )
    company: str = Field(
        default="", description="Company name under the CSM's signature; empty: branding.yaml's company_name."
    )

    @field_validator("sender_name", "company", mode="before")
    @classmethod
    def _empty_text(cls, value: Any) -> Any:
        return "" if value is None else value


# --------------------------------------------------------------------------- branding.yaml


class BrandColoursSpec(ConfigModel):
    """The two brand colours every document uses."""

    primary: Annotated[str, _check(colour_problem)] = Field(
        default="#1B365D", description="Headings and the title band (#RRGGBB)."
    )
    accent: Annotated[str, _check(colour_problem)] = Field(
        default="#0072B2", description="Rules, highlights and the first chart series (#RRGGBB)."
    )


class BrandingFile(ConfigFile):
    """``branding.yaml``: the company name, logo and colours on every deck, PDF and email."""

    file_name: ClassVar[str] = "branding.yaml"

    company_name: str = Field(
        default="", description="Your company's name: deck and PDF headers, PDF author, email footer."
    )
    logo: str = Field(
        default="",
        description="PNG or JPEG file (at most 1 MB) inside the config folder, relative to "
        "branding.yaml; empty for none.",
    )
    colours: BrandColoursSpec = Field(default_factory=BrandColoursSpec, description="Brand colours.")

    @field_validator("company_name", "logo", mode="before")
    @classmethod
    def _empty_text(cls, value: Any) -> Any:
        return "" if value is None else value


# --------------------------------------------------------------------------- weekly notes (--notes FILE)


class OkrSpec(ConfigModel):
    """One OKR line of the weekly notes."""

    objective: str = Field(default="", description="The objective, as written.")
    status: Annotated[str, one_of(OKR_STATUSES)] = Field(description=f"One of {', '.join(OKR_STATUSES)}.")
    note: str | None = Field(default="", description="One line of context; may be empty.")


_Lines = list[str | None]


class WeeklyNotesFile(ConfigFile):
    """The CS leader's notes for one weekly email (``weekly-email --notes FILE``)."""

    file_name: ClassVar[str] = "weekly_notes.example.yaml"

    week: Annotated[str, _check(week_problem)] | None = Field(
        default=None, description="ISO week the notes are for (2026-W43); another week stops the run."
    )
    highlights: _Lines = Field(
        default_factory=list, description="Lines added after the generated highlights."
    )
    lowlights: _Lines = Field(default_factory=list, description="Lines added after the generated lowlights.")
    blockers: _Lines = Field(default_factory=list, description="What blocks the team, a line each.")
    asks: _Lines = Field(default_factory=list, description="What the team asks of leadership, a line each.")
    next_week: _Lines = Field(default_factory=list, description="Plans for next week, a line each.")
    okrs: list[OkrSpec] = Field(default_factory=list, description="OKR status lines.")


# --------------------------------------------------------------------------- registry

SCHEMAS: dict[str, type[ConfigFile]] = {
    schema.file_name: schema
    for schema in (
        SegmentsFile,
        MetricsFile,
        HealthFile,
        ChurnReasonsFile,
        NpsThemesFile,
        NpsOverridesFile,
        QbrFile,
        EmailFile,
        DeliveryFile,
        BrandingFile,
    )
}
"""Every file a ``--config`` folder may hold, with its schema."""

EXAMPLE_SCHEMAS: dict[str, type[ConfigFile]] = {WeeklyNotesFile.file_name: WeeklyNotesFile}
"""Bundled examples of files passed on the command line (``--notes``), with their schema."""
