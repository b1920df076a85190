"""Update a deck the CSM edited from a fresh render: refresh what csreports owns, keep their edits.

:func:`update_deck` takes the earlier deck as the base, so everything the
CSM made (their slides, pictures, charts, media, master edits, order) stays
with its relationships, and uses the marks of :mod:`reports.render.pptx.marks`
to find what csreports wrote in it:

- an owned slide still rendered gets its owned shapes swapped for the fresh
  ones (text, tables; charts get new chart parts and workbooks), unless the
  CSM edited a shape's text: then their text stays and is listed as a kept
  edit. Speaker notes likewise. Owned shapes no longer rendered go, unless
  edited; shapes the CSM added stay;
- a slide that is new in this render goes after the owned slide that
  precedes it in the fresh render; a slide on record but gone from the deck
  was deleted by the CSM and stays deleted;
- an owned slide no longer rendered (a table now a page shorter) goes,
  unless the CSM edited or added to it: then it stays and is listed.

Raises :class:`NotOurDeck` for a file that is not a readable .pptx or has no
deck record.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import cast

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.parts.chart import ChartPart
from pptx.presentation import Presentation as PresentationT
from pptx.slide import Slide

from reports.errors import CsReportsError
from reports.render.pptx.deck import save_deterministic
from reports.render.pptx.marks import (
    CUSTOM_CT,
    CUSTOM_PARTNAME,
    CUSTOM_RT,
    DeckRecord,
    ShapeMark,
    SlideRecord,
    custom_properties_xml,
    element_hash,
    element_text,
    parse_mark,
    read_record,
)

_SHAPES = {qn("p:sp"), qn("p:graphicFrame")}
_EMPTY = element_hash(etree.Element(qn("p:sp")))
_EXCERPT = 60


class NotOurDeck(CsReportsError):
    """The earlier file is not a deck csreports wrote (or not a readable .pptx)."""


@dataclass(frozen=True)
class KeptEdit:
    """Text of csreports' the CSM rewrote, kept: the slide's key, the shape (slot) and an excerpt."""

    slide: str
    shape: str
    excerpt: str

    def record(self) -> dict[str, str]:
        return {"slide": self.slide, "shape": self.shape, "text": self.excerpt}


@dataclass(frozen=True)
class UpdateResult:
    """The updated deck's bytes, the CSM's edits of owned text that were kept, and what changed."""

    deck: bytes
    kept_edits: tuple[KeptEdit, ...] = ()
    notes: tuple[str, ...] = ()


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1].rstrip() + "…"


def _open(blob: bytes, what: str) -> PresentationT:
    try:
        return Presentation(io.BytesIO(blob))
    except Exception as exc:  # python-pptx raises several kinds for a bad package
        raise NotOurDeck(f"is not a readable .pptx ({type(exc).__name__})") from exc


def _custom_part(prs: PresentationT) -> Part | None:
    try:
        return prs.part.package.part_related_by(CUSTOM_RT)
    except KeyError:
        return None


def _record(prs: PresentationT) -> DeckRecord | None:
    part = _custom_part(prs)
    return None if part is None else read_record(part.blob)


def _name_of(element: etree._Element) -> str:
    found = element.xpath("./*[1]/p:cNvPr")
    return found[0].get("name", "") if found else ""


def _shapes(slide: Slide) -> list[etree._Element]:
    return [el for el in slide.shapes._spTree.iterchildren() if el.tag in _SHAPES]


def _ph_type(element: etree._Element) -> str | None:
    """``t`` (title), ``p`` (other placeholder) or None (not a placeholder)."""
    found = element.xpath("./*[1]/p:nvPr/p:ph")
    if not found:
        return None
    return "t" if found[0].get("type") in ("title", "ctrTitle") else "p"


@dataclass
class _Owned:
    """An old slide recognised as csreports': its key and its owned shapes by slot."""

    slide: Slide
    key: str
    slots: dict[str, etree._Element] = field(default_factory=dict)


