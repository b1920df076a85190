"""Metrics over tagged NPS comments (output of :func:`cs_calc.text.themes.tag_comments`).

Shares and rates are fractions (0.25 = 25 %), not percent. Money is MRR in
the reporting currency. NPS categories: promoters 9–10, passives 7–8,
detractors 0–6; rows with a missing score are left out.

A response "has a comment" when its ``comment`` column is a non-blank string;
when the frame has no ``comment`` column every row counts as commented.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from cs_calc.nps import PASSIVE_FROM, PROMOTER_FROM

CATEGORIES = ("promoters", "passives", "detractors")
RENEWAL_URGENT_DAYS = 180
"""Renewals this many days away or fewer (including overdue) double a request's weight."""
MISSING_HEALTH = 50.0
"""Health score (0–100) assumed for accounts without one."""


def _category(scores: pd.Series) -> pd.Series:
    values = pd.to_numeric(scores, errors="coerce")
    category = pd.Series(pd.NA, index=scores.index, dtype=object)
    category[values >= PROMOTER_FROM] = "promoters"
    category[(values >= PASSIVE_FROM) & (values < PROMOTER_FROM)] = "passives"
    category[values < PASSIVE_FROM] = "detractors"
    return category


def _commented(tagged: pd.DataFrame) -> pd.DataFrame:
    if "comment" not in tagged:
        return tagged
    has_comment = tagged["comment"].map(lambda v: isinstance(v, str) and bool(v.strip()))
    return tagged[has_comment.astype(bool)]


