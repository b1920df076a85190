"""Account health score: inputs, score, band, trend, drivers and a backtest.

The score is 0–100, a weighted mean of factor scores. Each factor turns a
raw input (e.g. seat utilisation as a fraction) into 0–100 by linear
interpolation between the ``points`` in ``configs/health.yaml``. A factor with
no data for an account is left out and its weight is spread over the others
in proportion; ``missing_factors`` says which. With no factor at all the score
is NaN and the band ``unknown``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

FACTORS = (
    "usage_trend",
    "seat_utilisation",
    "login_recency",
    "support_p0p1",
    "nps",
    "champion_present",
    "renewal_proximity",
)
"""Factors the engine can compute, by name."""

FACTOR_UNITS = {
    "usage_trend": "fractional change in mean active users, last period vs the one before",
    "seat_utilisation": "latest active users ÷ latest seats purchased (fraction)",
    "login_recency": "days since the last day with logins (capped at 365)",
    "support_p0p1": "P0 and P1 tickets opened in the lookback period (count)",
    "nps": "mean NPS score (0–10) over the last 365 days",
    "champion_present": "1 if an active contact is a champion, else 0",
    "renewal_proximity": "days from the as-of date to the renewal date (0 if past)",
}

BANDS = ("red", "yellow", "green")


@dataclass(frozen=True)
class FactorConfig:
    """One factor: its weight and the (input, score) points it interpolates."""

    weight: float
    points: tuple[tuple[float, float], ...]

    def score(self, values: np.ndarray) -> np.ndarray:
        """0–100 per input value; NaN stays NaN; inputs beyond the ends clamp."""
        xs = np.array([p[0] for p in self.points], dtype="float64")
        ys = np.array([p[1] for p in self.points], dtype="float64")
        scored = np.interp(values, xs, ys)
        return np.where(np.isnan(values), np.nan, scored)


@dataclass(frozen=True)
class HealthConfig:
    """Settings of the health score, as in ``configs/health.yaml``."""

    factors: Mapping[str, FactorConfig]
    yellow_from: float = 50.0
    green_from: float = 75.0
    lookback_days: int = 90
    trend_months: int = 3
    trend_stable_points: float = 5.0
    backtest_quarters: int = 4
    active_users_metric: str = "active_users"
    seats_metric: str = "seats_purchased"
    logins_metric: str = "logins"
    band_by_score: Sequence[str] = field(default=BANDS)


def health_config_from_mapping(mapping: Mapping) -> HealthConfig:
    """Build a :class:`HealthConfig` from the parsed YAML; unknown keys raise ValueError."""
    allowed = {
        "factors",
        "bands",
        "lookback_days",
        "trend_months",
        "trend_stable_points",
        "backtest_quarters",
        "metrics",
    }
    _check(mapping, allowed, "health")
    factors = {}
    for name, spec in (mapping.get("factors") or {}).items():
        if name not in FACTORS:
            raise ValueError(f"health.factors: unknown factor {name!r} (known: {', '.join(FACTORS)})")
        _check(spec, {"weight", "points"}, f"health.factors.{name}")
        points = tuple((float(x), float(y)) for x, y in spec["points"])
        if list(points) != sorted(points):
            raise ValueError(f"health.factors.{name}.points: inputs must be in increasing order")
        factors[name] = FactorConfig(float(spec["weight"]), points)
    if not factors:
        raise ValueError("health.factors: at least one factor is needed")
    bands = mapping.get("bands") or {}
    _check(bands, {"yellow_from", "green_from"}, "health.bands")
    metrics = mapping.get("metrics") or {}
    _check(metrics, {"active_users", "seats", "logins"}, "health.metrics")
    return HealthConfig(
        factors=factors,
        yellow_from=float(bands.get("yellow_from", 50)),
        green_from=float(bands.get("green_from", 75)),
        lookback_days=int(mapping.get("lookback_days", 90)),
        trend_months=int(mapping.get("trend_months", 3)),
        trend_stable_points=float(mapping.get("trend_stable_points", 5)),
        backtest_quarters=int(mapping.get("backtest_quarters", 4)),
        active_users_metric=metrics.get("active_users", "active_users"),
        seats_metric=metrics.get("seats", "seats_purchased"),
        logins_metric=metrics.get("logins", "logins"),
    )


def _check(mapping: Mapping, allowed: set[str], where: str) -> None:
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


@dataclass(frozen=True)
class HealthTables:
    """The input tables the health score reads (any may be empty)."""

    accounts: pd.DataFrame
    usage: pd.DataFrame
    tickets: pd.DataFrame
    nps: pd.DataFrame
    contacts: pd.DataFrame


def health_inputs(tables: HealthTables, as_of: pd.Timestamp, config: HealthConfig) -> pd.DataFrame:
    """Raw factor inputs per account, from data strictly before ``as_of``.

    One row per account in ``tables.accounts`` (index ``account_id``), one
    column per factor in :data:`FACTORS` (units in :data:`FACTOR_UNITS`);
    NaN where an account has no data for a factor.
    """
    ids = pd.Index(tables.accounts["account_id"], name="account_id")
    lookback = pd.Timedelta(days=config.lookback_days)
    inputs = pd.DataFrame(index=ids, columns=list(FACTORS), dtype="float64")

    usage = tables.usage[tables.usage["date"] < as_of]
    active = usage[usage["metric"] == config.active_users_metric]
    recent = active[active["date"] >= as_of - lookback].groupby("account_id")["value"].mean()
    before = active[(active["date"] >= as_of - 2 * lookback) & (active["date"] < as_of - lookback)]
    before = before.groupby("account_id")["value"].mean()
    trend = (recent / before.where(before > 0)) - 1
    inputs["usage_trend"] = trend.reindex(ids)

    latest_users = _latest(active).reindex(ids)
    seats = _latest(usage[usage["metric"] == config.seats_metric]).reindex(ids)
    inputs["seat_utilisation"] = latest_users / seats.where(seats > 0)

    if not usage.empty:
        logins = usage[usage["metric"] == config.logins_metric]
        has_login_data = pd.Index(logins["account_id"].unique())
        last_login = logins[logins["value"] > 0].groupby("account_id")["date"].max()
        days = (as_of - last_login).dt.days.clip(upper=365).astype("float64").reindex(ids)
        days[ids.isin(has_login_data) & days.isna()] = 365.0
        inputs["login_recency"] = days

    if not tables.tickets.empty:
        tickets = tables.tickets
        window = (tickets["created_at"] < as_of) & (tickets["created_at"] >= as_of - lookback)
        severe = tickets[window & tickets["priority"].isin(["P0", "P1"])]
        inputs["support_p0p1"] = severe.groupby("account_id").size().reindex(ids, fill_value=0).astype(float)

    responses = tables.nps
    year = responses[
        (responses["responded_at"] < as_of) & (responses["responded_at"] >= as_of - pd.Timedelta(days=365))
    ]
    inputs["nps"] = year.groupby("account_id")["score"].mean().astype("float64").reindex(ids)

    if not tables.contacts.empty:
        contacts = tables.contacts
        is_champion = contacts["is_champion"].fillna(False).astype(bool)
        left_before = (contacts["status"] == "left") & (
            contacts["changed_at"].isna() | (contacts["changed_at"] < as_of)
        )
        champions = contacts[is_champion & ~left_before]
        present = ids.isin(champions["account_id"]).astype(float)
        inputs["champion_present"] = present

    renewal = pd.to_datetime(tables.accounts.set_index("account_id")["renewal_date"]).reindex(ids)
    inputs["renewal_proximity"] = (renewal - as_of).dt.days.clip(lower=0).astype("float64")
    return inputs


def _latest(rows: pd.DataFrame) -> pd.Series:
    if rows.empty:
        return pd.Series(dtype="float64")
    last = rows.sort_values("date", kind="stable").drop_duplicates("account_id", keep="last")
    return last.set_index("account_id")["value"].astype("float64")


def score_health(inputs: pd.DataFrame, config: HealthConfig) -> pd.DataFrame:
    """Score, band, missing factors and ranked drivers per account.

    Returns, indexed like ``inputs``: ``health_score`` (0–100 or NaN),
    ``health_band`` (red/yellow/green/unknown), ``missing_factors`` (tuple
    of factor names left out), ``drivers`` (tuple of factor names, strongest
    first: the factors whose weighted distance from a neutral 50 is largest),
    and ``score_<factor>`` per configured factor.
    """
    names = list(config.factors)
    scores = (
        np.column_stack([config.factors[n].score(inputs[n].to_numpy(dtype="float64")) for n in names])
        if names
        else np.empty((len(inputs), 0))
    )
    weights = np.array([config.factors[n].weight for n in names], dtype="float64")
    available = ~np.isnan(scores)
    used_weight = (available * weights).sum(axis=1)
    weighted = np.nansum(scores * weights, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(used_weight > 0, weighted / used_weight, np.nan)
    bands = np.where(
        np.isnan(total),
        "unknown",
        np.where(total >= config.green_from, "green", np.where(total >= config.yellow_from, "yellow", "red")),
    )
    pull = np.where(available, np.abs(scores - 50.0) * weights, -1.0)
    order = np.argsort(-pull, axis=1, kind="stable")
    name_array = np.array(names, dtype=object)
    drivers = [tuple(name_array[row_order[pull[i, row_order] >= 0][:3]]) for i, row_order in enumerate(order)]
    missing = [tuple(name_array[~row]) for row in available]
    result = pd.DataFrame(
        {
            "health_score": total,
            "health_band": bands,
            "missing_factors": missing,
            "drivers": drivers,
        },
        index=inputs.index,
    )
    for j, name in enumerate(names):
        result[f"score_{name}"] = scores[:, j]
    return result


def compute_health(tables: HealthTables, as_of: pd.Timestamp, config: HealthConfig) -> pd.DataFrame:
    """Health as of ``as_of`` with its trend against ``trend_months`` earlier.

    Adds to :func:`score_health`'s columns: the raw inputs (``input_<factor>``),
    ``previous_score``, ``trend_points`` (score − previous score) and
    ``trend`` (``improving``, ``declining``, ``stable`` within
    ``trend_stable_points``, or ``new`` with no previous score).
    """
    inputs = health_inputs(tables, as_of, config)
    current = score_health(inputs, config)
    previous_as_of = as_of - pd.DateOffset(months=config.trend_months)
    previous = score_health(health_inputs(tables, previous_as_of, config), config)["health_score"]
    delta = current["health_score"] - previous
    trend = np.where(
        delta.isna(),
        "new",
        np.where(
            delta > config.trend_stable_points,
            "improving",
            np.where(delta < -config.trend_stable_points, "declining", "stable"),
        ),
    )
    current["previous_score"] = previous
    current["trend_points"] = delta
    current["trend"] = trend
    for name in FACTORS:
        current[f"input_{name}"] = inputs[name]
    return current


@dataclass(frozen=True)
class HealthBacktest:
    """How well the score at the start of past quarters predicted churn in them.

    ``by_band``: per band, ``accounts``, ``churned`` and ``churn_rate``
    (fraction) pooled over ``quarters``. ``auc``: probability that a
    churned account scored lower than a retained one (ties count half);
    0.5 is chance, 1.0 perfect; NaN without both outcomes.
    """

    quarters: tuple[str, ...]
    by_band: pd.DataFrame
    auc: float
    accounts: int
    churned: int


def backtest_health(
    tables: HealthTables,
    matrix: pd.DataFrame,
    quarter_starts: Sequence[pd.Timestamp],
    config: HealthConfig,
) -> HealthBacktest:
    """Score every account paying before each quarter; compare with logo churn in it.

    ``matrix`` is the account × month MRR matrix. An account counts for a
    quarter if it paid in the month before the quarter; it *churned* if it
    pays nothing in the quarter's last month.
    """
    rows = []
    labels = []
    for start in quarter_starts:
        opening = start - pd.DateOffset(months=1)
        end = start + pd.DateOffset(months=2)
        if opening not in matrix.columns or end not in matrix.columns:
            continue
        paying = matrix.index[matrix[opening] > 0]
        churned = matrix.loc[paying, end] <= 0
        scored = score_health(health_inputs(tables, start, config), config).reindex(paying)
        rows.append(
            pd.DataFrame(
                {
                    "score": scored["health_score"],
                    "band": scored["health_band"],
                    "churned": churned.to_numpy(),
                }
            )
        )
        labels.append(f"{start.year}-Q{(start.month - 1) // 3 + 1}")
    if not rows:
        empty = pd.DataFrame(columns=["accounts", "churned", "churn_rate"], index=pd.Index([], name="band"))
        return HealthBacktest((), empty, float("nan"), 0, 0)
    pooled = pd.concat(rows, ignore_index=True)
    by_band = pooled.groupby("band")["churned"].agg(accounts="size", churned="sum")
    by_band = by_band.reindex([b for b in (*BANDS, "unknown") if b in by_band.index])
    by_band["churn_rate"] = by_band["churned"] / by_band["accounts"]
    scored = pooled.dropna(subset=["score"])
    return HealthBacktest(
        tuple(labels),
        by_band,
        roc_auc_lower_predicts(scored["score"].to_numpy(), scored["churned"].to_numpy(bool)),
        len(pooled),
        int(pooled["churned"].sum()),
    )


def roc_auc_lower_predicts(scores: np.ndarray, positive: np.ndarray) -> float:
    """AUC of "a lower score means positive" (Mann–Whitney, ties count half).

    >>> roc_auc_lower_predicts(np.array([10.0, 20, 80, 90]), np.array([True, False, False, False]))
    1.0
    >>> roc_auc_lower_predicts(np.array([50.0, 50]), np.array([True, False]))
    0.5
    """
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = pd.Series(-scores).rank(method="average").to_numpy()
    rank_sum = ranks[positive].sum()
    return float((rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