def _identify(slides: list[Slide], record: DeckRecord) -> dict[int, _Owned]:
    """The old slides csreports wrote, by position: by the marks in shape names, else by the hashes
    of the text it wrote (a LibreOffice round trip drops placeholder names)."""
    by_hash: dict[str, list[str]] = {}
    for key in record.keys:
        for mark in record.slides[key].shapes:
            if mark.hash != _EMPTY:
                by_hash.setdefault(mark.hash, []).append(key)
    taken: set[str] = set()
    found: dict[int, _Owned] = {}
    for index, slide in enumerate(slides):
        votes: dict[str, float] = {}
        for element in _shapes(slide):
            named = parse_mark(_name_of(element))
            if named is not None and named[1] in record.slides:
                votes[named[1]] = votes.get(named[1], 0) + 2
            matches = by_hash.get(element_hash(element), [])
            for key in set(matches):
                votes[key] = votes.get(key, 0) + 1 / len(matches)
        ranked = [key for key in sorted(votes, key=lambda k: -votes[k]) if key not in taken]
        if ranked:
            taken.add(ranked[0])
            found[index] = _Owned(slide, ranked[0], _slots(slide, record.slides[ranked[0]]))
    return found


def _slots(slide: Slide, record: SlideRecord) -> dict[str, etree._Element]:
    """The owned shapes of ``slide`` by slot: marked names first, then text hashes, then the
    placeholders left over paired with the owned placeholders left over (edited ones)."""
    elements = _shapes(slide)
    slots: dict[str, etree._Element] = {}
    for element in elements:
        named = parse_mark(_name_of(element))
        if named is not None and named[1] == record.key and named[0] not in slots:
            slots[named[0]] = element
    used = {id(e) for e in slots.values()}
    free = [e for e in elements if id(e) not in used and parse_mark(_name_of(e)) is None]
    for mark in record.shapes:
        if mark.slot in slots:
            continue
        for element in free:
            if id(element) not in used and element_hash(element) == mark.hash:
                slots[mark.slot] = element
                used.add(id(element))
                break
    for kind in ("t", "p"):
        left = [e for e in free if id(e) not in used and _ph_type(e) == kind]
        wanted = [m for m in record.shapes if m.kind == kind and m.slot not in slots]
        for mark, element in zip(wanted, left, strict=False):
            slots[mark.slot] = element
            used.add(id(element))
    return slots


class _Copier:
    """Copies fresh shapes into the old package, with new chart parts for their charts."""

    def __init__(self, old: PresentationT):
        self.package = old.part.package

    def shape(self, element: etree._Element, fresh: Slide, target: Slide, *, pin: bool) -> etree._Element:
        out = copy.deepcopy(element)
        for chart in out.iter(qn("c:chart")):
            rid = chart.get(qn("r:id"))
            chart.set(qn("r:id"), self._chart(cast(ChartPart, fresh.part.related_part(rid)), target))
        if pin and out.tag == qn("p:sp"):
            _pin(out, element, fresh)
        return out

    def _chart(self, fresh_chart: ChartPart, target: Slide) -> str:
        partname = self.package.next_partname("/ppt/charts/chart%d.xml")
        chart = ChartPart.load(PackURI(partname), CT.DML_CHART, self.package, fresh_chart.blob)
        for data in chart._element.findall(qn("c:externalData")):
            chart._element.remove(data)
        rid = target.part.relate_to(chart, RT.CHART)
        xlsx = fresh_chart.chart_workbook.xlsx_part
        if xlsx is not None:
            chart.chart_workbook.update_from_xlsx_blob(xlsx.blob)
        return rid


def _pin(out: etree._Element, element: etree._Element, fresh: Slide) -> None:
    """Give a copied placeholder its position explicitly (the old deck's layouts may differ)."""
    sp_pr = out.find(qn("p:spPr"))
    if sp_pr is None or sp_pr.find(qn("a:xfrm")) is not None:
        return
    shape = next((s for s in fresh.shapes if s._element is element), None)
    if shape is None or shape.left is None:
        return
    xfrm = etree.SubElement(sp_pr, qn("a:xfrm"))
    sp_pr.insert(0, xfrm)
    etree.SubElement(xfrm, qn("a:off"), x=str(int(shape.left)), y=str(int(shape.top)))
    etree.SubElement(xfrm, qn("a:ext"), cx=str(int(shape.width)), cy=str(int(shape.height)))


