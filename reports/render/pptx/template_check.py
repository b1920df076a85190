"""``csreports template check``: can a PowerPoint master render decks, and how.

:func:`check_template` opens a .pptx or .potx, says which layout each kind
of slide will use and why (:mod:`reports.render.pptx.layout_roles`), the slide
size, and the theme's heading and body fonts with whether this machine has
them (text is measured with a metric twin or a wider substitute otherwise).
A file that is not a usable presentation gives problems instead: not a zip,
an encrypted (password-protected) file, a package without a slide master.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.presentation import Presentation as PresentationT

from reports.render.pptx.layout_roles import LayoutRoles, choose_layouts, slide_size_name

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""First bytes of an OLE compound file: an encrypted Office file, or a PowerPoint 97-2003 .ppt."""
_TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


@dataclass(frozen=True)
class ThemeFont:
    """A theme font (heading or body) and how this machine measures it."""

    role: str
    """``"major"`` (headings) or ``"minor"`` (body text)."""
    family: str
    installed: bool | None
    """``None`` when fontconfig (``fc-list``) is not available to ask."""
    measured_with: str
    """The font file text widths are measured with (:func:`reports.render.pptx.textfit.font_file`)."""


@dataclass
class TemplateReport:
    """What :func:`check_template` found."""

    path: Path
    problems: list[str] = field(default_factory=list)
    roles: LayoutRoles | None = None
    masters: int = 0
    fonts: list[ThemeFont] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_presentation(data: bytes) -> PresentationT:
    """A presentation from .pptx or .potx bytes (a .potx is opened as the .pptx it would make).

    Raises :class:`ValueError` with a one-line reason when the bytes are not a presentation.
    """
    if data.startswith(OLE_SIGNATURE):
        raise ValueError(
            "it is an OLE compound file, not a .pptx: a password-protected (encrypted) presentation "
            "or an old PowerPoint 97-2003 .ppt; save it unprotected as .pptx or .potx"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"PK\x03\x04"):
            raise ValueError("it is a damaged zip package (cut short or corrupt); copy or export it again")
        raise ValueError("it is not a .pptx or .potx (not a zip package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            if "[Content_Types].xml" not in names:
                raise ValueError("it is a zip but not an Office package (no [Content_Types].xml)")
            types = package.read("[Content_Types].xml")
            if _TEMPLATE_MAIN in types:
                data = _rewrite(
                    package, "[Content_Types].xml", types.replace(_TEMPLATE_MAIN, _PRESENTATION_MAIN)
                )
    except zipfile.BadZipFile as exc:
        raise ValueError(f"it is a damaged zip package ({exc})") from exc
    try:
        return Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises several kinds for a bad package
        raise ValueError(f"python-pptx cannot open it as a presentation ({exc})") from exc


def _rewrite(package: zipfile.ZipFile, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in package.infolist():
            copy.writestr(info, content if info.filename == name else package.read(info.filename))
    return out.getvalue()


def theme_fonts(prs: PresentationT) -> dict[str, str]:
    """The first master's theme fonts: ``{"major": "Calibri Light", "minor": "Calibri"}`` (latin typefaces)."""
    if not len(prs.slide_masters):
        return {}
    try:
        theme = prs.slide_masters[0].part.part_related_by(RT.THEME)
    except KeyError:
        return {}
    root = etree.fromstring(theme.blob)
    fonts = {}
    for role in ("major", "minor"):
        latin = root.find(f".//{{{_A}}}fontScheme/{{{_A}}}{role}Font/{{{_A}}}latin")
        if latin is not None and latin.get("typeface"):
            fonts[role] = latin.get("typeface", "")
    return fonts


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str] | None:
    """Lower-cased font family names fontconfig knows, ``None`` without ``fc-list``."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        output = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(name.strip().lower() for line in output.splitlines() for name in line.split(","))


def font_status(role: str, family: str) -> ThemeFont:
    from reports.render.pptx.textfit import font_file

    families = installed_families()
    installed = None if families is None else family.lower() in families
    return ThemeFont(role, family, installed, font_file(family).name)


def check_template(path: Path, *, fonts: bool = True) -> TemplateReport:
    """Everything ``csreports template check`` prints about the master at ``path`` (the theme fonts'
    status only with ``fonts``)."""
    report = TemplateReport(Path(path))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        report.problems.append(f"{path}: cannot be read ({exc.strerror})")
        return report
    try:
        prs = read_presentation(data)
    except ValueError as exc:
        report.problems.append(f"{path}: {exc}")
        return report
    report.masters = len(prs.slide_masters)
    if not report.masters:
        report.problems.append(f"{path}: has no slide master, so no layouts to build slides from")
        return report
    report.roles = choose_layouts(prs)
    report.problems += [f"{path}: {problem}" for problem in report.roles.problems]
    if fonts:
        report.fonts = [font_status(role, family) for role, family in theme_fonts(prs).items()]
    return report


SMALL_CONTENT_SHARE = 0.4
"""A content area lower than this share of the slide's height is too small for a QBR's slides."""
CONTENT_ROLES = ("content", "chart", "table", "kpi")


def small_content_areas(roles: LayoutRoles) -> list[str]:
    """One line per content layout whose area below the title is under :data:`SMALL_CONTENT_SHARE`
    of the slide's height: text there is set smaller, then shortened, and long lists lose items."""
    small: dict[tuple[int, str], list] = {}
    for choice in roles.choices:
        share = choice.content.height / roles.slide_height if roles.slide_height else 1
        if choice.role in CONTENT_ROLES and share < SMALL_CONTENT_SHARE:
            small.setdefault((choice.master, choice.layout), []).append(choice)
    warnings = []
    for (_master, layout), choices in small.items():
        height = choices[0].content.height
        warnings.append(
            f"{', '.join(c.role for c in choices)} slides use {layout!r}, whose content area is "
            f"{height / 914400:.2f} in tall ({height / roles.slide_height:.0%} of the slide): long text "
            "there is set smaller, then shortened, and long lists lose their last items"
        )
    return warnings


def format_report(report: TemplateReport) -> list[str]:
    """The lines ``csreports template check`` prints for a readable presentation."""
    roles = report.roles
    if roles is None:
        return []
    width, height = roles.slide_width, roles.slide_height
    lines = [
        f"Template: {report.path}",
        f"Slide size: {slide_size_name(width, height)}, {width / 914400:.2f} x {height / 914400:.2f} in "
        f"({width} x {height} EMU); {report.masters} slide master{'s' if report.masters != 1 else ''}",
        "",
        "Slide kind -> layout (why); content area below the title in EMU (left, top, width, height)",
    ]
    for choice in roles.choices:
        master = f" [master {choice.master + 1}]" if report.masters > 1 else ""
        box = choice.content
        lines.append(f"  {choice.role:<12} {choice.layout!r}{master} ({choice.reason})")
        lines.append(f"  {'':<12} content {box.left}, {box.top}, {box.width}, {box.height}")
    inferred = [c.role for c in roles.choices if c.inferred]
    lines.append("")
    lines.append(
        f"Inferred from placeholders: {', '.join(inferred) if inferred else 'none (every layout is named)'}"
    )
    missing = [role.key + ("" if role.required else " (optional)") for role in roles.missing]
    lines.append(f"Missing: {', '.join(missing) if missing else 'none'}")
    lines += [f"Warning: {warning}" for warning in small_content_areas(roles)]
    lines.append("")
    lines.append("Theme fonts:")
    if not report.fonts:
        lines.append("  none declared in the theme")
    for font in report.fonts:
        what = "headings" if font.role == "major" else "body"
        if font.installed is None:
            state = "fc-list is not available to tell if it is installed"
        elif font.installed:
            state = "installed"
        else:
            state = "not installed"
        lines.append(f"  {what:<9}{font.family}: {state}; text is measured with {font.measured_with}")
    return lines
