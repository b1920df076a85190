"""Render a :class:`QbrContext` into an editable PPTX deck from the QBR master.

Layouts and placeholders are found by name (see the README: "Title",
"Section", "Title and Content", "Two Content", "Chart", "Table", "KPI").
Every piece of text is measured with the theme font's metrics before it is
written (:mod:`reports.render.pptx.textfit`): long text is wrapped or shortened
with an ellipsis, and tables too long for one slide continue on the next
("Goals (2/2)"). Sizes, margins and bullet indents are written explicitly on
each paragraph so :func:`text_frame_fits` can check the result from the XML.
"""

from __future__ import annotations

import re
from pathlib import Path

from reports.data.branding import Branding
from reports.documents.audience import internal_mark, internal_title
from reports.documents.qbr.context import ChartData, QbrContext, Slide, Table
from reports.documents.qbr.customer_check import check_customer_context
from reports.documents.qbr.phrases import phrase
from reports.render.pptx.branding import branded_template
from reports.render.pptx.chartspec import BarChart, ComboChart, LineChart, NumberFormat
from reports.render.pptx.deck import template_bytes
from reports.render.pptx.shapes import INSET_X, Cell, Para, text_body_xml
from reports.render.pptx.textbox import FONT, text_frame_fits, write_text
from reports.render.pptx.textfit import FontSpec, fit_text, paginate_heights, row_height
from reports.render.pptx.writer import DeckTemplate, DeckWriter, SlideDraft, deck_template

__all__ = ["render_qbr_pptx", "render_slides", "text_frame_fits"]

CELL_PAD = 45_720
TABLE_FONT_PT = 14
BAND_COLOUR = {"green": "accent3", "yellow": "accent2", "red": "accent4"}
"""Health band -> theme colour of its KPI value and table cell tint."""
MUTED, HEADING, EMPHASIS = "accent5", "tx2", "accent4"


# --------------------------------------------------------------------------- slides


def _title(slide: SlideDraft, text: str, size: float = 28) -> None:
    write_text(slide, "Title", [Para(text, size, bold=True)])


def _chart_spec(chart: ChartData, locale: str) -> LineChart | BarChart | ComboChart:
    fmt = NumberFormat(chart.value_kind, locale)
    if chart.kind == "combo":
        return ComboChart(
            categories=chart.categories,
            series=chart.series,
            lines=chart.lines,
            number_format=fmt,
            line_format=NumberFormat(chart.line_kind, locale),
        )
    if chart.kind == "line":
        return LineChart(
            categories=chart.categories,
            series=chart.series,
            number_format=fmt,
            legend=len(chart.series) > 1,
            value_range=chart.value_range,
        )
    return BarChart(
        categories=chart.categories,
        series=chart.series,
        number_format=fmt,
        stacked=chart.stacked,
        accents=chart.accents,
    )


def _chart_slide(deck: DeckWriter, ctx: QbrContext, content: Slide) -> None:
    slide = deck.add_slide("Chart")
    _title(slide, content.title)
    chart = content.chart
    assert chart is not None, "a chart slide carries its chart"
    slide.chart("Chart", _chart_spec(chart, ctx.locale), chart.description, content.title)
    write_text(slide, "Commentary", [Para(t, 16, bullet=False) for t in content.side])
    slide.notes = content.notes


def _bullets_slide(deck: DeckWriter, content: Slide) -> None:
    slide = deck.add_slide("Title and Content")
    _title(slide, content.title)
    write_text(slide, "Content", [Para(t, 20, bullet=True) for t in content.bullets])
    slide.notes = content.notes


def _title_slide(deck: DeckWriter, content: Slide) -> None:
    slide = deck.add_slide("Title")
    write_text(slide, "Title", [Para(content.title, 40, bold=True)])
    write_text(slide, "Subtitle", [Para(content.subtitle, 24, colour="accent1")])
    meta = [Para(content.meta[0], 16)]
    meta += [Para(m, 16, bold=True, colour=EMPHASIS) for m in content.meta[1:]]
    write_text(slide, "Meta", meta)
    slide.notes = content.notes


