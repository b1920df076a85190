"""Render a :class:`QbrContext` into an editable PPTX deck from the QBR master.

Layouts and placeholders are found by name (see the README: "Title",
"Section", "Title and Content", "Two Content", "Chart", "Table", "KPI").
Every piece of text is measured with the theme font's metrics before it is
written (:mod:`reports.pptx.textfit`): long text is wrapped or shortened
with an ellipsis, and tables too long for one slide continue on the next
("Goals (2/2)"). Sizes, margins and bullet indents are written explicitly on
each paragraph so :func:`text_frame_fits` can check the result from the XML.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

from reports.formatting import clean_text
from reports.pptx.charts import BarChart, ComboChart, LineChart, NumberFormat, add_chart
from reports.pptx.deck import (
    add_slide,
    find_layout,
    open_template,
    placeholder,
    placeholder_size,
    remove_empty_placeholders,
    save_deterministic,
    set_alt_text,
    set_notes,
)
from reports.pptx.textfit import FontSpec, fit_text, paginate_heights, row_height, text_height, wrap_text
from reports.qbr.context import ChartData, QbrContext, Slide, Table
from reports.qbr.phrases import phrase

FONT = "Calibri"
INSET_X, INSET_Y = 91_440, 45_720
BULLET_INDENT = 285_750
PARAGRAPH_SPACE_PT = 6
CELL_PAD = 45_720
TABLE_FONT_PT = 14
BAND_COLOUR = {
    "green": MSO_THEME_COLOR.ACCENT_3,
    "yellow": MSO_THEME_COLOR.ACCENT_2,
    "red": MSO_THEME_COLOR.ACCENT_4,
}


# --------------------------------------------------------------------------- text


class Para:
    """One paragraph to write: text, size, weight, bullet, colour."""

    __slots__ = ("bold", "bullet", "colour", "size", "text")

    def __init__(self, text: str, size: float, *, bold: bool = False, bullet: bool = False, colour=None):
        self.text = clean_text(text)
        self.size = size
        self.bold = bold
        self.bullet = bullet
        self.colour = colour


def _inner(shape: BaseShape) -> tuple[int, int]:
    width, height = placeholder_size(shape)
    return width - 2 * INSET_X, height - 2 * INSET_Y


def _para_width(width: int, para: Para) -> int:
    return width - (BULLET_INDENT if para.bullet else 0)


def _para_space(index: int) -> int:
    return 0 if index == 0 else PARAGRAPH_SPACE_PT * 12_700


def fit_paragraphs(paras: Sequence[Para], width: int, height: int) -> list[Para]:
    """Shorten (ellipsis) or drop paragraphs so they fit ``width`` × ``height`` EMU.

    Each paragraph gets at most the lines left after reserving one line for
    every paragraph after it; paragraphs that cannot get a line are dropped.
    """
    out: list[Para] = []
    used = 0
    for index, para in enumerate(paras):
        font = FontSpec(FONT, para.size, para.bold)
        space = _para_space(index)
        rest = sum(
            FontSpec(FONT, p.size, p.bold).line_height_emu + _para_space(1) for p in paras[index + 1 :]
        )
        budget = height - used - space - rest
        lines = budget // font.line_height_emu
        if lines < 1:
            budget = height - used - space
            lines = budget // font.line_height_emu
            if lines < 1:
                break
        text = fit_text(para.text, font, _para_width(width, para), lines * font.line_height_emu)
        out.append(Para(text, para.size, bold=para.bold, bullet=para.bullet, colour=para.colour))
        used += space + text_height(text, font, _para_width(width, para))
    return out


def _set_bullet(paragraph, bullet: bool) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    if bullet:
        ppr.set("marL", str(BULLET_INDENT))
        ppr.set("indent", str(-BULLET_INDENT))
        etree.SubElement(ppr, qn("a:buChar")).set("char", "•")
    else:
        ppr.set("marL", "0")
        ppr.set("indent", "0")
        etree.SubElement(ppr, qn("a:buNone"))


def write_text(shape: BaseShape, paras: Sequence[Para], *, align: PP_ALIGN | None = None) -> None:
    """Fit ``paras`` to ``shape`` and write them with explicit sizes and indents."""
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Emu(INSET_X)
    frame.margin_top = frame.margin_bottom = Emu(INSET_Y)
    width, height = _inner(shape)
    fitted = fit_paragraphs(paras, width, height)
    frame.clear()
    for index, para in enumerate(fitted):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _set_bullet(paragraph, para.bullet)
        paragraph.space_before = Pt(0 if index == 0 else PARAGRAPH_SPACE_PT)
        paragraph.space_after = Pt(0)
        paragraph.line_spacing = 1.0
        if align is not None:
            paragraph.alignment = align
        for line_index, line in enumerate(para.text.split("\n")):
            if line_index:
                paragraph.add_line_break()
            run = paragraph.add_run()
            run.text = line
            run.font.size = Pt(para.size)
            run.font.bold = para.bold
            if para.colour is not None:
                run.font.color.theme_color = para.colour


def text_frame_fits(shape: BaseShape) -> tuple[int, int]:
    """``(needed, available)`` height in EMU of a written text frame, measured from its XML.

    Reads each paragraph's run sizes, weight and indent (as :func:`write_text`
    writes them); runs without an explicit size count as 18 pt.
    """
    frame = shape.text_frame
    width = int(shape.width) - int(frame.margin_left) - int(frame.margin_right)
    available = int(shape.height) - int(frame.margin_top) - int(frame.margin_bottom)
    needed = 0
    for index, paragraph in enumerate(frame.paragraphs):
        runs = paragraph.runs
        size = max((r.font.size.pt for r in runs if r.font.size is not None), default=18.0)
        bold = any(bool(r.font.bold) for r in runs)
        ppr = paragraph._p.pPr
        indent = int(ppr.get("marL", "0")) if ppr is not None else 0
        text = paragraph.text.replace("\v", "\n")
        font = FontSpec(FONT, size, bold)
        needed += (0 if index == 0 else _para_space(1)) + len(
            wrap_text(text, font, width - indent)
        ) * font.line_height_emu
    return needed, available


# --------------------------------------------------------------------------- slides


def _title(slide: PptxSlide, text: str, size: float = 28) -> None:
    write_text(placeholder(slide, "Title"), [Para(text, size, bold=True)])


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


def _chart_slide(prs, ctx: QbrContext, content: Slide) -> None:
    slide = add_slide(prs, "Chart")
    _title(slide, content.title)
    frame = add_chart(slide, _chart_spec(content.chart, ctx.locale), placeholder(slide, "Chart"))
    set_alt_text(frame, content.chart.description, content.title)
    write_text(placeholder(slide, "Commentary"), [Para(t, 16, bullet=False) for t in content.side])
    _finish(slide, content.notes)


def _bullets_slide(prs, content: Slide, extra: Sequence[Para] = ()) -> None:
    slide = add_slide(prs, "Title and Content")
    _title(slide, content.title)
    paras = [Para(t, 20, bullet=True) for t in content.bullets]
    write_text(placeholder(slide, "Content"), [*paras, *extra])
    _finish(slide, content.notes)


def _finish(slide: PptxSlide, notes: str) -> None:
    remove_empty_placeholders(slide)
    set_notes(slide, notes)


def _title_slide(prs, ctx: QbrContext, content: Slide) -> None:
    slide = add_slide(prs, "Title")
    write_text(placeholder(slide, "Title"), [Para(content.title, 40, bold=True)])
    write_text(placeholder(slide, "Subtitle"), [Para(content.subtitle, 24, colour=MSO_THEME_COLOR.ACCENT_1)])
    meta = [Para(content.meta[0], 16)]
    meta += [Para(m, 16, bold=True, colour=MSO_THEME_COLOR.ACCENT_4) for m in content.meta[1:]]
    write_text(placeholder(slide, "Meta"), meta)
    _finish(slide, content.notes)


def _kpi_slide(prs, ctx: QbrContext, content: Slide) -> None:
    slide = add_slide(prs, "KPI")
    _title(slide, content.title)
    for index, kpi in enumerate(content.kpis[:4]):
        colour = BAND_COLOUR.get(kpi.status or "", MSO_THEME_COLOR.TEXT_2)
        write_text(
            placeholder(slide, f"KPI {index + 1}"),
            [
                Para(kpi.label, 14, colour=MSO_THEME_COLOR.ACCENT_5),
                Para(kpi.value, 28, bold=True, colour=colour),
                Para(kpi.detail, 12),
            ],
            align=PP_ALIGN.CENTER,
        )
    write_text(placeholder(slide, "Commentary"), [Para(t, 18, bullet=True) for t in content.bullets])
    _finish(slide, content.notes)


def _two_slide(prs, content: Slide) -> None:
    slide = add_slide(prs, "Two Content")
    _title(slide, content.title)
    for name, heading, items in (
        ("Left", content.bullets_title, content.bullets),
        ("Right", content.side_title, content.side),
    ):
        paras = [Para(heading, 20, bold=True, colour=MSO_THEME_COLOR.TEXT_2)] if heading else []
        paras += [Para(t, 18, bullet=True) for t in items]
        write_text(placeholder(slide, name), paras)
    _finish(slide, content.notes)


def _table_pages(
    table: Table, width: int, height: int
) -> tuple[list[int], list[list[tuple[str, ...]]], list[range]]:
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


def _cell(cell, text: str, *, bold: bool = False, status: str | None = None) -> None:
    cell.margin_left = cell.margin_right = Emu(INSET_X)
    cell.margin_top = cell.margin_bottom = Emu(CELL_PAD)
    frame = cell.text_frame
    frame.word_wrap = True
    frame.text = ""
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(TABLE_FONT_PT)
    run.font.bold = bold
    if status in BAND_COLOUR:
        cell.fill.solid()
        cell.fill.fore_color.theme_color = BAND_COLOUR[status]
        cell.fill.fore_color.brightness = 0.6
        run.font.color.theme_color = MSO_THEME_COLOR.TEXT_1


def _table_slides(prs, ctx: QbrContext, content: Slide) -> None:
    table = content.table
    box = next(s for s in find_layout(prs, "Table").placeholders if s.name.strip().lower() == "table")
    width, height = int(box.width), int(box.height)
    widths, rows, pages = _table_pages(table, width, height)
    for number, page in enumerate(pages, start=1):
        slide = add_slide(prs, "Table")
        title = content.title
        if len(pages) > 1:
            title = phrase(ctx.locale, "continued", title=content.title, page=number, pages=len(pages))
        _title(slide, title)
        page_rows = [rows[i] for i in page]
        frame = placeholder(slide, "Table").insert_table(len(page_rows) + 1, len(table.columns))
        grid = frame.table
        for col, w in enumerate(widths):
            grid.columns[col].width = Emu(w)
        for col, name in enumerate(table.columns):
            _cell(grid.cell(0, col), name, bold=True)
        for r, (index, row) in enumerate(zip(page, page_rows, strict=False), start=1):
            status = table.status[index] if table.status else None
            for col, text in enumerate(row):
                _cell(grid.cell(r, col), text, status=status if col == table.status_column else None)
        font = FontSpec(FONT, TABLE_FONT_PT)
        for r in range(len(page_rows) + 1):
            grid.rows[r].height = Emu(font.line_height_emu + 2 * CELL_PAD)
        set_alt_text(frame, title)
        if content.bullets and number == len(pages):
            write_text(
                placeholder(slide, "Footnote"),
                [Para(content.bullets[0], 12, colour=MSO_THEME_COLOR.ACCENT_5)],
            )
        _finish(slide, content.notes)


def _appendix(prs, ctx: QbrContext, content: Slide) -> None:
    extra = [Para(t, 12, colour=MSO_THEME_COLOR.ACCENT_5) for t in content.side]
    slide = add_slide(prs, "Title and Content")
    _title(slide, content.title)
    write_text(placeholder(slide, "Content"), [*(Para(t, 16, bullet=True) for t in content.bullets), *extra])
    _finish(slide, content.notes)


def render_slides(prs, ctx: QbrContext) -> None:
    """Add every slide of ``ctx`` to ``prs`` (a template without slides)."""
    for content in ctx.slides:
        if content.key == "title":
            _title_slide(prs, ctx, content)
        elif content.key == "executive_summary":
            _kpi_slide(prs, ctx, content)
        elif content.key == "appendix":
            _appendix(prs, ctx, content)
        elif content.table is not None:
            _table_slides(prs, ctx, content)
        elif content.chart is not None:
            _chart_slide(prs, ctx, content)
        elif content.side_title or content.bullets_title:
            _two_slide(prs, content)
        else:
            _bullets_slide(prs, content)


def render_qbr_pptx(context: QbrContext, template_path: Path | bytes) -> bytes:
    """The deck of ``context`` as .pptx bytes, built on the master at ``template_path``.

    Deterministic: the same context and template give the same bytes.
    """
    prs = open_template(template_path)
    render_slides(prs, context)
    title = f"{context.account_name} · {context.quarter}"
    return save_deterministic(
        prs, title=title, author=context.csm_name or "csreports", date=context.generated_on
    )
