"""Which slide layout of a PowerPoint master each kind of slide uses, and why.

A deck needs a few kinds of slide (:data:`ROLES`): a title slide, section
headers, title + content, two contents side by side, a chart, a table, KPI
tiles, title only and blank. csreports' own master names its layouts after
them ("Title", "Chart", "KPI" …) and a layout with that name always wins.
A corporate master names its layouts in its own language ("Rubrikbild",
"Titel und Inhalt"), so otherwise a layout is chosen by its *placeholder
types* (title, centred title, subtitle, body, object, chart, table), never by
its name, and the choice says that it was inferred.

For each chosen layout the *content box* is the area the deck fills below the
title, in EMU: the union of the layout's content placeholders, or, for a
layout without any, the master's body area (or the space between the title
and the footers).

Pure: reads a python-pptx :class:`~pptx.presentation.Presentation`, writes
nothing, does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.presentation import Presentation as PresentationT
from pptx.slide import SlideLayout, SlideMaster

TITLE_TYPES = frozenset({PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE})
CONTENT_TYPES = frozenset(
    {
        PP_PLACEHOLDER.BODY,
        PP_PLACEHOLDER.OBJECT,
        PP_PLACEHOLDER.CHART,
        PP_PLACEHOLDER.TABLE,
        PP_PLACEHOLDER.PICTURE,
        PP_PLACEHOLDER.ORG_CHART,
        PP_PLACEHOLDER.MEDIA_CLIP,
        PP_PLACEHOLDER.BITMAP,
        PP_PLACEHOLDER.VERTICAL_BODY,
        PP_PLACEHOLDER.VERTICAL_OBJECT,
    }
)
"""Placeholders the deck can put content in (subtitle, date, footer and slide number are not)."""
FOOTER_TYPES = frozenset({PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER})
SLOT_TYPES = frozenset({PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT})
"""A content placeholder that takes text, a chart or a table alike."""


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def within(self, width: int, height: int) -> Box:
        """This box cut to a ``width`` × ``height`` slide (a master's placeholder can reach past its edge)."""
        left, top = max(self.left, 0), max(self.top, 0)
        right, bottom = min(self.right, width), min(self.bottom, height)
        return Box(left, top, max(right - left, 0), max(bottom - top, 0))

    def union(self, other: Box) -> Box:
        left, top = min(self.left, other.left), min(self.top, other.top)
        return Box(left, top, max(self.right, other.right) - left, max(self.bottom, other.bottom) - top)

    def __str__(self) -> str:
        return f"left {self.left}, top {self.top}, width {self.width}, height {self.height} EMU"


@dataclass(frozen=True)
class Placeholder:
    """What role inference reads of one layout placeholder."""

    type: PP_PLACEHOLDER
    idx: int
    box: Box
    vertical: bool = False
    """Text runs vertically (``orient="vert"``): not a place for the deck's content."""


@dataclass(frozen=True)
class LayoutInfo:
    """One slide layout as role inference sees it."""

    name: str
    master: int
    """Index of its slide master (0 for the first)."""
    index: int
    """Index of the layout within its master."""
    placeholders: tuple[Placeholder, ...]

    def of(self, *types: PP_PLACEHOLDER) -> list[Placeholder]:
        return [p for p in self.placeholders if p.type in types]

    @property
    def title(self) -> Placeholder | None:
        titles = self.of(*TITLE_TYPES)
        return titles[0] if titles else None

    @property
    def contents(self) -> list[Placeholder]:
        """Content placeholders below the title (all of them when there is no title), reading order."""
        title = self.title
        found = [
            p
            for p in self.of(*CONTENT_TYPES)
            if not p.vertical and (title is None or p.box.top >= title.box.bottom - TOLERANCE)
        ]
        return sorted(found, key=lambda p: (p.box.top, p.box.left))

    @property
    def others(self) -> list[Placeholder]:
        """Placeholders that are neither title, footer nor content below the title."""
        contents = {id(p) for p in self.contents}
        title = self.title
        return [
            p
            for p in self.placeholders
            if p.type not in FOOTER_TYPES and p is not title and id(p) not in contents
        ]


TOLERANCE = 91_440
"""0.1 inch: placeholders this close are taken as touching or aligned."""


@dataclass(frozen=True)
class Role:
    """A kind of slide the deck needs."""

    key: str
    layout_name: str
    """The name csreports' own master gives its layout (matched case aside)."""
    description: str
    required: bool
    wants: str
    """What an inferred layout must have, as told to the user."""
    match: Callable[[LayoutInfo], int | None] = field(repr=False)
    """Score of a layout for this role (higher is better), ``None`` when it does not fit."""


def _title_slide(layout: LayoutInfo) -> int | None:
    centre = layout.of(PP_PLACEHOLDER.CENTER_TITLE)
    subtitles = layout.of(PP_PLACEHOLDER.SUBTITLE)
    if centre:
        return 2 if subtitles else 1
    if layout.of(PP_PLACEHOLDER.TITLE) and subtitles:
        return 0
    return None


def _plain_title(layout: LayoutInfo) -> Placeholder | None:
    titles = layout.of(PP_PLACEHOLDER.TITLE)
    return titles[0] if len(titles) == 1 and not layout.of(PP_PLACEHOLDER.CENTER_TITLE) else None


def _section(layout: LayoutInfo) -> int | None:
    """A title and at most one text body, nothing else: higher when the title sits lower on the slide."""
    if _plain_title(layout) is None or layout.of(PP_PLACEHOLDER.SUBTITLE):
        return None
    bodies = [p for p in layout.placeholders if p.type in CONTENT_TYPES]
    if len(bodies) != 1 or bodies[0].type != PP_PLACEHOLDER.BODY or bodies[0].vertical:
        return None
    title = _plain_title(layout)
    assert title is not None
    return title.box.top


def _one_content(*preferred: PP_PLACEHOLDER) -> Callable[[LayoutInfo], int | None]:
    """A title with content below it and nothing else: one chart or table placeholder among
    ``preferred`` (text boxes beside it allowed) scores highest, then one placeholder of a
    ``preferred`` type, a content one, a body one; among equals the larger area."""

    def match(layout: LayoutInfo) -> int | None:
        if _plain_title(layout) is None or layout.others:
            return None
        contents = layout.contents
        special = [p for p in contents if p.type in preferred and p.type not in SLOT_TYPES]
        if len(special) == 1:
            rank, main = 9, special[0]
        elif len(contents) != 1:
            return None
        elif contents[0].type in preferred:
            rank, main = 5, contents[0]
        elif contents[0].type == PP_PLACEHOLDER.OBJECT:
            rank, main = 2, contents[0]
        elif contents[0].type == PP_PLACEHOLDER.BODY:
            rank, main = 1, contents[0]
        else:
            return None
        return rank * 10**15 + main.box.width * main.box.height // 10**6

    return match


def _two_content(layout: LayoutInfo) -> int | None:
    """A title and two content placeholders side by side, nothing else."""
    if _plain_title(layout) is None or layout.others:
        return None
    contents = layout.contents
    if len(contents) != 2 or any(p.type not in SLOT_TYPES for p in contents):
        return None
    left, right = sorted(contents, key=lambda p: p.box.left)
    if abs(left.box.top - right.box.top) > TOLERANCE or left.box.right > right.box.left + TOLERANCE:
        return None
    return 1


def _title_only(layout: LayoutInfo) -> int | None:
    title = _plain_title(layout)
    if title is None or any(p.type not in FOOTER_TYPES and p is not title for p in layout.placeholders):
        return None
    return -title.box.top  # a title at the top, not a section-like one


def _blank(layout: LayoutInfo) -> int | None:
    return 0 if all(p.type in FOOTER_TYPES for p in layout.placeholders) else None


ROLES: tuple[Role, ...] = (
    Role("title", "Title", "title slide", True, "a centred title (or a title and a subtitle)", _title_slide),
    Role("section", "Section", "section header", False, "a title and one text body", _section),
    Role(
        "content",
        "Title and Content",
        "title and content (agenda, bullets)",
        True,
        "a title and one body or content placeholder below it",
        _one_content(PP_PLACEHOLDER.OBJECT),
    ),
    Role(
        "two_content",
        "Two Content",
        "two contents side by side",
        True,
        "a title and two body or content placeholders side by side",
        _two_content,
    ),
    Role(
        "chart",
        "Chart",
        "title and chart",
        True,
        "a title and one chart, content or body placeholder below it",
        _one_content(PP_PLACEHOLDER.CHART, PP_PLACEHOLDER.OBJECT),
    ),
    Role(
        "table",
        "Table",
        "title and table",
        True,
        "a title and one table, content or body placeholder below it",
        _one_content(PP_PLACEHOLDER.TABLE, PP_PLACEHOLDER.OBJECT),
    ),
    Role(
        "kpi",
        "KPI",
        "KPI tiles",
        True,
        "a title and one body or content placeholder below it",
        _one_content(PP_PLACEHOLDER.OBJECT),
    ),
    Role("title_only", "Title Only", "title only", True, "a title and no other placeholder", _title_only),
    Role("blank", "Blank", "blank", False, "no title and no content placeholder", _blank),
)
"""Every kind of slide, in the order a report lists them."""


ROLE_BY_KEY = {role.key: role for role in ROLES}


def missing_layout(role: Role) -> str:
    """The problem of a master with no layout for ``role``, in one line."""
    return (
        f"no layout for {role.key} slides ({role.description}): none is named {role.layout_name!r} "
        f"and none has {role.wants}"
    )


@dataclass(frozen=True)
class Choice:
    """The layout chosen for a role and why."""

    role: str
    layout: str
    """The layout's name as the master spells it."""
    master: int
    reason: str
    inferred: bool
    """``False`` when the layout has the role's csreports name, ``True`` when chosen by its placeholders."""
    content: Box
    """The area the deck fills below the title, in EMU."""


@dataclass(frozen=True)
class LayoutRoles:
    """Every role's layout in a presentation, the slide size and what is missing."""

    slide_width: int
    slide_height: int
    choices: tuple[Choice, ...]
    missing: tuple[Role, ...]

    @property
    def problems(self) -> list[str]:
        """One line per required role no layout can play."""
        return [missing_layout(role) for role in self.missing if role.required]

    def choice(self, role: str) -> Choice | None:
        return next((c for c in self.choices if c.role == role), None)


def read_layouts(masters: Iterable[SlideMaster]) -> list[LayoutInfo]:
    """Every layout of every master, with its placeholders' types and (inherited) positions."""
    layouts = []
    for m, master in enumerate(masters):
        for i, layout in enumerate(master.slide_layouts):
            layouts.append(LayoutInfo(layout.name, m, i, _placeholders(layout)))
    return layouts


def _placeholders(layout: SlideLayout) -> tuple[Placeholder, ...]:
    found = []
    for shape in layout.placeholders:  # type: ignore[misc]
        fmt = shape.placeholder_format
        left, top, width, height = shape.left, shape.top, shape.width, shape.height
        if left is None or top is None or width is None or height is None:
            continue  # neither the layout nor its master places it
        ph = shape._element.ph
        found.append(
            Placeholder(
                type=fmt.type,
                idx=fmt.idx,
                box=Box(int(left), int(top), int(width), int(height)),
                vertical=ph is not None and ph.get("orient") == "vert",
            )
        )
    return tuple(found)


def master_body(master: SlideMaster) -> Box | None:
    """The master's body placeholder box, the content area of a layout that has none."""
    for shape in master.placeholders:  # type: ignore[misc]
        if shape.placeholder_format.type == PP_PLACEHOLDER.BODY and shape.width and shape.height:
            return Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))
    return None


