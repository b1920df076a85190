"""Load the YAML configs (``configs/*.yaml``) with user overrides.

A user's ``--config DIR`` is searched first, file by file; whatever it does
not hold comes from the bundled defaults. Parsing into typed settings is done
by the module that owns each concern; this module only finds and reads files
and checks keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reports.errors import ConfigError
from reports.resources import bundled_configs_dir


@dataclass(frozen=True)
class ConfigDirs:
    """The folders searched for a config file, most specific first."""

    user_dir: Path | None = None

    @property
    def search_path(self) -> tuple[Path, ...]:
        bundled = bundled_configs_dir()
        if self.user_dir is None:
            return (bundled,)
        return (Path(self.user_dir), bundled)

    def find(self, name: str) -> Path:
        """Path of config ``name`` (e.g. ``"health.yaml"``), user folder first."""
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise ConfigError(f"config file {name!r} not found in {', '.join(map(str, self.search_path))}")

    def load(self, name: str) -> dict[str, Any]:
        """Read config ``name`` as a mapping; an empty file gives ``{}``."""
        return load_yaml_file(self.find(name))


def load_yaml_file(path: Path) -> dict[str, Any]:
    """Read a YAML file whose top level must be a mapping."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of keys to values")
    return data


def check_keys(mapping: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    """Raise ConfigError naming ``where`` for any key not in ``allowed``."""
    allowed = set(allowed)
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
