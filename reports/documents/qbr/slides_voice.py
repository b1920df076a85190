"""Voice of the customer: NPS over time and the latest comments, attributed by role."""

from __future__ import annotations

import math

import pandas as pd

from cs_calc.account_activity import ThemeMentions
from cs_calc.account_facts import Comment
from reports.documents.qbr.comment_themes import theme_label
from reports.documents.qbr.context_types import ChartData, Slide
from reports.documents.qbr.deck_inputs import DeckInputs
from reports.documents.qbr.wording import text
from reports.render.catalogue import language_of

THEMES_SHOWN = 3
"""At most this many comment themes are named on the slide."""


def _newest_first(comments: list[Comment]) -> list[Comment]:
    """By response time, newest first, then by response id; missing ids last, ties in table order."""
    by_id = sorted(
        comments, key=lambda c: (pd.isna(c.response_id), "" if pd.isna(c.response_id) else c.response_id)
    )
    return sorted(by_id, key=lambda c: c.responded_at, reverse=True)


def _theme_item(deck: DeckInputs, mention: ThemeMentions, where: str) -> str:
    labels = deck.data.theme_labels.get(mention.theme, {})
    count = deck.words.pl("theme_mentions", mention.mentions, n=deck.words.count(mention.mentions))
    return deck.p(
        "theme_item",
        theme=text(theme_label(labels, mention.theme, language_of(deck.locale))),
        count=deck.figure(
            where,
            "recent_theme_mentions",
            mention.mentions,
            count,
            period=deck.as_of_period,
            dimension="theme",
            group=mention.theme,
        ),
        tone=deck.words.pl(f"tone_{mention.tone}", mention.mentions),
    )


def themes_sentence(deck: DeckInputs, where: str) -> str:
    """The themes the account's recent comments name most, with counts and tone; "" when none."""
    top = deck.facts.top_themes(THEMES_SHOWN)
    if not top:
        return ""
    return deck.p("themes_sentence", themes="; ".join(_theme_item(deck, m, where) for m in top))


def nps_axis(values: tuple[float | None, ...]) -> tuple[float, float]:
    """The NPS chart's value axis: the points' range padded by 10, always including 0, rounded out
    to tens (to twenties when it spans more than 100, so the gridlines fall on round numbers) and
    never beyond the scale's -100 … 100; a fixed -100 … 100 axis would flatten the line.

    >>> nps_axis((100.0, 25.0, 0.0, None, 50.0)), nps_axis((-35.0, 12.0)), nps_axis((None,))
    ((-20.0, 100.0), (-50.0, 30.0), (-10.0, 10.0))
    """
    shown = [v for v in values if v is not None]
    low, high = min(min(shown, default=0.0), 0.0) - 10, max(max(shown, default=0.0), 0.0) + 10
    step = 20 if high - low > 100 else 10
    bottom = max(-100.0, math.floor(low / step) * float(step))
    top = min(100.0, math.ceil(high / step) * float(step))
    return bottom, top


def voc_slide(deck: DeckInputs) -> Slide | None:
    """NPS per quarter (a chart from two quarters with responses), the themes the comments of the
    last ``verbatim_days`` name most and up to ``verbatims`` of those comments; None when there is
    neither a response nor a comment."""
    w, facts, t = deck.words, deck.facts, deck.t
    history = facts.nps_history
    recent = facts.comments
    answered = [point for point in history if point.responses > 0]
    if not recent and not answered:
        return None
    commented = _newest_first([c for c in recent if text(c.comment)])
    roles = {c.contact_id: c.role for c in facts.contacts}
    verbatims = []
    for row in commented[: t.verbatims]:
        role = text(roles.get(row.contact_id)) if row.contact_id in roles else ""
        verbatims.append(
            deck.p("verbatim", comment=text(row.comment), role=role or "–", date=w.month(row.responded_at))
        )
    current = history[-1]
    where = "voice_of_customer.side" if len(answered) >= 2 else "voice_of_customer.bullets"
    nps_text = (
        w.pl(
            "nps_latest",
            current.responses,
            quarter=deck.quarter,
            nps=deck.figure(where, "nps", current.nps, w.number(current.nps, 0), period=current.label),
            n=deck.figure(
                where, "nps_responses", current.responses, w.count(current.responses), period=current.label
            ),
        )
        if current.responses > 0
        else deck.p("nps_none")
    )
    themes_text = themes_sentence(deck, where)
    side = (nps_text, *([themes_text] if themes_text else []), *(verbatims or [deck.p("no_verbatims")]))
    chart = None
    if len(answered) >= 2:
        few = [0 < point.responses < t.nps_min_responses for point in history]
        labels = tuple(
            deck.p("nps_low_n_mark", quarter=w.quarter(point.label)) if low else w.quarter(point.label)
            for point, low in zip(history, few, strict=True)
        )
        values = tuple(None if v.nps != v.nps else round(float(v.nps), 1) for v in history)
        chart = ChartData(
            kind="line",
            categories=labels,
            series={deck.p("series_nps"): values},
            description=deck.p("chart_nps_alt", first=labels[0], last=labels[-1]),
            value_range=nps_axis(values),
            value_title=deck.p("axis_nps"),
            category_title=deck.p("axis_quarter"),
            note=deck.p("nps_low_n_note") if any(few) else "",
        )
    return Slide(
        key="voice_of_customer",
        title=deck.p("voice_of_customer"),
        chart=chart,
        side=side if chart is not None else (),
        bullets=() if chart is not None else side,
        notes=(
            deck.p("n_voc_themes", nps=nps_text, themes=themes_text, verbatims=" ".join(verbatims[:1]))
            if themes_text
            else deck.p("n_voc", nps=nps_text, verbatims=" ".join(verbatims[:1]))
        ),
    )
