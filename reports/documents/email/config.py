"""``configs/email.yaml``: recipients, sender name, subject, targets, time zone.

Parsed into a frozen :class:`EmailConfig`; an unknown key, a malformed
address, an unknown subject field or time zone is a :class:`ConfigError`
naming the file and key. SMTP settings are deliberately absent: they come
from the environment only (:mod:`reports.documents.email.send`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cs_calc.signals import RENEWAL_WINDOW_DAYS
from cs_calc.weekly import KPI_FIELDS, Target, WeeklyOptions
from reports.data.config_files import ConfigDirs, check_keys
from reports.errors import ConfigError

CONFIG_NAME = "email.yaml"

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
"""Placeholders the ``subject`` format may use."""

_KEYS = {
    "recipients",
    "sender_name",
    "subject",
    "company",
    "time_zone",
    "locale",
    "state_dir",
    "trend_weeks",
    "renewal_days",
    "at_risk_rows",
    "renewal_rows",
    "activity_change_threshold",
    "targets",
}

# Deliberately strict: local@domain, printable ASCII, no spaces, quotes, angle brackets or controls.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")


@dataclass(frozen=True)
class EmailConfig:
    """The weekly email's settings (see ``configs/email.yaml`` for each key)."""

    recipients: tuple[str, ...]
    sender_name: str = "Customer Success"
    subject: str = "CS weekly {week}: ARR {arr} ({arr_delta} WoW)"
    company: str = ""
    time_zone: str = "UTC"
    locale: str = "en"
    state_dir: Path | None = None
    trend_weeks: int = 8
    renewal_days: int = RENEWAL_WINDOW_DAYS
    at_risk_rows: int = 10
    renewal_rows: int = 8
    activity_change_threshold: float = 0.03
    targets: tuple[Target, ...] = field(default_factory=tuple)
    source: str = CONFIG_NAME

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def weekly_options(self) -> WeeklyOptions:
        """What the run computes for the email (:meth:`reports.pipeline.RunContext.weekly`)."""
        return WeeklyOptions(
            trend_weeks=self.trend_weeks,
            renewal_days=self.renewal_days,
            at_risk_limit=self.at_risk_rows,
            targets=self.targets,
        )


def check_address(value: Any, where: str) -> str:
    """``value`` as a bare e-mail address, or ConfigError saying why not.

    >>> check_address(" cfo@example.com ", "x")
    'cfo@example.com'
    """
    text = str(value).strip() if value is not None else ""
    if not _ADDRESS.match(text) or len(text) > 254:
        raise ConfigError(f"{where}: {value!r} is not an e-mail address (expected name@domain)")
    return text


def _int(mapping: Mapping[str, Any], key: str, default: int, where: str, minimum: int = 0) -> int:
    value = mapping.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{where}, key {key!r}: {value!r} is not a whole number >= {minimum}")
    return value


def _targets(raw: Any, where: str) -> tuple[Target, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}, key 'targets': must map KPI names to {{min: x}} or {{max: y}}")
    targets = []
    for kpi, spec in raw.items():
        if kpi not in KPI_FIELDS:
            raise ConfigError(
                f"{where}, targets: unknown KPI {kpi!r} (allowed: {', '.join(sorted(KPI_FIELDS))})"
            )
        if not isinstance(spec, Mapping) or not spec:
            raise ConfigError(f"{where}, targets.{kpi}: give min and/or max, e.g. {{min: 1.0}}")
        check_keys(spec, {"min", "max"}, f"{where}, targets.{kpi}")
        bounds = {}
        for key in ("min", "max"):
            if key in spec:
                value = spec[key]
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ConfigError(f"{where}, targets.{kpi}.{key}: {value!r} is not a number")
                bounds[key] = float(value)
        targets.append(Target(str(kpi), bounds.get("min"), bounds.get("max")))
    return tuple(targets)


def check_subject_format(subject: str, where: str) -> None:
    """Raise ConfigError when ``subject`` uses a field outside :data:`SUBJECT_FIELDS`."""
    try:
        parsed = list(string.Formatter().parse(subject))
    except ValueError as exc:
        raise ConfigError(f"{where}, key 'subject': {exc}") from exc
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in SUBJECT_FIELDS or spec or conversion:
            raise ConfigError(
                f"{where}, key 'subject': {{{name}}} is not a subject field "
                f"(allowed: {', '.join('{' + f + '}' for f in SUBJECT_FIELDS)})"
            )


def email_config_from_mapping(raw: Mapping[str, Any], where: str = CONFIG_NAME) -> EmailConfig:
    """Parse and check the mapping of ``email.yaml``."""
    check_keys(raw, _KEYS, where)
    recipients = raw.get("recipients") or []
    if isinstance(recipients, str) or not isinstance(recipients, list):
        raise ConfigError(f"{where}, key 'recipients': must be a list of e-mail addresses")
    addresses = tuple(check_address(r, f"{where}, recipients") for r in recipients)
    subject = str(raw.get("subject") or EmailConfig.subject)
    check_subject_format(subject, where)
    zone = str(raw.get("time_zone") or "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"{where}, key 'time_zone': {zone!r} is not an IANA time zone (e.g. Europe/Stockholm)"
        ) from exc
    threshold = raw.get("activity_change_threshold", 0.03)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold < 0:
        raise ConfigError(f"{where}, key 'activity_change_threshold': {threshold!r} is not a fraction >= 0")
    state = raw.get("state_dir")
    return EmailConfig(
        recipients=addresses,
        sender_name=str(raw.get("sender_name") or EmailConfig.sender_name),
        subject=subject,
        company=str(raw.get("company") or ""),
        time_zone=zone,
        locale=str(raw.get("locale") or "en"),
        state_dir=Path(str(state)) if state else None,
        trend_weeks=_int(raw, "trend_weeks", 8, where, minimum=2),
        renewal_days=_int(raw, "renewal_days", RENEWAL_WINDOW_DAYS, where, minimum=1),
        at_risk_rows=_int(raw, "at_risk_rows", 10, where, minimum=1),
        renewal_rows=_int(raw, "renewal_rows", 8, where, minimum=0),
        activity_change_threshold=float(threshold),
        targets=_targets(raw.get("targets"), where),
        source=where,
    )


def load_email_config(config_dir: Path | None = None) -> EmailConfig:
    """Read ``email.yaml`` from the user's ``--config`` folder, else the bundled one."""
    dirs = ConfigDirs(config_dir)
    return email_config_from_mapping(dirs.load(CONFIG_NAME), str(dirs.find(CONFIG_NAME)))