def _kpi_slide(deck: DeckWriter, content: Slide) -> None:
    slide = deck.add_slide("KPI")
    _title(slide, content.title)
    for index, kpi in enumerate(content.kpis[:4]):
        colour = BAND_COLOUR.get(kpi.status or "", HEADING)
        write_text(
            slide,
            f"KPI {index + 1}",
            [
                Para(kpi.label, 14, colour=MUTED),
                Para(kpi.value, 28, bold=True, colour=colour),
                Para(kpi.detail, 12),
            ],
            align="ctr",
        )
    write_text(slide, "Commentary", [Para(t, 18, bullet=True) for t in content.bullets])
    slide.notes = content.notes


def _two_slide(deck: DeckWriter, content: Slide) -> None:
    slide = deck.add_slide("Two Content")
    _title(slide, content.title)
    for name, heading, items in (
        ("Left", content.bullets_title, content.bullets),
        ("Right", content.side_title, content.side),
    ):
        paras = [Para(heading, 20, bold=True, colour=HEADING)] if heading else []
        paras += [Para(t, 18, bullet=True) for t in items]
        write_text(slide, name, paras)
    slide.notes = content.notes


def _table_pages(
    table: Table, width: int, height: int
) -> tuple[list[int], list[tuple[str, ...]], list[range]]:
    total = sum(table.widths)
    widths = [int(width * w / total) for w in table.widths]
    font = FontSpec(FONT, TABLE_FONT_PT)
    bold = FontSpec(FONT, TABLE_FONT_PT, True)
    rows = [
        tuple(
            fit_text(cell, font, max(1, w - 2 * INSET_X), 3 * font.line_height_emu)
            for cell, w in zip(row, widths, strict=False)
        )
        for row in table.rows
    ]
    header = row_height(table.columns, [w - 2 * INSET_X + 2 * CELL_PAD for w in widths], bold, CELL_PAD)
    heights = [row_height(r, [w - 2 * INSET_X + 2 * CELL_PAD for w in widths], font, CELL_PAD) for r in rows]
    pages = paginate_heights(heights, height - header)
    return widths, rows, pages


def _table_slides(deck: DeckWriter, ctx: QbrContext, content: Slide) -> None:
    table = content.table
    assert table is not None, "a table slide carries its table"
    _, _, width, height = deck.template.layout("Table").placeholder("Table").box
    widths, rows, pages = _table_pages(table, width, height)
    row_height_emu = FontSpec(FONT, TABLE_FONT_PT).line_height_emu + 2 * CELL_PAD
    for number, page in enumerate(pages, start=1):
        slide = deck.add_slide("Table")
        title = content.title
        if len(pages) > 1:
            title = phrase(ctx.locale, "continued", title=content.title, page=number, pages=len(pages))
        _title(slide, title)
        cells = [[Cell(name, bold=True) for name in table.columns]]
        for index in page:
            status = table.status[index] if table.status else None
            fill = BAND_COLOUR.get(status or "")
            cells.append(
                [
                    Cell(text, fill=fill if col == table.status_column else None)
                    for col, text in enumerate(rows[index])
                ]
            )
        slide.table(
            "Table",
            widths,
            cells,
            row_height=row_height_emu,
            font_pt=TABLE_FONT_PT,
            cell_pad=CELL_PAD,
            description=title,
        )
        if content.bullets and number == len(pages):
            write_text(slide, "Footnote", [Para(content.bullets[0], 12, colour=MUTED)])
        slide.notes = content.notes


def _appendix(deck: DeckWriter, content: Slide) -> None:
    extra = [Para(t, 12, colour=MUTED) for t in content.side]
    slide = deck.add_slide("Title and Content")
    _title(slide, content.title)
    write_text(slide, "Content", [*(Para(t, 16, bullet=True) for t in content.bullets), *extra])
    slide.notes = content.notes


