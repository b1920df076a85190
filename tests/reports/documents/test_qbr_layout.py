"""The demo QBR decks as a reader sees them: no near-empty slide, the takeaway first, charts with
axis titles in the deck's font, an NPS axis fitted to its points with thin quarters flagged, and
table headers and KPI labels that never break inside a word (English and Swedish, both audiences)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Emu, Inches

from reports.documents.qbr.config import load_qbr_config
from reports.documents.qbr.context import account_data, build_qbr_context
from reports.documents.qbr.phrases import phrase
from reports.documents.qbr.render_pptx import render_qbr_pptx, text_frame_fits
from reports.documents.qbr.run import find_template
from reports.documents.qbr.slides_voice import nps_axis
from reports.render.pptx.shapes import INSET_X
from reports.render.pptx.textbox import FONT
from reports.render.pptx.textfit import FontSpec, text_width

DEMO_ACCOUNTS = ("A-00140", "A-00227", "A-00284", "A-00337")
"""The accounts ``csreports demo`` writes decks for: high-touch and digital, long and short."""
AURORA = "A-00140"

CONTENT_TOP, CONTENT_HEIGHT = Inches(1.35), Inches(5.45)
"""The master's content area under the title (``templates/qbr/build_master.py``)."""
MIN_FILL = 1 / 3
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}


@pytest.fixture(scope="module")
def demo(sample_run):
    """(label, context, deck bytes) of every demo account, customer and internal, en and sv."""
    config = load_qbr_config(sample_run.settings.config_dirs)
    out = []
    for account_id in DEMO_ACCOUNTS:
        data = account_data(sample_run, account_id)
        for audience in ("customer", "internal"):
            for locale in ("en", "sv"):
                ctx = build_qbr_context(data, audience=audience, locale=locale, config=config)
                blob = render_qbr_pptx(ctx, find_template(ctx.segment, None))
                out.append((f"{account_id} {audience} {locale}", ctx, blob))
    return out


def _filled_height(slide) -> int:
    """Height of the content area the slide's content covers: the union of the vertical extents
    of its shapes below the title (a text frame by the height its text needs, a table or chart by
    its frame), without the slide number and the INTERNAL band."""
    spans = []
    for shape in slide.shapes:
        if shape == slide.shapes.title or shape.name.startswith("Internal marking") or shape.top is None:
            continue
        if shape.top < CONTENT_TOP - Inches(0.2):
            continue
        height = shape.height
        if shape.has_text_frame:
            if not shape.text_frame.text.strip():
                continue
            height = min(height, text_frame_fits(shape)[0])
        spans.append((shape.top, shape.top + height))
    covered, end = 0, CONTENT_TOP
    for top, bottom in sorted(spans):
        top = max(top, end)
        if bottom > top:
            covered += bottom - top
            end = bottom
    return covered


def test_no_demo_slide_is_near_empty(demo):
    """Every slide but the title fills at least a third of the content area (measured from the
    shapes' extents), in every demo deck."""
    problems = []
    for label, _ctx, blob in demo:
        for number, slide in enumerate(Presentation(io.BytesIO(blob)).slides, 1):
            if number == 1:
                continue
            fill = _filled_height(slide) / CONTENT_HEIGHT
            if fill < MIN_FILL:
                title = slide.shapes.title.text_frame.text if slide.shapes.title else "?"
                problems.append(f"{label} slide {number} {title!r}: {fill:.0%}")
    assert not problems, "\n".join(problems)


