"""Chart specs of the NPS digest: NPS per quarter, the NPS bridge and theme shares."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from reports.documents.leadership.common import Chart, make_chart
from reports.render.charts import BarChartSpec, ChartSpec, LineChartSpec

THEMES_IN_CHART = 6
"""Themes in the detractor-vs-promoter chart (the rest are in the table; more would wrap the labels)."""


def digest_charts(
    *,
    trend_rows: Sequence[dict[str, Any]],
    moved: pd.DataFrame,
    themes: pd.DataFrame,
    previous_nps: float,
    current_nps: float,
    previous_name: str,
    period_name: str,
    T: dict[str, str],
    locale: str,
) -> dict[str, Chart]:
    """SVG charts ``trend`` (NPS per quarter), ``bridge`` (mix and score effect per segment) and ``themes``.

    A chart is left out when it has nothing to show (one quarter, no previous
    NPS, no theme named).
    """
    charts: dict[str, Chart] = {}
    spec: ChartSpec
    if len(trend_rows) >= 2:
        spec = LineChartSpec(
            title=T["trend_chart"],
            y_label=T["nps"],
            value_format="number",
            locale=locale,
            x_labels=[r["quarter_name"] for r in trend_rows],
            series={T["nps"]: [r["nps"] for r in trend_rows]},
            size=(6.7, 2.3),
        )
        charts["trend"] = make_chart(spec, T["trend_chart"])
    if len(moved) and not math.isnan(previous_nps) and not math.isnan(current_nps):
        spec = BarChartSpec(
            title=T["bridge_chart_title"].format(previous=previous_name, period=period_name),
            y_label=T["bridge_axis"],
            value_format="number",
            locale=locale,
            x_labels=[str(g) for g in moved["group"]],
            series={
                T["mix_effect"]: moved["mix_effect"].round(6).tolist(),
                T["score_effect"]: moved["score_effect"].round(6).tolist(),
            },
            data_labels=True,
            size=(6.7, 2.3),
        )
        charts["bridge"] = make_chart(spec, f"{T['contribution']} = {T['mix_effect']} + {T['score_effect']}")
    named = themes[themes["mentions"] > 0]
    if len(named):
        named = named.sort_values(["detractors_share", "theme"], ascending=[False, True], kind="stable")
        named = named.head(THEMES_IN_CHART)
        spec = BarChartSpec(
            title=T["theme_chart_top"],
            y_label=f"{T['share']} (%)",
            value_format="pct",
            locale=locale,
            x_labels=list(named["label"]),
            series={
                T["among_detractors"]: named["detractors_share"].tolist(),
                T["among_promoters"]: named["promoters_share"].tolist(),
            },
            size=(6.7, 2.5),
        )
        charts["themes"] = make_chart(spec, T["theme_chart"])
    return charts
