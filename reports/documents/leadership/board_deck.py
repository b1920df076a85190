"""The board report as an editable PPTX deck, from ``templates/board/board.pptx``.

Reads the same :class:`~reports.documents.leadership.board_report.BoardReportContext`
as the PDF and writes it with the QBR decks' engine (:mod:`reports.render.pptx.writer`):
native charts with axis titles (the ARR + NRR/GRR combo chart has a secondary
axis; the MRR bridge is a waterfall from zero whose steps name their amounts),
text measured to fit its box, tables that continue on a follow-on slide
("Top risks (2/2)"), and speaker notes written for the presenter, in the
deck's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_calc.nps import LOW_N_THRESHOLD
from reports.documents.leadership.board_report import (
    BoardReportContext,
    build_board_report_context,
    record_drivers,
)
from reports.documents.leadership.common import FigureRecorder, fmt, fmt_delta, report_date, text
from reports.errors import RenderError
from reports.output.figures import Figure, as_of_period
from reports.render.catalogue import N_, translations
from reports.render.formatting import format_date
from reports.render.pptx.branding import branded_template
from reports.render.pptx.chartspec import BarChart, ComboChart, LineChart, NumberFormat, WaterfallChart
from reports.render.pptx.deck import template_bytes
from reports.render.pptx.shapes import INSET_X, INSET_Y, Cell, Para
from reports.render.pptx.textbox import DEEP_SHRINK_STEPS, PARAGRAPH_SPACE_PT, write_text
from reports.render.pptx.textfit import (
    FontSpec,
    fit_text,
    header_fit,
    paginate_heights,
    row_height,
    text_height,
)
from reports.render.pptx.writer import DeckWriter, SlideDraft, deck_template
from reports.render.template_files import find_template_file

if TYPE_CHECKING:
    from reports.pipeline import RunContext

TEMPLATE = "board/board.pptx"
TEMPLATE_NAMES = (TEMPLATE, "board/board.potx")
"""The master, as a presentation or a PowerPoint template, user folders first."""

TITLE_PT, BODY_PT, SIDE_PT, TABLE_PT, NOTE_PT = 28, 16, 14, 12, 12
MIN_HEADER_PT = 10
"""Smallest size a table header is set at so that none of its words breaks."""
CELL_PAD = 45_720
MUTED, HEADING = "accent5", "tx2"

FORMATS = {
    "continued": "{title} ({page}/{pages})",
    "quarter_line": "{quarter}: {value}",
    "bridge_start": "{label}: {value}",
}
"""Layouts of a slide line that hold no words (the same in every language)."""

DECK_WORDS: dict[str, str] = {
    "glance": N_("{quarter} at a glance"),
    "moved_none": N_("Since the previous quarter, no account moved from green to red."),
    "reason_line_none": N_("{reason}: {lost} ({share}), from downgrades only"),
    "reason_total": N_("Total lost MRR: {lost}"),
    "kpi_cs_cost": N_("CS cost, {quarter}"),
    "vs_prev": N_("{change} on previous quarter"),
    "notes_title": N_(
        "This is the board report for {quarter}, {months}. It opens with one sentence per headline figure, then retention, churn, customer health and the renewals at risk next quarter, and closes with what we ask of the board."
    ),
    "notes_glance": N_(
        "What the quarter says: {sentences} Why it matters: these are the figures the board tracks quarter to quarter; each is explained on the slides that follow. Ask the board whether any of them needs a deeper look today."
    ),
    "notes_retention": N_(
        "The bars are ARR at each quarter end (left axis, {currency}); the lines are net and gross revenue retention (right axis, percent). {sentences} Why it matters: when net retention is above the revenue we started with, existing customers grow on balance without new sales; gross retention shows how much revenue we keep before any expansion. Ask the board whether the trend matches the plan."
    ),
    "notes_bridge": N_(
        "The bridge walks MRR from the start to the end of {quarter}: new, expansion and reactivation add to it; contraction and churn take from it; each step names its amount. {sentence} Why it matters: it shows whether growth came from new customers or from the ones we already have. Ask the board which lever it wants us to push."
    ),
    "notes_logos": N_(
        "The line is the share of accounts paying at the start of each quarter that no longer paid at its end. {sentence} Why it matters: each lost logo is a reference and an expansion path gone. Ask the board whether the level is acceptable for our segment mix."
    ),
    "notes_health": N_(
        "The bars are the ARR of paying accounts in each health band at the end of {quarter}. {sentence} {moved} Why it matters: red and yellow ARR is the revenue most likely to churn or shrink at renewal. Ask the board to note how much ARR sits outside green."
    ),
    "notes_nps": N_(
        "The line is the Net Promoter Score of each quarter: the share of promoters minus the share of detractors, from −100 to 100; the axis is fitted to the scores so changes are visible. {sentence}{low_n} Why it matters: detractors and passives are both renewal risk. Ask the board whether the survey reach is wide enough."
    ),
    "notes_low_n": N_(
        "Quarters with fewer than {threshold} responses are marked on the axis; read them with care."
    ),
    "notes_reasons": N_(
        "The bars are the MRR lost in {quarter} by the primary churn reason recorded for each cancellation or downgrade. {sentence} Why it matters: avoidable reasons are where a programme pays back. Ask the board to back the programme on the asks slide."
    ),
    "notes_risks": N_(
        "These accounts renew in {quarter} with a red or yellow health band, largest ARR first, each with the two factors that weigh most on its health score. {sentence} Why it matters: this is the revenue we can still save before it is due. Ask the board for executive sponsors for the largest of them. {largest}"
    ),
    "notes_risk_row": N_("{name} renews on {date} with {arr} ARR: {drivers}."),
    "notes_cost": N_(
        "The tiles show what Customer Success costs against the revenue it looks after. {sentences} Why it matters: the CFO compares this with the common band of 5–15% of revenue and with what the same money would buy in new customers. Ask the board whether the spending level is right for next year's plan."
    ),
    "notes_backtest": N_(
        "The bars are the share of accounts in each health band that churned in the following quarter, pooled over {quarters}. {sentence} Why it matters: a score that predicts churn lets us act before renewal. Ask the board to rely on the health bands in the risk list."
    ),
    "notes_hla": N_(
        "Good news: {high} Bad news: {low} What we ask of the board: {asks} Close by agreeing an owner for each ask."
    ),
    "notes_definitions": N_(
        "How each figure in this deck is defined, for reference. Offer to send the full glossary with the report."
    ),
}
"""Slide text and speaker notes of the board deck in English (translated with ``gettext``; the
context's sentences fill them). Lines with a count use ``ngettext`` where they are written."""


def _template_path(template_dirs: Sequence[Path]) -> Path:
    found = find_template_file(TEMPLATE_NAMES, template_dirs)
    if found is None:
        raise RenderError(f"PPTX template {TEMPLATE!r} not found")
    return found


def _lines(slide: SlideDraft, name: str, lines: Sequence[str], size: float = BODY_PT) -> None:
    write_text(slide, name, [Para(text(line), size) for line in lines if line])


def _title(slide: SlideDraft, value: str) -> None:
    write_text(slide, "Title", [Para(text(value), TITLE_PT, bold=True)])


def _table_pages(
    width: int,
    height: int,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    shares: Sequence[int],
    family: str,
) -> tuple[list[int], float, list[list[str]], list[range]]:
    """Column widths, the header's size (smaller when a header word would not fit its column), the
    rows (set in ``family``) fitted to three lines a cell, and the rows of each slide."""
    total = sum(shares)
    widths = [int(width * s / total) for s in shares]
    font = FontSpec(family, TABLE_PT)
    header_pt, widths = header_fit(header, widths, font, smallest=MIN_HEADER_PT, inset=INSET_X)
    bold = FontSpec(family, header_pt, True)
    fitted = [
        [
            fit_text(text(v), font, max(1, w - 2 * INSET_X), 3 * font.line_height_emu)
            for v, w in zip(r, widths, strict=True)
        ]
        for r in rows
    ]
    inner = [w - 2 * INSET_X + 2 * CELL_PAD for w in widths]
    head = row_height(list(header), inner, bold, CELL_PAD)
    heights = [row_height(r, inner, font, CELL_PAD) for r in fitted]
    return widths, header_pt, fitted, paginate_heights(heights, height - head)


def _table_slides(
    deck: DeckWriter,
    words: dict[str, str],
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    shares: Sequence[int],
    footnote: str,
    notes: str,
) -> None:
    """A table on as many slides as it needs, "Title (2/3)" on each when more than one."""
    ph = deck.template.layout("Table").placeholder("Table")
    _, _, width, height = ph.box
    widths, header_pt, fitted, pages = _table_pages(width, height, header, rows, shares, ph.font)
    for number, page in enumerate(pages, start=1):
        slide = deck.add_slide("Table")
        shown = (
            title
            if len(pages) == 1
            else words["continued"].format(title=title, page=number, pages=len(pages))
        )
        _title(slide, shown)
        cells = [[Cell(text(h), bold=True, align="r" if numeric[c] else None) for c, h in enumerate(header)]]
        cells += [[Cell(v, align="r" if numeric[c] else None) for c, v in enumerate(fitted[i])] for i in page]
        slide.table(
            "Table",
            widths,
            cells,
            row_height=FontSpec(ph.font, TABLE_PT).line_height_emu + 2 * CELL_PAD,
            font_pt=TABLE_PT,
            cell_pad=CELL_PAD,
            description=shown,
            header_pt=header_pt,
        )
        _lines(slide, "Footnote", [footnote], NOTE_PT)
        slide.notes = notes


def _definition_pages(lines: Sequence[str], width: int, height: int, family: str) -> list[range]:
    """The definitions of each slide: as many whole paragraphs (set in ``family``) as fit the
    content box."""
    font = FontSpec(family, NOTE_PT)
    space = PARAGRAPH_SPACE_PT * 12_700
    return paginate_heights([text_height(line, font, width) + space for line in lines], height)


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

    The native charts' axes and bar labels are drawn by PowerPoint from the chart data; the
    figures are those written as text (tiles, commentary, tables, footnotes, notes, and the
    bridge's step labels).
    """
    c = context or build_board_report_context(run, locale=locale)
    T, loc, cur = c.T, c.locale, c.currency
    words = translations(loc)
    W = {key: words.gettext(message) for key, message in DECK_WORDS.items()} | FORMATS
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
    takeaway = c.takeaways.get
    quarter_axis = T["quarter_axis"]

    # 1. Title
    s = deck.add_slide("Title")
    write_text(s, "Title", [Para(T["title"], 40, bold=True)])
    write_text(s, "Subtitle", [Para(f"{c.period_name} · {c.period_words}", 24, colour="accent1")])
    _lines(s, "Meta", [brand.company_name])
    s.notes = W["notes_title"].format(quarter=c.period_name, months=c.period_words)

    # 2. The quarter at a glance: a tile and a sentence per headline KPI
    s = deck.add_slide("KPI")
    _title(s, W["glance"].format(quarter=c.period_name))
    rec.kpis(c.kpis[:4])
    for i, k in enumerate(c.kpis[:4]):
        value = fmt(k.value, k.kind, loc, cur)
        delta = ""
        if k.delta is not None and k.delta == k.delta and k.delta_figure:
            delta = W["vs_prev"].format(change=fmt_delta(k.delta, k.delta_kind, loc, cur))
        write_text(
            s,
            f"KPI {i + 1}",
            [Para(k.label, 14, colour=MUTED), Para(value, 28, bold=True, colour=HEADING), Para(delta, 12)],
            align="ctr",
            scales=DEEP_SHRINK_STEPS,
        )
    sentences = list(c.takeaways.values())
    write_text(s, "Commentary", [Para(line, 18, bullet=True) for line in sentences])
    s.notes = W["notes_glance"].format(sentences=" ".join(sentences))

    quarters = [r["quarter_name"] for r in c.trend]

    def chart_slide(title: str, spec: Any, commentary: list[str], notes: str) -> None:
        slide = deck.add_slide("Chart")
        _title(slide, title)
        slide.chart("Chart", spec, notes, title)
        _lines(slide, "Commentary", commentary, SIDE_PT)
        slide.notes = notes

    # 3. ARR + NRR/GRR combo
    if c.trend:
        last = c.trend[-1]
        at = {"period": str(last["quarter"])}
        retention = [takeaway(k, "") for k in ("arr", "nrr", "grr")]
        chart_slide(
            T["retention"],
            ComboChart(
                categories=quarters,
                series={f"{T['arr']} ({cur})": [r["arr_end"] for r in c.trend]},
                lines={T["nrr"]: [r["nrr"] for r in c.trend], T["grr"]: [r["grr"] for r in c.trend]},
                number_format=money_fmt,
                line_format=pct_fmt,
                value_title=T["arr_axis"].format(currency=cur),
                category_title=quarter_axis,
                line_title=T["rates_axis"],
            ),
            [x for x in retention if x]
            or [
                W["quarter_line"].format(quarter=T["arr"], value=money("arr_end", last["arr_end"], **at)),
                W["quarter_line"].format(quarter=T["nrr"], value=pct("nrr", last["nrr"], **at)),
                W["quarter_line"].format(quarter=T["grr"], value=pct("grr", last["grr"], **at)),
            ],
            W["notes_retention"].format(currency=cur, sentences=" ".join(x for x in retention if x)),
        )
    # 4. MRR waterfall: each step names its amount
    b = c.bridge
    up = [("new", "new_mrr"), ("expansion", "expansion_mrr"), ("reactivation", "reactivation_mrr")]
    down = [("contraction", "contraction_mrr"), ("churn", "churned_mrr")]
    steps = {f"{T[label]}\n+{money(key, b[key])}": b[key] for label, key in up}
    steps |= {f"{T[label]}\n−{money(key, b[key])}": -b[key] for label, key in down}
    start, end = money("mrr_start", b["mrr_start"]), money("mrr_end", b["mrr_end"])
    bridge_sentence = words.gettext(
        "MRR went from {start} to {end}: new {new}, expansion {expansion}, reactivation {reactivation} added, "
        "contraction {contraction}, churn {churn} lost."
    ).format(start=start, end=end, **{label: money(key, b[key]) for label, key in (*up, *down)})
    chart_slide(
        T["waterfall"],
        WaterfallChart(
            start_label=T["start"],
            start_value=b["mrr_start"],
            steps=steps,
            end_label=T["end"],
            number_format=money_fmt,
            labels={"total": T["total"], "increase": T["increase"], "decrease": T["decrease"]},
            value_title=T["mrr_axis"].format(currency=cur),
        ),
        [
            W["bridge_start"].format(label=T["start"], value=start),
            W["bridge_start"].format(label=T["end"], value=end),
            bridge_sentence,
        ],
        W["notes_bridge"].format(quarter=c.period_name, sentence=bridge_sentence),
    )
    # 5. Logo churn
    if c.trend:
        logo_lines = []
        for r in c.trend[-4:]:
            at = {"period": str(r["quarter"])}
            logo_lines.append(
                words.ngettext(
                    "{quarter}: {value} ({lost} account lost)",
                    "{quarter}: {value} ({lost} accounts lost)",
                    int(r["logos_lost"]),
                ).format(
                    quarter=r["quarter_name"],
                    value=pct("logo_churn", r["logo_churn"], **at),
                    lost=number("logos_lost", r["logos_lost"], **at),
                )
            )
        chart_slide(
            T["logos"],
            LineChart(
                categories=quarters,
                series={T["logo_churn"]: [r["logo_churn"] for r in c.trend]},
                number_format=pct_fmt,
                legend=False,
                value_title=T["logo_axis"],
                category_title=quarter_axis,
            ),
            [takeaway("logo", ""), *logo_lines],
            W["notes_logos"].format(sentence=takeaway("logo", "")),
        )
    # 6. Health
    band = {"period": as_of, "dimension": "band"}
    moves = {r["band"]: r for r in c.health_moves}
    row = moves.get("green")
    green_red = row["counts"][row["current"].index("red")] if row and "red" in row["current"] else 0
    if green_red:
        moved = words.ngettext(
            "Since the previous quarter, one account moved from green to red.",
            "Since the previous quarter, {count} accounts moved from green to red.",
            int(green_red),
        ).format(
            count=number("health_band_moves", green_red, **band, group="green→red") if green_red > 1 else ""
        )
    else:
        moved = W["moved_none"]
    band_lines = [
        words.ngettext(
            "{band}: {accounts} account, {arr} ARR ({share})",
            "{band}: {accounts} accounts, {arr} ARR ({share})",
            int(r["accounts"]),
        ).format(
            band=r["label"],
            accounts=number("health_band_accounts", r["accounts"], **band, group=r["band"]),
            arr=money("health_band_arr", r["arr"], **band, group=r["band"]),
            share=pct("health_band_arr_share", r["share_arr"], **band, group=r["band"]),
        )
        for r in c.health_bands
        if r["accounts"]
    ]
    chart_slide(
        T["health"],
        BarChart(
            categories=[r["label"] for r in c.health_bands if r["accounts"]],
            series={f"{T['arr']} ({cur})": [r["arr"] for r in c.health_bands if r["accounts"]]},
            number_format=money_fmt,
            data_labels=True,
            legend=False,
            value_title=T["arr_axis"].format(currency=cur),
            category_title=T["band_axis"],
        ),
        [*band_lines, moved],
        W["notes_health"].format(quarter=c.period_name, sentence="; ".join(band_lines) + ".", moved=moved),
    )
    # 7. NPS, on an axis fitted to the scores
    if c.nps:
        nps_lines = []
        for r in c.nps[-4:]:
            at = {"period": str(r["quarter"])}
            nps_lines.append(
                (
                    words.ngettext(
                        "{quarter}: {value} from {n} response, fewer than {threshold}",
                        "{quarter}: {value} from {n} responses, fewer than {threshold}",
                        int(r["responses"]),
                    )
                    if r["low_n"]
                    else words.ngettext(
                        "{quarter}: {value} from {n} response",
                        "{quarter}: {value} from {n} responses",
                        int(r["responses"]),
                    )
                ).format(
                    quarter=r["quarter_name"],
                    value=rec.show("nps", r["nps"], "decimal", **at),
                    n=number("nps_responses", r["responses"], **at),
                    threshold=LOW_N_THRESHOLD,
                )
            )
        low_n = any(r["low_n"] for r in c.nps)
        chart_slide(
            T["nps_trend"],
            LineChart(
                categories=[r["axis_label"] for r in c.nps],
                series={T["nps"]: [r["nps"] for r in c.nps]},
                number_format=NumberFormat("number", loc, cur),
                legend=False,
                value_range=c.nps_range,
                value_title=T["nps_axis"],
                category_title=quarter_axis,
            ),
            [takeaway("nps", ""), *nps_lines],
            W["notes_nps"].format(
                sentence=takeaway("nps", ""),
                low_n=" " + W["notes_low_n"].format(threshold=LOW_N_THRESHOLD) if low_n else "",
            ),
        )
    # 8. Churn reasons: lost MRR by reason as bars, the figures beside them
    if c.reasons:
        reason_lines = []
        for r in c.reasons:
            of_reason = {"dimension": "reason", "group": str(r["reason"])}
            line = (
                words.ngettext(
                    "{reason}: {lost} ({share}), {logos} account cancelled",
                    "{reason}: {lost} ({share}), {logos} accounts cancelled",
                    int(r["lost_logos"]),
                )
                if r["lost_logos"]
                else W["reason_line_none"]
            )
            reason_lines.append(
                line.format(
                    reason=r["reason_label"],
                    lost=money("lost_mrr", r["lost_mrr"], **of_reason),
                    share=pct("lost_mrr_share", r["share"], **of_reason),
                    logos=number("logos_churned_in_period", r["lost_logos"], **of_reason)
                    if r["lost_logos"]
                    else "",
                )
            )
        chart_slide(
            T["reasons"],
            BarChart(
                categories=[r["reason_label"] for r in c.reasons],
                series={T["lost_mrr"]: [r["lost_mrr"] for r in c.reasons]},
                number_format=money_fmt,
                legend=False,
                value_title=T["lost_axis"].format(currency=cur),
                category_title=T["reason_axis"],
            ),
            [c.reasons_lead, *reason_lines, W["reason_total"].format(lost=money("lost_mrr", c.lost_mrr))],
            W["notes_reasons"].format(quarter=c.period_name, sentence=c.reasons_lead),
        )
    # 9. Risks: every listed row, continued on as many slides as it needs
    rows = []
    for r in c.risks:
        where = _account(r, as_of)
        record_drivers(rec, r, as_of)
        rows.append(
            [
                r["name"],
                r["segment"],
                format_date(r["renewal_date"], loc),
                money("renewal_risk", r["arr"], **where),
                number("health_score", r["health_score"], **where),
                r["drivers"],
            ]
        )
    _table_slides(
        deck,
        W,
        f"{T['risks']} ({c.next_period_name})",
        [T["account"], T["segment"], T["renewal"], f"{T['arr']} ({cur})", T["health_score"], T["drivers"]],
        rows,
        [False, False, False, True, True, False],
        [22, 10, 12, 11, 7, 38],
        c.risk_summary,
        W["notes_risks"].format(
            quarter=c.next_period_name,
            sentence=c.risk_summary,
            largest=" ".join(
                W["notes_risk_row"].format(name=row[0], date=row[2], arr=row[3], drivers=row[5])
                for row in rows[:3]
            ),
        ),
    )
    # 10. Cost to retain: four figures and what they mean
    cost = c.cost
    s = deck.add_slide("KPI")
    _title(s, T["cost"])
    ctr_delta = cost["delta_simple"]
    tiles = [
        (W["kpi_cs_cost"].format(quarter=c.period_name), money("cs_cost", cost["cs_cost"]), ""),
        (
            T["ctr_long"],
            pct("cost_to_retain", cost["simple_cost_to_retain"]),
            W["vs_prev"].format(change=rec.show_delta("cost_to_retain_qoq_change", ctr_delta, "pp"))
            if ctr_delta == ctr_delta
            else "",
        ),
        (T["allocated"], pct("allocated_cost_to_retain", cost["allocated_cost_to_retain"]), ""),
        (T["roi_long"], rec.show("cs_roi", cost["cs_roi"], "ratio"), ""),
    ]
    for i, (label, value, detail) in enumerate(tiles):
        write_text(
            s,
            f"KPI {i + 1}",
            [Para(label, 13, colour=MUTED), Para(value, 28, bold=True, colour=HEADING), Para(detail, 12)],
            align="ctr",
            scales=DEEP_SHRINK_STEPS,
        )
    cost_sentences = c.cost_lead
    write_text(s, "Commentary", [Para(line, 18, bullet=True) for line in cost_sentences if line])
    s.notes = W["notes_cost"].format(sentences=" ".join(x for x in cost_sentences if x))
    # 11. Backtest
    if c.backtest:
        period = {"period": c.backtest_period, "dimension": "band"}
        lines = [
            words.ngettext(
                "{band}: {rate} churned ({churned} of {accounts} account)",
                "{band}: {rate} churned ({churned} of {accounts} accounts)",
                int(r["accounts"]),
            ).format(
                band=r["label"],
                rate=pct("health_backtest", r["churn_rate"], **period, group=r["band"]),
                churned=number("health_backtest_churned", r["churned"], **period, group=r["band"]),
                accounts=number("health_backtest_accounts", r["accounts"], **period, group=r["band"]),
            )
            for r in c.backtest
        ]
        chart_slide(
            T["backtest"],
            BarChart(
                categories=[r["label"] for r in c.backtest],
                series={T["churn_rate"]: [r["churn_rate"] for r in c.backtest]},
                number_format=pct_fmt,
                data_labels=True,
                legend=False,
                value_title=T["churn_rate_axis"],
                category_title=T["band_axis"],
            ),
            [c.auc_sentence, *lines],
            W["notes_backtest"].format(quarters=", ".join(c.backtest_quarters), sentence=c.auc_sentence),
        )
    # 12. Highlights / lowlights / asks
    s = deck.add_slide("Two Content")
    _title(s, T["hla"])
    left = [Para(T["highlights"], 18, bold=True, colour=HEADING)]
    left += [Para(line, SIDE_PT, bullet=True) for line in c.highlights or [T["none"]]]
    left += [Para(T["lowlights"], 18, bold=True, colour=HEADING)]
    left += [Para(line, SIDE_PT, bullet=True) for line in c.lowlights or [T["none"]]]
    write_text(s, "Left", left)
    right = [Para(T["asks"], 18, bold=True, colour=HEADING)]
    right += [Para(line, BODY_PT, bullet=True) for line in c.asks or [T["none"]]]
    write_text(s, "Right", right)
    s.notes = W["notes_hla"].format(
        high=" ".join(c.highlights) or T["none"],
        low=" ".join(c.lowlights) or T["none"],
        asks=" ".join(c.asks) or T["none"],
    )
    # 13. Definitions, continued on as many slides as they need
    definitions = [f"{d.label}: {d.text}" for d in c.definitions]
    content = deck.template.layout("Title and Content").placeholder("Content")
    _, _, width, height = content.box
    pages = _definition_pages(definitions, width - 2 * INSET_X, height - 2 * INSET_Y, content.font)
    for n, page in enumerate(pages, start=1):
        s = deck.add_slide("Title and Content")
        title = T["definitions"]
        if len(pages) > 1:
            title = W["continued"].format(title=title, page=n, pages=len(pages))
        _title(s, title)
        _lines(s, "Content", [definitions[i] for i in page], size=NOTE_PT)
        s.notes = W["notes_definitions"]

    data = deck.to_bytes(
        title=f"{T['title']} — {c.period_name}", author=brand.company_name, date=report_date(run)
    )
    return data, [*rec.figures, *c.bullet_figures]


def _account(row: dict[str, Any], as_of: str) -> dict[str, Any]:
    """The figure key of a risk row's per-account figures."""
    account = str(row["account_id"])
    return {"period": as_of, "dimension": "account", "group": account, "account_id": account}
