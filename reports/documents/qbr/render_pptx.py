"""Render a :class:`QbrContext` into an editable PPTX deck from the QBR master.

Layouts and placeholders are found by name (see docs/templates.md: "Title",
"Section", "Title and Content", "Two Content", "Chart", "Table", "KPI").
Every piece of text is measured with the theme font's metrics before it is
written (:mod:`reports.render.pptx.textfit`): long text is wrapped or shortened
with an ellipsis, and tables too long for one slide continue on the next
("Goals (2/2)"). Sizes, margins and bullet indents are written explicitly on
each paragraph so :func:`text_frame_fits` can check the result from the XML.

No slide is left near-empty (content under a third of the content area's
height): short tables are set at 18 pt and spaced out, a short slide shares one
with its neighbour (goals with the success plan, the customer's team or the
internal risks with the next steps, short next steps under the summary's
takeaways), and table headers and KPI labels are set smaller rather than broken
inside a word. Charts name the theme's body font (``+mn-lt``) so they match
the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from reports.data.branding import Branding
from reports.documents.audience import internal_mark, internal_title
from reports.documents.qbr.context import ChartData, QbrContext, Slide, Table
from reports.documents.qbr.customer_check import check_customer_context
from reports.documents.qbr.phrases import phrase
from reports.render.pptx.branding import branded_template
from reports.render.pptx.chartspec import BarChart, ComboChart, LineChart, NumberFormat
from reports.render.pptx.deck import template_bytes
from reports.render.pptx.marks import unique_keys
from reports.render.pptx.shapes import (
    BULLET_INDENT,
    INSET_X,
    INSET_Y,
    PARAGRAPH_SPACE_PT,
    Cell,
    Para,
    drawn_text_xml,
    table_frame_xml,
    text_body_xml,
)
from reports.render.pptx.textbox import (
    DEEP_SHRINK_STEPS,
    FONT,
    paginate_paragraphs,
    text_frame_fits,
    write_text,
)
from reports.render.pptx.textfit import (
    FontSpec,
    fit_text,
    header_fit,
    longest_word_width,
    paginate_heights,
    row_height,
    text_height,
    text_width,
)
from reports.render.pptx.writer import DeckTemplate, DeckWriter, FrozenLayout, SlideDraft, deck_template

__all__ = ["render_qbr_pptx", "render_slides", "text_frame_fits"]

CELL_PAD = 45_720
TABLE_FONT_PT = 14
SHORT_TABLE_FONT_PT = 18
"""Font size of a table that fits one slide at it."""
SHORT_TABLE_FILL = 0.5
"""Share of the content area's height a short table alone on a slide is spaced out to fill."""
MAX_ROW_EMU = 548_640
"""Tallest a table row is spaced out to (0.6 inch)."""
MIN_HEADER_PT = 10
"""Smallest size a table header shrinks to so that none of its words is broken."""
LEAD_PT, SUBHEADING_PT = 18, 18
COLUMN_GAP = 301_752
"""Space between two columns (a third of an inch)."""
MIN_FILL = 1 / 3
"""A slide whose content fills less than this share of the content area's height is near-empty."""
STACK_GAP = 228_600
"""Space between two tables on one slide (a quarter inch)."""
_EXTRA_ID = 9010
"""First shape id of the shapes beyond a layout's placeholders (after the INTERNAL band's 9001)."""
BAND_COLOUR = {"green": "accent3", "yellow": "accent2", "red": "accent4"}
"""Health band -> theme colour of its KPI value and table cell tint."""
MUTED, HEADING, EMPHASIS = "accent5", "tx2", "accent4"


# --------------------------------------------------------------------------- slides


def _title(slide: SlideDraft, text: str, size: float = 28) -> None:
    write_text(slide, "Title", [Para(text, size, bold=True)])


def words_fit(
    text: str,
    size: float,
    width: int,
    *,
    bold: bool = False,
    smallest: float = 9,
    family: str = FONT,
    whole: bool = False,
) -> float:
    """``size``, or the largest smaller size (down to ``smallest``) at which the longest word of
    ``text`` set in ``family`` fits ``width`` EMU, so that the text wraps between words, never
    inside one; with ``whole``, at which all of ``text`` fits one line."""
    measure = text_width if whole else longest_word_width
    while size > smallest and measure(text, FontSpec(family, size, bold)) > width:
        size -= 0.5
    return size


