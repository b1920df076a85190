"""Build ``templates/qbr/qbr.pptx``, the 16:9 QBR master, from python-pptx's default.

Run ``python templates/qbr/build_master.py`` after changing it; commit both.
The output is deterministic (fixed dates, fixed zip timestamps).

What it defines (the contract with the renderer, see docs/templates.md):
- a theme colour scheme (restrained navy/blue, amber, green, red accents)
  and theme fonts (Calibri; LibreOffice renders it with metric-compatible Carlito);
- named layouts with named placeholders:
  "Title" (Title, Subtitle, Meta), "Section" (Title, Text),
  "Title and Content" (Title, Content), "Two Content" (Title, Left, Right),
  "Chart" (Title, Chart, Commentary), "Table" (Title, Table, Footnote),
  "KPI" (Title, KPI 1 … KPI 4, Commentary), "Title Only" (Title).

Users restyle the result in PowerPoint or LibreOffice (colours, fonts, logo
on the master) and keep the layout and placeholder names.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from reports.render.pptx.deck import save_deterministic

OUT = Path(__file__).resolve().parent / "qbr.pptx"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_TOP = Inches(1.35)
CONTENT_HEIGHT = Inches(5.45)
LOGO_BOX = (WIDTH - MARGIN - Inches(2.6), Inches(0.4), Inches(2.6), Inches(1.2))
"""Top right of the title slide, kept free of every placeholder for the customer's or our logo."""
CONTENT_WIDTH = WIDTH - 2 * MARGIN

COLOURS = {
    "dk1": "1F2933",  # text
    "lt1": "FFFFFF",  # background
    "dk2": "1B365D",  # navy: titles
    "lt2": "EEF2F6",  # pale grey-blue: panels
    "accent1": "2E6DB4",  # blue
    "accent2": "E0A526",  # amber (yellow band)
    "accent3": "2E9E6A",  # green
    "accent4": "C8553D",  # red
    "accent5": "7B8794",  # grey
    "accent6": "6C5BA7",  # violet
    "hlink": "2E6DB4",
    "folHlink": "6C5BA7",
}
FONT = "Calibri"


def _set_theme(prs: Presentation) -> None:
    theme_part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme_part.blob)
    root.set("name", "csreports QBR")
    scheme = root.find(f".//{qn('a:clrScheme')}")
    scheme.set("name", "csreports")
    for name, value in COLOURS.items():
        slot = scheme.find(qn(f"a:{name}"))
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr")).set("val", value)
    fonts = root.find(f".//{qn('a:fontScheme')}")
    fonts.set("name", "csreports")
    for kind in ("a:majorFont", "a:minorFont"):
        fonts.find(qn(kind)).find(qn("a:latin")).set("typeface", FONT)
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _sp(
    shape_id: int,
    name: str,
    ph: str,
    box: tuple[int, int, int, int],
    *,
    size: int,
    prompt: str,
    bold: bool = False,
    bullets: bool = False,
    anchor: str = "t",
    align: str = "l",
    colour: str | None = None,
    fill: str | None = None,
) -> etree._Element:
    x, y, cx, cy = box
    bullet = "" if bullets else "<a:buNone/>"
    margin = "" if bullets else ' marL="0" indent="0"'
    colour_xml = f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill>' if colour else ""
    fill_xml = f'<a:solidFill><a:schemeClr val="{fill}"/></a:solidFill>' if fill else ""
    insets = ' lIns="137160" tIns="91440" rIns="137160" bIns="91440"' if fill else ""
    xml = f"""<p:sp {nsdecls("p", "a")}>
  <p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>
    <p:nvPr>{ph}</p:nvPr></p:nvSpPr>
  <p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>{fill_xml}</p:spPr>
  <p:txBody><a:bodyPr vert="horz" wrap="square" anchor="{anchor}"{insets}><a:noAutofit/></a:bodyPr>
    <a:lstStyle><a:lvl1pPr{margin} algn="{align}">{bullet}<a:defRPr sz="{size * 100}" b="{int(bold)}">{colour_xml}</a:defRPr></a:lvl1pPr></a:lstStyle>
    <a:p><a:r><a:rPr lang="en-US"/><a:t>{prompt}</a:t></a:r></a:p></p:txBody>
</p:sp>"""
    return etree.fromstring(xml)


def _title(shape_id: int = 2) -> etree._Element:
    return _sp(
        shape_id,
        "Title",
        '<p:ph type="title"/>',
        (MARGIN, Inches(0.35), CONTENT_WIDTH, Inches(0.85)),
        size=28,
        bold=True,
        prompt="Slide title",
        anchor="b",
        colour="tx2",
    )


