"""A small, reusable layer over python-pptx: template in, deterministic bytes out.

- :func:`open_template` reads a .pptx master (bytes cached per process) and
  removes its sample slides;
- :func:`add_slide` adds a slide from a layout found by *name*;
- :func:`placeholder` finds a placeholder by name (or idx) on a slide;
- :func:`set_notes`, :func:`set_alt_text` for speaker notes and alt text;
- :func:`save_deterministic` writes the package with fixed core properties and
  fixed zip timestamps, so equal inputs give byte-identical files.

Layout and placeholder names are the contract with template authors: a user
can restyle the master freely as long as the names stay.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterator
from functools import lru_cache, partial
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.presentation import Presentation as PresentationT
from pptx.shapes.base import BaseShape
from pptx.slide import Slide, SlideLayout

from reports.errors import RenderError
from reports.formatting import clean_text

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


class _TemplateCache:
    """What every deck built from one template shares, filled lazily (per process).

    Valid because nothing here changes a template's masters or layouts: a
    fresh slide of a layout and a fresh notes slide are the same XML in
    every deck made from the same template bytes.
    """

    def __init__(self) -> None:
        self.slides: dict[str, etree._Element] = {}
        """Layout name (lower case) -> a new slide's XML, placeholders renamed."""
        self.notes: etree._Element | None = None
        """A new notes slide's XML (placeholders cloned from the notes master, no text)."""
        self.sizes: dict[tuple[str, int], tuple[int, int]] = {}
        """(layout partname, placeholder idx) -> inherited (width, height) in EMU."""


_TEMPLATE_CACHES: dict[bytes, _TemplateCache] = {}


class _DeckState:
    """Per-deck lookups, kept on the presentation part."""

    def __init__(self, cache: _TemplateCache) -> None:
        self.cache = cache
        self.layouts: dict[str, SlideLayout] | None = None
        self.partnames: dict[str, set[str]] = {}


def _state(prs_part: object) -> _DeckState | None:
    return getattr(prs_part, "_csreports_state", None)


def _next_partname(package: object, memo: dict[str, set[str]], tmpl: str) -> PackURI:
    """python-pptx's ``next_partname`` without walking every part on every call.

    Same result: the partnames of a prefix are collected once, then each name
    handed out is remembered (python-pptx creates the part right away).
    """
    prefix = tmpl[: (tmpl % 42).find("42")]
    names = memo.get(prefix)
    if names is None:
        names = memo[prefix] = {
            str(p.partname)
            for p in package.iter_parts()  # type: ignore[attr-defined]
            if p.partname.startswith(prefix)
        }
    for n in range(len(names) + 1, 0, -1):
        candidate = tmpl % n
        if candidate not in names:
            names.add(candidate)
            return PackURI(candidate)
    raise RenderError("no free part name")  # pragma: no cover


def open_template(source: Path | bytes) -> PresentationT:
    """A presentation from a template file or its bytes, with its sample slides removed."""
    data = source if isinstance(source, bytes) else template_bytes(Path(source))
    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises several kinds for a bad package
        raise RenderError(f"PPTX template is not a readable .pptx ({exc})") from exc
    remove_all_slides(prs)
    digest = hashlib.sha256(data).digest()
    cache = _TEMPLATE_CACHES.get(digest)
    if cache is None:
        if len(_TEMPLATE_CACHES) >= 16:
            _TEMPLATE_CACHES.clear()
        cache = _TEMPLATE_CACHES[digest] = _TemplateCache()
    state = _DeckState(cache)
    prs.part._csreports_state = state  # type: ignore[attr-defined]
    package = prs.part.package
    package.next_partname = partial(_next_partname, package, state.partnames)  # type: ignore[method-assign]
    return prs


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
    state = _state(prs.part)
    if state is not None:
        if state.layouts is None:
            state.layouts = {}
            for master in prs.slide_masters:
                for layout in master.slide_layouts:
                    state.layouts.setdefault(layout.name.strip().lower(), layout)
        found = state.layouts.get(wanted)
        if found is not None:
            return found
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            if layout.name.strip().lower() == wanted:
                return layout
    raise RenderError(
        f"the PPTX template has no slide layout named {name!r} (it has: {', '.join(layout_names(prs))})"
    )


def add_slide(prs: PresentationT, layout_name: str) -> Slide:
    """Append a slide using the layout called ``layout_name``.

    The slide's placeholders take the names of their layout placeholders
    (python-pptx would call them "Title 1", "Text Placeholder 2" …), so
    :func:`placeholder` finds them by the names the template author chose.
    """
    layout = find_layout(prs, layout_name)
    state = _state(prs.part)
    key = layout_name.strip().lower()
    fresh = state.cache.slides.get(key) if state is not None else None
    if fresh is not None:
        # Same XML python-pptx would build (cloned layout placeholders, renamed), copied.
        slides = prs.slides
        prs_part = prs.part
        slide_part = SlidePart(
            prs_part._next_slide_partname, CT.PML_SLIDE, prs_part.package, copy.deepcopy(fresh)
        )
        slide_part.relate_to(layout.part, RT.SLIDE_LAYOUT)
        rid = prs_part.relate_to(slide_part, RT.SLIDE)
        slides._sldIdLst.add_sldId(rid)
        return slide_part.slide
    slide = prs.slides.add_slide(layout)
    names = {shape.placeholder_format.idx: shape.name for shape in layout.placeholders}
    for shape in slide.placeholders:
        name = names.get(shape.placeholder_format.idx)
        if name:
            shape.name = name
    if state is not None:
        state.cache.slides[key] = copy.deepcopy(slide._element)
    return slide