def _chart_spec(chart: ChartData, locale: str) -> LineChart | BarChart | ComboChart:
    fmt = NumberFormat(chart.value_kind, locale)
    if chart.kind == "combo":
        return ComboChart(
            categories=chart.categories,
            series=chart.series,
            lines=chart.lines,
            number_format=fmt,
            line_format=NumberFormat(chart.line_kind, locale),
            value_title=chart.value_title,
            category_title=chart.category_title,
            line_title=chart.line_title,
        )
    if chart.kind == "line":
        return LineChart(
            categories=chart.categories,
            series=chart.series,
            number_format=fmt,
            legend=len(chart.series) > 1,
            value_range=chart.value_range,
            value_title=chart.value_title,
            category_title=chart.category_title,
        )
    return BarChart(
        categories=chart.categories,
        series=chart.series,
        number_format=fmt,
        stacked=chart.stacked,
        accents=chart.accents,
        value_title=chart.value_title,
        category_title=chart.category_title,
    )


def _chart_slide(deck: _QbrDeck, ctx: QbrContext, content: Slide) -> None:
    slide = deck.add_slide("Chart")
    _title(slide, content.title)
    chart = content.chart
    assert chart is not None, "a chart slide carries its chart"
    slide.chart("Chart", _chart_spec(chart, ctx.locale), chart.description, content.title)
    paras = [Para(t, 16, bullet=False) for t in content.side]
    if chart.note:  # under the first line, the figure the chart plots, so it is never cut
        paras.insert(1, Para(chart.note, 12, colour=MUTED))
    write_text(slide, "Commentary", paras)
    slide.notes = content.notes


def _bullets_slide(deck: _QbrDeck, content: Slide, locale: str) -> None:
    _paged_bullets(deck, content, [Para(t, 20, bullet=True) for t in content.bullets], locale)


def _paged_bullets(deck: _QbrDeck, content: Slide, paras: list[Para], locale: str) -> None:
    """``paras`` on "Title and Content" slides titled by ``content``, on as many as they need."""
    pages = _bullet_pages(deck.template.layout("Title and Content"), paras)
    _fill_bullets([deck.add_slide("Title and Content") for _ in pages], pages, content, locale)


def _bullet_pages(layout: FrozenLayout, paras: list[Para]) -> list[list[Para]]:
    """``paras`` split over as many slides of ``layout`` as they need, so that no item is lost on
    a master with little room below the title (:func:`paginate_paragraphs`)."""
    ph = layout.placeholder("Content")
    return paginate_paragraphs(paras, ph.box, ph.font) or [[]]


def _fill_bullets(
    slides: Sequence[SlideDraft],
    pages: list[list[Para]],
    content: Slide,
    locale: str,
    *,
    first: int = 1,
    total: int | None = None,
) -> None:
    """Write each page of paragraphs on its slide, under ``content``'s title ("(1/2)" after it when
    there are several pages: these are pages ``first`` … of ``total``) and with its notes."""
    total = total or len(slides)
    for number, (slide, paras) in enumerate(zip(slides, pages, strict=True), start=first):
        _title(slide, _page_title(content.title, number, total, locale))
        write_text(slide, "Content", paras)
        slide.notes = content.notes


def _page_title(title: str, page: int, pages: int, locale: str) -> str:
    """``title``, with "(page/pages)" after it when there are several pages."""
    return title if pages == 1 else phrase(locale, "continued", title=title, page=page, pages=pages)


def _title_slide(deck: _QbrDeck, content: Slide) -> None:
    slide = deck.add_slide("Title")
    write_text(slide, "Title", [Para(content.title, 40, bold=True)])
    write_text(slide, "Subtitle", [Para(content.subtitle, 24, colour="accent1")])
    meta = [Para(content.meta[0], 16)]
    meta += [Para(m, 16, bold=True, colour=EMPHASIS) for m in content.meta[1:]]
    write_text(slide, "Meta", meta)
    slide.notes = content.notes