def _fresh_slots(slide: Slide) -> dict[str, etree._Element]:
    out = {}
    for element in _shapes(slide):
        mark = parse_mark(_name_of(element))
        if mark is not None:
            out[mark[0]] = element
    return out


def _renumber(slide: Slide, added: list[etree._Element]) -> None:
    """Give shapes copied onto ``slide`` ids no other shape there has."""
    ids = [el for el in slide.shapes._spTree.iter(qn("p:cNvPr"))]
    mine = {id(el.xpath("./*[1]/p:cNvPr")[0]) for el in added if el.xpath("./*[1]/p:cNvPr")}
    taken = {int(c.get("id", "0")) for c in ids if id(c) not in mine and c.get("id", "").isdigit()}
    top = max(taken, default=1)
    for c in ids:
        if id(c) in mine:
            value = int(c.get("id", "0")) if c.get("id", "").isdigit() else 0
            if value in taken or value == 0:
                top += 1
                value = top
            taken.add(value)
            c.set("id", str(value))


def _drop_unused_rels(slide: Slide, rids: list[str]) -> None:
    for rid in rids:
        slide.part.drop_rel(rid)


def _chart_rids(element: etree._Element) -> list[str]:
    return [c.get(qn("r:id")) for c in element.iter(qn("c:chart")) if c.get(qn("r:id"))]


def _notes_text(slide: Slide) -> str | None:
    if not slide.has_notes_slide:
        return None
    body = slide.notes_slide.notes_placeholder
    return None if body is None else element_text(body._element)