def test_the_fill_measure_sees_a_one_line_slide_as_near_empty(demo):
    """The measure itself: a slide with one short sentence in a big text box is near-empty."""
    _label, _ctx, blob = demo[0]
    prs = Presentation(io.BytesIO(blob))
    appendix = prs.slides[len(prs.slides) - 1]
    assert _filled_height(appendix) / CONTENT_HEIGHT >= MIN_FILL
    body = next(s for s in appendix.shapes if s.has_text_frame and s != appendix.shapes.title)
    for paragraph in list(body.text_frame.paragraphs)[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    assert _filled_height(appendix) / CONTENT_HEIGHT < MIN_FILL


def test_the_executive_summary_states_the_point_with_one_takeaway_per_kpi(demo):
    for label, ctx, _blob in demo:
        summary = ctx.slide("executive_summary")
        assert summary is not None, label
        assert summary.title != phrase(ctx.locale, "executive_summary"), label
        assert len(summary.bullets) == len(summary.kpis) == 4, (label, summary.bullets)
        for sentence in summary.bullets:
            assert sentence.endswith("."), (label, sentence)
            assert not re.search(r"[.!?] [A-ZÅÄÖ]", sentence), ("one sentence per KPI", label, sentence)
            assert not sentence.startswith(("MRR is", "MRR är")), "a takeaway, not the tile restated"


def test_the_summary_title_names_the_change_in_users(demo):
    ctx = next(c for label, c, _b in demo if label == f"{AURORA} customer en")
    assert ctx.slide("executive_summary").title == "Active users fell 10.3%; 1 of 2 goals met"
    printed = {
        (f.id, f.shown)
        for f, where in zip(ctx.figures, ctx.figure_places, strict=True)
        if where == "executive_summary.title"
    }
    assert printed == {("active_users_change", "10.3%"), ("goals_met", "1"), ("goals_due", "2")}


def _charts(blob: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        return {
            name: etree.fromstring(package.read(name))
            for name in package.namelist()
            if re.fullmatch(r"ppt/charts/chart\d+\.xml", name)
        }


def _axis_title(axis: etree._Element) -> str:
    return "".join(axis.xpath("c:title//a:t/text()", namespaces=NS))


def test_every_chart_has_axis_titles_in_the_theme_font(demo):
    for label, _ctx, blob in demo:
        charts = _charts(blob)
        assert charts, label
        for name, chart in charts.items():
            axes = chart.xpath("//c:valAx | //c:catAx", namespaces=NS)
            visible = [a for a in axes if a.xpath("c:delete/@val", namespaces=NS) != ["1"]]
            assert visible, (label, name)
            for axis in visible:
                assert _axis_title(axis).strip(), (label, name, etree.QName(axis).localname)
            props = chart.xpath("//a:defRPr | //a:rPr", namespaces=NS)
            assert props and all(p.xpath("a:latin/@typeface", namespaces=NS) == ["+mn-lt"] for p in props), (
                label,
                name,
            )


def test_adoption_axes_name_what_they_count(demo):
    for label, ctx, blob in demo:
        adoption = ctx.slide("adoption")
        if adoption is None:
            continue
        chart = adoption.chart
        assert chart.value_title == phrase(ctx.locale, "axis_events"), label
        assert chart.line_title == phrase(ctx.locale, "axis_users"), label
        titles = {
            t
            for c in _charts(blob).values()
            for a in c.xpath("//c:valAx", namespaces=NS)
            for t in [_axis_title(a)]
        }
        assert {chart.value_title, chart.line_title} <= titles, (label, titles)


def test_the_nps_axis_fits_its_points_and_thin_quarters_are_flagged(demo, sample_run):
    config = load_qbr_config(sample_run.settings.config_dirs)
    minimum = config.thresholds.nps_min_responses
    seen = 0
    for label, ctx, _blob in demo:
        voice = ctx.slide("voice_of_customer")
        if voice is None or voice.chart is None:
            continue
        seen += 1
        chart = voice.chart
        values = [v for v in next(iter(chart.series.values())) if v is not None]
        low, high = chart.value_range
        assert (low, high) != (-100.0, 100.0), label
        assert low <= min(0.0, *values) and high >= max(0.0, *values), label
        assert low % 10 == 0 and high % 10 == 0 and high - low <= 200, label
        assert high - max(values) <= 30 and min(values) - low <= 30, (label, chart.value_range)
        flagged = [c.endswith("*") for c in chart.categories]
        if any(flagged):
            assert chart.note == phrase(ctx.locale, "nps_low_n_note"), label
        assert chart.value_title == phrase(ctx.locale, "axis_nps"), label
    assert seen, "no demo deck has an NPS chart"
    assert minimum == 5


def test_aurora_flags_the_quarters_answered_by_fewer_than_the_minimum(demo):
    ctx, blob = next((c, b) for label, c, b in demo if label == f"{AURORA} customer en")
    chart = ctx.slide("voice_of_customer").chart
    texts = [
        s.text_frame.text
        for slide in Presentation(io.BytesIO(blob)).slides
        for s in slide.shapes
        if s.has_text_frame
    ]
    assert any(chart.note in t for t in texts), "the note is printed beside the chart"
    assert chart.note not in ctx.slide("voice_of_customer").side, "nor in the leave-behind's lines"
    assert chart.value_range == (-20.0, 100.0)
    assert chart.categories == ("Q2 2025", "Q3 2025*", "Q4 2025*", "Q1 2026*", "Q2 2026", "Q3 2026*")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((100.0, 25.0, 0.0, None, 50.0), (-20.0, 100.0)),
        ((-35.0, 12.0), (-50.0, 30.0)),
        ((40.0, 55.0), (-10.0, 70.0)),
        ((-100.0, 100.0), (-100.0, 100.0)),
    ],
)
def test_nps_axis(values, expected):
    assert nps_axis(values) == expected