def _require(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    for column in columns:
        if column not in frame:
            raise ValueError(
                f"{name}: column {column!r} is not found. Existing columns: "
                f"{', '.join(map(str, frame.columns))}"
            )


def _explode_themes(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (row, theme); rows without themes disappear."""
    themes = frame["themes"].map(lambda v: tuple(v) if isinstance(v, tuple | list) else ())
    exploded = frame.assign(theme=themes.map(lambda t: tuple(dict.fromkeys(t)))).explode("theme")
    return exploded[exploded["theme"].notna()]


def theme_share_by_category(tagged: pd.DataFrame, theme_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Fraction of promoters, passives and detractors whose comment names each theme.

    ``tagged`` needs ``response_id``, ``themes`` (tuples) and ``score`` (0–10).
    ``<category>_share`` = responses in the category with a comment naming the
    theme ÷ responses in the category with a comment (NaN when the category
    has none); ``n_<category>`` is the numerator. One row per theme found, or
    per ``theme_ids`` when given (zeros included), sorted by theme. Empty
    input gives an empty frame with the columns.

    >>> t = pd.DataFrame({"response_id": ["a", "b", "c"], "score": [10, 3, 2],
    ...                   "themes": [("support",), ("support", "pricing"), ()]})
    >>> theme_share_by_category(t)[["theme", "promoters_share", "detractors_share"]].values.tolist()
    [['pricing', 0.0, 0.5], ['support', 1.0, 0.5]]
    """
    _require(tagged, ("response_id", "themes", "score"), "theme_share_by_category")
    columns = ["theme"] + [f"{c}_share" for c in CATEGORIES] + [f"n_{c}" for c in CATEGORIES]
    commented = _commented(tagged)
    commented = commented.assign(category=_category(commented["score"]))
    commented = commented[commented["category"].notna()]
    totals = commented["category"].value_counts()
    mentions = _explode_themes(commented)
    counts = pd.crosstab(mentions["theme"], mentions["category"]) if len(mentions) else None
    themes = sorted(set(theme_ids) if theme_ids is not None else set(mentions["theme"]))
    rows = []
    for theme in themes:
        row: dict[str, object] = {"theme": theme}
        for category in CATEGORIES:
            count = 0
            if counts is not None and theme in counts.index and category in counts.columns:
                count = int(counts.at[theme, category])
            total = int(totals.get(category, 0))
            row[f"n_{category}"] = count
            row[f"{category}_share"] = count / total if total else np.nan
        rows.append(row)
    result = pd.DataFrame(rows, columns=columns)
    return result.astype(
        {f"n_{c}": "int64" for c in CATEGORIES} | {f"{c}_share": "float64" for c in CATEGORIES}
    )


def _theme_shares(tagged: pd.DataFrame) -> tuple[pd.Series, int]:
    commented = _commented(tagged)
    mentions = _explode_themes(commented)
    counts = mentions.drop_duplicates(["response_id", "theme"])["theme"].value_counts()
    total = commented["response_id"].nunique()
    return (counts / total if total else counts.astype("float64")), total


def theme_trend(tagged_current: pd.DataFrame, tagged_previous: pd.DataFrame) -> pd.DataFrame:
    """Share of commented responses naming each theme, this period vs the previous one.

    ``share_*`` = distinct responses with a comment naming the theme ÷
    distinct responses with a comment in that period (fractions); a theme
    absent from a period has share 0.0, or NaN when that period has no
    commented responses. ``change`` = share_current − share_previous
    (fraction points). Sorted by change descending, then theme. Empty inputs
    give an empty frame with the columns.

    >>> cur = pd.DataFrame({"response_id": ["a", "b"], "themes": [("pricing",), ()]})
    >>> prev = pd.DataFrame({"response_id": ["c", "d", "e", "f"],
    ...                      "themes": [("pricing",), (), (), ()]})
    >>> theme_trend(cur, prev).values.tolist()
    [['pricing', 0.5, 0.25, 0.25]]
    """
    for frame, name in ((tagged_current, "tagged_current"), (tagged_previous, "tagged_previous")):
        _require(frame, ("response_id", "themes"), f"theme_trend {name}")
    current, current_total = _theme_shares(tagged_current)
    previous, previous_total = _theme_shares(tagged_previous)
    themes = sorted(set(current.index) | set(previous.index))
    result = pd.DataFrame({"theme": pd.Series(themes, dtype=object)})
    result["share_current"] = [float(current.get(t, 0.0)) if current_total else np.nan for t in themes]
    result["share_previous"] = [float(previous.get(t, 0.0)) if previous_total else np.nan for t in themes]
    result["share_current"] = result["share_current"].astype("float64")
    result["share_previous"] = result["share_previous"].astype("float64")
    result["change"] = result["share_current"] - result["share_previous"]
    return result.sort_values(
        ["change", "theme"], ascending=[False, True], kind="stable", na_position="last"
    ).reset_index(drop=True)


def _mrr_by_account(account_mrr: pd.DataFrame, name: str) -> pd.Series:
    _require(account_mrr, ("account_id", "mrr"), name)
    duplicated = account_mrr["account_id"][account_mrr["account_id"].duplicated()]
    if len(duplicated):
        raise ValueError(
            f"{name}: account_id {duplicated.iloc[0]!r} appears more than once (give one row per account)"
        )
    return pd.to_numeric(account_mrr.set_index("account_id")["mrr"], errors="coerce")


def mrr_at_risk_by_theme(tagged: pd.DataFrame, account_mrr: pd.DataFrame) -> pd.DataFrame:
    """Detractor accounts naming each theme and their summed MRR.

    A detractor response (score 0–6) naming a theme puts its account at risk
    for that theme; each account counts once per theme however many of its
    responses name it. ``mrr_at_risk`` sums those accounts' ``mrr`` (reporting
    currency, per month); accounts missing from ``account_mrr`` count with
    0.0. Sorted by mrr_at_risk descending, then theme. No detractor mentions
    give an empty frame with the columns. Raises ValueError on duplicate
    account rows.

    >>> t = pd.DataFrame({"account_id": ["A", "A", "B"], "score": [2, 5, 9],
    ...                   "themes": [("support",), ("support",), ("support",)]})
    >>> mrr_at_risk_by_theme(t, pd.DataFrame({"account_id": ["A", "B"], "mrr": [100.0, 50.0]})
    ...     ).values.tolist()
    [['support', 1, 100.0]]
    """
    _require(tagged, ("account_id", "themes", "score"), "mrr_at_risk_by_theme tagged")
    mrr = _mrr_by_account(account_mrr, "mrr_at_risk_by_theme account_mrr")
    detractors = tagged[_category(tagged["score"]) == "detractors"]
    mentions = _explode_themes(detractors)
    mentions = mentions[mentions["account_id"].notna()].drop_duplicates(["theme", "account_id"])
    mentions = mentions.assign(mrr=mentions["account_id"].map(mrr).fillna(0.0).astype("float64"))
    result = (
        mentions.groupby("theme", sort=True)
        .agg(accounts=("account_id", "nunique"), mrr_at_risk=("mrr", "sum"))
        .reset_index()
    )
    result = result.astype({"theme": object, "accounts": "int64", "mrr_at_risk": "float64"})
    return result.sort_values(["mrr_at_risk", "theme"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )[["theme", "accounts", "mrr_at_risk"]]


def _request_keys(row_area: object, row_themes: object) -> tuple[str, ...]:
    if isinstance(row_area, str) and row_area:
        return (row_area,)
    themes = tuple(row_themes) if isinstance(row_themes, tuple | list) else ()
    return themes or ("general",)


def rank_feature_requests(tagged: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """Feature requests grouped and ranked by the value of the accounts asking.

    Requests are rows with ``is_feature_request`` True, grouped by
    ``product_area``; without one, by each of their themes (a request naming
    two themes counts for both); without either, as "general".
    ``requests`` counts request comments, ``accounts`` distinct accounts,
    ``mrr`` sums their MRR (reporting currency per month, each account
    once). ``weight`` = Σ over distinct requesting accounts of
    ``mrr × urgency × (1 + (100 − health) / 100)`` where urgency is 2 when
    ``days_to_renewal`` ≤ 180 (overdue included) and 1 otherwise or unknown,
    and health is the 0–100 ``health_score`` clipped to 0–100 (50 when
    missing). So a $1,000 MRR account renewing in 90 days at health 40
    weighs 1000 × 2 × 1.6 = 3,200. Accounts missing from ``accounts`` weigh
    0. Sorted by weight, then requests, descending, then request name. No
    requests give an empty frame with the columns.

    >>> t = pd.DataFrame({"account_id": ["A", "B"], "is_feature_request": [True, True],
    ...                   "product_area": ["api", None], "themes": [(), ()]})
    >>> acc = pd.DataFrame({"account_id": ["A", "B"], "mrr": [1000.0, 500.0],
    ...                     "days_to_renewal": [90, 400], "health_score": [40, 100]})
    >>> rank_feature_requests(t, acc).values.tolist()
    [['api', 1, 1, 1000.0, 3200.0], ['general', 1, 1, 500.0, 500.0]]
    """
    _require(
        tagged,
        ("account_id", "is_feature_request", "product_area", "themes"),
        "rank_feature_requests tagged",
    )
    _require(
        accounts,
        ("account_id", "mrr", "days_to_renewal", "health_score"),
        "rank_feature_requests accounts",
    )
    mrr = _mrr_by_account(accounts[["account_id", "mrr"]], "rank_feature_requests accounts")
    info = accounts.set_index("account_id")
    days = pd.to_numeric(info["days_to_renewal"], errors="coerce")
    health = pd.to_numeric(info["health_score"], errors="coerce").fillna(MISSING_HEALTH)
    urgency = pd.Series(np.where(days <= RENEWAL_URGENT_DAYS, 2.0, 1.0), index=info.index)
    account_weight = mrr.fillna(0.0) * urgency * (1.0 + (100.0 - health.clip(0, 100)) / 100.0)

    requests = tagged[tagged["is_feature_request"].fillna(False).astype(bool)]
    keys = [
        _request_keys(area, themes)
        for area, themes in zip(requests["product_area"], requests["themes"], strict=True)
    ]
    columns = ["request", "requests", "accounts", "mrr", "weight"]
    if not keys:
        return pd.DataFrame(
            {
                "request": pd.Series(dtype=object),
                "requests": pd.Series(dtype="int64"),
                "accounts": pd.Series(dtype="int64"),
                "mrr": pd.Series(dtype="float64"),
                "weight": pd.Series(dtype="float64"),
            }
        )[columns]
    exploded = pd.DataFrame({"account_id": requests["account_id"].to_numpy(), "request": keys}).explode(
        "request"
    )
    per_account = exploded[exploded["account_id"].notna()].drop_duplicates(["request", "account_id"])
    per_account = per_account.assign(
        mrr=per_account["account_id"].map(mrr).fillna(0.0).astype("float64"),
        weight=per_account["account_id"].map(account_weight).fillna(0.0).astype("float64"),
    )
    value = per_account.groupby("request").agg(
        accounts=("account_id", "nunique"), mrr=("mrr", "sum"), weight=("weight", "sum")
    )
    counts = exploded.groupby("request").size().rename("requests")
    result = pd.concat([counts, value], axis=1).fillna({"accounts": 0, "mrr": 0.0, "weight": 0.0})
    result = result.reset_index().rename(columns={"index": "request"})
    result = result.astype(
        {"request": object, "requests": "int64", "accounts": "int64", "mrr": "float64", "weight": "float64"}
    )
    return result.sort_values(
        ["weight", "requests", "request"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)[columns]
