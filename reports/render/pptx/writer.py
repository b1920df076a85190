"""Write decks fast: a template frozen once per process, slides written as XML text.

python-pptx is the right tool to read a template and to build one deck, but
building every paragraph through its object model costs ~100 ms a deck,
which is most of a 10,000-deck run. Here python-pptx reads the template once
(:class:`DeckTemplate`): which layouts exist, their placeholders (name, id,
``p:ph``, inherited position and size), the notes slide it would create,
and every part a deck shares with the template, serialised and deflated
once. A deck (:class:`DeckWriter`) is then slides as XML text
(:mod:`reports.render.pptx.shapes`), charts as chart XML plus workbook
(:mod:`reports.render.pptx.chartxml`), and one zip written with
:mod:`reports.render.pptx.zipwriter`.

The output is the package python-pptx would save for the same slides: the
same parts, relationships and content types, fixed dates (deterministic
bytes), placeholders named as in the layout. Layout and placeholder names
stay the contract with template authors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.opc.spec import default_content_types
from pptx.oxml.ns import qn

from reports.errors import RenderError
from reports.render.formatting import clean_text
from reports.render.pptx.chartspec import ChartSpec
from reports.render.pptx.chartxml import chart_workbook_for, chart_xml
from reports.render.pptx.deck import add_slide, layout_names, open_template
from reports.render.pptx.layout_roles import ROLE_BY_KEY, Choice, choose_layouts, missing_layout
from reports.render.pptx.layout_roles import Box as RoleBox
from reports.render.pptx.marks import (
    CUSTOM_CT,
    CUSTOM_PARTNAME,
    CUSTOM_RT,
    SlideRecord,
    custom_properties_xml,
    mark_shapes,
    other_properties,
    text_hash,
)
from reports.render.pptx.shapes import (
    Box,
    Cell,
    chart_frame_xml,
    drawn_text_xml,
    placeholder_tag,
    table_frame_xml,
    text_shape_xml,
)
from reports.render.pptx.slots import LayoutPlaceholder, plan_slots
from reports.render.pptx.template_check import theme_fonts
from reports.render.pptx.xmltext import NS_A, NS_P, NS_R, XML_DECLARATION, text
from reports.render.pptx.zipwriter import ZipMember, deflate, store, zip_bytes

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NOTES_MARK = "csreports-notes"
_LIST_MARK = "csreports-slides"
DEFAULT_FONT = "Calibri"
"""Body font of a master whose theme names none (Carlito measures it where Calibri is missing)."""
_DRAWN_ID = 1000
"""First shape id of the slots csreports draws (above any id a layout placeholder gets)."""
_LEVEL = 1
"""zlib level for the parts written per deck: on the sample, level 1 renders a deck ~15% faster
than level 6 for files ~2% larger."""


@dataclass(frozen=True)
class FrozenPlaceholder:
    """A slot of a slide: a layout placeholder as a new slide gets it (name, shape id, ``p:ph`` tag,
    box in EMU), or a shape csreports draws where the layout has no placeholder (``ph`` empty)."""

    name: str
    shape_id: int
    ph: str
    box: Box
    fill: str | None = None
    """Theme colour filling a drawn shape (KPI tiles on a corporate master)."""
    font: str = DEFAULT_FONT
    """The theme font its text is set in (the heading font for a title): what text is measured with."""
    moved: bool = False
    """A placeholder given a box other than its layout's (sharing it with a drawn slot)."""
    align: str | None = None
    """Alignment of a drawn shape's paragraphs when the writer asks for none."""

    @property
    def drawn(self) -> bool:
        """True when csreports draws the shape at :attr:`box` (no layout placeholder)."""
        return not self.ph


