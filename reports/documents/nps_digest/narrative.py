"""The digest's summary sentences, written from the numbers in the document's language.

Each sentence is one message of the catalogue with named placeholders (so a
language can order the words its own way); counts go through ``ngettext``.

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
from reports.render.catalogue import N_, translations
from reports.render.formatting import format_delta, format_money, format_number, format_pct, format_pp


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


MOVED_SENTENCES: dict[str, str] = {
    "segment": N_(
        "Changes in how each segment scored account for {score_effect} points and the mix of segments "
        "answering for {mix_effect}; {group} moved the score most ({contribution} points, its NPS going "
        "from {before} to {after})."
    ),
    "region": N_(
        "Changes in how each region scored account for {score_effect} points and the mix of regions "
        "answering for {mix_effect}; {group} moved the score most ({contribution} points, its NPS going "
        "from {before} to {after})."
    ),
}
"""The what-moved sentence per dimension the change is split by (``NpsDigestMetrics.moved_by``)."""


UP_SENTENCE = N_("That is up {change} points from {previous} in {previous_period}.")
DOWN_SENTENCE = N_("That is down {change} points from {previous} in {previous_period}.")
UNCHANGED_SENTENCE = N_("That is unchanged, from {previous} in {previous_period}.")
"""The comparison with the previous quarter: ``{change}`` is the size of the change (unsigned),
``{signed_change}`` the same with its sign; a translation uses either."""


def prints_unsigned_change(locale: str) -> bool:
    """Whether the comparison sentence in ``locale`` prints the change unsigned (``{change}``)."""
    words = translations(locale)
    return any("{change}" in words.gettext(message) for message in (UP_SENTENCE, DOWN_SENTENCE))


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
    """Up to seven sentences: score, what moved it, themes, risk, emerging topics, reach, low n.

    ``moved_by`` is the dimension the change is split by: ``segment`` or ``region``.
    """
    words = translations(locale)
    score = lambda v: format_number(v, locale, 1)  # noqa: E731
    points = lambda v: format_delta(v, "number", currency, locale, 1)  # noqa: E731
    pct = lambda v: format_pct(v, locale)  # noqa: E731
    money = lambda v: format_money(v, currency, locale)  # noqa: E731
    count = lambda v: format_number(v, locale)  # noqa: E731
    out: list[str] = []
    n = int(overall.get("responses") or 0)
    if n == 0 or _nan(overall.get("nps")):
        return [words.gettext("No survey responses in {period}.").format(period=period_name)]
    first = words.ngettext(
        "NPS in {period} was {nps} from {count} response ({promoters} promoters, {passives} passives, "
        "{detractors} detractors).",
        "NPS in {period} was {nps} from {count} responses ({promoters} promoters, {passives} passives, "
        "{detractors} detractors).",
        n,
    ).format(
        period=period_name,
        nps=score(overall["nps"]),
        count=count(n),
        promoters=pct(overall["promoter_share"]),
        passives=pct(overall["passive_share"]),
        detractors=pct(overall["detractor_share"]),
    )
    prev_nps = previous.get("nps")
    if not _nan(prev_nps):
        change = nps_change
        sentence = UP_SENTENCE if change > 0 else DOWN_SENTENCE if change < 0 else UNCHANGED_SENTENCE
        compared = words.gettext(sentence)
        first += " " + compared.format(
            change=format_number(abs(change), locale, 1),
            signed_change=points(change),
            previous=score(prev_nps),
            previous_period=previous_name,
        )
    out.append(first)

    if not _nan(prev_nps) and len(moved) > 1 and moved_by in MOVED_SENTENCES:
        biggest = moved.loc[moved["contribution"].abs().idxmax()]
        out.append(
            words.gettext(MOVED_SENTENCES[moved_by]).format(
                score_effect=points(moved_total["score_effect"]),
                mix_effect=points(moved_total["mix_effect"]),
                group=biggest["group"],
                contribution=points(biggest["contribution"]),
                before=score(biggest["nps_previous"]),
                after=score(biggest["nps_current"]),
            )
        )

    named = themes[themes["mentions"] > 0]
    moving = named.dropna(subset=["detractor_change"]).sort_values(
        ["detractor_change", "theme"], kind="stable"
    )
    if len(moving):
        up, down = moving.iloc[-1], moving.iloc[0]
        rising, falling = up["detractor_change"] > 0, down["detractor_change"] < 0
        among = None
        if rising and falling:
            among = words.gettext(
                "Among detractors, {up} is named more often ({up_change}, now {up_share} of detractor "
                "comments) and {down} less often ({down_change})."
            )
        elif rising:
            among = words.gettext(
                "Among detractors, {up} is named more often ({up_change}, now {up_share} of detractor comments)."
            )
        elif falling:
            among = words.gettext("Among detractors, {down} less often ({down_change}).")
        if among:
            out.append(
                among.format(
                    up=up["label"],
                    up_change=format_pp(up["detractor_change"], locale),
                    up_share=pct(up["detractors_share"]),
                    down=down["label"],
                    down_change=format_pp(down["detractor_change"], locale),
                )
            )

    if len(named):
        top = named.sort_values(["mentions", "theme"], ascending=[False, True], kind="stable").iloc[0]
        risk = named.sort_values(["mrr_at_risk", "theme"], ascending=[False, True], kind="stable").iloc[0]
        if risk["mrr_at_risk"] > 0:
            # {risk_theme} is the theme's name as printed elsewhere, {risk_theme_lowercase} in lower case.
            sentence = words.gettext(
                "{theme} is the most-mentioned theme ({share} of comments); detractors naming "
                "{risk_theme_lowercase} hold {risk_mrr} of MRR, the most of any theme (of {detractor_mrr} "
                "across all detractors)."
            )
        else:
            sentence = words.gettext("{theme} is the most-mentioned theme ({share} of comments).")
        out.append(
            sentence.format(
                theme=top["label"],
                share=pct(top["share_current"]),
                risk_theme=risk["label"],
                risk_theme_lowercase=risk["label"].lower(),
                risk_mrr=money(risk["mrr_at_risk"]),
                detractor_mrr=money(detractor_mrr),
            )
        )

    if emerging:
        topic = max(emerging, key=lambda t: t.comments)  # stable: the first of the largest
        out.append(
            words.ngettext(
                "{count} topic the taxonomy does not name has emerged (new this quarter or growing "
                "against last quarter): “{phrase}” ({comments}, {share}).",
                "{count} topics the taxonomy does not name have emerged (new this quarter or growing "
                "against last quarter); the largest is “{phrase}” ({comments}, {share}).",
                len(emerging),
            ).format(
                count=count(len(emerging)),
                phrase=topic.label,
                comments=words.ngettext("{count} comment", "{count} comments", int(topic.comments)).format(
                    count=count(topic.comments)
                ),
                share=pct(topic.share_current),
            )
        )

    if rate.active_contacts:
        out.append(
            words.ngettext(
                "{responding} of {count} active contact answered ({rate}).",
                "{responding} of {count} active contacts answered ({rate}).",
                int(rate.active_contacts),
            ).format(
                responding=count(rate.responding_contacts),
                count=count(rate.active_contacts),
                rate=pct(rate.rate),
            )
        )

    if low_n_groups:
        names = "; ".join(f"{g['label']}, n = {g['responses']}" for g in low_n_groups[:4])
        more = len(low_n_groups) - 4
        if more > 0:
            low = words.ngettext(
                "Low n (under {threshold} responses): {groups} and {count} more. Read their NPS with care.",
                "Low n (under {threshold} responses): {groups} and {count} more. Read their NPS with care.",
                more,
            )
        else:
            low = words.gettext("Low n (under {threshold} responses): {groups}. Read their NPS with care.")
        out.append(low.format(threshold=LOW_N_THRESHOLD, groups=names, count=count(more)))
    return out
