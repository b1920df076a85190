"""The check behind "every printed number is a recorded figure": what counts as covered, what is no figure."""

from __future__ import annotations

import pytest

from reports.render.charts import BarChartSpec, LineChartSpec, chart_svg, svg_data_uri
from tests.reports.printed_numbers import NOT_FIGURES, TICK_MARK, _pdf_items, data_texts, uncovered_numbers


def _numbers(text: str, shown: list[str] = (), allowed: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    return [u.number for u in uncovered_numbers(text, shown, allowed)]


@pytest.mark.parametrize(
    ("text", "shown", "uncovered"),
    [
        ("ARR $744,480 (+5%)", ["$744,480", "+5%"], []),
        ("1,357 active users", ["1"], ["1,357"]),  # "1" is not the 1 of 1,357
        ("down 1% this week", ["1"], ["1"]),  # nor of 1%
        ("-10.3% vs last quarter", ["10.3%"], ["10.3"]),  # nor of -10.3%
        ("$570 lost", ["570"], ["570"]),  # nor of $570
        ("76 % av licenserna", ["76 %"], []),  # Swedish: space before %
        ("98 030 US$ hos kritiker", ["98 030 US$"], []),  # Swedish grouping, currency after
        ("3 of 4 goals", ["3"], ["4"]),
        ("Q3 2026 · P0 · W43 · K3 · p0p1", [], []),  # names, not figures
    ],
)
def test_a_number_is_covered_only_by_a_shown_text_printed_whole(text, shown, uncovered):
    assert _numbers(text, shown) == uncovered


@pytest.mark.parametrize(
    ("reason", "allowed", "not_allowed"),
    [
        ("ISO date, month or month range", "Data period 2026-Q3 (2026-07 – 2026-09), 2025-10..2026-09", ""),
        ("date written out (en, sv, de)", "Renewal Sep 10, 2027; 1 okt. 2026; Aug 2026; TO FEB 7, 2027", ""),
        ("range of days", "Oct 19 – Oct 25, 2026", "Oct 19 users"),
        ("quarter label", "Q3 2026, K3 2026, 2026-Q3", ""),
        ("ISO week label", "2026-W43", ""),
        ("page number", "Page 1 of 9", "1 of 9 goals"),
        ("page number in a table of contents", "Definitions . . . . . . 9", "Definitions 9"),
        (
            "slide of a title continued on follow-on slides",
            "Top risks: renewing next quarter (Q4 2026) (2/2) Account",
            "8 churned (8/24) of",
        ),
        (
            "length of a period a label names",
            "NPS, last 12 months; senaste 12 mån.; the previous 90 days",
            "in 344 days",
        ),
        ("top of the CSAT scale", "CSAT: – / 5 (the average itself is a figure)", "3 / 5 goals"),
        ("the NPS scale", "NPS (−100 … 100)", ""),
        ("ARR as twelve months of MRR", "Lost ARR (MRR × 12)", "MRR × 13"),
        ("the fewest responses a score is read without a flag", "n < 30; Fewer than 30 responses", "n < 31"),
        ("the common band of CS cost / revenue", "common band 5–15%", "band 5–16%"),
        ("the unit of a return", "revenue retained per $1 of retention cost", "$1 of revenue"),
        (
            "how many rows a list shows or a row sums",
            "the largest 10 are listed; Other reasons (3); … and 2,979 more; och 2 979 till",
            "and 3 accounts",
        ),
        ("row counts of the provenance block", "Row counts accounts 400, mrr 6,481", "accounts 400"),
    ],
)
def test_each_kind_of_non_figure_is_allowed_and_only_where_it_reads_so(reason, allowed, not_allowed):
    assert reason in {r for r, _pattern in NOT_FIGURES}
    assert _numbers(allowed) == []
    if not_allowed:
        assert _numbers(not_allowed) != []


def test_allowed_prose_is_found_across_a_line_broken_at_a_hyphen_or_a_slash():
    prose = "Per group (segment, or region in a one-segment digest): 0 when none; '<group>/<component>'"
    assert (
        _numbers(
            "Per group (segment, or region in a onesegment digest): 0 when none; '<group>/ <component>'",
            [],
            [prose],
        )
        == []
    )
    assert _numbers("Per group (segment, or region in a one-segment digest): 1 when none", [], [prose]) == [
        "1"
    ]


def test_chart_axis_ticks_are_not_figures_but_its_bar_labels_are():
    weasyprint = pytest.importorskip("weasyprint")
    line = LineChartSpec(
        title="NPS", y_label="NPS", x_labels=["Q1", "Q2", "Q3"], series={"NPS": [12.0, 31.0, 47.0]}
    )
    bars = BarChartSpec(
        title="Churn",
        y_label="%",
        value_format="pct",
        x_labels=["Red", "Green"],
        series={"Rate": [0.333, 0.05]},
        data_labels=True,
    )
    html = "".join(f'<p>Chart</p><img src="{svg_data_uri(chart_svg(s))}">' for s in (line, bars))
    items = _pdf_items(weasyprint.HTML(string=html).write_pdf())
    assert TICK_MARK in items
    assert "33.3%" in items and "5.0%" in items  # bar labels stay, to be recorded
    assert not {"12", "31", "47"} & set(items)  # a line chart prints no values, only ticks
    ticks = [
        item for item in items if item != TICK_MARK and item.strip().rstrip("%").replace(".", "").isdigit()
    ]
    assert set(ticks) == {"33.3%", "5.0%"}, ticks


def test_numbers_in_the_datas_own_words_are_allowed_with_a_word_beside_them(tmp_path):
    (tmp_path / "success_plans.csv").write_text(
        "objective,comment,due_date\nObjective 1000: shorten the cycle,a P1 issue,2027-03-31\n",
        encoding="utf-8",
    )
    allowed = data_texts(tmp_path)
    assert "Objective 1000" in allowed and not any("issue" in a or "2027" in a for a in allowed)
    assert _numbers("Objective 1000: shorten the cycle (target 1000)", [], allowed) == ["1000"]
