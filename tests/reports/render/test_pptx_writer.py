"""The fast deck writer: packages that python-pptx, zipfile and openpyxl read back as written."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from pptx import Presentation

from reports.errors import RenderError
from reports.render.pptx.chartspec import BarChart, ComboChart, NumberFormat
from reports.render.pptx.deck import ZIP_DATE_TIME, template_bytes
from reports.render.pptx.shapes import Cell, Para, text_body_xml
from reports.render.pptx.writer import DeckWriter, deck_template
from reports.render.pptx.xlsx import chart_workbook, column_letter
from reports.render.pptx.zipwriter import deflate, store, zip_bytes
from reports.resources import bundled_templates_dir

TEMPLATE = bundled_templates_dir() / "qbr" / "qbr.pptx"
HOSTILE = 'Acme <script>alert(1)</script> & "Sons"\x07 {{ 7*7 }}'


def _deck() -> bytes:
    deck = DeckWriter(deck_template(template_bytes(TEMPLATE)))
    first = deck.add_slide("Chart")
    first.text("Title", text_body_xml([Para(HOSTILE, 28, bold=True)]))
    spec = ComboChart(
        categories=["Q1", "Q2", "Q3"],
        series={"MRR": [100.0, None, 120.0]},
        lines={"NRR": [1.01, 1.02, 0.99]},
        number_format=NumberFormat("money", "en", "USD"),
        line_format=NumberFormat("pct", "en", digits=1),
    )
    first.chart("Chart", spec, "MRR bars and NRR line", "Retention")
    first.notes = "Line one\nLine <two>\x07"
    second = deck.add_slide("Table")
    rows = [
        [Cell("Goal", bold=True), Cell("Status", bold=True)],
        [Cell("Adopt\nreports"), Cell("Met", fill="accent3")],
    ]
    second.table(
        "Table",
        [6_000_000, 3_000_000],
        rows,
        row_height=300_000,
        font_pt=14,
        cell_pad=45_720,
        description="Goals",
    )
    third = deck.add_slide("Chart")
    third.chart("Chart", BarChart(categories=["a"], series={"P0": [1]}, stacked=True), "Tickets")
    return deck.to_bytes(title="Acme · Q3 2026", author="Anna", date=dt.date(2026, 10, 1))


def test_zip_members_keep_order_content_and_fixed_dates():
    blob = zip_bytes([deflate("a/b.xml", b"<x/>" * 50), store("c.bin", b"\x00\x01"), deflate("ö.txt", b"u")])
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        assert zf.testzip() is None
        assert [i.filename for i in zf.infolist()] == ["a/b.xml", "c.bin", "ö.txt"]
        assert {i.date_time for i in zf.infolist()} == {ZIP_DATE_TIME}
        assert zf.read("a/b.xml") == b"<x/>" * 50 and zf.read("c.bin") == b"\x00\x01"


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_chart_workbook_opens_in_a_spreadsheet_reader():
    blob = chart_workbook(["Jul", "Aug <&>"], [("MRR", [1.5, None], '"$"#,##0'), ("NRR", [0.9, 1.1], "0%")])
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [None, "MRR", "NRR"],
        ["Jul", 1.5, 0.9],
        ["Aug <&>", None, 1.1],
    ]
    assert sheet["B2"].number_format == '"$"#,##0' and sheet["C3"].number_format == "0%"


def test_deck_reads_back_with_text_chart_data_table_and_notes():
    prs = Presentation(io.BytesIO(_deck()))
    assert prs.core_properties.title == "Acme · Q3 2026"
    assert prs.core_properties.created == dt.datetime(2026, 10, 1)
    first, second, third = prs.slides
    assert first.slide_layout.name == "Chart"
    title = next(s for s in first.placeholders if s.name == "Title")
    assert title.text_frame.text == HOSTILE.replace("\x07", "")  # literal text, illegal character dropped
    frame = next(s for s in first.shapes if s.has_chart)
    assert frame.name == "Chart" and frame.placeholder_format.idx == 1
    assert frame._element.xpath("./*[1]/p:cNvPr")[0].get("descr") == "MRR bars and NRR line"
    bars, lines = frame.chart.plots
    assert list(bars.categories) == ["Q1", "Q2", "Q3"]
    assert bars.series[0].values == (100.0, None, 120.0) and lines.series[0].values == (1.01, 1.02, 0.99)
    book = openpyxl.load_workbook(io.BytesIO(frame.chart.part.chart_workbook.xlsx_part.blob)).active
    assert [c.value for c in book["C"]] == ["NRR", 1.01, 1.02, 0.99]
    assert not [s for s in first.placeholders if s.name == "Commentary"]  # unfilled placeholder left out
    assert first.notes_slide.notes_text_frame.text == "Line one\nLine <two>"
    table = next(s for s in second.shapes if s.has_table).table
    assert table.cell(1, 0).text == "Adopt\vreports" and table.cell(1, 1).text == "Met"
    assert third.shapes[0].chart.plots[0].series[0].values == (1.0,)
    assert second.notes_slide.notes_text_frame.text == ""


def test_same_deck_gives_the_same_bytes_and_valid_zip():
    blob = _deck()
    assert blob == _deck()
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        names = zf.namelist()
        assert names[0] == "[Content_Types].xml" and zf.testzip() is None
        assert {
            "ppt/charts/chart1.xml",
            "ppt/charts/chart2.xml",
            "ppt/embeddings/Microsoft_Excel_Sheet2.xlsx",
        } <= set(names)
        types = zf.read("[Content_Types].xml").decode()
        assert '<Override PartName="/ppt/slides/slide3.xml"' in types and 'Extension="xlsx"' in types


def test_unknown_layout_and_placeholder_say_what_exists():
    deck = DeckWriter(deck_template(template_bytes(TEMPLATE)))
    with pytest.raises(RenderError, match=r"no slide layout named 'Nope' \(it has: Title, Section"):
        deck.add_slide("Nope")
    with pytest.raises(
        RenderError, match=r"layout 'Chart' has no placeholder 'Body' \(it has: 'Title', 'Chart'"
    ):
        deck.add_slide("chart").placeholder("Body")


def test_a_file_that_is_not_a_pptx_is_a_render_error():
    with pytest.raises(RenderError, match=r"PPTX template cannot be used: it is not a \.pptx or \.potx"):
        deck_template(b"not a zip")
