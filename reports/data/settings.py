"""Typed settings read from ``configs/``: what validation and metrics need."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cs_calc.churn import ChurnTaxonomy, churn_taxonomy_from_mapping
from cs_calc.health import HealthConfig, health_config_from_mapping
from cs_calc.portfolio import MetricSettings
from cs_calc.signals import SignalConfig
from reports.data.config_files import ConfigDirs, check_keys
from reports.data.validation import ValidationSettings
from reports.errors import ConfigError


@dataclass(frozen=True)
class Segment:
    """A service tier from ``configs/segments.yaml``."""

    name: str
    description: str
    accounts_per_csm: float
    max_mrr: float | None


@dataclass(frozen=True)
class Settings:
    """Everything the configs say, parsed and checked."""

    config_dirs: ConfigDirs
    segments: tuple[Segment, ...]
    regions: tuple[str, ...]
    metrics: MetricSettings

    @property
    def validation(self) -> ValidationSettings:
        return ValidationSettings(
            segments=tuple(s.name for s in self.segments),
            regions=self.regions,
            reporting_currency=self.metrics.reporting_currency,
        )

    @property
    def segment_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.segments)


def load_settings(config_dir: Path | None = None) -> Settings:
    """Read and check ``segments``, ``metrics``, ``health`` and ``churn_reasons``."""
    dirs = ConfigDirs(config_dir)
    segments_file = dirs.load("segments.yaml")
    check_keys(segments_file, {"segments", "regions"}, str(dirs.find("segments.yaml")))
    segments = []
    for name, spec in (segments_file.get("segments") or {}).items():
        check_keys(
            spec or {}, {"description", "accounts_per_csm", "max_mrr"}, f"segments.yaml, segment {name!r}"
        )
        spec = spec or {}
        segments.append(
            Segment(
                name=str(name),
                description=str(spec.get("description", "")),
                accounts_per_csm=float(spec.get("accounts_per_csm", float("nan"))),
                max_mrr=float(spec["max_mrr"]) if spec.get("max_mrr") is not None else None,
            )
        )
    regions = tuple(str(r) for r in segments_file.get("regions") or ())

    metrics_file = dirs.load("metrics.yaml")
    check_keys(
        metrics_file,
        {"reporting_currency", "count_reactivation_in_nrr", "signals"},
        str(dirs.find("metrics.yaml")),
    )
    signal_values = metrics_file.get("signals") or {}
    check_keys(signal_values, set(SignalConfig.__dataclass_fields__), "metrics.yaml, signals")
    health = _parsed(dirs, "health.yaml", health_config_from_mapping)
    taxonomy: ChurnTaxonomy = _parsed(dirs, "churn_reasons.yaml", churn_taxonomy_from_mapping)
    metrics = MetricSettings(
        health=health,
        churn_taxonomy=taxonomy,
        reporting_currency=str(metrics_file.get("reporting_currency", "USD")),
        count_reactivation_in_nrr=bool(metrics_file.get("count_reactivation_in_nrr", False)),
        signals=SignalConfig(**signal_values),
        coverage_targets={s.name: s.accounts_per_csm for s in segments},
    )
    return Settings(dirs, tuple(segments), regions, metrics)


def _parsed(dirs: ConfigDirs, name: str, parse):
    try:
        return parse(dirs.load(name))
    except (ValueError, TypeError, KeyError) as exc:
        raise ConfigError(f"{dirs.find(name)}: {exc}") from exc


__all__ = ["HealthConfig", "Segment", "Settings", "load_settings"]
