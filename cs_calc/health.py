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
from functools import cached_property

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

    @cached_property
    def account_ids(self) -> pd.Index:
        return pd.Index(self.accounts["account_id"], name="account_id")

    def events(self, table: str, date_column: str, value_column: str | None, **equals: object) -> _Events:
        """Rows of ``table`` (filtered by ``column=value`` pairs) as sorted arrays, built once."""
        key = (table, date_column, value_column, tuple(sorted(equals.items())))
        cache = self.__dict__.setdefault("_events", {})
        if key not in cache:
            frame = getattr(self, table)
            for column, value in equals.items():
                allowed = value if isinstance(value, tuple) else (value,)
                frame = frame[frame[column].isin(allowed)]
            cache[key] = _Events.build(frame, self.account_ids, date_column, value_column)
        return cache[key]


@dataclass(frozen=True)
class _Events:
    """Dated values per account as arrays sorted by (account position, date).

    Lets every as-of date be answered with masks and ``bincount`` instead of
    a filter-and-groupby over the whole table each time.
    """

    codes: np.ndarray
    dates: np.ndarray
    values: np.ndarray
    n_accounts: int

    @classmethod
    def build(cls, frame: pd.DataFrame, ids: pd.Index, date_column: str, value_column: str | None) -> _Events:
        codes = ids.get_indexer(frame["account_id"])
        dates = frame[date_column].to_numpy(dtype="datetime64[ns]").astype("int64")
        values = (
            frame[value_column].to_numpy(dtype="float64", na_value=np.nan)
            if value_column
            else np.ones(len(frame))
        )
        known = (codes >= 0) & (dates != np.iinfo("int64").min)
        codes, dates, values = codes[known], dates[known], values[known]
        order = np.lexsort((dates, codes))
        return cls(codes[order], dates[order], values[order], len(ids))

    def _mask(self, start: pd.Timestamp | None, end: pd.Timestamp) -> np.ndarray:
        mask = self.dates < end.value
        if start is not None:
            mask &= self.dates >= start.value
        return mask

    def mean(self, start: pd.Timestamp | None, end: pd.Timestamp) -> np.ndarray:
        """Mean value per account over ``[start, end)``; NaN without rows."""
        mask = self._mask(start, end)
        sums = np.bincount(self.codes[mask], weights=self.values[mask], minlength=self.n_accounts)
        counts = np.bincount(self.codes[mask], minlength=self.n_accounts)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)

    def count(self, start: pd.Timestamp | None, end: pd.Timestamp) -> np.ndarray:
        """Rows per account in ``[start, end)``."""
        mask = self._mask(start, end)
        return np.bincount(self.codes[mask], minlength=self.n_accounts).astype("float64")

    def latest(self, end: pd.Timestamp, *, positive_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(value, date in ns) of each account's last row before ``end``; NaN / NaT-like without one."""
        mask = self._mask(None, end)
        if positive_only:
            mask &= self.values > 0
        codes, dates, values = self.codes[mask], self.dates[mask], self.values[mask]
        last = np.flatnonzero(np.r_[codes[1:] != codes[:-1], True]) if len(codes) else np.array([], int)
        value = np.full(self.n_accounts, np.nan)
        when = np.full(self.n_accounts, np.nan)
        value[codes[last]] = values[last]
        when[codes[last]] = dates[last]
        return value, when


def health_inputs(tables: HealthTables, as_of: pd.Timestamp, config: HealthConfig) -> pd.DataFrame:
    """Raw factor inputs per account, from data strictly before ``as_of``.

    One row per account in ``tables.accounts`` (index ``account_id``), one
    column per factor in :data:`FACTORS` (units in :data:`FACTOR_UNITS`);
    NaN where an account has no data for a factor. Two more columns hold the
    terms of ``seat_utilisation``: ``latest_active_users`` and
    ``latest_seats`` (the latest rows of each metric, NaN without one), so a
    document naming "41 of 50 seats" prints the numbers behind the ratio.
    """
    ids = tables.account_ids
    lookback = pd.Timedelta(days=config.lookback_days)
    inputs = pd.DataFrame(index=ids, columns=list(FACTORS), dtype="float64")

    active = tables.events("usage", "date", "value", metric=config.active_users_metric)
    recent = active.mean(as_of - lookback, as_of)
    before = active.mean(as_of - 2 * lookback, as_of - lookback)
    with np.errstate(invalid="ignore", divide="ignore"):
        inputs["usage_trend"] = np.where(before > 0, recent / np.where(before > 0, before, 1) - 1, np.nan)
        latest_users, _ = active.latest(as_of)
        seats, _ = tables.events("usage", "date", "value", metric=config.seats_metric).latest(as_of)
        inputs["seat_utilisation"] = np.where(seats > 0, latest_users / np.where(seats > 0, seats, 1), np.nan)
    inputs["latest_active_users"] = latest_users
    inputs["latest_seats"] = seats

    logins = tables.events("usage", "date", "value", metric=config.logins_metric)
    if len(logins.codes) and (logins.dates < as_of.value).any():
        has_login_data = logins.count(None, as_of) > 0
        _, last_login = logins.latest(as_of, positive_only=True)
        days = np.floor((as_of.value - last_login) / 86_400e9)
        days = np.where(np.isnan(days), 365.0, np.minimum(days, 365.0))
        inputs["login_recency"] = np.where(has_login_data, days, np.nan)

    if not tables.tickets.empty:
        severe = tables.events("tickets", "created_at", None, priority=("P0", "P1"))
        inputs["support_p0p1"] = severe.count(as_of - lookback, as_of)

    scores = tables.events("nps", "responded_at", "score")
    inputs["nps"] = scores.mean(as_of - pd.Timedelta(days=365), as_of)

    if not tables.contacts.empty:
        contacts = tables.contacts
        is_champion = contacts["is_champion"].fillna(False).astype(bool)
        left_before = (contacts["status"] == "left") & (
            contacts["changed_at"].isna() | (contacts["changed_at"] < as_of)
        )
        champions = contacts[is_champion & ~left_before]
        inputs["champion_present"] = ids.isin(champions["account_id"]).astype(float)

    renewal = pd.to_datetime(tables.accounts["renewal_date"]).to_numpy(dtype="datetime64[ns]")
    days_to_renewal = (renewal - as_of.to_datetime64()) / np.timedelta64(1, "D")
    inputs["renewal_proximity"] = np.clip(np.floor(days_to_renewal), 0, None)
    return inputs


def score_health(inputs: pd.DataFrame, config: HealthConfig) -> pd.DataFrame:
    """Score, band, missing factors and ranked drivers per account.

    Returns, indexed like ``inputs``: ``health_score`` (0–100 or NaN),
    ``health_band`` (red/yellow/green/unknown), ``missing_factors`` (tuple
    of factor names left out), ``drivers`` (up to three factor names, strongest
    first: for green accounts the factors lifting the score most, for the
    others those pulling it down most — weight × distance from a neutral 50),
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
    bands = band_scores(total, config)
    # Drivers explain the band: for green accounts the factors lifting the score
    # most, for the others the factors pulling it down most (weight x distance
    # from a neutral 50 in that direction); factors without data come last.
    direction = np.where(bands == "green", 1.0, -1.0)[:, None]
    pull = np.where(available, (scores - 50.0) * weights * direction, -np.inf)
    order = np.argsort(-pull, axis=1, kind="stable")[:, :3]
    ranked_available = np.isfinite(np.take_along_axis(pull, order, axis=1))
    drivers = _tuples_of_names(np.where(ranked_available, order, -1), names)
    missing = _tuples_of_names(np.where(~available, np.arange(len(names)), -1), names)
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


def _tuples_of_names(positions: np.ndarray, names: list[str]) -> list[tuple[str, ...]]:
    """Per row, the names at the non-negative positions, in order (rows share tuples)."""
    if positions.size == 0:
        return [() for _ in range(len(positions))]
    unique, inverse = np.unique(positions, axis=0, return_inverse=True)
    shared = [tuple(names[i] for i in row if i >= 0) for row in unique]
    return [shared[i] for i in inverse.reshape(-1)]


def band_scores(scores: np.ndarray, config: HealthConfig) -> np.ndarray:
    """The band of each 0–100 score: ``green`` from ``config.green_from``, ``yellow`` from
    ``config.yellow_from``, else ``red``; NaN is ``unknown``. The one banding rule of csreports.

    >>> band_scores(np.array([10.0, 50.0, 75.0, np.nan]), HealthConfig(factors={})).tolist()
    ['red', 'yellow', 'green', 'unknown']
    """
    values = np.asarray(scores, dtype="float64")
    return np.where(
        np.isnan(values),
        "unknown",
        np.where(
            values >= config.green_from, "green", np.where(values >= config.yellow_from, "yellow", "red")
        ),
    )


def compute_health(tables: HealthTables, as_of: pd.Timestamp, config: HealthConfig) -> pd.DataFrame:
    """Health as of ``as_of`` with its trend against ``trend_months`` earlier.

    Adds to :func:`score_health`'s columns: the raw inputs (``input_<factor>``),
    ``previous_score``, ``trend_points`` (score − previous score) and
    ``trend`` (``improving``, ``declining``, ``stable`` within
    ``trend_stable_points``, or ``new`` with no previous score), and the
    terms of the seat utilisation input (``latest_active_users``, ``latest_seats``).
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
    current["latest_active_users"] = inputs["latest_active_users"]
    current["latest_seats"] = inputs["latest_seats"]
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