def _kpi_slide(deck: _QbrDeck, content: Slide, locale: str, steps: Slide | None = None) -> bool:
    """The KPI tiles and the takeaways under them; with ``steps``, the next steps' table under the
    takeaways when it fits (else nothing is written and False returned). Takeaways that do not fit
    under the tiles (a master with little room) continue on a slide of their own."""
    layout = deck.template.layout("KPI")
    family = layout.font
    x, y, width, height = layout.placeholder("Commentary").box
    paras = [Para(t, 18, bullet=True) for t in content.bullets]
    if steps is not None and steps.table is not None:
        heading_h = FontSpec(family, SUBHEADING_PT, True).line_height_emu + 2 * INSET_Y
        table = _fit_table(steps.table, width, TABLE_FONT_PT, family)
        rows = range(len(table.rows))
        for size in (18, 16):  # the takeaways a size smaller rather than the steps on a slide alone
            paras = [Para(t, size, bullet=True) for t in content.bullets]
            text_h = (
                sum(
                    text_height(p.text, FontSpec(family, p.size), width - 2 * INSET_X - BULLET_INDENT)
                    for p in paras
                )
                + PARAGRAPH_SPACE_PT * 12_700 * (len(paras) - 1)
                + 2 * INSET_Y
            )
            if text_h + STACK_GAP // 2 + heading_h + table.height(rows) <= height:
                break
        else:
            return False
    paged = steps is None or steps.table is None
    pages = [paras]
    if paged:
        more_box = deck.template.layout("Title and Content").placeholder("Content").box
        pages = paginate_paragraphs(paras, more_box, family, first=(x, y, width, height)) or [[]]
    slide = deck.add_slide("KPI")
    _title(slide, _page_title(content.title, 1, len(pages), locale))
    for index, kpi in enumerate(content.kpis[:4]):
        colour = BAND_COLOUR.get(kpi.status or "", HEADING)
        name = f"KPI {index + 1}"
        tile_w = slide.placeholder(name).box[2] - 2 * INSET_X
        fit = partial(words_fit, width=tile_w, family=family)
        write_text(
            slide,
            name,
            [
                Para(kpi.label, fit(kpi.label, 14), colour=MUTED),
                Para(
                    kpi.value,
                    fit(kpi.value, 28, bold=True, whole=True, smallest=16),
                    bold=True,
                    colour=colour,
                ),
                Para(kpi.detail, fit(kpi.detail, 12)),
            ],
            align="ctr",
            scales=DEEP_SHRINK_STEPS,
        )
    slide.notes = content.notes
    if paged:
        write_text(slide, "Commentary", pages[0])
        more = [deck.add_slide("Title and Content") for _ in pages[1:]]
        _fill_bullets(more, pages[1:], content, locale, first=2, total=len(pages))
        return True
    assert steps is not None and steps.table is not None
    slide.extra.append(_text_box_xml(_EXTRA_ID, "Takeaways", (x, y, width, text_h), paras))
    top = y + text_h + STACK_GAP // 2
    heading = [Para(steps.title, SUBHEADING_PT, bold=True, colour=HEADING)]
    slide.extra.append(_text_box_xml(_EXTRA_ID + 1, steps.title, (x, top, width, heading_h), heading))
    top += heading_h
    box = (x, top, width, table.height(rows))
    slide.extra.append(_table_xml(_EXTRA_ID + 2, steps.title, "", box, table, rows, steps.title))
    slide.notes = f"{content.notes} {steps.notes}"
    return True


def _two_slide(deck: _QbrDeck, content: Slide) -> None:
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


@dataclass(frozen=True)
class _FittedTable:
    """A table measured at one font size: column widths, fitted cells, each row's height and the
    header's, and the header's own size (smaller when a header word would not fit its column)."""

    table: Table
    widths: list[int]
    rows: list[tuple[str, ...]]
    heights: list[int]
    header_height: int
    font_pt: float
    header_pt: float
    family: str
    """The font the table is set in (the master's body font)."""

    def pages(self, height: int, first: int | None = None) -> list[range]:
        """Rows of each page ``height`` EMU tall (the first ``first`` tall: a lead-in above it)."""
        first_rows = None if first is None else first - self.header_height
        return paginate_heights(self.heights, height - self.header_height, first_rows)

    def height(self, page: range) -> int:
        return self.header_height + sum(self.heights[i] for i in page)


