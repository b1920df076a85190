"""``configs/email.yaml``: recipients, sender name, subject, targets, time zone.

Checked against :class:`reports.data.config_schema.EmailFile` (an unknown
key, a malformed address, an unknown subject field or time zone, a number
out of range is a :class:`ConfigError` naming the file and key) and parsed
into a frozen :class:`EmailConfig`. SMTP settings are deliberately absent:
they come from the environment only (:mod:`reports.documents.email.send`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cs_calc.signals import RENEWAL_WINDOW_DAYS
from cs_calc.weekly import Target, WeeklyOptions
from reports.data.config_check import parse_config, read_config
from reports.data.config_files import ConfigDirs
from reports.data.config_schema import SUBJECT_FIELDS, EmailFile, address_problem, subject_problem
from reports.errors import ConfigError

CONFIG_NAME = EmailFile.file_name

__all__ = ["SUBJECT_FIELDS", "EmailConfig", "check_address", "email_config_from_mapping", "load_email_config"]


@dataclass(frozen=True)
class EmailConfig:
    """The weekly email's settings (see ``configs/email.yaml`` for each key)."""

    recipients: tuple[str, ...]
    sender_name: str = "Customer Success"
    subject: str = ""
    """A ``str.format`` template of :data:`~reports.data.config_schema.SUBJECT_FIELDS`; empty: the
    catalogue's subject in the email's locale (see ``_subject`` in ``reports.documents.email.context``)."""
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
    if not text or address_problem(text):
        raise ConfigError(f"{where}: {value!r} is not an e-mail address (expected name@domain)")
    return text


def check_subject_format(subject: str, where: str) -> None:
    """Raise ConfigError when ``subject`` uses a field outside :data:`SUBJECT_FIELDS`."""
    problem = subject_problem(subject)
    if problem:
        raise ConfigError(f"{where}: subject: {problem}")


def email_config_from_mapping(raw: Mapping[str, Any], where: str = CONFIG_NAME) -> EmailConfig:
    """Check the mapping of ``email.yaml`` and parse it (one ConfigError lists every problem)."""
    return email_config_from_file(parse_config(EmailFile, raw, where), where)


def email_config_from_file(checked: EmailFile, where: str = CONFIG_NAME) -> EmailConfig:
    """The :class:`EmailConfig` of a checked ``email.yaml``; empty texts take the defaults."""
    return EmailConfig(
        recipients=tuple(address.strip() for address in checked.recipients),
        sender_name=checked.sender_name or EmailConfig.sender_name,
        subject=checked.subject or EmailConfig.subject,
        company=checked.company,
        time_zone=checked.time_zone or "UTC",
        locale=checked.locale,
        state_dir=Path(checked.state_dir) if checked.state_dir else None,
        trend_weeks=checked.trend_weeks,
        renewal_days=checked.renewal_days,
        at_risk_rows=checked.at_risk_rows,
        renewal_rows=checked.renewal_rows,
        activity_change_threshold=checked.activity_change_threshold,
        targets=tuple(Target(kpi, target.min, target.max) for kpi, target in checked.targets.items()),
        source=where,
    )


def load_email_config(config_dir: Path | None = None) -> EmailConfig:
    """Read ``email.yaml`` from the user's ``--config`` folder, else the bundled one."""
    checked, where = read_config(ConfigDirs(config_dir), EmailFile)
    return email_config_from_file(checked, where)
