"""reports/render/charts.py: accessible, deterministic SVG (and PNG) from chart specs."""

from __future__ import annotations

import base64
import dataclasses
import gc
import io
import re
import xml.etree.ElementTree as ET

import pytest
from matplotlib.figure import Figure

from reports.render.charts import (
    BarChartSpec,
    ComboChartSpec,
    LineChartSpec,
    WaterfallSpec,
    bar_chart,
    chart_png,
    chart_svg,
    combo_bar_line_chart,
    describe_chart,
    line_chart,
    svg_data_uri,
    waterfall_chart,
)
from reports.resources import bundled_templates_dir

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MONTHS = ["Jul 2026", "Aug 2026", "Sep 2026"]

LINE = LineChartSpec(
    title="MRR by segment",
    y_label="MRR (USD)",
    value_format="money",
    x_labels=MONTHS,
    series={"Strategic": [100_000, 105_000, 112_000], "Scaled": [30_000, None, 31_500]},
)
BARS = BarChartSpec(
    title="Logo churn by region",
    y_label="Logo churn (%)",
    value_format="pct",
    x_labels=["NAM", "EMEA"],
    series={"Q2": [0.021, 0.018], "Q3": [0.019, 0.016]},
    data_labels=True,
)
STACKED = dataclasses.replace(BARS, stacked=True, title="Stacked churn")
WATERFALL = WaterfallSpec(
    title="MRR bridge",
    y_label="MRR (USD)",
    value_format="money",
    start_label="Jun 2026",
    start_value=1_250_000,
    steps={"New": 84_000, "Expansion": 52_000, "Contraction": -21_000, "Churn": -47_000},
    end_label="Sep 2026",
)
COMBO = ComboChartSpec(
    title="MRR and NRR",
    y_label="MRR (USD)",
    value_format="money",
    x_labels=["Q1 2026", "Q2 2026", "Q3 2026"],
    series={"MRR": [1.1e6, 1.2e6, 1.3e6]},
    lines={"NRR": [1.02, 0.99, 1.04]},
    y2_label="NRR (%)",
    value_format2="pct",
)
SPECS = [LINE, BARS, STACKED, WATERFALL, COMBO]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.title)
def test_svg_is_accessible_xml(spec):
    svg = chart_svg(spec)
    assert svg.startswith("<svg")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == describe_chart(spec)
    title, desc = list(root)[:2]
    assert (title.tag, title.text) == (f"{SVG}title", spec.title)
    assert (desc.tag, desc.text) == (f"{SVG}desc", describe_chart(spec))
    assert "<script" not in svg


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.title)
def test_svg_is_deterministic(spec):
    assert chart_svg(spec) == chart_svg(spec)


def test_svg_has_no_date_or_version():
    svg = line_chart(LINE)
    assert "<dc:date>" not in svg
    assert "Matplotlib v" not in svg


@pytest.mark.parametrize(
    ("draw", "spec"),
    [(line_chart, LINE), (bar_chart, BARS), (waterfall_chart, WATERFALL), (combo_bar_line_chart, COMBO)],
)
def test_named_functions_return_svg(draw, spec):
    assert draw(spec) == chart_svg(spec)


@pytest.mark.parametrize("spec", [LINE, WATERFALL], ids=lambda s: s.title)
def test_png_output(spec):
    png = chart_png(spec, dpi=100)
    assert png.startswith(PNG_SIGNATURE)
    assert png == chart_png(spec, dpi=100)
    width = int.from_bytes(png[16:20], "big")
    assert width == round(spec.size[0] * 100)


def test_description_written_from_data():
    assert describe_chart(LINE) == (
        "Line chart of MRR (USD), Jul 2026 to Sep 2026. "
        "Strategic: from $100,000 to $112,000 (low $100,000, high $112,000). "
        "Scaled: from $30,000 to $31,500 (low $30,000, high $31,500)."
    )
    assert describe_chart(WATERFALL) == (
        "Waterfall chart of MRR (USD): Jun 2026 $1,250,000; New +$84,000; Expansion +$52,000; "
        "Contraction -$21,000; Churn -$47,000; Sep 2026 $1,318,000."
    )
    assert describe_chart(STACKED).startswith("Stacked bar chart of Logo churn (%), NAM to EMEA.")
    assert "NRR (NRR (%)): from 102.0% to 104.0%" in describe_chart(COMBO)


def test_given_description_wins():
    spec = dataclasses.replace(LINE, description="MRR grew 12% in the quarter.")
    root = ET.fromstring(chart_svg(spec))
    assert root.get("aria-label") == "MRR grew 12% in the quarter."


