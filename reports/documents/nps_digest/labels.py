"""Fixed words of the NPS digest, in English; :func:`digest_labels` gives them in a locale.

Theme names come from the taxonomy; the translations are in the message catalogue
(``reports/locale``).
"""

from __future__ import annotations

from reports.render.catalogue import N_, translations

LABELS: dict[str, str] = {
    "title": N_("NPS theme digest"),
    "contents": N_("Contents"),
    "summary": N_("Summary"),
    "moved": N_("What moved the score"),
    "themes": N_("Themes"),
    "theme_pages": N_("What customers say, theme by theme"),
    "emerging": N_("Emerging topics"),
    "requests": N_("Feature requests"),
    "segments": N_("NPS by segment, region, tier, tenure and CSM book"),
    "mismatches": N_("Scores that disagree with the comment"),
    "definitions": N_("Definitions"),
    "nps": N_("NPS"),
    "responses": N_("Responses"),
    "response_rate": N_("Response rate"),
    "mix": N_("Promoters · passives · detractors"),
    "promoters": N_("Promoters"),
    "passives": N_("Passives"),
    "detractors": N_("Detractors"),
    "detractor_mrr": N_("Detractor MRR"),
    "vs_prev": N_("vs {prev}"),
    "of_contacts": N_("{responding} of {active} active contacts"),
    "low_n": N_("low n"),
    "low_n_title": N_("Low n"),
    "low_n_note": N_("Fewer than {threshold} responses: too few to act on the score alone."),
    "themes_up": N_("Named more often"),
    "themes_down": N_("Named less often"),
    "theme": N_("Theme"),
    "mentions": N_("Mentions"),
    "share": N_("Share of comments"),
    "share_lower": N_("share of comments"),
    "share_now": N_("Now"),
    "share_prev": N_("Before"),
    "change": N_("Change"),
    "among_detractors": N_("Detractors"),
    "among_promoters": N_("Promoters"),
    "among_passives": N_("Passives"),
    "accounts": N_("Accounts"),
    "mrr_at_risk": N_("MRR at risk"),
    "sentiment": N_("Sentiment"),
    "segment": N_("Segment"),
    "region": N_("Region"),
    "tier": N_("Tier (plan)"),
    "tenure": N_("Tenure"),
    "csm": N_("CSM book"),
    "group": N_("Group"),
    "all": N_("All responses"),
    "first_year": N_("First year"),
    "tenured": N_("Tenured"),
    "mix_effect": N_("Mix effect"),
    "score_effect": N_("Score effect"),
    "contribution": N_("Contribution"),
    "weight": N_("Share of responses"),
    "total": N_("Total"),
    "request": N_("Area"),
    "requests_n": N_("Requests"),
    "request_weight": N_("Revenue weight"),
    "general": N_("General"),
    "topic": N_("Topic"),
    "comments": N_("Comments"),
    "this_quarter": N_("this quarter"),
    "last_quarter": N_("last quarter"),
    "baseline": N_("the year before"),
    "growing": N_("growing"),
    "new": N_("new"),
    "no_comments": N_("No comments name this theme this quarter."),
    "no_emerging": N_("No topic outside the taxonomy grew this quarter."),
    "no_requests": N_("No comment asked for a feature this quarter."),
    "no_mismatches": N_(
        "No promoter wrote a clearly negative comment and no detractor a clearly positive one."
    ),
    "evidence": N_("Evidence"),
    "unknown_role": N_("Unknown role"),
    "score": N_("score"),
    "quarter": N_("Quarter"),
    "trend_chart": N_("NPS per quarter"),
    "theme_chart": N_("Share of comments naming each theme"),
    "theme_chart_top": N_("Themes detractors name most, vs promoters (share of comments)"),
    "bridge_chart": N_("What moved NPS"),
    "bridge_chart_title": N_("What moved NPS: {previous} → {period} (points)"),
    "bridge_axis": N_("NPS (points)"),
    "segment_filter": N_("Segment: {segment}"),
    "overridden": N_("corrected by hand"),
    "verbatims_note": N_("Quotes are as written (email addresses removed), attributed by role and segment."),
}
"""Label key -> its English words (translated with ``gettext`` where printed)."""


def digest_labels(locale: str) -> dict[str, str]:
    """The digest's fixed words in ``locale`` (English where the catalogue has no translation)."""
    words = translations(locale)
    return {key: words.gettext(message) for key, message in LABELS.items()}