def _fit_table(table: Table, width: int, font_pt: float, family: str) -> _FittedTable:
    total = sum(table.widths)
    widths = [int(width * w / total) for w in table.widths]
    header_pt, widths = header_fit(
        table.columns, widths, FontSpec(family, font_pt), smallest=MIN_HEADER_PT, inset=INSET_X
    )
    font = FontSpec(family, font_pt)
    rows = [
        tuple(
            fit_text(cell, font, max(1, w - 2 * INSET_X), 3 * font.line_height_emu)
            for cell, w in zip(row, widths, strict=False)
        )
        for row in table.rows
    ]
    cell_widths = [w - 2 * INSET_X + 2 * CELL_PAD for w in widths]
    header = row_height(table.columns, cell_widths, FontSpec(family, header_pt, True), CELL_PAD)
    heights = [row_height(r, cell_widths, font, CELL_PAD) for r in rows]
    return _FittedTable(table, widths, rows, heights, header, font_pt, header_pt, family)


def _fit_for(table: Table, width: int, height: int, family: str) -> _FittedTable:
    """The table at :data:`SHORT_TABLE_FONT_PT` when it fits one slide at that size (a short
    table is not left small in a large empty slide), else at :data:`TABLE_FONT_PT`, paginated."""
    large = _fit_table(table, width, SHORT_TABLE_FONT_PT, family)
    if len(large.pages(height)) == 1:
        return _spaced(large, height)
    return _fit_table(table, width, TABLE_FONT_PT, family)


def _spaced(fitted: _FittedTable, height: int) -> _FittedTable:
    """``fitted`` with its rows made taller (up to :data:`MAX_ROW_EMU` each) until the table fills
    :data:`SHORT_TABLE_FILL` of ``height``: a short table alone on a slide is spaced out, not left
    as a strip at the top."""
    total = fitted.header_height + sum(fitted.heights)
    want = int(SHORT_TABLE_FILL * height)
    if total >= want or not fitted.heights:
        return fitted
    extra = (want - total) // (len(fitted.heights) + 1)
    heights = [min(max(h, MAX_ROW_EMU), h + extra) for h in fitted.heights]
    header = min(max(fitted.header_height, MAX_ROW_EMU), fitted.header_height + extra)
    return replace(fitted, heights=heights, header_height=header)


def _table_xml(
    shape_id: int,
    name: str,
    ph: str,
    box: tuple[int, int, int, int],
    fitted: _FittedTable,
    page: range,
    description: str,
) -> str:
    """The table frame of ``page``'s rows at ``box``'s top left: each row as tall as measured (the
    frame's height is the table's), the header at its own size."""
    table = fitted.table
    cells = [[Cell(name, bold=True) for name in table.columns]]
    for index in page:
        status = table.status[index] if table.status else None
        fill = BAND_COLOUR.get(status or "")
        cells.append(
            [
                Cell(text, fill=fill if col == table.status_column else None)
                for col, text in enumerate(fitted.rows[index])
            ]
        )
    base = FontSpec(fitted.family, fitted.font_pt).line_height_emu + 2 * CELL_PAD
    xml = table_frame_xml(
        shape_id,
        name,
        ph,
        box,
        fitted.widths,
        cells,
        row_height=base,
        font_pt=fitted.font_pt,
        cell_pad=CELL_PAD,
        descr=description,
        header_pt=fitted.header_pt,
    )
    heights = iter([fitted.header_height, *(fitted.heights[i] for i in page)])
    xml = re.sub(f'<a:tr h="{base}">', lambda _m: f'<a:tr h="{next(heights)}">', xml)
    x, y, cx, _ = box
    xml = xml.replace(
        f'<a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{base * (len(page) + 1)}"/>',
        f'<a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{fitted.height(page)}"/>',
        1,
    )
    return xml.replace("<a:tcPr ", '<a:tcPr anchor="ctr" ')


def _text_box_xml(shape_id: int, name: str, box: tuple[int, int, int, int], paras: list[Para]) -> str:
    """A free text box (a sub-heading or a lead-in sentence) at ``box``, no outline."""
    return drawn_text_xml(shape_id, name, box, text_body_xml(paras))


