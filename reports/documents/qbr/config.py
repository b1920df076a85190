"""``configs/qbr.yaml``: deck kind per segment, slides per deck kind, thresholds.

The file is checked against :class:`reports.data.config_schema.QbrFile`
(types, ranges, slide names, deck kinds); this module turns it into the
frozen :class:`QbrConfig` the decks read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from reports.data.branding import Branding
from reports.data.config_check import parse_config, read_config
from reports.data.config_files import ConfigDirs
from reports.data.config_schema import SLIDES, QbrFile

__all__ = [
    "INTERNAL_SLIDES",
    "SLIDES",
    "QbrConfig",
    "QbrThresholds",
    "load_qbr_config",
    "qbr_config_from_mapping",
]

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
    nps_min_responses: int = 5


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
    follow_up_to: tuple[str, ...] = ("champion", "economic_buyer")
    """Roles of the active contacts the follow-up email is addressed to, in order."""
    branding: Branding = field(default_factory=Branding)
    """The company's name, logo and colours (``branding.yaml``), for the deck and leave-behind."""

    def deck_kind(self, segment: str | None) -> str:
        """The deck kind for an account of ``segment``."""
        return self.deck_by_segment.get(str(segment), self.default_deck)

    def slides(self, segment: str | None) -> tuple[str, ...]:
        return self.decks[self.deck_kind(segment)]


def qbr_config_from_mapping(mapping: Mapping[str, Any], where: str = "qbr.yaml") -> QbrConfig:
    """Build a :class:`QbrConfig`; any key the schema refuses raises one ConfigError listing every problem."""
    return qbr_config_from_file(parse_config(QbrFile, mapping, where))


def qbr_config_from_file(checked: QbrFile) -> QbrConfig:
    """The :class:`QbrConfig` of a checked ``qbr.yaml``."""
    return QbrConfig(
        deck_by_segment=dict(checked.deck_by_segment),
        default_deck=checked.default_deck,
        decks={kind: tuple(slides) for kind, slides in checked.decks.items()},
        thresholds=QbrThresholds(**checked.thresholds.model_dump()),
        follow_up_to=tuple(checked.follow_up_to),
    )


def load_qbr_config(config_dirs: ConfigDirs, branding: Branding | None = None) -> QbrConfig:
    """Read ``qbr.yaml`` (user folder first, then the bundled default); ``branding`` travels with it."""
    checked, _ = read_config(config_dirs, QbrFile)
    return replace(qbr_config_from_file(checked), branding=branding or Branding())
