"""The board report as an editable PPTX deck, from ``templates/board/board.pptx``.

Reads the same :class:`~reports.documents.leadership.board_report.BoardReportContext`
as the PDF and writes it with the QBR decks' engine (:mod:`reports.render.pptx.writer`):
native charts (the ARR + NRR/GRR combo chart has a secondary axis; the MRR
bridge is a stacked-bar waterfall), text measured to fit its box, speaker
notes on every slide.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_calc.nps import LOW_N_THRESHOLD
from reports.documents.leadership.board_report import BoardReportContext, build_board_report_context
from reports.documents.leadership.common import COMPANY, fmt, fmt_delta, report_date, text
from reports.errors import RenderError
from reports.render.pptx.chartspec import BarChart, ComboChart, LineChart, NumberFormat, WaterfallChart
from reports.render.pptx.deck import template_bytes
from reports.render.pptx.shapes import Cell, Para
from reports.render.pptx.textbox import FONT, write_text
from reports.render.pptx.textfit import FontSpec
from reports.render.pptx.writer import DeckWriter, SlideDraft, deck_template
from reports.render.template_files import find_template_file

if TYPE_CHECKING:
    from reports.pipeline import RunContext

TEMPLATE = "board/board.pptx"


def _template_path(template_dirs: Sequence[Path]) -> Path:
    found = find_template_file(TEMPLATE, template_dirs)
    if found is None:
        raise RenderError(f"PPTX template {TEMPLATE!r} not found")
    return found


TITLE_PT, BODY_PT, TABLE_PT = 28, 16, 12
CELL_PAD = 45_720


def _lines(slide: SlideDraft, name: str, lines: Sequence[str], size: float = BODY_PT) -> None:
    write_text(slide, name, [Para(text(line), size) for line in lines])


def _title(slide: SlideDraft, value: str) -> None:
    write_text(slide, "Title", [Para(text(value), TITLE_PT, bold=True)])


def _table(
    slide: SlideDraft, header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]
) -> None:
    width = slide.placeholder("Table").box[2]
    widths = [width // len(header)] * len(header)
    cells = [
        [Cell(text(v), bold=r == 0, align="r" if numeric[c] else None) for c, v in enumerate(values)]
        for r, values in enumerate([header, *rows])
    ]
    row_height = FontSpec(FONT, TABLE_PT).line_height_emu + 2 * CELL_PAD
    slide.table(
        "Table",
        widths,
        cells,
        row_height=row_height,
        font_pt=TABLE_PT,
        cell_pad=CELL_PAD,
        description=" · ".join(header),
    )


def render_board_deck(
    run: RunContext,
    *,
    locale: str = "en",
    context: BoardReportContext | None = None,
    template_dirs: Sequence[Path] = (),
) -> bytes:
    """The board deck of ``run`` as PPTX bytes (byte-identical for equal inputs)."""
    c = context or build_board_report_context(run, locale=locale)
    T, loc, cur = c.T, c.locale, c.currency
    money = lambda v: fmt(v, "money", loc, cur)  # noqa: E731
    pct = lambda v: fmt(v, "pct", loc)  # noqa: E731
    money_fmt = NumberFormat("money", loc, cur)
    pct_fmt = NumberFormat("pct", loc, cur, 1)
    deck = DeckWriter(deck_template(template_bytes(_template_path(template_dirs))))
    sv = loc == "sv"

    # 1. Title
    s = deck.add_slide("Title")
    write_text(s, "Title", [Para(T["title"], 40, bold=True)])
    write_text(s, "Subtitle", [Para(c.period_name, 24, colour="accent1")])
    _lines(s, "Meta", [COMPANY[loc], " · ".join(list(c.provenance.values())[:1])])
    s.notes = f"{T['title']} {c.period_name}. " + " ".join(f"{k}: {v}." for k, v in c.provenance.items())

    # 2. KPIs and highlights
    s = deck.add_slide("KPI")
    _title(s, f"{c.period_name}: {T['highlights'].lower() if sv else 'at a glance'}")
    for i, k in enumerate(c.kpis[:4]):
        value = fmt(k.value, k.kind, loc, cur)
        delta = "" if k.delta is None or k.delta != k.delta else fmt_delta(k.delta, k.delta_kind, loc, cur)
        write_text(
            s,
            f"KPI {i + 1}",
            [Para(k.label, 14, colour="accent5"), Para(value, 28, bold=True, colour="tx2"), Para(delta, 12)],
            align="ctr",
        )
    _lines(s, "Commentary", c.highlights + c.lowlights)
    s.notes = " ".join(f"{k.label}: {fmt(k.value, k.kind, loc, cur)} ({k.metric})." for k in c.kpis)

    quarters = [r["quarter_name"] for r in c.trend]

    def chart_slide(title: str, spec: Any, commentary: list[str], notes: str) -> None:
        slide = deck.add_slide("Chart")
        _title(slide, title)
        slide.chart("Chart", spec, notes, title)
        _lines(slide, "Commentary", commentary)
        slide.notes = notes

    # 3. ARR + NRR/GRR combo
    if c.trend:
        last = c.trend[-1]
        chart_slide(
            T["retention"],
            ComboChart(
                categories=quarters,
                series={f"{T['arr']} ({cur})": [r["arr_end"] for r in c.trend]},
                lines={T["nrr"]: [r["nrr"] for r in c.trend], T["grr"]: [r["grr"] for r in c.trend]},
                number_format=money_fmt,
                line_format=pct_fmt,
            ),
            [
                f"{T['arr']}: {money(last['arr_end'])}",
                f"{T['nrr']}: {pct(last['nrr'])}",
                f"{T['grr']}: {pct(last['grr'])}",
            ],
            "ARR (mrr_end × 12) bars on the left axis; NRR and GRR lines on the right axis, per quarter. "
            + " ".join(f"{r['quarter_name']}: {money(r['arr_end'])}, NRR {pct(r['nrr'])}." for r in c.trend),
        )
    # 4. MRR waterfall
    b = c.bridge
    chart_slide(
        T["waterfall"],
        WaterfallChart(
            start_label=T["start"],
            start_value=b["mrr_start"],
            steps={
                T["new"]: b["new_mrr"],
                T["expansion"]: b["expansion_mrr"],
                T["reactivation"]: b["reactivation_mrr"],
                T["contraction"]: -b["contraction_mrr"],
                T["churn"]: -b["churned_mrr"],
            },
            end_label=T["end"],
            number_format=money_fmt,
            labels={"total": T["total"], "increase": "+", "decrease": "−"},
        ),
        [
            f"{T['start']}: {money(b['mrr_start'])}",
            f"+ {T['new']}: {money(b['new_mrr'])}",
            f"+ {T['expansion']}: {money(b['expansion_mrr'])}",
            f"+ {T['reactivation']}: {money(b['reactivation_mrr'])}",
            f"− {T['contraction']}: {money(b['contraction_mrr'])}",
            f"− {T['churn']}: {money(b['churned_mrr'])}",
            f"{T['end']}: {money(b['mrr_end'])}",
        ],
        "The MRR bridge: movements sum exactly to the change in MRR (new_mrr, expansion_mrr, "
        "reactivation_mrr, contraction_mrr, churned_mrr).",
    )
    # 5. Logo churn
    if c.trend:
        chart_slide(
            T["logos"],
            LineChart(
                categories=quarters,
                series={T["logo_churn"]: [r["logo_churn"] for r in c.trend]},
                number_format=pct_fmt,
                legend=False,
            ),
            [f"{r['quarter_name']}: {pct(r['logo_churn'])} ({int(r['logos_lost'])})" for r in c.trend[-4:]],
            "Logo churn = accounts paying at start and not at end ÷ accounts paying at start, per quarter.",
        )
    # 6. Health
    moves = {r["band"]: r["counts"] for r in c.health_moves}
    chart_slide(
        T["health"],
        BarChart(
            categories=[r["label"] for r in c.health_bands],
            series={f"{T['arr']} ({cur})": [r["arr"] for r in c.health_bands]},
            number_format=money_fmt,
            data_labels=True,
            legend=False,
        ),
        [
            f"{r['label']}: {int(r['accounts'])} · {money(r['arr'])} ({pct(r['share_arr'])})"
            for r in c.health_bands
        ]
        + [f"{T['previous']} {T['green']} → {T['red']}: {moves.get('green', [0, 0])[0]}"],
        "ARR of paying accounts per health band at the end of the quarter. Movement: accounts by previous band "
        "(score one trend period earlier) and current band: "
        + "; ".join(f"{r['label']}: {r['counts']}" for r in c.health_moves),
    )
    # 7. NPS
    if c.nps:
        chart_slide(
            T["nps_trend"],
            LineChart(
                categories=[r["quarter_name"] for r in c.nps],
                series={T["nps"]: [r["nps"] for r in c.nps]},
                number_format=NumberFormat("number", loc, cur),
                legend=False,
                value_range=(-100, 100),
            ),
            [
                f"{r['quarter_name']}: {fmt(r['nps'], 'number', loc)} (n = {int(r['responses'])})"
                for r in c.nps[-4:]
            ],
            f"NPS = % promoters − % detractors per quarter, latest response per contact; n < {LOW_N_THRESHOLD} flagged: "
            + ", ".join(r["quarter_name"] for r in c.nps if r["low_n"])
            + ".",
        )
    # 8. Churn reasons
    s = deck.add_slide("Table")
    _title(s, T["reasons"])
    _table(
        s,
        [T["reason"], T["lost_mrr"], T["share"], T["lost_logos"]],
        [
            [r["reason_label"], money(r["lost_mrr"]), pct(r["share"]), fmt(r["lost_logos"], "number", loc)]
            for r in c.reasons
        ],
        [False, True, True, True],
    )
    _lines(s, "Footnote", [f"{T['total']} ({T['lost_mrr']}): {money(c.lost_mrr)}"], 12)
    s.notes = "Lost MRR (churned + contraction) by primary churn reason; reason totals sum to lost_mrr."
    # 9. Risks
    s = deck.add_slide("Table")
    _title(s, f"{T['risks']} ({c.next_period_name})")
    _table(
        s,
        [T["account"], T["segment"], T["renewal"], T["arr"], T["health_score"]],
        [
            [
                r["name"],
                r["segment"],
                fmt(r["renewal_date"].date().isoformat(), "text", loc),
                money(r["arr"]),
                fmt(r["health_score"], "number", loc),
            ]
            for r in c.risks[:8]
        ],
        [False, False, False, True, True],
    )
    _lines(s, "Footnote", [f"{c.risk_count} · {money(c.risk_arr)} ARR"], 12)
    s.notes = (
        "Paying accounts renewing next quarter with a red or yellow health band, largest ARR first. "
        + "; ".join(f"{r['name']}: {r['drivers']}" for r in c.risks[:8])
    )
    # 10. Cost to retain
    s = deck.add_slide("Table")
    _title(s, T["cost"])
    cost = c.cost
    _table(
        s,
        [T["value"], c.period_name, "Δ"],
        [
            [T["ctr"], pct(cost["simple_cost_to_retain"]), fmt_delta(cost["delta_simple"], "pp", loc)],
            [T["allocated"], pct(cost["allocated_cost_to_retain"]), ""],
            [T["roi"], fmt(cost["cs_roi"], "ratio", loc), ""],
        ],
        [False, True, True],
    )
    _lines(s, "Footnote", [f"CS {money(cost['cs_cost'])} · {money(cost['recurring_revenue'])}"], 12)
    s.notes = (
        "Simple = CS cost ÷ recurring revenue (common band 5–15%); allocated = retention share of all "
        "functions ÷ revenue retained; ROI = revenue retained ÷ retention cost."
    )
    # 11. Backtest
    if c.backtest:
        chart_slide(
            T["backtest"],
            BarChart(
                categories=[r["label"] for r in c.backtest],
                series={T["churn_rate"]: [r["churn_rate"] for r in c.backtest]},
                number_format=pct_fmt,
                data_labels=True,
                legend=False,
            ),
            [f"{T['auc']}: {format(c.backtest_auc, '.2f')}"]
            + [
                f"{r['label']}: {pct(r['churn_rate'])} ({int(r['churned'])}/{int(r['accounts'])})"
                for r in c.backtest
            ],
            "Health score at the start of "
            + ", ".join(c.backtest_quarters)
            + " against logo churn in each quarter. AUC 0.5 is chance, 1.0 perfect.",
        )
    # 12. Highlights / lowlights / asks
    s = deck.add_slide("Two Content")
    _title(s, T["hla"])
    _lines(s, "Left", [f"{T['highlights']}:", *c.highlights, f"{T['lowlights']}:", *c.lowlights])
    _lines(s, "Right", [f"{T['asks']}:", *c.asks])
    s.notes = "Facts, then options, then the recommendation. " + " ".join(c.asks)
    # 13. Definitions
    s = deck.add_slide("Title and Content")
    _title(s, T["definitions"])
    _lines(s, "Content", [f"{d.label}: {d.text}" for d in c.definitions[:8]], size=12)
    s.notes = " ".join(f"{k}: {v}." for k, v in c.provenance.items())

    return deck.to_bytes(title=f"{T['title']} — {c.period_name}", author=COMPANY[loc], date=report_date(run))
