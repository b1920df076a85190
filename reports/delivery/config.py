"""``configs/delivery.yaml``: what ``csreports deliver`` attaches, to whom, from whom, how fast.

Checked against :class:`reports.data.config_schema.DeliveryFile` (an unknown key, a
bad address, an unknown subject field is a :class:`~reports.errors.ConfigError` naming
the file and key) and parsed into a frozen :class:`DeliveryConfig`. SMTP settings are
deliberately absent: they come from the environment only
(:mod:`reports.documents.email.send`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reports.data.config_check import parse_config, read_config
from reports.data.config_files import ConfigDirs
from reports.data.config_schema import DeliveryFile

CONFIG_NAME = DeliveryFile.file_name

DOCUMENT_KINDS: dict[str, str] = {"leave_behind": "qbr-pdf", "deck": "qbr-pptx"}
"""``attach`` name -> the manifest's document kind."""


@dataclass(frozen=True)
class DeliveryConfig:
    """The delivery settings (see ``configs/delivery.yaml`` for each key)."""

    attach: tuple[str, ...] = ("leave_behind",)
    max_message_mb: float = 10
    prefer: tuple[str, ...] = ("primary", "champion", "economic_buyer", "power_user")
    roles: tuple[str, ...] = ()
    max_recipients: int = 2
    sender: str = "csm"
    """``csm`` (the account's CSM) or a fixed address."""
    sender_name: str = ""
    rate_per_minute: int = 60
    subject: Mapping[str, str] = field(default_factory=dict)
    """Locale -> subject template; a locale not here gets the catalogue's subject."""
    company: str = ""
    source: str = CONFIG_NAME

    @property
    def max_bytes(self) -> int:
        """The cap of one message's attachments, as they travel (base64), in bytes."""
        return int(self.max_message_mb * 1024 * 1024)

    @property
    def documents(self) -> tuple[str, ...]:
        """The manifest document kinds attached, in ``attach`` order."""
        return tuple(DOCUMENT_KINDS[name] for name in self.attach)


def delivery_config_from_file(checked: DeliveryFile, where: str = CONFIG_NAME) -> DeliveryConfig:
    """The :class:`DeliveryConfig` of a checked ``delivery.yaml``."""
    return DeliveryConfig(
        attach=tuple(dict.fromkeys(checked.attach)),
        max_message_mb=checked.max_message_mb,
        prefer=tuple(checked.recipients.prefer),
        roles=tuple(checked.recipients.roles),
        max_recipients=checked.recipients.max_recipients,
        sender=checked.sender.strip(),
        sender_name=checked.sender_name.strip(),
        rate_per_minute=checked.rate_per_minute,
        subject=dict(checked.subject),
        company=checked.company.strip(),
        source=where,
    )


def delivery_config_from_mapping(raw: Mapping[str, Any], where: str = CONFIG_NAME) -> DeliveryConfig:
    """Check the mapping of ``delivery.yaml`` and parse it (one ConfigError lists every problem)."""
    return delivery_config_from_file(parse_config(DeliveryFile, raw, where), where)


def load_delivery_config(config_dir: Path | None = None) -> DeliveryConfig:
    """Read ``delivery.yaml`` from the user's ``--config`` folder, else the bundled one."""
    checked, where = read_config(ConfigDirs(config_dir), DeliveryFile)
    return delivery_config_from_file(checked, where)