def _lead_paras(text: str, width: int, family: str) -> tuple[list[Para], int]:
    """The lead-in sentence above a table, fitted to ``width``, and the height it takes."""
    if not text:
        return [], 0
    font = FontSpec(family, LEAD_PT)
    fitted = fit_text(text, font, width - 2 * INSET_X, 2 * font.line_height_emu)
    return [Para(fitted, LEAD_PT, colour=HEADING)], text_height(
        fitted, font, width - 2 * INSET_X
    ) + 2 * INSET_Y


def _table_slides(deck: _QbrDeck, ctx: QbrContext, content: Slide) -> None:
    """A table slide per page of ``content.table``; its lead-in sentence above the table on the first
    page and its footnote under it on the last."""
    table = content.table
    assert table is not None, "a table slide carries its table"
    ph = deck.template.layout("Table").placeholder("Table")
    x, y, width, height = ph.box
    lead, lead_h = _lead_paras(content.lead, width, ph.font)
    fitted = _fit_for(table, width, height - lead_h, ph.font)
    pages = fitted.pages(height, first=height - lead_h)
    for number, page in enumerate(pages, start=1):
        slide = deck.add_slide("Table")
        title = content.title
        if len(pages) > 1:
            title = phrase(ctx.locale, "continued", title=content.title, page=number, pages=len(pages))
        _title(slide, title)
        top = y
        if lead and number == 1:
            slide.extra.append(_text_box_xml(_EXTRA_ID, "Lead", (x, y, width, lead_h), lead))
            top += lead_h
        slide.put(ph, _table_xml(ph.shape_id, ph.name, ph.ph, (x, top, width, height), fitted, page, title))
        if content.bullets and number == len(pages):
            write_text(slide, "Footnote", [Para(content.bullets[0], 12, colour=MUTED)])
        slide.notes = content.notes


def _columns_part(content: Slide, width: int, family: str) -> tuple[list[list[Para]], int]:
    """The two columns of a two-column slide (heading and bullets each) as paragraphs for half of
    ``width``, and the height of the taller column."""
    half = (width - COLUMN_GAP) // 2 - 2 * INSET_X
    columns, tallest = [], 0
    for heading, items in ((content.bullets_title, content.bullets), (content.side_title, content.side)):
        paras = [Para(heading, SUBHEADING_PT, bold=True, colour=HEADING)] if heading else []
        paras += [Para(t, 16, bullet=True) for t in items]
        height = sum(
            text_height(p.text, FontSpec(family, p.size, p.bold), half - (BULLET_INDENT if p.bullet else 0))
            + (PARAGRAPH_SPACE_PT * 12_700 if i else 0)
            for i, p in enumerate(paras)
        )
        columns.append(paras)
        tallest = max(tallest, height + 2 * INSET_Y)
    return columns, tallest