def _body(
    shape_id: int, name: str, idx: int, box, *, size: int = 18, bullets: bool = True, **kw
) -> etree._Element:
    return _sp(
        shape_id, name, f'<p:ph type="body" idx="{idx}"/>', box, size=size, prompt=name, bullets=bullets, **kw
    )


def _layouts() -> dict[str, list[etree._Element]]:
    half = (CONTENT_WIDTH - Inches(0.33)) // 2
    chart_w = Inches(8.4)
    tile_gap = Inches(0.15)
    tile_w = (CONTENT_WIDTH - 3 * tile_gap) // 4
    return {
        "Title": [
            _sp(
                2,
                "Title",
                '<p:ph type="ctrTitle"/>',
                (Inches(1.0), Inches(1.9), Inches(11.3), Inches(1.6)),
                size=40,
                bold=True,
                prompt="Account name",
                anchor="b",
                colour="tx2",
            ),
            _sp(
                3,
                "Subtitle",
                '<p:ph type="subTitle" idx="1"/>',
                (Inches(1.0), Inches(3.6), Inches(11.3), Inches(0.7)),
                size=24,
                prompt="Quarterly business review",
                colour="accent1",
            ),
            _body(
                4,
                "Meta",
                10,
                (Inches(1.0), Inches(4.5), Inches(11.3), Inches(1.5)),
                size=16,
                bullets=False,
                colour="tx1",
            ),
        ],
        "Section": [
            _sp(
                2,
                "Title",
                '<p:ph type="title"/>',
                (Inches(1.0), Inches(2.6), Inches(11.3), Inches(1.2)),
                size=36,
                bold=True,
                prompt="Section title",
                anchor="b",
                colour="tx2",
            ),
            _body(
                3, "Text", 1, (Inches(1.0), Inches(3.9), Inches(11.3), Inches(1.6)), size=20, bullets=False
            ),
        ],
        "Title and Content": [
            _title(),
            _body(3, "Content", 1, (MARGIN, CONTENT_TOP, CONTENT_WIDTH, CONTENT_HEIGHT)),
        ],
        "Two Content": [
            _title(),
            _body(3, "Left", 1, (MARGIN, CONTENT_TOP, half, CONTENT_HEIGHT)),
            _body(4, "Right", 2, (WIDTH - MARGIN - half, CONTENT_TOP, half, CONTENT_HEIGHT)),
        ],
        "Chart": [
            _title(),
            _sp(
                3,
                "Chart",
                '<p:ph type="chart" idx="1"/>',
                (MARGIN, CONTENT_TOP, chart_w, CONTENT_HEIGHT),
                size=14,
                prompt="Chart",
            ),
            _body(
                4,
                "Commentary",
                2,
                (
                    MARGIN + chart_w + Inches(0.25),
                    CONTENT_TOP,
                    CONTENT_WIDTH - chart_w - Inches(0.25),
                    CONTENT_HEIGHT,
                ),
                size=16,
                fill="bg2",
            ),
        ],
        "Table": [
            _title(),
            _sp(
                3,
                "Table",
                '<p:ph type="tbl" idx="1"/>',
                (MARGIN, CONTENT_TOP, CONTENT_WIDTH, Inches(4.95)),
                size=14,
                prompt="Table",
            ),
            _body(
                4,
                "Footnote",
                2,
                (MARGIN, Inches(6.4), CONTENT_WIDTH, Inches(0.45)),
                size=12,
                bullets=False,
                colour="accent5",
            ),
        ],
        "KPI": [
            _title(),
            *[
                _body(
                    3 + i,
                    f"KPI {i + 1}",
                    11 + i,
                    (MARGIN + i * (tile_w + tile_gap), CONTENT_TOP, tile_w, Inches(1.95)),
                    size=16,
                    bullets=False,
                    fill="bg2",
                    align="ctr",
                    anchor="ctr",
                )
                for i in range(4)
            ],
            _body(7, "Commentary", 15, (MARGIN, Inches(3.5), CONTENT_WIDTH, Inches(3.3)), size=18),
        ],
        "Title Only": [_title()],
    }


