"""Figures of the quarterly NPS theme digest: breakdowns, response rate, what moved, themes.

Everything here is pure: survey responses (the contract's ``nps`` table),
tagged comments (:func:`cs_calc.text.themes.tag_comments` joined onto the
responses) and account tables in; DataFrames and frozen dataclasses out.

NPS is always :func:`cs_calc.nps.compute_nps` (latest response per contact in
the period, score −100 to 100, ``low_n`` below 30 responses). Shares are
fractions (0.25 = 25 %), not percent; NPS changes are in NPS points; money
is MRR per month in the reporting currency.

Breakdown dimensions (:data:`DIMENSIONS`): ``segment`` (the service tier of
``configs/segments.yaml``), ``region``, ``tier`` (the account's ``plan``, its
commercial tier), ``tenure`` (``first_year`` when the account started less
than 12 months before the window's opening month, else ``tenured``; the same
rule as :func:`cs_calc.portfolio.account_groups`) and ``csm`` (``csm_id``,
the CSM's book).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_calc.nps import compute_nps, latest_per_contact, nps_category
from cs_calc.nps_analysis import mrr_at_risk_by_theme, theme_share_by_category, theme_trend
from cs_calc.periods import Window
from cs_calc.portfolio import account_groups
from cs_calc.text.themes import ThemeTaxonomy
from cs_calc.text.topics import discover_emerging_themes

DIMENSIONS = ("segment", "region", "tier", "tenure", "csm")
"""Breakdown dimensions of :func:`nps_breakdown`, in the order the digest prints them."""

BREAKDOWN_COLUMNS = (
    "dimension",
    "group",
    "responses",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "low_n",
    "promoter_share",
    "passive_share",
    "detractor_share",
)


def digest_groups(accounts: pd.DataFrame, window: Window) -> dict[str, pd.Series]:
    """Group label per ``account_id`` for each of :data:`DIMENSIONS`.

    ``accounts`` is the contract's accounts table. Tenure is judged at the
    window's opening month (see the module docstring).

    >>> acc = pd.DataFrame({"account_id": ["A"], "segment": ["Scaled"], "region": ["NAM"],
    ...     "plan": ["Team"], "csm_id": ["C1"], "start_date": pd.to_datetime(["2026-05-01"])})
    >>> {k: v["A"] for k, v in digest_groups(acc, Window(pd.Timestamp("2026-07-01"),
    ...     pd.Timestamp("2026-09-01"))).items()}
    {'segment': 'Scaled', 'region': 'NAM', 'tier': 'Team', 'tenure': 'first_year', 'csm': 'C1'}
    """
    groups = account_groups(accounts, window)
    plan = accounts.set_index("account_id")["plan"]
    return {
        "segment": groups["segment"],
        "region": groups["region"],
        "tier": plan,
        "tenure": groups["tenure"],
        "csm": groups["csm"],
    }


def _with_mix(frame: pd.DataFrame) -> pd.DataFrame:
    result = frame.copy()
    responses = result["responses"].astype("float64").replace(0.0, np.nan)
    result["promoter_share"] = result["promoters"] / responses
    result["passive_share"] = result["passives"] / responses
    result["detractor_share"] = result["detractors"] / responses
    return result


def nps_breakdown(
    responses: pd.DataFrame,
    groups: Mapping[str, pd.Series],
    order: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """NPS, n and the promoter/passive/detractor mix overall and per group of each dimension.

    ``responses`` is already restricted to the period. ``groups`` maps a
    dimension name to a Series ``account_id → label``. Returns
    :data:`BREAKDOWN_COLUMNS`, first one row ``dimension="all", group="all"``,
    then each dimension in ``groups`` order; within a dimension groups follow
    ``order[dimension]`` when given (others after, sorted), else by label.
    ``*_share`` are fractions of the group's counted responses (they sum to
    1). Empty input gives an empty frame with the columns.

    >>> r = pd.DataFrame({"response_id": ["1", "2", "3"], "account_id": ["a", "a", "b"],
    ...     "contact_id": [None] * 3, "score": [10, 3, 8],
    ...     "responded_at": pd.to_datetime(["2026-07-05"] * 3)})
    >>> t = nps_breakdown(r, {"segment": pd.Series({"a": "S", "b": "T"})})
    >>> t[["dimension", "group", "responses", "nps"]].values.tolist()
    [['all', 'all', 3, 0.0], ['segment', 'S', 2, 0.0], ['segment', 'T', 1, 0.0]]
    """
    counted = latest_per_contact(responses)
    if counted.empty:
        return pd.DataFrame(columns=list(BREAKDOWN_COLUMNS))
    frames = [compute_nps(counted).assign(dimension="all")]
    for dimension, labels in groups.items():
        frame = compute_nps(counted, labels)
        wanted = list((order or {}).get(dimension, ()))
        ranked = [g for g in wanted if g in frame.index] + sorted(
            (g for g in frame.index if g not in wanted), key=str
        )
        frames.append(frame.loc[ranked].assign(dimension=dimension))
    table = pd.concat(frames)
    table.index.name = "group"
    table = _with_mix(table.reset_index())
    table["group"] = table["group"].astype(str)
    table["low_n"] = table["low_n"].astype(bool)
    return table[list(BREAKDOWN_COLUMNS)].reset_index(drop=True)


def nps_by_quarters(responses: pd.DataFrame, quarters: Sequence[Window]) -> pd.DataFrame:
    """NPS and mix for each quarter in ``quarters`` (oldest first), index ``quarter`` label.

    A quarter covers its three months (``responded_at`` from its first day to
    the day before the next quarter). Quarters without responses keep a row
    with 0 responses and NaN NPS and shares.

    >>> r = pd.DataFrame({"response_id": ["1", "2"], "account_id": "a", "contact_id": [None] * 2,
    ...     "score": [10, 2], "responded_at": pd.to_datetime(["2026-04-02", "2026-07-05"])})
    >>> from cs_calc.periods import parse_quarter
    >>> nps_by_quarters(r, [parse_quarter("2026-Q2"), parse_quarter("2026-Q3")])["nps"].tolist()
    [100.0, -100.0]
    """
    rows = []
    for quarter in quarters:
        after = quarter.end + pd.DateOffset(months=1)
        when = responses["responded_at"]
        frame = compute_nps(responses[(when >= quarter.start) & (when < after)])
        if frame.empty:
            row = {"responses": 0, "promoters": 0, "passives": 0, "detractors": 0, "nps": np.nan}
            row["low_n"] = True
        else:
            row = frame.loc["all"].to_dict()
        rows.append({"quarter": quarter.label, **row})
    table = _with_mix(pd.DataFrame(rows).set_index("quarter"))
    return table.astype(
        {
            "responses": "int64",
            "promoters": "int64",
            "passives": "int64",
            "detractors": "int64",
            "nps": "float64",
            "low_n": bool,
        }
    )


@dataclass(frozen=True)
class ResponseRate:
    """Survey response rate among the contacts we could have heard from.

    ``active_contacts``: contacts of accounts paying in the window (MRR > 0
    in at least one of its months) whose ``status`` is ``active``, or who
    ``left`` on or after the window's first day (they were reachable for part
    of it). ``responding_contacts``: those of them with at least one response
    in the window. ``rate`` = responding ÷ active (a fraction; NaN without
    active contacts). ``responses_without_contact``: responses in the window
    with no ``contact_id``, or one outside ``active_contacts`` — they count for
    NPS but not for the rate.
    """

    responding_contacts: int
    active_contacts: int
    rate: float
    responses_without_contact: int


def compute_response_rate(
    responses: pd.DataFrame,
    contacts: pd.DataFrame,
    paying_accounts: Iterable[str],
    window: Window,
) -> ResponseRate:
    """:class:`ResponseRate` of ``responses`` (already restricted to ``window``).

    >>> c = pd.DataFrame({"contact_id": ["k1", "k2", "k3"], "account_id": ["a", "a", "b"],
    ...     "status": ["active", "left", "active"],
    ...     "changed_at": pd.to_datetime([None, "2026-08-01", None])})
    >>> r = pd.DataFrame({"contact_id": ["k1", "k1", None]})
    >>> w = Window(pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-01"))
    >>> compute_response_rate(r, c, ["a"], w)
    ResponseRate(responding_contacts=1, active_contacts=2, rate=0.5, responses_without_contact=1)
    """
    paying = set(paying_accounts)
    status = contacts["status"].astype(str).str.lower()
    changed = pd.to_datetime(contacts["changed_at"], errors="coerce")
    reachable = (status == "active") | ((status == "left") & (changed >= window.start))
    active = set(contacts.loc[reachable & contacts["account_id"].isin(paying), "contact_id"].astype(str))
    contact_ids = responses["contact_id"]
    known = contact_ids.notna() & contact_ids.astype(str).isin(active)
    responding = int(contact_ids[known].astype(str).nunique())
    rate = responding / len(active) if active else float("nan")
    return ResponseRate(responding, len(active), rate, int((~known).sum()))


CHANGE_COLUMNS = (
    "group",
    "responses_previous",
    "responses_current",
    "weight_previous",
    "weight_current",
    "nps_previous",
    "nps_current",
    "mix_effect",
    "score_effect",
    "contribution",
)


def decompose_nps_change(
    current: pd.DataFrame, previous: pd.DataFrame, groups: pd.Series, order: Sequence[str] = ()
) -> pd.DataFrame:
    """Split the change in NPS between two periods into segment mix and score changes.

    Overall NPS is the response-weighted mean of the groups' NPS:
    ``NPS = Σ w_g × NPS_g`` with ``w_g`` the group's share of counted
    responses. So, exactly,
    ``NPS_cur − NPS_prev = Σ (w_cur − w_prev) × NPS_prev`` (``mix_effect``:
    who answered) ``+ Σ w_cur × (NPS_cur − NPS_prev)`` (``score_effect``: how
    each group's score changed). ``contribution`` = mix + score effect per
    group; the column sums to the overall change in NPS points. A group with
    no previous responses takes NPS_prev = 0 (all its weight is then score
    effect); a group with none now has w_cur = 0 and NPS_cur NaN. Rows follow
    ``order`` then the remaining groups sorted; empty current and previous
    responses give an empty frame.

    >>> cur = pd.DataFrame({"response_id": list("123"), "account_id": ["a", "a", "b"],
    ...     "contact_id": [None] * 3, "score": [10, 10, 0],
    ...     "responded_at": pd.to_datetime(["2026-07-05"] * 3)})
    >>> prev = cur.assign(score=[10, 0, 0])
    >>> d = decompose_nps_change(cur, prev, pd.Series({"a": "S", "b": "T"}))
    >>> d[["group", "mix_effect", "score_effect", "contribution"]].round(2).values.tolist()
    [['S', 0.0, 66.67, 66.67], ['T', 0.0, 0.0, 0.0]]
    """
    cur = compute_nps(current, groups)
    prev = compute_nps(previous, groups)
    names = list(dict.fromkeys([*order, *sorted(set(cur.index) | set(prev.index), key=str)]))
    names = [g for g in names if g in cur.index or g in prev.index]
    if not names:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    n_cur = cur["responses"].reindex(names, fill_value=0).astype("int64")
    n_prev = prev["responses"].reindex(names, fill_value=0).astype("int64")
    w_cur = n_cur / n_cur.sum() if n_cur.sum() else n_cur * 0.0
    w_prev = n_prev / n_prev.sum() if n_prev.sum() else n_prev * 0.0
    nps_cur = cur["nps"].reindex(names).astype("float64")
    nps_prev = prev["nps"].reindex(names).astype("float64")
    base = nps_prev.fillna(0.0)
    mix = (w_cur - w_prev) * base + 0.0  # + 0.0 turns -0.0 into 0.0
    score = (w_cur * (nps_cur.fillna(0.0) - base)).where(n_cur > 0, 0.0)
    table = pd.DataFrame(
        {
            "group": [str(g) for g in names],
            "responses_previous": n_prev.to_numpy(),
            "responses_current": n_cur.to_numpy(),
            "weight_previous": w_prev.to_numpy(dtype="float64"),
            "weight_current": w_cur.to_numpy(dtype="float64"),
            "nps_previous": nps_prev.to_numpy(),
            "nps_current": nps_cur.to_numpy(),
            "mix_effect": mix.to_numpy(dtype="float64"),
            "score_effect": score.to_numpy(dtype="float64"),
        }
    )
    table["contribution"] = table["mix_effect"] + table["score_effect"]
    return table[list(CHANGE_COLUMNS)]


THEME_COLUMNS = (
    "theme",
    "mentions",
    "share_current",
    "share_previous",
    "change",
    "promoters_share",
    "passives_share",
    "detractors_share",
    "detractors_share_previous",
    "detractor_change",
    "detractor_accounts",
    "mrr_at_risk",
    "mean_sentiment",
)


def theme_table(
    tagged_current: pd.DataFrame,
    tagged_previous: pd.DataFrame,
    account_mrr: pd.DataFrame,
    theme_ids: Sequence[str],
) -> pd.DataFrame:
    """One row per theme: how often it is named now and before, by whom, and the MRR behind it.

    ``tagged_*`` are responses of one period with ``response_id``,
    ``account_id``, ``score``, ``comment``, ``themes`` and ``sentiment``.
    ``mentions``: distinct commented responses naming the theme now;
    ``share_*`` and ``change`` come from
    :func:`cs_calc.nps_analysis.theme_trend` (share of commented responses,
    change in fraction points); ``<category>_share`` from
    :func:`~cs_calc.nps_analysis.theme_share_by_category` (share of the
    category's commented responses), ``detractor_change`` = detractor share
    now − before; ``detractor_accounts`` and ``mrr_at_risk`` (MRR per month
    of detractor accounts naming the theme) from
    :func:`~cs_calc.nps_analysis.mrr_at_risk_by_theme`; ``mean_sentiment``
    the mean comment sentiment (−1 to 1) of the mentions, NaN without any.
    Rows follow ``theme_ids``.
    """
    trend = theme_trend(tagged_current, tagged_previous).set_index("theme")
    shares = theme_share_by_category(tagged_current, theme_ids).set_index("theme")
    before = theme_share_by_category(tagged_previous, theme_ids).set_index("theme")
    risk = mrr_at_risk_by_theme(tagged_current, account_mrr).set_index("theme")
    commented = tagged_current[
        tagged_current["comment"].map(lambda v: isinstance(v, str) and bool(v.strip())).astype(bool)
    ]
    exploded = commented.assign(theme=commented["themes"].map(tuple)).explode("theme")
    exploded = exploded[exploded["theme"].notna()].drop_duplicates(["response_id", "theme"])
    mentions = exploded.groupby("theme")["response_id"].nunique()
    sentiment = exploded.groupby("theme")["sentiment"].mean()
    rows = []
    for theme in theme_ids:
        share_current = trend["share_current"].get(theme, 0.0 if len(commented) else np.nan)
        share_previous = trend["share_previous"].get(theme, np.nan)
        if theme not in trend.index and len(tagged_previous):
            share_previous = 0.0
        rows.append(
            {
                "theme": theme,
                "mentions": int(mentions.get(theme, 0)),
                "share_current": float(share_current),
                "share_previous": float(share_previous),
                "change": float(share_current - share_previous),
                "promoters_share": float(shares.at[theme, "promoters_share"]),
                "passives_share": float(shares.at[theme, "passives_share"]),
                "detractors_share": float(shares.at[theme, "detractors_share"]),
                "detractors_share_previous": float(before.at[theme, "detractors_share"]),
                "detractor_change": float(
                    shares.at[theme, "detractors_share"] - before.at[theme, "detractors_share"]
                ),
                "detractor_accounts": int(risk["accounts"].get(theme, 0)),
                "mrr_at_risk": float(risk["mrr_at_risk"].get(theme, 0.0)),
                "mean_sentiment": float(sentiment.get(theme, np.nan)),
            }
        )
    return pd.DataFrame(rows, columns=list(THEME_COLUMNS))


def pick_verbatims(tagged: pd.DataFrame, theme: str | None = None, limit: int = 4) -> pd.DataFrame:
    """Representative comments: detractors, promoters and passives in turn, the clearest first.

    ``tagged`` needs ``response_id``, ``score``, ``comment``, ``themes`` and
    ``sentiment``. With ``theme``, only comments naming it. Identical
    comment texts count once. Within a category comments naming fewest
    themes come first (the quote is about the theme, not five things), then
    the strongest sentiment in the category's direction (most negative for
    detractors, most positive for promoters, strongest either way for
    passives), then the shorter text, then ``response_id``. Picks
    detractor, promoter, passive, detractor, … until ``limit`` rows or none
    left. Returns the chosen rows of ``tagged`` in pick order.
    """
    has_text = tagged["comment"].map(lambda v: isinstance(v, str) and bool(v.strip())).astype(bool)
    pool = tagged[has_text]
    if theme is not None:
        pool = pool[pool["themes"].map(lambda t: theme in tuple(t))]
    if pool.empty or limit <= 0:
        return pool.iloc[0:0]
    category = nps_category(pool["score"])
    direction = category.map({"detractor": 1.0, "promoter": -1.0, "passive": 0.0})
    strength = np.where(direction == 0.0, -pool["sentiment"].abs(), pool["sentiment"] * direction)
    ranked = pool.assign(
        _n=pool["themes"].map(len),
        _s=strength,
        _len=pool["comment"].str.len(),
        _cat=category,
        _id=pool["response_id"].astype(str),
    ).sort_values(["_n", "_s", "_len", "_id"], kind="stable")
    ranked = ranked.drop_duplicates("comment")
    queues = {c: list(ranked.index[ranked["_cat"] == c]) for c in ("detractor", "promoter", "passive")}
    picked: list[object] = []
    while len(picked) < limit and any(queues.values()):
        for c in ("detractor", "promoter", "passive"):
            if queues[c] and len(picked) < limit:
                picked.append(queues[c].pop(0))
    return tagged.loc[picked]


@dataclass(frozen=True)
class EmergingTopic:
    """A topic the taxonomy does not name that is new or growing in this quarter's comments.

    ``label``: the phrase its comments use most, as written in one of
    ``examples`` (:func:`cs_calc.text.topics.topic_label`).
    ``comments``: comments of the quarter whose strongest topic this is;
    ``share_*`` are fractions of each period's non-empty comments: the
    quarter, the previous quarter and the ``baseline`` (the quarters before
    that; NaN without comments). ``new``: absent before, at most
    :data:`~cs_calc.text.topics.NEW_TOPIC_MAX_SHARE` of the comments in the
    previous quarter and in the baseline; ``growing``: not new, and its share
    grew by the taxonomy's ``min_growth_ratio`` against the previous quarter.
    Exactly one of the two is true. ``examples``: real comments of the
    quarter, those using the label first.
    """

    label: str
    comments: int
    share_current: float
    share_previous: float
    share_baseline: float
    growing: bool
    new: bool
    examples: tuple[str, ...]


def find_emerging_topics(
    current: pd.Series,
    previous: pd.Series,
    baseline: pd.Series,
    *,
    taxonomy: ThemeTaxonomy,
    n_topics: int = 8,
    examples: int = 3,
) -> list[EmergingTopic]:
    """Topics of ``current`` comments that are new, or grew against the previous quarter.

    Runs :func:`cs_calc.text.topics.discover_emerging_themes` once (TF-IDF +
    NMF fitted on ``current``; ``previous`` and ``baseline`` projected onto
    it) and keeps the topics it calls new or growing (see
    :class:`EmergingTopic`); a topic whose share fell, or grew by less than
    ``min_growth_ratio``, is not emerging. New topics first, then growing,
    each by comments descending. Too few comments give ``[]``.
    """
    themes = discover_emerging_themes(
        current, previous, baseline=baseline, taxonomy=taxonomy, n_topics=n_topics, examples=examples
    )
    return [
        EmergingTopic(
            label=theme.label,
            comments=theme.size_current,
            share_current=theme.share_current,
            share_previous=theme.share_previous,
            share_baseline=theme.share_baseline,
            growing=theme.growing,
            new=theme.new,
            examples=theme.examples,
        )
        for theme in themes
        if theme.emerging
    ]


def renewal_inputs(accounts: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """``account_id, mrr, days_to_renewal, health_score`` for feature-request weighting.

    ``accounts`` is ``PortfolioMetrics.accounts`` (``mrr_end`` is the MRR at
    the end of the window). ``days_to_renewal`` = ``renewal_date`` − ``as_of``
    in whole days (negative when overdue, NaN when unknown).
    """
    renewal = pd.to_datetime(accounts["renewal_date"], errors="coerce")
    return pd.DataFrame(
        {
            "account_id": accounts["account_id"].to_numpy(),
            "mrr": pd.to_numeric(accounts["mrr_end"], errors="coerce").fillna(0.0).to_numpy(),
            "days_to_renewal": (renewal - as_of).dt.days.to_numpy(dtype="float64"),
            "health_score": pd.to_numeric(accounts["health_score"], errors="coerce").to_numpy(),
        }
    )


def mrr_of_detractors(responses: pd.DataFrame, account_mrr: pd.DataFrame) -> tuple[int, float]:
    """Accounts with a detractor response (0–6) and their summed MRR.

    Counts the responses NPS counts (latest per contact). ``account_mrr`` has
    ``account_id, mrr`` (reporting currency per month; accounts missing from
    it add 0). Returns ``(accounts, mrr)``; no detractors give ``(0, 0.0)``.

    >>> r = pd.DataFrame({"response_id": ["1", "2", "3"], "account_id": ["A", "A", "B"],
    ...     "contact_id": [None] * 3, "score": [2, 5, 9],
    ...     "responded_at": pd.to_datetime(["2026-07-05"] * 3)})
    >>> mrr_of_detractors(r, pd.DataFrame({"account_id": ["A", "B"], "mrr": [100.0, 50.0]}))
    (1, 100.0)
    """
    counted = latest_per_contact(responses)
    if counted.empty:
        return 0, 0.0
    detractors = counted[nps_category(counted["score"]) == "detractor"]
    ids = detractors["account_id"].dropna().unique()
    mrr = pd.to_numeric(account_mrr.set_index("account_id")["mrr"], errors="coerce")
    return len(ids), float(mrr.reindex(ids).fillna(0.0).sum())


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact_emails(text: str) -> str:
    """Replace anything shaped like an email address with ``[email]``.

    >>> redact_emails("mail kim@alpha.example today")
    'mail [email] today'
    """
    return _EMAIL.sub("[email]", text)
