"""The words of a QBR deck, its leave-behind and follow-up email, in the message catalogue.

Every message is English text with named ``{placeholders}``, marked for Babel's
extraction with the context ``qbr`` (``NP_``, plural ones ``NNP_``) and kept
in a table by key; :func:`phrase` looks a key up in ``locale``'s catalogue
(``reports/locale/<locale>/LC_MESSAGES/csreports.po``) with ``pgettext`` and
fills the placeholders after the lookup, :func:`plural_phrase` with ``npgettext``
for a count, so each language chooses its own word order and plural forms.
"""

from __future__ import annotations

import math
import re
from typing import Any

from reports.render.catalogue import NNP_, NP_, translations
from reports.render.formatting import is_missing

CONTEXT = "qbr"
"""The ``msgctxt`` of every QBR message: its words are not the weekly email's or the leadership documents'."""

_MESSAGES: dict[str, str] = {
    "agenda": NP_("qbr", "Agenda"),
    "executive_summary": NP_("qbr", "Executive summary"),
    "goals_review": NP_("qbr", "Last quarter's goals"),
    "success_plan": NP_("qbr", "Success plan progress"),
    "adoption": NP_("qbr", "Adoption and value"),
    "support": NP_("qbr", "Support"),
    "voice_of_customer": NP_("qbr", "Voice of the customer"),
    "stakeholders": NP_("qbr", "Stakeholders"),
    "risks_opportunities": NP_("qbr", "Risks and opportunities (internal)"),
    "next_steps": NP_("qbr", "Recommendations and next steps"),
    "appendix": NP_("qbr", "Appendix: definitions and data"),
    "subtitle": NP_("qbr", "Quarterly business review · {quarter}"),
    "prepared_by": NP_("qbr", "Prepared by {csm} · {date}"),
    "internal_banner": NP_("qbr", "INTERNAL: not for the customer"),
    "continued": NP_("qbr", "{title} ({page}/{pages})"),
    "kpi_arr": NP_("qbr", "ARR"),
    "kpi_arr_detail": NP_("qbr", "MRR {mrr} · {change} QoQ"),
    "kpi_arr_detail_new": NP_("qbr", "MRR {mrr}"),
    "kpi_users": NP_("qbr", "Active users, average"),
    "kpi_users_detail": NP_("qbr", "{change} vs last quarter"),
    "kpi_users_detail_new": NP_("qbr", "no earlier quarter to compare"),
    "kpi_renewal": NP_("qbr", "Renewal"),
    "kpi_renewal_detail": NP_("qbr", "in {days} days"),
    "kpi_renewal_none": NP_("qbr", "No renewal date"),
    "kpi_nps": NP_("qbr", "NPS, last 12 months"),
    "kpi_nps_too_few": NP_("qbr", "Too few responses ({n})"),
    "kpi_health": NP_("qbr", "Health score"),
    "kpi_health_detail": NP_("qbr", "{band}, {trend}; on {date}"),
    "band_green": NP_("qbr", "green"),
    "band_yellow": NP_("qbr", "yellow"),
    "band_red": NP_("qbr", "red"),
    "band_unknown": NP_("qbr", "unknown"),
    "trend_improving": NP_("qbr", "improving"),
    "trend_declining": NP_("qbr", "declining"),
    "trend_stable": NP_("qbr", "stable"),
    "trend_new": NP_("qbr", "new"),
    "status_achieved": NP_("qbr", "Met"),
    "status_missed": NP_("qbr", "Missed"),
    "status_on_track": NP_("qbr", "On track"),
    "status_at_risk": NP_("qbr", "Needs attention"),
    "status_off_track": NP_("qbr", "Off track"),
    "yes": NP_("qbr", "Yes"),
    "left_on": NP_("qbr", "Left {date}"),
    "active": NP_("qbr", "Active"),
    "col_goal": NP_("qbr", "Goal"),
    "col_kpi": NP_("qbr", "KPI"),
    "col_baseline": NP_("qbr", "Baseline"),
    "col_target": NP_("qbr", "Target"),
    "col_current": NP_("qbr", "Current"),
    "col_result": NP_("qbr", "Result"),
    "col_status": NP_("qbr", "Status"),
    "col_due": NP_("qbr", "Due"),
    "col_name": NP_("qbr", "Name"),
    "col_role": NP_("qbr", "Role"),
    "col_champion": NP_("qbr", "Champion"),
    "col_power_user": NP_("qbr", "Power user"),
    "col_buyer": NP_("qbr", "Economic buyer"),
    "col_action": NP_("qbr", "Action"),
    "col_owner": NP_("qbr", "Owner"),
    "goals_sentence": NP_("qbr", "{met} of {total} goals due this quarter were met."),
    "tickets_sentence_a_p0": NP_("qbr", "{tickets} support ticket this quarter, a P0."),
    "no_tickets": NP_("qbr", "No support tickets this quarter."),
    "health_sentence": NP_("qbr", "Health {score} ({band}, {trend}), driven by: {drivers}."),
    "seat_util": NP_("qbr", "Seat utilisation: {value} ({users} of {seats} seats)."),
    "feature_change": NP_("qbr", "Key feature events: {value} this quarter, {change} vs last quarter."),
    "feature_change_new": NP_("qbr", "Key feature events: {value} this quarter."),
    "value_delivered": NP_("qbr", "{kpi}: {current} vs baseline {baseline} ({change})."),
    "median_resolve": NP_("qbr", "Median time to resolve: {hours} h."),
    "csat_none": NP_("qbr", "No CSAT ratings this quarter."),
    "nps_none": NP_("qbr", "No NPS responses this quarter."),
    "verbatim": NP_("qbr", "“{comment}” ({role}, {date})"),
    "no_verbatims": NP_("qbr", "No comments in the last 12 months."),
    "themes_sentence": NP_("qbr", "Themes in comments: {themes}."),
    "theme_item": NP_("qbr", "{theme} ({count}, {tone})"),
    "tone_mixed": NP_("qbr", "mixed"),
    "coverage": NP_("qbr", "Champion: {champion} · Power user: {power} · Economic buyer: {buyer}"),
    "covered": NP_("qbr", "covered"),
    "not_covered": NP_("qbr", "not covered"),
    "who_left": NP_("qbr", "{name} ({role}) left on {date}."),
    "more_rows": NP_("qbr", "… and {n} more"),
    "more_items": NP_("qbr", "and {n} more"),
    "risks": NP_("qbr", "Risks"),
    "opportunities": NP_("qbr", "Opportunities"),
    "no_risks": NP_("qbr", "No risk alerts this quarter."),
    "no_opportunities": NP_("qbr", "No upsell signals this quarter."),
    "series_users": NP_("qbr", "Active users"),
    "series_events": NP_("qbr", "Key feature events"),
    "series_nps": NP_("qbr", "NPS"),
    "chart_adoption_alt": NP_(
        "qbr", "Key feature events (bars) and active users (line) per month, {first} to {last}."
    ),
    "chart_support_alt": NP_("qbr", "Support tickets per month by priority, {first} to {last}."),
    "chart_nps_alt": NP_("qbr", "NPS per quarter, {first} to {last}."),
    "provenance": NP_(
        "qbr", "Data period: {period} · Source: {source} · Definitions: {version} · Inputs hash: {hash}"
    ),
    "generated": NP_("qbr", "Generated {date} by csreports."),
    "signal_champion_left": NP_("qbr", "Champion left in the last 90 days."),
    "signal_power_user_left": NP_("qbr", "A power user left in the last 90 days."),
    "signal_usage_drop": NP_("qbr", "Active users fell {value} vs the previous period."),
    "signal_detractor": NP_("qbr", "Detractor NPS response (lowest score {value})."),
    "signal_renewal_risk": NP_("qbr", "Renewal in {value} days while health is not green."),
    "signal_seats_full": NP_("qbr", "Seat utilisation at {value}: licence limit near."),
    "signal_usage_growth": NP_("qbr", "Active users grew {value}: room to expand."),
    "signal_promoter": NP_("qbr", "Promoter NPS response (score {value}): ask for a reference."),
    "step_recover": NP_("qbr", "Agree a recovery plan for “{objective}”"),
    "step_reset": NP_("qbr", "Re-set the target for “{objective}”"),
    "step_licences": NP_("qbr", "Review licence needs (seat utilisation {value})"),
    "step_enable": NP_("qbr", "Run an enablement session to lift adoption (seat utilisation {value})"),
    "step_renewal": NP_("qbr", "Start renewal planning (renews {date})"),
    "step_champion": NP_("qbr", "Identify a new champion"),
    "team": NP_("qbr", "Your team"),
    "col_engagement": NP_("qbr", "Engagement"),
    "eng_sponsor": NP_("qbr", "Executive sponsor"),
    "eng_contact": NP_("qbr", "Day-to-day contact"),
    "eng_key_user": NP_("qbr", "Key user"),
    "eng_team": NP_("qbr", "Team member"),
    "n_team": NP_("qbr", "Your team this quarter: {names}."),
    "step_contact": NP_("qbr", "Agree who leads the rollout day to day"),
    "generated_on": NP_("qbr", "Prepared {date}."),
    "step_goals": NP_("qbr", "Agree next quarter's goals and success criteria"),
    "step_next_qbr": NP_("qbr", "Next business review"),
    "owner_joint": NP_("qbr", "Joint"),
    "owner_customer": NP_("qbr", "Customer sponsor"),
    "prep_notes": NP_("qbr", "CSM prep notes"),
    "n_title": NP_("qbr", "Welcome and introductions. This review covers {quarter} for {name}."),
    "n_agenda": NP_("qbr", "Today we cover: {items}."),
    "n_summary": NP_("qbr", "{mrr} {users} {renewal}"),
    "n_goals": NP_("qbr", "{goals}{missed}"),
    "n_goals_missed": NP_("qbr", " Missed: {items}."),
    "n_adoption": NP_("qbr", "Average active users {users_phrase} QoQ to {users}. {seats}"),
    "n_adoption_new": NP_("qbr", "Average active users: {users}. {seats}"),
    "n_support": NP_("qbr", "{tickets} Median time to resolve was {hours} hours."),
    "n_voc": NP_("qbr", "{nps} {verbatims}"),
    "n_voc_themes": NP_("qbr", "{nps} {themes} {verbatims}"),
    "n_stakeholders": NP_("qbr", "{coverage}. {left}"),
    "n_risks": NP_("qbr", "Internal only. {risks} {opportunities}"),
    "n_next": NP_("qbr", "Proposed next steps: {items}. Agree owners and dates before closing."),
    "n_appendix": NP_("qbr", "Definitions and data provenance, for reference."),
    "headline_users_fell": NP_("qbr", "Active users fell {change}"),
    "headline_users_rose": NP_("qbr", "Active users rose {change}"),
    "headline_users_held": NP_("qbr", "Active users held steady"),
    "headline_goals": NP_("qbr", "{met} of {total} goals met"),
    "headline_goals_all": NP_("qbr", "all {total} goals met"),
    "headline_goals_none": NP_("qbr", "none of the {total} goals met"),
    "headline_goal_met": NP_("qbr", "the quarter's goal met"),
    "headline_goal_missed": NP_("qbr", "the quarter's goal missed"),
    "headline_users_goals": NP_("qbr", "{users}; {goals}"),
    "headline_users_quarter": NP_("qbr", "{users} in {quarter}"),
    "headline_goals_quarter": NP_("qbr", "{quarter}: {goals}"),
    "take_arr_up": NP_(
        "qbr", "Your subscription grew {change} to {arr} a year: more of your work now runs on it."
    ),
    "take_arr_down": NP_(
        "qbr", "Your subscription is {change} lower at {arr} a year; let's check it still fits your plans."
    ),
    "take_arr_flat": NP_(
        "qbr", "Your subscription held at {arr} a year, with no change to your plan this quarter."
    ),
    "take_arr_new": NP_(
        "qbr", "Your subscription is {arr} a year; this is the first quarter we can report on."
    ),
    "take_users_fell": NP_("qbr", "Active users fell {change} to {users} a month; {action}"),
    "take_users_rose": NP_("qbr", "Active users rose {change} to {users} a month; {action}"),
    "take_users_held": NP_("qbr", "Active users held steady at {users} a month; {action}"),
    "take_users_new": NP_("qbr", "{users} active users a month on average; {action}"),
    "take_users_do_enable": NP_(
        "qbr", "with {seats} of seats in use, a short enablement session can bring teams back."
    ),
    "take_users_do_full": NP_("qbr", "with {seats} of seats in use, it is time to review licence needs."),
    "take_users_do_keep": NP_("qbr", "with {seats} of seats in use, adoption is on course."),
    "take_users_do_none": NP_("qbr", "we will track adoption month by month."),
    "take_renewal_soon": NP_(
        "qbr", "Your renewal is on {date}, in {days} days: let's start planning it together now."
    ),
    "take_renewal_later": NP_(
        "qbr", "Your renewal is on {date}, in {days} days: nothing to decide this quarter."
    ),
    "take_renewal_none": NP_("qbr", "No renewal date is set yet; let's confirm your contract dates."),
    "take_nps_zero": NP_(
        "qbr", "No survey responses over the last 12 months: your team's feedback would help us."
    ),
    "take_nps_good": NP_(
        "qbr",
        "NPS is {nps} from {n} responses: more of your team recommend us than not; we follow up on every comment.",
    ),
    "take_nps_low": NP_(
        "qbr", "NPS is {nps} from {n} responses: we will follow up on the comments to see what to fix."
    ),
    "goals_and_plan": NP_("qbr", "Goals and success plan"),
    "team_and_steps": NP_("qbr", "Your team and next steps"),
    "team_lead_both": NP_("qbr", "{sponsor} sponsors the programme and {contact} leads it day to day."),
    "team_lead_sponsor": NP_(
        "qbr", "{sponsor} sponsors the programme; let's agree who leads the rollout day to day."
    ),
    "team_lead_contact": NP_(
        "qbr", "{contact} leads the rollout day to day; an executive sponsor would help set priorities."
    ),
    "team_lead_none": NP_("qbr", "Let's agree who sponsors the programme and who leads it day to day."),
    "signals_and_steps": NP_("qbr", "Risks, opportunities and next steps (internal)"),
    "next_steps_lead": NP_(
        "qbr", "What we propose for next quarter; let's confirm owners and dates before we close."
    ),
    "nps_low_n_mark": NP_("qbr", "{quarter}*"),
    "nps_low_n_note": NP_("qbr", "* Too few responses that quarter for a reliable score."),
    "axis_events": NP_("qbr", "Key feature events"),
    "axis_users": NP_("qbr", "Active users"),
    "axis_tickets": NP_("qbr", "Tickets"),
    "axis_nps": NP_("qbr", "NPS"),
    "axis_month": NP_("qbr", "Month"),
    "axis_quarter": NP_("qbr", "Quarter"),
    "rose": NP_("qbr", "rose {pct}"),
    "fell": NP_("qbr", "fell {pct}"),
    "held": NP_("qbr", "held steady"),
    "unchanged": NP_("qbr", "unchanged"),
    # the follow-up email; a step sentence has {action} with its first word lower-cased and
    # {action_as_listed} as the deck's table lists it (for languages that capitalise nouns)
    "followup_subject": NP_("qbr", "Follow-up: our {quarter} business review"),
    "followup_hello": NP_("qbr", "Hello {names},"),
    "followup_hello_nobody": NP_("qbr", "Hello,"),
    "followup_and": NP_("qbr", "and"),
    "followup_thanks": NP_("qbr", "Thank you for the business review. These are the next steps we agreed:"),
    "followup_step": NP_("qbr", "{owner}: {action} by {due}."),
    "followup_together": NP_("qbr", "Together: {action} by {due}."),
    "followup_none": NP_("qbr", "We will confirm the next steps together shortly."),
    "followup_reference": NP_(
        "qbr", "You have had a strong quarter with us. Would you be open to being a reference customer?"
    ),
    "followup_upsell": NP_("qbr", "We also noticed: {signal} Happy to talk about options."),
    "followup_bye": NP_("qbr", "Best regards,"),
    "followup_more": NP_("qbr", "… and {n} more in the success plan"),
    "delivery_subject": NP_("qbr", "{account}: your {quarter} business review"),
    "delivery_intro": NP_(
        "qbr", "Thank you for another quarter together. Attached is your business review for {quarter}."
    ),
    "delivery_highlights": NP_("qbr", "A few highlights from the quarter:"),
    "delivery_users": NP_("qbr", "Active users, on average: {value} ({change} vs last quarter)."),
    "delivery_users_new": NP_("qbr", "Active users, on average: {value}."),
    "delivery_nps": NP_("qbr", "NPS over the last 12 months: {value}."),
    "delivery_doc_leave_behind": NP_("qbr", "The summary (PDF)"),
    "delivery_doc_deck": NP_("qbr", "The presentation (PowerPoint)"),
    "delivery_too_large": NP_(
        "qbr",
        "{document}, {size} MB, is too large to attach: reply to this e-mail and I will send it another way.",
    ),
    "delivery_reply": NP_("qbr", "Questions or ideas? Just reply to this e-mail."),
    # the leave-behind's provenance block (internal) and its PDF's subject
    "label_period": NP_("qbr", "Data period"),
    "label_source": NP_("qbr", "Data source"),
    "label_definitions": NP_("qbr", "Definitions version"),
    "label_hash": NP_("qbr", "Inputs hash"),
    "pdf_subject": NP_("qbr", "Quarterly business review"),
}
"""Key -> the English message (``msgctxt`` :data:`CONTEXT`), translated with ``pgettext`` where printed."""

