"""Where each named part of a slide goes on a layout that was not made for csreports.

Document code fills *slots* by name: "Title", "Chart" and "Commentary" on a
chart slide, "KPI 1" … "KPI 4" on a KPI slide, "Table" and "Footnote" on a
table slide (:data:`SLOTS`). csreports' own master has a placeholder of that
name for every slot. A corporate master has its own placeholders, named in
its own language, and usually none for KPI tiles or a chart's commentary.

:func:`plan_slots` maps each slot to a placeholder of the chosen layout — the
one with the slot's name, else one of the right type in reading order — or,
when the layout has none, to a box csreports draws itself inside the layout's
content area (KPI tiles in a row above the commentary; a chart with its
commentary beside it; a table with a footnote strip under it). A drawn box
stays within the content area, so the master's margins, title and footers
are respected at any slide size.

Pure: placeholders in, slots out; no python-pptx, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pptx.enum.shapes import PP_PLACEHOLDER

from reports.render.pptx.layout_roles import TITLE_TYPES, Box

SLOTS: dict[str, tuple[str, ...]] = {
    "title": ("Title", "Subtitle", "Meta"),
    "section": ("Title", "Text"),
    "content": ("Title", "Content"),
    "two_content": ("Title", "Left", "Right"),
    "chart": ("Title", "Chart", "Commentary"),
    "table": ("Title", "Table", "Footnote"),
    "kpi": ("Title", "KPI 1", "KPI 2", "KPI 3", "KPI 4", "Commentary"),
    "title_only": ("Title",),
    "blank": (),
}
"""Every role's slots, in the order they are planned."""

KPI_TILES = 4
KPI_TILE_FILL = "bg2"
"""Theme colour of a drawn KPI tile (what csreports' own master uses)."""
GAP_SHARE = 0.025
"""Gap between drawn boxes, as a share of the content area's width."""
CHART_SHARE = 0.64
"""Share of the content area's width a drawn chart takes; its commentary gets the rest."""
KPI_ROW_SHARE = 0.38
"""Share of the content area's height the drawn KPI tiles take."""
FOOTNOTE_SHARE = 0.1
"""Share of the content area's height a drawn footnote strip takes."""
MIN_META_HEIGHT = 457_200
"""Room (0.5 in) a title slide needs under its subtitle to draw the date and author there."""


@dataclass(frozen=True)
class LayoutPlaceholder:
    """A placeholder of the chosen layout as planning sees it."""

    name: str
    type: PP_PLACEHOLDER
    box: Box


@dataclass(frozen=True)
class Slot:
    """Where one slot goes: placeholder number ``source`` of the layout, or a drawn ``box``."""

    name: str
    box: Box
    source: int | None
    """Index into the layout's placeholders; ``None`` when csreports draws the shape itself."""
    fill: str | None = None
    """Theme colour filling a drawn shape (KPI tiles), ``None`` for none."""
    align: str | None = None
    """Paragraph alignment of a drawn shape's text ("ctr" under a centred title), ``None`` for left."""


_TEXT = frozenset({PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT})


def _split_columns(area: Box, left_share: float) -> tuple[Box, Box]:
    gap = round(area.width * GAP_SHARE)
    left_w = round((area.width - gap) * left_share)
    return (
        Box(area.left, area.top, left_w, area.height),
        Box(area.left + left_w + gap, area.top, area.width - left_w - gap, area.height),
    )


def _split_rows(area: Box, top_share: float) -> tuple[Box, Box]:
    gap = round(area.width * GAP_SHARE)
    top_h = round((area.height - gap) * top_share)
    return (
        Box(area.left, area.top, area.width, top_h),
        Box(area.left, area.top + top_h + gap, area.width, area.height - top_h - gap),
    )


def _tiles(area: Box, count: int) -> list[Box]:
    gap = round(area.width * GAP_SHARE)
    width = (area.width - gap * (count - 1)) // count
    return [Box(area.left + i * (width + gap), area.top, width, area.height) for i in range(count)]


class _Plan:
    """The slots of one layout as they are decided: placeholders taken, boxes drawn."""

    def __init__(self, placeholders: Sequence[LayoutPlaceholder]):
        self.placeholders = placeholders
        self.used: set[int] = set()
        self.slots: dict[str, Slot] = {}

    def named(self, name: str) -> int | None:
        """The unused placeholder called ``name`` (case aside)."""
        wanted = name.lower()
        return next(
            (
                i
                for i, p in enumerate(self.placeholders)
                if i not in self.used and p.name.strip().lower() == wanted
            ),
            None,
        )

    def of_type(self, types: frozenset | set, below: int = 0) -> list[int]:
        """Unused placeholders of ``types`` whose top is at ``below`` or lower, in reading order."""
        found = [
            i
            for i, p in enumerate(self.placeholders)
            if i not in self.used and p.type in types and p.box.top >= below
        ]
        return sorted(found, key=lambda i: (self.placeholders[i].box.top, self.placeholders[i].box.left))

    def take(self, name: str, index: int) -> None:
        self.used.add(index)
        self.slots[name] = Slot(name, self.placeholders[index].box, index)

    def draw(self, name: str, box: Box, fill: str | None = None, align: str | None = None) -> None:
        self.slots[name] = Slot(name, box, None, fill, align)