def _set_notes(slide: Slide, text: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    if frame is not None:
        frame.text = text


def _fresh_notes(slide: Slide) -> str:
    if not slide.has_notes_slide or slide.notes_slide.notes_text_frame is None:
        return ""
    return slide.notes_slide.notes_text_frame.text


class _Merge:
    def __init__(self, old: PresentationT, fresh: PresentationT, old_rec: DeckRecord, fresh_rec: DeckRecord):
        self.old, self.fresh = old, fresh
        self.old_rec, self.fresh_rec = old_rec, fresh_rec
        self.copier = _Copier(old)
        self.kept: list[KeptEdit] = []
        self.notes: list[str] = []
        self.records: dict[str, SlideRecord] = {}
        self.fresh_slides = dict(zip(fresh_rec.keys, fresh.slides, strict=False))

    def run(self) -> None:
        old_slides = list(self.old.slides)
        owned = _identify(old_slides, self.old_rec)
        kept_old_keys: list[str] = []
        drop: list[Slide] = []
        for index in sorted(owned):
            found = owned[index]
            if found.key in self.fresh_slides:
                self._refresh(found)
            elif self._edited(found):
                kept_old_keys.append(found.key)
                self.records[found.key] = self.old_rec.slides[found.key]
                self.kept.append(KeptEdit(found.key, "slide", "no longer rendered; kept as edited"))
            else:
                drop.append(found.slide)
        for slide in drop:
            self._remove(slide)
        self._insert_new({o.key: o.slide for o in owned.values()})
        keys = [*self.fresh_rec.keys, *kept_old_keys]
        for key in self.fresh_rec.keys:
            self.records.setdefault(key, self.fresh_rec.slides[key])
        self._write_record([self.records[k] for k in keys])

    # ---------------------------------------------------------------- owned slides

    def _edited(self, found: _Owned) -> bool:
        record = self.old_rec.slides[found.key]
        hashes = {m.slot: m.hash for m in record.shapes}
        if any(element_hash(el) != hashes.get(slot) for slot, el in found.slots.items()):
            return True
        owned = {id(el) for el in found.slots.values()}
        if any(id(el) not in owned for el in found.slide.shapes._spTree.iterchildren() if _is_shape(el)):
            return True
        notes = _notes_text(found.slide)
        return notes is not None and element_hash(_text_element(notes)) != record.notes

    def _refresh(self, found: _Owned) -> None:
        key, slide = found.key, found.slide
        old_record = self.old_rec.slides[key]
        fresh_slide = self.fresh_slides[key]
        fresh_record = self.fresh_rec.slides[key]
        fresh = _fresh_slots(fresh_slide)
        fresh_marks = {m.slot: m for m in fresh_record.shapes}
        written = {m.slot for m in old_record.shapes}
        marks: list[ShapeMark] = []
        added: list[etree._Element] = []
        unused: list[str] = []
        tree = slide.shapes._spTree
        for mark in old_record.shapes:
            element = found.slots.get(mark.slot)
            if element is None:  # the CSM deleted it
                continue
            if element_hash(element) != mark.hash:
                text = element_text(element)
                self.kept.append(KeptEdit(key, mark.slot, _excerpt(text)))
                marks.append(mark)
                continue
            unused += _chart_rids(element)
            if mark.slot not in fresh:
                tree.remove(element)
                continue
            new = self.copier.shape(fresh[mark.slot], fresh_slide, slide, pin=False)
            _keep_position(new, element)
            element.addprevious(new)
            tree.remove(element)
            added.append(new)
            marks.append(fresh_marks[mark.slot])
        for slot, element in fresh.items():
            if slot in written:
                continue
            new = self.copier.shape(element, fresh_slide, slide, pin=True)
            tree.append(new)
            added.append(new)
            marks.append(fresh_marks[slot])
        _renumber(slide, added)
        _drop_unused_rels(slide, unused)
        notes_hash = self._refresh_notes(key, slide, old_record, fresh_slide, fresh_record)
        self.records[key] = SlideRecord(key, notes_hash, marks)

    def _refresh_notes(
        self, key: str, slide: Slide, old: SlideRecord, fresh_slide: Slide, fresh: SlideRecord
    ) -> str:
        current = _notes_text(slide)
        if current is not None and current and element_hash(_text_element(current)) != old.notes:
            self.kept.append(KeptEdit(key, "notes", _excerpt(current)))
            return old.notes
        _set_notes(slide, _fresh_notes(fresh_slide))
        return fresh.notes

    def _remove(self, slide: Slide) -> None:
        id_list = self.old.slides._sldIdLst
        for sld_id in list(id_list):
            rid = sld_id.get(qn("r:id"))
            if self.old.part.related_part(rid) is slide.part:
                id_list.remove(sld_id)
                self.old.part.drop_rel(rid)

    # ---------------------------------------------------------------- new slides

    def _insert_new(self, present: dict[str, Slide]) -> None:
        on_record = set(self.old_rec.keys)
        previous: Slide | None = None
        for key in self.fresh_rec.keys:
            if key in present:
                previous = present[key] if self._still_there(present[key]) else previous
                continue
            if key in on_record:  # deleted by the CSM: stays deleted
                continue
            slide = self._new_slide(self.fresh_slides[key], previous)
            self._move_after(slide, previous)
            present[key] = previous = slide
            self.notes.append(f"new slide {key}")

    def _still_there(self, slide: Slide) -> bool:
        return any(s.part is slide.part for s in self.old.slides)

    def _new_slide(self, fresh: Slide, near: Slide | None) -> Slide:
        name = fresh.slide_layout.name.strip().lower()
        layouts = [layout for master in self.old.slide_masters for layout in master.slide_layouts]
        layout = next((lay for lay in layouts if lay.name.strip().lower() == name), None)
        if layout is None:
            layout = near.slide_layout if near is not None else layouts[0]
        slide = self.old.slides.add_slide(layout)
        # python-pptx names the part by the slide count, which a deleted slide makes a name in use
        slide.part.partname = PackURI("/ppt/slides/slide0.xml")
        slide.part.partname = self.old.part.package.next_partname("/ppt/slides/slide%d.xml")
        tree = slide.shapes._spTree
        for element in list(tree.iterchildren()):
            if _is_shape(element):
                tree.remove(element)
        added = []
        for element in _shapes(fresh):
            new = self.copier.shape(element, fresh, slide, pin=True)
            tree.append(new)
            added.append(new)
        _renumber(slide, added)
        notes = _fresh_notes(fresh)
        if notes:
            _set_notes(slide, notes)
        return slide

    def _move_after(self, slide: Slide, previous: Slide | None) -> None:
        id_list = self.old.slides._sldIdLst
        entries = list(id_list)
        mine = entries[-1]
        id_list.remove(mine)
        if previous is None:
            id_list.insert(0, mine)
            return
        for sld_id in entries[:-1]:
            if self.old.part.related_part(sld_id.get(qn("r:id"))) is previous.part:
                sld_id.addnext(mine)
                return
        id_list.append(mine)

    # ---------------------------------------------------------------- record

    def _write_record(self, records: list[SlideRecord]) -> None:
        part = _custom_part(self.old)
        others = self.old_rec.others
        xml = custom_properties_xml(records, others, self.fresh_rec.subject).encode()
        if part is not None:
            part._blob = xml  # a generic part: its bytes are what is saved
            return
        package = self.old.part.package
        part = Part(PackURI("/" + CUSTOM_PARTNAME), CUSTOM_CT, package, xml)
        package.relate_to(part, CUSTOM_RT)


def _is_shape(element: etree._Element) -> bool:
    return element.tag not in (qn("p:nvGrpSpPr"), qn("p:grpSpPr"), qn("p:extLst")) and isinstance(
        element.tag, str
    )


def _text_element(text: str) -> etree._Element:
    """A stand-in element holding ``text`` as one paragraph, to hash read-back text alike."""
    root = etree.Element(qn("p:txBody"))
    run = etree.SubElement(etree.SubElement(etree.SubElement(root, qn("a:p")), qn("a:r")), qn("a:t"))
    run.text = text
    return root


def _keep_position(new: etree._Element, old: etree._Element) -> None:
    """A refreshed text shape stays where the old one was (moved by the CSM, or pinned by LibreOffice)."""
    if new.tag != qn("p:sp"):
        return
    old_xfrm = old.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
    sp_pr = new.find(qn("p:spPr"))
    if old_xfrm is None or sp_pr is None:
        return
    for xfrm in sp_pr.findall(qn("a:xfrm")):
        sp_pr.remove(xfrm)
    sp_pr.insert(0, copy.deepcopy(old_xfrm))


def update_deck(old: bytes, fresh: bytes) -> UpdateResult:
    """``fresh`` (a deck csreports just rendered) merged into ``old`` (the same deck, edited).

    Raises :class:`NotOurDeck` when ``old`` is not a readable .pptx or carries
    no csreports deck record. The result is saved deterministically with
    ``fresh``'s title, author and date.
    """
    old_prs = _open(old, "the earlier deck")
    old_rec = _record(old_prs)
    if old_rec is None:
        raise NotOurDeck("is not a deck csreports wrote (no csreports deck record)")
    fresh_prs = Presentation(io.BytesIO(fresh))
    fresh_rec = _record(fresh_prs)
    if fresh_rec is None:
        raise CsReportsError("the fresh deck carries no deck record")
    if old_rec.subject != fresh_rec.subject:
        raise NotOurDeck(f"was written for {old_rec.subject or 'another deck'}, not {fresh_rec.subject}")
    merge = _Merge(old_prs, fresh_prs, old_rec, fresh_rec)
    merge.run()
    core = fresh_prs.core_properties
    created = core.created
    blob = save_deterministic(
        old_prs,
        title=core.title or "",
        author=core.author or "",
        date=created.date() if created is not None else dt.date(2000, 1, 1),
    )
    return UpdateResult(blob, tuple(merge.kept), tuple(merge.notes))
