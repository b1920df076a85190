from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import pytest
from pptx import Presentation

from reports.render.pptx.chartspec import (
    BarChart,
    ComboChart,
    LineChart,
    NumberFormat,
    WaterfallChart,
    excel_number_format,
)
from reports.render.pptx.deck import template_bytes
from reports.render.pptx.writer import DeckWriter, deck_template
from reports.resources import bundled_templates_dir

MONTHS = ["Jul 2026", "Aug 2026", "Sep 2026"]


def _draw(spec):
    """The chart of ``spec`` as python-pptx reads it back from a saved deck."""
    deck = DeckWriter(deck_template(template_bytes(bundled_templates_dir() / "qbr" / "qbr.pptx")))
    deck.add_slide("Chart").chart("Chart", spec, "a chart")
    reopened = Presentation(io.BytesIO(deck.to_bytes(title="t", author="a", date=dt.date(2026, 10, 1))))
    frame = next(s for s in reopened.slides[0].shapes if s.has_chart)
    return frame.chart


def _xml(chart) -> str:
    from lxml import etree

    return etree.tostring(chart._chartSpace, encoding="unicode")


def test_number_formats_follow_the_locale():
    assert excel_number_format("money", "en", "USD") == '"$"#,##0'
    assert excel_number_format("money", "sv", "SEK") == '#,##0"\xa0kr"'
    assert excel_number_format("pct", "en", digits=1) == "0.0%"
    assert excel_number_format("pct", "sv") == '0"\xa0"%'
    with pytest.raises(ValueError):
        excel_number_format("date", "en")


def test_line_chart_is_native_and_editable():
    chart = _draw(LineChart(categories=MONTHS, series={"Active users": [10, None, 12]}))
    assert list(chart.plots[0].categories) == MONTHS
    assert chart.plots[0].series[0].values == (10.0, None, 12.0)
    assert chart.part.chart_workbook.xlsx_part is not None
    xml = _xml(chart)
    assert 'schemeClr val="accent1"' in xml
    assert "srgbClr" not in xml


def test_stacked_bar_uses_the_accents_given():
    spec = BarChart(
        categories=MONTHS, series={"P0": [1, 0, 2], "P1": [0, 1, 1]}, stacked=True, accents=(4, 2)
    )
    chart = _draw(spec)
    xml = _xml(chart)
    assert '<c:grouping val="stacked"/>' in xml
    assert xml.index('val="accent4"') < xml.index('val="accent2"')


def test_combo_chart_puts_lines_on_a_secondary_axis():
    spec = ComboChart(
        categories=MONTHS,
        series={"MRR": [100.0, 110.0, 120.0]},
        lines={"NRR": [1.01, 1.02, 0.99]},
        number_format=NumberFormat("money", "en", "USD"),
        line_format=NumberFormat("pct", "en", digits=1),
    )
    chart = _draw(spec)
    assert [type(p).__name__ for p in chart.plots] == ["BarPlot", "LinePlot"]
    assert list(chart.plots[1].categories) == MONTHS
    assert chart.plots[1].series[0].values == (1.01, 1.02, 0.99)
    xml = _xml(chart)
    assert xml.count("<c:valAx>") == 2
    assert '<c:crosses val="max"/>' in xml
    assert 'formatCode="0.0%"' in xml and 'formatCode="&quot;$&quot;#,##0"' in xml
    with pytest.raises(ValueError, match="used twice"):
        ComboChart(categories=MONTHS, series={"a": [1, 2, 3]}, lines={"a": [1, 2, 3]})


def test_waterfall_has_an_invisible_base():
    spec = WaterfallChart(
        start_label="Start", start_value=100, steps={"Expansion": 30, "Churn": -20}, end_label="End"
    )
    categories, bars = spec.bars()
    assert categories == ("Start", "Expansion", "Churn", "End")
    assert bars["base"] == [None, 100.0, 110.0, None]
    assert bars["total"] == [100.0, None, None, 110.0]
    assert bars["decrease"][2] == 20.0
    chart = _draw(spec)
    assert list(chart.plots[0].categories) == list(categories)
    xml = _xml(chart)
    base = xml[xml.index("<c:ser>") : xml.index("</c:ser>")]
    assert "<a:noFill/>" in base
    assert "<c:legend>" not in xml  # colours say total / increase / decrease
    assert '<c:min val="0.0"/>' in xml  # the axis starts at zero: no step looks larger than it is
    labelled = [ser for ser in xml.split("<c:ser>")[1:] if "<c:dLbls>" in ser]
    assert len(labelled) == 1 and '<c:dLblPos val="inEnd"/>' in labelled[0]  # totals only, inside
    with_legend = _xml(_draw(replace(spec, legend=True)))
    assert '<c:legendEntry><c:idx val="0"/><c:delete val="1"/>' in with_legend
    with pytest.raises(ValueError, match="below zero"):
        WaterfallChart(start_label="s", start_value=1, steps={"x": -5}, end_label="e").bars()


def test_axis_titles_are_written_and_rotated_on_value_axes():
    spec = ComboChart(
        categories=MONTHS,
        series={"MRR": [1, 2, 3]},
        lines={"NRR": [1.0, 1.0, 1.0]},
        value_title="MRR (USD)",
        category_title="Month",
        line_title="NRR (%)",
    )
    chart = _draw(spec)
    assert chart.category_axis.axis_title.text_frame.text == "Month"
    xml = _xml(chart)
    left, right = re.findall(r"<c:valAx>.*?</c:valAx>", xml)
    assert '<c:axPos val="l"/>' in left and "MRR (USD)" in left
    assert '<c:axPos val="r"/>' in right and "NRR (%)" in right
    assert xml.count('rot="-5400000"') == 2
    plain = _xml(_draw(LineChart(categories=MONTHS, series={"a": [1, 2, 3]})))
    assert "<c:title>" not in plain


def test_series_length_must_match_categories():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        LineChart(categories=MONTHS, series={"a": [1, 2]})