_PLURALS: dict[str, tuple[str, str]] = {
    "kpi_nps_detail": NNP_("qbr", "{n} response", "{n} responses"),
    "goals_all": NNP_(
        "qbr", "The one goal due this quarter was met.", "All {total} goals due this quarter were met."
    ),
    "goals_none": NNP_(
        "qbr",
        "The one goal due this quarter was not met.",
        "None of the {total} goals due this quarter were met.",
    ),
    "tickets_sentence": NNP_(
        "qbr",
        "{tickets} support ticket this quarter, {p0} of them P0.",
        "{tickets} support tickets this quarter, {p0} of them P0.",
    ),
    "tickets_sentence_no_p0": NNP_(
        "qbr",
        "{tickets} support ticket this quarter, not a P0.",
        "{tickets} support tickets this quarter, none of them P0.",
    ),
    "csat": NNP_("qbr", "CSAT: {csat} / 5 ({n} rating).", "CSAT: {csat} / 5 ({n} ratings)."),
    "nps_latest": NNP_(
        "qbr", "NPS in {quarter}: {nps} ({n} response).", "NPS in {quarter}: {nps} ({n} responses)."
    ),
    "theme_mentions": NNP_("qbr", "{n} mention", "{n} mentions"),
    "tone_positive": NNP_("qbr", "positive", "mostly positive"),
    "tone_negative": NNP_("qbr", "negative", "mostly negative"),
    "tone_neutral": NNP_("qbr", "neutral", "neutral"),
    "signal_p0_ticket": NNP_(
        "qbr", "{value} P0 ticket in the last 90 days.", "{value} P0 tickets in the last 90 days."
    ),
    "n_plan": NNP_(
        "qbr",
        "{n} objective is open. {on_track} on track, {behind} behind plan.",
        "{n} objectives are open. {on_track} on track, {behind} behind plan.",
    ),
    "take_nps_few": NNP_(
        "qbr",
        "Only {n} survey response over the last 12 months, too few for a score: more of your team's feedback would help us.",
        "Only {n} survey responses over the last 12 months, too few for a score: more of your team's feedback would help us.",
    ),
}
"""Key -> the English singular and plural (``msgctxt`` :data:`CONTEXT`), chosen with ``npgettext`` for a count."""