def content_box(layout: LayoutInfo, slide_width: int, slide_height: int, body: Box | None = None) -> Box:
    """The area below the title the deck fills on ``layout``.

    The union of the content placeholders below the title; without any, the
    master's ``body`` box when given; else the space below the title (or
    from the top margin) down to the footers (or the bottom margin), as wide
    as the title. Always within the slide.
    """
    contents = layout.contents
    if contents:
        box = contents[0].box
        for p in contents[1:]:
            box = box.union(p.box)
        return box.within(slide_width, slide_height)
    if body is not None:
        return body.within(slide_width, slide_height)
    title = layout.title
    margin = min(slide_width, slide_height) // 15
    left, width = (title.box.left, title.box.width) if title else (margin, slide_width - 2 * margin)
    top = title.box.bottom if title else margin
    footers = [p.box.top for p in layout.of(*FOOTER_TYPES) if p.box.top >= top]
    bottom = min(footers) if footers else slide_height - margin
    return Box(left, top, width, max(bottom - top, 0))


def choose_layouts(prs: PresentationT, roles: Sequence[Role] = ROLES) -> LayoutRoles:
    """The layout each of ``roles`` uses in ``prs``: the one named for it, else the best by placeholders.

    Layouts are looked at in master order; among equally good ones the first
    wins.
    """
    width, height = int(prs.slide_width or 0), int(prs.slide_height or 0)
    masters = list(prs.slide_masters)
    bodies = [master_body(master) for master in masters]
    layouts = read_layouts(masters)
    choices: list[Choice] = []
    missing: list[Role] = []
    for role in roles:
        named = next((lay for lay in layouts if lay.name.strip().lower() == role.layout_name.lower()), None)
        if named is not None:
            choices.append(
                Choice(
                    role.key,
                    named.name,
                    named.master,
                    f"named {role.layout_name!r}",
                    False,
                    content_box(named, width, height, bodies[named.master]),
                )
            )
            continue
        scored = [(score, lay) for lay in layouts if (score := role.match(lay)) is not None]
        if not scored:
            missing.append(role)
            continue
        best_score = max(score for score, _ in scored)
        best = next(lay for score, lay in scored if score == best_score)
        choices.append(
            Choice(
                role.key,
                best.name,
                best.master,
                f"inferred: has {describe(best)}",
                True,
                content_box(best, width, height, bodies[best.master]),
            )
        )
    return LayoutRoles(width, height, tuple(choices), tuple(missing))


