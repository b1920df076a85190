"""The NPS theme configs: the taxonomy (``nps_themes.yaml``) and hand corrections (``nps_overrides.yaml``).

Light on purpose (no PDF or chart imports), so QBR workers can load it. Both
files are checked against their schema (:mod:`reports.data.config_schema`);
``load_settings`` has already checked that every override names a theme of
the taxonomy.
"""

from __future__ import annotations

from cs_calc.text.themes import ThemeTaxonomy
from reports.data.config_check import nps_taxonomy_from, read_config
from reports.data.config_files import ConfigDirs
from reports.data.config_schema import NpsOverridesFile, NpsThemesFile


def load_taxonomy(config_dirs: ConfigDirs) -> ThemeTaxonomy:
    """The theme taxonomy from ``nps_themes.yaml`` (a user --config folder first)."""
    model, where = read_config(config_dirs, NpsThemesFile)
    return nps_taxonomy_from(model, where)


def load_overrides(config_dirs: ConfigDirs) -> dict[str, list[str]]:
    """Response id -> theme ids from ``nps_overrides.yaml`` (``{}`` when the file lists none)."""
    model, _ = read_config(config_dirs, NpsOverridesFile)
    return {response_id: list(themes) for response_id, themes in model.overrides.items()}
