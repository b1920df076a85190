"""The company's look from ``branding.yaml``: name, logo and colours, read once per run.

A brand is never borrowed: with a ``--config`` folder that has no
``branding.yaml``, documents carry no company name and no logo (the bundled
file brands the sample data's vendor only), in the default colours.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from reports.data.config_files import ConfigDirs
from reports.data.config_schema import BrandColoursSpec, BrandingFile
from reports.errors import ConfigError

LOGO_MAX_BYTES = 1_000_000
"""Largest logo file read (1 MB): a logo is a few kilobytes; a photo is a mistake."""

_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class Branding:
    """Company name, logo and colours, as every document shows them.

    ``primary`` and ``accent`` are ``#RRGGBB``. ``logo`` is the PNG or JPEG
    file's bytes (empty for none) and ``logo_type`` its media type.
    """

    company_name: str = ""
    logo: bytes = b""
    logo_type: str = ""
    primary: str = BrandColoursSpec().primary
    accent: str = BrandColoursSpec().accent

    @property
    def logo_data_uri(self) -> str:
        """The logo as a ``data:`` URI (for PDFs, which never fetch files), or ``""``."""
        if not self.logo:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo).decode('ascii')}"

    def pdf_fields(self) -> dict[str, str]:
        """Keyword arguments of :class:`~reports.render.pdf.PdfSettings` that carry the brand."""
        return {
            "company": self.company_name,
            "logo_data_uri": self.logo_data_uri,
            "primary": self.primary,
            "accent": self.accent,
        }


def logo_type(blob: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` from the file's first bytes, else None."""
    for signature, media_type in _SIGNATURES.items():
        if blob.startswith(signature):
            return media_type
    return None


def branding_from(model: BrandingFile, path: Path) -> Branding:
    """The branding ``model`` (read from ``path``) describes, with its logo read and checked.

    The logo must be a PNG or JPEG of at most :data:`LOGO_MAX_BYTES`, inside
    the folder of ``branding.yaml`` (a symlink out of it is refused).
    Raises :class:`ConfigError` naming the file and key.
    """
    logo, media_type = b"", ""
    if model.logo:
        folder = path.parent.resolve()
        logo_path = (folder / model.logo).resolve()
        where = f"{path}: logo"
        if not logo_path.is_relative_to(folder):
            raise ConfigError(f"{where}: {model.logo!r} is outside the folder of branding.yaml")
        if not logo_path.is_file():
            raise ConfigError(
                f"{where}: {model.logo!r} does not exist (give a path relative to branding.yaml)"
            )
        if logo_path.stat().st_size > LOGO_MAX_BYTES:
            raise ConfigError(f"{where}: {model.logo!r} is larger than 1 MB; use a smaller PNG")
        logo = logo_path.read_bytes()
        media_type = logo_type(logo) or ""
        if not media_type:
            raise ConfigError(f"{where}: {model.logo!r} is not a PNG or JPEG image")
    return Branding(
        company_name=model.company_name.strip(),
        logo=logo,
        logo_type=media_type,
        primary=model.colours.primary.upper(),
        accent=model.colours.accent.upper(),
    )


def load_branding(dirs: ConfigDirs, model: BrandingFile, path: Path) -> Branding:
    """The run's branding: the user's ``branding.yaml``, or the bundled one without a ``--config`` folder.

    A ``--config`` folder without ``branding.yaml`` gives :class:`Branding`'s
    neutral defaults: no name, no logo.
    """
    if dirs.user_dir is not None and not (Path(dirs.user_dir) / BrandingFile.file_name).is_file():
        return Branding()
    return branding_from(model, path)
