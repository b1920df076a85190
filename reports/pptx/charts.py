"""Native, editable PowerPoint charts from data-only specs, on python-pptx slides.

A spec (:class:`LineChart`, :class:`BarChart`, :class:`ComboChart`,
:class:`WaterfallChart`) holds categories, values and a number format, no
XML and no colours (see :mod:`reports.pptx.chartspec`). :func:`add_chart`
writes it with :mod:`reports.pptx.chartxml` as a real chart part with an
embedded workbook, so the user edits the data in PowerPoint or LibreOffice.
The fast QBR deck writer (:mod:`reports.pptx.writer`) uses the same XML.
"""

from __future__ import annotations

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.parts.chart import ChartPart
from pptx.parts.embeddedpackage import EmbeddedXlsxPart
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide

from reports.pptx.chartspec import (
    BarChart,
    ChartSpec,
    ComboChart,
    LineChart,
    NumberFormat,
    ValueKind,
    WaterfallChart,
    excel_number_format,
)
from reports.pptx.chartxml import chart_workbook_for, chart_xml
from reports.pptx.shapes import chart_frame_xml, placeholder_tag

__all__ = [
    "BarChart",
    "ChartSpec",
    "ComboChart",
    "LineChart",
    "NumberFormat",
    "ValueKind",
    "WaterfallChart",
    "add_chart",
    "excel_number_format",
]


def add_chart(slide: Slide, spec: ChartSpec, target: object) -> GraphicFrame:
    """Draw ``spec`` on ``slide``; ``target`` is a chart placeholder or an EMU box ``(x, y, cx, cy)``.

    A placeholder is replaced by the chart's graphic frame, which keeps the
    placeholder's name, id and ``p:ph`` (so the layout still positions it).
    """
    if not isinstance(spec, (LineChart, BarChart, ComboChart, WaterfallChart)):
        raise TypeError(f"not a chart spec: {type(spec).__name__}")
    package = slide.part.package
    chart_part = ChartPart.load(
        package.next_partname(ChartPart.partname_template), CT.DML_CHART, package, chart_xml(spec).encode()
    )
    xlsx_part = EmbeddedXlsxPart.new(chart_workbook_for(spec), package)
    rid = chart_part.relate_to(xlsx_part, RT.PACKAGE)
    external = chart_part._element.find(
        "{http://schemas.openxmlformats.org/drawingml/2006/chart}externalData"
    )
    external.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rid)
    chart_rid = slide.part.relate_to(chart_part, RT.CHART)
    if isinstance(target, tuple):
        x, y, cx, cy = (int(v) for v in target)
        shape_id = slide.shapes._next_shape_id
        element = parse_xml(chart_frame_xml(shape_id, f"Chart {shape_id - 1}", "", chart_rid, (x, y, cx, cy)))
        slide.shapes._spTree.append(element)
    else:
        sp = target._element  # type: ignore[attr-defined]
        ph = placeholder_tag(dict(sp.ph.attrib))
        box = (int(target.left), int(target.top), int(target.width), int(target.height))  # type: ignore[attr-defined]
        element = parse_xml(chart_frame_xml(sp.shape_id, sp.shape_name, ph, chart_rid, box))
        sp.addprevious(element)
        sp.getparent().remove(sp)
    return GraphicFrame(element, slide.shapes)
