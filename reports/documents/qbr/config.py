"""``configs/qbr.yaml``: deck kind per segment, slides per deck kind, thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reports.data.config_files import ConfigDirs, check_keys
from reports.errors import ConfigError

SLIDES = (
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
)
"""Every slide the renderer knows, by name."""

INTERNAL_SLIDES = frozenset({"risks_opportunities"})
"""Slides only an ``--audience internal`` deck shows."""


@dataclass(frozen=True)
class QbrThresholds:
    """Numbers that shape the decks; fractions are fractions, not percent."""

    usage_months: int = 12
    support_months: int = 6
    nps_quarters: int = 6
    verbatims: int = 3
    verbatim_days: int = 365
    reference_ask_band: str = "green"
    seat_utilisation_high: float = 0.9
    adoption_low: float = 0.5


@dataclass(frozen=True)
class QbrConfig:
    """Parsed ``qbr.yaml``."""

    deck_by_segment: Mapping[str, str] = field(
        default_factory=lambda: {
            "Strategic": "high_touch",
            "Upmarket": "high_touch",
            "Scaled": "digital",
            "Starter": "digital",
        }
    )
    default_deck: str = "digital"
    decks: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "high_touch": SLIDES,
            "digital": ("title", "executive_summary", "adoption", "support", "next_steps", "appendix"),
        }
    )
    thresholds: QbrThresholds = field(default_factory=QbrThresholds)

    def deck_kind(self, segment: str | None) -> str:
        """The deck kind for an account of ``segment``."""
        return self.deck_by_segment.get(str(segment), self.default_deck)

    def slides(self, segment: str | None) -> tuple[str, ...]:
        return self.decks[self.deck_kind(segment)]


def qbr_config_from_mapping(mapping: Mapping[str, Any], where: str = "qbr.yaml") -> QbrConfig:
    """Build a :class:`QbrConfig`; unknown keys, slides or deck kinds raise ConfigError."""
    check_keys(mapping, ("deck_by_segment", "default_deck", "decks", "thresholds"), where)
    defaults = QbrConfig()
    decks_raw = mapping.get("decks", defaults.decks)
    if not isinstance(decks_raw, Mapping) or not decks_raw:
        raise ConfigError(f"{where}: 'decks' must map deck kinds to lists of slides")
    decks: dict[str, tuple[str, ...]] = {}
    for kind, slides in decks_raw.items():
        if not isinstance(slides, list | tuple) or not slides:
            raise ConfigError(f"{where}: decks.{kind} must be a non-empty list of slide names")
        for slide in slides:
            if slide not in SLIDES:
                raise ConfigError(
                    f"{where}: decks.{kind}: unknown slide {slide!r} (allowed: {', '.join(SLIDES)})"
                )
        decks[str(kind)] = tuple(slides)
    by_segment = dict(mapping.get("deck_by_segment", defaults.deck_by_segment) or {})
    default_deck = str(mapping.get("default_deck", defaults.default_deck))
    for segment, kind in [*by_segment.items(), ("default_deck", default_deck)]:
        if kind not in decks:
            raise ConfigError(
                f"{where}: deck_by_segment.{segment}: {kind!r} is not a deck kind "
                f"(defined: {', '.join(sorted(decks))})"
            )
    thresholds_raw = mapping.get("thresholds") or {}
    allowed = QbrThresholds.__dataclass_fields__
    check_keys(thresholds_raw, allowed, f"{where}: thresholds")
    values: dict[str, Any] = {}
    for key, value in thresholds_raw.items():
        kind = type(getattr(QbrThresholds(), key))
        try:
            values[key] = kind(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: thresholds.{key}: {value!r} is not a {kind.__name__}") from None
    return QbrConfig(
        deck_by_segment={str(k): str(v) for k, v in by_segment.items()},
        default_deck=default_deck,
        decks=decks,
        thresholds=QbrThresholds(**values),
    )


def load_qbr_config(config_dirs: ConfigDirs) -> QbrConfig:
    """Read ``qbr.yaml`` (user folder first, then the bundled default)."""
    path = config_dirs.find("qbr.yaml")
    return qbr_config_from_mapping(config_dirs.load("qbr.yaml"), where=str(path))
