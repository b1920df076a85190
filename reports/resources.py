"""Where the bundled templates, configs and sample data live.

In a source checkout or an editable install they are the top-level
``templates/`` and ``configs/`` folders; in a wheel they travel inside the
package as ``reports/_bundled/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE_DIR / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent / name


def bundled_templates_dir() -> Path:
    """The templates shipped with csreports."""
    return _bundled("templates")


def bundled_configs_dir() -> Path:
    """The default YAML configs shipped with csreports."""
    return _bundled("configs")


def sample_data_dir() -> Path:
    """The seeded sample dataset that ``csreports demo`` uses."""
    return _PACKAGE_DIR / "data" / "sample_data"