def _stack(deck: _QbrDeck, ctx: QbrContext, title: str, parts: list[Slide], *, headings: bool = True) -> bool:
    """``parts`` on one slide, top to bottom, each under its title as a sub-heading (unless
    ``headings`` is False): tables (with their lead-in) and two-column lists. Written only when all
    of it fits the content area at :data:`TABLE_FONT_PT` or larger; returns whether it was."""
    ph = deck.template.layout("Table").placeholder("Table")
    x, y, width, height = ph.box
    family = ph.font
    heading_h = FontSpec(family, SUBHEADING_PT, True).line_height_emu + 2 * INSET_Y
    for size in (SHORT_TABLE_FONT_PT, 16, TABLE_FONT_PT):
        fitted = [
            _fit_table(part.table, width, size, family) if part.table is not None else None for part in parts
        ]
        leads = [_lead_paras(part.lead, width, family) for part in parts]
        cols = [_columns_part(part, width, family) if part.table is None else ([], 0) for part in parts]
        used = STACK_GAP * (len(parts) - 1)
        for part, table, (_lead, lead_h), (_c, cols_h) in zip(parts, fitted, leads, cols, strict=True):
            used += (heading_h if headings and part.table is not None else 0) + lead_h + cols_h
            used += table.height(range(len(table.rows))) if table is not None else 0
        if used <= height:
            break
    else:
        return False
    slide = deck.add_slide("Table")
    _title(slide, title)
    slide.topic = title
    top, shape_id, placed = y, _EXTRA_ID, False
    for part, table, (lead, lead_h), (columns, cols_h) in zip(parts, fitted, leads, cols, strict=True):
        if table is None:
            half = (width - COLUMN_GAP) // 2
            for index, paras in enumerate(columns):
                box = (x + index * (half + COLUMN_GAP), top, half, cols_h)
                slide.extra.append(_text_box_xml(shape_id, f"{part.key} {index + 1}", box, paras))
                shape_id += 1
            top += cols_h + STACK_GAP
            continue
        if headings:
            heading = [Para(part.title, SUBHEADING_PT, bold=True, colour=HEADING)]
            slide.extra.append(_text_box_xml(shape_id, part.title, (x, top, width, heading_h), heading))
            shape_id, top = shape_id + 1, top + heading_h
        if lead:
            slide.extra.append(_text_box_xml(shape_id, "Lead", (x, top, width, lead_h), lead))
            shape_id, top = shape_id + 1, top + lead_h
        rows = range(len(table.rows))
        box = (x, top, width, table.height(rows))
        if not placed:
            slide.put(ph, _table_xml(ph.shape_id, ph.name, ph.ph, box, table, rows, part.title))
            placed = True
        else:
            slide.extra.append(_table_xml(shape_id, part.title, "", box, table, rows, part.title))
            shape_id += 1
        top += table.height(rows) + STACK_GAP
    footnotes = [part.bullets[0] for part in parts if part.table is not None and part.bullets]
    if footnotes:
        write_text(slide, "Footnote", [Para(" ".join(footnotes), 12, colour=MUTED)])
    slide.notes = " ".join(part.notes for part in parts).strip()
    return True


def _near_empty_alone(deck: _QbrDeck, content: Slide) -> bool:
    """True when ``content``'s table (and lead-in) on a slide of its own would fill less than
    :data:`MIN_FILL` of the content area's height."""
    if content.table is None:
        return False
    ph = deck.template.layout("Table").placeholder("Table")
    _, _, width, height = ph.box
    _lead, lead_h = _lead_paras(content.lead, width, ph.font)
    fitted = _fit_table(
        content.table, width, SHORT_TABLE_FONT_PT, ph.font
    )  # its natural height, not spaced out
    pages = fitted.pages(height - lead_h)
    return len(pages) == 1 and lead_h + fitted.height(pages[0]) < MIN_FILL * height


def _appendix(deck: _QbrDeck, content: Slide, locale: str) -> None:
    paras = [Para(t, 16, bullet=True) for t in content.bullets] + [
        Para(t, 12, colour=MUTED) for t in content.side
    ]
    _paged_bullets(deck, content, paras, locale)


def _merged(deck: _QbrDeck, ctx: QbrContext, content: Slide, after: Slide | None) -> bool:
    """Write ``content`` together with the slide ``after`` it when one of them alone would be
    near-empty and both fit one slide: last quarter's goals with the success plan; the customer's
    team with the next steps; the internal risks and opportunities above the next steps."""
    if after is None or (after.key != "next_steps" and content.key != "goals_review"):
        return False
    p = partial(phrase, ctx.locale)
    if content.key == "goals_review" and after.key == "success_plan":
        return _stack(deck, ctx, p("goals_and_plan"), [content, after])
    short = _near_empty_alone(deck, content) or _near_empty_alone(deck, after)
    if content.key == "stakeholders" and ctx.audience == "customer" and short:
        return _stack(deck, ctx, p("team_and_steps"), [content, after])
    if content.key == "risks_opportunities":
        return _stack(deck, ctx, p("signals_and_steps"), [content, after])
    return False


def render_slides(deck: _QbrDeck, ctx: QbrContext) -> None:
    """Add every slide of ``ctx`` to ``deck``. Slides that would be near-empty share one
    (:func:`_merged`); next steps too short for a slide of their own go under the executive
    summary's takeaways. The agenda lists the slides as they are rendered, merged ones by their
    shared title."""
    agenda = ctx.slide("agenda")
    topics, agenda_slide = _render(deck, ctx)
    if agenda is not None and agenda_slide is not None:  # filled once the slides after it are known
        notes = phrase(ctx.locale, "n_agenda", items="; ".join(topics))
        pages = _bullet_pages(agenda_slide.layout, [Para(t, 20, bullet=True) for t in topics])
        more = [deck.new_slide("Title and Content") for _ in pages[1:]]
        for number, slide in enumerate(more, start=2):
            slide.key = f"{agenda.key}~{number}"
        at = deck.slides.index(agenda_slide) + 1
        deck.slides[at:at] = more
        _fill_bullets([agenda_slide, *more], pages, replace(agenda, notes=notes), ctx.locale)


