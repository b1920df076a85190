"""The digest's summary sentences, written from the numbers in English or Swedish.

Every figure in a sentence is one the context also prints in a table, so a
reader can check it; nothing here computes a metric.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from cs_calc.nps import LOW_N_THRESHOLD
from cs_calc.nps_digest import EmergingTopic, ResponseRate
from reports.render.formatting import format_delta, format_money, format_number, format_pct, format_pp


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def write_narrative(
    *,
    locale: str,
    moved_by: str,
    currency: str,
    period_name: str,
    previous_name: str,
    overall: dict[str, Any],
    previous: dict[str, Any],
    moved: pd.DataFrame,
    moved_total: Mapping[str, float],
    nps_change: float,
    themes: pd.DataFrame,
    emerging: Sequence[EmergingTopic],
    rate: ResponseRate,
    detractor_mrr: float,
    low_n_groups: Sequence[dict[str, Any]],
) -> list[str]:
    """Up to seven sentences: score, what moved it, themes, risk, emerging topics, reach, low n."""
    sv = locale == "sv"
    score = lambda v: format_number(v, locale, 1)  # noqa: E731
    points = lambda v: format_delta(v, "number", currency, locale, 1)  # noqa: E731
    pct = lambda v: format_pct(v, locale)  # noqa: E731
    money = lambda v: format_money(v, currency, locale)  # noqa: E731
    count = lambda v: format_number(v, locale)  # noqa: E731
    out: list[str] = []
    n = int(overall.get("responses") or 0)
    if n == 0 or _nan(overall.get("nps")):
        return [f"Inga enkätsvar under {period_name}." if sv else f"No survey responses in {period_name}."]
    mix = (pct(overall["promoter_share"]), pct(overall["passive_share"]), pct(overall["detractor_share"]))
    if sv:
        first = (
            f"NPS för {period_name} var {score(overall['nps'])} från {count(n)} svar ({mix[0]} promotorer, "
            f"{mix[1]} passiva, {mix[2]} kritiker)."
        )
    else:
        first = (
            f"NPS in {period_name} was {score(overall['nps'])} from {count(n)} responses ({mix[0]} promoters, "
            f"{mix[1]} passives, {mix[2]} detractors)."
        )
    prev_nps = previous.get("nps")
    if not _nan(prev_nps):
        change = nps_change
        if sv:
            first += f" Det är {points(change)} poäng mot {score(prev_nps)} under {previous_name}."
        else:
            direction = "up" if change > 0 else "down" if change < 0 else "unchanged,"
            size = f" {format_number(abs(change), locale, 1)} points" if change else ""
            first += f" That is {direction}{size} from {score(prev_nps)} in {previous_name}."
    out.append(first)

    if not _nan(prev_nps) and len(moved) > 1:
        biggest = moved.loc[moved["contribution"].abs().idxmax()]
        score_effect, mix_effect = moved_total["score_effect"], moved_total["mix_effect"]
        if sv:
            out.append(
                f"Förändrade betyg inom varje {moved_by} står för {points(score_effect)} poäng och förändrad "
                f"mix av {moved_by} bland de svarande för {points(mix_effect)}; {biggest['group']} flyttade "
                f"poängen mest ({points(biggest['contribution'])} poäng, dess NPS från "
                f"{score(biggest['nps_previous'])} till {score(biggest['nps_current'])})."
            )
        else:
            out.append(
                f"Changes in how each {moved_by} scored account for {points(score_effect)} points and the mix "
                f"of {moved_by}s answering for {points(mix_effect)}; {biggest['group']} moved the score most "
                f"({points(biggest['contribution'])} points, its NPS going from "
                f"{score(biggest['nps_previous'])} to {score(biggest['nps_current'])})."
            )

    named = themes[themes["mentions"] > 0]
    moving = named.dropna(subset=["detractor_change"]).sort_values(
        ["detractor_change", "theme"], kind="stable"
    )
    if len(moving):
        up, down = moving.iloc[-1], moving.iloc[0]
        parts = []
        if up["detractor_change"] > 0:
            parts.append(
                (
                    f"{up['label']} nämns oftare ({format_pp(up['detractor_change'], locale)}, nu "
                    f"{pct(up['detractors_share'])} av kritikernas kommentarer)"
                )
                if sv
                else (
                    f"{up['label']} is named more often ({format_pp(up['detractor_change'], locale)}, now "
                    f"{pct(up['detractors_share'])} of detractor comments)"
                )
            )
        if down["detractor_change"] < 0:
            parts.append(
                f"{down['label']} mer sällan ({format_pp(down['detractor_change'], locale)})"
                if sv
                else f"{down['label']} less often ({format_pp(down['detractor_change'], locale)})"
            )
        if parts:
            lead = "Bland kritikerna " if sv else "Among detractors, "
            out.append(lead + (" och " if sv else " and ").join(parts) + ".")

    if len(named):
        top = named.sort_values(["mentions", "theme"], ascending=[False, True], kind="stable").iloc[0]
        risk = named.sort_values(["mrr_at_risk", "theme"], ascending=[False, True], kind="stable").iloc[0]
        if sv:
            sentence = (
                f"{top['label']} är det vanligaste temat ({pct(top['share_current'])} av kommentarerna)"
            )
            if risk["mrr_at_risk"] > 0:
                sentence += (
                    f"; kritiker som nämner {risk['label'].lower()} står för {money(risk['mrr_at_risk'])} i MRR, "
                    f"mest av alla teman (av {money(detractor_mrr)} hos alla kritiker)"
                )
        else:
            sentence = f"{top['label']} is the most-mentioned theme ({pct(top['share_current'])} of comments)"
            if risk["mrr_at_risk"] > 0:
                sentence += (
                    f"; detractors naming {risk['label'].lower()} hold {money(risk['mrr_at_risk'])} of MRR, "
                    f"the most of any theme (of {money(detractor_mrr)} across all detractors)"
                )
        out.append(sentence + ".")

    if emerging:
        topic = emerging[0]
        phrase = topic.phrases[0] if topic.phrases else ""
        share = pct(topic.share_current)
        if sv:
            out.append(
                f"{len(emerging)} ämnen som taxonomin inte nämner har vuxit fram (nya mot året innan eller "
                f"växande mot förra kvartalet); störst är ”{phrase}” ({count(topic.comments)} kommentarer, {share})."
            )
        else:
            out.append(
                f"{len(emerging)} topics the taxonomy does not name have emerged (new against the year before "
                f"or growing against last quarter); the largest is “{phrase}” ({count(topic.comments)} comments, {share})."
            )

    if rate.active_contacts:
        out.append(
            f"{count(rate.responding_contacts)} av {count(rate.active_contacts)} aktiva kontakter svarade "
            f"({pct(rate.rate)})."
            if sv
            else f"{count(rate.responding_contacts)} of {count(rate.active_contacts)} active contacts answered "
            f"({pct(rate.rate)})."
        )

    if low_n_groups:
        names = "; ".join(f"{g['label']}, n = {g['responses']}" for g in low_n_groups[:4])
        more = len(low_n_groups) - 4
        extra = (f" och {more} till" if sv else f" and {more} more") if more > 0 else ""
        out.append(
            f"Få svar (under {LOW_N_THRESHOLD}): {names}{extra}. Läs deras NPS med försiktighet."
            if sv
            else f"Low n (under {LOW_N_THRESHOLD} responses): {names}{extra}. Read their NPS with care."
        )
    return out