def _slide_number_box() -> etree._Element:
    x, y = WIDTH - MARGIN - Inches(1.0), HEIGHT - Inches(0.45)
    return etree.fromstring(f"""<p:sp {nsdecls("p", "a")}>
  <p:nvSpPr><p:cNvPr id="90" name="Slide number"/><p:cNvSpPr txBox="1"/><p:nvPr userDrawn="1"/></p:nvSpPr>
  <p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{Inches(1.0)}" cy="{Inches(0.3)}"/></a:xfrm>
    <a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>
  <p:txBody><a:bodyPr wrap="none" lIns="0" rIns="0" anchor="ctr"/><a:lstStyle/>
    <a:p><a:pPr algn="r"/><a:fld id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="slidenum">
      <a:rPr lang="en-US" sz="1000"><a:solidFill><a:schemeClr val="accent5"/></a:solidFill></a:rPr><a:t>‹#›</a:t></a:fld>
    </a:p></p:txBody></p:sp>""")


def _accent_rule() -> etree._Element:
    return etree.fromstring(f"""<p:sp {nsdecls("p", "a")}>
  <p:nvSpPr><p:cNvPr id="91" name="Accent rule" descr="Decorative line"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>
  <p:spPr><a:xfrm><a:off x="{MARGIN}" y="{Inches(1.22)}"/><a:ext cx="{Inches(1.2)}" cy="{Inches(0.05)}"/></a:xfrm>
    <a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="accent1"/></a:solidFill>
    <a:ln><a:noFill/></a:ln></p:spPr></p:sp>""")


def _side_band() -> etree._Element:
    return etree.fromstring(f"""<p:sp {nsdecls("p", "a")}>
  <p:nvSpPr><p:cNvPr id="92" name="Side band" descr="Decorative band"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>
  <p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{Inches(0.4)}" cy="{HEIGHT}"/></a:xfrm>
    <a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="tx2"/></a:solidFill>
    <a:ln><a:noFill/></a:ln></p:spPr></p:sp>""")


def _replace_shapes(sp_tree: etree._Element, shapes: list[etree._Element]) -> None:
    for child in list(sp_tree)[2:]:  # keep nvGrpSpPr and grpSpPr
        sp_tree.remove(child)
    for shape in shapes:
        sp_tree.append(shape)


def _style_master(prs: Presentation) -> None:
    master = prs.slide_master
    tree = master.shapes._spTree
    title = next(s for s in master.placeholders if s.placeholder_format.type == 1)
    body = next(s for s in master.placeholders if s.placeholder_format.type == 2)
    for shape in list(master.placeholders):
        if shape not in (title, body):
            tree.remove(shape._element)
    title.left, title.top, title.width, title.height = MARGIN, Inches(0.35), CONTENT_WIDTH, Inches(0.85)
    body.left, body.top, body.width, body.height = MARGIN, CONTENT_TOP, CONTENT_WIDTH, CONTENT_HEIGHT
    tree.append(_accent_rule())
    tree.append(_slide_number_box())

    styles = master._element.find(qn("p:txStyles"))
    title_rpr = styles.find(f"{qn('p:titleStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    title_rpr.set("sz", "2800")
    title_rpr.set("b", "1")
    for fill in title_rpr.findall(qn("a:solidFill")):
        title_rpr.remove(fill)
    title_rpr.insert(
        0, etree.fromstring(f'<a:solidFill {nsdecls("a")}><a:schemeClr val="tx2"/></a:solidFill>')
    )
    body_style = styles.find(qn("p:bodyStyle"))
    sizes = {1: 1800, 2: 1600, 3: 1400, 4: 1400, 5: 1400, 6: 1400, 7: 1400, 8: 1400, 9: 1400}
    for level, size in sizes.items():
        ppr = body_style.find(qn(f"a:lvl{level}pPr"))
        ppr.set("marL", str(285750 * level))
        ppr.set("indent", "-285750")
        ppr.find(qn("a:defRPr")).set("sz", str(size))
        spacing = ppr.find(qn("a:spcBef"))
        if spacing is not None:
            for child in list(spacing):
                spacing.remove(child)
            etree.SubElement(spacing, qn("a:spcPts")).set("val", "600")


def build() -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(WIDTH), Emu(HEIGHT)
    _set_theme(prs)
    _style_master(prs)
    layouts = list(prs.slide_master.slide_layouts)
    wanted = _layouts()
    for layout, (name, shapes) in zip(layouts, wanted.items(), strict=False):
        layout._element.cSld.set("name", name)
        _replace_shapes(layout.shapes._spTree, shapes)
        if name == "Title":
            layout._element.set("showMasterSp", "0")
            layout.shapes._spTree.insert(2, _side_band())
    for layout in layouts[len(wanted) :]:
        prs.slide_master.slide_layouts.remove(layout)
    return save_deterministic(prs, title="QBR master", author="csreports", date=dt.date(2026, 1, 1))


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT}")