_TYPE_WORDS = {
    PP_PLACEHOLDER.TITLE: "title",
    PP_PLACEHOLDER.CENTER_TITLE: "centred title",
    PP_PLACEHOLDER.SUBTITLE: "subtitle",
    PP_PLACEHOLDER.BODY: "body",
    PP_PLACEHOLDER.OBJECT: "content",
    PP_PLACEHOLDER.CHART: "chart",
    PP_PLACEHOLDER.TABLE: "table",
    PP_PLACEHOLDER.PICTURE: "picture",
}


def describe(layout: LayoutInfo) -> str:
    """Its placeholders in words, footers left out: ``"title + content"``, ``"no placeholder"``."""
    words = [
        _TYPE_WORDS.get(p.type, p.type.name.lower().replace("_", " ") if p.type.name else "other")
        + (" (vertical)" if p.vertical else "")
        for p in layout.placeholders
        if p.type not in FOOTER_TYPES
    ]
    return " + ".join(words) if words else "no placeholder"


def slide_size_name(width: int, height: int) -> str:
    """``"16:9"``, ``"4:3"``, ``"16:10"``, ``"A4"`` … or the ratio, from a size in EMU.

    >>> slide_size_name(12192000, 6858000), slide_size_name(9144000, 6858000), slide_size_name(9906000, 6858000)
    ('16:9', '4:3', 'A4')
    """
    if not width or not height:
        return "unknown"
    ratio = width / height
    known = {"16:9": 16 / 9, "16:10": 16 / 10, "4:3": 4 / 3, "A4": 9906000 / 6858000}
    for name, value in known.items():
        if abs(ratio - value) < 0.01:
            return name
    return f"{ratio:.2f}:1"