def _header_words_fit(frame) -> list[str]:
    """Header cells of a table frame whose longest word is wider than its column's text width at
    the size it is written in."""
    problems = []
    table = frame.table
    for column, cell in zip(table.columns, table.rows[0].cells, strict=True):
        sizes = [r.font.size.pt for p in cell.text_frame.paragraphs for r in p.runs if r.font.size]
        font = FontSpec(FONT, sizes[0] if sizes else 14, True)
        width = Emu(column.width) - 2 * INSET_X
        for word in cell.text.split():
            if text_width(word, font) > width:
                problems.append(f"{cell.text!r}: {word!r} at {font.size_pt} pt")
    return problems


def test_no_table_header_or_kpi_label_breaks_inside_a_word(demo):
    problems = []
    for label, _ctx, blob in demo:
        for number, slide in enumerate(Presentation(io.BytesIO(blob)).slides, 1):
            for shape in slide.shapes:
                if getattr(shape, "has_table", False) and shape.has_table:
                    problems += [f"{label} slide {number}: {p}" for p in _header_words_fit(shape)]
                if shape.has_text_frame and shape.name.startswith("KPI"):
                    width = shape.width - 2 * INSET_X
                    for paragraph in shape.text_frame.paragraphs:
                        runs = [r for r in paragraph.runs if r.font.size]
                        if not runs:
                            continue
                        font = FontSpec(FONT, runs[0].font.size.pt, bool(runs[0].font.bold))
                        for word in paragraph.text.split():
                            if text_width(word, font) > width:
                                problems.append(f"{label} slide {number} {shape.name}: {word!r}")
    assert not problems, "\n".join(problems)


def test_a_swedish_header_too_long_for_its_column_is_set_smaller(demo):
    """The internal Swedish stakeholders table: "Ekonomisk beslutsfattare" in a narrow column."""
    label, _ctx, blob = next(d for d in demo if d[0] == f"{AURORA} internal sv")
    for slide in Presentation(io.BytesIO(blob)).slides:
        for shape in slide.shapes:
            if getattr(shape, "has_table", False) and shape.has_table:
                header = [c.text for c in shape.table.rows[0].cells]
                if "Ekonomisk beslutsfattare" in header:
                    assert not _header_words_fit(shape)
                    return
    pytest.fail(f"{label}: no stakeholders table")


def test_the_title_slide_leaves_the_top_right_free_for_a_logo(demo):
    """Nothing on the title slide reaches into the master's logo box (top right)."""
    left, top = Inches(13.333) - Inches(0.5) - Inches(2.6), Inches(0.4)
    right, bottom = left + Inches(2.6), top + Inches(1.2)
    for label, _ctx, blob in demo:
        slide = Presentation(io.BytesIO(blob)).slides[0]
        for shape in slide.shapes:
            overlaps = (
                shape.left < right
                and shape.left + shape.width > left
                and shape.top < bottom
                and shape.top + shape.height > top
            )
            assert not overlaps, (label, shape.name)


def test_the_agenda_lists_the_slides_as_rendered(demo):
    """Merged slides appear in the agenda once, by their shared title; no agenda item names a slide
    the deck does not have."""
    for label, ctx, blob in demo:
        slides = Presentation(io.BytesIO(blob)).slides
        titles = [s.shapes.title.text_frame.text for s in slides if s.shapes.title is not None]
        if ctx.slide("agenda") is None:
            continue
        agenda = next(s for s in slides if s.shapes.title.text_frame.text == phrase(ctx.locale, "agenda"))
        body = next(s for s in agenda.shapes if s.has_text_frame and s != agenda.shapes.title)
        items = [p.text for p in body.text_frame.paragraphs if p.text]
        assert items[0] == phrase(ctx.locale, "executive_summary"), label
        assert all(item in titles for item in items[1:]), (label, items, titles)
        assert len(items) == len(titles) - 3, (label, items, titles)  # not title, agenda, appendix
