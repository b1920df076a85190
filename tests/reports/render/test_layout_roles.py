"""Layout roles: named layouts win, otherwise placeholders decide, whatever the layouts are called."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.parts.slide import SlideLayoutPart, SlideMasterPart

from reports.render.pptx.layout_roles import (
    ROLES,
    Box,
    choose_layouts,
    describe,
    read_layouts,
    slide_size_name,
)

ROOT = Path(__file__).resolve().parents[3]
QBR = ROOT / "templates" / "qbr" / "qbr.pptx"

GERMAN = {
    "Title Slide": "Titelfolie",
    "Title and Content": "Titel und Inhalt",
    "Section Header": "Abschnittsüberschrift",
    "Two Content": "Zwei Inhalte",
    "Comparison": "Vergleich",
    "Title Only": "Nur Titel",
    "Blank": "Leer",
    "Content with Caption": "Inhalt mit Überschrift",
    "Picture with Caption": "Bild mit Überschrift",
    "Title and Vertical Text": "Titel und vertikaler Text",
    "Vertical Title and Text": "Vertikaler Titel und Text",
}
QBR_SWEDISH = {
    "Title": "Rubrikbild",
    "Section": "Avsnittsrubrik",
    "Title and Content": "Rubrik och innehåll",
    "Two Content": "Två innehåll",
    "Chart": "Diagram",
    "Table": "Tabell",
    "KPI": "Nyckeltal",
    "Title Only": "Endast rubrik",
}


def _renamed(prs, names: dict[str, str]):
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            layout._element.cSld.set("name", names.get(layout.name, layout.name))
    out = io.BytesIO()
    prs.save(out)
    return Presentation(io.BytesIO(out.getvalue()))


def _layouts(result) -> dict[str, tuple[str, bool]]:
    return {c.role: (c.layout, c.inferred) for c in result.choices}


def test_pptx_default_template_named_layouts_win_and_the_rest_is_inferred():
    result = choose_layouts(Presentation())
    assert _layouts(result) == {
        "title": ("Title Slide", True),
        "section": ("Section Header", True),
        "content": ("Title and Content", False),
        "two_content": ("Two Content", False),
        "chart": ("Title and Content", True),
        "table": ("Title and Content", True),
        "kpi": ("Title and Content", True),
        "title_only": ("Title Only", False),
        "blank": ("Blank", False),
    }
    assert result.missing == () and result.problems == []
    assert (result.slide_width, result.slide_height) == (9144000, 6858000)
    assert slide_size_name(result.slide_width, result.slide_height) == "4:3"
    chart = result.choice("chart")
    assert chart is not None and chart.reason == "inferred: has title + content"
    # The content placeholder (idx 1) of "Title and Content": 0.5 in from the left, 1.75 in down.
    assert chart.content == Box(457200, 1600200, 8229600, 4525963)


def test_german_default_template_every_role_is_found_by_placeholders():
    result = choose_layouts(_renamed(Presentation(), GERMAN))
    assert _layouts(result) == {
        "title": ("Titelfolie", True),
        "section": ("Abschnittsüberschrift", True),
        "content": ("Titel und Inhalt", True),
        "two_content": ("Zwei Inhalte", True),
        "chart": ("Titel und Inhalt", True),
        "table": ("Titel und Inhalt", True),
        "kpi": ("Titel und Inhalt", True),
        "title_only": ("Nur Titel", True),
        "blank": ("Leer", True),
    }
    assert result.problems == []
    two = result.choice("two_content")
    assert two is not None
    # Union of the two content placeholders: left 457200 .. 4648200 + 4038600, same top and height.
    assert two.content == Box(457200, 1600200, 4648200 + 4038600 - 457200, 4525963)
    blank = result.choice("blank")
    assert blank is not None and blank.reason == "inferred: has no placeholder"
    # A layout without content placeholders uses the master's body area.
    assert blank.content == Box(457200, 1600200, 8229600, 4525963)


def test_bundled_master_every_role_by_name():
    result = choose_layouts(Presentation(str(QBR)))
    layouts = _layouts(result)
    assert layouts["chart"] == ("Chart", False)
    assert layouts["kpi"] == ("KPI", False)
    assert all(not inferred for _, inferred in layouts.values())
    assert [role.key for role in result.missing] == ["blank"]
    assert result.problems == []  # blank is optional
    assert slide_size_name(result.slide_width, result.slide_height) == "16:9"
    kpi = result.choice("kpi")
    assert kpi is not None
    # KPI 1 .. KPI 4 and Commentary: from KPI 1's top-left to Commentary's bottom-right.
    assert kpi.content == Box(457200, 1234440, 11277295, 3200400 + 3017520 - 1234440)
    table = result.choice("table")
    assert table is not None
    # Table placeholder and the footnote below it.
    assert table.content == Box(457200, 1234440, 11277295, 5852160 + 411480 - 1234440)


def test_bundled_master_renamed_into_swedish_gives_the_same_layouts_by_placeholders():
    result = choose_layouts(_renamed(Presentation(str(QBR)), QBR_SWEDISH))
    assert _layouts(result) == {
        "title": ("Rubrikbild", True),
        "section": ("Avsnittsrubrik", True),
        "content": ("Rubrik och innehåll", True),
        "two_content": ("Två innehåll", True),
        "chart": ("Diagram", True),
        "table": ("Tabell", True),
        "kpi": ("Rubrik och innehåll", True),
        "title_only": ("Endast rubrik", True),
    }
    chart = result.choice("chart")
    assert chart is not None and chart.reason == "inferred: has title + chart + body"


def test_a4_slide_size_and_a_master_without_usable_layouts():
    prs = Presentation()
    prs.slide_width = 9906000
    result = choose_layouts(prs)
    assert slide_size_name(result.slide_width, result.slide_height) == "A4"

    blank_only = Presentation()
    layouts = blank_only.slide_masters[0].slide_layouts
    for layout in list(layouts):
        if layout.name != "Blank":
            layouts.remove(layout)
    result = choose_layouts(blank_only)
    assert _layouts(result) == {"blank": ("Blank", False)}
    assert {role.key for role in result.missing} == {r.key for r in ROLES} - {"blank"}
    assert len(result.problems) == 7  # every required role
    assert result.problems[0] == (
        "no layout for title slides (title slide): none is named 'Title' "
        "and none has a centred title (or a title and a subtitle)"
    )


def test_vertical_and_caption_layouts_are_never_content():
    infos = {info.name: info for info in read_layouts(Presentation().slide_masters)}
    assert describe(infos["Title and Vertical Text"]) == "title + body (vertical)"
    assert infos["Title and Vertical Text"].contents == []
    assert infos["Content with Caption"].others  # the content sits beside the title, not below


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [
        (12192000, 6858000, "16:9"),
        (9144000, 6858000, "4:3"),
        (10972800, 6858000, "16:10"),
        (100, 100, "1.00:1"),
    ],
)
def test_slide_size_names(width, height, name):
    assert slide_size_name(width, height) == name


def _with_second_master(prs):
    """``prs`` plus a second master (a copy of the first) whose one layout, "Titel und Diagramm",
    is "Title and Content" with a chart placeholder instead of the content one."""
    package = prs.part.package
    first = prs.slide_masters[0].part
    source = prs.slide_layouts[1].part
    layout = SlideLayoutPart.load(
        PackURI("/ppt/slideLayouts/slideLayout99.xml"), source.content_type, package, source.blob
    )
    layout._element.cSld.set("name", "Titel und Diagramm")
    [content] = [ph for ph in layout._element.iter() if ph.tag.endswith("}ph") and ph.get("idx") == "1"]
    content.set("type", "chart")
    master = SlideMasterPart.load(
        PackURI("/ppt/slideMasters/slideMaster2.xml"), first.content_type, package, first.blob
    )
    ids = master._element.get_or_add_sldLayoutIdLst()
    for entry in list(ids):
        ids.remove(entry)
    ids._add_sldLayoutId(rId=master.relate_to(layout, RT.SLIDE_LAYOUT))
    layout.relate_to(master, RT.SLIDE_MASTER)
    master.relate_to(first.part_related_by(RT.THEME), RT.THEME)
    prs.part._element.get_or_add_sldMasterIdLst()._add_sldMasterId(
        rId=prs.part.relate_to(master, RT.SLIDE_MASTER)
    )
    out = io.BytesIO()
    prs.save(out)
    return Presentation(io.BytesIO(out.getvalue()))


def test_several_masters_a_chart_layout_in_the_second_wins_for_charts():
    prs = _with_second_master(Presentation())
    assert len(prs.slide_masters) == 2
    result = choose_layouts(prs)
    chart = result.choice("chart")
    assert chart is not None
    assert (chart.layout, chart.master, chart.inferred) == ("Titel und Diagramm", 1, True)
    assert chart.reason == "inferred: has title + chart"
    assert chart.content == Box(457200, 1600200, 8229600, 4525963)
    # Everything else still comes from the first master.
    assert {c.master for c in result.choices if c.role != "chart"} == {0}