def _placeholder_index(slide: Slide) -> tuple[dict[str, BaseShape], dict[int, BaseShape]]:
    by_name: dict[str, BaseShape] = {}
    by_idx: dict[int, BaseShape] = {}
    for shape in slide.placeholders:
        by_name.setdefault(shape.name.strip().lower(), shape)
        by_idx.setdefault(shape.placeholder_format.idx, shape)
    return by_name, by_idx


def placeholder(slide: Slide, name: str | int) -> BaseShape:
    """The placeholder on ``slide`` whose name (or idx, when an int) is ``name``.

    Names are matched case-insensitively and are inherited from the layout,
    so a template author renames them in the layout.
    """
    index = slide.__dict__.get("_csreports_placeholders")
    if index is None:
        index = slide.__dict__["_csreports_placeholders"] = _placeholder_index(slide)
    found = index[1].get(name) if isinstance(name, int) else index[0].get(name.strip().lower())
    if found is not None and found._element.getparent() is not None:
        return found
    slide.__dict__.pop("_csreports_placeholders", None)
    for shape in slide.placeholders:
        if isinstance(name, int):
            if shape.placeholder_format.idx == name:
                return shape
        elif shape.name.strip().lower() == name.strip().lower():
            return shape
    names = ", ".join(repr(s.name) for s in slide.placeholders)
    raise RenderError(f"layout {slide.slide_layout.name!r} has no placeholder {name!r} (it has: {names})")


def has_placeholder(slide: Slide, name: str) -> bool:
    return any(s.name.strip().lower() == name.strip().lower() for s in slide.placeholders)


def placeholder_size(shape: BaseShape) -> tuple[int, int]:
    """``(width, height)`` of a slide placeholder in EMU, inherited from its layout if not set.

    Equal to ``(int(shape.width), int(shape.height))``; the inherited size is
    looked up once per template, layout and placeholder.
    """
    element = shape._element
    state = _state(shape.part.package.presentation_part)
    if state is None or element.xfrm is not None or not element.has_ph_elm:
        return int(shape.width), int(shape.height)
    key = (str(shape.part.slide_layout.part.partname), element.ph_idx)
    size = state.cache.sizes.get(key)
    if size is None:
        size = state.cache.sizes[key] = (int(shape.width), int(shape.height))
    return size


def remove_shape(shape: BaseShape) -> None:
    """Remove ``shape`` (e.g. an unused placeholder) from its slide."""
    element = shape._element
    element.getparent().remove(element)


def remove_empty_placeholders(slide: Slide) -> None:
    """Remove placeholders left empty, so no "Click to add text" prompt shows."""
    for shape in list(slide.placeholders):
        if shape.has_text_frame and not shape.text_frame.text.strip():
            remove_shape(shape)


def set_notes(slide: Slide, text: str) -> None:
    """Speaker notes of ``slide`` (cleaned of XML-illegal characters)."""
    slide_part = slide.part
    package = slide_part.package
    state = _state(package.presentation_part)
    if state is None or slide_part.has_notes_slide:
        slide.notes_slide.notes_text_frame.text = clean_text(text)
        return
    if state.cache.notes is None:
        # python-pptx clones the notes master's placeholders; keep that XML for the next slides.
        notes_slide = slide.notes_slide
        state.cache.notes = copy.deepcopy(notes_slide._element)
        notes_slide.notes_text_frame.text = clean_text(text)
        return
    master_part = package.presentation_part.notes_master_part
    notes_part = NotesSlidePart(
        package.next_partname("/ppt/notesSlides/notesSlide%d.xml"),
        CT.PML_NOTES_SLIDE,
        package,
        copy.deepcopy(state.cache.notes),
    )
    notes_part.relate_to(master_part, RT.NOTES_MASTER)
    notes_part.relate_to(slide_part, RT.SLIDE)
    slide_part.relate_to(notes_part, RT.NOTES_SLIDE)
    notes_part.notes_slide.notes_text_frame.text = clean_text(text)


def set_alt_text(shape: BaseShape, description: str, title: str = "") -> None:
    """Alt text (``descr``) of a picture, chart or other shape."""
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")[0]
    c_nv_pr.set("descr", clean_text(description))
    if title:
        c_nv_pr.set("title", clean_text(title))


def iter_pictures(prs: PresentationT) -> Iterator[BaseShape]:
    """Every picture on every slide (for alt-text checks)."""
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.shape_type is not None and shape.shape_type == 13:  # MSO_SHAPE_TYPE.PICTURE
                yield shape


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