@dataclass(frozen=True)
class FrozenLayout:
    """A slide layout: its name, its part's path from a slide, and its placeholders in order."""

    name: str
    target: str
    """Relationship target from ``/ppt/slides/``, e.g. ``../slideLayouts/slideLayout3.xml``."""
    placeholders: tuple[FrozenPlaceholder, ...]
    font: str = DEFAULT_FONT
    """The master's body font (theme minor font): what text drawn on the slide is measured with."""

    def placeholder(self, name: str) -> FrozenPlaceholder:
        """The placeholder called ``name`` (case-insensitive)."""
        wanted = name.strip().lower()
        for ph in self.placeholders:
            if ph.name.strip().lower() == wanted:
                return ph
        names = ", ".join(repr(p.name) for p in self.placeholders)
        raise RenderError(f"layout {self.name!r} has no placeholder {name!r} (it has: {names})")


def _idx(ph: str) -> str:
    """The ``idx`` of a ``p:ph`` tag ("0" when it has none, as the format says)."""
    found = re.search(r'idx="(\d+)"', ph)
    return found[1] if found else "0"


def _relationships(rels: Sequence[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels
    )
    return f'{XML_DECLARATION}<Relationships xmlns="{_RELS_NS}">{body}</Relationships>'


def _rels_name(partname: str) -> str:
    folder, _, name = partname.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


class DeckTemplate:
    """Everything decks from one PPTX master share, prepared once (see the module docstring).

    Use :func:`deck_template` to get one: it is cached per process by the
    template's sha256.
    """

    def __init__(self, blob: bytes):
        prs = open_template(blob)
        core_part = prs.core_properties.part  # created if the template has none
        notes_master = prs.part.notes_master_part  # created if the template has none
        self.core_partname = str(core_part.partname)
        self.notes_master_target = notes_master.partname.relative_ref("/ppt/notesSlides/")
        self.layout_names = layout_names(prs)

        presentation = prs.part
        self.presentation_partname = str(presentation.partname)
        list_element = presentation._element.get_or_add_sldIdLst()
        list_element.append(etree.Comment(_LIST_MARK))
        xml = etree.tostring(presentation._element, encoding="UTF-8", standalone=True).decode()
        list_element.remove(list_element[-1])
        self.presentation_xml = tuple(xml.split(f"<!--{_LIST_MARK}-->"))
        self.presentation_rels = presentation.rels.xml.decode().removesuffix("</Relationships>")
        """The presentation's relationships to template parts, without the closing tag."""
        self.presentation_rids = frozenset(presentation.rels.keys())

        members: list[ZipMember] = [deflate("_rels/.rels", prs.part.package._rels.xml)]
        self.defaults: dict[str, str] = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
        self.overrides: dict[str, str] = {}
        for part in prs.part.package.iter_parts():
            partname = str(part.partname)
            self._content_type(partname, part.content_type)
            if part is presentation or part is core_part:
                continue
            members.append(deflate(partname.lstrip("/"), part.blob))
            if part._rels:
                members.append(deflate(_rels_name(partname).lstrip("/"), part.rels.xml))
        self.members = tuple(members)
        self.taken = {m.name for m in members}

        scratch = open_template(blob)
        fonts = theme_fonts(scratch)
        self.body_font = fonts.get("minor") or DEFAULT_FONT
        """The theme's body font (text is measured with it or its twin, :mod:`.textfit`)."""
        self.title_font = fonts.get("major") or self.body_font
        self.roles = choose_layouts(scratch)
        """Which layout each kind of slide uses (:mod:`reports.render.pptx.layout_roles`)."""
        self.layouts: dict[str, FrozenLayout] = {}
        masters = list(scratch.slide_masters)
        for choice in self.roles.choices:
            role = ROLE_BY_KEY[choice.role]
            layout = next(lay for lay in masters[choice.master].slide_layouts if lay.name == choice.layout)
            self.layouts[role.layout_name.lower()] = self._freeze(scratch, layout, choice)
        for master in masters:  # any other layout, by its own name, placeholders as the layout names them
            for layout in master.slide_layouts:
                key = layout.name.strip().lower()
                if key not in self.layouts:
                    self.layouts[key] = self._freeze(scratch, layout)
        self.notes_xml = self._notes_template(scratch)

    def _freeze(self, scratch, layout, choice: Choice | None = None) -> FrozenLayout:
        """``layout`` as slides get it; for a role's ``choice``, its placeholders are that role's
        slots (:func:`~reports.render.pptx.slots.plan_slots`), drawn where the layout has none."""
        slide = add_slide(scratch, layout)
        # positions from the layout's placeholders (a slide's are matched to them by idx, which
        # masters written by LibreOffice leave out)
        pairs = zip(slide.placeholders, layout.iter_cloneable_placeholders(), strict=False)
        shapes = [(s, src) for s, src in pairs if src.width is not None and src.left is not None]

        def frozen(shape, name: str, box: Box) -> FrozenPlaceholder:
            ph = shape._element.ph
            title = ph.get("type") in ("title", "ctrTitle")
            font = self.title_font if title else self.body_font
            return FrozenPlaceholder(name, shape.shape_id, placeholder_tag(dict(ph.attrib)), box, font=font)

        def box_of(shape) -> Box:
            return (int(shape.left), int(shape.top), int(shape.width), int(shape.height))

        target = layout.part.partname.relative_ref("/ppt/slides/")
        if choice is None:
            placeholders = tuple(frozen(shape, shape.name, box_of(src)) for shape, src in shapes)
            return FrozenLayout(layout.name, target, placeholders, self.body_font)
        width, height = self.roles.slide_width, self.roles.slide_height
        seen = [  # boxes within the slide: a master's placeholder can reach past its edge
            LayoutPlaceholder(
                src.name, src.placeholder_format.type, RoleBox(*box_of(src)).within(width, height)
            )
            for _, src in shapes
        ]
        tags = [frozen(shape, shape.name, box_of(src)) for shape, src in shapes]
        slots = []
        for number, slot in enumerate(plan_slots(choice.role, seen, choice.content, self.roles.slide_height)):
            box = (slot.box.left, slot.box.top, slot.box.width, slot.box.height)
            if slot.source is None:
                drawn = FrozenPlaceholder(
                    slot.name, _DRAWN_ID + number, "", box, slot.fill, self.body_font, align=slot.align
                )
                slots.append(drawn)
            else:
                shape, source = shapes[slot.source]
                placed = frozen(shape, slot.name, box)
                # a slide placeholder finds its layout's by idx (and type): when two share an idx (masters
                # from LibreOffice give none) or the slot is not the layout's box, it states its box
                ambiguous = sum(_idx(other.ph) == _idx(placed.ph) for other in tags) > 1
                slots.append(replace(placed, moved=ambiguous or box != box_of(source)))
        return FrozenLayout(layout.name, target, tuple(slots), self.body_font)

    def _content_type(self, partname: str, content_type: str) -> None:
        ext = PackURI(partname).ext
        if (ext.lower(), content_type) in default_content_types:
            self.defaults[ext] = content_type
        else:
            self.overrides[partname] = content_type

    @staticmethod
    def _notes_template(scratch) -> tuple[str, str]:
        """The notes slide python-pptx creates, split around its body's paragraphs."""
        notes = scratch.slides[0].notes_slide
        body = notes.notes_placeholder
        if body is None:
            raise RenderError("the PPTX template's notes master has no body placeholder for speaker notes")
        tx_body = body._element.get_or_add_txBody()
        for paragraph in tx_body.findall(qn("a:p")):
            tx_body.remove(paragraph)
        tx_body.append(etree.Comment(_NOTES_MARK))
        xml = etree.tostring(notes._element, encoding="UTF-8", standalone=True).decode()
        head, tail = xml.split(f"<!--{_NOTES_MARK}-->")
        return head, tail

    def layout(self, name: str) -> FrozenLayout:
        """The layout for the kind of slide called ``name`` ("Chart", "KPI" …: csreports' layout
        names, found by role in any master), or else the layout called ``name``; case-insensitive."""
        found = self.layouts.get(name.strip().lower())
        if found is None:
            missing = [r for r in self.roles.missing if r.layout_name.lower() == name.strip().lower()]
            if missing:
                raise RenderError(f"the PPTX template has {missing_layout(missing[0])}")
            raise RenderError(
                f"the PPTX template has no slide layout named {name!r} (it has: {', '.join(self.layout_names)})"
            )
        return found


_DECK_TEMPLATES: dict[bytes, DeckTemplate] = {}


def deck_template(blob: bytes) -> DeckTemplate:
    """The :class:`DeckTemplate` of the master ``blob``, built once per process."""
    digest = hashlib.sha256(blob).digest()
    found = _DECK_TEMPLATES.get(digest)
    if found is None:
        if len(_DECK_TEMPLATES) >= 8:
            _DECK_TEMPLATES.clear()
        try:
            found = _DECK_TEMPLATES[digest] = DeckTemplate(blob)
        except RenderError:
            raise
        except Exception as exc:  # python-pptx raises several kinds for a bad package
            raise RenderError(f"PPTX template is not a readable .pptx ({exc})") from exc
    return found


class SlideDraft:
    """One slide being written: shapes by placeholder, charts and notes."""

    def __init__(self, layout: FrozenLayout):
        self.layout = layout
        self._shapes: dict[int, str] = {}
        self.charts: list[tuple[str, ChartSpec]] = []
        """(relationship id, spec) of each chart on the slide."""
        self.notes = ""
        self.key: str | None = None
        """The slide's key (:mod:`reports.render.pptx.marks`); None: its shapes are not marked."""
        self.record: SlideRecord | None = None
        """What :meth:`xml` marked (set when ``key`` is)."""

    def placeholder(self, name: str) -> FrozenPlaceholder:
        return self.layout.placeholder(name)

    def put(self, ph: FrozenPlaceholder, xml: str) -> None:
        """Fill placeholder ``ph`` with the shape ``xml`` (it keeps the placeholder's z-order)."""
        self._shapes[ph.shape_id] = xml

    def text(self, name: str, body: str) -> None:
        """Fill the text placeholder ``name`` with the ``p:txBody`` ``body``."""
        ph = self.placeholder(name)
        if ph.drawn:
            self.put(ph, drawn_text_xml(ph.shape_id, ph.name, ph.box, body, ph.fill))
        else:
            self.put(ph, text_shape_xml(ph.shape_id, ph.name, ph.ph, body, ph.box if ph.moved else None))

    def chart(self, name: str, spec: ChartSpec, description: str, title: str = "") -> None:
        """Put a native chart of ``spec`` in placeholder ``name``, with alt text."""
        ph = self.placeholder(name)
        rid = f"rId{len(self.charts) + 3}"  # rId1: layout, rId2: notes
        self.charts.append((rid, spec))
        self.put(ph, chart_frame_xml(ph.shape_id, ph.name, ph.ph, rid, ph.box, description, title))

    def table(
        self,
        name: str,
        widths: Sequence[int],
        rows: Sequence[Sequence[Cell]],
        *,
        row_height: int,
        font_pt: float,
        cell_pad: int,
        description: str,
        header_pt: float | None = None,
    ) -> None:
        """Put a table (first row the header, at ``header_pt`` when given) in placeholder ``name``;
        column ``widths`` in EMU."""
        ph = self.placeholder(name)
        xml = table_frame_xml(
            ph.shape_id,
            ph.name,
            ph.ph,
            ph.box,
            widths,
            rows,
            row_height=row_height,
            font_pt=font_pt,
            cell_pad=cell_pad,
            descr=description,
            header_pt=header_pt,
        )
        self.put(ph, xml)

    def shape_xmls(self) -> list[str]:
        """Each shape's XML in z-order; placeholders left unfilled are left out (no empty prompts)."""
        return [self._shapes[p.shape_id] for p in self.layout.placeholders if p.shape_id in self._shapes]

    def xml(self) -> str:
        """The slide part; with a ``key``, its shapes carry ownership marks (see ``record``)."""
        parts = self.shape_xmls()
        if self.key is not None:
            parts, marks = mark_shapes(self.key, parts)
            self.record = SlideRecord(self.key, text_hash(_notes_paragraphs(self.notes)), marks)
        shapes = "".join(parts)
        return (
            f'{XML_DECLARATION}<p:sld xmlns:a="{NS_A}" xmlns:p="{NS_P}" xmlns:r="{NS_R}"><p:cSld><p:spTree>'
            '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
            f"{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
        )


def _notes_paragraphs(notes: str) -> str:
    return "".join(
        f"<a:p><a:r><a:t>{text(line)}</a:t></a:r></a:p>" if line else "<a:p/>"
        for line in clean_text(notes).split("\n")
    )


def _free(taken: set[str], pattern: str, start: int) -> tuple[str, int]:
    n = start
    while pattern % n in taken:
        n += 1
    return pattern % n, n


def _core_xml(title: str, author: str, date: dt.date) -> str:
    stamp = f"{date.isoformat()}T00:00:00Z"
    title, author = text(clean_text(title)[:255]), text(clean_text(author)[:255])
    return (
        f"{XML_DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
        f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )


class DeckWriter:
    """A deck on a :class:`DeckTemplate`: add slides, then :meth:`to_bytes`."""

    def __init__(self, template: DeckTemplate):
        self.template = template
        self.slides: list[SlideDraft] = []
        self.subject = ""
        """Whom the deck is about (a QBR deck's account id), kept in its deck record so an update
        never merges another account's deck into it."""

    def add_slide(self, layout_name: str) -> SlideDraft:
        """Append a slide of the layout called ``layout_name``."""
        slide = SlideDraft(self.template.layout(layout_name))
        self.slides.append(slide)
        return slide

    def to_bytes(self, *, title: str, author: str, date: dt.date) -> bytes:
        """The .pptx package: same slides, title, author and date give the same bytes."""
        tpl = self.template
        taken = set(tpl.taken)
        overrides = dict(tpl.overrides)
        defaults = dict(tpl.defaults)
        members: list[ZipMember] = []
        used_rids = set(tpl.presentation_rids)
        pres_rels: list[tuple[str, str, str]] = []
        slide_ids: list[str] = []
        next_rid, slide_no, chart_no = 1, 1, 1
        for index, slide in enumerate(self.slides):
            slide_name, slide_no = _free(taken, "ppt/slides/slide%d.xml", slide_no)
            notes_name, _ = _free(taken, "ppt/notesSlides/notesSlide%d.xml", slide_no)
            taken.update((slide_name, notes_name))
            while f"rId{next_rid}" in used_rids:
                next_rid += 1
            rid = f"rId{next_rid}"
            used_rids.add(rid)
            pres_rels.append((rid, RT.SLIDE, slide_name.removeprefix("ppt/")))
            slide_ids.append(f'<p:sldId id="{256 + index}" r:id="{rid}"/>')
            slide_target = "../slides/" + slide_name.rpartition("/")[2]
            rels = [
                ("rId1", RT.SLIDE_LAYOUT, slide.layout.target),
                ("rId2", RT.NOTES_SLIDE, "../notesSlides/" + notes_name.rpartition("/")[2]),
            ]
            for chart_rid, spec in slide.charts:
                chart_name, chart_no = _free(taken, "ppt/charts/chart%d.xml", chart_no)
                book_name, _ = _free(taken, "ppt/embeddings/Microsoft_Excel_Sheet%d.xlsx", chart_no)
                taken.update((chart_name, book_name))
                rels.append((chart_rid, RT.CHART, "../charts/" + chart_name.rpartition("/")[2]))
                members.append(deflate(chart_name, chart_xml(spec).encode(), _LEVEL))
                book_target = "../embeddings/" + book_name.rpartition("/")[2]
                members.append(
                    deflate(
                        _rels_name(chart_name), _relationships([("rId1", RT.PACKAGE, book_target)]).encode()
                    )
                )
                members.append(store(book_name, chart_workbook_for(spec)))
                overrides["/" + chart_name] = CT.DML_CHART
                defaults["xlsx"] = _XLSX
            members.append(deflate(slide_name, slide.xml().encode(), _LEVEL))
            members.append(deflate(_rels_name(slide_name), _relationships(rels).encode(), _LEVEL))
            head, tail = tpl.notes_xml
            members.append(
                deflate(notes_name, (head + _notes_paragraphs(slide.notes) + tail).encode(), _LEVEL)
            )
            notes_rels = [
                ("rId1", RT.NOTES_MASTER, tpl.notes_master_target),
                ("rId2", RT.SLIDE, slide_target),
            ]
            members.append(deflate(_rels_name(notes_name), _relationships(notes_rels).encode(), _LEVEL))
            overrides["/" + slide_name] = CT.PML_SLIDE
            overrides["/" + notes_name] = CT.PML_NOTES_SLIDE
        head, tail = tpl.presentation_xml
        presentation = tpl.presentation_partname.lstrip("/")
        shared = tpl.members
        records = [s.record for s in self.slides if s.record is not None]
        if records:
            shared, record = _with_record(tpl, records, self.subject)
            overrides["/" + CUSTOM_PARTNAME] = CUSTOM_CT
            members += record
        front = [
            deflate("[Content_Types].xml", _content_types(defaults, overrides).encode(), _LEVEL),
            deflate(presentation, (head + "".join(slide_ids) + tail).encode(), _LEVEL),
            deflate(_rels_name(presentation), _presentation_rels(tpl.presentation_rels, pres_rels), _LEVEL),
            deflate(tpl.core_partname.lstrip("/"), _core_xml(title, author, date).encode(), _LEVEL),
        ]
        return zip_bytes([front[0], *shared, *front[1:], *members])


_RECORD_BASE: dict[int, tuple[DeckTemplate, tuple[ZipMember, ...], str, list[tuple[str, str]]]] = {}


def _with_record(
    tpl: DeckTemplate, records: Sequence[SlideRecord], subject: str
) -> tuple[tuple[ZipMember, ...], list[ZipMember]]:
    """The template's shared members without its package relationships and custom properties, and
    those two written again with the deck record for ``subject`` (:mod:`reports.render.pptx.marks`)."""
    found = _RECORD_BASE.get(id(tpl))
    if found is None or found[0] is not tpl:
        members = {m.name: m for m in tpl.members}
        rels = zlib.decompress(members["_rels/.rels"].data, -15).decode()
        others: list[tuple[str, str]] = []
        custom = members.get(CUSTOM_PARTNAME)
        if custom is not None:
            others = other_properties(
                zlib.decompress(custom.data, -15) if custom.method == 8 else custom.data
            )
        else:
            rels = rels.replace(
                "</Relationships>",
                f'<Relationship Id="rIdCsReports" Type="{CUSTOM_RT}" Target="{CUSTOM_PARTNAME}"/></Relationships>',
            )
        kept = tuple(m for m in tpl.members if m.name not in ("_rels/.rels", CUSTOM_PARTNAME))
        if len(_RECORD_BASE) >= 8:
            _RECORD_BASE.clear()
        found = _RECORD_BASE[id(tpl)] = (tpl, kept, rels, others)
    _tpl, kept, rels, others = found
    written = [
        deflate("_rels/.rels", rels.encode(), _LEVEL),
        deflate(CUSTOM_PARTNAME, custom_properties_xml(records, others, subject).encode(), _LEVEL),
    ]
    return kept, written


def _presentation_rels(template_rels: str, slides: Sequence[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in slides
    )
    return (template_rels + body + "</Relationships>").encode()


def _content_types(defaults: dict[str, str], overrides: dict[str, str]) -> str:
    body = "".join(f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in sorted(defaults.items()))
    body += "".join(
        f'<Override PartName="{name}" ContentType="{ct}"/>' for name, ct in sorted(overrides.items())
    )
    return f'{XML_DECLARATION}<Types xmlns="{_CT_NS}">{body}</Types>'
