"""Typed settings read from ``configs/``: what validation and metrics need."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cs_calc.health import HealthConfig
from cs_calc.portfolio import MetricSettings
from cs_calc.signals import SignalConfig
from reports.data.branding import Branding, load_branding
from reports.data.config_check import check_config_folder, churn_taxonomy_from, health_config_from
from reports.data.config_files import ConfigDirs
from reports.data.validation import ValidationSettings


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
    branding: Branding = field(default_factory=Branding)

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
    """Read and check every config file, then build the settings validation and metrics need.

    Every file of :data:`reports.data.config_schema.SCHEMAS` is checked here,
    before any data is read or anything written, so one :class:`ConfigError`
    lists every problem in the folder (:func:`check_config_folder`).
    """
    dirs = ConfigDirs(config_dir)
    files = check_config_folder(dirs)
    segments = tuple(
        Segment(
            name=name,
            description=spec.description,
            accounts_per_csm=float("nan") if spec.accounts_per_csm is None else float(spec.accounts_per_csm),
            max_mrr=None if spec.max_mrr is None else float(spec.max_mrr),
        )
        for name, spec in files.segments.segments.items()
    )
    metrics_file = files.metrics
    metrics = MetricSettings(
        health=health_config_from(files.health, files.where("health.yaml")),
        churn_taxonomy=churn_taxonomy_from(files.churn_reasons, files.where("churn_reasons.yaml")),
        reporting_currency=metrics_file.reporting_currency,
        count_reactivation_in_nrr=metrics_file.count_reactivation_in_nrr,
        signals=SignalConfig(**metrics_file.signals.model_dump()),
        coverage_targets={s.name: s.accounts_per_csm for s in segments},
    )
    branding = load_branding(dirs, files.branding, files.paths["branding.yaml"])
    return Settings(dirs, segments, tuple(files.segments.regions), metrics, branding)


__all__ = ["HealthConfig", "Segment", "Settings", "load_settings"]
