"""The NPS theme configs: the taxonomy (``nps_themes.yaml``) and hand corrections (``nps_overrides.yaml``).

Light on purpose (no PDF or chart imports), so QBR workers can load it.
"""

from __future__ import annotations

from typing import Any

from cs_calc.text.themes import ThemeTaxonomy, taxonomy_from_mapping
from reports.data.config_files import check_keys
from reports.errors import ConfigError


def load_taxonomy(config_dirs: Any) -> ThemeTaxonomy:
    """The theme taxonomy from ``nps_themes.yaml`` (a user --config folder first)."""
    try:
        return taxonomy_from_mapping(config_dirs.load("nps_themes.yaml"))
    except ValueError as exc:
        raise ConfigError(f"{config_dirs.find('nps_themes.yaml')}: {exc}") from exc


def load_overrides(config_dirs: Any) -> dict[str, list[str]]:
    """Response id -> theme ids from ``nps_overrides.yaml`` (``{}`` when the file lists none)."""
    mapping = config_dirs.load("nps_overrides.yaml")
    where = str(config_dirs.find("nps_overrides.yaml"))
    check_keys(mapping, {"overrides"}, where)
    overrides = mapping.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise ConfigError(f"{where}: overrides must be a mapping of response id to a list of themes")
    return {str(k): ([v] if isinstance(v, str) else list(v or ())) for k, v in overrides.items()}
