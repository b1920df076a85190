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
from reports.documents.leadership.board_report import BoardReportContext, build_board_report_context, fmt_auc
from reports.documents.leadership.common import FigureRecorder, fmt, fmt_delta, report_date, text
from reports.documents.leadership.provenance import definition_of
from reports.errors import RenderError
from reports.output.figures import Figure, as_of_period
from reports.render.pptx.branding import branded_template
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
    return build_board_deck(run, locale=locale, context=context, template_dirs=template_dirs)[0]


def build_board_deck(
    run: RunContext,
    *,
    locale: str = "en",
    context: BoardReportContext | None = None,
    template_dirs: Sequence[Path] = (),
) -> tuple[bytes, list[Figure]]:
    """The board deck of ``run`` as PPTX bytes, with every figure its slides and notes print.

    The native charts' axes and labels are drawn by PowerPoint from the chart data; the
    figures are those written as text (tiles, commentary, tables, footnotes, notes).
    """
    c = context or build_board_report_context(run, locale=locale)
    T, loc, cur = c.T, c.locale, c.currency
    rec = FigureRecorder(c.period, loc, cur)
    as_of = as_of_period(run.metrics.as_of)
    money = lambda figure_id, v, **key: rec.show(figure_id, v, "money", **key)  # noqa: E731
    pct = lambda figure_id, v, **key: rec.show(figure_id, v, "pct", **key)  # noqa: E731
    number = lambda figure_id, v, **key: rec.show(figure_id, v, "number", **key)  # noqa: E731
    money_fmt = NumberFormat("money", loc, cur)
    pct_fmt = NumberFormat("pct", loc, cur, 1)
    brand = run.settings.branding
    master = branded_template(template_bytes(_template_path(template_dirs)), brand)
    deck = DeckWriter(deck_template(master))
    sv = loc == "sv"

    # 1. Title
    s = deck.add_slide("Title")
    write_text(s, "Title", [Para(T["title"], 40, bold=True)])
    write_text(s, "Subtitle", [Para(c.period_name, 24, colour="accent1")])
    _lines(s, "Meta", [brand.company_name, " · ".join(list(c.provenance.values())[:1])])
    s.notes = f"{T['title']} {c.period_name}. " + " ".join(f"{k}: {v}." for k, v in c.provenance.items())

    # 2. KPIs and highlights
    s = deck.add_slide("KPI")
    _title(s, f"{c.period_name}: {T['highlights'].lower() if sv else 'at a glance'}")
    rec.kpis(c.kpis[:4])
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
    s.notes = " ".join(
        f"{k.label}: {rec.show(k.figure_id, k.value, k.kind, dimension=k.dimension, group=k.group)}."
        for k in c.kpis
    )

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
        at = {"period": str(last["quarter"])}
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
                f"{T['arr']}: {money('arr_end', last['arr_end'], **at)}",
                f"{T['nrr']}: {pct('nrr', last['nrr'], **at)}",
                f"{T['grr']}: {pct('grr', last['grr'], **at)}",
            ],
            "ARR bars on the left axis; NRR and GRR lines on the right axis, per quarter. "
            + " ".join(
                f"{r['quarter_name']}: {money('arr_end', r['arr_end'], period=str(r['quarter']))}, "
                f"NRR {pct('nrr', r['nrr'], period=str(r['quarter']))}."
                for r in c.trend
            ),
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
            f"{T['start']}: {money('mrr_start', b['mrr_start'])}",
            f"+ {T['new']}: {money('new_mrr', b['new_mrr'])}",
            f"+ {T['expansion']}: {money('expansion_mrr', b['expansion_mrr'])}",
            f"+ {T['reactivation']}: {money('reactivation_mrr', b['reactivation_mrr'])}",
            f"− {T['contraction']}: {money('contraction_mrr', b['contraction_mrr'])}",
            f"− {T['churn']}: {money('churned_mrr', b['churned_mrr'])}",
            f"{T['end']}: {money('mrr_end', b['mrr_end'])}",
        ],
        "The MRR bridge: new, expansion and reactivation MRR are added to MRR at start, contraction and "
        "churned MRR taken off; the movements sum exactly to the change in MRR.",
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
            [
                f"{r['quarter_name']}: {pct('logo_churn', r['logo_churn'], period=str(r['quarter']))} "
                f"({number('logos_lost', r['logos_lost'], period=str(r['quarter']))})"
                for r in c.trend[-4:]
            ],
            "Logo churn = accounts paying at start and not at end ÷ accounts paying at start, per quarter.",
        )
    # 6. Health
    band = {"period": as_of, "dimension": "band"}
    moves = {r["band"]: r for r in c.health_moves}

    def moved(previous: str, current: str) -> str:
        row = moves.get(previous)
        count = row["counts"][row["current"].index(current)] if row and current in row["current"] else 0
        return number("health_band_moves", count, **band, group=f"{previous}→{current}")

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
            f"{r['label']}: {number('health_band_accounts', r['accounts'], **band, group=r['band'])} · "
            f"{money('health_band_arr', r['arr'], **band, group=r['band'])} "
            f"({pct('health_band_arr_share', r['share_arr'], **band, group=r['band'])})"
            for r in c.health_bands
        ]
        + [f"{T['previous']} {T['green']} → {T['red']}: {moved('green', 'red')}"],
        "ARR of paying accounts per health band at the end of the quarter. Movement: accounts by band one "
        "trend period earlier and band now. "
        + " ".join(
            f"{r['label']} before: "
            + ", ".join(
                f"{moved(r['band'], current)} {T.get(current, T['total']).lower()}"
                for current in r["current"]
            )
            + "."
            for r in c.health_moves
        ),
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
                f"{r['quarter_name']}: {number('nps', r['nps'], period=str(r['quarter']))} "
                f"(n = {number('nps_responses', r['responses'], period=str(r['quarter']))})"
                for r in c.nps[-4:]
            ],
            "NPS = % promoters − % detractors per quarter, latest response per contact."
            + (
                f" Fewer than {LOW_N_THRESHOLD} responses (read with care): {', '.join(low_n)}."
                if (low_n := [r["quarter_name"] for r in c.nps if r["low_n"]])
                else ""
            ),
        )
    # 8. Churn reasons
    s = deck.add_slide("Table")
    _title(s, T["reasons"])
    _table(
        s,
        [T["reason"], T["lost_mrr"], T["share"], T["lost_logos"]],
        [
            [
                r["reason_label"],
                money("lost_mrr", r["lost_mrr"], dimension="reason", group=str(r["reason"])),
                pct("lost_mrr_share", r["share"], dimension="reason", group=str(r["reason"])),
                number(
                    "logos_churned_in_period", r["lost_logos"], dimension="reason", group=str(r["reason"])
                ),
            ]
            for r in c.reasons
        ],
        [False, True, True, True],
    )
    _lines(s, "Footnote", [f"{T['total']} ({T['lost_mrr']}): {money('lost_mrr', c.lost_mrr)}"], 12)
    s.notes = "Lost MRR (churned + contraction) by primary churn reason; the reasons add up to the total."
    # 9. Risks
    s = deck.add_slide("Table")
    _title(s, f"{T['risks']} ({c.next_period_name})")
    risks = c.risks[:8]
    _table(
        s,
        [T["account"], T["segment"], T["renewal"], T["arr"], T["health_score"]],
        [
            [
                r["name"],
                r["segment"],
                fmt(r["renewal_date"].date().isoformat(), "text", loc),
                money("renewal_risk", r["arr"], **_account(r, as_of)),
                number("health_score", r["health_score"], **_account(r, as_of)),
            ]
            for r in risks
        ],
        [False, False, False, True, True],
    )
    count = number("renewal_risk_accounts", c.risk_count, period=as_of)
    _lines(s, "Footnote", [f"{count} · {money('renewal_risk', c.risk_arr, period=as_of)} ARR"], 12)
    s.notes = (
        "Paying accounts renewing next quarter with a red or yellow health band, largest ARR first. "
        + "; ".join(f"{r['name']}: {r['drivers']}" for r in risks)
    )
    # 10. Cost to retain
    s = deck.add_slide("Table")
    _title(s, T["cost"])
    cost = c.cost
    _table(
        s,
        [T["value"], c.period_name, "Δ"],
        [
            [
                T["ctr"],
                pct("cost_to_retain", cost["simple_cost_to_retain"]),
                rec.show_delta("cost_to_retain_qoq_change", cost["delta_simple"], "pp"),
            ],
            [T["allocated"], pct("allocated_cost_to_retain", cost["allocated_cost_to_retain"]), ""],
            [T["roi"], rec.show("cs_roi", cost["cs_roi"], "ratio"), ""],
        ],
        [False, True, True],
    )
    cs_cost, revenue = (
        money("cs_cost", cost["cs_cost"]),
        money("recurring_revenue", cost["recurring_revenue"]),
    )
    _lines(s, "Footnote", [f"CS {cs_cost} · {revenue}"], 12)
    s.notes = (
        "Simple = CS cost ÷ recurring revenue (common band 5–15%); allocated = retention share of all "
        "functions ÷ revenue retained; ROI = revenue retained ÷ retention cost."
    )
    # 11. Backtest
    if c.backtest:
        period = {"period": c.backtest_period, "dimension": "band"}
        auc = rec.printed(
            "health_backtest_auc", c.backtest_auc, fmt_auc(c.backtest_auc, loc), period=c.backtest_period
        )
        chart_slide(
            T["backtest"],
            BarChart(
                categories=[r["label"] for r in c.backtest],
                series={T["churn_rate"]: [r["churn_rate"] for r in c.backtest]},
                number_format=pct_fmt,
                data_labels=True,
                legend=False,
            ),
            [f"{T['auc']}: {auc}"]
            + [
                f"{r['label']}: {pct('health_backtest', r['churn_rate'], **period, group=r['band'])} "
                f"({number('health_backtest_churned', r['churned'], **period, group=r['band'])}"
                f"/{number('health_backtest_accounts', r['accounts'], **period, group=r['band'])})"
                for r in c.backtest
            ],
            "Health score at the start of "
            + ", ".join(c.backtest_quarters)
            + f" against logo churn in each quarter. {T['auc']}: {summary_of_auc()}",
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

    data = deck.to_bytes(
        title=f"{T['title']} — {c.period_name}", author=brand.company_name, date=report_date(run)
    )
    return data, [*rec.figures, *c.bullet_figures]


def _account(row: dict[str, Any], as_of: str) -> dict[str, Any]:
    """The figure key of a risk row's per-account figures."""
    account = str(row["account_id"])
    return {"period": as_of, "dimension": "account", "group": account, "account_id": account}


def summary_of_auc() -> str:
    """What the AUC means, in the registry's words."""
    return definition_of("health_backtest_auc").text
