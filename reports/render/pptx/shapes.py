"""Slide shapes as DrawingML/PresentationML text: text boxes, tables, chart frames.

Each function returns one element as a string, ready to go inside a slide's
``p:spTree`` (whose root declares the ``a``, ``p`` and ``r`` prefixes). Text
from data goes through :mod:`reports.render.pptx.xmltext`. Sizes are in EMU, font
sizes in points.

The XML is what python-pptx writes for the same calls (a placeholder's
``p:sp`` with an empty ``p:spPr`` so position and size come from the layout,
a table in a placeholder's graphic frame with the default medium table
style), so decks from either path look and behave the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from reports.render.formatting import clean_text
from reports.render.pptx.xmltext import NS_C, attr, text

Box = tuple[int, int, int, int]
"""(x, y, cx, cy) in EMU."""

INSET_X, INSET_Y = 91_440, 45_720
"""Text inset of every text box and table cell, EMU (PowerPoint's default)."""
BULLET_INDENT = 285_750
PARAGRAPH_SPACE_PT = 6
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"
"""PowerPoint's "Medium Style 2 - Accent 1", the style python-pptx gives new tables."""
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"


class Para:
    """One paragraph to write: text, size in points, weight, bullet and theme colour.

    ``colour`` is a theme colour name (``"accent1"``, ``"tx2"`` …) or None for
    the placeholder's own. A newline in ``text`` is a line break inside the
    paragraph.
    """

    __slots__ = ("bold", "bullet", "colour", "size", "text")

    def __init__(
        self, text: str, size: float, *, bold: bool = False, bullet: bool = False, colour: str | None = None
    ):
        self.text = clean_text(text)
        self.size = size
        self.bold = bold
        self.bullet = bullet
        self.colour = colour

    def __repr__(self) -> str:
        return f"Para({self.text!r}, {self.size})"


def _fill(colour: str, tint: str = "") -> str:
    return f'<a:solidFill><a:schemeClr val="{colour}">{tint}</a:schemeClr></a:solidFill>'


def _run_properties(size: float, bold: bool, colour: str | None) -> str:
    head = f'<a:rPr sz="{round(size * 100)}" b="{1 if bold else 0}"'
    return f"{head}>{_fill(colour)}</a:rPr>" if colour else f"{head}/>"


def _runs(value: str, properties: str) -> str:
    return "<a:br/>".join(f"<a:r>{properties}<a:t>{text(line)}</a:t></a:r>" for line in value.split("\n"))


def paragraph_xml(para: Para, index: int, align: str | None = None) -> str:
    """``para`` as ``a:p`` with explicit indent, spacing and bullet (``index`` 0 has no space before)."""
    margin = f'marL="{BULLET_INDENT}" indent="{-BULLET_INDENT}"' if para.bullet else 'marL="0" indent="0"'
    algn = f' algn="{align}"' if align else ""
    bullet = '<a:buChar char="•"/>' if para.bullet else "<a:buNone/>"
    before = 0 if index == 0 else PARAGRAPH_SPACE_PT * 100
    return (
        f'<a:p><a:pPr {margin}{algn}><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="{before}"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>{bullet}'
        f"</a:pPr>{_runs(para.text, _run_properties(para.size, para.bold, para.colour))}</a:p>"
    )


def text_body_xml(paras: Sequence[Para], align: str | None = None) -> str:
    """A ``p:txBody`` that wraps, never auto-fits, with PowerPoint's default insets."""
    body = "".join(paragraph_xml(p, i, align) for i, p in enumerate(paras)) or "<a:p/>"
    return (
        f'<p:txBody><a:bodyPr wrap="square" lIns="{INSET_X}" tIns="{INSET_Y}" rIns="{INSET_X}" '
        f'bIns="{INSET_Y}"><a:noAutofit/></a:bodyPr><a:lstStyle/>{body}</p:txBody>'
    )


def placeholder_tag(attributes: Mapping[str, str]) -> str:
    """A ``p:ph`` element with the layout placeholder's attributes (type, idx, orient, sz)."""
    return "<p:ph" + "".join(f' {k}="{attr(v)}"' for k, v in attributes.items()) + "/>"


def _names(shape_id: int, name: str, descr: str = "", title: str = "") -> str:
    extra = (f' descr="{attr(descr)}"' if descr else "") + (f' title="{attr(title)}"' if title else "")
    return f'<p:cNvPr id="{shape_id}" name="{attr(name)}"{extra}/>'


def text_shape_xml(shape_id: int, name: str, ph: str, body: str, box: Box | None = None) -> str:
    """A placeholder text shape whose position and size come from its layout, or are ``box``."""
    if box is None:
        properties = "<p:spPr/>"
    else:
        x, y, cx, cy = box
        properties = f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm></p:spPr>'
    return (
        f'<p:sp><p:nvSpPr>{_names(shape_id, name)}<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr>{ph}</p:nvPr></p:nvSpPr>{properties}{body}</p:sp>"
    )


def drawn_text_xml(shape_id: int, name: str, box: Box, body: str, fill: str | None = None) -> str:
    """A text box csreports places itself at ``box`` (no layout placeholder), filled with the theme
    colour ``fill`` or transparent."""
    x, y, cx, cy = box
    background = _fill(fill) if fill else "<a:noFill/>"
    return (
        f'<p:sp><p:nvSpPr>{_names(shape_id, name)}<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{background}</p:spPr>{body}</p:sp>'
    )


def _frame(shape_id: int, name: str, ph: str, box: Box, graphic: str, descr: str, title: str) -> str:
    x, y, cx, cy = box
    return (
        f"<p:graphicFrame><p:nvGraphicFramePr>{_names(shape_id, name, descr, title)}"
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr>'
        f"<p:nvPr>{ph}</p:nvPr></p:nvGraphicFramePr>"
        f'<p:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></p:xfrm>'
        f"<a:graphic>{graphic}</a:graphic></p:graphicFrame>"
    )


def chart_frame_xml(
    shape_id: int, name: str, ph: str, rid: str, box: Box, descr: str = "", title: str = ""
) -> str:
    """The graphic frame showing the chart part related as ``rid``.

    Declares its own namespaces, so it also parses on its own.
    """
    graphic = f'<a:graphicData uri="{_CHART_URI}"><c:chart xmlns:c="{NS_C}" r:id="{rid}"/></a:graphicData>'
    frame = _frame(shape_id, name, ph, box, graphic, descr, title)
    return frame.replace(
        "<p:graphicFrame>",
        '<p:graphicFrame xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
        1,
    )


class Cell:
    """One table cell: text, bold, an optional theme colour to tint its fill, alignment ("r" right)."""

    __slots__ = ("align", "bold", "fill", "text")

    def __init__(self, text: str, *, bold: bool = False, fill: str | None = None, align: str | None = None):
        self.text = clean_text(text)
        self.bold = bold
        self.fill = fill
        self.align = align


def _cell_xml(cell: Cell, size: float, pad: int) -> str:
    run_colour = "tx1" if cell.fill else None
    fill = _fill(cell.fill, '<a:lumMod val="40000"/><a:lumOff val="60000"/>') if cell.fill else ""
    margins = f'marL="{INSET_X}" marR="{INSET_X}" marT="{pad}" marB="{pad}"'
    align = f'<a:pPr algn="{cell.align}"/>' if cell.align else ""
    return (
        f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/><a:p>{align}'
        f"{_runs(cell.text, _run_properties(size, cell.bold, run_colour))}</a:p></a:txBody>"
        f"<a:tcPr {margins}>{fill}</a:tcPr></a:tc>"
    )


def table_frame_xml(
    shape_id: int,
    name: str,
    ph: str,
    box: Box,
    widths: Sequence[int],
    rows: Iterable[Sequence[Cell]],
    *,
    row_height: int,
    font_pt: float,
    cell_pad: int,
    descr: str = "",
    header_pt: float | None = None,
) -> str:
    """A table (first row as header, banded rows) in a placeholder's graphic frame.

    ``box`` gives the frame's position and width; its height is the rows'. The header is set at
    ``header_pt`` (default ``font_pt``).
    """
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    body = []
    count = 0
    for row in rows:
        size = header_pt if count == 0 and header_pt is not None else font_pt
        cells = "".join(_cell_xml(c, size, cell_pad) for c in row)
        body.append(f'<a:tr h="{row_height}">{cells}</a:tr>')
        count += 1
    graphic = (
        f'<a:graphicData uri="{_TABLE_URI}"><a:tbl><a:tblPr firstRow="1" bandRow="1">'
        f"<a:tableStyleId>{TABLE_STYLE}</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>"
        f"{''.join(body)}</a:tbl></a:graphicData>"
    )
    x, y, cx, _ = box
    return _frame(shape_id, name, ph, (x, y, cx, row_height * count), graphic, descr, "")
