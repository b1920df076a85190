"""python-pptx for what it does best here: read a template, and save a deck deterministically.

- :func:`template_bytes` reads a .pptx master once per process;
- :func:`open_template` opens it without its sample slides;
- :func:`add_slide` adds a slide from a layout found by *name*, its
  placeholders named as in the layout;
- :func:`save_deterministic` writes a python-pptx presentation with fixed
  core properties and zip timestamps, so equal inputs give equal bytes.

Decks themselves are written by :mod:`reports.render.pptx.writer`, which uses these
to learn a template once. Layout and placeholder names are the contract with
template authors: a user can restyle the master freely as long as the names
stay.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import lru_cache
from pathlib import Path

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationT
from pptx.slide import Slide, SlideLayout

from reports.errors import RenderError
from reports.render.formatting import clean_text
from reports.render.pptx.shapes import TABLE_STYLE
from reports.render.pptx.template_check import read_presentation

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
"""Timestamp of every zip entry (the earliest a zip can hold)."""


@lru_cache(maxsize=16)
def _template_bytes(path: Path, mtime_ns: int, size: int) -> bytes:
    return path.read_bytes()


def template_bytes(path: Path) -> bytes:
    """The bytes of the template at ``path``, read once per process (re-read if it changes)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise RenderError(f"PPTX template {path} cannot be read ({exc.strerror})") from exc
    return _template_bytes(path.resolve(), stat.st_mtime_ns, stat.st_size)


def open_template(source: Path | bytes) -> PresentationT:
    """A presentation from a master (.pptx or .potx) file or its bytes, with its sample slides removed."""
    data = source if isinstance(source, bytes) else template_bytes(Path(source))
    try:
        prs = read_presentation(data)
    except ValueError as exc:
        raise RenderError(f"the PPTX template cannot be used: {exc}") from exc
    remove_all_slides(prs)
    _ensure_table_styles(prs)
    return prs


_TABLE_STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<a:tblStyleLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" def="{TABLE_STYLE}"/>'
).encode()


def _ensure_table_styles(prs: PresentationT) -> None:
    """Give a master without a table-styles part (LibreOffice writes none) the one PowerPoint
    writes, so LibreOffice draws tables in the built-in style they name, as PowerPoint does."""
    if any(rel.reltype == RT.TABLE_STYLES for rel in prs.part.rels.values()):
        return
    part = Part(PackURI("/ppt/tableStyles.xml"), CT.PML_TABLE_STYLES, prs.part.package, _TABLE_STYLES_XML)
    prs.part.relate_to(part, RT.TABLE_STYLES)


def remove_all_slides(prs: PresentationT) -> None:
    """Drop every slide (a template's samples) and its relationship."""
    id_list = prs.slides._sldIdLst
    for sld_id in list(id_list):
        prs.part.drop_rel(sld_id.get(qn("r:id")))
        id_list.remove(sld_id)


def layout_names(prs: PresentationT) -> list[str]:
    """Names of all slide layouts, in master order."""
    return [layout.name for master in prs.slide_masters for layout in master.slide_layouts]


def find_layout(prs: PresentationT, name: str) -> SlideLayout:
    """The slide layout called ``name`` (case-insensitive), from any master."""
    wanted = name.strip().lower()
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            if layout.name.strip().lower() == wanted:
                return layout
    raise RenderError(
        f"the PPTX template has no slide layout named {name!r} (it has: {', '.join(layout_names(prs))})"
    )


def add_slide(prs: PresentationT, layout: str | SlideLayout) -> Slide:
    """Append a slide using ``layout`` (or the layout called that).

    The slide's placeholders take the names of their layout placeholders
    (python-pptx would call them "Title 1", "Text Placeholder 2" …), so they
    are found by the names the template author chose.
    """
    if isinstance(layout, str):
        layout = find_layout(prs, layout)
    slide = prs.slides.add_slide(layout)
    # a slide gets one placeholder per cloneable layout placeholder, in order (matching by idx
    # fails for masters whose placeholders carry no idx, e.g. those LibreOffice writes)
    for shape, source in zip(slide.placeholders, layout.iter_cloneable_placeholders(), strict=False):
        shape.name = source.name
    return slide


def _set_core_properties(prs: PresentationT, *, title: str, author: str, date: dt.date) -> None:
    stamp = dt.datetime(date.year, date.month, date.day)
    core = prs.core_properties
    core.title = clean_text(title)[:255]
    core.author = clean_text(author)[:255]
    core.last_modified_by = clean_text(author)[:255]
    core.created = stamp
    core.modified = stamp
    core.revision = 1


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def save_deterministic(prs: PresentationT, *, title: str, author: str, date: dt.date) -> bytes:
    """The package as bytes: same presentation and date give the same bytes.

    Core properties (created, modified, last_modified_by, revision) come from
    the arguments, not the clock (embedded chart workbooks carry no dates);
    every zip entry gets :data:`ZIP_DATE_TIME` and entries keep python-pptx's
    stable order (``[Content_Types].xml`` first).
    """
    _set_core_properties(prs, title=title, author=author, date=date)
    out = io.BytesIO()
    package = prs.part.package
    _DeterministicPackageWriter.write(out, package._rels, tuple(package.iter_parts()))
    return out.getvalue()


class _FixedTimeZipWriter:
    """python-pptx's physical writer, but every entry gets :data:`ZIP_DATE_TIME`."""

    def __init__(self, file: io.BytesIO):
        self._zipf = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED)

    def __enter__(self) -> _FixedTimeZipWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zipf.close()

    def write(self, pack_uri: str, blob: bytes) -> None:
        self._zipf.writestr(_zip_info(pack_uri.membername), blob)  # type: ignore[attr-defined]


class _DeterministicPackageWriter(PackageWriter):
    def _write(self) -> None:
        with _FixedTimeZipWriter(self._pkg_file) as writer:  # type: ignore[arg-type]
            self._write_content_types_stream(writer)  # type: ignore[arg-type]
            self._write_pkg_rels(writer)  # type: ignore[arg-type]
            self._write_parts(writer)  # type: ignore[arg-type]