def render_slides(deck: DeckWriter, ctx: QbrContext) -> None:
    """Add every slide of ``ctx`` to ``deck``."""
    for content in ctx.slides:
        if content.key == "title":
            _title_slide(deck, content)
        elif content.key == "executive_summary":
            _kpi_slide(deck, content)
        elif content.key == "appendix":
            _appendix(deck, content)
        elif content.table is not None:
            _table_slides(deck, ctx, content)
        elif content.chart is not None:
            _chart_slide(deck, ctx, content)
        elif content.side_title or content.bullets_title:
            _two_slide(deck, content)
        else:
            _bullets_slide(deck, content)


# --------------------------------------------------------------------------- internal marking

_MARK_ID = 9001
"""Shape id of the INTERNAL band (above any id a layout placeholder uses)."""
_EMU_PER_INCH = 914_400


def _slide_size(template: DeckTemplate) -> tuple[int, int]:
    found = re.search(r'<p:sldSz cx="(\d+)" cy="(\d+)"', "".join(template.presentation_xml))
    return (int(found[1]), int(found[2])) if found else (12_192_000, 6_858_000)


def _mark_xml(text: str, size: tuple[int, int]) -> str:
    """A red-edged text box at the slide's bottom left saying ``text`` (INTERNAL …)."""
    width, height = size
    x, box_h = _EMU_PER_INCH // 2, _EMU_PER_INCH * 3 // 10
    y, box_w = height - _EMU_PER_INCH * 45 // 100, min(width // 2, _EMU_PER_INCH * 5)
    body = text_body_xml([Para(text, 10, bold=True, colour=EMPHASIS)])
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{_MARK_ID}" name="Internal marking" descr="{text}"/>'
        '<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{box_w}" cy="{box_h}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
        f'<a:ln w="12700"><a:solidFill><a:schemeClr val="{EMPHASIS}"/></a:solidFill></a:ln></p:spPr>'
        f"{body}</p:sp>"
    )


class _MarkedSlide(SlideDraft):
    """A slide of an internal deck: its shapes plus the INTERNAL band, on every layout."""

    mark = ""

    def xml(self) -> str:
        return super().xml().replace("</p:spTree>", f"{self.mark}</p:spTree>", 1)


class _InternalDeck(DeckWriter):
    """A deck whose every slide carries :func:`_mark_xml`."""

    def __init__(self, template: DeckTemplate, mark: str):
        super().__init__(template)
        self._mark = _mark_xml(mark, _slide_size(template))

    def add_slide(self, layout_name: str) -> SlideDraft:
        slide = _MarkedSlide(self.template.layout(layout_name))
        slide.mark = self._mark
        self.slides.append(slide)
        return slide


def render_qbr_pptx(context: QbrContext, template: Path | bytes, branding: Branding | None = None) -> bytes:
    """The deck of ``context`` as .pptx bytes, built on the master ``template`` (a path or its bytes).

    A customer deck is checked first (:func:`check_customer_context`: it refuses paths, hashes,
    tool names and internal wording); an internal deck says INTERNAL at the bottom of every slide
    and in its title property. ``branding`` recolours the master and puts the logo on the
    title slide. Deterministic: the same context, template and branding give the same bytes.
    """
    check_customer_context(context, f"{context.account_name} QBR deck")
    blob = template if isinstance(template, bytes) else template_bytes(Path(template))
    blob = branded_template(blob, branding or Branding())
    internal = context.audience == "internal"
    tpl = deck_template(blob)
    deck = _InternalDeck(tpl, internal_mark(context.locale)) if internal else DeckWriter(tpl)
    render_slides(deck, context)
    title = f"{context.account_name} · {context.quarter}"
    if internal:
        title = internal_title(title)
    return deck.to_bytes(title=title, author=context.csm_name, date=context.generated_on)
