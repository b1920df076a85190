"""Slots on layouts not made for csreports: a placeholder of the slot's name, else one of the right
type, else a box drawn inside the content area."""

from __future__ import annotations

import itertools

from pptx.enum.shapes import PP_PLACEHOLDER

from reports.render.pptx.layout_roles import Box
from reports.render.pptx.slots import SLOTS, LayoutPlaceholder, plan_slots

SLIDE_H = 6_858_000
TITLE = LayoutPlaceholder("Titel 1", PP_PLACEHOLDER.TITLE, Box(457_200, 274_638, 8_229_600, 1_143_000))
CONTENT = Box(457_200, 1_600_200, 8_229_600, 4_525_963)
OBJECT = LayoutPlaceholder("Inhaltsplatzhalter 2", PP_PLACEHOLDER.OBJECT, CONTENT)


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner.left >= outer.left
        and inner.top >= outer.top
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


def _overlap(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def test_kpi_tiles_are_drawn_in_a_row_above_the_commentary_inside_the_content_area():
    slots = {s.name: s for s in plan_slots("kpi", [TITLE, OBJECT], CONTENT, SLIDE_H)}
    assert list(slots) == list(SLOTS["kpi"])
    assert slots["Title"].source == 0
    tiles = [slots[f"KPI {i}"] for i in range(1, 5)]
    assert all(t.source is None and t.fill == "bg2" for t in tiles)  # drawn, filled like our master's
    assert len({t.box.top for t in tiles}) == 1
    assert [t.box.left for t in tiles] == sorted(t.box.left for t in tiles)
    drawn = [*tiles, slots["Commentary"]]
    assert all(_inside(s.box, CONTENT) for s in drawn)
    assert not any(_overlap(a.box, b.box) for a, b in itertools.combinations(drawn, 2))
    assert slots["Commentary"].box.top > tiles[0].box.bottom
    assert slots["Commentary"].box.width == CONTENT.width


def test_a_chart_on_a_content_layout_has_its_commentary_beside_it():
    slots = {s.name: s for s in plan_slots("chart", [TITLE, OBJECT], CONTENT, SLIDE_H)}
    chart, commentary = slots["Chart"], slots["Commentary"]
    assert chart.source is None and commentary.source is None
    assert chart.box.right < commentary.box.left
    assert chart.box.width > 1.5 * commentary.box.width
    assert _inside(chart.box, CONTENT) and _inside(commentary.box, CONTENT)


def test_a_chart_placeholder_and_a_text_placeholder_are_both_used():
    chart = LayoutPlaceholder("Diagramm", PP_PLACEHOLDER.CHART, Box(457_200, 1_600_200, 5_000_000, 4_500_000))
    text = LayoutPlaceholder("Text", PP_PLACEHOLDER.BODY, Box(5_600_000, 1_600_200, 3_000_000, 4_500_000))
    slots = {s.name: s for s in plan_slots("chart", [TITLE, text, chart], CONTENT, SLIDE_H)}
    assert (slots["Chart"].source, slots["Commentary"].source) == (2, 1)
    assert slots["Chart"].box == chart.box


def test_a_lone_table_placeholder_shares_its_area_with_a_footnote_strip():
    table = LayoutPlaceholder("Tabelle", PP_PLACEHOLDER.TABLE, CONTENT)
    slots = {s.name: s for s in plan_slots("table", [TITLE, table], CONTENT, SLIDE_H)}
    assert slots["Table"].source == 1 and slots["Footnote"].source is None
    assert slots["Table"].box.bottom < slots["Footnote"].box.top
    assert _inside(slots["Table"].box, CONTENT) and _inside(slots["Footnote"].box, CONTENT)


def test_placeholders_named_like_the_slots_win_over_type():
    left = LayoutPlaceholder("Right", PP_PLACEHOLDER.BODY, Box(457_200, 1_600_200, 4_000_000, 4_500_000))
    right = LayoutPlaceholder("Left", PP_PLACEHOLDER.BODY, Box(4_700_000, 1_600_200, 4_000_000, 4_500_000))
    slots = {s.name: s for s in plan_slots("two_content", [TITLE, left, right], CONTENT, SLIDE_H)}
    assert (slots["Left"].source, slots["Right"].source) == (2, 1)


def test_two_bodies_are_left_and_right_by_position_in_any_order():
    right = LayoutPlaceholder("B", PP_PLACEHOLDER.OBJECT, Box(4_700_000, 1_600_200, 4_000_000, 4_500_000))
    left = LayoutPlaceholder("A", PP_PLACEHOLDER.OBJECT, Box(457_200, 1_600_200, 4_000_000, 4_500_000))
    slots = {s.name: s for s in plan_slots("two_content", [TITLE, right, left], CONTENT, SLIDE_H)}
    assert (slots["Left"].source, slots["Right"].source) == (2, 1)


def test_the_date_line_goes_under_the_subtitle_or_into_its_lower_part_when_there_is_no_room():
    centre = LayoutPlaceholder(
        "Titel", PP_PLACEHOLDER.CENTER_TITLE, Box(685_800, 2_130_425, 7_772_400, 1_470_025)
    )
    subtitle = LayoutPlaceholder(
        "Untertitel", PP_PLACEHOLDER.SUBTITLE, Box(1_371_600, 3_886_200, 6_400_800, 1_752_600)
    )
    slots = {s.name: s for s in plan_slots("title", [centre, subtitle], CONTENT, SLIDE_H)}
    assert slots["Subtitle"].box == subtitle.box
    meta = slots["Meta"]
    assert meta.source is None and meta.align == "ctr"  # under a centred title, centred
    assert meta.box.top == subtitle.box.bottom and meta.box.bottom <= SLIDE_H
    low = LayoutPlaceholder(
        "Untertitel", PP_PLACEHOLDER.SUBTITLE, Box(504_000, 1_326_600, 9_071_640, 5_200_000)
    )
    slots = {s.name: s for s in plan_slots("title", [TITLE, low], CONTENT, SLIDE_H)}
    assert slots["Subtitle"].box.bottom < slots["Meta"].box.top
    assert slots["Meta"].box.bottom <= low.box.bottom and slots["Meta"].align is None


def test_paragraphs_that_do_not_fit_continue_on_pages_at_one_size():
    from reports.render.pptx.shapes import Para
    from reports.render.pptx.textbox import paginate_paragraphs
    from reports.render.pptx.textfit import FontSpec

    line = FontSpec("Calibri", 20).line_height_emu  # 20 pt x 1.2 = 304,800 EMU
    items = [Para(f"Topic {n}", 20, bullet=True) for n in range(8)]
    roomy = (0, 0, 6_000_000, 10 * line)
    assert paginate_paragraphs(items, roomy, "Calibri") == [items]
    # at 80 % (16 pt, 243,840 EMU a line), 3 lines and two 6 pt gaps fit in 3.5 full-size lines
    # plus the insets (1,066,800 + 91,440 EMU); a fourth line does not
    tight = (0, 0, 6_000_000, 2 * 45_720 + 3 * line + line // 2)
    pages = paginate_paragraphs(items, tight, "Calibri")
    assert [len(p) for p in pages] == [3, 3, 2]
    assert [p.text for page in pages for p in page] == [p.text for p in items]
    assert all(p.size == 16 for page in pages for p in page)  # every page at the same, smallest size
    assert paginate_paragraphs([], roomy, "Calibri") == []
