"""Net Promoter Score.

Scores 0–10: promoters 9–10, passives 7–8, detractors 0–6.
``nps = 100 × (promoters − detractors) ÷ responses``, from −100 to 100.
Within a period only the latest response of each contact counts; responses
without a contact each count once. ``low_n`` flags fewer than
:data:`LOW_N_THRESHOLD` responses, where the score is too noisy to act on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LOW_N_THRESHOLD = 30
PROMOTER_FROM = 9
"""Scores from 9 (to 10) are promoters."""
PASSIVE_FROM = 7
"""Scores 7 and 8 are passives; below 7 (0–6), detractors."""

NPS_COLUMNS = ("responses", "promoters", "passives", "detractors", "nps", "low_n")


def nps_score(promoters: float, detractors: float, responses: float) -> float:
    """``100 × (promoters − detractors) ÷ responses``, from −100 to 100; NaN without responses.

    Works element-wise on arrays and Series of counts too.

    >>> nps_score(3, 1, 4), nps_score(0, 0, 0) != nps_score(0, 0, 0)
    (50.0, True)
    """
    if np.ndim(responses) == 0:
        return 100.0 * (promoters - detractors) / responses if responses else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100.0 * (promoters - detractors) / responses


def nps_category(scores: pd.Series) -> pd.Series:
    """``promoter`` / ``passive`` / ``detractor`` for each 0–10 score.

    >>> nps_category(pd.Series([10, 7, 3])).tolist()
    ['promoter', 'passive', 'detractor']
    """
    values = scores.to_numpy(dtype="float64")
    labels = np.where(
        values >= PROMOTER_FROM, "promoter", np.where(values >= PASSIVE_FROM, "passive", "detractor")
    )
    return pd.Series(labels, index=scores.index, dtype=object)


def latest_per_contact(responses: pd.DataFrame) -> pd.DataFrame:
    """Keep each contact's latest response; rows without ``contact_id`` are all kept.

    Ties on ``responded_at`` keep the last row by ``response_id`` order.
    """
    if responses.empty:
        return responses
    with_contact = responses[responses["contact_id"].notna()]
    without = responses[responses["contact_id"].isna()]
    latest = with_contact.sort_values(["responded_at", "response_id"], kind="stable").drop_duplicates(
        "contact_id", keep="last"
    )
    return pd.concat([latest, without]).sort_index()


def compute_nps(responses: pd.DataFrame, groups: pd.Series | None = None) -> pd.DataFrame:
    """NPS per group for responses already restricted to one period.

    ``groups`` maps ``account_id`` to a label (e.g. segment); without it there
    is one group, ``"all"``. Returns one row per group (index ``group``) with
    ``responses, promoters, passives, detractors, nps, low_n``. Empty input
    gives an empty frame.

    >>> r = pd.DataFrame({"response_id": ["1", "2", "3", "4"], "account_id": "a",
    ...     "contact_id": [None] * 4, "score": [10, 9, 8, 2],
    ...     "responded_at": pd.to_datetime(["2026-01-05"] * 4)})
    >>> float(compute_nps(r).loc["all", "nps"])
    25.0
    """
    counted = latest_per_contact(responses)
    if counted.empty:
        return pd.DataFrame(columns=list(NPS_COLUMNS), index=pd.Index([], name="group"))
    if groups is None:
        labels = pd.Series("all", index=counted.index)
    else:
        labels = counted["account_id"].map(groups).astype(object).where(lambda s: s.notna(), "(none)")
    category = nps_category(counted["score"])
    table = pd.crosstab(labels.rename("group"), category).reindex(
        columns=["promoter", "passive", "detractor"], fill_value=0
    )
    result = pd.DataFrame(
        {
            "responses": table.sum(axis=1),
            "promoters": table["promoter"],
            "passives": table["passive"],
            "detractors": table["detractor"],
        }
    )
    result["nps"] = nps_score(result["promoters"], result["detractors"], result["responses"])
    result["low_n"] = result["responses"] < LOW_N_THRESHOLD
    result.columns.name = None
    return result[list(NPS_COLUMNS)]


def responses_in(responses: pd.DataFrame, start: pd.Timestamp, end_exclusive: pd.Timestamp) -> pd.DataFrame:
    """Responses with ``start <= responded_at < end_exclusive``."""
    when = responses["responded_at"]
    return responses[(when >= start) & (when < end_exclusive)]