_FIXED = {
    "title": "{name}",
    "no": "–",
}
"""Text without words to translate."""

INTERNAL_PHRASES = frozenset(
    {
        "coverage",
        "covered",
        "not_covered",
        "who_left",
        "left_on",
        "col_champion",
        "col_power_user",
        "col_buyer",
        "n_stakeholders",
        "provenance",
        "generated",
        "step_champion",
        "risks_opportunities",
        "no_risks",
        "no_opportunities",
        "n_risks",
        "signals_and_steps",
        "label_period",
        "label_source",
        "label_definitions",
        "label_hash",
    }
    | {key for key in (*_MESSAGES, *_PLURALS) if key.startswith("signal_")}
)
"""Phrases only an internal deck prints; a customer document refusing their fixed wording
(:func:`internal_fragments`) proves no customer slide was built from them."""


_COMPOSED = frozenset(
    {"Active users fell", "Active users grew", "Aktiva användare minskade", "Aktiva användare ökade"}
)
"""Fixed wording of an internal signal that customer sentences also compose ("Active users" + "fell 4 %")."""


def _texts(locale: str, key: str) -> tuple[str, ...]:
    """Every form of the phrase ``key`` in ``locale`` (both of a plural one), placeholders unfilled."""
    if key in _PLURALS:
        words = translations(locale)
        return tuple(dict.fromkeys(words.npgettext(CONTEXT, *_PLURALS[key], n) for n in (1, 2)))
    return (raw_phrase(locale, key),)