def _render(deck: _QbrDeck, ctx: QbrContext) -> tuple[list[str], SlideDraft | None]:
    """Write the slides of ``ctx``, the agenda's left empty, and return the topic of each content
    slide written (not the title, agenda or appendix; a table continued on several slides once)
    and the agenda's slide."""
    slides = list(ctx.slides)
    steps = ctx.slide("next_steps")
    steps_on_summary = (
        steps is not None
        and ctx.slide("executive_summary") is not None
        and _near_empty_alone(deck, steps)
        and not any(s.key in ("stakeholders", "risks_opportunities") for s in slides)
    )
    topics: list[str] = []
    agenda_slide: SlideDraft | None = None
    skip = False
    for index, content in enumerate(slides):
        if skip:
            skip = False
            continue
        after = slides[index + 1] if index + 1 < len(slides) else None
        before = len(deck.slides)
        topic = content.title
        if content.key == "title":
            _title_slide(deck, content)
        elif content.key == "agenda":
            agenda_slide = deck.add_slide("Title and Content")
        elif content.key == "executive_summary":
            topic = phrase(ctx.locale, "executive_summary")
            if not (steps_on_summary and _kpi_slide(deck, content, ctx.locale, steps)):
                steps_on_summary = False
                _kpi_slide(deck, content, ctx.locale)
        elif content.key == "next_steps" and steps_on_summary:
            continue
        elif content.key == "appendix":
            _appendix(deck, content, ctx.locale)
        elif _merged(deck, ctx, content, after):
            skip = True
            topic = getattr(deck.slides[-1], "topic", "") or topic
        elif content.table is not None:
            _table_slides(deck, ctx, content)
        elif content.chart is not None:
            _chart_slide(deck, ctx, content)
        elif content.side_title or content.bullets_title:
            _two_slide(deck, content)
        else:
            _bullets_slide(deck, content, ctx.locale)
        added = deck.slides[before:]
        for page, slide in enumerate(added, start=1):
            slide.key = content.key if page == 1 else f"{content.key}~{page}"
        if added and content.key not in ("title", "agenda", "appendix"):
            topics.append(topic)
    keys = unique_keys(s.key or "slide" for s in deck.slides)
    for slide, key in zip(deck.slides, keys, strict=True):
        slide.key = key
    return topics, agenda_slide


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


class _QbrSlide(SlideDraft):
    """A slide with shapes beyond its layout's placeholders (sub-headings, a lead-in, a second
    table) and, in an internal deck, the INTERNAL band."""

    def __init__(self, layout, mark: str = ""):
        super().__init__(layout)
        self.extra: list[str] = []
        self.mark = mark
        self.topic = ""
        """The agenda's name for a slide that merges several (its title)."""

    def shape_xmls(self) -> list[str]:
        return [*super().shape_xmls(), *self.extra, *([self.mark] if self.mark else [])]


class _QbrDeck(DeckWriter):
    """A deck of :class:`_QbrSlide`; with a ``mark`` every slide carries :func:`_mark_xml`."""

    def __init__(self, template: DeckTemplate, mark: str = ""):
        super().__init__(template)
        self._mark = _mark_xml(mark, _slide_size(template)) if mark else ""

    def new_slide(self, layout_name: str) -> _QbrSlide:
        """A slide of the layout called ``layout_name``, not yet in the deck."""
        return _QbrSlide(self.template.layout(layout_name), self._mark)

    def add_slide(self, layout_name: str) -> _QbrSlide:
        slide = self.new_slide(layout_name)
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
    deck = _QbrDeck(tpl, internal_mark(context.locale) if internal else "")
    deck.subject = f"account {context.account_id}"
    render_slides(deck, context)
    title = f"{context.account_name} · {context.quarter}"
    if internal:
        title = internal_title(title)
    return deck.to_bytes(title=title, author=context.csm_name, date=context.generated_on)