def plan_slots(
    role: str, placeholders: Sequence[LayoutPlaceholder], content: Box, slide_height: int
) -> list[Slot]:
    """Each slot of ``role`` (:data:`SLOTS`) on a layout with ``placeholders``.

    ``content`` is the layout's content area below the title and ``slide_height`` the slide's, in EMU
    (:func:`~reports.render.pptx.layout_roles.content_box`). A slot takes the
    placeholder of its name when there is one; otherwise the rules for its
    role pick a placeholder by type, or draw it in ``content``. A slot with
    nowhere to go (a title slide's "Meta" with no room) is left out.
    """
    plan = _Plan(placeholders)
    for name in SLOTS[role]:
        found = plan.named(name)
        if found is not None:
            plan.take(name, found)
    slots = plan.slots
    if "Title" not in slots:
        titles = plan.of_type(TITLE_TYPES)
        if titles:
            plan.take("Title", titles[0])
    title = slots.get("Title")
    below = title.box.bottom - content.height // 100 if title else 0
    if role == "title":
        _plan_title_slide(plan, slide_height)
    elif role in ("section", "content"):
        name = "Text" if role == "section" else "Content"
        if name not in slots:
            bodies = plan.of_type(_TEXT, below)
            plan.take(name, bodies[0]) if bodies else plan.draw(name, content)
    elif role == "two_content":
        bodies = sorted(plan.of_type(_TEXT, below), key=lambda i: placeholders[i].box.left)
        for index, (name, half) in enumerate(
            zip(("Left", "Right"), _split_columns(content, 0.5), strict=True)
        ):
            if name not in slots:
                plan.take(name, bodies[index]) if len(bodies) > index else plan.draw(name, half)
    elif role == "chart":
        _plan_pair(plan, content, below, "Chart", PP_PLACEHOLDER.CHART)
    elif role == "table":
        _plan_pair(plan, content, below, "Table", PP_PLACEHOLDER.TABLE)
    elif role == "kpi":
        tiles_area, commentary_area = _split_rows(content, KPI_ROW_SHARE)
        for index, box in enumerate(_tiles(tiles_area, KPI_TILES)):
            if f"KPI {index + 1}" not in slots:
                plan.draw(f"KPI {index + 1}", box, KPI_TILE_FILL)
        if "Commentary" not in slots:
            plan.draw("Commentary", commentary_area)
    return [slots[name] for name in SLOTS[role] if name in slots]


def _plan_title_slide(plan: _Plan, slide_height: int) -> None:
    """Subtitle and Meta (date, CSM) under the title: placeholders when there are; else Meta is
    drawn under the subtitle, or in the lower part of the subtitle's box when there is no room
    under it."""
    slots = plan.slots
    if "Subtitle" not in slots:
        subtitles = plan.of_type({PP_PLACEHOLDER.SUBTITLE})
        if subtitles:
            plan.take("Subtitle", subtitles[0])
    if "Meta" in slots:
        return
    bodies = plan.of_type(_TEXT)
    if bodies:
        plan.take("Meta", bodies[0])
        return
    title = slots.get("Title")
    above = slots.get("Subtitle") or title
    if above is None:
        return
    title_type = (
        plan.placeholders[title.source].type if title is not None and title.source is not None else None
    )
    align = "ctr" if title_type == PP_PLACEHOLDER.CENTER_TITLE else None
    room = slide_height - slide_height // 15 - above.box.bottom
    if room >= min(above.box.height // 2, MIN_META_HEIGHT):
        box = Box(above.box.left, above.box.bottom, above.box.width, min(room, above.box.height // 2))
    else:
        upper, box = _split_rows(above.box, 0.6)
        slots[above.name] = Slot(above.name, upper, above.source)
    plan.draw("Meta", box, align=align)


def _plan_pair(plan: _Plan, content: Box, below: int, main: str, kind: PP_PLACEHOLDER) -> None:
    """A chart or table and the text that goes with it (commentary beside a chart, footnote under
    a table): a placeholder of the main kind when the layout has one, with the text in another
    text placeholder; otherwise one content placeholder's area (or the content area) shared."""
    slots = plan.slots
    side = "Commentary" if main == "Chart" else "Footnote"
    if main not in slots:
        special = plan.of_type({kind}, below)
        if special:
            plan.take(main, special[0])
    if main in slots:
        if side not in slots:
            bodies = plan.of_type(_TEXT, below)
            if bodies:
                plan.take(side, bodies[0])
            else:  # the placeholder's own area, shared
                main_box, side_box = _shared(slots[main].box, main)
                slots[main] = Slot(main, main_box, slots[main].source)
                plan.draw(side, side_box)
        return
    if side in slots:
        plan.draw(main, _area_without(content, slots[side].box, main))
        return
    main_box, side_box = _shared(content, main)
    plan.draw(main, main_box)
    plan.draw(side, side_box)


def _shared(area: Box, main: str) -> tuple[Box, Box]:
    """``area`` shared by a chart and its commentary (side by side) or a table and its footnote
    (a strip under it)."""
    if main == "Chart":
        return _split_columns(area, CHART_SHARE)
    return _split_rows(area, 1 - FOOTNOTE_SHARE)


def _area_without(content: Box, side: Box, main: str) -> Box:
    """``content`` less the part ``side`` takes: what is left of it, or above it."""
    gap = round(content.width * GAP_SHARE)
    if main == "Chart" and side.left > content.left + content.width // 3:
        return Box(content.left, content.top, max(side.left - gap - content.left, 0), content.height)
    if side.top > content.top + content.height // 3:
        return Box(content.left, content.top, content.width, max(side.top - gap - content.top, 0))
    return content