def test_markup_and_control_characters_in_labels_are_escaped():
    spec = dataclasses.replace(LINE, title='Churn <b>&</b> "risk"\x00', series={"A<B>\x1b": [1, 2, 3]})
    svg = chart_svg(spec)
    root = ET.fromstring(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == 'Churn <b>&</b> "risk"'
    assert "<b>" not in svg


def test_series_length_must_match_labels():
    with pytest.raises(ValueError) as info:
        LineChartSpec(title="t", y_label="y", x_labels=MONTHS, series={"A": [1, 2]})
    assert str(info.value) == (
        "LineChartSpec.series['A']: 2 values for 3 x labels (each series needs one value per x label)."
    )


def test_value_format_is_checked():
    with pytest.raises(ValueError) as info:
        BarChartSpec(title="t", y_label="y", x_labels=["a"], series={"A": [1]}, value_format="usd")
    assert str(info.value) == "BarChartSpec.value_format: 'usd' is not one of 'money', 'pct', 'number'."


def test_specs_are_frozen_data():
    with pytest.raises(dataclasses.FrozenInstanceError):
        LINE.title = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        LINE.series["Strategic"] = (1, 2, 3)  # type: ignore[index]
    assert LINE.x_labels == tuple(MONTHS)
    assert LINE.series["Scaled"][0] == 30_000


def test_swedish_ticks():
    spec = dataclasses.replace(BARS, locale="sv", data_labels=True)
    assert "2,1\xa0%" in describe_chart(spec)


def test_many_categories_still_render():
    labels = [f"M{i}" for i in range(40)]
    spec = LineChartSpec(title="t", y_label="n", x_labels=labels, series={"A": list(range(40))})
    ET.fromstring(chart_svg(spec))


def test_svg_data_uri_round_trips():
    svg = chart_svg(BARS)
    uri = svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == svg


def test_no_figures_accumulate():
    def live_figures() -> int:
        gc.collect()
        return sum(isinstance(o, Figure) for o in gc.get_objects())

    before = live_figures()
    for _ in range(8):
        chart_svg(LINE)
        chart_png(BARS, dpi=30)
    assert live_figures() <= before


def test_unknown_spec_type():
    with pytest.raises(TypeError, match="not a chart spec: dict"):
        chart_svg({"title": "x"})  # type: ignore[arg-type]


def _drawing(svg: str) -> list[tuple[str, dict[str, str]]]:
    """Every drawn element in order, with its style declarations merged into its attributes."""
    elements = []
    for element in ET.fromstring(svg).iter():
        tag = element.tag.replace(SVG, "")
        if tag in ("svg", "g", "title", "desc", "metadata", "defs", "style") or "}" in tag:
            continue
        attributes = {k: v for k, v in element.attrib.items() if k not in ("style", "id")}
        transform = attributes.pop("transform", "")
        moved = re.fullmatch(r"translate\((\S+) (\S+)\)", transform)
        if moved and "x" not in attributes:
            attributes |= {"x": moved.group(1), "y": moved.group(2)}
        elif transform and not re.fullmatch(r"rotate\(-?0 \S+ \S+\)", transform):
            attributes["transform"] = transform
        for part in element.get("style", "").split(";"):
            name, _, value = part.partition(":")
            if name.strip():
                attributes[name.strip()] = value.strip()
        elements.append((tag, attributes | {"text": (element.text or "").strip()}))
    return elements


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.title)
def test_lean_svg_draws_what_matplotlib_wrote(spec):
    from reports.render.charts import _lean_svg, _render

    raw = _render(spec, "svg", 72).decode("utf-8")
    lean = _lean_svg(raw)
    assert _drawing(lean) == _drawing(raw)
    assert len(lean) < len(raw)
    root = ET.fromstring(lean)
    assert "style=" not in lean and "<metadata" not in lean and 'id="patch' not in lean
    assert all(group.attrib for group in root.iter(f"{SVG}g"))  # no bare wrapper groups
    assert (root.get("stroke-linejoin"), root.get("stroke-linecap")) == ("round", "butt")


def test_text_is_text_in_the_house_font():
    root = ET.fromstring(chart_svg(COMBO))
    texts = {t.text: t for t in root.iter(f"{SVG}text")}
    assert {"MRR and NRR", "MRR (USD)", "NRR (%)", "Q1 2026", "$1.25M"} <= set(texts)
    assert {t.get("font-family") for t in texts.values()} == {"'Liberation Sans', 'DejaVu Sans'"}
    # one family in the PDFs: the charts' first font is the text's first font
    css = (bundled_templates_dir() / "base" / "print.css").read_text(encoding="utf-8")
    text_font = re.search(r"html \{\s*font-family: \"([^\"]+)\"", css).group(1)
    assert text_font == "Liberation Sans"
    assert root.find(f".//{SVG}use[@{{http://www.w3.org/1999/xlink}}href='#DejaVuSans-51']") is None


@pytest.mark.parametrize(
    "spec",
    [
        *SPECS,
        dataclasses.replace(
            BARS,
            x_labels=["Poor adoption / onboarding", "Price / budget (low ROI)"],
            title="Förlorad MRR — Q3 2026",
            locale="sv",
        ),
        LineChartSpec(
            title="Logo churn",
            y_label="Logo churn (%)",
            value_format="pct",
            x_labels=[f"Q{q} {y}" for y in (2024, 2025, 2026) for q in (1, 2, 3, 4)],
            series={"A": [0.01 * i for i in range(12)], "B": [0.2 - 0.01 * i for i in range(12)]},
        ),
    ],
    ids=lambda s: s.title,
)
def test_layout_fills_the_figure_and_cuts_nothing(spec):
    """Title, legend, tick and value labels fit inside a 4 pt margin, and reach it on every side."""
    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(chart_png(spec, dpi=100))).convert("L"))
    rows, columns = np.nonzero(image < 200)
    height, width = image.shape
    margins = {
        "left": columns.min(),
        "right": width - 1 - columns.max(),
        "top": rows.min(),
        "bottom": height - 1 - rows.max(),
    }
    # 4 pt = 5.6 px at 100 dpi; anti-aliasing and glyph side bearings take a few px either way.
    assert all(2 <= m <= 12 for m in margins.values()), margins