def internal_fragments(locale: str, shortest: int = 8) -> tuple[str, ...]:
    """The fixed wording of every :data:`INTERNAL_PHRASES` phrase in ``locale``'s language: the
    text between its ``{placeholders}``, stripped, of several words and at least ``shortest``
    characters, unless a customer phrase says the same.

    >>> "Identify a new champion" in internal_fragments("en")
    True
    """
    keys = (*_MESSAGES, *_PLURALS)
    shared = " | ".join(
        text.lower() for key in keys if key not in INTERNAL_PHRASES for text in _texts(locale, key)
    )
    parts = (
        part.strip(" .·:()")
        for key in INTERNAL_PHRASES
        for text in _texts(locale, key)
        for part in re.split(r"\{[^}]*\}", text)
    )
    return tuple(
        sorted(
            {
                part
                for part in parts
                if len(part) >= shortest
                and part.count(" ") >= 1
                and part.lower() not in shared
                and part not in _COMPOSED
            }
        )
    )


def raw_phrase(locale: str, key: str) -> str:
    """The phrase ``key`` in ``locale`` with its placeholders unfilled (English without a current translation)."""
    if key in _FIXED:
        return _FIXED[key]
    return translations(locale).pgettext(CONTEXT, _MESSAGES[key])


def phrase(locale: str, key: str, **values: object) -> str:
    """The phrase ``key`` in ``locale``'s language with ``values`` filled in."""
    return raw_phrase(locale, key).format(**values)


def gettext_count(count: Any) -> int:
    """``count`` as gettext's whole ``n``: a missing count as 0 (read "none", plural), a whole float as
    its integer (1.0 from a float column is one), a fraction rounded up (1.5 reads plural).

    >>> gettext_count(1.0), gettext_count(1.5), gettext_count(None)
    (1, 2, 0)
    """
    if is_missing(count):
        return 0
    number = float(count)
    return int(number) if number.is_integer() else math.ceil(number)


def plural_phrase(locale: str, key: str, count: Any, **values: object) -> str:
    """The phrase ``key`` for ``count`` by ``locale``'s plural forms (``npgettext``), ``values`` filled
    in; a phrase without plural forms is :func:`phrase`."""
    if key not in _PLURALS:
        return phrase(locale, key, **values)
    singular, plural = _PLURALS[key]
    return translations(locale).npgettext(CONTEXT, singular, plural, gettext_count(count)).format(**values)
